"""Imports of every platform's export, written from known answers: scores after import must equal the
scores of those answers. Also bad files, idempotent re-import, overlapping exports and undo."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from pmostep import services
from pmostep.foundation import assessments
from pmostep.initiation.imports import files, pipeline, platforms
from pmostep.initiation.imports import profiles as mapping_profiles
from pmostep.planning import scoring
from pmostep.store import responses
from tests import exports

COMPARED = ["n", "current", "desired", "gap", "importance", "current_median", "current_iqr", "alpha"]


@pytest.fixture(scope="module")
def answers(q) -> exports.Answers:
    return exports.Answers.from_demo(q, respondents=30, seed=11)


def reference(con, q, ans: exports.Answers):
    a = assessments.create(con, "reference", q, min_group_size=1)
    responses.add(con, a.id, q, ans.batch)
    return scoring.score(con, a, q)


def do_import(con, q, name, data, slug="imported", profile=None, accept=False):
    prepared = pipeline.prepare(con, q, name, data, _id(con, slug), profile=profile)
    result = services.import_prepared(con, q, prepared, slug, accept_warnings=accept,
                             new_assessment={"min_group_size": 1})
    return prepared, result


def _id(con, slug):
    return assessments.get(con, slug).id if assessments.exists(con, slug) else None


def assert_same_scores(con, q, ans, slug="imported", columns=COMPARED, statements=True):
    expected = reference(con, q, ans)
    got = scoring.score(con, assessments.get(con, slug), q)
    assert got.respondents == expected.respondents
    pd.testing.assert_frame_equal(got.whole.dimensions[columns], expected.whole.dimensions[columns])
    if statements:
        cols = ["n", "n_na", "current", "desired"] if "n_na" in columns else ["n", "current", "desired"]
        pd.testing.assert_frame_equal(got.whole.statements[cols], expected.whole.statements[cols])


def comments_of(con, slug) -> set[str]:
    a = assessments.get(con, slug)
    rows = con.execute("SELECT c.text FROM comments c JOIN respondents r ON r.id = c.respondent_id "
                       "WHERE r.assessment_id = ?", [a.id]).fetchall()
    return {r[0] for r in rows}


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


def test_same_file_twice_adds_nothing_and_overlap_adds_only_new(con, q, answers):
    name, data = exports.microsoft_forms(answers)
    _, first = do_import(con, q, name, data)
    assert first.respondents_added == 30
    again = pipeline.prepare(con, q, name, data, _id(con, "imported"))
    assert again.previous_import is not None and again.duplicates == 30 and again.respondents_to_add == 0
    assert services.import_prepared(con, q, again, "imported").respondents_added == 0
    # A later export of the same form: the 30 earlier responses plus 10 new ones.
    more = exports.Answers.from_demo(q, respondents=40, seed=11)
    more.rows[:30] = answers.rows
    _, later = do_import(con, q, *exports.microsoft_forms(more))
    assert later.respondents_added == 10 and later.prepared.duplicates == 30
    assert scoring.score(con, assessments.get(con, "imported"), q).respondents == 40


def test_rows_without_ids_are_recognised_by_fingerprint(con, q, answers):
    do_import(con, q, *exports.google_forms(answers))
    name, data = exports.google_forms(answers, delimiter=";")       # other bytes, same responses
    prepared = pipeline.prepare(con, q, name, data, _id(con, "imported"))
    assert prepared.previous_import is None and prepared.duplicates == 30


def test_the_same_responses_in_another_format_are_recognised(con, q, answers):
    do_import(con, q, *exports.google_forms(answers))                         # Sheets CSV
    prepared = pipeline.prepare(con, q, *exports.google_forms(answers, timestamps="forms"),   # Forms-UI CSV
                             _id(con, "imported"))
    assert prepared.duplicates == 30 and prepared.respondents_to_add == 0
    do_import(con, q, *exports.microsoft_forms(answers), slug="forms")        # xlsx with date cells
    again = pipeline.prepare(con, q, *exports.microsoft_forms(answers, fmt="csv"), _id(con, "forms"))
    assert again.duplicates == 30                                             # re-saved as CSV


def test_same_ids_with_other_answers_are_other_people(con, q, answers):
    do_import(con, q, *exports.template(answers))                             # respondents R1..R30
    others = exports.Answers.from_demo(q, respondents=30, seed=12)
    _, result = do_import(con, q, *exports.template(others))                 # another sheet, R1..R30
    assert result.respondents_added == 30


def test_undo_removes_exactly_that_import(con, q, answers):
    _, first = do_import(con, q, *exports.google_forms(answers))
    more = exports.Answers.from_demo(q, respondents=12, seed=99)
    _, second = do_import(con, q, *exports.surveymonkey(more))
    a = assessments.get(con, "imported")
    assert scoring.score(con, a, q).respondents == 42
    assert services.undo_import(con, second.batch_id) == 12
    assert scoring.score(con, a, q).respondents == 30
    with pytest.raises(pipeline.ImportRefused, match="already undone"):
        services.undo_import(con, second.batch_id)
    listed = {b.id: b.undone_at for b in pipeline.batches.list_for(con, a.id)}
    assert listed[first.batch_id] is None and listed[second.batch_id] is not None
    # After an undo the same file can be imported again.
    _, again = do_import(con, q, *exports.surveymonkey(more))
    assert again.respondents_added == 12


def test_a_failed_write_leaves_the_database_as_it_was(con, q, answers, monkeypatch):
    do_import(con, q, *exports.google_forms(answers))
    before = con.execute("SELECT count(*) FROM respondents").fetchone()[0]
    more = exports.Answers.from_demo(q, respondents=8, seed=5)
    prepared = pipeline.prepare(con, q, *exports.surveymonkey(more), _id(con, "imported"))

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(pipeline.responses, "add", fail)
    with pytest.raises(RuntimeError):
        services.import_prepared(con, q, prepared, "imported")
    assert con.execute("SELECT count(*) FROM respondents").fetchone()[0] == before
    assert len(pipeline.batches.list_for(con, _id(con, "imported"))) == 1


def _zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in members.items():
            z.writestr(n, b)
    return buffer.getvalue()


@pytest.mark.parametrize("name, data, message", [
    ("empty.csv", b"", "empty.csv is empty"),
    ("blank.xlsx", b"", "blank.xlsx is empty"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old Excel 97-2003 file"),
    ("sheet.numbers", b"PK\x03\x04", "Apple Numbers"),
    ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "password-protected"),
    ("fake.xlsx", b"ID,Start time\n1,2\n", "not an Excel workbook"),
    ("notes.pdf", b"%PDF-1.4", "only .xlsx and .csv"),
    ("bomb.xlsx", _zip_bytes({"[Content_Types].xml": b"<x/>", "xl/big.xml": b"0" * 30_000_000}),
     "unpacks to far more data"),
])
def test_bad_files_get_a_clear_message(name, data, message):
    with pytest.raises(files.ImportFileError, match=message):
        files.read(name, data)


def test_truncated_workbook_is_reported_as_damaged(answers):
    _, data = exports.microsoft_forms(answers)
    with pytest.raises(files.ImportFileError, match="damaged or incomplete"):
        files.read("cut.xlsx", data[: len(data) // 2])


def test_file_over_the_size_limit_is_refused(answers):
    _, data = exports.google_forms(answers)
    with pytest.raises(files.ImportFileError, match="the limit is 0 MB"):
        files.read("big.csv", data, max_bytes=len(data) - 1)


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


def test_upload_limit_setting(monkeypatch):
    monkeypatch.delenv(files.MAX_SIZE_ENV, raising=False)
    assert files.max_bytes() == 50 * 1024 * 1024
    monkeypatch.setenv(files.MAX_SIZE_ENV, "2")
    assert files.max_bytes() == 2 * 1024 * 1024
    assert files.max_bytes("0.5") == 512 * 1024          # an explicit setting wins
    with pytest.raises(files.ImportFileError, match="must be a number of megabytes"):
        files.max_bytes("lots")


def test_an_archive_that_lies_about_its_size_is_refused(answers):
    """The sizes a zip declares are not trusted: a part declared small that unpacks larger is refused."""
    import struct

    _, data = exports.microsoft_forms(answers)
    sheet = b"xl/worksheets/sheet1.xml"
    patched = bytearray(data)
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := patched.find(signature, start)) != -1:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if patched[name_at:name_at + len(sheet)] == sheet:
                patched[start + size_at:start + size_at + 4] = struct.pack("<I", 1000)
            start += 4
    with pytest.raises(files.ImportFileError):
        files.read("liar.xlsx", bytes(patched))


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
