"""The PMO roles (products/roles.py, data/roles.yaml): shipped content, validation, and the one list the
catalogue reads."""

import pytest
import yaml

from pmostep.core import questionnaire, safe_yaml
from pmostep.core.pmo_types import PMO_TYPES
from pmostep.products import catalogue, roles
from pmostep.products.roles import Role

CATALOGUE_ROLES = {"pmo_lead", "pmo_analyst", "methodology_specialist", "trainer", "coach",
                   "portfolio_analyst",
                   "resource_manager", "tools_administrator", "benefits_analyst", "change_manager",
                   "quality_auditor"}


@pytest.fixture(scope="module")
def dims() -> list[str]:
    return [d.id for d in questionnaire.load().dimensions]


def role(role_id: str, **changes) -> dict:
    node = {"id": role_id, "name": role_id.replace("_", " ").capitalize(), "purpose": "Does a job.",
            "responsibilities": ["One thing", "Another thing"], "skills": ["A skill"], "grade": "Manager",
            "pmo_types": ["II"]}
    node.update(changes)
    return node


def problems_of(nodes: list) -> list[str]:
    found, problems = roles.parse({"roles": nodes}, "r.yaml")
    assert problems, found
    return problems


def test_the_shipped_roles_cover_the_catalogue_and_more(dims):
    shipped = roles.shipped()
    ids = [r.id for r in shipped]
    assert len(shipped) >= 12 and CATALOGUE_ROLES | {"pmo_director"} <= set(ids)
    assert len({r.name.lower() for r in shipped}) == len(shipped)
    for r in shipped:
        assert r.purpose and len(r.responsibilities) >= 3 and len(r.skills) >= 3 and r.grade, r.id
        assert set(r.pmo_types) <= set(PMO_TYPES)
    entries = catalogue.shipped(tuple(dims)).entries
    assert {x for e in entries for x in e.roles} == set(ids), "every role is needed by some entry"


def test_a_role_is_needed_by_the_pmo_types_of_the_entries_that_name_it(dims):
    by_id = {r.id: r for r in roles.shipped()}
    wrong = sorted(f"{e.id} ({e.pmo_type}) needs {x}" for e in catalogue.shipped(tuple(dims)).entries
                   for x in e.roles if e.pmo_type not in by_id[x].pmo_types)
    assert wrong == []


def test_names_read_id_to_name_in_list_order():
    names = roles.names()
    assert names["pmo_director"] == "PMO director" and list(names)[:2] == ["pmo_director", "pmo_lead"]
    own = (Role("fixer", "Fixer", "Fixes.", ("Fix",), ("Fixing",), "Specialist", ("I",)),)
    assert roles.names(own) == {"fixer": "Fixer"}


def test_needed_by_lists_the_entries_naming_a_role(dims):
    entries = catalogue.shipped(tuple(dims)).entries
    assert [e.id for e in roles.needed_by("pmo_director", entries)] == ["executive_advisory",
                                                                       "strategic_planning_support"]


def test_a_valid_file_reads_into_roles():
    found, problems = roles.parse({"version": 1, "roles": [role("fixer", pmo_types=["I", "IV"])]}, "r.yaml")
    assert problems == []
    assert found == (Role("fixer", "Fixer", "Does a job.", ("One thing", "Another thing"), ("A skill",),
                          "Manager", ("I", "IV")),)


KINDS = [
    ("missing text", lambda n: n[0].pop("purpose"), "r.yaml: role 'a': purpose: 'purpose' is missing"),
    ("blank text", lambda n: n[0].update(grade="  "), "r.yaml: role 'a': grade: 'grade' is missing"),
    ("text of wrong type", lambda n: n[0].update(name=3),
     "r.yaml: role 'a': name: 'name' must be text, not 3"),
    ("empty list", lambda n: n[0].update(skills=[]), "r.yaml: role 'a': skills: 'skills' is missing"),
    ("list of wrong type", lambda n: n[0].update(skills="Coaching"),
     "r.yaml: role 'a': skills: 'skills' must be a list of text items, not 'Coaching'"),
    ("unknown PMO type", lambda n: n[0].update(pmo_types=["V"]),
     "r.yaml: role 'a': pmo_types: PMO type 'V' is not one of I, II, III, IV"),
    ("listed twice", lambda n: n[0].update(pmo_types=["I", "I"]),
     "r.yaml: role 'a': pmo_types: PMO type 'I' is listed twice"),
    ("unknown field", lambda n: n[0].update(salary="high"),
     "r.yaml: role 'a': salary: 'salary' is not a field of a role (fields: id, name, purpose, "
     "responsibilities, "
     "skills, grade, pmo_types)"),
    ("duplicate id", lambda n: n[1].update(id="a"), "r.yaml: role 2: id: id 'a' is already used by role 1"),
    ("bad id", lambda n: n[1].update(id="Role B"),
     "r.yaml: role 2: id: id 'Role B' must be lower-case letters, digits and _, starting with a letter "
     "(at most 40)"),
    ("missing id", lambda n: n[1].pop("id"), "r.yaml: role 2: id: 'id' is missing"),
    ("duplicate name", lambda n: n[1].update(name="A"),
     "r.yaml: role 'b': name: 'A' is already the name of role 'a'"),
    ("not a mapping", lambda n: n.append("coach"),
     "r.yaml: role 3: must be a mapping of fields, not 'coach'"),
]


@pytest.mark.parametrize(("mutate", "expected"), [k[1:] for k in KINDS], ids=[k[0] for k in KINDS])
def test_each_problem_names_role_and_field(mutate, expected):
    nodes = [role("a"), role("b")]
    mutate(nodes)
    assert problems_of(nodes) == [expected]


def test_every_problem_is_listed_at_once():
    problems = problems_of([role("a", purpose="", pmo_types=["X"]), role("a"), "junk"])
    assert problems == ["r.yaml: role 'a': purpose: 'purpose' is missing",
                        "r.yaml: role 'a': pmo_types: PMO type 'X' is not one of I, II, III, IV",
                        "r.yaml: role 2: id: id 'a' is already used by role 1",
                        "r.yaml: role 3: must be a mapping of fields, not 'junk'"]


def test_the_file_must_list_roles_and_nothing_else():
    assert roles.parse([role("a")], "r.yaml")[1] == ["r.yaml: must be a mapping with a list under 'roles'"]
    assert roles.parse({"roles": []}, "r.yaml")[1] == ["r.yaml: 'roles' must list at least one record"]
    assert roles.parse({"roles": [role("a")], "people": []}, "r.yaml")[1] == [
        "r.yaml: 'people' is not a top-level key (keys: roles, version)"]
    assert roles.parse(None, "ext", required=False) == ((), [])      # an empty extension adds nothing


def test_yaml_text_is_read_safely():
    assert roles.loads(yaml.safe_dump({"roles": [role("a")]}), "r.yaml")[1] == []
    assert roles.loads("roles: [a\n", "r.yaml")[1][0].startswith("r.yaml: is not valid YAML at line 2")
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nroles: [*b, *b]\n"
    assert roles.loads(bomb,
                       "r.yaml")[1] == ["r.yaml: uses YAML aliases (*name); write every entry out in full"]
    huge = "# " + "x" * safe_yaml.MAX_CHARS
    assert roles.loads(huge, "r.yaml")[1][0].startswith("r.yaml: is too long")


# --- The catalogue reads the one list of roles --------------------------------------------------------

def one_entry(roles_: list[str]) -> dict:
    return {"title": "T", "version": 1, "entries": [{
        "id": "audits", "name": "Audits", "type": "service", "description": "Audits.", "deliverables": ["A"],
        "dimensions": {"methodology": 2}, "maturity": [1, 3], "effort": 2, "cost_band": "low",
        "change_load": 1, "horizon": "short", "prerequisites": [], "pmo_type": "II", "roles": roles_,
        "functions": ["learning"]}]}


def test_the_catalogue_checks_roles_against_the_list_it_is_given(dims):
    assert catalogue.parse(one_entry(["pmo_director"]), "c.yaml", dims).entries[0].roles == ("pmo_director",)
    with pytest.raises(catalogue.CatalogueError) as err:
        catalogue.parse(one_entry(["fixer"]), "c.yaml", dims)
    assert err.value.problems == [f"entry 'audits': role 'fixer' is not one of {', '.join(roles.names())}"]
    assert catalogue.parse(one_entry(["fixer"]), "c.yaml", dims, ["fixer"]).entries[0].roles == ("fixer",)
    with pytest.raises(catalogue.CatalogueError, match="role 'pmo_lead' is not one of fixer"):
        catalogue.parse(one_entry(["pmo_lead"]), "c.yaml", dims, ["fixer"])


def test_the_catalogue_read_me_lists_the_roles_by_name(dims):
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(catalogue.template_xlsx(catalogue.shipped(tuple(dims)))))
    rows = {r[0]: r[2] for r in book[catalogue.README_SHEET].iter_rows(values_only=True)}
    assert "pmo_director (PMO director)" in rows["roles"]
    assert "knowledge_manager (Knowledge manager)" in rows["roles"]
    custom = catalogue.template_xlsx(catalogue.shipped(tuple(dims)), {"fixer": "Fixer"})
    rows = {r[0]: r[2] for r in openpyxl.load_workbook(io.BytesIO(custom))[catalogue.README_SHEET]
            .iter_rows(values_only=True)}
    assert rows["roles"].startswith("fixer (Fixer)")


def test_the_roles_are_one_list():
    """No module keeps role names of its own (catalogue.ROLES is gone): all read data/roles.yaml."""
    import ast

    from tests.conftest import ROOT

    files = [*(ROOT / "pmostep").rglob("*.py"), *(ROOT / "views").glob("*.py"), *(ROOT / "ui").glob("*.py")]
    assigned = sorted(str(path.relative_to(ROOT)) for path in files
                      for node in ast.walk(ast.parse(path.read_text()))
                      if isinstance(node, ast.Assign | ast.AnnAssign)
                      for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
                      if isinstance(target, ast.Name) and target.id in {"ROLES", "ROLE_NAMES"})
    assert assigned == []
    assert not hasattr(catalogue, "ROLES")
