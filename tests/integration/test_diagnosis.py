"""The diagnosis over assessments scored from real DuckDB files: the rules read the figures scoring gives
(the hand-worked fixture's, tests/integration/test_scoring.py), and a group below the minimum size
never becomes evidence, neither its figures nor its comments."""

import pytest

from pmostep import services
from pmostep.deployment import plan, staffing
from pmostep.planning import comments, diagnosis, know_how, readiness, scoring
from pmostep.planning.know_how import KnowHow
from pmostep.planning.problems import Problem, Rule
from pmostep.store import db
from tests.conftest import SMALL_GROUP, SMALL_GROUP_REMARK


def facts_of(con, slug: str) -> diagnosis.Facts:
    """What plan.build gives the rules, without a roadmap: the whole, the groups, the visible comments."""
    a, q = services.assessment_with_questionnaire(con, slug)
    report, groups = scoring.score(con, a, q), scoring.score(con, a, q, by="group")
    shown = [g.group for g in groups.groups]
    return diagnosis.Facts(report, groups, comments.visible(scoring.open_answers(con, a, q), shown, q), a,
                           readiness.readiness(report))


def problem(*rules: Rule, keywords: tuple[str, ...] = ()) -> Problem:
    return Problem("p", "A problem", "s", "w", "c", (), (), keywords, rules)


def fired(rule: Rule, f: diagnosis.Facts, keywords: tuple[str, ...] = ()) -> str | None:
    return diagnosis.evaluate(rule, f, problem(rule, keywords=keywords))


def test_rules_read_the_hand_worked_figures(con, hand_assessment):
    hand_assessment(min_group_size=1)
    f = facts_of(con, "hand")
    # current 2.7, desired 23.5 / 6 = 3.9167, gap 1.2167, with two decimals as the pages write them
    rule = Rule("dimension", {"dimension": "methodology", "current_below": 3.0, "gap_above": 1.2})
    assert fired(rule, f) == "Methodology and standards: current 2.70, desired 3.92, gap 1.22"
    assert fired(Rule("dimension", {"dimension": "methodology", "gap_above": 1.22}), f) is None
    # "don't know" ratings: meth_1..4 have 1, 1, 1 and 3 of them beside 5, 5, 4 and 3 counted: 6 of 23
    assert fired(Rule("dont_know", {"dimension": "methodology", "share_above": 0.26}), f) == (
        "Methodology and standards: 26 % of ratings were \"don't know\" (6 of 23)")
    assert fired(Rule("dont_know", {"dimension": "methodology", "share_above": 0.261}), f) is None
    assert fired(Rule("comments", {"min_matches": 1}), f, ("templates",)) == "1 comment mentions templates"
    assert fired(Rule("comments", {"min_matches": 2}), f, ("templates",)) is None
    # the project managers (2.0, 2.0, 3.5) and the executives (4.5, 1.5) differ, but not clearly
    assert fired(Rule("group_difference", {"dimension": "methodology"}), f) is None


def test_a_shown_group_whose_dimension_is_too_thinly_rated_is_no_evidence(con, hand_assessment):
    # At a minimum of 3 both groups are shown, but only 2 executives rated methodology (r4 said
    # "don't know" throughout): their methodology figures are blanked, so no comparison can use them.
    hand_assessment(min_group_size=3)
    f = facts_of(con, "hand")
    executives = next(g for g in f.groups.groups if g.group == "Executive or sponsor")
    assert executives.dimensions.set_index("id")["current"].isna()["methodology"]
    named = {"dimension": "methodology", "groups": ["Executive or sponsor", "Project manager"]}
    assert fired(Rule("group_difference", named), f) is None


def test_a_group_below_the_minimum_size_never_becomes_evidence(small_file, q):
    # Two executives rated everything 1 and wrote the remark: too few to show (minimum 5).
    con = db.connect(small_file, read_only=True)
    try:
        f = facts_of(con, "small")
        found = plan.build(con, *services.assessment_with_questionnaire(con, "small")).diagnosis
    finally:
        con.close()
    assert SMALL_GROUP in f.groups.suppressed and SMALL_GROUP not in [g.group for g in f.groups.groups]
    # Read, their 1s would differ clearly from the project managers on every dimension they rated:
    pm = next(g for g in f.groups.groups if g.group == "Project manager").dimensions
    their = pm.assign(current=1.0, current_sd=0.0, n=2)
    assert scoring.clear_difference(pm, their).all()
    # ... but no rule ever sees them.
    for d in q.dimensions:
        named = {"dimension": d.id, "groups": [SMALL_GROUP, "Project manager"]}
        assert fired(Rule("group_difference", named), f) is None
        anyone = fired(Rule("group_difference", {"dimension": d.id}), f) or ""
        assert SMALL_GROUP not in anyone and "Portfolio or programme manager" not in anyone
    remark = fired(Rule("comments", {"min_matches": 1}), f, ("audit-only-remark", "script"))
    assert remark == "1 comment mentions audit-only-remark, script"     # counted, never quoted
    said = " ".join(e for x in found for e in (*x.evidence, x.why) if x.points)
    assert SMALL_GROUP not in said and SMALL_GROUP_REMARK not in said and "<script>" not in said
    # a problem not seen names the groups its rule compares, as what it looked for, never a figure of theirs
    looked = " ".join(x.why for x in found if not x.points)
    assert SMALL_GROUP_REMARK not in looked and "<script>" not in looked


def test_plan_build_diagnoses_with_the_self_check_and_gives_the_bonus(tmp_path, q):
    con = db.connect(tmp_path / "demo.duckdb")
    services.load_demo(con, q)
    before = plan.build(con, *services.assessment_with_questionnaire(con, "demo"))
    # The executives and the team members rate the culture clearly apart: a sign in the figures, possible.
    change = next(x for x in before.diagnosis if x.id == "change_not_led")
    assert (change.strength, change.points, change.figures) == ("possible", 1, 1)
    # The sponsor is only in the comments: a tick gives 2 signs, none in the figures, still possible.
    sponsor = next(x for x in before.diagnosis if x.id == "no_sponsor")
    assert (sponsor.strength, sponsor.figures) == ("possible", 0)
    services.tick_symptoms(con, "demo", "no_sponsor", [sponsor.symptoms[0].id])
    services.tick_symptoms(con, "demo", "change_not_led", [change.symptoms[0].id])
    after = plan.build(con, *services.assessment_with_questionnaire(con, "demo"))
    con.close()
    still = next(x for x in after.diagnosis if x.id == "no_sponsor")
    assert (still.strength, still.points) == ("possible", 2)
    assert still.why.startswith("2 signs, none in the figures (strong needs one")
    now = next(x for x in after.diagnosis if x.id == "change_not_led")
    assert (now.strength, now.points) == ("strong", 2)
    assert now.why.endswith(f"you ticked '{change.symptoms[0].text}'.")
    strong = [x.id for x in after.diagnosis if x.strength == "strong"]
    assert [x.id for x in after.diagnosis][:len(strong)] == strong            # strong ones first
    old = {r.item: r for r in before.recommendations}
    new = {r.item: r for r in after.recommendations}
    for item in change.entries:
        assert "change_not_led" in new[item].problems
        assert f"{change.name} (strong: 2 signs)" in new[item].why
        if old[item].problems:                      # another strong problem gave it the bonus already
            assert new[item].score == old[item].score
        else:
            assert new[item].score == pytest.approx(old[item].score * 1.25, abs=0.1)
    assert all(new[i].score == old[i].score and new[i].problems == old[i].problems
               for i in set(new) - set(change.entries))


def demo_plan(tmp_path, q, monkeypatch, problems: tuple[Problem, ...], staff: dict[str, float] | None = None,
              **options) -> tuple[plan.Plan, staffing.Staffing]:
    """The demo's plan diagnosed with `problems` alone (the demo's staff, or `staff`), and the staffing
    plan of the roadmap it shows."""
    monkeypatch.setattr(plan.know_how, "for_assessment", lambda *_: KnowHow(problems, (), ()))
    con = db.connect(tmp_path / "demo.duckdb")
    services.load_demo(con, q)
    if staff is not None:
        services.save_staff(con, "demo", staff)
    a, aq = services.assessment_with_questionnaire(con, "demo")
    p = plan.build(con, a, aq, **options)
    shown = staffing.for_assessment(con, a, p.roadmap)
    con.close()
    return p, shown


# Two signs the demo's figures always give (governance current 2.14, resources 1.41), whatever the roadmap.
FIGURES = (Rule("dimension", {"dimension": "governance", "current_below": 2.5}),
           Rule("dimension", {"dimension": "resources", "current_below": 2.0}))
# Its bonus brings the template library into wave 4, where the foundation training stood: the trainer
# the demo's first roadmap needs in wave 4 (0.46 FTE against 0.3) is needed nowhere on the one shown.
MOVER = ("project_governance_framework", "template_library")


def items(road) -> dict[int, list[str]]:
    return {w.number: sorted(w.items) for w in road.waves}


def test_the_diagnosis_reads_the_roadmap_the_plan_shows(tmp_path, q, monkeypatch):
    mover = Problem("mover", "A problem the figures confirm", "s", "w", "c", (), MOVER, (), FIGURES)
    p, shown = demo_plan(tmp_path, q, monkeypatch, (mover, problem(Rule("staffing", {}))))
    assert p.diagnosis_note == ""
    assert items(p.roadmap)[4] == ["project_governance_framework", "template_library"]
    assert "basic_pm_training" not in {i for w in p.roadmap.waves for i in w.items}
    staffed = next(x for x in p.diagnosis if x.id == "p")
    assert staffed.evidence == ("Wave 1 needs 0.54 FTE of PMO analyst; the PMO has 0.5; Wave 4 needs 0.62 "
                                "FTE of Methodology specialist; the PMO has 0.5",)
    assert shown.facts() == ((1, "PMO analyst", 0.54, 0.5), (4, "Methodology specialist", 0.62, 0.5))
    # without the bonus the roadmap held the training in wave 4, whose trainer was short: not evidence now
    alone, _ = demo_plan(tmp_path / "alone", q, monkeypatch, (problem(Rule("staffing", {})),))
    assert items(alone.roadmap)[4] == ["basic_pm_training", "template_library"]
    assert alone.diagnosis[0].evidence[0].endswith("Wave 4 needs 0.46 FTE of Trainer; the PMO has 0.3")


def test_a_bonus_that_takes_away_its_own_evidence_is_said_after_three_passes(tmp_path, q, monkeypatch):
    # Only the trainer's staff entered: the first roadmap is short of a trainer in wave 4, which with
    # governance confirms the problem; its bonus takes the training out of the waves, and with it the
    # shortfall, so the problem is only possible, which brings the training back, and so on.
    rules = (FIGURES[0], Rule("staffing", {}))
    flip = Problem("flip", "A problem that flips", "s", "w", "c", (), MOVER, (), rules)
    p, shown = demo_plan(tmp_path, q, monkeypatch, (flip,), staff={"trainer": 0.3})
    (found,) = p.diagnosis
    assert found.strength == "strong"
    assert found.evidence[1] == "Wave 4 needs 0.46 FTE of Trainer; the PMO has 0.3"
    assert shown.facts() == ((4, "Trainer", 0.46, 0.3),)                # the roadmap shown has that wave
    assert not any(r.problems for r in p.recommendations)                # the bonus of the pass before
    assert p.diagnosis_note.startswith("The diagnosis and the roadmap did not settle in 3 passes")
    assert p.diagnosis_note.endswith("(strong then: none; strong on this roadmap: A problem that flips).")


def test_the_diagnosis_reads_the_roadmaps_wave_loads(tmp_path, q, monkeypatch):
    # The demo's readiness is 2.38 (moderate: 7 change-load points a wave), and its accepted entries
    # fill wave 2 to 7 of 7; with a change budget of 40 no wave comes near it.
    rule = Rule("readiness_load", {"readiness_below": 2.5, "load_share_at_least": 1.0})
    p, _ = demo_plan(tmp_path, q, monkeypatch, (problem(rule),))
    roomy, _ = demo_plan(tmp_path / "roomy", q, monkeypatch, (problem(rule),), change_budget=40)
    assert [w.change_load for w in p.roadmap.waves] == [5, 7, 6, 4]
    assert p.diagnosis[0].evidence == (
        "Readiness for change 2.38 (moderate), and wave 2 carries 7 of 7 change-load points",)
    assert roomy.diagnosis[0].strength == "not seen"


def test_the_diagnosis_reads_the_roadmaps_staffing_shortfalls(tmp_path, q, monkeypatch):
    # The demo's first wave needs 0.54 FTE of PMO analyst (its staffing plan); with 0.5 entered it is
    # short, with 1 it is not, and a role without staff entered is never a shortfall.
    rule = (problem(Rule("staffing", {})),)
    assert demo_plan(tmp_path, q, monkeypatch, rule, staff={})[0].diagnosis[0].strength == "not seen"
    short, _ = demo_plan(tmp_path / "short", q, monkeypatch, rule, staff={"pmo_analyst": 0.5})
    enough, _ = demo_plan(tmp_path / "enough", q, monkeypatch, rule, staff={"pmo_analyst": 1.0})
    assert short.diagnosis[0].evidence == ("Wave 1 needs 0.54 FTE of PMO analyst; the PMO has 0.5",)
    assert enough.diagnosis[0].strength == "not seen"


def test_know_how_that_cannot_be_used_stops_the_diagnosis_never_the_plan(con, q, hand_assessment):
    # An extension stored before the catalogue changed, say: it no longer loads.
    a = hand_assessment(min_group_size=1)
    with db.transaction(con) as cur:
        know_how.save_extension(cur, a.id, "problems", "problems: [{id: broken}]")
    p = plan.build(con, a, q)
    assert p.recommendations and p.diagnosis == ()
    assert any("broken" in x for x in p.diagnosis_problems)
    assert not any(r.problems for r in p.recommendations)
