"""The load benchmark's light client (benchmarks/ws_client.py) against the real server: what it says it
answered is what the database holds, once, so a wrong widget state cannot pass for a fast save."""

import asyncio

import pytest

from benchmarks import ws_client
from pmostep.foundation import assessments
from pmostep.initiation import survey
from pmostep.store import db, questionnaires
from tests.server import running_app

pytestmark = pytest.mark.e2e


def stored(path) -> list[dict]:
    """Every respondent of the database as the client reports its answers, and whether it is completed."""
    con = db.connect(path)
    try:
        out = []
        for rid, completed in con.execute("SELECT id, completed_at IS NOT NULL FROM respondents "
                                          "ORDER BY id").fetchall():
            answers: dict = {"completed": completed}
            ratings = con.execute("SELECT statement_id, current, desired FROM answers "
                                  "WHERE respondent_id = ? AND (current IS NOT NULL OR desired IS NOT NULL)",
                                  [rid]).fetchall()
            answers["ratings"] = {sid: (cur, des) for sid, cur, des in ratings}
            answers["group"] = con.execute("SELECT field, value FROM respondent_profile "
                                           "WHERE respondent_id = ?", [rid]).fetchall()
            answers["comment"] = con.execute("SELECT question_id, text FROM comments WHERE respondent_id = ?",
                                             [rid]).fetchall()
            out.append(answers)
        return out
    finally:
        con.close()


def test_two_respondents_at_once_are_stored_once_with_the_answers_they_gave(tmp_path, q):
    path = tmp_path / "load.duckdb"
    con = db.connect(path)
    questionnaires.register(con, q)
    assessments.create(con, "load", q, min_group_size=1)
    link = survey.create_link(con, "load")
    con.close()

    async def two() -> list[dict]:
        return await asyncio.gather(*(ws_client.respond(url + link.path, q, seed, f"respondent {seed}")
                                      for seed in (1, 2)))

    with running_app(path) as url:
        given = asyncio.run(two())

    expected = [{"completed": True, "ratings": g["ratings"], "group": [g["group"]],
                 "comment": [(q.comments[0].id, g["comment"])]} for g in given]
    assert len(given[0]["ratings"]) == 2 * len(q.dimensions)
    assert sorted(stored(path), key=lambda r: r["comment"]) == expected
