"""The Import page with AppTest: upload, what was understood, confirm, history and undo."""

import csv
import io

import pytest
from streamlit.testing.v1 import AppTest

from pmostep.core import questionnaire
from pmostep.foundation import assessments
from pmostep.store import db
from tests import exports, hostile
from tests.app.conftest import APP

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def app(tmp_path, monkeypatch):
    path = tmp_path / "import.duckdb"
    con = db.connect(path)
    assessments.create(con, "pilot", questionnaire.load(), name="Pilot survey", min_group_size=1)
    con.close()
    monkeypatch.setenv(db.ENV_VAR, str(path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["assessment"] = "pilot"
    at.run()
    at.switch_page("views/import_responses.py").run()
    return at


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def table_with(at, column: str):
    """The shown table that has this column."""
    return next(df.value for df in at.dataframe if column in df.value.columns)


def test_upload_shows_the_report_and_confirm_imports(app, q):
    ans = exports.Answers.from_demo(q, respondents=30, seed=3)
    name, data = exports.microsoft_forms(ans)
    app.file_uploader(key="import_file").upload(name, data, XLSX).run()
    assert not app.exception
    assert app.subheader[0].value == "Microsoft Forms: 30 rows"
    assert metrics(app)["Respondents to add"] == "30"
    assert metrics(app)["Problems"] == "0"
    app.button(key="confirm_import").click().run()
    assert not app.exception
    assert any("Imported 30 respondents" in s.value for s in app.success)
    assert metrics(app)["Respondents to add"] == "0" and metrics(app)["Already imported"] == "30"
    assert app.button(key="confirm_import").disabled
    assert "30 completed responses" in app.caption[0].value
    history = table_with(app, "Respondents added")
    assert list(history["Respondents added"]) == [30]
    assert list(history["Platform"]) == ["Microsoft Forms"]


def test_problem_cells_need_an_explicit_yes(app, q):
    ans = exports.Answers.from_demo(q, respondents=12, seed=4)
    name, data = exports.google_forms(ans)
    data = data.decode("utf-8").replace(",2 - Repeatable,", ",Sort of,", 1).encode("utf-8")
    app.file_uploader(key="import_file").upload(name, data, "text/csv").run()
    assert metrics(app)["Problems"] == "1"
    problems = table_with(app, "Problem")
    assert problems.iloc[0]["Problem"].startswith("unknown answer 'Sort of'")
    assert problems.iloc[0]["Row"] >= 2
    assert app.button(key="confirm_import").disabled
    app.checkbox(key="accept_problems").check().run()
    assert not app.button(key="confirm_import").disabled
    app.button(key="confirm_import").click().run()
    assert any("Imported 12 respondents" in s.value for s in app.success)


def test_bad_file_shows_a_clear_error(app):
    app.file_uploader(key="import_file").upload("broken.xlsx", b"this is not a workbook", XLSX).run()
    assert not app.exception
    assert "not an Excel workbook" in app.error[0].value


def test_undo_from_the_history(app, q):
    ans = exports.Answers.from_demo(q, respondents=8, seed=5)
    app.file_uploader(key="import_file").upload(*exports.surveymonkey(ans), XLSX).run()
    app.button(key="confirm_import").click().run()
    assert "8 completed responses" in app.caption[0].value
    app.button(key="undo_import").click().run()
    assert not app.exception
    history = table_with(app, "Respondents added")
    assert history.iloc[0]["Status"].startswith("undone")
    assert "0 completed responses" in app.caption[0].value
    assert any("Removed the 8 respondents of import 1" in s.value for s in app.success)


def test_a_column_mapped_by_hand_is_imported(app, q):
    ans = exports.Answers.from_demo(q, respondents=10, seed=6)
    name, data = exports.google_forms(ans)
    data = data.decode("utf-8").replace("Which business unit do you work in?", "Dept.", 1).encode("utf-8")
    app.file_uploader(key="import_file").upload(name, data, "text/csv").run()
    editor = app.data_editor[0]
    table = editor.value
    row = int(table.index[table["Column in the file"] == "Dept."][0])
    assert table.loc[row, "Maps to"] == "Ignored"
    app.session_state[editor.key] = {"edited_rows": {row: {"Maps to": "Profile: Which business unit do you "
                                                                      "work in?"}},
                                     "added_rows": [], "deleted_rows": []}
    app.run()
    table = app.data_editor[0].value
    assert table.loc[row, "Why"] == "set by hand"
    app.button(key="confirm_import").click().run()
    con = db.connect(db.resolve_path())          # the same database instance the app holds
    units = con.execute("SELECT count(*) FROM respondent_profile WHERE field = 'business_unit'").fetchone()
    assert units == (10,)


def test_the_page_says_what_named_the_platform(app, q):
    ans = exports.Answers.from_demo(q, respondents=8, seed=5)
    name, data = exports.surveymonkey(ans, fmt="csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    drop = rows[0].index("Collector ID")                   # a column users often delete
    out = io.StringIO()
    csv.writer(out).writerows([c for i, c in enumerate(r) if i != drop] for r in rows)
    data = out.getvalue().encode("utf-8")
    app.file_uploader(key="import_file").upload(name, data, "text/csv").run()
    assert not app.exception
    assert app.subheader[0].value == "SurveyMonkey: 8 rows"
    assert any(c.value.startswith("Recognised from a Respondent ID column; Start Date and End Date columns; "
                                  "a second header row of sub-items") for c in app.caption)


def test_the_encoding_is_shown_a_guess_is_a_warning_and_another_can_be_chosen(app, q):
    ans = exports.Answers.from_demo(q, respondents=6, seed=7)
    ans.rows[0]["comment.pain_point"] = "日本語のコメント：標準化が必要です"
    name, data = exports.google_forms(ans, encoding="shift_jis")
    app.file_uploader(key="import_file").upload(name, data, "text/csv").run()
    assert not app.exception
    assert any("guessed as cp932" in w.value and "Text encoding" in w.value for w in app.warning)
    assert any(c.value.startswith("Text encoding: cp932 (guessed)") for c in app.caption)
    app.selectbox(key="import_encoding").select("shift_jis").run()
    assert any(c.value.startswith("Text encoding: shift_jis (as chosen)") for c in app.caption)
    assert not any("guessed" in w.value for w in app.warning)
    assert metrics(app)["Problems"] == "0"


def test_undecodable_bytes_are_problems_on_the_page(app, q):
    ans = exports.Answers.from_demo(q, respondents=6, seed=8)
    ans.rows[2]["comment.pain_point"] = "Größere Änderungen: XX kaputt"
    name, data = exports.google_forms(ans)
    app.file_uploader(key="import_file").upload(name, data.replace(b"XX", b"\xff\xfe"), "text/csv").run()
    assert any(c.value.startswith("Text encoding: utf-8 (detected)") for c in app.caption)
    problems = table_with(app, "Problem")
    assert list(problems["Row"]) == [4] and "not utf-8 text" in problems.iloc[0]["Problem"]


@pytest.mark.parametrize("build, message", [
    (lambda: hostile.wide_csv(columns=5_000), "has 5,000 columns; the limit is 2,000"),
    (lambda: hostile.sparse_sheet(), "spans 140,400,000 cells"),
    (lambda: hostile.giant_cell_csv(megabytes=1), "line 2 holds a cell of more than 32,767 characters"),
    (lambda: hostile.renamed()["png named .csv"], "is not a CSV file: it is a PNG image"),
])
def test_hostile_uploads_are_refused_on_the_page(app, build, message):
    name, data = build()
    app.file_uploader(key="import_file").upload(name, data, "text/csv").run()
    assert not app.exception
    assert message in app.error[0].value


def test_the_limits_come_from_the_secrets(app):
    app.secrets["max_columns"] = 100
    app.file_uploader(key="import_file").upload(*hostile.wide_csv(columns=300), "text/csv").run()
    assert "has 300 columns; the limit is 100 (to change it:" in app.error[0].value


def test_a_formula_without_its_value_is_a_problem_on_the_page(app):
    name, data, header = hostile.formula_export(respondents=5, cell="H3")
    app.file_uploader(key="import_file").upload(name, data, XLSX).run()
    problems = table_with(app, "Problem")
    assert list(problems["Row"]) == [3] and list(problems["Column"]) == [header]
    assert "formula saved without its value" in problems.iloc[0]["Problem"]
