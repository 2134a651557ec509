"""Workshop console: the facilitator runs the session: join code, live counts, the controls of the
current activity, notes, what comes next, moderation of open texts, results, and decisions."""

import streamlit as st

from pmostep import services
from pmostep.planning.decisions import MAX_REASON, DecisionError
from pmostep.reports import workshop_charts as wc
from pmostep.workshop import activities
from pmostep.workshop.activities import WorkshopError
from ui import data, flash, frame, workshop
from ui.figures import chart

COUNTDOWNS = {0: "No countdown", 30: "30 s", 60: "60 s", 120: "120 s"}
DECIDES = ("dots", "points", "matrix")        # kinds over catalogue entries whose round may become decisions
MODERATION = (("Approve", True, ":material/check:"), ("Reject", False, ":material/close:"))

assessment, q = frame.page("Workshop console")
w = workshop.picked(assessment)
if w.status == "ended":
    st.info(f"{w.title} has ended: its rounds are on the Workshop results page.")
    st.page_link("views/workshop_results.py", label="Go to Workshop results", icon=":material/table_chart:")
    st.stop()

room = workshop.room(w.id)
acts = room["activities"]
if not acts:
    st.info("The agenda is empty: add items on the Agenda page.")
    st.stop()

left, right = st.columns([4, 1], vertical_alignment="center")
url = workshop.join_url(w.code)
left.markdown(f"### Join code **{w.code}**")
left.code(url, language=None)
left.link_button("Open the projector in a new window", f"workshop_projector?assessment={assessment.slug}"
                 f"&workshop={w.id}", icon=":material/co_present:")
right.image(workshop.qr(w.code, scale=5), caption="Scan to join", width=150)

by_id = {x["id"]: x for x in acts}
order = [x["id"] for x in acts]
shown_id = room["workshop"]["current_activity_id"]
if st.session_state.get("console_activity") not in by_id:
    st.session_state["console_activity"] = shown_id if shown_id in by_id else order[0]


def name(activity_id: int) -> str:
    x = by_id[activity_id]
    return f"{order.index(activity_id) + 1}. {workshop.KIND_NAMES[x['kind']]}: {x['title']}"


def attempt(action, *args) -> bool:
    """Run a workshop use case from a button's callback; a refusal becomes the page's message (a
    callback runs before the page, so the message waits in ui/flash for the run that follows)."""
    try:
        action(data.con(), *args)
    except WorkshopError as exc:
        flash.add(str(exc), "error")
        return False
    return True


def go(step: int) -> None:
    """Previous or next: show that activity on the phones and the projector."""
    target = order[order.index(st.session_state["console_activity"]) + step]
    if attempt(services.show_activity, w.id, target):
        st.session_state["console_activity"] = target


chosen = st.selectbox("Activity", order, format_func=name, key="console_activity")
a = by_id[chosen]
position = order.index(chosen)
nav = st.container(horizontal=True)
nav.button("Previous", key="console_previous", disabled=position == 0, on_click=go, args=(-1,),
           icon=":material/skip_previous:")
nav.button("Next", key="console_next", disabled=position == len(order) - 1, on_click=go, args=(1,),
           icon=":material/skip_next:")
if shown_id == chosen:
    if nav.button("Hide from the phones", key="console_hide", icon=":material/visibility_off:"):
        workshop.act(services.show_activity, w.id, None,
                     done="Phones and the projector show the join screen.")
elif nav.button("Show on the phones", key="console_show", type="primary", icon=":material/cast:"):
    workshop.act(services.show_activity, w.id, chosen, done=f"Showing: {a['title']}.")

on_screen = f"on the phones and the projector ({name(shown_id)})" if shown_id else "the join screen"
st.caption(f"Now showing {on_screen}.")
if a["notes"]:
    st.markdown("**Your notes**")
    st.text(a["notes"])
if a["why"]:
    st.caption(f"Why this item: {a['why']}")
if position + 1 < len(order):
    st.caption(f"Next: {name(order[position + 1])}")

if a["kind"] != "recap":
    controls = st.container(horizontal=True, vertical_alignment="bottom")
    if a["state"] in ("draft", "locked"):
        seconds = controls.segmented_control("Countdown", list(COUNTDOWNS), format_func=COUNTDOWNS.get,
                                             default=0, key="console_countdown") or None
        label = "Open round 1" if a["state"] == "draft" else f"New round ({a['round'] + 1})"
        if controls.button(label, key="console_open", type="primary", icon=":material/play_arrow:"):
            workshop.act(services.open_round, chosen, seconds,
                         done=f"Round {a['round'] + 1} is open" + (f" for {seconds} s." if seconds else "."))
    if a["state"] == "open" and controls.button("Lock", key="console_lock", icon=":material/lock:"):
        workshop.act(services.lock_round, chosen, done="Locked: no more answers this round.")
    if a["round"] and not a["revealed"] and controls.button("Reveal", key="console_reveal",
                                                            icon=":material/visibility:"):
        workshop.act(services.reveal, chosen, done="Revealed on the projector and the phones.")


def moderation(x: dict) -> None:
    """The queue of open texts, ordered by text: each shown as plain text, approved or rejected one by
    one. Held back (None) while the round is open with fewer than m texts (live._queue)."""
    if x["pending"] is None:
        st.caption(f"The texts to moderate show once the round is locked or {room['min_group_size']} are "
                   "in: the newest text beside the Answered count would tell who just wrote it.")
        return
    st.markdown(f"**Waiting for moderation: {len(x['pending'])}**")
    for item in x["pending"]:
        row = st.container(horizontal=True, vertical_alignment="center", border=True)
        row.text(item["text"])               # a phone's text: plain text, never markdown or HTML
        for label, approved, icon in MODERATION:
            row.button(label, key=f"console_{label.lower()}_{item['answer_id']}", icon=icon,
                       on_click=attempt, args=(services.moderate, item["answer_id"], approved))


def round_results(x: dict) -> None:
    """The rounds' results as soon as they are locked (revealed or not: the facilitator sees first)."""
    labels = {i["id"]: i["label"] for i in x["items"]}
    done = [r for r in x["rounds"] if not (r["number"] == x["round"] and x["state"] == "open")]
    for r in reversed(done):
        spread = ""
        if x["kind"] == "rating" and r["shown"] and r["results"]["current"]["iqr"] is not None:
            spread = f" · spread (IQR) {r['results']['current']['iqr']:.1f}"
        st.markdown(f"**Round {r['number']}** · {r['n']} answered · "
                    f"{'revealed' if r['revealed'] else 'not revealed yet'}{spread}")
        if not r["shown"]:
            st.info(wc.needs_more(r))
            continue
        key = f"console_chart_{x['id']}_{r['number']}"
        result = r["results"]
        if x["kind"] == "rating":
            label = labels.get(x["items"][0]["id"], "")
            sentence = wc.shift_sentence(result, label)
            if sentence:
                st.markdown(sentence)
            chart(wc.rating(result, label), key)
        elif x["kind"] in wc.MEASURES:
            chart(wc.bars(x["kind"], result, labels), key)
        elif x["kind"] == "matrix":
            chart(wc.matrix(result, labels), key)
        else:
            for text in result["approved"]:
                st.text(text)
            words = wc.words(result)
            if words is not None:
                chart(words, key)
        if r["suppressed"]:
            st.caption(f"Not shown by group (too few to show): {', '.join(r['suppressed'])}.")
    if x["kind"] == "rating":
        spread = wc.spread_sentence([r for r in done if r["shown"]])
        if spread:
            st.markdown(spread)


def live() -> None:
    """The parts that change while the room answers, redrawn every half second."""
    fresh = workshop.room(w.id)
    x = next((y for y in fresh["activities"] if y["id"] == chosen), None)
    if x is None or (x["state"], x["round"], x["revealed"]) != (a["state"], a["round"], a["revealed"]):
        st.rerun()                           # a countdown locked the round, or another console acted
    cols = st.columns(3)
    cols[0].metric("Joined", fresh["joined"])
    if x["kind"] != "recap":
        cols[1].metric(f"Answered round {x['round']}" if x["round"] else "Answered", x["answered"])
        left_time = workshop.seconds_left(x["closes_at"])
        state = {"draft": "not opened", "open": "open", "locked": "locked"}[x["state"]]
        cols[2].metric("Round", state if left_time is None else f"open: {left_time} s left")
    if x["kind"] == "text" and x["round"]:
        moderation(x)
    round_results(x)


workshop.live_part(live)


def decide(x: dict) -> None:
    """Record accept or reject on the entries of a round, with the reason drawn from the round."""
    latest = next((r for r in reversed(x["rounds"]) if r["shown"]), None)
    if latest is None:
        return
    labels = {i["id"]: i["label"] for i in x["items"]}
    st.subheader("Record a decision")
    st.caption(f"From round {latest['number']}: accepting brings the entries' prerequisites along; the "
               "roadmap re-plans at once.")
    items = st.multiselect("Entries", list(labels), format_func=labels.get, key="console_decide_items")
    decision = st.segmented_control("Decision", ["accepted", "rejected"], default="accepted",
                                    format_func={"accepted": "Accept", "rejected": "Reject"}.get,
                                    key="console_decide_choice") or "accepted"
    drawn = activities.reason(workshop.activity(x["id"]), latest, items) if items else ""
    # Keyed by the entries chosen, so the drawn reason follows the choice until the facilitator edits it.
    reason = st.text_input("Reason (kept with the choice)", value=drawn, max_chars=MAX_REASON,
                           key=f"console_decide_reason_{'_'.join(items)}")
    if st.button("Record the decision", type="primary", key="console_decide", disabled=not items):
        try:
            made = services.decide_from_round(data.con(), x["id"], latest["number"], decision, items,
                                              reason.strip() or None)
        except (WorkshopError, DecisionError) as exc:
            st.error(str(exc))
        else:
            stored = [labels.get(i, i) for i in made.stored.get(decision, [])]
            flash.rerun(f"{decision.capitalize()}: {', '.join(stored)}. The roadmap is re-planned.")
    st.page_link("views/roadmap.py", label="See the roadmap", icon=":material/view_timeline:")


if a["kind"] in DECIDES and a["item_kind"] == "entry" and a["state"] == "locked":
    decide(a)
