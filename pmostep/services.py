"""Use cases across the steps, each one unit of work (see docs/architecture.md).

Pages and the command line call these and only render or print what they return; the domain and store
functions that write take the unit of work's cursor and never open a transaction of their own.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import secrets
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from types import TracebackType
from typing import TypeVar

import duckdb

from pmostep import demo
from pmostep.core.questionnaire import Questionnaire
from pmostep.core.throttle import Limits, Rate, Throttle
from pmostep.foundation import assessments, facts
from pmostep.foundation.assessments import Assessment, StakeholderGroup
from pmostep.foundation.facts import Position
from pmostep.initiation import survey
from pmostep.initiation.imports import batches, pipeline
from pmostep.initiation.imports import profiles as mapping_profiles
from pmostep.planning import decisions, know_how, recommend, self_check
from pmostep.products import roles
from pmostep.products.catalogue import Catalogue
from pmostep.store import questionnaires, responses
from pmostep.store.db import cursor
from pmostep.workshop import activities as workshop_activities
from pmostep.workshop import items as workshop_items
from pmostep.workshop import live as workshop_live
from pmostep.workshop import store as workshop_store
from pmostep.workshop.activities import Activity, ActivityDraft, WorkshopError
from pmostep.workshop.store import Workshop

T = TypeVar("T")


class UnitOfWork:
    """One cursor in one transaction: `with UnitOfWork(con) as uow: ...; uow.commit()`.

    Nothing stands until commit() is called: leaving the block without it, by an exception or an
    early return, rolls back every write made on `uow.cur`, the questionnaire registered with a new
    assessment included. Explicit, so a use case says where its all-or-nothing ends.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con
        self._open = False
        self.cur: duckdb.DuckDBPyConnection

    def __enter__(self) -> UnitOfWork:
        self.cur = self._con.cursor()
        self.cur.execute("BEGIN TRANSACTION")
        self._open = True
        return self

    def commit(self) -> None:
        self._open = False        # a COMMIT that fails (a conflict) ends the transaction too
        self.cur.execute("COMMIT")

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if self._open:
                self.cur.execute("ROLLBACK")
        finally:
            self.cur.close()


def _in_one_unit(con: duckdb.DuckDBPyConnection, write: Callable[..., T], *args, **kwargs) -> T:
    """`write(cur, *args, **kwargs)` as a unit of work of its own: the use cases that are one write."""
    with UnitOfWork(con) as uow:
        done = write(uow.cur, *args, **kwargs)
        uow.commit()
    return done


def register_questionnaire(con: duckdb.DuckDBPyConnection, q: Questionnaire) -> None:
    """Store a questionnaire version once (the app and `init` do it on start)."""
    _in_one_unit(con, questionnaires.register, q)


def assessment_with_questionnaire(con: duckdb.DuckDBPyConnection,
                                  slug: str) -> tuple[Assessment, Questionnaire]:
    """The assessment and the questionnaire version it was given: what every step's figures need."""
    a = assessments.get(con, slug)
    return a, questionnaires.get(con, a.questionnaire_id, a.questionnaire_version)


def create_assessment(con: duckdb.DuckDBPyConnection, slug: str, q: Questionnaire, **given) -> Assessment:
    """A new assessment on questionnaire `q` (registered with it), with its Foundation facts."""
    return _in_one_unit(con, assessments.create, slug, q, **given)


def update_assessment(con: duckdb.DuckDBPyConnection, slug: str, *,
                      stakeholder_groups: list[StakeholderGroup] | None = None, **changes) -> Assessment:
    """Change Foundation facts (and the stakeholder groups, when given), all or nothing; the stakeholder
    positions of a group no longer listed go with it."""
    with UnitOfWork(con) as uow:
        a = assessments.update(uow.cur, slug, stakeholder_groups=stakeholder_groups, **changes)
        facts.keep_positions_of(uow.cur, a.id, [g.name for g in a.stakeholder_groups])
        uow.commit()
    return a


def save_staff(con: duckdb.DuckDBPyConnection, slug: str, staff: dict[str, float]) -> dict[str, float]:
    """Replace the PMO's current staff by role (role id -> FTE; a role left out is not entered), checked
    against the roles the assessment uses (the shipped ones and its extension's), all or nothing."""
    with UnitOfWork(con) as uow:
        a = assessments.fetch(uow.cur, slug)
        names = roles.names(know_how.fetch_roles(uow.cur, a.id))     # as the write sees them
        stored = facts.save_staff(uow.cur, a.id, staff, names)
        uow.commit()
    return stored


def save_stakeholder_positions(con: duckdb.DuckDBPyConnection, slug: str,
                               positions: list[Position]) -> list[Position]:
    """Replace the influence and support the lead entered per stakeholder group, checked against the
    assessment's groups, all or nothing."""
    with UnitOfWork(con) as uow:
        a = assessments.fetch(uow.cur, slug)
        stored = facts.save_positions(uow.cur, a.id, positions, [g.name for g in a.stakeholder_groups])
        uow.commit()
    return stored


def set_status(con: duckdb.DuckDBPyConnection, slug: str, status: str) -> Assessment:
    """Open, close, reopen or archive an assessment."""
    return _in_one_unit(con, assessments.set_status, slug, status)


def follow_up(con: duckdb.DuckDBPyConnection, slug: str, new_slug: str,
              name: str | None = None) -> Assessment:
    """A follow-up of the assessment: same organisation, facts and questionnaire version."""
    return _in_one_unit(con, assessments.follow_up, slug, new_slug, name)


def delete_assessment(con: duckdb.DuckDBPyConnection, slug: str) -> None:
    """Remove an assessment and everything recorded for it: responses, decisions, imports, links,
    workshops (under WORKSHOP_WRITES, as every workshop write), the symptoms ticked in the self-check."""
    with WORKSHOP_WRITES:
        _in_one_unit(con, _delete, slug)


def _delete(cur: duckdb.DuckDBPyConnection, slug: str) -> None:
    assessment = assessments.fetch(cur, slug)
    responses.delete_for_assessment(cur, assessment.id)
    decisions.delete_for_assessment(cur, assessment.id)
    batches.delete_for_assessment(cur, assessment.id)
    survey.delete_for_assessment(cur, assessment.id)
    workshop_store.delete_for_assessment(cur, assessment.id)
    self_check.delete_for_assessment(cur, assessment.id)
    know_how.delete_for_assessment(cur, assessment.id)
    facts.delete_for_assessment(cur, assessment.id)
    assessments.delete_rows(cur, assessment.id)


def import_prepared(con: duckdb.DuckDBPyConnection, q: Questionnaire, prepared: pipeline.PreparedImport,
                    slug: str, *, dry_run: bool = False, accept_warnings: bool = False,
                    new_assessment: dict | None = None,
                    mapping: mapping_profiles.MappingProfile | None = None) -> pipeline.ImportResult:
    """Write a prepared import (and the mapping to keep, if any) all or nothing; a dry run writes nothing.

    The assessment is created when it does not exist yet; refused (pipeline.ImportRefused) when the
    file is fatal, or has problems that are not accepted. The import is one arrival event for the
    publication (docs/scoring.md), so its respondents are published once it is stored.
    """
    if dry_run:
        return pipeline.ImportResult(prepared, slug, False, 0, None, dry_run=True)
    with pipeline.WRITE_LOCK, UnitOfWork(con) as uow:
        result = pipeline.commit(uow.cur, q, prepared, slug, accept_warnings=accept_warnings,
                                 new_assessment=new_assessment)
        if mapping is not None:
            mapping_profiles.save(uow.cur, mapping)
        uow.commit()
    if result.respondents_added:
        a = assessments.get(con, slug)
        responses.publish(con, a.id, [p.id for p in q.profile], a.min_group_size)
    return result


def save_mapping(con: duckdb.DuckDBPyConnection, profile: mapping_profiles.MappingProfile) -> None:
    """Keep a column mapping under its name for the next export (replacing one of the same name)."""
    _in_one_unit(con, mapping_profiles.save, profile)


def undo_import(con: duckdb.DuckDBPyConnection, batch_id: int) -> int:
    """Remove the respondents an import added; return how many. The import stays listed as undone."""
    return _in_one_unit(con, pipeline.undo, batch_id)


def open_link(con: duckdb.DuckDBPyConnection, slug: str, invitee: str | None = None) -> survey.Link:
    """The assessment's open link, or an invitee's personal one: made once, then the same link."""
    return _in_one_unit(con, survey.create_link, slug, invitee)


def personal_links(con: duckdb.DuckDBPyConnection, slug: str, text: str) -> tuple[int, list[str]]:
    """Personal links for every address in a pasted or uploaded list, together; bad addresses are
    listed (each is refused before it writes anything)."""
    made, problems = 0, []
    with UnitOfWork(con) as uow:
        for address in survey.parse_invitees(text):
            try:
                survey.create_link(uow.cur, slug, address)
                made += 1
            except survey.SurveyError as exc:
                problems.append(str(exc))
        uow.commit()
    return made, problems


def revoke_link(con: duckdb.DuckDBPyConnection, token: str) -> None:
    """End a survey link: it shows that it is no longer valid; its answers stay."""
    _in_one_unit(con, survey.revoke, token)


# Creating respondents one at a time in the process: two tabs of one personal link (or a double click)
# cannot both create one, and an open link's count of unfinished responses cannot overshoot its limit.
# Held only for a respondent's first save; other saves run in parallel, and two tabs saving the same
# respondent at once get DuckDB's write-write conflict, which the page answers with "please press again".
NEW_RESPONDENT = threading.Lock()


@contextlib.contextmanager
def _respondent_unit(con: duckdb.DuckDBPyConnection, session: survey.Session,
                     limit: int) -> Iterator[tuple[UnitOfWork, survey.Session]]:
    """A unit of work and the session with its respondent: stored in that unit (under NEW_RESPONDENT)
    when the session has none yet; its link and assessment as the unit read them."""
    if session.respondent_id is not None:
        with UnitOfWork(con) as uow:
            yield uow, survey.check_open(uow.cur, session)
        return
    with NEW_RESPONDENT, UnitOfWork(con) as uow:
        yield uow, survey.create_respondent(uow.cur, session, limit)


def save_survey_page(
    con: duckdb.DuckDBPyConnection,
    session: survey.Session,
    progress: int,
    ratings: dict[str, tuple[object, object]] | None = None,
    importance: dict[str, int | None] | None = None,
    profile: dict[str, str | None] | None = None,
    comments: dict[str, str | None] | None = None,
    limit: int = survey.DEFAULT_MAX_UNFINISHED,
) -> survey.Session:
    """Store one page's answers (survey.read_page says what it takes) and the page reached; return the
    session as survey.start would now: with its respondent once one is stored, and the link and
    assessment as the save read them. Before the first answer nothing is stored: a page without
    answers only moves the session on. `limit` is the open link's limit of unfinished responses,
    checked when the first answer creates the respondent."""
    page = survey.read_page(session.questionnaire, progress, ratings, importance, profile, comments)
    if session.respondent_id is None and not page.answered:
        with cursor(con) as cur:                   # a closed survey says so at once
            session = survey.check_open(cur, session)
        return replace(session, progress=max(session.progress, progress))
    with _respondent_unit(con, session, limit) as (uow, session):
        session = survey.store_page(uow.cur, session, page)
        uow.commit()
    return session


def submit_survey(con: duckdb.DuckDBPyConnection, session: survey.Session,
                  limit: int = survey.DEFAULT_MAX_UNFINISHED) -> None:
    """Mark the response complete (survey.complete); a response submitted without any answer is stored
    too (it was sent). Then publish: one submission is one arrival event (docs/scoring.md)."""
    with _respondent_unit(con, session, limit) as (uow, session):
        survey.complete(uow.cur, session)
        uow.commit()
    a = session.assessment
    responses.publish(con, a.id, [p.id for p in session.questionnaire.profile], a.min_group_size)


@dataclass(frozen=True)
class Decided:
    """What a decision stored (decision -> entries; None: cleared), and the prerequisites that stay
    rejected (accepting with prerequisites never reverses a rejection)."""
    stored: dict[str | None, list[str]]
    kept_rejected: list[str]


def decide(con: duckdb.DuckDBPyConnection, slug: str, choices: dict[str | None, list[str]], reason: str = "",
           with_prerequisites: bool = False) -> Decided:
    """Accept, reject or clear (decision None) catalogue entries with the facilitator's reason, all or
    nothing: the one place "accept with prerequisites" is decided, for the page and the command line.

    With prerequisites, the entries the accepted ones need are accepted too, unless rejected.
    Refused (DecisionError) for entries the assessment's catalogue does not have.
    """
    a, q = assessment_with_questionnaire(con, slug)
    cat, _ = decisions.catalogue(con, a.id, [d.id for d in q.dimensions])
    known = set(cat.by_id)
    unknown = sorted({i for items in choices.values() for i in items} - known)
    if unknown:
        raise decisions.DecisionError(f"not in the catalogue: {', '.join(unknown)}")
    stored, kept_rejected = {d: list(items) for d, items in choices.items()}, []
    if stored.get("accepted") and with_prerequisites:
        current = {i: c.decision for i, c in decisions.choices(con, a.id).items()}
        stored["accepted"], kept_rejected = recommend.prerequisites_to_add(cat, stored["accepted"], current)
    _in_one_unit(con, decisions.decide_many, a.id, stored, reason, known)
    return Decided(stored, kept_rejected)


def tick_symptoms(con: duckdb.DuckDBPyConnection, slug: str, problem: str, symptoms: Sequence[str],
                  seen: bool = True) -> None:
    """The self-check: tick (`seen`) or untick symptoms of one problem of the assessment's know-how, all or
    nothing. Refused (self_check.SelfCheckError) for a problem or symptom the know-how does not have.

    The check reads the know-how in the unit of work that stores the ticks, so an extension saved
    meanwhile cannot slip between them."""
    with UnitOfWork(con) as uow:
        a = assessments.fetch(uow.cur, slug)
        q = questionnaires.fetch(uow.cur, a.questionnaire_id, a.questionnaire_version)
        cat, _ = decisions.fetch_catalogue(uow.cur, a.id, [d.id for d in q.dimensions])
        self_check.check(know_how.build(q, cat, know_how.fetch_extensions(uow.cur, a.id)), problem, symptoms)
        self_check.tick(uow.cur, a.id, problem, symptoms, seen)
        uow.commit()


def save_catalogue(con: duckdb.DuckDBPyConnection, assessment_id: int, cat: Catalogue) -> list[str]:
    """Store the assessment's customised catalogue; returns the entries whose choices went with it.

    Refused (KnowHowError naming the records) while the assessment's own know-how names an entry the
    copy lacks: its problems and practices are checked against its catalogue, so they would stop the
    know-how pages. Nothing is stored then.
    """
    with UnitOfWork(con) as uow:
        _know_how_holds_with(uow.cur, assessment_id, cat)
        gone = decisions.save_catalogue(uow.cur, assessment_id, cat)
        uow.commit()
    return gone


def reset_catalogue(con: duckdb.DuckDBPyConnection, assessment_id: int) -> None:
    """Go back to the shipped catalogue. Never refused: it is the way out of a copy that no longer fits
    the questionnaire; know-how naming an entry only the copy had is then named by the know-how pages,
    which offer to go back to the shipped know-how."""
    _in_one_unit(con, decisions.reset_catalogue, assessment_id)


def _know_how_holds_with(cur: duckdb.DuckDBPyConnection, assessment_id: int, cat: Catalogue) -> None:
    """Raise KnowHowError when the assessment's extensions do not hold with `cat` as its catalogue."""
    a = assessments.fetch_id(cur, assessment_id)
    if a is None:
        raise assessments.AssessmentError(f"no assessment with id {assessment_id}")
    q = questionnaires.fetch(cur, a.questionnaire_id, a.questionnaire_version)
    know_how.build(q, cat, know_how.fetch_extensions(cur, assessment_id))


def save_know_how_extensions(con: duckdb.DuckDBPyConnection, a: Assessment, q: Questionnaire,
                             texts: Mapping[str, str]) -> know_how.KnowHow:
    """Store the assessment's own problems, practices and/or roles (kind -> YAML text: new ids are added,
    shipped ids replaced), once checked together with the shipped know-how, its other extensions and its
    catalogue. Several kinds go at once, since a new problem needs a practice that names it.

    KnowHowError lists every problem, and nothing is stored; returns the know-how the assessment now has.
    """
    with UnitOfWork(con) as uow:
        stored = know_how.fetch_extensions(uow.cur, a.id)         # checked as the write sees them
        checked = _checked_know_how(uow.cur, a, q, {**stored, **texts}, list(texts))
        for kind, text in texts.items():
            know_how.save_extension(uow.cur, a.id, kind, text)
        uow.commit()
    return checked


def clear_know_how_extensions(con: duckdb.DuckDBPyConnection, a: Assessment, q: Questionnaire,
                              kinds: Sequence[str]) -> know_how.KnowHow:
    """Go back to the shipped records of the kinds given, unless what is left needs them (a practice of
    the practices extension naming a problem of the problems extension, a role the catalogue copy names)."""
    with UnitOfWork(con) as uow:
        texts = {k: t for k, t in know_how.fetch_extensions(uow.cur, a.id).items() if k not in kinds}
        checked = _checked_know_how(uow.cur, a, q, texts, kinds)
        for kind in kinds:
            know_how.clear_extension(uow.cur, a.id, kind)
        uow.commit()
    return checked


def _checked_know_how(cur: duckdb.DuckDBPyConnection, a: Assessment, q: Questionnaire,
                      texts: dict[str, str], kinds: Sequence[str]) -> know_how.KnowHow:
    """The know-how the extension texts would give, checked against the assessment's catalogue (as the
    unit of work's cursor sees it), which is read with every role it may name today or would with the new
    texts (so a dropped role is reported by the know-how, naming the entry)."""
    wrong = [f"kind '{k}' is not one of {', '.join(know_how.KINDS)}" for k in kinds
             if k not in know_how.KINDS]
    if wrong or not kinds:
        raise know_how.KnowHowError(wrong or ["no extension was given"])
    new_roles, _ = roles.loads(texts.get("roles", ""), know_how.source("roles"), required=False)
    role_ids = {*(r.id for r in know_how.fetch_roles(cur, a.id)), *(r.id for r in new_roles)}
    cat, _ = decisions.fetch_catalogue(cur, a.id, [d.id for d in q.dimensions], role_ids)
    return know_how.build(q, cat, texts)


def save_roadmap_settings(con: duckdb.DuckDBPyConnection, assessment_id: int,
                          stored: decisions.StoredSettings) -> list[str]:
    """Store the roadmap settings; returns the entries whose pin or move fell beyond the last wave."""
    return _in_one_unit(con, decisions.save_settings, assessment_id, stored)


def place(con: duckdb.DuckDBPyConnection, assessment_id: int, item: str, wave: int | None,
          kind: str = "move", override: bool = False) -> None:
    """Pin or move a roadmap entry to a wave (None removes the pin or move)."""
    _in_one_unit(con, decisions.place, assessment_id, item, wave, kind, override)


def load_demo(con: duckdb.DuckDBPyConnection, q: Questionnaire, respondents: int = demo.DEFAULT_RESPONDENTS,
              seed: int = demo.DEFAULT_SEED) -> Assessment:
    """(Re)create the demo assessment and the earlier one it follows up, all or nothing."""
    earlier_batch, batch = demo.batches(q, respondents, seed)
    with WORKSHOP_WRITES, UnitOfWork(con) as uow:          # the demo's workshops go with it
        questionnaires.register(uow.cur, q)        # a version conflict stops here, before any delete
        for slug in demo.SLUGS:
            with contextlib.suppress(assessments.AssessmentError):
                _delete(uow.cur, slug)
        created = demo.write(uow.cur, q, earlier_batch, batch)
        uow.commit()
    for each in created:      # each survey arrives at once (docs/scoring.md)
        responses.publish(con, each.id, [p.id for p in q.profile], each.min_group_size)
    return created[-1]


# --- workshop mode (docs/workshop.md) ----------------------------------------------------------------

# Every workshop write runs under this lock: updating one DuckDB row from several sessions at once
# raised "Conflict on update!" for 9 of 21 writes; phones' answers and the facilitator's controls
# take turns instead (each holds it for one short transaction).
WORKSHOP_WRITES = threading.Lock()
CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"       # no 0/O/1/I: read from a projector
CODE_LENGTH = 6
# Wrong codes per client address, counted only when a code finds no live workshop, and refusing only
# such lookups: a room behind one address (a company's network) keeps working while a neighbour's typo
# waits. The code space (32^6) makes guessing hopeless at this pace anyway.
JOIN_THROTTLE = Throttle(Limits(first_delay=0.5, max_delay=5.0, lockout_after=50, lockout=600.0))
# New participants per client address and minute, and per workshop: one person cannot fill a group
# with made-up phones to read a colleague's answer off the by-group results (a room behind one
# address still joins 100 people in a minute).
JOINS_PER_MINUTE = 120
MAX_PARTICIPANTS = 500
JOIN_RATE = Rate(JOINS_PER_MINUTE, 60.0)
NO_WORKSHOP = "no live workshop has this code: check the code on the screen"
MAX_REQUEST_ID = 100
MAX_COUNTDOWN = 3600


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@contextlib.contextmanager
def _workshop_unit(con: duckdb.DuckDBPyConnection) -> Iterator[UnitOfWork]:
    """A unit of work under WORKSHOP_WRITES."""
    with WORKSHOP_WRITES, UnitOfWork(con) as uow:
        yield uow


@contextlib.contextmanager
def _facilitator_unit(con: duckdb.DuckDBPyConnection, workshop_id: int,
                      live: bool = True) -> Iterator[UnitOfWork]:
    """A facilitator's write: under the lock, countdowns that passed locked for real first, the
    version bumped (the stamp changes); refused for an ended workshop when `live`."""
    with _workshop_unit(con) as uow:
        try:
            w = workshop_store.get(uow.cur, workshop_id)
        except KeyError:
            raise WorkshopError(f"workshop: there is no workshop {workshop_id}") from None
        if live and w.status != "live":
            raise WorkshopError(f"workshop '{w.title}' has ended: its record stays as it is")
        workshop_store.lock_expired(uow.cur, workshop_id)
        workshop_store.touch(uow.cur, workshop_id)
        yield uow


def _new_code(cur: duckdb.DuckDBPyConnection) -> str:
    while True:
        code = "".join(secrets.choice(CODE_LETTERS) for _ in range(CODE_LENGTH))
        if not workshop_store.code_in_use(cur, code):
            return code


def _checked(con: duckdb.DuckDBPyConnection, cur: duckdb.DuckDBPyConnection, assessment_id: int,
             draft: ActivityDraft) -> tuple[ActivityDraft, dict[str, str]]:
    """The draft checked (activities.check_draft) with the names of its items (refused if unknown)."""
    draft = workshop_activities.check_draft(draft)
    a = assessments.fetch_id(cur, assessment_id)
    q = questionnaires.fetch(cur, a.questionnaire_id, a.questionnaire_version)
    return draft, workshop_items.labels(con, a, q, draft)


def new_workshop(con: duckdb.DuckDBPyConnection, slug: str, title: str | None = None,
                 agenda: Sequence[ActivityDraft] = ()) -> Workshop:
    """A live workshop of the assessment with a new join code, and the agenda's activities in order
    (pages and the command line pass agenda.suggest_for(..., ranking) to start from the suggested one)."""
    with _workshop_unit(con) as uow:
        a = assessments.fetch(uow.cur, slug)
        title = (title or "").strip() or f"{a.name}: workshop"
        if len(title) > workshop_activities.MAX_TITLE:
            raise WorkshopError(f"title must be 1-{workshop_activities.MAX_TITLE} characters")
        w = workshop_store.create(uow.cur, a.id, title, _new_code(uow.cur))
        for draft in agenda:
            workshop_store.add_activity(uow.cur, w.id, *_checked(con, uow.cur, a.id, draft), None)
        uow.commit()
    return w


def add_activity(con: duckdb.DuckDBPyConnection, workshop_id: int, draft: ActivityDraft,
                 position: int | None = None) -> Activity:
    """Add an activity at a position of the agenda (0 first; None: last)."""
    with _facilitator_unit(con, workshop_id) as uow:
        w = workshop_store.get(uow.cur, workshop_id)
        checked, labels = _checked(con, uow.cur, w.assessment_id, draft)
        act = workshop_store.add_activity(uow.cur, workshop_id, checked, labels, position)
        uow.commit()
    return act


def _editable(cur: duckdb.DuckDBPyConnection, activity_id: int, what: str) -> Activity:
    act = _activity(cur, activity_id)
    if act.state != "draft":
        raise WorkshopError(f"activity '{act.draft.title}' has been opened: it cannot be {what} "
                            "(its rounds stay with the workshop); add a new activity instead")
    return act


def _activity(cur: duckdb.DuckDBPyConnection, activity_id: int) -> Activity:
    try:
        return workshop_store.activity(cur, activity_id)
    except KeyError:
        raise WorkshopError(f"activity: there is no activity {activity_id}") from None


def _workshop_of(con: duckdb.DuckDBPyConnection, activity_id: int) -> int:
    with cursor(con) as cur:
        return _activity(cur, activity_id).workshop_id


def update_activity(con: duckdb.DuckDBPyConnection, activity_id: int, draft: ActivityDraft) -> Activity:
    """Change an activity while it has never been opened."""
    with _facilitator_unit(con, _workshop_of(con, activity_id)) as uow:
        act = _editable(uow.cur, activity_id, "changed")
        w = workshop_store.get(uow.cur, act.workshop_id)
        workshop_store.update_activity(uow.cur, activity_id, *_checked(con, uow.cur, w.assessment_id, draft))
        act = workshop_store.activity(uow.cur, activity_id)
        uow.commit()
    return act


def move_activity(con: duckdb.DuckDBPyConnection, activity_id: int, position: int) -> None:
    """Move an activity to a position of the agenda (0 first)."""
    workshop_id = _workshop_of(con, activity_id)
    with _facilitator_unit(con, workshop_id) as uow:
        workshop_store.move_activity(uow.cur, workshop_id, activity_id, position)
        uow.commit()


def drop_activity(con: duckdb.DuckDBPyConnection, activity_id: int) -> None:
    """Take an activity off the agenda while it has never been opened."""
    workshop_id = _workshop_of(con, activity_id)
    with _facilitator_unit(con, workshop_id) as uow:
        _editable(uow.cur, activity_id, "dropped")
        if workshop_store.get(uow.cur, workshop_id).current_activity_id == activity_id:
            workshop_store.set_current(uow.cur, workshop_id, None)
        workshop_store.drop_activity(uow.cur, workshop_id, activity_id)
        uow.commit()


def show_activity(con: duckdb.DuckDBPyConnection, workshop_id: int, activity_id: int | None) -> None:
    """What the phones show now (None: nothing, a pause)."""
    with _facilitator_unit(con, workshop_id) as uow:
        if activity_id is not None and _activity(uow.cur, activity_id).workshop_id != workshop_id:
            raise WorkshopError(f"activity: {activity_id} is not an activity of this workshop")
        workshop_store.set_current(uow.cur, workshop_id, activity_id)
        uow.commit()


def open_round(con: duckdb.DuckDBPyConnection, activity_id: int, seconds: int | None = None) -> int:
    """Open the activity's round (and show it on the phones); return its number. A locked round opens
    round n+1; an open one keeps its number and gets the new countdown. `seconds`: a countdown that
    locks the round at zero (checked against the clock on every answer and read)."""
    if seconds is not None and (not isinstance(seconds, int) or isinstance(seconds, bool)
                                or not 5 <= seconds <= MAX_COUNTDOWN):
        raise WorkshopError(f"seconds: a countdown is a whole number of seconds from 5 to {MAX_COUNTDOWN}")
    workshop_id = _workshop_of(con, activity_id)
    with _facilitator_unit(con, workshop_id) as uow:
        act = _activity(uow.cur, activity_id)
        if act.draft.kind == "recap":
            raise WorkshopError("activity: a recap is shown, not answered: it has no rounds")
        closes_at = workshop_store.now() + timedelta(seconds=seconds) if seconds else None
        number = act.round if act.state == "open" else act.round + 1
        if act.state == "open":
            workshop_store.reopen_round(uow.cur, activity_id, number, closes_at)
        else:
            workshop_store.open_round(uow.cur, activity_id, number, closes_at)
        workshop_store.set_current(uow.cur, workshop_id, activity_id)
        uow.commit()
    return number


def _opened(cur: duckdb.DuckDBPyConnection, activity_id: int) -> Activity:
    act = _activity(cur, activity_id)
    if act.round == 0:
        raise WorkshopError(f"activity '{act.draft.title}' has no round yet: open one first")
    return act


def lock_round(con: duckdb.DuckDBPyConnection, activity_id: int) -> None:
    """Stop taking answers in the current round (locking a locked round changes nothing)."""
    with _facilitator_unit(con, _workshop_of(con, activity_id)) as uow:
        act = _opened(uow.cur, activity_id)
        workshop_store.lock_round(uow.cur, activity_id, act.round)
        uow.commit()


def reveal(con: duckdb.DuckDBPyConnection, activity_id: int) -> None:
    """Show the current round's results; an open round is locked first, so shown figures never move."""
    with _facilitator_unit(con, _workshop_of(con, activity_id)) as uow:
        act = _opened(uow.cur, activity_id)
        workshop_store.lock_round(uow.cur, activity_id, act.round)
        workshop_store.reveal_round(uow.cur, activity_id, act.round)
        uow.commit()


def end_workshop(con: duckdb.DuckDBPyConnection, workshop_id: int) -> None:
    """End the workshop: open rounds lock, the code stops working, the record stays."""
    with _facilitator_unit(con, workshop_id, live=False) as uow:
        for act in workshop_store.activities(uow.cur, workshop_id):
            if act.state == "open":
                workshop_store.lock_round(uow.cur, act.id, act.round)
        workshop_store.end(uow.cur, workshop_id)
        uow.commit()


def _live(cur: duckdb.DuckDBPyConnection, code: object) -> Workshop:
    w = workshop_store.by_code(cur, code) if isinstance(code, str) else None
    if w is None:
        raise WorkshopError(NO_WORKSHOP)
    return w


class Throttled(WorkshopError):
    """Refused until a wait passes (HTTP 429): too many wrong codes or new participants from one address."""


def live_workshop(con: duckdb.DuckDBPyConnection, code: object, client: str | None = None) -> Workshop:
    """The live workshop of a code (case-blind). A code that finds none counts against the `client`
    address (JOIN_THROTTLE); while that address waits, lookups that find nothing are refused with
    Throttled, and a valid code is still found: a neighbour's typo never locks a room out. An unknown
    code and an ended workshop's get the same answer, NO_WORKSHOP."""
    with cursor(con) as cur:
        w = workshop_store.by_code(cur, code) if isinstance(code, str) else None
    if w is not None:
        return w
    keys = [f"client:{client}"] if client else []
    verdict = JOIN_THROTTLE.check(keys)
    if not verdict.allowed:
        raise Throttled(f"too many tries with a wrong code: wait {math.ceil(verdict.wait)} s")
    JOIN_THROTTLE.failed(keys)
    raise WorkshopError(NO_WORKSHOP)


def join(con: duckdb.DuckDBPyConnection, code: str, group: str | None = None, token: str | None = None,
         client: str | None = None) -> str:
    """Join a live workshop by its code; return the participant's token (a new one unless `token` is
    one of this workshop's). `group`: one of the assessment's stakeholder groups, or None. The code is
    looked up by live_workshop (wrong codes throttled per `client` address); new participants are
    limited to JOINS_PER_MINUTE per address (Throttled) and MAX_PARTICIPANTS per workshop."""
    live_workshop(con, code, client)
    group = group.strip() if isinstance(group, str) and group.strip() else None
    with _workshop_unit(con) as uow:
        w = _live(uow.cur, code)                    # ended meanwhile: NO_WORKSHOP
        groups = [g.name for g in assessments.fetch_id(uow.cur, w.assessment_id).stakeholder_groups]
        if group is not None and group not in groups:
            raise WorkshopError(f"group {group!r} is not one of this assessment's stakeholder groups: "
                                f"{', '.join(groups) or 'it has none'}")
        given = token if isinstance(token, str) and token else None
        known = workshop_store.participant(uow.cur, w.id, _token_hash(given)) if given else None
        if known is None:
            if workshop_store.joined(uow.cur, w.id) >= MAX_PARTICIPANTS:
                raise WorkshopError(f"the workshop is full: {MAX_PARTICIPANTS} people have joined")
            if client and not JOIN_RATE.allow(f"client:{client}"):
                raise Throttled("too many people joined from this network in a minute: try again shortly")
            token = secrets.token_urlsafe(24)
            workshop_store.add_participant(uow.cur, w.id, _token_hash(token), group)
        elif group is not None and group != known[1]:
            workshop_store.set_group(uow.cur, known[0], group)
            workshop_store.touch(uow.cur, w.id)
        uow.commit()
    return token


def is_participant(con: duckdb.DuckDBPyConnection, workshop_id: int, token: str) -> bool:
    """Whether the token joined this workshop: a read, so a made-up token is refused without the
    write lock."""
    with cursor(con) as cur:
        return workshop_store.participant(cur, workshop_id, _token_hash(token)) is not None


def answer(con: duckdb.DuckDBPyConnection, code: str, token: str, activity_id: int, answer: object,
           request_id: str) -> bool:
    """Store a phone's answer to the activity shown now: True if stored now, False if this request_id
    was stored already (a double tap, a retry). WorkshopError for a wrong code or token, another
    activity than the one shown, a round that is not open, or an answer activities.check_answer refuses."""
    if not isinstance(request_id, str) or not 1 <= len(request_id) <= MAX_REQUEST_ID:
        raise WorkshopError(f"request_id must be 1-{MAX_REQUEST_ID} characters")
    if not isinstance(token, str) or not token:
        raise WorkshopError("token: join the workshop first")
    with _workshop_unit(con) as uow:
        w = _live(uow.cur, code)
        who = workshop_store.participant(uow.cur, w.id, _token_hash(token))
        if who is None:
            raise WorkshopError("token: this phone has not joined this workshop: join again")
        if workshop_store.request_stored(uow.cur, who[0], request_id):
            return False
        shown = w.current_activity_id
        if not isinstance(activity_id, int) or isinstance(activity_id, bool) or activity_id != shown:
            raise WorkshopError("activity: this is not the activity shown now: reload the page")
        act = workshop_store.activity(uow.cur, activity_id)
        if act.workshop_id != w.id:
            raise WorkshopError("activity: this is not the activity shown now: reload the page")
        if act.state != "open":
            raise WorkshopError("the round is locked: answers are no longer taken")
        checked = workshop_activities.check_answer(act, answer)
        workshop_store.add_answer(uow.cur, w.id, act.id, act.round, who, checked, request_id)
        uow.commit()
    return True


def moderate(con: duckdb.DuckDBPyConnection, answer_id: int, approved: bool) -> None:
    """Approve (shown on the projector once revealed) or refuse an open text; a later decision counts."""
    if not isinstance(approved, bool):
        raise WorkshopError("approved must be true or false")
    with cursor(con) as cur:
        activity_id = workshop_store.answer_activity(cur, answer_id)
    if activity_id is None:
        raise WorkshopError(f"answer: there is no answer {answer_id}")
    with _facilitator_unit(con, _workshop_of(con, activity_id), live=False) as uow:
        if _activity(uow.cur, activity_id).draft.kind != "text":
            raise WorkshopError("answer: only open texts are moderated")
        workshop_store.moderate(uow.cur, answer_id, approved)
        uow.commit()


def decide_from_round(con: duckdb.DuckDBPyConnection, activity_id: int, number: int, decision: str,
                      items: Sequence[str], reason: str | None = None,
                      with_prerequisites: bool = True) -> Decided:
    """Accept or reject catalogue entries of an activity with a reason drawn from a locked round
    ("Workshop round 2: 34 of 120 dots (28 %)") unless one is given, through `decide` (accepting
    brings the entries' prerequisites along unless `with_prerequisites` is False)."""
    if decision not in decisions.DECISIONS:
        raise WorkshopError(f"decision must be one of {', '.join(decisions.DECISIONS)}, not {decision!r}")
    found = [r for r in workshop_live.activity_results(con, _workshop_of(con, activity_id), activity_id)[0]
             ["rounds"] if r["number"] == number]
    with cursor(con) as cur:
        act = _activity(cur, activity_id)
        a = assessments.fetch_id(cur, workshop_store.get(cur, act.workshop_id).assessment_id)
    if act.draft.item_kind != "entry":
        raise WorkshopError("activity: only activities over catalogue entries become decisions")
    if not found:
        has = f"rounds 1-{act.round}" if act.round else "no rounds yet"
        raise WorkshopError(f"round {number}: activity '{act.draft.title}' has {has}")
    if number == act.round and act.state == "open":
        raise WorkshopError(f"round {number}: decide from a round that has been locked")
    outside = sorted(set(items) - set(act.draft.items))
    if not items or outside:
        raise WorkshopError(f"items: give entries of this activity ({', '.join(act.draft.items)})")
    if reason is None:
        reason = workshop_activities.reason(act, found[0], list(items))
    return decide(con, a.slug, {decision: list(items)}, reason, with_prerequisites=with_prerequisites)
