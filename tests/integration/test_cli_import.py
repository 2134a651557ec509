"""`python -m pmostep import` and friends: the JSON contract, refusals and exit codes."""

import json

import pytest
from openpyxl import load_workbook

from pmostep import cli
from pmostep.initiation import platform_guide
from tests import exports


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def files(tmp_path, q):
    ans = exports.Answers.from_demo(q, respondents=20, seed=8)
    made = {}
    for key, (name, data) in {"forms": exports.microsoft_forms(ans),
                              "numeric": exports.qualtrics(ans, numeric=True, extra_rows=False)}.items():
        path = tmp_path / name
        path.write_bytes(data)
        made[key] = path
    return made


def test_import_creates_the_assessment_and_reports_json(tmp_path, capsys, files):
    db = tmp_path / "cli.duckdb"
    code, out, err = run(capsys, "import", files["forms"], "--assessment", "hr-2026", "--db", db,
                         "--format", "json")
    doc = json.loads(out)
    assert code == 0 and err == ""
    assert doc["platform"] == "microsoft_forms" and doc["rows_read"] == 20
    assert doc["respondents_added"] == 20 and doc["duplicates"] == 0 and doc["skipped"] == 0
    assert doc["problems"] == [] and doc["assessment_created"] is True
    code, out, err = run(capsys, "import", files["forms"], "--assessment", "hr-2026", "--db", db,
                         "--format", "json")
    doc = json.loads(out)
    assert code != 0 and doc["respondents_added"] == 0 and doc["duplicates"] == 20
    assert "already in the assessment" in err
    code, out, _ = run(capsys, "imports", "--assessment", "hr-2026", "--db", db, "--format", "json")
    (batch,) = json.loads(out)
    assert batch["respondents_added"] == 20 and batch["platform"] == "microsoft_forms"
    code, out, _ = run(capsys, "undo-import", batch["id"], "--db", db)
    assert code == 0 and "20 respondents removed" in out
    code, _, err = run(capsys, "undo-import", batch["id"], "--db", db)
    assert code != 0 and "already undone" in err


def test_problems_refuse_unless_accepted(tmp_path, capsys, files):
    db = tmp_path / "p.duckdb"
    code, out, err = run(capsys, "import", files["numeric"], "--assessment", "x", "--db", db, "--format",
                         "json")
    doc = json.loads(out)
    assert code != 0 and doc["respondents_added"] == 0
    first = doc["problems"][0]
    assert set(first) == {"row", "column", "message"} and "unknown answer '99'" in first["message"]
    assert "nothing imported" in err
    code, out, _ = run(capsys, "import", files["numeric"], "--assessment", "x", "--db", db,
                       "--accept-warnings")
    assert code == 0 and "imported 20 respondents into 'x' (new assessment created)" in out


def test_dry_run_writes_nothing(tmp_path, capsys, files):
    db = tmp_path / "d.duckdb"
    code, out, _ = run(capsys, "import", files["forms"], "--assessment", "dry", "--db", db, "--dry-run")
    assert code == 0 and "20 respondents would be added; nothing was written" in out
    code, out, _ = run(capsys, "assessments", "--db", db, "--format", "json")
    assert json.loads(out) == []


def test_mapping_file_and_saved_mapping(tmp_path, capsys, files):
    db = tmp_path / "m.duckdb"
    mapping = tmp_path / "numeric.yaml"
    mapping.write_text('name: qualtrics-numeric\nanswers:\n  "99": na\n', encoding="utf-8")
    code, out, _ = run(capsys, "import", files["numeric"], "--assessment", "dry", "--db", db,
                       "--mapping", mapping, "--save-mapping", "never", "--dry-run", "--format", "json")
    assert code == 0 and json.loads(out)["problems"] == []
    code, out, _ = run(capsys, "import", files["numeric"], "--assessment", "m", "--db", db,
                       "--mapping", mapping, "--save-mapping", "q-num", "--format", "json")
    assert code == 0 and json.loads(out)["respondents_added"] == 20
    code, out, _ = run(capsys, "import", files["numeric"], "--assessment", "m2", "--db", db,
                       "--mapping", "q-num", "--format", "json")
    assert code == 0 and json.loads(out)["respondents_added"] == 20
    code, _, err = run(capsys, "import", files["numeric"], "--assessment", "m3", "--db", db,
                       "--mapping", "never")
    assert code == 1 and "never" in err                        # a dry run saved nothing


@pytest.mark.parametrize("content, message", [
    (b"", "is empty"),
    (b"not a zip", "not an Excel workbook"),
])
def test_bad_files_exit_non_zero_with_one_line(tmp_path, capsys, content, message):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    code, _, err = run(capsys, "import", path, "--assessment", "b", "--db", tmp_path / "b.duckdb")
    assert code != 0 and message in err and "Traceback" not in err


def test_missing_file_and_bad_mapping(tmp_path, capsys, files):
    code, _, err = run(capsys, "import", tmp_path / "nope.csv", "--assessment", "b", "--db", tmp_path / "x")
    assert code != 0 and "does not exist" in err
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ncolumns:\n  Q1: nowhere.current\n", encoding="utf-8")
    code, _, err = run(capsys, "import", files["forms"], "--assessment", "b", "--db", tmp_path / "y",
                       "--mapping", bad)
    assert code != 0 and "column 'Q1': unknown target 'nowhere.current'" in err


def test_guide_and_template(tmp_path, capsys, q):
    code, out, _ = run(capsys, "questionnaire", "--format", "guide")
    assert code == 0
    for d in q.dimensions:
        assert f"`{platform_guide.CURRENT_TITLE}: {d.name}`" in out
        assert f"`{platform_guide.DESIRED_TITLE}: {d.name}`" in out
    assert all(s.text in out for s in q.statements)
    assert all(f"`{label}`" in out for label in platform_guide.answer_labels(q))
    for platform in ("Microsoft Forms", "Google Forms", "SurveyMonkey", "Qualtrics", "LimeSurvey"):
        assert f"### {platform}" in out
    path = tmp_path / "t.xlsx"
    code, out, _ = run(capsys, "template", "--output", path)
    assert code == 0
    ws = load_workbook(path)["Responses"]
    assert [c.value for c in ws[1]] == platform_guide.template_headers(q)
    ranges = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    rating_range = next(r for r, f in ranges.items() if f == "=Lists!$A$1:$A$6")
    assert rating_range.startswith("F2:")
    assert all(dv.showErrorMessage for dv in ws.data_validations.dataValidation)
    assert len(ranges) == 1 + len(q.profile) + 1
