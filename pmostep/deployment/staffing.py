"""The staffing plan (docs/know-how.md, "Staffing plan"): the FTE the roadmap needs per role and wave,
when each role is first needed (the moment to assign or hire), and where a wave needs more of a role than
the PMO has today (its staff by role, a Foundation fact the lead enters: foundation/facts.py).

The one place a wave's effort is split into roles: the Roadmap page's staffing chart and table
(reports/roadmap_charts.py) read `person_weeks` too. Takes a Roadmap, not a Plan, so that planning can
read the shortfalls while it builds the plan (deployment/plan.py) without importing this module's users.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb

from pmostep.core.numbers import figure
from pmostep.deployment import calendar
from pmostep.deployment.roadmap import Roadmap, Wave
from pmostep.foundation import facts
from pmostep.foundation.assessments import Assessment
from pmostep.planning import know_how
from pmostep.products import roles as roles_module
from pmostep.store.db import cursor

_EPS = 1e-9


def person_weeks(wave: Wave) -> dict[str, float]:
    """Person-weeks of the wave per role id, in id order (the catalogue names roles by id only)."""
    return dict(sorted(wave.roles.items()))


def fte(weeks_of_work: float, wave_weeks: int) -> float:
    """Full-time equivalents over a wave: person-weeks / the wave's calendar weeks, to 2 decimals."""
    return round(weeks_of_work / wave_weeks, 2)


@dataclass(frozen=True)
class RoleNeed:
    """One role over the roadmap: what it needs in each wave and what the PMO has."""

    role: str                        # role id (the entry's own text for a role the list does not know)
    name: str
    staff: float | None              # FTE the PMO has today; None: not entered
    waves: dict[int, float]          # wave -> FTE needed (0 where the wave needs none)
    first_wave: int | None           # the first wave that needs it: assign or hire by its start
    first_date: date | None

    @property
    def peak(self) -> float:
        return max(self.waves.values(), default=0.0)


@dataclass(frozen=True)
class Shortfall:
    """A wave that needs more FTE of a role than the PMO's staff entered for it."""

    wave: int
    role: str
    name: str
    needed: float
    staff: float

    @property
    def short(self) -> float:
        return round(self.needed - self.staff, 2)

    def sentence(self) -> str:
        return (f"Wave {self.wave} needs {figure(self.needed)} FTE of {self.name}; the PMO has "
                f"{figure(self.staff)} ({figure(self.short)} short).")


@dataclass(frozen=True)
class Staffing:
    """The staffing plan of a roadmap against the staff entered."""

    start: date
    wave_weeks: int
    dates: tuple[tuple[int, date, date], ...]     # (wave, first day, last day)
    roles: tuple[RoleNeed, ...]                   # needed roles by first wave, then those only staffed
    shortfalls: tuple[Shortfall, ...]

    @property
    def not_entered(self) -> list[RoleNeed]:
        """Roles the roadmap needs whose staff was not entered: no shortfall can be read for them."""
        return [r for r in self.roles if r.staff is None and r.peak > 0]

    def warnings(self) -> list[str]:
        """Every warning in words: the roles without staff entered (once), then each wave short of a role."""
        out = []
        if self.not_entered:
            out.append("No staff entered for " + ", ".join(
                f"{r.name} (up to {figure(r.peak)} FTE from wave {r.first_wave})" for r in self.not_entered)
                + ": no shortfall can be read for them.")
        return out + [s.sentence() for s in self.shortfalls]

    def facts(self) -> tuple[tuple[int, str, float, float], ...]:
        """(wave, role name, needed FTE, staff FTE) of each shortfall: what the diagnosis reads."""
        return tuple((s.wave, s.name, s.needed, s.staff) for s in self.shortfalls)

    def to_dict(self) -> dict[str, Any]:
        """The public JSON of `python -m pmostep staffing` (without the assessment)."""
        return {
            "start": self.start.isoformat(), "wave_weeks": self.wave_weeks,
            "roles": [{"role": r.role, "name": r.name, "staff": r.staff,
                       "waves": {str(w): v for w, v in r.waves.items()}, "first_wave": r.first_wave,
                       "first_date": r.first_date.isoformat() if r.first_date else None} for r in self.roles],
            "warnings": [{"wave": s.wave, "role": s.role, "name": s.name, "needed": s.needed,
                          "staff": s.staff, "short": s.short, "message": s.sentence()}
                         for s in self.shortfalls],
            "not_entered": [r.role for r in self.not_entered],
        }


def build(roadmap: Roadmap, staff: Mapping[str, float], start: date,
          names: Mapping[str, str] | None = None) -> Staffing:
    """The staffing plan: FTE per role and wave, first-needed moments from `start`, and the shortfalls."""
    names = roles_module.names() if names is None else names
    weeks = roadmap.settings.wave_weeks
    numbers = [w.number for w in roadmap.waves]
    dates = calendar.wave_dates(start, weeks, numbers)
    needed: dict[str, dict[int, float]] = {}
    for w in roadmap.waves:
        for role, pw in person_weeks(w).items():
            if pw > 0:
                needed.setdefault(role, {})[w.number] = fte(pw, weeks)
    roles = []
    for role, by_wave in needed.items():
        first = min(by_wave)
        roles.append(RoleNeed(role, names.get(role, role), staff.get(role),
                              {n: by_wave.get(n, 0.0) for n in numbers}, first,
                              calendar.wave_start(start, weeks, first)))
    roles.sort(key=lambda r: (r.first_wave, r.name))
    roles += [RoleNeed(role, names.get(role, role), have, dict.fromkeys(numbers, 0.0), None, None)
              for role, have in sorted(staff.items(), key=lambda x: names.get(x[0], x[0]))
              if role not in needed]
    short = [Shortfall(n, r.role, r.name, v, r.staff) for r in roles if r.staff is not None
             for n, v in r.waves.items() if v > r.staff + _EPS]
    short.sort(key=lambda s: (s.wave, s.name))
    return Staffing(start, weeks, tuple(dates), tuple(roles), tuple(short))


def shortfalls(roadmap: Roadmap, staff: Mapping[str, float],
               names: Mapping[str, str] | None = None) -> tuple[tuple[int, str, float, float], ...]:
    """(wave, role name, needed FTE, staff FTE) where a wave needs more than the staff entered (the
    diagnosis's Facts.shortfalls); dates play no part."""
    return build(roadmap, staff, date.min, names).facts()


def staff_of(con: duckdb.DuckDBPyConnection, a: Assessment) -> dict[str, float]:
    """The assessment's staff by role as entered (role id -> FTE)."""
    with cursor(con) as cur:
        return facts.staff(cur, a.id)


def role_names(con: duckdb.DuckDBPyConnection, a: Assessment) -> dict[str, str]:
    """Role id -> name of the roles the assessment uses (the shipped ones and its extension's)."""
    return roles_module.names(know_how.roles_for(con, a.id))


def for_assessment(con: duckdb.DuckDBPyConnection, a: Assessment, roadmap: Roadmap,
                   start: date | None = None) -> Staffing:
    """The staffing plan of an assessment's roadmap (start: by default the Monday after it closes)."""
    return build(roadmap, staff_of(con, a), start or calendar.default_start(a), role_names(con, a))
