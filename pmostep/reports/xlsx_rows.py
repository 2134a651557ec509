"""A sheet's rows written straight into the XML of a workbook openpyxl saved: the raw sheet of 20,000
respondents holds two million cells, which openpyxl's cell objects took 20 s to write and save.

The workbook lays the sheet out with openpyxl (title, header, widths, frozen panes, filter, print
setup) and says how each cell of the body is styled (`Body`); `splice` puts the body's rows into that
sheet of the saved file, streamed into the zip. Cells are written as openpyxl writes them (numbers as
%.16g, text as inline strings; the number type left to its default, a fifth of the XML), after the
safety every sheet gets: characters XML cannot hold taken out, then text a spreadsheet would run quoted
by safe_cells.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from xml.etree import ElementTree
from xml.sax.saxutils import escape

import pandas as pd
from openpyxl.utils import get_column_letter

from pmostep.core import safe_cells

MAX_TEXT = 32_767                   # characters in a cell (Excel's limit; openpyxl cuts there too)
CHUNK = 1_000                       # rows encoded and compressed at a time
# What XML 1.0 cannot hold (openpyxl refuses such text): C0 controls but tab, LF, CR; lone surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True)
class Style:
    """The style ids (the workbook's cellXfs) of one column's cells: text and numbers, in a row of one
    line and in a row of wrapped text."""

    text: int
    number: int
    wrapped_text: int
    wrapped_number: int


@dataclass(frozen=True)
class Body:
    """Rows to write below a sheet's header: the values as the data holds them (text, made safe when
    written; numbers; missing ones left empty), the sheet row of the first, each column's styles, and
    each row's height: None for one line, a height for a row of wrapped text (its cells take their
    wrapped styles)."""

    values: pd.DataFrame
    first: int
    styles: Sequence[Style]
    heights: Sequence[float | None]


def splice(xlsx: bytes, sheet: str, body: Body) -> bytes:
    """The workbook with `body`'s rows added at the end of sheet `sheet`'s rows, its dimension widened
    to hold them; every other part copied as it is."""
    out = io.BytesIO()
    with (zipfile.ZipFile(io.BytesIO(xlsx)) as source,
          zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target):
        part = _sheet_part(source, sheet)
        for info in source.infolist():
            if info.filename != part:
                target.writestr(info, source.read(info))
                continue
            head, tail = source.read(info).decode("utf-8").split("</sheetData>")
            last = f"{get_column_letter(body.values.shape[1])}{body.first + len(body.values) - 1}"
            head = re.sub(r'<dimension ref="([A-Z]+\d+):?[A-Z]*\d*"', rf'<dimension ref="\1:{last}"', head,
                          count=1)
            streamed = zipfile.ZipInfo(part, info.date_time)
            streamed.compress_type = zipfile.ZIP_DEFLATED
            with target.open(streamed, "w") as stream:
                stream.write(head.encode("utf-8"))
                for chunk in _chunks(body):
                    stream.write(chunk.encode("utf-8"))
                stream.write(("</sheetData>" + tail).encode("utf-8"))
    return out.getvalue()


def _sheet_part(z: zipfile.ZipFile, sheet: str) -> str:
    """The zip name of the worksheet named `sheet`, from the workbook and its relationships."""
    book = ElementTree.fromstring(z.read("xl/workbook.xml"))
    rid = next(s.get(f"{_REL}id") for s in book.iter(f"{_MAIN}sheet") if s.get("name") == sheet)
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = next(r.get("Target") for r in rels.iter(f"{_PACKAGE_REL}Relationship") if r.get("Id") == rid)
    return target.removeprefix("/") if target.startswith("/") else f"xl/{target}"


def _chunks(body: Body) -> Iterator[str]:
    """The rows' XML, CHUNK rows at a time."""
    letters = [get_column_letter(j) for j in range(1, body.values.shape[1] + 1)]
    columns = [body.values[name].to_numpy(dtype=object, na_value=None) for name in body.values.columns]
    # Per column, for rows of one line and wrapped rows: the XML of a cell after its reference, by value.
    # A column of ratings holds five values 20,000 times: each is formatted once, and a group escaped once.
    ends: list[tuple[dict, dict]] = [({}, {}) for _ in letters]
    rows: list[str] = []
    for i, (values, height) in enumerate(zip(zip(*columns, strict=True), body.heights, strict=True)):
        r, kind = body.first + i, int(height is not None)
        rows.append(f'<row r="{r}">' if height is None else f'<row r="{r}" ht="{height:g}" customHeight="1">')
        for letter, value, style, known in zip(letters, values, body.styles, ends, strict=True):
            if value is None:
                continue
            end = known[kind].get(value)
            if end is None:
                end = known[kind][value] = _end(value, style, wrapped=bool(kind))
            if end:
                rows.append(f'<c r="{letter}{r}"{end}')
        rows.append("</row>")
        if i % CHUNK == CHUNK - 1:
            yield "".join(rows)
            rows.clear()
    yield "".join(rows)


def _end(value: str | float, style: Style, wrapped: bool) -> str:
    """What follows a cell's reference: its style, type and value (numbers of the default type, "n");
    nothing for a cell left empty, empty text or infinity, which openpyxl writes empty."""
    if isinstance(value, str):
        text = _style(style.wrapped_text if wrapped else style.text)
        return f'{text} t="inlineStr">{_inline(value)}</c>' if value else ""
    number = _style(style.wrapped_number if wrapped else style.number)
    return f"{number}><v>{value:.16g}</v></c>" if math.isfinite(value) else ""


def _style(style_id: int) -> str:
    """A cell's style attribute; openpyxl leaves out the default, 0."""
    return f' s="{style_id}"' if style_id else ""


def _inline(text: str) -> str:
    """An inline string: characters XML cannot hold taken out first, so that they cannot hide a formula
    from safe_cells; spaces at either end kept; a carriage return written as a reference, which XML
    would otherwise read as a line feed."""
    safe = safe_cells.cell(_NOT_XML.sub("", text))[:MAX_TEXT]
    space = ' xml:space="preserve"' if safe != safe.strip() else ""
    return f"<is><t{space}>{escape(safe, {chr(13): '&#13;'})}</t></is>"
