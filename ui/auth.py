"""Who may see the facilitator pages.

- An identity provider in secrets ([auth]): Streamlit's st.login, and only the signed-in users listed in
  `facilitators` (addresses, or `@domain` for a whole domain) pass.
- Else a password (`facilitator_password` in secrets, or $PMOSTEP_PASSWORD): a sign-in form.
- Else local mode: everything is open, and the sidebar says so.
Respondent links never come here: app.py shows them the survey alone.
"""

from __future__ import annotations

import dataclasses
import hmac
import logging
import math
import os
import uuid

import streamlit as st

from pmostep.core.throttle import Limits, Throttle

from . import data

PASSWORD_ENV = "PMOSTEP_PASSWORD"
SIGNED_IN = "facilitator_signed_in"
_SESSION_KEY = "_sign_in_session"
LIMIT_SECRETS = {"first_delay_seconds": "first_delay", "max_delay_seconds": "max_delay",
                 "lockout_after": "lockout_after", "lockout_minutes": "lockout"}
log = logging.getLogger("pmostep.sign_in")


def allowed(email: str, facilitators: list[str]) -> bool:
    """Whether an address is listed, itself or by its domain ('@example.org')."""
    email = email.strip().lower()
    for entry in facilitators:
        entry = str(entry).strip().lower()
        if entry and (email == entry or (entry.startswith("@") and email.endswith(entry))):
            return True
    return False


def limits() -> Limits:
    """The guessing limits: the `[sign_in]` table of secrets (see LIMIT_SECRETS), else the defaults.

    A value that is not a positive number raises ValueError naming it.
    """
    given = data.secret("sign_in") or {}
    chosen = {}
    for name, field in LIMIT_SECRETS.items():
        if name in given:
            try:
                value = float(given[name])
            except (TypeError, ValueError):
                value = -1.0
            if not value >= 0 or (field == "lockout_after" and value < 1):
                raise ValueError(f"`{name}` under [sign_in] in the app's secrets must be a number from "
                                 f"{1 if field == 'lockout_after' else 0} up, not {given[name]!r}")
            chosen[field] = value
    if "lockout" in chosen:
        chosen["lockout"] *= 60
    if "lockout_after" in chosen:
        chosen["lockout_after"] = int(chosen["lockout_after"])
    return Limits(**chosen)


@st.cache_resource
def throttle(first_delay: float, max_delay: float, lockout_after: int, lockout: float) -> Throttle:
    """One record of failed sign-ins for every session of the process (a new tab must not start afresh)."""
    return Throttle(Limits(first_delay, max_delay, lockout_after, lockout))


def client_keys() -> list[str]:
    """What a guess is counted against: this session, and the client's address.

    Streamlit gives no address for a local connection, which is also what a reverse proxy on the same
    machine looks like: then the proxy's X-Forwarded-For names the client (its first entry).
    """
    session = st.session_state.setdefault(_SESSION_KEY, uuid.uuid4().hex)
    address = st.context.ip_address
    if not isinstance(address, str):                       # None, or a stand-in under AppTest
        forwarded = st.context.headers.get("X-Forwarded-For") or ""
        address = forwarded.split(",")[0].strip() or "local"
    return [f"session:{session}", f"address:{address}"]


def _wait_text(seconds: float) -> str:
    if seconds >= 90:
        return f"{math.ceil(seconds / 60)} minutes"
    whole = math.ceil(seconds)
    return f"{whole} second{'s' if whole != 1 else ''}"


def _refusal(wait: float, locked: bool) -> str:
    if locked:
        return (f"Too many wrong passwords: signing in from here is locked for {_wait_text(wait)}. "
                "Ask the PMO lead for the password, or wait.")
    return f"That password is not right. Wait {_wait_text(wait)} before the next try."


def password_form(password: str) -> bool:
    """The sign-in form; True once this session has given the password.

    Every wrong password makes the next try wait longer (per session and per address), and
    `lockout_after` wrong ones in a row lock the address out (see pmostep/core/throttle.py).
    """
    if st.session_state.get(SIGNED_IN):
        return True
    st.title("PMOStep")
    given = st.text_input("Facilitator password", type="password", key="password")
    if not st.button("Sign in", type="primary", key="sign_in"):
        return False
    try:
        guard, keys = throttle(**dataclasses.asdict(limits())), client_keys()
    except ValueError as exc:
        st.error(f"Signing in is not possible: {exc}.")
        return False
    verdict = guard.check(keys)
    if not verdict.allowed:
        st.error(_refusal(verdict.wait, verdict.locked))
        return False
    if hmac.compare_digest(given.encode("utf-8"), str(password).encode("utf-8")):
        guard.succeeded(keys)
        st.session_state[SIGNED_IN] = True
        st.rerun()
    verdict = guard.failed(keys)
    log.warning("wrong facilitator password from %s (%s)%s", keys[1].removeprefix("address:"), keys[0],
                f"; locked out for {verdict.wait:.0f} s" if verdict.locked else "")
    st.error(_refusal(verdict.wait, verdict.locked))
    return False


def facilitator() -> bool:
    """Whether the visitor may see the facilitator pages; if not, the sign-in (or refusal) is drawn."""
    if data.secret("auth"):
        if not st.user.get("is_logged_in", False):
            st.title("PMOStep")
            st.button("Sign in", on_click=st.login, type="primary", key="sign_in")
            return False
        if not allowed(str(st.user.get("email") or ""), data.secret("facilitators") or []):
            st.title("PMOStep")
            st.error("This account may not open the facilitator pages. Ask the PMO lead to add it to "
                     "`facilitators` in the app's secrets.")
            st.button("Sign out", on_click=st.logout, key="sign_out")
            return False
        return True
    password = data.secret("facilitator_password") or os.environ.get(PASSWORD_ENV)
    if not password:
        st.sidebar.warning("Local mode: no sign-in is configured, so everyone who can open this app sees "
                           "every assessment. Set a facilitator password before sharing it.")
        return True
    return password_form(str(password))
