"""What changed between an organisation's assessments: the maturity index over time, and per dimension.

Assessments are matched by dimension id, so a later questionnaire version still compares on the
dimensions both share. A change is called clear as a difference between groups is (tables.py).
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from pmostep.foundation.assessments import Assessment
from pmostep.planning.scoring import GroupScores, ScoreReport


def label(a: Assessment, others: list[Assessment]) -> str:
    """'Sep 2025', or with the slug when two assessments started in the same month."""
    when = a.start_date or a.created_at.date()
    text = when.strftime("%b %Y")
    same = [o for o in others if (o.start_date or o.created_at.date()).strftime("%b %Y") == text]
    return f"{text} ({a.slug})" if len(same) > 1 else text


def index_series(points: list[tuple[Assessment, ScoreReport]]) -> pd.DataFrame:
    """The overall maturity index of each assessment, oldest first; None where it may not be shown."""
    everyone = [a for a, _ in points]
    rows = []
    for a, report in points:
        overall = report.whole.overall if report.whole else {}
        rows.append({"Assessment": label(a, everyone), "Name": a.name,
                     "Respondents": report.respondents if report.whole else None,
                     "Current": overall.get("current"), "Desired": overall.get("desired"),
                     "Gap": overall.get("gap"), "Shown": report.whole is not None})
    return pd.DataFrame(rows)


def relabelled(scores: GroupScores, name: str) -> GroupScores:
    """The same scores under another name (an assessment's label instead of a group's)."""
    return dataclasses.replace(scores, group=name)
