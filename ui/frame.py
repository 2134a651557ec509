"""The frame every facilitator page shares: which assessment is open, and a sign of it."""

from __future__ import annotations

import streamlit as st

from pmostep.assessments import Assessment
from pmostep.demo import DEMO_SLUG

from . import data

KEY = "assessment"


def assessment_selector() -> None:
    """Sidebar choice of the open assessment, kept in the URL so a link opens the same one."""
    items = data.assessment_list()
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
