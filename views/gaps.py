"""Gaps and priorities: which gaps matter most, and which are real rather than noise."""

import streamlit as st

from pmostep.reports import charts, tables
from ui import frame
from ui.figures import Csv, chart, table

assessment, q, report, whole, filters = frame.scored_page("Gaps and priorities")

st.caption("Priority = gap x importance. A solid bar is a gap whose 95% interval stays above zero: a real "
           "gap. A hatched bar may be noise.")
dims = whole.dimensions
chart(charts.gaps(dims, "name", "Dimensions ranked by importance-weighted priority"), "gaps_dimensions")
table(tables.priority_ranking(dims, "name", "Dimension"), "gaps_dimension_table",
      Csv("Download the dimension ranking (CSV)", f"{assessment.slug}-priorities.csv", "gaps_csv"))

st.subheader("Statements with the highest priority")
statements = whole.statements.assign(
    dimension=whole.statements["dimension_id"].map({d.id: d.name for d in q.dimensions}),
    importance=whole.statements["dimension_id"].map(dims.set_index("id")["importance"]))
chart(charts.gaps(statements, "text", "The 15 statements with the highest priority", top=15),
      "gaps_statements")
table(tables.priority_ranking(statements, "text", "Statement"), "gaps_statement_table",
      Csv("Download the statement ranking (CSV)", f"{assessment.slug}-statement-priorities.csv",
          "gaps_statements_csv"))
frame.explain("Importance and priority", "Dimension scores", "Groups and anonymity")
