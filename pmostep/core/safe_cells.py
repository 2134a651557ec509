"""Cells a spreadsheet will not run: every CSV and workbook PMOStep writes passes through here.

Excel, LibreOffice and Google Sheets run a cell that starts with =, +, -, @, tab or carriage return as a
formula, so text typed by respondents or catalogue editors could open links or start programs on the
facilitator's machine (OWASP "CSV injection"). Such text is written with a leading single quote, the
OWASP remedy, which a spreadsheet shows as text. Numbers stay numbers, negative ones included, and text
that is only a number is left as it is (a spreadsheet reads it as that number, nothing more).

The quote is also put before text that already starts with quotes followed by one of those characters,
so `restore` can take exactly one quote off where one was added: PMOStep's own workbooks, downloaded
and uploaded again, keep their original text.

Control characters other than tab, line feed and carriage return (a vertical tab pasted from Word, a
NUL) are taken out of text: XML forbids them, so openpyxl refuses the cell (IllegalCharacterError) and
a spreadsheet shows a CSV's as boxes. A workbook writer passes its text through `printable` as it
writes a cell, since openpyxl checks on assignment, before `xlsx_bytes` sees the cell.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from openpyxl import Workbook

QUOTE = "'"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_TRIGGER_CLASS = r"[=+\-@\t\r]"
_NEEDS_QUOTE = re.compile(rf"'*{_TRIGGER_CLASS}")
_ADDED_QUOTE = f"^'('*{_TRIGGER_CLASS})"          # what `cell` added: one quote before quotes* + trigger
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")    # what XML 1.0 forbids below the space


def printable(value: Any) -> Any:
    """Text without the control characters a workbook cannot hold; every other value unchanged."""
    return _CONTROL.sub("", value) if isinstance(value, str) else value


def cell(value: Any) -> Any:
    """The value as a spreadsheet may safely read it: control characters out, risky text quoted, everything
    else unchanged."""
    value = printable(value)
    if isinstance(value, str) and _NEEDS_QUOTE.match(value) and not _PLAIN_NUMBER.fullmatch(value):
        return QUOTE + value
    return value


def restore(value: Any) -> Any:
    """The original of a value `cell` wrote: the one added quote taken off, everything else unchanged."""
    if isinstance(value, str) and value.startswith(QUOTE) and _NEEDS_QUOTE.match(value, 1):
        return value[1:]
    return value


def frame(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of the table with every text cell, column name and index label made safe."""
    safe = table.copy()
    for i, (_, column) in enumerate(safe.items()):
        if _may_hold_text(column):
            safe.isetitem(i, _safe_column(column))
    safe.columns, safe.index = _labels(safe.columns), _labels(safe.index)
    return safe


def _safe_column(column: pd.Series) -> pd.Series:
    """`cell` on a whole column, vectorised: cell by cell doubled the time of a 100,000-comment CSV."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.map(cell)            # on the categories; plain text if two become one without controls
    if pd.api.types.infer_dtype(column, skipna=True) not in ("string", "mixed", "mixed-integer"):
        return column                      # no text in it (numbers, dates, flags kept in an object column)
    controls = _found(column.str.contains(_CONTROL.pattern))
    if controls.any():
        column = column.mask(controls, column.str.replace(_CONTROL.pattern, "", regex=True))
    text = column.str
    risky = _found(text.match(_NEEDS_QUOTE.pattern)) & ~_found(text.fullmatch(_PLAIN_NUMBER.pattern))
    return column.mask(risky, QUOTE + column[risky].astype(str)) if risky.any() else column


def _found(matches: pd.Series) -> pd.Series:
    """Matches as plain flags: the non-text cells of an object column match as NA."""
    return matches.fillna(False).astype(bool)


def _may_hold_text(column: pd.Series) -> bool:
    return (column.dtype == object or pd.api.types.is_string_dtype(column.dtype)
            or isinstance(column.dtype, pd.CategoricalDtype))


def _labels(index: pd.Index) -> pd.Index:
    """Column names or row labels made safe, names of the axis included."""
    if isinstance(index, pd.MultiIndex):
        safe = index.set_levels([level.map(cell) for level in index.levels])
    else:
        safe = index.map(cell) if _may_hold_text(index.to_series()) else index
    return safe.set_names([cell(n) for n in index.names])


def csv_text(table: pd.DataFrame, index: bool = False) -> str:
    """The table as CSV text that no spreadsheet runs as formulas.

    Lines end in CR LF (RFC 4180), so a cell holding a carriage return of its own is quoted: with LF
    endings the csv writer leaves a lone CR unquoted, and spreadsheets start a new row there.
    """
    return frame(table).to_csv(index=index, lineterminator="\r\n")


def csv_bytes(table: pd.DataFrame, index: bool = False) -> bytes:
    """`csv_text` encoded as UTF-8, for a download."""
    return csv_text(table, index).encode("utf-8")


def xlsx_bytes(workbook: Workbook) -> bytes:
    """The workbook saved, after every text cell of every sheet is made safe.

    openpyxl stores any text that starts with = as a formula; going over every cell just before saving
    means no writer can forget it. Data-validation rules are not cells and keep their own formulas.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    c.value = cell(c.value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def restore_table(table: pa.Table) -> pa.Table:
    """`restore` on every text column of an Arrow table (an upload of a workbook PMOStep wrote)."""
    columns = [pc.replace_substring_regex(c, pattern=_ADDED_QUOTE, replacement=r"\1", max_replacements=1)
               if pa.types.is_string(c.type) and pc.any(pc.starts_with(c, QUOTE)).as_py() else c
               for c in table.columns]
    return pa.table(columns, names=table.column_names)
