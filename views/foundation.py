"""Foundation: the PMO's scope, sponsor, customers and stakeholders, and the readiness for change."""

import pandas as pd
import streamlit as st

from pmostep import services
from pmostep.core import docs, questionnaire
from pmostep.core.pmo_types import PMO_TYPES
from pmostep.foundation import assessments
from pmostep.foundation.assessments import PMO_SCOPE_LABELS, PMO_SCOPES, StakeholderGroup
from pmostep.planning import readiness
from ui import data, flash, frame

assessment, q = frame.page("Foundation", needs_assessment=False)

with st.expander("New assessment", expanded=assessment is None), st.form("new_assessment"):
    name = st.text_input("Name", placeholder="Acme: PMO discovery 2027")
    slug = st.text_input("Short name for links and the command line", placeholder="acme-2027",
                         help="Lower-case letters, digits and hyphens.")
    organisation = st.text_input("Organisation")
    if st.form_submit_button("Create assessment"):
        try:
            services.create_assessment(data.con(), slug.strip(), questionnaire.load(),
                                       name=name.strip() or None, organisation=organisation.strip())
            st.session_state[frame.KEY] = slug.strip()
            flash.rerun(f"Created '{name or slug}'.")
        except assessments.AssessmentError as exc:
            st.error(str(exc))

if assessment is None:
    st.stop()

readiness = readiness.readiness(data.scores(assessment))
st.subheader("Readiness for change")
if readiness.known:
    cols = st.columns(3)
    cols[0].metric("Culture and readiness score", f"{readiness.score:.2f}",
                   help=docs.section("scoring", "Readiness for change"))
    cols[1].metric("Reading", readiness.reading.capitalize())
    cols[2].metric("Change budget per wave", readiness.change_budget,
                   help="The default limit on the summed change load of one roadmap wave.")
    st.caption(f"From the current score of the culture dimension (n={readiness.n}).")
st.info(readiness.pace)

st.subheader("Foundation facts")
facts = pd.DataFrame({"Fact": ["Organisation", "PMO scope", "Sponsor", "Customers", "PMO type", "Mission",
                               "Dates", "Questionnaire", "Minimum group size", "Status"],
                      "Value": [assessment.organisation or "not set", PMO_SCOPE_LABELS[assessment.pmo_scope],
                                ", ".join(filter(None, [assessment.sponsor_name, assessment.sponsor_role]))
                                or "not set", assessment.customers or "not set",
                                f"{assessment.pmo_type}: {PMO_TYPES[assessment.pmo_type]}"
                                if assessment.pmo_type else "not chosen", assessment.mission or "not set",
                                f"{assessment.start_date or '?'} to {assessment.end_date or '?'}",
                                f"{q.title} (version "
                                f"{assessment.questionnaire_version})", str(assessment.min_group_size),
                                assessment.status]})
st.dataframe(facts, hide_index=True, key="foundation_facts")

with st.expander("Edit the Foundation facts"), st.form("edit_facts"):
    left, right = st.columns(2)
    edited = {
        "name": left.text_input("Name", assessment.name),
        "organisation": right.text_input("Organisation", assessment.organisation),
        "pmo_scope": left.selectbox("PMO scope", PMO_SCOPES, format_func=PMO_SCOPE_LABELS.get,
                                    index=PMO_SCOPES.index(assessment.pmo_scope)),
        "pmo_type": right.selectbox("PMO type aimed for", [None, *PMO_TYPES],
                                    index=[None, *PMO_TYPES].index(assessment.pmo_type),
                                    format_func=lambda t: "not chosen" if t is None else
                                    f"{t}: {PMO_TYPES[t].split(':')[0]}"),
        "sponsor_name": left.text_input("Sponsor", assessment.sponsor_name),
        "sponsor_role": right.text_input("Sponsor's role", assessment.sponsor_role),
        "customers": st.text_input("Customers of the PMO", assessment.customers),
        "mission": st.text_area("Draft PMO mission", assessment.mission),
        "start_date": left.date_input("Survey opens", assessment.start_date),
        "end_date": right.date_input("Survey closes", assessment.end_date),
        "min_group_size": left.number_input(
            "Minimum group size (anonymity)", min_value=1, step=1, value=assessment.min_group_size,
            disabled=data.published(assessment), key="min_group_size",
            help="No figure, download or export lets anyone work out the answers of fewer people. Fixed "
                 "once responses are published: answers are shown in groups formed with it "
                 "(docs/scoring.md, 'Groups and anonymity'); a follow-up assessment can use another."),
    }
    st.markdown("Stakeholder groups and the number of people invited in each:")
    groups = st.data_editor(
        pd.DataFrame([{"Group": g.name, "Invited": g.invited} for g in assessment.stakeholder_groups]
                     or [{"Group": "", "Invited": 0}]),
        num_rows="dynamic", hide_index=True, key="groups_editor",
        column_config={"Invited": st.column_config.NumberColumn(min_value=0, step=1)})
    with st.popover("What the PMO types mean"):
        for t, text in PMO_TYPES.items():
            st.markdown(f"**{t}**: {text}")
    if st.form_submit_button("Save"):
        rows = groups.dropna(subset=["Group"])
        rows = rows[rows["Group"].astype(str).str.strip() != ""]
        try:
            services.update_assessment(data.con(), assessment.slug, stakeholder_groups=[
                StakeholderGroup(str(r.Group), int(r.Invited or 0)) for r in rows.itertuples()],
                **{**edited, "min_group_size": int(edited["min_group_size"])})
            flash.rerun("Saved.")
        except assessments.AssessmentError as exc:
            st.error(str(exc))

st.subheader("Status")
st.caption("Open: the survey accepts answers. Closed: links show that the survey is closed. Archived: "
           "hidden from the assessment list.")
moves = {"open": "Reopen" if assessment.status == "closed" else "Open", "closed": "Close",
         "archived": "Archive"}
allowed = sorted(assessments.TRANSITIONS.get(assessment.status, set()))
for column, status in zip(st.columns(max(1, len(allowed))), allowed, strict=False):
    if column.button(moves[status], key=f"status_{status}", width="stretch"):
        services.set_status(data.con(), assessment.slug, status)
        flash.rerun(f"The assessment is now {status}.")

with st.expander("Follow-up assessment"), st.form("follow_up"):
    st.caption("Same organisation and questionnaire, so results can be compared over time.")
    new_slug = st.text_input("Short name of the follow-up", placeholder=f"{assessment.slug}-2")
    if st.form_submit_button("Create follow-up"):
        try:
            services.follow_up(data.con(), assessment.slug, new_slug.strip())
            st.session_state[frame.KEY] = new_slug.strip()
            flash.rerun(f"Created the follow-up '{new_slug}'.")
        except assessments.AssessmentError as exc:
            st.error(str(exc))
