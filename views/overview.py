"""Overview: where the open assessment stands and where its people want to be, per dimension."""

import streamlit as st

from pmostep.core import docs
from pmostep.reports import charts, tables
from ui import downloads, frame

assessment, q, report, whole, filters = frame.scored_page("Overview")
overall = whole.overall
cols = st.columns(4)
cols[0].metric("Respondents", whole.respondents)
cols[1].metric("Maturity index", f"{overall['current']:.2f}", help=docs.section("scoring", "Maturity level"))
cols[1].caption(f"Level {overall['level']} of {q.scale_max}: {overall['level_name']}")
cols[2].metric("Desired", f"{overall['desired']:.2f}")
cols[2].caption(f"Level {overall['desired_level']}: {overall['desired_level_name']}")
cols[3].metric("Gap", f"{overall['gap']:+.2f}", help="Desired minus current, in maturity levels.")

st.plotly_chart(charts.current_vs_desired(whole.dimensions, q), key="overview_chart",
                config={"displaylogo": False})

table = tables.dimension_summary(whole.dimensions)
st.subheader("Figures per dimension")
st.dataframe(table, hide_index=True, key="overview_table", height=36 * (len(table) + 1) + 2)
downloads.csv_button("Download these figures (CSV)", table, f"{assessment.slug}-overview.csv")

frame.explain("Answers that count", "Dimension scores", "Importance and priority", "Maturity level",
              "Disagreement", "Internal consistency (Cronbach's alpha)", "Groups and anonymity")
