"""The self-check journey in a real browser: open Problems on the demo, see the evidence, tick a symptom,
see the problem move up the ranking, and find it named in a recommendation's reason."""

import pytest

from pmostep import services
from pmostep.deployment import plan
from pmostep.store import db
from tests.server import running_app, wait_for_app

pytestmark = pytest.mark.e2e
SPONSOR = "No real sponsor or charter"
CHARTER = "PMO charter and mandate"


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
    sponsor = next(f for f in found if f.id == "no_sponsor")
    assert sponsor.strength == "possible"
    strong = next(f for f in found if f.strength == "strong")
    symptom = sponsor.symptoms[0]
    with running_app(path) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/problems")
        wait_for_app(page)
        page.locator(".st-key-problems_chart .js-plotly-plot").wait_for(timeout=30000)
        assert page.get_by_text(strong.evidence[0], exact=True).first.is_visible()      # evidence in figures
        before = order(page)
        assert before[:len([f for f in found if f.strength == "strong"])] == [
            f.id for f in found if f.strength == "strong"]
        block = page.locator(".st-key-problem_no_sponsor")
        assert block.get_by_text("possible (1 sign)").count() >= 1                # label and heading

        block.locator("summary").click()                                # a possible one is folded
        page.locator(f".st-key-symptom_no_sponsor_{symptom.id} label").click()
        page.get_by_text(f"Ticked '{symptom.text}' ({SPONSOR})").wait_for(timeout=30000)
        wait_for_app(page)
        assert block.get_by_text("strong (2 signs)").count() == 1
        after = order(page)
        assert after.index("no_sponsor") < before.index("no_sponsor")            # up among the strong
        assert page.locator(f".st-key-symptom_no_sponsor_{symptom.id} input").is_checked()

        page.goto(f"{url}/recommendations")
        wait_for_app(page)
        box = page.locator(".st-key-recommendations_pick input")
        box.click()
        box.fill("PMO charter")
        page.get_by_role("option", name=CHARTER, exact=True).click()
        wait_for_app(page)
        reason = page.locator("[data-testid='stMarkdownContainer']", has_text=f". {CHARTER} (score ")
        reason.wait_for(timeout=30000)                                  # the charter selected, its reason
        assert f"{SPONSOR} (strong: 2 signs)" in reason.text_content()
        assert page.locator("[data-testid='stException']").count() == 0
        page.close()
