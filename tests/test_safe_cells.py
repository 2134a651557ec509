"""No CSV or workbook PMOStep writes holds a live formula, and its own workbooks read back unchanged."""

import copy
import csv
import io
import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

from pmostep import cli, services
from pmostep.core import questionnaire, safe_cells
from pmostep.foundation import assessments
from pmostep.initiation import platform_guide
from pmostep.initiation.imports import pipeline
from pmostep.products import catalogue
from pmostep.store import db, responses
from tests.conftest import METH, ROOT, batch_from_rows, rating_rows

LINK = '=HYPERLINK("http://127.0.0.1/x","click")'
HOSTILE = [LINK, "+cmd|' /C calc'!A0", "@SUM(1)", "-lean PMO", "\tTAB", "\rCR"]
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def inert(text: str) -> bool:
    """What a spreadsheet shows as text or a number, never runs."""
    return text[:1] not in safe_cells.TRIGGERS or bool(PLAIN_NUMBER.fullmatch(text))


def csv_cells(data: bytes | str) -> list[list[str]]:
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_inert_csv(rows: list[list[str]]) -> None:
    risky = [c for row in rows for c in row if not inert(c)]
    assert not risky, f"cells a spreadsheet would run: {risky}"


def assert_inert_workbook(content: bytes) -> None:
    book = load_workbook(io.BytesIO(content))          # formulas kept as formulas, not their values
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{sheet.title}!{c.coordinate} is a formula: {c.value!r}"
                assert not isinstance(c.value, str) or inert(c.value), f"{sheet.title}!{c.coordinate}"


# --- the rule ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", HOSTILE + ["=1+1", "-", "+", "-inf", "'=quoted already", "''-twice"])
def test_risky_text_gets_one_quote_and_comes_back_unchanged(text):
    written = safe_cells.cell(text)
    assert written == "'" + text
    assert safe_cells.restore(written) == text


@pytest.mark.parametrize("value", ["plain", "", "'plain", "It's -fine", "-3.5", "+2", "1e5", -3.5, -2, 0,
                                   None, True])
def test_numbers_and_harmless_text_are_left_alone(value):
    assert safe_cells.cell(value) == value
    assert safe_cells.restore(safe_cells.cell(value)) == value


def test_a_table_keeps_its_numbers_as_numbers():
    table = pd.DataFrame({"Dimension": [LINK, "Risk"], "Gap": [-1.25, 0.5]}).set_index("Dimension")
    rows = csv_cells(safe_cells.csv_text(table, index=True))
    assert rows == [["Dimension", "Gap"], ["'" + LINK, "-1.25"], ["Risk", "0.5"]]


def test_every_kind_of_column_keeps_its_values_and_quotes_only_risky_text():
    table = pd.DataFrame({
        "mixed": pd.Series([-2, "=1+1", None, "-lean PMO", 3.5], dtype=object),
        "numbers as objects": pd.Series([-1, 2, None, 4, 5], dtype=object),
        "flags": [True, False, True, False, True],
        "category": pd.Categorical(["@a", "b", "@a", "b", "b"]),
        "when": pd.to_datetime(["2026-01-05"] * 5),
    })
    rows = csv_cells(safe_cells.csv_bytes(table))
    assert [r[0] for r in rows[1:]] == ["-2", "'=1+1", "", "'-lean PMO", "3.5"]
    assert [r[1] for r in rows[1:]] == ["-1", "2", "", "4", "5"]
    assert [r[2] for r in rows[1:]] == ["True", "False", "True", "False", "True"]
    assert [r[3] for r in rows[1:]] == ["'@a", "b", "'@a", "b", "b"]
    assert rows[1][4] == "2026-01-05"
    assert table["mixed"].tolist()[1] == "=1+1", "the table shown on the page is left as it is"


def test_a_carriage_return_inside_a_cell_does_not_start_a_row():
    table = pd.DataFrame({"Comment": ["first\rsecond", "\rleading"], "n": [1, 2]})
    assert csv_cells(safe_cells.csv_bytes(table)) == [["Comment", "n"], ["first\rsecond", "1"],
                                                      ["'\rleading", "2"]]


# --- the catalogue workbook --------------------------------------------------------------------------------

def _hostile_catalogue() -> catalogue.Catalogue:
    shipped = catalogue.load()
    records = shipped.to_records()
    records[0].update(name=LINK, description="@SUM(1) then more", deliverables=["+cmd|' /C calc'!A0", "ok"])
    records[1].update(name="-lean PMO")
    records[2].update(name="'=already quoted by its author")
    return catalogue.Catalogue.from_records(records, _dimension_ids(), title="=Custom", version=3)


def _dimension_ids() -> list[str]:
    return [d.id for d in questionnaire.load().dimensions]


def test_the_catalogue_workbook_holds_text_not_formulas():
    content = catalogue.template_xlsx(_hostile_catalogue())
    assert_inert_workbook(content)
    sheet = load_workbook(io.BytesIO(content))[catalogue.SHEET]
    header = [c.value for c in sheet[1]]
    first, second = ({h: c.value for h, c in zip(header, row, strict=True)} for row in sheet.iter_rows(2, 3))
    assert first["name"] == "'" + LINK
    assert first["description"] == "'@SUM(1) then more"
    assert first["deliverables"] == "'+cmd|' /C calc'!A0; ok"
    assert second["name"] == "'-lean PMO"
    assert isinstance(first["effort"], int | float) and isinstance(first["maturity_min"], int)


def test_the_catalogue_workbook_uploaded_again_keeps_every_text():
    original = _hostile_catalogue()
    again = catalogue.from_xlsx(catalogue.template_xlsx(original), _dimension_ids())
    assert [e.name for e in again.entries[:3]] == [LINK, "-lean PMO", "'=already quoted by its author"]
    assert again.entries == original.entries


# --- the Excel answer template -----------------------------------------------------------------------------

def _hostile_questionnaire() -> questionnaire.Questionnaire:
    raw = copy.deepcopy(questionnaire.load().source)
    raw["version"] = 99
    raw["dimensions"][0]["name"] = LINK
    raw["profile"][0]["options"][2] = "-lean PMO"
    raw["comments"][0]["text"] = "@SUM(1) what hurts most?"
    return questionnaire.parse(raw, source="hostile.yaml")


def test_the_answer_template_holds_text_not_formulas():
    q = _hostile_questionnaire()
    content = platform_guide.template_xlsx(q)
    assert_inert_workbook(content)
    book = load_workbook(io.BytesIO(content))
    headers = [c.value for c in book["Responses"][1]]
    assert "'@SUM(1) what hurts most?" in headers
    assert "'-lean PMO" in [c.value for c in book["Lists"]["C"]]
    assert book["Responses"].data_validations.dataValidation[0].formula1.startswith("=Lists!")


def test_a_filled_in_template_imports_the_original_option_and_question(con):
    q = _hostile_questionnaire()
    book = load_workbook(io.BytesIO(platform_guide.template_xlsx(q)))
    sheet = book["Responses"]
    headers = [c.value for c in sheet[1]]
    picked = next(c.value for c in book["Lists"]["C"] if c.value == "'-lean PMO")   # the drop-down's value
    row = {"Respondent": "R1", headers[1]: picked, headers[-2]: "Too many status reports"}
    title = f"{platform_guide.CURRENT_TITLE} [{q.statements[0].text}]"
    first = platform_guide.template_headers(q).index(title)
    row[headers[first]] = platform_guide.answer_labels(q)[2]
    for column, value in enumerate(headers, start=1):
        sheet.cell(row=2, column=column, value=row.get(value))
    buffer = io.BytesIO()
    book.save(buffer)
    planned = pipeline.prepare(con, q, "pmostep-answers.xlsx", buffer.getvalue(), None)
    assert planned.platform == "pmostep_template" and planned.fatal is None, planned.fatal
    assert not planned.columns_ignored
    profile = planned.batch.profile
    assert profile.loc[profile["field"] == "group", "value"].tolist() == ["-lean PMO"]
    assert planned.batch.comments["text"].tolist() == ["Too many status reports"]


# --- CSV downloads and the command line ---------------------------------------------------------------------

def _hostile_assessment(path: Path) -> None:
    """Six respondents of a questionnaire whose first dimension is a formula, who wrote formulas."""
    con = db.connect(path)
    q = _hostile_questionnaire()
    a = assessments.create(con, "hostile", q, name="Hostile pilot")
    keys = {f"p{i}": True for i in range(6)}
    answers = [row for k in keys for row in rating_rows(k, METH, [2, 2, 3, 3], [4, 4, 4, 4])]
    comments = [(k, q.comments[0].id, text) for k, text in zip(keys, HOSTILE, strict=True)]
    responses.add(con, a.id, q, batch_from_rows(keys, answers, comments=comments))
    con.close()


@pytest.fixture
def hostile_db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "hostile.duckdb"
    monkeypatch.setenv(db.ENV_VAR, str(path))
    _hostile_assessment(path)
    return path


@pytest.fixture
def media(monkeypatch) -> list[MediaFileManager]:
    """The media managers AppTest keeps download files in.

    AppTest drops its media manager after every run and has no public way to read a download's bytes;
    keeping a reference to each real manager it creates is the narrowest way in.
    """
    managers = []

    class Kept(MediaFileManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            managers.append(self)

    monkeypatch.setattr(app_test_module, "MediaFileManager", Kept)
    return managers


def downloaded(at: AppTest, managers: list[MediaFileManager], label: str) -> bytes:
    """The file a download button gives, as the browser would fetch it (deferred ones generated)."""
    button = next(b for b in at.get("download_button") if b.label == label)
    manager = managers[-1]
    deferred = button.proto.deferred_file_id
    url = manager.execute_deferred(deferred) if deferred else button.proto.url
    return manager.read_file(url.rsplit("/", 1)[1].split(".")[0]).content


def _page(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["assessment"] = "hostile"
    at.run()
    at.switch_page(page).run()
    at.run()
    assert not at.exception
    return at


def test_the_comments_download_keeps_the_text_and_runs_nothing(hostile_db, media):
    at = _page("views/comments.py")
    rows = csv_cells(downloaded(at, media, "Download these comments (CSV)"))
    assert_inert_csv(rows)
    assert rows[0] == ["Question", "Stakeholder group", "Comment"]
    assert sorted(r[2] for r in rows[1:]) == sorted("'" + text for text in HOSTILE)
    assert {r[0] for r in rows[1:]} == {"'@SUM(1) what hurts most?"}


def test_the_overview_figures_download_quotes_the_dimension_and_keeps_numbers(hostile_db, media):
    at = _page("views/overview.py")
    rows = csv_cells(downloaded(at, media, "Download these figures (CSV)"))
    assert_inert_csv(rows)
    methodology = next(r for r in rows if r[0] == "'" + LINK)
    gap = methodology[rows[0].index("Gap")]
    assert float(gap) == pytest.approx(1.5)


def test_every_csv_download_of_the_pages_goes_through_the_one_helper():
    pages = sorted((ROOT / "views").glob("*.py"))
    assert len(pages) > 10
    for page in pages:
        source = page.read_text(encoding="utf-8")
        assert ".to_csv(" not in source, page.name
        for call in re.findall(r"download_button\((.*?)\)\n", source, re.S):
            assert "text/csv" not in call, page.name


def test_scores_as_csv_on_the_command_line_run_nothing(hostile_db, capsys):
    code = cli.main(["scores", "--assessment", "hostile", "--db", str(hostile_db), "--format", "csv"])
    out, _ = capsys.readouterr()
    assert code == 0
    rows = csv_cells(out)
    assert_inert_csv(rows)
    assert rows[1][rows[0].index("name")] == "'" + LINK
    assert float(rows[1][rows[0].index("gap")]) == pytest.approx(1.5)


def test_a_catalogue_entry_named_like_a_formula_survives_download_and_upload(tmp_path, monkeypatch, media):
    path = tmp_path / "app.duckdb"
    monkeypatch.setenv(db.ENV_VAR, str(path))
    con = db.connect(path)
    services.load_demo(con, questionnaire.load())
    con.close()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("views/catalogue.py").run()
    at.run()
    inputs = {t.label: t for t in at.text_input}
    inputs["Short id"].set_value("lean_pmo")
    inputs["Name"].set_value("-lean PMO")
    next(t for t in at.text_area if t.label == "Description").set_value(LINK)
    next(t for t in at.text_area if t.label.startswith("Deliverables")).set_value("@SUM(1)")
    next(m for m in at.multiselect if m.label == "Improves strongly").set_value(["risk"])
    next(m for m in at.multiselect if m.label.startswith("PMO functions")).set_value(["learning"])
    next(b for b in at.button if b.label == "Add the entry").click().run()
    assert [s.value for s in at.success] == ["Added '-lean PMO' to this assessment's catalogue."], (
        [e.value for e in at.error])

    workbook = downloaded(at, media, "Download as Excel (template)")
    assert_inert_workbook(workbook)
    sheet = load_workbook(io.BytesIO(workbook))[catalogue.SHEET]
    row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "lean_pmo")
    header = [c.value for c in sheet[1]]
    cells = dict(zip(header, row, strict=True))
    assert (cells["name"], cells["description"], cells["deliverables"]) == (
        "'-lean PMO", "'" + LINK, "'@SUM(1)")

    next(b for b in at.button if b.label == "Go back to the standard catalogue").click().run()
    names = next(d.value for d in at.dataframe if "Improves" in d.value.columns)["Entry"]
    assert "-lean PMO" not in set(names)
    at.file_uploader(key="catalogue_upload").set_value(("catalogue.xlsx", workbook, "application/zip")).run()
    assert not at.error, [e.value for e in at.error]
    next(b for b in at.button if b.label == "Use this catalogue for this assessment").click().run()
    table = next(d.value for d in at.dataframe if "Improves" in d.value.columns)
    entry = table[table["Entry"] == "-lean PMO"]
    assert entry["Description"].tolist() == [LINK]


def test_tables_offer_no_csv_export_of_their_own():
    """st.dataframe's toolbar writes its CSV in the browser, past safe_cells: the app turns it off."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True
