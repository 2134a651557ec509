"""Workshop agenda: start a workshop from the suggested agenda, then edit, reorder, drop and add items."""

import streamlit as st

from pmostep import services
from pmostep.workshop import activities, agenda
from pmostep.workshop.activities import MAX_TITLE, ActivityDraft, WorkshopError
from ui import data, flash, frame, workshop

# What an activity of each kind may be about: rating one dimension or statement; the lists any of them.
ITEM_KINDS = {"recap": [None], "text": [None], "rating": ["dimension", "statement"],
              "ranking": ["entry", "dimension", "statement"], "points": ["entry", "dimension", "statement"],
              "dots": ["entry", "dimension", "statement"], "matrix": ["entry", "dimension", "statement"]}
ITEM_NAMES = {"dimension": "Dimensions", "statement": "Statements", "entry": "Products and services"}
SETTING_NAMES = {"total": "Points to share", "dots": "Dots per person", "cap": "Most dots on one item"}

assessment, q = frame.page("Workshop agenda")
st.caption("Plan the session here; run it from the Console and show it on the Projector. Each item is "
           "one question to the room, answered from phones.")
w = workshop.pick(assessment)


def draft_form(key: str, kind: str, item_kind: str | None,
               old: ActivityDraft | None = None) -> ActivityDraft | None:
    """The fields of an activity; the draft once the form is sent, else None."""
    labels = workshop.item_labels(assessment, q, item_kind)
    with st.form(key, clear_on_submit=old is None):
        title = st.text_input("Question to the room", value=old.title if old else "",
                              max_chars=MAX_TITLE, key=f"{key}_title")
        items: list[str] = []
        if labels:
            chosen = [i for i in (old.items if old else ()) if i in labels]
            items = st.multiselect(ITEM_NAMES[item_kind], list(labels), default=chosen,
                                   format_func=labels.get, key=f"{key}_items",
                                   max_selections=1 if kind == "rating" else 15)
        settings = {}
        allowed = activities.SETTINGS.get(kind, {})          # name -> (default, least, most): the domain's
        if allowed:
            cols = st.columns(len(allowed))
            for col, (name, (default, least, most)) in zip(cols, allowed.items(), strict=True):
                value = (old.settings if old else {}).get(name, default)
                settings[name] = int(col.number_input(SETTING_NAMES[name], least, most, int(value),
                                                      key=f"{key}_{name}"))
        notes = st.text_area("Notes (on the console only)", value=old.notes if old else "",
                             key=f"{key}_notes")
        if not st.form_submit_button("Save" if old else "Add to the agenda", type="primary"):
            return None
    return ActivityDraft(kind=kind, title=title.strip(), items=tuple(items), item_kind=item_kind,
                         settings=settings, notes=notes.strip(), why=old.why if old else "")


if w is None or st.toggle("Start another workshop", key="agenda_another", value=False):
    st.subheader("Start a workshop")
    suggested = agenda.suggest_for(data.con(), assessment, q, data.ranking(assessment))
    st.caption("The suggested agenda, drawn from this assessment's results: reorder, drop or add items "
               "once it is started.")
    for i, d in enumerate(suggested, 1):
        st.markdown(f"**{i}. {workshop.KIND_NAMES[d.kind]}: {d.title}**")
        if d.why:
            st.caption(d.why)
    with st.form("agenda_new"):
        title = st.text_input("Title", value=f"{assessment.name} workshop", max_chars=MAX_TITLE,
                              key="agenda_new_title")
        empty = st.checkbox("Start with an empty agenda instead", key="agenda_new_empty")
        if st.form_submit_button("Start the workshop", type="primary"):
            try:
                made = services.new_workshop(data.con(), assessment.slug, title.strip() or None,
                                             () if empty else suggested)
            except WorkshopError as exc:
                st.error(str(exc))
            else:
                workshop.choose(made.id)
                flash.rerun(f"Workshop started: join code {made.code}. Run it from the Console.")
    if w is None:
        st.stop()

items = workshop.agenda(w.id)

st.subheader(f"{w.title}")
st.caption(f"Join code {w.code} · {w.status} · {len(items)} items")
if w.status == "ended":
    st.info("This workshop has ended: its agenda is kept as it ran. See Workshop results.")

for i, a in enumerate(items):
    d = a.draft
    with st.container(border=True, key=f"agenda_item_{a.id}"):
        left, right = st.columns([5, 2])
        left.markdown(f"**{i + 1}. {workshop.KIND_NAMES[d.kind]}: {d.title}**")
        labels = workshop.item_labels(assessment, q, d.item_kind)
        if d.items:
            left.caption(", ".join(labels.get(x, x) for x in d.items))
        if d.why:
            left.caption(f"Why: {d.why}")
        if a.round:
            left.caption(f"Ran {a.round} round{'s' if a.round > 1 else ''}: it can no longer be edited.")
        if w.status == "live":
            buttons = right.container(horizontal=True)
            if buttons.button("Up", key=f"agenda_up_{a.id}", disabled=i == 0, icon=":material/arrow_upward:"):
                workshop.act(services.move_activity, a.id, i - 1, done=f"Moved up: {d.title}.")
            if buttons.button("Down", key=f"agenda_down_{a.id}", disabled=i == len(items) - 1,
                              icon=":material/arrow_downward:"):
                workshop.act(services.move_activity, a.id, i + 1, done=f"Moved down: {d.title}.")
            if buttons.button("Drop", key=f"agenda_drop_{a.id}", icon=":material/delete:"):
                workshop.act(services.drop_activity, a.id, done=f"Dropped: {d.title}.")
            if a.state == "draft":
                with st.expander("Edit"):
                    edited = draft_form(f"agenda_edit_{a.id}", d.kind, d.item_kind, d)
                    if edited is not None:
                        workshop.act(services.update_activity, a.id, edited, done=f"Saved: {edited.title}.")

if w.status == "live":
    st.subheader("Add an item")
    cols = st.columns(2)
    kind = cols[0].selectbox("Kind", activities.KINDS, format_func=workshop.KIND_NAMES.get,
                             key="agenda_add_kind")
    item_kind = cols[1].selectbox("About", ITEM_KINDS[kind], key=f"agenda_add_about_{kind}",
                                  format_func=lambda k: ITEM_NAMES.get(k, "Nothing to choose"))
    added = draft_form("agenda_add", kind, item_kind)
    if added is not None:
        workshop.act(services.add_activity, w.id, added,
                     done=f"Added: {added.title or workshop.KIND_NAMES[kind]}.")

    st.subheader("End the workshop")
    st.caption("Phones can no longer join or answer; every round, vote and note is kept with the assessment.")
    sure = st.checkbox("Yes, end it", key="agenda_end_sure")
    if st.button("End the workshop", key="agenda_end", disabled=not sure):
        workshop.act(services.end_workshop, w.id, done=f"{w.title} has ended.")
