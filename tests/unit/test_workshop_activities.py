"""The workshop's pure rules (pmostep/workshop/activities.py): what a phone may answer for each kind of
activity, what a round's results are, and the anonymity rules of docs/workshop.md ("Anonymity")."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from pmostep.workshop import activities as act
from pmostep.workshop.activities import Activity, ActivityDraft, WorkshopError

ITEMS = ("a", "b", "c")


def activity(kind: str, items: tuple[str, ...] = ITEMS, **settings) -> Activity:
    item_kind = {"rating": "dimension", "text": None, "recap": None}.get(kind, "entry")
    items = {"rating": ("methodology",), "text": (), "recap": ()}.get(kind, items)
    return Activity(1, 1, 0, ActivityDraft(kind, kind.title(), items, item_kind, settings), 1, "open", False,
                    None)


def frame(answers: list[dict], groups: list[str | None] | None = None,
          approved: list[bool | None] | None = None) -> pd.DataFrame:
    groups = groups or [None] * len(answers)
    return pd.DataFrame({"token": [f"t{i}" for i in range(len(answers))], "grp": groups, "answer": answers,
                         "answer_id": range(len(answers)),
                         "approved": approved or [None] * len(answers)}, dtype=object)


# --- answers ------------------------------------------------------------------------------------------

VALID = [
    ("rating", {"current": 2, "desired": 4}, {"current": 2, "desired": 4}),
    ("rating", {"current": None, "desired": 5}, {"current": None, "desired": 5}),
    ("rating", {"current": 3}, {"current": 3, "desired": None}),
    ("ranking", {"order": ["c", "a", "b"]}, {"order": ["c", "a", "b"]}),
    ("points", {"points": {"a": 60, "c": 40}}, {"points": {"a": 60, "b": 0, "c": 40}}),
    ("dots", {"dots": {"b": 2, "c": 1}}, {"dots": {"a": 0, "b": 2, "c": 1}}),
    ("matrix", {"place": {"b": {"value": 4, "effort": 2}}}, {"place": {"b": {"value": 4, "effort": 2}}}),
    ("text", {"text": "  Too many templates \n"}, {"text": "Too many templates"}),
    ("text", {"text": "Two\nlines\tand <b>tags</b>"}, {"text": "Two\nlines\tand <b>tags</b>"}),
]


@pytest.mark.parametrize(("kind", "given", "stored"), VALID)
def test_valid_answers_are_normalised(kind, given, stored):
    assert act.check_answer(activity(kind), given) == stored


REFUSED = [
    ("recap", {}, r"answer: a recap takes no answer"),
    ("rating", [3, 4], r"answer must be an object with 'current'"),
    ("rating", {"current": 6}, r"answer\.current must be a whole number from 1 to 5 or null"),
    ("rating", {"current": 2, "desired": True}, r"answer\.desired must be a whole number"),
    ("rating", {"current": 2.5}, r"answer\.current must be a whole number"),
    ("rating", {"current": 2, "mood": 1}, r"answer\.mood is not part of this activity's answer"),
    ("ranking", {"order": ["a", "b"]}, r"answer\.order must list every item once \(3 ids\)"),
    ("ranking", {"order": ["a", "a", "b"]}, r"answer\.order must list every item once"),
    ("ranking", {"order": ["a", "b", "z"]}, r"answer\.order must list every item once"),
    ("points", {"points": {"a": 50, "b": 40}}, r"answer\.points must add up to exactly 100, not 90"),
    ("points", {"points": {"a": 150, "b": -50}}, r"answer\.points\.b must be a whole number, 0 or more"),
    ("points", {"points": {"a": 100, "zz": 0}}, r"answer\.points: 'zz' is not an item of this activity"),
    ("points", {"points": {"a": 99.5, "b": 0.5}}, r"answer\.points\.a must be a whole number"),
    ("dots", {"dots": {"a": 2, "b": 2}}, r"answer\.dots: give 1 to 3 dots in all, not 4"),
    ("dots", {"dots": {}}, r"answer\.dots: give 1 to 3 dots in all, not 0"),
    ("dots", {"dots": {"a": 3}}, r"answer\.dots\.a: at most 2 dots on one item"),
    ("dots", {"dots": "a"}, r"answer\.dots must be an object of item ids"),
    ("matrix", {"place": {}}, r"answer\.place: place at least one item"),
    ("matrix", {"place": {"a": {"value": 4}}}, r"answer\.place\.a must be an object with value and effort"),
    ("matrix", {"place": {"a": {"value": 4, "effort": 0}}}, r"answer\.place\.a\.effort must be a whole"),
    ("matrix", {"place": {"q": {"value": 4, "effort": 2}}}, r"answer\.place: 'q' is not an item"),
    ("text", {"text": "   "}, r"answer\.text must be 1-280 characters"),
    ("text", {"text": "x" * 281}, r"answer\.text must be 1-280 characters"),
    ("text", {"text": 42}, r"answer\.text must be 1-280 characters"),
    ("text", "hello", r"answer must be an object with 'text'"),
    ("text", {"text": "ok\x00"}, r"answer\.text: control characters are not allowed"),
    ("text", {"text": "evil \u202e txt"}, r"answer\.text: control characters are not allowed"),
]


@pytest.mark.parametrize(("kind", "given", "message"), REFUSED)
def test_wrong_answers_are_refused_naming_the_field(kind, given, message):
    with pytest.raises(WorkshopError, match=message):
        act.check_answer(activity(kind), given)


def test_settings_change_what_an_answer_may_hold():
    assert act.check_answer(activity("points", total=10), {"points": {"a": 10}})["points"]["a"] == 10
    assert act.check_answer(activity("dots", dots=5, cap=5), {"dots": {"a": 5}})["dots"]["a"] == 5


DRAFTS = [
    (ActivityDraft("poll", "X"), r"kind 'poll' must be one of"),
    (ActivityDraft("text", "  "), r"title must be 1-200 characters"),
    (ActivityDraft("dots", "X", ("a",), "entry"), r"items: a dots activity takes 2-15 items, not 1"),
    (ActivityDraft("rating", "X", ("a", "b"), "dimension"), r"items: a rating activity takes 1 item, not 2"),
    (ActivityDraft("text", "X", ("a",)), r"items: a text activity takes no items, not 1"),
    (ActivityDraft("dots", "X", ("a", "a"), "entry"), r"items must be ids, each given once"),
    (ActivityDraft("rating", "X", ("a",), "entry"), r"item_kind 'entry' must be one of: dim"),
    (ActivityDraft("dots", "X", ("a", "b"), "entry", {"total": 5}), r"settings\.total: a dots activity has"),
    (ActivityDraft("points", "X", ("a", "b"), "entry", {"total": 5}), r"settings\.total must be a whole"),
    (ActivityDraft("dots", "X", ("a", "b"), "entry", {"dots": 2, "cap": 3}), r"settings\.cap cannot be more"),
]


@pytest.mark.parametrize(("draft", "message"), DRAFTS)
def test_wrong_drafts_are_refused_naming_the_field(draft, message):
    with pytest.raises(WorkshopError, match=message):
        act.check_draft(draft)


# --- results ------------------------------------------------------------------------------------------

def test_rating_results_have_spread_gap_counts_and_the_shift_from_the_survey():
    answers = [{"current": c, "desired": d} for c, d in [(1, 4), (2, 4), (2, 5), (3, None), (4, 5)]]
    survey = {"current": 2.1, "desired": 4.0, "gap": 1.9, "n": 40}
    r = act.results(activity("rating"), 1, frame(answers), 3, survey)
    assert (r.n, r.shown) == (5, True)
    assert r.results["current"] == {"n": 5, "mean": 2.4, "median": 2.0, "iqr": 1.0,
                                    "counts": {"1": 1, "2": 2, "3": 1, "4": 1, "5": 0}}
    assert r.results["desired"]["n"] == 4 and r.results["desired"]["mean"] == 4.5
    assert r.results["gap"] == 2.1
    assert r.results["survey"] == survey
    assert r.results["shift"] == {"current": 0.3, "desired": 0.5, "gap": 0.2}


def test_a_rating_figure_from_fewer_than_the_minimum_answers_is_left_blank():
    answers = [{"current": 2, "desired": None}] * 4 + [{"current": 3, "desired": 5}]
    r = act.results(activity("rating"), 1, frame(answers), 3)
    assert r.results["desired"] == {"n": 1, "mean": None, "median": None, "iqr": None, "counts": None}
    assert r.results["gap"] is None and r.results["survey"] is None and r.results["shift"] is None


def test_ranking_gives_mean_rank_and_borda_points():
    answers = [{"order": ["a", "b", "c"]}, {"order": ["b", "a", "c"]}, {"order": ["a", "c", "b"]}]
    items = act.results(activity("ranking"), 1, frame(answers), 3).results["items"]
    assert items == [{"id": "a", "mean_rank": 1.33, "points": 5}, {"id": "b", "mean_rank": 2.0, "points": 3},
                     {"id": "c", "mean_rank": 2.67, "points": 1}]


def test_points_and_dots_give_totals_shares_and_voters():
    points = [{"points": {"a": 70, "b": 30, "c": 0}}, {"points": {"a": 20, "b": 80, "c": 0}},
              {"points": {"a": 10, "b": 10, "c": 80}}]
    p = act.results(activity("points"), 1, frame(points), 3).results
    assert p["total"] == 300
    assert p["items"] == [{"id": "b", "points": 120, "mean": 40.0, "share": 0.4},         # most first
                          {"id": "a", "points": 100, "mean": 33.33, "share": 0.3333},
                          {"id": "c", "points": 80, "mean": 26.67, "share": 0.2667}]
    dots = [{"dots": {"a": 2, "b": 1, "c": 0}}, {"dots": {"a": 0, "b": 0, "c": 1}},
            {"dots": {"a": 1, "b": 0, "c": 0}}]
    d = act.results(activity("dots"), 1, frame(dots), 3).results
    assert d == {"total": 5, "items": [{"id": "a", "dots": 3, "share": 0.6, "voters": 2},
                                       {"id": "b", "dots": 1, "share": 0.2, "voters": 1},
                                       {"id": "c", "dots": 1, "share": 0.2, "voters": 1}]}


@pytest.mark.parametrize(("value", "effort", "quadrant"), [
    (3, 2.99, "quick win"), (3, 3, "major project"), (2.99, 1, "fill-in"), (1, 5, "thankless task")])
def test_quadrants_split_at_three(value, effort, quadrant):
    assert act.quadrant(value, effort) == quadrant


def test_matrix_places_items_and_hides_an_item_placed_by_too_few():
    answers = [{"place": {"a": {"value": 4, "effort": 2}, "b": {"value": 2, "effort": 4}}},
               {"place": {"a": {"value": 5, "effort": 1}}},
               {"place": {"a": {"value": 3, "effort": 3}}}]
    items = act.results(activity("matrix"), 1, frame(answers), 3).results["items"]
    assert items[0] == {"id": "a", "n": 3, "value": 4.0, "effort": 2.0, "quadrant": "quick win"}
    assert items[1] == {"id": "b", "n": 1, "value": None, "effort": None, "quadrant": None}


def test_texts_show_only_the_approved_ones_ordered_by_text_with_their_words():
    answers = [{"text": t} for t in ["Reports are late", "budget reports", "secret rant", "Waiting"]]
    r = act.results(activity("text"), 1, frame(answers, approved=[True, True, False, None]), 3)
    assert r.results == {"approved": ["budget reports", "Reports are late"],
                         "words": [("reports", 2), ("budget", 1), ("late", 1)], "pending": 1}
    assert r.by_group == {} and r.suppressed == []


def test_stop_words_and_single_letters_are_not_counted():
    assert act.words(["The PMO and the PMO's reports: a mess", "l'équipe"]) == [
        ("l'équipe", 1), ("mess", 1), ("pmo", 1), ("pmo's", 1), ("reports", 1)]


# --- anonymity (docs/workshop.md, "Anonymity") --------------------------------------------------------

DOT = {"dots": {"a": 1, "b": 0, "c": 0}}


def test_rule_1_a_round_below_the_minimum_shows_only_its_count():
    r = act.results(activity("dots"), 2, frame([DOT] * 4), 5)
    assert (r.n, r.shown, r.results, r.by_group, r.needed) == (4, False, None, {}, 5)
    assert r.to_dict()["n"] == 4


def test_rule_2_groups_below_the_minimum_are_named_not_shown():
    groups = ["PM"] * 5 + ["Exec"] * 5 + ["Team"] * 5 + ["Sponsor"] * 2 + [None] * 3
    r = act.results(activity("dots"), 1, frame([DOT] * 20, groups), 5)
    assert sorted(r.by_group) == ["Exec", "PM", "Team"] and r.suppressed == ["Sponsor"]
    assert r.by_group["PM"]["total"] == 5


def test_rule_2_when_few_are_left_out_the_smallest_shown_group_goes_too():
    groups = ["PM"] * 6 + ["Exec"] * 5 + ["Sponsor"] * 2          # the room minus PM and Exec would be 2
    r = act.results(activity("dots"), 1, frame([DOT] * 13, groups), 5)
    assert list(r.by_group) == ["PM"] and r.suppressed == ["Exec", "Sponsor"]


def test_rule_2_two_groups_of_which_one_is_below_the_minimum_leave_both_out():
    r = act.results(activity("dots"), 1, frame([DOT] * 8, ["PM"] * 6 + ["Exec"] * 2), 5)
    assert r.shown and r.by_group == {} and r.suppressed == ["Exec", "PM"]


def test_rule_2_a_few_without_a_group_count_as_left_out():
    r = act.results(activity("dots"), 1, frame([DOT] * 8, ["PM"] * 6 + [None] * 2), 5)
    assert r.by_group == {} and r.suppressed == ["PM"]


def test_rule_2_nobody_gave_a_group_so_there_is_no_breakdown():
    r = act.results(activity("dots"), 1, frame([DOT] * 9), 5)
    assert r.shown and r.by_group == {} and r.suppressed == []


def test_rule_2_groups_that_make_up_the_whole_room_are_all_shown():
    r = act.results(activity("dots"), 1, frame([DOT] * 10, ["PM"] * 5 + ["Exec"] * 5), 5)
    assert sorted(r.by_group) == ["Exec", "PM"] and r.suppressed == []


def test_rule_2_holds_figure_by_figure_when_some_say_dont_know():
    """Both groups are shown, but only 1 of group B gave a current rating: the room's current (6 people)
    minus A's (5) would give B's one, so A's current is blanked too; desired (all 10) stays for both."""
    answers = ([{"current": 2, "desired": 4}] * 5 + [{"current": 5, "desired": 5}]
               + [{"current": None, "desired": 5}] * 4)
    r = act.results(activity("rating"), 1, frame(answers, ["A"] * 5 + ["B"] * 5), 5)
    assert r.results["current"]["n"] == 6 and r.results["current"]["mean"] == 2.5
    assert sorted(r.by_group) == ["A", "B"]
    assert r.by_group["A"]["current"]["mean"] is None and r.by_group["B"]["current"]["mean"] is None
    assert r.by_group["A"]["gap"] is None
    assert (r.by_group["A"]["desired"]["mean"], r.by_group["B"]["desired"]["mean"]) == (4.0, 5.0)


def test_rule_2_holds_for_each_item_of_a_2x2():
    spot = {"value": 4, "effort": 2}
    answers = ([{"place": {"a": spot, "b": spot}}] * 5 + [{"place": {"a": spot}}] * 3
               + [{"place": {"b": spot}}] * 2)
    r = act.results(activity("matrix"), 1, frame(answers, ["A"] * 5 + ["B"] * 5), 3)
    a_of = {g: block["items"][0] for g, block in r.by_group.items()}
    assert r.results["items"][0]["n"] == 8 and a_of["A"]["n"] == 5 and a_of["B"]["n"] == 3
    assert a_of["A"]["quadrant"] == "quick win" and a_of["B"]["quadrant"] == "quick win"
    b_of = {g: block["items"][1] for g, block in r.by_group.items()}          # 7 placed b: 5 of A, 2 of B
    assert b_of["A"]["quadrant"] is None and b_of["B"]["quadrant"] is None


def test_no_shown_figure_rests_on_fewer_than_the_minimum_whatever_the_groups():
    """Every shown group, and the room minus every shown group, has at least m people or none."""
    m = 3
    for sizes in itertools.product(range(0, 6), repeat=3):
        for ungrouped in range(0, 4):
            groups = [g for g, k in zip("XYZ", sizes, strict=True) for _ in range(k)] + [None] * ungrouped
            shown, _ = act.shown_groups(groups, m)
            counts = [groups.count(g) for g in shown]
            rest = len(groups) - sum(counts)
            assert all(c >= m for c in counts)
            assert not shown or rest == 0 or rest >= m, (sizes, ungrouped, shown)


def test_the_reason_of_a_decision_quotes_the_round():
    a = activity("dots")
    result = act.results(a, 2, frame([{"dots": {"a": 2, "b": 1, "c": 0}}] * 3), 3).to_dict()
    assert act.reason(a, result, ["a"]) == "Workshop round 2: 6 of 9 dots (67 %)"
    few = act.results(a, 1, frame([DOT] * 2), 3).to_dict()
    assert act.reason(a, few, ["a"]) == ("Workshop round 1: 2 answered, fewer than the 3 needed to show "
                                         "figures")


def test_the_word_view_counts_answers_not_repeats_and_leaves_markup_out():
    assert act.words(["<script>alert(1)</script> plan plan", "Plan <b>better</b>"]) == [
        ("plan", 2), ("alert", 1), ("better", 1)]
