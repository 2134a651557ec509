"""The staffing plan (pmostep/deployment/staffing.py) from a roadmap made by hand.

Three waves of 10 weeks from Monday 28 September 2026 (wave 2 from 7 December, wave 3 from 15 February
2027), the roles each wave needs in person-weeks, by id (and one the roles list does not know):

  wave 1: pmo_lead 6, trainer 4, pmo_analyst 2         -> PMO lead 0.6, Trainer 0.4, PMO analyst 0.2 FTE
  wave 2: trainer 15, pmo_lead 3, "Methodologist" 2    -> Trainer 1.5, PMO lead 0.3, Methodologist 0.2
  wave 3: pmo_lead 10                                  -> PMO lead 1.0

Staff entered: PMO lead 1.0, Trainer 0.5, Coach 1.0 (the roadmap needs no coach). Wave 2 needs 1.5 FTE of
Trainer against 0.5: 1 short. Wave 3 needs exactly the PMO lead's 1.0: not short. PMO analyst and
Methodologist have no staff entered: said once, no shortfall read.
"""

from __future__ import annotations

from datetime import date

from pmostep.deployment import staffing
from pmostep.deployment.roadmap import Roadmap, Settings, Wave

START = date(2026, 9, 28)
STAFF = {"pmo_lead": 1.0, "trainer": 0.5, "coach": 1.0}


def wave(number: int, roles: dict[str, float]) -> Wave:
    effort = sum(roles.values())
    return Wave(number, (f"entry{number}",), effort, 1, {}, roles, round(effort / 10, 2), {})


ROADMAP = Roadmap(Settings(waves=3, wave_weeks=10), [
    wave(1, {"pmo_lead": 6, "trainer": 4, "pmo_analyst": 2}),
    wave(2, {"trainer": 15, "pmo_lead": 3, "Methodologist": 2}),
    wave(3, {"pmo_lead": 10}),
], [], [])


def test_fte_per_role_and_wave_with_the_first_needed_moment():
    plan = staffing.build(ROADMAP, STAFF, START)
    rows = [(r.name, r.staff, r.waves, r.first_wave, r.first_date) for r in plan.roles]
    assert rows == [
        ("PMO analyst", None, {1: 0.2, 2: 0.0, 3: 0.0}, 1, date(2026, 9, 28)),
        ("PMO lead", 1.0, {1: 0.6, 2: 0.3, 3: 1.0}, 1, date(2026, 9, 28)),
        ("Trainer", 0.5, {1: 0.4, 2: 1.5, 3: 0.0}, 1, date(2026, 9, 28)),
        ("Methodologist", None, {1: 0.0, 2: 0.2, 3: 0.0}, 2, date(2026, 12, 7)),
        ("Coach", 1.0, {1: 0.0, 2: 0.0, 3: 0.0}, None, None),        # staffed, never needed
    ]
    assert [r.role for r in plan.roles] == ["pmo_analyst", "pmo_lead", "trainer", "Methodologist", "coach"]
    assert plan.dates == ((1, date(2026, 9, 28), date(2026, 12, 6)),
                          (2, date(2026, 12, 7), date(2027, 2, 14)),
                          (3, date(2027, 2, 15), date(2027, 4, 25)))


def test_a_wave_short_of_staff_is_warned_and_a_role_without_staff_is_said_once():
    plan = staffing.build(ROADMAP, STAFF, START)
    short = [(s.wave, s.name, s.needed, s.staff, s.short) for s in plan.shortfalls]
    assert short == [(2, "Trainer", 1.5, 0.5, 1.0)]
    assert plan.warnings() == [
        "No staff entered for PMO analyst (up to 0.2 FTE from wave 1), Methodologist (up to 0.2 FTE from "
        "wave 2): no shortfall can be read for them.",
        "Wave 2 needs 1.5 FTE of Trainer; the PMO has 0.5 (1 short).",
    ]
    assert plan.facts() == ((2, "Trainer", 1.5, 0.5),)
    assert staffing.shortfalls(ROADMAP, STAFF) == ((2, "Trainer", 1.5, 0.5),)


def test_without_staff_entered_nothing_is_short():
    plan = staffing.build(ROADMAP, {}, START)
    assert plan.shortfalls == () and staffing.shortfalls(ROADMAP, {}) == ()
    assert [r.name for r in plan.not_entered] == ["PMO analyst", "PMO lead", "Trainer", "Methodologist"]
    assert len(plan.warnings()) == 1


def test_the_json_contract():
    doc = staffing.build(ROADMAP, STAFF, START).to_dict()
    assert set(doc) == {"start", "wave_weeks", "roles", "warnings", "not_entered"}
    assert doc["start"] == "2026-09-28" and doc["wave_weeks"] == 10
    assert doc["roles"][2] == {"role": "trainer", "name": "Trainer", "staff": 0.5,
                               "waves": {"1": 0.4, "2": 1.5, "3": 0.0}, "first_wave": 1,
                               "first_date": "2026-09-28"}
    assert doc["roles"][4]["first_wave"] is None and doc["roles"][4]["first_date"] is None
    assert doc["warnings"] == [{"wave": 2, "role": "trainer", "name": "Trainer", "needed": 1.5, "staff": 0.5,
                                "short": 1.0, "message": "Wave 2 needs 1.5 FTE of Trainer; the PMO has 0.5 "
                                                         "(1 short)."}]
    assert doc["not_entered"] == ["pmo_analyst", "Methodologist"]


def test_person_weeks_by_role_id_and_fte():
    assert staffing.person_weeks(ROADMAP.waves[0]) == {"pmo_analyst": 2, "pmo_lead": 6, "trainer": 4}
    assert not hasattr(staffing, "role_of")         # no matching by name: the catalogue names roles by id
    assert staffing.fte(9, 13) == 0.69
