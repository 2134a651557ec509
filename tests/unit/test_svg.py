"""The board report's inline SVG charts: well-formed, titled, labelled, described, and escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from pmostep.reports import svg

NS = "{http://www.w3.org/2000/svg}"
SCALE = [(1, "Ad hoc"), (2, "Repeatable"), (3, "Defined"), (4, "Managed"), (5, "Optimised")]
HOSTILE = 'R&D <core> "quoted"'


def parsed(chart: str) -> ET.Element:
    """The chart as an XML reader sees it (fails on anything not well-formed)."""
    return ET.fromstring(chart)


def texts(root: ET.Element) -> list[str]:
    """Every text drawn on the chart, as a reader sees it."""
    return ["".join(t.itertext()) for t in root.iter(f"{NS}text")]


def alternative(root: ET.Element) -> tuple[str, str, str]:
    return root.findtext(f"{NS}title"), root.findtext(f"{NS}desc"), root.get("aria-label")


def test_current_vs_desired_names_every_dimension_value_axis_and_legend():
    rows = [("Governance and sponsorship", 2.14, 3.89), ("Benefits and value", 1.5, 3.18),
            ("Tools", None, 3.0)]
    root = parsed(svg.current_vs_desired(rows, SCALE, "Current and desired maturity"))
    drawn = texts(root)
    title, desc, label = alternative(root)
    assert title == label == "Current and desired maturity" and title in drawn
    assert "Governance and sponsorship: current 2.14, desired 3.89" in desc
    assert "Tools: current no score, desired 3.00" in desc
    assert {"Current", "Desired", "Maturity level (1-5)", "Dimension"} <= set(drawn)
    assert {"1 Ad hoc", "5 Optimised", "2.14", "3.89", "1.50", "3.18", "no score"} <= set(drawn)
    assert "Benefits and value" in drawn
    assert root.get("role") == "img"
    # one bar per known value, none for the missing one; the longest bar is the highest value
    bars = [r for r in root.iter(f"{NS}rect") if r.get("height") == "14"]
    assert len(bars) == 5
    widths = [float(b.get("width")) for b in bars]
    assert max(widths) == widths[1] and min(widths) == widths[2]


def test_long_dimension_names_wrap_onto_lines():
    root = parsed(svg.current_vs_desired([("Stakeholder engagement and communication", 2.4, 3.4)], SCALE))
    lines = [span.text for span in root.iter(f"{NS}tspan")]
    assert lines == ["Stakeholder engagement and", "communication"]


def test_gap_bars_write_gap_priority_and_axis():
    root = parsed(svg.gap_bars([("Portfolio", 1.82, 7.64), ("Governance", 1.75, 7.61)], "Largest gaps"))
    drawn = texts(root)
    assert {"Largest gaps", "gap 1.82 · priority 7.64", "gap 1.75 · priority 7.61",
            "Gap in levels (desired minus current)", "0", "2"} <= set(drawn)
    assert "Portfolio: gap 1.82, priority 7.64" in alternative(root)[1]


def test_columns_show_values_limit_and_both_axis_labels():
    root = parsed(svg.columns(["Wave 1", "Wave 2"], [11.0, 13.5], "PMO effort per wave", "Person-weeks",
                              "Wave", 20.0, "capacity 20 pw"))
    drawn = texts(root)
    assert {"PMO effort per wave", "Wave 1", "Wave 2", "11", "13.5", "capacity 20 pw", "Person-weeks",
            "Wave"} <= set(drawn)
    assert alternative(root)[1] == "Wave 1: 11; Wave 2: 13.5; capacity 20 pw."
    dashed = [line for line in root.iter(f"{NS}line") if line.get("stroke-dasharray")]
    assert len(dashed) == 1                           # the capacity line


def test_line_shows_every_stage_and_the_target():
    root = parsed(svg.line(["Today", "Wave 1", "Wave 2"], [2.08, 2.36, 2.64], SCALE, "Projected maturity",
                           "End of wave", "Projected maturity index", 3.52, "Desired 3.52"))
    drawn = texts(root)
    assert {"Today", "Wave 1", "Wave 2", "2.08", "2.36", "2.64", "Desired 3.52", "End of wave",
            "Maturity level (1-5)", "Projected maturity index", "3 Defined"} <= set(drawn)
    points = root.find(f"{NS}polyline").get("points").split()
    assert len(points) == 3
    heights = [float(p.split(",")[1]) for p in points]
    assert heights == sorted(heights, reverse=True)          # rising maturity draws higher (smaller y)


def test_labels_with_markup_stay_text():
    charts = [
        svg.current_vs_desired([(HOSTILE, 2.0, 3.0)], SCALE, title=HOSTILE),
        svg.gap_bars([(HOSTILE, 1.0, 4.0)], title=HOSTILE),
        svg.columns([HOSTILE], [3.0], HOSTILE, HOSTILE, HOSTILE, 5.0, HOSTILE),
        svg.line([HOSTILE, "Wave 1"], [2.0, 2.5], SCALE, HOSTILE, HOSTILE, HOSTILE, 3.0, HOSTILE),
    ]
    for chart in charts:
        assert "<core>" not in chart and "&lt;core&gt;" in chart
        root = parsed(chart)
        title, desc, label = alternative(root)
        assert title == label == HOSTILE and HOSTILE in desc
        assert any(HOSTILE in t for t in texts(root))
        assert not [e for e in root.iter() if e.tag.endswith("core")]


def test_hatch_ids_differ_between_charts_so_one_page_keeps_ids_unique():
    a = parsed(svg.current_vs_desired([("A", 2.0, 3.0)], SCALE, "First"))
    b = parsed(svg.current_vs_desired([("A", 2.0, 3.0)], SCALE, "Second"))
    ids = [root.find(f"{NS}defs/{NS}pattern").get("id") for root in (a, b)]
    assert ids[0] != ids[1]
