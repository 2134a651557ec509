"""Use cases in pmostep/services.py: each one unit of work, all or nothing, on real DuckDB files."""

from __future__ import annotations

import dataclasses

import duckdb
import pytest

from pmostep import services
from pmostep.foundation import assessments
from pmostep.initiation import survey
from pmostep.initiation.imports import pipeline
from pmostep.initiation.imports import profiles as mapping_profiles
from pmostep.planning import decisions
from pmostep.store import responses
from tests import exports
from tests.conftest import hand_batch


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
        services.import_prepared(con, newer, prepared, "fresh")
    assert _stored(con, "fresh", newer) == (0, 0)
    assert not assessments.exists(con, "fresh")


def test_an_exception_inside_a_unit_of_work_rolls_back_every_write(con, q):
    newer = dataclasses.replace(q, version=q.version + 100)
    with pytest.raises(RuntimeError, match="stop"), services.UnitOfWork(con) as uow:
        a = assessments.create(uow.cur, "undone", newer, min_group_size=1)
        responses.add(uow.cur, a, newer, hand_batch())
        assert _stored(uow.cur, "undone", newer) == (1, 1)        # written, on the unit's cursor
        raise RuntimeError("stop")
    assert _stored(con, "undone", newer) == (0, 0)
    assert con.execute("SELECT count(*) FROM respondents").fetchone()[0] == 0


def test_nothing_stands_without_commit_and_everything_with_it(con, q):
    with services.UnitOfWork(con) as uow:
        assessments.create(uow.cur, "forgotten", q)
    assert not assessments.exists(con, "forgotten")
    with services.UnitOfWork(con) as uow:
        assessments.create(uow.cur, "kept", q)
        uow.commit()
    assert assessments.exists(con, "kept")


def test_a_dry_run_import_writes_nothing(con, q):
    ans = exports.Answers.from_demo(q, respondents=6, seed=3)
    prepared = pipeline.prepare(con, q, *exports.google_forms(ans), None)
    result = services.import_prepared(con, q, prepared, "trial", dry_run=True,
                                      mapping=prepared.mapping_profile("kept-mapping"))
    assert result.dry_run and result.respondents_added == 0
    assert not assessments.exists(con, "trial")
    assert mapping_profiles.names(con) == []
    assert con.execute("SELECT count(*) FROM import_batches").fetchone()[0] == 0


def test_an_import_and_its_mapping_are_stored_together(con, q):
    ans = exports.Answers.from_demo(q, respondents=6, seed=3)
    prepared = pipeline.prepare(con, q, *exports.google_forms(ans), None)
    result = services.import_prepared(con, q, prepared, "real", new_assessment={"min_group_size": 1},
                                      mapping=prepared.mapping_profile("kept-mapping"))
    assert result.assessment_created and result.respondents_added == 6
    assert mapping_profiles.names(con) == ["kept-mapping"]
    assert services.undo_import(con, result.batch_id) == 6
    assert responses.count(con, assessments.get(con, "real").id)["completed"] == 0


def test_accepting_with_prerequisites_accepts_what_is_needed_and_keeps_a_rejection(con, q):
    a = services.load_demo(con, q, respondents=40)
    services.decide(con, a.slug, {"rejected": ["role_sort"]}, "Roles are already clear")
    done = services.decide(con, a.slug, {"accepted": ["template_library"]}, with_prerequisites=True)
    assert done.stored["accepted"] == ["template_library"]        # the methodology and charter already are
    assert done.kept_rejected == ["role_sort"]
    choices = decisions.choices(con, a.id)
    assert choices["template_library"].decision == "accepted"
    assert choices["role_sort"] == decisions.Choice("role_sort", "rejected", "Roles are already clear")
    with pytest.raises(decisions.DecisionError, match="not in the catalogue: nope"):
        services.decide(con, a.slug, {"accepted": ["pmo_charter"], None: ["nope"]})


def test_the_assessment_and_its_questionnaire_by_slug(con, q, hand_assessment):
    hand_assessment(slug="hand")
    a, found = services.assessment_with_questionnaire(con, "hand")
    assert (a.slug, found) == ("hand", q)
    with pytest.raises(assessments.AssessmentError, match="no assessment with slug 'none'"):
        services.assessment_with_questionnaire(con, "none")


def test_a_follow_up_of_a_missing_assessment_creates_nothing(con, q):
    with pytest.raises(assessments.AssessmentError):
        services.follow_up(con, "missing", "next")
    assert not assessments.exists(con, "next")


def test_personal_links_are_made_together_and_a_bad_address_is_named(con, q, hand_assessment):
    hand_assessment(slug="hand")
    pasted = "Jane <jane@acme.com>\nnot-an-address\nbob@acme.com"
    made, problems = services.personal_links(con, "hand", pasted)
    assert (made, problems) == (2, ["'not-an-address' is not an e-mail address"])
    links = survey.links(con, assessments.get(con, "hand").id)
    invitees = sorted(link.invitee for link in links if link.kind == "personal")
    assert invitees == ["bob@acme.com", "jane@acme.com"]
    assert services.open_link(con, "hand") == services.open_link(con, "hand")      # one open link


@pytest.mark.duckdb_file
def test_a_conflict_at_commit_is_the_error_raised_and_the_loser_writes_nothing(con, q):
    first, second = services.UnitOfWork(con), services.UnitOfWork(con)
    with first, second:
        assessments.create(first.cur, "same", q, name="First")
        assessments.create(second.cur, "same", q, name="Second")
        first.commit()
        with pytest.raises(duckdb.TransactionException, match="Failed to commit"):
            second.commit()
    assert assessments.get(con, "same").name == "First"
