"""The workshop tables (migration 0009): the only module whose SQL names them.

Writes take the caller's cursor (services run them as units of work under services.WORKSHOP_WRITES);
reads take a cursor too, so a use case reads what its own transaction wrote. Times are naive UTC,
set here, so that a countdown compares with one clock. A round's state is read against that clock: a
round whose countdown has passed reads as locked before anyone locks it (`lock_expired` then writes it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import pandas as pd

from pmostep.workshop.activities import Activity, ActivityDraft

Cursor = duckdb.DuckDBPyConnection


def now() -> datetime:
    """The workshop clock: naive UTC, as stored."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Workshop:
    id: int
    assessment_id: int
    title: str
    code: str
    status: str                      # 'live' | 'ended'
    created_at: datetime
    current_activity_id: int | None


_WORKSHOP = "id, assessment_id, title, code, status, created_at, current_activity_id"


def create(cur: Cursor, assessment_id: int, title: str, code: str) -> Workshop:
    new_id = cur.execute("INSERT INTO workshops (assessment_id, title, code, created_at) VALUES (?, ?, ?, ?) "
                         "RETURNING id", [assessment_id, title, code, now()]).fetchone()[0]
    return get(cur, new_id)


def code_in_use(cur: Cursor, code: str) -> bool:
    """Whether a workshop (live or ended) has the code: codes are never given twice."""
    return cur.execute("SELECT 1 FROM workshops WHERE code = ?", [code]).fetchone() is not None


def get(cur: Cursor, workshop_id: int) -> Workshop:
    row = cur.execute(f"SELECT {_WORKSHOP} FROM workshops WHERE id = ?", [workshop_id]).fetchone()
    if row is None:
        raise KeyError(f"no workshop {workshop_id}")
    return Workshop(*row)


def by_code(cur: Cursor, code: str) -> Workshop | None:
    """The live workshop with this join code (case-blind), or None."""
    row = cur.execute(f"SELECT {_WORKSHOP} FROM workshops WHERE code = upper(trim(?)) AND status = 'live'",
                      [code if isinstance(code, str) else ""]).fetchone()
    return Workshop(*row) if row else None


def list_for(cur: Cursor, assessment_id: int) -> list[Workshop]:
    """The assessment's workshops, newest first."""
    rows = cur.execute(f"SELECT {_WORKSHOP} FROM workshops WHERE assessment_id = ? "
                       "ORDER BY created_at DESC, id DESC", [assessment_id]).fetchall()
    return [Workshop(*r) for r in rows]


def touch(cur: Cursor, workshop_id: int) -> None:
    """Bump the version: every facilitator write does, so the stamp changes without per-answer updates."""
    cur.execute("UPDATE workshops SET version = version + 1 WHERE id = ?", [workshop_id])


def set_current(cur: Cursor, workshop_id: int, activity_id: int | None) -> None:
    cur.execute("UPDATE workshops SET current_activity_id = ? WHERE id = ?", [activity_id, workshop_id])


def end(cur: Cursor, workshop_id: int) -> None:
    cur.execute("UPDATE workshops SET status = 'ended', ended_at = ?, current_activity_id = NULL "
                "WHERE id = ? AND status = 'live'", [now(), workshop_id])


# --- activities and rounds ----------------------------------------------------------------------------

_ACTIVITY = """
    SELECT a.id, a.workshop_id, a.position, a.kind, a.title, a.item_kind, a.items, a.settings, a.notes,
           a.why, coalesce(r.number, 0), r.closes_at, r.locked_at, r.revealed_at
    FROM workshop_activities a
    LEFT JOIN (SELECT DISTINCT ON (activity_id) * FROM workshop_rounds
               ORDER BY activity_id, number DESC) r
           ON r.activity_id = a.id
"""


def _activity(row: tuple, at: datetime) -> Activity:
    (aid, wid, position, kind, title, item_kind, items, settings, notes, why, number, closes_at, locked_at,
     revealed_at) = row
    items = json.loads(items)
    draft = ActivityDraft(kind, title, tuple(i["id"] for i in items), item_kind, json.loads(settings),
                          notes, why)
    expired = closes_at is not None and closes_at <= at
    state = "draft" if number == 0 else "locked" if locked_at is not None or expired else "open"
    return Activity(aid, wid, position, draft, number, state, revealed_at is not None,
                    closes_at if state == "open" else None, {i["id"]: i["label"] for i in items})


def activities(cur: Cursor, workshop_id: int) -> list[Activity]:
    """The workshop's activities in position order, each with its current round's state."""
    at = now()
    rows = cur.execute(_ACTIVITY + " WHERE a.workshop_id = ? ORDER BY a.position, a.id", [workshop_id])
    return [_activity(r, at) for r in rows.fetchall()]


def activity(cur: Cursor, activity_id: int) -> Activity:
    row = cur.execute(_ACTIVITY + " WHERE a.id = ?", [activity_id]).fetchone()
    if row is None:
        raise KeyError(f"no workshop activity {activity_id}")
    return _activity(row, now())


def _items(draft: ActivityDraft, labels: dict[str, str]) -> str:
    return json.dumps([{"id": i, "label": labels.get(i, i)} for i in draft.items])


def add_activity(cur: Cursor, workshop_id: int, draft: ActivityDraft, labels: dict[str, str],
                 position: int | None) -> Activity:
    """Insert at `position` (0-based; None: at the end), moving the later ones down."""
    count = cur.execute("SELECT count(*) FROM workshop_activities WHERE workshop_id = ?",
                        [workshop_id]).fetchone()[0]
    at = count if position is None else max(0, min(position, count))
    cur.execute("UPDATE workshop_activities SET position = position + 1 "
                "WHERE workshop_id = ? AND position >= ?", [workshop_id, at])
    new_id = cur.execute(
        """INSERT INTO workshop_activities (workshop_id, position, kind, title, item_kind, items, settings,
               notes, why) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
        [workshop_id, at, draft.kind, draft.title, draft.item_kind, _items(draft, labels),
         json.dumps(draft.settings), draft.notes, draft.why]).fetchone()[0]
    return activity(cur, new_id)


def update_activity(cur: Cursor, activity_id: int, draft: ActivityDraft, labels: dict[str, str]) -> None:
    cur.execute("""UPDATE workshop_activities SET kind = ?, title = ?, item_kind = ?, items = ?, settings = ?,
                       notes = ?, why = ? WHERE id = ?""",
                [draft.kind, draft.title, draft.item_kind, _items(draft, labels), json.dumps(draft.settings),
                 draft.notes, draft.why, activity_id])


def _renumber(cur: Cursor, workshop_id: int, order: list[int]) -> None:
    for position, aid in enumerate(order):
        cur.execute("UPDATE workshop_activities SET position = ? WHERE id = ? AND position <> ?",
                    [position, aid, position])


def move_activity(cur: Cursor, workshop_id: int, activity_id: int, position: int) -> None:
    order = [a.id for a in activities(cur, workshop_id) if a.id != activity_id]
    order.insert(max(0, min(position, len(order))), activity_id)
    _renumber(cur, workshop_id, order)


def drop_activity(cur: Cursor, workshop_id: int, activity_id: int) -> None:
    cur.execute("DELETE FROM workshop_activities WHERE id = ?", [activity_id])
    _renumber(cur, workshop_id, [a.id for a in activities(cur, workshop_id)])


def open_round(cur: Cursor, activity_id: int, number: int, closes_at: datetime | None) -> None:
    cur.execute("INSERT INTO workshop_rounds (activity_id, number, opened_at, closes_at) VALUES (?, ?, ?, ?)",
                [activity_id, number, now(), closes_at])


def reopen_round(cur: Cursor, activity_id: int, number: int, closes_at: datetime | None) -> None:
    """A round that is open already gets a new countdown (or none)."""
    cur.execute("UPDATE workshop_rounds SET closes_at = ? WHERE activity_id = ? AND number = ?",
                [closes_at, activity_id, number])


def lock_round(cur: Cursor, activity_id: int, number: int) -> None:
    """Lock at once; a countdown that passed keeps its own end as the lock time."""
    at = now()
    cur.execute("""UPDATE workshop_rounds SET locked_at = CASE WHEN closes_at <= ? THEN closes_at ELSE ? END
                   WHERE activity_id = ? AND number = ? AND locked_at IS NULL""",
                [at, at, activity_id, number])


def reveal_round(cur: Cursor, activity_id: int, number: int) -> None:
    cur.execute("UPDATE workshop_rounds SET revealed_at = ? WHERE activity_id = ? AND number = ? "
                "AND revealed_at IS NULL", [now(), activity_id, number])


def lock_expired(cur: Cursor, workshop_id: int) -> None:
    """Write the lock of every round of the workshop whose countdown has passed (it read as locked)."""
    cur.execute("""UPDATE workshop_rounds SET locked_at = closes_at
                   WHERE locked_at IS NULL AND closes_at <= ?
                     AND activity_id IN (SELECT id FROM workshop_activities WHERE workshop_id = ?)""",
                [now(), workshop_id])


def rounds(cur: Cursor, activity_id: int) -> list[tuple[int, bool]]:
    """(number, revealed) of every round of the activity, first first."""
    return [(n, bool(r)) for n, r in cur.execute(
        "SELECT number, revealed_at IS NOT NULL FROM workshop_rounds WHERE activity_id = ? ORDER BY number",
        [activity_id]).fetchall()]


# --- participants and answers -------------------------------------------------------------------------

def participant(cur: Cursor, workshop_id: int, token_hash: str) -> tuple[int, str | None] | None:
    """(id, group) of the workshop's participant with this token hash, or None."""
    row = cur.execute("SELECT id, grp FROM workshop_participants WHERE workshop_id = ? AND token_hash = ?",
                      [workshop_id, token_hash]).fetchone()
    return (row[0], row[1]) if row else None


def add_participant(cur: Cursor, workshop_id: int, token_hash: str, group: str | None) -> None:
    cur.execute("INSERT INTO workshop_participants (workshop_id, token_hash, grp, joined_at) "
                "VALUES (?, ?, ?, ?)", [workshop_id, token_hash, group, now()])


def set_group(cur: Cursor, participant_id: int, group: str | None) -> None:
    cur.execute("UPDATE workshop_participants SET grp = ? WHERE id = ?", [group, participant_id])


def request_stored(cur: Cursor, participant_id: int, request_id: str) -> bool:
    return cur.execute("SELECT 1 FROM workshop_answers WHERE participant_id = ? AND request_id = ?",
                       [participant_id, request_id]).fetchone() is not None


def add_answer(cur: Cursor, workshop_id: int, activity_id: int, number: int,
               participant: tuple[int, str | None], answer: dict, request_id: str) -> int:
    """Store an answer with the group its participant (id, group) gives now: a round's figures by group
    stay as they were when it locked, whatever group the phone picks later."""
    participant_id, group = participant
    return cur.execute(
        """INSERT INTO workshop_answers (workshop_id, activity_id, round, participant_id, grp, answer,
               request_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
        [workshop_id, activity_id, number, participant_id, group, json.dumps(answer), request_id,
         now()]).fetchone()[0]


def answer_activity(cur: Cursor, answer_id: int) -> int | None:
    """The activity an answer belongs to, or None when there is no such answer."""
    row = cur.execute("SELECT activity_id FROM workshop_answers WHERE id = ?", [answer_id]).fetchone()
    return row[0] if row else None


def moderate(cur: Cursor, answer_id: int, approved: bool) -> None:
    cur.execute("INSERT INTO workshop_moderation (answer_id, approved, decided_at) VALUES (?, ?, ?)",
                [answer_id, approved, now()])


def stamp(cur: Cursor, workshop_id: int) -> tuple:
    """Changes on every write to the workshop: the facilitator's version, who joined, the newest answer,
    and the countdowns that have passed (a round that locks by the clock changes what is shown)."""
    row = cur.execute(       # uncorrelated scalar subqueries: 2.3 ms, against 6 ms joined to workshops
        """SELECT (SELECT version FROM workshops WHERE id = $w),
                  (SELECT count(*) FROM workshop_participants WHERE workshop_id = $w),
                  (SELECT coalesce(max(id), 0) FROM workshop_answers WHERE workshop_id = $w),
                  (SELECT count(*) FROM workshop_rounds WHERE locked_at IS NULL AND closes_at <= $t
                     AND activity_id IN (SELECT id FROM workshop_activities WHERE workshop_id = $w))""",
        {"w": workshop_id, "t": now()}).fetchone()
    if row[0] is None:
        raise KeyError(f"no workshop {workshop_id}")
    return tuple(row)


def joined(cur: Cursor, workshop_id: int) -> int:
    return cur.execute("SELECT count(*) FROM workshop_participants WHERE workshop_id = ?",
                       [workshop_id]).fetchone()[0]


def answered(cur: Cursor, activity_id: int, number: int) -> int:
    """Participants who answered the round (each once, however often they changed their answer)."""
    return cur.execute("SELECT count(DISTINCT participant_id) FROM workshop_answers "
                       "WHERE activity_id = ? AND round = ?", [activity_id, number]).fetchone()[0]


_LATEST = """
    SELECT a.grp, a.answer, a.id AS answer_id, m.approved
    FROM (SELECT DISTINCT ON (participant_id) * FROM workshop_answers WHERE activity_id = ? AND round = ?
          ORDER BY participant_id, id DESC) a
    LEFT JOIN (SELECT DISTINCT ON (answer_id) answer_id, approved FROM workshop_moderation
               ORDER BY answer_id, id DESC) m ON m.answer_id = a.id
    ORDER BY a.id
"""
ANSWER_COLUMNS = ["grp", "answer", "answer_id", "approved"]


def round_answers(cur: Cursor, activity_id: int, number: int) -> pd.DataFrame:
    """The latest answer of each participant in the round: grp (the group given with that answer; None:
    not given), answer (a dict, as check_answer returned it), answer_id, approved (texts: True/False/None)."""
    rows = cur.execute(_LATEST, [activity_id, number]).fetchall()
    return pd.DataFrame([(g, json.loads(a), i, ok) for g, a, i, ok in rows], columns=ANSWER_COLUMNS,
                        dtype=object)


def pending_texts(cur: Cursor, activity_id: int, number: int) -> pd.DataFrame:
    """The moderation queue: latest texts of the round not yet approved or refused, ordered by text
    (case-blind), never by arrival: an order by time would tie a text to the phone that just tapped."""
    frame = round_answers(cur, activity_id, number)
    waiting = frame[frame["approved"].isna()]
    queue = sorted(zip(waiting["answer_id"], (a.get("text", "") for a in waiting["answer"]), strict=True),
                   key=lambda row: (row[1].casefold(), row[1], row[0]))
    return pd.DataFrame(queue, columns=["answer_id", "text"], dtype=object)


def delete_for_assessment(cur: Cursor, assessment_id: int) -> None:
    """Remove the assessment's workshops and all they hold; the caller holds the transaction."""
    ids = "SELECT id FROM workshops WHERE assessment_id = ?"
    activities_of = f"SELECT id FROM workshop_activities WHERE workshop_id IN ({ids})"
    cur.execute(f"DELETE FROM workshop_moderation WHERE answer_id IN "
                f"(SELECT id FROM workshop_answers WHERE workshop_id IN ({ids}))", [assessment_id])
    cur.execute(f"DELETE FROM workshop_answers WHERE workshop_id IN ({ids})", [assessment_id])
    cur.execute(f"DELETE FROM workshop_participants WHERE workshop_id IN ({ids})", [assessment_id])
    cur.execute(f"DELETE FROM workshop_rounds WHERE activity_id IN ({activities_of})", [assessment_id])
    cur.execute(f"DELETE FROM workshop_activities WHERE workshop_id IN ({ids})", [assessment_id])
    cur.execute("DELETE FROM workshops WHERE assessment_id = ?", [assessment_id])
