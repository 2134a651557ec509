"""Roles and staffing: the PMO's staff by role today, the FTE the roadmap needs of each role per wave,
when each role is first needed, and the waves short of staff."""

import pandas as pd
import streamlit as st

from pmostep import services
from pmostep.core import docs
from pmostep.deployment import staffing
from pmostep.foundation.facts import MAX_FTE, FactsError
from pmostep.reports import staffing_charts
from ui import data, flash, frame
from ui.figures import Csv, chart, table

assessment, _ = frame.page("Roles and staffing")
names = staffing.role_names(data.con(), assessment)
staff = staffing.staff_of(data.con(), assessment)

st.subheader("The PMO's staff today")
st.caption("FTE per role the PMO has now, people assigned or hired (0.5: half a full-time person). Leave a "
           "role blank when you do not know: no shortfall is read for it; 0 says the PMO has none.")
with st.form("staff_form"):
    edited = st.data_editor(
        pd.DataFrame({"Role": list(names.values()), "FTE now": [staff.get(r) for r in names]}),
        hide_index=True, disabled=["Role"], key="staff_editor", width="stretch",
        column_config={"FTE now": st.column_config.NumberColumn(min_value=0.0, max_value=MAX_FTE, step=0.1,
                                                                format="%.2f")})
    if st.form_submit_button("Save the staff", type="primary"):
        given = {role: float(v) for role, v in zip(names, edited["FTE now"], strict=True) if pd.notna(v)}
        try:
            services.save_staff(data.con(), assessment.slug, given)
        except FactsError as exc:
            st.error(exc.markdown())
        else:
            flash.rerun(f"Staff saved for {len(given)} {'role' if len(given) == 1 else 'roles'}.")

p = frame.plan_of(assessment, "The staffing plan needs")
if not p.accepted:
    st.info("No products or services are accepted yet, so the roadmap needs no staff: choose them on the "
            "Recommendations page.")
    st.page_link("views/recommendations.py", label="Go to Recommendations", icon=":material/recommend:")
    st.stop()
plan = staffing.for_assessment(data.con(), assessment, p.roadmap)
figure = staffing_charts.fte_chart(plan)
if figure is None:
    st.info("Nothing is placed in the waves with the roadmap's settings: see the Roadmap page.")
    st.stop()

st.subheader("FTE per role and wave")
needed = [r for r in plan.roles if r.peak > 0]
cols = st.columns(3)
cols[0].metric("Roles the roadmap needs", len(needed))
cols[1].metric("Busiest wave (FTE)", f"{max(sum(r.waves[n] for r in needed) for n, _, _ in plan.dates):.2f}")
cols[2].metric("Shortfalls", len(plan.shortfalls), help="Waves that need more of a role than its staff.")
for warning in plan.shortfalls:
    st.warning(warning.sentence(), icon=":material/person_alert:")
if plan.not_entered:
    st.info(plan.warnings()[0] + " Enter their staff above to see where a wave needs more.")
chart(figure, "staffing_chart")
st.caption(f"FTE = the role's person-weeks in a wave / the {plan.wave_weeks} weeks of a wave. A segment "
           "outlined in black needs more than the role's staff, written in it. The dashed line is "
           "the staff entered for the roles the roadmap needs.")
table(staffing_charts.fte_table(plan), "staffing_table",
      Csv("Download FTE per role and wave (CSV)", f"{assessment.slug}-staffing-fte.csv", "staffing_csv"),
      column_config={staffing_charts.STAFF_COLUMN: st.column_config.NumberColumn(format="%.2f")})

st.subheader("When each role is first needed")
st.caption("Assign or hire each role by the first day of the first wave that needs it.")
table(staffing_charts.moments_table(plan), "staffing_moments",
      Csv("Download the first-needed moments (CSV)", f"{assessment.slug}-staffing-moments.csv",
          "staffing_moments_csv"),
      column_config={"Assign or hire by": st.column_config.DateColumn(format="D MMMM YYYY")})
with st.expander("How the staffing plan is worked out"):
    st.markdown(docs.section("know-how", "Staffing plan"))
