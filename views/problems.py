"""Problems: the common PMO problems this assessment shows, with the evidence in figures, and the self-check
where the PMO lead ticks the symptoms they see; strong problems raise their entries' recommendations."""

import streamlit as st

from pmostep import services
from pmostep.core import docs
from pmostep.planning import diagnosis, recommend
from pmostep.planning.self_check import SelfCheckError
from pmostep.reports import charts
from ui import data, flash, frame
from ui.figures import Csv, chart

assessment, d = frame.diagnosis_page("Problems")
if d.problems:
    st.error("This assessment's know-how cannot be used, so the problems cannot be diagnosed:\n\n"
             + "\n".join(f"- {x}" for x in d.problems))
    st.page_link("views/practices.py", label="See the assessment's know-how on the Best practices page",
                 icon=":material/tips_and_updates:")
    st.stop()
found = list(d.findings)
entry_names = d.entry_names
if not d.scored:
    st.info(d.note)
elif d.note:
    st.warning(d.note)


def tick(problem: str, symptom: str, text: str, name: str) -> None:
    """Checkbox callback: store the tick (or untick) through the self-check's use case."""
    seen = bool(st.session_state[f"symptom_{problem}_{symptom}"])
    try:
        services.tick_symptoms(data.con(), assessment.slug, problem, [symptom], seen=seen)
    except SelfCheckError as exc:
        flash.add(str(exc), "error")
    else:
        flash.add(f"{'Ticked' if seen else 'Unticked'} '{text}' ({name}): the ranking below counts it.")


counts = diagnosis.counts(found)
cols = st.columns(4)
cols[0].metric("Strong", counts["strong"],
               help=f"{diagnosis.STRONG_POINTS} signs or more, one of them in the figures: confirmed.")
cols[1].metric("Possible", counts["possible"],
               help="One sign, or signs only in the comments and the symptoms ticked.")
cols[2].metric("Not seen", counts["not seen"], help="No sign in the figures and no symptom ticked.")
cols[3].metric("Symptoms ticked", sum(len(f.ticked) for f in found))
st.caption(f"Each sign the rules find in this assessment's figures or comments and each symptom you tick "
           f"below is one point: {diagnosis.STRONG_POINTS} or more is strong when one of them is in the "
           "figures (comments and ticks back the figures, they do not replace them), fewer possible, 0 not "
           f"seen. The catalogue entries that address a strong problem gain "
           f"{100 * recommend.PROBLEM_BONUS:.0f} % on the Recommendations page. The rules are under \"How "
           "problems are detected\" below.")

points = diagnosis.points_table(found)
chart(charts.problem_points(points, diagnosis.STRONG_POINTS), "problems_chart", points,
      Csv("Download the problems and their points (CSV)", f"{assessment.slug}-problems.csv", "problems_csv"))


def show(f: diagnosis.Finding) -> None:
    """One problem: what it is, the evidence, why it ranks there, the self-check, what addresses it."""
    st.markdown(f"**{f.name}** · {f.strength} ({diagnosis.signs(f.points)})")
    st.caption(f.problem.summary)
    if f.evidence:
        st.markdown("*Evidence in the figures and comments:*\n"
                    + "\n".join(f"- {line}" for line in f.evidence))
    st.markdown(f"*Why it ranks here:* {f.why}")
    st.markdown("*Symptoms you see* (tick those that are true here: each is a point)")
    for s in f.symptoms:
        st.checkbox(s.text, value=s.ticked, key=f"symptom_{f.id}_{s.id}", on_change=tick,
                    args=(f.id, s.id, s.text, f.name))
    if f.practices:
        st.markdown("*Practices that prevent it:*\n" + "\n".join(f"- **{x.name}**: {x.summary}"
                                                                  for x in f.practices))
    if f.entries:
        bonus = (f" (each +{100 * recommend.PROBLEM_BONUS:.0f} % on the Recommendations page)"
                 if f.confirmed else "")
        st.markdown("*Catalogue entries that address it*" + bonus + ": "
                    + ", ".join(entry_names.get(e, e) for e in f.entries) + ".")
    st.markdown(f"*Why it happens:* {f.problem.why}  \n*What follows:* {f.problem.consequences}")


SECTIONS = {
    "strong": ("Strong", f"{diagnosis.STRONG_POINTS} signs or more, one in the figures: the likely problems. "
                         "The entries that address them rank higher on the Recommendations page."),
    "possible": ("Possible", "One sign, or signs only in the comments and the symptoms ticked: open one to "
                             "see them, and tick the symptoms you recognise."),
    "not seen": ("Not seen", "No sign in the figures and no symptom ticked: open one to see what its rules "
                             "look for, and tick a symptom you recognise."),
}
if not counts["strong"] and not counts["possible"]:
    st.info("No problem shows in the figures yet, and no symptom is ticked: look through the problems "
            "below and tick the symptoms you recognise.")
for strength, (heading, words) in SECTIONS.items():
    chosen = [f for f in found if f.strength == strength]
    if not chosen:
        continue
    st.subheader(heading)
    st.caption(words)
    for f in chosen:
        if strength == "strong":
            with st.container(border=True, key=f"problem_{f.id}"):
                show(f)
        else:
            label = f"{f.name} · {f.strength} ({diagnosis.signs(f.points)})"
            with st.expander(label, expanded=bool(f.ticked), key=f"problem_{f.id}"):
                show(f)

with st.expander("How problems are detected"):
    st.markdown(docs.section("know-how", "Diagnosis"))
st.page_link("views/recommendations.py", label="See the recommendations", icon=":material/recommend:")
