"""The respondent's survey, opened through a link: one dimension per page, saved as they go."""

import streamlit as st

from pmostep.initiation import survey
from pmostep.store import responses
from ui import data, flash, survey_keys

token = st.query_params.get("t")
cookie = survey.resume_cookie(token) if isinstance(token, str) else None


def set_cookie(value: str, max_age: int) -> None:
    """The cookie holds only a resume token (letters, digits, - and _) that this page made itself."""
    st.html(f"<script>document.cookie = '{cookie}={value}; path=/; max-age={max_age}; SameSite=Lax';"
            "</script>", unsafe_allow_javascript=True)


def thank(kind: str) -> None:
    if kind == "open":
        set_cookie("", 0)                  # the next person on this device starts afresh
    st.title("Thank you!")
    st.success("Your answers are saved. You can close this page.")
    st.stop()


if done := st.session_state.get("survey_done"):     # the link kind, set on submitting
    thank(done)
remembered = None if cookie is None or st.session_state.get("survey_new") else st.context.cookies.get(cookie)
remembered = remembered if isinstance(remembered, str) else None
try:
    session = data.survey_session(token, st.session_state.get("survey_resume") or remembered)
except survey.SurveyError as exc:
    st.title("PMO survey")
    st.error(str(exc))
    st.stop()

if session.link.kind == "open" and session.resume_token and (
        st.session_state.get("survey_cookie") != session.resume_token):
    # Reopening the same link on this device resumes these answers; the address never carries them,
    # so a forwarded link starts a new response. The respondent exists from the first saved answer.
    st.session_state["survey_resume"] = st.session_state["survey_cookie"] = session.resume_token
    st.session_state.pop("survey_new", None)
    set_cookie(session.resume_token, 30 * 24 * 3600)
q = session.questionnaire
dimensions = list(q.dimensions)
PROFILE_PAGE = len(dimensions) + 1
LAST_PAGE = len(dimensions) + 2

if session.completed:
    thank(session.link.kind)

page = st.session_state.setdefault("survey_page", min(session.progress, LAST_PAGE))


def page_parts(number: int) -> dict[str, list[str]]:
    """What a page asks, as save_page's parts and the ids answered in each (ui/survey_keys.py)."""
    if 1 <= number <= len(dimensions):
        d = dimensions[number - 1]
        return {"ratings": [s.id for s in d.statements], "importance": [d.id]}
    if number == PROFILE_PAGE:
        return {"profile": [p.id for p in q.profile]}
    if number == LAST_PAGE:
        return {"comments": [c.id for c in q.comments]}
    return {}


def leave_page(session: survey.Session, number: int, forward: bool) -> None:
    """Save the page and move on (Back saves too, so nothing answered here is lost).

    A callback of the form's buttons: it runs before the script, so one script run both saves a page
    and draws the next one (answering inside the form runs nothing on the server).
    """
    try:
        saved = data.save_survey_page(session, number + 1 if forward else number,
                                     survey_keys.answers(page_parts(number), st.session_state))
        if saved.resume_token:
            st.session_state["survey_resume"] = saved.resume_token
        if not forward:
            st.session_state["survey_page"] = number - 1
        elif number == LAST_PAGE:
            data.submit_survey(saved)
            st.session_state["survey_done"] = saved.link.kind
        else:
            st.session_state["survey_page"] = number + 1
    except survey.SurveyError as exc:
        flash.add(str(exc), "error")
    except data.SaveConflict:
        flash.add("Your answers could not be saved just now (the survey is open in another tab). "
                  "Please press the button again.", "warning")


data.prefill_survey(session, survey_keys.keys(page_parts(page)))
st.title(q.title)
st.progress(page / LAST_PAGE, text=f"Page {page + 1} of {LAST_PAGE + 1}")
flash.show()


def rating_options() -> list:
    return [p.value for p in q.scale] + [survey.NA]


def rating_label(value) -> str:
    return q.not_applicable_label if value == survey.NA else f"{value} {q.level_label(value)}"


if page == 0 and session.link.kind == "open" and session.progress > 0 and st.button(
        "These are someone else's answers: start a new response", key="survey_restart"):
    for key in [k for k in st.session_state if survey_keys.is_answer(k)]:
        del st.session_state[key]
    for key in ("survey_resume", "survey_cookie"):
        st.session_state.pop(key, None)
    st.session_state["survey_new"] = True
    st.session_state["survey_page"] = 0
    st.rerun()

with st.form(f"survey_page_{page}", border=False, enter_to_submit=False):
    if page == 0:
        st.markdown(q.introduction)
        st.markdown(f"**Anonymous.** Your answers are stored without your name. Results are only shown for "
                    f"groups of at least {session.assessment.min_group_size} people, never for one person.")
        st.markdown("**How they are used.** The PMO uses them to see where project management stands "
                    "today, where people want it to be, and what to improve first.")
        st.markdown("**The scale.** For each statement, say how true it is **now** and how true it "
                    "**should be**:")
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
            st.pills("Today", rating_options(), format_func=rating_label, key=survey_keys.current(s.id))
            st.pills("Should be", rating_options(), format_func=rating_label, key=survey_keys.desired(s.id))
            st.divider()
        st.pills(f"{q.importance_text}", [p.value for p in q.importance_scale],
                 format_func=lambda v: f"{v} {q.importance_scale[v - 1].label}",
                 key=survey_keys.importance(d.id))
    elif page == PROFILE_PAGE:
        st.subheader("About you")
        st.caption("These answers let the PMO compare groups; groups smaller than "
                   f"{session.assessment.min_group_size} people are never shown.")
        for p in q.profile:
            st.radio(p.text, list(p.options), index=None, key=survey_keys.profile(p.id))
    else:
        st.subheader("In your own words")
        for c in q.comments:
            st.text_area(c.text, key=survey_keys.comment(c.id), max_chars=responses.MAX_TEXT)
    back, forward = st.columns(2)
    if page > 0:
        back.form_submit_button("Back", key="survey_back", width="stretch", on_click=leave_page,
                                args=(session, page, False))
    label = "Start" if page == 0 else ("Submit my answers" if page == LAST_PAGE else "Save and continue")
    forward.form_submit_button(label, key="survey_next", type="primary", width="stretch",
                               on_click=leave_page, args=(session, page, True))
