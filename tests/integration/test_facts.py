"""The Foundation facts the lead enters (pmostep/foundation/facts.py) through their use cases in
services.py, on a real DuckDB file: staff by role and stakeholder positions saved, replaced, validated
with every problem at once, and gone with their group or their assessment."""

from __future__ import annotations

import pytest
import yaml

from pmostep import services
from pmostep.foundation import facts
from pmostep.foundation.assessments import StakeholderGroup
from pmostep.foundation.facts import FactsError, Position
from pmostep.store.db import cursor
from tests.conftest import just_before_the_next_unit_of_work

GROUPS = [StakeholderGroup("Project manager", 20), StakeholderGroup("Executive or sponsor", 4)]


@pytest.fixture
def made(con, q):
    return services.create_assessment(con, "staffed", q, stakeholder_groups=GROUPS)


def read(con, a):
    with cursor(con) as cur:
        return facts.staff(cur, a.id), facts.positions(cur, a.id)


def test_staff_is_saved_replaced_and_a_role_left_out_is_not_entered(con, made):
    assert services.save_staff(con, "staffed", {"trainer": 0.5, "pmo_lead": 1}) == {"pmo_lead": 1.0,
                                                                                    "trainer": 0.5}
    assert read(con, made)[0] == {"pmo_lead": 1.0, "trainer": 0.5}
    services.save_staff(con, "staffed", {"coach": 0})            # 0 entered: the PMO has none
    assert read(con, made)[0] == {"coach": 0.0}


def test_staff_problems_are_listed_at_once_and_nothing_is_written(con, made):
    services.save_staff(con, "staffed", {"trainer": 0.5})
    with pytest.raises(FactsError) as caught:
        services.save_staff(con, "staffed", {"juggler": 1, "trainer": -1, "coach": float("nan"),
                                             "pmo_lead": "two", "pmo_analyst": 2000})
    lines = str(caught.value).splitlines()
    assert lines[0] == "the staff cannot be saved:"
    assert lines[1].startswith("role 'juggler': not a PMO role (known: benefits_analyst, change_manager")
    assert lines[2:] == ["Trainer (role trainer), fte: must be from 0 to 1000 FTE, not -1",
                         "Coach (role coach), fte: must be from 0 to 1000 FTE, not nan",
                         "PMO lead (role pmo_lead), fte: must be a number of FTE, not 'two'",
                         "PMO analyst (role pmo_analyst), fte: must be from 0 to 1000 FTE, not 2000"]
    assert read(con, made)[0] == {"trainer": 0.5}


def test_staff_is_checked_against_the_roles_the_write_sees(con, q, made, monkeypatch):
    """Another session drops the roles extension just before the save: the role is refused, not stored."""
    manager = {"id": "vendor_manager", "name": "Vendor manager", "purpose": "Manages vendors.",
               "responsibilities": ["Contracts"], "skills": ["Negotiation"], "grade": "Manager",
               "pmo_types": ["IV"]}
    services.save_know_how_extensions(con, made, q, {"roles": yaml.safe_dump({"roles": [manager]})})
    services.save_staff(con, "staffed", {"vendor_manager": 1})
    just_before_the_next_unit_of_work(
        monkeypatch, lambda: services.clear_know_how_extensions(con, made, q, ["roles"]))
    with pytest.raises(FactsError, match="role 'vendor_manager': not a PMO role"):
        services.save_staff(con, "staffed", {"vendor_manager": 2})
    assert read(con, made)[0] == {"vendor_manager": 1.0}          # the earlier save, untouched


def test_positions_are_checked_against_the_groups_the_write_sees(con, made, monkeypatch):
    """Another session removes a group from the Foundation just before the save: refused, not stored."""
    just_before_the_next_unit_of_work(
        monkeypatch, lambda: services.update_assessment(con, "staffed", stakeholder_groups=GROUPS[:1]))
    with pytest.raises(FactsError, match="group 'Executive or sponsor': not one of this assessment's"):
        services.save_stakeholder_positions(con, "staffed", [Position("Executive or sponsor", 5)])
    assert read(con, made)[1] == {}


def test_positions_are_saved_and_empty_ones_keep_no_row(con, made):
    services.save_stakeholder_positions(con, "staffed", [
        Position("Project manager", influence=3, note=" runs most projects "),
        Position("Executive or sponsor")])
    kept = Position("Project manager", 3, None, "runs most projects")
    assert read(con, made)[1] == {"Project manager": kept}
    services.save_stakeholder_positions(con, "staffed", [Position("Executive or sponsor", 5, 2)])
    assert read(con, made)[1] == {"Executive or sponsor": Position("Executive or sponsor", 5, 2, "")}


def test_position_problems_name_each_group_and_field(con, made):
    with pytest.raises(FactsError) as caught:
        services.save_stakeholder_positions(con, "staffed", [
            Position("Board", 4), Position("Project manager", 0, 6), Position("Project manager", 2),
            Position("Executive or sponsor", 2.5, True, "x" * 501)])
    assert str(caught.value).splitlines() == [
        "the stakeholder positions cannot be saved:",
        "group 'Board': not one of this assessment's stakeholder groups (Project manager, Executive or "
        "sponsor)",
        "group 'Project manager', influence: must be a whole number from 1 to 5, or left blank, not 0",
        "group 'Project manager', support: must be a whole number from 1 to 5, or left blank, not 6",
        "group 'Project manager': given twice",
        "group 'Executive or sponsor', influence: must be a whole number from 1 to 5, or left blank, not 2.5",
        "group 'Executive or sponsor', support: must be a whole number from 1 to 5, or left blank, not True",
        "group 'Executive or sponsor', note: must be a text of at most 500 characters",
    ]
    assert read(con, made)[1] == {}


def test_a_group_removed_from_the_foundation_takes_its_position_along(con, made):
    services.save_stakeholder_positions(con, "staffed", [Position("Project manager", 3),
                                                         Position("Executive or sponsor", 5)])
    services.update_assessment(con, "staffed", stakeholder_groups=[GROUPS[1], StakeholderGroup("Board")])
    assert list(read(con, made)[1]) == ["Executive or sponsor"]


def test_deleting_an_assessment_removes_its_staff_and_positions_only(con, q, made):
    other = services.create_assessment(con, "other", q, stakeholder_groups=GROUPS)
    for slug in ("staffed", "other"):
        services.save_staff(con, slug, {"trainer": 1})
        services.save_stakeholder_positions(con, slug, [Position("Project manager", 2, 4)])
    services.delete_assessment(con, "staffed")
    for table in ("pmo_staff", "stakeholder_positions"):
        assert con.execute(f"SELECT DISTINCT assessment_id FROM {table}").fetchall() == [(other.id,)]
    assert read(con, made) == ({}, {})
