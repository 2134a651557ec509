"""An assessment's own know-how (planning/know_how.py with services) on a real DuckDB file: extensions
stored per kind, checked with the shipped data and the catalogue copy, and deleted with the assessment."""

import copy

import pytest
import yaml

from pmostep import services
from pmostep.foundation import assessments
from pmostep.planning import decisions, know_how
from pmostep.planning.know_how import KnowHowError
from pmostep.products import catalogue, roles
from tests.conftest import just_before_the_next_unit_of_work


def text(kind: str, *records: dict) -> str:
    return yaml.safe_dump({kind: list(records)}, sort_keys=False)


VENDOR = {"id": "vendor_lock_in", "name": "Locked in by a vendor", "summary": "One vendor runs the projects.",
          "why": "Outsourced long ago.", "consequences": "Nothing changes without the vendor.",
          "symptoms": [{"id": "vendor_decides", "text": "The vendor decides the plans"}],
          "entries": ["project_governance_framework"], "keywords": ["vendor"],
          "rules": [{"kind": "comments", "min_matches": 2}]}
OWN_PLAN = {"id": "own_the_plan", "name": "Own the plan", "step": "foundation", "summary": "Keep planning.",
            "how": ["Name an internal owner", "Review the vendor's plan"], "problems": ["vendor_lock_in"],
            "entries": ["project_governance_framework"]}
MANAGER = {"id": "vendor_manager", "name": "Vendor manager", "purpose": "Manages vendors.",
           "responsibilities": ["Contracts"], "skills": ["Negotiation"], "grade": "Manager",
           "pmo_types": ["IV"]}


@pytest.fixture
def a(con, q):
    return assessments.create(con, "acme", q, name="Acme PMO")


def by_id(items) -> dict:
    return {i.id: i for i in items}


def mine(con, a, q):
    cat, _ = decisions.catalogue(con, a.id, [d.id for d in q.dimensions])
    return know_how.for_assessment(con, a, q, cat)


def test_an_assessment_starts_with_the_shipped_know_how(con, a, q):
    cat, _ = decisions.catalogue(con, a.id, [d.id for d in q.dimensions])
    assert know_how.extensions(con, a.id) == {}
    assert mine(con, a, q) == know_how.shipped(q, cat)


def test_extensions_are_stored_per_kind_and_read_back_over_the_shipped_ones(con, a, q):
    with pytest.raises(KnowHowError, match="problem 'vendor_lock_in': no practice names it"):
        services.save_know_how_extensions(con, a, q, {"problems": text("problems", VENDOR)})
    assert know_how.extensions(con, a.id) == {}                        # nothing stored
    both = {**OWN_PLAN, "problems": ["vendor_lock_in", "no_sponsor"]}
    services.save_know_how_extensions(con, a, q, {"problems": text("problems", VENDOR),
                                                  "practices": text("practices", both)})
    assert "own_the_plan" in [p.id for p in mine(con, a, q).practices_for("no_sponsor")]
    services.save_know_how_extensions(con, a, q, {"practices": text("practices", OWN_PLAN)})    # replaced
    k = mine(con, a, q)
    assert by_id(k.problems)["vendor_lock_in"].name == "Locked in by a vendor"
    assert [p.id for p in k.practices_for("vendor_lock_in")] == ["own_the_plan"]
    assert "own_the_plan" not in [p.id for p in k.practices_for("no_sponsor")]
    other = assessments.create(con, "other", q, name="Other")
    assert mine(con, other, q).problems == know_how.shipped(q, catalogue.shipped(
        tuple(d.id for d in q.dimensions))).problems                  # one assessment's own stay its own
    with pytest.raises(KnowHowError, match="practice 'own_the_plan': problems: problem 'vendor_lock_in' is "
                                           "not in the problem library"):
        services.clear_know_how_extensions(con, a, q, ["problems"])    # its practice still names it
    with pytest.raises(KnowHowError, match="problem 'vendor_lock_in': no practice names it"):
        services.clear_know_how_extensions(con, a, q, ["practices"])   # and it needs the practice
    services.clear_know_how_extensions(con, a, q, ["practices", "problems"])
    assert know_how.extensions(con, a.id) == {}


def test_hostile_yaml_is_refused_and_nothing_is_stored(con, a, q):
    services.save_know_how_extensions(con, a, q, {"roles": text("roles", MANAGER)})
    nested = "[" * 50_000 + "]" * 50_000
    many = text("roles", *({**copy.deepcopy(MANAGER), "id": f"r{i}", "name": f"R{i}"} for i in range(1001)))
    for texts in ({"roles": nested}, {"roles": many}, {"problems": nested, "roles": text("roles", MANAGER)}):
        with pytest.raises(KnowHowError, match=r"(64 deep \(line 1, column 65\)|1,001 records)"):
            services.save_know_how_extensions(con, a, q, texts)
        assert know_how.extensions(con, a.id) == {"roles": text("roles", MANAGER)}   # as it was


def test_an_extension_is_checked_against_the_know_how_the_write_sees(con, a, q, monkeypatch):
    """Another session goes back to the shipped problems and practices just before the save: the new
    practices, naming the problem that went with them, are refused instead of stored."""
    services.save_know_how_extensions(con, a, q, {"problems": text("problems", VENDOR),
                                                  "practices": text("practices", OWN_PLAN)})
    just_before_the_next_unit_of_work(
        monkeypatch, lambda: services.clear_know_how_extensions(con, a, q, ["practices", "problems"]))
    both = {**OWN_PLAN, "problems": ["vendor_lock_in", "no_sponsor"]}
    with pytest.raises(KnowHowError, match="problem 'vendor_lock_in' is not in the problem library"):
        services.save_know_how_extensions(con, a, q, {"practices": text("practices", both)})
    assert know_how.extensions(con, a.id) == {}


def without(cat: catalogue.Catalogue, entry: str, dims: list[str]) -> catalogue.Catalogue:
    records = [r for r in cat.to_records() if r["id"] != entry]
    for r in records:
        r["prerequisites"] = [p for p in r["prerequisites"] if p != entry]
    return catalogue.Catalogue.from_records(records, dims)


def test_a_catalogue_that_drops_an_entry_the_own_know_how_names_is_refused(con, a, q, monkeypatch):
    dims = [d.id for d in q.dimensions]
    smaller = without(catalogue.shipped(tuple(dims)), "project_governance_framework", dims)
    just_before_the_next_unit_of_work(monkeypatch, lambda: services.save_know_how_extensions(
        con, a, q, {"problems": text("problems", VENDOR), "practices": text("practices", OWN_PLAN)}))
    with pytest.raises(KnowHowError) as err:
        services.save_catalogue(con, a.id, smaller)
    assert err.value.problems == [
        "the assessment's problems (extension): problem 'vendor_lock_in': entries: entry "
        "'project_governance_framework' is not in the catalogue",
        "the assessment's practices (extension): practice 'own_the_plan': entries: entry "
        "'project_governance_framework' is not in the catalogue"]
    assert decisions.catalogue(con, a.id, dims) == (catalogue.shipped(tuple(dims)), False)   # not stored
    assert [p.id for p in mine(con, a, q).practices_for("vendor_lock_in")] == ["own_the_plan"]  # still whole
    # An entry only the shipped know-how names may go: the shipped records simply leave it out.
    no_charter = without(catalogue.shipped(tuple(dims)), "pmo_charter", dims)
    assert services.save_catalogue(con, a.id, no_charter) == []
    assert decisions.catalogue(con, a.id, dims)[1]
    assert "pmo_charter" not in {e for p in mine(con, a, q).problems for e in p.entries}


def test_a_wrong_kind_is_refused(con, a, q):
    with pytest.raises(KnowHowError, match="kind 'glossary' is not one of problems, practices, roles"):
        services.save_know_how_extensions(con, a, q, {"glossary": ""})


def test_the_catalogue_copy_may_name_the_extensions_roles_and_keeps_them(con, a, q):
    dims = [d.id for d in q.dimensions]
    records = catalogue.shipped(tuple(dims)).to_records()
    records[0]["roles"] = ["vendor_manager"]
    with pytest.raises(catalogue.CatalogueError, match="role 'vendor_manager' is not one of"):
        catalogue.Catalogue.from_records(records, dims, role_ids=[r.id for r in know_how.roles_for(con,
                                                                                                   a.id)])
    services.save_know_how_extensions(con, a, q, {"roles": text("roles", MANAGER)})
    own = catalogue.Catalogue.from_records(records, dims, role_ids=[r.id for r in know_how.roles_for(con,
                                                                                                     a.id)])
    services.save_catalogue(con, a.id, own)
    cat, customised = decisions.catalogue(con, a.id, dims)     # read back with the assessment's roles
    assert customised and cat.entries[0].roles == ("vendor_manager",)
    assert roles.names(mine(con, a, q).roles)["vendor_manager"] == "Vendor manager"
    with pytest.raises(KnowHowError) as err:
        services.clear_know_how_extensions(con, a, q, ["roles"])
    assert err.value.problems == ["catalogue entry 'pmo_charter': roles: role 'vendor_manager' is not in "
                                  "the roles"]
    with pytest.raises(KnowHowError, match="entry 'pmo_charter': roles: role 'vendor_manager' is not in the"):
        services.save_know_how_extensions(con, a, q, {"roles": text("roles", {**MANAGER, "id": "buyer",
                                                                             "name": "Buyer"})})
    services.reset_catalogue(con, a.id)
    services.clear_know_how_extensions(con, a, q, ["roles"])
    assert know_how.extensions(con, a.id) == {}


def test_deleting_the_assessment_deletes_its_extensions(con, a, q):
    services.save_know_how_extensions(con, a, q, {"roles": text("roles", MANAGER)})
    services.delete_assessment(con, a.slug)
    assert know_how.extensions(con, a.id) == {}
