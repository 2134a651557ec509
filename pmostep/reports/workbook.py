"""The Excel workbook a PMO lead hands over: every figure of the assessment on a sheet of its own, with
native charts that stay editable, from the same `Content` the other deliverables read.

Each sheet is a title, a few notes and named tables; the layout rules (styled headers, number formats,
widths that fit, wrapped long text, frozen panes, filters) live here once, so that every sheet reads the
same way. Text is written without the control characters a cell cannot hold (`_value`) and made safe
on saving (`safe_cells.xlsx_bytes`): a comment such as =HYPERLINK(...) shows as text in Excel and
LibreOffice. The rows of the Respondents sheet, up to two million cells, are written after the save
by `xlsx_rows`, in the styles these rules give them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pmostep.core import safe_cells
from pmostep.foundation.assessments import PMO_SCOPE_LABELS
from pmostep.reports import content, xlsx_rows
from pmostep.reports.content import Content

TITLE, NOTE, HEADER, HEADING, FACT = ("PMOStep title", "PMOStep note", "PMOStep header", "PMOStep heading",
                                      "PMOStep fact")
FONT = "Calibri"            # LibreOffice uses the metric-compatible Carlito where it is installed
HEADER_FILL = "1F4E79"
MAX_WIDTH = 60              # characters; longer text wraps
HEADER_WIDTH = 14           # a header longer than this wraps rather than widen a column of numbers
NOTE_WIDTH = 76             # the column of paragraphs (How computed): one portrait page wide
LINE_HEIGHT = 15            # points per wrapped line
LETTERS_PER_UNIT = 1.25     # letters of text per unit of column width
DEFAULT_WIDTH = 8.43        # a spreadsheet's default column width
SCORE_FORMAT, RATE_FORMAT, COUNT_FORMAT, DATE_FORMAT = "0.00", "0%", "0", "d mmm yyyy"
# Columns whose figures are not two-decimal scores (rounded as the pages round them).
FORMATS = {"Benefit": "0.000", "Ease": "0.000", "Score": "0.0", "Horizon factor": "0.0",
           "Effort (pw)": "0.0", "Person-weeks": "0.0", "Capacity (pw)": "0.0", "Response rate": RATE_FORMAT,
           "Invited": COUNT_FORMAT, "Round": COUNT_FORMAT, "Answered": COUNT_FORMAT}   # counts, blanks or not
CHART_GAP = 2               # empty columns between a table and the chart beside it
FACT_SPAN = 5               # Foundation: a fact's text spans the columns B to F

SHEETS = ("Cover", "Foundation", "Dimensions", "Statements", "Stakeholder groups", "Agreement topics",
          "Comments", "Recommendations", "Roadmap", "Not placed", "Workshop rounds")
RAW_SHEET, HOW_SHEET = "Respondents", "How computed"
GUIDE = (
    ("Foundation", "the assessment's facts and who was invited; response rates of groups too small to "
                   "show are withheld."),
    ("Dimensions", "current and desired maturity (1-5) per dimension, the gap with its 95 % interval "
                   "(a gap whose interval stays above zero is real), and its priority (gap x importance)."),
    ("Statements", "the same figures per statement of the questionnaire."),
    ("Stakeholder groups", "each group large enough to be shown, on its own."),
    ("Agreement topics", "the statements people rate very differently: topics to discuss."),
    ("Comments", "what respondents wrote, by question and group; small groups are pooled."),
    ("Recommendations", "the catalogue ranked for this assessment, each entry with its reason."),
    ("Roadmap", "the accepted entries in waves: dates, effort, change load, projected maturity, roles."),
    ("Not placed", "accepted entries the roadmap could not hold, and why."),
    ("Workshop rounds", "the results of every workshop round."),
    (HOW_SHEET, "how every figure is computed."),
)


def build(c: Content) -> bytes:
    """The workbook as xlsx bytes; the Respondents sheet only when `c.raw` holds the raw rows."""
    wb = Workbook()
    _styles(wb)
    wb.remove(wb.active)
    for name, write in zip(SHEETS, (_cover, _foundation, _dimensions, _statements, _groups, _agreement,
                                    _comments, _recommendations, _roadmap, _not_placed, _workshops),
                           strict=True):
        write(wb.create_sheet(name), c)
    body = _respondents(wb.create_sheet(RAW_SHEET), c) if c.raw is not None else None
    _how_computed(wb.create_sheet(HOW_SHEET))
    saved = safe_cells.xlsx_bytes(wb)
    return saved if body is None else xlsx_rows.splice(saved, RAW_SHEET, body)


# --- sheets --------------------------------------------------------------------------------------------


def _cover(ws: Worksheet, c: Content) -> None:
    a, q, overall = c.assessment, c.questionnaire, c.whole.overall
    ws.sheet_view.showGridLines = False
    _title(ws, 1, a.name)
    rate = content.response_rate(c)
    facts = [
        ("Organisation", a.organisation or "not set"),
        ("Assessment", a.name),
        ("Questionnaire", f"{q.title}, version {q.version}"),
        ("Survey dates", _period(a.start_date, a.end_date)),
        ("Generated", c.generated),
        ("Respondents", c.report.respondents),
        ("Response rate", rate if rate is not None else content.response_rate_words(c)),
        ("Maturity index (1-5)", overall["current"]),
        ("Maturity level", f"level {overall['level']} of 5: {overall['level_name']}"),
        ("Desired maturity (1-5)", overall["desired"]),
        ("Overall gap", overall["gap"]),
    ]
    if c.filters:
        facts.append(("Filters", content.filters_line(c)))
    row = _facts(ws, 3, facts)
    ws.cell(row + 1, 1, "How to read it").style = HEADING
    row += 2
    for sheet, text in GUIDE:
        _label(ws.cell(row, 1, sheet))
        ws.cell(row, 2, text).alignment = Alignment(vertical="top")
        row += 1
    ws.cell(row + 1, 1, "Scores run from 1 (Ad hoc) to 5 (Optimised). Groups smaller than "
                        f"{c.min_group_size} respondents are never shown on their own.").style = NOTE
    _fit(ws, portrait=True)
    ws.page_setup.fitToHeight = 1                      # the cover is one page


def _foundation(ws: Worksheet, c: Content) -> None:
    a = c.assessment
    _title(ws, 1, "Foundation")
    kind = content.pmo_type(c)
    # The facts' texts span the table's columns, so that they do not widen its columns of numbers.
    row = _facts(ws, 3, [
        ("Assessment", a.name), ("Organisation", a.organisation or "not set"),
        ("PMO scope", PMO_SCOPE_LABELS[a.pmo_scope]), ("Sponsor", a.sponsor_name or "not set"),
        ("Sponsor's role", a.sponsor_role or "not set"), ("Customers", a.customers or "not set"),
        ("PMO type", f"{kind[0]} – {kind[1]}" if kind else "not chosen"), ("Mission", a.mission or "not set"),
        ("Survey dates", _period(a.start_date, a.end_date)), ("Minimum group size", a.min_group_size),
    ], span=FACT_SPAN)
    ws.cell(row + 1, 1, "Stakeholder groups").style = HEADING
    rates = content.rate_table(c)
    if rates.empty:
        _note(ws, row + 2, "The Foundation lists no stakeholder groups.")
    else:
        header, last = _table(ws, row + 2, rates)
        _filter(ws, header, last, len(rates.columns))
        if content.rates_note(c):
            _note(ws, last + 2, content.rates_note(c))
    _fit(ws)


def _dimensions(ws: Worksheet, c: Content) -> None:
    _title(ws, 1, "Dimensions: current and desired maturity")
    table = content.dimensions(c)
    header, last = _table(ws, 3, table)
    _freeze(ws, header, columns=1)
    _filter(ws, header, last, len(table.columns))
    current, desired = (table.columns.get_loc(n) + 1 for n in ("Current", "Desired"))
    chart = _bar_chart("Current and desired maturity by dimension", "Dimension", "Maturity (1-5)",
                       horizontal=True)
    chart.add_data(Reference(ws, min_col=current, max_col=desired, min_row=header, max_row=last),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=header + 1, max_row=last))
    chart.y_axis.scaling.min, chart.y_axis.scaling.max, chart.y_axis.majorUnit = 1, 5, 1
    chart.y_axis.number_format = "0"                    # whole levels, not the table's 0.00
    chart.x_axis.scaling.orientation = "maxMin"       # the table's order, top to bottom
    chart.x_axis.tickLblSkip = 1                        # every dimension named
    chart.height, chart.width = max(10.0, 1.2 * len(table)), 22.0
    ws.add_chart(chart, _beside(len(table.columns), header))
    _fit(ws)


def _statements(ws: Worksheet, c: Content) -> None:
    _title(ws, 1, "Statements")
    _single_table(ws, content.statements(c), "No statement has scores.")


def _groups(ws: Worksheet, c: Content) -> None:
    _title(ws, 1, "Stakeholder groups")
    row = 3
    sentence = content.suppressed_sentence(c)
    if sentence:
        _note(ws, row, sentence)
        row += 2
    blocks = content.group_tables(c)
    if not blocks:
        _note(ws, row, "No stakeholder group is large enough to be shown on its own.")
    for group, n, table in blocks:
        ws.cell(row, 1, _value(f"{group} ({n} respondents)")).style = HEADING
        _, last = _table(ws, row + 1, table)
        row = last + 2
    _freeze(ws, 2)
    _fit(ws)


def _agreement(ws: Worksheet, c: Content) -> None:
    _title(ws, 1, "Agreement topics: where people disagree")
    _single_table(ws, content.disagreements(c),
                  "No statement is flagged: people broadly agree on every statement.")


def _comments(ws: Worksheet, c: Content) -> None:
    _title(ws, 1, "Comments")
    table = c.comments.rename(columns={"question": "Question", "group": "Stakeholder group",
                                       "text": "Comment"})
    _single_table(ws, table, "Nobody wrote a comment.")


def _planned_table(ws: Worksheet, c: Content, title: str, table: Callable[[Content], pd.DataFrame],
                   empty: str) -> None:
    """A sheet of one planning table (`table` of the content), or why there is no plan yet."""
    _title(ws, 1, title)
    if c.plan is None:
        _note(ws, 3, _no_plan(c))
        _fit(ws)
    else:
        _single_table(ws, table(c), empty)


def _recommendations(ws: Worksheet, c: Content) -> None:
    _planned_table(ws, c, "Recommendations", content.recommendations,
                   "The catalogue holds no entry to recommend.")


def _roadmap(ws: Worksheet, c: Content) -> None:
    _title(ws, 1, "Roadmap by wave")
    if c.plan is None:
        _note(ws, 3, _no_plan(c))
        _fit(ws)
        return
    if not content.placed(c):
        _note(ws, 3, content.no_roadmap(c))
        _note(ws, 4, content.decide_first(c))
        _fit(ws)
        return
    s = c.plan.settings
    _note(ws, 2, f"{s.waves} waves of {s.wave_weeks} weeks; per wave {s.capacity:g} PMO person-weeks and a "
                 f"change budget of {s.change_budget} ({c.plan.budget_reason}).")
    header, effort = _wave_summary(ws, 4, c)
    _freeze(ws, 2)
    # Names first in every block, so that column A holds the text and the figures' columns stay narrow.
    blocks = [("Entries by wave", _first(content.waves(c), "Entry")),
              ("Projected maturity by wave", content.projection(c)),
              ("Roles and FTE by wave", _first(content.staffing(c), "Role"))]
    last_wave = len(c.plan.roadmap.waves) + 1          # the summary's last column
    row, widest = header + len(WAVE_ROWS) + 2, last_wave
    for i, (heading, table) in enumerate(blocks):
        ws.cell(row, 1, heading).style = HEADING
        first, end = _table(ws, row + 1, table)
        if i == 0:
            _filter(ws, first, end, len(table.columns))
        widest, row = max(widest, len(table.columns)), end + 2
    chart = _bar_chart("PMO effort and capacity per wave", "Wave", "PMO person-weeks")
    chart.add_data(Reference(ws, min_col=1, max_col=last_wave, min_row=effort, max_row=effort + 1),
                   from_rows=True, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, max_col=last_wave, min_row=header, max_row=header))
    chart.y_axis.scaling.min = 0
    chart.height, chart.width = 9.0, 16.0
    ws.add_chart(chart, _beside(widest, header))
    _fit(ws)


# The rows of the roadmap's summary, one column per wave: (label, number format).
WAVE_ROWS = (("From", DATE_FORMAT), ("To", DATE_FORMAT), ("Entries", COUNT_FORMAT),
             ("Effort (pw)", "0.0"), ("Capacity (pw)", "0.0"), ("Change load", COUNT_FORMAT),
             ("Change budget", COUNT_FORMAT), ("FTE", SCORE_FORMAT))


def _first(table: pd.DataFrame, column: str) -> pd.DataFrame:
    return table[[column, *(n for n in table.columns if n != column)]]


def _wave_summary(ws: Worksheet, row: int, c: Content) -> tuple[int, int]:
    """Waves as columns: their dates, size, capacity, change load and budget and FTE; returns the header
    row and the row of the effort (followed by the capacity, the chart's two series)."""
    s, dates = c.plan.settings, {n: (first, last) for n, first, last in content.wave_dates(c)}
    values = {"From": [dates[w.number][0] for w in c.plan.roadmap.waves],
              "To": [dates[w.number][1] for w in c.plan.roadmap.waves],
              "Entries": [len(w.items) for w in c.plan.roadmap.waves],
              "Effort (pw)": [w.effort for w in c.plan.roadmap.waves],
              "Capacity (pw)": [s.capacity for _ in c.plan.roadmap.waves],
              "Change load": [w.change_load for w in c.plan.roadmap.waves],
              "Change budget": [s.change_budget for _ in c.plan.roadmap.waves],
              "FTE": [w.fte for w in c.plan.roadmap.waves]}
    for j, name in enumerate(["Wave", *(f"Wave {w.number}" for w in c.plan.roadmap.waves)], start=1):
        ws.cell(row, j, name).style = HEADER
        if j > 1:
            ws.cell(row, j).alignment = NUMBER_HEADER
    for i, (label, fmt) in enumerate(WAVE_ROWS, start=row + 1):
        _label(ws.cell(i, 1, label))
        for j, value in enumerate(values[label], start=2):
            ws.cell(i, j, _value(value)).number_format = fmt
    return row, row + 1 + [label for label, _ in WAVE_ROWS].index("Effort (pw)")


def _not_placed(ws: Worksheet, c: Content) -> None:
    _planned_table(ws, c, "Not placed on the roadmap", content.unplaced,
                   "Every accepted entry is placed on the roadmap.")


def _workshops(ws: Worksheet, c: Content) -> None:
    _title(ws, 1, "Workshop rounds")
    rounds = [table.assign(Workshop=title) for title, table in c.workshops]
    table = pd.concat(rounds, ignore_index=True) if rounds else pd.DataFrame()
    if not table.empty:
        table = table[["Workshop", *content.WORKSHOP_COLUMNS.values()]]
    _single_table(ws, table, "No workshop yet." if not c.workshops else "No round has results yet.")


def raw_table(c: Content) -> pd.DataFrame:
    """The raw rows as the Respondents sheet shows them: statement columns named by their text."""
    texts = {s.id: s.text for s in c.questionnaire.statements}

    def label(column: str) -> str:
        statement, _, side = column.rpartition(" ")
        return f"{texts[statement]} ({side})" if statement in texts else column

    return c.raw.rename(columns=label)


def _respondents(ws: Worksheet, c: Content) -> xlsx_rows.Body | None:
    """The raw rows the user asked for (`raw_table`: no ids): the sheet laid out as `_single_table` lays
    one out, its rows returned to be written after the save (None when no respondent is shown)."""
    _title(ws, 1, "Respondents: one row each")
    _note(ws, 2, "Ratings 1-5; empty is N/A or not answered. Left out, so that no row points to a person: "
                 "every profile answer but the stakeholder group, the importance ratings and the comments. "
                 f"The stakeholder group is empty too for anyone in a group smaller than {c.min_group_size}: "
                 "such groups are never shown, so their respondents have no profile field at all.")
    frame, header = raw_table(c), 4
    if frame.empty:
        _single_table(ws, frame, "No respondent is shown.", row=header)
        return None
    _header(ws, header, frame)
    _freeze(ws, header)
    _filter(ws, header, header + len(frame), len(frame.columns))
    _fit(ws, lengths={j: _longest(frame[name]) for j, name in enumerate(frame.columns, start=1)})
    widths = [ws.column_dimensions[get_column_letter(j)].width or DEFAULT_WIDTH
              for j in range(1, len(frame.columns) + 1)]
    lines = _body_lines(frame, widths)
    return xlsx_rows.Body(frame, header + 1, [_column_style(ws, _number_format(str(n), frame[n]))
                                              for n in frame.columns],
                          [None if n == 1 else float(LINE_HEIGHT * n) for n in lines])


def _how_computed(ws: Worksheet) -> None:
    _title(ws, 1, "How computed")
    ws.column_dimensions["A"].width = NOTE_WIDTH
    row = 3
    for heading, text in content.how_computed():
        ws.cell(row, 1, heading).style = HEADING
        row += 1
        for paragraph, bold in _paragraphs(text):
            cell = ws.cell(row, 1, paragraph)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.font = Font(name=FONT, bold=bold)
            _height(ws, row, len(paragraph), NOTE_WIDTH)
            row += 1
        row += 1
    _print_setup(ws, portrait=True)


# --- layout --------------------------------------------------------------------------------------------


def _styles(wb: Workbook) -> None:
    header = NamedStyle(HEADER, font=Font(name=FONT, bold=True, color="FFFFFF"),
                        fill=PatternFill("solid", fgColor=HEADER_FILL),
                        alignment=Alignment(wrap_text=True, vertical="center", horizontal="left", indent=1))
    for style in (header, NamedStyle(TITLE, font=Font(name=FONT, bold=True, size=14, color=HEADER_FILL)),
                  NamedStyle(HEADING, font=Font(name=FONT, bold=True, size=12, color=HEADER_FILL)),
                  NamedStyle(NOTE, font=Font(name=FONT, italic=True)),
                  NamedStyle(FACT, font=Font(name=FONT),
                             alignment=Alignment(horizontal="left", vertical="top", wrap_text=True))):
        wb.add_named_style(style)


def _title(ws: Worksheet, row: int, text: str) -> None:
    ws.cell(row, 1, _value(text)).style = TITLE
    ws.row_dimensions[row].height = 22


TEXT = Alignment(horizontal="left", indent=1)   # text a little apart from the figures to its left
NUMBER_HEADER = Alignment(wrap_text=True, vertical="center", horizontal="right")


def _label(cell) -> None:
    cell.font = Font(name=FONT, bold=True)
    cell.alignment = Alignment(vertical="top")


def _note(ws: Worksheet, row: int, text: str) -> None:
    ws.cell(row, 1, _value(text)).style = NOTE


def _facts(ws: Worksheet, row: int, facts: list[tuple[str, object]], span: int = 1) -> int:
    """Label and value rows, each value across `span` columns (merged); returns the row after the last."""
    for label, value in facts:
        _label(ws.cell(row, 1, label))
        cell = ws.cell(row, 2, _value(value))
        cell.style = FACT
        cell.number_format = (FORMATS[label] if label in FORMATS else DATE_FORMAT if isinstance(value, date)
                              else SCORE_FORMAT if isinstance(value, float) else "General")
        if span > 1:
            ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=1 + span)
        row += 1
    return row


def _table(ws: Worksheet, row: int, frame: pd.DataFrame) -> tuple[int, int]:
    """The frame as a styled table from `row`, number formats by column; (header row, last row)."""
    _header(ws, row, frame)
    formats = [_number_format(str(name), frame[name]) for name in frame.columns]
    for i, values in enumerate(frame.itertuples(index=False), start=row + 1):
        for j, (value, fmt) in enumerate(zip(values, formats, strict=True), start=1):
            _style_value(ws.cell(i, j, _value(value)), fmt)
    return row, row + len(frame)


def _header(ws: Worksheet, row: int, frame: pd.DataFrame) -> None:
    for j, name in enumerate(frame.columns, start=1):
        header = ws.cell(row, j, _value(str(name)))
        header.style = HEADER
        if pd.api.types.is_numeric_dtype(frame[name]) and not pd.api.types.is_bool_dtype(frame[name]):
            header.alignment = NUMBER_HEADER            # over its figures, which stand to the right


def _style_value(cell: Cell, fmt: str | None) -> None:
    """A table cell's style: text a little apart from the figures, figures in their column's format."""
    if isinstance(cell.value, str):
        cell.alignment = TEXT
    elif fmt and cell.value is not None:
        cell.number_format = fmt


def _column_style(ws: Worksheet, fmt: str | None) -> xlsx_rows.Style:
    """The style ids `_table` and `_fit` would give a column's text and figures, taken from cells that
    stay out of the sheet (only their styles are registered with the workbook)."""
    ids = []
    for wrapped in (False, True):
        for value in ("text", 0):
            cell = Cell(ws, value=value)
            _style_value(cell, fmt)
            if wrapped:
                _wrap(cell)
            ids.append(cell.style_id)
    return xlsx_rows.Style(text=ids[0], number=ids[1], wrapped_text=ids[2], wrapped_number=ids[3])


def _single_table(ws: Worksheet, frame: pd.DataFrame, empty: str, row: int = 3) -> None:
    """A sheet holding one table: frozen under its header and filtered, or one row saying why not."""
    if frame.empty:
        _note(ws, row, empty)
    else:
        header, last = _table(ws, row, frame)
        _freeze(ws, header)
        _filter(ws, header, last, len(frame.columns))
    _fit(ws)


def _number_format(name: str, column: pd.Series) -> str | None:
    """The format of a column's figures: scores with two decimals; whole numbers and text as they are."""
    if name in FORMATS:
        return FORMATS[name]
    if pd.api.types.is_float_dtype(column):
        return SCORE_FORMAT
    if len(column) and all(isinstance(v, date) for v in column):
        return DATE_FORMAT
    return None


def _value(value: object) -> object:
    """A cell value openpyxl writes: text without control characters (openpyxl refuses them), missing
    values empty, numpy and pandas scalars as Python ones."""
    if isinstance(value, str):
        return safe_cells.printable(value)
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _freeze(ws: Worksheet, header: int, columns: int = 0) -> None:
    ws.freeze_panes = ws.cell(header + 1, columns + 1)


def _filter(ws: Worksheet, header: int, last: int, width: int) -> None:
    ws.auto_filter.ref = f"A{header}:{get_column_letter(width)}{last}"


def _beside(width: int, row: int) -> str:
    return f"{get_column_letter(width + CHART_GAP)}{row}"


def _bar_chart(title: str, category: str, value: str, horizontal: bool = False) -> BarChart:
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.grouping = "clustered"
    chart.title, chart.x_axis.title, chart.y_axis.title = title, category, value
    chart.x_axis.delete = chart.y_axis.delete = False     # openpyxl 3.1 hides the axes otherwise
    chart.legend.position = "b"
    return chart


def _fit(ws: Worksheet, portrait: bool = False, lengths: dict[int, int] | None = None) -> None:
    """Column widths from the content (headers wrap past HEADER_WIDTH, text past MAX_WIDTH; a fact
    spanning merged columns gets MAX_WIDTH at least) and `lengths`, the longest value of each column in
    rows written after the save; row heights for the wrapped cells, and a page one sheet wide for
    printing."""
    widths: dict[int, int] = dict(lengths or {})
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            length = _length(cell.value)
            if isinstance(cell.value, str):           # only text has a style of its own (the style is slow)
                style = cell.style
                if style in (TITLE, NOTE, HEADING, FACT):
                    continue
                if style == HEADER:
                    length = min(length, max(HEADER_WIDTH, *(len(w) for w in cell.value.split())))
            widths[cell.column] = max(widths.get(cell.column, 0), length)
    for column, length in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = min(MAX_WIDTH, length + 2)
    width = {i: ws.column_dimensions[get_column_letter(i)].width or DEFAULT_WIDTH
             for i in range(1, ws.max_column + 1)}
    spans = {}
    for merged in ws.merged_cells.ranges:
        total = sum(width.get(i, DEFAULT_WIDTH) for i in range(merged.min_col, merged.max_col + 1))
        if total < MAX_WIDTH:
            last = merged.max_col
            width[last] = width.get(last, DEFAULT_WIDTH) + MAX_WIDTH - total
            ws.column_dimensions[get_column_letter(last)].width = width[last]
        spans[(merged.min_row, merged.min_col)] = max(total, MAX_WIDTH)
    for row in ws.iter_rows():
        lines = 1
        for cell in row:
            if isinstance(cell.value, str) and cell.style not in (TITLE, NOTE, HEADING):
                room = spans.get((cell.row, cell.column), width.get(cell.column, DEFAULT_WIDTH))
                lines = max(lines, _lines(len(cell.value), room))
        if lines > 1:                       # a row of wrapped text: every cell read from the top
            ws.row_dimensions[row[0].row].height = LINE_HEIGHT * lines
            for cell in row:
                if cell.value is not None and cell.style not in (HEADER, FACT, TITLE, NOTE, HEADING):
                    _wrap(cell)
    _print_setup(ws, portrait)


def _wrap(cell: Cell) -> None:
    """A cell of a row of wrapped text: wrapped too, read from the top, aligned as it was."""
    kept = cell.alignment
    cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal=kept.horizontal, indent=kept.indent)


def _longest(column: pd.Series) -> int:
    """The longest `_length` of a column's values. Of whole numbers or of floats, the smallest or the
    largest is written longest (digits grow with the magnitude, both sides of zero), so 20,000 ratings
    need not be measured one by one."""
    values = column.dropna()
    if values.empty:
        return 0
    if pd.api.types.infer_dtype(values) in ("integer", "floating"):
        return max(_length(_value(values.min())), _length(_value(values.max())))
    return int(values.map(lambda v: _length(_value(v))).max())


def _body_lines(frame: pd.DataFrame, widths: list[float]) -> list[int]:
    """The lines each row of the frame takes, its text wrapped in columns `widths` wide (as `_fit` counts
    them for the rows it sees)."""
    lines = pd.Series(1, index=frame.index)
    for name, width in zip(frame.columns, widths, strict=True):
        column = frame[name]
        if pd.api.types.infer_dtype(column, skipna=True) in ("integer", "floating", "mixed-integer-float",
                                                             "empty", "boolean"):
            continue                                   # no text in it
        needed = column.map(lambda v, room=width: _lines(len(v), room) if isinstance(v, str) else 1)
        lines = lines.where(lines >= needed, needed)
    return lines.tolist()


def _lines(length: int, width: float) -> int:
    """The lines a text of `length` characters takes in a column `width` wide (proportional letters are
    narrower than the width unit, a digit's width)."""
    return max(1, math.ceil(length / ((width - 2) * LETTERS_PER_UNIT)))


def _length(value: object) -> int:
    if isinstance(value, float):
        return len(f"{value:.2f}")
    if isinstance(value, (date, datetime)):
        return 11
    return len(str(value))


def _height(ws: Worksheet, row: int, length: int, width: int) -> None:
    ws.row_dimensions[row].height = LINE_HEIGHT * _lines(length, width)


def _print_setup(ws: Worksheet, portrait: bool = False) -> None:
    ws.page_setup.orientation = "portrait" if portrait else "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


# --- words ---------------------------------------------------------------------------------------------


_ITEM = re.compile(r"^([-*]|\d+\.)\s+")
_EMPHASIS = re.compile(r"\*{1,2}([^*]+?)\*{1,2}")


def _paragraphs(markdown: str) -> list[tuple[str, bool]]:
    """The documentation's markdown as readable paragraphs, (text, is a heading): list items and table
    rows one each, emphasis and code marks taken off."""
    found: list[tuple[str, bool]] = []
    lines: list[str] = []

    def flush() -> None:
        if lines:
            found.append((_plain(" ".join(lines)), False))
            lines.clear()

    for raw in markdown.splitlines():
        line = raw.strip().removeprefix("> ").removeprefix(">")
        if not line:
            flush()
        elif line.startswith("#"):
            flush()
            found.append((_plain(line.lstrip("#").strip()), True))
        elif line.startswith("|"):
            flush()
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            if not all(set(cell) <= set("-: ") for cell in cells):
                found.append((_plain(" | ".join(cells)), False))
        elif _ITEM.match(line):
            flush()
            lines.append(_ITEM.sub(lambda m: "• " if m.group(1) in "-*" else m.group(0), line))
        else:
            lines.append(line)
    flush()
    return found


def _plain(text: str) -> str:
    return _EMPHASIS.sub(r"\1", text).replace("`", "")


def _period(start: date | None, end: date | None) -> str:
    if start is None and end is None:
        return "not set"
    if start and end:
        return f"{start.day} {start:%b %Y} to {end.day} {end:%b %Y}"
    day = start or end
    return f"{day.day} {day:%b %Y}"


def _no_plan(c: Content) -> str:
    return ("No recommendations or roadmap yet: there are too few answers to recommend (recommendations "
            f"need the whole assessment's scores, which need at least {c.min_group_size} respondents).")
