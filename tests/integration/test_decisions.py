"""The facilitator's stored decisions (planning/decisions.py) on a real DuckDB file: choices, settings,
placements and a customised catalogue, stored all or nothing and deleted with the assessment."""

import pytest

from pmostep import demo, services
from pmostep.foundation import assessments
from pmostep.planning import decisions, recommend
from pmostep.products import catalogue


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
