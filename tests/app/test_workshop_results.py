"""The Workshop results page (views/workshop_results.py): every activity's rounds as tables with their
CSV downloads; a round below the minimum group size shows no figures, a small group is named only."""

import io
import uuid

import pandas as pd

from pmostep import services
from pmostep.workshop import live
from pmostep.workshop.activities import ActivityDraft
from tests.app.conftest import downloaded, open_page, plan_db, vote

FORMULA = '=HYPERLINK("http://example.org")'


def run_workshop(made: dict) -> None:
    """A rating by 5 project managers and 2 executives, dots by 3 people, 5 texts all approved."""
    con = made["con"]
    services.open_round(con, made["rating"])
    vote(made, "rating", [{"current": 2, "desired": 4}] * 5, group="Project manager")
    vote(made, "rating", [{"current": 4, "desired": 5}] * 2, group="Executive or sponsor")
    services.lock_round(con, made["rating"])
    services.open_round(con, made["dots"])
    vote(made, "dots", [{"dots": {"pmo_charter": 1}}] * 3)
    services.lock_round(con, made["dots"])
    services.open_round(con, made["text"])
    vote(made, "text", [{"text": FORMULA}] + [{"text": f"idea {i}"} for i in range(4)])
    services.lock_round(con, made["text"])
    text = next(a for a in live.room(con, made["workshop"].id)["activities"] if a["id"] == made["text"])
    for waiting in text["pending"]:
        services.moderate(con, waiting["answer_id"], True)


def test_rounds_are_tables_with_groups_and_small_rounds_show_no_figures(workshop_db, media):
    run_workshop(workshop_db)
    at = open_page("views/workshop_results.py")
    assert not at.exception
    assert [s.value for s in at.subheader] == ["1. Rating: Where is governance today?",
                                               "2. Dot voting: Which should come first?",
                                               "3. Open text: What would most help the PMO?"]
    rating, dots, texts = (d.value for d in at.dataframe)
    everyone = rating[rating["Group"] == "Everyone"].set_index("Rating")
    assert everyone.loc["Current", "n"] == 7 and everyone.loc["Current", "Median"] == 2
    assert "Survey" in rating.columns and "Shift (room minus survey)" in rating.columns
    # The executives (2) are fewer than 5: named, never their figures; the 5 project managers are 7 - 2
    # = 5 left with a left-out remainder of 2, so they are left out too (docs/workshop.md, Anonymity).
    assert set(rating["Group"]) == {"Everyone"}
    assert rating["Note"].str.contains("Executive or sponsor").all()
    assert rating["Note"].str.contains("Project manager").all()
    assert dots.to_dict("records") == [{"Round": 1, "Answered": 3, "Group": "Everyone",
                                        "Note": "not shown: fewer than 5 answered"}]
    assert sorted(texts["Approved answer"]) == sorted([FORMULA] + [f"idea {i}" for i in range(4)])

    csv = downloaded(at, media, "Download every round (CSV)").decode("utf-8")
    table = pd.read_csv(io.StringIO(csv))
    assert set(table["Activity"]) == {"1. Where is governance today?", "2. Which should come first?",
                                      "3. What would most help the PMO?"}
    assert "'" + FORMULA in set(table["Approved answer"].dropna())         # a formula arrives as text


def test_without_a_workshop_the_page_points_to_the_agenda(app_db):
    plan_db(app_db)
    at = open_page("views/workshop_results.py")
    assert not at.exception
    assert [i.value for i in at.info] == [
        "No workshop yet for this assessment: start one on the Agenda page."]
    assert not at.dataframe


def test_a_follow_up_compares_the_room_with_the_earlier_assessments_workshop(workshop_db):
    """Governance rated by 5 in the 2025 assessment's workshop and by 7 in this one: both rows, named
    for people; methodology, rated in 2025 only, is not compared."""
    con = workshop_db["con"]
    earlier = services.new_workshop(con, "demo-2025", "Workshop 2025", [
        ActivityDraft("rating", "Governance in 2025?", ("governance",), "dimension"),
        ActivityDraft("rating", "Methodology in 2025?", ("methodology",), "dimension")])
    gov, meth = (a["id"] for a in live.room(con, earlier.id)["activities"])
    for activity, values in ((gov, [1, 2, 2, 1, 2]), (meth, [3, 3, 3])):
        services.open_round(con, activity)
        for value in values:
            token = services.join(con, earlier.code)
            services.answer(con, earlier.code, token, activity, {"current": value, "desired": 4},
                            uuid.uuid4().hex)
        services.reveal(con, activity)
    services.open_round(con, workshop_db["rating"])
    vote(workshop_db, "rating", [{"current": 3, "desired": 4}] * 7)
    services.reveal(con, workshop_db["rating"])
    at = open_page("views/workshop_results.py")
    assert not at.exception and "Compared with earlier workshops" in [s.value for s in at.subheader]
    history = at.dataframe[-1].value
    assert history[["Assessment", "Answers", "Room: current"]].values.tolist() == [
        ["Harbourline Logistics: PMO discovery 2025", 5, 1.6],
        ["Harbourline Logistics: PMO discovery 2026", 7, 3.0]]
    assert set(history["Dimension or statement"]) == {"Governance and sponsorship"}


def test_without_an_earlier_workshop_there_is_no_comparison(workshop_db):
    services.open_round(workshop_db["con"], workshop_db["rating"])
    vote(workshop_db, "rating", [{"current": 3, "desired": 4}] * 7)
    services.reveal(workshop_db["con"], workshop_db["rating"])
    at = open_page("views/workshop_results.py")
    assert not at.exception and "Compared with earlier workshops" not in [s.value for s in at.subheader]
