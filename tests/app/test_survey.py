"""The respondent's survey page with AppTest: valid, invalid and closed links, answering, resume."""

import pytest
from streamlit.testing.v1 import AppTest

from pmostep.initiation import survey
from pmostep.store.db import transaction
from tests.app.conftest import APP
from ui.survey_keys import current, desired


def open_link(token: str | None, **extra) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if token is not None:
        at.query_params["t"] = token
    for k, v in extra.items():
        at.query_params[k] = v
    return at.run()


def test_respondent_sees_only_the_survey(links):
    at = open_link(links["open"].token)
    assert not at.exception
    assert at.title[0].value == "PMO discovery survey"
    assert "Anonymous." in " ".join(m.value for m in at.markdown)
    assert not at.sidebar.selectbox                      # no assessment selector, no facilitator pages
    assert at.button(key="survey_next").label == "Start"


@pytest.mark.parametrize("token, message", [("short", "not complete"), ("y" * 24, "not known")])
def test_bad_links_show_a_message_and_store_nothing(links, token, message):
    at = open_link(token)
    assert not at.exception and message in at.error[0].value
    assert links["con"].execute("SELECT count(*) FROM respondents").fetchone()[0] == 0


def test_closed_survey_says_so(links):
    with transaction(links["con"]) as cur:
        cur.execute("UPDATE assessments SET status = 'closed'")
    at = open_link(links["personal"].token)
    assert "This survey is closed" in at.error[0].value
    assert links["con"].execute("SELECT count(*) FROM respondents").fetchone()[0] == 0


def test_answering_a_page_saves_it_and_a_new_visit_resumes(links):
    at = open_link(links["personal"].token)
    at.button(key="survey_next").click().run()                   # Start
    assert at.subheader[0].value == "Methodology and standards"
    at.pills(key=current("meth_1")).set_value(2)                 # answers in the page's form...
    at.pills(key=desired("meth_1")).set_value(4)
    at.pills(key=current("meth_2")).set_value("na")
    at.button(key="survey_next").click().run()                   # ...sent by Save and continue
    assert not at.exception
    assert at.subheader[0].value == "Governance and sponsorship"
    again = open_link(links["personal"].token)                   # a new browser session, same link
    assert again.subheader[0].value == "Governance and sponsorship"
    again.button(key="survey_back").click().run()
    assert again.pills(key=current("meth_1")).value == 2
    assert again.pills(key=current("meth_2")).value == "na"


def test_back_keeps_the_answers_of_the_page_left(links):
    at = open_link(links["personal"].token)
    at.button(key="survey_next").click().run()                   # Start -> Methodology
    at.button(key="survey_next").click().run()                   # -> Governance
    at.pills(key=current("gov_1")).set_value(3)
    at.button(key="survey_back").click().run()                   # back to Methodology, Governance saved
    at.button(key="survey_next").click().run()
    assert at.subheader[0].value == "Governance and sponsorship"
    assert at.pills(key=current("gov_1")).value == 3


def test_a_forwarded_open_link_starts_a_new_response(links):
    first = open_link(links["open"].token)
    first.button(key="survey_next").click().run()
    first.pills(key=current("meth_1")).set_value(5)
    first.button(key="survey_next").click().run()
    assert "r" not in first.query_params
    second = open_link(links["open"].token)                      # another person, same link
    assert second.button(key="survey_next").label == "Start"
    second.button(key="survey_next").click().run()
    second.pills(key=current("meth_1")).set_value(1)
    second.button(key="survey_next").click().run()
    assert links["con"].execute("SELECT count(*) FROM respondents").fetchone()[0] == 2


def respondents(links) -> int:
    return links["con"].execute("SELECT count(*) FROM respondents").fetchone()[0]


def test_loading_the_open_link_stores_nothing_and_the_first_answer_one_respondent(links):
    for _ in range(4):
        assert open_link(links["open"].token).button(key="survey_next").label == "Start"
    at = open_link(links["open"].token)
    at.button(key="survey_next").click().run()                   # Start: nothing answered yet
    at.button(key="survey_next").click().run()                   # a page left blank
    assert at.subheader[0].value == "Governance and sponsorship" and respondents(links) == 0
    at.pills(key=current("gov_1")).set_value(4)
    at.button(key="survey_next").click().run()
    assert not at.exception and respondents(links) == 1
    at.pills(key=current("port_1")).set_value(2)
    at.button(key="survey_next").click().run()
    assert respondents(links) == 1
    assert links["con"].execute("SELECT count(*) FROM answers").fetchone()[0] == 2


def test_a_full_open_link_says_so_and_keeps_the_answers_already_saved(links, monkeypatch):
    monkeypatch.setenv(survey.MAX_UNFINISHED_ENV, "1")
    first = open_link(links["open"].token)
    first.button(key="survey_next").click().run()
    first.pills(key=current("meth_1")).set_value(3)
    first.button(key="survey_next").click().run()
    late = open_link(links["open"].token)                        # the limit of 1 is reached
    assert not late.exception and "1 unfinished responses, its limit" in late.error[0].value
    assert respondents(links) == 1
    first.pills(key=current("gov_1")).set_value(2)               # the respondent already in goes on
    first.button(key="survey_next").click().run()
    assert not first.error and first.subheader[0].value == "Portfolio selection and prioritisation"
    assert links["con"].execute("SELECT count(*) FROM answers").fetchone()[0] == 2


def test_a_page_save_is_one_script_run_of_at_most_10_queries(links):
    """Saving a page and drawing the next one is the survey's whole cost on the server, in one script
    run; its DuckDB statements (0.5-1 ms each) are much of it (benchmarks/survey.py --server --client ws).
    The save's own checks (link, assessment, respondent) serve the next page too."""
    con = links["con"]
    at = open_link(links["open"].token)
    at.button(key="survey_next").click().run()                   # Start
    at.pills(key=current("meth_1")).set_value(2)
    at.button(key="survey_next").click().run()                   # the first answer: a respondent
    at.pills(key=current("gov_1")).set_value(3)
    at.pills(key=desired("gov_1")).set_value(5)
    con.execute("CALL enable_logging('QueryLog')")
    try:
        at.button(key="survey_next").click().run()
    finally:
        con.execute("CALL disable_logging()")
    ran = [r[0] for r in con.execute("SELECT message FROM duckdb_logs WHERE type = 'QueryLog'").fetchall()]
    assert not at.exception and at.subheader[0].value == "Portfolio selection and prioritisation"
    assert len(ran) - 1 <= 10, "\n".join(ran)        # without CALL disable_logging(); 22 before
    rid, progress = con.execute("SELECT id, progress FROM respondents").fetchone()
    assert progress == 3
    assert con.execute("SELECT statement_id, current, desired FROM answers WHERE respondent_id = ? "
                       "ORDER BY 1", [rid]).fetchall() == [("gov_1", 3, 5), ("meth_1", 2, None)]
