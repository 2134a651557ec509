"""Reading an uploaded file into a table of text cells, safely.

Formulas are never evaluated (xlsx cells give their stored value; formula cells with no stored value
are listed, for the import to report) and macros never run (they are not read at all). A file over the
limits (limits.py) is refused before its data is read. Every refusal is an ImportFileError with a
message a PMO lead can act on.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import PurePath

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pmostep.initiation.imports import workbook
from pmostep.initiation.imports.encoding import decode
from pmostep.initiation.imports.errors import ImportFileError
from pmostep.initiation.imports.limits import DEFAULT_MAX_BYTES, MAX_CELL_CHARS, MB, Limits, too_big
from pmostep.initiation.imports.limits import MAX_SIZE_ENV as MAX_SIZE_ENV
from pmostep.initiation.imports.limits import max_bytes as max_bytes

# What other files start with, to say what a file named .csv really is.
NOT_TEXT = {workbook.ZIP_MAGIC: "a zip archive (an .xlsx workbook is one: name it .xlsx)",
            workbook.OLE_MAGIC: "an old Excel .xls workbook or another Office file",
            b"%PDF": "a PDF document", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image",
            b"GIF8": "a GIF image"}


@dataclass
class FormulaCell:
    """A formula cell with no stored value, which reads as empty."""

    row: int                # the row a spreadsheet shows
    column: str             # its letters
    index: int | None       # the table column, when the sheet's columns start at A


@dataclass
class RawTable:
    """All rows of the first sheet (or the CSV) as Arrow text columns; header rows are still inside.

    Arrow keeps a 100,000-row export as compact columns: the importer maps them without ever turning
    12 million cells into Python objects.
    """

    rows: pa.Table              # columns named "0".."n-1", all strings, empty cells null
    file_kind: str              # 'xlsx' or 'csv'
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    encoding_guessed: bool = False
    encoding_note: str | None = None
    replaced: int = 0           # undecodable byte sequences, shown as U+FFFD in their cells
    first_row: int = 1          # the spreadsheet row of rows[0]
    formula_cells: list[FormulaCell] = field(default_factory=list)

    def head(self, n: int) -> list[list[str]]:
        """The first n rows as lists of stripped text ('' for empty), for reading headers."""
        top = self.rows.slice(0, n).to_pylist()
        return [["" if v is None else str(v).strip() for v in row.values()] for row in top]


def read(name: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES, encoding: str | None = None,
         limits: Limits | None = None) -> RawTable:
    """Read an .xlsx or .csv upload; refuse anything else, or anything over the limits, with a clear reason.

    `encoding` is the user's choice for a CSV (else it is detected); `limits` default to those of an
    upload limit of `max_bytes`.
    """
    limits = limits or Limits.for_upload(max_bytes)
    suffix = PurePath(name).suffix.lower()
    if len(data) == 0:
        raise ImportFileError(f"{name} is empty")
    if len(data) > limits.max_bytes:
        raise too_big(f"{name} is", f"{len(data) / MB:.1f} MB", f"{limits.max_bytes / MB:.0f} MB",
                      "max_bytes")
    if suffix in (".xls",):
        raise ImportFileError(f"{name} is an old Excel 97-2003 file (.xls): open it in Excel and save it as "
                              ".xlsx, or export the responses as CSV")
    if suffix in (".numbers",):
        raise ImportFileError(f"{name} is an Apple Numbers file: export it from Numbers as .xlsx or CSV")
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(name, data, limits)
    if suffix in (".csv", ".tsv", ".txt"):
        return _read_csv(name, data, limits, encoding)
    raise ImportFileError(f"{name}: only .xlsx and .csv files can be imported")


def _read_xlsx(name: str, data: bytes, limits: Limits) -> RawTable:
    scan = workbook.check(name, data, limits)
    import fastexcel  # calamine via Arrow: the fastest reliable reader measured (benchmarks/import.py)

    try:
        reader = fastexcel.read_excel(data)
        sheet_name = reader.sheet_names[0]
        sheet = reader.load_sheet(0, header_row=None, dtypes="string", skip_rows=None)
        rows = sheet.to_arrow()
    except Exception as exc:   # calamine reports damage in many shapes
        raise ImportFileError(f"{name} could not be read as a workbook ({exc})") from exc
    table = _trim(_as_text_table(rows))
    _check_cells(name, table, scan.first_row or 1)
    # The reader starts at the sheet's first cell: at column A in every export, else column positions
    # are not known and a formula cell is named by its letters only.
    formulas = [FormulaCell(row, workbook.column_letters(col), col - 1 if scan.has_column_a else None)
                for row, col in scan.formula_cells]
    return RawTable(table, "xlsx", sheet=sheet_name, first_row=scan.first_row or 1, formula_cells=formulas)


def sniff_delimiter(text: str) -> tuple[str, int]:
    """The delimiter that splits the header line into the most fields, outside quotes, and that count."""
    first = text[: text.find("\n") if "\n" in text else len(text)]
    counts = {}
    for delimiter in (",", ";", "\t"):
        try:
            counts[delimiter] = len(next(csv.reader([first], delimiter=delimiter)))
        except (StopIteration, csv.Error):
            counts[delimiter] = 0
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best, counts[best]


def _read_csv(name: str, data: bytes, limits: Limits, encoding: str | None) -> RawTable:
    for magic, what in NOT_TEXT.items():
        if data.startswith(magic):
            raise ImportFileError(f"{name} is not a CSV file: it is {what}")
    try:
        decoded = decode(data, encoding)
    except ImportFileError as exc:
        raise ImportFileError(f"{name}: {exc}") from exc
    text = decoded.text
    if not text.strip():
        raise ImportFileError(f"{name} is empty")
    delimiter, width = sniff_delimiter(text)
    _check_shape(name, width, text.count("\n") + 1, limits)
    _check_fields(name, data, text, decoded.encoding, delimiter)
    try:
        # Blank lines are kept as empty rows, so row numbers in reports match the file's lines.
        rows = pd.read_csv(
            io.StringIO(text), sep=delimiter, header=None, dtype=str, keep_default_na=False,
            na_values=[""], skip_blank_lines=False, engine="c",
        )
    except pd.errors.ParserError:
        rows = _read_ragged_csv(name, text, delimiter, limits)
    except ValueError as exc:
        raise ImportFileError(f"{name} is not a readable CSV file ({exc})") from exc
    table = _trim(_as_text_table(pa.Table.from_pandas(rows, preserve_index=False)))
    _check_shape(name, table.num_columns, table.num_rows, limits)
    _check_cells(name, table, 1)
    return RawTable(table, "csv", encoding=decoded.encoding, delimiter=delimiter,
                    encoding_guessed=decoded.guessed, encoding_note=decoded.note(), replaced=decoded.replaced)


def _check_shape(name: str, columns: int, rows: int, limits: Limits) -> None:
    """Refuse a table wider or larger than the limits (before reading it, from its first line)."""
    if columns > limits.max_columns:
        raise too_big(f"{name} has", f"{columns:,} columns", f"{limits.max_columns:,}", "max_columns")
    if columns * rows > limits.max_cells:
        raise too_big(f"{name} has", f"{columns:,} column{'s' * (columns != 1)} and up to {rows:,} rows",
                      f"{limits.max_cells:,} cells", "max_cells")


FIELD_PIECE = 4 * MB
# The most bytes a cell of MAX_CELL_CHARS characters takes (4 per character in UTF-8 or UTF-32), quoted.
MAX_FIELD_BYTES = 4 * MAX_CELL_CHARS + 8


def _check_fields(name: str, data: bytes, text: str, encoding: str, delimiter: str) -> None:
    """Refuse a CSV with a field longer than any cell can be, before the parser holds it whole (a
    40 MB cell took 540 MB). Fields end at a delimiter or line end outside quotes; quotes are counted
    in pieces with numpy (a doubled quote inside a field counts twice, so it changes nothing), so a
    large file costs a few MB and a fraction of a second here."""
    if "\n,;\t\"".encode(encoding, errors="replace") != b"\n,;\t\"":
        data = text.encode("utf-8")          # UTF-16 or -32: its bytes may hold '"' or ',' anywhere
    separators = np.frombuffer(f"{delimiter}\n\r".encode("ascii"), dtype=np.uint8)
    last, quoted = -1, 0
    for start in range(0, len(data), FIELD_PIECE):
        piece = np.frombuffer(data, dtype=np.uint8, count=min(FIELD_PIECE, len(data) - start), offset=start)
        inside = (np.cumsum(piece == ord('"'), dtype=np.int32) + quoted) & 1
        ends = np.flatnonzero(np.isin(piece, separators) & (inside == 0)) + start
        bounds = np.concatenate(([last], ends, [start + len(piece)]))
        gaps = np.diff(bounds)
        if gaps.max() > MAX_FIELD_BYTES:
            line = data.count(b"\n", 0, int(bounds[int(gaps.argmax())]) + 1) + 1
            raise ImportFileError(f"{name}: line {line} holds a cell of more than {MAX_CELL_CHARS:,} "
                                  "characters (the most an Excel cell holds); the file was not read")
        last, quoted = (int(ends[-1]) if len(ends) else last), int(inside[-1])


def _check_cells(name: str, table: pa.Table, first_row: int) -> None:
    """Refuse a cell longer than Excel allows: no export holds one, and its text would be shown whole."""
    for index, column in enumerate(table.columns):
        lengths = pc.utf8_length(column)
        longest = pc.max(lengths).as_py()
        if longest and longest > MAX_CELL_CHARS:
            row = pc.index(pc.greater(lengths, MAX_CELL_CHARS), True).as_py()
            header = str(column[0].as_py() or "")[:60] if row else ""
            where = f"column '{header}'" if header else f"column {index + 1}"
            raise ImportFileError(f"{name}: row {first_row + row}, {where} holds {longest:,} characters; "
                                  f"a cell holds at most {MAX_CELL_CHARS:,} (as in Excel). The file was not "
                                  "read.")


def _read_ragged_csv(name: str, text: str, delimiter: str, limits: Limits) -> pd.DataFrame:
    """A CSV whose rows have more fields than its header: every row padded to the longest.

    The extra fields land in columns without a header, which the mapping lists as ignored.
    """
    records, cells = [], 0
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for record in reader:
            cells += len(record)
            if len(record) > limits.max_columns:
                raise too_big(f"{name}: line {reader.line_num} has", f"{len(record):,} fields",
                              f"{limits.max_columns:,} columns", "max_columns")
            if cells > limits.max_cells:
                raise too_big(f"{name} has", f"more than {cells:,} cells", f"{limits.max_cells:,}",
                              "max_cells")
            records.append(record)
    except csv.Error as exc:           # a field longer than csv's limit (131,072 characters)
        raise ImportFileError(f"{name}: line {reader.line_num} cannot be read ({exc}); a cell holds at most "
                              f"{MAX_CELL_CHARS:,} characters (as in Excel)") from exc
    width = max(len(r) for r in records)
    padded = [[v if v != "" else None for v in r] + [None] * (width - len(r)) for r in records]
    return pd.DataFrame(padded, dtype=object)


def _as_text_table(table: pa.Table) -> pa.Table:
    """Columns renamed "0".."n-1" and cast to string. Empty cells are already null in both readers;
    a cell of spaces stays text and reads as blank when it is mapped."""
    columns = [column.cast(pa.string()) for column in table.columns]
    return pa.table(columns, names=[str(i) for i in range(len(columns))])


def _trim(rows: pa.Table) -> pa.Table:
    """Drop fully empty trailing rows and columns (exports often end with blank lines or a ',')."""
    if rows.num_columns == 0 or rows.num_rows == 0:
        return rows
    filled = [pc.is_valid(c).to_numpy(zero_copy_only=False) for c in rows.columns]
    any_col = np.array([f.any() for f in filled])
    any_row = np.logical_or.reduce(filled)
    last_row = len(any_row) - int(any_row[::-1].argmax()) if any_row.any() else 0
    last_col = len(any_col) - int(any_col[::-1].argmax()) if any_col.any() else 0
    return rows.slice(0, last_row).select(list(range(last_col)))
