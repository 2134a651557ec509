"""Real readers for the deliverables' tests: LibreOffice headless converts a document (to PDF, or a
workbook to CSV), poppler reads a PDF's text, counts its pages and renders its first page; and the text
of an OOXML file (xlsx, pptx, docx) read straight from its zip, for the anonymity checks."""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
_TAG = re.compile(r"<[^>]+>")


def need(program: str) -> None:
    """Skip where a reader is missing (CI installs them all through scripts/test.sh)."""
    if shutil.which(program) is None:
        pytest.skip(f"{program} is missing: bash scripts/test.sh installs it")


def convert(path: Path, to: str = "pdf", timeout: int = 180) -> Path:
    """`path` converted by LibreOffice headless (its own profile, so tests may run side by side)."""
    need("soffice")
    profile = path.parent / f".lo-profile-{path.stem}"
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", to,
         "--outdir", str(path.parent), str(path)], capture_output=True, text=True, timeout=timeout)
    out = path.with_suffix("." + to.split(":")[0])
    assert result.returncode == 0 and out.exists(), f"LibreOffice could not convert {path.name}: {result}"
    return out


def pdf_text(path: Path) -> str:
    need("pdftotext")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout


def pdf_pages(path: Path) -> int:
    need("pdfinfo")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True,
                          timeout=60).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def first_page_png(path: Path, dpi: int = 60) -> Path:
    """The PDF's first page as a PNG beside it (to look at, and to check it is not blank)."""
    need("pdftoppm")
    stem = path.with_name(path.stem + "-page")
    subprocess.run(["pdftoppm", "-png", "-f", "1", "-l", "1", "-r", str(dpi), "-singlefile", str(path),
                    str(stem)], check=True, timeout=60)
    return stem.with_suffix(".png")


def ooxml_text(data: bytes) -> str:
    """Every XML part of an OOXML file with its tags taken off and entities read: what a reader could
    find in it (shared strings, sheets, slides, charts, document body, comments, properties)."""
    parts = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                parts.append(html.unescape(_TAG.sub(" ", z.read(name).decode("utf-8", "replace"))))
    return "\n".join(parts)
