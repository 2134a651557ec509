"""The import limits and formula cells through the command line and a real DuckDB file: refused with the
limit and how to change it, reported at their cell, nothing stored."""

from __future__ import annotations

import json

import pytest

from pmostep import cli, services
from pmostep.initiation.imports import limits, pipeline
from tests import hostile


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
