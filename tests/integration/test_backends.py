"""The same assessment on both backends gives the same figures: the analytics run DuckDB's SQL on the
file and on the in-memory copy read from PostgreSQL (store/responses.analytics)."""

from __future__ import annotations

import json

import pytest

from pmostep import cli
from pmostep.store import db, postgres, responses

pytestmark = pytest.mark.postgres

READS = (["scores", "--assessment", "demo", "--format", "json"],
         ["scores", "--assessment", "demo", "--format", "json", "--by", "group"],
         ["recommend", "--assessment", "demo", "--format", "json"],
         ["roadmap", "--assessment", "demo", "--format", "json"],
         ["problems", "--assessment", "demo", "--format", "json"],
         ["staffing", "--assessment", "demo", "--format", "json"])


def _run(capsys, *argv: str) -> str:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_the_demo_gives_the_same_json_on_the_file_and_on_postgresql(tmp_path, pg_url, capsys):
    path = str(tmp_path / "demo.duckdb")
    for target in (path, pg_url):
        _run(capsys, "demo", "--db", target)
    for argv in READS:
        on_file = json.loads(_run(capsys, *argv, "--db", path))
        on_pg = json.loads(_run(capsys, *argv, "--db", pg_url))
        assert on_pg == on_file, argv
    scores = json.loads(_run(capsys, *READS[0], "--db", pg_url))
    assert scores["respondents"] == 150 and len(scores["dimensions"]) == 12


def test_the_analytic_copy_follows_new_responses_and_is_reused_while_they_stand(pg_url, q):
    from pmostep import services
    from pmostep.foundation import assessments
    from pmostep.planning import scoring

    con = db.connect(pg_url)
    try:
        services.load_demo(con, q, respondents=30, seed=2)
        a = assessments.get(con, "demo")
        first = scoring.score(con, a, q)
        held = responses._copies[(pg_url, a.id)][1]
        assert scoring.score(con, a, q).to_dict() == first.to_dict()
        assert responses._copies[(pg_url, a.id)][1] is held          # no new copy while nothing changed
        with db.transaction(con) as cur:                               # one response leaves
            gone = cur.execute("SELECT min(id) FROM respondents WHERE assessment_id = ?",
                               [a.id]).fetchone()[0]
            responses._delete_respondents(cur, "id", gone)
        after = scoring.score(con, a, q)
        assert responses._copies[(pg_url, a.id)][1] is not held
        assert after.respondents < first.respondents            # its block is withdrawn with it
    finally:
        con.close()


def test_an_unreachable_server_is_one_line_naming_it_without_its_password(capsys):
    code = cli.main(["assessments", "--db", "postgresql://someone:secret@127.0.0.1:1/pmostep"])
    _, err = capsys.readouterr()
    assert code == 1
    assert "cannot reach the PostgreSQL database postgresql://someone:***@127.0.0.1:1/pmostep" in err
    assert "secret" not in err and len(err.strip().splitlines()) == 1
    assert postgres.redact("postgresql://u:p@h/d") == "postgresql://u:***@h/d"
