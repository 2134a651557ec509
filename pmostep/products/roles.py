"""The PMO roles: who a PMO needs, what each does and which PMO types ask for it.

One list (`data/roles.yaml`, validated on load) that the catalogue's entries name in their `roles`, the
roadmap charts and the staffing plan read for role names, and the know-how pages show. The roles live in
products/ because the catalogue, which the planning step builds on, validates against them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pmostep.core import records
from pmostep.core.pmo_types import PMO_TYPES
from pmostep.core.records import KnowHowError

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_ROLES = ROOT / "data" / "roles.yaml"
SOURCE = "data/roles.yaml"
KEY = "roles"
FIELDS = ("id", "name", "purpose", "responsibilities", "skills", "grade", "pmo_types")


@dataclass(frozen=True)
class Role:
    """One PMO role, as a PMO lead would describe the job."""

    id: str
    name: str
    purpose: str
    responsibilities: tuple[str, ...]
    skills: tuple[str, ...]
    grade: str                      # typical grade in words, e.g. "Senior manager"
    pmo_types: tuple[str, ...]      # PMO types (core/pmo_types.PMO_TYPES keys) that need it


def parse(raw: Any, source: str, required: bool = True) -> tuple[tuple[Role, ...], list[str]]:
    """The roles of a file's plain data and every problem found (an extension may list none)."""
    nodes, problems = records.nodes(raw, KEY, source, required)
    seen: dict[str, int] = {}
    found = []
    for position, node in enumerate(nodes, 1):
        r = records.Reader(node, position, "role", source, seen, FIELDS)
        role = Role(r.id, r.text("name"), r.text("purpose"), r.texts("responsibilities", "responsibility"),
                    r.texts("skills", "skill"), r.text("grade"),
                    r.texts("pmo_types", "PMO type", PMO_TYPES))
        problems += r.problems
        if r.ok:
            found.append(role)
    problems += records.name_problems(found, "role", source)
    return tuple(found), problems


def loads(text: str, source: str, required: bool = True) -> tuple[tuple[Role, ...], list[str]]:
    """The roles of a YAML text (read safely) and every problem found."""
    raw, problems = records.read_text(text, source)
    if problems:
        return (), problems
    return parse(raw, source, required)


@cache
def shipped() -> tuple[Role, ...]:
    """The shipped roles (data/roles.yaml), read and checked once per process."""
    found, problems = loads(DEFAULT_ROLES.read_text(encoding="utf-8"), SOURCE)
    if problems:
        raise KnowHowError(problems)
    return found


def names(roles: Sequence[Role] | None = None) -> dict[str, str]:
    """Role id -> the name people read, in list order (the shipped roles when none are given)."""
    return {r.id: r.name for r in (shipped() if roles is None else roles)}


def needed_by(role_id: str, entries: Sequence[Any]) -> list[Any]:
    """The catalogue entries that name the role, in catalogue order."""
    return [e for e in entries if role_id in e.roles]

