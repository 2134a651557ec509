"""Use cases in pmostep/services.py: each one unit of work, all or nothing, on real DuckDB files."""

from __future__ import annotations

import dataclasses

import pytest

from pmostep.foundation import assessments
from pmostep.initiation.imports import pipeline
from tests import exports


def _stored(con, slug: str, q) -> tuple[int, int]:
    """(assessments with the slug, rows of the questionnaire version): what a failure must not leave."""
    return (con.execute("SELECT count(*) FROM assessments WHERE slug = ?", [slug]).fetchone()[0],
            con.execute("SELECT count(*) FROM questionnaires WHERE id = ? AND version = ?",
                        [q.id, q.version]).fetchone()[0])


def test_a_failed_import_into_a_new_assessment_leaves_neither_it_nor_its_questionnaire(con, q, monkeypatch):
    newer = dataclasses.replace(q, version=q.version + 100)       # a version the database has not seen
    ans = exports.Answers.from_demo(newer, respondents=6, seed=3)
    prepared = pipeline.prepare(con, newer, *exports.google_forms(ans), None)

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(pipeline.responses, "add", fail)            # fails after the assessment is created
    with pytest.raises(RuntimeError, match="disk full"):
        pipeline.commit(con, newer, prepared, "fresh")
    assert _stored(con, "fresh", newer) == (0, 0)
    assert not assessments.exists(con, "fresh")
