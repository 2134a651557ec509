"""The self-check: the symptoms of the common PMO problems that the PMO lead says they see, stored with
the assessment (table problem_symptoms; its SQL lives here only).

Ticked symptoms count beside the evidence the rules find in the figures (planning/diagnosis.py). Writes
take the cursor of the caller's unit of work (services.tick_symptoms).
"""

from __future__ import annotations

from collections.abc import Collection

import duckdb

from pmostep.core.errors import PMOStepError
from pmostep.planning.know_how import KnowHow
from pmostep.store.db import cursor


class SelfCheckError(PMOStepError):
    """A symptom that cannot be ticked: an unknown problem, or a symptom the problem does not have."""


def ticked(con: duckdb.DuckDBPyConnection, assessment_id: int) -> dict[str, frozenset[str]]:
    """Problem id -> the ids of its symptoms the PMO lead ticked (problems with none left out)."""
    with cursor(con) as cur:
        rows = cur.execute("SELECT problem, symptom FROM problem_symptoms WHERE assessment_id = ? "
                           "ORDER BY problem, symptom", [assessment_id]).fetchall()
    found: dict[str, set[str]] = {}
    for problem, symptom in rows:
        found.setdefault(problem, set()).add(symptom)
    return {p: frozenset(s) for p, s in found.items()}


def check(know_how: KnowHow, problem: str, symptoms: Collection[str]) -> None:
    """Refuse ids the assessment's know-how does not have, every unknown one named at once."""
    known = {p.id: p for p in know_how.problems}
    if problem not in known:
        raise SelfCheckError(f"no problem '{problem}' in this assessment's know-how")
    have = {s.id for s in known[problem].symptoms}
    unknown = sorted(set(symptoms) - have)
    if unknown:
        raise SelfCheckError(f"problem '{problem}' has no symptom {', '.join(map(repr, unknown))}: its "
                             f"symptoms are {', '.join(sorted(have))}")


def tick(cur: duckdb.DuckDBPyConnection, assessment_id: int, problem: str, symptoms: Collection[str],
         seen: bool = True) -> None:
    """Tick (`seen`) or untick symptoms of one problem; ticking one already ticked keeps its time."""
    for symptom in sorted(set(symptoms)):
        if seen:
            cur.execute("INSERT INTO problem_symptoms (assessment_id, problem, symptom) VALUES (?, ?, ?) "
                        "ON CONFLICT DO NOTHING", [assessment_id, problem, symptom])
        else:
            cur.execute("DELETE FROM problem_symptoms "
                        "WHERE assessment_id = ? AND problem = ? AND symptom = ?",
                        [assessment_id, problem, symptom])


def delete_for_assessment(cur: duckdb.DuckDBPyConnection, assessment_id: int) -> None:
    cur.execute("DELETE FROM problem_symptoms WHERE assessment_id = ?", [assessment_id])
