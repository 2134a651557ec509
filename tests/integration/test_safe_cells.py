"""Text written into the answer template and the command line's CSV, read back through a real DuckDB
file: every text cell quoted once, nothing a spreadsheet would run, the original text imported."""

import io

import pytest
from openpyxl import load_workbook

from pmostep import cli
from pmostep.initiation import platform_guide
from pmostep.initiation.imports import pipeline
from tests.safe_files import (
    LINK,
    assert_inert_csv,
    csv_cells,
    hostile_questionnaire,
)


def test_a_filled_in_template_imports_the_original_option_and_question(con):
    q = hostile_questionnaire()
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


def test_scores_as_csv_on_the_command_line_run_nothing(hostile_db, capsys):
    code = cli.main(["scores", "--assessment", "hostile", "--db", str(hostile_db), "--format", "csv"])
    out, _ = capsys.readouterr()
    assert code == 0
    rows = csv_cells(out)
    assert_inert_csv(rows)
    assert rows[1][rows[0].index("name")] == "'" + LINK
    assert float(rows[1][rows[0].index("gap")]) == pytest.approx(1.5)
