"""The frame every facilitator page shares: which assessment is open, and a sign of it."""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st

from pmostep import services
from pmostep.core import docs
from pmostep.core.questionnaire import NOT_STATED, Questionnaire
from pmostep.demo import DEMO_SLUG
from pmostep.deployment import plan
from pmostep.deployment.plan import PlanningError
from pmostep.foundation import assessments
from pmostep.foundation.assessments import Assessment
from pmostep.planning import know_how
from pmostep.planning.know_how import KnowHow, KnowHowError
from pmostep.planning.scoring import GroupScores, ScoreReport
from pmostep.products.catalogue import CatalogueError
from pmostep.store import responses

from . import data, flash

KEY = "assessment"


class Opened(NamedTuple):
    """What every facilitator page starts from: the open assessment (None where a page works without
    one) and its questionnaire (without an assessment, the one in surveys/)."""

    assessment: Assessment | None
    q: Questionnaire


class Scored(NamedTuple):
    """What a score page works from."""

    assessment: Assessment
    q: Questionnaire
    report: ScoreReport
    whole: GroupScores
    filters: dict[str, list[str]]


UNAVAILABLE_TITLE = "PMOStep cannot open its database"
SURVEY_TITLE = "PMO survey"
SURVEY_UNAVAILABLE = "The survey cannot be opened just now. Please try the link again in a little while."


def unavailable(problem: str, respondent: bool) -> None:
    """The whole page while the database cannot be opened (ui/service.py answers first when it serves)."""
    st.title(SURVEY_TITLE if respondent else UNAVAILABLE_TITLE)
    st.error(SURVEY_UNAVAILABLE if respondent else problem)


def assessment_selector() -> None:
    """Sidebar choice of the open assessment, kept in the URL so a link opens the same one."""
    with st.sidebar:
        archived = st.toggle("Show archived assessments", key="show_archived")
    items = assessments.list_all(data.con(), include_archived=archived)
    with st.sidebar:
        if not items:
            st.info("No assessments yet. Create one with `python -m pmostep new SLUG`.")
            return
        slugs = [i["slug"] for i in items]
        names = {i["slug"]: i["name"] for i in items}
        if st.session_state.get(KEY) not in slugs:
            st.session_state[KEY] = DEMO_SLUG if DEMO_SLUG in slugs else slugs[0]
        st.selectbox("Assessment", slugs, key=KEY, format_func=lambda s: names.get(s, s),
                     bind="query-params", help="The assessment every page shows.")


def open_assessment() -> Assessment | None:
    """The selected assessment, with a header that says which one is open; None (and a message) if none."""
    slug = st.session_state.get(KEY)
    if not slug:
        st.info("No assessment is open. Create one, or load the demo with `python -m pmostep demo`.")
        return None
    a = assessments.get(data.con(), slug)
    counts = responses.count(data.con(), a.id)
    st.caption(
        f"**{a.name}** · {a.organisation or 'organisation not set'} · status: {a.status} · "
        f"{counts['completed']} completed responses"
    )
    return a


def page(title: str, needs_assessment: bool = True) -> Opened:
    """The start of every facilitator page: its title, the messages of the last action, the open
    assessment with the caption naming it, and its questionnaire.

    Stops the page (after the message that no assessment is open) when it needs one and none is.
    """
    st.title(title)
    flash.show()
    assessment = open_assessment()
    if assessment is None and needs_assessment:
        st.stop()
    q = data.questionnaire_of(assessment) if assessment else data.default_questionnaire()
    return Opened(assessment, q)


FILTER_FIELDS = ("group", "business_unit", "involvement")


def filters(q: Questionnaire) -> dict[str, list[str]]:
    """The respondent filters at the top of every score page.

    They sit in the page, where a workshop audience sees them, and keep their choice when the
    facilitator moves to another page (persist_state). An empty choice means everyone.
    """
    fields = [p for p in q.profile if p.id in FILTER_FIELDS]
    chosen = {}
    with st.container(horizontal=True, key="filters"):
        for p in fields:
            chosen[p.id] = st.multiselect(p.label, [*p.options, NOT_STATED], key=f"filter_{p.id}",
                                          placeholder="Everyone", persist_state="session",
                                          help=f"Only people who answered '{p.text}' with one of these.")
    return {f: v for f, v in chosen.items() if v}


def scope_caption(report: ScoreReport, q: Questionnaire) -> None:
    """Say whose answers the page shows, so a filtered screen is never mistaken for everyone's."""
    if report.filters:
        parts = "; ".join(f"{q.profile_question(f).label}: {', '.join(v)}" for f, v in report.filters.items())
        st.caption(f"Showing the {report.respondents} respondents who match the filters ({parts}).")


def suppressed_caption(report: ScoreReport) -> None:
    """Name the groups a breakdown leaves out, so a missing group is never mistaken for no group."""
    if report.suppressed:
        st.caption(f"Not shown (fewer than {report.min_group_size} respondents, or needed to protect them): "
                   f"{', '.join(report.suppressed)}.")


def explain(*headings: str, doc: str = "scoring", intro: str = "") -> None:
    """The documented rules behind a page's figures (docs/<doc>.md), in an expander below them."""
    with st.expander("How these figures are computed"):
        if intro:
            st.markdown(intro)
        for heading in headings:
            st.markdown(f"**{heading}**")
            st.markdown(docs.section(doc, heading))


def scored_page(title: str):
    """The start of every page that shows scores: the frame, the filters, the open assessment's scores.

    Stops the page with a message when there is no assessment, or when nothing may be shown
    because too few people answered or the filters leave too few people in or out (the anonymity
    rules of docs/scoring.md). Returns the assessment, its questionnaire, the filtered report, its
    whole-assessment scores and the filters.
    """
    assessment, q = page(title)
    chosen = filters(q)
    report = data.scores(assessment, filters=chosen)
    whole = report.whole
    if report.withheld:
        refused(report, q)
        st.stop()
    if whole is None or whole.overall["current"] is None:
        st.info(f"{report.published} responses in the figures so far: figures appear once at least "
                f"{report.min_group_size} people have rated a dimension, so that no answer can be traced "
                "to a person.")
        pending_caption(report)
        st.stop()
    scope_caption(report, q)
    pending_caption(report)
    return Scored(assessment, q, report, whole, chosen)


def _use_filters(filters: dict[str, list[str]]) -> None:
    """Button callback: set the page's filters (before their widgets are drawn in the rerun)."""
    for field_id in FILTER_FIELDS:
        st.session_state[f"filter_{field_id}"] = filters.get(field_id, [])


def refused(report: ScoreReport, q: Questionnaire) -> None:
    """Say in plain words why the filters show nothing, and offer the nearest filters that may be shown."""
    st.warning(f"{report.withheld} The rule is under \"Groups and anonymity\" in How these figures are "
               "computed.", icon=":material/visibility_off:")
    offers = [f for f in report.instead if set(f) <= set(FILTER_FIELDS)]
    if offers:
        st.markdown("**These filters may be shown instead:**")
    for i, filters in enumerate(offers):
        words = "; ".join(f"{q.profile_question(f).label}: {', '.join(v)}" for f, v in filters.items())
        st.button(words or "Everyone (clear the filters)", key=f"filters_instead_{i}", on_click=_use_filters,
                  args=(filters,), icon=":material/filter_alt:")
    explain("Groups and anonymity")


def pending_caption(report: ScoreReport) -> None:
    """Say that recent responses are not in the figures yet, and why, so the count never puzzles."""
    if report.pending:
        waiting = "1 response waits" if report.pending == 1 else f"{report.pending} responses wait"
        st.caption(f"{waiting} for more from their stakeholder group: figures take in new responses "
                   f"only {report.min_group_size} or more at a time, so that nobody's answers can be worked "
                   "out by watching the figures change.")


class KnowHowOpened(NamedTuple):
    """What a know-how page works from: the open assessment (or None), its questionnaire and know-how."""

    assessment: Assessment | None
    q: Questionnaire
    know_how: KnowHow


def know_how_page(title: str) -> KnowHowOpened:
    """The start of the know-how pages: the page's start (see page) and the problems, practices and roles
    for the open assessment, its extensions included (the shipped ones with no assessment).

    Stops with every problem listed when the assessment's know-how or catalogue cannot be used.
    """
    assessment, q = page(title, needs_assessment=False)
    try:
        return KnowHowOpened(assessment, q, data.know_how_of(assessment))
    except (KnowHowError, CatalogueError) as exc:
        problems = getattr(exc, "problems", [str(exc)])
        st.error("This assessment's know-how cannot be used:\n\n" + "\n".join(f"- {p}" for p in problems))
        own = list(know_how.extensions(data.con(), assessment.id)) if assessment is not None else []
        if own and st.button("Go back to the shipped know-how", key="know_how_reset_broken"):
            try:
                services.clear_know_how_extensions(data.con(), assessment, q, own)
            except (KnowHowError, CatalogueError) as again:
                st.error(f"Not yet: {again}")
            else:
                flash.rerun("This assessment uses the shipped know-how again.")
    st.stop()


def planning_page(title: str, needs: str):
    """The start of the planning pages: the page's start (see page) and the assessment's plan (see plan_of).
    `needs` starts the message shown while there are no scores ("Recommendations need", "The roadmap
    needs")."""
    assessment, _ = page(title)
    return assessment, plan_of(assessment, needs)


def diagnosis_page(title: str):
    """The start of the Problems page: the page's start (see page) and the assessment's diagnosis, from
    its plan, or before there are scores from the Foundation's rules and the symptoms ticked (the
    survey's rules wait). Stops with a message when the assessment's catalogue cannot be used."""
    assessment, q = page(title)
    try:
        return assessment, plan.diagnosis_of(data.planning_for(assessment))
    except CatalogueError as exc:
        st.error(f"The catalogue of this assessment cannot be used: {exc}")
        st.page_link("views/catalogue.py", label="Fix it on the Catalogue page",
                     icon=":material/inventory_2:")
    except PlanningError:
        return assessment, plan.early_diagnosis(data.con(), assessment, q, data.scores(assessment))
    st.stop()


def plan_of(assessment: Assessment, needs: str):
    """The assessment's plan, for a page that shows something before it (a form).

    Stops with a message when the assessment's catalogue no longer fits its questionnaire, or when there
    are no scores yet to plan from (`needs` starts that message).
    """
    try:
        return data.planning_for(assessment)
    except CatalogueError as exc:
        st.error(f"The catalogue of this assessment cannot be used: {exc}")
        st.page_link("views/catalogue.py", label="Fix it on the Catalogue page",
                     icon=":material/inventory_2:")
    except PlanningError:
        st.info(f"{needs} scores: they appear once at least {assessment.min_group_size} people have rated "
                "the dimensions.")
    st.stop()
