"""Reading an uploaded file into a table of text cells, safely.

Formulas are never evaluated (xlsx cells give their stored value; a formula with no stored value reads
as empty) and macros never run (they are not read at all). Every refusal is an ImportFileError with a
message a PMO lead can act on.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
MAX_SIZE_ENV = "PMOSTEP_MAX_UPLOAD_MB"
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024     # what an xlsx may unpack to
MAX_COMPRESSION_RATIO = 200                      # typical xlsx parts compress 5-30x
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx
ZIP_MAGIC = b"PK\x03\x04"


def max_bytes(setting: str | float | None = None) -> int:
    """The upload limit: a setting (e.g. from Streamlit secrets), else $PMOSTEP_MAX_UPLOAD_MB, else 50 MB."""
    value = setting if setting not in (None, "") else os.environ.get(MAX_SIZE_ENV)
    if value in (None, ""):
        return DEFAULT_MAX_BYTES
    try:
        megabytes = float(value)
    except ValueError as exc:
        raise ImportFileError(f"the upload limit {value!r} must be a number of megabytes") from exc
    return int(megabytes * 1024 * 1024)


class ImportFileError(ValueError):
    """A file that cannot be read, with the reason in words."""


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

    def head(self, n: int) -> list[list[str]]:
        """The first n rows as lists of stripped text ('' for empty), for reading headers."""
        top = self.rows.slice(0, n).to_pylist()
        return [["" if v is None else str(v).strip() for v in row.values()] for row in top]


def read(name: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> RawTable:
    """Read an .xlsx or .csv upload; refuse anything else with a clear reason."""
    suffix = PurePath(name).suffix.lower()
    if len(data) == 0:
        raise ImportFileError(f"{name} is empty")
    if len(data) > max_bytes:
        raise ImportFileError(
            f"{name} is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB"
        )
    if suffix in (".xls",):
        raise ImportFileError(f"{name} is an old Excel 97-2003 file (.xls): open it in Excel and save it as "
                              ".xlsx, or export the responses as CSV")
    if suffix in (".numbers",):
        raise ImportFileError(f"{name} is an Apple Numbers file: export it from Numbers as .xlsx or CSV")
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(name, data)
    if suffix in (".csv", ".tsv", ".txt"):
        return _read_csv(name, data)
    raise ImportFileError(f"{name}: only .xlsx and .csv files can be imported")


def _check_zip(name: str, data: bytes) -> None:
    if data.startswith(OLE_MAGIC):
        raise ImportFileError(f"{name} is password-protected or an old .xls workbook renamed to .xlsx: "
                              "remove the password (File > Info > Protect Workbook) and save it as .xlsx")
    if not data.startswith(ZIP_MAGIC):
        raise ImportFileError(f"{name} is not an Excel workbook (.xlsx): it may be another kind of file "
                              "renamed to .xlsx")
    bomb = ImportFileError(f"{name} unpacks to far more data than a survey export holds; it was not read")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            if "Index/Document.iwa" in names or any(n.startswith("Index/") for n in names):
                raise ImportFileError(f"{name} is an Apple Numbers file: export it from Numbers as .xlsx "
                                      "or CSV")
            if "[Content_Types].xml" not in names:
                raise ImportFileError(f"{name} is a zip file but not an Excel workbook")
            if sum(i.file_size for i in infos) > MAX_UNCOMPRESSED_BYTES or any(
                    i.compress_size and i.file_size / i.compress_size > MAX_COMPRESSION_RATIO for i in infos):
                raise bomb
            # The sizes above are what the archive declares; count what it really unpacks to.
            total = 0
            for info in infos:
                with archive.open(info) as part:
                    while chunk := part.read(1 << 20):
                        total += len(chunk)
                        if total > MAX_UNCOMPRESSED_BYTES or total > MAX_COMPRESSION_RATIO * len(data):
                            raise bomb
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise ImportFileError(f"{name} is damaged or incomplete (the workbook cannot be unpacked)") from exc


def _read_xlsx(name: str, data: bytes) -> RawTable:
    _check_zip(name, data)
    import fastexcel  # calamine via Arrow: the fastest reliable reader measured (benchmarks/import.py)

    try:
        reader = fastexcel.read_excel(data)
        sheet_name = reader.sheet_names[0]
        sheet = reader.load_sheet(0, header_row=None, dtypes="string", skip_rows=None)
        rows = sheet.to_arrow()
    except Exception as exc:   # calamine reports damage in many shapes
        raise ImportFileError(f"{name} could not be read as a workbook ({exc})") from exc
    return RawTable(_trim(_as_text_table(rows)), "xlsx", sheet=sheet_name)


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding name: UTF-8 (with or without BOM), UTF-16 (BOM), else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header line into the most fields, outside quotes."""
    first = text[: text.find("\n") if "\n" in text else len(text)]
    counts = {}
    for delimiter in (",", ";", "\t"):
        try:
            counts[delimiter] = len(next(csv.reader([first], delimiter=delimiter)))
        except (StopIteration, csv.Error):
            counts[delimiter] = 0
    return max(counts, key=lambda d: (counts[d], d == ","))


def _read_csv(name: str, data: bytes) -> RawTable:
    text, encoding = decode(data)
    if not text.strip():
        raise ImportFileError(f"{name} is empty")
    delimiter = sniff_delimiter(text)
    try:
        # Blank lines are kept as empty rows, so row numbers in reports match the file's lines.
        rows = pd.read_csv(
            io.StringIO(text), sep=delimiter, header=None, dtype=str, keep_default_na=False,
            na_values=[""], skip_blank_lines=False, engine="c",
        )
    except pd.errors.ParserError:
        rows = _read_ragged_csv(text, delimiter)
    except ValueError as exc:
        raise ImportFileError(f"{name} is not a readable CSV file ({exc})") from exc
    table = pa.Table.from_pandas(rows, preserve_index=False)
    return RawTable(_trim(_as_text_table(table)), "csv", encoding=encoding, delimiter=delimiter)


def _read_ragged_csv(text: str, delimiter: str) -> pd.DataFrame:
    """A CSV whose rows have more fields than its header: every row padded to the longest.

    The extra fields land in columns without a header, which the mapping lists as ignored.
    """
    records = list(csv.reader(io.StringIO(text), delimiter=delimiter))
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
