"""Scores of an assessment, computed in DuckDB SQL and returned as DataFrames.

Every formula is written out in docs/scoring.md and shown in the app beside the figures. In short:
a respondent's dimension score is the mean of their answered statements (N/A and blanks excluded); a
dimension's current and desired are the means of those respondent scores; gap = desired - current.
Groups (the whole assessment, or each value of a profile field) smaller than the assessment's minimum
group size are never scored: they are reported as suppressed, by name only.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from scipy.special import stdtrit

from pmostep.core import anonymity
from pmostep.core.errors import PMOStepError
from pmostep.core.numbers import rounded
from pmostep.core.questionnaire import MAX_STATEMENTS, NOT_STATED, Questionnaire
from pmostep.foundation.assessments import Assessment
from pmostep.store import db, responses
from pmostep.store.db import cursor

ALL = "All respondents"
CONFIDENCE = 0.95
STATEMENT_DISAGREEMENT_IQR = 1.5   # on the 1-5 scale: the middle half of answers spans 1.5 points or more
DIMENSION_DISAGREEMENT_IQR = 1.0   # respondent means spread less than single answers, so a lower bar
MIN_N_FOR_FLAG = 3
NEUTRAL_IMPORTANCE = 3.0           # used when nobody rated a dimension's importance
CLEAR_DIFFERENCE_Z = 1.96          # a 95 % two-sided call on the difference of two group means

DIMENSION_COLUMNS = [
    "id", "name", "n", "n_na", "current", "current_median", "current_sd", "current_iqr",
    "current_ci_low", "current_ci_high", "n_desired", "desired", "desired_median", "desired_sd",
    "desired_iqr", "desired_ci_low", "desired_ci_high", "gap", "gap_ci_low", "gap_ci_high", "importance",
    "n_importance", "priority", "priority_rank", "level", "level_name", "desired_level",
    "desired_level_name", "alpha", "n_alpha", "disagreement", "suppressed",
]
STATEMENT_COLUMNS = [
    "id", "dimension_id", "text", "n", "n_na", "n_held", "current", "current_median", "current_sd",
    "current_iqr", "current_ci_low", "current_ci_high", "n_desired", "n_desired_na", "n_desired_held",
    "desired", "desired_median", "desired_sd", "desired_iqr", "desired_ci_low", "desired_ci_high", "gap",
    "gap_ci_low", "gap_ci_high",
    "priority", "level", "level_name", "disagreement", "suppressed",
]
CURRENT_FIGURES = ["current", "current_median", "current_sd", "current_iqr", "current_ci_low",
                   "current_ci_high", "alpha"]
DESIRED_FIGURES = ["desired", "desired_median", "desired_sd", "desired_iqr", "desired_ci_low",
                   "desired_ci_high"]
EPSILON = 1e-9     # thresholds compare with a tolerance: 2.6667 - 1.6667 must count as 1.0


class ScoringError(PMOStepError):
    """A scoring request that cannot be answered (unknown breakdown field ...)."""


@dataclass
class GroupScores:
    """Scores of one group of respondents (the whole assessment, or one value of a profile field)."""

    group: str
    respondents: int
    overall: dict[str, Any]
    dimensions: pd.DataFrame
    statements: pd.DataFrame


@dataclass
class ScoreReport:
    assessment: str
    questionnaire_id: str
    questionnaire_version: int
    min_group_size: int
    respondents: int
    by: str | None
    groups: list[GroupScores] = field(default_factory=list)
    suppressed: list[str] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    withheld: str | None = None        # why a filtered view shows nothing (pmostep/core/anonymity.py)
    instead: list[dict[str, list[str]]] = field(default_factory=list)   # filters that may be shown
    published: int = 0                 # completed respondents whose answers figures may use
    pending: int = 0                   # completed respondents waiting to be published

    @property
    def whole(self) -> GroupScores | None:
        """The whole-assessment scores, or None when the assessment itself is below the minimum size."""
        return self.groups[0] if self.by is None and self.groups else None

    def to_dict(self, with_statements: bool = True) -> dict[str, Any]:
        """The public JSON shape of `python -m pmostep scores --format json`."""

        def block(g: GroupScores) -> dict[str, Any]:
            out = {"respondents": g.respondents, "overall": g.overall,
                   "dimensions": _records(g.dimensions)}
            if with_statements:
                out["statements"] = _records(g.statements)
            return out

        reason = (f"fewer than {self.min_group_size} respondents, or part of a set of respondents that is "
                  "only shown together")
        doc: dict[str, Any] = {
            "assessment": self.assessment,
            "questionnaire": {"id": self.questionnaire_id, "version": self.questionnaire_version},
            "min_group_size": self.min_group_size,
            "respondents": self.respondents,
        }
        if self.filters:
            doc["filters"] = self.filters
        doc["published"], doc["pending"] = self.published, self.pending
        if self.withheld:
            doc["withheld"] = self.withheld
            doc["allowed_instead"] = self.instead
        if self.by is None:
            whole = self.whole
            doc["suppressed"] = whole is None
            if whole is None:
                doc["reason"] = self.withheld or reason
                doc.update({"overall": None, "dimensions": [], "statements": []} if with_statements
                           else {"overall": None, "dimensions": []})
            else:
                doc.update(block(whole))
        else:
            doc["by"] = self.by
            doc["groups"] = [{"group": g.group, **block(g)} for g in self.groups]
            doc["suppressed"] = [{"group": name, "reason": reason} for name in self.suppressed]
        return doc


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as JSON-ready dicts, with NaN as null and floats rounded for reading."""
    out = []
    for row in frame.to_dict(orient="records"):
        clean = {}
        for key, value in row.items():
            if isinstance(value, (float, np.floating)):
                value = None if math.isnan(value) else rounded(value, 4)
            elif isinstance(value, np.integer):
                value = int(value)
            elif isinstance(value, np.bool_):
                value = bool(value)
            clean[key] = value
        out.append(clean)
    return out


# The respondents in scope (the views of responses.bind_scope, bound by Scope.bind), their block and
# their group.
# `{group}` is filled with a fixed expression (no user text). The large GROUP BYs run on integer keys
# (grp_no, block, dimension_no, statement_no), several times faster than on text; names are joined
# back on the few result rows.
_RESPONDENTS = """
resp AS (
    SELECT r.respondent_id, r.block, {group} AS grp
    FROM scope_respondents r
    LEFT JOIN scope_profile p ON p.respondent_id = r.respondent_id AND p.field = $field
),
groups AS (SELECT grp, row_number() OVER (ORDER BY grp) AS grp_no FROM (SELECT DISTINCT grp FROM resp)),
resp_no AS (SELECT respondent_id, block, grp_no FROM resp JOIN groups USING (grp)),
items AS (
    SELECT statement_id, dimension_id, position AS statement_no,
           dense_rank() OVER (ORDER BY dimension_id) AS dimension_no,
           row_number() OVER (PARTITION BY dimension_id ORDER BY position) AS item,
           count(*) OVER (PARTITION BY dimension_id) AS k
    FROM statements
),
dims AS (SELECT DISTINCT dimension_no, dimension_id, k FROM items),
-- Counted ratings (docs/scoring.md, "Groups and anonymity" rule 3): ratings of the (block,
-- statement) pairs in held_ratings (Scope.bind) are held back; N/A answers stay counted.
ans AS (
    SELECT resp_no.grp_no, resp_no.block, a.respondent_id, items.dimension_no, items.statement_no,
           items.item, a.current_na, a.desired_na,
           CASE WHEN h.current THEN NULL ELSE a.current END AS current,
           CASE WHEN h.desired THEN NULL ELSE a.desired END AS desired,
           coalesce(h.current AND a.current IS NOT NULL, false) AS cur_held,
           coalesce(h.desired AND a.desired IS NOT NULL, false) AS des_held
    FROM scope_answers a
    JOIN resp_no USING (respondent_id)
    JOIN items USING (statement_id)
    LEFT JOIN held_ratings h ON h.block = resp_no.block AND h.statement_id = a.statement_id
)"""

# The (block, statement) pairs of a view whose ratings are held back: fewer than the minimum of the
# block's people rated the statement (current and desired apart). Few rows, so every query above
# joins them cheaply; see docs/scoring.md, "Groups and anonymity" rule 3.
_HELD_RATINGS = """
SELECT a.block, a.statement_id,
       count(a.current) < $min_size AS current, count(a.desired) < $min_size AS desired
FROM scope_answers a
GROUP BY a.block, a.statement_id
HAVING count(a.current) < $min_size OR count(a.desired) < $min_size"""
# Likewise the (block, dimension) pairs whose importance ratings are held back.
_HELD_IMPORTANCE = """
SELECT i.block, i.dimension_id
FROM scope_importance i
GROUP BY i.block, i.dimension_id HAVING count(*) < $min_size"""

# A respondent's dimension score: the mean of the statements they rated (NULLs are N/A or blank).
# c1..c5 keep each statement's rating (by its place in the dimension) for Cronbach's alpha, so alpha
# needs no second pass over the answers.
_ITEMS = ", ".join(
    f"max(current) FILTER (WHERE item = {i}) AS c{i}" for i in range(1, MAX_STATEMENTS + 1)
)
_ITEM_NAMES = ", ".join(f"c{i}" for i in range(1, MAX_STATEMENTS + 1))
# Alpha uses only respondents who rated every current-state statement of the dimension (complete).
_ITEM_VARIANCES = " + ".join(
    f"coalesce(var_samp(c{i}) FILTER (WHERE complete), 0)" for i in range(1, MAX_STATEMENTS + 1)
)
_DIMENSIONS = "WITH " + _RESPONDENTS + """,
person AS (
    SELECT grp_no, block, respondent_id, dimension_no,
           avg(current) AS cur, count(current) AS cur_items, bool_or(current_na) AS cur_na,
           avg(desired) AS des, """ + _ITEMS + """
    FROM ans GROUP BY grp_no, block, respondent_id, dimension_no
),
-- Counted ratings make every block's dimension scores number 0 or at least the minimum (a counted
-- rating comes with at least the minimum of others in its block); alpha's complete raters are
-- counted per block the same way.
scored AS (
    SELECT person.*, person.cur_items = dims.k AS rated_all FROM person JOIN dims USING (dimension_no)
),
alpha_counted AS (
    SELECT block, dimension_no, count(*) FILTER (WHERE rated_all) >= $min_size AS all_ok
    FROM scored GROUP BY block, dimension_no
),
rd AS (
    SELECT scored.*, rated_all AND all_ok AS complete
    FROM scored JOIN alpha_counted USING (block, dimension_no)
),
stats AS (
    SELECT grp_no, dimension_no,
           count(cur) AS n,
           count(*) FILTER (WHERE cur IS NULL AND cur_na) AS n_na,
           avg(cur) AS current, stddev_samp(cur) AS current_sd,
           quantile_cont(cur, [0.25, 0.5, 0.75]) AS current_q,
           count(des) AS n_desired,
           avg(des) AS desired, stddev_samp(des) AS desired_sd,
           quantile_cont(des, [0.25, 0.5, 0.75]) AS desired_q,
           count(*) FILTER (WHERE complete) AS n_alpha,
           var_samp(cur * cur_items) FILTER (WHERE complete) AS total_var,
           """ + _ITEM_VARIANCES + """ AS sum_item_var
    FROM rd
    GROUP BY grp_no, dimension_no
),
imp AS (
    SELECT resp.grp, i.dimension_id, avg(i.value) AS importance, count(*) AS n_importance
    FROM scope_importance i JOIN resp USING (respondent_id)
    ANTI JOIN held_importance h ON h.block = resp.block AND h.dimension_id = i.dimension_id
    GROUP BY resp.grp, i.dimension_id
)
SELECT groups.grp, dims.dimension_id, n, n_na, current, current_q[2] AS current_median, current_sd,
       current_q[3] - current_q[1] AS current_iqr,
       n_desired, desired, desired_q[2] AS desired_median, desired_sd,
       desired_q[3] - desired_q[1] AS desired_iqr,
       imp.importance, coalesce(imp.n_importance, 0) AS n_importance,
       CASE WHEN dims.k > 1 AND n_alpha >= 3 AND total_var > 0
            THEN dims.k / (dims.k - 1.0) * (1 - sum_item_var / total_var) END AS alpha,
       n_alpha
FROM stats
JOIN groups USING (grp_no)
JOIN dims USING (dimension_no)
LEFT JOIN imp ON imp.grp = groups.grp AND imp.dimension_id = dims.dimension_id"""

_STATEMENTS = "WITH " + _RESPONDENTS + """
SELECT groups.grp, items.statement_id, n, n_na, n_held, current, current_q[2] AS current_median,
       current_sd, current_q[3] - current_q[1] AS current_iqr, n_desired, n_desired_na, n_desired_held,
       desired, desired_q[2] AS desired_median, desired_sd, desired_q[3] - desired_q[1] AS desired_iqr
FROM (
    SELECT grp_no, statement_no,
           count(current) AS n, count(*) FILTER (WHERE current_na) AS n_na,
           avg(current) AS current, stddev_samp(current) AS current_sd,
           quantile_cont(current, [0.25, 0.5, 0.75]) AS current_q,
           count(desired) AS n_desired, count(*) FILTER (WHERE desired_na) AS n_desired_na,
           avg(desired) AS desired, stddev_samp(desired) AS desired_sd,
           quantile_cont(desired, [0.25, 0.5, 0.75]) AS desired_q,
           count(*) FILTER (WHERE cur_held) AS n_held, count(*) FILTER (WHERE des_held) AS n_desired_held
    FROM ans GROUP BY grp_no, statement_no
) s
JOIN groups USING (grp_no)
JOIN items USING (statement_no)"""


def _t(n: pd.Series) -> pd.Series:
    """Two-sided Student t quantile for a 95 % interval with n - 1 degrees of freedom (NaN below n=2)."""
    df = n.astype(float) - 1
    return pd.Series(np.where(df >= 1, stdtrit(df.clip(lower=1), 0.5 + CONFIDENCE / 2), np.nan),
                     index=n.index)


def _ci(mean: pd.Series, sd: pd.Series, n: pd.Series) -> tuple[pd.Series, pd.Series]:
    half = _t(n) * sd / np.sqrt(n.astype(float))
    return mean - half, mean + half


def level_of(score: float, q: Questionnaire) -> int | None:
    """The named level a score has reached: its whole part (2.7 has reached level 2, not yet 3)."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return None
    return int(min(max(math.floor(score + EPSILON), q.scale_min), q.scale_max))


def _levels(scores: pd.Series, q: Questionnaire) -> tuple[pd.Series, pd.Series]:
    levels = scores.map(lambda s: level_of(s, q)).astype("Int64")
    names = levels.map(lambda v: q.level_label(int(v)) if pd.notna(v) else None)
    return levels, names


def _intervals(frame: pd.DataFrame) -> None:
    """95 % intervals of current, desired and the gap, added to the frame in place."""
    frame["current_ci_low"], frame["current_ci_high"] = _ci(frame["current"], frame["current_sd"], frame["n"])
    frame["desired_ci_low"], frame["desired_ci_high"] = _ci(frame["desired"], frame["desired_sd"],
                                                            frame["n_desired"])
    frame["gap"] = frame["desired"] - frame["current"]
    # Conservative interval for a difference of two means: the two standard errors added in quadrature,
    # with the smaller group's degrees of freedom.
    se = np.sqrt(frame["current_sd"] ** 2 / frame["n"] + frame["desired_sd"] ** 2 / frame["n_desired"])
    half = _t(frame[["n", "n_desired"]].min(axis=1)) * se
    frame["gap_ci_low"], frame["gap_ci_high"] = frame["gap"] - half, frame["gap"] + half


def _suppress_small_cells(frame: pd.DataFrame, min_size: int) -> None:
    """Figures resting on fewer than `min_size` ratings are blanked, so no one's answer shows through.

    Only the counts stay. Importance from too few ratings is blanked too (priority then uses the
    neutral weight).
    """
    few_current = frame["n"] < min_size
    few_desired = frame["n_desired"] < min_size
    frame.loc[few_current, CURRENT_FIGURES] = np.nan
    frame.loc[few_desired, DESIRED_FIGURES] = np.nan
    frame["suppressed"] = few_current | few_desired
    if "importance" in frame:
        frame.loc[frame["n_importance"] < min_size, "importance"] = np.nan


def _finish_dimensions(raw: pd.DataFrame, q: Questionnaire, min_size: int) -> pd.DataFrame:
    order = {d.id: i for i, d in enumerate(q.dimensions)}
    names = {d.id: d.name for d in q.dimensions}
    frame = raw.rename(columns={"dimension_id": "id"})
    frame = frame.assign(
        name=frame["id"].map(names), _order=frame["id"].map(order)
    ).sort_values("_order").drop(columns="_order").reset_index(drop=True)
    frame["disagreement"] = (frame["n"] >= max(MIN_N_FOR_FLAG, min_size)) & (
        frame["current_iqr"] >= DIMENSION_DISAGREEMENT_IQR - EPSILON
    )
    _suppress_small_cells(frame, min_size)
    _intervals(frame)
    weight = frame["importance"].fillna(NEUTRAL_IMPORTANCE)
    frame["priority"] = frame["gap"].clip(lower=0) * weight
    frame["priority_rank"] = frame["priority"].rank(ascending=False, method="min").astype("Int64")
    frame["level"], frame["level_name"] = _levels(frame["current"], q)
    frame["desired_level"], frame["desired_level_name"] = _levels(frame["desired"], q)
    return frame[DIMENSION_COLUMNS]


def _finish_statements(raw: pd.DataFrame, q: Questionnaire, dims: pd.DataFrame,
                       min_size: int) -> pd.DataFrame:
    order = {s.id: i for i, s in enumerate(q.statements)}
    texts = {s.id: s.text for s in q.statements}
    frame = raw.rename(columns={"statement_id": "id"})
    frame = frame.assign(text=frame["id"].map(texts), _order=frame["id"].map(order))
    frame = frame.sort_values("_order").drop(columns="_order").reset_index(drop=True)
    frame["disagreement"] = (frame["n"] >= max(MIN_N_FOR_FLAG, min_size)) & (
        frame["current_iqr"] >= STATEMENT_DISAGREEMENT_IQR - EPSILON
    )
    _suppress_small_cells(frame, min_size)
    _intervals(frame)
    importance = frame["dimension_id"].map(dims.set_index("id")["importance"]).astype(float)
    frame["priority"] = frame["gap"].clip(lower=0) * importance.fillna(NEUTRAL_IMPORTANCE)
    frame["level"], frame["level_name"] = _levels(frame["current"], q)
    return frame[STATEMENT_COLUMNS]


def _complete_rows(raw: pd.DataFrame, ids: list[str], key: str) -> pd.DataFrame:
    """Every dimension or statement appears, with n = 0, even when nobody rated it."""
    present = set(raw[key])
    missing = [i for i in ids if i not in present]
    if not missing:
        return raw
    filler = pd.DataFrame({key: missing})
    for col in raw.columns:
        if col != key:
            filler[col] = 0 if col.startswith("n") else np.nan
    return pd.concat([raw, filler], ignore_index=True) if len(raw) else filler


def overall_index(dims: pd.DataFrame, q: Questionnaire) -> dict[str, Any]:
    """The maturity index: the plain mean over the dimensions scored for both current and desired.

    Using the same dimensions on both sides keeps the overall gap a like-for-like difference.
    """
    both = dims[dims["current"].notna() & dims["desired"].notna()]
    if both.empty:
        return {"current": None, "desired": None, "gap": None, "level": None, "level_name": None,
                "desired_level": None, "desired_level_name": None, "percent": None, "dimensions_scored": 0}
    current = float(both["current"].mean())
    desired = float(both["desired"].mean())
    level, desired_level = level_of(current, q), level_of(desired, q)
    return {
        "current": rounded(current, 4),
        "desired": rounded(desired, 4),
        "gap": rounded(desired - current, 4),
        "level": level,
        "level_name": q.level_label(level),
        "desired_level": desired_level,
        "desired_level_name": q.level_label(desired_level),
        "percent": rounded((current - q.scale_min) / (q.scale_max - q.scale_min) * 100, 1),
        "dimensions_scored": len(both),
    }


def score(
    con: duckdb.DuckDBPyConnection,
    assessment: Assessment,
    q: Questionnaire,
    by: str | None = None,
    filters: Mapping[str, Collection[str]] | None = None,
    published: anonymity.Publication | None = None,
) -> ScoreReport:
    """Scores for the whole assessment, or for each group of a profile field (`by`).

    `filters` limits the respondents to those whose profile answers are among the given values
    (field id -> values; 'Not stated' matches those who did not answer the field). Only published
    respondents count, and only views the anonymity rules allow are scored (pmostep/core/anonymity.py);
    `published` is the assessment's publication where the caller has it already (it names the
    respondents explicitly, so figures over it stay right even if answers arrived since).
    """
    _check_field(by, q, "break down by")
    with _scoped(con, assessment, q, filters, published) as (cur, scope):
        pub, view = scope.publication, scope.view
        report = ScoreReport(assessment.slug, q.id, q.version, assessment.min_group_size,
                             int(view.members.sum()), by, filters=scope.filters, withheld=view.withheld,
                             instead=view.instead, published=pub.published, pending=pub.pending)
        present = pub.values(view.members, by) if by else []
        if view.withheld:
            shown = {}
        elif by:
            shown = pub.shown_groups(view.members, by)
        else:
            shown = {ALL: report.respondents} if report.respondents else {}
        report.suppressed = [ALL] if by is None and not shown else sorted(set(present) - set(shown))
        if not shown:
            return report
        group = f"coalesce(p.value, '{NOT_STATED}')" if by else f"'{ALL}'"
        params = {"field": by or ""}
        dims_raw = cur.execute(_DIMENSIONS.format(group=group),
                               {**params, "min_size": assessment.min_group_size}).df()
        stmts_raw = cur.execute(_STATEMENTS.format(group=group), params).df()

    for grp in _group_order(list(shown), q, by):
        d_raw = _complete_rows(dims_raw[dims_raw["grp"] == grp].drop(columns="grp"),
                               [d.id for d in q.dimensions], "dimension_id")
        s_raw = _complete_rows(stmts_raw[stmts_raw["grp"] == grp].drop(columns="grp"),
                               [s.id for s in q.statements], "statement_id")
        s_raw["dimension_id"] = s_raw["statement_id"].map({s.id: s.dimension_id for s in q.statements})
        dims = _finish_dimensions(d_raw, q, assessment.min_group_size)
        stmts = _finish_statements(s_raw, q, dims, assessment.min_group_size)
        report.groups.append(GroupScores(grp, int(shown[grp]), overall_index(dims, q), dims, stmts))
    return report


def _check_field(field_id: str | None, q: Questionnaire, purpose: str) -> None:
    if field_id is not None and field_id not in {p.id for p in q.profile}:
        fields = ", ".join(p.id for p in q.profile)
        raise ScoringError(f"cannot {purpose} '{field_id}': the profile fields are {fields}")


@dataclass(frozen=True)
class Scope:
    """The respondents a view may show (the published respondents the filters keep; none when the view
    is withheld), with the publication behind it. `bind` a cursor to it before querying."""

    ids: np.ndarray
    blocks: np.ndarray                  # each respondent's block, for the counted-ratings rule
    filters: dict[str, list[str]]
    publication: anonymity.Publication
    view: anonymity.View

    def bind(self, cur: duckdb.DuckDBPyConnection, q: Questionnaire, min_size: int | None) -> None:
        """Give the cursor what the queries here read: the scope's rows (responses.bind_scope), the
        questionnaire's statements in order (table `statements`) and, with `min_size`, the ratings the
        view holds back (only queries that read ratings need them: 0.2 s at 100,000 respondents)."""
        responses.bind_scope(cur, self.ids, self.blocks)
        cur.register("statements", pd.DataFrame(
            [(st.id, st.dimension_id, i) for i, st in enumerate(q.statements)],
            columns=["statement_id", "dimension_id", "position"]))
        if min_size is not None:
            for name, sql in (("held_ratings", _HELD_RATINGS), ("held_importance", _HELD_IMPORTANCE)):
                cur.register(name, cur.execute(sql, {"min_size": min_size}).df())


@contextmanager
def _scoped(con: duckdb.DuckDBPyConnection, assessment: Assessment, q: Questionnaire,
            filters: Mapping[str, Collection[str]] | None,
            published: anonymity.Publication | None,
            ratings: bool = True) -> Iterator[tuple[duckdb.DuckDBPyConnection, Scope]]:
    """A transaction whose cursor is bound to the respondents a view may show (and, to read `ratings`,
    to the ratings it holds back), and that view's scope."""
    scope = respondent_scope(q, filters, published or publication(con, assessment, q))
    with responses.analytics(con, assessment.id) as cur:
        scope.bind(cur, q, assessment.min_group_size if ratings else None)
        yield cur, scope


def publication(con: duckdb.DuckDBPyConnection, assessment: Assessment,
                q: Questionnaire) -> anonymity.Publication:
    """Who is published, in which blocks (stored by responses.publish, which first takes in any
    response not yet considered): over every profile field a view can filter or break down by."""
    fields = [p.id for p in q.profile]
    with cursor(con) as cur:
        read_only = db.read_only(cur)
    if not read_only:            # a read-only copy: use the publication stored in it as it is
        responses.publish(con, assessment.id, fields, assessment.min_group_size)
    with responses.analytics(con, assessment.id) as cur:      # on PostgreSQL, the copy: no round trip
        people = responses.arrivals(cur, assessment.id, fields)
    shown = people[people["block"].notna() & ~people["withdrawn"]]
    table = shown.set_index("id")[["block", *fields]].astype({"block": "int64"})
    return anonymity.Publication(assessment.min_group_size, tuple(fields), table, len(people))


def respondent_scope(q: Questionnaire, filters: Mapping[str, Collection[str]] | None,
                     published: anonymity.Publication) -> Scope:
    """The respondents that filters keep among the published ones, if the view may be shown.

    Fields with no values chosen do not filter. The SQL is fixed text: the respondent ids are a
    parameter, and field ids and values never enter it.
    """
    chosen = {f: sorted(set(v)) for f, v in sorted((filters or {}).items()) if v}
    for field_id, values in chosen.items():
        _check_field(field_id, q, "filter by")
        options = [*q.profile_question(field_id).options, NOT_STATED]
        if unknown := [v for v in values if v not in options]:
            raise ScoringError(f"cannot filter {field_id} by {', '.join(map(repr, unknown))}: its options "
                               f"are {', '.join(map(repr, options))}")
    view = published.view(chosen)
    members = np.zeros_like(view.members) if view.withheld else view.members
    ids = np.asarray(published.ids(members), dtype=np.int64)
    blocks = published.table["block"].to_numpy(dtype=np.int64)[members]
    return Scope(ids, blocks, chosen, published, view)


def _group_order(groups: list[str], q: Questionnaire, by: str | None) -> list[str]:
    """Groups in the questionnaire's option order, then others alphabetically, 'Not stated' last."""
    if by is None:
        return groups
    options = list(q.profile_question(by).options)
    rank = {o: i for i, o in enumerate(options)}
    return sorted(groups, key=lambda g: (g == NOT_STATED, rank.get(g, len(options)), g))


_DISTRIBUTION = "WITH " + _RESPONDENTS + """
SELECT items.statement_id, 'current' AS side,
       CASE WHEN ans.current_na THEN 'na' ELSE CAST(ans.current AS VARCHAR) END AS answer, count(*) AS n
FROM ans JOIN items USING (statement_no)
WHERE items.dimension_id = $dimension AND (ans.current IS NOT NULL OR ans.current_na)
GROUP BY ALL
UNION ALL
SELECT items.statement_id, 'desired' AS side,
       CASE WHEN ans.desired_na THEN 'na' ELSE CAST(ans.desired AS VARCHAR) END AS answer, count(*) AS n
FROM ans JOIN items USING (statement_no)
WHERE items.dimension_id = $dimension AND (ans.desired IS NOT NULL OR ans.desired_na)
GROUP BY ALL"""


def distribution(con: duckdb.DuckDBPyConnection, assessment: Assessment, q: Questionnaire,
                 dimension_id: str, filters: Mapping[str, Collection[str]] | None = None,
                 published: anonymity.Publication | None = None) -> pd.DataFrame:
    """How many respondents gave each answer (1..5 or 'na') to each statement of a dimension.

    Statements rated by fewer people than the minimum group size are left out, as in every output;
    so is everything when the view may not be shown (pmostep/core/anonymity.py).
    """
    q.dimension(dimension_id)     # KeyError for an unknown dimension
    with _scoped(con, assessment, q, filters, published) as (cur, scope):
        params = {"field": "", "dimension": dimension_id}
        counts = cur.execute(_DISTRIBUTION.format(group=f"'{ALL}'"), params).df()
    if not len(scope.ids):
        return counts.iloc[0:0]
    rated = counts[counts["answer"] != "na"].groupby(["statement_id", "side"])["n"].sum()
    keep = rated[rated >= assessment.min_group_size].reset_index()[["statement_id", "side"]]
    counts = counts.merge(keep, on=["statement_id", "side"])
    order = {s.id: i for i, s in enumerate(q.dimension(dimension_id).statements)}
    ordered = counts.assign(_o=counts["statement_id"].map(order)).sort_values(["_o", "side", "answer"])
    return ordered.drop(columns="_o").reset_index(drop=True)


def open_answers(con: duckdb.DuckDBPyConnection, assessment: Assessment, q: Questionnaire,
                 filters: Mapping[str, Collection[str]] | None = None,
                 published: anonymity.Publication | None = None) -> pd.DataFrame:
    """The open answers of the published respondents a view may show (none if it is withheld)."""
    with _scoped(con, assessment, q, filters, published, ratings=False) as (cur, _):
        return responses.open_answers(cur)


def respondent_rows(con: duckdb.DuckDBPyConnection, assessment: Assessment, q: Questionnaire,
                    filters: Mapping[str, Collection[str]] | None,
                    shown_groups: Collection[str]) -> pd.DataFrame:
    """One row per published respondent in the view, its ratings in questionnaire order (only when a
    user asks for raw rows). The group is the only profile field, and it is blank for the groups below
    the minimum size; numbers follow a hash, not the order of submission."""
    with _scoped(con, assessment, q, filters, None, ratings=False) as (cur, _):
        rows = responses.answer_rows(cur)
    rows["grp"] = rows["grp"].where(rows["grp"].isin(list(shown_groups)), "")
    wide = rows.pivot(index=["respondent", "grp"], columns="statement_id", values=["current", "desired"])
    wide.columns = [f"{s} {side}" for side, s in wide.columns]
    ordered = [f"{s.id} {side}" for s in q.statements for side in ("current", "desired")]
    wide = wide.reindex(columns=ordered).reset_index()
    return wide.rename(columns={"respondent": "Respondent", "grp": "Stakeholder group"})


def clear_difference(a: pd.DataFrame, b: pd.DataFrame, measure: str = "current") -> pd.Series:
    """Whether two groups' means differ beyond noise, per dimension id (`a`, `b`: dimension frames).

    A difference is clear when it exceeds CLEAR_DIFFERENCE_Z standard errors of a difference of two
    independent means (docs/scoring.md); False where either figure is unknown. One test for the
    Stakeholder groups page, the trend and the diagnosis (planning/diagnosis.py), so they never disagree.
    """
    if measure not in ("current", "desired"):
        raise ValueError(f"a clear difference is called on current or desired, not {measure!r}")
    n_col = "n" if measure == "current" else "n_desired"
    da, db = a.set_index("id"), b.set_index("id")
    se = np.sqrt(da[f"{measure}_sd"] ** 2 / da[n_col] + db[f"{measure}_sd"] ** 2 / db[n_col])
    return ((da[measure] - db[measure]).abs() > CLEAR_DIFFERENCE_Z * se).fillna(False).astype(bool)


def alpha_reading(alpha: float | None) -> str:
    """Cronbach's alpha in words (the bands of docs/scoring.md)."""
    if alpha is None or alpha != alpha:
        return "Not enough people rated every statement of this dimension to tell."
    if alpha >= 0.8:
        return "The statements hang together well: the dimension's score can be read as one."
    if alpha >= 0.7:
        return "The statements hang together acceptably."
    if alpha >= 0.6:
        return "The statements hang together questionably: look at them one by one as well."
    return "The statements describe different things: read this dimension statement by statement."
