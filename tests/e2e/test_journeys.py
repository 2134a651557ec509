"""User journeys in a real browser: Debian's chromium driven by Playwright against `streamlit run`."""


import pytest

from tests.server import running_app, wait_for_app
from ui import survey_keys

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    path = tmp_path_factory.mktemp("e2e") / "e2e.duckdb"
    with running_app(path) as url:
        yield url, path


def test_newcomer_sees_the_demo_overview_chart(browser, app_url):
    url, _ = app_url
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    wait_for_app(page)
    chart = page.locator(".st-key-overview_chart .js-plotly-plot")
    chart.wait_for(timeout=30000)
    assert chart.get_by_text("Methodology and standards").count() == 1
    assert chart.get_by_text("(n=145)").count() >= 1
    assert chart.locator("text=3 Defined").count() == 1                  # level names on the axis
    assert page.get_by_text("Harbourline Logistics: PMO discovery 2026").first.is_visible()
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("Traceback").count() == 0
    page.close()


# Every facilitator page with the charts it must draw (by the key of st.plotly_chart).
PAGE_CHARTS = {
    "overview": ["overview_chart"],
    "current_state": ["current_radar", "current_by_gap", "current_distribution"],
    "gaps": ["gaps_dimensions", "gaps_statements"],
    "agreement": ["agreement_heatmap"],
    "stakeholder_groups": ["groups_heatmap", "groups_compare"],
    "comments": ["comments_terms", "comments_topics"],
    "trend": ["trend_index", "trend_dimensions"],
    "recommendations": ["recommendations_chart"],
    "problems": ["problems_chart"],
    "roadmap": ["roadmap_timeline", "roadmap_trajectory", "roadmap_radar", "roadmap_staffing"],
    "catalogue": [],
    "foundation": [],
    "survey_links": [],
    "import_responses": [],
}


@pytest.mark.parametrize("path", list(PAGE_CHARTS))
def test_every_page_draws_its_charts_without_error(browser, app_url, path):
    url, _ = app_url
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url}/{path}")
    wait_for_app(page)
    for key in PAGE_CHARTS[path]:
        chart = page.locator(f".st-key-{key} .js-plotly-plot")
        chart.wait_for(timeout=30000)
        # Drawn: plotly has put marks (points, bars, heatmap cells or polar lines) into the SVG.
        marks = chart.locator(".point, .bars path, .hm, .scatterlayer .trace path, image")
        assert marks.count() > 0, key
        assert chart.locator(".gtitle").text_content().strip(), key          # every chart has a title
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stAlertContentError']").count() == 0
    assert page.get_by_text("Traceback").count() == 0
    page.close()


def test_clicking_a_dimension_in_the_chart_opens_its_detail(browser, app_url):
    url, _ = app_url
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url}/current_state")
    wait_for_app(page)
    chart = page.locator(".st-key-current_by_gap .js-plotly-plot")
    chart.wait_for(timeout=30000)
    detail = page.locator(".st-key-current_dimension input")
    assert detail.input_value() == "Methodology and standards"       # the first dimension by default
    top = chart.locator(".scatterlayer .trace").last.locator(".point").last     # desired, largest gap
    top.scroll_into_view_if_needed()
    top.click(force=True)
    page.wait_for_timeout(500)
    wait_for_app(page)
    assert detail.input_value() == "Portfolio selection and prioritisation"
    assert page.locator("[data-testid='stException']").count() == 0
    page.close()


def _choose(page, key: str, option: str) -> None:
    """Pick an option of a selectbox by typing it, as a keyboard user would."""
    box = page.locator(f".st-key-{key} input")
    box.click()
    box.fill(option.split()[0])          # the filter is fuzzy; the option is then picked exactly
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app(page)


def test_facilitator_moves_an_entry_to_another_wave(browser, app_url):
    url, _ = app_url
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url}/roadmap")
    wait_for_app(page)
    page.locator(".st-key-roadmap_timeline .js-plotly-plot").wait_for(timeout=30000)
    _choose(page, "roadmap_item", "Lessons-learned reviews")
    page.get_by_text("Lessons-learned reviews is now in wave 1.").wait_for(timeout=30000)   # the rerun may
    assert page.get_by_text("Lessons-learned reviews is now in wave 1.").count() == 1        # start late
    _choose(page, "roadmap_to", "wave 3")
    page.locator(".st-key-roadmap_move button").click()
    page.get_by_text("Lessons-learned reviews moved to wave 3.").wait_for(timeout=30000)
    wait_for_app(page)
    timeline = page.locator(".st-key-roadmap_timeline .js-plotly-plot")
    assert timeline.get_by_text("Lessons-learned reviews").count() == 1
    assert page.get_by_text("Lessons-learned reviews is now in wave 3, moved there by hand.").count() == 1
    # A move that breaks the prerequisite order is refused until kept as an override.
    _choose(page, "roadmap_item", "Project management methodology")
    _choose(page, "roadmap_to", "wave 1")
    page.get_by_text("This move breaks a rule").wait_for(timeout=30000)
    assert page.get_by_text("This move breaks a rule").count() == 1
    assert page.locator(".st-key-roadmap_move button").is_disabled()
    assert page.locator("[data-testid='stException']").count() == 0
    page.close()


def test_phone_width_still_shows_the_chart(browser, app_url):
    url, _ = app_url
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(url)
    wait_for_app(page)
    page.locator(".st-key-overview_chart .js-plotly-plot").wait_for(timeout=30000)
    assert page.locator("[data-testid='stException']").count() == 0
    page.close()


def test_facilitator_uploads_a_forms_export_and_imports_it(browser, app_url, q, tmp_path):
    from tests import exports

    url, _ = app_url
    ans = exports.Answers.from_demo(q, respondents=25, seed=21)
    name, data = exports.microsoft_forms(ans)
    path = tmp_path / name
    path.write_bytes(data)
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(f"{url}/import_responses")
    wait_for_app(page)
    page.locator(".st-key-import_file input[type='file']").set_input_files(str(path))
    page.get_by_text("Microsoft Forms: 25 rows").wait_for(timeout=60000)
    page.locator(".st-key-confirm_import button").click()
    page.get_by_text("Imported 25 respondents").wait_for(timeout=60000)
    assert page.locator("[data-testid='stException']").count() == 0
    page.screenshot(path=str(tmp_path / "import.png"), full_page=True)
    page.close()


def test_first_visitor_after_a_restart_can_open_a_deep_link(browser, tmp_path):
    with running_app(tmp_path / "fresh.duckdb") as url:
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        page.goto(f"{url}/import_responses")
        wait_for_app(page)
        page.get_by_role("heading", name="Import survey responses").wait_for(timeout=30000)
        page.locator(".st-key-assessment").wait_for(timeout=30000)      # app.py's frame is there
        page.wait_for_timeout(1000)
        assert page.get_by_text("Page not found").count() == 0
        assert page.get_by_text("No assessment is open").count() == 0
        page.close()


@pytest.fixture(scope="module")
def survey_server(tmp_path_factory):
    """A server on a database prepared beforehand: the demo plus its open survey link."""
    from pmostep import services
    from pmostep.core import questionnaire
    from pmostep.initiation import survey
    from pmostep.store import db

    path = tmp_path_factory.mktemp("survey") / "survey.duckdb"
    con = db.connect(path)
    services.load_demo(con, questionnaire.load(), respondents=20, seed=3)
    link = survey.create_link(con, "demo")
    con.close()
    with running_app(path) as url:
        yield url, link


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_respondent_answers_resumes_submits_and_is_counted(browser, survey_server, viewport):
    url, link = survey_server
    facilitator = browser.new_page(viewport={"width": 1280, "height": 900})
    facilitator.goto(url)
    wait_for_app(facilitator)
    before = int(facilitator.get_by_text("completed responses").first.inner_text()
                 .split(" completed responses")[0].split("·")[-1])
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(url + link.path)
    wait_for_app(page)
    assert page.get_by_text("Anonymous.").count() == 1
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator("[data-testid='stSidebar'] .st-key-assessment").count() == 0   # no facilitator frame
    page.locator(".st-key-survey_next button").click()
    page.get_by_role("heading", name="Methodology and standards").wait_for(timeout=30000)
    page.locator(f".st-key-{survey_keys.current('meth_1')} button", has_text="2 Repeatable").click()
    page.locator(f".st-key-{survey_keys.desired('meth_1')} button", has_text="4 Managed").click()
    wait_for_app(page)
    page.locator(".st-key-survey_next button").click()
    page.get_by_role("heading", name="Governance and sponsorship").wait_for(timeout=30000)
    assert "r=" not in page.url                                 # a forwarded address starts afresh
    page.wait_for_function("() => document.cookie.length > 0", timeout=30000)   # the resume cookie set
    page.close()                                                # closed the tab...
    page = context.new_page()
    page.goto(url + link.path)                                  # ...and opened the same link again
    wait_for_app(page)
    page.get_by_role("heading", name="Governance and sponsorship").wait_for(timeout=30000)
    page.locator(".st-key-survey_back button").click()
    page.get_by_role("heading", name="Methodology and standards").wait_for(timeout=30000)
    wait_for_app(page)
    chosen = page.locator(f".st-key-{survey_keys.current('meth_1')} button[aria-checked='true']")
    chosen.wait_for(timeout=30000)                              # the answer given before is still there
    assert chosen.count() == 1 and "2 Repeatable" in chosen.inner_text()
    pages = 15                                                  # intro, 12 dimensions, about you, comments
    for number in range(2, pages):
        page.get_by_text(f"Page {number} of {pages}", exact=True).wait_for(timeout=30000)
        wait_for_app(page)
        page.locator(".st-key-survey_next button").click()
    page.get_by_text(f"Page {pages} of {pages}", exact=True).wait_for(timeout=30000)
    submit = page.locator(".st-key-survey_next button", has_text="Submit my answers")
    submit.wait_for(timeout=30000)
    submit.click()
    page.get_by_text("Thank you!").wait_for(timeout=30000)
    assert page.locator("[data-testid='stException']").count() == 0
    facilitator.reload()
    wait_for_app(facilitator)
    facilitator.get_by_text(f"{before + 1} completed responses").wait_for(timeout=30000)
    context.close()
    facilitator.close()


def test_the_catalogue_downloads_as_an_excel_template(browser, app_url, tmp_path):
    url, _ = app_url
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page.goto(f"{url}/catalogue")
    wait_for_app(page)
    with page.expect_download(timeout=30000) as download:
        page.locator(".st-key-catalogue_xlsx button").click()
    path = tmp_path / "catalogue.xlsx"
    download.value.save_as(path)
    import openpyxl
    sheet = openpyxl.load_workbook(path, read_only=True)["Catalogue"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("id", "name", "type") and len(rows) > 35
    page.close()
