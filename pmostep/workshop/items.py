"""What an activity's items are: the questionnaire's dimensions or statements, or the assessment's
catalogue entries, by id, with the name the room reads (kept with the activity)."""

from __future__ import annotations

import duckdb

from pmostep.core.questionnaire import Questionnaire
from pmostep.foundation.assessments import Assessment
from pmostep.planning import decisions
from pmostep.workshop.activities import ActivityDraft, WorkshopError

WHAT = {"dimension": "a dimension of the questionnaire", "statement": "a statement of the questionnaire",
        "entry": "an entry of the assessment's catalogue"}


def known(con: duckdb.DuckDBPyConnection, a: Assessment, q: Questionnaire, item_kind: str) -> dict[str, str]:
    """Id -> name of every item of this kind the assessment has."""
    if item_kind == "dimension":
        return {d.id: d.name for d in q.dimensions}
    if item_kind == "statement":
        return {s.id: s.text for s in q.statements}
    cat, _ = decisions.catalogue(con, a.id, [d.id for d in q.dimensions])
    return {e.id: e.name for e in cat.entries}


def labels(con: duckdb.DuckDBPyConnection, a: Assessment, q: Questionnaire,
           draft: ActivityDraft) -> dict[str, str]:
    """The names of the draft's items; WorkshopError naming an item the assessment does not have."""
    if not draft.items:
        return {}
    names = known(con, a, q, draft.item_kind or "")
    unknown = [i for i in draft.items if i not in names]
    if unknown:
        raise WorkshopError(f"items: {unknown[0]!r} is not {WHAT[draft.item_kind or '']}")
    return {i: names[i] for i in draft.items}
