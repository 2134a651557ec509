"""Products and services: browse the PMO catalogue, and give an assessment its own customised copy."""

from collections.abc import Callable

import streamlit as st

from pmostep import services
from pmostep.core.pmo_types import PMO_TYPES
from pmostep.planning.know_how import KnowHowError
from pmostep.products import catalogue, roles
from pmostep.products.catalogue import (
    COST_BANDS,
    FUNCTION_NAMES,
    HORIZONS,
    TYPES,
    CatalogueError,
)
from pmostep.reports import tables
from ui import data, downloads, flash, frame

assessment, q = frame.page("Products and services", needs_assessment=False)
dimension_names = {d.id: d.name for d in q.dimensions}
dimension_ids = list(dimension_names)
try:
    cat, customised = data.catalogue_of(assessment)
except CatalogueError as exc:
    st.error("This assessment's catalogue does not fit its questionnaire, so it cannot be used:\n\n"
             + "\n".join(f"- {x}" for x in exc.problems[:20]))
    reset = assessment is not None and st.button("Go back to the standard catalogue",
                                                 key="catalogue_reset_broken")
    if reset:
        services.reset_catalogue(data.con(), assessment.id)
        st.rerun()
    st.stop()
names = {e.id: e.name for e in cat.entries}
role_names = roles.names(data.roles_of(assessment))
role_ids = list(role_names)
st.caption(f"{cat.title}: {len(cat.entries)} entries, "
           + ("customised for this assessment." if customised else "the standard catalogue.")
           + " A product is something tangible the PMO delivers (a methodology, templates, a dashboard); "
             "a service is work the PMO does for others (training, coaching, audits, status reporting).")

cols = st.columns([1.4, 2, 1, 2])
kinds = cols[0].segmented_control("Type", list(TYPES), selection_mode="multi", default=list(TYPES),
                                  format_func=str.capitalize, key="catalogue_types") or []
improves = cols[1].multiselect("Improves", dimension_ids, format_func=dimension_names.get,
                               placeholder="Any dimension", key="catalogue_dimensions")
horizons = cols[2].multiselect("Value", list(HORIZONS), format_func=lambda h: f"{h} term",
                               placeholder="Any term", key="catalogue_horizons")
search = cols[3].text_input("Containing", placeholder="a word in the name or description",
                            key="catalogue_search")
shown = [e for e in cat.entries if e.type in kinds
         and (not improves or set(improves) & set(e.dimensions))
         and (not horizons or e.horizon in horizons)
         and (not search or search.lower() in f"{e.name} {e.description}".lower())]
table = tables.catalogue_table(shown, dimension_names, names, role_names)
st.caption(f"{len(shown)} of {len(cat.entries)} entries.")
selection = st.dataframe(table, hide_index=True, key="catalogue_table", on_select="rerun",
                         selection_mode="single-row", height=460,
                         column_config={"Entry": st.column_config.TextColumn(width="medium"),
                                        "Improves": st.column_config.TextColumn(width="medium"),
                                        "Description": st.column_config.TextColumn(width="large")})
if selection.selection.rows:
    e = shown[selection.selection.rows[0]]
    with st.container(border=True):
        st.markdown(f"**{e.name}** ({e.type}, PMO type {e.pmo_type}, {e.horizon}-term value)")
        st.markdown(e.description)
        st.markdown("Deliverables:\n" + "\n".join(f"- {d}" for d in e.deliverables))
downloads.csv_button("Download this list (CSV)", table, "catalogue.csv", key="catalogue_csv")

if assessment is None:
    st.stop()
st.subheader(f"The catalogue of {assessment.name}")
downloads = st.columns(3)
downloads[0].download_button("Download as Excel (template)",
                             data=lambda: catalogue.template_xlsx(cat, role_names), key="catalogue_xlsx",
                             file_name=f"{assessment.slug}-catalogue.xlsx",
                             mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                             on_click="ignore")
downloads[1].download_button("Download as YAML", data=cat.to_yaml().encode("utf-8"), key="catalogue_yaml",
                             file_name=f"{assessment.slug}-catalogue.yaml", mime="text/yaml",
                             on_click="ignore")
if customised and downloads[2].button("Go back to the standard catalogue", key="catalogue_reset"):
    services.reset_catalogue(data.con(), assessment.id)
    flash.rerun("This assessment uses the standard catalogue again.")


def save(new: catalogue.Catalogue, message: str) -> None:
    """Store the copy, or say which of the assessment's own know-how records need what it would drop."""
    try:
        gone = services.save_catalogue(data.con(), assessment.id, new)
    except KnowHowError as exc:
        st.error("The catalogue was not saved, since this assessment's own problems or practices name "
                 "entries it lacks: change or remove those records first, on the Best practices page. "
                 "Nothing was changed.\n\n" + "\n".join(f"- {p}" for p in exc.problems))
        return
    if gone:
        message += f" Choices and moves of entries it no longer has were removed: {', '.join(gone)}."
    flash.rerun(message)


def show_problems(exc: CatalogueError) -> None:
    st.error(f"{exc.source}: nothing was changed.\n\n" + "\n".join(f"- {p}" for p in exc.problems))


def save_checked(build: Callable[[], catalogue.Catalogue], message: str) -> None:
    """Save the catalogue `build` makes, or show what is wrong with it and change nothing."""
    try:
        new = build()
    except CatalogueError as exc:
        show_problems(exc)
    else:
        save(new, message)


with st.expander("Upload a catalogue (Excel or YAML)"):
    upload = st.file_uploader("Catalogue file", type=["xlsx", "yaml", "yml"], key="catalogue_upload",
                              max_upload_size=5)
    if upload is not None:
        try:
            if upload.name.lower().endswith(".xlsx"):
                new = catalogue.from_xlsx(upload.getvalue(), dimension_ids, source=upload.name,
                                          role_ids=role_ids)
            else:
                new = catalogue.loads(upload.getvalue().decode("utf-8", errors="replace"), upload.name,
                                      dimension_ids, role_ids)
        except CatalogueError as exc:
            show_problems(exc)
        else:
            st.info(f"{upload.name}: {len(new.entries)} entries, all valid.")
            if st.button("Use this catalogue for this assessment", key="catalogue_use_upload"):
                save(new, f"This assessment now uses '{new.title}' ({len(new.entries)} entries).")

with st.expander("Edit entries"):
    editable = [{"Entry": e.name, "Description": e.description, "Effort (pw)": e.effort,
                 "Change load": e.change_load, "Cost": e.cost_band, "Value": e.horizon,
                 "From level": e.maturity_min, "To level": e.maturity_max} for e in cat.entries]
    columns = {"Entry": "name", "Description": "description", "Effort (pw)": "effort",
               "Change load": "change_load", "Cost": "cost_band", "Value": "horizon",
               "From level": "maturity_min", "To level": "maturity_max"}
    st.data_editor(editable, hide_index=True, key="catalogue_editor", num_rows="fixed",
                   column_config={"Cost": st.column_config.SelectboxColumn(options=list(COST_BANDS)),
                                  "Value": st.column_config.SelectboxColumn(options=list(HORIZONS)),
                                  "Change load": st.column_config.NumberColumn(min_value=1, max_value=5),
                                  "From level": st.column_config.NumberColumn(min_value=1, max_value=5),
                                  "To level": st.column_config.NumberColumn(min_value=1, max_value=5)})
    edits = (st.session_state.get("catalogue_editor") or {}).get("edited_rows") or {}
    if st.button("Save the edits", disabled=not edits, key="catalogue_save_edits"):
        changes = {int(row): {columns[c]: v for c, v in fields.items()} for row, fields in edits.items()}
        save_checked(lambda: catalogue.edited(cat, changes, dimension_ids, role_ids=role_ids),
                     f"Saved the edits to {len(changes)} entries.")

with st.expander("Add an entry"), st.form("catalogue_add"):
    cols = st.columns(3)
    entry_id = cols[0].text_input("Short id", placeholder="vendor_reviews",
                                  help="Lower-case letters, digits and underscores.")
    name = cols[1].text_input("Name")
    kind = cols[2].selectbox("Type", list(TYPES), format_func=str.capitalize)
    description = st.text_area("Description")
    deliverables = st.text_area("Deliverables, one per line")
    cols = st.columns(3)
    strong = cols[0].multiselect("Improves strongly", dimension_ids, format_func=dimension_names.get)
    clear = cols[1].multiselect("Improves clearly", dimension_ids, format_func=dimension_names.get)
    some = cols[2].multiselect("Helps a little with", dimension_ids, format_func=dimension_names.get)
    cols = st.columns(4)
    effort = cols[0].number_input("Effort (PMO person-weeks)", 0.5, 200.0, 4.0, step=0.5)
    load = cols[1].number_input("Change load (1-5)", 1, 5, 2)
    levels = cols[2].slider("Fits levels", 1, 5, (1, 3))
    horizon = cols[3].selectbox("Value", list(HORIZONS), format_func=lambda h: f"{h} term")
    cols = st.columns(4)
    cost = cols[0].selectbox("Cost", list(COST_BANDS))
    pmo_type = cols[1].selectbox("PMO type", list(PMO_TYPES))
    prerequisites = cols[2].multiselect("Needs first", list(names), format_func=names.get)
    chosen_roles = cols[3].multiselect("PMO roles", list(role_names), default=["pmo_lead"],
                                      format_func=role_names.get)
    functions = st.multiselect("PMO functions it serves (Hobbs & Aubry)", list(FUNCTION_NAMES),
                               format_func=FUNCTION_NAMES.get)
    if st.form_submit_button("Add the entry"):
        record = {"id": entry_id.strip(), "name": name.strip(), "type": kind,
                  "description": description.strip(),
                  "deliverables": [d.strip() for d in deliverables.splitlines() if d.strip()],
                  "dimensions": {**dict.fromkeys(some, 1), **dict.fromkeys(clear, 2),
                                 **dict.fromkeys(strong, 3)},
                  "maturity_min": levels[0], "maturity_max": levels[1], "effort": effort, "cost_band": cost,
                  "change_load": load, "horizon": horizon, "prerequisites": prerequisites,
                  "pmo_type": pmo_type, "roles": chosen_roles, "functions": functions}
        save_checked(lambda: catalogue.with_entry(cat, record, dimension_ids, role_ids=role_ids),
                     f"Added '{record['name']}' to this assessment's catalogue.")
