"""Stakeholder groups: how each group of a profile field sees every dimension, and two groups side by side."""

import streamlit as st

from pmostep.reports import charts, tables
from pmostep.reports.charts import MEASURES, measure_axis
from ui import data, frame
from ui.figures import Csv, chart, table

assessment, q, report, whole, filters = frame.scored_page("Stakeholder groups")

fields = {p.id: p.label for p in q.profile}
left, right = st.columns([2, 3])
field = left.selectbox("Compare by", list(fields), format_func=fields.get, key="groups_field")
measure = right.segmented_control("Figure", list(MEASURES), format_func=MEASURES.get, default="current",
                                  key="groups_measure") or "current"
by = data.scores(assessment, by=field, filters=filters)
frame.suppressed_caption(by)
values = tables.group_spread(by.groups, measure, fields[field], with_n=True)
if values.empty:
    st.info(f"No {fields[field].lower()} can be shown on its own: each has too few people, or too few "
            "within a stakeholder group, to be compared with the other views without exposing someone "
            "(see How these figures are computed).")
    frame.explain("Groups and anonymity")
    st.stop()
scale = (q.scale_min, q.scale_max) if measure != "gap" else (0, 3)
chart(charts.heatmap(values, f"{MEASURES[measure]} per dimension and {fields[field].lower()}",
                     MEASURES[measure], zmin=scale[0], zmax=scale[1]), "groups_heatmap", values,
      Csv("Download these figures (CSV)", f"{assessment.slug}-{field}-{measure}.csv", "groups_csv",
          index=True))

st.subheader("Two groups side by side")
names = [g.group for g in by.groups]
if len(names) < 2:
    st.info("At least two groups must be large enough to be shown to compare them.")
    st.stop()
left, right = st.columns(2)
first = left.selectbox("First group", names, index=0, key="groups_first")
second = right.selectbox("Second group", names, index=1, key="groups_second")
if first == second:
    st.info("Choose two different groups.")
    st.stop()
groups = {g.group: g for g in by.groups}
comparison = tables.group_comparison(groups[first], groups[second], measure)
chart(charts.compare_groups(comparison, first, second, MEASURES[measure], measure_axis(measure, q)),
      "groups_compare")
table(comparison, "groups_compare_table",
      Csv("Download the comparison (CSV)", f"{assessment.slug}-{field}-comparison.csv", "groups_compare_csv"))
frame.explain("Dimension scores", "Groups and anonymity",
              intro="A **clear difference** is one larger than 1.96 standard errors of the difference "
                    "between the two groups' means (a 95% call); smaller differences may be chance.")
