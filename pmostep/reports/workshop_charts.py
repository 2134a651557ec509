"""The workshop's figures, sentences and tables: a round's results (RoundResult.to_dict) in, a Plotly
figure, a sentence or a table out, for the console, the projector and the results page alike.

`labels` maps an activity's item ids to the names people read, so no id reaches a screen. `size` is
the base font size: the console draws at the app's size, the projector at SCREEN_FONT (readable from
the back of a room). Colours are the app's (Okabe-Ito), and every bar carries its value as text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from pmostep.reports.charts import CURRENT_COLOUR, DESIRED_COLOUR, FONT_SIZE, wrap
from pmostep.workshop.activities import QUADRANTS

SCREEN_FONT = 32
SURVEY_COLOUR = "#999999"
# What a list activity's bars measure: the result's field, the axis title, whether it is a share.
MEASURES = {"ranking": ("points", "Ranking points (k-1 for first ... 0 for last)", False),
            "points": ("share", "Share of all points", True),
            "dots": ("dots", "Dots", False)}
SIDES = ("current", "desired")
# The columns of a list activity's table: the result's field -> the column people read.
COLUMNS = {"ranking": {"mean_rank": "Mean rank", "points": "Ranking points"},
           "points": {"points": "Points", "mean": "Mean points", "share": "Share"},
           "dots": {"dots": "Dots", "share": "Share", "voters": "Voters"},
           "matrix": {"n": "Placed by", "value": "Value", "effort": "Effort", "quadrant": "Quadrant"}}


def _layout(fig: go.Figure, title: str, size: int, height: int) -> go.Figure:
    """Every text of the figure at `size` (ticks, axis titles, legend and bar labels set one by one: the
    app's chart theme would draw them small), on white."""
    font = {"size": size, "color": "#000000"}
    for axis in ("xaxis", "yaxis"):
        fig.update_layout({axis: {"tickfont": font, "title": {"font": font}}})
    fig.update_traces(textfont=font)
    fig.update_layout(title={"text": title, "font": {"size": round(size * 1.1), "color": "#000000"}},
                      font=font, height=height, plot_bgcolor="white", paper_bgcolor="white",
                      legend={"orientation": "h", "y": -0.3 if size < SCREEN_FONT else -0.45, "font": font},
                      margin={"l": 10, "r": 30, "t": 30 + 2 * size if title else 20, "b": 30 + 2 * size})
    return fig


def rating(result: Mapping[str, Any], title: str, size: int = FONT_SIZE,
           height: int | None = None) -> go.Figure:
    """The room's mean rating, now and wanted, beside the survey's for the same item when it has one."""
    sides = [s for s in SIDES if result[s]["mean"] is not None]
    names = [s.capitalize() for s in sides]
    fig = go.Figure()
    survey = result.get("survey")
    if survey:
        values = [survey.get(s) for s in sides]
        fig.add_trace(go.Bar(name=f"Survey (n={survey['n']:.0f})", y=names, x=values, orientation="h",
                             marker={"color": SURVEY_COLOUR, "pattern": {"shape": "/"}},
                             text=[_number(v) for v in values], textposition="outside", cliponaxis=False))
    room = [result[s]["mean"] for s in sides]
    colours = [CURRENT_COLOUR if s == "current" else DESIRED_COLOUR for s in sides]
    fig.add_trace(go.Bar(name=f"Room (n={max(result[s]['n'] for s in sides)})", y=names, x=room,
                         orientation="h", marker={"color": colours},
                         text=[_number(v) for v in room], textposition="outside", cliponaxis=False))
    fig.update_layout(barmode="group", xaxis={"title": {"text": "Maturity level (1-5)"}, "range": [0, 5.6],
                                              "dtick": 1, "gridcolor": "#dddddd"},
                      yaxis={"title": {"text": ""}, "autorange": "reversed", "automargin": True})
    return _layout(fig, title, size, height or 260 + 9 * size)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def shift_sentence(result: Mapping[str, Any], label: str) -> str | None:
    """"The room puts Governance at 2.6; the survey said 2.1." (the current state; the wanted one when
    only that was rated); None without a survey figure to compare with."""
    survey = result.get("survey")
    if not survey:
        return None
    for side, verb in (("current", "puts"), ("desired", "wants")):
        room, said = result[side]["mean"], survey.get(side)
        if room is not None and said is not None:
            return f"The room {verb} {label} at {room:.1f}; the survey said {said:.1f}."
    return None


def spread_sentence(rounds: Sequence[Mapping[str, Any]], side: str = "current") -> str | None:
    """How the spread (IQR) of the rating moved from the first round shown to the latest:
    "spread narrowed from 1.5 to 0.8". None with fewer than two rounds that show it."""
    iqrs = [r["results"][side]["iqr"] for r in rounds
            if r.get("results") and r["results"][side]["iqr"] is not None]
    if len(iqrs) < 2:
        return None
    first, last = iqrs[0], iqrs[-1]
    if last < first:
        return f"Spread narrowed from {first:.1f} to {last:.1f}: the room is converging."
    if last > first:
        return f"Spread widened from {first:.1f} to {last:.1f}: the room disagrees more."
    return f"Spread stayed at {first:.1f}."


def bars(kind: str, result: Mapping[str, Any], labels: Mapping[str, str], size: int = FONT_SIZE,
         title: str = "", height: int | None = None) -> go.Figure:
    """A list activity's items as horizontal bars, the largest at the top."""
    field, axis, share = MEASURES[kind]
    items = result["items"]
    names = [wrap(labels.get(i["id"], i["id"]), 34) for i in items]
    values = [i[field] for i in items]
    text = [f"{v:.0%}" if share else f"{v:g}" for v in values]
    fig = go.Figure(go.Bar(x=values, y=names, orientation="h", marker={"color": CURRENT_COLOUR}, text=text,
                           textposition="outside", cliponaxis=False,
                           hovertemplate="%{y}: %{text}<extra></extra>"))
    fig.update_layout(xaxis={"title": {"text": axis}, "gridcolor": "#dddddd", "rangemode": "tozero",
                             **({"tickformat": ".0%"} if share else {})},
                      yaxis={"title": {"text": ""}, "autorange": "reversed", "automargin": True})
    return _layout(fig, title, size, height or 120 + 4 * size + len(items) * round(2.2 * size))


def matrix(result: Mapping[str, Any], labels: Mapping[str, str], size: int = FONT_SIZE,
           title: str = "", height: int | None = None) -> go.Figure:
    """The 2x2 of value against effort: each placed item at its mean, the quadrants named."""
    placed = [i for i in result["items"] if i["value"] is not None]
    fig = go.Figure(go.Scatter(
        x=[i["effort"] for i in placed], y=[i["value"] for i in placed], mode="markers+text",
        text=[wrap(labels.get(i["id"], i["id"]), 24) for i in placed], textposition="middle right",
        marker={"size": size, "color": CURRENT_COLOUR, "symbol": "circle"},
        hovertemplate="%{text}<br>value %{y:.1f}, effort %{x:.1f}<extra></extra>", cliponaxis=False))
    low, high = 0.2, 5.8                   # room around the 1-5 scale for the quadrants' names
    for x, y in ((low, high), (high, high), (low, low), (high, low)):
        name = QUADRANTS[(y > 3, x > 3)].capitalize() + "s"          # "Quick wins", as the domain names them
        fig.add_annotation(x=x, y=y, text=f"<b>{name}</b>", showarrow=False,
                           xanchor="left" if x < 3 else "right", yanchor="top" if y > 3 else "bottom",
                           font={"size": round(size * 0.9), "color": "#444444"})
    fig.add_shape(type="line", x0=3, x1=3, y0=low, y1=high, line={"color": "#888888", "dash": "dash"})
    fig.add_shape(type="line", x0=low, x1=high, y0=3, y1=3, line={"color": "#888888", "dash": "dash"})
    axis = {"range": [low, high], "dtick": 1, "gridcolor": "#eeeeee", "zeroline": False}
    fig.update_layout(xaxis={"title": {"text": "Effort (1 little - 5 a lot)"}, **axis},
                      yaxis={"title": {"text": "Value (1 little - 5 a lot)"}, **axis}, showlegend=False)
    fig = _layout(fig, title, size, height or 300 + 14 * size)
    fig.update_traces(textfont={"size": round(size * 0.8)})
    return fig


def words(result: Mapping[str, Any], size: int = FONT_SIZE, top: int = 12,
          height: int | None = None) -> go.Figure | None:
    """The words the approved texts use most, as bars; None when there are none."""
    counted = list(result["words"])[:top]
    if not counted:
        return None
    fig = go.Figure(go.Bar(x=[c for _, c in counted], y=[w for w, _ in counted], orientation="h",
                           marker={"color": DESIRED_COLOUR}, text=[c for _, c in counted],
                           textposition="outside", cliponaxis=False,
                           hovertemplate="%{y}: %{x}<extra></extra>"))
    fig.update_layout(xaxis={"title": {"text": "Answers using it"}, "dtick": 1,
                             "rangemode": "tozero", "gridcolor": "#dddddd"},
                      yaxis={"title": {"text": ""}, "autorange": "reversed", "automargin": True})
    return _layout(fig, "Words used most", size, height or 120 + 4 * size + len(counted) * round(1.6 * size))


def needs_more(r: Mapping[str, Any]) -> str:
    """What a round below the minimum group size says instead of figures."""
    answered = "1 person answered" if r["n"] == 1 else f"{r['n']} people answered"
    return (f"Round {r['number']}: {answered}; results are shown from {r['needed']} answers, so that no "
            "one's answer can be worked out.")


def round_table(kind: str, result: Mapping[str, Any], labels: Mapping[str, str]) -> pd.DataFrame:
    """One round's results as a table for people: one row per item (per side for a rating)."""
    if kind == "rating":
        rows = []
        for side in SIDES:
            s = result[side]
            row = {"Rating": side.capitalize(), "n": s["n"], "Mean": s["mean"], "Median": s["median"],
                   "IQR": s["iqr"]}
            row |= {f"Answered {v}": c for v, c in (s["counts"] or {}).items()}
            if result.get("survey"):
                row |= {"Survey": result["survey"].get(side),
                        "Shift (room minus survey)": result["shift"][side]}
            rows.append(row)
        return pd.DataFrame(rows)
    if kind == "text":
        return pd.DataFrame({"Approved answer": list(result["approved"])})
    columns = COLUMNS[kind]
    return pd.DataFrame([{"Item": labels.get(i["id"], i["id"]), **{name: i[k] for k, name in columns.items()}}
                         for i in result["items"]])


def rounds_table(kind: str, rounds: Sequence[Mapping[str, Any]], labels: Mapping[str, str]) -> pd.DataFrame:
    """Every round of an activity, the whole room and each group that may be shown, in one table;
    a round below the minimum group size is a row that says so, without figures."""
    frames = []
    for r in rounds:
        head = {"Round": r["number"], "Answered": r["n"]}
        if not r.get("results"):
            why = f"fewer than {r['needed']} answered" if r["n"] < r["needed"] else "the round is still open"
            frames.append(pd.DataFrame([{**head, "Group": "Everyone", "Note": f"not shown: {why}"}]))
            continue
        note = f"not shown (too few to show): {', '.join(r['suppressed'])}" if r.get("suppressed") else ""
        parts = [("Everyone", r["results"])] + list(r.get("by_group", {}).items())
        for group, result in parts:
            table = round_table(kind, result, labels)
            frames.append(table.assign(**head, Group=group, Note=note)[
                ["Round", "Answered", "Group", *table.columns, "Note"]])
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


HISTORY_COLUMNS = {"label": "Dimension or statement", "assessment": "Assessment", "workshop": "Workshop",
                   "round": "Round", "n": "Answers", "current": "Room: current", "desired": "Room: desired",
                   "gap": "Room: gap", "survey_current": "Survey: current"}


def history_table(frame: pd.DataFrame) -> pd.DataFrame:
    """workshop.followup.compare's rows for people: named columns, no ids, ordered by item then year."""
    return frame[list(HISTORY_COLUMNS)].rename(columns=HISTORY_COLUMNS)
