"""The workshop's figures, sentences and tables (pmostep/reports/workshop_charts.py): result dicts in,
what the console, the projector and the results page show out."""

import pytest

from pmostep.reports import workshop_charts as wc


def side(mean, iqr, n=6):
    counts = {"1": 0, "2": 2, "3": 4, "4": 0, "5": 0}
    return {"n": n, "mean": mean, "median": mean, "iqr": iqr, "counts": counts}


RATING = {"current": side(2.6, 1.5), "desired": side(4.1, 1.0), "gap": 1.5,
          "survey": {"current": 2.1, "desired": 3.9, "gap": 1.8, "n": 150},
          "shift": {"current": 0.5, "desired": 0.2, "gap": -0.3}}


def test_the_shift_sentence_names_the_item_and_both_figures():
    assert wc.shift_sentence(RATING, "Governance") == "The room puts Governance at 2.6; the survey said 2.1."
    only_desired = {**RATING, "current": side(None, None)}
    assert wc.shift_sentence(only_desired, "Governance") == (
        "The room wants Governance at 4.1; the survey said 3.9.")
    assert wc.shift_sentence({k: v for k, v in RATING.items() if k != "survey"}, "Governance") is None


def test_the_spread_sentence_compares_the_first_and_latest_rounds():
    rounds = [{"results": RATING}, {"results": None}, {"results": {**RATING, "current": side(2.4, 0.8)}}]
    assert wc.spread_sentence(rounds) == "Spread narrowed from 1.5 to 0.8: the room is converging."
    assert wc.spread_sentence(rounds[::-1]) == "Spread widened from 0.8 to 1.5: the room disagrees more."
    assert wc.spread_sentence(rounds[:2]) is None


def test_the_rating_figure_puts_the_room_beside_the_survey_with_labelled_axes():
    fig = wc.rating(RATING, "Governance and sponsorship", size=wc.SCREEN_FONT)
    survey, room = fig.data
    assert survey.name == "Survey (n=150)" and list(survey.x) == [2.1, 3.9]
    assert room.name == "Room (n=6)" and list(room.text) == ["2.6", "4.1"]
    assert fig.layout.xaxis.title.text == "Maturity level (1-5)"
    assert fig.layout.font.size == 32


def test_list_bars_show_names_not_ids_and_shares_as_percentages():
    result = {"total": 12, "items": [{"id": "pmis", "dots": 8, "share": 0.6667, "voters": 5},
                                     {"id": "raci", "dots": 4, "share": 0.3333, "voters": 3}]}
    fig = wc.bars("dots", result, {"pmis": "PMIS tool", "raci": "Roles (RACI)"})
    assert list(fig.data[0].y) == ["PMIS tool", "Roles (RACI)"] and list(fig.data[0].text) == ["8", "4"]
    assert fig.layout.xaxis.title.text == "Dots"
    points = {"total": 600, "items": [{"id": "pmis", "points": 400, "mean": 66.67, "share": 0.6667}]}
    assert list(wc.bars("points", points, {"pmis": "PMIS tool"}).data[0].text) == ["67%"]


def test_the_matrix_places_only_items_with_enough_placements_and_names_the_quadrants():
    result = {"items": [{"id": "a", "n": 6, "value": 4.2, "effort": 1.8, "quadrant": "quick win"},
                        {"id": "b", "n": 2, "value": None, "effort": None, "quadrant": None}]}
    fig = wc.matrix(result, {"a": "Templates", "b": "PMIS"})
    assert list(fig.data[0].text) == ["Templates"] and list(fig.data[0].x) == [1.8]
    assert {a.text for a in fig.layout.annotations} == {"<b>Quick wins</b>", "<b>Major projects</b>",
                                                        "<b>Fill-ins</b>", "<b>Thankless tasks</b>"}
    assert fig.layout.xaxis.title.text.startswith("Effort")
    assert fig.layout.yaxis.title.text.startswith("Value")


def test_words_without_approved_texts_draw_no_empty_chart():
    assert wc.words({"approved": [], "words": [], "pending": 3}) is None
    fig = wc.words({"approved": ["more templates"], "words": [("templates", 1)], "pending": 0})
    assert list(fig.data[0].y) == ["templates"]


def test_rounds_table_names_suppressed_groups_and_shows_no_figures_below_the_minimum():
    rounds = [{"number": 1, "n": 3, "needed": 5, "results": None, "by_group": {}, "suppressed": []},
              {"number": 2, "n": 9, "needed": 5, "results": RATING,
               "by_group": {"Project manager": {**RATING, "survey": None}}, "suppressed": ["Executive"]}]
    table = wc.rounds_table("rating", rounds, {})
    first = table[table["Round"] == 1]
    assert first["Note"].tolist() == ["not shown: fewer than 5 answered"] and first["Mean"].isna().all()
    everyone = table[(table["Round"] == 2) & (table["Group"] == "Everyone")].set_index("Rating")
    assert everyone.loc["Current", "Mean"] == pytest.approx(2.6)
    assert everyone.loc["Current", "Shift (room minus survey)"] == pytest.approx(0.5)
    assert set(table["Group"]) == {"Everyone", "Project manager"}
    assert (table[table["Round"] == 2]["Note"] == "not shown (too few to show): Executive").all()
    assert "Executive" not in set(table["Group"])


def test_needs_more_says_how_many_answered_and_how_many_are_needed():
    assert wc.needs_more({"number": 2, "n": 1, "needed": 5}) == (
        "Round 2: 1 person answered; results are shown from 5 answers, so that no one's answer can be "
        "worked out.")
