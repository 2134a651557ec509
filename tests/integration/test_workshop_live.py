"""The shared reads of pmostep/workshop/live.py on real DuckDB files: what a phone may see, the room the
console and projector read, the survey's figure beside a rating, and the countdown read by the clock."""

from __future__ import annotations

import json
from datetime import timedelta

from pmostep import services
from pmostep.foundation.assessments import StakeholderGroup
from pmostep.planning import scoring
from pmostep.workshop import live
from pmostep.workshop import store as workshop_store
from pmostep.workshop.activities import ActivityDraft

RATING = ActivityDraft("rating", "Methodology", ("methodology",), "dimension", notes="Ask Kim first")
STATEMENT = ActivityDraft("rating", "Templates", ("meth_1",), "statement")


def _rate(con, w, activity_id: int, ratings: list[tuple[int, int]]) -> None:
    services.open_round(con, activity_id)
    for i, (current, desired) in enumerate(ratings):
        token = services.join(con, w.code)
        services.answer(con, w.code, token, activity_id, {"current": current, "desired": desired}, f"r{i}")


def test_a_phone_sees_the_current_activity_and_counts_but_never_notes_tokens_or_unrevealed_results(
        con, q, hand_assessment):
    hand_assessment(min_group_size=3)
    w = services.new_workshop(con, "hand", "Room", agenda=[RATING])
    (act,) = live.room(con, w.id)["activities"]
    assert live.public_view(con, w.code)["activity"] is None
    _rate(con, w, act["id"], [(2, 4), (3, 4), (2, 5)])
    view = live.public_view(con, w.code.lower())
    assert view["workshop"] == "Room" and view["joined"] == 3
    assert "stamp" not in view               # its newest answer id would count other workshops' answers
    assert view["activity"]["state"] == "open" and view["activity"]["answered"] == 3
    assert view["activity"]["items"] == [{"id": "methodology", "label": "Methodology and standards"}]
    assert view["activity"]["results"] is None
    text = json.dumps(view)
    tokens = [r[0] for r in con.execute("SELECT token_hash FROM workshop_participants").fetchall()]
    assert "Ask Kim" not in text and not any(t in text for t in tokens) and "notes" not in text
    services.lock_round(con, act["id"])
    assert live.public_view(con, w.code)["activity"]["results"] is None        # locked, not revealed
    assert live.room(con, w.id)["activities"][0]["rounds"][0]["results"]["current"]["mean"] == 2.33
    services.reveal(con, act["id"])
    shown = live.public_view(con, w.code)["activity"]["results"]
    assert shown["n"] == 3 and shown["results"]["current"]["mean"] == 2.33
    services.end_workshop(con, w.id)
    assert live.public_view(con, w.code) is None


def test_a_rating_is_shown_beside_the_surveys_published_figure_and_the_shift(con, q, hand_assessment):
    a = hand_assessment(min_group_size=3)
    whole = scoring.score(con, a, q).whole
    survey = whole.dimensions.set_index("id").loc["methodology"]
    w = services.new_workshop(con, "hand", agenda=[RATING])
    (act,) = live.room(con, w.id)["activities"]
    _rate(con, w, act["id"], [(3, 4), (3, 4), (4, 5)])
    services.reveal(con, act["id"])
    results = live.activity_results(con, w.id)[0]["rounds"][0]["results"]
    assert results["survey"] == {"current": round(survey["current"], 2), "n": int(survey["n"]),
                                 "desired": round(survey["desired"], 2), "gap": round(survey["gap"], 2)}
    assert results["shift"]["current"] == round(3.33 - results["survey"]["current"], 2)


def test_the_survey_figure_is_none_when_scoring_withholds_it(con, q, hand_assessment):
    hand_assessment(min_group_size=7)                   # six respondents: the survey shows nothing
    w = services.new_workshop(con, "hand", agenda=[STATEMENT])
    (act,) = live.room(con, w.id)["activities"]
    _rate(con, w, act["id"], [(3, 4)] * 7)
    services.reveal(con, act["id"])
    results = live.activity_results(con, w.id)[0]["rounds"][0]["results"]
    assert results["survey"] is None and results["shift"] is None


def test_groups_the_phones_gave_break_the_results_down_when_large_enough(con, q, hand_assessment):
    hand_assessment(min_group_size=2)
    services.update_assessment(con, "hand", stakeholder_groups=[
        StakeholderGroup("Project manager"), StakeholderGroup("Executive or sponsor")])
    w = services.new_workshop(con, "hand", agenda=[RATING])
    (act,) = live.room(con, w.id)["activities"]
    assert live.public_view(con, w.code)["groups"] == ["Project manager", "Executive or sponsor"]
    services.open_round(con, act["id"])
    for i, group in enumerate(["Project manager"] * 2 + ["Executive or sponsor"] * 2 + [None]):
        token = services.join(con, w.code, group)
        services.answer(con, w.code, token, act["id"], {"current": 2 + i % 2, "desired": 4}, f"g{i}")
    services.reveal(con, act["id"])
    shown = live.public_view(con, w.code)["activity"]["results"]
    # one phone gave no group: fewer than 2 left out, so the smallest shown group (first by name) goes too
    assert list(shown["by_group"]) == ["Project manager"] and shown["suppressed"] == ["Executive or sponsor"]
    assert shown["by_group"]["Project manager"]["current"]["mean"] == 2.5


def test_a_passed_countdown_reads_as_locked_everywhere(con, q, hand_assessment, monkeypatch):
    hand_assessment(min_group_size=1)
    w = services.new_workshop(con, "hand", agenda=[RATING])
    (act,) = live.room(con, w.id)["activities"]
    services.open_round(con, act["id"], seconds=30)
    view = live.public_view(con, w.code)["activity"]
    assert view["state"] == "open" and view["closes_at"].endswith("Z")
    before = workshop_store.stamp(con.cursor(), w.id)
    later = workshop_store.now() + timedelta(seconds=31)
    monkeypatch.setattr(workshop_store, "now", lambda: later)
    assert live.public_view(con, w.code)["activity"]["state"] == "locked"
    assert live.room(con, w.id)["activities"][0]["state"] == "locked"
    assert workshop_store.stamp(con.cursor(), w.id) != before         # pages refresh when it locks


def test_the_room_lists_every_activity_with_its_rounds_and_the_stamp_moves_with_each_write(
        con, q, hand_assessment):
    hand_assessment(min_group_size=1)
    w = services.new_workshop(con, "hand", agenda=[RATING, ActivityDraft("text", "Worries")])
    stamps = [live.room(con, w.id)["stamp"]]
    rating, text = (a["id"] for a in live.room(con, w.id)["activities"])
    services.open_round(con, text)
    stamps.append(live.room(con, w.id)["stamp"])
    token = services.join(con, w.code)
    stamps.append(live.room(con, w.id)["stamp"])
    services.answer(con, w.code, token, text, {"text": "Late reports"}, "t1")
    stamps.append(live.room(con, w.id)["stamp"])
    room = live.room(con, w.id)
    assert len(set(stamps)) == 4
    assert room["joined"] == 1 and room["workshop"]["code"] == w.code
    assert [a["kind"] for a in room["activities"]] == ["rating", "text"]
    assert room["activities"][1]["current"] and room["activities"][1]["answered"] == 1
    assert room["activities"][1]["rounds"] == [{"number": 1, "n": 1, "shown": False, "needed": 1,
                                                "revealed": False, "results": None, "by_group": {},
                                                "suppressed": []}]
    assert [p["text"] for p in room["activities"][1]["pending"]] == ["Late reports"]
    assert room["activities"][0]["id"] == rating and room["activities"][0]["notes"] == "Ask Kim first"


def test_planning_reads_the_revealed_entry_rounds_in_the_order_they_happened(con, q):
    """live.revealed_rounds is the one reader of revealed rounds (plan.build and the agenda use it): an
    open round, an unrevealed one and votes on dimensions are left out."""
    a = services.load_demo(con, q)
    entries = ("pmo_charter", "project_inventory")
    drafts = [ActivityDraft("dots", "First?", entries, "entry"),
              ActivityDraft("points", "Share", entries, "entry"),
              ActivityDraft("ranking", "Order", ("methodology", "governance"), "dimension")]
    w = services.new_workshop(con, a.slug, "Room", agenda=drafts)
    dots, points, ranking = live.activities(con, w.id)
    phones = [services.join(con, w.code) for _ in range(a.min_group_size)]
    answers = {dots.id: {"dots": {"pmo_charter": 1}}, points.id: {"points": {"pmo_charter": 100}},
               ranking.id: {"order": ["methodology", "governance"]}}
    for act in (dots, points, ranking):
        services.open_round(con, act.id)
        for i, token in enumerate(phones):
            services.answer(con, w.code, token, act.id, answers[act.id], f"{act.id}-{i}")
        services.reveal(con, act.id)
    services.open_round(con, dots.id)                         # round 2 of the dots: open
    services.open_round(con, points.id)
    services.lock_round(con, points.id)                       # round 2 of the points: locked, not revealed
    read = live.revealed_rounds(con, a)
    assert [(act.id, r.number, r.revealed, r.n) for act, r in read] == [(dots.id, 1, True, 5),
                                                                       (points.id, 1, True, 5)]
