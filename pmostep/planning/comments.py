"""The open answers, as a workshop reads them: by topic, by group, with the words people use most.

Anonymity follows docs/scoring.md: comments are only shown inside a view that may be shown at all,
and a commenter's stakeholder group is named only when that group may be shown; the others are
pooled under one label, which by rule 2 covers at least the minimum number of people.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from pmostep.core.questionnaire import Questionnaire

TOPICS_FILE = Path(__file__).resolve().parents[2] / "data" / "comment_topics.yaml"
POOLED_GROUP = "A group too small to name"
_STOP_TEXT = """
a about after all also always am an and any are as at be because been before being but by can could
did do does doing done each even ever every for from get gets had has have having he her here him his
how i if in into is it its just least less let like make makes more most much must my never no nobody
not now of off often on once one only or other our out over own same see should so some such than that
the their them then there these they this those through to too under until up us very was we were what
when where which while who why will with within without would yet you your
project projects
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())     # "project" too: nearly every comment here says it
WORD = re.compile(r"[a-zA-Z][a-zA-Z'-]+")


@cache
def topics(path: Path = TOPICS_FILE) -> dict[str, tuple[str, ...]]:
    """Dimension id -> keywords, from data/comment_topics.yaml."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {dim: tuple(str(k).lower() for k in words) for dim, words in raw.items()}


def _pattern(keywords: Collection[str]) -> re.Pattern:
    """Keywords as word starts: 'templat' matches 'templates', 'stop' does not match 'nonstop'."""
    return re.compile(r"\b(?:" + "|".join(re.escape(k) for k in sorted(keywords)) + ")", re.IGNORECASE)


def visible(answers: pd.DataFrame, shown_groups: Collection[str], q: Questionnaire) -> pd.DataFrame:
    """The comments with the group named only where the group may be shown, and questions by text."""
    questions = {c.id: c.text for c in q.comments}
    table = answers.assign(
        question=answers["question_id"].map(questions).fillna(answers["question_id"]),
        group=answers["grp"].where(answers["grp"].isin(list(shown_groups)), POOLED_GROUP),
    )
    return table[["question", "group", "text"]].reset_index(drop=True)


def about(comments: pd.DataFrame, dimension_id: str | None, search: str = "") -> pd.DataFrame:
    """The comments on one dimension's topic (by its keywords) and containing the search text."""
    keep = pd.Series(True, index=comments.index)
    if dimension_id:
        keep &= comments["text"].str.contains(_pattern(topics()[dimension_id]))
    if search.strip():
        keep &= comments["text"].str.contains(search.strip(), case=False, regex=False)
    return comments[keep]


def topic_counts(comments: pd.DataFrame, q: Questionnaire) -> pd.DataFrame:
    """How many comments touch each dimension's topic, most first (a comment can touch several)."""
    rows = [(d.name, int(comments["text"].str.contains(_pattern(topics()[d.id])).sum()))
            for d in q.dimensions if d.id in topics()]
    table = pd.DataFrame(rows, columns=["Dimension", "Comments"])
    return table.sort_values(["Comments", "Dimension"], ascending=[False, True]).reset_index(drop=True)


def term_counts(texts: Collection[str], top: int = 15) -> pd.DataFrame:
    """The most used words (stop words left out), counted once per comment so one long rant cannot lead."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update({w for w in (m.lower().strip("'-") for m in WORD.findall(text))
                       if len(w) > 2 and w not in STOP_WORDS})
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return pd.DataFrame(ranked, columns=["Word", "Comments"])
