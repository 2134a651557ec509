"""The planning commands' contract (catalog, recommend, choose, roadmap): their JSON fields and their
one-line errors, on a real DuckDB file."""

import json

from pmostep import cli


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
    assert code == 0 and {"item", "score", "why", "workshop"} <= set(recs[0])
    assert all(r["workshop"] is None for r in recs)                 # no workshop has voted on the demo
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
