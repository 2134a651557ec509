"""The frame every facilitator page shares: which assessment is open, and a sign of it."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from pmostep.assessments import Assessment
from pmostep.demo import DEMO_SLUG

from . import data

KEY = "assessment"
_APP_RAN = "_pmostep_app_ran"
_RERUN_TRIED = "_pmostep_frame_rerun_tried"


def mark_app_run() -> None:
    """Called by app.py on every run, before the page runs."""
    st.session_state[_APP_RAN] = True


def require_app() -> None:
    """Run the page only inside app.py's frame.

    Until some session of a server has run app.py's st.navigation, Streamlit treats the pages/ folder
    the legacy way: a deep link (/import_responses) runs that page script alone, without app.py (no
    selector, no navigation), and keeps doing so for every new session. Its own navigation call does
    not end that mode (streamlit/runtime/scriptrunner/script_runner.py, _mpa_v1 in 1.67), so the page
    ends it and reruns, which runs app.py. In AppTest a switched-to page always runs alone: there the
    page carries on after one rerun rather than loop. tests/test_e2e.py guards this with a first
    visitor's deep link.
    """
    if st.session_state.pop(_APP_RAN, False) or st.session_state.get(_RERUN_TRIED):
        return
    st.session_state[_RERUN_TRIED] = True
    PagesManager.uses_pages_directory = False
    st.rerun()


def assessment_selector() -> None:
    """Sidebar choice of the open assessment, kept in the URL so a link opens the same one."""
    with st.sidebar:
        archived = st.toggle("Show archived assessments", key="show_archived")
    items = data.assessment_list(include_archived=archived)
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
    a = data.assessment(slug)
    counts = data.response_counts(a)
    st.caption(
        f"**{a.name}** · {a.organisation or 'organisation not set'} · status: {a.status} · "
        f"{counts['completed']} completed responses"
    )
    return a


def scored_page(title: str):
    """The start of every page that shows scores: the frame, the open assessment and its scores.

    Stops the page with a message when there is no assessment, or when nothing may be shown yet
    because too few people answered (the anonymity rule of docs/scoring.md).
    """
    require_app()
    st.title(title)
    assessment = open_assessment()
    if assessment is None:
        st.stop()
    report = data.scores(assessment)
    whole = report.whole
    if whole is None or whole.overall["current"] is None:
        st.info(f"{report.respondents} completed responses so far: figures appear once at least "
                f"{report.min_group_size} people have rated a dimension, so that no answer can be traced "
                "to a person.")
        st.stop()
    return assessment, data.questionnaire_of(assessment), report, whole
