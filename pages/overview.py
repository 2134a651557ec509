"""Overview: where the open assessment stands and where its people want to be, per dimension."""

import streamlit as st

from pmostep import charts, docs, tables
from ui import data, frame

frame.require_app()
st.title("Overview")
assessment = frame.open_assessment()
if assessment is None:
    st.stop()

q = data.questionnaire_of(assessment)
report = data.scores(assessment)
whole = report.whole
if whole is None:
    st.info(
        f"{report.respondents} completed responses so far. Scores appear once at least "
        f"{report.min_group_size} people have answered, so that no answer can be traced to a person."
    )
    st.stop()

overall = whole.overall
if overall["current"] is None:
    st.info(f"{whole.respondents} completed responses, but no dimension has at least "
            f"{report.min_group_size} ratings yet (the rest are 'Don't know' or blank), so nothing can "
            "be shown without revealing individual answers.")
    st.stop()
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
st.download_button("Download these figures (CSV)", data=table.to_csv(index=False).encode("utf-8"),
                   file_name=f"{assessment.slug}-overview.csv", mime="text/csv", on_click="ignore")

with st.expander("How these figures are computed"):
    for heading in ("Answers that count", "Dimension scores", "Importance and priority", "Maturity level",
                    "Disagreement", "Internal consistency (Cronbach's alpha)", "Groups and anonymity"):
        st.markdown(f"**{heading}**")
        st.markdown(docs.section("scoring", heading))
