"""`python -m pmostep`: subcommands, JSON contracts, errors and exit codes."""

import json
import subprocess
import sys

import pytest

from pmostep import cli
from pmostep.store import db
from tests.conftest import ROOT


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_db(tmp_path, capsys):
    path = str(tmp_path / "cli.duckdb")
    assert run(capsys, "demo", "--db", path, "--respondents", "40", "--seed", "3")[0] == 0
    return path


def test_real_module_entry_point_prints_scores_json(tmp_path):
    path = str(tmp_path / "m.duckdb")
    subprocess.run([sys.executable, "-m", "pmostep", "demo", "--db", path], cwd=ROOT, check=True,
                   capture_output=True)
    done = subprocess.run([sys.executable, "-m", "pmostep", "scores", "--assessment", "demo", "--db", path,
                           "--format", "json"], cwd=ROOT, capture_output=True, text=True, check=True)
    doc = json.loads(done.stdout)
    assert doc["assessment"] == "demo" and doc["respondents"] == 150
    assert len(doc["dimensions"]) == 12
    for d in doc["dimensions"]:
        assert {"id", "name", "n", "current", "desired", "gap"} <= set(d)
        assert d["gap"] == pytest.approx(d["desired"] - d["current"], abs=1e-3)


def test_init_new_and_assessments(tmp_path, capsys):
    path = str(tmp_path / "n.duckdb")
    code, out, _ = run(capsys, "init", "--db", path)
    assert code == 0 and f"schema version {db.migrations()[-1][0]}" in out
    code, out, _ = run(capsys, "new", "acme", "--db", path, "--name", "Acme PMO", "--organisation", "Acme")
    assert code == 0 and "created assessment 'acme'" in out
    code, out, _ = run(capsys, "assessments", "--db", path, "--format", "json")
    rows = json.loads(out)
    assert [(r["slug"], r["name"], r["organisation"], r["respondents"]) for r in rows] == [
        ("acme", "Acme PMO", "Acme", 0)]
    code, out, _ = run(capsys, "assessments", "--db", path)
    assert "Acme PMO" in out


def test_db_from_environment(tmp_path, capsys, monkeypatch):
    path = tmp_path / "env.duckdb"
    monkeypatch.setenv("PMOSTEP_DB", str(path))
    assert run(capsys, "new", "from-env")[0] == 0
    assert path.exists()


def test_questionnaire_json(capsys):
    code, out, _ = run(capsys, "questionnaire", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["id"] == "pmo_discovery" and len(doc["dimensions"]) == 12
    assert doc["scale"][2]["label"] == "Defined"


def test_questionnaire_text_lists_statements(capsys):
    code, out, _ = run(capsys, "questionnaire")
    assert code == 0 and "gov_1" in out and "Governance and sponsorship" in out


def test_scores_by_group_json(demo_db, capsys):
    code, out, _ = run(capsys, "scores", "--db", demo_db, "--assessment", "demo", "--by", "group",
                       "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["by"] == "group"
    shown = {g["group"] for g in doc["groups"]}
    hidden = {s["group"] for s in doc["suppressed"]}
    assert shown and hidden and not shown & hidden                 # 40 respondents: some groups small
    assert all(g["respondents"] >= 5 for g in doc["groups"])
    assert all(set(s) == {"group", "reason"} for s in doc["suppressed"])
    assert all(len(g["dimensions"]) == 12 for g in doc["groups"])


def test_scores_table_and_csv(demo_db, capsys):
    code, out, _ = run(capsys, "scores", "--db", demo_db, "--assessment", "demo")
    assert code == 0 and "maturity index" in out and "Governance and sponsorship" in out
    code, out, err = run(capsys, "scores", "--db", demo_db, "--assessment", "demo", "--by", "group",
                         "--format", "csv")
    header = out.splitlines()[0].split(",")
    assert code == 0 and header[:3] == ["group", "id", "name"]
    hidden = [line.split(": ", 1)[1].split(" (")[0] for line in err.splitlines()]
    shown = {line.split(",")[0] for line in out.splitlines()[1:]}
    assert hidden and shown and not set(hidden) & shown


def test_scores_filters_follow_the_pages_rules(demo_db, capsys):
    """--filter gives the figures of the filter's respondents, or `withheld` and filters that may be."""
    _, out, _ = run(capsys, "scores", "--db", demo_db, "--assessment", "demo", "--by", "group",
                    "--format", "json")
    group = json.loads(out)["groups"][0]
    code, out, _ = run(capsys, "scores", "--db", demo_db, "--assessment", "demo", "--format", "json",
                       "--filter", f"group={group['group']}")
    doc = json.loads(out)
    assert code == 0 and doc["filters"] == {"group": [group["group"]]} and "withheld" not in doc
    assert doc["respondents"] == group["respondents"] and doc["overall"] == group["overall"]
    code, out, _ = run(capsys, "scores", "--db", demo_db, "--assessment", "demo", "--format", "json",
                       "--filter", f"group={group['group']}", "--filter", "business_unit=Operations")
    doc = json.loads(out)
    assert code == 0 and doc["overall"] is None and doc["dimensions"] == []
    assert doc["withheld"] == doc["reason"] and "fewer than" in doc["withheld"]
    assert {"group": [group["group"]]} in doc["allowed_instead"]
    code, out, _ = run(capsys, "scores", "--db", demo_db, "--assessment", "demo",
                       "--filter", f"group={group['group']}", "--filter", "business_unit=Operations")
    assert code == 0 and "withheld: " in out and f"allowed instead: --filter group={group['group']}" in out


@pytest.mark.parametrize("argv, message", [
    (["scores", "--assessment", "missing"], "no assessment with slug 'missing'"),
    (["scores", "--assessment", "demo", "--by", "salary"], "cannot break down by 'salary'"),
    (["scores", "--assessment", "demo", "--filter", "shoe_size=42"], "cannot filter by 'shoe_size'"),
    (["scores", "--assessment", "demo", "--filter", "group=Nobody"], "cannot filter group by 'Nobody'"),
    (["scores", "--assessment", "demo", "--filter", "group"], "write FIELD=VALUE[,VALUE...]"),
    (["scores", "--assessment", "demo", "--filter", "group=Project manager", "--filter", "group=Executive"],
     "--filter group is given twice"),
    (["new", "Bad Slug"], "slug 'Bad Slug' must be"),
    (["new", "demo"], "already exists"),
    (["demo", "--respondents", "0"], "--respondents must be at least 1"),
])
def test_errors_are_one_line_and_exit_non_zero(demo_db, capsys, argv, message):
    code, out, err = run(capsys, *argv, "--db", demo_db)
    assert code != 0 and out == ""
    assert err.startswith("error: ") and message in err and "Traceback" not in err


def test_bad_questionnaire_file_is_reported(tmp_path, capsys):
    bad = tmp_path / "q.yaml"
    bad.write_text("id: x\nversion: 1\n", encoding="utf-8")
    code, _, err = run(capsys, "questionnaire", "--questionnaire", str(bad))
    assert code != 0 and "q.yaml" in err and "scale: must list at least two points" in err


def test_database_held_by_another_process_is_read_from_a_copy_and_not_written(demo_db, capsys):
    holder = subprocess.Popen([sys.executable, "-c",
                               f"import duckdb,time; c=duckdb.connect({demo_db!r}); "
                               "c.execute(\"UPDATE assessments SET name = 'Renamed while held'\"); "
                               "print('ok',flush=True); time.sleep(30)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        code, out, err = run(capsys, "assessments", "--db", demo_db, "--format", "json")
        assert code == 0 and json.loads(out)[0]["name"] == "Renamed while held"     # not yet checkpointed
        assert err.startswith(f"note: database {demo_db} is in use by another process: PID {holder.pid} (")
        assert err.endswith("; reading a copy of it taken now\n") and err.count("\n") == 1
        code, out, err = run(capsys, "new", "pilot", "--db", demo_db)
        assert code == 1 and out == "" and err.count("\n") == 1
        assert f"is in use by another process: PID {holder.pid} (" in err and "stop that process" in err
    finally:
        holder.kill()
        holder.wait()


def test_scores_of_an_all_na_assessment_print_a_sentence(tmp_path, capsys):
    from pmostep.core import questionnaire
    from pmostep.foundation import assessments
    from pmostep.store import db, responses
    from tests.conftest import METH, batch_from_rows, rating_rows

    path = tmp_path / "na.duckdb"
    con = db.connect(path)
    q = questionnaire.load()
    a = assessments.create(con, "allna", q)
    keys = {f"x{i}": True for i in range(5)}
    answers = [row for k in keys for row in rating_rows(k, METH, ["NA"] * 4, ["NA"] * 4)]
    responses.add(con, a, q, batch_from_rows(keys, answers))
    con.close()
    code, out, err = run(capsys, "scores", "--db", str(path), "--assessment", "allna")
    assert code == 0 and "not scored" in out and err == ""


def test_link_prints_a_path(demo_db, capsys):
    code, out, _ = run(capsys, "link", "--db", demo_db, "--assessment", "demo")
    assert code == 0 and out.startswith("/?t=") and len(out.strip()) > 24
    again = run(capsys, "link", "--db", demo_db, "--assessment", "demo")[1]
    assert again == out                                              # one open link per assessment
    personal = run(capsys, "link", "--db", demo_db, "--assessment", "demo", "--invitee", "a@b.org")[1]
    assert personal.startswith("/?t=") and personal != out
    code, _, err = run(capsys, "link", "--db", demo_db, "--assessment", "demo", "--invitee", "nope")
    assert code != 0 and "not an e-mail address" in err


@pytest.mark.parametrize(("status", "how"), [("closed", "reopen it on the Foundation page"),
                                             ("archived", "use Close, then Reopen")])
def test_link_of_a_closed_or_archived_assessment_is_refused(demo_db, capsys, status, how):
    from pmostep.foundation import assessments
    from pmostep.store import db

    con = db.connect(demo_db)
    assessments.set_status(con, "demo", "closed")
    if status == "archived":
        assessments.set_status(con, "demo", "archived")
    con.close()
    for extra in ([], ["--invitee", "a@b.org"]):
        code, out, err = run(capsys, "link", "--db", demo_db, "--assessment", "demo", *extra)
        assert code == 1 and out == ""
        assert err.count("\n") == 1 and how in err
        assert err.startswith(f"error: assessment 'demo' is {status}, so it takes no new survey links")
