"""Pages rendered with Streamlit's AppTest against a real database file."""

import base64
import json
import logging
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pmostep import demo, services
from pmostep.core import questionnaire
from pmostep.foundation import assessments
from pmostep.planning import scoring
from pmostep.store import db, questionnaires, responses
from tests.conftest import METH, ROOT, batch_from_rows, rating_rows

APP = str(ROOT / "app.py")
PAGES = ["views/overview.py", "views/import_responses.py", "views/foundation.py", "views/survey_links.py",
         "views/current_state.py", "views/gaps.py", "views/agreement.py", "views/stakeholder_groups.py",
         "views/comments.py", "views/trend.py", "views/recommendations.py", "views/roadmap.py",
         "views/catalogue.py"]
RESPONDENT_PAGES = ["views/survey.py"]


@pytest.fixture
def app_db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "app.duckdb"
    monkeypatch.setenv(db.ENV_VAR, str(path))
    return path


def start(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def plotly_figures(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def values(array) -> list:
    """A trace's x or y as a list, whether plotly sent it plain or base64-packed."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


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
    and run without app.py's sign-in (see app.py). tests/test_e2e_access.py checks it in a browser."""
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


def _small_assessment(path: Path, respondents: int, with_demo: bool = False) -> None:
    con = db.connect(path)
    q = questionnaire.load()
    if with_demo:
        services.load_demo(con, q)
    a = assessments.create(con, "tiny", q, name="Tiny pilot", organisation="Pilot Org")
    keys = {f"p{i}": True for i in range(respondents)}
    answers = [row for k in keys for row in rating_rows(k, METH, [2, 2, 3, 3], [4, 4, 4, 4])]
    responses.add(con, a.id, q, batch_from_rows(keys, answers))
    con.close()


def test_three_respondents_are_suppressed_everywhere(app_db):
    _small_assessment(app_db, 3)
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
    responses.add(con, a.id, q, batch_from_rows(keys, answers))
    con.close()
    at = start(assessment="unsure")
    assert not at.exception
    assert any("at least 5 people have rated a dimension" in i.value for i in at.info)
    assert not plotly_figures(at)


def test_choosing_another_assessment_switches_every_figure(app_db):
    _small_assessment(app_db, 6, with_demo=True)
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
    from tests.test_throttle import Clock
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


def test_foundation_page_shows_facts_readiness_and_edits(app_db):
    at = start()
    at.switch_page("views/foundation.py").run()
    at.run()
    assert not at.exception
    facts = at.dataframe[0].value.set_index("Fact")["Value"]
    assert facts["Organisation"] == "Harbourline Logistics" and facts["PMO type"].startswith("II: Project")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Reading"] == "Moderate" and metrics["Change budget per wave"] == "7"
    at.button(key="status_closed").click().run()
    assert any("now closed" in s.value for s in at.success)
    assert "status: closed" in at.caption[0].value


def test_survey_links_page_shows_link_qr_and_response_rates(app_db):
    at = start()
    at.switch_page("views/survey_links.py").run()
    at.run()
    assert not at.exception
    assert "/?t=" in at.code[0].value and len(at.image) == 1
    at.text_area(key="invitees").input("ana@example.org, ben@example.org\nnot-an-address")
    at.button[0].click().run()
    assert any("2 personal links ready" in s.value for s in at.success)
    assert "'not-an-address' is not an e-mail address" in at.warning[0].value
    links = next(d.value for d in at.dataframe if "Invitee" in d.value.columns)
    assert list(links["Invitee"]) == ["ana@example.org", "ben@example.org"]
    rates = next(d.value for d in at.dataframe if "Response rate" in d.value.columns)
    assert rates.iloc[0]["Stakeholder group"] == "Executive or sponsor" and rates.iloc[0]["Invited"] == 24


def test_survey_links_page_offers_no_links_for_a_closed_assessment(app_db):
    at = start()
    con = db.connect(app_db)
    assessments.set_status(con, "demo", "closed")
    con.close()
    at.switch_page("views/survey_links.py").run()
    assert not at.exception
    assert at.warning[0].value == ("Assessment 'demo' is closed, so it takes no new survey links: reopen it "
                                   "on the Foundation page (Status: Reopen).")
    assert not at.code and not at.image and not at.text_area          # no link, no QR code, no form
    assert any(d.value.columns[0] == "Stakeholder group" for d in at.dataframe)   # response rates stay


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


def test_foundation_form_saves_facts_and_groups(app_db):
    at = start()
    at.switch_page("views/foundation.py").run()
    at.run()
    organisation = next(t for t in at.text_input if t.label == "Organisation" and t.value)
    organisation.input("Harbourline Group")
    save = next(b for b in at.button if b.label == "Save")
    save.click().run()
    assert not at.exception
    assert any(s.value == "Saved." for s in at.success)
    facts = at.dataframe[0].value.set_index("Fact")["Value"]
    assert facts["Organisation"] == "Harbourline Group"
    con = db.connect(app_db)
    assert len(assessments.get(con, demo.DEMO_SLUG).stakeholder_groups) == 6   # the six groups were kept
    con.close()


def test_current_state_page_draws_its_charts_and_drills_down(app_db):
    at = start()
    at.switch_page("views/current_state.py").run()
    at.run()
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


@pytest.mark.parametrize("page", ["views/overview.py", "views/current_state.py", "views/gaps.py",
                                  "views/agreement.py", "views/stakeholder_groups.py", "views/comments.py",
                                  "views/trend.py", "views/recommendations.py", "views/roadmap.py"])
def test_pages_with_figures_hide_them_for_three_respondents(app_db, page):
    _small_assessment(app_db, 3)
    at = start(assessment="tiny")
    at.switch_page(page).run()
    at.run()
    assert not at.exception
    assert any("at least 5 people" in i.value for i in at.info)
    assert not plotly_figures(at) and not at.dataframe


def test_agreement_page_compares_stakeholder_groups(app_db):
    at = start()
    at.switch_page("views/agreement.py").run()
    at.run()
    assert plotly_figures(at)[0]["layout"]["title"]["text"].startswith("Spread of the current-state ratings")
    topics = next(d.value for d in at.dataframe if "IQR" in d.value.columns)
    assert len(topics) >= 1
    at.segmented_control(key="agreement_view").set_value("Stakeholder groups").run()
    assert not at.exception
    figure = plotly_figures(at)[0]
    assert figure["layout"]["title"]["text"].startswith("Spread of the respondents' dimension scores")
    assert figure["data"][0]["x"][0].replace("<br>", " ") == "Executive or sponsor"


def test_filters_narrow_the_figures_and_stay_across_pages(app_db):
    at = start()
    at.switch_page("views/overview.py").run()
    at.run()
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
    at = start()
    at.switch_page("views/current_state.py").run()
    at.run()
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


def test_overview_says_how_many_responses_wait_to_be_published(app_db):
    """Six managers imported, then one survey response: it waits, and the page says so."""
    con = db.connect(app_db)
    q = questionnaire.load()
    a = assessments.create(con, "waiting", q, name="Waiting")
    keys = [f"pm{i}" for i in range(6)]
    answers = [row for k in keys for row in rating_rows(k, METH, [2, 2, 3, 3], [4, 4, 4, 4])]
    responses.add(con, a.id, q, batch_from_rows(dict.fromkeys(keys, True), answers,
                                                profile=[(k, "group", "Project manager") for k in keys]))
    responses.publish(con, a.id, [p.id for p in q.profile], a.min_group_size)    # as an import does
    late = batch_from_rows({"late": True}, rating_rows("late", METH, [5, 5, 5, 5], [5, 5, 5, 5]),
                           profile=[("late", "group", "Project manager")])
    late.respondents["source"] = "survey"
    late.respondents["completed_at"] = pd.Timestamp.now(tz="UTC").tz_localize(None) + pd.Timedelta("1h")
    responses.add(con, a.id, q, late)
    con.close()
    at = start(assessment="waiting")
    at.switch_page("views/overview.py").run()
    at.run()
    assert not at.exception
    assert any(c.value.startswith("1 response waits for more from their stakeholder group: figures take "
                                  "in new responses only 5 or more at a time") for c in at.caption)
    assert any("7 completed responses" in c.value for c in at.caption)
    assert at.metric[0].value == "6"


def test_stakeholder_groups_page_heatmap_and_side_by_side(app_db):
    at = start()
    at.switch_page("views/stakeholder_groups.py").run()
    at.run()
    assert not at.exception
    heat = plotly_figures(at)[0]
    assert heat["layout"]["title"]["text"] == "Current maturity per dimension and stakeholder group"
    assert heat["data"][0]["x"][0].replace("<br>", " ") == "Executive or sponsor (n=8)"
    at.segmented_control(key="groups_measure").set_value("gap").run()
    at.selectbox(key="groups_second").set_value("Project manager").run()
    figures = plotly_figures(at)
    assert figures[0]["layout"]["title"]["text"] == "Gap per dimension and stakeholder group"
    assert figures[1]["layout"]["title"]["text"].startswith("Gap: Executive or sponsor and Project manager")
    table = next(d.value for d in at.dataframe if "Difference" in d.value.columns)
    governance = table.set_index("Dimension").loc["Governance and sponsorship"]
    assert governance["Difference"] < 0          # executives want less change in governance than PMs
    at.selectbox(key="groups_field").set_value("business_unit").run()
    # In the demo most business units have fewer than 5 people in a stakeholder group: showing them
    # beside the stakeholder groups would let the two be subtracted (docs/scoring.md).
    assert not plotly_figures(at)
    assert any(i.value.startswith("No business unit can be shown on its own") for i in at.info)
    assert any(c.value.startswith("Not shown (fewer than 5 respondents, or needed to protect them): ")
               and "Engineering" in c.value for c in at.caption)


def test_stakeholder_groups_page_names_the_suppressed_groups(app_db):
    con = db.connect(app_db)
    q = questionnaire.load()
    a = assessments.create(con, "mixed", q, name="Mixed groups")
    sizes = {"Project manager": 6, "Project team member": 6, "Executive or sponsor": 2,
             "Line or functional manager": 3}
    members = [(f"{j}-{i}", g) for j, (g, n) in enumerate(sizes.items()) for i in range(n)]
    answers = [row for k, _ in members for row in rating_rows(k, METH, [2, 2, 3, 3], [4, 4, 4, 4])]
    responses.add(con, a.id, q, batch_from_rows(dict.fromkeys([k for k, _ in members], True), answers,
                                                profile=[(k, "group", g) for k, g in members]))
    con.close()
    at = start(assessment="mixed")
    at.switch_page("views/stakeholder_groups.py").run()
    at.run()
    assert not at.exception
    assert any(c.value == "Not shown (fewer than 5 respondents, or needed to protect them): "
               "Executive or sponsor, Line or functional manager." for c in at.caption)
    columns = [c.replace("<br>", " ") for c in plotly_figures(at)[0]["data"][0]["x"]]
    assert columns == ["Project manager (n=6)", "Project team member (n=6)"]


def test_comments_page_filters_by_topic_and_counts_words(app_db):
    at = start()
    at.switch_page("views/comments.py").run()
    at.run()
    assert not at.exception
    total = int(at.metric[0].value)
    titles = [f["layout"]["title"]["text"] for f in plotly_figures(at)]
    assert titles == ["Words used most in these comments", "Comments per dimension topic"]
    table = next(d.value for d in at.dataframe if "Comment" in d.value.columns)
    assert len(table) == total > 20
    at.selectbox(key="comments_topic").set_value("resources").run()
    narrowed = next(d.value for d in at.dataframe if "Comment" in d.value.columns)
    assert 0 < len(narrowed) < total
    assert all(any(k in t.lower() for k in ("capacity", "booked", "people we have", "overbook"))
               for t in narrowed["Comment"])
    at.text_input(key="comments_search").set_value("zebra").run()
    assert any(i.value == "No comment matches these choices." for i in at.info)


def test_trend_page_compares_with_the_earlier_survey(app_db):
    at = start()
    at.switch_page("views/trend.py").run()
    at.run()
    assert not at.exception
    index, dimensions = plotly_figures(at)
    assert index["layout"]["title"]["text"] == "Maturity index over the assessments"
    assert index["data"][0]["x"] == ["Sep 2025", "Sep 2026"]
    assert dimensions["layout"]["title"]["text"].startswith("Current maturity: Sep 2026 and Sep 2025")
    table = next(d.value for d in at.dataframe if "Change" in d.value.columns).set_index("Dimension")
    assert table.loc["Performance monitoring and reporting", "Clear change"] == "yes"
    assert table.loc["Performance monitoring and reporting", "Change"] > 0.4
    assert table.loc["Portfolio selection and prioritisation", "Clear change"] == "no"


def test_trend_page_without_an_earlier_assessment_says_how_to_get_one(app_db):
    _small_assessment(app_db, 6)
    at = start(assessment="tiny")
    at.switch_page("views/trend.py").run()
    at.run()
    assert not at.exception
    assert any(i.value.startswith("There is no earlier assessment of Pilot Org") for i in at.info)


def _plan_db(app_db):
    con = db.connect(app_db)
    q = questionnaire.load()
    a = services.load_demo(con, q)
    con.close()
    return a


def test_recommendations_page_ranks_explains_and_stores_choices(app_db):
    a = _plan_db(app_db)
    at = start()
    at.switch_page("views/recommendations.py").run()
    at.run()
    assert not at.exception
    assert plotly_figures(at)[0]["layout"]["title"]["text"].startswith("The 15 best-scoring")
    table = next(d.value for d in at.dataframe if "Why" in d.value.columns)
    assert len(table) >= 35 and table["Score"].is_monotonic_decreasing
    assert table.iloc[0]["Why"].startswith("Closes part of the Governance and sponsorship gap")
    assert "pmo_charter" not in " ".join(table["Entry"])                      # names, not ids
    at.multiselect(key="recommendations_pick").set_value(["project_audits"]).run()
    assert any(m.value.startswith("**") and "Project audits" in m.value for m in at.markdown)
    at.text_input(key="recommendations_reason").set_value("Too early for audits").run()
    at.button(key="rec_reject").click().run()
    assert not at.exception
    assert any(s.value == "Rejected: Project audits." for s in at.success)
    con = db.connect(app_db)
    from pmostep.planning import decisions
    choice = decisions.choices(con, a.id)["project_audits"]
    con.close()
    assert (choice.decision, choice.reason) == ("rejected", "Too early for audits")
    at.multiselect(key="recommendations_pick").set_value(["strategic_planning_support"]).run()
    at.button(key="rec_accept_all").click().run()
    message = next(s.value for s in at.success)
    assert message.startswith("Accepted: ") and "Portfolio management" in message   # its prerequisites too


def test_roadmap_page_shows_waves_and_refuses_a_move_that_breaks_a_rule(app_db):
    a = _plan_db(app_db)
    at = start()
    at.switch_page("views/roadmap.py").run()
    at.run()
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
    _small_assessment(app_db, 6)
    at = start(assessment="tiny")
    at.switch_page("views/roadmap.py").run()
    at.run()
    assert not at.exception
    assert any(i.value.startswith("No products or services are accepted yet") for i in at.info)


def test_catalogue_page_filters_and_adds_an_entry_to_the_assessments_copy(app_db):
    _plan_db(app_db)
    at = start()
    at.switch_page("views/catalogue.py").run()
    at.run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Improves" in d.value.columns)
    total = len(table)
    at.segmented_control(key="catalogue_types").set_value(["product"]).run()
    products = next(d.value for d in at.dataframe if "Improves" in d.value.columns)
    assert 0 < len(products) < total and set(products["Type"]) == {"Product"}
    form = at.get("form")[-1] if at.get("form") else None
    assert form is not None
    inputs = {t.label: t for t in at.text_input}
    inputs["Short id"].set_value("vendor_reviews")
    inputs["Name"].set_value("Vendor reviews")
    next(t for t in at.text_area if t.label == "Description").set_value("Reviews of suppliers' projects.")
    next(t for t in at.text_area if t.label.startswith("Deliverables")).set_value("Review report")
    next(m for m in at.multiselect if m.label == "Improves strongly").set_value(["risk"])
    next(m for m in at.multiselect if m.label.startswith("PMO functions")).set_value(["learning"])
    next(b for b in at.button if b.label == "Add the entry").click().run()
    assert not at.exception
    assert any(s.value == "Added 'Vendor reviews' to this assessment's catalogue." for s in at.success)
    assert any("customised for this assessment" in c.value for c in at.caption)
    # A bad entry is refused with the field named, and nothing is lost.
    inputs = {t.label: t for t in at.text_input}
    inputs["Short id"].set_value("Bad Id")
    inputs["Name"].set_value("Bad")
    next(b for b in at.button if b.label == "Add the entry").click().run()
    assert any("'Bad Id'" in e.value for e in at.error)
    table = next(d.value for d in at.dataframe if "Improves" in d.value.columns)
    assert "Vendor reviews" in set(table["Entry"])


def test_the_minimum_group_size_is_fixed_once_responses_are_published(app_db):
    """Forming the blocks anew with another size would let views before and after be compared."""
    at = start()
    at.switch_page("views/foundation.py").run()
    size = at.number_input(key="min_group_size")
    assert size.value == 5 and size.disabled and "Fixed once responses are published" in size.help
    con = db.connect(app_db)
    with pytest.raises(assessments.AssessmentError, match="minimum group size stays 5"):
        assessments.update(con, demo.DEMO_SLUG, min_group_size=10)
    con.close()


def test_trend_leaves_out_an_earlier_assessment_that_lacks_a_filter_option(app_db, tmp_path):
    """An earlier survey on another questionnaire version without the chosen option is named, not a crash."""
    con = db.connect(app_db)
    q1 = questionnaire.load()
    text = (ROOT / "surveys" / "pmo-discovery.yaml").read_text(encoding="utf-8")
    newer = tmp_path / "v2.yaml"
    units = "      - Engineering\n"
    newer.write_text(text.replace("version: 1", "version: 2", 1).replace(units, units + "      - Research\n"),
                     encoding="utf-8")
    q2 = questionnaire.load(newer)
    questionnaires.register(con, q2)
    for slug, q, start_date in (("then", q1, "2025-01-10"), ("now", q2, "2026-01-10")):
        a = assessments.create(con, slug, q, name=slug.title(), organisation="ACME",
                               start_date=pd.Timestamp(start_date).date())
        keys = [f"{slug}{i}" for i in range(6)]
        answers = [row for k in keys for row in rating_rows(k, METH, [2, 2, 3, 3], [4, 4, 4, 4])]
        responses.add(con, a.id, q, batch_from_rows(dict.fromkeys(keys, True), answers, profile=[
            (k, "business_unit", "Research" if q is q2 else "Engineering") for k in keys]))
    con.close()
    at = start(assessment="now")
    at.switch_page("views/trend.py").run()
    at.multiselect(key="filter_business_unit").set_value(["Research"]).run()
    assert not at.exception
    assert any(c.value == "Not comparable with these filters (their questionnaire has other profile "
                          "options): Then." for c in at.caption)
