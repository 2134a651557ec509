"""`python -m pmostep report`: every deliverable written from a DuckDB file, under its default name or
--output, with the pages' filters, and one-line errors with exit status 1."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pptx
import pytest

from pmostep import cli
from pmostep.reports import deliverables
from tests.server import CHROMIUM

OPENS = {"xlsx": openpyxl.load_workbook, "pptx": pptx.Presentation, "docx-charter": docx.Document,
         "docx-plan": docx.Document}


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, demo_file) -> str:
    """A copy of the shared demo file: the command opens it for writing."""
    path = tmp_path_factory.mktemp("report") / "cli.duckdb"
    shutil.copy(demo_file, path)
    return str(path)


def need_chromium(key: str) -> None:
    if key == "pdf" and not Path(CHROMIUM).exists():
        pytest.skip(f"no browser at {CHROMIUM}: the PDF needs Debian's chromium")


@pytest.mark.parametrize("key", deliverables.KEYS)
def test_every_format_is_written_under_its_default_name_and_opens(demo_db, tmp_path, monkeypatch, capsys,
                                                                  key):
    need_chromium(key)
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "report", "--db", demo_db, "--assessment", "demo", "--format", key)
    name = deliverables.file_name(key, "demo", date.today())
    data = (tmp_path / name).read_bytes()
    assert (code, err) == (0, "")
    assert out == f"Wrote {name} ({max(1, round(len(data) / 1024))} KB)\n"
    if key in OPENS:
        assert zipfile.is_zipfile(io.BytesIO(data))
        OPENS[key](io.BytesIO(data))                 # its own library reads it back
        assert deliverables.outline(key, data)
    elif key == "pdf":
        assert data.startswith(b"%PDF-")
    else:
        assert data.lstrip().lower().startswith((b"<!doctype html", b"<html"))
        assert b"Harbourline Logistics" in data


def test_output_paper_raw_and_start(demo_db, tmp_path, capsys):
    wide, plain = tmp_path / "with-rows.xlsx", tmp_path / "plain.xlsx"
    assert run(capsys, "report", "--db", demo_db, "--assessment", "demo", "--format", "xlsx",
               "--output", str(plain))[0] == 0
    code, out, _ = run(capsys, "report", "--db", demo_db, "--assessment", "demo", "--format", "xlsx",
                       "--output", str(wide), "--raw")
    assert code == 0 and out.startswith(f"Wrote {wide} (")
    (extra,) = set(deliverables.outline("xlsx", wide.read_bytes())) - set(
        deliverables.outline("xlsx", plain.read_bytes()))
    assert openpyxl.load_workbook(wide, read_only=True)[extra].max_row >= 1 + 150   # one row per respondent

    plan = tmp_path / "plan.docx"
    assert run(capsys, "report", "--db", demo_db, "--assessment", "demo", "--format", "docx-plan",
               "--output", str(plan), "--start", "2031-03-03")[0] == 0
    text = "\n".join(p.text for p in docx.Document(plan).paragraphs) + "\n".join(
        cell.text for table in docx.Document(plan).tables for row in table.rows for cell in row.cells)
    assert "2031" in text


def test_letter_paper_is_letter_sized(demo_db, tmp_path, capsys):
    need_chromium("pdf")
    boxes = {}
    for paper in deliverables.PAPERS:
        out = tmp_path / f"{paper}.pdf"
        assert run(capsys, "report", "--db", demo_db, "--assessment", "demo", "--format", "pdf",
                   "--paper", paper, "--output", str(out))[0] == 0
        found = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", out.read_bytes())
        boxes[paper] = tuple(round(float(v)) for v in found.groups())
    assert boxes == {"A4": (595, 842), "Letter": (612, 792)}


def test_filters_as_one_option_or_repeated_give_the_same_report(demo_db, tmp_path, capsys):
    files = {}
    for name, argv in {"whole": [], "filters": ["--filters", "group=Project manager"],
                       "filter": ["--filter", "group=Project manager"]}.items():
        files[name] = tmp_path / f"{name}.html"
        assert run(capsys, "report", "--db", demo_db, "--assessment", "demo", "--format", "html",
                   "--output", str(files[name]), *argv)[0] == 0
    whole, filtered = files["whole"].read_text(), files["filters"].read_text()
    assert filtered == files["filter"].read_text() and filtered != whole
    assert "Project manager" in filtered


@pytest.mark.parametrize("argv, message", [
    (["--assessment", "missing", "--format", "xlsx"], "no assessment with slug 'missing'"),
    (["--assessment", "demo", "--format", "html", "--filters", "group=Executive or sponsor",
      "business_unit=Operations"], "error: These filters leave 2 published respondents, fewer than the 5"),
    (["--assessment", "demo", "--format", "pptx", "--filters", "group"], "write FIELD=VALUE"),
    (["--assessment", "demo", "--format", "pptx", "--output", "no/such/folder/x.pptx"],
     "cannot write no/such/folder/x.pptx: the folder no/such/folder does not exist"),
    (["--assessment", "demo", "--format", "html", "--raw"],
     "error: --raw adds the workbook's rows per respondent: it needs --format xlsx, not html"),
    (["--assessment", "demo", "--format", "docx-plan", "--paper", "Letter"],
     "error: --paper is the PDF's page size: it needs --format pdf, not docx-plan"),
    (["--assessment", "demo", "--format", "xlsx", "--start", "3/3/31"],
     "error: --start must be a date written YYYY-MM-DD, not '3/3/31'"),
    (["--assessment", "demo", "--format", "xlsx", "--start", "2031-02-30"],
     "error: --start must be a date written YYYY-MM-DD, not '2031-02-30'"),
])
def test_errors_are_one_line_with_exit_status_1(demo_db, tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "report", "--db", demo_db, *argv)
    assert code == 1 and out == ""
    assert err.startswith("error: ") and message in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []                  # nothing half-written


def test_an_output_that_cannot_be_written_is_one_line(demo_db, tmp_path, capsys):
    folder = tmp_path / "taken.xlsx"
    folder.mkdir()
    code, _, err = run(capsys, "report", "--db", demo_db, "--assessment", "demo", "--format", "xlsx",
                       "--output", str(folder))
    assert code == 1 and err.startswith(f"error: cannot write {folder}: ") and err.count("\n") == 1

