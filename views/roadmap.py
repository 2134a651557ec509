"""Roadmap: the accepted products and services in waves, what each wave delivers, costs and achieves."""

import pandas as pd
import streamlit as st

from pmostep import services
from pmostep.core import docs
from pmostep.deployment import roadmap
from pmostep.planning import decisions
from pmostep.reports import roadmap_charts
from ui import data, downloads, flash, frame
from ui.figures import Csv, chart, table

assessment, p = frame.planning_page("Roadmap", "The roadmap needs")
if not p.accepted:
    st.info("No products or services are accepted yet: choose them on the Recommendations page.")
    st.page_link("views/recommendations.py", label="Go to Recommendations", icon=":material/recommend:")
    st.stop()

s, rm = p.settings, p.roadmap
entries = p.catalogue.by_id
names = p.names
with st.expander("Settings", expanded=False), st.form("roadmap_settings"):
    cols = st.columns(4)
    waves = cols[0].number_input("Waves", 1, 24, p.stored.waves, key="roadmap_waves")
    weeks = cols[1].number_input("Weeks per wave", 1, 104, p.stored.wave_weeks, key="roadmap_weeks")
    capacity = cols[2].number_input("PMO capacity per wave (person-weeks)", 1.0, 1000.0, p.stored.capacity,
                                    step=1.0, key="roadmap_capacity")
    own_budget = cols[3].number_input("Change budget per wave (points)", 0.0, 100.0,
                                      p.stored.change_budget or 0.0, step=1.0, key="roadmap_budget",
                                      help="0: the default from readiness for change.")
    st.caption(f"Change budget now {s.change_budget:g}: {p.budget_reason}. "
               + docs.section("recommendations", "The roadmap in waves").split("\n\n")[0])
    if st.form_submit_button("Save and re-plan"):
        try:
            dropped = services.save_roadmap_settings(data.con(), assessment.id, decisions.StoredSettings(
                int(waves), int(weeks), float(capacity), float(own_budget) or None))
        except decisions.DecisionError as exc:
            st.error(str(exc))
        else:
            flash.rerun("Settings saved; the roadmap is re-planned." + (
                f" No longer pinned or moved (their wave is gone): "
                f"{', '.join(names.get(i, i) for i in dropped)}."
                if dropped else ""))

cols = st.columns(4)
cols[0].metric("Accepted entries", len(p.accepted))
cols[1].metric("Placed", sum(len(w.items) for w in rm.waves))
cols[2].metric("Not placed", len(rm.unplaced))
cols[3].metric("Overrides", len({v.item for v in rm.violations}),
               help="Entries kept in a wave despite breaking a rule.")
st.caption(f"{s.waves} waves of {s.wave_weeks} weeks; PMO capacity {s.capacity:g} person-weeks and change "
           f"budget {s.change_budget:g} points per wave ({p.budget_reason}).")

for v in rm.violations:
    st.warning(f"Override: {names.get(v.item, v.item)} is kept in wave {v.wave} although {v.reason}.")
if rm.unplaced:
    st.subheader("Not placed")
    st.dataframe(pd.DataFrame({"Entry": [names.get(u.item, u.item) for u in rm.unplaced],
                               "Why": [u.reason[:1].upper() + u.reason[1:] for u in rm.unplaced]}),
                 hide_index=True, key="roadmap_unplaced")

timeline = roadmap_charts.timeline(rm, entries)
if timeline is None:
    st.info("Nothing could be placed with these settings: see why above.")
else:
    chart(timeline, "roadmap_timeline")
    waves_table = roadmap_charts.waves_table(rm, entries,
                                             {i: place.words() for i, place in p.workshop_2x2.items()})
    table(waves_table, "roadmap_table",
          Csv("Download the roadmap (CSV)", f"{assessment.slug}-roadmap.csv", "roadmap_csv"),
          column_config={"Why": st.column_config.TextColumn(width="large"),
                         roadmap_charts.WORKSHOP_COLUMN: st.column_config.TextColumn(width=270)})
    if roadmap_charts.WORKSHOP_COLUMN in waves_table:
        st.caption("Workshop 2x2: where the room put an entry on value against effort (1-5), in the latest "
                   "revealed round, with n the people who placed it; shown only where at least "
                   f"{assessment.min_group_size} people placed it.")

st.subheader("Move an entry")
placed_in = rm.placement()
movable = sorted(p.accepted, key=lambda i: (placed_in.get(i, 99), names[i]))
cols = st.columns([3, 2])
item = cols[0].selectbox("Entry", movable, format_func=names.get, key="roadmap_item")
targets = [None, *range(1, s.waves + 1)]
wave = cols[1].selectbox("To", targets, key="roadmap_to",
                         format_func=lambda w: "wherever the scheduler puts it" if w is None else f"wave {w}")
problems = [] if wave is None else roadmap.check_move([entries[i] for i in p.accepted], p.priority,
                                                      s, item, wave, names=names, before=rm)
where = f"in wave {placed_in[item]}" if item in placed_in else "not placed"
if item in s.pinned():
    where += f", {'moved' if item in s.moves else 'pinned'} there by hand"
    where += " as an override" if item in s.overrides else ""
if item in p.workshop_2x2:
    where += f"; on the workshop's 2x2: {p.workshop_2x2[item].words()}"
st.caption(f"{names[item]} is now {where}.")
if problems:
    st.warning("This move breaks a rule:\n\n" + "\n".join(f"- {x[:1].upper() + x[1:]}" for x in problems))
as_pin = st.toggle("Pin it (a fixed date, not just a preference)", key="roadmap_pin",
                   help="Pinned and moved entries are both kept where you put them; a pin is shown as "
                        "a commitment in the reasons.")
kind = "pin" if as_pin else "move"
buttons = st.columns(3)
if buttons[0].button("Move", disabled=bool(problems), type="primary", key="roadmap_move"):
    services.place(data.con(), assessment.id, item, wave, kind)
    flash.rerun(f"{names[item]} moved to wave {wave}." if wave else
                f"{names[item]} is placed by the scheduler again.")
if problems and buttons[1].button("Keep it there anyway (override)", key="roadmap_override"):
    services.place(data.con(), assessment.id, item, wave, kind, override=True)
    flash.rerun(f"{names[item]} kept in wave {wave} as an override.")

q = data.questionnaire_of(assessment)
trajectory = roadmap_charts.trajectory(rm, p.current, p.desired, q)
if trajectory is not None:
    st.subheader("Expected maturity")
    chart(trajectory, "roadmap_trajectory")
    radar = roadmap_charts.wave_radar(rm, p.current, p.desired, q)
    if radar is not None:
        chart(radar, "roadmap_radar")
    projected = roadmap_charts.projection_table(rm, p.current, p.desired, q)
    downloads.csv_button("Download the expected maturity (CSV)", projected,
                         f"{assessment.slug}-expected-maturity.csv", key="roadmap_projection_csv")

st.subheader("PMO staffing")
staffing = roadmap_charts.staffing(rm)
if staffing is not None:
    chart(staffing, "roadmap_staffing")
    table(roadmap_charts.staffing_table(rm), "roadmap_roles",
          Csv("Download the staffing (CSV)", f"{assessment.slug}-staffing.csv", "roadmap_staffing_csv"))
    st.page_link("views/staffing.py", label="FTE per role against the PMO's staff: Roles and staffing",
                 icon=":material/badge:")
with st.expander("How the roadmap is planned"):
    st.markdown(docs.section("recommendations", "The roadmap in waves"))
