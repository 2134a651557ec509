"""The workshop use cases of pmostep/services.py on real DuckDB files: control of rounds, joining,
answers (append-only, idempotent, refused when they should be), moderation, decisions from a round."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from pmostep import services
from pmostep.foundation.assessments import StakeholderGroup
from pmostep.planning import decisions
from pmostep.workshop import live
from pmostep.workshop import store as workshop_store
from pmostep.workshop.activities import ActivityDraft, WorkshopError

GROUPS = ["Project manager", "Executive or sponsor", "Team member"]
ENTRIES = ("pmo_charter", "project_inventory", "status_report_template")
DOTS = ActivityDraft("dots", "Where should the PMO start?", ENTRIES, "entry", {"dots": 3, "cap": 2})
RATING = ActivityDraft("rating", "Methodology today and tomorrow", ("methodology",), "dimension")
TEXT = ActivityDraft("text", "What worries you?")


@pytest.fixture
def workshop(con, q):
    services.create_assessment(con, "room", q, name="Room", min_group_size=3,
                               stakeholder_groups=[StakeholderGroup(g) for g in GROUPS])
    return services.new_workshop(con, "room", "Kick-off", agenda=[DOTS, RATING, TEXT])


def _acts(con, w):
    with con.cursor() as cur:
        return workshop_store.activities(cur, w.id)


def _phones(con, w, n: int, group: str | None = None) -> list[str]:
    return [services.join(con, w.code.lower(), group) for _ in range(n)]


def test_a_new_workshop_has_a_readable_code_and_the_agenda_in_order(con, workshop):
    assert len(workshop.code) == 6 and not set(workshop.code) & set("0O1I")
    assert workshop.status == "live" and workshop.title == "Kick-off"
    acts = _acts(con, workshop)
    assert [a.draft.kind for a in acts] == ["dots", "rating", "text"]
    assert [a.state for a in acts] == ["draft"] * 3
    assert acts[0].labels["pmo_charter"] == "PMO charter and mandate"


def test_an_unknown_item_is_refused_naming_it(con, workshop):
    with pytest.raises(WorkshopError, match="items: 'nope' is not an entry of the assessment's catalogue"):
        services.add_activity(con, workshop.id, ActivityDraft("dots", "X", ("pmo_charter", "nope"), "entry"))


def test_an_answer_counts_once_per_request_and_the_latest_counts(con, workshop):
    dots = _acts(con, workshop)[0]
    (phone,) = _phones(con, workshop, 1)
    services.open_round(con, dots.id)
    assert services.answer(con, workshop.code, phone, dots.id, {"dots": {"pmo_charter": 2}}, "r1") is True
    assert services.answer(con, workshop.code, phone, dots.id, {"dots": {"pmo_charter": 2}}, "r1") is False
    assert services.answer(con, workshop.code, phone, dots.id, {"dots": {"project_inventory": 1}}, "r2")
    with con.cursor() as cur:
        frame = workshop_store.round_answers(cur, dots.id, 1)
        assert workshop_store.answered(cur, dots.id, 1) == 1
    assert frame["answer"].tolist() == [{"dots": {"pmo_charter": 0, "project_inventory": 1,
                                                  "status_report_template": 0}}]


def test_twenty_threads_answering_at_once_lose_nothing_and_store_nothing_twice(con, workshop):
    dots = _acts(con, workshop)[0]
    phones = _phones(con, workshop, 20)
    services.open_round(con, dots.id)
    outcomes, errors = [], []
    start = threading.Barrier(20)

    def vote(i: int, token: str) -> None:
        start.wait()
        try:
            for request in (f"a{i}", f"a{i}"):          # each phone sends its request twice
                outcomes.append(services.answer(con, workshop.code, token, dots.id,
                                                {"dots": {ENTRIES[i % 3]: 1}}, request))
        except Exception as exc:      # any failure is what the test reports
            errors.append(exc)

    threads = [threading.Thread(target=vote, args=(i, t)) for i, t in enumerate(phones)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(outcomes) == [False] * 20 + [True] * 20
    count, distinct = con.execute("SELECT count(*), count(DISTINCT participant_id) FROM workshop_answers "
                                  "WHERE activity_id = ?", [dots.id]).fetchone()
    assert (count, distinct) == (20, 20)


def test_answers_are_refused_with_a_reason(con, workshop):
    dots, rating, _ = _acts(con, workshop)
    (phone,) = _phones(con, workshop, 1)
    with pytest.raises(WorkshopError, match="not the activity shown now"):
        services.answer(con, workshop.code, phone, dots.id, {"dots": {"pmo_charter": 1}}, "x1")
    services.show_activity(con, workshop.id, dots.id)
    with pytest.raises(WorkshopError, match="round is locked"):     # shown, never opened
        services.answer(con, workshop.code, phone, dots.id, {"dots": {"pmo_charter": 1}}, "x2")
    services.open_round(con, dots.id)
    with pytest.raises(WorkshopError, match="not the activity shown now"):
        services.answer(con, workshop.code, phone, rating.id, {"current": 2}, "x3")
    with pytest.raises(WorkshopError, match="token: this phone has not joined"):
        services.answer(con, workshop.code, "made-up", dots.id, {"dots": {"pmo_charter": 1}}, "x4")
    with pytest.raises(WorkshopError, match=r"answer\.dots\.pmo_charter: at most 2 dots"):
        services.answer(con, workshop.code, phone, dots.id, {"dots": {"pmo_charter": 3}}, "x5")
    other = services.new_workshop(con, "room", "Another")
    with pytest.raises(WorkshopError, match="this phone has not joined"):
        services.answer(con, other.code, phone, dots.id, {"dots": {"pmo_charter": 1}}, "x6")
    services.lock_round(con, dots.id)
    with pytest.raises(WorkshopError, match="round is locked"):
        services.answer(con, workshop.code, phone, dots.id, {"dots": {"pmo_charter": 1}}, "x7")


def test_a_countdown_locks_the_round_at_zero_without_anyone_pressing(con, workshop, monkeypatch):
    dots = _acts(con, workshop)[0]
    (phone,) = _phones(con, workshop, 1)
    services.open_round(con, dots.id, seconds=5)
    assert services.answer(con, workshop.code, phone, dots.id, {"dots": {"pmo_charter": 1}}, "early")
    later = workshop_store.now() + timedelta(seconds=6)
    monkeypatch.setattr(workshop_store, "now", lambda: later)
    with pytest.raises(WorkshopError, match="round is locked"):
        services.answer(con, workshop.code, phone, dots.id, {"dots": {"pmo_charter": 2}}, "late")
    assert live.room(con, workshop.id)["activities"][0]["state"] == "locked"
    services.show_activity(con, workshop.id, dots.id)        # the next facilitator write locks it for real
    locked = con.execute("SELECT locked_at = closes_at FROM workshop_rounds WHERE activity_id = ?",
                         [dots.id]).fetchone()[0]
    assert locked is True


def test_a_new_round_keeps_the_first_and_reveal_locks_first(con, workshop):
    dots = _acts(con, workshop)[0]
    phones = _phones(con, workshop, 3)
    assert services.open_round(con, dots.id) == 1
    for i, p in enumerate(phones):
        services.answer(con, workshop.code, p, dots.id, {"dots": {"pmo_charter": 1}}, f"one{i}")
    services.reveal(con, dots.id)
    assert _acts(con, workshop)[0].state == "locked" and _acts(con, workshop)[0].revealed
    assert services.open_round(con, dots.id) == 2
    services.answer(con, workshop.code, phones[0], dots.id, {"dots": {"project_inventory": 2}}, "two0")
    rounds = live.activity_results(con, workshop.id, dots.id)[0]["rounds"]
    assert [(r["number"], r["n"], r["revealed"]) for r in rounds] == [(1, 3, True), (2, 1, False)]
    assert rounds[0]["results"]["items"][0] == {"id": "pmo_charter", "dots": 3, "share": 1.0, "voters": 3}
    assert rounds[1]["results"] is None                       # open: never computed


def test_joining_checks_the_code_the_group_and_keeps_a_known_token(con, workshop):
    token = services.join(con, workshop.code.lower(), "Team member")
    assert services.join(con, workshop.code, token=token) == token
    assert services.join(con, workshop.code, token="forged") != "forged"
    with pytest.raises(WorkshopError, match="group 'Aliens' is not one of this assessment's stakeholder"):
        services.join(con, workshop.code, "Aliens")
    stored = con.execute("SELECT token_hash FROM workshop_participants").fetchall()
    assert token not in {r[0] for r in stored} and len(stored) == 2
    services.end_workshop(con, workshop.id)
    with pytest.raises(WorkshopError) as ended:
        services.join(con, workshop.code)
    with pytest.raises(WorkshopError) as unknown:
        services.join(con, "ZZZZZZ")
    assert str(ended.value) == str(unknown.value) == services.NO_WORKSHOP


def test_wrong_codes_are_slowed_down_per_client(con, workshop, monkeypatch):
    clock = [1000.0]
    throttle = services.Throttle(services.JOIN_THROTTLE.limits, clock=lambda: clock[0])
    monkeypatch.setattr(services, "JOIN_THROTTLE", throttle)
    with pytest.raises(WorkshopError, match="no live workshop"):
        services.join(con, "WRONG1", client="10.0.0.7")
    assert services.join(con, workshop.code, client="10.0.0.7")      # a valid code is never refused
    with pytest.raises(services.Throttled, match="too many tries with a wrong code: wait 1 s"):
        services.join(con, "WRONG2", client="10.0.0.7")
    with pytest.raises(WorkshopError, match="no live workshop"):
        services.join(con, "WRONG2", client="10.0.0.8")              # another address is not slowed
    clock[0] += 1
    with pytest.raises(WorkshopError, match="no live workshop"):
        services.join(con, "WRONG3", client="10.0.0.7")


def test_texts_are_shown_only_once_approved(con, workshop):
    text = _acts(con, workshop)[2]
    phones = _phones(con, workshop, 3)
    services.open_round(con, text.id)
    for i, (p, words) in enumerate(zip(phones, ["Too many reports", "<b>Budget</b> cuts", "Reports late"],
                                       strict=True)):
        services.answer(con, workshop.code, p, text.id, {"text": f"  {words} "}, f"t{i}")
    queue = live.room(con, workshop.id)["activities"][2]["pending"]
    assert [q["text"] for q in queue] == ["<b>Budget</b> cuts", "Reports late", "Too many reports"]
    services.moderate(con, queue[0]["answer_id"], True)
    services.moderate(con, queue[2]["answer_id"], True)
    services.moderate(con, queue[1]["answer_id"], False)
    services.reveal(con, text.id)
    view = live.public_view(con, workshop.code)
    assert view["activity"]["results"]["results"] == {
        "approved": ["<b>Budget</b> cuts", "Too many reports"], "pending": 0,
        "words": [("budget", 1), ("cuts", 1), ("many", 1), ("reports", 1)]}


def test_the_moderation_queue_waits_for_the_lock_or_m_texts_and_is_ordered_by_text(con, workshop):
    """Shown in arrival order beside the live Answered count, a text would name who just wrote it."""
    text = _acts(con, workshop)[2]
    phones = _phones(con, workshop, 2)
    services.open_round(con, text.id)
    for i, (p, words) in enumerate(zip(phones, ["zebra crossings", "Apples"], strict=True)):
        services.answer(con, workshop.code, p, text.id, {"text": words}, f"t{i}")
    assert live.room(con, workshop.id)["activities"][2]["pending"] is None        # 2 of m = 3, open
    services.lock_round(con, text.id)
    queue = live.room(con, workshop.id)["activities"][2]["pending"]
    assert [x["text"] for x in queue] == ["Apples", "zebra crossings"]


def test_a_group_changed_after_voting_leaves_the_locked_rounds_as_they_were(con, workshop):
    """The group is kept with each answer: rejoining as another group never rewrites a revealed round."""
    dots = _acts(con, workshop)[0]
    managers, members = _phones(con, workshop, 3, GROUPS[0]), _phones(con, workshop, 3, GROUPS[2])
    services.open_round(con, dots.id)
    for i, token in enumerate(managers + members):
        choice = "pmo_charter" if token in managers else "project_inventory"
        services.answer(con, workshop.code, token, dots.id, {"dots": {choice: 1}}, f"g{i}")
    services.reveal(con, dots.id)
    before = live.activity_results(con, workshop.id, dots.id)
    assert sorted(before[0]["rounds"][0]["by_group"]) == [GROUPS[0], GROUPS[2]]
    assert services.join(con, workshop.code, GROUPS[2], token=managers[0]) == managers[0]
    assert live.activity_results(con, workshop.id, dots.id) == before
    services.open_round(con, dots.id)                       # round 2 counts the group given now
    services.answer(con, workshop.code, managers[0], dots.id, {"dots": {"pmo_charter": 1}}, "g2")
    with con.cursor() as cur:
        assert workshop_store.round_answers(cur, dots.id, 2)["grp"].tolist() == [GROUPS[2]]


def test_decisions_from_a_round_carry_its_figures_into_the_plan(con, workshop):
    dots = _acts(con, workshop)[0]
    phones = _phones(con, workshop, 4)
    services.open_round(con, dots.id)
    votes = [{"pmo_charter": 2, "project_inventory": 1}, {"pmo_charter": 1}, {"status_report_template": 2},
             {"pmo_charter": 2}]
    for i, (p, v) in enumerate(zip(phones, votes, strict=True)):
        services.answer(con, workshop.code, p, dots.id, {"dots": v}, f"d{i}")
    with pytest.raises(WorkshopError, match="round 1: decide from a round that has been locked"):
        services.decide_from_round(con, dots.id, 1, "accepted", ["pmo_charter"])
    services.reveal(con, dots.id)
    with pytest.raises(WorkshopError, match=r"round 2: activity 'Where should .*' has rounds 1-1"):
        services.decide_from_round(con, dots.id, 2, "accepted", ["pmo_charter"])
    with pytest.raises(WorkshopError, match="items: give entries of this activity"):
        services.decide_from_round(con, dots.id, 1, "accepted", ["pmo_awareness_sessions"])
    services.decide_from_round(con, dots.id, 1, "accepted", ["pmo_charter"], with_prerequisites=False)
    a_id = workshop.assessment_id
    choice = decisions.choices(con, a_id)["pmo_charter"]
    assert (choice.decision, choice.reason) == ("accepted", "Workshop round 1: 5 of 8 dots (63 %)")


def test_deleting_the_assessment_deletes_its_workshops(con, workshop):
    dots = _acts(con, workshop)[0]
    (phone,) = _phones(con, workshop, 1)
    services.open_round(con, dots.id)
    services.answer(con, workshop.code, phone, dots.id, {"dots": {"pmo_charter": 1}}, "q")
    services.delete_assessment(con, "room")
    tables = ("workshops", "workshop_activities", "workshop_rounds", "workshop_participants",
              "workshop_answers", "workshop_moderation")
    left = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    assert set(left.values()) == {0}


def test_an_opened_activity_cannot_be_changed_or_dropped(con, workshop):
    dots, rating, _ = _acts(con, workshop)
    services.open_round(con, dots.id)
    with pytest.raises(WorkshopError, match="has been opened: it cannot be changed"):
        services.update_activity(con, dots.id, DOTS)
    with pytest.raises(WorkshopError, match="cannot be dropped"):
        services.drop_activity(con, dots.id)
    services.move_activity(con, rating.id, 0)
    services.drop_activity(con, _acts(con, workshop)[2].id)
    assert [a.draft.kind for a in _acts(con, workshop)] == ["rating", "dots"]
    assert [a.position for a in _acts(con, workshop)] == [0, 1]


def test_an_activity_is_changed_before_it_opens_and_the_phones_can_be_shown_nothing(con, workshop):
    dots = _acts(con, workshop)[0]
    changed = services.update_activity(con, dots.id, ActivityDraft("points", "Share 10 points", ENTRIES[:2],
                                                                    "entry", {"total": 10}))
    assert (changed.draft.kind, changed.draft.settings, changed.labels["project_inventory"]) == (
        "points", {"total": 10}, "Project inventory")
    services.show_activity(con, workshop.id, dots.id)
    assert live.public_view(con, workshop.code)["activity"]["settings"] == {"total": 10}
    services.show_activity(con, workshop.id, None)
    assert live.public_view(con, workshop.code)["activity"] is None
    with pytest.raises(WorkshopError, match="workshop: there is no workshop 99"):
        services.show_activity(con, 99, None)
