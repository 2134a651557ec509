"""The demo assessment: reproducible, realistic, and loaded the same way real answers are."""

import pandas as pd
import pytest

from pmostep import demo, services
from pmostep.core import questionnaire
from pmostep.foundation import assessments, facts
from pmostep.planning import scoring
from pmostep.store import db, questionnaires


def test_same_seed_gives_the_same_demo(q):
    a, b = demo.generate(q, 60, seed=7), demo.generate(q, 60, seed=7)
    pd.testing.assert_frame_equal(a.answers, b.answers)
    pd.testing.assert_frame_equal(a.profile, b.profile)
    other = demo.generate(q, 60, seed=8)
    assert not a.answers.equals(other.answers)


def test_demo_looks_like_a_real_organisation(con, q):
    a = services.load_demo(con, q)
    assert a.slug == "demo" and a.organisation == demo.ORGANISATION
    assert len(a.stakeholder_groups) == 6
    report = scoring.score(con, a, q, by="group")
    assert report.respondents == demo.DEFAULT_RESPONDENTS
    assert len(report.groups) == 6 and report.suppressed == []
    batch = demo.generate(q)
    assert batch.answers["current_na"].mean() > 0.01                       # some N/A
    assert len(batch.answers) < len(q.statements) * demo.DEFAULT_RESPONDENTS  # some blanks
    assert 20 <= len(batch.comments) <= 80                                 # a few dozen comments
    assert batch.profile.query("field == 'business_unit'")["value"].nunique() == 5

    def governance(group: str) -> float:
        g = next(g for g in report.groups if g.group == group)
        return float(g.dimensions.set_index("id").loc["governance", "current"])

    # Executives think governance works better than project managers do.
    assert governance("Executive or sponsor") > governance("Project manager") + 0.5


def test_reloading_the_demo_replaces_it(con, q):
    services.load_demo(con, q, respondents=20, seed=1)
    services.load_demo(con, q, respondents=30, seed=2)
    rows = assessments.list_all(con)
    assert [(r["slug"], r["respondents"], r["status"]) for r in rows] == [("demo", 30, "open"),
                                                                         ("demo-2025", 22, "closed")]


def test_the_demo_follows_up_a_smaller_survey_a_year_earlier(con, q):
    a = services.load_demo(con, q)
    earlier = assessments.earlier(con, a)
    assert [e.slug for e in earlier] == [demo.BASELINE_SLUG]
    assert a.previous_assessment_id == earlier[0].id and earlier[0].start_date.year == 2025
    now, then = scoring.score(con, a, q).whole, scoring.score(con, earlier[0], q).whole
    assert then.respondents == demo.BASELINE_RESPONDENTS
    change = (now.dimensions.set_index("id")["current"] - then.dimensions.set_index("id")["current"])
    assert change["reporting"] > 0.4 and abs(change["portfolio"]) < 0.2   # reporting improved most


def test_failed_demo_reload_keeps_the_old_demo(con, q):
    services.load_demo(con, q, respondents=12, seed=1)
    raw = dict(q.source)
    raw["title"] = "Changed without a new version"
    with pytest.raises(questionnaires.QuestionnaireVersionConflict):
        services.load_demo(con, questionnaire.parse(raw), respondents=30)
    listed = [(r["slug"], r["respondents"]) for r in assessments.list_all(con)]
    assert listed == [("demo", 12), ("demo-2025", 8)]


def test_the_demo_enters_staff_for_some_roles_and_every_groups_influence(con, q):
    a = services.load_demo(con, q)
    with db.cursor(con) as cur:
        staff, positions = facts.staff(cur, a.id), facts.positions(cur, a.id)
    assert staff == {"methodology_specialist": 0.5, "pmo_analyst": 0.5, "pmo_lead": 1.0, "trainer": 0.3}
    assert set(positions) == {g.name for g in a.stakeholder_groups}
    assert all(p.influence for p in positions.values())
    entered = {g: p for g, p in positions.items() if p.support is not None}
    assert list(entered) == ["Line or functional manager"] and entered["Line or functional manager"].note
