"""Figure builders: the traces carry the right values, labels and axis names."""

import pandas as pd
import pytest

from pmostep.reports import charts


def dims_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "id": ["methodology", "governance", "portfolio"],
        "name": ["Methodology and standards", "Governance and sponsorship", "Portfolio selection"],
        "n": [10, 9, 0],
        "current": [2.25, 3.0, float("nan")],
        "desired": [4.0, 3.5, float("nan")],
        "gap": [1.75, 0.5, float("nan")],
    })


def test_current_vs_desired_values_and_labels(q):
    fig = charts.current_vs_desired(dims_frame(), q)
    current = next(t for t in fig.data if t.name == "Current")
    desired = next(t for t in fig.data if t.name == "Desired")
    # Unscored dimensions are left out; the first dimension is drawn at the top (last on the y axis).
    assert list(current.x) == [3.0, 2.25] and list(desired.x) == [3.5, 4.0]
    assert [y.replace("<br>", " ") for y in current.y] == ["Governance and sponsorship (n=9)",
                                                           "Methodology and standards (n=10)"]
    assert list(current.text) == ["3.0", "2.2"]
    assert current.marker.symbol != desired.marker.symbol            # not colour alone
    assert fig.layout.xaxis.title.text == "Maturity level (1-5)"
    assert list(fig.layout.xaxis.ticktext) == ["1 Ad hoc", "2 Repeatable", "3 Defined", "4 Managed",
                                               "5 Optimised"]
    assert fig.layout.yaxis.title.text.startswith("Dimension")
    assert fig.layout.title.text == "Current and desired maturity per dimension"
    gap_lines = [t for t in fig.data if t.mode == "lines"]
    assert [list(t.x) for t in gap_lines] == [[3.0, 3.5], [2.25, 4.0]]


def test_long_labels_wrap():
    label = charts.dimension_label("Stakeholder engagement and communication", 150)
    assert all(len(line) <= charts.LABEL_WIDTH for line in label.split("<br>"))
    assert label.replace("<br>", " ") == "Stakeholder engagement and communication (n=150)"


def test_radar_closes_the_loop_and_names_levels(q):
    fig = charts.radar(dims_frame(), q)
    current = next(t for t in fig.data if t.name == "Current")
    assert list(current.r) == [2.25, 3.0, 2.25]                       # unscored dimension left out
    assert current.theta[0] == current.theta[-1]
    assert list(fig.layout.polar.radialaxis.ticktext)[2] == "3 Defined"


def test_answer_distribution_diverges_around_the_midpoint(q):
    dist = pd.DataFrame({"statement_id": ["meth_1"] * 6, "side": ["current"] * 6,
                         "answer": ["1", "2", "3", "4", "5", "na"], "n": [10, 30, 20, 30, 10, 7]})
    fig = charts.answer_distribution(dist, q, "current")
    by_name = {}
    for trace in fig.data:
        by_name.setdefault(trace.name, []).append(trace.x[0])
    assert by_name["1 Ad hoc"] == [-10] and by_name["2 Repeatable"] == [-30]
    assert sorted(by_name["3 Defined"]) == [-10, 10]                  # the middle level split in two
    assert by_name["4 Managed"] == [30] and by_name["5 Optimised"] == [10]
    assert "(n=100, don't know 7)" in fig.data[0].y[0]
    names = [t.name for t in fig.data]
    assert names.index("2 Repeatable") < names.index("1 Ad hoc")      # nearest the midpoint first
    assert fig.layout.xaxis.title.text.startswith("Share of answers (%)")


def test_dimensions_can_be_ordered_by_gap(q):
    fig = charts.current_vs_desired(dims_frame(), q, by_gap=True)
    current = next(t for t in fig.data if t.name == "Current")
    assert [y.replace("<br>", " ") for y in current.y][-1].startswith("Methodology")   # gap 1.75 on top


def test_gaps_rank_by_priority_and_mark_noise(q):
    from pmostep.reports import tables

    frame = pd.DataFrame({"name": ["A", "B", "C"], "gap": [1.0, 0.4, 2.0], "gap_ci_low": [0.6, -0.1, 1.5],
                          "gap_ci_high": [1.4, 0.9, 2.5], "priority": [4.0, 2.0, 6.0],
                          "importance": [4.0, 5.0, 3.0]})
    fig = charts.gaps(frame, "name", "Ranked")
    bar = fig.data[0]
    assert list(bar.y) == ["B", "A", "C"]                               # highest priority drawn on top
    assert list(bar.error_x.arrayminus) == pytest.approx([0.5, 0.4, 0.5])
    assert list(bar.marker.pattern.shape) == ["/", "", ""]              # B's interval reaches zero
    table = tables.priority_ranking(frame, "name", "Dimension")
    assert list(table["Dimension"]) == ["C", "A", "B"]
    assert list(table["Real gap"]) == ["yes", "yes", "not sure"]


def test_heatmap_writes_every_value_and_leaves_hidden_cells_blank():
    values = pd.DataFrame({"Group A": [0.5, float("nan")], "Group B": [1.75, 1.0]}, index=["Dim 1", "Dim 2"])
    fig = charts.heatmap(values, "Spread", "IQR", zmin=0, zmax=2)
    cell_text = fig.data[0].text
    assert list(cell_text[0]) == ["0.50", "1.75"] and list(cell_text[1]) == ["", "1.00"]
    assert fig.data[0].zmax == 2 and fig.data[0].colorbar.title.text == "IQR"


def _group(name: str, respondents: int, current: list, sd: list, n: list):
    from pmostep.planning.scoring import GroupScores
    frame = dims_frame().assign(current=current, current_sd=sd, n=n, n_desired=n,
                                desired=[4.0, 4.0, float("nan")], desired_sd=[0.5, 0.5, float("nan")])
    frame["gap"] = frame["desired"] - frame["current"]
    return GroupScores(name, respondents, {}, frame, pd.DataFrame())


def test_group_comparison_calls_a_difference_clear_only_beyond_noise():
    from pmostep.reports import tables
    a = _group("Executives", 20, [3.0, 2.0, float("nan")], [0.5, 1.0, float("nan")], [20, 20, 0])
    b = _group("Project managers", 25, [2.0, 1.8, float("nan")], [0.5, 1.0, float("nan")], [25, 25, 0])
    table = tables.group_comparison(a, b, "current")
    assert list(table.columns) == ["Dimension", "Executives", "Project managers", "Difference",
                                   "Clear difference"]
    assert table["Difference"].tolist()[:2] == [1.0, 0.2]
    # 1.0 > 1.96 * sqrt(.25/20 + .25/25) = 0.29; 0.2 < 1.96 * sqrt(1/20 + 1/25) = 0.59
    assert table["Clear difference"].tolist() == ["yes", "no", ""]
    assert "Clear difference" not in tables.group_comparison(a, b, "gap").columns


def test_compare_groups_orders_by_difference_and_differs_by_shape(q):
    from pmostep.reports import tables
    a = _group("Executives", 20, [3.0, 2.0, float("nan")], [0.5, 1.0, float("nan")], [20, 20, 0])
    b = _group("Project managers", 25, [2.8, 1.0, float("nan")], [0.5, 1.0, float("nan")], [25, 25, 0])
    fig = charts.compare_groups(tables.group_comparison(a, b, "current"), "Executives", "Project managers",
                                "Current maturity", charts.level_axis(q))
    ex = next(t for t in fig.data if t.name == "Executives")
    pm = next(t for t in fig.data if t.name == "Project managers")
    # Largest difference (Governance, 1.0) at the top, i.e. last on the y axis; unscored left out.
    assert [y.replace("<br>", " ") for y in ex.y] == ["Methodology and standards",
                                                      "Governance and sponsorship"]
    assert list(ex.x) == [3.0, 2.0] and list(pm.x) == [2.8, 1.0]
    assert list(pm.text) == ["2.8", "1.0"]
    assert ex.marker.symbol != pm.marker.symbol
    assert fig.layout.xaxis.title.text == "Maturity level (1-5)"
    assert fig.layout.title.text.startswith("Current maturity: Executives and Project managers")


def test_problem_points_stack_signs_and_ticks_most_likely_at_the_top():
    points = pd.DataFrame({"Problem": ["No real sponsor", "Reporting nobody reads", "No portfolio selection"],
                           "Strength": ["strong", "possible", "not seen"], "Points": [3, 1, 0],
                           "Signs in the figures": [1, 0, 0], "Signs in the comments": [1, 0, 0],
                           "Symptoms ticked": [1, 1, 0], "Evidence": ["", "", ""]})
    fig = charts.problem_points(points, 2)
    signs, said, ticked = fig.data
    assert (signs.name, said.name, ticked.name) == ("Signs in the figures", "Signs in the comments",
                                                    "Symptoms ticked")
    assert list(signs.y) == ["No portfolio selection", "Reporting nobody reads", "No real sponsor"]
    assert list(signs.x) == [0, 0, 1] and list(said.x) == [0, 0, 1] and list(ticked.x) == [0, 1, 1]
    assert (said.marker.pattern.shape, ticked.marker.pattern.shape) == (".", "/")   # not by colour alone
    assert fig.layout.barmode == "stack" and fig.layout.title.text
    assert fig.layout.xaxis.title.text == "Points (signs in the figures + in the comments + symptoms ticked)"
    assert fig.layout.yaxis.title.text == "Problem (most likely at the top)"
    assert fig.layout.shapes[0].x0 == 2
    assert fig.layout.annotations[0].text == "strong from 2 points, one in the figures"
