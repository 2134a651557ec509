"""The sponsor deck in a real reader: LibreOffice Impress converts it to PDF, one page per slide, and
poppler renders and reads the pages: no word runs into another or into the footer, or off the slide."""

from __future__ import annotations

import io
import re
import subprocess
import time
from pathlib import Path

import pytest
from pptx import Presentation

from pmostep.reports import deck
from tests.readers import convert, first_page_png, need, pdf_pages, pdf_text

pytestmark = pytest.mark.e2e

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
FOOTER_TOP = (deck.HEIGHT - 0.55) / deck.HEIGHT        # share of the page height where the footer begins


@pytest.fixture(scope="module")
def demo(demo_content):
    return demo_content


def pages(pdf: Path) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
    """Every page's size and words with their boxes (pdftotext -bbox)."""
    need("pdftotext")
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True,
                         timeout=60).stdout
    return [(float(w), float(h), [(*map(float, m[:4]), m[4]) for m in WORD.findall(body)])
            for w, h, body in PAGE.findall(out)]


def overlaps(a, b) -> bool:
    """Two words drawn over each other (more than a sliver of the smaller one)."""
    dx = min(a[2], b[2]) - max(a[0], b[0])
    dy = min(a[3], b[3]) - max(a[1], b[1])
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return dx > 0 and dy > 0 and dx * dy > 0.2 * smaller


def render(pdf: Path, page: int) -> Path:
    stem = pdf.with_name(f"{pdf.stem}-{page}")
    subprocess.run(["pdftoppm", "-png", "-f", str(page), "-l", str(page), "-r", "80", "-singlefile",
                    str(pdf), str(stem)], check=True, timeout=60)
    return stem.with_suffix(".png")


def check_layout(pdf: Path, slides: int) -> None:
    found = pages(pdf)
    assert len(found) == slides
    for number, (width, height, words) in enumerate(found, start=1):
        assert words, f"slide {number} is blank"
        for w in words:
            assert w[0] >= 0 and w[2] <= width + 1 and w[3] <= height + 1, (number, w)
            # The body stays above the footer: a word reaching into the footer's band is an overflow.
            assert w[3] <= FOOTER_TOP * height or w[1] >= FOOTER_TOP * height - 2, (number, w)
        clashes = [(a[4], b[4]) for k, a in enumerate(words) for b in words[k + 1:] if overlaps(a, b)]
        assert clashes == [], f"slide {number}: words drawn over each other: {clashes[:5]}"


def test_libreoffice_shows_the_demo_deck_slide_by_slide(demo, tmp_path):
    started = time.perf_counter()
    data = deck.build(demo)
    seconds = time.perf_counter() - started
    print(f"deck for the demo built in {seconds:.2f} s")
    assert seconds < 5
    path = tmp_path / "demo-deck.pptx"
    path.write_bytes(data)
    pdf = convert(path)
    slides = len(Presentation(io.BytesIO(data)).slides)
    assert pdf_pages(pdf) == slides
    text = pdf_text(pdf)
    for title in ("Purpose and method", "Maturity profile", "The largest gaps", "Roadmap by wave",
                  "Decisions asked of the sponsor"):
        assert title in text
    assert demo.assessment.organisation in text
    check_layout(pdf, slides)
    png = first_page_png(pdf)
    assert png.stat().st_size > 5_000
    for page in (3, 8):
        assert render(pdf, page).stat().st_size > 5_000


def test_libreoffice_shows_the_small_group_deck_without_overflow(tmp_path, small_content):
    path = tmp_path / "small-deck.pptx"
    data = deck.build(small_content)
    path.write_bytes(data)
    pdf = convert(path)
    check_layout(pdf, len(Presentation(io.BytesIO(data)).slides))
    text = pdf_text(pdf)
    assert "A group too small to name" in text and "<script>" in text      # quoted as text, pooled
    for page in (2, 5):
        render(pdf, page)
