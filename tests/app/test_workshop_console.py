"""The Console page (views/workshop_console.py): the controls change the workshop, open texts wait for
moderation, a locked round's results show with the survey's figure, and a round becomes a decision."""

from pmostep import services
from pmostep.planning import decisions
from pmostep.workshop import live
from tests.app.conftest import dot_round, open_page, plotly_figures, vote


def state(made: dict, key: str) -> dict:
    room = live.room(made["con"], made["workshop"].id)
    act = next(a for a in room["activities"] if a["id"] == made[key])
    return {"current": room["workshop"]["current_activity_id"] == made[key], "state": act["state"],
            "round": act["round"], "revealed": act["revealed"]}


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def test_the_controls_show_open_lock_reveal_and_start_a_new_round(workshop_db):
    at = open_page("views/workshop_console.py")
    assert not at.exception
    w = workshop_db["workshop"]
    assert any(w.code in m.value for m in at.markdown)
    assert any("/join?c=" + w.code in c.value for c in at.code)
    assert metrics(at)["Joined"] == "0"
    assert at.selectbox(key="console_activity").value == workshop_db["rating"]

    at.button(key="console_show").click().run()
    assert state(workshop_db, "rating") == {"current": True, "state": "draft", "round": 0, "revealed": False}
    at.button(key="console_open").click().run()
    assert state(workshop_db, "rating")["state"] == "open"
    assert any("Round 1 is open" in s.value for s in at.success)
    vote(workshop_db, "rating", [{"current": 3, "desired": 4}] * 6)
    at.run()
    assert metrics(at)["Answered round 1"] == "6"
    assert not plotly_figures(at)                      # an open round shows its count only
    at.button(key="console_lock").click().run()
    assert state(workshop_db, "rating")["state"] == "locked"
    (figure,) = plotly_figures(at)                     # locked: the facilitator sees it before the room
    assert any(t["name"].startswith("Survey") for t in figure["data"])
    assert any(m.value.startswith("The room puts Governance and sponsorship at 3.0") for m in at.markdown)
    assert "**Round 1** · 6 answered · not revealed yet · spread (IQR) 0.0" in [m.value for m in at.markdown]
    at.button(key="console_reveal").click().run()
    assert state(workshop_db, "rating")["revealed"]
    at.segmented_control(key="console_countdown").set_value(60).run()
    at.button(key="console_open").click().run()
    assert state(workshop_db, "rating") == {"current": True, "state": "open", "round": 2, "revealed": False}
    assert metrics(at)["Round"].startswith("open: ") and metrics(at)["Round"].endswith(" s left")


def test_next_shows_the_next_activity_with_the_notes_and_what_comes_after(workshop_db):
    at = open_page("views/workshop_console.py")
    at.button(key="console_next").click().run()
    assert not at.exception
    assert state(workshop_db, "dots")["current"]
    assert at.selectbox(key="console_activity").value == workshop_db["dots"]
    assert "Remind them: three dots each." in [t.value for t in at.text]
    assert any(c.value == "Next: 3. Open text: What would most help the PMO?" for c in at.caption)
    at.button(key="console_previous").click().run()
    assert state(workshop_db, "rating")["current"]


def test_a_refused_next_is_a_message_not_an_exception(workshop_db):
    """Next's callback meets a workshop another console ended: the refusal shows as an error."""
    at = open_page("views/workshop_console.py")
    services.end_workshop(workshop_db["con"], workshop_db["workshop"].id)
    at.button(key="console_next").click().run()
    assert not at.exception
    assert any("has ended" in e.value for e in at.error)


def test_the_queue_waits_while_fewer_than_m_texts_are_in(workshop_db):
    services.open_round(workshop_db["con"], workshop_db["text"])
    vote(workshop_db, "text", [{"text": "Templates"}])
    at = open_page("views/workshop_console.py")
    assert not at.exception and "Templates" not in [t.value for t in at.text]
    assert any(c.value.startswith("The texts to moderate show once the round is locked or 5 are in")
               for c in at.caption)


def test_an_open_text_is_moderated_as_plain_text(workshop_db):
    con = workshop_db["con"]
    services.open_round(con, workshop_db["text"])
    said = ["**Bold** claim", "Templates", "Sponsors", "Time", "Tools"]
    vote(workshop_db, "text", [{"text": t} for t in said])
    at = open_page("views/workshop_console.py")
    assert at.selectbox(key="console_activity").value == workshop_db["text"]
    assert any(m.value == "**Waiting for moderation: 5**" for m in at.markdown)
    queue = live.room(con, workshop_db["workshop"].id)["activities"][2]["pending"]
    bold = next(p["answer_id"] for p in queue if p["text"] == "**Bold** claim")
    assert "**Bold** claim" in [t.value for t in at.text]          # shown as typed, not as markdown
    at.button(key=f"console_approve_{bold}").click().run()
    assert any(m.value == "**Waiting for moderation: 4**" for m in at.markdown)
    services.lock_round(con, workshop_db["text"])
    at.run()
    assert any(m.value.startswith("**Round 1** · 5 answered") for m in at.markdown)
    shown = [t.value for t in at.text]
    assert shown.count("**Bold** claim") == 1 and "Templates" in shown        # approved once; queue still


def test_a_locked_dots_round_becomes_a_decision_with_the_rounds_figures(workshop_db):
    con = workshop_db["con"]
    dot_round(workshop_db, 5, services.lock_round)
    at = open_page("views/workshop_console.py")
    assert not at.exception
    assert at.button(key="console_decide").disabled                 # no entry chosen yet
    at.multiselect(key="console_decide_items").set_value(["pmo_charter"]).run()
    (reason,) = [t for t in at.text_input if t.label == "Reason (kept with the choice)"]
    assert reason.value == "Workshop round 1: 10 of 15 dots (67 %)"
    reason.set_value(reason.value + ", agreed by the sponsor")
    at.button(key="console_decide").click().run()
    assert not at.exception and not at.error
    choice = decisions.choices(con, workshop_db["workshop"].assessment_id)["pmo_charter"]
    assert choice.decision == "accepted"
    assert choice.reason == "Workshop round 1: 10 of 15 dots (67 %), agreed by the sponsor"
    assert any(s.value.startswith("Accepted: PMO charter") for s in at.success)
    assert any("roadmap" in link.proto.page for link in at.get("page_link"))
