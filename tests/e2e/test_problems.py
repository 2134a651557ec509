"""The self-check journey in a real browser: open Problems on the demo, see the evidence, tick a symptom,
see the problem move up the ranking, and find it named in a recommendation's reason."""

import pytest

from pmostep import services
from pmostep.deployment import plan
from pmostep.store import db
from tests.server import running_app, wait_for_app

pytestmark = pytest.mark.e2e
CHANGE = "The PMO run as a project, not as a culture change"
AWARENESS = "PMO awareness sessions"


@pytest.fixture(scope="module")
def demo(tmp_path_factory, q):
    """The demo on a file, and its diagnosis as the app will show it before anything is ticked."""
    path = tmp_path_factory.mktemp("problems") / "problems.duckdb"
    con = db.connect(path)
    services.load_demo(con, q)
    found = plan.build(con, *services.assessment_with_questionnaire(con, "demo")).diagnosis
    con.close()
    return path, found


def order(page) -> list[str]:
    """The problems' blocks in the page's order, by their keys (st-key-problem_<id>)."""
    keys = page.locator("[class*='st-key-problem_']").evaluate_all(
        "els => els.map(e => [...e.classList].find(c => c.startsWith('st-key-problem_')))")
    return [k.removeprefix("st-key-problem_") for k in keys]


def test_ticking_a_symptom_moves_the_problem_up_and_into_the_recommendations(browser, demo):
    path, found = demo
    change = next(f for f in found if f.id == "change_not_led")
    assert change.strength == "possible" and change.figures == 1          # a sign in the figures
    strong = next(f for f in found if f.strength == "strong")
    symptom = change.symptoms[0]
    with running_app(path) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/problems")
        wait_for_app(page)
        page.locator(".st-key-problems_chart .js-plotly-plot").wait_for(timeout=30000)
        assert page.get_by_text(strong.evidence[0], exact=True).first.is_visible()      # evidence in figures
        before = order(page)
        assert before[:len([f for f in found if f.strength == "strong"])] == [
            f.id for f in found if f.strength == "strong"]
        block = page.locator(".st-key-problem_change_not_led")
        assert block.get_by_text("possible (1 sign)").count() >= 1                # label and heading

        block.locator("summary").click()                                # a possible one is folded
        page.locator(f".st-key-symptom_change_not_led_{symptom.id} label").click()
        page.get_by_text(f"Ticked '{symptom.text}' ({CHANGE})").wait_for(timeout=30000)
        wait_for_app(page)
        assert block.get_by_text("strong (2 signs)").count() == 1
        after = order(page)
        assert after.index("change_not_led") < before.index("change_not_led")    # up among the strong
        assert page.locator(f".st-key-symptom_change_not_led_{symptom.id} input").is_checked()

        page.goto(f"{url}/recommendations")
        wait_for_app(page)
        box = page.locator(".st-key-recommendations_pick input")
        box.click()
        box.fill("PMO awareness")
        page.get_by_role("option", name=AWARENESS, exact=True).click()
        wait_for_app(page)
        reason = page.locator("[data-testid='stMarkdownContainer']", has_text=f". {AWARENESS} (score ")
        reason.wait_for(timeout=30000)                                  # the entry selected, its reason
        assert f"{CHANGE} (strong: 2 signs)" in reason.text_content()
        assert page.locator("[data-testid='stException']").count() == 0
        page.close()
