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
    assert table.iloc[0]["Why"].startswith("Closes part of the Governance and sponsorship gap")
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
