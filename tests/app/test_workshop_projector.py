"""The Projector page (views/workshop_projector.py): the join screen, the live count, results only once
revealed, the survey beside the room, and nothing below the minimum group size."""

from pmostep import services
from pmostep.workshop import live
from pmostep.workshop.activities import ActivityDraft
from tests.app.conftest import dot_round, open_page, phones, plotly_figures, values, vote

RATINGS = [(2, 4), (3, 4), (2, 5), (3, 4), (3, 4), (2, 3)]      # mean current 2.5, desired 4.0


def texts(at) -> str:
    return " ".join(m.value for m in at.markdown) + " " + " ".join(t.value for t in at.text)


def test_before_any_activity_the_projector_shows_the_join_code_and_qr_code(workshop_db):
    w = workshop_db["workshop"]
    phones(workshop_db, 3)
    at = open_page("views/workshop_projector.py")
    assert not at.exception
    shown = texts(at)
    assert w.title in shown and f"`{w.code}`" in shown and "3 joined" in shown
    assert "Join at **localhost:8501/join** with the code" in shown
    assert len(at.image) == 1
    assert not plotly_figures(at)


def test_results_stay_hidden_until_the_facilitator_reveals_them(workshop_db):
    con = workshop_db["con"]
    services.open_round(con, workshop_db["rating"])
    vote(workshop_db, "rating", [{"current": c, "desired": d} for c, d in RATINGS])
    at = open_page("views/workshop_projector.py")
    assert "Where is governance today?" in texts(at) and "6 answered" in texts(at)
    assert "Answer on your phone" in texts(at)
    assert not plotly_figures(at)
    services.lock_round(con, workshop_db["rating"])
    at.run()
    assert "6 answered · voting is closed" in texts(at) and "Results in a moment" in texts(at)
    assert not plotly_figures(at) and "The room puts" not in texts(at)

    services.reveal(con, workshop_db["rating"])
    at.run()
    assert not at.exception
    assert "The room puts Governance and sponsorship at 2.5; the survey said" in texts(at)
    (figure,) = plotly_figures(at)
    room = next(t for t in figure["data"] if t["name"].startswith("Room"))
    assert room["name"] == "Room (n=6)" and values(room["x"]) == [2.5, 4.0]
    assert any(t["name"].startswith("Survey (n=") for t in figure["data"])
    assert figure["layout"]["xaxis"]["title"]["text"] == "Maturity level (1-5)"
    assert figure["layout"]["font"]["size"] >= 32


def test_a_second_round_shows_how_the_spread_moved(workshop_db):
    con = workshop_db["con"]
    services.open_round(con, workshop_db["rating"])
    tokens = vote(workshop_db, "rating", [{"current": c, "desired": None} for c in [1, 2, 3, 4, 5, 3]])
    services.reveal(con, workshop_db["rating"])
    services.open_round(con, workshop_db["rating"])
    vote(workshop_db, "rating", [{"current": c, "desired": None} for c in [3, 3, 3, 3, 4, 3]], tokens)
    at = open_page("views/workshop_projector.py")
    assert "Answer on your phone" in texts(at) and not plotly_figures(at)     # round 2 open: hidden
    services.reveal(con, workshop_db["rating"])
    at.run()
    assert "Spread narrowed from 1.5 to 0.0" in texts(at)


def test_below_the_minimum_group_size_the_projector_says_so_and_draws_no_figure(workshop_db):
    dot_round(workshop_db, 3, services.reveal)
    at = open_page("views/workshop_projector.py")
    assert not at.exception
    assert ("Round 1: 3 people answered; results are shown from 5 answers, so that no one's answer can be "
            "worked out.") in texts(at)
    assert not plotly_figures(at)


def test_revealed_dots_are_bars_with_entry_names_and_no_ids(workshop_db):
    dot_round(workshop_db, 5, services.reveal)
    at = open_page("views/workshop_projector.py")
    (figure,) = plotly_figures(at)
    bars = figure["data"][0]
    assert values(bars["x"]) == [10, 5, 0]
    assert "pmo_charter" not in " ".join(bars["y"]) and "charter" in bars["y"][0].lower()
    assert figure["layout"]["xaxis"]["title"]["text"] == "Dots"


def test_an_open_text_reaches_the_projector_only_once_approved(workshop_db):
    con = workshop_db["con"]
    services.open_round(con, workshop_db["text"])
    said = ["More templates", "<b>Clear</b> priorities", "Fewer reports", "Sponsor time", "Training"]
    vote(workshop_db, "text", [{"text": s} for s in said])
    services.reveal(con, workshop_db["text"])
    at = open_page("views/workshop_projector.py")
    assert not [t.value for t in at.text]
    queue = {a["text"]: a["answer_id"] for a in _pending(workshop_db)}
    services.moderate(con, queue["<b>Clear</b> priorities"], True)
    services.moderate(con, queue["Fewer reports"], False)
    at.run()
    assert [t.value for t in at.text] == ["<b>Clear</b> priorities"]          # as plain text, never HTML
    assert "Fewer reports" not in texts(at) and "More templates" not in texts(at)


def _pending(made: dict) -> list[dict]:
    room = live.room(made["con"], made["workshop"].id)
    return next(a for a in room["activities"] if a["id"] == made["text"])["pending"]


def test_a_recap_shows_the_foundation_facts_and_no_count(workshop_db):
    con, w = workshop_db["con"], workshop_db["workshop"]
    recap = services.add_activity(con, w.id, ActivityDraft("recap", "Where we start"), 0)
    services.show_activity(con, w.id, recap.id)
    at = open_page("views/workshop_projector.py")
    assert not at.exception
    shown = texts(at)
    assert "# Where we start" in shown and "- **Respondents:** 150" in shown
    assert "- **Organisation:** Harbourline Logistics" in shown and "answered" not in shown
