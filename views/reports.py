"""Reports: the deliverables a PMO lead hands over (the Excel workbook, the board report in HTML and PDF, the
sponsor's slides, the PMO charter and the deployment plan), built on demand from the figures the other
pages show, for the same filters, then previewed and downloaded."""

import hashlib
import time
from typing import NamedTuple

import pandas as pd
import streamlit as st

from pmostep.core.errors import PMOStepError
from pmostep.deployment import calendar
from pmostep.deployment.plan import Plan
from pmostep.reports import board, content, deliverables
from pmostep.store import responses
from ui import data, frame

OUTLINE_COLUMN = {"xlsx": "Sheet", "html": "Section", "pdf": "Section", "pptx": "Slide",
                  "docx-charter": "Heading", "docx-plan": "Heading"}
PREVIEW_HEIGHT = 720          # px: the HTML report scrolls inside its frame, the page stays short
KEPT = "_reports_built"       # session state: the files built, by deliverable, options, view and data stamp


class Built(NamedTuple):
    """A deliverable built for one choice of options and one state of the data."""

    data: bytes
    file_name: str
    outline: list[str]
    preview: str | None       # the HTML report shown in the page (the PDF's too: it prints that HTML)
    seconds: float


def plan_print(plan: Plan | None) -> str:
    """A fingerprint of what the plan decides (choices, ranking, waves): a decision taken on another
    page changes it, so a report kept from before is built again rather than shown stale."""
    if plan is None:
        return ""
    text = repr((sorted((i, c.decision) for i, c in plan.choices.items()),
                 [r.item for r in plan.recommendations], plan.roadmap.settings.to_dict(),
                 [w.to_dict() for w in plan.roadmap.waves],
                 [(u.item, u.reason) for u in plan.roadmap.unplaced]))
    return hashlib.sha256(text.encode()).hexdigest()


assessment, q, report, whole, filters = frame.scored_page("Reports")
try:
    plan = data.planning_for(assessment)
except PMOStepError as exc:                 # no scores to plan from, or a catalogue that no longer fits
    plan = None
    st.info(f"There is no plan yet ({exc}): the deliverables leave out the recommendations, the roadmap "
            "and the waves until there is.")
else:
    if not plan.accepted:
        st.info("No products or services are accepted yet, so the roadmap is empty: the deliverables list "
                "the recommendations, but their waves, wave 1's services and the deployment plan stay empty "
                "until you choose on the Recommendations page.")
        st.page_link("views/recommendations.py", label="Go to Recommendations", icon=":material/recommend:")

key = st.segmented_control("Deliverable", deliverables.KEYS, default="html", required=True,
                           format_func=lambda k: deliverables.get(k).label, key="reports_choice")
chosen = deliverables.get(key)
st.caption(chosen.description)

spots = iter(st.columns(3))            # the chosen deliverable's options, side by side from the left
paper, raw = "A4", False
if key == "pdf":
    paper = next(spots).radio("Paper", deliverables.PAPERS, horizontal=True, key="reports_paper")
if key == "xlsx":
    spot = next(spots)
    raw = spot.toggle("Include one row per respondent", key="reports_raw")
    spot.caption("Adds a sheet with each respondent's ratings, numbered in an order that does not follow "
                 "who answered first. It leaves out every profile answer but the stakeholder group, that "
                 f"group too for anyone in a group of fewer than {assessment.min_group_size}, and the "
                 "comments.")
    if raw and report.respondents > 5000:
        spot.caption(f"With {report.respondents:,} respondents the sheet may take a minute or more to build.")
first_day = calendar.default_start(assessment)
start = next(spots).date_input("Wave 1 starts", value=first_day, key="reports_start",
                               help="The first day of the roadmap's first wave: the deliverables' wave "
                                    "dates count from it.")
if filters:
    st.caption("The deliverable shows the respondents of the filters above, as the other pages do; the "
               "recommendations and the roadmap are the whole assessment's.")

stamp = (responses.data_stamp(data.con(), assessment.id), repr(assessment), plan_print(plan))
view = tuple(sorted((f, tuple(sorted(v))) for f, v in filters.items()))
wanted = (key, paper, raw, start, view, stamp)
kept: dict = st.session_state.setdefault(KEPT, {})
for old in [k for k in kept if k[-1] != stamp]:        # the data changed: what was built is out of date
    del kept[old]

built = kept.get(wanted)
row = st.container(horizontal=True)
clicked = row.button("Build again" if built else "Build", type="secondary" if built else "primary",
                     key="reports_build", icon=":material/build:")
if built is not None:
    row.download_button(f"Download {built.file_name}", data=built.data, file_name=built.file_name,
                        mime=chosen.mime, key="reports_download", on_click="ignore", type="primary",
                        icon=":material/download:")
if clicked:
    with st.status(f"{chosen.label}: building...", expanded=True) as status:
        began = time.perf_counter()
        try:
            st.write("Reading the scores, groups, comments and plan...")
            c = content.gather(data.con(), assessment, q, filters=filters, start=start, raw=raw)
            st.write("Printing it with Chromium: a few seconds..." if key == "pdf" else "Writing the file...")
            made = deliverables.build(key, c, paper=paper)
            preview = made.decode("utf-8") if key == "html" else board.html(c) if key == "pdf" else None
            outline = (deliverables.outline("html", preview.encode("utf-8")) if key == "pdf"
                       else deliverables.outline(key, made))
        except PMOStepError as exc:
            status.update(label=f"{chosen.label}: could not be built", state="error")
            st.error(str(exc))
        else:
            seconds = time.perf_counter() - began
            kept[wanted] = Built(made, deliverables.file_name(key, assessment.slug, c.generated), outline,
                                 preview, seconds)
            status.update(label=f"{chosen.label} built in {seconds:.1f} s", state="complete", expanded=False)
            st.rerun()                   # drawn again from what is kept: the button now says "Build again"

if built is not None:
    st.caption(f"{max(1, round(len(built.data) / 1024))} KB, built in {built.seconds:.1f} s.")
    table = pd.DataFrame({OUTLINE_COLUMN[key]: built.outline})
    height = min(36 * (len(built.outline) + 1) + 2, PREVIEW_HEIGHT)
    if built.preview is None:
        st.dataframe(table, hide_index=True, key="reports_outline", height=height, width=520)
    else:
        left, right = st.columns([1, 3])
        left.dataframe(table, hide_index=True, key="reports_outline", height=height)
        with right:
            st.iframe(built.preview, height=PREVIEW_HEIGHT)
