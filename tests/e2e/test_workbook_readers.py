"""The workbook in a real spreadsheet: LibreOffice opens and prints it (page 1 rendered to look at), and a
comment written as a formula shows as its text in LibreOffice, in the workbook and in the CSV
downloads, where the same text written without safe_cells is run (the controls)."""

import csv
import dataclasses
import io
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from PIL import Image

from pmostep.core import safe_cells
from pmostep.reports import workbook
from tests import readers
from tests.conftest import FORMULA_REMARK, gathered

pytestmark = pytest.mark.e2e

# LibreOffice's CSV export, UTF-8, every sheet into <name>-<sheet>.csv (the last field, -1).
EVERY_SHEET = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def sheets_as_csv(path: Path) -> dict[str, list[list[str]]]:
    """Every sheet of the workbook as LibreOffice exports it: the values it shows, formulas run."""
    readers.need("soffice")
    profile = path.parent / f".lo-profile-{path.stem}-csv"
    result = subprocess.run(
        [readers.SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         EVERY_SHEET, "--outdir", str(path.parent), str(path)], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result
    found = {p.stem.removeprefix(path.stem + "-"): list(csv.reader(io.StringIO(p.read_text("utf-8"))))
             for p in path.parent.glob(f"{path.stem}-*.csv")}
    assert found, f"LibreOffice wrote no CSV: {result}"
    return found


def shown(rows: list[list[str]]) -> list[str]:
    return [cell for row in rows for cell in row]


@pytest.fixture(scope="module")
def demo(demo_content):
    return demo_content


@pytest.fixture(scope="module")
def small_workbook(tmp_path_factory, small_file) -> Path:
    path = tmp_path_factory.mktemp("small") / "small.xlsx"
    path.write_bytes(workbook.build(gathered(small_file, "small", raw=True)))
    return path


def test_libreoffice_prints_the_demo_workbook_and_page_one_is_the_cover(demo, tmp_path):
    path = tmp_path / "demo.xlsx"
    path.write_bytes(workbook.build(demo))
    pdf = readers.convert(path)
    assert readers.pdf_pages(pdf) >= len(workbook.SHEETS) + 1      # every sheet, How computed included
    text = readers.pdf_text(pdf)
    for title in ("Dimensions: current and desired maturity", "Roadmap by wave", "How computed",
                  "Current and desired maturity by dimension", "PMO effort and capacity per wave"):
        assert title in text
    cover = readers.pdf_text(pdf).split("\f")[0]
    assert demo.assessment.organisation in cover and f"{demo.whole.overall['current']:.2f}" in cover
    assert "level 2 of 5: Repeatable" in cover
    png = readers.first_page_png(pdf, dpi=80)
    image = Image.open(png).convert("L")
    assert image.getextrema()[0] < 100                   # ink on the page, not a blank one
    pages = text.split("\f")
    for name, heading in (("dimensions", "Dimensions: current and desired"), ("roadmap", "Roadmap by wave")):
        number = next(i for i, page in enumerate(pages, start=1) if heading in page)
        subprocess.run(["pdftoppm", "-png", "-r", "90", "-f", str(number), "-l", str(number), "-singlefile",
                        str(pdf), str(tmp_path / name)], check=True, timeout=60)


def test_libreoffice_reads_every_raw_row_as_openpyxl_does_and_runs_no_group(demo_file, tmp_path):
    """The Respondents sheet, written after openpyxl's save (reports/xlsx_rows.py), converted by
    LibreOffice: printed, and every cell it shows equal to what openpyxl reads, hostile groups as text."""
    c = gathered(demo_file, "demo", raw=True)
    raw = c.raw.copy()
    hostile = [FORMULA_REMARK, "@SUM(1)", "-lean PMO", "+1-2", "<b>Tom & Jerry</b>", "  spaced  "]
    raw.loc[raw.index[:len(hostile)], "Stakeholder group"] = hostile
    path = tmp_path / "raw.xlsx"
    path.write_bytes(workbook.build(dataclasses.replace(c, raw=raw)))
    assert "Respondents: one row each" in readers.pdf_text(readers.convert(path))
    sheet = openpyxl.load_workbook(path)["Respondents"]
    expected = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    shown_rows = sheets_as_csv(path)["Respondents"]
    assert len(shown_rows) == 4 + 150 and shown_rows == expected
    assert [row[1] for row in shown_rows[4:4 + len(hostile)]] == [safe_cells.cell(t) for t in hostile]


def test_a_formula_comment_shows_as_its_text_in_libreoffice(small_workbook):
    sheets = sheets_as_csv(small_workbook)
    assert {"Cover", "Comments", "How computed"} <= set(sheets)
    comments = shown(sheets["Comments"])
    assert "'" + FORMULA_REMARK in comments and "y" not in comments
    everything = [cell for rows in sheets.values() for cell in shown(rows)]
    assert "y" not in everything


def test_the_same_comment_written_as_a_formula_is_run_by_libreoffice(tmp_path):
    """The control: what the test above would see if the workbook were saved without safe_cells."""
    book = openpyxl.Workbook()
    book.active.title = "Comments"
    book.active.append(["Comment"])
    book.active.append([FORMULA_REMARK])
    book.save(tmp_path / "unsafe.xlsx")
    assert shown(sheets_as_csv(tmp_path / "unsafe.xlsx")["Comments"]) == ["Comment", "y"]


def test_a_csv_download_shows_a_formula_as_its_text_in_libreoffice(tmp_path):
    table = pd.DataFrame({"Comment": [FORMULA_REMARK, "Status reports take a day a week."]})
    (tmp_path / "safe.csv").write_bytes(safe_cells.csv_bytes(table))
    (tmp_path / "unsafe.csv").write_bytes(table.to_csv(index=False).encode("utf-8"))
    safe = readers.pdf_text(readers.convert(tmp_path / "safe.csv"))
    unsafe = readers.pdf_text(readers.convert(tmp_path / "unsafe.csv"))
    assert "HYPERLINK(" in safe and "HYPERLINK(" not in unsafe        # the control: run, showing "y"
    assert "y" in unsafe.split() and "y" not in safe.split()
    opened = openpyxl.load_workbook(readers.convert(tmp_path / "safe.csv", "xlsx")).active
    cell = opened["A2"]
    assert cell.data_type == "s" and cell.value == "'" + FORMULA_REMARK
