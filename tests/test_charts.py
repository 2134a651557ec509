"""Figure builders: the traces carry the right values, labels and axis names."""

import pandas as pd

from pmostep import charts


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
