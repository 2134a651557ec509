"""Imports into a real DuckDB file as the import tests run them: an export prepared and committed into an
assessment of its own (minimum group size 1), and the comments it stored."""

from __future__ import annotations

from pmostep import services
from pmostep.foundation import assessments
from pmostep.initiation.imports import pipeline


def do_import(con, q, name, data, slug="imported", profile=None, accept=False):
    prepared = pipeline.prepare(con, q, name, data, id_of(con, slug), profile=profile)
    result = services.import_prepared(con, q, prepared, slug, accept_warnings=accept,
                             new_assessment={"min_group_size": 1})
    return prepared, result


def id_of(con, slug):
    """The id of the assessment an import adds to, or None where the import is to create it."""
    return assessments.get(con, slug).id if assessments.exists(con, slug) else None


def comments_of(con, slug) -> set[str]:
    a = assessments.get(con, slug)
    rows = con.execute("SELECT c.text FROM comments c JOIN respondents r ON r.id = c.respondent_id "
                       "WHERE r.assessment_id = ?", [a.id]).fetchall()
    return {r[0] for r in rows}
