"""Overview: where the open assessment stands and where its people want to be, per dimension."""

import streamlit as st

from pmostep.core import docs
from pmostep.reports import charts, tables
from ui import frame
from ui.figures import Csv, chart, table

assessment, q, report, whole, filters = frame.scored_page("Overview")
overall = whole.overall
cols = st.columns(4)
cols[0].metric("Respondents", whole.respondents)
cols[1].metric("Maturity index", f"{overall['current']:.2f}", help=docs.section("scoring", "Maturity level"))
cols[1].caption(f"Level {overall['level']} of {q.scale_max}: {overall['level_name']}")
cols[2].metric("Desired", f"{overall['desired']:.2f}")
cols[2].caption(f"Level {overall['desired_level']}: {overall['desired_level_name']}")
cols[3].metric("Gap", f"{overall['gap']:+.2f}", help="Desired minus current, in maturity levels.")

chart(charts.current_vs_desired(whole.dimensions, q), "overview_chart")

summary = tables.dimension_summary(whole.dimensions)
st.subheader("Figures per dimension")
table(summary, "overview_table", Csv("Download these figures (CSV)", f"{assessment.slug}-overview.csv"),
      height=36 * (len(summary) + 1) + 2)

frame.explain("Answers that count", "Dimension scores", "Importance and priority", "Maturity level",
              "Disagreement", "Internal consistency (Cronbach's alpha)", "Groups and anonymity")
