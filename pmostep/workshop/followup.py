"""The room's ratings across years: what this assessment's workshops and those of its earlier
assessments (a follow-up's chain, foundation.assessments.earlier) said of the same dimension or statement.

Built on live.activity_results, so only rounds that were revealed and shown (at least the minimum group
size answered, docs/workshop.md "Anonymity") are compared; a round below the minimum is never a row.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from pmostep.foundation import assessments
from pmostep.foundation.assessments import Assessment
from pmostep.workshop import live

COLUMNS = ["item", "label", "assessment", "workshop", "round", "n", "current", "desired", "gap",
           "survey_current"]


def latest_ratings(activities: list[dict], assessment: str, workshop: str) -> list[dict]:
    """Per rated item, the latest revealed and shown round of a workshop's rating activities."""
    rows: dict[str, dict] = {}
    for act in activities:
        if act["kind"] != "rating":
            continue
        shown = [r for r in act["rounds"] if r.get("revealed") and r.get("shown") and r["results"]]
        if not shown:
            continue
        last = shown[-1]
        res = last["results"]
        item = act["items"][0]
        rows[item["id"]] = {"item": item["id"], "label": item["label"], "assessment": assessment,
                            "workshop": workshop, "round": last["number"], "n": last["n"],
                            "current": res["current"]["mean"], "desired": res["desired"]["mean"],
                            "gap": res["gap"], "survey_current": (res.get("survey") or {}).get("current")}
    return list(rows.values())


def compare(con: duckdb.DuckDBPyConnection, a: Assessment) -> pd.DataFrame:
    """The items this assessment's workshops rated, with what earlier assessments' workshops said of
    them, oldest first per item (empty when no earlier workshop rated any of them)."""
    rows, now, before = [], set(), set()
    for each in [*assessments.earlier(con, a), a]:
        for w in reversed(live.list_for(con, each.id)):           # oldest workshop first
            found = latest_ratings(live.activity_results(con, w["id"]), each.name, w["title"])
            (now if each.id == a.id else before).update(r["item"] for r in found)
            rows += found
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame[frame["item"].isin(now & before)].reset_index(drop=True)
