"""Use cases that span several steps' tables, each in one transaction (see docs/architecture.md)."""

from __future__ import annotations

import duckdb

from pmostep.foundation import assessments
from pmostep.initiation import survey
from pmostep.initiation.imports import batches
from pmostep.planning import decisions
from pmostep.store import responses
from pmostep.store.db import transaction


def delete_assessment(con: duckdb.DuckDBPyConnection, slug: str,
                      cur: duckdb.DuckDBPyConnection | None = None) -> None:
    """Remove an assessment and everything recorded for it, in one transaction (or the caller's)."""
    if cur is None:
        with transaction(con) as own:
            _delete(own, slug)
    else:
        _delete(cur, slug)


def _delete(cur: duckdb.DuckDBPyConnection, slug: str) -> None:
    assessment = assessments.fetch(cur, slug)
    responses.delete_for_assessment(cur, assessment.id)
    decisions.delete_for_assessment(cur, assessment.id)
    batches.delete_for_assessment(cur, assessment.id)
    survey.delete_for_assessment(cur, assessment.id)
    assessments.delete_rows(cur, assessment.id)
