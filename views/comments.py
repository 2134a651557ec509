"""Comments: what people wrote in their own words, by topic and group, with the words used most."""

import streamlit as st

from pmostep.planning import comments
from pmostep.reports import charts
from ui import data, downloads, frame
from ui.figures import Csv, chart, table

assessment, q, report, whole, filters = frame.scored_page("Comments")

by_group = data.scores(assessment, by="group", filters=filters)
shown = [g.group for g in by_group.groups]
everything = comments.visible(data.open_answers(assessment, filters), shown, q)
st.caption(f"Comments show a stakeholder group only when it has at least {report.min_group_size} "
           f"respondents; the others are shown as '{comments.POOLED_GROUP}'.")
if everything.empty:
    st.info("Nobody has written an open answer yet.")
    st.stop()

questions = ["All questions", *[c.text for c in q.comments]]
names = {d.id: d.name for d in q.dimensions if d.id in comments.topics()}
cols = st.columns(3)
question = cols[0].selectbox("Question", questions, key="comments_question")
topic = cols[1].selectbox("Topic", [None, *names], key="comments_topic",
                          format_func=lambda d: "Any dimension" if d is None else names[d],
                          help="Comments that use the dimension's keywords (data/comment_topics.yaml).")
search = cols[2].text_input("Containing", key="comments_search", placeholder="a word or phrase")
chosen = everything if question == questions[0] else everything[everything["question"] == question]
chosen = comments.about(chosen, topic, search)
st.metric("Comments", len(chosen), help=f"Of {len(everything)} open answers from the filtered respondents.")
if chosen.empty:
    st.info("No comment matches these choices.")
    st.stop()

left, right = st.columns(2)
terms = comments.term_counts(chosen["text"])
with left:
    if terms.empty:
        st.info("These comments have no words to count.")
    else:
        chart(charts.counts_bar(terms, "Word", "Comments", "Words used most in these comments", "Comments"),
              "comments_terms")
with right:
    per_topic = comments.topic_counts(chosen, q)
    chart(charts.counts_bar(per_topic, "Dimension", "Comments", "Comments per dimension topic", "Comments"),
          "comments_topics")
table(chosen.rename(columns={"question": "Question", "group": "Stakeholder group", "text": "Comment"}),
      "comments_table",
      Csv("Download these comments (CSV)", f"{assessment.slug}-comments.csv", "comments_csv"))
downloads.csv_button("Download the word counts (CSV)", terms, f"{assessment.slug}-word-counts.csv",
                     key="comments_terms_csv")
downloads.csv_button("Download the comments per topic (CSV)", per_topic, f"{assessment.slug}-topics.csv",
                     key="comments_topics_csv")
