"""The stakeholder map (pmostep/planning/stakeholder_map.py) from a breakdown by group made by hand.

Shown groups (at least the minimum size), their current and desired levels, and the support read from
them (the mean desired level in governance and culture):
  Project manager       governance 1.80 -> 3.40, culture 2.10 -> 3.40 -> support 3.4 (high)
  Project team member   governance 2.00 -> 2.60, culture not shown   -> support 2.6 (low)
  Line manager          governance 1.50 -> 4.40, culture 1.70 -> 4.30 -> support 4.35, 4.3 to one decimal
  (the old rule, 1 + 2 x the mean gap, gave 3.9, 2.2 and 6.5 kept at 5)
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


def shown(group: str, respondents: int, levels: dict[str, tuple[float, float]]) -> GroupScores:
    """A shown group's dimensions: id -> (current, desired); a dimension left out is not shown."""
    current = [levels[d][0] if d in levels else math.nan for d in NAMES]
    desired = [levels[d][1] if d in levels else math.nan for d in NAMES]
    dims = pd.DataFrame({"id": list(NAMES), "name": list(NAMES.values()), "current": current,
                         "desired": desired, "gap": [w - c for c, w in zip(current, desired, strict=True)]})
    return GroupScores(group, respondents, {}, dims, pd.DataFrame())


BY_GROUP = ScoreReport("hand", "q", 1, 5, 30, "group", groups=[
    shown("Project manager", 12,
          {"governance": (1.8, 3.4), "culture": (2.1, 3.4), "methodology": (1.0, 4.9)}),
    shown("Project team member", 9, {"governance": (2.0, 2.6)}),
    shown("Line manager", 6, {"governance": (1.5, 4.4), "culture": (1.7, 4.3)}),
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


def test_support_is_entered_or_read_from_the_levels_a_shown_group_wants(placed):
    rows = [(p.group, p.influence, p.support, p.source, p.quadrant_name) for p in placed.placed]
    assert rows == [("Executive or sponsor", 5, 2.0, "entered", "Keep satisfied"),
                    ("Project manager", 4, 3.4, "survey", "Manage closely"),
                    ("Project team member", 2, 2.6, "survey", "Monitor"),
                    ("Line manager", 3, 2.0, "entered", "Keep satisfied")]
    pm, team = placed.placed[1:3]
    assert pm.support_why == ("read from the survey (12 respondents): desired Governance and sponsorship "
                              "3.40, Culture and readiness for change 3.40; mean 3.4")
    assert team.support_why == "read from the survey (9 respondents): desired Governance and sponsorship 2.60"
    assert team.note == "busy with delivery"
    assert placed.read["Line manager"][0] == 4.3          # read, though the lead's entry is used
    assert placed.placed[3].support_why == "entered by the PMO lead"


def test_a_group_content_with_today_is_not_read_as_against_the_pmo():
    """Executives who already rate governance and culture well (3.9 -> 4.3 and 3.6 -> 3.9: gaps 0.4 and
    0.3) want a well-run PMO: support 4.1, high. The gap rule made them 1 + 2 x 0.35 = 1.7, against it."""
    content = shown("Executive or sponsor", 8, {"governance": (3.9, 4.3), "culture": (3.6, 3.9)})
    assert sm.survey_support(content) == (4.1, "read from the survey (8 respondents): desired Governance "
                                               "and sponsorship 4.30, Culture and readiness for change 3.90; "
                                               "mean 4.1")
    ready = ScoreReport("hand", "q", 1, 5, 8, "group", groups=[content])
    entered = {"Executive or sponsor": Position("Executive or sponsor", 5)}
    [exec_] = sm.place(["Executive or sponsor"], entered, ready).placed
    assert (exec_.support, exec_.quadrant_name) == (4.1, "Manage closely")
    unwilling = shown("Project team member", 30, {"governance": (1.2, 2.0), "culture": (1.0, 1.6)})
    assert sm.survey_support(unwilling)[0] == 1.8            # a large gap, but little wanted: low
    assert sm.survey_support(shown("Board", 5, {"methodology": (2.0, 4.0)})) is None


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
