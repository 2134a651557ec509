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


def _room(con, a, drafts):
    """A workshop of the assessment with these activities, and six phones joined."""
    from pmostep.workshop import store as workshop_store
    w = services.new_workshop(con, a.slug, "Steering group", agenda=drafts)
    with con.cursor() as cur:
        acts = workshop_store.activities(cur, w.id)
    return w, acts, [services.join(con, w.code) for _ in range(6)]


def _vote(con, w, act, phones, answers, reveal=True):
    services.show_activity(con, w.id, act.id)
    number = services.open_round(con, act.id)
    for k, (phone, given) in enumerate(zip(phones, answers, strict=False)):
        assert services.answer(con, w.code, phone, act.id, given, f"{act.id}-{number}-{k}")
    if reveal:
        services.reveal(con, act.id)


def test_a_revealed_workshop_vote_ranks_entries_and_places_them_on_the_2x2(con, q):
    from pmostep.workshop.activities import ActivityDraft
    a = services.load_demo(con, q)                                   # minimum group size 5
    entries = ("pm_onboarding", "risk_management_process", "pm_coaching")
    w, (dots, grid), phones = _room(con, a, [
        ActivityDraft("dots", "What first?", entries, "entry", {"dots": 3, "cap": 2}),
        ActivityDraft("matrix", "Value and effort", entries, "entry")])
    before = {r.item: r for r in plan.build(con, a, q).recommendations}
    # Round 1, revealed: 6 phones give pm_coaching 2 dots each and pm_onboarding 1: 12 and 6 of 18.
    _vote(con, w, dots, phones, [{"dots": {"pm_coaching": 2, "pm_onboarding": 1}}] * 6)
    # Round 2 is open, then locked without a reveal: it does not count yet.
    _vote(con, w, dots, phones, [{"dots": {"risk_management_process": 2}}] * 6, reveal=False)
    services.lock_round(con, dots.id)
    # The 2x2: six place pm_onboarding, four (fewer than 5) place pm_coaching.
    places = [{"place": {"pm_onboarding": {"value": 4 + k % 2, "effort": 2},
                         **({"pm_coaching": {"value": 2, "effort": 4}} if k < 4 else {})}} for k in range(6)]
    _vote(con, w, grid, phones, places)

    p = plan.build(con, a, q)
    after = {r.item: r for r in p.recommendations}
    coaching, onboarding = after["pm_coaching"], after["pm_onboarding"]
    assert (coaching.workshop.votes, coaching.workshop.total, coaching.workshop.round) == (12, 18, 1)
    assert abs(coaching.score - before["pm_coaching"].score * 1.5) <= 0.1     # both rounded to 0.1
    assert coaching.rank < before["pm_coaching"].rank
    assert onboarding.why.endswith("The workshop gave it 6 of 18 dots (33 %), round 1: +25 %.")
    assert after["risk_management_process"].workshop.votes == 0           # round 2 was never revealed
    assert after["pmo_charter"].workshop is None and after["pmo_charter"].to_dict()["workshop"] is None
    assert {i: pl.words() for i, pl in p.workshop_2x2.items()} == {
        "pm_onboarding": "Quick win: value 4.5, effort 2.0, n 6"}

    # Revealing round 2 makes it the one that counts.
    services.reveal(con, dots.id)
    latest = {r.item: r for r in plan.build(con, a, q).recommendations}
    assert latest["risk_management_process"].workshop.words() == \
        "The workshop gave it 12 of 12 dots (100 %), round 2: +50 %."
    assert latest["pm_coaching"].workshop.votes == 0


def test_a_vote_of_fewer_than_the_minimum_group_size_gives_no_priority(con, q):
    from pmostep.workshop.activities import ActivityDraft
    a = services.load_demo(con, q)
    w, (dots,), phones = _room(con, a, [ActivityDraft("dots", "What first?", ("pm_onboarding", "pm_coaching"),
                                                      "entry")])
    _vote(con, w, dots, phones[:4], [{"dots": {"pm_coaching": 2}}] * 4)
    p = plan.build(con, a, q)
    assert all(r.workshop is None for r in p.recommendations) and p.workshop_2x2 == {}
