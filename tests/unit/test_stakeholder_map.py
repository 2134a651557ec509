"""The stakeholder map (pmostep/planning/stakeholder_map.py) from a breakdown by group made by hand.

Shown groups (at least the minimum size) and their desired-minus-current gaps:
  Project manager       governance 1.50, culture 0.90 -> mean 1.20 -> support 1 + 2 x 1.20 = 3.4 (high)
  Project team member   governance 0.20, culture not shown -> mean 0.20 -> support 1.4 (low)
  Line manager          governance 2.50, culture 2.70 -> 1 + 2 x 2.6 = 6.2, kept at 5
Suppressed (too few to show): Executive or sponsor, Business customer. The Foundation also lists Board
(nobody in the survey names it).

Entries: Project manager influence 4; Project team member influence 2; Line manager influence 3 with support
2 entered (the entry wins over the survey's 5); Executive or sponsor influence 5, support 2; Business
customer influence 2 only; Board nothing.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pmostep.foundation.facts import Position
from pmostep.planning import stakeholder_map as sm
from pmostep.planning.scoring import GroupScores, ScoreReport

NAMES = {"governance": "Governance and sponsorship", "culture": "Culture and readiness for change",
         "methodology": "Methodology"}


def shown(group: str, respondents: int, gaps: dict[str, float]) -> GroupScores:
    dims = pd.DataFrame({"id": list(NAMES), "name": list(NAMES.values()),
                         "gap": [gaps.get(d, math.nan) for d in NAMES]})
    return GroupScores(group, respondents, {}, dims, pd.DataFrame())


BY_GROUP = ScoreReport("hand", "q", 1, 5, 30, "group", groups=[
    shown("Project manager", 12, {"governance": 1.5, "culture": 0.9, "methodology": 3.0}),
    shown("Project team member", 9, {"governance": 0.2}),
    shown("Line manager", 6, {"governance": 2.5, "culture": 2.7}),
], suppressed=["Business customer", "Executive or sponsor"])
GROUPS = ["Executive or sponsor", "Project manager", "Project team member", "Line manager",
          "Business customer", "Board"]
ENTERED = {"Project manager": Position("Project manager", 4),
           "Project team member": Position("Project team member", 2, note="busy with delivery"),
           "Line manager": Position("Line manager", 3, 2),
           "Executive or sponsor": Position("Executive or sponsor", 5, 2),
           "Business customer": Position("Business customer", 2)}


@pytest.fixture(scope="module")
def placed() -> sm.StakeholderMap:
    return sm.place(GROUPS, ENTERED, BY_GROUP)


def test_support_is_entered_or_read_from_a_shown_groups_gaps(placed):
    rows = [(p.group, p.influence, p.support, p.source, p.quadrant_name) for p in placed.placed]
    assert rows == [("Executive or sponsor", 5, 2.0, "entered", "Keep satisfied"),
                    ("Project manager", 4, 3.4, "survey", "Manage closely"),
                    ("Project team member", 2, 1.4, "survey", "Monitor"),
                    ("Line manager", 3, 2.0, "entered", "Keep satisfied")]
    pm = placed.placed[1]
    assert pm.support_why == ("read from the survey (12 respondents): Governance and sponsorship gap 1.50, "
                              "Culture and readiness for change gap 0.90; 1 + 2 x 1.20 = 3.4")
    assert placed.placed[2].note == "busy with delivery"
    assert placed.read["Line manager"][0] == 5.0          # read, though the lead's entry is used
    assert placed.placed[3].support_why == "entered by the PMO lead"


def test_a_suppressed_group_is_placed_only_from_the_leads_entries(placed):
    assert set(placed.read) == {"Project manager", "Project team member", "Line manager"}
    assert [(n.group, n.why) for n in placed.not_placed] == [
        ("Business customer", "too few responses to read support: enter it"),
        ("Board", "influence not entered; too few responses to read support: enter it")]
    entry = {"Business customer": Position("Business customer", 2, 4)}
    alone = sm.place(["Business customer"], entry, BY_GROUP)
    assert [(p.support, p.source, p.quadrant_name) for p in alone.placed] == [
        (4.0, "entered", "Keep informed")]


def test_without_influence_a_group_is_not_placed_even_with_survey_support():
    nothing = sm.place(["Project manager"], {}, BY_GROUP)
    assert nothing.placed == ()
    assert nothing.not_placed == (sm.NotPlaced("Project manager", "influence not entered"),)


def test_the_quadrants_lean_towards_more_engagement_in_the_middle():
    assert sm.quadrant(3, 3.1) == "manage_closely" and sm.quadrant(3, 3) == "keep_satisfied"
    assert sm.quadrant(2, 3.1) == "keep_informed" and sm.quadrant(2, 3) == "monitor"
    assert [q.name for q in sm.ENGAGEMENT.values()] == ["Manage closely", "Keep satisfied", "Keep informed",
                                                        "Monitor"]
    assert all(len(q.actions) >= 3 and q.engagement for q in sm.ENGAGEMENT.values())


def test_a_filtered_breakdown_is_refused():
    filtered = ScoreReport("hand", "q", 1, 5, 12, "group", filters={"business_unit": ["Operations"]})
    with pytest.raises(ValueError, match="whole assessment"):
        sm.place(GROUPS, ENTERED, filtered)
