"""Current state: where the organisation stands per dimension, and what lies behind one dimension."""

import streamlit as st

from pmostep.core import docs
from pmostep.planning import scoring
from pmostep.reports import charts, tables
from pmostep.store import responses
from ui import data, downloads, frame
from ui.figures import Csv, chart

assessment, q, report, whole, filters = frame.scored_page("Current state")

overall = whole.overall
invited = sum(g.invited for g in assessment.stakeholder_groups)
completed = responses.count(data.con(), assessment.id)["completed"]
cols = st.columns(3)
cols[0].metric("Maturity index", f"{overall['current']:.2f}", help=docs.section("scoring", "Maturity level"))
cols[0].caption(f"Level {overall['level']} of {q.scale_max}: {overall['level_name']}")
cols[1].metric("Respondents", whole.respondents)
cols[2].metric("Response rate", f"{completed / invited:.0%}" if invited else "not known",
               help="All completed responses divided by the people invited (Foundation page), "
                    "whatever the filters.")



def drill_down(chart_key: str) -> None:
    """A click on a dimension in a chart opens it in the detail below."""
    dimension = charts.clicked_dimension(st.session_state[chart_key]["selection"]["points"])
    if dimension:
        st.session_state["current_dimension"] = dimension


st.caption("Click a dimension in either chart to see it in detail below.")
left, right = st.columns(2)
with left:
    chart(charts.radar(whole.dimensions, q), "current_radar", on_select=lambda: drill_down("current_radar"),
          selection_mode="points")
with right:
    chart(charts.current_vs_desired(whole.dimensions, q, title="Dimensions by gap, largest first",
                                    by_gap=True),
          "current_by_gap", on_select=lambda: drill_down("current_by_gap"), selection_mode="points")
table = tables.dimension_summary(whole.dimensions)
downloads.csv_button("Download the figures behind these charts (CSV)", table,
                     f"{assessment.slug}-current-state.csv", key="current_csv")

st.subheader("One dimension in detail")
names = {d.id: d.name for d in q.dimensions}
dimension_id = st.selectbox("Dimension", list(names), format_func=names.get, key="current_dimension")
row = whole.dimensions.set_index("id").loc[dimension_id]
cols = st.columns(4)
cols[0].metric("Current", "hidden" if row["current"] != row["current"] else f"{row['current']:.2f}")
cols[1].metric("Desired", "hidden" if row["desired"] != row["desired"] else f"{row['desired']:.2f}")
cols[2].metric("Only 'don't know'", int(row["n_na"]), help="Respondents who could not judge any statement.")
cols[3].metric("Cronbach's alpha", "-" if row["alpha"] != row["alpha"] else f"{row['alpha']:.2f}",
               help=docs.section("scoring", "Internal consistency (Cronbach's alpha)"))
st.caption(scoring.alpha_reading(row["alpha"]))

dist = data.distribution(assessment, dimension_id, filters)
if dist.empty:
    st.info("Too few people rated these statements to show how they answered.")
else:
    side = st.segmented_control("State", ["current", "desired"], default="current", key="current_side",
                                format_func=str.capitalize)
    chart(charts.answer_distribution(dist, q, side or "current"), "current_distribution", dist,
          Csv("Download the answer counts (CSV)", f"{assessment.slug}-{dimension_id}-answers.csv",
              "distribution_csv"))
statements = whole.statements[whole.statements["dimension_id"] == dimension_id]
st.dataframe(tables.statement_summary(statements), hide_index=True, key="current_statements")
held = int(statements["n_held"].sum()), int(statements["n_desired_held"].sum())
if any(held):
    st.caption(f"Held back: {held[0]} current and {held[1]} desired ratings of these statements. Each came "
               f"from a set of respondents shown together in which fewer than {assessment.min_group_size} "
               "rated that statement, so comparing two views cannot single them out (see Groups and "
               "anonymity below).")
frame.explain("Dimension scores", "Statement scores", "Internal consistency (Cronbach's alpha)",
              "Groups and anonymity")
