"""The deployment plan (deployment/plan.py) built from a stored assessment: its change budget and what it
needs."""

import pytest

from pmostep import services
from pmostep.deployment import plan
from pmostep.foundation import assessments
from pmostep.planning import decisions


def test_the_change_budget_comes_from_readiness_unless_set(con, q):
    a = services.load_demo(con, q)
    p = plan.build(con, a, q)
    assert p.readiness.reading == "moderate" and p.settings.change_budget == 7
    assert p.budget_reason.startswith("from readiness for change: moderate (culture 2.38)")
    decisions.save_settings(con, a.id, decisions.StoredSettings(4, 13, 20.0, 9.0))
    assert plan.build(con, a, q).settings.change_budget == 9.0
    assert plan.build(con, a, q, change_budget=3).budget_reason == \
        "set for this run: 3 change-load points per wave"


def test_planning_needs_scores(con, q):
    a = assessments.create(con, "empty", q, name="Empty")
    with pytest.raises(plan.PlanningError, match="'empty' has 0 completed responses"):
        plan.build(con, a, q)
