"""What the safe-cells tests share: hostile texts, a questionnaire and an assessment written with them,
and the checks that a CSV or workbook PMOStep writes holds no cell a spreadsheet would run (a plugin of
tests/conftest.py, so tests/integration and tests/app share the `hostile_db` fixture)."""

import copy
import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pmostep.core import questionnaire, safe_cells
from pmostep.foundation import assessments
from pmostep.store import db, responses
from tests.conftest import METH, batch_from_rows, rating_rows

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


def hostile_questionnaire() -> questionnaire.Questionnaire:
    raw = copy.deepcopy(questionnaire.load().source)
    raw["version"] = 99
    raw["dimensions"][0]["name"] = LINK
    raw["profile"][0]["options"][2] = "-lean PMO"
    raw["comments"][0]["text"] = "@SUM(1) what hurts most?"
    return questionnaire.parse(raw, source="hostile.yaml")


def hostile_assessment(path: Path) -> None:
    """Six respondents of a questionnaire whose first dimension is a formula, who wrote formulas."""
    con = db.connect(path)
    q = hostile_questionnaire()
    a = assessments.create(con, "hostile", q, name="Hostile pilot")
    keys = {f"p{i}": True for i in range(6)}
    answers = [row for k in keys for row in rating_rows(k, METH, [2, 2, 3, 3], [4, 4, 4, 4])]
    comments = [(k, q.comments[0].id, text) for k, text in zip(keys, HOSTILE, strict=True)]
    responses.add(con, a, q, batch_from_rows(keys, answers, comments=comments))
    con.close()


@pytest.fixture
def hostile_db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "hostile.duckdb"
    monkeypatch.setenv(db.ENV_VAR, str(path))
    hostile_assessment(path)
    return path
