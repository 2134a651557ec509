"""`python -m pmostep problems`: the likely problems of an assessment as text and JSON, and the bonus their
confirmation gives in `recommend --format json`, on a real DuckDB file."""

import json

from pmostep import cli, services
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

    con = db.connect(path)
    services.tick_symptoms(con, "demo", "no_sponsor", [s["id"] for s in sponsor["symptoms"][:2]])
    con.close()
    code, out, _ = run(capsys, "problems", "--assessment", "demo", "--db", str(path))
    now = json.loads(run(capsys, *as_json)[1])
    lines = out.splitlines()
    assert code == 0 and len(lines) == len(now) and now[0]["problem"] == "no_sponsor"
    first = now[0]["evidence"][0] if now[0]["evidence"] else f"you ticked '{sponsor['symptoms'][0]['text']}'"
    assert lines[0].startswith(f"strong    {sponsor['points'] + 2}  No real sponsor or charter")
    assert lines[0].endswith(first)

    code, out, _ = run(capsys, "recommend", "--assessment", "demo", "--format", "json", "--db", str(path))
    recs = {r["item"]: r for r in json.loads(out)}
    assert recs["pmo_charter"]["problems"] == ["no_sponsor"]
    assert recs["pmo_charter"]["why"].endswith("Addresses a likely problem: No real sponsor or charter "
                                               f"(strong: {sponsor['points'] + 2} signs): +25 %.")
    assert all(r["problems"] == [] for i, r in recs.items() if i not in sponsor["entries"])


def test_problems_errors_are_one_line(tmp_path, capsys):
    path = str(tmp_path / "cli.duckdb")
    run(capsys, "new", "empty", "--db", path)
    code, _, err = run(capsys, "problems", "--assessment", "empty", "--db", path)
    assert code == 1 and err.startswith("error: 'empty' has 0 completed responses") and err.count("\n") == 1
    code, _, err = run(capsys, "problems", "--assessment", "missing", "--db", path)
    assert code == 1 and err.count("\n") == 1 and "missing" in err
