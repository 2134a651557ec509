"""The board report printed by Debian's Chromium and read back by poppler: A4 and Letter pages, the
executive summary on page 1, "Page n of N" and the assessment's name in every footer, a first page
that renders, and small groups named only in the one sentence and in their row of the response rates,
with nothing but withheld beside them."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest

from pmostep.reports import board, content
from tests.conftest import SMALL_GROUP, SMALL_GROUP_REMARK
from tests.readers import first_page_png, need, pdf_pages, pdf_text

pytestmark = pytest.mark.e2e

SIZES = {"A4": (595, 842), "Letter": (612, 792)}


def page_text(path: Path, page: int) -> str:
    need("pdftotext")
    return subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
                          capture_output=True, text=True, check=True, timeout=60).stdout


def page_size(path: Path) -> tuple[int, int]:
    need("pdfinfo")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True,
                          timeout=60).stdout
    width, height = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M).groups()
    return round(float(width)), round(float(height))


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def demo(tmp_path_factory, demo_content):
    need("chromium")
    folder = tmp_path_factory.mktemp("board-pdf")
    c = demo_content
    printed = {}
    for paper in SIZES:
        started = time.perf_counter()
        data = board.pdf(c, paper)
        seconds = time.perf_counter() - started
        print(f"\nboard.pdf ({paper}) for the demo: {seconds:.2f} s, {len(data) // 1024} KiB")
        path = folder / f"board-{paper}.pdf"
        path.write_bytes(data)
        printed[paper] = path
    return c, printed


@pytest.mark.parametrize("paper", list(SIZES))
def test_pdf_is_printed_on_the_paper_asked(demo, paper):
    _, printed = demo
    assert printed[paper].read_bytes().startswith(b"%PDF-")
    assert page_size(printed[paper]) == SIZES[paper]


@pytest.mark.parametrize("paper", list(SIZES))
def test_page_one_is_the_executive_summary_with_its_footer(demo, paper):
    c, printed = demo
    path = printed[paper]
    pages = pdf_pages(path)
    assert pages > 10
    first = page_text(path, 1)
    o = c.whole.overall
    summary = words(first)
    assert "Executive summary" in summary
    assert f"{o['current']:.2f} maturity index, level {o['level']} ({o['level_name']})" in summary
    for name in content.largest_gaps(c)["name"]:
        assert name in summary
    assert "Decisions asked of the sponsor" in summary and "The waves" in summary
    assert "Dimensions" not in first.split("Executive summary")[0]       # detail pages come after
    assert re.search(rf"{re.escape(c.assessment.name)}\s+Page 1 of {pages}\s*$", first.rstrip())


def test_every_page_has_the_name_and_its_number_in_the_footer(demo):
    c, printed = demo
    path = printed["A4"]
    text = pdf_text(path)
    pages = pdf_pages(path)
    numbers = [int(n) for n in re.findall(rf"Page (\d+) of {pages}\b", text)]
    assert numbers == list(range(1, pages + 1))
    assert text.count(c.assessment.name) >= pages
    assert words(page_text(path, 2)).startswith("Dimensions Current and desired maturity per dimension")


def test_first_page_and_a_detail_page_render(demo):
    _, printed = demo
    for paper, path in printed.items():
        png = first_page_png(path, dpi=80)
        assert png.stat().st_size > 20_000, paper        # text and boxes, not a blank page
    need("pdftoppm")
    path = printed["A4"]
    stem = path.with_name("board-A4-detail")
    subprocess.run(["pdftoppm", "-png", "-f", "2", "-l", "2", "-r", "80", "-singlefile", str(path),
                    str(stem)], check=True, timeout=60)
    detail = stem.with_suffix(".png")
    assert detail.stat().st_size > 20_000


def test_printed_text_names_small_groups_only_in_the_one_sentence(tmp_path, small_content):
    need("chromium")
    c = small_content
    path = tmp_path / "small.pdf"
    path.write_bytes(board.pdf(c, "Letter"))
    text = words(pdf_text(path))
    sentence = content.suppressed_sentence(c)
    assert sentence in text
    rest = text.replace(sentence, " ")
    # Besides the sentence, only the executives' row of the response rates: invited 3, the rest withheld.
    assert rest.count(SMALL_GROUP) == 1 and f"{SMALL_GROUP} 3 withheld withheld" in rest
    assert SMALL_GROUP_REMARK in text                      # printed as the text it is
    assert f"{SMALL_GROUP_REMARK} ({board.POOLED})" in text
