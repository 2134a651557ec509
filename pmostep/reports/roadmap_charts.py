"""Plotly figures and tables for the roadmap: a Roadmap in, a figure or table out, tested without Streamlit.

Same house style as `charts`: Okabe-Ito colours, and every series also differs by pattern, marker or dash and
carries its values as text, so no reading depends on colour alone. Builders return None when there is
nothing to draw, so the page can show a sentence instead of an empty plot.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from pmostep.core.numbers import figure, known
from pmostep.core.questionnaire import Questionnaire
from pmostep.deployment import staffing as staffing_plan
from pmostep.deployment.roadmap import Roadmap, Wave
from pmostep.products import roles as roles_module
from pmostep.products.catalogue import Entry
from pmostep.reports.charts import (
    CURRENT_COLOUR,
    DESIRED_COLOUR,
    FONT_SIZE,
    GROUP_B_COLOUR,
    RadarSeries,
    level_axis,
    profile_radar,
    wrap,
)

PRODUCT_STYLE = {"color": CURRENT_COLOUR, "pattern": {"shape": ""}}
# Services hatched on a light ground, so the bar text (dark) stays readable over the hatching.
SERVICE_STYLE = {"color": "#CCEBE0", "pattern": {"shape": "/", "fgcolor": GROUP_B_COLOUR, "fgopacity": 0.55,
                                                 "solidity": 0.25}}
OVERRIDE_COLOUR = "#D55E00"      # vermillion: an entry kept in its wave despite breaking a rule
WAVE_BAND_COLOUR = "#EEEEEE"

# Trace styles for the end of each wave on the radar, cycled when there are more waves than styles.
WAVE_COLOURS = ("#56B4E9", "#009E73", "#CC79A7", "#D55E00", "#000000")
WAVE_DASHES = ("dot", "dashdot", "longdash", "longdashdot", "solid")
WAVE_SYMBOLS = ("square", "triangle-up", "x", "cross", "star", "hexagon")

# Role segments of the staffing chart: colour and pattern cycles of different lengths, so pairs stay distinct.
ROLE_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#56B4E9", "#D55E00", "#CC79A7", "#F0E442", "#999999")
ROLE_PATTERNS = ("", "/", "\\", "x", ".", "-", "|")
ROLE_TEXT_SHARE = 0.08           # a segment gets its role name written in it from this share of the y range


def _level(x: float) -> str:
    """A maturity for a label: 3.0, 2.5, 2.65 (the scheduler rounds to 2 decimals; 2.65 must not read 2.6)."""
    text = f"{round(float(x), 2):.2f}"
    return text[:-1] if text.endswith("0") else text


def role_name(role: str) -> str:
    """The display name of a role id (data/roles.yaml); a role given as free text is shown as it is."""
    return roles_module.names().get(role, role)


# --- timeline -------------------------------------------------------------------------------------------


def timeline(roadmap: Roadmap, entries: Mapping[str, Entry]) -> go.Figure | None:
    """Gantt-like chart: one bar per placed entry across its wave's weeks, wave 1 at the top.

    The y axis names the entries (`entries` maps id -> Entry and must hold every placed id); products and
    services differ by colour, pattern and legend; entries kept by an override are outlined in vermillion and
    say "override". None when nothing is placed, so the page can say so in words.
    """
    rows = [(w.number, i) for w in roadmap.waves for i in w.items]
    if not rows:
        return None
    weeks = roadmap.settings.wave_weeks
    broken: dict[str, list[str]] = {}
    for v in roadmap.violations:
        broken.setdefault(v.item, []).append(v.reason)
    reasons = {i: w.reasons.get(i, "") for w in roadmap.waves for i in w.items}
    labels = [wrap(entries[i].name, 40) for _, i in rows]
    fig = go.Figure()
    for kind, style in (("product", PRODUCT_STYLE), ("service", SERVICE_STYLE)):
        picked = [(k, wave, i) for k, (wave, i) in enumerate(rows) if entries[i].type == kind]
        if not picked:
            continue
        es = [entries[i] for _, _, i in picked]
        texts = [f"{figure(e.effort)} pw · load {figure(e.change_load)}"
                 + (" · override" if e.id in broken else "") for e in es]
        fig.add_trace(go.Bar(
            y=[k for k, _, _ in picked], x=[weeks] * len(picked),
            base=[(wave - 1) * weeks for _, wave, _ in picked], orientation="h", name=kind.title(), width=0.7,
            marker={**style, "line": {"color": [OVERRIDE_COLOUR if e.id in broken else "#333333" for e in es],
                                      "width": [4 if e.id in broken else 0.5 for e in es]}},
            text=texts, textposition="inside", insidetextanchor="middle", constraintext="none",
            textfont={"color": "white" if kind == "product" else "#111111", "size": 13},
            customdata=[[e.name, wave, reasons[e.id] + ("<br>Override: " + "; ".join(broken[e.id])
                                                       if e.id in broken else "")]
                        for e, (_, wave, _) in zip(es, picked, strict=True)],
            hovertemplate="%{customdata[0]}<br>" + kind.title() + ", wave %{customdata[1]}<br>%{text}"
                          "<br>%{customdata[2]}<extra></extra>",
        ))
    waves = roadmap.settings.waves
    for n in range(1, waves + 1):
        fig.add_vrect(x0=(n - 1) * weeks, x1=n * weeks, fillcolor=WAVE_BAND_COLOUR if n % 2 else "white",
                      opacity=1, layer="below", line_width=0)
        fig.add_annotation(x=(n - 0.5) * weeks, y=1, yref="paper", yanchor="bottom", showarrow=False,
                           text=f"<b>Wave {n}</b>", font={"size": FONT_SIZE})   # above the plot, off the bars
    fig.update_layout(
        title={"text": "Roadmap: when each product and service is delivered, wave by wave"},
        barmode="overlay",
        xaxis={"title": {"text": "Weeks from the start"}, "range": [0, waves * weeks],
               "tickmode": "array", "tickvals": [n * weeks for n in range(waves + 1)],
               "gridcolor": "#bbbbbb", "showgrid": True, "zeroline": False},
        yaxis={"title": {"text": "Product or service"}, "tickmode": "array",
               "tickvals": list(range(len(rows))), "ticktext": labels, "autorange": "reversed",
               "automargin": True},
        legend={"orientation": "h", "yref": "container", "yanchor": "top", "y": 0.995, "xanchor": "right",
                "x": 1, "title": {"text": "Type "}},
        height=max(320, 170 + 40 * len(rows)), font={"size": FONT_SIZE}, plot_bgcolor="white",
        margin={"l": 10, "r": 30, "t": 100, "b": 60},
    )
    return fig


# --- maturity ---------------------------------------------------------------------------------------------


def _projectable(roadmap: Roadmap, current: Mapping[str, Any], desired: Mapping[str, Any],
                 q: Questionnaire) -> list[tuple[Any, float, float, list[float]]]:
    """(dimension, current, desired, projected per wave) for every dimension with a projection.

    A dimension is left out when its current or desired level is unknown: the scheduler projects nothing then.
    """
    out = []
    for d in q.dimensions:
        cur, goal = known(current.get(d.id)), known(desired.get(d.id))
        path = [known(w.projected.get(d.id)) for w in roadmap.waves]
        if cur is None or goal is None or not path or any(p is None for p in path):
            continue
        out.append((d, cur, goal, path))
    return out


def _stages(roadmap: Roadmap) -> list[str]:
    return ["Today", *(f"Wave {w.number}" for w in roadmap.waves)]


def trajectory(roadmap: Roadmap, current: Mapping[str, float | None], desired: Mapping[str, float | None],
               q: Questionnaire) -> go.Figure | None:
    """Small multiples: per dimension, maturity today and after each wave, against the desired level.

    Shows whether the planned waves actually close the gaps, dimension by dimension. Dimensions with an
    unknown current (or desired) level are left out; None when no dimension can be projected.
    """
    dims = _projectable(roadmap, current, desired, q)
    if not dims:
        return None
    cols = min(4, len(dims))
    rows = math.ceil(len(dims) / cols)
    stages = _stages(roadmap)
    fig = make_subplots(rows=rows, cols=cols, shared_yaxes=True, horizontal_spacing=0.03,
                        vertical_spacing=0.42 / rows if rows > 1 else 0.0,
                        subplot_titles=[wrap(d.name, 30) for d, _, _, _ in dims])
    axis = level_axis(q)
    for k, (d, cur, goal, path) in enumerate(dims):
        row, col = k // cols + 1, k % cols + 1
        values = [cur, *path]
        fig.add_trace(go.Scatter(
            x=stages, y=[goal] * len(stages), mode="lines+text", name="Desired", legendgroup="desired",
            showlegend=k == 0, line={"color": DESIRED_COLOUR, "width": 2.5, "dash": "dash"},
            text=[f"desired {_level(goal)}"] + [""] * (len(stages) - 1), textposition="top right",
            textfont={"color": "#8a5a00", "size": 12},
            hovertemplate=d.name + "<br>Desired %{y:.2f}<extra></extra>",
        ), row=row, col=col)
        fig.add_trace(go.Scatter(
            x=stages, y=values, mode="lines+markers+text", name="Projected maturity", legendgroup="projected",
            showlegend=k == 0, line={"color": CURRENT_COLOUR, "width": 3},
            marker={"symbol": "circle", "size": 9, "color": CURRENT_COLOUR},
            text=[""] * (len(values) - 1) + [_level(values[-1])], textposition="bottom center",
            textfont={"color": CURRENT_COLOUR, "size": 13}, customdata=[d.id] * len(values),
            hovertemplate=d.name + "<br>%{x}: %{y:.2f}<extra></extra>",
        ), row=row, col=col)
        first = col == 1
        fig.update_yaxes(
            range=axis["range"], tickmode="array", tickvals=axis["tickvals"],
            ticktext=axis["ticktext"] if first else None, showticklabels=first, gridcolor=axis["gridcolor"],
            zeroline=False, title={"text": axis["title"]["text"] if first else ""}, row=row, col=col)
        fig.update_xaxes(tickangle=-45, tickfont={"size": 12}, showgrid=False, row=row, col=col,
                         range=[-0.3, len(stages) - 0.5],
                         title={"text": "End of wave" if row == rows else "", "font": {"size": 12}})
    fig.update_annotations(font={"size": 14})
    fig.update_layout(
        title={"text": "Projected maturity per dimension after each wave, against the desired level"},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0 + 0.25 / rows, "xanchor": "right", "x": 1},
        height=140 + 300 * rows, font={"size": FONT_SIZE}, plot_bgcolor="white",
        margin={"l": 10, "r": 20, "t": 130, "b": 60},
    )
    return fig


def wave_radar(roadmap: Roadmap, current: Mapping[str, float | None], desired: Mapping[str, float | None],
               q: Questionnaire) -> go.Figure | None:
    """One radar: the maturity profile today, at the end of each wave and desired, to see the shape change.

    Dimensions whose current or desired level is unknown are left out; None when fewer than three are
    left (a radar of one or two axes is a line, not a shape).
    """
    dims = _projectable(roadmap, current, desired, q)
    if len(dims) < 3:
        return None
    series: list[RadarSeries] = [("Today", [c for _, c, _, _ in dims], CURRENT_COLOUR, "solid", "circle", 3)]
    for k, w in enumerate(roadmap.waves):
        series.append((f"End of wave {w.number}", [p[k] for _, _, _, p in dims],
                       WAVE_COLOURS[k % len(WAVE_COLOURS)], WAVE_DASHES[k % len(WAVE_DASHES)],
                       WAVE_SYMBOLS[k % len(WAVE_SYMBOLS)], 2))
    series.append(("Desired", [g for _, _, g, _ in dims], DESIRED_COLOUR, "dash", "diamond", 3))
    return profile_radar([d.name for d, _, _, _ in dims], [d.id for d, _, _, _ in dims], series, q,
                         "Maturity profile today, at the end of each wave, and desired",
                         height=640, bottom=90)


# --- staffing ---------------------------------------------------------------------------------------------


def wave_roles(wave: Wave) -> dict[str, float]:
    """Person-weeks per role display name, in name order (deployment/staffing.person_weeks, the one split
    of a wave's effort into roles)."""
    return dict(sorted((role_name(r), pw) for r, pw in staffing_plan.person_weeks(wave).items()))


def _role_order(roadmap: Roadmap) -> list[str]:
    """Role names by total person-weeks over all waves (largest first, at the bottom), then by name."""
    totals: dict[str, float] = {}
    for w in roadmap.waves:
        for r, pw in wave_roles(w).items():
            totals[r] = totals.get(r, 0.0) + pw
    return sorted((r for r, t in totals.items() if t > 0), key=lambda r: (-totals[r], r))


def staffing(roadmap: Roadmap) -> go.Figure | None:
    """Stacked bars of PMO person-weeks per wave by role, against the capacity, with total and FTE on top.

    Shows who the PMO needs when, and how close each wave comes to the capacity. Roles differ by colour,
    pattern and their name written in the segment (when it is large enough) and in the hover. None when no
    wave asks for any effort.
    """
    roles = _role_order(roadmap)
    if not roles:
        return None
    s = roadmap.settings
    x = [f"Wave {w.number}" for w in roadmap.waves]
    totals = [w.effort for w in roadmap.waves]
    top = max([s.capacity, *totals]) or 1.0
    fig = go.Figure()
    per_wave = [wave_roles(w) for w in roadmap.waves]
    for k, name in enumerate(roles):
        values = [shares.get(name, 0.0) for shares in per_wave]
        colour = ROLE_COLOURS[k % len(ROLE_COLOURS)]
        dark = colour in ("#0072B2", "#009E73", "#D55E00", "#CC79A7")
        fig.add_trace(go.Bar(
            x=x, y=values, name=name,
            marker={"color": colour, "line": {"color": "white", "width": 1},
                    "pattern": {"shape": ROLE_PATTERNS[k % len(ROLE_PATTERNS)], "solidity": 0.15,
                                "fgcolor": "white" if dark else "#333333", "fgopacity": 0.35}},
            text=[f"{name} {figure(v)}" if v >= ROLE_TEXT_SHARE * top else "" for v in values],
            textposition="inside", insidetextanchor="middle",
            textfont={"color": "white" if dark else "#111111", "size": 13},
            customdata=[[name, staffing_plan.fte(v, s.wave_weeks)] for v in values],
            hovertemplate="%{x}<br>%{customdata[0]}: %{y:.1f} person-weeks "
                          "(%{customdata[1]:.2f} FTE)<extra></extra>",
        ))
    fig.add_trace(go.Scatter(
        x=x, y=totals, mode="text", name="Total", showlegend=False, textposition="top center",
        text=[f"{figure(w.effort)} pw · {w.fte:.1f} FTE" for w in roadmap.waves],
        textfont={"size": FONT_SIZE, "color": "#111111"}, hoverinfo="skip",
    ))
    fig.add_hline(y=s.capacity, line={"color": "#333333", "width": 2, "dash": "dash"},
                  annotation_text=f"Capacity {figure(s.capacity)} pw", annotation_position="top left",
                  annotation_font={"size": 14})
    fig.update_layout(
        barmode="stack",
        title={"text": "PMO effort per wave by role, against the capacity per wave"},
        xaxis={"title": {"text": "Wave"}},
        yaxis={"title": {"text": "PMO person-weeks"}, "range": [0, top * 1.2], "gridcolor": "#dddddd"},
        legend={"title": {"text": "Role"}, "traceorder": "normal"},
        uniformtext={"minsize": 10, "mode": "hide"},
        height=520, font={"size": FONT_SIZE}, plot_bgcolor="white",
        margin={"l": 10, "r": 20, "t": 80, "b": 60},
    )
    return fig


STAFFING_COLUMNS = ["Wave", "Role", "Person-weeks", "FTE"]
WAVES_COLUMNS = ["Wave", "Entry", "Type", "Effort (pw)", "Change load", "Why"]
WORKSHOP_COLUMN = "Workshop 2x2"      # where a workshop put the entry on value against effort


def staffing_table(roadmap: Roadmap) -> pd.DataFrame:
    """Person-weeks and FTE per wave and role (display names), one row each, for the CSV download."""
    weeks = roadmap.settings.wave_weeks
    rows = [(w.number, name, pw, staffing_plan.fte(pw, weeks))
            for w in roadmap.waves for name, pw in wave_roles(w).items()]
    return pd.DataFrame(rows, columns=STAFFING_COLUMNS)


def waves_table(roadmap: Roadmap, entries: Mapping[str, Entry],
                workshop: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Every placed entry by wave, with its size and the scheduler's reason, for the page's table.

    The reason's leading "wave n: " is dropped, since the Wave column says it already. `workshop` maps
    an entry to where a workshop put it on the 2x2 ("Quick win: value 4.1, effort 2.0, n 23"); the
    column "Workshop 2x2" appears only when a placed entry has one.
    """
    rows = []
    for w in roadmap.waves:
        for i in w.items:
            e = entries[i]
            why = w.reasons.get(i, "")
            prefix = f"wave {w.number}: "
            if why.startswith(prefix):
                why = why[len(prefix):]
            why = why[:1].upper() + why[1:]
            rows.append((w.number, e.name, e.type.title(), e.effort, e.change_load, why))
    table = pd.DataFrame(rows, columns=WAVES_COLUMNS)
    placed = [(workshop or {}).get(i, "") for w in roadmap.waves for i in w.items]
    if any(placed):
        table.insert(len(WAVES_COLUMNS) - 1, WORKSHOP_COLUMN, placed)
    return table


def projection_table(roadmap: Roadmap, current: Mapping[str, float | None],
                     desired: Mapping[str, float | None], q: Questionnaire) -> pd.DataFrame:
    """Expected maturity per dimension: today, at the end of each wave, and desired (for the CSV)."""
    rows = []
    for d in q.dimensions:
        row = {"Dimension": d.name, "Today": known(current.get(d.id))}
        row.update({f"Wave {w.number}": w.projected.get(d.id) for w in roadmap.waves})
        row["Desired"] = known(desired.get(d.id))
        rows.append(row)
    return pd.DataFrame(rows).round(2)
