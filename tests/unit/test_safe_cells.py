"""No CSV or workbook PMOStep writes holds a live formula, and its own workbooks read back unchanged."""

import io
import re
import tomllib

import pandas as pd
import pytest
from openpyxl import load_workbook

from pmostep.core import questionnaire, safe_cells
from pmostep.initiation import platform_guide
from pmostep.products import catalogue
from tests.conftest import ROOT
from tests.safe_files import (
    HOSTILE,
    LINK,
    assert_inert_workbook,
    csv_cells,
    hostile_questionnaire,
)

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


@pytest.mark.parametrize("text, written", [("a\x0bb", "ab"), ("\x00=1+1", "'=1+1"), ("a\x1f\x0cb\x08", "ab"),
                                           ("tab\tline\nreturn\r", "tab\tline\nreturn\r")])
def test_control_characters_are_taken_out_and_tab_line_feed_and_return_kept(text, written):
    assert safe_cells.cell(text) == written


def test_a_csv_holds_no_control_character_in_any_kind_of_column():
    table = pd.DataFrame({"Comment": ["a\x0bb", "plain", None],
                          "mixed": pd.Series(["\x00=1+1", 2, "c\x1fd"], dtype=object),
                          "category": pd.Categorical(["e\x0bf", "ef", "g"])})
    rows = csv_cells(safe_cells.csv_bytes(table))
    assert rows[1:] == [["ab", "'=1+1", "ef"], ["plain", "2", "ef"], ["", "cd", "g"]]


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


def test_the_catalogue_workbook_of_an_entry_with_control_characters_opens():
    records = catalogue.load().to_records()
    records[0].update(name="Status\x0breport", description="a\x00b", deliverables=["c\x1fd", "e"])
    sheet = load_workbook(io.BytesIO(catalogue.template_xlsx(
        catalogue.Catalogue.from_records(records, _dimension_ids()))))[catalogue.SHEET]
    header = [c.value for c in sheet[1]]
    first = {h: c.value for h, c in zip(header, sheet[2], strict=True)}
    assert (first["name"], first["description"], first["deliverables"]) == ("Statusreport", "ab", "cd; e")


# --- the Excel answer template -----------------------------------------------------------------------------

def test_the_answer_template_holds_text_not_formulas():
    q = hostile_questionnaire()
    content = platform_guide.template_xlsx(q)
    assert_inert_workbook(content)
    book = load_workbook(io.BytesIO(content))
    headers = [c.value for c in book["Responses"][1]]
    assert "'@SUM(1) what hurts most?" in headers
    assert "'-lean PMO" in [c.value for c in book["Lists"]["C"]]
    assert book["Responses"].data_validations.dataValidation[0].formula1.startswith("=Lists!")


# --- the pages' CSV exports ---------------------------------------------------------------------------------

def test_every_csv_download_of_the_pages_goes_through_the_one_helper():
    pages = sorted((ROOT / "views").glob("*.py"))
    assert len(pages) > 10
    for page in pages:
        source = page.read_text(encoding="utf-8")
        assert ".to_csv(" not in source, page.name
        for call in re.findall(r"download_button\((.*?)\)\n", source, re.S):
            assert "text/csv" not in call, page.name


def test_tables_offer_no_csv_export_of_their_own():
    """st.dataframe's toolbar writes its CSV in the browser, past safe_cells: the app turns it off."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True
