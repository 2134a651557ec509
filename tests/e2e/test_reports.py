"""The Reports page in a real browser: each of the six deliverables built and downloaded from the page,
each file read back by its own reader (openpyxl, python-pptx, python-docx, pdftotext, the HTML itself);
and the PDF of an assessment with a group below the minimum size, read with pdftotext, naming that group
only in the one sentence every deliverable uses, with none of its members' markup run."""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import date

import docx
import openpyxl
import pptx
import pytest

from pmostep.reports import content, deliverables
from tests.conftest import SMALL_GROUP
from tests.readers import pdf_text
from tests.server import running_app, wait_for_app

pytestmark = pytest.mark.e2e

WAIT = 60_000                       # ms: the PDF is printed by a second Chromium on two shared cores
OPENS = {"xlsx": openpyxl.load_workbook, "pptx": pptx.Presentation, "docx-charter": docx.Document,
         "docx-plan": docx.Document}


def test_every_deliverable_downloads_from_the_page_and_opens(browser, demo_file, tmp_path):
    served = tmp_path / "reports.duckdb"
    shutil.copy(demo_file, served)                       # a copy: the app opens its file for writing
    with running_app(served, timeout=90) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page.goto(f"{url}/reports")
        wait_for_app(page)
        for d in deliverables.FORMATS:
            page.locator(".st-key-reports_choice").get_by_role("radio", name=d.label, exact=True).click()
            wait_for_app(page)
            page.locator(".st-key-reports_build button").click()
            name = deliverables.file_name(d.key, "demo", date.today())
            # The button names its file: waiting for this file's name, not for any download button, keeps
            # the previous deliverable's button (still on screen until the rerun) from being clicked.
            download_button = page.locator(".st-key-reports_download button").filter(has_text=name)
            download_button.wait_for(timeout=WAIT)
            with page.expect_download(timeout=WAIT) as download:
                download_button.click()
            assert download.value.suggested_filename == name
            path = tmp_path / name
            download.value.save_as(path)
            data = path.read_bytes()
            if d.key in OPENS:
                assert zipfile.is_zipfile(io.BytesIO(data))
                OPENS[d.key](io.BytesIO(data))
                assert deliverables.outline(d.key, data)
            elif d.key == "pdf":
                assert data.startswith(b"%PDF-") and "Harbourline" in pdf_text(path)
            else:
                assert "Executive summary" in deliverables.outline("html", data)
            assert page.locator("[data-testid='stException']").count() == 0
        page.close()


def test_the_pdf_names_a_small_group_only_in_the_one_sentence(tmp_path, small_content):
    c, a = small_content, small_content.assessment
    path = tmp_path / "small.pdf"
    path.write_bytes(deliverables.build("pdf", c))
    text = " ".join(pdf_text(path).split())
    sentence = " ".join(content.suppressed_sentence(c).split())
    assert a.name in text and sentence in text
    rest = text.replace(sentence, " ")
    invited = {g.name: g.invited for g in a.stakeholder_groups}
    for name in content.suppressed_groups(c):      # a listed group: its row of the response rates only
        assert (rest.count(name), f"{name} {invited[name]} withheld withheld" in rest) == (1, True) \
            if name in invited else name not in rest
    assert SMALL_GROUP in sentence
    if "AUDIT-ONLY-REMARK" in text:                         # the pooled remark, its markup shown as text
        assert "<script>alert(1)</script>" in text
