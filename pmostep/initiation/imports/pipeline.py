"""An import from file to database: prepare (read, recognise, map, validate, report), then commit.

`prepare` writes nothing: it returns what would be added and every problem, each with its spreadsheet row
and column. `commit` writes one transaction (the assessment if new, the import batch, the respondents)
or nothing. Re-importing a file, or a later export that overlaps an earlier one, adds only respondents
not yet stored: they are recognised by the platform's respondent id (with the start time, since some
platforms number responses 1, 2, 3 in every form) or, where there is none, by a fingerprint of the row.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pmostep.core.errors import PMOStepError
from pmostep.core.questionnaire import Questionnaire
from pmostep.foundation import assessments
from pmostep.initiation.imports import batches, files, platforms
from pmostep.initiation.imports.columns import IGNORE, ColumnMapping, auto_map, drop_duplicate_targets
from pmostep.initiation.imports.columns import META_TARGETS as META
from pmostep.initiation.imports.encoding import REPLACEMENT
from pmostep.initiation.imports.profiles import MappingProfile, answer_overrides
from pmostep.initiation.imports.values import (
    NA,
    importance_scale,
    map_profile,
    map_value,
    normalise,
    rating_scale,
)
from pmostep.store import responses
from pmostep.store.db import cursor

MAX_PROBLEMS = 2000
PREVIEW_STATUS = {"survey preview": "preview response", "survey test": "test response",
                  "spam": "marked as spam", "preview spam": "preview response",
                  "offline preview": "preview response",
                  "1": "preview response", "2": "test response", "8": "marked as spam",
                  "9": "preview response", "17": "preview response"}
NOT_FINISHED = {"false", "0", "no"}


# One import at a time per process: two commits of overlapping files must not both see "not yet
# stored" and both write (DuckDB allows a single writing process, so a process lock is enough).
WRITE_LOCK = threading.Lock()


class ImportRefused(PMOStepError):
    """An import that cannot be written as it stands; the prepared import says why."""


@dataclass
class Problem:
    row: int | None
    column: str | None
    message: str

    def to_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class PreparedImport:
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
    platform_signs: list[str] = field(default_factory=list)   # what in the file named the platform

    @property
    def respondents_to_add(self) -> int:
        return 0 if self.batch is None else len(self.batch.respondents)

    @property
    def columns_ignored(self) -> list[str]:
        return [m.header for m in self.mappings if m.target == IGNORE and m.header]

    @property
    def clean(self) -> bool:
        return self.fatal is None and self.problems_total == 0

    def mapping_profile(self, name: str, base: MappingProfile | None = None) -> MappingProfile:
        """The column mapping this prepared import used, to save under `name` (answers kept from `base`)."""
        used = {m.header: m.target for m in self.mappings if m.header}
        return MappingProfile(name, self.platform, used, base.answers if base else {})

    def to_dict(self) -> dict:
        return {
            "file": self.file_name,
            "sha256": self.sha256,
            "platform": self.platform,
            "platform_name": self.platform_name,
            "platform_signs": self.platform_signs,
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
    prepared: PreparedImport
    assessment: str
    assessment_created: bool
    respondents_added: int
    batch_id: int | None
    dry_run: bool

    def to_dict(self) -> dict:
        doc = self.prepared.to_dict()
        doc.update({"assessment": self.assessment, "assessment_created": self.assessment_created,
                    "respondents_added": self.respondents_added, "import_id": self.batch_id,
                    "dry_run": self.dry_run})
        return doc


def source_of(platform: str) -> str:
    return f"import:{platform}"


@dataclass
class LoadedFile:
    """A file read and recognised once, so the app can prepare it again with new mappings cheaply."""

    file_name: str
    sha256: str
    table: files.RawTable
    export: platforms.Export
    undecodable: list[tuple[int, int]] = field(default_factory=list)   # (data row, column), now blank


def load_file(file_name: str, data: bytes, max_bytes: int = files.DEFAULT_MAX_BYTES,
              encoding: str | None = None, limits: files.Limits | None = None) -> LoadedFile:
    """Read and recognise a file. Raises ImportFileError for a file that cannot be read at all."""
    table = files.read(file_name, data, max_bytes=max_bytes, encoding=encoding, limits=limits)
    export = platforms.detect(table)
    undecodable = _blank_undecodable(export) if table.replaced else []
    return LoadedFile(file_name, hashlib.sha256(data).hexdigest(), table, export, undecodable)


def _blank_undecodable(export: platforms.Export) -> list[tuple[int, int]]:
    """The data cells with bytes the encoding could not decode, which are blanked (and reported): like
    any problem cell, they are left blank if the user imports anyway."""
    found, columns = [], []
    for idx, column in enumerate(export.data.columns):
        bad = pc.fill_null(pc.match_substring(column, REPLACEMENT), False)
        rows = np.flatnonzero(bad.to_numpy(zero_copy_only=False))
        found += [(int(r), idx) for r in rows]
        columns.append(pc.if_else(bad, pa.scalar(None, pa.string()), column) if len(rows) else column)
    export.data = pa.table(columns, names=export.data.column_names)
    return sorted(found)


def prepare(
    con: duckdb.DuckDBPyConnection,
    q: Questionnaire,
    file_name: str,
    data: bytes,
    assessment_id: int | None,
    profile: MappingProfile | None = None,
    max_bytes: int = files.DEFAULT_MAX_BYTES,
    encoding: str | None = None,
    limits: files.Limits | None = None,
) -> PreparedImport:
    """Everything importing this file would do, and every problem, without writing anything."""
    loaded = load_file(file_name, data, max_bytes, encoding, limits)
    return prepare_loaded(con, q, loaded, assessment_id, profile)


def prepare_loaded(
    con: duckdb.DuckDBPyConnection,
    q: Questionnaire,
    loaded: LoadedFile,
    assessment_id: int | None,
    profile: MappingProfile | None = None,
    column_overrides: dict[int, str] | None = None,
) -> PreparedImport:
    """A loaded file prepared for import; `column_overrides` (column position -> target) are by hand."""
    table, export = loaded.table, loaded.export
    mappings = auto_map(export, q, profile.columns if profile else None)
    if column_overrides:
        for m in mappings:
            if m.index in column_overrides and column_overrides[m.index] != m.target:
                m.target, m.reason = column_overrides[m.index], "set by hand"
        drop_duplicate_targets(mappings)
    result = PreparedImport(loaded.file_name, loaded.sha256, export.platform, export.platform_name,
                        len(export.data), mappings,
                        file_details={"file_kind": table.file_kind, "sheet": table.sheet,
                                      "encoding": table.encoding, "encoding_guessed": table.encoding_guessed,
                                      "delimiter": table.delimiter, "header_rows": export.header_rows},
                        platform_signs=export.signs)
    if table.encoding_note:
        result.notes.append(table.encoding_note)
    if table.replaced:
        result.notes.append(f"{table.replaced} byte sequences in the file are not valid {table.encoding}; "
                            "they show as '\ufffd' and the cells concerned are listed as problems")
    if assessment_id is not None:
        result.previous_import = batches.find_by_hash(con, assessment_id, loaded.sha256)
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
    _file_problems(result, loaded, targets)
    return result


def _file_problems(result: PreparedImport, loaded: LoadedFile, targets: dict[int, str]) -> None:
    """Cells the file itself spoils, in the columns and responses that are imported: bytes that are
    not text in the file's encoding, and formula cells saved without their value."""
    kept = set(result.batch.respondents["key"]) if result.batch is not None else set()
    header = {c.index: c.header for c in loaded.export.columns}
    for row, idx in loaded.undecodable:
        if row in kept and idx in targets:
            _add_problem(result, loaded.export.file_row(row), header[idx],
                         f"bytes that are not {loaded.table.encoding} text (the cell is left blank; "
                         "choose another text encoding if many cells are affected)")
    first_data_row = loaded.table.first_row + loaded.export.header_rows
    for cell in loaded.table.formula_cells:
        if cell.row - first_data_row in kept and (cell.index is None or cell.index in targets):
            column = header.get(cell.index) if cell.index is not None else None
            _add_problem(result, cell.row, column or f"column {cell.column}",
                         f"cell {cell.column}{cell.row} is a formula saved without its value (it would be "
                         "empty): open the file in Excel and save it again, or type the value")


def _note_order_assumptions(result: PreparedImport) -> None:
    by_order = [m for m in result.mappings if "because it is the" in m.reason]
    if by_order:
        result.notes.append(
            f"{len(by_order)} statement columns say neither current nor desired in their header; the first "
            "column of each statement was read as current and the second as desired. Check the mapping.")


def _add_problem(result: PreparedImport, row: int | None, column: str | None, message: str) -> None:
    result.problems_total += 1
    if len(result.problems) < MAX_PROBLEMS:
        result.problems.append(Problem(row, column, message))


def _texts(data, idx: int) -> list[str | None]:
    """One column's cells as stripped text, None when empty (for the small columns)."""
    return [None if v is None or not str(v).strip() else str(v).strip()
            for v in data.column(idx).to_pylist()]


_GMT = re.compile(r"\s*GMT([+-]\d{1,2})(?::?(\d{2}))?$")


def parse_times(series: pd.Series, wall_clock: bool = False) -> pd.Series:
    """Timestamps in the formats exports use, as naive UTC; unreadable cells become NaT.

    ISO (`2024-03-14 09:02:11`), US (`3/14/24 9:02:11`, `03/14/2024 09:02:11 AM`) and Google's
    `2026/05/20 1:43:01 PM GMT+1`. With `wall_clock` an offset is dropped instead of applied: the
    time as the form owner saw it, which is what other exports of the same form (without offsets) show.
    """
    text = series.astype("string").str.strip()

    def gmt(match: re.Match) -> str:
        return "" if wall_clock else f" {int(match.group(1)):+03d}:{match.group(2) or '00'}"

    text = text.str.replace(_GMT, gmt, regex=True)
    parsed = pd.to_datetime(text, errors="coerce", format="ISO8601", utc=True)
    rest = parsed.isna() & text.notna()
    if rest.any():
        parsed[rest] = pd.to_datetime(text[rest], errors="coerce", format="mixed", utc=True)
    return parsed.dt.tz_localize(None)


def _skip_reasons(export: platforms.Export, answered: np.ndarray) -> list[str | None]:
    """Why each data row is skipped (None when kept)."""
    reasons: list[str | None] = [None] * len(export.data)
    roles = export.roles
    if "status" in roles:
        for i, v in enumerate(_texts(export.data, roles["status"])):
            if v and normalise(v) in PREVIEW_STATUS:
                reasons[i] = PREVIEW_STATUS[normalise(v)]
    if "finished" in roles:
        for i, v in enumerate(_texts(export.data, roles["finished"])):
            if reasons[i] is None and v and normalise(v) in NOT_FINISHED:
                reasons[i] = "incomplete (not finished)"
    if export.platform == platforms.LIMESURVEY and "completed" in roles:
        for i, v in enumerate(_texts(export.data, roles["completed"])):
            if reasons[i] is None and v is None:
                reasons[i] = "incomplete (no submit date)"
    for i in np.flatnonzero(~answered):
        if reasons[i] is None:
            reasons[i] = "no answers"
    return reasons


def _answer_digests(export: platforms.Export, targets: dict[int, str],
                    minutes: list[str | None]) -> list[str]:
    """A digest of each row's start minute and answer cells, taken in target order.

    Only what the respondent answered counts, so the same responses give the same digest whether the
    export is .xlsx or .csv, its columns reordered, its dates written another way, or a question added.
    """
    answer_cols = sorted((t, i) for i, t in targets.items() if t not in META)
    columns = [pa.array(minutes, type=pa.string())] + [export.data.column(i) for _, i in answer_cols]
    table = pa.table(columns, names=[f"c{n}" for n in range(len(columns))])
    cells = ", ".join(f"coalesce(trim(c{n}), '')" for n in range(len(columns)))
    with duckdb.connect() as local:                   # computed on the file's rows, whatever the store
        local.register("export_rows", table)
        rows = local.execute(
            f"SELECT substr(md5(concat_ws(chr(31), {cells})), 1, 24) FROM export_rows").fetchall()
    return [r[0] for r in rows]


def _identities(export: platforms.Export, targets: dict[int, str], started: pd.Series) -> pd.Series:
    """Who each row is: the platform's respondent id with the start minute (some platforms number
    responses 1, 2, 3 in every form), or with a digest of the answers where the row has no readable
    time; without an id, a digest of the start minute and the answers. Every row gets one, whatever
    its cells: incomplete LimeSurvey responses have no date, and any export may have a bad date cell.
    """
    minutes = started.dt.strftime("%Y-%m-%dT%H:%M").astype(object).where(started.notna(), None).tolist()
    id_col = next((i for i, t in targets.items() if t == "respondent_id"), export.roles.get("respondent_id"))
    ids = _texts(export.data, id_col) if id_col is not None else [None] * len(minutes)
    needs_digest = any(ident is None or minute is None for ident, minute in zip(ids, minutes, strict=True))
    digests = _answer_digests(export, targets, minutes) if needs_digest else []
    identity = pd.Series([f"fp:{digests[n]}" if ident is None else f"{ident}|{minutes[n] or digests[n]}"
                          for n, ident in enumerate(ids)], dtype=object)
    # Rows without an id are different people even when their answers are the same (a quick poll):
    # the second one is 'fp:...#2', so only a row imported earlier is a duplicate, and a later export
    # holding one more such row adds that one.
    again = identity[identity.duplicated()]          # grouping only the repeats: 43 ms, not 0.9 s, at 100k
    again = again[again.str.startswith("fp:")]
    if len(again):
        identity[again.index] = again + "#" + (again.groupby(again).cumcount() + 2).astype(str)
    return identity


def _build(result: PreparedImport, export: platforms.Export, targets: dict[int, str], q: Questionnaire,
           profile: MappingProfile | None, con: duckdb.DuckDBPyConnection, assessment_id: int | None) -> None:
    data = export.data
    header = {c.index: c.header for c in export.columns}
    answer_cols = [i for i, t in targets.items() if t not in META]
    answered = np.zeros(len(data), dtype=bool)
    for i in answer_cols:
        answered |= pc.is_valid(data.column(i)).to_numpy(zero_copy_only=False)
    reasons = _skip_reasons(export, answered)

    started_col = next((i for i, t in targets.items() if t == "started"), None)
    completed_col = next((i for i, t in targets.items() if t == "completed"), None)
    empty = pd.Series(pd.NaT, index=range(len(data)), dtype="datetime64[ns]")
    started = parse_times(pd.Series(_texts(data, started_col))) if started_col is not None else empty
    completed = parse_times(pd.Series(_texts(data, completed_col))) if completed_col is not None else started
    for col, parsed in ((started_col, started), (completed_col, completed)):
        if col is not None:
            bad = int((parsed.isna() & pc.is_valid(data.column(col)).to_numpy(zero_copy_only=False)).sum())
            if bad:
                result.notes.append(f"{bad} dates in column '{header[col]}' could not be read; "
                                    "those responses get the import time instead")

    # The identity's time is the wall clock of the start (or completion): the times just parsed, unless
    # the cells carry a GMT offset, which the wall clock drops instead of applying.
    wall_clock = started if started_col is not None else completed
    when_col = started_col if started_col is not None else completed_col
    if when_col is not None:
        when_text = pd.Series(_texts(data, when_col)).astype("string")
        if when_text.str.contains("GMT", regex=False).any():
            wall_clock = parse_times(when_text, wall_clock=True)
    identity = _identities(export, targets, wall_clock)
    kept = pd.Series([r is None for r in reasons])
    duplicate_in_file = identity.duplicated() & kept
    existing: set[str] = set()
    if assessment_id is not None:
        with cursor(con) as cur:
            existing = responses.external_ids(cur, assessment_id, source_of(export.platform))
    already = identity.isin(existing) & kept
    result.duplicates = int((duplicate_in_file | already).sum())
    kept &= ~(duplicate_in_file | already)
    result.skipped = [{"row": export.file_row(i), "reason": r} for i, r in enumerate(reasons) if r]

    keep_idx = np.flatnonzero(kept.to_numpy())
    now = datetime.now(UTC).replace(tzinfo=None)
    respondents = pd.DataFrame({
        "key": keep_idx,
        "source": source_of(export.platform),
        "external_id": identity.to_numpy()[keep_idx],
        "started_at": started.to_numpy()[keep_idx],
        "completed_at": completed.astype("datetime64[us]").fillna(pd.Timestamp(now)).to_numpy()[keep_idx],
    })
    ctx = _Context(result, export, header, keep_idx)
    overrides = answer_overrides(profile)
    result.batch = responses.ResponseBatch(
        respondents=respondents,
        profile=_profile_rows(ctx, targets, q),
        answers=_answer_rows(ctx, targets, q, overrides),
        importance=_importance_rows(ctx, targets, q, overrides),
        comments=_comment_rows(ctx, targets),
    )


@dataclass
class _Context:
    result: PreparedImport
    export: platforms.Export
    header: dict[int, str]
    keep: np.ndarray          # data row positions that become respondents

    def problem(self, data_row: int, idx: int, message: str) -> None:
        _add_problem(self.result, self.export.file_row(data_row), self.header[idx], message)


def _coded(ctx: _Context, idx: int, lookup: dict, top: int, expected: str) -> tuple[np.ndarray, np.ndarray]:
    """(values, is_na) of one answer column for the kept rows, mapping each distinct label once.

    Values are floats (NaN for blank or unknown). Unknown labels are reported with their rows.
    """
    encoded = pc.dictionary_encode(ctx.export.data.column(idx).combine_chunks())
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    labels = encoded.dictionary.to_pylist()
    values = np.full(len(labels) + 1, np.nan)      # the extra last slot serves code -1 (empty cell)
    is_na = np.zeros(len(labels) + 1, dtype=bool)
    unknown = []
    for code, raw in enumerate(labels):
        value, known = map_value(raw, lookup, top)
        if not known:
            unknown.append(code)
        elif value == NA:
            is_na[code] = True
        elif value is not None:
            values[code] = value
    kept_codes = codes[ctx.keep]
    if unknown:
        bad = np.isin(kept_codes, unknown)
        for row in ctx.keep[bad]:
            ctx.problem(int(row), idx, f"unknown answer '{labels[codes[row]]}': expected {expected}")
    return values[kept_codes], is_na[kept_codes]


def _answer_rows(ctx: _Context, targets: dict[int, str], q: Questionnaire, overrides: dict) -> pd.DataFrame:
    lookup = {**rating_scale(q), **overrides}
    expected = ", ".join(f"{p.value} {p.label}" for p in q.scale) + f", or {q.not_applicable_label}"
    columns_of: dict[str, dict[str, int]] = {}
    for idx, target in targets.items():
        sid, _, side = target.partition(".")
        if side in ("current", "desired"):
            columns_of.setdefault(sid, {})[side] = idx
    n = len(ctx.keep)
    ids = [s.id for s in q.statements]
    position = {sid: i for i, sid in enumerate(ids)}
    parts: dict[str, list[np.ndarray]] = {k: [] for k in (
        "key", "statement_id", "current", "current_na", "desired", "desired_na")}
    for s in q.statements:
        cols = columns_of.get(s.id)
        if not cols:
            continue
        sides = {}
        for side in ("current", "desired"):
            if side in cols:
                sides[side] = _coded(ctx, cols[side], lookup, q.scale_max, expected)
            else:
                sides[side] = (np.full(n, np.nan), np.zeros(n, dtype=bool))
        (cur, cur_na), (des, des_na) = sides["current"], sides["desired"]
        present = ~np.isnan(cur) | cur_na | ~np.isnan(des) | des_na
        parts["key"].append(ctx.keep[present])
        parts["statement_id"].append(np.full(int(present.sum()), position[s.id], dtype=np.int16))
        arrays = {"current": cur, "current_na": cur_na, "desired": des, "desired_na": des_na}
        for name, array in arrays.items():
            parts[name].append(array[present])
    if not parts["key"]:
        return responses.empty_batch().answers
    frame = pd.DataFrame({k: np.concatenate(v) for k, v in parts.items()})
    # Statement ids as a categorical: 4.8 million small codes instead of 4.8 million strings.
    frame["statement_id"] = pd.Categorical.from_codes(frame["statement_id"], categories=ids)
    return frame.astype({"current": "Int64", "desired": "Int64"})


def _importance_rows(ctx: _Context, targets: dict[int, str], q: Questionnaire,
                     overrides: dict) -> pd.DataFrame:
    lookup = {**importance_scale(q), **overrides}
    expected = ", ".join(f"{p.value} {p.label}" for p in q.importance_scale)
    keys, dims, values = [], [], []
    for idx, target in targets.items():
        kind, _, did = target.partition(".")
        if kind != "importance":
            continue
        numbers, _ = _coded(ctx, idx, lookup, len(q.importance_scale), expected)
        present = ~np.isnan(numbers)
        keys.append(ctx.keep[present])
        dims.append(np.full(int(present.sum()), did, dtype=object))
        values.append(numbers[present].astype(int))
    if not keys:
        return responses.empty_batch().importance
    return pd.DataFrame({"key": np.concatenate(keys), "dimension_id": np.concatenate(dims),
                         "value": np.concatenate(values)})


def _profile_rows(ctx: _Context, targets: dict[int, str], q: Questionnaire) -> pd.DataFrame:
    parts = []
    for idx, target in targets.items():
        kind, _, pid = target.partition(".")
        if kind != "profile":
            continue
        options = q.profile_question(pid).options
        cells = pd.Series(_texts(ctx.export.data, idx), dtype=object).iloc[ctx.keep]
        matched = {raw: map_profile(raw, options) for raw in cells.dropna().unique()}
        for raw, (_, known) in matched.items():
            if not known:
                for row in cells.index[cells == raw]:
                    ctx.problem(int(row), idx, f"'{raw}' is not an option of this question "
                                               f"(options: {'; '.join(options)})")
        values = cells.map(lambda raw, m=matched: m[raw][0] if raw is not None and m[raw][1] else None)
        keep = values.notna()
        parts.append(pd.DataFrame({"key": cells.index[keep].to_numpy(), "field": pid,
                                   "value": values[keep].to_numpy()}))
    if not parts:
        return responses.empty_batch().profile
    return pd.concat(parts, ignore_index=True)


def _comment_rows(ctx: _Context, targets: dict[int, str]) -> pd.DataFrame:
    rows = []
    for idx, target in targets.items():
        kind, _, cid = target.partition(".")
        if kind != "comment":
            continue
        cells = _texts(ctx.export.data, idx)
        for row in ctx.keep:
            text = cells[row]
            if text is None:
                continue
            if len(text) > responses.MAX_TEXT:
                ctx.problem(int(row), idx, f"comment is longer than {responses.MAX_TEXT} characters")
            else:
                rows.append((int(row), cid, text))
    return pd.DataFrame(rows, columns=["key", "question_id", "text"])


def commit(
    cur: duckdb.DuckDBPyConnection,
    q: Questionnaire,
    prepared: PreparedImport,
    slug: str,
    *,
    accept_warnings: bool = False,
    new_assessment: dict | None = None,
) -> ImportResult:
    """Write a prepared import on the caller's transaction, creating the assessment if it does not exist.

    The caller holds WRITE_LOCK and the transaction (services.import_prepared), and publishes the
    respondents once it is committed. Refused (ImportRefused) when the prepared import is fatal, or has
    problems and `accept_warnings` is False. Problem cells are stored as blanks when accepted.
    """
    if prepared.fatal:
        raise ImportRefused(prepared.fatal)
    if prepared.problems_total and not accept_warnings:
        raise ImportRefused(f"{prepared.problems_total} problems in the file: fix them, or accept them "
                            "(the cells concerned are left blank)")
    if not prepared.respondents_to_add:
        return ImportResult(prepared, slug, False, 0, None, dry_run=False)
    created = False
    try:
        a = assessments.fetch(cur, slug)
    except assessments.AssessmentError:
        a = assessments.create(cur, slug, q, **(new_assessment or {}))
        created = True
    batch = prepared.batch
    added, batch_id = 0, None
    if batch is not None and len(batch.respondents):
        existing = responses.external_ids(cur, a.id, source_of(prepared.platform))
        fresh = ~batch.respondents["external_id"].isin(existing)
        if not fresh.all():           # another import landed meanwhile: keep only the new ones
            keys = set(batch.respondents["key"][fresh])
            batch = responses.ResponseBatch(*(f[f["key"].isin(keys)] for f in (
                batch.respondents, batch.profile, batch.answers, batch.importance, batch.comments)))
        added = len(batch.respondents)
    if added:
        batch_id = batches.record(cur, a.id, prepared.file_name, prepared.sha256, prepared.platform,
                                  prepared.rows_read, added, prepared.duplicates, len(prepared.skipped))
        responses.add(cur, a, q, batch, import_batch_id=batch_id)
    return ImportResult(prepared, slug, created, added, batch_id, dry_run=False)


def undo(cur: duckdb.DuckDBPyConnection, batch_id: int) -> int:
    """Remove the respondents an import added, on the caller's transaction; return how many. The
    import stays listed as undone."""
    found = batches.fetch(cur, batch_id)
    if found is None:
        raise ImportRefused(f"there is no import with id {batch_id}")
    if found.undone_at is not None:
        raise ImportRefused(f"import {batch_id} ({found.file_name}) was already undone")
    removed = responses.delete_import(cur, batch_id)
    batches.mark_undone(cur, batch_id)
    return removed
