"""`python -m pmostep problems`: the likely problems of an assessment as text and JSON, and the bonus their
confirmation gives in `recommend --format json`, on a real DuckDB file."""

import json

from pmostep import cli, services
from pmostep.deployment import plan
from pmostep.planning import know_how
from pmostep.planning.know_how import KnowHow
from pmostep.planning.problems import Problem, Rule
from pmostep.store import db


def run(capsys, *argv):
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_problems_text_and_json_and_the_bonus_in_recommend(tmp_path, capsys):
    path = tmp_path / "cli.duckdb"
    as_json = ("problems", "--assessment", "demo", "--format", "json", "--db", str(path))
    assert run(capsys, "demo", "--db", str(path))[0] == 0
    code, out, _ = run(capsys, *as_json)
    found = json.loads(out)
    assert code == 0 and len(found) >= 1
    assert set(found[0]) == {"problem", "name", "strength", "points", "evidence", "symptoms", "practices",
                             "entries", "why"}
    order = ["strong", "possible", "not seen"]
    assert [order.index(f["strength"]) for f in found] == sorted(order.index(f["strength"]) for f in found)
    sponsor = next(f for f in found if f["problem"] == "no_sponsor")
    assert set(sponsor["symptoms"][0]) == {"id", "text", "ticked"}
    assert not any(s["ticked"] for f in found for s in f["symptoms"])
    assert sponsor["practices"] and "pmo_charter" in sponsor["entries"]
    assert all(isinstance(e, str) for f in found for e in f["evidence"])

    # The culture change shows in the figures (a group difference): one tick makes it strong.
    change = next(f for f in found if f["problem"] == "change_not_led")
    assert (change["strength"], change["points"]) == ("possible", 1)
    con = db.connect(path)
    services.tick_symptoms(con, "demo", "change_not_led", [change["symptoms"][0]["id"]])
    con.close()
    code, out, _ = run(capsys, "problems", "--assessment", "demo", "--db", str(path))
    now = json.loads(run(capsys, *as_json)[1])
    lines = out.splitlines()
    assert code == 0 and len(lines) == len(now)
    row = next(i for i, f in enumerate(now) if f["problem"] == "change_not_led")
    assert now[row]["strength"] == "strong" and now[row]["points"] == 2
    assert lines[row].startswith("strong    2  The PMO run as a project, not as a culture change")
    assert lines[row].endswith(now[row]["evidence"][0])

    code, out, _ = run(capsys, "recommend", "--assessment", "demo", "--format", "json", "--db", str(path))
    recs = {r["item"]: r for r in json.loads(out)}
    assert "change_not_led" in recs["pmo_awareness_sessions"]["problems"]
    assert "The PMO run as a project, not as a culture change (strong: 2 signs)" in (
        recs["pmo_awareness_sessions"]["why"])
    confirmed = {f["problem"]: f["entries"] for f in now if f["strength"] == "strong"}
    assert all(set(r["problems"]) == {p for p, entries in confirmed.items() if i in entries}
               for i, r in recs.items())


def test_problems_without_scores_runs_the_foundation_rules_and_says_the_others_wait(tmp_path, capsys):
    path = str(tmp_path / "cli.duckdb")
    run(capsys, "new", "empty", "--db", path)                 # no sponsor, mission or customers recorded
    code, out, err = run(capsys, "problems", "--assessment", "empty", "--format", "json", "--db", path)
    assert code == 0 and err.count("\n") == 1
    assert err.startswith("note: 'empty' has 0 completed responses; scores need at least 5. Until then only "
                          "the rules that read the Foundation and the symptoms ticked count")
    found = {f["problem"]: f for f in json.loads(out)}
    assert found["no_sponsor"]["evidence"] == [
        "No sponsor is recorded in the Foundation; The sponsor's role is not recorded in the Foundation"]
    assert found["no_sponsor"]["strength"] == "possible"
    assert "Waiting for scores: Governance and sponsorship: current below 2 and gap above 1.5" in (
        found["no_sponsor"]["why"])
    assert found["resource_conflicts"]["strength"] == "not seen"
    con = db.connect(path)
    services.tick_symptoms(con, "empty", "no_sponsor", ["no_charter"])
    con.close()
    code, out, _ = run(capsys, "problems", "--assessment", "empty", "--db", path)
    assert code == 0 and out.splitlines()[0].startswith("strong    2  No real sponsor or charter")


def test_problems_errors_are_one_line(tmp_path, capsys):
    path = str(tmp_path / "cli.duckdb")
    code, _, err = run(capsys, "problems", "--assessment", "missing", "--db", path)
    assert code == 1 and err.count("\n") == 1 and "missing" in err


def test_problems_says_why_the_know_how_cannot_be_used(tmp_path, capsys):
    path = tmp_path / "cli.duckdb"
    run(capsys, "demo", "--db", str(path))
    con = db.connect(path)
    a = services.assessment_with_questionnaire(con, "demo")[0]
    with db.transaction(con) as cur:
        know_how.save_extension(cur, a.id, "problems", "problems: [{id: broken}]")
    con.close()
    code, _, err = run(capsys, "problems", "--assessment", "demo", "--db", str(path))
    assert code == 1 and err.startswith("error: this assessment's know-how cannot be used: ")
    assert "broken" in err and err.count("\n") == 1
    assert run(capsys, "recommend", "--assessment", "demo", "--db", str(path))[0] == 0   # planning goes on


def test_problems_says_when_the_diagnosis_and_the_roadmap_did_not_settle(tmp_path, capsys, monkeypatch):
    # tests/integration/test_diagnosis.py's problem that flips: its bonus takes away its own evidence.
    governance = Rule("dimension", {"dimension": "governance", "current_below": 2.5})
    entries = ("project_governance_framework", "template_library")
    flip = Problem("flip", "A problem that flips", "s", "w", "c", (), entries, (),
                   (governance, Rule("staffing", {})))
    monkeypatch.setattr(plan.know_how, "for_assessment", lambda *_: KnowHow((flip,), (), ()))
    path = tmp_path / "cli.duckdb"
    run(capsys, "demo", "--db", str(path))
    con = db.connect(path)
    services.save_staff(con, "demo", {"trainer": 0.3})
    con.close()
    code, out, err = run(capsys, "problems", "--assessment", "demo", "--format", "json", "--db", str(path))
    assert code == 0 and [f["problem"] for f in json.loads(out)] == ["flip"]
    assert err.startswith("note: The diagnosis and the roadmap did not settle in 3 passes")
    assert err.count("\n") == 1
