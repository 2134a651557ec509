"""The know-how as one whole (planning/know_how.py): the shipped files checked together, and an assessment's
extensions laid over them (new ids added, same ids replace), checked with the shipped data."""

import pytest
import yaml

from pmostep.core import questionnaire
from pmostep.planning import know_how, practices, problems
from pmostep.planning.know_how import KnowHowError
from pmostep.products import catalogue, roles


@pytest.fixture(scope="module")
def q():
    return questionnaire.load()


@pytest.fixture(scope="module")
def cat(q):
    return catalogue.shipped(tuple(d.id for d in q.dimensions))


def text(kind: str, *records: dict) -> str:
    return yaml.safe_dump({kind: list(records)}, sort_keys=False)


def problem(pid: str = "vendor_lock_in", **changes) -> dict:
    node = {"id": pid, "name": "Locked in by a vendor", "summary": "One vendor runs the projects.",
            "why": "Outsourced long ago.", "consequences": "Nothing changes without the vendor.",
            "symptoms": [{"id": "vendor_decides", "text": "The vendor decides the plans"}],
            "entries": ["project_governance_framework"], "keywords": ["vendor"],
            "rules": [{"kind": "comments", "min_matches": 2}]}
    node.update(changes)
    return node


def practice(pid: str = "own_the_plan", **changes) -> dict:
    node = {"id": pid, "name": "Own the plan", "step": "foundation", "summary": "Keep planning in-house.",
            "how": ["Name an internal owner", "Review the vendor's plan"], "problems": ["vendor_lock_in"],
            "entries": ["project_governance_framework"]}
    node.update(changes)
    return node


def role(rid: str = "vendor_manager", **changes) -> dict:
    node = {"id": rid, "name": "Vendor manager", "purpose": "Manages vendors.",
            "responsibilities": ["Contracts"],
            "skills": ["Negotiation"], "grade": "Manager", "pmo_types": ["IV"]}
    node.update(changes)
    return node


def by_id(items) -> dict:
    return {i.id: i for i in items}


def problems_of(q, cat, texts: dict) -> list[str]:
    with pytest.raises(KnowHowError) as err:
        know_how.build(q, cat, texts)
    assert str(err.value) == "; ".join(err.value.problems)
    return err.value.problems


def test_the_shipped_know_how_holds_together(q, cat):
    k = know_how.shipped(q, cat)
    assert len(k.problems) >= 15 and len(k.practices) >= 30 and len(k.roles) >= 12
    assert all(k.practices_for(p.id) for p in k.problems), "every problem has a practice"
    assert by_id(k.problems)["no_sponsor"].name == "No real sponsor or charter"
    assert [p.id for p in k.practices_for("benefits_not_tracked")] == ["track_benefits_after_close"]
    assert roles.names(k.roles)["pmo_director"] == "PMO director"
    assert [m for m in vars(know_how.KnowHow) if not m.startswith("_")] == ["practices_for"]   # no dead code


def test_an_extension_adds_new_ids_and_replaces_shipped_ones(q, cat):
    shipped = know_how.shipped(q, cat)
    sponsor = next(p for p in yaml.safe_load(problems.DEFAULT_PROBLEMS.read_text())["problems"]
                   if p["id"] == "no_sponsor")
    sponsor["name"] = "Nobody owns the PMO"
    k = know_how.build(q, cat, {
        "problems": text("problems", problem(), sponsor),
        "practices": text("practices", practice()),
        "roles": text("roles", role(), role("coach", name="Project coach")),
    })
    assert [p.id for p in k.problems] == [*(p.id for p in shipped.problems), "vendor_lock_in"]
    assert by_id(k.problems)["no_sponsor"].name == "Nobody owns the PMO"        # replaced, in its place
    assert [p.id for p in k.problems].index("no_sponsor") == 0
    assert [p.id for p in k.practices_for("vendor_lock_in")] == ["own_the_plan"]
    names = roles.names(k.roles)
    assert names["coach"] == "Project coach" and names["vendor_manager"] == "Vendor manager"
    assert len(k.roles) == len(shipped.roles) + 1


def test_an_extension_is_checked_with_the_shipped_data_every_problem_at_once(q, cat):
    shipped_practice = next(p for p in yaml.safe_load(practices.DEFAULT_PRACTICES.read_text())
                            ["practices"] if p["id"] == "track_benefits_after_close")
    shipped_practice["problems"] = ["value_not_shown"]       # the only practice of benefits_not_tracked
    assert problems_of(q, cat, {
        "problems": text("problems", problem(entries=["vendor_register"]), problem("orphan", name="Orphan")),
        "practices": text("practices", practice(problems=["vendor_lock_in", "no_such_problem"]),
                          shipped_practice),
        "roles": text("roles", role(pmo_types=["V"]), role("fixer", name="PMO lead")),
    }) == [
        "the assessment's roles (extension): role 'vendor_manager': pmo_types: PMO type 'V' is not one of "
        "I, II, III, IV",
        "the assessment's problems (extension): problem 'vendor_lock_in': entries: entry 'vendor_register' "
        "is "
        "not in the catalogue",
        "the assessment's practices (extension): practice 'own_the_plan': problems: problem "
        "'no_such_problem' "
        "is not in the problem library",
        "the roles with the assessment's extension: role 'fixer': name: 'PMO lead' is already the name of "
        "role 'pmo_lead'",
        "problem 'benefits_not_tracked': no practice names it in its problems; add it to a practice's "
        "problems",
        "problem 'orphan': no practice names it in its problems; add it to a practice's problems",
    ]


def test_an_extensions_practice_may_name_the_extensions_problem_and_shipped_ones(q, cat):
    k = know_how.build(q, cat, {"problems": text("problems", problem()),
                                "practices": text("practices", practice(problems=["vendor_lock_in",
                                                                                  "no_sponsor"]))})
    assert "own_the_plan" in [p.id for p in k.practices_for("no_sponsor")]


def test_an_empty_extension_adds_nothing(q, cat):
    assert know_how.build(q, cat, {"practices": "", "roles": "# nothing yet\n"}) == know_how.shipped(q, cat)


def test_an_extension_is_read_safely(q, cat):
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nproblems: [*b, *b]\n"
    assert problems_of(q, cat, {"problems": bomb}) == [
        "the assessment's problems (extension): uses YAML aliases (*name); write every entry out in full"]
    assert problems_of(q, cat, {"roles": "roles: [\n"})[0].startswith(
        "the assessment's roles (extension): is not valid YAML at line 2")


def test_a_customised_catalogue_cuts_the_entries_it_lacks(q, cat):
    records = [r for r in cat.to_records() if r["id"] != "pmo_charter"]
    for r in records:
        r["prerequisites"] = [p for p in r["prerequisites"] if p != "pmo_charter"]
    smaller = catalogue.Catalogue.from_records(records, [d.id for d in q.dimensions])
    k = know_how.shipped(q, smaller)
    assert "pmo_charter" not in {e for p in (*k.problems, *k.practices) for e in p.entries}
    assert by_id(k.problems)["no_sponsor"].entries == ("executive_advisory", "sponsor_training",
                                               "project_governance_framework")
    assert problems_of(q, smaller, {"problems": text("problems", problem(entries=["pmo_charter"])),
                                    "practices": text("practices", practice())}) == [
        "the assessment's problems (extension): problem 'vendor_lock_in': entries: entry 'pmo_charter' is "
        "not "
        "in the catalogue"]


def test_the_roles_a_catalogue_names_must_stay(q):
    records = catalogue.shipped(tuple(d.id for d in q.dimensions)).to_records()
    records[0]["roles"] = ["vendor_manager"]
    own = catalogue.Catalogue.from_records(records, [d.id for d in q.dimensions],
                                           role_ids=["vendor_manager", *roles.names()])
    assert problems_of(q, own,
                       {}) == ["catalogue entry 'pmo_charter': roles: role 'vendor_manager' is not in "
                                       "the roles"]
    assert roles.names(know_how.build(q, own, {"roles": text("roles", role())}).roles)["vendor_manager"]
