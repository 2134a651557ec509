"""reports/deliverables.py without a database: the registry's names and files, and the outline the Reports
page previews, read from files made in memory with each format's own library."""

import io
import re
from datetime import date

import docx
import openpyxl
import pptx
import pytest

from pmostep.reports import deliverables
from pmostep.reports.content import ReportError


def test_the_six_deliverables_in_order_with_names_for_people():
    assert [d.key for d in deliverables.FORMATS] == ["xlsx", "html", "pdf", "pptx", "docx-charter",
                                                     "docx-plan"]
    assert [d.label for d in deliverables.FORMATS] == [
        "Excel workbook", "Board report (HTML)", "Board report (PDF)", "Sponsor slide deck",
        "PMO charter (draft)", "Deployment plan"]
    assert all(d.description.endswith(".") and "-" not in d.label for d in deliverables.FORMATS)


def test_file_names_start_with_the_slug_and_end_with_the_day():
    day = date(2026, 12, 2)
    names = {d.key: deliverables.file_name(d.key, "demo", day) for d in deliverables.FORMATS}
    assert names == {"xlsx": "demo-workbook-2026-12-02.xlsx", "html": "demo-board-report-2026-12-02.html",
                     "pdf": "demo-board-report-2026-12-02.pdf", "pptx": "demo-slides-2026-12-02.pptx",
                     "docx-charter": "demo-charter-2026-12-02.docx",
                     "docx-plan": "demo-deployment-plan-2026-12-02.docx"}


def test_an_unknown_deliverable_names_the_ones_there_are():
    with pytest.raises(ReportError, match=re.escape("choose one of xlsx, html, pdf, pptx, docx-charter")):
        deliverables.file_name("odt", "demo", date(2026, 12, 2))
    with pytest.raises(ReportError, match="no deliverable 'odt'"):
        deliverables.outline("odt", b"")


def saved(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_the_outline_of_a_workbook_is_its_sheets_in_order():
    book = openpyxl.Workbook()
    book.active.title = "Cover"
    book.create_sheet("Dimensions")
    book.create_sheet("How computed")
    assert deliverables.outline("xlsx", saved(book)) == ["Cover", "Dimensions", "How computed"]


def test_the_outline_of_a_deck_is_its_slide_titles_or_first_texts():
    deck = pptx.Presentation()
    titled = deck.slides.add_slide(deck.slide_layouts[5])            # "Title Only"
    titled.shapes.title.text = "Maturity profile"
    blank = deck.slides.add_slide(deck.slide_layouts[6])             # no title placeholder
    box = blank.shapes.add_textbox(0, 0, 100, 100)
    box.text_frame.text = "Decisions asked of the sponsor\nApprove wave 1"
    assert deliverables.outline("pptx", saved(deck)) == ["Maturity profile", "Decisions asked of the sponsor"]


def test_the_outline_of_a_document_is_its_headings():
    document = docx.Document()
    document.add_heading("PMO charter", level=0)          # style "Title": not a heading
    document.add_heading("Mission", level=1)
    document.add_paragraph("Body text under it.")
    document.add_heading("Services of wave 1", level=2)
    document.add_heading("   ", level=2)                  # an empty heading is not listed
    for key in ("docx-charter", "docx-plan"):
        assert deliverables.outline(key, saved(document)) == ["Mission", "Services of wave 1"]


def test_the_outline_of_the_html_report_is_its_h1_and_h2_texts_read_as_people_see_them():
    page = ("<html><head><title>Not this</title></head><body><h1>Board report: A &amp; B</h1>"
            "<h3>Not this either</h3><h2 id='gaps'>The <em>largest</em>\n gaps</h2>"
            "<p>text</p><h2>&lt;script&gt; stays text</h2></body></html>")
    assert deliverables.outline("html", page.encode()) == [
        "Board report: A & B", "The largest gaps", "<script> stays text"]


def test_a_pdf_has_no_outline_of_its_own():
    assert deliverables.outline("pdf", b"%PDF-1.4\n") == []
