"""Respondents and what they answered: profile, current/desired ratings, importance, comments.

Writes take whole batches as DataFrames (the demo, an import, a submitted survey) and store them in one
transaction, after validating every row in Python so a bad value is reported with its row, not as a
constraint error.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from pmostep.core import anonymity
from pmostep.core.errors import PMOStepError
from pmostep.core.questionnaire import NOT_STATED, Questionnaire
from pmostep.store import db
from pmostep.store.db import cursor, transaction

MAX_TEXT = 5000


class ResponseError(PMOStepError):
    """Answers that cannot be stored; `problems` lists each with its respondent and field."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = "; ".join(problems[:10]) + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
        super().__init__(shown)


@dataclass
class ResponseBatch:
    """Responses keyed by a caller-chosen `key` (row number, token ...) until ids are assigned.

    respondents: key, source, external_id, started_at, completed_at
    profile:     key, field, value
    answers:     key, statement_id, current, current_na, desired, desired_na (current/desired 1..N or NA)
    importance:  key, dimension_id, value
    comments:    key, question_id, text
    """

    respondents: pd.DataFrame
    profile: pd.DataFrame
    answers: pd.DataFrame
    importance: pd.DataFrame
    comments: pd.DataFrame


def empty_batch() -> ResponseBatch:
    return ResponseBatch(
        respondents=pd.DataFrame(columns=["key", "source", "external_id", "started_at", "completed_at"]),
        profile=pd.DataFrame(columns=["key", "field", "value"]),
        answers=pd.DataFrame(
            columns=["key", "statement_id", "current", "current_na", "desired", "desired_na"]
        ),
        importance=pd.DataFrame(columns=["key", "dimension_id", "value"]),
        comments=pd.DataFrame(columns=["key", "question_id", "text"]),
    )


def _unknown(values: pd.Series, known: set[str], keys: pd.Series, what: str) -> list[str]:
    bad = ~values.isin(known)
    return [f"respondent {k}: unknown {what} '{v}'" for k, v in zip(keys[bad], values[bad], strict=True)]


def _out_of_range(values: pd.Series, keys: pd.Series, low: int, high: int, what: str) -> list[str]:
    numeric = pd.to_numeric(values, errors="coerce")
    bad = values.notna() & ~(numeric.between(low, high) & (numeric == numeric.round()))
    return [
        f"respondent {k}: {what} {v!r} is not a whole number from {low} to {high}"
        for k, v in zip(keys[bad], values[bad], strict=True)
    ]


def _pairs_repeat(keys: pd.Series, items: pd.Series) -> bool:
    """Whether any (respondent, question) pair occurs twice; integer codes make this cheap at millions."""
    if len(keys) == 0:
        return False
    key_codes, _ = pd.factorize(keys)
    item_codes, item_values = pd.factorize(items)
    combined = key_codes.astype(np.int64) * (len(item_values) + 1) + item_codes
    return bool(np.bincount(combined).max() > 1)


def validate(batch: ResponseBatch, q: Questionnaire) -> list[str]:
    """Every problem in the batch, each naming the respondent key and the field."""
    problems: list[str] = []
    keys = set(batch.respondents["key"])
    if len(keys) != len(batch.respondents):
        problems.append("respondent keys must be unique within a batch")
    for name in ("profile", "answers", "importance", "comments"):
        frame: pd.DataFrame = getattr(batch, name)
        orphan = ~frame["key"].isin(keys)
        problems += [f"{name}: respondent {k} is not in the batch" for k in frame["key"][orphan].unique()]

    a = batch.answers
    problems += _unknown(a["statement_id"], {s.id for s in q.statements}, a["key"], "statement")
    for side in ("current", "desired"):
        problems += _out_of_range(a[side], a["key"], q.scale_min, q.scale_max, f"{side} rating")
        both = a[side].notna() & a[f"{side}_na"].astype(bool)
        problems += [f"respondent {k}: {side} rating is both a value and N/A" for k in a["key"][both]]
    if _pairs_repeat(a["key"], a["statement_id"]):
        problems.append("answers: a statement is answered twice by the same respondent")

    imp = batch.importance
    problems += _unknown(imp["dimension_id"], {d.id for d in q.dimensions}, imp["key"], "dimension")
    problems += _out_of_range(imp["value"], imp["key"], 1, len(q.importance_scale), "importance")

    prof = batch.profile
    problems += _unknown(prof["field"], {p.id for p in q.profile}, prof["key"], "profile field")
    # Only the questionnaire's options: a free text here would become a group name in every report.
    for p in q.profile:
        of_field = prof[prof["field"] == p.id]
        bad = of_field[~of_field["value"].isin(p.options)]
        problems += [f"respondent {key}: '{value}' is not an option of profile question '{p.id}'"
                     for key, value in zip(bad["key"], bad["value"], strict=True)]

    for name, frame, cols in (("importance", imp, ["key", "dimension_id"]),
                              ("profile", prof, ["key", "field"]),
                              ("comments", batch.comments, ["key", "question_id"])):
        for key in frame["key"][frame.duplicated(cols)].unique():
            problems.append(f"respondent {key}: {name} has the same question twice")

    com = batch.comments
    problems += _unknown(com["question_id"], {c.id for c in q.comments}, com["key"], "open question")
    long = com["text"].astype(str).str.len() > MAX_TEXT
    problems += [f"respondent {k}: comment is longer than {MAX_TEXT} characters" for k in com["key"][long]]
    return problems


class AssessmentRef(Protocol):
    """What storing answers needs to know of their assessment (foundation's Assessment has it)."""

    id: int
    questionnaire_id: str
    questionnaire_version: int


def add(
    cur: duckdb.DuckDBPyConnection,
    assessment: AssessmentRef,
    q: Questionnaire,
    batch: ResponseBatch,
    import_batch_id: int | None = None,
) -> dict[object, int]:
    """Validate and store a batch on the caller's transaction; return each key's new respondent id.

    A batch is stored whole or not at all only inside a transaction (services.UnitOfWork): an import
    records its batch row with it, the demo its two assessments. Answers are scored against the
    assessment's questionnaire version, so any other is refused.
    """
    if (assessment.questionnaire_id, assessment.questionnaire_version) != (q.id, q.version):
        raise ResponseError([f"the assessment uses questionnaire {assessment.questionnaire_id} "
                             f"v{assessment.questionnaire_version}, not {q.id} v{q.version}"])
    problems = validate(batch, q)
    if problems:
        raise ResponseError(problems)
    return _insert(cur, assessment.id, q, batch, import_batch_id)


def _insert(cur, assessment_id: int, q: Questionnaire, batch: ResponseBatch, import_batch_id) -> dict:
    n = len(batch.respondents)
    if n == 0:
        return {}
    ids = [r[0] for r in cur.execute("SELECT nextval('respondent_id_seq') FROM generate_series(1, ?)",
                                     [n]).fetchall()]
    id_of = dict(zip(batch.respondents["key"], ids, strict=True))
    r = batch.respondents
    resp = pd.DataFrame({
        "id": pd.array(ids, dtype="int64"), "assessment_id": assessment_id,
        "questionnaire_version": q.version, "source": r["source"].astype(str).to_numpy(),
        "external_id": r["external_id"].astype("string").to_numpy(),
        "started_at": pd.to_datetime(r["started_at"]).to_numpy(),
        "completed_at": pd.to_datetime(r["completed_at"]).to_numpy(),
        "import_batch_id": pd.array([import_batch_id] * n, dtype="Int64")})
    db.insert_frame(cur, "respondents", resp, list(resp.columns))
    key_map = pd.Series(ids, index=list(id_of), dtype="int64")

    def rows(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
        """The batch's rows with their respondent id, each column as its table stores it."""
        out = pd.DataFrame({"respondent_id": frame["key"].map(key_map).astype("int64").to_numpy()})
        for name, kind in columns.items():
            values = frame[name]
            if kind == "flag":
                out[name] = values.fillna(False).astype(bool).to_numpy()
            elif kind == "rating":
                out[name] = pd.to_numeric(values, errors="coerce").astype("Int16").to_numpy()
            else:
                out[name] = values.astype("string").to_numpy()
        return out

    tables = {
        "respondent_profile": (batch.profile, {"field": "text", "value": "text"}),
        "answers": (batch.answers, {"statement_id": "text", "current": "rating", "current_na": "flag",
                                    "desired": "rating", "desired_na": "flag"}),
        "importance": (batch.importance, {"dimension_id": "text", "value": "rating"}),
        "comments": (batch.comments, {"question_id": "text", "text": "text"}),
    }
    for table, (frame, columns) in tables.items():
        if len(frame):
            db.insert_frame(cur, table, rows(frame, columns), ["respondent_id", *columns])
    return id_of


ANSWER_TABLES = ("answers", "importance", "comments", "respondent_profile")


def _delete_respondents(cur: duckdb.DuckDBPyConnection, column: str, value: int) -> int:
    """Remove the respondents whose `column` (a fixed column name) equals value, and all they answered."""
    ids = f"SELECT id FROM respondents WHERE {column} = ?"
    cur.execute(f"""UPDATE published SET withdrawn = true
                    WHERE (assessment_id, block) IN (SELECT assessment_id, block FROM published
                                                     WHERE block IS NOT NULL AND respondent_id IN ({ids}))""",
                [value])          # the rest of a block that loses a member is never shown again
    for table in (*ANSWER_TABLES, "published"):
        cur.execute(f"DELETE FROM {table} WHERE respondent_id IN ({ids})", [value])
    return len(cur.execute(f"DELETE FROM respondents WHERE {column} = ? RETURNING id", [value]).fetchall())


def delete_for_assessment(cur: duckdb.DuckDBPyConnection, assessment_id: int) -> None:
    """Remove every respondent of an assessment; the caller holds the transaction."""
    _delete_respondents(cur, "assessment_id", assessment_id)


def delete_import(cur: duckdb.DuckDBPyConnection, import_batch_id: int) -> int:
    """Remove the respondents one import added; the caller holds the transaction. Returns how many."""
    return _delete_respondents(cur, "import_batch_id", import_batch_id)


def external_ids(cur: duckdb.DuckDBPyConnection, assessment_id: int, source: str) -> set[str]:
    """The platform respondent ids (or row fingerprints) already stored for an assessment."""
    rows = cur.execute(
        "SELECT external_id FROM respondents "
        "WHERE assessment_id = ? AND source = ? AND external_id IS NOT NULL",
        [assessment_id, source]).fetchall()
    return {r[0] for r in rows}


def count(con: duckdb.DuckDBPyConnection, assessment_id: int) -> dict[str, int]:
    """Completed and in-progress respondents of an assessment."""
    with cursor(con) as cur:
        done, started = cur.execute(
            """SELECT count(*) FILTER (WHERE completed_at IS NOT NULL),
                      count(*) FILTER (WHERE completed_at IS NULL)
               FROM respondents WHERE assessment_id = ?""",
            [assessment_id],
        ).fetchone()
    return {"completed": done, "in_progress": started}


def completed_per_assessment(cur: duckdb.DuckDBPyConnection) -> dict[int, int]:
    """Completed respondents of every assessment that has any, by assessment id."""
    return dict(cur.execute("SELECT assessment_id, count(*) FROM respondents WHERE completed_at IS NOT NULL "
                            "GROUP BY assessment_id").fetchall())


def arrivals(cur: duckdb.DuckDBPyConnection, assessment_id: int, fields: list[str]) -> pd.DataFrame:
    """Completed respondents with their profile answers and where they stand in the publication.

    Columns: id, block (NULL while waiting or not yet considered), considered (has a row in
    `published`), withdrawn, and one column per field ('Not stated' where empty).
    """
    columns = "".join(f", coalesce(max(p.value) FILTER (WHERE p.field = $f{i}), '{NOT_STATED}') AS f{i}"
                      for i in range(len(fields)))     # fixed text; the field ids are parameters
    frame = cur.execute(
        f"""SELECT r.id, max(pub.block) AS block,
                   max(pub.respondent_id) IS NOT NULL AS considered,
                   coalesce(bool_or(pub.withdrawn), false) AS withdrawn {columns}
            FROM respondents r
            LEFT JOIN published pub ON pub.respondent_id = r.id
            LEFT JOIN respondent_profile p ON p.respondent_id = r.id
            WHERE r.assessment_id = $assessment AND r.completed_at IS NOT NULL
            GROUP BY r.id ORDER BY r.id""",
        {"assessment": assessment_id, **{f"f{i}": f for i, f in enumerate(fields)}}).df()
    return frame.rename(columns={f"f{i}": f for i, f in enumerate(fields)})


_PUBLISHING = threading.Lock()     # one publication step at a time in this process (DuckDB: one writer)


def publish(con: duckdb.DuckDBPyConnection, assessment_id: int, fields: list[str], min_size: int) -> None:
    """Take the completed responses not yet considered as one arrival event, and store what it forms.

    Called right after answers are stored (an import, a submission) and before figures are read, so
    each arrival is its own event where it can be. Blocks once stored never change (see anonymity.py):
    the step reads and writes in one transaction, one process at a time (the lock) and, on
    PostgreSQL, one replica at a time (db.serialise), so two never place the same arrivals.
    """
    with _PUBLISHING:
        with cursor(con) as cur:
            if not _unconsidered(cur, assessment_id):
                return                    # nothing new: the usual case before a read
        with transaction(con) as cur:
            db.serialise(cur, "publish", assessment_id)
            if not _unconsidered(cur, assessment_id):
                return                    # another replica published them meanwhile
            people = arrivals(cur, assessment_id, fields)
            new = people[~people["considered"]]
            waiting = people[people["considered"] & people["block"].isna() & ~people["withdrawn"]]
            formed, _ = anonymity.form(anonymity.members(waiting, fields), anonymity.members(new, fields),
                                       min_size)
            first = cur.execute("SELECT coalesce(max(block), -1) + 1 FROM published WHERE assessment_id = ?",
                                [assessment_id]).fetchall()[0][0]
            rows = pd.DataFrame({"respondent_id": new["id"].astype("int64"), "assessment_id": assessment_id,
                                 "block": pd.array([None] * len(new), dtype="Int64"), "withdrawn": False})
            placed = pd.DataFrame([(rid, first + i) for i, block in enumerate(formed) for rid in block],
                                  columns=["respondent_id", "block"])
            rows = pd.concat([rows[~rows["respondent_id"].isin(placed["respondent_id"])],
                              placed.assign(assessment_id=assessment_id, withdrawn=False)])
            rows = rows.astype({"respondent_id": "int64", "block": "Int64", "withdrawn": bool})
            cur.execute("DELETE FROM published WHERE respondent_id = ANY(?)",
                        [[int(i) for i in rows["respondent_id"]]])      # the waiting ones placed now
            db.insert_frame(cur, "published", rows, ["respondent_id", "assessment_id", "block", "withdrawn"])


def _unconsidered(cur, assessment_id: int) -> int:
    """How many completed respondents the publication has not yet taken in."""
    return cur.execute("""SELECT count(*) FROM respondents r WHERE assessment_id = ?
                          AND completed_at IS NOT NULL AND NOT EXISTS (
                              SELECT 1 FROM published p WHERE p.respondent_id = r.id)""",
                       [assessment_id]).fetchall()[0][0]


def blocks_formed(cur: duckdb.DuckDBPyConnection, assessment_id: int) -> bool:
    """Whether any response of the assessment has been published (its minimum group size is then fixed)."""
    return cur.execute("SELECT count(*) FROM published WHERE assessment_id = ? AND block IS NOT NULL",
                       [assessment_id]).fetchone()[0] > 0


def data_stamp(con: duckdb.DuckDBPyConnection, assessment_id: int) -> tuple:
    """A cheap fingerprint that changes whenever the assessment's responses change (for caches)."""
    with cursor(con) as cur:
        return cur.execute(
            "SELECT count(*), max(id), max(completed_at) FROM respondents WHERE assessment_id = ?",
            [assessment_id],
        ).fetchone()


def survey_respondent(cur: duckdb.DuckDBPyConnection, link_token: str,
                      resume_token: str | None = None) -> tuple | None:
    """(id, resume_token, progress, completed_at) of a link's respondent: a personal link's one
    respondent (resume_token None), or the open link's unfinished respondent with that resume token."""
    if resume_token is None:
        return cur.execute("SELECT id, resume_token, progress, completed_at FROM respondents "
                           "WHERE link_token = ? ORDER BY id LIMIT 1", [link_token]).fetchone()
    return cur.execute("SELECT id, resume_token, progress, completed_at FROM respondents "
                       "WHERE link_token = ? AND resume_token = ? AND completed_at IS NULL",
                       [link_token, resume_token]).fetchone()


def unfinished(cur: duckdb.DuckDBPyConnection, link_token: str) -> int:
    """How many respondents of a link have started and not submitted."""
    return cur.execute("SELECT count(*) FROM respondents WHERE link_token = ? AND completed_at IS NULL",
                       [link_token]).fetchone()[0]


def add_survey_respondent(cur: duckdb.DuckDBPyConnection, assessment_id: int, questionnaire_version: int,
                          link_token: str, resume_token: str, started_at) -> int:
    """A respondent answering through a link; the caller holds the transaction. Returns its id."""
    new_id = cur.execute("SELECT nextval('respondent_id_seq')").fetchone()[0]
    cur.execute("INSERT INTO respondents (id, assessment_id, questionnaire_version, source, started_at, "
                "link_token, resume_token, progress) VALUES (?, ?, ?, 'survey', ?, ?, ?, 0)",
                [new_id, assessment_id, questionnaire_version, started_at, link_token, resume_token])
    return new_id


def completed_at(cur: duckdb.DuckDBPyConnection, respondent_id: int, resume_token: str) -> tuple | None:
    """(completed_at,) of a survey respondent, or None when there is no such respondent."""
    return cur.execute("SELECT completed_at FROM respondents WHERE id = ? AND resume_token = ?",
                       [respondent_id, resume_token]).fetchone()


def record_progress(cur: duckdb.DuckDBPyConnection, respondent_id: int, progress: int) -> None:
    """The furthest survey page reached (never lowered by going back)."""
    cur.execute("UPDATE respondents SET progress = greatest(progress, ?) WHERE id = ?",
                [progress, respondent_id])


def complete(cur: duckdb.DuckDBPyConnection, respondent_id: int, when, forget_link: bool) -> None:
    """Mark a survey response submitted; `forget_link` drops its link, so it cannot be traced to an
    invitee."""
    cur.execute("UPDATE respondents SET completed_at = ?, link_token = CASE WHEN ? THEN NULL "
                "ELSE link_token END WHERE id = ?", [when, forget_link, respondent_id])


def replace_answers(cur: duckdb.DuckDBPyConnection, respondent_id: int, ratings: list[tuple],
                    importance: list[tuple], profile: list[tuple], comments: list[tuple]) -> None:
    """Replace one respondent's answers to the given questions (the caller validated them and holds
    the transaction). A None value removes the answer."""
    # One statement each for the page's ratings, not one per answer: a survey page is a script run
    # on the server, and each DuckDB statement costs it 0.5-1 ms.
    if ratings:
        cur.execute("DELETE FROM answers WHERE respondent_id = ? AND statement_id = ANY(?)",
                    [respondent_id, [r[0] for r in ratings]])
    stored = [r for r in ratings if any(v not in (None, False) for v in r[1:])]
    if stored:
        cur.execute(
            "INSERT INTO answers (respondent_id, statement_id, current, current_na, desired, desired_na) "
            "VALUES " + ", ".join(["(?, ?, ?, ?, ?, ?)"] * len(stored)),
            [v for r in stored for v in (respondent_id, *r)])
    tables = (("importance", "dimension_id", importance), ("respondent_profile", "field", profile),
              ("comments", "question_id", comments))
    for table, key, rows in tables:
        value_col = "text" if table == "comments" else "value"
        for name, value in rows:
            cur.execute(f"DELETE FROM {table} WHERE respondent_id = ? AND {key} = ?", [respondent_id, name])
            if value is not None:
                cur.execute(f"INSERT INTO {table} (respondent_id, {key}, {value_col}) VALUES (?, ?, ?)",
                            [respondent_id, name, value])


def answers_of(con: duckdb.DuckDBPyConnection, respondent_id: int) -> dict[str, pd.DataFrame]:
    """Everything one respondent has stored, by table."""
    with cursor(con) as cur:
        return {
            "answers": cur.execute("SELECT statement_id, current, current_na, desired, desired_na "
                                   "FROM answers WHERE respondent_id = ?", [respondent_id]).df(),
            "importance": cur.execute("SELECT dimension_id, value FROM importance WHERE respondent_id = ?",
                                      [respondent_id]).df(),
            "profile": cur.execute("SELECT field, value FROM respondent_profile WHERE respondent_id = ?",
                                   [respondent_id]).df(),
            "comments": cur.execute("SELECT question_id, text FROM comments WHERE respondent_id = ?",
                                    [respondent_id]).df(),
        }


def completed_by_group(con: duckdb.DuckDBPyConnection, assessment_id: int) -> dict[str, int]:
    """Completed respondents per stakeholder group (the `group` profile answer), for response rates."""
    with cursor(con) as cur:
        rows = cur.execute(
            "SELECT coalesce(p.value, '') AS grp, count(*) FROM respondents r "
            "LEFT JOIN respondent_profile p ON p.respondent_id = r.id AND p.field = 'group' "
            "WHERE r.assessment_id = ? AND r.completed_at IS NOT NULL GROUP BY grp",
            [assessment_id]).fetchall()
    return dict(rows)


# What the analytics read (planning/scoring.py): the rows of the respondents a view may show, as
# temporary views on one cursor, so that the response tables are named in SQL in this module only.
# Registered ids join as fast as a table (as a list parameter, 100,000 ids cost 0.13 s a query;
# registered, 0.01 s).
_SCOPE_VIEWS = {
    "scope_respondents": """SELECT r.id AS respondent_id, s.block FROM respondents r
                            JOIN scope_ids s ON s.id = r.id WHERE r.completed_at IS NOT NULL""",
    "scope_profile": """SELECT p.respondent_id, p.field, p.value FROM respondent_profile p
                        JOIN scope_ids s ON s.id = p.respondent_id""",
    "scope_answers": """SELECT s.block, a.respondent_id, a.statement_id, a.current, a.desired,
                               a.current_na, a.desired_na
                        FROM answers a JOIN scope_ids s ON s.id = a.respondent_id""",
    "scope_importance": """SELECT s.block, i.respondent_id, i.dimension_id, i.value FROM importance i
                           JOIN scope_ids s ON s.id = i.respondent_id""",
}


# On PostgreSQL the analytics still run DuckDB's SQL: on an in-memory DuckDB holding a copy of one
# assessment's completed respondents and what they answered, read in one COPY per table (Arrow, no
# row-by-row Python) and kept while the assessment's analytic stamp stands.
_COPY_TABLES = {
    "respondents": ("SELECT r.id, r.assessment_id, r.completed_at FROM respondents r",
                    pa.schema([("id", pa.int64()), ("assessment_id", pa.int32()),
                               ("completed_at", pa.timestamp("us"))])),
    "published": ("SELECT p.respondent_id, p.assessment_id, p.block, p.withdrawn FROM published p "
                  "JOIN respondents r ON r.id = p.respondent_id",
                  pa.schema([("respondent_id", pa.int64()), ("assessment_id", pa.int32()),
                             ("block", pa.int32()), ("withdrawn", pa.bool_())])),
    "respondent_profile": ("SELECT p.respondent_id, p.field, p.value FROM respondent_profile p "
                           "JOIN respondents r ON r.id = p.respondent_id",
                           pa.schema([("respondent_id", pa.int64()), ("field", pa.string()),
                                      ("value", pa.string())])),
    "answers": ("SELECT a.respondent_id, a.statement_id, a.current, a.current_na, a.desired, a.desired_na "
                "FROM answers a JOIN respondents r ON r.id = a.respondent_id",
                pa.schema([("respondent_id", pa.int64()), ("statement_id", pa.string()),
                           ("current", pa.int8()), ("current_na", pa.bool_()), ("desired", pa.int8()),
                           ("desired_na", pa.bool_())])),
    "importance": ("SELECT i.respondent_id, i.dimension_id, i.value FROM importance i "
                   "JOIN respondents r ON r.id = i.respondent_id",
                   pa.schema([("respondent_id", pa.int64()), ("dimension_id", pa.string()),
                              ("value", pa.int8())])),
    "comments": ("SELECT c.respondent_id, c.question_id, c.text FROM comments c "
                 "JOIN respondents r ON r.id = c.respondent_id",
                 pa.schema([("respondent_id", pa.int64()), ("question_id", pa.string()),
                            ("text", pa.string())])),
}
_OF_ASSESSMENT = " WHERE r.assessment_id = ? AND r.completed_at IS NOT NULL"
ANALYTIC_COPIES = 4                 # assessments kept in memory per process
_copies: dict[tuple[str, int], tuple[tuple, duckdb.DuckDBPyConnection]] = {}
_COPYING = threading.Lock()


_STAMP = """SELECT count(*), max(id), min(id), max(completed_at),
                  (SELECT count(*) FROM published WHERE assessment_id = $a),
                  (SELECT count(block) FROM published WHERE assessment_id = $a),
                  (SELECT count(*) FROM published WHERE assessment_id = $a AND withdrawn)
           FROM respondents WHERE assessment_id = $a AND completed_at IS NOT NULL"""


def analytic_stamp(cur, assessment_id: int) -> tuple:
    """What changes whenever the rows the analytics read change: completed respondents come or go, and
    the publication places or withdraws them (its rows change in no other way: see publish)."""
    return tuple(cur.execute(_STAMP, {"a": assessment_id}).fetchone())


def _analytic_copy(database, assessment_id: int) -> duckdb.DuckDBPyConnection:
    """The in-memory DuckDB with the assessment's rows as they stand now (copied again when they changed)."""
    key = (database.url, assessment_id)
    with _COPYING:
        with cursor(database) as cur:
            stamp = analytic_stamp(cur, assessment_id)
            held = _copies.get(key)
            if held and held[0] == stamp:
                return held[1]
            cur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")          # every table as of one moment
            stamp = analytic_stamp(cur, assessment_id)
            tables = {name: cur.copy_out(sql + _OF_ASSESSMENT, [assessment_id], schema)
                      for name, (sql, schema) in _COPY_TABLES.items()}
            cur.execute("COMMIT")
        copy = duckdb.connect()
        for name, table in tables.items():
            copy.register("arrow_rows", table)
            copy.execute(f"CREATE TABLE {name} AS SELECT * FROM arrow_rows")
            copy.unregister("arrow_rows")
        _copies.pop(key, None)          # a replaced or evicted copy is freed once no reader holds it
        _copies[key] = (stamp, copy)
        while len(_copies) > ANALYTIC_COPIES:
            _copies.pop(next(iter(_copies)))
        return copy


@contextmanager
def analytics(con, assessment_id: int) -> Iterator[duckdb.DuckDBPyConnection]:
    """A DuckDB cursor, in one transaction, for bind_scope and the analytics' SQL over an assessment:
    the file itself, or on PostgreSQL the assessment's in-memory copy (`_analytic_copy`)."""
    if db.dialect(con) != "postgres":
        with transaction(con) as cur:
            yield cur
        return
    with transaction(_analytic_copy(con, assessment_id)) as cur:
        yield cur


def bind_scope(cur: duckdb.DuckDBPyConnection, ids: np.ndarray, blocks: np.ndarray) -> None:
    """Bind the cursor to the respondents a view may show (ids with their publication block): the
    views scope_respondents, scope_profile, scope_answers and scope_importance then hold their rows
    only, for the rest of the cursor's life."""
    cur.register("scope_ids", pd.DataFrame({"id": ids, "block": blocks}))
    for name, sql in _SCOPE_VIEWS.items():
        cur.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {sql}")


def answer_rows(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The ratings of the respondents in scope (bind_scope), one row per answer, with a respondent
    number that follows a hash of the id, never the order of submission: respondent, group,
    statement_id, current, desired (N/A as missing)."""
    return cur.execute(
        f"""WITH numbered AS (
                SELECT respondent_id, row_number() OVER (ORDER BY hash(respondent_id)) AS respondent
                FROM scope_respondents)
            SELECT n.respondent, coalesce(p.value, '{NOT_STATED}') AS grp, a.statement_id,
                   CASE WHEN a.current_na THEN NULL ELSE a.current END AS current,
                   CASE WHEN a.desired_na THEN NULL ELSE a.desired END AS desired
            FROM scope_answers a JOIN numbered n ON n.respondent_id = a.respondent_id
            LEFT JOIN scope_profile p ON p.respondent_id = a.respondent_id AND p.field = 'group'
            ORDER BY n.respondent, a.statement_id""").df()


def open_answers(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The open answers of the respondents in scope (bind_scope), with their stakeholder group, in no
    traceable order: by question and text, never by time or respondent, so the list cannot be matched
    to submissions."""
    return cur.execute(
        f"""SELECT c.question_id, c.text, coalesce(p.value, '{NOT_STATED}') AS grp
            FROM comments c
            JOIN scope_respondents r ON r.respondent_id = c.respondent_id
            LEFT JOIN scope_profile p ON p.respondent_id = r.respondent_id AND p.field = 'group'
            WHERE trim(c.text) <> ''
            ORDER BY c.question_id, lower(c.text)""").df()
