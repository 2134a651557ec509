"""Recommendations: the catalogue ranked for this assessment, why, and the facilitator's choices."""

import streamlit as st

from pmostep import services
from pmostep.core import docs
from pmostep.planning import decisions, recommend
from pmostep.reports import charts
from ui import data, downloads, flash, frame
from ui.figures import chart

assessment, p = frame.planning_page("Recommendations", "Recommendations need")

decided = {i: c.decision for i, c in p.choices.items()}
accepted = [p.catalogue.entry(i) for i in p.accepted]
cols = st.columns(4)
cols[0].metric("Catalogue entries", len(p.catalogue.entries),
               help="Customised for this assessment." if p.customised else "The standard catalogue.")
cols[1].metric("Accepted", len(accepted))
cols[2].metric("PMO effort accepted (person-weeks)", f"{sum(e.effort for e in accepted):g}")
cols[3].metric("Change load accepted (points)", sum(e.change_load for e in accepted))

problem_names = {f.id: f.name for f in p.diagnosis}
top = recommend.table(p.recommendations[:15], decided, problem_names)
top["Entry"] = [f"{e} ({d})" if d else e for e, d in zip(top["Entry"], top["Decision"], strict=True)]
factors = [name for column, name in ((recommend.WORKSHOP_COLUMN, "workshop priority"),
                                     (recommend.PROBLEM_COLUMN, "problem bonus")) if column in top]
chart(charts.counts_bar(top[["Entry", "Score"]], "Entry", "Score",
                        "The 15 best-scoring products and services for this assessment",
                        "Score (importance-weighted gap closed x fit x ease x horizon"
                        + "".join(f" x {f}" for f in factors) + ")"),
      "recommendations_chart")

left, right = st.columns([1, 1])
kind = left.segmented_control("Type", ["product", "service"], selection_mode="multi",
                              default=["product", "service"], key="recommendations_type",
                              format_func=str.capitalize)
show = right.segmented_control("Show", ["all", "open", "accepted", "rejected"], default="all",
                               key="recommendations_show", format_func=str.capitalize) or "all"
shown = [r for r in p.recommendations if r.type in (kind or [])
         and (show == "all" or decided.get(r.item, "open") == show)]
table = recommend.table(shown, decided, problem_names)
entry_names = p.names


def pick_selected_rows() -> None:
    """Rows selected in the table become the entries to decide on."""
    rows = st.session_state["recommendations_table"]["selection"]["rows"]
    st.session_state["recommendations_pick"] = [shown[i].item for i in rows if i < len(shown)]


st.dataframe(table, hide_index=True, key="recommendations_table", on_select=pick_selected_rows,
             selection_mode="multi-row", height=420,
             column_config={"Why": st.column_config.TextColumn(width="large"),
                            recommend.WORKSHOP_COLUMN: st.column_config.TextColumn(width=165),
                            recommend.PROBLEM_COLUMN: st.column_config.TextColumn(width=200)})
voted = [r for r in p.recommendations if r.workshop is not None]
if voted:
    most = max(voted, key=lambda r: r.workshop.share)
    st.caption(f"{len(voted)} entries carry a workshop priority from the room's {most.workshop.unit} "
               f"('{most.workshop.activity}', round {most.workshop.round}): each score is multiplied by "
               f"1 + {recommend.WORKSHOP_WEIGHT:g} x its share / the top share, so {most.name}, the most "
               f"voted, gains {100 * recommend.WORKSHOP_WEIGHT:.0f} %. The reason says what each one got.")
else:
    st.caption("No workshop has voted on these entries yet: a revealed round of dots or points over them "
               f"raises each entry's score by up to {100 * recommend.WORKSHOP_WEIGHT:.0f} %.")
with st.expander("How the workshop priority works"):
    st.markdown(docs.section("recommendations", "Workshop priority"))
confirmed = [f for f in p.diagnosis if f.confirmed]
bonus = f"{100 * recommend.PROBLEM_BONUS:.0f} %"
if p.diagnosis_problems:
    st.caption("The likely problems cannot be diagnosed (this assessment's know-how cannot be used: see "
               "the Problems page), so no entry carries a problem bonus.")
elif confirmed:
    helped = sum(bool(r.problems) for r in p.recommendations)
    which = "1 likely problem is" if len(confirmed) == 1 else f"{len(confirmed)} likely problems are"
    st.caption(f"{which} strong on the Problems page ({', '.join(f.name for f in confirmed)}): the "
               f"{helped} entries that address one gain {bonus}, once however many they address. The "
               "reason names the problems.")
else:
    st.caption(f"No problem is strong on the Problems page yet: the entries that address a strong problem "
               f"gain {bonus}.")
with st.expander("How the problem bonus works"):
    st.markdown(docs.section("recommendations", "Likely problems"))
st.page_link("views/problems.py", label="See the likely problems and tick their symptoms",
             icon=":material/troubleshoot:")
if st.session_state.pop("recommendations_done", False):
    st.session_state["recommendations_pick"] = []          # a decision made: start the next one empty
chosen = st.multiselect("Entries to decide on", [r.item for r in p.recommendations],
                        format_func=entry_names.get, key="recommendations_pick",
                        placeholder="Select rows in the table, or type a name")
by_item = {r.item: r for r in p.recommendations}
for item in chosen:
    r = by_item[item]
    st.markdown(f"**{r.rank}. {r.name}** (score {r.score:g}): {r.why}")
reason = st.text_input("Reason (kept with the choice)", key="recommendations_reason",
                       max_chars=decisions.MAX_REASON)
buttons = st.columns(4)
actions = {
    "accept": buttons[0].button("Accept", disabled=not chosen, type="primary", key="rec_accept"),
    "with": buttons[1].button("Accept with prerequisites", disabled=not chosen, key="rec_accept_all"),
    "reject": buttons[2].button("Reject", disabled=not chosen, key="rec_reject"),
    "clear": buttons[3].button("Clear the decision", disabled=not chosen, key="rec_clear"),
}
action = next((a for a, pressed in actions.items() if pressed), None)
if action:
    decision = {"accept": "accepted", "with": "accepted", "reject": "rejected", "clear": None}[action]
    try:
        made = services.decide(data.con(), assessment.slug, {decision: chosen}, reason,
                               with_prerequisites=action == "with")
    except decisions.DecisionError as exc:
        st.error(str(exc))
    else:
        items, kept = made.stored[decision], made.kept_rejected
        done = ", ".join(p.catalogue.entry(i).name for i in items)
        still = ", ".join(p.catalogue.entry(i).name for i in kept)
        st.session_state["recommendations_done"] = True
        flash.rerun(f"{(decision or 'cleared').capitalize()}: {done}." + (
            f" Still rejected, though needed first: {still}." if kept else ""))

if p.choices:
    st.subheader("Choices so far")
    st.dataframe([{"Entry": p.catalogue.entry(i).name if i in p.catalogue.by_id else i,
                   "Decision": c.decision, "Reason": c.reason} for i, c in p.choices.items()],
                 hide_index=True, key="recommendations_choices")
downloads.csv_button("Download the ranking (CSV)", recommend.table(p.recommendations, decided, problem_names),
                     f"{assessment.slug}-recommendations.csv", key="recommendations_csv")
with st.expander("How entries are ranked"):
    st.markdown(docs.section("recommendations", "Ranking the catalogue"))
