"""What the facilitator decides in the planning step, stored with the assessment.

The assessment's catalogue (the shipped one until customised), its choices among the recommendations
with their reasons, the roadmap settings, and entries pinned or moved to a wave. Writes take the cursor
of the caller's transaction (services.UnitOfWork); the SQL of the plan_* tables lives here only.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass

import duckdb

from pmostep.core.errors import PMOStepError
from pmostep.planning import know_how
from pmostep.products import catalogue as catalogue_module
from pmostep.products.catalogue import Catalogue
from pmostep.store.db import cursor

DECISIONS = ("accepted", "rejected")
DEFAULT_WAVES = 4
DEFAULT_WAVE_WEEKS = 13            # a quarter
DEFAULT_CAPACITY = 20.0            # PMO person-weeks per wave: about 1.5 FTE over a quarter
MAX_REASON = 500


class DecisionError(PMOStepError):
    """A planning input that cannot be stored; the message names the field."""


@dataclass(frozen=True)
class Choice:
    item: str
    decision: str
    reason: str


@dataclass(frozen=True)
class StoredSettings:
    waves: int
    wave_weeks: int
    capacity: float
    change_budget: float | None     # None: use the readiness default


def catalogue(con: duckdb.DuckDBPyConnection, assessment_id: int, dimension_ids: list[str],
              role_ids: Collection[str] | None = None) -> tuple[Catalogue, bool]:
    """The assessment's catalogue and whether it is a customised copy (else the shipped one).

    A copy's entries may name the shipped roles and those of the assessment's roles extension (or the
    `role_ids` given, when a new extension is being checked).
    """
    with cursor(con) as cur:
        return fetch_catalogue(cur, assessment_id, dimension_ids, role_ids)


def fetch_catalogue(cur: duckdb.DuckDBPyConnection, assessment_id: int, dimension_ids: list[str],
                    role_ids: Collection[str] | None = None) -> tuple[Catalogue, bool]:
    """The assessment's catalogue (see catalogue) as a cursor sees it, inside a transaction the caller
    holds: a use case that checks against the catalogue before it writes reads it in its unit of work."""
    row = cur.execute("SELECT title, version, entries FROM plan_catalogues WHERE assessment_id = ?",
                      [assessment_id]).fetchone()
    if row is None:
        return catalogue_module.shipped(tuple(dimension_ids)), False
    if role_ids is None:
        role_ids = [r.id for r in know_how.fetch_roles(cur, assessment_id)]
    return Catalogue.from_records(json.loads(row[2]), dimension_ids, title=row[0], version=row[1],
                                  source="the assessment's catalogue", role_ids=role_ids), True


def save_catalogue(cur: duckdb.DuckDBPyConnection, assessment_id: int, cat: Catalogue) -> list[str]:
    """Store a customised copy (already validated: a Catalogue only exists when valid).

    Choices and placements of entries the copy no longer has are removed with it; their ids are
    returned so the page can say so.
    """
    ids = [e.id for e in cat.entries]
    gone = sorted({r[0] for table in ("plan_choices", "plan_placements") for r in cur.execute(
        f"SELECT item FROM {table} WHERE assessment_id = ? AND NOT (item = ANY(?))",
        [assessment_id, ids]).fetchall()})
    for table in ("plan_choices", "plan_placements"):
        cur.execute(f"DELETE FROM {table} WHERE assessment_id = ? AND NOT (item = ANY(?))",
                    [assessment_id, ids])
    cur.execute("DELETE FROM plan_catalogues WHERE assessment_id = ?", [assessment_id])
    cur.execute("INSERT INTO plan_catalogues (assessment_id, title, version, entries) "
                "VALUES (?, ?, ?, ?)",
                [assessment_id, cat.title, cat.version, json.dumps(cat.to_records())])
    return gone


def reset_catalogue(cur: duckdb.DuckDBPyConnection, assessment_id: int) -> None:
    """Go back to the shipped catalogue (choices of entries it lacks are kept: it may have them back)."""
    cur.execute("DELETE FROM plan_catalogues WHERE assessment_id = ?", [assessment_id])


def choices(con: duckdb.DuckDBPyConnection, assessment_id: int) -> dict[str, Choice]:
    with cursor(con) as cur:
        rows = cur.execute("SELECT item, decision, reason FROM plan_choices WHERE assessment_id = ? "
                           "ORDER BY item", [assessment_id]).fetchall()
    return {r[0]: Choice(*r) for r in rows}


def decide(cur: duckdb.DuckDBPyConnection, assessment_id: int, items: list[str], decision: str | None,
           reason: str = "", known: set[str] | None = None) -> None:
    """Accept or reject entries (None clears the decision), with the facilitator's reason."""
    if decision not in (*DECISIONS, None):
        raise DecisionError(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
    if len(reason) > MAX_REASON:
        raise DecisionError(f"reason: at most {MAX_REASON} characters, not {len(reason)}")
    unknown = sorted(set(items) - known) if known is not None else []
    if unknown:
        raise DecisionError(f"not in the catalogue: {', '.join(unknown)}")
    for item in items:
        old = cur.execute("SELECT decision, reason FROM plan_choices WHERE assessment_id = ? AND item = ?",
                          [assessment_id, item]).fetchone()
        if old is not None and old[0] == decision and not reason.strip():
            continue                      # the same decision again, without a reason: keep the old one
        cur.execute("DELETE FROM plan_choices WHERE assessment_id = ? AND item = ?", [assessment_id, item])
        if decision:
            cur.execute("INSERT INTO plan_choices (assessment_id, item, decision, reason) "
                        "VALUES (?, ?, ?, ?)", [assessment_id, item, decision, reason.strip()])


def decide_many(cur: duckdb.DuckDBPyConnection, assessment_id: int, decisions: dict[str | None, list[str]],
                reason: str = "", known: set[str] | None = None) -> None:
    """Several decisions at once (decision -> items), all or nothing; an item may appear only once."""
    every = [i for items in decisions.values() for i in items]
    twice = sorted({i for i in every if every.count(i) > 1})
    if twice:
        raise DecisionError(f"decided more than once: {', '.join(twice)}")
    for decision, items in decisions.items():
        decide(cur, assessment_id, items, decision, reason, known)


def settings(con: duckdb.DuckDBPyConnection, assessment_id: int) -> StoredSettings:
    with cursor(con) as cur:
        row = cur.execute("SELECT waves, wave_weeks, capacity, change_budget FROM plan_settings "
                          "WHERE assessment_id = ?", [assessment_id]).fetchone()
    if row is None:
        return StoredSettings(DEFAULT_WAVES, DEFAULT_WAVE_WEEKS, DEFAULT_CAPACITY, None)
    return StoredSettings(int(row[0]), int(row[1]), float(row[2]), None if row[3] is None else float(row[3]))


def save_settings(cur: duckdb.DuckDBPyConnection, assessment_id: int, s: StoredSettings) -> list[str]:
    """Store the roadmap settings; returns the entries whose pin or move fell beyond the last wave."""
    problems = []
    if not 1 <= s.waves <= 24:
        problems.append(f"number of waves: 1 to 24, not {s.waves}")
    if not 1 <= s.wave_weeks <= 104:
        problems.append(f"wave length: 1 to 104 weeks, not {s.wave_weeks}")
    if not s.capacity > 0:
        problems.append(f"capacity: more than 0 person-weeks, not {s.capacity}")
    if s.change_budget is not None and not s.change_budget > 0:
        problems.append(f"change budget: more than 0, not {s.change_budget}")
    if problems:
        raise DecisionError("; ".join(problems))
    cur.execute("DELETE FROM plan_settings WHERE assessment_id = ?", [assessment_id])
    cur.execute("INSERT INTO plan_settings (assessment_id, waves, wave_weeks, capacity, change_budget) "
                "VALUES (?, ?, ?, ?, ?)",
                [assessment_id, s.waves, s.wave_weeks, s.capacity, s.change_budget])
    # Pins and moves beyond the last wave no longer mean anything.
    dropped = [r[0] for r in cur.execute(
        "SELECT item FROM plan_placements WHERE assessment_id = ? AND wave > ? ORDER BY item",
        [assessment_id, s.waves]).fetchall()]
    cur.execute("DELETE FROM plan_placements WHERE assessment_id = ? AND wave > ?",
                [assessment_id, s.waves])
    return dropped


def placements(con: duckdb.DuckDBPyConnection, assessment_id: int) -> list[tuple[str, int, str, bool]]:
    """(item, wave, kind, override) of every pinned or moved entry."""
    with cursor(con) as cur:
        return [(r[0], int(r[1]), r[2], bool(r[3])) for r in cur.execute(
            "SELECT item, wave, kind, override FROM plan_placements WHERE assessment_id = ? ORDER BY item",
            [assessment_id]).fetchall()]


def place(cur: duckdb.DuckDBPyConnection, assessment_id: int, item: str, wave: int | None, kind: str = "move",
          override: bool = False) -> None:
    """Pin or move an entry to a wave (None removes the pin or move)."""
    if kind not in ("pin", "move"):
        raise DecisionError(f"kind must be pin or move, not {kind!r}")
    if wave is not None and wave < 1:
        raise DecisionError(f"wave must be 1 or more, not {wave}")
    cur.execute("DELETE FROM plan_placements WHERE assessment_id = ? AND item = ?", [assessment_id, item])
    if wave is not None:
        cur.execute("INSERT INTO plan_placements (assessment_id, item, wave, kind, override) "
                    "VALUES (?, ?, ?, ?, ?)", [assessment_id, item, wave, kind, override])


def delete_for_assessment(cur: duckdb.DuckDBPyConnection, assessment_id: int) -> None:
    for table in ("plan_catalogues", "plan_choices", "plan_settings", "plan_placements"):
        cur.execute(f"DELETE FROM {table} WHERE assessment_id = ?", [assessment_id])
