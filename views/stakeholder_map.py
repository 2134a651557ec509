"""Stakeholder map: each stakeholder group's influence and support entered (or its support read from the
survey), the groups on the grid, the engagement each quadrant suggests and its communication actions."""

import pandas as pd
import streamlit as st

from pmostep import services
from pmostep.core import docs
from pmostep.foundation.facts import FactsError, Position
from pmostep.planning import stakeholder_map
from pmostep.planning.stakeholder_map import ENGAGEMENT
from pmostep.reports import stakeholder_charts
from ui import data, flash, frame
from ui.figures import Csv, chart, table

assessment, q = frame.page("Stakeholder map")
groups = [g.name for g in assessment.stakeholder_groups]
if not groups:
    st.info("No stakeholder groups are recorded yet: list them on the Foundation page, then place them here.")
    st.page_link("views/foundation.py", label="Go to Foundation", icon=":material/foundation:")
    st.stop()
by_group = data.scores(assessment, by="group")
stakeholders = stakeholder_map.for_assessment(data.con(), assessment, q, by_group)
entered = stakeholder_map.entered(data.con(), assessment)

st.subheader("Influence and support")
st.caption("Influence: how much the group can help or stop the PMO (1 little, 5 decisive). Support: how much "
           "it backs the PMO (1 against, 5 strongly for); leave it blank to read it from the survey (the "
           "mean level the group wants in governance and in culture: wanting more structure backs the PMO), "
           f"for a group of at least {assessment.min_group_size} respondents. A smaller group is placed only "
           "from what you enter.")
RATING = {"min_value": 1, "max_value": 5, "step": 1, "format": "%d"}
SURVEY = "Support from the survey"


def position(row) -> Position:
    """A row of the editor as the lead's entry (a blank cell: not entered)."""
    def rating(v):
        return None if pd.isna(v) else int(v)
    return Position(row.Group, rating(row.Influence), rating(row.Support),
                    "" if pd.isna(row.Note) else str(row.Note))


with st.form("positions_form"):
    edited = st.data_editor(
        pd.DataFrame({
            "Group": groups,
            "Influence": [entered[g].influence if g in entered else None for g in groups],
            "Support": [entered[g].support if g in entered else None for g in groups],
            SURVEY: [stakeholders.read[g][0] if g in stakeholders.read else None for g in groups],
            "Note": [entered[g].note if g in entered else "" for g in groups]}),
        hide_index=True, disabled=["Group", SURVEY], key="positions_editor", width="stretch",
        column_config={"Influence": st.column_config.NumberColumn(**RATING),
                       "Support": st.column_config.NumberColumn(**RATING, help="Blank: from the survey."),
                       SURVEY: st.column_config.NumberColumn(format="%.1f"),
                       "Note": st.column_config.TextColumn(max_chars=500, width="large")})
    if st.form_submit_button("Save and place", type="primary"):
        try:
            services.save_stakeholder_positions(data.con(), assessment.slug,
                                                [position(r) for r in edited.itertuples()])
        except FactsError as exc:
            st.error(exc.markdown())
        else:
            flash.rerun("Saved: the map is placed again.")
frame.suppressed_caption(by_group)

st.subheader("The map")
if stakeholders.not_placed:
    st.info("Not on the map yet: " + "; ".join(f"{n.group} ({n.why})" for n in stakeholders.not_placed) + ".")
grid = stakeholder_charts.grid(stakeholders)
if grid is None:
    st.info("No group is placed yet: enter each group's influence above.")
else:
    chart(grid, "stakeholder_grid")
    table(stakeholder_charts.placement_table(stakeholders), "stakeholder_table",
          Csv("Download the stakeholder map (CSV)", f"{assessment.slug}-stakeholder-map.csv",
              "stakeholder_csv"),
          column_config={"Support": st.column_config.NumberColumn(format="%.1f"),
                         "Support from": st.column_config.TextColumn(width="large")})

st.subheader("Suggested engagement")
for key, quadrant in ENGAGEMENT.items():
    placed = stakeholders.in_quadrant(key)
    with st.container(border=True):
        st.markdown(f"**{quadrant.name}** ({quadrant.where}): {quadrant.engagement}")
        st.markdown("Groups: " + (", ".join(p.group for p in placed) if placed else "none so far."))
        st.markdown("\n".join(f"- {action}" for action in quadrant.actions))
actions = stakeholder_charts.actions_table(stakeholders)
if not actions.empty:
    st.caption("These communication actions enter the deployment plan's change and communication section.")
    table(actions, "stakeholder_actions",
          Csv("Download the communication actions (CSV)", f"{assessment.slug}-communication-actions.csv",
              "stakeholder_actions_csv"),
          column_config={"Communication action": st.column_config.TextColumn(width="large")})
with st.expander("How groups are placed"):
    st.markdown(docs.section("know-how", "Stakeholder map"))
