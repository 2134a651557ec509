"""The respondent's survey, opened through a link: one dimension per page, saved as they go."""

import streamlit as st

from pmostep import survey
from ui import data, frame

frame.require_app()

token = st.query_params.get("t")
remembered = st.context.cookies.get(survey.resume_cookie(token)) if isinstance(token, str) else None
remembered = remembered if isinstance(remembered, str) else None
try:
    session = data.survey_session(token, st.query_params.get("r") or remembered)
except survey.SurveyError as exc:
    st.title("PMO survey")
    st.error(str(exc))
    st.stop()

if session.link.kind == "open":
    # Reopening the same link on this device, or this address, resumes the same answers. The cookie
    # holds only the resume token (letters, digits, - and _), written by this page itself.
    st.query_params["r"] = session.resume_token
    if remembered != session.resume_token:
        st.html(f"<script>document.cookie = '{survey.resume_cookie(session.link.token)}="
                f"{session.resume_token}; path=/; max-age=2592000; SameSite=Lax';</script>",
                unsafe_allow_javascript=True)
q = session.questionnaire
dimensions = list(q.dimensions)
PROFILE_PAGE = len(dimensions) + 1
LAST_PAGE = len(dimensions) + 2

if session.completed or st.session_state.get("survey_done"):
    st.title("Thank you!")
    st.success("Your answers are saved. You can close this page.")
    st.stop()

data.prefill_survey(session)
page = st.session_state.setdefault("survey_page", min(session.progress, LAST_PAGE))

st.title(q.title)
st.progress(page / LAST_PAGE, text=f"Page {page + 1} of {LAST_PAGE + 1}")


def rating_options() -> list:
    return [p.value for p in q.scale] + [survey.NA]


def rating_label(value) -> str:
    return q.not_applicable_label if value == survey.NA else f"{value} {q.level_label(value)}"


if page == 0:
    st.markdown(q.introduction)
    st.markdown(f"**Anonymous.** Your answers are stored without your name. Results are only shown for "
                f"groups of at least {session.assessment.min_group_size} people, never for one person.")
    st.markdown("**How they are used.** The PMO uses them to see where project management stands today, "
                "where people want it to be, and what to improve first.")
    st.markdown("**The scale.** For each statement, say how true it is **now** and how true it **should "
                "be**:")
    for p in q.scale:
        st.markdown(f"- **{p.value} {p.label}**: {p.description}")
    where = ("opening your link again brings you back here" if session.link.kind == "personal" else
             "opening the same link again on this device brings you back here")
    st.caption(f"Choose *{q.not_applicable_label}* when you cannot judge a statement. You can stop at "
               f"any time: your answers are saved page by page, and {where}.")
elif page <= len(dimensions):
    d = dimensions[page - 1]
    st.subheader(d.name)
    if d.description:
        st.caption(d.description)
    for s in d.statements:
        st.markdown(f"**{s.text}**")
        st.pills("Today", rating_options(), format_func=rating_label, key=f"cur_{s.id}")
        st.pills("Should be", rating_options(), format_func=rating_label, key=f"des_{s.id}")
        st.divider()
    st.pills(f"{q.importance_text}", [p.value for p in q.importance_scale],
             format_func=lambda v: f"{v} {q.importance_scale[v - 1].label}", key=f"imp_{d.id}")
elif page == PROFILE_PAGE:
    st.subheader("About you")
    st.caption("These answers let the PMO compare groups; groups smaller than "
               f"{session.assessment.min_group_size} people are never shown.")
    for p in q.profile:
        st.radio(p.text, list(p.options), index=None, key=f"prof_{p.id}")
else:
    st.subheader("In your own words")
    for c in q.comments:
        st.text_area(c.text, key=f"com_{c.id}", max_chars=5000)


def page_answers(number: int) -> dict:
    """The answers on a page, from its widgets, as save_page takes them."""
    state = st.session_state
    if 1 <= number <= len(dimensions):
        d = dimensions[number - 1]
        return {"ratings": {s.id: (state.get(f"cur_{s.id}"), state.get(f"des_{s.id}")) for s in d.statements},
                "importance": {d.id: state.get(f"imp_{d.id}")}}
    if number == PROFILE_PAGE:
        return {"profile": {p.id: state.get(f"prof_{p.id}") for p in q.profile}}
    if number == LAST_PAGE:
        return {"comments": {c.id: state.get(f"com_{c.id}") for c in q.comments}}
    return {}


back, forward = st.columns(2)
if page > 0 and back.button("Back", key="survey_back", width="stretch"):
    st.session_state["survey_page"] = page - 1
    st.rerun()
label = "Start" if page == 0 else ("Submit my answers" if page == LAST_PAGE else "Save and continue")
if forward.button(label, key="survey_next", type="primary", width="stretch"):
    try:
        data.save_survey_page(session, page + 1, page_answers(page))
        if page == LAST_PAGE:
            data.submit_survey(session)
            st.session_state["survey_done"] = True
        else:
            st.session_state["survey_page"] = page + 1
    except survey.SurveyError as exc:
        st.error(str(exc))
        st.stop()
    st.rerun()
