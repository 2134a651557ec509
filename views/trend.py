"""Trend: this assessment against the organisation's earlier ones, overall and per dimension."""

import streamlit as st

from pmostep.foundation import assessments
from pmostep.planning import trend
from pmostep.planning.scoring import ScoringError
from pmostep.reports import charts, tables
from pmostep.reports.charts import MEASURES, measure_axis
from ui import data, frame
from ui.figures import Csv, chart, table

assessment, q, report, whole, filters = frame.scored_page("Trend")

earlier = assessments.earlier(data.con(), assessment)
if not earlier:
    st.info(f"There is no earlier assessment of {assessment.organisation or 'this organisation'} to compare "
            "with. A follow-up started from the Foundation page, or another assessment with the same "
            "organisation and questionnaire that started earlier, appears here.")
    st.stop()

points, unknown = [], []
for a in earlier:
    try:
        points.append((a, data.scores(a, filters=filters)))
    except ScoringError:          # its questionnaire version lacks a chosen field or option
        unknown.append(a.name)
points.append((assessment, report))
if unknown:
    st.caption("Not comparable with these filters (their questionnaire has other profile options): "
               + ", ".join(unknown) + ".")
series = trend.index_series(points)
hidden = series[~series["Shown"]]
if len(hidden):
    st.caption("Not shown (too few respondents, or the filters would expose some): "
               + ", ".join(f"{r.Name} ({r.Assessment})" for r in hidden.itertuples()) + ".")
chart(charts.index_trend(series, q), "trend_index", series.drop(columns="Shown"),
      Csv("Download the index per assessment (CSV)", f"{assessment.slug}-index-trend.csv", "trend_index_csv"))

labels = dict(zip([a.slug for a, _ in points], series["Assessment"], strict=True))
comparable = [a for a, r in points[:-1] if r.whole is not None]
if not comparable:
    st.info("No earlier assessment can be shown with these filters.")
    st.stop()
left, right = st.columns([2, 3])
names = {a.slug: f"{labels[a.slug]}: {a.name}" for a in comparable}
then_slug = left.selectbox("Compare with", list(names)[::-1], key="trend_then", format_func=names.get)
measure = right.segmented_control("Figure", list(MEASURES), format_func=MEASURES.get, default="current",
                                  key="trend_measure") or "current"
reports = {a.slug: r for a, r in points}
now_label, then_label = labels[assessment.slug], labels[then_slug]
comparison = tables.group_comparison(trend.relabelled(whole, now_label),
                                     trend.relabelled(reports[then_slug].whole, then_label), measure)
chart(charts.compare_groups(comparison, now_label, then_label, MEASURES[measure], measure_axis(measure, q)),
      "trend_dimensions")
table(comparison.rename(columns={"Difference": "Change", "Clear difference": "Clear change"}), "trend_table",
      Csv("Download the change per dimension (CSV)", f"{assessment.slug}-trend.csv", "trend_csv"))
frame.explain(intro="Each assessment is scored on its own respondents (with the same filters). **Change** "
                    "is this assessment's figure minus the earlier one's; a **clear change** is larger than "
                    "1.96 standard errors of the difference of the two means (a 95% call). The respondents "
                    "of two assessments are different people: the comparison is between groups, not of the "
                    "same people over time.")
