"""Agreement: where stakeholders see the project world differently, the topics for a workshop."""

import streamlit as st

from pmostep.core import docs
from pmostep.reports import charts, tables
from ui import data, frame
from ui.figures import Csv, chart

assessment, q, report, whole, filters = frame.scored_page("Agreement")
names = {d.id: d.name for d in q.dimensions}

st.caption("The interquartile range (IQR) is the spread of the middle half of the answers: 0 when people "
           "agree, 1.5 or more when the middle half spans more than a level and a half.")
view = st.segmented_control("Compare", ["Statements", "Stakeholder groups"], default="Statements",
                            key="agreement_view") or "Statements"
if view == "Statements":
    values, texts = tables.statement_spread(whole.statements, names)
    figure = charts.heatmap(values, "Spread of the current-state ratings per statement (IQR)", "IQR",
                            hover=texts, zmin=0, zmax=2)
else:
    by_group = data.scores(assessment, by="group", filters=filters)
    values = tables.group_spread(by_group.groups)
    frame.suppressed_caption(by_group)
    figure = None if values.empty else charts.heatmap(
        values, "Spread of the respondents' dimension scores within each stakeholder group (IQR)", "IQR",
        zmin=0, zmax=2)
if figure is None:
    st.info("No stakeholder group is large enough to be shown.")
else:
    chart(figure, "agreement_heatmap", values,
          Csv("Download these figures (CSV)", f"{assessment.slug}-agreement.csv", "agreement_csv",
              index=True))

st.subheader("Topics to discuss")
flagged = tables.disagreements(whole.statements, names)
if flagged.empty:
    st.caption("No statement reaches the disagreement threshold.")
else:
    st.dataframe(flagged, hide_index=True, key="agreement_topics")
with st.expander("How disagreement is flagged"):
    st.markdown(docs.section("scoring", "Disagreement"))
