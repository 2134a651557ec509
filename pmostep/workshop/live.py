"""The reads the pages, the phone routes and the command line share: what a phone may see, the room
(console and projector), and every round's results. Read-only.

Anonymity (docs/workshop.md) is applied in activities.results; here, results of an open round are
never computed (a figure that moved as single phones answered would show their answers), and a phone
sees a round's results only once they are revealed.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import replace
from typing import Any

import duckdb

from pmostep.foundation import assessments
from pmostep.foundation.assessments import Assessment
from pmostep.planning import scoring
from pmostep.store import questionnaires, responses
from pmostep.store.db import cursor
from pmostep.workshop import activities as kinds
from pmostep.workshop import store
from pmostep.workshop.activities import Activity, RoundResult

Cursor = duckdb.DuckDBPyConnection
SURVEY_FIGURES = ("current", "desired", "gap", "n")
VOTES = frozenset({"dots", "points", "matrix"})     # the activities over entries that planning reads


def _iso(value: Any) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value is not None else None


# The survey's figures per assessment, kept while its responses stay the same (scoring is the slow read).
_SURVEY: dict[tuple, dict[str, dict | None]] = {}
_SURVEY_LOCK = threading.Lock()
_SURVEY_KEPT = 16


def survey_figures(con: duckdb.DuckDBPyConnection, a: Assessment) -> dict[str, dict | None]:
    """Dimension or statement id -> the whole assessment's published {"current", "desired", "gap", "n"},
    None where scoring withholds it (fewer than the minimum group size)."""
    key = (id(con), a.id, a.min_group_size, responses.data_stamp(con, a.id))
    with _SURVEY_LOCK:
        if key in _SURVEY:
            return _SURVEY[key]
    q = questionnaires.get(con, a.questionnaire_id, a.questionnaire_version)
    whole = scoring.score(con, a, q).whole
    figures: dict[str, dict | None] = {}
    if whole is not None:
        for frame in (whole.dimensions, whole.statements):
            for row in frame.to_dict("records"):
                shown = not row["suppressed"] and row["current"] == row["current"]     # NaN: withheld
                figures[row["id"]] = ({k: None if row[k] != row[k] else round(float(row[k]), 2)
                                       for k in SURVEY_FIGURES} if shown else None)
    with _SURVEY_LOCK:
        if len(_SURVEY) >= _SURVEY_KEPT:
            _SURVEY.clear()
        _SURVEY[key] = figures
    return figures


def _rounds(cur: Cursor, con: duckdb.DuckDBPyConnection, a: Assessment, act: Activity) -> list[RoundResult]:
    """Every round of the activity: results of locked rounds (anonymity applied), the count only of an
    open one."""
    if act.draft.kind == "recap":
        return []
    survey = None
    if act.draft.kind == "rating":
        survey = survey_figures(con, a).get(act.draft.items[0])
    out = []
    for number, revealed in store.rounds(cur, act.id):
        if number == act.round and act.state == "open":
            out.append(RoundResult(number, store.answered(cur, act.id, number), False, None,
                                   needed=a.min_group_size))
            continue
        answers = store.round_answers(cur, act.id, number)
        result = kinds.results(act, number, answers, a.min_group_size, survey)
        out.append(replace(result, revealed=revealed))
    return out


def _activity_doc(act: Activity) -> dict[str, Any]:
    settings = {name: kinds.setting(act.draft, name) for name in kinds.SETTINGS.get(act.draft.kind, {})}
    return {"id": act.id, "kind": act.draft.kind, "title": act.draft.title,
            "items": [{"id": i, "label": act.labels.get(i, i)} for i in act.draft.items],
            "settings": settings, "round": act.round, "state": act.state, "revealed": act.revealed,
            "closes_at": _iso(act.closes_at)}


# The phone view of each workshop at its latest stamp: every phone of a room asks for the same view after
# each change, and reading it costs about 35 ms against 3 ms for the code and the stamp.
_VIEWS: dict[tuple, tuple[tuple, dict]] = {}
_VIEWS_LOCK = threading.Lock()
_VIEWS_KEPT = 64


def public_view(con: duckdb.DuckDBPyConnection, code: str) -> dict | None:
    """What a phone may see of the live workshop with this code (None: no such live workshop): the
    current activity, the counts, and its latest round's results once revealed. Never notes, tokens,
    the stamp (its newest answer id counts every workshop's answers), other workshops or unrevealed
    results. Kept per workshop until its stamp changes (the survey figure beside a revealed rating then
    follows new survey responses at the workshop's next change)."""
    with cursor(con) as cur:
        w = store.by_code(cur, code)
        if w is None:
            return None
        stamp, key = store.stamp(cur, w.id), (id(con), w.id, w.code, w.created_at)
        with _VIEWS_LOCK:
            kept = _VIEWS.get(key)
        if kept is not None and kept[0] == stamp:
            return copy.deepcopy(kept[1])
        doc = _public_view(con, cur, w)
    with _VIEWS_LOCK:
        if len(_VIEWS) >= _VIEWS_KEPT:
            _VIEWS.clear()
        _VIEWS[key] = (stamp, doc)
    return copy.deepcopy(doc)


def _public_view(con: duckdb.DuckDBPyConnection, cur: Cursor, w: store.Workshop) -> dict:
    a = assessments.fetch_id(cur, w.assessment_id)
    doc: dict[str, Any] = {"workshop": w.title, "joined": store.joined(cur, w.id),
                           "groups": [g.name for g in a.stakeholder_groups], "activity": None}
    if w.current_activity_id is None:
        return doc
    act = store.activity(cur, w.current_activity_id)
    shown = _activity_doc(act)
    del shown["revealed"]
    shown["answered"] = store.answered(cur, act.id, act.round) if act.round else 0
    shown["results"] = None
    if act.revealed and act.state == "locked":
        latest = [r for r in _rounds(cur, con, a, act) if r.number == act.round]
        shown["results"] = latest[0].to_dict() if latest else None
    doc["activity"] = shown
    return doc


def activity_results(con: duckdb.DuckDBPyConnection, workshop_id: int,
                     activity_id: int | None = None) -> list[dict]:
    """Every activity's rounds with their results (the command line's JSON): [{"id", "kind", "title",
    "items", "rounds": [RoundResult.to_dict()]}]; one activity when activity_id is given."""
    with cursor(con) as cur:
        w = store.get(cur, workshop_id)
        a = assessments.fetch_id(cur, w.assessment_id)
        acts = [x for x in store.activities(cur, workshop_id) if activity_id in (None, x.id)]
        if activity_id is not None and not acts:
            raise KeyError(f"no activity {activity_id} in workshop {workshop_id}")
        return [{"id": act.id, "kind": act.draft.kind, "title": act.draft.title,
                 "items": _activity_doc(act)["items"],
                 "rounds": [r.to_dict() for r in _rounds(cur, con, a, act)]} for act in acts]


def _queue(cur: Cursor, act: Activity, answered: int, min_size: int) -> list[dict] | None:
    """The moderation queue of a text round ({"answer_id", "text"}, ordered by text), or None while it
    is held back: an open round with fewer than min_size texts in, where the newest text beside the live
    Answered count would say who just wrote it."""
    if act.state == "open" and answered < min_size:
        return None
    return store.pending_texts(cur, act.id, act.round).to_dict("records")


def room(con: duckdb.DuckDBPyConnection, workshop_id: int) -> dict:
    """The console's and projector's aggregate: the workshop, its activities with their state, answer
    counts, rounds (revealed or not: the projector shows only those with "revealed"), notes, the
    moderation queue of the current text round (`pending`: None while _queue holds it back); who
    joined; the stamp it was read at."""
    with cursor(con) as cur:
        stamp = store.stamp(cur, workshop_id)
        w = store.get(cur, workshop_id)
        a = assessments.fetch_id(cur, w.assessment_id)
        acts = []
        for act in store.activities(cur, workshop_id):
            doc = _activity_doc(act)
            doc.update(position=act.position, item_kind=act.draft.item_kind, notes=act.draft.notes,
                       why=act.draft.why, current=act.id == w.current_activity_id,
                       answered=store.answered(cur, act.id, act.round) if act.round else 0,
                       rounds=[r.to_dict() for r in _rounds(cur, con, a, act)], pending=[])
            if act.draft.kind == "text" and act.round:
                doc["pending"] = _queue(cur, act, doc["answered"], a.min_group_size)
            acts.append(doc)
        return {"workshop": {"id": w.id, "title": w.title, "code": w.code, "status": w.status,
                             "assessment": a.slug, "created_at": _iso(w.created_at),
                             "current_activity_id": w.current_activity_id},
                "min_group_size": a.min_group_size, "groups": [g.name for g in a.stakeholder_groups],
                "joined": store.joined(cur, workshop_id), "activities": acts, "stamp": str(stamp)}


def revealed_rounds(con: duckdb.DuckDBPyConnection, a: Assessment) -> list[tuple[Activity, RoundResult]]:
    """The revealed rounds of the assessment's workshops that voted on entries (dots, points, 2x2),
    in the order they happened, with their results as the projector showed them (_rounds: none below
    the minimum group size, an open round never computed): what planning ranks and plans with."""
    out = []
    with cursor(con) as cur:
        for w in sorted(store.list_for(cur, a.id), key=lambda w: (w.created_at, w.id)):
            for act in store.activities(cur, w.id):
                if act.draft.kind in VOTES and act.draft.item_kind == "entry":
                    out += [(act, r) for r in _rounds(cur, con, a, act) if r.revealed]
    return out


def stamp(con: duckdb.DuckDBPyConnection, workshop_id: int) -> tuple:
    """The workshop's stamp (store.stamp): what the pages' cached room is keyed by."""
    with cursor(con) as cur:
        return store.stamp(cur, workshop_id)


def workshops(con: duckdb.DuckDBPyConnection, assessment_id: int) -> list[store.Workshop]:
    """The assessment's workshops, newest first, as the pages pick them."""
    with cursor(con) as cur:
        return store.list_for(cur, assessment_id)


def activities(con: duckdb.DuckDBPyConnection, workshop_id: int) -> list[Activity]:
    """The workshop's agenda in order, each activity with its current round's state."""
    with cursor(con) as cur:
        return store.activities(cur, workshop_id)


def activity(con: duckdb.DuckDBPyConnection, activity_id: int) -> Activity:
    """One activity with its current round's state (KeyError: no such activity)."""
    with cursor(con) as cur:
        return store.activity(cur, activity_id)


def list_for(con: duckdb.DuckDBPyConnection, assessment_id: int) -> list[dict]:
    """The assessment's workshops, newest first, with how many activities and participants each has."""
    with cursor(con) as cur:
        return [{"id": w.id, "title": w.title, "code": w.code, "status": w.status,
                 "created_at": _iso(w.created_at), "activities": len(store.activities(cur, w.id)),
                 "joined": store.joined(cur, w.id)} for w in store.list_for(cur, assessment_id)]
