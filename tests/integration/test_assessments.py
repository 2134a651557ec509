"""Assessments and their Foundation facts (foundation/assessments.py) on a real DuckDB file: created,
edited and validated, moved through their statuses, followed up and deleted."""

import pytest

from pmostep import services
from pmostep.foundation import assessments
from pmostep.workshop.activities import ActivityDraft


def test_assessment_keeps_foundation_facts(con, q):
    a = assessments.create(
        con, "acme-2026", q, name="Acme", organisation="Acme Ltd", pmo_scope="division",
        sponsor_name="Kim", sponsor_role="CFO", stakeholder_groups=[assessments.StakeholderGroup("PMs", 12)],
    )
    again = assessments.get(con, "acme-2026")
    assert again == a
    assert again.pmo_scope == "division" and again.sponsor_role == "CFO"
    assert again.stakeholder_groups == (assessments.StakeholderGroup("PMs", 12),)
    assert again.questionnaire_version == q.version and again.min_group_size == 5


@pytest.mark.parametrize("slug", ["", "Has Caps", "-leading", "a" * 64, "semi;colon"])
def test_bad_slugs_are_refused(con, q, slug):
    with pytest.raises(assessments.AssessmentError, match="slug"):
        assessments.create(con, slug, q)


def test_duplicate_slug_is_refused_and_nothing_changes(con, q):
    assessments.create(con, "one", q, name="First")
    with pytest.raises(assessments.AssessmentError, match="already exists"):
        assessments.create(con, "one", q, name="Second")
    assert [r["name"] for r in assessments.list_all(con)] == ["First"]


def _workshop_with_a_text(con, slug: str) -> None:
    w = services.new_workshop(con, slug, agenda=[ActivityDraft("text", "Worries?")])
    (act,) = [a for a in con.execute("SELECT id FROM workshop_activities WHERE workshop_id = ?",
                                     [w.id]).fetchall()]
    services.open_round(con, act[0])
    services.answer(con, w.code, services.join(con, w.code), act[0], {"text": "Budget"}, "r1")
    answer_id = con.execute("SELECT max(id) FROM workshop_answers").fetchone()[0]
    services.moderate(con, answer_id, True)


def test_delete_removes_everything_of_one_assessment_only(con, q, hand_assessment):
    hand_assessment(slug="gone")
    keep = hand_assessment(slug="kept")
    for slug in ("gone", "kept"):
        _workshop_with_a_text(con, slug)
    services.delete_assessment(con, "gone")
    assert [r["slug"] for r in assessments.list_all(con)] == ["kept"]
    ids = con.execute("SELECT DISTINCT assessment_id FROM respondents").fetchall()
    assert ids == [(keep.id,)]
    assert con.execute("SELECT DISTINCT assessment_id FROM workshops").fetchall() == [(keep.id,)]
    workshop_rows = [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in (
        "workshop_activities", "workshop_rounds", "workshop_participants", "workshop_answers",
        "workshop_moderation")]
    assert workshop_rows == [1, 1, 1, 1, 1]
    orphans = con.execute(
        "SELECT count(*) FROM answers WHERE respondent_id NOT IN (SELECT id FROM respondents)"
    ).fetchone()[0]
    assert orphans == 0


def test_foundation_facts_can_be_edited_and_are_validated(con, q):
    assessments.create(con, "facts", q)
    a = assessments.update(con, "facts", organisation="Acme", pmo_type="III", sponsor_name="Kim",
                           stakeholder_groups=[assessments.StakeholderGroup("Project manager", 40)])
    assert (a.organisation, a.pmo_type, a.sponsor_name) == ("Acme", "III", "Kim")
    assert a.stakeholder_groups == (assessments.StakeholderGroup("Project manager", 40),)
    for bad, message in (({"pmo_type": "V"}, "PMO type"), ({"pmo_scope": "galaxy"}, "PMO scope"),
                         ({"min_group_size": 0}, "minimum group size"), ({"name": " "}, "cannot be empty"),
                         ({"status": "open"}, "cannot change status")):
        with pytest.raises(assessments.AssessmentError, match=message):
            assessments.update(con, "facts", **bad)
    assert assessments.get(con, "facts").organisation == "Acme"


def test_status_moves(con, q):
    assessments.create(con, "life", q)
    assert assessments.set_status(con, "life", "closed").status == "closed"
    assert assessments.set_status(con, "life", "open").status == "open"          # reopen
    assert assessments.set_status(con, "life", "archived").status == "archived"
    with pytest.raises(assessments.AssessmentError, match="archived cannot become open"):
        assessments.set_status(con, "life", "open")
    assert [r["slug"] for r in assessments.list_all(con, include_archived=False)] == []


def test_follow_up_keeps_organisation_and_questionnaire(con, q):
    first = assessments.create(con, "y1", q, organisation="Acme", pmo_type="II", min_group_size=7,
                               stakeholder_groups=[assessments.StakeholderGroup("Executive or sponsor", 9)])
    second = assessments.follow_up(con, "y1", "y2")
    assert second.previous_assessment_id == first.id and second.organisation == "Acme"
    assert (second.questionnaire_id, second.questionnaire_version) == (q.id, q.version)
    assert second.min_group_size == 7 and second.stakeholder_groups == first.stakeholder_groups
    assert second.name == f"{first.name} (follow-up)"
