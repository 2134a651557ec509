"""Workshop results: afterwards, every activity's rounds as tables (the room and the groups that may be
shown, the left-out groups named), each with its CSV download."""

import pandas as pd
import streamlit as st

from pmostep.reports import workshop_charts as wc
from pmostep.workshop import followup, live
from ui import data, downloads, frame, workshop
from ui.figures import Csv, table

assessment, q = frame.page("Workshop results")
w = workshop.picked(assessment)

st.caption(f"{w.title} · {w.status} · started {w.created_at:%d %b %Y %H:%M} UTC · results of a round are "
           f"shown from {assessment.min_group_size} answers, by group only for groups of that size (docs: "
           "Workshop mode, Anonymity).")
tables = []
for i, x in enumerate(live.activity_results(data.con(), w.id), 1):
    if x["kind"] == "recap":
        continue
    st.subheader(f"{i}. {workshop.KIND_NAMES[x['kind']]}: {x['title']}")
    if not x["rounds"]:
        st.caption("Never opened.")
        continue
    labels = {item["id"]: item["label"] for item in x["items"]}
    rounds = wc.rounds_table(x["kind"], x["rounds"], labels)
    csv = Csv("Download this activity (CSV)", f"{assessment.slug}-workshop-{w.id}-{i}.csv",
              f"results_csv_{x['id']}")
    table(rounds, f"results_{x['id']}", csv)
    tables.append(rounds.assign(Activity=f"{i}. {x['title']}"))

if tables:
    everything = pd.concat(tables, ignore_index=True)
    columns = ["Activity", *(c for c in everything.columns if c != "Activity")]
    downloads.csv_button("Download every round (CSV)", everything[columns],
                         f"{assessment.slug}-workshop-{w.id}.csv", key="results_csv_all")
else:
    st.info("No round has been run yet.")

history = followup.compare(data.con(), assessment)
if not history.empty:
    st.subheader("Compared with earlier workshops")
    st.caption("Each dimension or statement that a workshop of this assessment rated and a workshop of an "
               "earlier one (its follow-up chain) rated too: the last revealed round of each, shown only "
               f"where at least {assessment.min_group_size} answered.")
    table(wc.history_table(history), "results_history",
          Csv("Download the comparison (CSV)", f"{assessment.slug}-workshops-over-time.csv",
              "results_history_csv"))
