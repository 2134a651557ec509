"""Every round's results as one long table (one row per activity, round, group, item and measure): the
CSV of `python -m pmostep workshop results --format csv` and of the results page. Pure."""

from __future__ import annotations

from typing import Any

import pandas as pd

COLUMNS = ["activity_id", "activity", "kind", "round", "n", "group", "item", "item_name", "measure", "value"]
ROOM = "All participants"


def _figures(kind: str, results: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(item, measure, value) of one result block (the room's or one group's)."""
    if kind == "rating":
        out = []
        for side in ("current", "desired"):
            spread = results[side]
            out += [("", f"{side}_{k}", spread[k]) for k in ("n", "mean", "median", "iqr")]
            out += [("", f"{side}_count_{v}", c) for v, c in (spread["counts"] or {}).items()]
        out.append(("", "gap", results["gap"]))
        for source in ("survey", "shift"):
            out += [("", f"{source}_{k}", v) for k, v in (results.get(source) or {}).items()]
        return out
    if kind == "text":
        return ([("", "approved_text", t) for t in results["approved"]]
                + [(w, "word_count", c) for w, c in results["words"]] + [("", "pending", results["pending"])])
    return [(row["id"], k, v) for row in results["items"] for k, v in row.items() if k != "id"]


def long_table(activities: list[dict]) -> pd.DataFrame:
    """From live.activity_results: a round below the minimum size gives its count only."""
    rows = []
    for act in activities:
        names = {i["id"]: i["label"] for i in act.get("items", [])}
        rating_item = next(iter(names), "") if act["kind"] == "rating" else None
        for r in act["rounds"]:
            head = [act["id"], act["title"], act["kind"], r["number"], r["n"]]
            if r["results"] is None:
                rows.append([*head, ROOM, "", "", "answered", r["n"]])
                continue
            blocks = [(ROOM, r["results"]), *r["by_group"].items()]
            for group, results in blocks:
                for item, measure, value in _figures(act["kind"], results):
                    item = rating_item if rating_item is not None else item
                    rows.append([*head, group, item, names.get(item, ""), measure, value])
    return pd.DataFrame(rows, columns=COLUMNS, dtype=object)      # values mix counts, means and texts
