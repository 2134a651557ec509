"""Plotly figures built from score tables: data in, figure out, so they are tested without Streamlit.

Colours are from the Okabe-Ito palette (safe for colour-blind readers) and every series also differs
by marker shape and carries its values as text, so no reading depends on colour alone.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from pmostep.core.questionnaire import Questionnaire

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
    return wrap(f"{name} (n={int(n)})", LABEL_WIDTH)


def current_vs_desired(dims: pd.DataFrame, q: Questionnaire, title: str | None = None,
                       by_gap: bool = False) -> go.Figure:
    """Dumbbell chart: current and desired maturity per dimension, joined by the gap.

    In questionnaire order, or with `by_gap` the largest gap at the top.
    """
    scored = dims[dims["current"].notna()]
    scored = scored.sort_values("gap", ascending=True) if by_gap else scored.iloc[::-1]   # top = first
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
        textfont={"color": CURRENT_COLOUR}, customdata=scored[["gap", "id"]].to_numpy(),
        hovertemplate="%{y}<br>Current %{x:.2f}<br>Gap %{customdata[0]:.2f}<extra></extra>",
    ))
    fig.add_trace(go.Scatter(
        x=scored["desired"], y=labels, mode="markers+text", name="Desired",
        marker={"color": DESIRED_COLOUR, "size": 16, "symbol": "diamond"},
        text=[f"{v:.1f}" if pd.notna(v) else "" for v in scored["desired"]], textposition="top center",
        textfont={"color": "#8a5a00"}, customdata=scored[["gap", "id"]].to_numpy(),
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


def clicked_dimension(points: list[dict]) -> str | None:
    """The dimension id of a clicked point of current_vs_desired or radar (the last customdata item)."""
    for point in points or []:
        data = point.get("customdata")
        if data:
            return str(data[-1])
    return None


def wrap(text: str, width: int) -> str:
    """A label broken onto lines of at most `width` characters, for plotly (which breaks on <br>)."""
    return "<br>".join(textwrap.wrap(str(text), width)) or str(text)


# One line of a maturity radar: label, values per dimension, colour, dash, marker symbol, line width.
RadarSeries = tuple[str, list[float], str, str, str, int]


def profile_radar(names: list[str], ids: list[str], series: list[RadarSeries], q: Questionnaire,
                  title: str, height: int = 600, bottom: int = 70) -> go.Figure:
    """Maturity profiles on one radar: dimensions round the circle, level names on the rings.

    Every point carries its dimension id (customdata), so a click can open that dimension.
    """
    closed = [wrap(n, 18) for n in [*names, names[0]]]
    fig = go.Figure()
    for label, values, colour, dash, symbol, width in series:
        fig.add_trace(go.Scatterpolar(
            r=[*values, values[0]], theta=closed, name=label, mode="lines+markers",
            line={"color": colour, "width": width, "dash": dash},
            marker={"symbol": symbol, "size": 9, "color": colour},
            customdata=[[i] for i in [*ids, ids[0]]],
            hovertemplate="%{theta}<br>" + label + " %{r:.2f}<extra></extra>",
        ))
    fig.update_layout(
        title={"text": title},
        polar={"radialaxis": {"range": [0, q.scale_max], "tickvals": [p.value for p in q.scale],
                              "ticktext": [f"{p.value} {p.label}" for p in q.scale], "angle": 90,
                              "tickangle": 90, "tickfont": {"size": 10}},
               "angularaxis": {"direction": "clockwise", "tickfont": {"size": 11}}},
        legend={"orientation": "h", "y": -0.12},
        height=height, font={"size": FONT_SIZE}, margin={"l": 110, "r": 110, "t": 90, "b": bottom},
    )
    return fig


def radar(dims: pd.DataFrame, q: Questionnaire) -> go.Figure:
    """Current and desired maturity on one radar, dimensions round the circle, level names on the rings."""
    scored = dims[dims["current"].notna()]
    return profile_radar(list(scored["name"]), list(scored["id"]),
                         [("Current", list(scored["current"]), CURRENT_COLOUR, "solid", "circle", 3),
                          ("Desired", list(scored["desired"]), DESIRED_COLOUR, "dash", "diamond", 3)],
                         q, "Maturity profile: current and desired per dimension")


# Low answers to the left of the midpoint, high to the right: orange to blue (Okabe-Ito based).
ANSWER_COLOURS = {1: "#D55E00", 2: "#E69F00", 3: "#BBBBBB", 4: "#56B4E9", 5: "#0072B2"}


def answer_distribution(dist: pd.DataFrame, q: Questionnaire, side: str = "current") -> go.Figure:
    """Diverging stacked bars: the share of each answer per statement, centred on the scale's midpoint.

    Shares are of the people who rated the statement; "don't know" is left out of the bars and given
    in the statement's label.
    """
    part = dist[dist["side"] == side]
    texts = {s.id: s.text for s in q.statements}
    statements = list(dict.fromkeys(part["statement_id"]))[::-1]
    mid = (q.scale_min + q.scale_max) / 2
    fig = go.Figure()
    labels = []
    shares: dict[int, list[float]] = {p.value: [] for p in q.scale}
    for sid in statements:
        rows = part[part["statement_id"] == sid]
        rated = rows[rows["answer"] != "na"]
        n = rated["n"].sum()
        na = rows.loc[rows["answer"] == "na", "n"].sum()
        counts = {int(a): c for a, c in zip(rated["answer"], rated["n"], strict=True)}
        for p in q.scale:
            shares[p.value].append(100 * counts.get(p.value, 0) / n if n else 0)
        labels.append(wrap(texts[sid], 48) + f"<br>(n={n}, don't know {na})")
    # In a relative bar chart each side stacks outward in trace order: the levels nearest the midpoint
    # go first (the middle level split in two halves), the extremes last.
    below = [p for p in q.scale if p.value < mid][::-1]
    above = [p for p in q.scale if p.value > mid]
    middle = [p for p in q.scale if p.value == mid]
    order = [(p, -0.5, False) for p in middle] + [(p, -1, True) for p in below] + \
        [(p, 0.5, True) for p in middle] + [(p, 1, True) for p in above]
    for p, factor, legend in order:
        values = shares[p.value]
        fig.add_trace(go.Bar(
            y=labels, x=[factor * v for v in values], orientation="h", name=f"{p.value} {p.label}",
            showlegend=legend, legendgroup=str(p.value), legendrank=p.value,
            marker={"color": ANSWER_COLOURS.get(p.value, "#999999")},
            text=[f"{v:.0f}%" if v >= 8 and legend else "" for v in values],   # the middle level once
            textposition="inside", customdata=values,
            hovertemplate="%{y}<br>" + f"{p.value} {p.label}: " + "%{customdata:.0f}%<extra></extra>",
        ))
    fig.update_layout(
        barmode="relative",
        title={"text": f"How people answered ({side} state), share of those who rated each statement"},
        xaxis={"title": {"text": "Share of answers (%): lower levels to the left, higher to the right"},
               "range": [-100, 100], "tickvals": [-100, -50, 0, 50, 100],
               "ticktext": ["100%", "50%", "0", "50%", "100%"], "zeroline": True, "zerolinecolor": "#333"},
        yaxis={"title": {"text": "Statement"}, "automargin": True},
        legend={"orientation": "h", "y": -0.25, "traceorder": "normal"},
        height=max(320, 110 * len(statements) + 140), font={"size": 13}, plot_bgcolor="white",
        margin={"l": 10, "r": 20, "t": 70, "b": 110},
    )
    return fig


def gaps(frame: pd.DataFrame, label_column: str, title: str, top: int | None = None) -> go.Figure:
    """Gaps ranked by priority, each with its 95 % interval, so a real gap stands out from noise.

    A gap whose interval stays above zero is drawn solid; one whose interval reaches zero is hatched.
    """
    ranked = frame[frame["gap"].notna()].sort_values("priority", ascending=False)
    if top:
        ranked = ranked.head(top)
    ranked = ranked.iloc[::-1]                                  # highest priority at the top
    labels = [wrap(t, 40) for t in ranked[label_column]]
    real = ranked["gap_ci_low"] > 0
    fig = go.Figure(go.Bar(
        y=labels, x=ranked["gap"], orientation="h", name="Gap (desired - current)",
        marker={"color": [CURRENT_COLOUR if r else "#A6CEE3" for r in real],
                "pattern": {"shape": ["" if r else "/" for r in real]}},
        error_x={"type": "data", "symmetric": False, "array": ranked["gap_ci_high"] - ranked["gap"],
                 "arrayminus": ranked["gap"] - ranked["gap_ci_low"], "color": "#333333", "thickness": 1.5},
        text=[f"gap {g:.2f} · priority {p:.1f}"
              for g, p in zip(ranked["gap"], ranked["priority"], strict=True)],
        textposition="inside", insidetextanchor="start",
        textfont={"color": ["white" if r else "#222222" for r in real]},   # hatched bars are light
        customdata=ranked[["gap_ci_low", "gap_ci_high", "importance"]].to_numpy(),
        hovertemplate="%{y}<br>Gap %{x:.2f} (95% CI %{customdata[0]:.2f} to %{customdata[1]:.2f})"
                      "<br>Importance %{customdata[2]:.1f}<extra></extra>",
    ))
    upper = float(ranked["gap_ci_high"].max()) if len(ranked) else 1.0
    fig.update_layout(
        title={"text": title},
        xaxis={"title": {"text": "Gap in maturity levels (bar) with its 95% confidence interval (line)"},
               "range": [min(0.0, float(ranked["gap_ci_low"].min()) if len(ranked) else 0.0) - 0.1,
                         upper * 1.1 + 0.1], "zeroline": True, "zerolinecolor": "#333333"},
        yaxis={"title": {"text": "Ranked by priority (highest at the top)"}, "automargin": True},
        height=max(320, 46 * len(ranked) + 140), font={"size": 13}, plot_bgcolor="white", showlegend=False,
        margin={"l": 10, "r": 30, "t": 70, "b": 60},
    )
    return fig


def heatmap(values: pd.DataFrame, title: str, value_label: str, hover: pd.DataFrame | None = None,
            decimals: int = 2, zmin: float | None = None, zmax: float | None = None) -> go.Figure:
    """A matrix as a heatmap with every value written in its cell (never colour alone).

    Empty cells (suppressed or not applicable) stay blank. Cividis reads for colour-blind viewers.
    """
    text = values.map(lambda v: "" if pd.isna(v) else f"{v:.{decimals}f}")
    columns = [wrap(c, 14) for c in values.columns]
    label_lines = max((c.count("<br>") + 1 for c in columns), default=1)
    fig = go.Figure(go.Heatmap(
        z=values.to_numpy(dtype=float), x=columns,
        y=[wrap(r, 30) for r in values.index],
        text=text.to_numpy(), texttemplate="%{text}", textfont={"size": 13},
        colorscale="Cividis", colorbar={"title": {"text": value_label}}, zmin=zmin, zmax=zmax,
        customdata=None if hover is None else hover.to_numpy(),
        hovertemplate=("%{y}<br>%{customdata}<br>" if hover is not None else "%{y}<br>%{x}<br>")
        + value_label + " %{z:.2f}<extra></extra>",
        xgap=2, ygap=2,
    ))
    fig.update_layout(
        title={"text": title, "y": 0.99, "yanchor": "top"},
        xaxis={"title": {"text": values.columns.name or "", "standoff": 4}, "side": "top", "tickangle": 0},
        yaxis={"title": {"text": values.index.name or ""}, "autorange": "reversed", "automargin": True},
        height=max(360, 42 * len(values) + 120 + 16 * label_lines), font={"size": 13},
        margin={"l": 10, "r": 10, "t": 90 + 16 * label_lines, "b": 20},
    )
    return fig


GROUP_B_COLOUR = "#009E73"   # bluish green, the second group in a comparison


def compare_groups(comparison: pd.DataFrame, name_a: str, name_b: str, measure_label: str,
                   axis: dict) -> go.Figure:
    """Two groups per dimension as joined dots, the largest difference at the top.

    `comparison` is tables.group_comparison's output; `axis` the x axis (level_axis for maturity).
    """
    rows = comparison.dropna(subset=[name_a, name_b])
    rows = rows.assign(_d=rows["Difference"].abs()).sort_values("_d", ascending=True)
    labels = [wrap(n, LABEL_WIDTH) for n in rows["Dimension"]]
    fig = go.Figure()
    for label, x_a, x_b in zip(labels, rows[name_a], rows[name_b], strict=True):
        fig.add_trace(go.Scatter(x=[x_a, x_b], y=[label, label], mode="lines",
                                 line={"color": GAP_COLOUR, "width": 3}, hoverinfo="skip", showlegend=False))
    for name, colour, symbol, position in ((name_a, CURRENT_COLOUR, "circle", "top center"),
                                           (name_b, GROUP_B_COLOUR, "square", "bottom center")):
        fig.add_trace(go.Scatter(
            x=rows[name], y=labels, mode="markers+text", name=name,
            marker={"color": colour, "size": 15, "symbol": symbol},
            text=[f"{v:.1f}" for v in rows[name]], textposition=position, textfont={"color": colour},
            hovertemplate="%{y}<br>" + name + " %{x:.2f}<extra></extra>",
        ))
    fig.update_layout(
        title={"text": f"{measure_label}: {name_a} and {name_b}, largest difference first"},
        xaxis=axis, yaxis={"title": {"text": "Dimension"}, "automargin": True},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        height=max(360, 80 + 56 * len(rows)), margin={"l": 10, "r": 30, "t": 90, "b": 60},
        font={"size": FONT_SIZE}, plot_bgcolor="white",
    )
    return fig


MEASURES = {"current": "Current maturity", "desired": "Desired maturity", "gap": "Gap"}


def measure_axis(measure: str, q: Questionnaire) -> dict:
    """The axis for a measure of MEASURES: maturity levels, or gap levels with zero marked."""
    return gap_axis() if measure == "gap" else level_axis(q)


def gap_axis() -> dict:
    """An axis for gaps, in maturity levels, with zero marked (a gap can be negative)."""
    return {"title": {"text": "Gap (desired minus current, levels)"}, "gridcolor": "#dddddd",
            "zeroline": True, "zerolinecolor": "#888888"}


def counts_bar(counts: pd.DataFrame, label: str, value: str, title: str, axis_title: str) -> go.Figure:
    """Horizontal bars of counts, largest at the top, each count written on its bar."""
    rows = counts.iloc[::-1]
    fig = go.Figure(go.Bar(
        x=rows[value], y=rows[label], orientation="h", marker={"color": CURRENT_COLOUR},
        text=rows[value], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x}<extra></extra>",
    ))
    fig.update_layout(
        title={"text": title},
        xaxis={"title": {"text": axis_title}, "gridcolor": "#dddddd", "rangemode": "tozero"},
        yaxis={"title": {"text": label}, "automargin": True},
        height=max(300, 90 + 30 * len(rows)), margin={"l": 10, "r": 40, "t": 60, "b": 50},
        font={"size": FONT_SIZE}, plot_bgcolor="white",
    )
    return fig


def problem_points(points: pd.DataFrame, strong: int) -> go.Figure:
    """The likely problems, most likely at the top: each bar is a problem's points, signs found in the
    figures (solid), in the comments (dotted) and symptoms ticked (hatched), with the line from which a
    problem counts as strong (when one of its signs is in the figures).

    `points` is diagnosis.points_table's output (Problem, Points, Signs in the figures, Signs in the
    comments, Symptoms ticked).
    """
    rows = points.iloc[::-1]
    labels = [wrap(name, 44) for name in rows["Problem"]]
    fig = go.Figure()
    for column, colour, shape in (("Signs in the figures", CURRENT_COLOUR, ""),
                                  ("Signs in the comments", GROUP_B_COLOUR, "."),
                                  ("Symptoms ticked", DESIRED_COLOUR, "/")):
        fig.add_trace(go.Bar(
            x=rows[column], y=labels, orientation="h", name=column,
            marker={"color": colour, "pattern": {"shape": shape}},
            text=[str(v) if v else "" for v in rows[column]], textposition="inside",
            hovertemplate="%{y}<br>" + column + ": %{x}<extra></extra>",
        ))
    top = max(int(rows["Points"].max()) if len(rows) else 0, strong) + 1
    fig.add_vline(x=strong, line={"color": "#333333", "dash": "dash", "width": 1.5})
    fig.add_annotation(x=strong, y=1, yref="paper", yanchor="bottom", xanchor="left", showarrow=False,
                       text=f"strong from {strong} points, one in the figures")
    fig.update_layout(
        title={"text": "Likely problems: the points of each problem"},
        barmode="stack",
        xaxis={"title": {"text": "Points (signs in the figures + in the comments + symptoms ticked)"},
               "range": [0, top],
               "dtick": 1, "gridcolor": "#dddddd"},
        yaxis={"title": {"text": "Problem (most likely at the top)"}, "automargin": True},
        legend={"orientation": "h", "y": -0.12, "x": 0, "traceorder": "normal"},
        height=max(320, 120 + 34 * len(rows)), margin={"l": 10, "r": 30, "t": 70, "b": 90},
        font={"size": 13}, plot_bgcolor="white",
    )
    return fig


def index_trend(series: pd.DataFrame, q: Questionnaire) -> go.Figure:
    """The maturity index, current and desired, of each assessment in time order."""
    shown = series[series["Shown"]]
    fig = go.Figure()
    for column, colour, symbol, dash in (("Current", CURRENT_COLOUR, "circle", "solid"),
                                         ("Desired", DESIRED_COLOUR, "diamond", "dash")):
        fig.add_trace(go.Scatter(
            x=shown["Assessment"], y=shown[column], name=column, mode="lines+markers+text",
            line={"color": colour, "width": 3, "dash": dash},
            marker={"symbol": symbol, "size": 14, "color": colour},
            text=[f"{v:.2f}" for v in shown[column]], textposition="top center", textfont={"color": colour},
            customdata=shown[["Respondents"]].to_numpy(),
            hovertemplate="%{x}<br>" + column + " %{y:.2f}<br>n=%{customdata[0]}<extra></extra>",
        ))
    fig.update_layout(
        title={"text": "Maturity index over the assessments"},
        xaxis={"title": {"text": "Assessment (start)"}, "type": "category"},
        yaxis=level_axis(q),
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        height=420, margin={"l": 10, "r": 30, "t": 80, "b": 60}, font={"size": FONT_SIZE},
        plot_bgcolor="white",
    )
    return fig
