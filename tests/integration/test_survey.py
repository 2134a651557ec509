"""The respondent survey core: links, resume, submit once, closed surveys and input validation."""

import duckdb
import pytest

from pmostep import services
from pmostep.foundation import assessments
from pmostep.initiation import survey
from pmostep.planning import scoring
from pmostep.store.db import transaction


@pytest.fixture
def open_assessment(con, q):
    return assessments.create(con, "pulse", q, name="Pulse", min_group_size=1)


def count(con, table="respondents") -> int:
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_links_are_unguessable_and_stable(con, open_assessment):
    link = survey.create_link(con, "pulse")
    assert link.kind == "open" and len(link.token) >= 24 and link.path == f"/?t={link.token}"
    assert survey.create_link(con, "pulse") == link                       # one open link
    ana = survey.create_link(con, "pulse", "ana@example.org")
    assert ana.kind == "personal" and ana.token != link.token
    assert survey.create_link(con, "pulse", "ana@example.org") == ana
    with pytest.raises(survey.SurveyError, match="not an e-mail address"):
        survey.create_link(con, "pulse", "not an email")


def test_personal_link_resumes_and_cannot_submit_twice(con, open_assessment):
    link = survey.create_link(con, "pulse", "ben@example.org")
    s = survey.start(con, link.token)
    s = services.save_survey_page(con, s, 1, ratings={"meth_1": (2, 4), "meth_2": ("na", 5)},
                                  importance={"methodology": 4})
    again = survey.start(con, link.token)                 # closed the tab, opened the link again
    assert again.respondent_id == s.respondent_id and again.progress == 1
    saved = survey.saved_answers(con, again)
    assert saved["ratings"]["meth_1"] == (2, 4) and saved["ratings"]["meth_2"] == ("na", 5)
    assert saved["importance"] == {"methodology": 4}
    services.submit_survey(con, again)
    with pytest.raises(survey.SurveyError, match="already submitted"):
        services.submit_survey(con, survey.start(con, link.token))
    with pytest.raises(survey.SurveyError, match="already submitted"):
        services.save_survey_page(con, s, 2, ratings={"meth_1": (5, 5)})


def test_open_link_takes_many_respondents_and_resumes_by_resume_token(con, q, open_assessment):
    link = survey.create_link(con, "pulse")
    first, second = (services.save_survey_page(
        con, survey.start(con, link.token), 1,
        ratings={sid: (value, 5) for sid in ("meth_1", "meth_2", "meth_3")})
        for value in (2, 4))
    assert first.respondent_id != second.respondent_id
    assert survey.start(con, link.token, resume=first.resume_token).respondent_id == first.respondent_id
    assert survey.start(con, link.token, resume=12345).respondent_id is None     # a new response
    for s in (first, second):
        services.submit_survey(con, s)
    report = scoring.score(con, assessments.get(con, "pulse"), q)
    assert report.respondents == 2
    assert report.whole.dimensions.set_index("id").loc["methodology", "current"] == pytest.approx(3.0)


def test_a_page_without_answers_saves_progress_only(con, open_assessment):
    s = survey.start(con, survey.create_link(con, "pulse", "eve@example.org").token)
    s = services.save_survey_page(con, s, 1, ratings={"meth_1": (3, None)})
    services.save_survey_page(con, s, 2, ratings={"meth_2": (None, None)}, importance={"methodology": None})
    assert survey.start(con, s.link.token).progress == 2
    assert count(con, "answers") == 1 and count(con, "importance") == 0


def test_in_progress_answers_do_not_count(con, q, open_assessment):
    s = survey.start(con, survey.create_link(con, "pulse").token)
    services.save_survey_page(con, s, 1, ratings={"meth_1": (2, 4)})
    assert scoring.score(con, assessments.get(con, "pulse"), q).respondents == 0


@pytest.mark.parametrize("token, message", [
    (None, "not complete"), ("", "not complete"), ("abc", "not complete"), ("x" * 30, "not known"),
    ("bad token with spaces!", "not complete"),
])
def test_bad_tokens_store_nothing(con, open_assessment, token, message):
    with pytest.raises(survey.SurveyError, match=message):
        survey.start(con, token)
    assert count(con) == 0


def test_revoked_link_and_closed_or_archived_survey_store_nothing(con, open_assessment):
    link = survey.create_link(con, "pulse")
    survey.revoke(con, link.token)
    with pytest.raises(survey.SurveyError, match="no longer valid"):
        survey.start(con, link.token)
    live = survey.create_link(con, "pulse", "cy@example.org")
    s = survey.start(con, live.token)
    for status in ("closed", "archived"):
        with transaction(con) as cur:
            cur.execute("UPDATE assessments SET status = ? WHERE slug = 'pulse'", [status])
        with pytest.raises(survey.SurveyError, match="closed"):
            survey.start(con, live.token)
        with pytest.raises(survey.SurveyError, match="closed"):
            services.save_survey_page(con, s, 1, ratings={"meth_1": (3, 4)})
    assert count(con, "answers") == 0


@pytest.mark.parametrize("kwargs, message", [
    ({"ratings": {"meth_1": (6, 4)}}, "is not one of the answers"),
    ({"ratings": {"meth_1": ("3", 4)}}, "is not one of the answers"),
    ({"ratings": {"nope": (3, 4)}}, "'nope' is not a statement"),
    ({"importance": {"methodology": 9}}, "importance of methodology"),
    ({"profile": {"group": "Jane Doe"}}, "'Jane Doe' is not an answer"),
    ({"comments": {"pain_point": "x" * 5001}}, "longer than 5000"),
    ({"comments": {"salary": "x"}}, "'salary' is not a question"),
])
def test_invalid_input_is_refused_in_the_core(con, open_assessment, kwargs, message):
    s = survey.start(con, survey.create_link(con, "pulse").token)
    with pytest.raises(survey.SurveyError, match=message):
        services.save_survey_page(con, s, 1, **kwargs)
    assert count(con, "answers") == 0 and count(con, "comments") == 0


def test_a_personal_link_answered_in_two_tabs_at_once_makes_one_respondent(con, open_assessment):
    import threading

    link = survey.create_link(con, "pulse", "twice@example.org")
    ids, conflicts = [], []

    def open_it():
        s = survey.start(con, link.token)
        try:
            ids.append(services.save_survey_page(con, s, 1, ratings={"meth_1": (3, 4)}).respondent_id)
        except duckdb.TransactionException:   # two saves of one respondent met: the page says "press again"
            conflicts.append(1)

    threads = [threading.Thread(target=open_it) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(ids) + len(conflicts) == 8 and len(set(ids)) == 1 and count(con) == 1


def test_submitted_answers_no_longer_point_to_the_invitee(con, open_assessment):
    link = survey.create_link(con, "pulse", "Fay@Example.org")
    assert link.invitee == "fay@example.org"
    s = survey.start(con, link.token)
    s = services.save_survey_page(con, s, 1, ratings={"meth_1": (3, 4)})
    services.submit_survey(con, s)
    joined = con.execute("SELECT count(*) FROM respondents r JOIN survey_links l ON l.token = r.link_token "
                         "WHERE l.invitee IS NOT NULL").fetchone()[0]
    assert joined == 0
    with pytest.raises(survey.SurveyError, match="already submitted"):
        survey.start(con, link.token)


def test_a_deleted_assessment_leaves_no_working_links(con, open_assessment):
    link = survey.create_link(con, "pulse")
    services.delete_assessment(con, "pulse")
    with pytest.raises(survey.SurveyError, match="not known"):
        survey.start(con, link.token)


@pytest.mark.parametrize("kwargs", [
    {"ratings": {"meth_1": 3}}, {"ratings": {"meth_1": (3, 4, 5)}}, {"comments": {"pain_point": 42}},
])
def test_odd_types_are_refused_with_a_message(con, open_assessment, kwargs):
    s = survey.start(con, survey.create_link(con, "pulse").token)
    with pytest.raises(survey.SurveyError):
        services.save_survey_page(con, s, 1, **kwargs)


@pytest.mark.parametrize("progress", [True, -1, 2**40, "3"])
def test_page_numbers_are_checked(con, open_assessment, progress):
    s = survey.start(con, survey.create_link(con, "pulse").token)
    with pytest.raises(survey.SurveyError, match="page number"):
        services.save_survey_page(con, s, progress)


def test_creating_and_editing_check_the_facts(con, q):
    with pytest.raises(assessments.AssessmentError, match="PMO type"):
        assessments.create(con, "bad-type", q, pmo_type="V")
    from datetime import date

    assessments.create(con, "dated", q, start_date=date(2027, 1, 1), end_date=date(2027, 3, 1))
    with pytest.raises(assessments.AssessmentError, match="end date is before the start date"):
        assessments.update(con, "dated", start_date=date(2027, 9, 1))
    with pytest.raises(assessments.AssessmentError, match="whole number"):
        assessments.update(con, "dated", stakeholder_groups=[assessments.StakeholderGroup("PMs", "12")])


def test_invitee_lists_from_address_books_give_addresses_not_names():
    text = ("Name,Email\nJane Doe,Jane@Acme.com\n\"Lee, Ann\";ann@acme.com\nBob <bob@acme.com>\n"
            "jane@acme.com\nmistyped.address\n")
    assert survey.parse_invitees(text) == ["jane@acme.com", "ann@acme.com", "bob@acme.com",
                                           "mistyped.address"]
    assert survey.parse_invitees("a@x.org, b@x.org; c@x.org\td@x.org") == ["a@x.org", "b@x.org", "c@x.org",
                                                                         "d@x.org"]


def test_opening_the_open_link_stores_nothing_until_the_first_answer(con, open_assessment):
    link = survey.create_link(con, "pulse")
    for _ in range(25):                                        # visitors who only look
        survey.start(con, link.token)
    assert count(con) == 0
    # "Start" on the intro: no answer yet
    s = services.save_survey_page(con, survey.start(con, link.token), 1)
    assert count(con) == 0 and s.respondent_id is None and s.progress == 1
    s = services.save_survey_page(con, s, 2, ratings={"meth_1": (2, 4)})
    assert count(con) == 1 and s.respondent_id is not None
    resumed = survey.start(con, link.token, resume=s.resume_token)
    assert (resumed.respondent_id, resumed.progress) == (s.respondent_id, 2)
    services.save_survey_page(con, resumed, 3, ratings={"meth_2": (3, 3)})
    assert count(con) == 1 and count(con, "answers") == 2


def test_submitting_without_answers_stores_one_empty_response(con, open_assessment):
    link = survey.create_link(con, "pulse", "quiet@example.org")
    services.submit_survey(con, survey.start(con, link.token))
    assert con.execute("SELECT count(*) FROM respondents WHERE completed_at IS NOT NULL").fetchone()[0] == 1
    with pytest.raises(survey.SurveyError, match="already submitted"):
        survey.start(con, link.token)


def test_an_open_link_holds_a_limited_number_of_unfinished_responses(con, open_assessment):
    link = survey.create_link(con, "pulse")
    first, second = (services.save_survey_page(con, survey.start(con, link.token, limit=2), 1, limit=2,
                                               ratings={"meth_1": (value, 5)}) for value in (2, 4))
    late = survey.start(con, link.token)                      # opened before the limit was reached
    with pytest.raises(survey.SurveyError, match="already has 2 unfinished responses"):
        survey.start(con, link.token, limit=2)
    with pytest.raises(survey.SurveyError, match="already has 2 unfinished responses"):
        services.save_survey_page(con, late, 1, ratings={"meth_1": (3, 3)}, limit=2)
    with pytest.raises(survey.SurveyError, match="already has 2 unfinished responses"):
        services.submit_survey(con, late, limit=2)
    assert count(con) == 2 and count(con, "answers") == 2  # nothing stored before is lost
    resumed = survey.start(con, link.token, resume=first.resume_token, limit=2)   # resuming still works
    services.save_survey_page(con, resumed, 2, ratings={"meth_2": (1, 2)}, limit=2)
    services.submit_survey(con, resumed, limit=2)                      # a submitted response frees a place
    third = services.save_survey_page(con, survey.start(con, link.token, limit=2), 1,
                                      ratings={"meth_1": (5, 5)}, limit=2)
    assert third.respondent_id not in (first.respondent_id, second.respondent_id) and count(con) == 3


def test_personal_links_are_not_held_back_by_the_open_links_limit(con, open_assessment):
    link = survey.create_link(con, "pulse")
    services.save_survey_page(con, survey.start(con, link.token, limit=1), 1, ratings={"meth_1": (2, 4)},
                              limit=1)
    personal = survey.start(con, survey.create_link(con, "pulse", "gil@example.org").token, limit=1)
    assert services.save_survey_page(con, personal, 1, ratings={"meth_1": (3, 3)}, limit=1).respondent_id


def test_the_limit_of_unfinished_responses_is_configurable(monkeypatch):
    monkeypatch.delenv(survey.MAX_UNFINISHED_ENV, raising=False)
    assert survey.max_unfinished() == survey.DEFAULT_MAX_UNFINISHED == 1000
    monkeypatch.setenv(survey.MAX_UNFINISHED_ENV, "250")
    assert survey.max_unfinished() == 250
    assert survey.max_unfinished(40) == 40                    # the app's secret wins
    for bad in ("many", "0", "-3", "2.5"):
        with pytest.raises(survey.SurveyError, match="max_unfinished"):
            survey.max_unfinished(bad)


def queries(con, work) -> list[str]:
    """The statements DuckDB runs for `work()` (its query log), in order."""
    con.execute("CALL enable_logging('QueryLog')")
    try:
        work()
    finally:
        con.execute("CALL disable_logging()")
    logged = [r[0] for r in con.execute("SELECT message FROM duckdb_logs WHERE type = 'QueryLog'").fetchall()]
    con.execute("CALL truncate_duckdb_logs()")
    return logged[:-1]                                              # without CALL disable_logging()


@pytest.mark.duckdb_file
def test_a_page_save_and_the_next_page_cost_at_most_16_queries(con, q, open_assessment):
    """Each survey page is one script run on the server: the save (the form's callback) then the next
    page's session. Their DuckDB queries are most of a page's server time (0.5-1 ms each), which bounds
    the page saves a server turns round a second (benchmarks/survey.py --server --client ws)."""
    link = survey.create_link(con, "pulse")
    session = services.save_survey_page(con, survey.start(con, link.token), 2, ratings={"meth_1": (3, 4)})
    d = q.dimensions[1]
    page = {s.id: (3, 4) if i < 2 else (None, None) for i, s in enumerate(d.statements)}

    def save_and_next() -> None:
        saved = services.save_survey_page(con, session, 3, ratings=page, importance={d.id: None})
        survey.start(con, link.token, saved.resume_token)

    ran = queries(con, save_and_next)
    assert len(ran) <= 16, "\n".join(ran)                         # 22 before
    assert survey.saved_answers(con, session)["ratings"] == {"meth_1": (3, 4), **{
        s.id: (3, 4) for s in d.statements[:2]}}
