"""`python -m pmostep workshop new | list | results`: the join code and URL, the JSON shape of issue 12,
the CSV (one row per activity, round, group, item and measure), and errors as one line."""

from __future__ import annotations

import csv
import io
import json

import pytest

from pmostep import cli, services
from pmostep.store import db
from pmostep.workshop.activities import ActivityDraft


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def path(tmp_path, capsys) -> str:
    path = str(tmp_path / "w.duckdb")
    assert run(capsys, "new", "acme", "--db", path, "--min-group-size", "2")[0] == 0
    return path


def _vote(path: str, workshop_id: int) -> None:
    """Three phones vote dots on two entries; the round is revealed."""
    con = db.connect(path)
    try:
        act = services.add_activity(con, workshop_id, ActivityDraft(
            "dots", "Start with", ("pmo_charter", "project_inventory"), "entry"))
        services.open_round(con, act.id)
        code = con.execute("SELECT code FROM workshops WHERE id = ?", [workshop_id]).fetchone()[0]
        for i, dots in enumerate([{"pmo_charter": 2}, {"pmo_charter": 1, "project_inventory": 1},
                                  {"project_inventory": 1}]):
            services.answer(con, code, services.join(con, code), act.id, {"dots": dots}, f"r{i}")
        services.reveal(con, act.id)
    finally:
        con.close()


def test_new_prints_the_join_code_and_url(path, capsys):
    code, out, _ = run(capsys, "workshop", "new", "--assessment", "acme", "--title", "Kick-off", "--db", path,
                       "--base-url", "https://pmo.example.org/")
    assert code == 0
    first, second = out.splitlines()
    join = first.rsplit(" ", 1)[1]
    assert first == f"workshop 1 'Kick-off' is live: join code {join}"
    assert second == f"join at https://pmo.example.org/join?c={join}"
    code, out, _ = run(capsys, "workshop", "list", "--assessment", "acme", "--db", path, "--format", "json")
    (row,) = json.loads(out)
    assert (row["id"], row["title"], row["code"], row["status"], row["activities"]) == (1, "Kick-off", join,
                                                                                         "live", 2)
    # no answers yet: the suggested agenda is the Foundation recap and the open question


def test_results_give_every_round_as_json_and_csv(path, capsys):
    run(capsys, "workshop", "new", "--assessment", "acme", "--db", path)
    _vote(path, 1)
    code, out, _ = run(capsys, "workshop", "results", "--assessment", "acme", "--db", path)
    doc = json.loads(out)
    assert code == 0 and doc["workshop"]["id"] == 1 and doc["workshop"]["title"] == "acme: workshop"
    (activity,) = [a for a in doc["activities"] if a["kind"] == "dots"]      # beside the suggested agenda
    assert {"id", "kind", "title", "rounds"} <= set(activity) and activity["kind"] == "dots"
    (round_,) = activity["rounds"]
    assert {"number", "n", "results", "by_group", "suppressed"} <= set(round_)
    assert round_["results"]["items"][0] == {"id": "pmo_charter", "dots": 3, "share": 0.6, "voters": 2}
    code, out, _ = run(capsys, "workshop", "results", "--assessment", "acme", "--db", path, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    charter = {r["measure"]: r["value"] for r in rows if r["item"] == "pmo_charter"}
    assert charter == {"dots": "3", "share": "0.6", "voters": "2"}
    assert {r["item_name"] for r in rows} == {"PMO charter and mandate", "Project inventory"}
    assert {r["round"] for r in rows} == {"1"} and {r["n"] for r in rows} == {"3"}


def test_errors_are_one_line_with_exit_status_1(path, capsys):
    code, _, err = run(capsys, "workshop", "results", "--assessment", "acme", "--db", path)
    assert code == 1
    assert err == "error: assessment 'acme' has no workshops yet: start one with `workshop new`\n"
    run(capsys, "workshop", "new", "--assessment", "acme", "--db", path)
    code, _, err = run(capsys, "workshop", "results", "--assessment", "acme", "--workshop", "7", "--db", path)
    assert code == 1 and err == "error: workshop 7 is not a workshop of 'acme' (its workshops: 1)\n"
    code, _, err = run(capsys, "workshop", "new", "--assessment", "nope", "--db", path)
    assert code == 1 and err == "error: no assessment with slug 'nope'\n"
