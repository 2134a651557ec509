"""Two Foundation facts the PMO lead enters (docs/know-how.md): the PMO's current staff by role, which the
staffing plan compares with what the roadmap needs, and each stakeholder group's place on the influence /
support grid, which the stakeholder map reads. The only SQL on `pmo_staff` and `stakeholder_positions`.

Reads and writes take the caller's cursor; services.py runs the writes as one unit of work. A write
checks everything first and lists every problem at once, each naming the role or group and the field.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import duckdb

from pmostep.core.errors import PMOStepError

MAX_FTE = 1000.0            # the table's check: more than any PMO employs
SCALE = (1, 5)              # influence and support are rated 1 (none) to 5 (decisive, strong)
MAX_NOTE = 500


class FactsError(PMOStepError):
    """Staff or stakeholder positions that cannot be saved; every problem at once, one per line."""

    def __init__(self, what: str, problems: list[str]) -> None:
        self.what, self.problems = what, problems
        super().__init__(f"{what} cannot be saved:\n" + "\n".join(problems))

    def markdown(self) -> str:
        """The message as a page shows it: what, then each problem as a bullet."""
        return f"{self.what[:1].upper()}{self.what[1:]} cannot be saved:\n\n" + "\n".join(
            f"- {p}" for p in self.problems)


@dataclass(frozen=True)
class Position:
    """A stakeholder group's place as the lead entered it: influence None = not entered yet, support
    None = read from the survey where the group may be shown (planning/stakeholder_map.py)."""

    group: str
    influence: int | None = None
    support: int | None = None
    note: str = ""


def staff(cur: duckdb.DuckDBPyConnection, assessment_id: int) -> dict[str, float]:
    """Role id -> the FTE the PMO has in that role today; a role without a row was not entered."""
    rows = cur.execute("SELECT role, fte FROM pmo_staff WHERE assessment_id = ? ORDER BY role",
                       [assessment_id]).fetchall()
    return {role: float(fte) for role, fte in rows}


def positions(cur: duckdb.DuckDBPyConnection, assessment_id: int) -> dict[str, Position]:
    """Stakeholder group name -> what the lead entered for it."""
    rows = cur.execute("SELECT group_name, influence, support, note FROM stakeholder_positions "
                       "WHERE assessment_id = ? ORDER BY group_name", [assessment_id]).fetchall()
    return {g: Position(g, influence, support, note) for g, influence, support, note in rows}


def _fte_problem(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"must be a number of FTE, not {value!r}"
    if not math.isfinite(value) or not 0 <= value <= MAX_FTE:
        return f"must be from 0 to {MAX_FTE:g} FTE, not {value:g}"
    return None


def check_staff(given: Mapping[str, object], roles: Mapping[str, str]) -> dict[str, float]:
    """The staff to store (role id -> FTE), or FactsError naming every unknown role and bad figure.

    `roles` (id -> name) is the roles list the assessment uses: foundation knows no roles of its own.
    """
    problems = []
    for role, fte in given.items():
        if role not in roles:
            problems.append(f"role {role!r}: not a PMO role (known: {', '.join(sorted(roles))})")
        elif (problem := _fte_problem(fte)) is not None:
            problems.append(f"{roles[role]} (role {role}), fte: {problem}")
    if problems:
        raise FactsError("the staff", problems)
    return {role: float(fte) for role, fte in sorted(given.items())}


def save_staff(cur: duckdb.DuckDBPyConnection, assessment_id: int, given: Mapping[str, object],
               roles: Mapping[str, str]) -> dict[str, float]:
    """Replace the PMO's staff by role with `given` (a role left out: not entered); returns what is stored."""
    checked = check_staff(given, roles)
    cur.execute("DELETE FROM pmo_staff WHERE assessment_id = ?", [assessment_id])
    for role, fte in checked.items():
        cur.execute("INSERT INTO pmo_staff (assessment_id, role, fte) VALUES (?, ?, ?)",
                    [assessment_id, role, fte])
    return checked


def _rating_problem(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not SCALE[0] <= value <= SCALE[1]:
        return f"must be a whole number from {SCALE[0]} to {SCALE[1]}, or left blank, not {value!r}"
    return None


def check_positions(given: Sequence[Position], groups: Collection[str]) -> list[Position]:
    """The positions to store, or FactsError naming every unknown or repeated group and bad field.

    `groups` are the assessment's stakeholder groups (the Foundation's list)."""
    problems, seen = [], set()
    for p in given:
        if p.group not in groups:
            listed = ", ".join(groups) or "it has none"
            problems.append(f"group {p.group!r}: not one of this assessment's stakeholder groups ({listed})")
            continue
        if p.group in seen:
            problems.append(f"group {p.group!r}: given twice")
        seen.add(p.group)
        for name in ("influence", "support"):
            if (problem := _rating_problem(getattr(p, name))) is not None:
                problems.append(f"group {p.group!r}, {name}: {problem}")
        if not isinstance(p.note, str) or len(p.note) > MAX_NOTE:
            problems.append(f"group {p.group!r}, note: must be a text of at most {MAX_NOTE} characters")
    if problems:
        raise FactsError("the stakeholder positions", problems)
    return [Position(p.group, p.influence, p.support, p.note.strip()) for p in given]


def save_positions(cur: duckdb.DuckDBPyConnection, assessment_id: int, given: Sequence[Position],
                   groups: Collection[str]) -> list[Position]:
    """Replace the stakeholder positions with `given`; a group with nothing entered keeps no row."""
    checked = [p for p in check_positions(given, groups)
               if p.influence is not None or p.support is not None or p.note]
    cur.execute("DELETE FROM stakeholder_positions WHERE assessment_id = ?", [assessment_id])
    for p in checked:
        cur.execute("INSERT INTO stakeholder_positions (assessment_id, group_name, influence, support, note) "
                    "VALUES (?, ?, ?, ?, ?)", [assessment_id, p.group, p.influence, p.support, p.note])
    return checked


def keep_positions_of(cur: duckdb.DuckDBPyConnection, assessment_id: int, groups: Collection[str]) -> None:
    """Drop the positions of groups no longer listed in the Foundation (a group removed or renamed)."""
    for g in set(positions(cur, assessment_id)) - set(groups):
        cur.execute("DELETE FROM stakeholder_positions WHERE assessment_id = ? AND group_name = ?",
                    [assessment_id, g])


def delete_for_assessment(cur: duckdb.DuckDBPyConnection, assessment_id: int) -> None:
    """Remove the assessment's staff and stakeholder positions (services.delete_assessment)."""
    cur.execute("DELETE FROM pmo_staff WHERE assessment_id = ?", [assessment_id])
    cur.execute("DELETE FROM stakeholder_positions WHERE assessment_id = ?", [assessment_id])
