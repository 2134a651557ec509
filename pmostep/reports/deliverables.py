"""The deliverables a PMO lead hands over, as one registry the Reports page and `python -m pmostep report`
share: what each is called for people, its file, how it is built from a `Content`, and what its preview
lists (sheets, slides, headings), so the page and the command line never disagree on a name or a file.

A new deliverable is a builder in this package (a pure function of `content.Content` to bytes), an entry
of `FORMATS`, a line of `build`, and its outline in `outline`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser

import docx
import openpyxl
import pptx

from pmostep.reports import board, charter, deck, deployment_plan, workbook
from pmostep.reports.content import Content, ReportError

PAPERS = ("A4", "Letter")
OOXML = "application/vnd.openxmlformats-officedocument"


@dataclass(frozen=True)
class Deliverable:
    """One deliverable: its key (the CLI's --format), its name for people, and its file."""

    key: str
    label: str
    stem: str            # the file name's part after the assessment's slug
    suffix: str
    mime: str
    description: str


FORMATS = (
    Deliverable("xlsx", "Excel workbook", "workbook", ".xlsx", f"{OOXML}.spreadsheetml.sheet",
                "Every figure in sheets with native Excel charts, for the PMO team to filter and reuse."),
    Deliverable("html", "Board report (HTML)", "board-report", ".html", "text/html",
                "One self-contained page: a one-page executive summary, then the detail, for any browser."),
    Deliverable("pdf", "Board report (PDF)", "board-report", ".pdf", "application/pdf",
                "The board report printed to PDF, with page numbers, to send or print."),
    Deliverable("pptx", "Sponsor slide deck", "slides", ".pptx", f"{OOXML}.presentationml.presentation",
                "Ten or so 16:9 slides for the sponsor's meeting, with editable PowerPoint charts."),
    Deliverable("docx-charter", "PMO charter (draft)", "charter", ".docx",
                f"{OOXML}.wordprocessingml.document",
                "A charter drafted from the Foundation facts and wave 1, with the blanks to fill marked."),
    Deliverable("docx-plan", "Deployment plan", "deployment-plan", ".docx",
                f"{OOXML}.wordprocessingml.document",
                "The waves with dates, effort, roles and capacity, staffing against the PMO's staff, and "
                "the change and communication plan with the stakeholder map's actions."),
)
BY_KEY = {d.key: d for d in FORMATS}
KEYS = tuple(BY_KEY)


def get(key: str) -> Deliverable:
    """The deliverable of a key, or a ReportError naming the keys there are."""
    try:
        return BY_KEY[key]
    except KeyError:
        raise ReportError(f"no deliverable '{key}': choose one of {', '.join(KEYS)}") from None


def build(key: str, c: Content, paper: str = "A4") -> bytes:
    """The deliverable's file from the gathered content (`paper` is the PDF's page size)."""
    get(key)
    if key == "xlsx":
        return workbook.build(c)
    if key == "html":
        return board.build(c)
    if key == "pdf":
        if paper not in PAPERS:
            raise ReportError(f"paper '{paper}' is not one of {', '.join(PAPERS)}")
        return board.pdf(c, paper)
    if key == "pptx":
        return deck.build(c)
    if key == "docx-charter":
        return charter.build(c)
    return deployment_plan.build(c)


def file_name(key: str, slug: str, day: date) -> str:
    """The default file name: the assessment's slug, the deliverable and the day, e.g.
    demo-board-report-2026-12-02.pdf (so a folder of them sorts by assessment, then kind, then date)."""
    d = get(key)
    return f"{slug}-{d.stem}-{day:%Y-%m-%d}{d.suffix}"


def outline(key: str, data: bytes) -> list[str]:
    """What the preview lists, read back from the file itself: the workbook's sheets, the slides'
    titles, the documents' headings, the HTML report's h1 and h2. A PDF has none here (the page shows
    the HTML report it prints)."""
    get(key)
    if key == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        try:
            return list(book.sheetnames)
        finally:
            book.close()
    if key == "pptx":
        return [_slide_title(slide) for slide in pptx.Presentation(io.BytesIO(data)).slides]
    if key in ("docx-charter", "docx-plan"):
        document = docx.Document(io.BytesIO(data))
        return [p.text.strip() for p in document.paragraphs
                if p.style is not None and p.style.name.startswith("Heading") and p.text.strip()]
    if key == "html":
        reader = _Headings()
        reader.feed(data.decode("utf-8"))
        reader.close()
        return reader.found
    return []


def _slide_title(slide) -> str:
    """A slide's title placeholder, else its first text (a slide built on a blank layout)."""
    if slide.shapes.title is not None and slide.shapes.title.text_frame.text.strip():
        return slide.shapes.title.text_frame.text.strip()
    for shape in slide.shapes:
        if shape.has_text_frame and shape.text_frame.text.strip():
            return shape.text_frame.text.strip().splitlines()[0]
    return ""


class _Headings(HTMLParser):
    """The texts of the <h1> and <h2> of an HTML document, in order (entities read, inner tags dropped)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._parts: list[str] | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("h1", "h2"):
            self._parts = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2") and self._parts is not None:
            text = " ".join("".join(self._parts).split())
            if text:
                self.found.append(text)
            self._parts = None

    def handle_data(self, data: str) -> None:
        if self._parts is not None:
            self._parts.append(data)
