"""Questionnaire versions in the database: every assessment scores against the version it was given on."""

from __future__ import annotations

import hashlib
import json

import duckdb

from pmostep.core.errors import PMOStepError
from pmostep.core.questionnaire import Questionnaire, parse
from pmostep.store.db import cursor


class QuestionnaireVersionConflict(PMOStepError):
    """The same id and version is already stored with different content."""


def _digest(q: Questionnaire) -> str:
    return hashlib.sha256(q.to_json().encode("utf-8")).hexdigest()


def register(cur: duckdb.DuckDBPyConnection, q: Questionnaire) -> None:
    """Store a questionnaire version once, on the caller's transaction (an assessment created with it
    must not leave it behind when its transaction fails); refuse a changed text under an existing version."""
    digest = _digest(q)
    row = cur.execute(
        "SELECT digest FROM questionnaires WHERE id = ? AND version = ?", [q.id, q.version]
    ).fetchone()
    if row:
        if row[0] != digest:
            raise QuestionnaireVersionConflict(
                f"questionnaire '{q.id}' version {q.version} is already stored with different "
                "content: give the changed questionnaire a new version number"
            )
        return
    cur.execute(
        "INSERT INTO questionnaires (id, version, title, definition, digest) VALUES (?, ?, ?, ?, ?)",
        [q.id, q.version, q.title, q.to_json(), digest],
    )
    cur.executemany(
        """INSERT INTO questionnaire_statements
           (questionnaire_id, questionnaire_version, statement_id, dimension_id, position)
           VALUES (?, ?, ?, ?, ?)""",
        [[q.id, q.version, s.id, s.dimension_id, i] for i, s in enumerate(q.statements)],
    )


def get(con: duckdb.DuckDBPyConnection, questionnaire_id: str, version: int) -> Questionnaire:
    with cursor(con) as cur:
        return fetch(cur, questionnaire_id, version)


def fetch(cur: duckdb.DuckDBPyConnection, questionnaire_id: str, version: int) -> Questionnaire:
    """The stored version as a cursor sees it (inside a transaction the caller holds)."""
    row = cur.execute(
        "SELECT definition FROM questionnaires WHERE id = ? AND version = ?",
        [questionnaire_id, version],
    ).fetchone()
    if row is None:
        raise KeyError(f"questionnaire '{questionnaire_id}' version {version} is not in the database")
    return parse(json.loads(row[0]), source=f"questionnaire '{questionnaire_id}' v{version}")
