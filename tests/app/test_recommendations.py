"""The Recommendations page (views/recommendations.py): ranked, explained, choices stored."""

from pmostep.store import db
from tests.app.conftest import open_page, plan_db, plotly_figures


def test_recommendations_page_ranks_explains_and_stores_choices(app_db):
    a = plan_db(app_db)
    at = open_page("views/recommendations.py")
    assert not at.exception
    assert plotly_figures(at)[0]["layout"]["title"]["text"].startswith("The 15 best-scoring")
    table = next(d.value for d in at.dataframe if "Why" in d.value.columns)
    assert len(table) >= 35 and table["Score"].is_monotonic_decreasing
    assert table.iloc[0]["Why"].startswith("Closes part of the ")
    assert table.iloc[0]["Why"].endswith(" +25 %.")       # the demo's strong problems raise it (Problems)
    assert "pmo_charter" not in " ".join(table["Entry"])                      # names, not ids
    at.multiselect(key="recommendations_pick").set_value(["project_audits"]).run()
    assert any(m.value.startswith("**") and "Project audits" in m.value for m in at.markdown)
    at.text_input(key="recommendations_reason").set_value("Too early for audits").run()
    at.button(key="rec_reject").click().run()
    assert not at.exception
    assert any(s.value == "Rejected: Project audits." for s in at.success)
    con = db.connect(app_db)
    from pmostep.planning import decisions
    choice = decisions.choices(con, a.id)["project_audits"]
    con.close()
    assert (choice.decision, choice.reason) == ("rejected", "Too early for audits")
    at.multiselect(key="recommendations_pick").set_value(["strategic_planning_support"]).run()
    at.button(key="rec_accept_all").click().run()
    message = next(s.value for s in at.success)
    assert message.startswith("Accepted: ") and "Portfolio management" in message   # its prerequisites too


def test_recommendations_page_shows_the_workshop_priority_in_the_reasons(app_db):
    from pmostep import services
    from pmostep.workshop import store as workshop_store
    from pmostep.workshop.activities import ActivityDraft
    a = plan_db(app_db)
    con = db.connect(app_db)
    w = services.new_workshop(con, a.slug, "Steering group", agenda=[ActivityDraft(
        "dots", "What first?", ("pm_coaching", "pm_onboarding"), "entry", {"dots": 3, "cap": 2})])
    with con.cursor() as cur:
        (dots,) = workshop_store.activities(cur, w.id)
    services.show_activity(con, w.id, dots.id)
    services.open_round(con, dots.id)
    for k in range(6):
        services.answer(con, w.code, services.join(con, w.code), dots.id,
                        {"dots": {"pm_coaching": 2, "pm_onboarding": 1}}, f"r{k}")
    services.reveal(con, dots.id)
    con.close()
    at = open_page("views/recommendations.py")
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Why" in d.value.columns).set_index("Entry")
    assert table.loc["Project manager coaching", "Why"].endswith(
        "The workshop gave it 12 of 18 dots (67 %), round 1: +50 %.")
    assert table.loc["Onboarding for new project managers", "Why"].endswith(
        "6 of 18 dots (33 %), round 1: +25 %.")
    assert table.loc["Project manager coaching", "Workshop vote"] == "12 of 18 dots, +50 %"
    axis = plotly_figures(at)[0]["layout"]["xaxis"]["title"]["text"]
    assert axis == ("Score (importance-weighted gap closed x fit x ease x horizon x workshop priority x "
                    "problem bonus)")
    assert not any("The workshop gave it" in why for why in table.drop(
        ["Project manager coaching", "Onboarding for new project managers"])["Why"])
    caption = next(c.value for c in at.caption if "workshop priority" in c.value)
    assert caption.startswith(
        "2 entries carry a workshop priority from the room's dots ('What first?', round 1)")
    assert "Project manager coaching, the most voted, gains 50 %" in caption
    assert any(e.label == "How the workshop priority works" for e in at.expander)


def test_recommendations_page_says_how_a_workshop_would_count_before_one_votes(app_db):
    plan_db(app_db)
    at = open_page("views/recommendations.py")
    assert any(c.value.startswith("No workshop has voted on these entries yet") for c in at.caption)
