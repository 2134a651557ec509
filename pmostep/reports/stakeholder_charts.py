"""The stakeholder map's grid and tables (planning/stakeholder_map.py), for the Stakeholder map page and the
deployment plan alike: a StakeholderMap in, a figure or table out.

The grid's quadrants are shaded where the rule puts them (influence 3 and up is high; support above 3 is
high), named in their corners; groups placed from the survey and from the lead's entries differ by marker
and legend, and every point carries its group's name.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from pmostep.core.numbers import figure
from pmostep.planning import stakeholder_map
from pmostep.planning.stakeholder_map import ENGAGEMENT, StakeholderMap
from pmostep.reports.charts import CURRENT_COLOUR, DESIRED_COLOUR, FONT_SIZE

SOURCES = {"survey": ("Support read from the survey", "circle", CURRENT_COLOUR),
           "entered": ("Support entered by the PMO lead", "diamond", DESIRED_COLOUR)}
INFLUENCE_LINE = stakeholder_map.HIGH_INFLUENCE - 0.5     # influence is entered in whole numbers
SUPPORT_LINE = stakeholder_map.HIGH_SUPPORT + 0.05        # support is read to one decimal: 3.0 low, 3.1 high
LOW, HIGH = 0.5, 5.5
CORNERS = {"manage_closely": (HIGH, HIGH, "right", "top"), "keep_satisfied": (LOW, HIGH, "left", "top"),
           "keep_informed": (HIGH, LOW, "right", "bottom"), "monitor": (LOW, LOW, "left", "bottom")}
SHADES = {"manage_closely": "#E3F1FA", "keep_satisfied": "#FBEBD9", "keep_informed": "#E6F4EE",
          "monitor": "#F2F2F2"}
PLACEMENT_COLUMNS = ["Group", "Influence", "Support", "Quadrant", "Support from", "Note"]


def grid(m: StakeholderMap) -> go.Figure | None:
    """The groups on the influence / support grid, the quadrants named; None while no group is placed.

    Groups at the same place share one marker, their names joined."""
    if not m.placed:
        return None
    fig = go.Figure()
    bounds = {"manage_closely": (SUPPORT_LINE, HIGH, INFLUENCE_LINE, HIGH),
              "keep_satisfied": (LOW, SUPPORT_LINE, INFLUENCE_LINE, HIGH),
              "keep_informed": (SUPPORT_LINE, HIGH, LOW, INFLUENCE_LINE),
              "monitor": (LOW, SUPPORT_LINE, LOW, INFLUENCE_LINE)}
    for key, (x0, x1, y0, y1) in bounds.items():
        fig.add_shape(type="rect", x0=x0, x1=x1, y0=y0, y1=y1, fillcolor=SHADES[key], line={"width": 0},
                      layer="below")
        x, y, xanchor, yanchor = CORNERS[key]
        fig.add_annotation(x=x, y=y, text=f"<b>{ENGAGEMENT[key].name}</b>", showarrow=False, xanchor=xanchor,
                           yanchor=yanchor, font={"size": FONT_SIZE, "color": "#333333"})
    sides = _label_sides({(p.support, p.influence) for p in m.placed})
    for source, (label, symbol, colour) in SOURCES.items():
        spots: dict[tuple[float, int], list[str]] = {}
        for p in m.placed:
            if p.source == source:
                spots.setdefault((p.support, p.influence), []).append(p.group)
        if not spots:
            continue
        fig.add_trace(go.Scatter(
            x=[s for s, _ in spots], y=[i for _, i in spots], mode="markers+text", name=label,
            marker={"symbol": symbol, "size": 16, "color": colour, "line": {"color": "#111111", "width": 1}},
            text=[", ".join(names) for names in spots.values()],
            textposition=[sides[spot] for spot in spots],
            textfont={"size": 13, "color": "#111111"},
            customdata=[[", ".join(names), figure(s)] for (s, _), names in spots.items()],
            hovertemplate="%{customdata[0]}<br>Influence %{y}, support %{customdata[1]}<extra></extra>",
        ))
    axis = {"range": [LOW, HIGH], "tickmode": "array", "tickvals": [1, 2, 3, 4, 5], "zeroline": False,
            "gridcolor": "#dddddd"}
    fig.update_layout(
        title={"text": "Stakeholder groups by influence over the PMO and support for it"},
        xaxis={**axis, "title": {"text": "Support for the PMO (1 against, 5 strongly for)"}},
        yaxis={**axis, "title": {"text": "Influence over the PMO's success (1 little, 5 decisive)"}},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "xanchor": "left", "x": 0},
        height=560, font={"size": FONT_SIZE}, plot_bgcolor="white",
        margin={"l": 10, "r": 20, "t": 80, "b": 100},
    )
    return fig


def _label_sides(spots: set[tuple[float, int]]) -> dict[tuple[float, int], str]:
    """Where each place's names go: above and below in turn along a row of equal influence, so neighbours'
    names do not overlap, and towards the middle near the grid's edges, so that they show whole."""
    sides = {}
    for support, influence in spots:
        row = sorted(s for s in spots if s[1] == influence)
        vertical = "top" if row.index((support, influence)) % 2 == 0 else "bottom"
        horizontal = "left" if support >= 4.5 else "right" if support <= 1.5 else "center"
        sides[(support, influence)] = f"{vertical} {horizontal}"
    return sides


def placement_table(m: StakeholderMap) -> pd.DataFrame:
    """Each placed group: its influence, support, quadrant and where the support comes from."""
    rows = [(p.group, p.influence, p.support, p.quadrant_name, p.support_why[:1].upper() + p.support_why[1:],
             p.note) for p in m.placed]
    return pd.DataFrame(rows, columns=PLACEMENT_COLUMNS)


def not_placed_table(m: StakeholderMap) -> pd.DataFrame:
    """The groups not on the map yet, and what is missing."""
    rows = [(n.group, n.why[:1].upper() + n.why[1:]) for n in m.not_placed]
    return pd.DataFrame(rows, columns=["Group", "Why not placed"])


def actions_table(m: StakeholderMap) -> pd.DataFrame:
    """One row per communication action of each quadrant that holds a group, with the groups it is for."""
    rows = [(q.name, ", ".join(p.group for p in m.in_quadrant(key)), action)
            for key, q in ENGAGEMENT.items() if m.in_quadrant(key) for action in q.actions]
    return pd.DataFrame(rows, columns=["Quadrant", "Groups", "Communication action"])
