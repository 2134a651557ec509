"""An import from file to database: plan (read, recognise, map, validate, report), then commit.

`plan` writes nothing: it returns what would be added and every problem, each with its spreadsheet row
and column. `commit` writes one transaction (the assessment if new, the import batch, the respondents)
or nothing. Re-importing a file, or a later export that overlaps an earlier one, adds only respondents
not yet stored: they are recognised by the platform's respondent id (with the start time, since some
platforms number responses 1, 2, 3 in every form) or, where there is none, by a fingerprint of the row.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb
import numpy as np
import pandas as pd

from .. import assessments, responses
from ..db import cursor, transaction
from ..questionnaire import Questionnaire
from . import batches, files, platforms
from .columns import IGNORE, ColumnMapping, auto_map
from .profiles import MappingProfile, answer_overrides
from .values import NA, importance_scale, map_profile, map_value, normalise, rating_scale

MAX_PROBLEMS = 2000
PREVIEW_STATUS = {"survey preview": "preview response", "survey test": "test response",
                  "spam": "marked as spam", "preview spam": "preview response",
                  "offline preview": "preview response",
                  "1": "preview response", "2": "test response", "8": "marked as spam",
                  "9": "preview response", "17": "preview response"}
NOT_FINISHED = {"false", "0", "no"}


class ImportRefused(ValueError):
    """An import that cannot be written as it stands; the plan says why."""


@dataclass
class Problem:
    row: int | None
    column: str | None
    message: str

    def to_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportPlan:
    file_name: str
    sha256: str
    platform: str
    platform_name: str
    rows_read: int
    mappings: list[ColumnMapping]
    skipped: list[dict] = field(default_factory=list)
    duplicates: int = 0
    problems: list[Problem] = field(default_factory=list)
    problems_total: int = 0
    notes: list[str] = field(default_factory=list)
    batch: responses.ResponseBatch | None = None
    previous_import: batches.ImportBatch | None = None
    fatal: str | None = None
    file_details: dict = field(default_factory=dict)

    @property
    def respondents_to_add(self) -> int:
        return 0 if self.batch is None else len(self.batch.respondents)

    @property
    def columns_ignored(self) -> list[str]:
        return [m.header for m in self.mappings if m.target == IGNORE and m.header]

    @property
    def clean(self) -> bool:
        return self.fatal is None and self.problems_total == 0

    def to_dict(self) -> dict:
        return {
            "file": self.file_name,
            "sha256": self.sha256,
            "platform": self.platform,
            "platform_name": self.platform_name,
            "rows_read": self.rows_read,
            "respondents_to_add": self.respondents_to_add,
            "duplicates": self.duplicates,
            "skipped": len(self.skipped),
            "skipped_rows": self.skipped,
            "columns": [{"column": m.header, "target": m.target, "reason": m.reason} for m in self.mappings],
            "columns_ignored": self.columns_ignored,
            "problems": [p.to_dict() for p in self.problems],
            "problems_total": self.problems_total,
            "notes": self.notes,
            "fatal": self.fatal,
            "previous_import": self.previous_import.to_dict() if self.previous_import else None,
            **self.file_details,
        }


@dataclass
class ImportResult:
    plan: ImportPlan
    assessment: str
    assessment_created: bool
    respondents_added: int
    batch_id: int | None
    dry_run: bool

    def to_dict(self) -> dict:
        doc = self.plan.to_dict()
        doc.update({"assessment": self.assessment, "assessment_created": self.assessment_created,
                    "respondents_added": self.respondents_added, "import_id": self.batch_id,
                    "dry_run": self.dry_run})
        return doc


def source_of(platform: str) -> str:
    return f"import:{platform}"


def plan(
    con: duckdb.DuckDBPyConnection,
    q: Questionnaire,
    file_name: str,
    data: bytes,
    assessment_id: int | None,
    profile: MappingProfile | None = None,
    column_overrides: dict[str, str] | None = None,
    max_bytes: int = files.DEFAULT_MAX_BYTES,
) -> ImportPlan:
    """Everything an import would do, and every problem, without writing anything.

    Raises ImportFileError for a file that cannot be read at all.
    """
    sha256 = hashlib.sha256(data).hexdigest()
    table = files.read(file_name, data, max_bytes=max_bytes)
    export = platforms.detect(table)
    saved = {**(profile.columns if profile else {}), **(column_overrides or {})}
    mappings = auto_map(export, q, saved)
    result = ImportPlan(file_name, sha256, export.platform, export.platform_name, len(export.data),
                        mappings, file_details={"file_kind": table.file_kind, "sheet": table.sheet,
                                                "encoding": table.encoding, "delimiter": table.delimiter,
                                                "header_rows": export.header_rows})
    if assessment_id is not None:
        result.previous_import = batches.find_by_hash(con, assessment_id, sha256)
    if len(export.data) == 0:
        result.fatal = "the file has headers but no responses"
        return result
    targets = {m.index: m.target for m in mappings if m.target != IGNORE}
    if not any(t.endswith((".current", ".desired")) for t in targets.values()):
        result.fatal = ("no column matches a statement of the questionnaire: build the form with the "
                        "form-building guide, or map the columns by hand (or with a saved mapping)")
        return result
    _note_order_assumptions(result)
    _build(result, export, targets, q, profile, con, assessment_id)
    return result


def _note_order_assumptions(result: ImportPlan) -> None:
    by_order = [m for m in result.mappings if "because it is the" in m.reason]
    if by_order:
        result.notes.append(
            f"{len(by_order)} statement columns say neither current nor desired in their header; the first "
            "column of each statement was read as current and the second as desired. Check the mapping.")


def _add_problem(result: ImportPlan, row: int | None, column: str | None, message: str) -> None:
    result.problems_total += 1
    if len(result.problems) < MAX_PROBLEMS:
        result.problems.append(Problem(row, column, message))


def _text(series: pd.Series) -> pd.Series:
    """Cells as stripped text (object dtype), with empty cells as None."""
    values = [None if pd.isna(v) else (str(v).strip() or None) for v in series.to_numpy()]
    return pd.Series(values, index=series.index, dtype=object)


_GMT = re.compile(r"\s*GMT([+-]\d{1,2})(?::?(\d{2}))?$")


def parse_times(series: pd.Series) -> pd.Series:
    """Timestamps in the formats exports use, as naive UTC; unreadable cells become NaT.

    ISO (`2024-03-14 09:02:11`), US (`3/14/24 9:02:11`, `03/14/2024 09:02:11 AM`) and Google's
    `2026/05/20 1:43:01 PM GMT+1`.
    """
    text = series.astype("string").str.strip()

    def gmt(match: re.Match) -> str:
        return f" {int(match.group(1)):+03d}:{match.group(2) or '00'}"

    text = text.str.replace(_GMT, gmt, regex=True)
    parsed = pd.to_datetime(text, errors="coerce", format="ISO8601", utc=True)
    rest = parsed.isna() & text.notna()
    if rest.any():
        parsed[rest] = pd.to_datetime(text[rest], errors="coerce", format="mixed", utc=True)
    return parsed.dt.tz_localize(None)


def _skip_reasons(export: platforms.Export, answered: pd.Series) -> pd.Series:
    """Why each data row is skipped (None when kept)."""
    reasons = pd.Series([None] * len(export.data), dtype=object)
    roles = export.roles
    if "status" in roles:
        status = _text(export.data[roles["status"]]).map(lambda v: PREVIEW_STATUS.get(normalise(v))
                                                         if v else None)
        reasons = reasons.where(status.isna() | reasons.notna(), status)
    if "finished" in roles:
        unfinished = _text(export.data[roles["finished"]]).map(lambda v: bool(v) and normalise(v)
                                                               in NOT_FINISHED)
        reasons[unfinished & reasons.isna()] = "incomplete (not finished)"
    if export.platform == platforms.LIMESURVEY and "completed" in roles:
        no_submit = _text(export.data[roles["completed"]]).isna()
        reasons[no_submit & reasons.isna()] = "incomplete (no submit date)"
    reasons[~answered & reasons.isna()] = "no answers"
    return reasons


def _identities(export: platforms.Export, targets: dict[int, str], started: pd.Series) -> pd.Series:
    """The respondent's identity in the platform, or a fingerprint of the whole row."""
    id_col = next((i for i, t in targets.items() if t == "respondent_id"), export.roles.get("respondent_id"))
    # A fixed-key 64-bit hash of every cell of the row: the same row gives the same print in every run.
    hashed = pd.util.hash_pandas_object(export.data.astype(object).fillna(""), index=False)
    fingerprint = pd.Series([f"fp:{h:016x}" for h in hashed.to_numpy()], index=export.data.index)
    if id_col is None:
        return fingerprint
    ids = _text(export.data[id_col])
    when = started.dt.strftime("%Y-%m-%dT%H:%M:%S").where(started.notna(), None)
    ident = ids.where(when.isna(), ids + "|" + when.fillna(""))
    return ident.where(ids.notna(), fingerprint)


def _build(result: ImportPlan, export: platforms.Export, targets: dict[int, str], q: Questionnaire,
           profile: MappingProfile | None, con: duckdb.DuckDBPyConnection, assessment_id: int | None) -> None:
    data = export.data
    header = {c.index: c.header for c in export.columns}
    answer_cols = [i for i, t in targets.items() if t not in (
        "respondent_id", "started", "completed", "status", "finished")]
    answered = data[answer_cols].notna().any(axis=1) if answer_cols else pd.Series(False, index=data.index)
    reasons = _skip_reasons(export, answered)

    started_col = next((i for i, t in targets.items() if t == "started"), None)
    completed_col = next((i for i, t in targets.items() if t == "completed"), None)
    started = parse_times(data[started_col]) if started_col is not None else pd.Series(
        pd.NaT, index=data.index, dtype="datetime64[ns]")
    completed = parse_times(data[completed_col]) if completed_col is not None else started.copy()
    for col, parsed in ((started_col, started), (completed_col, completed)):
        if col is not None:
            bad = parsed.isna() & data[col].notna()
            if bad.any():
                result.notes.append(f"{int(bad.sum())} dates in column '{header[col]}' could not be read; "
                                    "those responses get the import time instead")

    identity = _identities(export, targets, started)
    kept = reasons.isna()
    duplicate_in_file = identity.duplicated() & kept
    existing: set[str] = set()
    if assessment_id is not None:
        with cursor(con) as cur:
            existing = responses.external_ids(cur, assessment_id, source_of(export.platform))
    already = identity.isin(existing) & kept
    result.duplicates = int((duplicate_in_file | already).sum())
    kept &= ~(duplicate_in_file | already)
    result.skipped = [{"row": export.file_row(i), "reason": r} for i, r in reasons.items() if r]

    keep_idx = np.flatnonzero(kept.to_numpy())
    rows = data.iloc[keep_idx]
    now = datetime.now(UTC).replace(tzinfo=None)
    done = completed.iloc[keep_idx]
    respondents = pd.DataFrame({
        "key": keep_idx,
        "source": source_of(export.platform),
        "external_id": identity.iloc[keep_idx].to_numpy(),
        "started_at": started.iloc[keep_idx].to_numpy(),
        "completed_at": done.fillna(now).to_numpy(),
    })
    overrides = answer_overrides(profile)
    result.batch = responses.ResponseBatch(
        respondents=respondents,
        profile=_profile_rows(result, rows, targets, header, q, export),
        answers=_answer_rows(result, rows, targets, header, q, export, overrides),
        importance=_importance_rows(result, rows, targets, header, q, export, overrides),
        comments=_comment_rows(result, rows, targets, header, export),
    )


def _mapped(result: ImportPlan, column: pd.Series, lookup: dict, top: int, name: str,
            export: platforms.Export, expected: str) -> pd.Series:
    """Map one answer column through a label lookup; unknown labels become problems and blanks."""
    uniques = column.dropna().unique()
    mapping = {}
    unknown = set()
    for raw in uniques:
        value, known = map_value(raw, lookup, top)
        mapping[raw] = value
        if not known:
            unknown.add(raw)
    mapped = column.map(mapping)
    if unknown:
        for idx, raw in column[column.isin(unknown)].items():
            _add_problem(result, export.file_row(idx), name,
                         f"unknown answer '{raw}': expected {expected}")
    return mapped


def _answer_rows(result, rows, targets, header, q, export, overrides) -> pd.DataFrame:
    lookup = {**rating_scale(q), **overrides}
    expected = (", ".join(f"{p.value} {p.label}" for p in q.scale) + f", or {q.not_applicable_label}")
    columns_of: dict[str, dict[str, int]] = {}
    for idx, target in targets.items():
        sid, _, side = target.partition(".")
        if side in ("current", "desired"):
            columns_of.setdefault(sid, {})[side] = idx
    keys = rows.index.to_numpy()
    parts = []
    for s in q.statements:
        cols = columns_of.get(s.id)
        if not cols:
            continue
        frame = {"key": keys, "statement_id": s.id}
        for side in ("current", "desired"):
            if side in cols:
                mapped = _mapped(result, rows[cols[side]], lookup, q.scale_max, header[cols[side]],
                                 export, expected)
                is_na = (mapped == NA).to_numpy()
                numbers = pd.to_numeric(mapped.where(~is_na), errors="coerce").to_numpy()
            else:
                is_na = np.zeros(len(keys), dtype=bool)
                numbers = np.full(len(keys), np.nan)
            frame[side] = numbers
            frame[f"{side}_na"] = is_na
        part = pd.DataFrame(frame)
        parts.append(part[part["current"].notna() | part["current_na"] | part["desired"].notna()
                          | part["desired_na"]])
    if not parts:
        return responses.empty_batch().answers
    answers = pd.concat(parts, ignore_index=True)
    return answers.astype({"current": "Int64", "desired": "Int64"})


def _importance_rows(result, rows, targets, header, q, export, overrides) -> pd.DataFrame:
    lookup = {**importance_scale(q), **overrides}
    expected = ", ".join(f"{p.value} {p.label}" for p in q.importance_scale)
    parts = []
    for idx, target in targets.items():
        kind, _, did = target.partition(".")
        if kind != "importance":
            continue
        mapped = _mapped(result, rows[idx], lookup, len(q.importance_scale), header[idx], export, expected)
        numbers = pd.to_numeric(mapped.where(mapped != NA), errors="coerce")
        keep = numbers.notna()
        parts.append(pd.DataFrame({"key": rows.index[keep], "dimension_id": did,
                                   "value": numbers[keep].astype(int).to_numpy()}))
    return pd.concat(parts, ignore_index=True) if parts else responses.empty_batch().importance


def _profile_rows(result, rows, targets, header, q, export) -> pd.DataFrame:
    parts = []
    for idx, target in targets.items():
        kind, _, pid = target.partition(".")
        if kind != "profile":
            continue
        options = q.profile_question(pid).options
        mapping = {}
        for raw in rows[idx].dropna().unique():
            value, known = map_profile(raw, options)
            mapping[raw] = value if known else None
            if not known:
                for row_idx in rows.index[rows[idx] == raw]:
                    _add_problem(result, export.file_row(row_idx), header[idx],
                                 f"'{raw}' is not an option of this question (options: {'; '.join(options)})")
        values = rows[idx].map(mapping)
        keep = values.notna()
        parts.append(pd.DataFrame({"key": rows.index[keep], "field": pid, "value": values[keep].to_numpy()}))
    return pd.concat(parts, ignore_index=True) if parts else responses.empty_batch().profile


def _comment_rows(result, rows, targets, header, export) -> pd.DataFrame:
    parts = []
    for idx, target in targets.items():
        kind, _, cid = target.partition(".")
        if kind != "comment":
            continue
        texts = _text(rows[idx])
        too_long = texts.map(lambda t: isinstance(t, str) and len(t) > responses.MAX_TEXT).astype(bool)
        for row_idx in rows.index[too_long]:
            _add_problem(result, export.file_row(row_idx), header[idx],
                         f"comment is longer than {responses.MAX_TEXT} characters")
        keep = texts.notna() & ~too_long
        parts.append(pd.DataFrame({"key": rows.index[keep], "question_id": cid,
                                   "text": texts[keep].to_numpy()}))
    return pd.concat(parts, ignore_index=True) if parts else responses.empty_batch().comments


def commit(
    con: duckdb.DuckDBPyConnection,
    q: Questionnaire,
    the_plan: ImportPlan,
    slug: str,
    *,
    accept_warnings: bool = False,
    new_assessment: dict | None = None,
) -> ImportResult:
    """Write a plan in one transaction, creating the assessment if it does not exist yet.

    Refused (ImportRefused) when the plan is fatal, or has problems and `accept_warnings` is False.
    Problem cells are stored as blanks when accepted.
    """
    if the_plan.fatal:
        raise ImportRefused(the_plan.fatal)
    if the_plan.problems_total and not accept_warnings:
        raise ImportRefused(f"{the_plan.problems_total} problems in the file: fix them, or accept them "
                            "(the cells concerned are left blank)")
    created = False
    added = 0
    batch_id = None
    with transaction(con) as cur:
        try:
            a = assessments.fetch(cur, slug)
        except assessments.AssessmentError:
            a = assessments.create(con, slug, q, cur=cur, **(new_assessment or {}))
            created = True
        batch = the_plan.batch
        if batch is not None and len(batch.respondents):
            existing = responses.external_ids(cur, a.id, source_of(the_plan.platform))
            fresh = ~batch.respondents["external_id"].isin(existing)
            if not fresh.all():           # another import landed meanwhile: keep only the new ones
                keys = set(batch.respondents["key"][fresh])
                batch = responses.ResponseBatch(*(f[f["key"].isin(keys)] for f in (
                    batch.respondents, batch.profile, batch.answers, batch.importance, batch.comments)))
            added = len(batch.respondents)
        if added:
            batch_id = batches.record(cur, a.id, the_plan.file_name, the_plan.sha256, the_plan.platform,
                                      the_plan.rows_read, added, the_plan.duplicates, len(the_plan.skipped))
            responses.add(con, a.id, q, batch, import_batch_id=batch_id, cur=cur)
    return ImportResult(the_plan, slug, created, added, batch_id, dry_run=False)


def undo(con: duckdb.DuckDBPyConnection, batch_id: int) -> int:
    """Remove the respondents an import added; return how many. The import stays listed as undone."""
    found = batches.get(con, batch_id)
    if found is None:
        raise ImportRefused(f"there is no import with id {batch_id}")
    if found.undone_at is not None:
        raise ImportRefused(f"import {batch_id} ({found.file_name}) was already undone")
    with transaction(con) as cur:
        removed = responses.delete_import(cur, batch_id)
        batches.mark_undone(cur, batch_id)
    return removed
