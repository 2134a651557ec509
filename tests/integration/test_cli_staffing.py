"""`python -m pmostep staffing`: its JSON contract checked against the roadmap's own person-weeks, its
table with the warnings, and its one-line errors, on a real DuckDB file."""

import json
from datetime import date, timedelta

import pytest

from pmostep import cli, services
from pmostep.store import db as store


def run(capsys, *argv):
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def demo_db(tmp_path, capsys) -> str:
    """The demo with 0.2 FTE of PMO lead entered (no other role)."""
    path = str(tmp_path / "cli.duckdb")
    assert run(capsys, "demo", "--db", path)[0] == 0
    con = store.connect(path)
    services.save_staff(con, "demo", {"pmo_lead": 0.2})
    con.close()
    return path


def test_staffing_json_gives_fte_per_role_and_wave_and_the_short_waves(demo_db, capsys):
    _, out, _ = run(capsys, "roadmap", "--assessment", "demo", "--format", "json", "--db", demo_db)
    roadmap = json.loads(out)
    weeks = roadmap["settings"]["wave_weeks"]
    lead = {str(w["number"]): round(w["roles"].get("pmo_lead", 0) / weeks, 2) for w in roadmap["waves"]}
    code, out, _ = run(capsys, "staffing", "--assessment", "demo", "--format", "json", "--db", demo_db)
    doc = json.loads(out)
    assert code == 0
    assert set(doc) == {"assessment", "start", "wave_weeks", "roles", "warnings", "not_entered"}
    assert (doc["assessment"], doc["start"], doc["wave_weeks"]) == ("demo", "2026-09-28", 13)
    roles = {r["role"]: r for r in doc["roles"]}
    assert set(roles["pmo_lead"]) == {"role", "name", "staff", "waves", "first_wave", "first_date"}
    assert roles["pmo_lead"]["name"] == "PMO lead" and roles["pmo_lead"]["staff"] == 0.2
    assert roles["pmo_lead"]["waves"] == lead
    assert (roles["pmo_lead"]["first_wave"], roles["pmo_lead"]["first_date"]) == (1, "2026-09-28")
    specialist = roles["methodology_specialist"]
    first = min(w["number"] for w in roadmap["waves"] if w["roles"].get("methodology_specialist"))
    assert specialist["staff"] is None and "methodology_specialist" in doc["not_entered"]
    assert specialist["first_wave"] == first > 1
    assert specialist["first_date"] == (date(2026, 9, 28) + timedelta(weeks=13 * (first - 1))).isoformat()
    short = [{"wave": int(n), "role": "pmo_lead", "name": "PMO lead", "needed": v, "staff": 0.2,
              "short": round(v - 0.2, 2)} for n, v in lead.items() if v > 0.2]
    assert short and [{k: w[k] for k in short[0]} for w in doc["warnings"]] == short
    assert all(w["role"] == "pmo_lead" for w in doc["warnings"])        # roles without staff: never short


def test_staffing_table_prints_each_role_and_the_warnings(demo_db, capsys):
    code, out, _ = run(capsys, "staffing", "--assessment", "demo", "--db", demo_db)
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "Harbourline Logistics: PMO discovery 2026: 4 waves of 13 weeks from 28 September 2026"
    lead = next(line for line in lines if line.strip().startswith("PMO lead"))
    assert lead.split()[2:3] == ["0.2"] and lead.endswith("wave 1 (2026-09-28)")
    assert any(line.startswith("warning: No staff entered for Coach") for line in lines)
    assert "warning: Wave 2 needs 0.35 FTE of PMO lead; the PMO has 0.2 (0.15 short)." in lines


def test_staffing_errors_are_one_line(tmp_path, capsys):
    path = str(tmp_path / "cli.duckdb")
    run(capsys, "new", "empty", "--db", path)
    code, _, err = run(capsys, "staffing", "--assessment", "empty", "--db", path)
    assert code == 1 and "recommendations need scores" in err and err.count("\n") == 1
    code, _, err = run(capsys, "staffing", "--assessment", "nobody", "--db", path)
    assert (code, err) == (1, "error: no assessment with slug 'nobody'\n")
