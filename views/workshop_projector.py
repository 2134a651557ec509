"""Projector: what the room sees on the shared screen (open it in its own window): the join code and QR
code, the current activity with its live count and countdown, and revealed results only."""

import streamlit as st

from pmostep.reports import workshop_charts as wc
from pmostep.workshop import agenda
from ui import data, workshop
from ui.figures import chart

# Read from the back of a room: large type and no sidebar. The sidebar holds the facilitator's
# navigation and choices, which take a fifth of the screen and must not be clicked in front of the
# audience; Streamlit has no option to hide it on one page, so this page's own style hides it (the
# developer menu is off for everyone: client.toolbarMode = "viewer").
STYLE = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], header[data-testid="stHeader"] { display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 1rem 3rem !important; }
.st-key-projector, .st-key-projector [data-testid="stText"] { color: #000000 !important; }
.st-key-projector h1 { font-size: 56px !important; line-height: 1.15; font-weight: 700; padding: 0.2rem 0; }
.st-key-projector h2 { font-size: 40px !important; line-height: 1.2; padding: 0.2rem 0; }
.st-key-projector p, .st-key-projector li, .st-key-projector [data-testid="stText"] {
  font-size: 34px !important; line-height: 1.35; }
.st-key-projector [data-testid="stText"] { font-family: inherit !important; white-space: pre-wrap; }
.st-key-projector_status p { font-size: 44px !important; font-weight: 700; }
.st-key-projector_code code { font-size: 112px !important; letter-spacing: 0.15em; color: #000000; }
.st-key-projector_footer p { font-size: 32px !important; color: #222222; }
@media (max-width: 1400px) {
  .st-key-projector h1 { font-size: 48px !important; }
  .st-key-projector h2 { font-size: 34px !important; }
  .st-key-projector p, .st-key-projector li, .st-key-projector [data-testid="stText"] {
    font-size: 32px !important; }
  .st-key-projector_status p { font-size: 36px !important; }
  .st-key-projector_code code { font-size: 88px !important; }
}
</style>"""
st.html(STYLE)
HEIGHT = 450              # the figures' height: under the title and the count on a 1280x720 screen

a = workshop.projector_start()
w = workshop.pick(a, where=st.sidebar)
if w is None:
    st.markdown("## No workshop yet: start one on the Agenda page.")
    st.stop()


def join_screen(room: dict) -> None:
    """How to join, before any activity: the address, the code in large letters and the QR code."""
    code = room["workshop"]["code"]
    left, right = st.columns([3, 2], vertical_alignment="center")
    with left, st.container(key="projector_code"):
        st.markdown(f"Join at **{address(code)}** with the code")
        st.markdown(f"`{code}`")
        st.markdown(f"{room['joined']} joined")
    right.image(workshop.qr(code, scale=14), width=420, caption="Scan to join")


def join_footer(room: dict) -> None:
    """One line for latecomers while an activity runs."""
    code = room["workshop"]["code"]
    left, right = st.columns([6, 1], vertical_alignment="center")
    with left, st.container(key="projector_footer"):
        st.markdown(f"Join at **{address(code)}** · code **{code}** · {room['joined']} joined")
    right.image(workshop.qr(code, scale=3), width=90)


def address(code: str) -> str:
    """The join address as the room types it: no scheme, no query."""
    return workshop.join_url(code).split("://", 1)[-1].split("?")[0]


def recap() -> None:
    """The Foundation facts the workshop starts from, as the agenda's recap lists them."""
    facts = agenda.recap_facts(a, data.scores(a))
    st.markdown("\n".join(f"- **{name}:** {value}" for name, value in facts.items()))


def results(act: dict) -> None:
    """The current round once revealed (never before: not even an earlier round while the room votes
    again), never a round below the minimum group size."""
    revealed = [r for r in act["rounds"] if r["revealed"]]
    if not revealed or revealed[-1]["number"] != act["round"]:
        st.markdown("## Answer on your phone" if act["state"] == "open" else "## Results in a moment")
        return
    latest = revealed[-1]
    if not latest["shown"]:
        st.markdown(f"## {wc.needs_more(latest)}")
        return
    labels = {i["id"]: i["label"] for i in act["items"]}
    result, kind, size = latest["results"], act["kind"], wc.SCREEN_FONT
    title = f"Round {latest['number']}: {latest['n']} answers"
    if kind == "rating":
        words, figure = st.columns([2, 3], vertical_alignment="center")
        label = labels.get(act["items"][0]["id"], "")
        sentence = wc.shift_sentence(result, label)
        if sentence:
            words.markdown(f"## {sentence}")
        spread = wc.spread_sentence([r for r in revealed if r["shown"]])
        if spread:
            words.markdown(spread)
        with figure:
            chart(wc.rating(result, title, size, HEIGHT), "projector_chart")
    elif kind in wc.MEASURES:
        chart(wc.bars(kind, result, labels, size, title, HEIGHT), "projector_chart")
    elif kind == "matrix":
        chart(wc.matrix(result, labels, size, title, HEIGHT), "projector_chart")
    elif kind == "text":
        left, right = st.columns([3, 2])
        with left, st.container(key="projector_texts"):
            for text in result["approved"]:
                st.text(text)              # a phone's text: plain text, never markdown or HTML
            if not result["approved"]:
                st.markdown("No answers shown yet.")
        cloud = wc.words(result, size, top=6)
        if cloud is not None:
            with right:
                chart(cloud, "projector_words")


def draw() -> None:
    room = workshop.room(w.id)
    with st.container(key="projector"):
        if room["workshop"]["status"] == "ended":
            st.markdown(f"# {room['workshop']['title']}")
            st.markdown("## The workshop has ended. Thank you.")
            return
        act = next((x for x in room["activities"] if x["current"]), None)
        if act is None:
            st.markdown(f"# {room['workshop']['title']}")
            join_screen(room)
            return
        st.markdown(f"# {act['title']}")
        if act["kind"] == "recap":
            recap()
        else:
            status = [f"{act['answered']} answered"]
            left_time = workshop.seconds_left(act["closes_at"])
            if act["state"] == "open" and left_time is not None:
                status.append(f"{left_time} s left")
            elif act["state"] == "locked":
                status.append("voting is closed")
            with st.container(key="projector_status"):
                st.markdown(" · ".join(status))
            results(act)
        join_footer(room)


workshop.live_part(draw)
