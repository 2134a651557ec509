"""The workshop tables through pmostep/workshop/store.py on real DuckDB files: codes, the agenda's order,
the latest answer of each participant, the moderation queue, and the stamp."""

from __future__ import annotations

import pytest

from pmostep import services
from pmostep.foundation.assessments import StakeholderGroup
from pmostep.workshop import store
from pmostep.workshop.activities import ActivityDraft

TEXT = ActivityDraft("text", "Worries")


@pytest.fixture
def w(con, q):
    services.create_assessment(con, "st", q, min_group_size=1,
                               stakeholder_groups=[StakeholderGroup("Project manager")])
    return services.new_workshop(con, "st", "Store", agenda=[TEXT])


def test_a_code_is_found_case_blind_and_only_while_the_workshop_is_live(con, w):
    with con.cursor() as cur:
        assert store.by_code(cur, f" {w.code.lower()} ") == w
        assert store.by_code(cur, "ABCDEF" if w.code != "ABCDEF" else "BCDEFG") is None
    services.end_workshop(con, w.id)
    with con.cursor() as cur:
        assert store.by_code(cur, w.code) is None
        assert store.get(cur, w.id).status == "ended"
        assert [x.id for x in store.list_for(cur, w.assessment_id)] == [w.id]
        with pytest.raises(KeyError, match="no workshop 99"):
            store.get(cur, 99)
        with pytest.raises(KeyError, match="no workshop 99"):
            store.stamp(cur, 99)


def test_activities_keep_their_order_as_they_are_added_and_moved(con, w):
    first = services.add_activity(con, w.id, ActivityDraft("recap", "Foundation"), position=0)
    last = services.add_activity(con, w.id, ActivityDraft("text", "Anything else"))
    with con.cursor() as cur:
        titles = [a.draft.title for a in store.activities(cur, w.id)]
    assert titles == ["Foundation", "Worries", "Anything else"]
    services.move_activity(con, last.id, 1)
    services.move_activity(con, first.id, 99)
    with con.cursor() as cur:
        acts = store.activities(cur, w.id)
    assert [(a.position, a.draft.title) for a in acts] == [(0, "Anything else"), (1, "Worries"),
                                                           (2, "Foundation")]


def test_round_answers_hold_the_latest_answer_of_each_participant_with_its_group(con, w):
    with con.cursor() as cur:
        (text,) = store.activities(cur, w.id)
    pm, anon = services.join(con, w.code, "Project manager"), services.join(con, w.code)
    services.open_round(con, text.id)
    for token, words, request in ((pm, "first", "a"), (anon, "mine", "b"), (pm, "second", "c")):
        services.answer(con, w.code, token, text.id, {"text": words}, request)
    with con.cursor() as cur:
        frame = store.round_answers(cur, text.id, 1)
        assert list(frame.columns) == ["grp", "answer", "answer_id", "approved"]
        assert [(g, a["text"]) for g, a in zip(frame["grp"], frame["answer"], strict=True)] == [
            (None, "mine"), ("Project manager", "second")]
        assert store.answered(cur, text.id, 1) == 2
        queue = store.pending_texts(cur, text.id, 1)
    assert queue["text"].tolist() == ["mine", "second"]
    services.moderate(con, int(queue["answer_id"][0]), False)
    services.moderate(con, int(queue["answer_id"][0]), True)           # a later decision counts
    with con.cursor() as cur:
        assert store.pending_texts(cur, text.id, 1)["text"].tolist() == ["second"]
        assert store.round_answers(cur, text.id, 1)["approved"].tolist() == [True, None]


def test_the_stamp_changes_on_every_write_and_not_on_reads(con, w):
    with con.cursor() as cur:
        (text,) = store.activities(cur, w.id)
    seen = [store.stamp(con.cursor(), w.id)]
    for write in (lambda: services.join(con, w.code), lambda: services.show_activity(con, w.id, text.id),
                  lambda: services.open_round(con, text.id)):
        write()
        seen.append(store.stamp(con.cursor(), w.id))
    assert len(set(seen)) == 4
    assert store.stamp(con.cursor(), w.id) == seen[-1]
