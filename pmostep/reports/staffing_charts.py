"""The staffing plan's figure and tables (deployment/staffing.py): a Staffing in, a figure or table out,
for the Roles and staffing page and the deployment plan alike.

House style as `roadmap_charts`: each role keeps its colour and pattern, carries its name and figure as
text, and a segment short of staff is outlined in black and says what the PMO has, so no reading depends
on colour alone.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from pmostep.core.numbers import figure
from pmostep.deployment.staffing import Staffing
from pmostep.reports.charts import FONT_SIZE
from pmostep.reports.roadmap_charts import ROLE_COLOURS, ROLE_PATTERNS

STAFF_COLUMN = "Staff now (FTE)"
MOMENT_COLUMNS = ["Role", "First needed", "Assign or hire by", "Most needed (FTE)", STAFF_COLUMN]
SHORT_COLOUR = "#111111"               # the outline of a wave needing more of a role than the PMO has


def fte_chart(s: Staffing) -> go.Figure | None:
    """Stacked bars of the FTE each wave needs by role, with the staff entered marked: the total staff as
    a dashed line, and each role short in a wave outlined with what the PMO has. None without a need."""
    needed = [r for r in s.roles if r.peak > 0]
    if not needed:
        return None
    waves = [n for n, _, _ in s.dates]
    x = [f"Wave {n}" for n in waves]
    fig = go.Figure()
    for k, r in enumerate(needed):
        values = [r.waves.get(n, 0.0) for n in waves]
        short = [r.staff is not None and v > r.staff + 1e-9 for v in values]
        colour = ROLE_COLOURS[k % len(ROLE_COLOURS)]
        dark = colour in ("#0072B2", "#009E73", "#D55E00", "#CC79A7")
        has = "no staff entered" if r.staff is None else f"the PMO has {figure(r.staff)}"
        fig.add_trace(go.Bar(
            x=x, y=values, name=r.name,
            marker={"color": colour,
                    "line": {"color": [SHORT_COLOUR if s_ else "white" for s_ in short],
                             "width": [4 if s_ else 1 for s_ in short]},
                    "pattern": {"shape": ROLE_PATTERNS[k % len(ROLE_PATTERNS)], "solidity": 0.15,
                                "fillmode": "overlay", "fgcolor": "white" if dark else "#333333",
                                "fgopacity": 0.35}},
            text=[(f"{r.name} {figure(v)}" + (f" (has {figure(r.staff)})" if s_ else "")) if v else ""
                  for v, s_ in zip(values, short, strict=True)],
            textposition="inside", insidetextanchor="middle",
            textfont={"color": "white" if dark else "#111111", "size": 13},
            customdata=[[r.name, has, "short" if s_ else ""] for s_ in short],
            hovertemplate="%{x}<br>%{customdata[0]}: %{y:.2f} FTE needed; %{customdata[1]} "
                          "%{customdata[2]}<extra></extra>",
        ))
    totals = [round(sum(r.waves.get(n, 0.0) for r in needed), 2) for n in waves]
    fig.add_trace(go.Scatter(x=x, y=totals, mode="text", showlegend=False, hoverinfo="skip",
                             text=[f"{figure(t)} FTE" for t in totals], textposition="top center",
                             textfont={"size": FONT_SIZE, "color": "#111111"}))
    staffed = [r.staff for r in needed if r.staff is not None]
    top = max([*totals, sum(staffed)]) or 1.0
    if staffed:
        fig.add_hline(y=sum(staffed), line={"color": "#333333", "width": 2, "dash": "dash"},
                      annotation_text=f"Staff entered for these roles: {figure(sum(staffed))} FTE",
                      annotation_position="top left", annotation_font={"size": 14})
    fig.update_layout(
        barmode="stack",
        title={"text": "FTE the roadmap needs per wave by role, against the PMO's staff"},
        xaxis={"title": {"text": "Wave"}},
        yaxis={"title": {"text": "Full-time equivalents (FTE)"}, "range": [0, top * 1.25],
               "gridcolor": "#dddddd"},
        legend={"title": {"text": "Role"}, "traceorder": "normal"},
        uniformtext={"minsize": 10, "mode": "hide"},
        height=520, font={"size": FONT_SIZE}, plot_bgcolor="white",
        margin={"l": 10, "r": 20, "t": 80, "b": 60},
    )
    return fig


def fte_table(s: Staffing) -> pd.DataFrame:
    """FTE per role (rows) and wave (columns) with the staff entered (blank: not entered), for the CSV."""
    waves = [n for n, _, _ in s.dates]
    rows = [{"Role": r.name, STAFF_COLUMN: r.staff, **{f"Wave {n}": r.waves.get(n, 0.0) for n in waves}}
            for r in s.roles]
    return pd.DataFrame(rows, columns=["Role", STAFF_COLUMN, *(f"Wave {n}" for n in waves)])


def moments_table(s: Staffing) -> pd.DataFrame:
    """When each role is first needed: the wave, the day to have it assigned or hired by, its largest need."""
    rows = [(r.name, f"Wave {r.first_wave}", r.first_date, r.peak, r.staff)
            for r in s.roles if r.first_wave is not None]
    return pd.DataFrame(rows, columns=MOMENT_COLUMNS)
