"""Imports of every platform's export, written from known answers: scores after import must equal the
scores of those answers. Also files with problems, mappings and what is skipped (re-imports and undo:
test_import_batches.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from pmostep import services
from pmostep.foundation import assessments
from pmostep.initiation.imports import pipeline, platforms
from pmostep.initiation.imports import profiles as mapping_profiles
from pmostep.planning import scoring
from pmostep.store import responses
from tests import exports
from tests.importing import comments_of, do_import

COMPARED = ["n", "current", "desired", "gap", "importance", "current_median", "current_iqr", "alpha"]


@pytest.fixture(scope="module")
def answers(q) -> exports.Answers:
    return exports.Answers.from_demo(q, respondents=30, seed=11)


def reference(con, q, ans: exports.Answers):
    a = assessments.create(con, "reference", q, min_group_size=1)
    responses.add(con, a, q, ans.batch)
    return scoring.score(con, a, q)


def assert_same_scores(con, q, ans, slug="imported", columns=COMPARED, statements=True):
    expected = reference(con, q, ans)
    got = scoring.score(con, assessments.get(con, slug), q)
    assert got.respondents == expected.respondents
    pd.testing.assert_frame_equal(got.whole.dimensions[columns], expected.whole.dimensions[columns])
    if statements:
        cols = ["n", "n_na", "current", "desired"] if "n_na" in columns else ["n", "current", "desired"]
        pd.testing.assert_frame_equal(got.whole.statements[cols], expected.whole.statements[cols])


CASES = {
    "microsoft forms xlsx, labels": lambda a: exports.microsoft_forms(a),
    "microsoft forms xlsx, plain labels": lambda a: exports.microsoft_forms(a, style="plain"),
    "microsoft forms xlsx, numbers": lambda a: exports.microsoft_forms(a, style="number"),
    "microsoft forms re-saved as csv": lambda a: exports.microsoft_forms(a, fmt="csv"),
    "microsoft forms, desired columns first": lambda a: exports.microsoft_forms(a, desired_first=True),
    "microsoft forms quiz, points and feedback": lambda a: exports.microsoft_forms(a, quiz=True),
    "google sheets csv": lambda a: exports.google_forms(a),
    "google forms ui csv, GMT timestamps": lambda a: exports.google_forms(a, timestamps="forms"),
    "google xlsx": lambda a: exports.google_forms(a, fmt="xlsx"),
    "google csv windows-1252, semicolons": lambda a: exports.google_forms(a, encoding="cp1252",
                                                                          delimiter=";"),
    "google csv utf-16, tabs": lambda a: exports.google_forms(a, encoding="utf-16", delimiter="\t"),
    "surveymonkey xlsx": lambda a: exports.surveymonkey(a),
    "surveymonkey csv": lambda a: exports.surveymonkey(a, fmt="csv"),
    "limesurvey csv, full headings, ';'": lambda a: exports.limesurvey(a),
    "limesurvey csv, full headings, ','": lambda a: exports.limesurvey(a, delimiter=","),
    "surveymonkey csv, numerical values": lambda a: exports.surveymonkey(a, fmt="csv", style="number"),
    "pmostep template": lambda a: exports.template(a),
}
PLATFORM = {"microsoft": platforms.MICROSOFT_FORMS, "google": platforms.GOOGLE_FORMS,
            "surveymonkey": platforms.SURVEYMONKEY, "limesurvey": platforms.LIMESURVEY,
            "pmostep": platforms.TEMPLATE}


@pytest.mark.parametrize("case", list(CASES))
def test_export_imports_with_no_mapping_and_scores_match(con, q, answers, case):
    name, data = CASES[case](answers)
    prepared, result = do_import(con, q, name, data)
    assert prepared.platform == PLATFORM[case.split()[0]]
    assert prepared.problems == [] and prepared.fatal is None
    assert result.respondents_added == len(answers.rows)
    assert {m.target for m in prepared.mappings} >= {f"{s.id}.{side}" for s in q.statements
                                                     for side in ("current", "desired")}
    assert_same_scores(con, q, answers, columns=[*COMPARED, "n_na"])
    assert {"=SUM(A1)", 'Say "no" more often, please', "Line one\nline two"} <= comments_of(con, "imported")


def test_limesurvey_skips_incomplete_responses(con, q, answers):
    prepared, _ = do_import(con, q, *exports.limesurvey(answers))
    assert prepared.skipped == [{"row": len(answers.rows) + 2, "reason": "incomplete (no submit date)"}]


def test_qualtrics_three_header_rows_preview_unfinished_and_minus_99(con, q, answers):
    prepared, result = do_import(con, q, *exports.qualtrics(answers))
    assert prepared.platform == platforms.QUALTRICS and prepared.problems == []
    assert [s["reason"] for s in prepared.skipped] == ["preview response", "incomplete (not finished)"]
    assert [s["row"] for s in prepared.skipped] == [len(answers.rows) + 4, len(answers.rows) + 5]
    assert result.respondents_added == len(answers.rows)
    # -99 (seen but unanswered) is counted as N/A, so only n_na differs from the known answers.
    assert_same_scores(con, q, answers)


def test_qualtrics_legacy_two_row_export_with_a_mapping_for_99(con, q, answers):
    profile = mapping_profiles.from_yaml('name: legacy\nanswers:\n  "99": na\n', q)
    prepared, result = do_import(con, q, *exports.qualtrics_legacy(answers), profile=profile)
    assert prepared.platform == platforms.QUALTRICS and prepared.file_details["header_rows"] == 2
    assert prepared.problems == [] and result.respondents_added == len(answers.rows)
    assert_same_scores(con, q, answers, columns=["n", "current", "desired", "gap", "current_median"])


def test_qualtrics_xlsx_imports(con, q, answers):
    prepared, result = do_import(con, q, *exports.qualtrics(answers, fmt="xlsx", extra_rows=False))
    assert prepared.platform == platforms.QUALTRICS and prepared.file_details["header_rows"] == 3
    assert result.respondents_added == len(answers.rows)
    assert_same_scores(con, q, answers)


def test_unknown_labels_are_problems_with_row_and_column(con, q, answers):
    name, data = exports.qualtrics(answers, numeric=True, extra_rows=False)
    prepared = pipeline.prepare(con, q, name, data, None)
    assert prepared.problems, "99 is not on the scale and must not be guessed"
    first = prepared.problems[0]
    assert first.row >= 4 and " - " in first.column
    assert first.message.startswith("unknown answer '99': expected 1 Ad hoc")
    with pytest.raises(pipeline.ImportRefused, match="problems in the file"):
        services.import_prepared(con, q, prepared, "imported")
    assert not assessments.exists(con, "imported")          # nothing written, not even the assessment


def test_a_saved_mapping_resolves_unknown_labels(con, q, answers):
    profile = mapping_profiles.from_yaml('name: qualtrics-numeric\nanswers:\n  "99": na\n', q)
    prepared, result = do_import(con, q, *exports.qualtrics(answers, numeric=True, extra_rows=False),
                                 profile=profile)
    assert prepared.problems == [] and result.respondents_added == len(answers.rows)
    assert_same_scores(con, q, answers)


def test_limesurvey_answer_codes_need_a_mapping_not_a_guess(con, q, answers):
    name, data = exports.limesurvey(answers, answers="codes")
    prepared = pipeline.prepare(con, q, name, data, None)
    assert prepared.problems and prepared.problems[0].message.startswith("unknown answer 'A")
    codes = "\n".join(f'  "A{v}": {v}' for v in range(1, 6))
    profile = mapping_profiles.from_yaml(f"name: lime-codes\nanswers:\n{codes}\n", q)
    prepared, result = do_import(con, q, name, data, profile=profile)
    assert prepared.problems == [] and result.respondents_added == len(answers.rows)
    assert_same_scores(con, q, answers, columns=[*COMPARED, "n_na"])


def test_decimals_are_problems_not_truncated(con, q, answers):
    name, data = exports.google_forms(answers, style="number")
    text = data.decode("utf-8").split("\r\n")
    cells = text[1].split(",")
    first_rating = next(i for i, c in enumerate(cells) if c in {"1", "2", "3", "4", "5"})
    cells[first_rating] = "3.7"
    text[1] = ",".join(cells)
    prepared = pipeline.prepare(con, q, name, "\r\n".join(text).encode("utf-8"), None)
    assert [p.message.split(":")[0] for p in prepared.problems] == ["unknown answer '3.7'"]
    assert prepared.problems[0].row == 2


def test_limesurvey_code_headings_need_and_use_a_saved_mapping(con, q, answers):
    name, data = exports.limesurvey(answers, headings="code")
    prepared = pipeline.prepare(con, q, name, data, None)
    assert prepared.fatal and "no column matches a statement" in prepared.fatal
    # The facilitator maps the codes once and saves the mapping (here: as the YAML a team would keep).
    _, full = exports.limesurvey(answers, headings="full")
    codes = exports.limesurvey(answers, headings="code")[1].decode("utf-8-sig").splitlines()[0]
    texts = full.decode("utf-8-sig").splitlines()[0]
    code_of = dict(zip([c.strip('"') for c in codes.split('";"')], [t.strip('"') for t in texts.split('";"')],
                       strict=True))
    auto = pipeline.prepare(con, q, *exports.limesurvey(answers), None).mappings
    target_of_text = {m.header: m.target for m in auto}
    columns = {code: target_of_text[text] for code, text in code_of.items()
               if target_of_text[text] != "ignore"}
    yaml_text = mapping_profiles.MappingProfile("lime-codes", "limesurvey", columns).to_yaml()
    profile = mapping_profiles.from_yaml(yaml_text, q)
    mapping_profiles.save(con, profile)
    prepared, result = do_import(con, q, name, data, profile=mapping_profiles.load(con, "lime-codes", q))
    assert prepared.problems == [] and result.respondents_added == len(answers.rows)
    assert_same_scores(con, q, answers)


def test_header_only_file_is_fatal_not_a_crash(con, q, answers):
    _, data = exports.google_forms(answers)
    header_only = data.split(b"\r\n")[0] + b"\r\n"
    prepared = pipeline.prepare(con, q, "header.csv", header_only, None)
    assert prepared.fatal == "the file has headers but no responses"
    with pytest.raises(pipeline.ImportRefused):
        services.import_prepared(con, q, prepared, "x")


def test_unrelated_file_is_fatal_with_advice(con, q):
    data = b"Name,Favourite colour\nAna,blue\nBen,red\n"
    prepared = pipeline.prepare(con, q, "other.csv", data, None)
    assert prepared.platform == platforms.GENERIC
    assert "form-building guide" in prepared.fatal


def test_blank_rows_at_the_end_are_ignored(con, q, answers):
    name, data = exports.google_forms(answers)
    prepared = pipeline.prepare(con, q, name, data + b",,,,\r\n\r\n,,\r\n", None)
    assert prepared.rows_read == 30 and prepared.skipped == []


def test_profile_value_not_an_option_is_a_problem(con, q, answers):
    name, data = exports.google_forms(answers)
    text = data.decode("utf-8").replace(",Project manager,", ",Scrum master,", 1)
    prepared = pipeline.prepare(con, q, name, text.encode("utf-8"), None)
    assert len(prepared.problems) == 1
    assert prepared.problems[0].message.startswith("'Scrum master' is not an option of this question")
    assert prepared.problems[0].column == q.profile_question("group").text
    accepted = services.import_prepared(con, q, prepared, "imported", accept_warnings=True)
    assert accepted.respondents_added == 30


def test_timestamps_in_every_format(q):
    got = pipeline.parse_times(pd.Series(["2024-03-14 09:02:11", "3/14/24 9:02:11", "03/14/2024 09:02:11 AM",
                                          "2026/05/20 1:43:01 PM GMT+1", "2026/10/04 10:15:00 AM GMT+5:30",
                                          "8/31/2023 19:08:16", None, "not a date"]))
    assert list(got[:6].astype(str)) == ["2024-03-14 09:02:11", "2024-03-14 09:02:11", "2024-03-14 09:02:11",
                                         "2026-05-20 12:43:01", "2026-10-04 04:45:00", "2023-08-31 19:08:16"]
    assert got[6:].isna().all()


def test_blank_lines_keep_row_numbers_and_long_rows_are_read(con, q, answers):
    name, data = exports.google_forms(answers)
    lines = data.decode("utf-8").split("\r\n")
    cells = lines[3].split(",")
    first_rating = next(i for i, c in enumerate(cells) if c.endswith((" - Repeatable", " - Defined")))
    cells[first_rating] = "Sort of"
    lines[3] = ",".join(cells) + ",extra,fields"                 # file line 4, longer than the header
    lines.insert(2, "")                                         # a blank line: the bad row is now line 5
    prepared = pipeline.prepare(con, q, name, "\r\n".join(lines).encode("utf-8"), None)
    assert [(p.row, p.message.split(":")[0]) for p in prepared.problems] == [(5, "unknown answer 'Sort of'")]
    assert prepared.respondents_to_add == 30
    assert {"row": 3, "reason": "no answers"} in prepared.skipped


def test_nothing_to_add_creates_no_assessment(con, q, answers):
    name, data = exports.limesurvey(answers)
    lines = data.decode("utf-8-sig").split("\r\n")
    only_incomplete = "\r\n".join([lines[0], lines[-3]]) + "\r\n"
    prepared = pipeline.prepare(con, q, name, only_incomplete.encode("utf-8-sig"), None)
    assert prepared.respondents_to_add == 0 and len(prepared.skipped) == 1
    assert services.import_prepared(con, q, prepared, "never").respondents_added == 0
    assert not assessments.exists(con, "never")
