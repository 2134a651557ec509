"""Best practices: what experienced PMO leads do at each step, searchable, with the ones that matter for
this assessment first; and the assessment's own problems, practices and roles (docs/know-how.md)."""

import streamlit as st

from pmostep import services
from pmostep.core import docs
from pmostep.deployment.plan import PlanningError
from pmostep.planning import know_how, practices
from pmostep.planning.know_how import KnowHowError
from pmostep.planning.practices import STEPS
from pmostep.products.catalogue import CatalogueError
from pmostep.reports import tables
from ui import data, downloads, flash, frame

assessment, q, k = frame.know_how_page("Best practices")
cat, _ = data.catalogue_of(assessment)
problem_names = {p.id: p.name for p in k.problems}
entry_names = {e.id: e.name for e in cat.entries}

gap_entries: list[str] = []
likely: list[str] = []             # the problems the diagnosis confirms (strong), most likely first
if assessment is not None:
    try:
        planned = data.planning_for(assessment)
    except (PlanningError, CatalogueError):
        planned = None
    if planned is not None:
        gap_entries = practices.largest_gap_entries(planned.recommendations)
        likely = [f.id for f in planned.diagnosis if f.confirmed]

cols = st.columns([2, 1, 2])
text = cols[0].text_input("Containing", placeholder="words in the practice, its problems or entries",
                          key="practices_search")
step = cols[1].selectbox("Step", [None, *STEPS],
                         format_func=lambda s: "Every step" if s is None else STEPS[s],
                         key="practices_step")
chosen = cols[2].multiselect("Prevents", list(problem_names), format_func=problem_names.get,
                             placeholder="Any problem", key="practices_problems")
found = practices.search(k.practices, text, step, chosen, names={**problem_names, **entry_names})
ranked = practices.ranked(found, likely, gap_entries, problem_names=problem_names, entry_names=entry_names)

if gap_entries:
    strong = (" that prevent the problems strong on the Problems page ("
              + ", ".join(problem_names[i] for i in likely[:3]) + " ...), then those" if likely else "")
    st.caption(f"{len(found)} of {len(k.practices)} practices. First those{strong} that go with the "
               "recommended entries closing this assessment's largest gaps ("
               + ", ".join(entry_names[i] for i in gap_entries[:3]) + " ...), then the others by step.")
else:
    st.caption(f"{len(found)} of {len(k.practices)} practices, by step of the framework"
               + ("." if assessment is None else ": once the assessment has scores, those that go with its "
                  "largest gaps come first."))

for p, why in ranked:
    with st.expander(f"**{p.name}** · {STEPS[p.step]}"):
        st.caption(why)
        st.markdown(p.summary)
        st.markdown("**How**\n" + "\n".join(f"{i}. {s}" for i, s in enumerate(p.how, 1)))
        st.markdown("**Prevents:** " + "; ".join(problem_names[i] for i in p.problems))
        if p.entries:
            st.markdown("**Catalogue entries:** " + "; ".join(entry_names[i] for i in p.entries))
downloads.csv_button("Download these practices (CSV)",
                     tables.practices_table(ranked, STEPS, problem_names, entry_names), "best-practices.csv",
                     key="practices_csv")
with st.expander("How the practices are ordered"):
    st.markdown(docs.section("know-how", "Best practices"))

if assessment is None:
    st.stop()
st.subheader(f"The know-how of {assessment.name}")
stored = know_how.extensions(data.con(), assessment.id)
st.caption("An organisation can add its own problems, practices and roles, or replace shipped ones, for "
           "this assessment: upload a YAML file per kind, laid out like the shipped files (download them "
           "below as a start). A record with a new id is added; one with a shipped id replaces it here. "
           "Everything is checked with the shipped know-how and this assessment's catalogue before it is "
           "used."
           + (f" This assessment has its own {', '.join(stored)}." if stored else ""))
LABELS = {"problems": "Problems", "practices": "Practices", "roles": "Roles"}


def clear(kinds: list[str], refused: str, back: str) -> None:
    """Go back to the shipped records of some kinds, or say why not and change nothing."""
    try:
        services.clear_know_how_extensions(data.con(), assessment, q, kinds)
    except (KnowHowError, CatalogueError) as exc:
        st.error(f"{refused}: nothing was changed.\n\n"
                 + "\n".join(f"- {x}" for x in getattr(exc, "problems", [str(exc)])))
    else:
        flash.rerun(f"This assessment uses {back} again.")


cols = st.columns(3)
uploads = {}
for col, kind in zip(cols, know_how.KINDS, strict=True):
    uploads[kind] = col.file_uploader(f"{LABELS[kind]} (YAML)", type=["yaml", "yml"],
                                      key=f"know_how_upload_{kind}", max_upload_size=1)
    col.download_button(f"Shipped {kind} (YAML)", data=know_how.SHIPPED[kind].read_bytes(),
                        mime="text/yaml", file_name=know_how.SHIPPED[kind].name,
                        key=f"know_how_shipped_{kind}", on_click="ignore")
    if kind in stored:
        col.download_button(f"This assessment's {kind} (YAML)", data=stored[kind].encode("utf-8"),
                            mime="text/yaml", file_name=f"{assessment.slug}-{kind}.yaml",
                            key=f"know_how_own_{kind}", on_click="ignore")
        if col.button(f"Go back to the shipped {kind}", key=f"know_how_clear_{kind}"):
            clear([kind], f"The shipped {kind} cannot come back yet", f"the shipped {kind}")
if len(stored) > 1 and st.button("Go back to all the shipped know-how", key="know_how_clear_all"):
    clear(list(stored), "The shipped know-how cannot come back yet", "the shipped know-how")
texts = {kind: u.getvalue().decode("utf-8", errors="replace") for kind, u in uploads.items() if u is not None}
if st.button("Check and use for this assessment", disabled=not texts, type="primary", key="know_how_use"):
    try:
        new = services.save_know_how_extensions(data.con(), assessment, q, texts)
    except (KnowHowError, CatalogueError) as exc:
        st.error(f"{', '.join(uploads[k].name for k in texts)}: nothing was changed.\n\n"
                 + "\n".join(f"- {x}" for x in getattr(exc, "problems", [str(exc)])))
    else:
        flash.rerun(f"This assessment now has its own {', '.join(texts)}: {len(new.problems)} problems, "
                    f"{len(new.practices)} practices, {len(new.roles)} roles in all.")
