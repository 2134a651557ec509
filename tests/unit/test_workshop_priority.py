"""Votes to planning (pmostep/workshop/priority.py): which round counts, shares, and the 2x2 placements."""

import pytest

from pmostep.workshop import priority
from pmostep.workshop.activities import Activity, ActivityDraft, RoundResult


def activity(id, kind, title, item_kind="entry"):
    draft = ActivityDraft(kind, title, ("a", "b", "c"), item_kind)
    return Activity(id, 1, id, draft, 2, "locked", True, None)


def dots(number, given, revealed=True, n=40):
    items = [{"id": i, "dots": d, "share": None, "voters": None} for i, d in given.items()]
    return RoundResult(number, n, True, {"items": items}, revealed=revealed)


def place(number, *rows, revealed=True):
    items = [{"id": i, "value": v, "effort": e, "n": n, "quadrant": q} for i, v, e, n, q in rows]
    return RoundResult(number, 30, True, {"items": items}, revealed=revealed)


DOTS = activity(1, "dots", "What first?")


def test_the_latest_revealed_round_gives_each_entry_its_share_of_the_top_share():
    rounds = [(DOTS, dots(1, {"a": 60, "b": 40, "c": 20})), (DOTS, dots(2, {"a": 17, "b": 34, "c": 69})),
              (DOTS, dots(3, {"a": 120, "b": 0, "c": 0}, revealed=False))]      # round 3 not revealed
    got = priority.priorities(rounds)
    assert set(got) == {"a", "b", "c"}
    b = got["b"]
    assert (b.votes, b.total, b.unit, b.round, b.activity) == (34, 120, "dots", 2, "What first?")
    assert b.share == pytest.approx(34 / 120) and b.top_share == pytest.approx(69 / 120)
    assert got["c"].factor == 1.5 and b.factor == pytest.approx(1 + 0.5 * 34 / 69)
    assert got["a"].words() == "The workshop gave it 17 of 120 dots (14 %), round 2: +12 %."


def test_points_count_too_and_a_later_activity_replaces_an_earlier_one():
    points = activity(2, "points", "Share 100 points")
    items = [{"id": "a", "points": 500, "mean": 25.0, "share": 0.25},
             {"id": "b", "points": 1500, "mean": 75.0, "share": 0.75}]
    shared = RoundResult(1, 20, True, {"items": items}, revealed=True)
    rounds = [(DOTS, dots(1, {"a": 60, "b": 40, "c": 20})), (points, shared)]
    got = priority.priorities(rounds)
    assert (got["a"].unit, got["a"].votes, got["a"].total, got["a"].activity) == ("points", 500, 2000,
                                                                                 "Share 100 points")
    assert got["b"].factor == 1.5 and got["a"].factor == pytest.approx(1 + 0.5 / 3)
    assert got["c"].unit == "dots"              # only the dots voted on c: that vote still counts


def test_no_priority_from_hidden_unrevealed_or_non_entry_rounds():
    hidden = RoundResult(1, 3, False, None, revealed=True)              # below the minimum group size
    ratings = activity(3, "dots", "Dimensions", item_kind="dimension")
    assert priority.priorities([(DOTS, hidden)]) == {}
    assert priority.priorities([(DOTS, dots(2, {"a": 3}, revealed=False))]) == {}
    assert priority.priorities([(ratings, dots(1, {"a": 9, "b": 1}))]) == {}
    assert priority.priorities([(DOTS, dots(3, {"a": 0, "b": 0}))]) == {}       # nobody gave a dot


def test_placements_of_the_latest_revealed_matrix_round_placed_by_enough_people():
    grid = activity(4, "matrix", "Value and effort")
    rounds = [(grid, place(1, ("a", 2.0, 4.0, 25, "thankless task"))),
              (grid, place(2, ("a", 4.12, 1.96, 23, "quick win"), ("b", 3.5, 3.5, 4, "major project"),
                           ("c", None, None, 0, None))),
              (grid, place(3, ("a", 1.0, 1.0, 30, "fill-in"), revealed=False))]
    got = priority.placements(rounds, min_size=5)
    assert set(got) == {"a"}                     # b: 4 people placed it, fewer than 5; c: nobody
    assert got["a"].words() == "Quick win: value 4.1, effort 2.0, n 23"
    assert (got["a"].round, got["a"].activity) == (2, "Value and effort")
    assert priority.placements(rounds, min_size=4)["b"].words() == "Major project: value 3.5, effort 3.5, n 4"
