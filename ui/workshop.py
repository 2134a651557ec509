"""The workshop pages' live glue: which workshop is open, the room's aggregate cached by the workshop's
stamp, the fragment that redraws only the live parts, and the join link with its QR code.

A facilitator's console and the projector each rerun their live part every half second; the stamp is one
cheap read (live.stamp) and the aggregate is built once per change of the workshop, whatever the
number of screens (docs/workshop.md, "Parts").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import streamlit as st

from pmostep.core.questionnaire import Questionnaire
from pmostep.foundation.assessments import Assessment
from pmostep.workshop import items, live
from pmostep.workshop.activities import Activity, WorkshopError
from pmostep.workshop.store import Workshop

from . import data, flash, frame

KEY = "workshop"
_CHOSEN = "_workshop_chosen"    # a workshop just started, to open on the next run (its widget is drawn)
REFRESH_SECONDS = 0.5          # how often the live parts redraw: at 1 s, answer -> projector was p95 1.06 s
KIND_NAMES = {"recap": "Foundation recap", "rating": "Rating", "ranking": "Ranking", "points": "100 points",
              "dots": "Dot voting", "matrix": "Value and effort (2x2)", "text": "Open text"}


def projector_start() -> Assessment:
    """The projector's frame: no page title (the room reads the activity's), only the caption naming the
    open assessment; without one, the page's title and the message that none is open, then a stop."""
    if not st.session_state.get(frame.KEY):
        frame.page("Projector")
    return frame.open_assessment()


def workshops(a: Assessment) -> list[Workshop]:
    """The assessment's workshops, newest first."""
    return live.workshops(data.con(), a.id)


def agenda(workshop_id: int) -> list[Activity]:
    """The workshop's activities in order, with their state (the Agenda page edits them)."""
    return live.activities(data.con(), workshop_id)


def activity(activity_id: int) -> Activity:
    """One activity with its state (the console draws a decision's reason from it)."""
    return live.activity(data.con(), activity_id)


def pick(a: Assessment, where=st) -> Workshop | None:
    """The workshop the Workshop pages show, kept in the URL (?workshop=ID) so that the projector opened
    in its own window shows the same one. None when the assessment has none.

    Not a widget bound to the URL: a bound selectbox writes its label there, and a link needs the id.
    """
    found = workshops(a)
    if not found:
        return None
    by_id = {w.id: w for w in found}
    asked = st.session_state.pop(_CHOSEN, None) or st.session_state.get(KEY) or _from_url()
    if asked not in by_id:
        live_ones = [w for w in found if w.status == "live"]
        asked = (live_ones or found)[0].id
    st.session_state[KEY] = asked
    where.selectbox("Workshop", list(by_id), key=KEY, format_func=lambda i: (
        f"{by_id[i].title} ({by_id[i].status}, {by_id[i].created_at:%d %b %Y})"))
    st.query_params[KEY] = str(st.session_state[KEY])
    return by_id[st.session_state[KEY]]


def picked(a: Assessment) -> Workshop:
    """The workshop a page shows (pick); with none yet, a pointer to the Agenda and the page stops."""
    w = pick(a)
    if w is None:
        st.info("No workshop yet for this assessment: start one on the Agenda page.")
        st.page_link("views/workshop_agenda.py", label="Go to the Agenda",
                     icon=":material/format_list_numbered:")
        st.stop()
    return w


def act(action, *args, done: str) -> None:
    """Run a workshop use case and rerun with its message, or say why it was refused."""
    try:
        action(data.con(), *args)
    except WorkshopError as exc:
        st.error(str(exc))
    else:
        flash.rerun(done)


def _from_url() -> int | None:
    value = st.query_params.get(KEY, "")
    return int(value) if value.isdigit() else None


def choose(workshop_id: int) -> None:
    """Open this workshop on the next run (the picker is drawn already in this one)."""
    st.session_state[_CHOSEN] = workshop_id


@st.cache_data(show_spinner=False, max_entries=64, ttl=3600)
def _room(path: str, workshop_id: int, stamp: tuple) -> dict:
    return live.room(data.connection(path), workshop_id)


def room(workshop_id: int) -> dict:
    """The console's and projector's aggregate (live.room), rebuilt only when the workshop's stamp
    changes: an answer, a join, a facilitator's action, or a countdown reaching zero."""
    return _room(data.db_path(), workshop_id, live.stamp(data.con(), workshop_id))


def seconds_left(closes_at: datetime | str | None) -> int | None:
    """Whole seconds until a countdown's end (0 once past); None without a countdown."""
    if closes_at is None:
        return None
    end = datetime.fromisoformat(closes_at) if isinstance(closes_at, str) else closes_at
    if end.tzinfo is None:
        end = end.replace(tzinfo=UTC)
    return max(0, int((end - datetime.now(UTC)).total_seconds() + 0.999))


def live_part(draw: Callable[[], None]) -> None:
    """Draw `draw` now and again every REFRESH_SECONDS, without rerunning the rest of the page."""
    st.fragment(draw, run_every=REFRESH_SECONDS)()


def join_url(code: str) -> str:
    """The address a phone opens to join (the QR code encodes it)."""
    return f"{data.public_base_url()}/join?c={code}"


def qr(code: str, scale: int = 8) -> bytes:
    """The join link's QR code as PNG."""
    return data.qr_png(join_url(code), scale=scale)


def item_labels(a: Assessment, q: Questionnaire, item_kind: str | None) -> dict[str, str]:
    """What the facilitator may pick as an activity's items, id -> the name people read."""
    return items.known(data.con(), a, q, item_kind) if item_kind else {}
