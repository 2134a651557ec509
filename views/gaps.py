"""Gaps and priorities: which gaps matter most, and which are real rather than noise."""

import streamlit as st

from pmostep.reports import charts, tables
from ui import downloads, frame

assessment, q, report, whole, filters = frame.scored_page("Gaps and priorities")

st.caption("Priority = gap x importance. A solid bar is a gap whose 95% interval stays above zero: a real "
           "gap. A hatched bar may be noise.")
dims = whole.dimensions
st.plotly_chart(charts.gaps(dims, "name", "Dimensions ranked by importance-weighted priority"),
                key="gaps_dimensions", config={"displaylogo": False})
ranking = tables.priority_ranking(dims, "name", "Dimension")
st.dataframe(ranking, hide_index=True, key="gaps_dimension_table")
downloads.csv_button("Download the dimension ranking (CSV)", ranking, f"{assessment.slug}-priorities.csv",
                     key="gaps_csv")

st.subheader("Statements with the highest priority")
statements = whole.statements.assign(
    dimension=whole.statements["dimension_id"].map({d.id: d.name for d in q.dimensions}),
    importance=whole.statements["dimension_id"].map(dims.set_index("id")["importance"]))
st.plotly_chart(charts.gaps(statements, "text", "The 15 statements with the highest priority", top=15),
                key="gaps_statements", config={"displaylogo": False})
statement_ranking = tables.priority_ranking(statements, "text", "Statement")
st.dataframe(statement_ranking, hide_index=True, key="gaps_statement_table")
downloads.csv_button("Download the statement ranking (CSV)", statement_ranking,
                     f"{assessment.slug}-statement-priorities.csv", key="gaps_statements_csv")
frame.explain("Importance and priority", "Dimension scores", "Groups and anonymity")
