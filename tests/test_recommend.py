"""Recommendations against hand-worked figures, the planning store, and the planning commands' contract."""

import json

import pandas as pd
import pytest

from pmostep import cli, demo, services
from pmostep.deployment import plan
from pmostep.foundation import assessments
from pmostep.planning import decisions, recommend
from pmostep.planning.scoring import GroupScores
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


def test_choices_settings_and_placements_are_stored_and_deleted_with_the_assessment(con, q):
    a = services.load_demo(con, q, respondents=40)
    assert decisions.choices(con, a.id)["ppm_tool"].decision == "rejected"      # the demo's own choices
    decisions.decide(con, a.id, list(decisions.choices(con, a.id)), None)
    decisions.decide(con, a.id, ["pmo_charter", "role_sort"], "accepted", "quick win")
    decisions.decide(con, a.id, ["ppm_tool"], "rejected", "no budget this year")
    decisions.decide(con, a.id, ["role_sort"], None)
    assert {i: (c.decision, c.reason) for i, c in decisions.choices(con, a.id).items()} == {
        "pmo_charter": ("accepted", "quick win"), "ppm_tool": ("rejected", "no budget this year")}
    with pytest.raises(decisions.DecisionError, match="not in the catalogue: nonsense"):
        decisions.decide(con, a.id, ["nonsense"], "accepted", known={"pmo_charter"})
    with pytest.raises(decisions.DecisionError, match="number of waves: 1 to 24, not 0; capacity"):
        decisions.save_settings(con, a.id, decisions.StoredSettings(0, 13, 0, None))
    decisions.save_settings(con, a.id, decisions.StoredSettings(3, 12, 15.0, 5.0))
    assert decisions.settings(con, a.id) == decisions.StoredSettings(3, 12, 15.0, 5.0)
    decisions.place(con, a.id, "pmo_charter", 2, "move", override=True)
    assert decisions.placements(con, a.id) == [("pmo_charter", 2, "move", True)]
    assert decisions.save_settings(con, a.id, decisions.StoredSettings(1, 12, 15.0, None)) == ["pmo_charter"]
    assert decisions.placements(con, a.id) == []                                   # its wave 2 is gone
    services.load_demo(con, q, respondents=40)                    # the old demo and its plan are deleted
    assert assessments.get(con, demo.DEMO_SLUG).id != a.id
    assert con.execute("SELECT count(*) FROM plan_choices WHERE assessment_id = ?", [a.id]).fetchone() == (0,)


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


def run(capsys, *argv):
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_catalog_recommend_and_roadmap_json_contract(tmp_path, capsys):
    db = str(tmp_path / "cli.duckdb")
    assert run(capsys, "demo", "--db", db)[0] == 0
    code, out, _ = run(capsys, "catalog", "--format", "json", "--db", db)
    entries = json.loads(out)
    assert code == 0 and len(entries) >= 35
    assert {e["type"] for e in entries} == {"product", "service"}
    first = entries[0]
    assert {"id", "name", "type", "dimensions", "effort", "change_load", "prerequisites"} <= set(first)
    assert isinstance(first["dimensions"], dict) and isinstance(first["prerequisites"], list)

    code, out, _ = run(capsys, "recommend", "--assessment", "demo", "--format", "json", "--db", db)
    recs = json.loads(out)
    assert code == 0 and {"item", "score", "why"} <= set(recs[0])
    assert [r["score"] for r in recs] == sorted((r["score"] for r in recs), reverse=True)
    decided = [r["item"] for r in recs if r["decision"]]             # the demo's workshop choices
    assert run(capsys, "choose", "--assessment", "demo", "--clear", *decided, "--db", db)[0] == 0

    assert run(capsys, "choose", "--assessment", "demo", "--accept", "consolidated_status_reporting",
               "--with-prerequisites", "--db", db)[0] == 0
    code, out, _ = run(capsys, "roadmap", "--assessment", "demo", "--waves", "3", "--capacity", "5",
                       "--change-budget", "4", "--format", "json", "--db", db)
    doc = json.loads(out)
    assert code == 0
    assert doc["settings"]["waves"] == 3 and doc["settings"]["capacity"] == 5
    assert doc["settings"]["change_budget"] == 4
    wave = doc["waves"][0]
    assert {"number", "items", "effort", "change_load", "projected"} <= set(wave)
    placed = [i for w in doc["waves"] for i in w["items"]]
    assert sorted(placed) == ["consolidated_status_reporting", "project_inventory", "status_report_template"]
    assert all(w["effort"] <= 5 and w["change_load"] <= 4 for w in doc["waves"])
    assert doc["unplaced"] == []
    assert set(wave["projected"]) >= {"reporting", "governance"}


def test_cli_planning_errors_are_one_line(tmp_path, capsys):
    db = str(tmp_path / "cli.duckdb")
    run(capsys, "demo", "--db", db)
    code, _, err = run(capsys, "choose", "--assessment", "demo", "--accept", "nonsense", "--db", db)
    assert code == 1 and err == "error: not in the catalogue: nonsense\n"
    code, _, err = run(capsys, "roadmap", "--assessment", "demo", "--waves", "0", "--db", db)
    assert code == 1 and err.startswith("error: waves must be at least 1")
    run(capsys, "new", "empty", "--db", db)
    code, _, err = run(capsys, "recommend", "--assessment", "empty", "--db", db)
    assert code == 1 and "recommendations need scores" in err


def test_accepting_with_prerequisites_never_reverses_a_rejection_or_wipes_a_reason(con, q):
    a = services.load_demo(con, q, respondents=40)
    cat, _ = decisions.catalogue(con, a.id, [d.id for d in q.dimensions])
    decisions.decide(con, a.id, ["role_sort"], "rejected", "Roles are already clear")
    current = {i: c.decision for i, c in decisions.choices(con, a.id).items()}
    add, kept = recommend.prerequisites_to_add(cat, ["template_library"], current)
    assert kept == ["role_sort"]
    assert add == ["template_library"]          # the methodology and the charter are accepted already
    decisions.decide(con, a.id, [*add, "pmo_charter"], "accepted", "")      # accepting again, no reason...
    choices = decisions.choices(con, a.id)
    assert choices["pmo_charter"].reason == "Agreed in the first workshop with the sponsor"   # ...reason kept
    assert choices["role_sort"].decision == "rejected"


def test_a_customised_catalogue_drops_the_choices_of_entries_it_no_longer_has(con, q):
    a = services.load_demo(con, q, respondents=40)
    dims = [d.id for d in q.dimensions]
    cat, _ = decisions.catalogue(con, a.id, dims)
    decisions.place(con, a.id, "lessons_learned_reviews", 2)
    smaller = catalogue.Catalogue.from_records(
        [r for r in cat.to_records() if r["id"] != "lessons_learned_reviews"
         and "lessons_learned_reviews" not in r["prerequisites"]], dims)
    assert decisions.save_catalogue(con, a.id, smaller) == ["lessons_learned_reviews"]
    assert "lessons_learned_reviews" not in decisions.choices(con, a.id)
    assert decisions.placements(con, a.id) == []
    assert decisions.catalogue(con, a.id, dims) == (smaller, True)


def test_several_decisions_are_all_or_nothing(con, q):
    a = services.load_demo(con, q, respondents=40)
    before = decisions.choices(con, a.id)
    with pytest.raises(decisions.DecisionError, match="decided more than once: risk_database"):
        services.decide(con, a.slug, {"accepted": ["risk_database"], "rejected": ["risk_database"]})
    with (pytest.raises(decisions.DecisionError, match="not in the catalogue: nope"),
          services.UnitOfWork(con) as uow):
        decisions.decide_many(uow.cur, a.id, {"accepted": ["risk_database"], "rejected": ["nope"]},
                              known={"risk_database"})
        uow.commit()
    assert decisions.choices(con, a.id) == before
    with pytest.raises(decisions.DecisionError, match="wave must be 1 or more, not 0"):
        decisions.place(con, a.id, "pmo_charter", 0)


def test_cli_choose_and_roadmap_refuse_half_done_or_odd_requests(tmp_path, capsys):
    db = str(tmp_path / "cli.duckdb")
    run(capsys, "demo", "--db", db)
    code, _, err = run(capsys, "choose", "--assessment", "demo", "--db", db)
    assert code == 1 and err.startswith("error: nothing to do")
    code, _, err = run(capsys, "choose", "--assessment", "demo", "--accept", "risk_database", "--reject",
                       "nope", "--db", db)
    assert code == 1 and err == "error: not in the catalogue: nope\n"
    code, out, _ = run(capsys, "recommend", "--assessment", "demo", "--format", "json", "--db", db)
    assert next(r for r in json.loads(out) if r["item"] == "risk_database")["decision"] is None
    code, _, err = run(capsys, "roadmap", "--assessment", "demo", "--capacity", "nan", "--db", db)
    assert code == 1 and err.startswith("error: capacity must be a number above 0")
    code, out, _ = run(capsys, "roadmap", "--assessment", "demo", "--pin", "lessons_learned_reviews=3",
                       "--format", "json", "--db", db)
    doc = json.loads(out)
    assert code == 0 and "lessons_learned_reviews" in doc["waves"][2]["items"]
    assert doc["settings"]["pins"] == {"lessons_learned_reviews": 3}
    code, _, err = run(capsys, "roadmap", "--assessment", "demo", "--pin", "ppm_tool=2", "--db", db)
    assert code == 1 and err == "error: --pin: not among the accepted entries: ppm_tool\n"


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
