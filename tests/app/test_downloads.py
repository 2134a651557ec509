"""The download buttons of the pages (ui/downloads.py) give files whose text cells run nothing in a
spreadsheet and come back unchanged when uploaded again."""

import io

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from pmostep import services
from pmostep.core import questionnaire
from pmostep.products import catalogue
from pmostep.store import db
from tests.app.conftest import downloaded, open_page
from tests.safe_files import (
    HOSTILE,
    LINK,
    assert_inert_csv,
    assert_inert_workbook,
    csv_cells,
)


def _page(page: str) -> AppTest:
    at = open_page(page, assessment="hostile")
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


def test_a_catalogue_entry_named_like_a_formula_survives_download_and_upload(tmp_path, monkeypatch, media):
    path = tmp_path / "app.duckdb"
    monkeypatch.setenv(db.ENV_VAR, str(path))
    con = db.connect(path)
    services.load_demo(con, questionnaire.load())
    con.close()
    at = open_page("views/catalogue.py")
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
