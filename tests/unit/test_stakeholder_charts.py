"""The stakeholder map's grid and tables (pmostep/reports/stakeholder_charts.py), from the hand breakdown
of tests/unit/test_stakeholder_map.py: quadrants shaded where the rule puts them and named, axes labelled,
groups at one place sharing a marker, and the actions of the quadrants that hold a group."""

from __future__ import annotations

from pmostep.foundation.facts import Position
from pmostep.planning import stakeholder_map as sm
from pmostep.reports import stakeholder_charts as sc
from tests.unit.test_stakeholder_map import BY_GROUP, ENTERED, GROUPS


def test_the_grid_names_its_quadrants_and_labels_its_axes():
    fig = sc.grid(sm.place(GROUPS, ENTERED, BY_GROUP))
    assert fig.layout.title.text == "Stakeholder groups by influence over the PMO and support for it"
    assert fig.layout.xaxis.title.text == "Support for the PMO (1 against, 5 strongly for)"
    assert fig.layout.yaxis.title.text == "Influence over the PMO's success (1 little, 5 decisive)"
    assert [a.text for a in fig.layout.annotations] == ["<b>Manage closely</b>", "<b>Keep satisfied</b>",
                                                        "<b>Keep informed</b>", "<b>Monitor</b>"]
    satisfied = next(s for s in fig.layout.shapes if s.fillcolor == sc.SHADES["keep_satisfied"])
    assert (satisfied.x1, satisfied.y0) == (3.05, 2.5)       # support 3.0 and influence 3 fall inside
    survey, entered = fig.data
    assert survey.name == "Support read from the survey" and list(survey.text) == ["Project manager",
                                                                                   "Project team member"]
    # The executives (5, 2) and the line managers (3, 2) were entered: two markers, one legend entry.
    assert entered.name == "Support entered by the PMO lead"
    assert list(zip(entered.x, entered.y, strict=True)) == [(2.0, 5), (2.0, 3)]


def test_names_along_a_row_go_above_and_below_in_turn_and_inwards_at_the_edges():
    sides = sc._label_sides({(4.0, 4), (5.0, 4), (1.0, 2), (3.0, 2)})
    assert sides == {(4.0, 4): "top center", (5.0, 4): "bottom left", (1.0, 2): "top right",
                     (3.0, 2): "bottom center"}


def test_groups_at_one_place_share_a_marker():
    both = {g: Position(g, 4, 4) for g in ("Board", "Works council")}
    fig = sc.grid(sm.place(list(both), both, BY_GROUP))
    assert list(fig.data[0].text) == ["Board, Works council"]
    assert sc.grid(sm.place(["Board"], {}, BY_GROUP)) is None


def test_the_tables_and_the_actions_of_occupied_quadrants():
    m = sm.place(GROUPS, ENTERED, BY_GROUP)
    table = sc.placement_table(m)
    assert table.columns.tolist() == ["Group", "Influence", "Support", "Quadrant", "Support from", "Note"]
    assert table.iloc[1]["Support from"].startswith("Read from the survey (12 respondents)")
    actions = sc.actions_table(m)
    assert actions["Quadrant"].unique().tolist() == ["Manage closely", "Keep satisfied", "Monitor"]
    assert actions[actions["Quadrant"] == "Keep satisfied"]["Groups"].unique().tolist() == [
        "Executive or sponsor, Line manager"]
    assert sc.not_placed_table(m)["Why not placed"].tolist() == [
        "Too few responses to read support: enter it",
        "Influence not entered; too few responses to read support: enter it"]
