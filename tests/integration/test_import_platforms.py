"""Exports as users really upload them: the real files of shared/real-exports (published by others),
and synthetic files with the layouts those files revealed (missing dates, old header styles, deleted
columns)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from pmostep import cli, services
from pmostep.foundation import assessments
from pmostep.initiation.imports import pipeline, platforms
from pmostep.initiation.imports import profiles as mapping_profiles
from tests import exports
from tests.conftest import ROOT

REAL = ROOT.parent / "shared" / "real-exports"
# file -> (platform, respondents as SOURCES.md counts them, header rows)
REAL_EXPORTS = {
    "qualtrics/qualtrics-r-sample.csv": (platforms.QUALTRICS, 1, 3),
    "qualtrics/ldi-testing-preservation.csv": (platforms.QUALTRICS, 25, 3),
    "qualtrics/qt-tools-sample-insights.csv": (platforms.QUALTRICS, 5, 3),
    "surveymonkey/sm-raw-data.xlsx": (platforms.SURVEYMONKEY, 198, 2),
    "surveymonkey/sm-legacy-survey1.csv": (platforms.SURVEYMONKEY, 19, 1),
    "limesurvey/lime-griditem-codes.csv": (platforms.LIMESURVEY, 65, 1),
    "google/ccrcn-2017-survey.csv": (platforms.GOOGLE_FORMS, 57, 1),
    "google/uva-hotdog-fa22-results.xlsx": (platforms.GOOGLE_FORMS, 194, 1),
    "msforms/uva-hotdog-fa24-msforms.csv": (platforms.MICROSOFT_FORMS, 187, 1),
}


@pytest.fixture(scope="module")
def answers(q) -> exports.Answers:
    return exports.Answers.from_demo(q, respondents=30, seed=11)


def csv_rows(data: bytes, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


def csv_bytes(rows: list[list[str]], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def without_columns(rows: list[list[str]], headers: set[str]) -> list[list[str]]:
    drop = {i for i, h in enumerate(rows[0]) if h in headers}
    return [[c for i, c in enumerate(r) if i not in drop] for r in rows]


# --- every row gets an identity, whatever its dates ------------------------------------------------------

def test_limesurvey_all_responses_without_start_dates_imports(con, q, answers):
    """'All responses' with no date stamps: no startdate column, and incomplete rows have no submitdate."""
    name, data = exports.limesurvey(answers, delimiter=",")
    rows = without_columns(csv_rows(data), {"Date started", "Date last action"})
    rows[5][1] = ""                                       # one more incomplete response, with answers
    prepared = pipeline.prepare(con, q, name, csv_bytes(rows), None)
    assert prepared.fatal is None and prepared.problems == []
    assert [s["row"] for s in prepared.skipped] == [6, len(answers.rows) + 2]
    assert prepared.respondents_to_add == len(answers.rows) - 1
    assert prepared.batch.respondents["external_id"].is_unique


def test_a_file_with_ids_and_one_unreadable_date_imports(con, q, answers):
    name, data = exports.microsoft_forms(answers, fmt="csv")
    rows = csv_rows(data)
    rows[3][1] = "not a date"
    prepared = pipeline.prepare(con, q, name, csv_bytes(rows), None)
    assert prepared.fatal is None and prepared.respondents_to_add == len(answers.rows)
    assert any("1 dates in column 'Start time' could not be read" in n for n in prepared.notes)


# --- rows of one file are different people ---------------------------------------------------------------

def test_identical_rows_without_ids_are_different_people(con, q, answers):
    """Six rows of two answer patterns (same minute: a quick poll) are six people; only importing them
    again makes them duplicates, and a later export with one more such row adds that one."""
    name, data = exports.google_forms(answers)
    header, first, second = csv_rows(data)[:3]
    second[0] = first[0]
    six = csv_bytes([header] + [first] * 3 + [second] * 3)
    prepared = pipeline.prepare(con, q, name, six, None)
    assert prepared.duplicates == 0 and prepared.respondents_to_add == 6
    result = services.import_prepared(con, q, prepared, "poll", new_assessment={"min_group_size": 1})
    assert result.respondents_added == 6
    poll = assessments.get(con, "poll").id
    again = pipeline.prepare(con, q, name, six, poll)
    assert again.duplicates == 6 and again.respondents_to_add == 0
    later = pipeline.prepare(con, q, name, csv_bytes([header] + [first] * 4 + [second] * 3), poll)
    assert later.duplicates == 6 and later.respondents_to_add == 1


# --- Qualtrics: the ImportId row in every quoting --------------------------------------------------------

def python_quoted(cell: str) -> str:
    """An ImportId cell as the 2016 'Insights' exporter wrote it: {'ImportId': 'QID1'}."""
    return str(json.loads(cell)) if cell.startswith("{") else cell


def test_qualtrics_insights_import_ids_in_python_quoting_are_a_header_row(con, q, answers):
    name, data = exports.qualtrics(answers)
    rows = csv_rows(data)
    rows[2] = [python_quoted(c) for c in rows[2]]
    assert rows[2][10] == "{'ImportId': 'QID1'}"
    prepared = pipeline.prepare(con, q, name, csv_bytes(rows), None)
    assert prepared.platform == platforms.QUALTRICS and prepared.file_details["header_rows"] == 3
    assert prepared.problems == [] and prepared.rows_read == len(answers.rows) + 2
    assert prepared.respondents_to_add == len(answers.rows)


QUOTINGS = {"json": lambda cell: cell, "python": python_quoted,
            "doubled": lambda cell: cell.replace('"', '""')}       # a CSV written twice over


@pytest.mark.parametrize("quoting", list(QUOTINGS))
def test_qualtrics_legacy_export_with_an_import_id_row(con, q, answers, quoting):
    name, data = exports.qualtrics_legacy(answers)
    rows = csv_rows(data)
    rows.insert(2, [QUOTINGS[quoting](json.dumps({"ImportId": f"QID{n}"})) for n in range(len(rows[0]))])
    profile = mapping_profiles.from_yaml('name: legacy\nanswers:\n  "99": na\n', q)
    prepared = pipeline.prepare(con, q, name, csv_bytes(rows), None, profile=profile)
    assert prepared.platform == platforms.QUALTRICS and prepared.file_details["header_rows"] == 3
    assert prepared.problems == [] and prepared.respondents_to_add == len(answers.rows)


# --- SurveyMonkey: header rows from the second row's content, the platform from several signs ------------

LEGACY_META = ["RespondentID", "CollectorID", "StartDate", "EndDate", "IP Address", "Email Address",
               "First Name", "LastName", "Custom Data"]


def surveymonkey_one_header_row(data: bytes) -> bytes:
    """The older condensed CSV: legacy meta names, one header row ('Question - Row' for grids)."""
    top, sub, *body = csv_rows(data)
    header, title = [], ""
    for i, (t, s) in enumerate(zip(top, sub, strict=True)):
        title = t or title
        if i < len(LEGACY_META):
            header.append(LEGACY_META[i])
        else:
            header.append(title if s in ("Response", "Open-Ended Response") else f"{title} - {s}")
    return csv_bytes([header, *body])


def test_surveymonkey_with_one_header_row_keeps_its_first_respondent(con, q, answers):
    name, data = exports.surveymonkey(answers, fmt="csv")
    prepared = pipeline.prepare(con, q, name, surveymonkey_one_header_row(data), None)
    assert prepared.platform == platforms.SURVEYMONKEY and prepared.file_details["header_rows"] == 1
    assert [m.header for m in prepared.mappings[:2]] == ["RespondentID", "CollectorID"]
    assert prepared.problems == [] and prepared.respondents_to_add == len(answers.rows)
    ids = {i.split("|")[0] for i in prepared.batch.respondents["external_id"]}
    assert "114212340000" in ids                              # the first respondent


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_surveymonkey_without_collector_id_is_recognised(con, q, answers, fmt):
    name, data = exports.surveymonkey(answers, fmt="csv")
    rows = without_columns(csv_rows(data), {"Collector ID"})
    if fmt == "xlsx":
        name, data = "Data_All.xlsx", exports._xlsx([[c or None for c in r] for r in rows])
    else:
        data = csv_bytes(rows)
    prepared = pipeline.prepare(con, q, name, data, None)
    assert prepared.platform == platforms.SURVEYMONKEY and prepared.file_details["header_rows"] == 2
    assert prepared.problems == [] and prepared.respondents_to_add == len(answers.rows)
    assert prepared.to_dict()["platform_signs"] == [
        "a Respondent ID column", "Start Date and End Date columns",
        "a second header row of sub-items (Response, Open-Ended Response ...)"]


def test_a_file_with_one_surveymonkey_sign_stays_generic(con, q, answers):
    _, data = exports.surveymonkey(answers, fmt="csv")
    rows = without_columns(csv_rows(data), {"Collector ID", "Start Date", "End Date"})
    rows.pop(1)
    prepared = pipeline.prepare(con, q, "answers.csv", csv_bytes(rows), None)
    assert prepared.platform == platforms.GENERIC and prepared.to_dict()["platform_signs"] == []


# --- the real exports: right platform, right respondent count, every row its own respondent -------------

def dry_run(capsys, path, db, *more) -> tuple[int, dict]:
    code = cli.main(["import", str(path), "--assessment", "real", "--dry-run", "--format", "json",
                     "--db", str(db), *map(str, more)])
    return code, json.loads(capsys.readouterr().out)


def test_every_real_export_is_listed():
    if not REAL.is_dir():
        pytest.skip(f"{REAL} is not here")
    assert {str(p.relative_to(REAL)) for p in REAL.glob("*/*") if p.is_file()} == set(REAL_EXPORTS)


@pytest.mark.parametrize("name", list(REAL_EXPORTS))
def test_real_export_imports_with_the_right_platform_and_respondents(tmp_path, capsys, name):
    """Their questions are on other topics, so one column is mapped by hand (as a user would) to see
    every row through to its respondent: each row is one respondent, skipped with a reason or added."""
    if not REAL.is_dir():
        pytest.skip(f"{REAL} is not here")
    platform, respondents, header_rows = REAL_EXPORTS[name]
    code, doc = dry_run(capsys, REAL / name, tmp_path / "real.duckdb")
    assert code != 0 and "no column matches a statement" in doc["fatal"]
    assert (doc["platform"], doc["rows_read"], doc["header_rows"]) == (platform, respondents, header_rows)
    assert doc["platform_signs"]
    question = next(c["column"] for c in doc["columns"]
                    if c["target"] == "ignore" and c["reason"].startswith("no statement"))
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(f"name: real\ncolumns:\n  {json.dumps(question)}: meth_1.current\n", encoding="utf-8")
    code, doc = dry_run(capsys, REAL / name, tmp_path / "real.duckdb", "--mapping", mapping)
    assert code == 0 and doc["fatal"] is None
    assert doc["duplicates"] == 0
    assert doc["respondents_to_add"] + doc["skipped"] == respondents


# --- LimeSurvey "code and text" headings: every code is a mapping key -----------------------------------

def test_limesurvey_code_and_text_headings_map_by_code(con, q, answers):
    """'SCREEN1. Did you ...' (a code without brackets) as well as 'G1[SQ001]. ...': a mapping keyed by
    the codes, as the README shows, maps every column."""
    _, coded = exports.limesurvey(answers, headings="code", delimiter=",")
    name, full = exports.limesurvey(answers, headings="full", delimiter=",")
    codes, texts = csv_rows(coded)[0], csv_rows(full)[0]
    rows = csv_rows(full)
    rows[0] = [f"{code}. {text}" for code, text in zip(codes, texts, strict=True)]
    auto = {m.index: m.target for m in pipeline.prepare(con, q, name, full, None).mappings}
    columns = {codes[i]: target for i, target in auto.items() if target != "ignore" and i >= 7}
    assert {"P1", "C1", "G1[SQ001]"} <= set(columns)
    profile = mapping_profiles.MappingProfile("lime-codetext", "limesurvey", columns)
    prepared = pipeline.prepare(con, q, name, csv_bytes(rows), None, profile=profile)
    reasons = {m.header.split(".")[0]: m.reason for m in prepared.mappings}
    assert {code: reasons[code] for code in columns} == dict.fromkeys(columns, "saved mapping")
    assert prepared.platform == platforms.LIMESURVEY and prepared.problems == []
    assert prepared.respondents_to_add == len(answers.rows)


def test_a_google_form_asking_for_start_and_end_dates_stays_google(con, q, answers):
    name, data = exports.google_forms(answers)
    rows = csv_rows(data)
    rows = [r[:2] + (["Start Date", "End Date"] if n == 0 else ["", ""]) + r[2:] for n, r in enumerate(rows)]
    prepared = pipeline.prepare(con, q, name, csv_bytes(rows), None)
    assert prepared.platform == platforms.GOOGLE_FORMS
    assert prepared.respondents_to_add == len(answers.rows)


def test_the_cli_says_what_named_the_platform(tmp_path, capsys, answers):
    name, data = exports.surveymonkey(answers, fmt="csv")
    path = tmp_path / name
    path.write_bytes(csv_bytes(without_columns(csv_rows(data), {"Collector ID"})))
    code = cli.main(["import", str(path), "--assessment", "sm", "--dry-run",
                     "--db", str(tmp_path / "x.duckdb")])
    out = capsys.readouterr().out
    assert code == 0 and f"{name}: SurveyMonkey, {len(answers.rows)} rows read" in out
    assert "recognised from: a Respondent ID column; Start Date and End Date columns; a second header" in out
