"""The documentation pages in docs/, read by section so the app shows the text beside its figures."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

DOCS_DIR = Path(__file__).resolve().parents[2] / "docs"


@cache
def page(name: str) -> str:
    return (DOCS_DIR / f"{name}.md").read_text(encoding="utf-8")


def section(name: str, heading: str) -> str:
    """The text under a `## heading` of docs/<name>.md, up to the next `## ` heading."""
    text = page(name)
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    if match is None:
        raise KeyError(f"docs/{name}.md has no section '{heading}'")
    return match.group(1).strip()
