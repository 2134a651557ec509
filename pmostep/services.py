"""Use cases across the steps, each one unit of work (see docs/architecture.md).

Pages and the command line call these and only render or print what they return; the domain and store
functions that write take the unit of work's cursor and never open a transaction of their own.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from types import TracebackType
from typing import TypeVar

import duckdb

from pmostep import demo
from pmostep.core.questionnaire import Questionnaire
from pmostep.foundation import assessments
from pmostep.foundation.assessments import Assessment, StakeholderGroup
from pmostep.initiation import survey
from pmostep.initiation.imports import batches, pipeline
from pmostep.initiation.imports import profiles as mapping_profiles
from pmostep.planning import decisions, recommend
from pmostep.products.catalogue import Catalogue
from pmostep.store import questionnaires, responses
from pmostep.store.db import cursor

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


def create_assessment(con: duckdb.DuckDBPyConnection, slug: str, q: Questionnaire, **facts) -> Assessment:
    """A new assessment on questionnaire `q` (registered with it), with its Foundation facts."""
    return _in_one_unit(con, assessments.create, slug, q, **facts)


def update_assessment(con: duckdb.DuckDBPyConnection, slug: str, *,
                      stakeholder_groups: list[StakeholderGroup] | None = None, **facts) -> Assessment:
    """Change Foundation facts (and the stakeholder groups, when given), all or nothing."""
    return _in_one_unit(con, assessments.update, slug, stakeholder_groups=stakeholder_groups, **facts)


def set_status(con: duckdb.DuckDBPyConnection, slug: str, status: str) -> Assessment:
    """Open, close, reopen or archive an assessment."""
    return _in_one_unit(con, assessments.set_status, slug, status)


def follow_up(con: duckdb.DuckDBPyConnection, slug: str, new_slug: str,
              name: str | None = None) -> Assessment:
    """A follow-up of the assessment: same organisation, facts and questionnaire version."""
    return _in_one_unit(con, assessments.follow_up, slug, new_slug, name)


def delete_assessment(con: duckdb.DuckDBPyConnection, slug: str) -> None:
    """Remove an assessment and everything recorded for it: responses, decisions, imports, links."""
    _in_one_unit(con, _delete, slug)


def _delete(cur: duckdb.DuckDBPyConnection, slug: str) -> None:
    assessment = assessments.fetch(cur, slug)
    responses.delete_for_assessment(cur, assessment.id)
    decisions.delete_for_assessment(cur, assessment.id)
    batches.delete_for_assessment(cur, assessment.id)
    survey.delete_for_assessment(cur, assessment.id)
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


def save_catalogue(con: duckdb.DuckDBPyConnection, assessment_id: int, cat: Catalogue) -> list[str]:
    """Store the assessment's customised catalogue; returns the entries whose choices went with it."""
    return _in_one_unit(con, decisions.save_catalogue, assessment_id, cat)


def reset_catalogue(con: duckdb.DuckDBPyConnection, assessment_id: int) -> None:
    """Go back to the shipped catalogue."""
    _in_one_unit(con, decisions.reset_catalogue, assessment_id)


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
    with UnitOfWork(con) as uow:
        questionnaires.register(uow.cur, q)        # a version conflict stops here, before any delete
        for slug in demo.SLUGS:
            with contextlib.suppress(assessments.AssessmentError):
                _delete(uow.cur, slug)
        created = demo.write(uow.cur, q, earlier_batch, batch)
        uow.commit()
    for each in created:      # each survey arrives at once (docs/scoring.md)
        responses.publish(con, each.id, [p.id for p in q.profile], each.min_group_size)
    return created[-1]
