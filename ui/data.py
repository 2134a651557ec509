"""The app's single DuckDB connection and the cached queries the pages call.

The connection is a process-wide resource (DuckDB allows one writing process); every loader takes a
cursor inside `pmostep`. Score loaders are keyed by a data stamp, so a new response refreshes every
dashboard on its next rerun.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import os
import sys

import duckdb
import segno
import streamlit as st

from pmostep import services
from pmostep.core import questionnaire
from pmostep.core.questionnaire import Questionnaire
from pmostep.deployment import plan
from pmostep.deployment.plan import Plan
from pmostep.foundation import assessments
from pmostep.foundation.assessments import Assessment
from pmostep.initiation import survey
from pmostep.initiation.imports import columns, files, pipeline
from pmostep.initiation.imports import limits as import_limits_module
from pmostep.initiation.imports import profiles as mapping_profiles
from pmostep.planning import decisions, know_how, scoring
from pmostep.products import catalogue, roles
from pmostep.store import db, questionnaires, responses
from pmostep.workshop import live

from . import survey_keys


def _db_argument() -> str | None:
    """`streamlit run app.py -- --db PATH` passes --db to the script, as the CLI takes it."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--db")
    return parser.parse_known_args(sys.argv[1:])[0].db


def secret(key: str):
    """A value from .streamlit/secrets.toml, or None (also when there is no secrets file at all)."""
    try:
        return st.secrets.get(key)
    except FileNotFoundError:
        return None


def db_path() -> str:
    """--db, else $PMOSTEP_DB, else `db_path` in Streamlit secrets, else data/pmostep.duckdb."""
    return str(db.resolve_path(_db_argument(), secret("db_path")))


@st.cache_resource(show_spinner="Opening the database...")
def connection(path: str) -> duckdb.DuckDBPyConnection:
    """Open and migrate the database; a new file gets the demo assessment so charts show at once."""
    is_new = not os.path.exists(path)
    con = db.connect(path)
    q = questionnaire.load()
    services.register_questionnaire(con, q)
    if is_new:
        services.load_demo(con, q)
    return con


def con() -> duckdb.DuckDBPyConnection:
    return connection(db_path())


def database_problem() -> str | None:
    """Why the database cannot be opened (another process holds it, ...), or None once it is open.

    Not cached while it fails: once the other process lets go, the next call opens it.
    """
    try:
        con()
    except db.DatabaseInUse as exc:
        return (f"The {exc}. DuckDB lets only one process use the file: stop that process, or start "
                "this app on another file (--db, $PMOSTEP_DB), then reload this page.")
    except (duckdb.Error, OSError) as exc:
        return f"The database {db_path()} cannot be opened: {exc}"
    return None


@st.cache_data(show_spinner=False, max_entries=64)
def _questionnaire(path: str, qid: str, version: int) -> Questionnaire:
    return questionnaires.get(connection(path), qid, version)


def questionnaire_of(a: Assessment) -> Questionnaire:
    return _questionnaire(db_path(), a.questionnaire_id, a.questionnaire_version)


def _assessment_of(path: str, slug: str) -> tuple[Assessment, Questionnaire]:
    """The assessment as stored now and its questionnaire from the cache, for the cached figures."""
    a = assessments.get(connection(path), slug)
    return a, _questionnaire(path, a.questionnaire_id, a.questionnaire_version)


Filters = tuple[tuple[str, tuple[str, ...]], ...]     # hashable form of field -> values, for cache keys


def _stamp(a: Assessment) -> tuple:
    """What the cached figures of an assessment depend on besides their arguments: its answers, and the
    minimum group size that decides what may be shown (editable on the Foundation page)."""
    return responses.data_stamp(con(), a.id), a.min_group_size


def _frozen(filters: dict[str, list[str]] | None) -> Filters:
    return tuple(sorted((f, tuple(sorted(v))) for f, v in (filters or {}).items() if v))


@st.cache_data(show_spinner=False, max_entries=16, ttl=3600)
def _publication(path: str, slug: str, stamp: tuple):
    """Who is published, in which blocks: worked out once per change of the answers, for every view."""
    return scoring.publication(connection(path), *_assessment_of(path, slug))


@st.cache_data(show_spinner="Computing scores...", max_entries=128, ttl=3600)
def _scores(path: str, slug: str, by: str | None, filters: Filters, stamp: tuple) -> scoring.ScoreReport:
    return scoring.score(connection(path), *_assessment_of(path, slug), by=by, filters=dict(filters),
                         published=_publication(path, slug, stamp))


def scores(a: Assessment, by: str | None = None,
           filters: dict[str, list[str]] | None = None) -> scoring.ScoreReport:
    """Scores, recomputed only when the assessment's responses change."""
    return _scores(db_path(), a.slug, by, _frozen(filters), _stamp(a))


def published(a: Assessment) -> bool:
    """Whether the assessment's responses are published (its minimum group size is then fixed)."""
    with db.cursor(con()) as cur:
        return responses.blocks_formed(cur, a.id)


def max_upload_bytes() -> int:
    """The import size limit: `max_upload_mb` in secrets, else $PMOSTEP_MAX_UPLOAD_MB, else 50 MB."""
    return files.max_bytes(secret("max_upload_mb"))


def import_limits() -> import_limits_module.Limits:
    """The import limits: `max_upload_mb`, `max_unpacked_mb`, `max_columns` and `max_cells` in secrets,
    else their environment variables, else the defaults."""
    return import_limits_module.limits(secret("max_upload_mb"), secret("max_unpacked_mb"),
                                       secret("max_columns"), secret("max_cells"))


def loaded_file(name: str, content: bytes, encoding: str | None = None) -> pipeline.LoadedFile:
    """The uploaded file read once per session: re-mapping it must not re-read 100,000 rows."""
    cache = st.session_state.setdefault("_loaded_files", {})
    key = (name, hashlib.sha256(content).hexdigest(), encoding)
    if key not in cache:
        cache.clear()
        cache[key] = pipeline.load_file(name, content, encoding=encoding, limits=import_limits())
    return cache[key]


def prepared_import(loaded: pipeline.LoadedFile, a: Assessment, q: Questionnaire,
                profile: mapping_profiles.MappingProfile | None,
                overrides: dict[int, str]) -> pipeline.PreparedImport:
    """The import check of a loaded file, kept for the session until its inputs or the answers change.

    Checking 100,000 rows takes seconds: a click elsewhere on the page (a checkbox, a mapping name)
    must not check them all again.
    """
    key = (loaded.sha256, a.id, profile.to_yaml() if profile else None, tuple(sorted(overrides.items())),
           responses.data_stamp(con(), a.id))
    cache = st.session_state.setdefault("_prepared_imports", {})
    if key not in cache:
        cache.clear()
        cache[key] = pipeline.prepare_loaded(con(), q, loaded, a.id, profile, overrides)
    return cache[key]


def mapping_overrides(editor_key: str, q: Questionnaire) -> dict[int, str]:
    """The 'Maps to' cells the user changed in the mapping editor, as column position -> target."""
    state = st.session_state.get(editor_key) or {}
    by_description = {columns.describe_target(t, q): t for t in columns.valid_targets(q)}
    out = {}
    for row, changes in (state.get("edited_rows") or {}).items():
        if "Maps to" in changes and changes["Maps to"] in by_description:
            out[int(row)] = by_description[changes["Maps to"]]
    return out


def max_unfinished() -> int:
    """The open link's limit of unfinished responses: `max_unfinished` in secrets, else
    $PMOSTEP_MAX_UNFINISHED, else 1000."""
    return survey.max_unfinished(secret("max_unfinished"))


_JUST_SAVED = "_survey_just_saved"     # the session a page save (a callback) returned, for its script run


def survey_session(token: str | None, resume: str | None) -> survey.Session:
    """The respondent's session; opening a link only reads (the first saved answer stores one).

    In the script run of a page save, the session the save returned: it read the link, assessment
    and respondent in its transaction a moment before, so reading them again would only cost the
    server a third of the page's queries.
    """
    saved = st.session_state.pop(_JUST_SAVED, None)
    if saved is not None and saved.link.token == token and saved.resume_token == resume:
        return saved
    return survey.start(con(), token, resume, limit=max_unfinished())


_SAVED = "_survey_saved"     # (respondent id, widget key -> saved value) of this browser session


def prefill_survey(session: survey.Session, keys: list[str]) -> None:
    """Fill the page's widgets (`keys`) from the saved answers, for resume and for going back a page.

    Streamlit forgets the state of widgets that were not on the last page shown. The saved answers
    are read from the database once per browser session and then kept up to date by each save, so a
    page costs no reads.
    """
    kept = st.session_state.get(_SAVED)
    if kept is None or kept[0] != session.respondent_id:
        kept = (session.respondent_id, survey_keys.values(survey.saved_answers(con(), session)))
        st.session_state[_SAVED] = kept
    for key in keys:
        if key not in st.session_state and key in kept[1]:
            st.session_state[key] = kept[1][key]


class SaveConflict(Exception):
    """Two writes of the same respondent met (another tab); the respondent can simply try again."""


def save_survey_page(session: survey.Session, progress: int, answers: dict) -> survey.Session:
    """Save a page; return the session (with its respondent from the first answer on)."""
    try:
        saved = services.save_survey_page(con(), session, progress, **answers, limit=max_unfinished())
    except duckdb.TransactionException as exc:
        raise SaveConflict from exc
    kept = st.session_state.get(_SAVED)
    values = kept[1] if kept and kept[0] in (session.respondent_id, saved.respondent_id) else {}
    st.session_state[_SAVED] = (saved.respondent_id, {**values, **survey_keys.values(answers)})
    st.session_state[_JUST_SAVED] = saved
    return saved


def submit_survey(session: survey.Session) -> None:
    st.session_state.pop(_JUST_SAVED, None)          # submitted: the page only thanks
    try:
        services.submit_survey(con(), session, limit=max_unfinished())
    except duckdb.TransactionException as exc:
        raise SaveConflict from exc


def public_base_url() -> str:
    """Where respondents reach the app: `public_url` in secrets, else the address of this page."""
    configured = secret("public_url")
    if configured:
        return str(configured).rstrip("/")
    url = st.context.url or "http://localhost:8501"
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/')[0]}"


@st.cache_data(show_spinner=False, max_entries=256, ttl=3600)
def _distribution(path: str, slug: str, dimension_id: str, filters: Filters, stamp: tuple):
    return scoring.distribution(connection(path), *_assessment_of(path, slug), dimension_id, dict(filters),
                                _publication(path, slug, stamp))


def distribution(a: Assessment, dimension_id: str, filters: dict[str, list[str]] | None = None):
    """Answer counts of a dimension's statements, recomputed only when responses change."""
    return _distribution(db_path(), a.slug, dimension_id, _frozen(filters), _stamp(a))


@st.cache_data(show_spinner=False, max_entries=64, ttl=3600)
def _open_answers(path: str, slug: str, filters: Filters, stamp: tuple):
    return scoring.open_answers(connection(path), *_assessment_of(path, slug), dict(filters),
                                _publication(path, slug, stamp))


def open_answers(a: Assessment, filters: dict[str, list[str]] | None = None):
    """The open answers of the filtered respondents, recomputed only when responses change."""
    return _open_answers(db_path(), a.slug, _frozen(filters), _stamp(a))


def planning_for(a: Assessment, **overrides):
    """The assessment's plan (recommendations, choices, roadmap, diagnosis) from the cached scores and
    open answers."""
    q = questionnaire_of(a)
    return plan.build(con(), a, q, report=scores(a), groups=scores(a, by="group"), answers=open_answers(a),
                      **overrides)


def ranking(a: Assessment):
    """The Recommendations page's ranking from the cached figures, or none while there are no scores:
    what the suggested workshop agenda puts to the vote."""
    try:
        return planning_for(a).recommendations
    except plan.PlanningError:
        return []


def deliverables_stamp(a: Assessment, built_plan: Plan | None) -> tuple:
    """What a deliverable built on the Reports page depends on besides its options: the answers, the
    Foundation facts, what the plan decides, and every workshop's state (a round revealed adds its
    results to the documents). A file kept from before any of them changed is built again, not served."""
    workshops = tuple((w.id, live.stamp(con(), w.id)) for w in live.workshops(con(), a.id))
    return responses.data_stamp(con(), a.id), repr(a), _plan_print(built_plan), workshops


def _plan_print(built_plan: Plan | None) -> str:
    """A fingerprint of what the plan decides (choices, ranking, waves): a decision taken on another
    page changes it."""
    if built_plan is None:
        return ""
    p = built_plan
    text = repr((sorted((i, c.decision) for i, c in p.choices.items()), [r.item for r in p.recommendations],
                 p.roadmap.settings.to_dict(), [w.to_dict() for w in p.roadmap.waves],
                 [(u.item, u.reason) for u in p.roadmap.unplaced]))
    return hashlib.sha256(text.encode()).hexdigest()


def catalogue_of(a: Assessment | None):
    """The assessment's catalogue (customised or shipped), or the shipped one with no assessment."""
    if a is None:
        return catalogue.shipped(tuple(d.id for d in default_questionnaire().dimensions)), False
    return decisions.catalogue(con(), a.id, [d.id for d in questionnaire_of(a).dimensions])


def roles_of(a: Assessment | None) -> tuple[roles.Role, ...]:
    """The PMO roles an assessment's catalogue may name: the shipped ones and its roles extension."""
    return roles.shipped() if a is None else know_how.roles_for(con(), a.id)


def know_how_extended(a: Assessment | None, kind: str) -> bool:
    """Whether the assessment has its own records of one kind of know-how (problems, practices, roles)."""
    return a is not None and kind in know_how.extensions(con(), a.id)


def know_how_of(a: Assessment | None) -> know_how.KnowHow:
    """The problems, practices and roles for the assessment (its extensions included), or the shipped
    ones with no assessment; entries its catalogue lacks are left out."""
    cat, _ = catalogue_of(a)
    if a is None:
        return know_how.shipped(default_questionnaire(), cat)
    return know_how.for_assessment(con(), a, questionnaire_of(a), cat)


@st.cache_resource
def default_questionnaire() -> Questionnaire:
    """The questionnaire of surveys/, read once (the Catalogue page needs it without an assessment)."""
    return questionnaire.load()


@st.cache_data(show_spinner=False, max_entries=2048)
def qr_png(url: str, scale: int = 6) -> bytes:
    """A QR code of a survey link, drawn once per link rather than on every rerun."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def qr_data_url(url: str) -> str:
    """A small QR code as a data URL, for a table column of images."""
    return "data:image/png;base64," + base64.b64encode(qr_png(url, scale=3)).decode("ascii")
