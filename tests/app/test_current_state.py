"""The Current state page (views/current_state.py): its charts and the drill-down to statements."""

from tests.app.conftest import open_page, plotly_figures


def test_current_state_page_draws_its_charts_and_drills_down(app_db):
    at = open_page("views/current_state.py")
    assert not at.exception
    titles = [f["layout"]["title"]["text"] for f in plotly_figures(at)]
    assert titles[:2] == ["Maturity profile: current and desired per dimension",
                          "Dimensions by gap, largest first"]
    assert titles[2].startswith("How people answered (current state)")
    at.selectbox(key="current_dimension").set_value("portfolio").run()
    statements = next(d.value for d in at.dataframe if "Statement" in d.value.columns)
    assert statements.iloc[0]["Statement"].startswith("New project proposals are compared")
    assert any(c.value.startswith("The statements") for c in at.caption)
    # Ratings from blocks where too few rated a statement are held back, and the page says how many.
    held = statements["Current ratings held back"].sum()
    assert held > 0
    assert any(c.value.startswith(f"Held back: {held} current and ") for c in at.caption)
