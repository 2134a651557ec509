"""The suggested agenda (pmostep/workshop/agenda.py) from hand-made scores, flags and rankings."""

import pandas as pd

from pmostep.planning.recommend import Recommendation
from pmostep.workshop import activities, agenda

FACTS = {"Organisation": "Harbourline", "Respondents": "40", "Maturity index": "2.10 now, 3.50 desired"}
NAN = float("nan")


def dims(*rows):
    """(id, current, desired, importance, n) -> scoring's dimension columns, priority = gap x importance."""
    frame = pd.DataFrame([{"id": d, "name": d.capitalize(), "n": n, "current": c, "desired": w, "gap": w - c,
                           "importance": i} for d, c, w, i, n in rows])
    frame["priority"] = frame["gap"].clip(lower=0) * frame["importance"].fillna(3.0)
    return frame


def statements(*rows):
    """(id, dimension, iqr, flagged) -> scoring's statement columns."""
    return pd.DataFrame([{"id": s, "dimension_id": d, "text": f"Statement {s}.", "n": 30, "current": 2.5,
                          "current_iqr": iqr, "disagreement": flag} for s, d, iqr, flag in rows],
                        columns=["id", "dimension_id", "text", "n", "current", "current_iqr", "disagreement"])


def rec(item, score, rank):
    return Recommendation(item, item.capitalize(), "product", rank, score, 0.5, 1.0, 0.8, 1.0, 2)


DIMS = dims(("governance", 2.05, 3.80, 4.4, 38),      # gap 1.75, priority 7.70
            ("portfolio", 1.20, 3.00, 4.0, 35),       # gap 1.80, priority 7.20
            ("culture", 2.50, 3.58, 3.3, 40),         # gap 1.08, priority 3.56
            ("reporting", 1.00, 4.50, 1.0, 36),       # the largest gap but unimportant: priority 3.50
            ("risk", NAN, NAN, NAN, 2),               # too few answers: no figures
            ("tools", 3.00, 2.80, 4.0, 30))           # no gap
STATEMENTS = statements(("gov_1", "governance", 1.5, True), ("gov_2", "governance", 2.25, True),
                        ("cul_1", "culture", 1.75, True), ("por_1", "portfolio", 1.6, True),
                        ("por_2", "portfolio", 3.0, False))
RECS = [rec(f"e{i}", 50.0 - i, i) for i in range(1, 11)] + [rec("nothing", 0.0, 11)]


def test_the_agenda_in_order_recap_gaps_disagreements_entries_and_one_question():
    drafts = agenda.suggest(FACTS, DIMS, STATEMENTS, RECS, decided={"e2"})
    assert [d.kind for d in drafts] == ["recap", "rating", "rating", "rating", "rating", "rating", "rating",
                                        "dots", "matrix", "text"]
    # The three largest priorities, not the largest gaps; unscored and gapless dimensions never.
    assert [(d.items, d.item_kind) for d in drafts[1:4]] == [
        (("governance",), "dimension"), (("portfolio",), "dimension"), (("culture",), "dimension")]
    # The flagged statements, widest spread first, three at most; an unflagged one never.
    assert [(d.items, d.item_kind) for d in drafts[4:7]] == [
        (("gov_2",), "statement"), (("cul_1",), "statement"), (("por_1",), "statement")]
    assert drafts[4].title == "Statement gov_2."
    # The 8 best-ranked entries not decided (e2 is) with a score, for dots (3, at most 2 on one) and 2x2.
    entries = ("e1", "e3", "e4", "e5", "e6", "e7", "e8", "e9")
    dots = drafts[7]
    assert (dots.items, dots.item_kind, dots.settings) == (entries, "entry", {"dots": 3, "cap": 2})
    assert (drafts[8].items, drafts[8].item_kind) == (entries, "entry")
    assert drafts[9].title == "What would most help or hinder the PMO?" and drafts[9].items == ()
    assert [activities.check_draft(d) for d in drafts] == drafts          # each one a valid activity


def test_every_draft_says_why_with_its_figures():
    recap, governance, portfolio, _, gov_2, *_, dots, matrix, text = agenda.suggest(
        FACTS, DIMS, STATEMENTS, RECS, decided={"e2"})
    assert recap.why == ("The Foundation facts, so that the room starts from the same picture "
                         "(40 respondents, maturity index 2.10).")
    assert recap.notes == "Organisation: Harbourline\nRespondents: 40\nMaturity index: 2.10 now, 3.50 desired"
    assert governance.why == ("Priority 7.70 (gap 1.75 x importance 4.40), the largest of 4 dimensions with "
                              "a gap; the survey says 2.05 now, 3.80 desired (n 38).")
    assert portfolio.why.startswith("Priority 7.20 (gap 1.80 x importance 4.00), the 2nd largest of 4")
    assert gov_2.why == ("People disagree: the middle half of 30 answers spans 2.25 levels (the IQR; "
                         "flagged from 1.5); mean 2.50, Governance; 4 statements flagged in all.")
    assert dots.why == ("Dots on the 8 best-ranked of 9 entries not decided yet (scores 49 to 41): the votes "
                        "become a workshop priority in the ranking (up to +50 % for the most voted).")
    assert matrix.why.startswith("The same 8 entries on value against effort")
    assert all(d.why for d in (recap, governance, gov_2, dots, matrix, text))


def test_without_scores_the_agenda_is_the_recap_and_the_open_question():
    drafts = agenda.suggest({"Respondents": "3"}, None, None, (), ())
    assert [d.kind for d in drafts] == ["recap", "text"]
    assert drafts[0].why.endswith("(3 respondents).")


def test_one_open_entry_is_no_vote_and_unrated_importance_is_said():
    one_left = agenda.suggest(FACTS, dims(("governance", 2.0, 3.0, NAN, 30)), statements(), RECS[:2],
                              decided={"e1"})
    assert [d.kind for d in one_left] == ["recap", "rating", "text"]
    assert one_left[1].why.startswith("Priority 3.00 (gap 1.00 x neutral importance 3), the largest of 1 ")


def test_long_statements_and_facts_are_shortened_to_what_an_activity_holds():
    long = statements(("gov_1", "governance", 2.0, True)).assign(text="Word " * 60)
    drafts = agenda.suggest({"Mission": "m" * 2500}, DIMS, long, (), ())
    recap, statement = drafts[0], drafts[4]
    assert len(recap.notes) == 2000 and recap.notes.startswith("Mission: mmm") and recap.notes.endswith("…")
    assert len(statement.title) <= 200 and statement.title.endswith("Word…")
    assert activities.check_draft(recap) == recap and activities.check_draft(statement) == statement
