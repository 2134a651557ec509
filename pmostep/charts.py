"""Plotly figures built from score tables: data in, figure out, so they are tested without Streamlit.

Colours are from the Okabe-Ito palette (safe for colour-blind readers) and every series also differs
by marker shape and carries its values as text, so no reading depends on colour alone.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from .questionnaire import Questionnaire

CURRENT_COLOUR = "#0072B2"   # blue
DESIRED_COLOUR = "#E69F00"   # orange
GAP_COLOUR = "#999999"
FONT_SIZE = 15


def level_axis(q: Questionnaire) -> dict:
    """A maturity axis that shows the scale's level names, not only numbers."""
    return {
        "range": [q.scale_min - 0.15, q.scale_max + 0.15],
        "tickmode": "array",
        "tickvals": [p.value for p in q.scale],
        "ticktext": [f"{p.value} {p.label}" for p in q.scale],
        "title": {"text": f"Maturity level ({q.scale_min}-{q.scale_max})"},
        "gridcolor": "#dddddd",
        "zeroline": False,
    }


LABEL_WIDTH = 26


def dimension_label(name: str, n: int) -> str:
    """'Name (n=12)', wrapped onto short lines so the plot keeps its width on a narrow screen."""
    return "<br>".join(textwrap.wrap(f"{name} (n={int(n)})", LABEL_WIDTH))


def current_vs_desired(dims: pd.DataFrame, q: Questionnaire, title: str | None = None) -> go.Figure:
    """Dumbbell chart: current and desired maturity per dimension, joined by the gap."""
    scored = dims[dims["current"].notna()].iloc[::-1]   # first dimension at the top
    labels = [dimension_label(name, n) for name, n in zip(scored["name"], scored["n"], strict=True)]
    fig = go.Figure()
    for label, cur, des in zip(labels, scored["current"], scored["desired"], strict=True):
        if pd.notna(des):
            fig.add_trace(go.Scatter(
                x=[cur, des], y=[label, label], mode="lines", line={"color": GAP_COLOUR, "width": 4},
                hoverinfo="skip", showlegend=False,
            ))
    fig.add_trace(go.Scatter(
        x=scored["current"], y=labels, mode="markers+text", name="Current",
        marker={"color": CURRENT_COLOUR, "size": 16, "symbol": "circle"},
        text=[f"{v:.1f}" for v in scored["current"]], textposition="top center",
        textfont={"color": CURRENT_COLOUR}, customdata=scored[["gap"]].to_numpy(),
        hovertemplate="%{y}<br>Current %{x:.2f}<br>Gap %{customdata[0]:.2f}<extra></extra>",
    ))
    fig.add_trace(go.Scatter(
        x=scored["desired"], y=labels, mode="markers+text", name="Desired",
        marker={"color": DESIRED_COLOUR, "size": 16, "symbol": "diamond"},
        text=[f"{v:.1f}" if pd.notna(v) else "" for v in scored["desired"]], textposition="top center",
        textfont={"color": "#8a5a00"},
        hovertemplate="%{y}<br>Desired %{x:.2f}<extra></extra>",
    ))
    fig.update_layout(
        title={"text": title or "Current and desired maturity per dimension"},
        xaxis=level_axis(q),
        yaxis={"title": {"text": "Dimension (n = respondents who rated it)"}, "automargin": True},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        height=max(360, 80 + 52 * len(scored)),
        margin={"l": 10, "r": 30, "t": 80, "b": 60},
        font={"size": FONT_SIZE},
        plot_bgcolor="white",
    )
    return fig
