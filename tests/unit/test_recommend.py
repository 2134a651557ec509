"""Recommendations (planning/recommend.py) against hand-worked figures: credit, fit, ranking, reasons."""

from dataclasses import replace
from datetime import datetime

import pandas as pd
import pytest

from pmostep.core import questionnaire
from pmostep.foundation.assessments import Assessment
from pmostep.planning import diagnosis, know_how, recommend
from pmostep.planning.problems import Problem
from pmostep.planning.readiness import Readiness
from pmostep.planning.scoring import ALL, GroupScores, ScoreReport
from pmostep.products import catalogue
from pmostep.products.catalogue import Catalogue, Entry


def entry(id, dims, band=(1, 3), effort=2.0, load=1, horizon="short", prereqs=()):
    return Entry(id=id, name=id.replace("_", " ").capitalize(), type="product", description="d",
                 deliverables=("x",), dimensions=dims, maturity_min=band[0], maturity_max=band[1],
                 effort=effort, cost_band="low", change_load=load, horizon=horizon, prerequisites=prereqs)


def dims(**rows):
    """id -> (current, desired, importance)."""
    return pd.DataFrame([{"id": d, "name": d.capitalize(), "current": c, "desired": w, "gap": w - c,
                          "importance": i} for d, (c, w, i) in rows.items()])


SCORES = dims(governance=(2.05, 3.80, 4.4), stakeholders=(2.4, 3.41, 3.5), culture=(2.5, 3.58, 3.3),
              portfolio=(1.2, 3.0, float("nan")))


def test_the_worked_example_of_the_docs():
    charter = entry("pmo_charter", {"governance": 3, "stakeholders": 2, "culture": 1})
    (r,) = recommend.rank(Catalogue("t", 1, (charter,)), SCORES)
    # docs/recommendations.md: benefit 0.749, fit 1 (level 2 in 1-3), ease 1/1.2, horizon 1.1
    assert r.benefit == pytest.approx(4.4 / 5 * 0.5 + 3.5 / 5 * 0.3 + 3.3 / 5 * 0.15)
    assert (r.level, r.fit, r.horizon) == (2, 1.0, 1.1)
    assert r.ease == pytest.approx(1 / 1.2)
    assert r.score == 68.7
    assert r.closes == {"governance": 0.5, "stakeholders": 0.3, "culture": 0.15}
    assert r.why.startswith("Closes part of the Governance gap (0.50 of 1.75, importance 4.4); also "
                            "Stakeholders (0.30), Culture (0.15). Fits level 2 (suits levels 1-3).")
    assert r.why.endswith("2 person-weeks, change load 1 of 5, short-term value.")


def test_credit_stops_at_the_gap_and_unrated_importance_is_neutral():
    small = dims(governance=(3.0, 3.2, 5.0), portfolio=(1.2, 3.0, float("nan")))
    (r,) = recommend.rank(Catalogue("t", 1, (entry("e", {"governance": 3, "portfolio": 1}),)), small)
    assert r.closes == pytest.approx({"governance": 0.2, "portfolio": 0.15})
    assert r.benefit == pytest.approx(5 / 5 * 0.2 + 3 / 5 * 0.15)
    assert r.why.startswith("Closes the Governance gap (0.20 of 0.20")


def test_fit_halves_per_level_below_the_band_and_halves_above_it():
    low = entry("advanced", {"portfolio": 3}, band=(3, 5))
    assert recommend.fit(low, 1) == 0.25 and recommend.fit(low, 2) == 0.5 and recommend.fit(low, 3) == 1.0
    basic = entry("basic", {"portfolio": 3}, band=(1, 2))
    assert recommend.fit(basic, 3) == 0.5 and recommend.fit(basic, None) == 1.0


def test_ranking_order_effort_load_and_horizon():
    cheap = entry("cheap", {"governance": 3})
    dear = entry("dear", {"governance": 3}, effort=10, load=5, horizon="long")
    ranked = recommend.rank(Catalogue("t", 1, (dear, cheap)), SCORES)
    assert [r.item for r in ranked] == ["cheap", "dear"]
    assert ranked[1].ease == pytest.approx(1 / (1 + 1 + 1)) and ranked[1].horizon == 0.9


def test_why_says_how_groups_see_the_dimension_and_what_is_missing():
    def group(name, governance):
        return GroupScores(name, 10, {}, dims(governance=(governance, 4.0, 4.0)), pd.DataFrame())
    base = entry("base", {"culture": 1})
    top = entry("top", {"governance": 3}, prereqs=("base",))
    cat = Catalogue("t", 1, (base, top))
    alike = recommend.rank(cat, SCORES, [group("Executives", 2.0), group("Project managers", 2.3)])
    assert "which the stakeholder groups rate alike (2.0 to 2.3)" in alike[0].why
    apart = recommend.rank(cat, SCORES, [group("Executives", 3.4), group("Project managers", 1.7)])
    assert "which groups see differently (Executives 3.4, Project managers 1.7)" in apart[0].why
    assert apart[0].why.endswith("Needs first: Base.")
    assert not recommend.rank(cat, SCORES, chosen=["base"])[0].why.endswith("Needs first: Base.")


def test_with_prerequisites_in_dependency_order():
    cat = catalogue.load(dimension_ids=list(SCORES["id"]) + ["methodology", "reporting", "resources", "risk",
                                                               "people", "tools", "benefits", "learning"])
    assert recommend.with_prerequisites(cat, ["template_library"]) == [
        "pmo_charter", "role_sort", "project_methodology", "template_library"]


def test_accepted_entries_leave_less_gap_for_the_others():
    a = entry("a", {"governance": 3})
    b = entry("b", {"governance": 3})
    cat = Catalogue("t", 1, (a, b))
    free = {r.item: r for r in recommend.rank(cat, SCORES)}
    assert free["b"].closes == {"governance": 0.5}
    after = {r.item: r for r in recommend.rank(cat, SCORES, chosen=["a"])}
    assert after["a"].closes == {"governance": 0.5}                  # an accepted entry keeps its credit
    assert after["b"].closes == {"governance": 0.5}                  # 1.75 - 0.5 = 1.25 left: still 0.5
    both = {r.item: r for r in recommend.rank(cat, SCORES, chosen=["a", "b"])}
    assert both["a"].closes == both["b"].closes == {"governance": 0.5}     # accepted: own value
    many = [entry(f"g{k}", {"governance": 3}) for k in range(4)]
    cat = Catalogue("t", 1, (*many, b))
    ranked = {r.item: r for r in recommend.rank(cat, SCORES, chosen=[e.id for e in many[:3]])}
    assert ranked["b"].closes == {"governance": pytest.approx(0.25)}     # 1.75 - 3 x 0.5 = 0.25 left
    assert ranked["b"].why.startswith("Closes the Governance gap left by the accepted entries "
                                      "(0.25 of the 0.25 left of 1.75, importance 4.4)")
    cat = Catalogue("t", 1, (*many, b))
    full = {r.item: r for r in recommend.rank(cat, SCORES, chosen=[e.id for e in many])}
    assert full["b"].closes == {} and full["b"].score == 0
    assert full["b"].why.startswith("The accepted entries already close the gaps on its dimensions.")


def test_the_workshop_priority_worked_example_of_the_docs():
    # docs/recommendations.md, "Workshop priority": round 2 of dots, 120 dots; the stakeholder map got 34
    # (the top share), the charter 17.
    charter = entry("pmo_charter", {"governance": 3, "stakeholders": 2, "culture": 1})
    stakeholder_map = entry("stakeholder_map", {"stakeholders": 3, "culture": 1})
    cat = Catalogue("t", 1, (charter, stakeholder_map))
    without = {r.item: r for r in recommend.rank(cat, SCORES)}
    assert (without["pmo_charter"].score, without["stakeholder_map"].score) == (68.7, 41.2)
    assert without["stakeholder_map"].benefit == pytest.approx(0.449)
    assert without["stakeholder_map"].level == 2 and without["pmo_charter"].workshop is None

    def voted(votes):
        return recommend.WorkshopPriority(votes / 120, 34 / 120, votes, 120, "dots", 2, "Dots: what first?")

    vote = {"stakeholder_map": voted(34), "pmo_charter": voted(17)}
    ranked = recommend.rank(cat, SCORES, workshop=vote)
    by_item = {r.item: r for r in ranked}
    assert (by_item["stakeholder_map"].score, by_item["pmo_charter"].score) == (61.7, 85.8)
    assert vote["stakeholder_map"].factor == 1.5 and vote["pmo_charter"].factor == 1.25
    assert by_item["stakeholder_map"].why.endswith(
        "short-term value. The workshop gave it 34 of 120 dots (28 %), round 2: +50 %.")
    assert by_item["pmo_charter"].why.endswith("The workshop gave it 17 of 120 dots (14 %), round 2: +25 %.")
    assert by_item["pmo_charter"].to_dict()["workshop"] == {
        "share": 0.1417, "top_share": 0.2833, "votes": 17, "total": 120, "unit": "dots", "round": 2,
        "activity": "Dots: what first?", "factor": 1.25}
    assert without["pmo_charter"].to_dict()["workshop"] is None
    shown = recommend.table(ranked, {})
    assert list(shown.columns[3:6]) == ["Score", "Workshop vote", "Decision"]
    assert shown.set_index("Entry")["Workshop vote"].to_dict() == {"Pmo charter": "17 of 120 dots, +25 %",
                                                                   "Stakeholder map": "34 of 120 dots, +50 %"}
    assert "Workshop vote" not in recommend.table(list(without.values()), {})


def test_no_votes_keep_the_score_and_votes_never_score_an_entry_without_a_gap():
    cheap = entry("cheap", {"governance": 3})
    dear = entry("dear", {"governance": 3}, effort=10, load=5, horizon="long")
    closed = entry("closed", {"tools": 3})            # no score for a dimension without a gap
    cat = Catalogue("t", 1, (dear, cheap, closed))
    assert [r.item for r in recommend.rank(cat, SCORES)][:2] == ["cheap", "dear"]
    room = {"dear": recommend.WorkshopPriority(0.5, 0.5, 50, 100, "points", 1, "Points"),
            "cheap": recommend.WorkshopPriority(0.0, 0.5, 0, 100, "points", 1, "Points"),
            "closed": recommend.WorkshopPriority(0.5, 0.5, 50, 100, "points", 1, "Points")}
    ranked = recommend.rank(cat, SCORES, workshop=room)
    by_item = {r.item: r for r in ranked}
    assert by_item["closed"].score == 0.0
    assert by_item["cheap"].score == recommend.rank(cat, SCORES)[0].score == 40.3
    assert by_item["cheap"].why.endswith("The workshop gave it 0 of 100 points (0 %), round 1: +0 %.")
    assert by_item["dear"].score == round(100 * 0.44 * (1 / 3) * 0.9 * 1.5, 1) == 19.8


@pytest.fixture(scope="module")
def shipped_problems() -> dict[str, Problem]:
    """The shipped problems (data/problems.yaml) by id, with their real rules."""
    q = questionnaire.load()
    dims = tuple(d.id for d in q.dimensions)
    return {p.id: p for p in know_how.shipped(q, catalogue.shipped(dims)).problems}


FOUNDATION = Assessment(1, "t", "Test", "Org", "enterprise", "A. Sponsor", "COO", "Board", "II", "Run well",
                        "open", "pmo_discovery", 1, 5, None, None, datetime(2026, 1, 5))


def diagnosed(problem: Problem, ticked: tuple[str, ...] = (), **foundation) -> diagnosis.Finding:
    """The problem diagnosed with its real rules over the worked example's scores (SCORES) and the
    Foundation facts given, with the symptoms ticked."""
    report = ScoreReport("t", "pmo_discovery", 1, 5, 40, None,
                         [GroupScores(ALL, 40, {}, SCORES, pd.DataFrame(
                             {"dimension_id": SCORES["id"], "n": 160, "n_held": 0, "n_na": 0}))])
    facts = diagnosis.Facts(report, ScoreReport("t", "pmo_discovery", 1, 5, 40, "group"),
                            pd.DataFrame(columns=["question", "group", "text"]),
                            replace(FOUNDATION, **foundation), Readiness(2.5, 40, "moderate", "", 7))
    return diagnosis.find(problem, facts, ticked, (), {"governance": "Governance and sponsorship"})


def test_the_problem_bonus_worked_example_of_the_docs(shipped_problems):
    # docs/recommendations.md, "Likely problems": the scores of the first worked example (governance
    # current 2.05, gap 1.75), no sponsor recorded, one symptom ticked.
    charter = entry("pmo_charter", {"governance": 3, "stakeholders": 2, "culture": 1})
    stakeholder_map = entry("stakeholder_map", {"stakeholders": 3, "culture": 1})
    cat = Catalogue("t", 1, (charter, stakeholder_map))
    no_sponsor = shipped_problems["no_sponsor"]
    sponsor = diagnosed(no_sponsor, ("no_charter",), sponsor_name="", sponsor_role="")
    assert (sponsor.strength, sponsor.points, sponsor.figures) == ("strong", 2, 1)
    assert sponsor.evidence == ("No sponsor is recorded in the Foundation; The sponsor's role is not "
                                "recorded in the Foundation",)             # governance 2.05 is not below 2.0
    assert [c.looks_for for c in sponsor.checks][1] == (
        "Governance and sponsorship: current below 2 and gap above 1.5")
    assert {"pmo_charter", "sponsor_training"} <= set(sponsor.entries)
    likely = diagnosis.likely([sponsor])
    by_item = {r.item: r for r in recommend.rank(cat, SCORES, problems=likely)}
    assert recommend.PROBLEM_BONUS == 0.25
    assert (by_item["pmo_charter"].score, by_item["stakeholder_map"].score) == (85.8, 41.2)
    assert by_item["pmo_charter"].problems == ("no_sponsor",) and by_item["stakeholder_map"].problems == ()
    assert by_item["pmo_charter"].why.endswith(
        "short-term value. Addresses a likely problem: No real sponsor or charter (strong: 2 signs): +25 %.")
    assert "likely problem" not in by_item["stakeholder_map"].why
    assert by_item["pmo_charter"].to_dict()["problems"] == ["no_sponsor"]
    assert by_item["stakeholder_map"].to_dict()["problems"] == []
    shown = recommend.table(list(by_item.values()), {}, {"no_sponsor": "No real sponsor or charter"})
    assert list(shown.columns[3:6]) == ["Score", "Likely problem", "Decision"]
    assert shown.set_index("Entry")["Likely problem"].to_dict() == {
        "Pmo charter": "No real sponsor or charter, +25 %", "Stakeholder map": ""}
    # with the sponsor recorded, the tick alone is 1 sign, possible: no bonus, 68.7; two ticks are 2
    # signs but none in the figures: still possible, still 68.7
    for ticks in (("no_charter",), ("no_charter", "sponsor_absent")):
        alone = diagnosed(no_sponsor, ticks)
        assert (alone.strength, alone.points) == ("possible", len(ticks))
        (r,) = [r for r in recommend.rank(cat, SCORES, problems=diagnosis.likely([alone]))
                if r.item == "pmo_charter"]
        assert (r.score, r.problems) == (68.7, ())
    # once, whatever the number of confirmed problems naming the entry: no mission nor customers recorded
    # and a symptom ticked confirm the wrong reasons, which name the charter too
    reasons = diagnosed(shipped_problems["wrong_reasons"], ("no_mission",), mission="", customers="")
    assert reasons.strength == "strong" and "pmo_charter" in reasons.entries
    twice = {r.item: r for r in recommend.rank(cat, SCORES, problems=diagnosis.likely([sponsor, reasons]))}
    assert twice["pmo_charter"].score == 85.8
    assert twice["pmo_charter"].problems == ("no_sponsor", "wrong_reasons")       # by name at equal points
    assert twice["pmo_charter"].why.endswith(
        "Addresses likely problems: No real sponsor or charter (strong: 2 signs), PMO set up for the wrong "
        "reasons or at the wrong level (strong: 2 signs): +25 %.")


def test_the_problem_bonus_multiplies_with_the_workshop_priority(shipped_problems):
    charter = entry("pmo_charter", {"governance": 3, "stakeholders": 2, "culture": 1})
    vote = {"pmo_charter": recommend.WorkshopPriority(17 / 120, 34 / 120, 17, 120, "dots", 2, "Dots")}
    sponsor = diagnosed(shipped_problems["no_sponsor"], ("no_charter",), sponsor_name="")
    (r,) = recommend.rank(Catalogue("t", 1, (charter,)), SCORES, workshop=vote,
                          problems=diagnosis.likely([sponsor]))
    assert r.score == round(100 * 0.749 / 1.2 * 1.1 * 1.25 * 1.25, 1) == 107.3
    assert r.why.endswith("short-term value. Addresses a likely problem: No real sponsor or charter "
                          "(strong: 2 signs): +25 %. The workshop gave it 17 of 120 dots (14 %), round 2: "
                          "+25 %.")
    shown = recommend.table([r], {}, {"no_sponsor": "No real sponsor or charter"})
    assert list(shown.columns[3:7]) == ["Score", "Workshop vote", "Likely problem", "Decision"]
