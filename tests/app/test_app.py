"""The app (app.py) with Streamlit's AppTest on a real database file: navigation and page files, the
database it opens, the sign-in, and what every page with figures hides or filters (each page's own tests:
tests/app/test_<page>.py)."""

import logging

import pytest
from streamlit.testing.v1 import AppTest

from pmostep import demo, services
from pmostep.core import questionnaire
from pmostep.foundation import assessments
from pmostep.planning import scoring
from pmostep.store import db, responses
from tests.app.conftest import APP, PAGES, open_page, plotly_figures, small_assessment, start, values
from tests.conftest import METH, ROOT, batch_from_rows, rating_rows

RESPONDENT_PAGES = ["views/survey.py"]


def test_page_urls_are_their_file_names():
    """A deep link works for the first visitor after a restart only if url_path == file stem."""
    import ast

    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    for call in ast.walk(tree):
        if isinstance(call, ast.Call) and getattr(call.func, "attr", "") == "Page":
            keywords = {k.arg for k in call.keywords}
            assert "url_path" not in keywords, "set no url_path: Streamlit derives it from the file name"


def test_no_pages_folder_next_to_the_app():
    """A pages/ folder beside app.py turns on Streamlit's legacy mode: its files listed in the sidebar
    and run without app.py's sign-in (see app.py). tests/e2e/test_access.py checks it in a browser."""
    assert not (ROOT / "pages").exists()


def test_every_page_file_is_covered():
    assert sorted(str(p.relative_to(ROOT)) for p in (ROOT / "views").glob("*.py")) == sorted(
        PAGES + RESPONDENT_PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_the_demo_without_error(app_db, page):
    at = start()
    at.switch_page(page).run()
    assert not at.exception
    assert not at.error
    assert "Harbourline Logistics" in at.caption[0].value


def test_first_start_creates_the_demo_and_overview_shows_its_figures(app_db):
    at = start()
    assert app_db.exists()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Respondents"] == "150"
    table = at.dataframe[0].value
    assert list(table["Dimension"])[:2] == ["Methodology and standards", "Governance and sponsorship"]
    assert "id" not in table.columns and "methodology" not in table.to_string()
    (figure,) = plotly_figures(at)
    assert figure["layout"]["title"]["text"] == "Current and desired maturity per dimension"
    current = next(t for t in figure["data"] if t.get("name") == "Current")
    xs, ys = values(current["x"]), values(current["y"])
    assert len(xs) == 12
    assert ys[-1].replace("<br>", " ").startswith("Methodology and standards (n=")
    assert table["Current"].tolist()[0] == pytest.approx(xs[-1], abs=0.01)


def test_three_respondents_are_suppressed_everywhere(app_db):
    small_assessment(app_db, 3)
    at = start(assessment="tiny")
    assert not at.exception
    assert "Tiny pilot" in at.caption[0].value
    assert any("at least 5 people" in i.value for i in at.info)
    assert not at.metric and not at.dataframe and not plotly_figures(at)


def test_assessment_rated_only_dont_know_explains_why_nothing_shows(app_db):
    con = db.connect(app_db)
    q = questionnaire.load()
    a = assessments.create(con, "unsure", q, name="Nobody knows")
    keys = {f"u{i}": True for i in range(6)}
    answers = [row for k in keys for row in rating_rows(k, METH, ["NA"] * 4, ["NA"] * 4)]
    responses.add(con, a, q, batch_from_rows(keys, answers))
    con.close()
    at = start(assessment="unsure")
    assert not at.exception
    assert any("at least 5 people have rated a dimension" in i.value for i in at.info)
    assert not plotly_figures(at)


def test_choosing_another_assessment_switches_every_figure(app_db):
    small_assessment(app_db, 6, with_demo=True)
    at = start()
    assert at.selectbox(key="assessment").value == "demo"
    at.selectbox(key="assessment").set_value("tiny").run()
    assert "Tiny pilot" in at.caption[0].value
    assert {m.label: m.value for m in at.metric}["Respondents"] == "6"


def test_database_without_assessments_explains_what_to_do(app_db):
    db.connect(app_db).close()           # an existing, empty database: no demo is added
    at = start()
    assert not at.exception
    assert any("No assessment" in i.value for i in at.info)


def test_the_explanation_is_the_documented_formula(app_db):
    at = start()
    texts = " ".join(m.value for m in at.markdown)
    assert "mean of the statements of that dimension they rated" in texts
    assert scoring.NEUTRAL_IMPORTANCE == 3.0 and "the neutral 3 is used" in texts


def test_database_from_streamlit_secrets(tmp_path, monkeypatch):
    monkeypatch.delenv(db.ENV_VAR, raising=False)
    path = tmp_path / "secret.duckdb"
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["db_path"] = str(path)
    at.run()
    assert not at.exception
    assert path.exists()


@pytest.fixture
def sign_in_records():
    """Failed sign-ins are kept per process: every test starts without any."""
    from ui import auth

    auth.throttle.clear()
    yield
    auth.throttle.clear()


def password_app(**limits) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["facilitator_password"] = "s3cret"
    if limits:
        at.secrets["sign_in"] = limits
    return at.run()


def sign_in(at: AppTest, password: str) -> AppTest:
    at.text_input(key="password").input(password)
    return at.button(key="sign_in").click().run()


def test_facilitator_pages_need_the_password_when_one_is_set(app_db, sign_in_records):
    at = password_app(first_delay_seconds=0)
    assert not at.exception and not at.metric and not plotly_figures(at)     # nothing of the assessment
    assert not at.sidebar.selectbox                                          # no assessment selector
    sign_in(at, "wrong")
    assert "not right" in at.error[0].value and not at.metric
    sign_in(at, "s3cret")
    assert {m.label: m.value for m in at.metric}["Respondents"] == "150"


def test_a_deep_link_opens_its_page_after_the_sign_in(app_db, sign_in_records):
    at = password_app()
    at.switch_page("views/foundation.py").run()
    assert not at.exception and not [t for t in at.title if t.value == "Foundation"]
    assert at.text_input(key="password")
    sign_in(at, "s3cret")
    assert [t.value for t in at.title] == ["Foundation"]


def test_each_wrong_password_makes_the_next_try_wait(app_db, sign_in_records):
    import dataclasses

    from pmostep.core.throttle import Limits
    from tests.unit.test_throttle import Clock
    from ui import auth

    clock = Clock()
    auth.throttle(**dataclasses.asdict(Limits())).clock = clock     # the instance the app's runs share
    at = password_app()
    sign_in(at, "wrong")
    assert at.error[0].value == "That password is not right. Wait 1 second before the next try."
    sign_in(at, "s3cret")                                  # too soon: refused without being checked
    assert "Wait 1 second" in at.error[0].value and not at.metric
    clock.now += 1
    sign_in(at, "wrong")
    assert "Wait 2 seconds" in at.error[0].value
    other = password_app()                                 # a new tab from the same address waits too
    sign_in(other, "s3cret")
    assert "Wait 2 seconds" in other.error[0].value and not other.metric
    clock.now += 2
    sign_in(at, "s3cret")
    assert {m.label: m.value for m in at.metric}["Respondents"] == "150"


def test_forty_wrong_passwords_lock_the_sign_in_and_are_logged(app_db, sign_in_records, caplog):
    at = password_app(first_delay_seconds=0, lockout_after=10, lockout_minutes=15)
    with caplog.at_level(logging.WARNING, logger="pmostep.sign_in"):
        for _ in range(40):
            sign_in(at, "wrong")
    assert at.error[0].value.startswith("Too many wrong passwords: signing in from here is locked for 15 "
                                        "minutes")
    sign_in(at, "s3cret")
    assert "locked" in at.error[0].value and not at.metric
    failed = [r.getMessage() for r in caplog.records if r.name == "pmostep.sign_in"]
    assert len(failed) == 10 and failed[0].startswith("wrong facilitator password from local")
    assert "locked out for 900 s" in failed[-1]


@pytest.mark.parametrize("respondent", [False, True])
def test_a_database_held_by_another_process_gives_a_clear_page(app_db, respondent):
    import subprocess
    import sys

    db.connect(app_db).close()
    hold = f"import duckdb,time; c=duckdb.connect({str(app_db)!r}); print('ok',flush=True); time.sleep(30)"
    holder = subprocess.Popen([sys.executable, "-c", hold], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        at = start(**({"t": "a-link"} if respondent else {}))
    finally:
        holder.kill()
        holder.wait()
    assert not at.exception
    if respondent:
        assert at.title[0].value == "PMO survey" and "cannot be opened just now" in at.error[0].value
        assert str(app_db) not in at.error[0].value
    else:
        assert at.title[0].value == "PMOStep cannot open its database"
        assert f"database {app_db} is in use by another process: PID {holder.pid}" in at.error[0].value
    assert not at.sidebar.selectbox and not at.text_input


def test_a_bad_sign_in_limit_is_named(app_db, sign_in_records):
    at = password_app(lockout_after="ten")
    sign_in(at, "s3cret")
    assert at.error[0].value == ("Signing in is not possible: `lockout_after` under [sign_in] in the app's "
                                 "secrets must be a number from 1 up, not 'ten'.")
    assert not at.metric


def test_a_database_that_cannot_be_opened_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv(db.ENV_VAR, str(tmp_path))                  # a folder, not a database file
    at = start()
    assert not at.exception and at.title[0].value == "PMOStep cannot open its database"
    assert at.error[0].value.startswith(f"The database {tmp_path} cannot be opened: ")


def test_local_mode_says_so(app_db):
    at = start()
    assert any("Local mode" in w.value for w in at.sidebar.warning)


def test_respondent_links_need_no_sign_in(app_db, monkeypatch):
    from pmostep.initiation import survey

    monkeypatch.setenv("PMOSTEP_PASSWORD", "s3cret")
    con = db.connect(app_db)
    services.load_demo(con, questionnaire.load(), respondents=10)
    link = survey.create_link(con, "demo")
    con.close()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["t"] = link.token
    at.run()
    assert at.title[0].value == "PMO discovery survey" and not at.text_input


def test_identity_provider_sign_in_guards_the_pages(app_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "c",
                          "client_id": "id", "client_secret": "secret",
                          "server_metadata_url": "https://idp.example.org/.well-known/openid-configuration"}
    at.run()
    assert not at.exception and at.button(key="sign_in").label == "Sign in" and not at.metric
    at.secrets["facilitators"] = ["pmo.lead@example.org", "@pmo.example.org"]
    at.user = {"is_logged_in": True, "email": "stranger@gmail.com"}
    at.run()
    assert "may not open the facilitator pages" in at.error[0].value and not at.metric
    at.user = {"is_logged_in": True, "email": "Pmo.Lead@example.org"}
    at.run()
    assert {m.label: m.value for m in at.metric}["Respondents"] == "150"
    at.user = {"is_logged_in": True, "email": "ana@pmo.example.org"}
    at.run()
    assert at.metric


@pytest.mark.parametrize("page", ["views/overview.py", "views/current_state.py", "views/gaps.py",
                                  "views/agreement.py", "views/stakeholder_groups.py", "views/comments.py",
                                  "views/trend.py", "views/recommendations.py", "views/roadmap.py"])
def test_pages_with_figures_hide_them_for_three_respondents(app_db, page):
    small_assessment(app_db, 3)
    at = open_page(page, assessment="tiny")
    assert not at.exception
    assert any("at least 5 people" in i.value for i in at.info)
    assert not plotly_figures(at) and not at.dataframe


def test_filters_narrow_the_figures_and_stay_across_pages(app_db):
    at = open_page("views/overview.py")
    everyone = at.metric[0].value
    at.multiselect(key="filter_group").set_value(["Project manager"]).run()
    assert not at.exception
    con = db.connect(app_db)
    a = assessments.get(con, demo.DEMO_SLUG)
    pms = scoring.score(con, a, questionnaire.load(), filters={"group": ["Project manager"]})
    con.close()
    assert at.metric[0].value == str(pms.respondents) != everyone
    assert any(c.value.startswith(f"Showing the {pms.respondents} respondents who match") for c in at.caption)
    at.switch_page("views/gaps.py").run()
    at.run()
    assert at.multiselect(key="filter_group").value == ["Project manager"]
    shown = next(d.value for d in at.dataframe if "Dimension" in d.value.columns)
    expected = pms.whole.dimensions.sort_values("priority", ascending=False)["name"].tolist()
    assert shown["Dimension"].tolist() == expected


def test_filters_that_expose_a_few_people_show_nothing(app_db):
    at = open_page("views/current_state.py")
    at.multiselect(key="filter_group").set_value(["Executive or sponsor"]).run()
    at.multiselect(key="filter_business_unit").set_value(["Engineering"]).run()
    assert not at.exception
    assert any("fewer than the 5 needed" in w.value for w in at.warning)
    assert not plotly_figures(at) and not at.dataframe
    offer = next(b for b in at.button if b.label == "Stakeholder group: Executive or sponsor")
    offer.click().run()
    assert not at.exception and not any("These filters" in w.value for w in at.warning)
    assert at.multiselect(key="filter_group").value == ["Executive or sponsor"]
    assert at.multiselect(key="filter_business_unit").value == []
    assert plotly_figures(at)
