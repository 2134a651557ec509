"""Messages that outlive a rerun: an action sets one before st.rerun(), the page shows it once after.

A button's action reruns the page so that every figure shows its result, and the rerun would wipe a
message drawn before it; so the message waits in the session state, and the top of the page draws it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, NoReturn

import streamlit as st

KEY = "_flash"
Kind = Literal["success", "info", "warning", "error"]
SHOW: dict[str, Callable] = {"success": st.success, "info": st.info, "warning": st.warning,
                             "error": st.error}


def add(text: str, kind: Kind = "success") -> None:
    """Keep a message for the page's next run (after the messages added before it)."""
    st.session_state[KEY] = [*st.session_state.get(KEY, []), (kind, text)]


def rerun(text: str, kind: Kind = "success") -> NoReturn:
    """Rerun the page, which then shows this message."""
    add(text, kind)
    st.rerun()


def show() -> None:
    """Draw the messages kept for this run, once: the next run starts without them."""
    for kind, text in st.session_state.pop(KEY, []):
        SHOW[kind](text)
