"""The Roadmap page (views/roadmap.py): waves, a move that breaks a rule refused, and what to do without
choices."""

from pmostep import services
from pmostep.store import db
from pmostep.workshop import store as workshop_store
from pmostep.workshop.activities import ActivityDraft
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
    at.selectbox(key="roadmap_to").set_value(3).run()
    at.button(key="roadmap_move").click().run()
    waves = next(d.value for d in at.dataframe if "Why" in d.value.columns and "Wave" in d.value.columns)
    assert waves.set_index("Entry").loc["Lessons-learned reviews", "Wave"] == 3
    con = db.connect(app_db)
    from pmostep.planning import decisions
    assert ("lessons_learned_reviews", 3, "move", False) in decisions.placements(con, a.id)
    con.close()


def test_roadmap_page_without_choices_points_to_recommendations(app_db):
    small_assessment(app_db, 6)
    at = open_page("views/roadmap.py", assessment="tiny")
    assert not at.exception
    assert any(i.value.startswith("No products or services are accepted yet") for i in at.info)


def test_roadmap_entries_show_where_the_workshop_put_them_on_the_2x2(app_db):
    a = plan_db(app_db)                                            # minimum group size 5
    con = db.connect(app_db)
    w = services.new_workshop(con, a.slug, "Steering group", agenda=[ActivityDraft(
        "matrix", "Value and effort", ("pmo_charter", "project_inventory", "role_sort"), "entry")])
    with con.cursor() as cur:
        (grid,) = workshop_store.activities(cur, w.id)
    services.show_activity(con, w.id, grid.id)
    services.open_round(con, grid.id)
    for k in range(6):                      # six place the charter; four (fewer than 5) the inventory
        place = {"pmo_charter": {"value": 4 + k % 2, "effort": 2}}
        if k < 4:
            place["project_inventory"] = {"value": 2, "effort": 4}
        services.answer(con, w.code, services.join(con, w.code), grid.id, {"place": place}, f"r{k}")
    services.reveal(con, grid.id)
    con.close()
    at = open_page("views/roadmap.py")
    assert not at.exception
    waves = next(d.value for d in at.dataframe if "Why" in d.value.columns and "Wave" in d.value.columns)
    placed = waves.set_index("Entry")["Workshop 2x2"]
    assert placed["PMO charter and mandate"] == "Quick win: value 4.5, effort 2.0, n 6"
    assert placed["Project inventory"] == ""
    assert any(c.value.startswith("Workshop 2x2: where the room put an entry") for c in at.caption)
    at.selectbox(key="roadmap_item").set_value("pmo_charter").run()
    assert any("on the workshop's 2x2: Quick win: value 4.5, effort 2.0, n 6" in c.value for c in at.caption)


def test_roadmap_without_a_workshop_has_no_2x2_column(app_db):
    plan_db(app_db)
    at = open_page("views/roadmap.py")
    waves = next(d.value for d in at.dataframe if "Why" in d.value.columns and "Wave" in d.value.columns)
    assert "Workshop 2x2" not in waves.columns
    assert not any(c.value.startswith("Workshop 2x2") for c in at.caption)
