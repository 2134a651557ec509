"""A phone in a workshop, in a real browser at 360x740: join by code, answer a rating, reload, still joined.

The workshop is made through services before the server starts (the server then holds the file); the
answer is read back from the file after the server stops.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pmostep import services
from pmostep.store import db
from pmostep.workshop import store
from tests.conftest import room_workshop
from tests.server import running_app

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
SAVED = "Answer saved — you can change it until the round locks"


@pytest.fixture
def workshop_file(tmp_path, q):
    """A database file with a workshop whose rating round is open: (path, code, activity id, title)."""
    path = tmp_path / "workshop.duckdb"
    con, w, title = room_workshop(path, q, 1)
    with db.cursor(con) as cur:
        activity = store.activities(cur, w.id)[0]
    services.open_round(con, activity.id)
    con.close()
    return path, w.code, activity.id, title


def test_a_phone_joins_by_code_answers_and_stays_joined_after_a_reload(browser, workshop_file):
    path, code, activity_id, title = workshop_file
    with running_app(path) as url:
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.goto(f"{url}/join")
        page.get_by_label("Code on the screen").fill(code.lower())
        page.get_by_role("button", name="Next").click()
        page.get_by_text("Project manager", exact=True).click()
        page.get_by_role("button", name="Join").click()
        expect(page.get_by_role("heading", name=title)).to_be_visible()
        expect(page.get_by_text("Spring workshop · 1 person joined")).to_be_visible()
        send = page.get_by_role("button", name="Send answer")
        expect(send).to_be_disabled()                       # both scales need a choice first
        page.get_by_role("group", name="How it is today").get_by_text("2", exact=True).click()
        page.get_by_role("group", name="Where it should be").get_by_text("Don't know").click()
        targets = "button, .choice label, input:not([type=radio]), textarea"    # radios: their labels
        small = page.evaluate(f"""[...document.querySelectorAll('{targets}')]
            .filter((e) => e.offsetParent !== null).map((e) => e.getBoundingClientRect())
            .filter((r) => r.height < 48 || r.width < 48).length""")
        assert small == 0                                   # every touch target at least 48 x 48 px
        send.click()
        expect(page.get_by_text(SAVED)).to_be_visible()
        expect(page.get_by_text("1 of 1 person answered")).to_be_visible()   # pushed by the event stream
        assert page.evaluate("document.body.scrollWidth") <= PHONE["width"]  # nothing wider than the phone

        page.reload()
        expect(page.get_by_role("heading", name=title)).to_be_visible()
        expect(page.get_by_text(SAVED)).to_be_visible()
        expect(page.get_by_role("button", name="Join")).to_be_hidden()
        expect(page.get_by_text("Spring workshop · 1 person joined")).to_be_visible()   # the same participant
        assert problems == []
        context.close()
    con = db.connect(path)
    with db.cursor(con) as cur:
        answers = store.round_answers(cur, activity_id, 1)
    con.close()
    assert answers["answer"].tolist() == [{"current": 2, "desired": None}]
    assert answers["grp"].tolist() == ["Project manager"]
