"""Hostile uploads are refused before their data is read, with the limit and how to change it; formula
cells saved without their value are reported, not imported as empty."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from pmostep import cli, services
from pmostep.initiation.imports import files, limits, pipeline
from tests import hostile
from tests.conftest import ROOT

SMALL = limits.Limits(max_bytes=8 * limits.MB, max_unpacked_bytes=16 * limits.MB, max_columns=50,
                      max_cells=100_000)


@pytest.mark.parametrize("build, message", [
    (lambda: hostile.sparse_sheet(last_column="AX"), "10,000,000 cells (rows 1 to 200,000, columns A to AX)"),
    (lambda: hostile.sparse_sheet(last_row=2, last_column="BZ"), "sheet has 78 columns; the limit is 50"),
    (lambda: hostile.bomb(unpacked_mb=20), "unpacks to more than 20 MB; the limit is 16 MB"),
    (lambda: hostile.shared_strings(count=50_000), "holds 50,000 shared texts for 1 cell(s)"),
    (lambda: hostile.nested_cell(depth=1_000_000), "holds a cell of more than 4 MB"),
    (lambda: hostile.giant_shared_string(megabytes=5), "holds a cell of more than 4 MB"),
    (lambda: hostile.wide_csv(columns=5_000), "has 5,000 columns; the limit is 50"),
    (lambda: hostile.ragged_csv(fields=60), "line 3 has 61 fields; the limit is 50 columns"),
    (lambda: hostile.tall_csv(megabytes=1), "up to 524,290 rows; the limit is 100,000 cells"),
    (lambda: hostile.giant_cell_csv(megabytes=1), "line 2 holds a cell of more than 32,767 characters"),
    (lambda: hostile.giant_line_csv(megabytes=1), "line 2 holds a cell of more than 32,767 characters"),
], ids=["sparse", "wide sheet", "bomb", "shared strings", "nested", "giant string", "wide csv", "ragged csv",
        "tall csv", "giant cell", "giant line"])
def test_hostile_files_are_refused_with_the_limit(build, message):
    name, data = build()
    with pytest.raises(files.ImportFileError) as refused:
        files.read(name, data, limits=SMALL)
    assert message in str(refused.value)
    if "limit is" in message:                          # says how to change the limit
        assert "(to change it: --max-" in str(refused.value)


def test_a_cell_longer_than_excel_allows_is_refused_by_row_and_column():
    data = b'ID,Comment\n1,ok\n2,"' + b"y" * 40_000 + b'"\n'
    with pytest.raises(files.ImportFileError, match="row 3, column 'Comment' holds 40,000 characters"):
        files.read("long.csv", data)


def test_a_field_over_the_csv_readers_own_limit_is_refused_by_line():
    data = b"ID,Comment\n1,ok,extra\n2," + b"x" * 131_074 + b"\n"     # over csv's 131,072
    with pytest.raises(files.ImportFileError, match="line 3 cannot be read"):
        files.read("long.csv", data)


@pytest.mark.parametrize("case, message", [
    ("xlsx named .csv", "is not a CSV file: it is a zip archive (an .xlsx workbook is one: name it .xlsx)"),
    ("csv named .xlsx", "is not an Excel workbook (.xlsx): it is text; if it is a CSV export, name it .csv"),
    ("png named .csv", "is not a CSV file: it is a PNG image"),
])
def test_a_file_that_is_not_what_its_extension_says(case, message):
    name, data = hostile.renamed()[case]
    with pytest.raises(files.ImportFileError) as refused:
        files.read(name, data)
    assert message in str(refused.value)


def test_deep_nesting_within_the_limit_is_read():
    table = files.read(*hostile.nested_cell(depth=100_000))
    assert table.head(2) == [["ID"], ["x"]]


def test_the_real_exports_pass_every_check():
    """Published exports of every platform are read as before (a check must not refuse a real file)."""
    folder = ROOT.parent / "shared" / "real-exports"
    if not folder.exists():
        pytest.skip("shared/real-exports is not here")
    shapes = {p.name: files.read(p.name, p.read_bytes()).rows.shape
              for p in sorted(folder.glob("*/*")) if p.suffix in (".csv", ".xlsx")}
    assert shapes["sm-raw-data.xlsx"] == (200, 100) and shapes["uva-hotdog-fa22-results.xlsx"] == (195, 3)
    assert shapes["lime-griditem-codes.csv"] == (66, 646)
    msforms = files.read("f.csv", (folder / "msforms" / "uva-hotdog-fa24-msforms.csv").read_bytes())
    assert msforms.encoding == "cp1252" and msforms.encoding_guessed


def test_limits_from_settings_and_environment(monkeypatch):
    for env in (limits.MAX_SIZE_ENV, limits.MAX_UNPACKED_ENV, limits.MAX_COLUMNS_ENV, limits.MAX_CELLS_ENV):
        monkeypatch.delenv(env, raising=False)
    assert limits.limits() == limits.Limits(50 * limits.MB, 400 * limits.MB, 2_000, 20_000_000)
    assert limits.limits(size_mb="10").max_unpacked_bytes == 80 * limits.MB   # 8x the upload limit
    monkeypatch.setenv(limits.MAX_COLUMNS_ENV, "300")
    monkeypatch.setenv(limits.MAX_UNPACKED_ENV, "100")
    assert limits.limits().max_columns == 300 and limits.limits().max_unpacked_bytes == 100 * limits.MB
    assert limits.limits(columns=20).max_columns == 20                       # a setting wins
    with pytest.raises(files.ImportFileError, match="the cell limit 'many' must be a whole number"):
        limits.limits(cells="many")
    with pytest.raises(files.ImportFileError, match="must be more than 0"):
        limits.limits(unpacked_mb="0")


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_options_and_environment_set_the_limits(tmp_path, capsys, monkeypatch):
    path = tmp_path / "wide.csv"
    path.write_bytes(hostile.wide_csv(columns=300)[1])
    db = tmp_path / "h.duckdb"
    code, _, err = run(capsys, "import", path, "--assessment", "h", "--db", db, "--max-columns", 100)
    assert code == 1 and "has 300 columns; the limit is 100 (to change it: --max-columns" in err
    assert "Traceback" not in err
    monkeypatch.setenv(limits.MAX_COLUMNS_ENV, "200")
    code, _, err = run(capsys, "import", path, "--assessment", "h", "--db", db)
    assert code == 1 and "the limit is 200" in err
    code, _, err = run(capsys, "import", path, "--assessment", "h", "--db", db, "--max-columns", 400,
                       "--max-cells", 500)
    assert code == 1 and "the limit is 500 cells" in err
    monkeypatch.delenv(limits.MAX_COLUMNS_ENV)
    sparse = tmp_path / "sparse.xlsx"
    sparse.write_bytes(hostile.sparse_sheet()[1])
    code, _, err = run(capsys, "import", sparse, "--assessment", "h", "--db", db)
    assert code == 1 and "140,400,000 cells" in err and "--max-cells" in err
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(hostile.bomb(unpacked_mb=12)[1])
    code, _, err = run(capsys, "import", bomb, "--assessment", "h", "--db", db, "--max-unpacked-mb", 10)
    assert code == 1 and "the limit is 10 MB" in err


def test_a_refused_file_stays_small_in_memory(tmp_path):
    """The sparse workbook took 4.4 GB and 79 s in the reader; refused, it costs next to nothing."""
    script = textwrap.dedent(f"""
        import resource, sys
        sys.path.insert(0, {str(ROOT)!r})
        from pmostep.initiation.imports import files
        from tests import hostile
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        try:
            files.read(*hostile.sparse_sheet())
        except files.ImportFileError:
            pass
        print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          check=True)
    assert int(done.stdout.strip()) < 100          # MB grown while refusing


# --- formula cells with no stored value ---------------------------------------------------------------

@pytest.fixture(scope="module")
def forms_with_formula():
    return hostile.formula_export(cell="H4")


def test_formula_without_a_value_is_a_problem_at_its_cell(con, q, forms_with_formula):
    name, data, header = forms_with_formula
    prepared = pipeline.prepare(con, q, name, data, None)
    assert [(p.row, p.column) for p in prepared.problems] == [(4, header)]
    assert "cell H4 is a formula saved without its value" in prepared.problems[0].message
    with pytest.raises(pipeline.ImportRefused):
        services.import_prepared(con, q, prepared, "f")


def test_formula_problem_in_the_cli_json(tmp_path, capsys, forms_with_formula):
    name, data, header = forms_with_formula
    path = tmp_path / name
    path.write_bytes(data)
    code, out, err = run(capsys, "import", path, "--assessment", "f", "--db", tmp_path / "f.duckdb",
                         "--format", "json")
    doc = json.loads(out)
    assert code == 1 and "nothing imported" in err
    assert doc["problems"][0]["row"] == 4 and doc["problems"][0]["column"] == header


def test_formula_in_a_sheet_without_column_a_is_named_by_its_letters():
    rows = ('<row r="1"><c r="B1" t="inlineStr"><is><t>ID</t></is></c></row>'
            '<row r="2"><c r="B2"><f>1+1</f></c></row>')
    table = files.read("shifted.xlsx", hostile.workbook(rows))
    assert [(c.row, c.column, c.index) for c in table.formula_cells] == [(2, "B", None)]


def test_cells_without_references_are_counted_as_the_reader_places_them():
    """Some writers leave out r="B7": cells then follow one another, and rows too."""
    row = "<row>" + '<c t="inlineStr"><is><t>x</t></is></c>' * 60 + "</row>"
    data = hostile.workbook(row * 3)
    with pytest.raises(files.ImportFileError, match="first sheet has 60 columns; the limit is 50"):
        files.read("plain.xlsx", data, limits=SMALL)
    assert files.read("plain.xlsx", data).rows.shape == (3, 60)


def test_a_sheet_written_with_a_namespace_prefix_is_checked_too():
    sheet = ('<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/'
             'main"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>ID</x:t></x:is></x:c>'
             '</x:row>'
             '<x:row r="2"><x:c r="BZ2"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>')
    data = hostile.workbook("", {"xl/worksheets/sheet1.xml": sheet})
    with pytest.raises(files.ImportFileError, match="first sheet has 78 columns; the limit is 50"):
        files.read("prefixed.xlsx", data, limits=SMALL)
