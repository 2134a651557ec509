"""Survey links: the open link and personal links, their QR codes, and who has answered."""


import pandas as pd
import streamlit as st

from pmostep import services
from pmostep.initiation import survey
from pmostep.planning import readiness
from pmostep.store import responses
from ui import data, downloads, flash, frame

assessment, _ = frame.page("Survey links")
refusal = survey.link_refusal(assessment)
if refusal:
    st.warning(f"{refusal[0].upper()}{refusal[1:]}.")
elif assessment.status != "open":
    st.warning(f"The assessment is {assessment.status}: its links show that the survey is closed. "
               "Open it on the Foundation page to accept answers.")

base = data.public_base_url()
if not refusal:
    st.subheader("Open link")
    st.caption("Everyone who opens this link answers separately, and reopening it on the same device "
               "resumes there: share it in an e-mail, on the intranet, or as the QR code on a workshop "
               "slide.")
    open_link = services.open_link(data.con(), assessment.slug)
    url = base + open_link.path
    left, right = st.columns([3, 1])
    left.code(url, language=None)
    right.image(data.qr_png(url), caption="Scan to answer", width=160)
    unfinished = survey.unfinished(data.con(), open_link)
    left.caption(f"Unfinished responses (started, not submitted): {unfinished} of at most "
                 f"{data.max_unfinished()}. At the limit, new visitors are asked to come back later; raise "
                 "it with `max_unfinished` in the app's secrets.")

    st.subheader("Personal links")
    st.caption("One link per invitee: it resumes their own answers and can be submitted once. The e-mail "
               "address is kept only to hand out the link; it is never shown with any answer.")
    with st.form("personal_links"):
        pasted = st.text_area("E-mail addresses, one per line (or separated by commas)", key="invitees")
        upload = st.file_uploader("...or a CSV or text file of addresses", type=["csv", "txt"],
                                  key="invitee_file", max_upload_size=1)
        if st.form_submit_button("Create links"):
            text = pasted + "\n" + (upload.getvalue().decode("utf-8", errors="replace") if upload else "")
            made, problems = services.personal_links(data.con(), assessment.slug, text)
            flash.add(f"{made} personal links ready.")
            if problems:
                flash.add("Not created: " + "; ".join(problems), "warning")
            st.rerun()

personal = [link for link in survey.links(data.con(), assessment.id) if link.kind == "personal"]
if personal:
    table = pd.DataFrame([{"Invitee": link.invitee, "Link": base + link.path,
                           "Status": "revoked" if link.revoked_at else "active"} for link in personal])
    st.dataframe(table.assign(**{"QR code": [data.qr_data_url(u) for u in table["Link"]]}), hide_index=True,
                 key="personal_links_table", row_height=90,
                 column_config={"QR code": st.column_config.ImageColumn("QR code", width="small")})
    downloads.csv_button("Download the links (CSV)", table, f"{assessment.slug}-links.csv")
    active = {link.token: link.invitee for link in personal if link.revoked_at is None}
    if active:
        token = st.selectbox("Revoke a link", list(active), format_func=active.get, key="revoke_choice")
        if st.button("Revoke", key="revoke_link"):
            services.revoke_link(data.con(), token)
            flash.rerun(f"The link of {active[token]} no longer works.")

st.subheader("Responses per stakeholder group")
completed = responses.completed_by_group(data.con(), assessment.id)
rates = readiness.response_rates(assessment.stakeholder_groups, completed)
if not rates:
    st.caption("No stakeholder groups yet: add them with their invited counts on the Foundation page.")
else:
    st.dataframe(pd.DataFrame([{"Stakeholder group": r["group"], "Invited": r["invited"],
                                "Completed": r["responded"],
                                "Response rate": None if r["rate"] is None else f"{r['rate']:.0%}"}
                               for r in rates]), hide_index=True, key="response_rates")
