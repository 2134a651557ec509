"""The know-how commands' contract (practices, roles): their JSON fields, filters, an assessment's own
know-how, and their one-line errors, run as `python -m pmostep` would be on a real DuckDB file."""

import json

import yaml

from pmostep import cli, services
from pmostep.foundation import assessments
from pmostep.store import db


def run(capsys, *argv):
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_practices_json_lists_every_practice_with_its_links(capsys):
    code, out, _ = run(capsys, "practices", "--format", "json")
    found = json.loads(out)
    assert code == 0 and len(found) >= 30
    assert set(found[0]) == {"practice", "name", "step", "summary", "how", "problems", "entries"}
    first = next(p for p in found if p["practice"] == "charter_before_services")
    assert first["step"] == "foundation" and first["entries"] == ["pmo_charter"]
    assert first["problems"] == ["no_sponsor", "wrong_reasons", "quick_wins_unrealistic"]
    assert 2 <= len(first["how"]) <= 5


def test_practices_filter_by_step_and_by_words(capsys):
    _, out, _ = run(capsys, "practices", "--step", "running", "--format", "json")
    assert {p["step"] for p in json.loads(out)} == {"running"} and len(json.loads(out)) >= 4
    _, out, _ = run(capsys, "practices", "--search", "Lessons START", "--format", "json")
    assert [p["practice"] for p in json.loads(out)] == ["lessons_at_project_start"]
    _, out, _ = run(capsys, "practices", "--search", "nothing matches this", "--format", "json")
    assert json.loads(out) == []
    code, out, _ = run(capsys, "practices", "--step", "deployment")
    assert code == 0 and out.startswith("6 of 36 practices\n\nDeployment\n")
    assert "prevents: Too much change at once" in out            # problems by name in the table


def test_roles_json_names_the_entries_that_need_each_role(capsys):
    code, out, _ = run(capsys, "roles", "--format", "json")
    found = {r["role"]: r for r in json.loads(out)}
    assert code == 0 and len(found) >= 12
    assert set(found["pmo_director"]) == {"role", "name", "purpose", "responsibilities", "skills", "grade",
                                          "pmo_types", "entries"}
    assert found["pmo_director"]["entries"] == ["executive_advisory", "strategic_planning_support"]
    assert found["resource_manager"]["pmo_types"] == ["II", "IV"]
    assert "resource_register" in found["resource_manager"]["entries"]


def test_an_assessments_own_know_how_is_read_with_assessment(tmp_path, capsys, q):
    path = tmp_path / "cli.duckdb"
    con = db.connect(path)
    a = assessments.create(con, "acme", q, name="Acme")
    role = {"id": "vendor_manager", "name": "Vendor manager", "purpose": "Manages vendors.",
            "responsibilities": ["Contracts"], "skills": ["Negotiation"], "grade": "Manager",
            "pmo_types": ["IV"]}
    practice = {"id": "own_the_plan", "name": "Own the plan", "step": "running", "summary": "Plan in-house.",
                "how": ["Name an owner", "Review the plan"], "problems": ["no_sponsor"],
                "entries": ["pmo_charter"]}
    services.save_know_how_extensions(con, a, q, {"roles": yaml.safe_dump({"roles": [role]}),
                                                  "practices": yaml.safe_dump({"practices": [practice]})})
    con.close()
    _, out, _ = run(capsys, "roles", "--assessment", "acme", "--format", "json", "--db", str(path))
    assert json.loads(out)[-1] == {**{k: role[k] for k in ("name", "purpose", "responsibilities", "skills",
                                                           "grade", "pmo_types")},
                                   "role": "vendor_manager", "entries": []}
    _, out, _ = run(capsys, "practices", "--assessment", "acme", "--step", "running", "--format", "json",
                    "--db", str(path))
    assert json.loads(out)[-1]["practice"] == "own_the_plan"
    _, out, _ = run(capsys, "practices", "--step", "running", "--format", "json")
    assert "own_the_plan" not in [p["practice"] for p in json.loads(out)]   # the shipped ones without it


def test_know_how_errors_are_one_line(tmp_path, capsys):
    code, _, err = run(capsys, "roles", "--assessment", "nobody", "--db", str(tmp_path / "x.duckdb"))
    assert code == 1 and err.startswith("error: ") and err.count("\n") == 1
