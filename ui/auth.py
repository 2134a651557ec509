"""Who may see the facilitator pages.

- An identity provider in secrets ([auth]): Streamlit's st.login, and only the signed-in users listed in
  `facilitators` (addresses, or `@domain` for a whole domain) pass.
- Else a password (`facilitator_password` in secrets, or $PMOSTEP_PASSWORD): a sign-in form.
- Else local mode: everything is open, and the sidebar says so.
Respondent links never come here: app.py shows them the survey alone.
"""

from __future__ import annotations

import hmac
import os

import streamlit as st

from . import data

PASSWORD_ENV = "PMOSTEP_PASSWORD"
SIGNED_IN = "facilitator_signed_in"


def allowed(email: str, facilitators: list[str]) -> bool:
    """Whether an address is listed, itself or by its domain ('@example.org')."""
    email = email.strip().lower()
    for entry in facilitators:
        entry = str(entry).strip().lower()
        if entry and (email == entry or (entry.startswith("@") and email.endswith(entry))):
            return True
    return False


def require_facilitator() -> None:
    """Stop the run with a sign-in form unless the visitor may see the facilitator pages."""
    if data.secret("auth"):
        if not st.user.get("is_logged_in", False):
            st.title("PMOStep")
            st.button("Sign in", on_click=st.login, type="primary", key="sign_in")
            st.stop()
        if not allowed(str(st.user.get("email") or ""), data.secret("facilitators") or []):
            st.title("PMOStep")
            st.error("This account may not open the facilitator pages. Ask the PMO lead to add it to "
                     "`facilitators` in the app's secrets.")
            st.button("Sign out", on_click=st.logout, key="sign_out")
            st.stop()
        return
    password = data.secret("facilitator_password") or os.environ.get(PASSWORD_ENV)
    if not password:
        st.sidebar.warning("Local mode: no sign-in is configured, so everyone who can open this app sees "
                           "every assessment. Set a facilitator password before sharing it.")
        return
    if st.session_state.get(SIGNED_IN):
        return
    st.title("PMOStep")
    given = st.text_input("Facilitator password", type="password", key="password")
    if st.button("Sign in", type="primary", key="sign_in"):
        if hmac.compare_digest(given.encode("utf-8"), str(password).encode("utf-8")):
            st.session_state[SIGNED_IN] = True
            st.rerun()
        st.error("That password is not right.")
    st.stop()
