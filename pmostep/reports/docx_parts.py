"""The parts the two Word deliverables share (the PMO charter and the deployment plan): a document with
the house styles, a title page, a table of contents that Word fills in (a real field), headings, bullet
lists, tables from DataFrames in a table style, and the "[To fill: ...]" blanks the PMO lead completes.

Both documents are drafts a PMO lead edits in Word or LibreOffice, so they use named styles throughout
(Title, Heading 1-2, List Bullet, a table style, the "To fill" character style): restyling the document
restyles every part, and a reader or a test finds every blank by its style. Text from data goes in as
plain text (python-docx escapes it for the XML).
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime

import pandas as pd
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from pmostep.core.numbers import figure
from pmostep.core.safe_cells import printable
from pmostep.reports import content

TABLE_STYLE = "Light Grid Accent 1"
TO_FILL = "To fill"                   # the character style of every blank the PMO lead must fill
TOC_INSTRUCTION = 'TOC \\o "1-3" \\h \\z \\u'
TOC_PLACEHOLDER = "Right-click to update the table of contents"
MISSING = "not known"
TEXT_WIDTH = 16.6                     # cm between the margins of an A4 page
FIRST_COLUMN = 5.6                    # cm for a table's first column (the names) unless told
KEEP_TOGETHER = 16                    # a table of up to this many rows is not split across pages


def document(title: str, subject: str, organisation: str, day: date) -> DocumentObject:
    """A new document: A4 with even margins, the "To fill" style, and properties naming what it is and
    when it was made (not the template's own dates)."""
    doc = Document()
    for section in doc.sections:
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.left_margin = section.right_margin = Cm(2.2)
        section.top_margin = section.bottom_margin = Cm(2.2)
    doc.styles["Normal"].font.size = Pt(11)
    style = doc.styles.add_style(TO_FILL, WD_STYLE_TYPE.CHARACTER)
    style.font.highlight_color = WD_COLOR_INDEX.YELLOW
    style.font.bold = True
    props = doc.core_properties
    props.title, props.subject, props.author = title, subject, organisation or "PMOStep"
    props.last_modified_by, props.comments, props.keywords = "PMOStep", "", "PMO"
    props.created = props.modified = datetime.combine(day, datetime.min.time())
    return doc


def opening(c: content.Content, title: str, core_title: str, subject: str) -> DocumentObject:
    """A new document of the assessment: its properties, the title page and the table of contents,
    as both Word deliverables start."""
    a = c.assessment
    doc = document(f"{core_title}: {a.organisation or a.name}", subject, a.organisation, c.generated)
    title_page(doc, title, a.organisation or a.name, [
        f"Assessment: {a.name}", f"Date: {content.day(c.generated)}", "Draft for the sponsor's review"])
    toc(doc)
    return doc


def title_page(doc: DocumentObject, title: str, subtitle: str, lines: Sequence[str]) -> None:
    """The first page: the title, the organisation under it, then one line per fact; a page break after."""
    doc.add_paragraph(printable(title), style="Title").paragraph_format.space_before = Pt(140)
    doc.add_paragraph(printable(subtitle), style="Subtitle")
    for line in lines:
        doc.add_paragraph(printable(line))
    page_break(doc)


def page_break(doc: DocumentObject) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _field_run(paragraph: Paragraph, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(char)


def toc(doc: DocumentObject) -> None:
    """A table of contents field over Heading 1-3: Word and LibreOffice fill it in when it is updated;
    until then it shows how to (a document built outside Word cannot know its page numbers)."""
    doc.add_paragraph("Contents", style="TOC Heading" if "TOC Heading" in _styles(doc) else "Subtitle")
    paragraph = doc.add_paragraph()
    _field_run(paragraph, "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = TOC_INSTRUCTION
    paragraph.add_run()._r.append(instruction)
    _field_run(paragraph, "separate")
    paragraph.add_run(TOC_PLACEHOLDER)
    _field_run(paragraph, "end")
    page_break(doc)


def _styles(doc: DocumentObject) -> set[str]:
    return {s.name for s in doc.styles}


def heading(doc: DocumentObject, text: str, level: int = 1) -> Paragraph:
    return doc.add_heading(printable(text), level=level)


def paragraph(doc: DocumentObject, *parts: str | tuple[str, str]) -> Paragraph:
    """A Normal paragraph of text parts; a part given as ("blank", what) is a "[To fill: what]" blank
    and ("bold", text) a bold lead-in, so a sentence can mix facts and blanks."""
    p = doc.add_paragraph()
    for part in parts:
        add_part(p, part)
    return p


def add_part(p: Paragraph, part: str | tuple[str, str]) -> None:
    """Every text reaches the document here or in `table`, without the control characters Word's XML
    cannot hold (a name pasted with a vertical tab would otherwise stop the build)."""
    if isinstance(part, str):
        p.add_run(printable(part))
    elif part[0] == "blank":
        blank(p, part[1])
    else:
        p.add_run(printable(part[1])).bold = True


def blank(p: Paragraph, what: str) -> None:
    """A blank the PMO lead must fill, always as "[To fill: what]" in the "To fill" style."""
    p.add_run(printable(f"[To fill: {what}]"), style=TO_FILL)


def bullets(doc: DocumentObject, items: Iterable[str | tuple], keep: bool = False) -> None:
    """One List Bullet paragraph per item; an item may be a tuple of parts, as for `paragraph`. `keep`
    keeps the list on the page of what follows it (an entry's deliverables with its facts)."""
    for item in items:
        p = doc.add_paragraph(style="List Bullet")
        p.paragraph_format.keep_with_next = keep
        for part in item if isinstance(item, tuple) else (item,):
            add_part(p, part)


def cell_text(value: object) -> str:
    """A table cell as people read it: figures without trailing zeros, dates spelt out, gaps named."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return figure(value)
    if isinstance(value, date):
        return content.day(value)
    return printable(str(value))


def table(doc: DocumentObject, frame: pd.DataFrame, widths: Sequence[float] | None = None,
          decimals: int | None = None, header: bool = True) -> Table:
    """A table of the frame's columns under a header row, in the house table style; numbers as `cell_text`
    (or with `decimals` fixed, for maturities: 2.70 beside 2.65), a cell holding ("blank", what) as a
    "To fill" blank. The header repeats on every page (`header=False`: facts by row, no header row);
    `widths` in cm, else the first column wider. A short table stays on one page with the line before it."""
    if doc.paragraphs:
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    t = doc.add_table(rows=1 if header else 0, cols=len(frame.columns))
    t.style = doc.styles[TABLE_STYLE]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    if header:
        for cell, name in zip(t.rows[0].cells, frame.columns, strict=True):
            cell.text = printable(str(name))
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        t.rows[0]._tr.get_or_add_trPr().append(repeat)
    else:
        look = t._tbl.tblPr.xpath("w:tblLook")[0]
        look.set(qn("w:firstRow"), "0")
        look.set(qn("w:val"), "0480")           # the same, as the bit mask LibreOffice reads
    for row in frame.itertuples(index=False):
        cells = t.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            if isinstance(value, tuple):
                add_part(cell.paragraphs[0], value)
            else:
                value = value.item() if hasattr(value, "item") else value
                fixed = decimals is not None and isinstance(value, float) and not math.isnan(value)
                cell.text = f"{value:.{decimals}f}" if fixed else cell_text(value)
    t.autofit = False
    n = len(frame.columns)
    widths = widths or ([FIRST_COLUMN] + [(TEXT_WIDTH - FIRST_COLUMN) / (n - 1)] * (n - 1) if n > 1
                        else [TEXT_WIDTH])
    for column, width in zip(t.columns, widths, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
    _keep_together(t)
    doc.add_paragraph()
    return t


def _keep_together(t: Table) -> None:
    """Rows never split; a short table also keeps each row with the next, so it moves to the next page
    whole (with the line before it) rather than leaving its header or first rows alone."""
    for k, row in enumerate(t.rows):
        cant = OxmlElement("w:cantSplit")
        cant.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(cant)
        if len(t.rows) <= KEEP_TOGETHER and k < len(t.rows) - 1:
            for cell in row.cells:
                for p in cell.paragraphs:
                    p.paragraph_format.keep_with_next = True


def to_bytes(doc: DocumentObject) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
