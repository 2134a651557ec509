"""Checking an .xlsx upload before a reader unpacks it into memory.

The workbook reader (calamine) holds the whole first sheet as a dense grid from its first cell to its
last, plus every shared string: a few hundred bytes that name cells A1 and ZZ200000 take 4 GB. So the
archive is streamed once, in 1 MB pieces, counting what it unpacks to and reading the first sheet's
extent from its cell references, and refused when any limit is passed. The same pass lists formula
cells that have no stored value (the reader would give them as empty).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from pmostep.initiation.imports.errors import ImportFileError
from pmostep.initiation.imports.limits import MAX_CELL_CHARS, MB, Limits, too_big

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx
ZIP_MAGIC = b"PK\x03\x04"
MAX_COMPRESSION_RATIO = 200        # what any one part may compress; typical xlsx parts compress 5-30x
CHUNK = 1 << 20
# No element of a sane sheet is this long: an Excel cell holds 32,767 characters (6 bytes each at most
# once escaped as XML), so a longer stretch without a cell's end is a hostile file.
MAX_ELEMENT_BYTES = 4 * CHUNK
assert MAX_ELEMENT_BYTES > 6 * MAX_CELL_CHARS
SPARE_STRINGS = 10_000             # texts a workbook may keep that no cell uses any more

_CELL_REF = re.compile(rb' r="([A-Z]{1,3})([0-9]{1,9})"')
_TAG = re.compile(rb"<(?:\w+:)?(row|c)(\s[^>]*)?>")
_REF_ATTR = re.compile(rb'\sr="([A-Z]{0,3})([0-9]{1,9})"')
_PREFIXED_ROOT = re.compile(rb"<\w+:worksheet\b")
_FIRST_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\s(?:\w+:)?id="([^"]+)"')
_FORMULA_NO_VALUE = re.compile(
    rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,9})"[^>]*>\s*'
    rb'<(?:\w+:)?f\b(?:[^>]*/>|[^>]*>[^<]*</(?:\w+:)?f>)\s*'
    rb'(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>')


def column_number(letters: bytes | str) -> int:
    """A = 1, Z = 26, AA = 27 ... XFD = 16384."""
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode("ascii"):
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _greater(text: str, alphabet: str) -> bytes:
    """A regex matching the strings of `alphabet` that are greater than `text` in its order, where a
    longer string is greater (cell columns A..XFD, row numbers): a scan for them makes no match objects
    in an ordinary sheet, which is what keeps this check fast."""
    first, last = alphabet[0], alphabet[-1]
    options = [f"[{alphabet[1] if first == '0' else first}-{last}][{first}-{last}]{{{len(text)},}}"]
    for i, ch in enumerate(text):
        above = alphabet[alphabet.index(ch) + 1:]
        if above:
            rest = len(text) - i - 1
            options.append(f"{text[:i]}[{above[0]}-{last}]" + (f"[{first}-{last}]{{{rest}}}" if rest else ""))
    return ("(?:" + "|".join(options) + ")").encode("ascii")


def _beyond(max_column: int, max_row: int) -> tuple[re.Pattern, re.Pattern]:
    """Cell references right of `max_column`, and below `max_row` (two patterns with a literal start
    are twice as fast as one with alternatives)."""
    col = _greater(column_letters(max_column), "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    row = _greater(str(max_row), "0123456789")
    return re.compile(rb' r="' + col + rb"[0-9]"), re.compile(rb' r="[A-Z]{1,3}+' + row + rb'"')


@dataclass
class SheetScan:
    """What the first sheet holds, as its cell references say."""

    max_row: int = 0
    max_column: int = 0
    first_row: int | None = None            # the row of its first cell (the reader starts there)
    has_column_a: bool = False
    cell_tags: int = 0
    formula_cells: list[tuple[int, int]] = field(default_factory=list)   # (row, column), 1-based
    prefixed: bool | None = None            # written with a namespace prefix (<x:c>): read tag by tag
    row: int = 0                            # where the last row and cell were (for cells without r)
    column: int = 0

    def cells(self) -> int:
        """The cells the reader will hold: the grid from the first row down and from column A."""
        return max(0, self.max_row - (self.first_row or 1) + 1) * self.max_column

    def add(self, piece: bytes) -> None:
        """Read one piece of the sheet that ends at the end of an element.

        Every writer seen puts `r="B7"` on each cell: then a few scans of the piece in C suffice, and
        only references past the extent seen so far are read one by one (the first piece, in an
        ordinary sheet). Cells or rows without references are placed tag by tag, as the reader does.
        """
        if self.prefixed is None:
            self.prefixed = _PREFIXED_ROOT.search(piece) is not None
        tags = piece.count(b"<c")
        self.cell_tags += tags
        if self.prefixed or tags != piece.count(b'<c r="'):
            self._walk(piece)
        else:
            last = piece.rfind(b'<row r="')
            top = int(piece[last + 8: piece.index(b'"', last + 8)]) if last != -1 else self.row
            if self.first_row is None and (first := _CELL_REF.search(piece)):
                self.first_row = int(first.group(2))
            if self.max_column == 0 or any(
                    p.search(piece) for p in _beyond(self.max_column, max(top, self.max_row))):
                for col, row in _CELL_REF.findall(piece):
                    self.max_column = max(self.max_column, column_number(col))
                    top = max(top, int(row))
            self.max_row, self.row = max(self.max_row, top), top
        if not self.has_column_a:
            self.has_column_a = re.search(rb' r="A[0-9]', piece) is not None
        if b"<f" in piece or (self.prefixed and b":f" in piece):
            self.formula_cells += [(int(r), column_number(c)) for c, r in _FORMULA_NO_VALUE.findall(piece)]

    def _walk(self, piece: bytes) -> None:
        for tag in _TAG.finditer(piece):
            ref = _REF_ATTR.search(tag.group(2) or b"")
            if tag.group(1) == b"row":
                self.row, self.column = (int(ref.group(2)) if ref else self.row + 1), 0
                continue
            if ref and ref.group(1):
                self.column, row = column_number(ref.group(1)), int(ref.group(2))
            else:
                self.column, row = self.column + 1, self.row
            if self.first_row is None:
                self.first_row = row
            self.max_row, self.max_column = max(self.max_row, row), max(self.max_column, self.column)
            self.has_column_a = self.has_column_a or self.column == 1


def check(name: str, data: bytes, limits: Limits) -> SheetScan:
    """Refuse what is not a workbook, or holds more than the limits; else what its first sheet holds."""
    if data.startswith(OLE_MAGIC):
        raise ImportFileError(f"{name} is password-protected or an old .xls workbook renamed to .xlsx: "
                              "remove the password (File > Info > Protect Workbook) and save it as .xlsx")
    if not data.startswith(ZIP_MAGIC):
        start = data[:4096]
        if b"\0" not in start and any(mark in start for mark in (b"\n", b",", b";", b"\t")):
            raise ImportFileError(f"{name} is not an Excel workbook (.xlsx): it is text; if it is a CSV "
                                  "export, name it .csv")
        raise ImportFileError(f"{name} is not an Excel workbook (.xlsx): it may be another kind of file "
                              "renamed to .xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _check_archive(name, archive, len(data), limits)
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise ImportFileError(f"{name} is damaged or incomplete (the workbook cannot be unpacked)") from exc


def _unpacked(name: str, total: int, limits: Limits) -> ImportFileError:
    return too_big(f"{name} unpacks to", f"more than {total / MB:,.0f} MB",
                   f"{limits.max_unpacked_bytes / MB:,.0f} MB", "max_unpacked_bytes")


def _bomb(name: str) -> ImportFileError:
    return ImportFileError(f"{name} unpacks to far more data than a survey export holds; it was not read")


def _check_archive(name: str, archive: zipfile.ZipFile, size: int, limits: Limits) -> SheetScan:
    infos = archive.infolist()
    names = {i.filename for i in infos}
    if any(n.startswith("Index/") for n in names):
        raise ImportFileError(f"{name} is an Apple Numbers file: export it from Numbers as .xlsx or CSV")
    if "[Content_Types].xml" not in names:
        raise ImportFileError(f"{name} is a zip file but not an Excel workbook")
    declared = sum(i.file_size for i in infos)
    if declared > limits.max_unpacked_bytes:
        raise _unpacked(name, declared, limits)
    if any(i.compress_size and i.file_size / i.compress_size > MAX_COMPRESSION_RATIO for i in infos):
        raise _bomb(name)
    sheet_part = _first_sheet_part(archive, names)
    scan = SheetScan()
    strings = cells = 0
    total = 0
    # The sizes above are what the archive declares; count what it really unpacks to.
    for info in infos:
        is_sheet, is_strings = info.filename == sheet_part, info.filename == "xl/sharedStrings.xml"
        end = b"c>" if is_sheet else b"si>"     # </c> or </x:c>, </si> or </x:si>
        carry = b""
        since_end = 0          # bytes since the last end of a cell (or shared string)
        with archive.open(info) as part:
            while chunk := part.read(CHUNK):
                total += len(chunk)
                if total > limits.max_unpacked_bytes:
                    raise _unpacked(name, total, limits)
                if total > MAX_COMPRESSION_RATIO * size:
                    raise _bomb(name)
                if info.filename.startswith("xl/worksheets/") and not is_sheet:
                    cells += chunk.count(b"<c")
                if not (is_sheet or is_strings):
                    continue
                last_end = chunk.rfind(end)
                since_end = since_end + len(chunk) if last_end == -1 else len(chunk) - last_end
                if since_end > MAX_ELEMENT_BYTES:
                    raise ImportFileError(f"{name} holds a cell of more than {MAX_ELEMENT_BYTES // CHUNK} MB "
                                          f"(an Excel cell holds at most {MAX_CELL_CHARS:,} characters); "
                                          "it was not read")
                piece, carry = _split(carry + chunk, end)
                if is_sheet:
                    scan.add(piece)
                    _check_extent(name, scan, limits)
                else:
                    strings += piece.count(b"<si>") + piece.count(b"<si ")
            if is_sheet:
                scan.add(carry)
                _check_extent(name, scan, limits)
    cells += scan.cell_tags
    # Each shared string is the text of at least one cell: more strings than cells is no export.
    if strings > min(limits.max_cells, SPARE_STRINGS + 2 * cells):
        raise ImportFileError(f"{name} holds {strings:,} shared texts for {cells:,} cell(s): it is not a "
                              "survey export (a workbook holds at most one text per cell); it was not read")
    return scan


def _split(buffer: bytes, end: bytes) -> tuple[bytes, bytes]:
    """The buffer up to the end of its last complete element, and the rest (for the next piece)."""
    cut = buffer.rfind(end)
    cut = buffer.rfind(b">") if cut == -1 else cut + len(end) - 1
    return buffer[: cut + 1], buffer[cut + 1:]


def _check_extent(name: str, scan: SheetScan, limits: Limits) -> None:
    if scan.max_column > limits.max_columns:
        raise too_big(f"{name}'s first sheet has", f"{scan.max_column:,} columns", f"{limits.max_columns:,}",
                      "max_columns")
    if scan.cells() > limits.max_cells:
        raise too_big(f"{name}'s first sheet spans", f"{scan.cells():,} cells (rows {scan.first_row or 1} to "
                      f"{scan.max_row:,}, columns A to {column_letters(scan.max_column)})",
                      f"{limits.max_cells:,}", "max_cells")


def _first_sheet_part(archive: zipfile.ZipFile, names: set[str]) -> str:
    """The part of the workbook's first sheet (the one the reader loads)."""
    try:
        with archive.open("xl/workbook.xml") as part:
            workbook = part.read(MAX_ELEMENT_BYTES)
        with archive.open("xl/_rels/workbook.xml.rels") as part:
            rels = part.read(MAX_ELEMENT_BYTES)
    except KeyError:
        return "xl/worksheets/sheet1.xml"
    first = _FIRST_SHEET.search(workbook)
    if first:
        rel_id = re.escape(first.group(1))
        rel = re.search(rb'<(?:\w+:)?Relationship\b[^>]*?\bId="' + rel_id + rb'"[^>]*>', rels)
        target = rel and re.search(rb'\bTarget="([^"]+)"', rel.group(0))
        if target:
            path = target.group(1).decode("utf-8", errors="replace").lstrip("/")
            path = path if path.startswith("xl/") else f"xl/{path}"
            if path in names:
                return path
    return "xl/worksheets/sheet1.xml"
