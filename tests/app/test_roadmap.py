"""The Roadmap page (views/roadmap.py): waves, a move that breaks a rule refused, and what to do without
choices."""

from pmostep.store import db
from tests.app.conftest import open_page, plan_db, plotly_figures, small_assessment


def test_roadmap_page_shows_waves_and_refuses_a_move_that_breaks_a_rule(app_db):
    a = plan_db(app_db)
    at = open_page("views/roadmap.py")
    assert not at.exception
    titles = [f["layout"]["title"]["text"] for f in plotly_figures(at)]
    assert titles[0].startswith("Roadmap: when each product and service is delivered")
    assert any(t.startswith("Projected maturity per dimension") for t in titles)
    waves = next(d.value for d in at.dataframe if "Why" in d.value.columns and "Wave" in d.value.columns)
    assert waves.set_index("Entry").loc["Project management methodology", "Wave"] == 3
    # Moving the methodology before the role sort it needs breaks the prerequisite order: refused.
    at.selectbox(key="roadmap_item").set_value("project_methodology").run()
    at.selectbox(key="roadmap_to").set_value(1).run()
    assert any("its prerequisite Roles and responsibilities (role sort)" in w.value for w in at.warning)
    assert at.button(key="roadmap_move").disabled
    at.button(key="roadmap_override").click().run()
    assert not at.exception
    assert any(w.value.startswith("Override: Project management methodology is kept in wave 1")
               for w in at.warning)
    # A clean move is kept.
    at.selectbox(key="roadmap_item").set_value("lessons_learned_reviews").run()
    at.selectbox(key="roadmap_to").set_value(4).run()
    at.button(key="roadmap_move").click().run()
    waves = next(d.value for d in at.dataframe if "Why" in d.value.columns and "Wave" in d.value.columns)
    assert waves.set_index("Entry").loc["Lessons-learned reviews", "Wave"] == 4
    con = db.connect(app_db)
    from pmostep.planning import decisions
    assert ("lessons_learned_reviews", 4, "move", False) in decisions.placements(con, a.id)
    con.close()


def test_roadmap_page_without_choices_points_to_recommendations(app_db):
    small_assessment(app_db, 6)
    at = open_page("views/roadmap.py", assessment="tiny")
    assert not at.exception
    assert any(i.value.startswith("No products or services are accepted yet") for i in at.info)
