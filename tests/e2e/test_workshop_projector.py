"""The projector in a real browser at 1920x1080 and 1280x720: no sidebar and no developer menu (its own
style hides them: Streamlit has no option for one page), large type, and a revealed figure whose every
text is readable from the back of a room, within the screen's width."""

from __future__ import annotations

import uuid

import pytest

from pmostep import services
from pmostep.core import questionnaire
from pmostep.store import db
from pmostep.workshop import store
from pmostep.workshop.activities import ActivityDraft
from tests.server import running_app, wait_for_app

pytestmark = pytest.mark.e2e

ENTRIES = ("pmo_charter", "project_inventory", "status_report_template")
SCREENS = [{"width": 1920, "height": 1080}, {"width": 1280, "height": 720}]


@pytest.fixture
def revealed(tmp_path):
    """The demo with a workshop whose dots round (6 phones) is revealed: (path, workshop id)."""
    path = tmp_path / "projector.duckdb"
    con = db.connect(path)
    services.load_demo(con, questionnaire.load())
    w = services.new_workshop(con, "demo", "Projector check", [
        ActivityDraft("dots", "Which products and services should come first?", ENTRIES, "entry")])
    with db.cursor(con) as cur:
        (activity,) = store.activities(cur, w.id)
    services.open_round(con, activity.id)
    for _ in range(6):
        token = services.join(con, w.code)
        dots = {"dots": {"pmo_charter": 2, "project_inventory": 1}}
        services.answer(con, w.code, token, activity.id, dots, uuid.uuid4().hex)
    services.reveal(con, activity.id)
    con.close()
    return path, w.id


def test_the_projector_has_no_sidebar_or_menu_and_large_type_at_both_sizes(browser, revealed):
    path, workshop_id = revealed
    with running_app(path) as url:
        for screen in SCREENS:
            page = browser.new_page(viewport=screen)
            page.goto(f"{url}/workshop_projector?assessment=demo&workshop={workshop_id}")
            wait_for_app(page)
            page.wait_for_selector("[data-testid='stPlotlyChart'] .xtick text", timeout=30_000)
            assert not page.locator("[data-testid='stSidebar']").is_visible()
            assert not page.locator("[data-testid='stMainMenu']").is_visible()
            title = page.get_by_role("heading", name="Which products and services should come first?")
            assert float(title.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 48
            ticks = page.locator("[data-testid='stPlotlyChart'] :is(.xtick, .ytick) text")
            sizes = ticks.evaluate_all("els => els.map(e => parseFloat(e.style.fontSize))")
            assert sizes and min(sizes) >= 32
            assert page.get_by_text("PMO charter and mandate").count() >= 1
            assert page.evaluate("document.documentElement.scrollWidth") <= screen["width"]
            page.close()
