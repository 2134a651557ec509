"""Sign-in in a real browser, on freshly started servers: no page is reachable without it."""


import pytest

from tests.server import running_app, wait_for_app

pytestmark = pytest.mark.e2e

PASSWORD = "e2e-s3cret"


def _page_list_links(page) -> list[str]:
    """The names of the links in the sidebar's page list (Streamlit's stSidebarNav)."""
    links = page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()
    return [t.strip().split("\n")[-1] for t in links]          # the last line: the icon comes first


@pytest.mark.parametrize("path", ["", "/foundation", "/catalogue", "/survey_links"])
def test_first_visit_to_a_fresh_server_with_a_password_shows_only_the_sign_in(browser, tmp_path, path):
    with running_app(tmp_path / "fresh.duckdb", env={"PMOSTEP_PASSWORD": PASSWORD}) as url:
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        page.goto(url + path)
        wait_for_app(page)
        page.get_by_text("Facilitator password").wait_for(timeout=30000)
        page.wait_for_timeout(1000)
        assert _page_list_links(page) == []                          # no page list at all
        assert page.get_by_text("New assessment").count() == 0        # the Foundation form
        assert page.get_by_text("Products and services").count() == 0
        assert page.locator(".st-key-catalogue_xlsx").count() == 0
        assert page.get_by_text("Open link").count() == 0
        assert page.locator(".st-key-assessment").count() == 0        # no assessment selector either
        page.goto(url + "/foundation")                                # a second deep link, same browser
        wait_for_app(page)
        page.get_by_text("Facilitator password").wait_for(timeout=30000)
        assert page.get_by_text("New assessment").count() == 0
        page.locator(".st-key-password input").fill(PASSWORD)
        page.locator(".st-key-sign_in button").click()
        page.get_by_role("heading", name="Foundation", exact=True).wait_for(timeout=30000)
        assert "Survey links" in _page_list_links(page)               # the app's own navigation
        assert "survey" not in [n.lower() for n in _page_list_links(page)]
        page.close()


@pytest.mark.parametrize(("path", "heading"), [("", "Overview"), ("/foundation", "Foundation"),
                                              ("/catalogue", "Products and services")])
def test_first_visit_to_a_fresh_server_without_a_password_shows_the_app_navigation(browser, tmp_path, path,
                                                                                  heading):
    with running_app(tmp_path / "fresh.duckdb") as url:
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        page.goto(url + path)
        wait_for_app(page)
        page.get_by_role("heading", name=heading, exact=True).wait_for(timeout=30000)
        page.locator(".st-key-assessment").wait_for(timeout=30000)
        links = _page_list_links(page)
        assert "Gaps and priorities" in links and "Catalogue" in links
        assert not {"app", "survey", "gaps"} & {n.lower() for n in links}     # the legacy list's file names
        page.close()


def test_a_second_app_on_a_file_in_use_says_so_to_every_visitor(browser, tmp_path):
    path = tmp_path / "shared.duckdb"
    with running_app(path) as first, running_app(path, healthy=False) as second:
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        response = page.goto(second + "/foundation")
        assert response.status == 503
        page.get_by_role("heading", name="PMOStep cannot open its database").wait_for(timeout=30000)
        assert page.get_by_text(f"database {path} is in use by another process: PID").count() == 1
        assert page.get_by_text("streamlit run").count() == 1                # which process holds it
        assert _page_list_links(page) == []
        assert page.get_by_text("This app has encountered an error").count() == 0
        response = page.goto(second + "/?t=some-link")                   # a respondent's link
        assert response.status == 503
        page.get_by_text("The survey cannot be opened just now").wait_for(timeout=30000)
        assert page.get_by_text(str(path)).count() == 0                   # no file names or processes
        page.goto(first)                                                  # the first app is unaffected
        wait_for_app(page)
        page.locator(".st-key-assessment").wait_for(timeout=30000)
        page.close()
