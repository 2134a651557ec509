"""The respondent survey: links, a respondent's session (start, resume; the checks and writes of saving a
page and submitting, which services.py runs as units of work).

Every input is validated here, not only in the widgets: unknown statements, out-of-range values and
oversized text are refused with a message. A closed or archived assessment, an unknown, revoked or
malformed token stores nothing. Opening a link stores nothing either: the respondent is created by
the first saved answer (or the submission), so visitors who only look cannot grow the database, and
an open link holds at most a set number of unfinished responses (`max_unfinished`).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import duckdb
import pandas as pd

from pmostep.core.errors import PMOStepError
from pmostep.core.questionnaire import Questionnaire
from pmostep.foundation import assessments
from pmostep.store import questionnaires, responses
from pmostep.store.db import cursor

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
NA = "na"


class SurveyError(PMOStepError):
    """A link or an answer that cannot be used; the message is for the respondent."""


@dataclass(frozen=True)
class Link:
    token: str
    assessment_id: int
    kind: str
    invitee: str | None
    created_at: datetime
    revoked_at: datetime | None
    submitted_at: datetime | None = None

    @property
    def path(self) -> str:
        """The link's path on the app: the root, so a respondent's first visit after a restart needs no
        page lookup (app.py shows a visitor with a token the survey and nothing else)."""
        return f"/?t={self.token}"


@dataclass(frozen=True)
class Session:
    """A respondent taking the survey through a link; no respondent is stored (respondent_id and
    resume_token are None) until the first saved answer."""

    respondent_id: int | None
    resume_token: str | None
    assessment: assessments.Assessment
    questionnaire: Questionnaire
    link: Link
    progress: int
    completed: bool


def resume_cookie(token: str) -> str:
    """The cookie that remembers, on one device, whose answers an open link resumes."""
    return "pmostep_resume_" + hashlib.sha256(token.encode("utf-8")).hexdigest()[:16]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


_LINK_COLUMNS = "token, assessment_id, kind, invitee, created_at, revoked_at, submitted_at"
MAX_PROGRESS = 1000
MAX_UNFINISHED_ENV = "PMOSTEP_MAX_UNFINISHED"
DEFAULT_MAX_UNFINISHED = 1000


def max_unfinished(setting: str | int | None = None) -> int:
    """The open link's limit of unfinished responses: a setting (Streamlit secrets), else
    $PMOSTEP_MAX_UNFINISHED, else 1000."""
    value = setting if setting not in (None, "") else os.environ.get(MAX_UNFINISHED_ENV)
    if value in (None, ""):
        return DEFAULT_MAX_UNFINISHED
    try:
        limit = int(value)
    except (TypeError, ValueError):
        limit = 0
    if limit < 1:
        raise SurveyError(f"max_unfinished ({value!r}) must be a whole number of responses, at least 1")
    return limit


def _full(link: Link, unfinished: int, limit: int) -> SurveyError | None:
    if link.kind == "open" and unfinished >= limit:
        return SurveyError(f"This survey already has {unfinished} unfinished responses, its limit, so a new "
                           "one cannot be started just now. Please try again later or tell the survey's "
                           "organiser.")
    return None


# How to take an assessment back to open, for each status that hands out no links.
REOPEN = {"closed": "reopen it on the Foundation page (Status: Reopen)",
          "archived": "on the Foundation page (with 'Show archived assessments' on) use Close, then Reopen"}


def link_refusal(a: assessments.Assessment) -> str | None:
    """Why the assessment takes no new links, or None: a closed survey's link would only say it is closed."""
    how = REOPEN.get(a.status)
    if how is None:
        return None
    return f"assessment '{a.slug}' is {a.status}, so it takes no new survey links: {how}"


def create_link(cur: duckdb.DuckDBPyConnection, slug: str, invitee: str | None = None) -> Link:
    """A new link on the caller's transaction: personal when an invitee's e-mail is given, else the
    assessment's open link.

    There is one open link per assessment: asking again returns it. Closed and archived assessments
    hand out none (link_refusal).
    """
    a = assessments.fetch(cur, slug)
    if refusal := link_refusal(a):
        raise SurveyError(refusal)
    if invitee is not None:
        invitee = invitee.strip().lower()
        if not EMAIL_PATTERN.match(invitee):
            raise SurveyError(f"'{invitee}' is not an e-mail address")
    if invitee is None:
        row = cur.execute(f"SELECT {_LINK_COLUMNS} FROM survey_links WHERE assessment_id = ? "
                          "AND kind = 'open' AND revoked_at IS NULL", [a.id]).fetchone()
    else:
        row = cur.execute(f"SELECT {_LINK_COLUMNS} FROM survey_links WHERE assessment_id = ? "
                          "AND invitee = ? AND revoked_at IS NULL", [a.id, invitee]).fetchone()
    if row is None:
        row = cur.execute(
            f"INSERT INTO survey_links (token, assessment_id, kind, invitee) VALUES (?, ?, ?, ?) "
            f"RETURNING {_LINK_COLUMNS}",
            [secrets.token_urlsafe(18), a.id, "open" if invitee is None else "personal", invitee]).fetchone()
    return Link(*row)

HEADER_WORDS = {"email", "e-mail", "email address", "e-mail address", "name", "display name", "first name",
                "last name", "full name", "invitee", "address"}
_ANGLE = re.compile(r"<([^<>@\s]+@[^<>\s]+)>")


def parse_invitees(text: str) -> list[str]:
    """Addresses from a pasted list or a CSV (one invitee per line, fields split by , ; or tab).

    A line that holds an address gives only its addresses, so "Jane Doe, jane@acme.com" (an address
    book export) or "Jane Doe <jane@acme.com>" yields the address, not the name. A line without any
    address keeps its fields, except header words, so a mistyped address is reported, not dropped.
    De-duplicated, lower case, in order.
    """
    seen: dict[str, None] = {}
    for line in (text or "").splitlines():
        fields = [f.strip().strip('"').strip() for f in re.split(r"[,;\t]+", line)]
        fields = [_ANGLE.search(f).group(1) if _ANGLE.search(f) else f for f in fields]
        if any("@" in f for f in fields):
            fields = [f for f in fields if "@" in f]
        for field in fields:
            if field and field.lower() not in HEADER_WORDS:
                seen.setdefault(field.lower(), None)
    return list(seen)


def delete_for_assessment(cur: duckdb.DuckDBPyConnection, assessment_id: int) -> None:
    """Remove an assessment's links; the caller holds the transaction."""
    cur.execute("DELETE FROM survey_links WHERE assessment_id = ?", [assessment_id])


def links(con: duckdb.DuckDBPyConnection, assessment_id: int) -> list[Link]:
    with cursor(con) as cur:
        rows = cur.execute(f"SELECT {_LINK_COLUMNS} FROM survey_links WHERE assessment_id = ? "
                           "ORDER BY kind, created_at", [assessment_id]).fetchall()
    return [Link(*r) for r in rows]


def unfinished(con: duckdb.DuckDBPyConnection, link: Link) -> int:
    """How many responses through a link are started and not submitted (what max_unfinished bounds)."""
    with cursor(con) as cur:
        return responses.unfinished(cur, link.token)


def revoke(cur: duckdb.DuckDBPyConnection, token: str) -> None:
    """End a link, on the caller's transaction (its answers stay)."""
    cur.execute("UPDATE survey_links SET revoked_at = current_timestamp WHERE token = ?", [token])


def _resolve(cur: duckdb.DuckDBPyConnection, token: str | None) -> tuple[Link, assessments.Assessment]:
    if not isinstance(token, str) or not TOKEN_PATTERN.match(token):
        raise SurveyError("This survey link is not complete. "
                          "Please open the link exactly as you received it.")
    row = cur.execute(f"SELECT {_LINK_COLUMNS} FROM survey_links WHERE token = ?", [token]).fetchone()
    if row is None:
        raise SurveyError("This survey link is not known. Please check that you opened the whole link.")
    link = Link(*row)
    if link.submitted_at is not None:
        raise SurveyError("These answers were already submitted. Thank you!")
    if link.revoked_at is not None:
        raise SurveyError("This survey link is no longer valid. "
                          "Please ask the survey's organiser for a new one.")
    a = assessments.fetch_id(cur, link.assessment_id)
    if a is None:
        raise SurveyError("This survey link is not known. Please check that you opened the whole link.")
    if a.status != "open":
        raise SurveyError("This survey is closed: it no longer accepts answers. Thank you for your interest.")
    return link, a


def start(con: duckdb.DuckDBPyConnection, token: str | None, resume: str | None = None,
          limit: int = DEFAULT_MAX_UNFINISHED) -> Session:
    """Open (or resume) a respondent's survey through a link; only reads, so a visit stores nothing.

    A personal link always resumes its one respondent. An open link resumes the unfinished respondent
    whose resume token is given (kept in a cookie on the respondent's device), else begins a new
    response, refused while the link already holds `limit` unfinished ones.
    """
    with cursor(con) as cur:
        link, a = _resolve(cur, token)
        if link.kind == "personal":
            row = responses.survey_respondent(cur, link.token)
        else:
            row = (responses.survey_respondent(cur, link.token, resume)
                   if isinstance(resume, str) and TOKEN_PATTERN.match(resume) else None)
            if row is None and (full := _full(link, responses.unfinished(cur, link.token), limit)):
                raise full
    q = questionnaires.get(con, a.questionnaire_id, a.questionnaire_version)
    if row is None:
        return Session(None, None, a, q, link, 0, False)
    return Session(row[0], row[1], a, q, link, row[2] or 0, row[3] is not None)


def create_respondent(cur: duckdb.DuckDBPyConnection, session: Session, limit: int) -> Session:
    """The session with its respondent stored now (or found, for a personal link answered meanwhile
    in another tab), on the caller's unit of work; the caller holds the lock that keeps two new
    respondents of one link from racing (services.NEW_RESPONDENT)."""
    link, a = _resolve(cur, session.link.token)
    session = replace(session, link=link, assessment=a)
    if link.kind == "personal" and (row := responses.survey_respondent(cur, link.token)):
        if row[3] is not None:                     # submitted from another tab meanwhile
            raise SurveyError("These answers were already submitted. Thank you!")
        return replace(session, respondent_id=row[0], resume_token=row[1])
    if full := _full(link, responses.unfinished(cur, link.token), limit):
        raise full
    resume_token = secrets.token_urlsafe(18)
    new_id = responses.add_survey_respondent(cur, a.id, a.questionnaire_version, link.token, resume_token,
                                             _now())
    return replace(session, respondent_id=new_id, resume_token=resume_token)


def check_open(cur: duckdb.DuckDBPyConnection, session: Session) -> Session:
    """The session with its link and assessment as they are now, refused when it can take no answers
    (a respondent without a stored answer yet only needs its link and survey to be open)."""
    link, a = _resolve(cur, session.link.token)
    if session.respondent_id is None:
        return replace(session, link=link, assessment=a)
    done = responses.completed_at(cur, session.respondent_id, session.resume_token)
    if done is None:
        raise SurveyError("This survey session is not known any more. Please open your link again.")
    if done[0] is not None:
        raise SurveyError("These answers were already submitted. Thank you!")
    return replace(session, link=link, assessment=a)


def _rating(value: object, q: Questionnaire, what: str) -> tuple[int | None, bool]:
    """(value, is_na) of one answer: 1..N, "na" or None; anything else is refused."""
    if value is None:
        return None, False
    if value == NA:
        return None, True
    if isinstance(value, bool) or not isinstance(value, int) or not q.scale_min <= value <= q.scale_max:
        raise SurveyError(f"{what}: {value!r} is not one of the answers ({q.scale_min}-{q.scale_max} or "
                          "don't know)")
    return value, False


@dataclass(frozen=True)
class Page:
    """One page's answers, checked against the questionnaire (read_page), as the store takes them."""

    progress: int
    ratings: list[tuple]
    importance: list[tuple]
    profile: list[tuple]
    comments: list[tuple]

    @property
    def answered(self) -> bool:
        """Whether the page holds any answer: before the first, saving stores nothing."""
        return (any(r[1:] != (None, False, None, False) for r in self.ratings)
                or any(v is not None for _, v in self.importance + self.profile + self.comments))


def read_page(
    q: Questionnaire,
    progress: int,
    ratings: dict[str, tuple[object, object]] | None = None,
    importance: dict[str, int | None] | None = None,
    profile: dict[str, str | None] | None = None,
    comments: dict[str, str | None] | None = None,
) -> Page:
    """A page's answers checked, each refusal naming the question: ratings are statement id ->
    (current, desired), each 1..5, "na" or None (not answered); `progress` is the page reached."""
    statements = {s.id for s in q.statements}
    rows = []
    for sid, pair in (ratings or {}).items():
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise SurveyError(f"statement {sid}: give the current and the desired answer")
        current, desired = pair
        if sid not in statements:
            raise SurveyError(f"'{sid}' is not a statement of this survey")
        cur_value, cur_na = _rating(current, q, f"statement {sid}, current state")
        des_value, des_na = _rating(desired, q, f"statement {sid}, desired state")
        rows.append((sid, cur_value, cur_na, des_value, des_na))
    dims = {d.id for d in q.dimensions}
    imp_rows = []
    for did, value in (importance or {}).items():
        if did not in dims:
            raise SurveyError(f"'{did}' is not a dimension of this survey")
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or not 1 <= value <= len(q.importance_scale)):
            raise SurveyError(f"importance of {did}: {value!r} is not one of the answers")
        imp_rows.append((did, value))
    prof_rows = []
    for field, value in (profile or {}).items():
        question = next((p for p in q.profile if p.id == field), None)
        if question is None:
            raise SurveyError(f"'{field}' is not a question of this survey")
        if value is not None and value not in question.options:
            raise SurveyError(f"'{value}' is not an answer to '{question.text}'")
        prof_rows.append((field, value))
    com_rows = []
    for cid, text in (comments or {}).items():
        if cid not in {c.id for c in q.comments}:
            raise SurveyError(f"'{cid}' is not a question of this survey")
        if text is not None and not isinstance(text, str):
            raise SurveyError("an answer in words must be text")
        text = (text or "").strip().encode("utf-8", errors="replace").decode("utf-8")
        if len(text) > responses.MAX_TEXT:
            raise SurveyError(f"the answer is longer than {responses.MAX_TEXT} characters")
        com_rows.append((cid, text or None))
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= MAX_PROGRESS:
        raise SurveyError("the page number is not valid")
    return Page(progress, rows, imp_rows, prof_rows, com_rows)


def store_page(cur: duckdb.DuckDBPyConnection, session: Session, page: Page) -> Session:
    """Store a page's answers for the session's respondent (replacing earlier ones for the same
    questions) and the page reached, on the caller's unit of work."""
    responses.replace_answers(cur, session.respondent_id, page.ratings, page.importance, page.profile,
                              page.comments)
    responses.record_progress(cur, session.respondent_id, page.progress)
    return replace(session, progress=max(session.progress, page.progress))


def complete(cur: duckdb.DuckDBPyConnection, session: Session) -> None:
    """Mark the response complete, on the caller's unit of work: from now on it counts, and it cannot be
    changed or sent again. A personal link is marked as used and the answers stop pointing to it, so
    that they can no longer be traced to the invitee's address."""
    responses.complete(cur, session.respondent_id, _now(), forget_link=session.link.kind == "personal")
    if session.link.kind == "personal":
        cur.execute("UPDATE survey_links SET submitted_at = current_timestamp WHERE token = ?",
                    [session.link.token])


def saved_answers(con: duckdb.DuckDBPyConnection, session: Session) -> dict[str, dict]:
    """What the respondent has saved so far, in the shape save_page takes, to fill the survey in again."""
    if session.respondent_id is None:
        return {"ratings": {}, "importance": {}, "profile": {}, "comments": {}}
    saved = responses.answers_of(con, session.respondent_id)

    def value(raw: object, na: bool) -> object:
        return NA if na else (None if pd.isna(raw) else int(raw))

    return {
        "ratings": {r.statement_id: (value(r.current, r.current_na), value(r.desired, r.desired_na))
                    for r in saved["answers"].itertuples()},
        "importance": {r.dimension_id: int(r.value) for r in saved["importance"].itertuples()},
        "profile": {r.field: r.value for r in saved["profile"].itertuples()},
        "comments": {r.question_id: r.text for r in saved["comments"].itertuples()},
    }
