"""The charter and the deployment plan in real readers: LibreOffice Writer opens and converts both to PDF,
pdftotext finds their headings, and poppler renders the first page and an inner page (not blank)."""

from __future__ import annotations

import io
import re
import subprocess
import time

import docx
import pytest

from pmostep.reports import charter, deployment_plan
from tests.readers import convert, first_page_png, need, pdf_pages, pdf_text

pytestmark = pytest.mark.e2e
BUILDERS = {"charter": charter.build, "deployment-plan": deployment_plan.build}
MIN_PAGE_PNG = 8_000          # bytes: a blank A4 page at 60 dpi is a fraction of this


@pytest.fixture(scope="module")
def demo(demo_content):
    return demo_content


def page_png(pdf, page: int, dpi: int = 60):
    need("pdftoppm")
    stem = pdf.with_name(f"{pdf.stem}-page{page}")
    subprocess.run(["pdftoppm", "-png", "-f", str(page), "-l", str(page), "-r", str(dpi), "-singlefile",
                    str(pdf), str(stem)], check=True, timeout=60)
    return stem.with_suffix(".png")


@pytest.mark.parametrize("name", list(BUILDERS))
def test_libreoffice_converts_the_document_with_its_headings(demo, tmp_path, name):
    started = time.perf_counter()
    data = BUILDERS[name](demo)
    print(f"{name}: built for the demo in {time.perf_counter() - started:.2f} s")
    path = tmp_path / f"{name}.docx"
    path.write_bytes(data)
    pdf = convert(path)
    words = re.sub(r"\s+", " ", pdf_text(pdf))
    wanted = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs
              if p.style.name in ("Title", "Heading 1", "Heading 2")]
    assert len(wanted) > 10
    assert [h for h in wanted if h not in words] == []
    assert "Harbourline Logistics" in words and "_" not in words
    pages = pdf_pages(pdf)
    assert pages >= 5
    assert first_page_png(pdf).stat().st_size > MIN_PAGE_PNG
    assert page_png(pdf, pages // 2).stat().st_size > MIN_PAGE_PNG
