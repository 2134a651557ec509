"""Import: drop a survey export, check what PMOStep understood, correct the mapping, then confirm."""

import pandas as pd
import streamlit as st

from pmostep import services
from pmostep.initiation import platform_guide
from pmostep.initiation.imports import batches, columns, encoding, files
from pmostep.initiation.imports import profiles as mapping_profiles
from ui import data, flash, frame

assessment, q = frame.page("Import survey responses")

with st.expander("Running the survey on Microsoft Forms, Google Forms, SurveyMonkey, Qualtrics or "
                 "LimeSurvey, or on paper"):
    st.markdown("Build the form with the guide (its titles and answer labels are what the import "
                "recognises), or let people fill in the Excel template offline.")
    left, right = st.columns(2)
    left.download_button("Form-building guide (Markdown)",
                         data=lambda: platform_guide.guide(q).encode("utf-8"),
                         file_name="pmostep-form-guide.md", mime="text/markdown", on_click="ignore",
                         key="guide_download")
    right.download_button("Excel answer template", data=lambda: platform_guide.template_xlsx(q),
                          file_name="pmostep-answer-template.xlsx", on_click="ignore",
                          key="template_download",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

# .xls and .numbers are accepted here so that the importer can say what to do with them.
upload = st.file_uploader("Survey export (.xlsx or .csv)", type=["xlsx", "csv", "xls", "numbers"],
                          key="import_file",
                          max_upload_size=max(1, data.max_upload_bytes() // (1024 * 1024)))
DETECT = "Detect automatically"
text_encoding = DETECT
if upload is not None and upload.name.lower().endswith((".csv", ".tsv", ".txt")):
    text_encoding = st.selectbox("Text encoding", [DETECT, *encoding.COMMON], key="import_encoding",
                                 help="Detected from the file's bytes; choose another if names or comments "
                                      "look wrong.")
saved_names = mapping_profiles.names(data.con())
saved_choice = st.selectbox("Saved mapping", ["(none)", *saved_names], key="saved_mapping",
                            help="A mapping saved from an earlier import of the same kind of form.")
mapping_file = st.file_uploader("...or a mapping file (.yaml)", type=["yaml", "yml"], key="mapping_file",
                                max_upload_size=1)

if upload is None:
    st.info("Choose a file to see what it contains. Nothing is written until you confirm.")
else:
    profile = None
    try:
        if mapping_file is not None:
            profile = mapping_profiles.from_yaml(mapping_file.getvalue().decode("utf-8"), q,
                                                 source=mapping_file.name)
        elif saved_choice != "(none)":
            profile = mapping_profiles.load(data.con(), saved_choice, q)
        with st.spinner(f"Reading {upload.name}..."):
            loaded = data.loaded_file(upload.name, upload.getvalue(),
                                      None if text_encoding == DETECT else text_encoding)
    except (files.ImportFileError, mapping_profiles.MappingProfileError) as exc:
        st.error(str(exc))
        st.stop()

    editor_key = f"mapping_{loaded.sha256[:12]}_{saved_choice}"
    overrides = data.mapping_overrides(editor_key, q)
    with st.spinner("Checking every row..."):
        prepared = data.prepared_import(loaded, assessment, q, profile, overrides)

    st.subheader(f"{prepared.platform_name}: {prepared.rows_read} rows")
    st.caption(f"Recognised from {'; '.join(prepared.platform_signs)}." if prepared.platform_signs else
               "No survey platform recognised: the first row is read as the headers.")
    if loaded.table.encoding:
        how = "guessed" if loaded.table.encoding_guessed else (
            "as chosen" if text_encoding != DETECT else "detected")
        st.caption(f"Text encoding: {loaded.table.encoding} ({how}); delimiter "
                   f"'{loaded.table.delimiter}'.", help="Change it with Text encoding above.")
    cols = st.columns(4)
    cols[0].metric("Respondents to add", prepared.respondents_to_add)
    cols[1].metric("Already imported", prepared.duplicates)
    cols[2].metric("Rows skipped", len(prepared.skipped))
    cols[3].metric("Problems", prepared.problems_total)
    if prepared.previous_import:
        st.warning(f"This exact file was imported on {prepared.previous_import.imported_at:%d %b %Y %H:%M}; "
                   "importing it again adds only responses that are not there yet.")
    for note in prepared.notes:
        (st.warning if note == loaded.table.encoding_note else st.info)(note)

    st.markdown("**How the columns are read.** Change *Maps to* where PMOStep got it wrong.")
    table = pd.DataFrame({
        "Column in the file": [m.header or f"(column {m.index + 1}, no header)" for m in prepared.mappings],
        "Maps to": [columns.describe_target(m.target, q) for m in prepared.mappings],
        "Why": [m.reason for m in prepared.mappings],
    })
    st.data_editor(
        table, key=editor_key, hide_index=True, width="stretch", disabled=["Column in the file", "Why"],
        column_config={"Maps to": st.column_config.SelectboxColumn(
            options=[columns.describe_target(t, q) for t in columns.valid_targets(q)], required=True,
            width="large")},
    )

    if prepared.skipped:
        with st.expander(f"{len(prepared.skipped)} rows skipped"):
            st.dataframe(pd.DataFrame(prepared.skipped).rename(columns={"row": "Row", "reason": "Reason"}),
                         hide_index=True)
    if prepared.problems:
        noun = "problem" if prepared.problems_total == 1 else "problems"
        st.markdown(f"**{prepared.problems_total} {noun}** (the cells concerned are left blank if you "
                    "import anyway):")
        st.dataframe(pd.DataFrame([p.to_dict() for p in prepared.problems]).rename(
            columns={"row": "Row", "column": "Column", "message": "Problem"}), hide_index=True,
            key="import_problems")
    if prepared.fatal:
        st.error(f"This file cannot be imported as it is: {prepared.fatal}.")
    else:
        accept = True
        if prepared.problems_total:
            cells = "the problem cell" if prepared.problems_total == 1 else (
                f"the {prepared.problems_total} problem cells")
            accept = st.checkbox(f"Import anyway, leaving {cells} blank", key="accept_problems")
        label = f"Import {prepared.respondents_to_add} respondents into {assessment.name}"
        if st.button(label, type="primary", key="confirm_import",
                     disabled=not accept or prepared.respondents_to_add == 0):
            with st.spinner("Writing..."):
                result = services.import_prepared(data.con(), q, prepared, assessment.slug,
                                                  accept_warnings=accept)
            flash.rerun(f"Imported {result.respondents_added} respondents from {upload.name}.")

    with st.expander("Save this mapping for the next export"):
        name = st.text_input("Name", key="mapping_name", placeholder="for example: hr-ms-forms")
        current = prepared.mapping_profile(name or "mapping", profile)
        left, right = st.columns(2)
        if left.button("Save mapping", key="save_mapping", disabled=not name):
            services.save_mapping(data.con(), current)
            st.success(f"Saved as '{name}'.")
        right.download_button("Download as YAML", data=current.to_yaml().encode("utf-8"), on_click="ignore",
                              file_name=f"{name or 'mapping'}.yaml", mime="application/x-yaml",
                              key="mapping_download")

st.subheader("Imports into this assessment")
history = batches.list_for(data.con(), assessment.id)
if not history:
    st.caption("None yet.")
else:
    st.dataframe(pd.DataFrame([{
        "Import": b.id, "File": b.file_name, "Platform": b.platform_name, "Rows read": b.rows_read,
        "Respondents added": b.respondents_added, "Duplicates": b.duplicates, "Skipped": b.skipped,
        "Imported": f"{b.imported_at:%d %b %Y %H:%M}", "File hash (SHA-256)": b.file_sha256[:12],
        "Status": f"undone {b.undone_at:%d %b %Y %H:%M}" if b.undone_at else "in the assessment",
    } for b in history]), hide_index=True, key="import_history")
    live = {b.id: b for b in history if b.undone_at is None}
    if live:
        choice = st.selectbox(
            "Undo an import", list(live), key="undo_choice",
            format_func=lambda i: f"Import {i}: {live[i].file_name} ({live[i].imported_at:%d %b %H:%M}, "
                                  f"{live[i].respondents_added} respondents)")
        if st.button("Remove its respondents", key="undo_import"):
            removed = services.undo_import(data.con(), choice)
            flash.rerun(f"Removed the {removed} respondents of import {choice}.")
