"""Migrations, questionnaire versions, assessments and transactional writes on a real DuckDB file."""

import duckdb
import pandas as pd
import pytest

from pmostep import services
from pmostep.core import questionnaire
from pmostep.foundation import assessments
from pmostep.store import db, questionnaires, responses
from tests.conftest import METH, batch_from_rows, rating_rows

EXPECTED_TABLES = {"schema_migrations", "questionnaires", "questionnaire_statements", "assessments",
                   "stakeholder_groups", "respondents", "respondent_profile", "answers", "importance",
                   "comments", "import_batches", "mapping_profiles", "survey_links", "plan_catalogues",
                   "plan_choices", "plan_settings", "plan_placements", "published"}


def tables(con) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}


def test_migrations_create_every_table_on_an_empty_file(tmp_path):
    con = duckdb.connect(str(tmp_path / "empty.duckdb"))
    applied = db.migrate(con)
    assert applied == [v for v, _, _ in db.migrations()]
    assert tables(con) == EXPECTED_TABLES
    assert db.schema_version(con) == max(applied)
    assert db.migrate(con) == []                  # idempotent


def test_migrating_a_file_at_the_previous_version_keeps_its_data(tmp_path, q):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    latest = db.migrations()[-1][0]
    db.migrate(con, target=latest - 1)
    assert db.schema_version(con) == latest - 1
    questionnaires.register(con, q)
    # Rows as the previous schema stored them (today's writers need today's columns).
    con.execute("INSERT INTO assessments (id, slug, name, organisation, questionnaire_id, "
                "questionnaire_version) VALUES (1, 'kept', 'Kept', 'Old Org', ?, ?)", [q.id, q.version])
    con.execute("INSERT INTO respondents (id, assessment_id, questionnaire_version, source, completed_at) "
                "VALUES (1, 1, 1, 'survey', now())")
    con.executemany("INSERT INTO answers (respondent_id, statement_id, current, desired) VALUES (1, ?, 2, 4)",
                    [[s] for s in METH])
    con.close()

    con = db.connect(path)                          # what the app and CLI do at start
    assert db.schema_version(con) == latest
    assert tables(con) == EXPECTED_TABLES
    assert assessments.get(con, "kept").organisation == "Old Org"
    assert con.execute("SELECT count(*) FROM answers").fetchone()[0] == 4
    assert con.execute("SELECT import_batch_id FROM respondents").fetchone() == (None,)


def test_a_failing_migration_leaves_the_schema_as_it_was(tmp_path, monkeypatch):
    con = duckdb.connect(str(tmp_path / "f.duckdb"))
    good = db.migrations()
    monkeypatch.setattr(db, "migrations", lambda: good + [(99, "broken", "CREATE TABLE ok_1 (a INT); SELEC")])
    with pytest.raises(duckdb.Error):
        db.migrate(con)
    assert "ok_1" not in tables(con)
    assert db.schema_version(con) == good[-1][0]


def test_questionnaire_version_changed_in_place_is_refused(con, q):
    raw = dict(q.source)
    raw["title"] = "Edited without a new version"
    changed = questionnaire.parse(raw)
    with pytest.raises(questionnaires.QuestionnaireVersionConflict, match="new version"):
        questionnaires.register(con, changed)
    raw["version"] = q.version + 1
    questionnaires.register(con, questionnaire.parse(raw))
    assert questionnaires.get(con, q.id, q.version + 1).title == "Edited without a new version"
    assert questionnaires.get(con, q.id, q.version).title == q.title


def test_assessment_keeps_foundation_facts(con, q):
    a = assessments.create(
        con, "acme-2026", q, name="Acme", organisation="Acme Ltd", pmo_scope="division",
        sponsor_name="Kim", sponsor_role="CFO", stakeholder_groups=[assessments.StakeholderGroup("PMs", 12)],
    )
    again = assessments.get(con, "acme-2026")
    assert again == a
    assert again.pmo_scope == "division" and again.sponsor_role == "CFO"
    assert again.stakeholder_groups == (assessments.StakeholderGroup("PMs", 12),)
    assert again.questionnaire_version == q.version and again.min_group_size == 5


@pytest.mark.parametrize("slug", ["", "Has Caps", "-leading", "a" * 64, "semi;colon"])
def test_bad_slugs_are_refused(con, q, slug):
    with pytest.raises(assessments.AssessmentError, match="slug"):
        assessments.create(con, slug, q)


def test_duplicate_slug_is_refused_and_nothing_changes(con, q):
    assessments.create(con, "one", q, name="First")
    with pytest.raises(assessments.AssessmentError, match="already exists"):
        assessments.create(con, "one", q, name="Second")
    assert [r["name"] for r in assessments.list_all(con)] == ["First"]


def test_bad_answers_name_respondent_and_field_and_store_nothing(con, q):
    a = assessments.create(con, "bad", q)
    answers = rating_rows("good", METH, [1, 2, 3, 4], [5, 5, 5, 5]) + [
        ("bad", "meth_1", 9, False, 3, False),
        ("bad", "no_such", 2, False, 3, False),
    ]
    batch = batch_from_rows({"good": True, "bad": True}, answers,
                            importance=[("bad", "methodology", 0)],
                            profile=[("bad", "shoe_size", "44")])
    with pytest.raises(responses.ResponseError) as err:
        responses.add(con, a.id, q, batch)
    problems = err.value.problems
    assert "respondent bad: current rating 9 is not a whole number from 1 to 5" in problems
    assert "respondent bad: unknown statement 'no_such'" in problems
    assert "respondent bad: importance 0 is not a whole number from 1 to 5" in problems
    assert "respondent bad: unknown profile field 'shoe_size'" in problems
    assert con.execute("SELECT count(*) FROM respondents").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM answers").fetchone()[0] == 0


def test_a_write_that_fails_midway_rolls_back(con, q, monkeypatch):
    a = assessments.create(con, "midway", q)
    batch = batch_from_rows({"x": True}, rating_rows("x", METH, [1, 2, 3, 4], [4, 4, 4, 4]),
                            comments=[("x", "pain_point", "text")])
    original = batch.comments
    batch.comments = original.assign(question_id=pd.Series([None], dtype=object))   # NOT NULL violation
    monkeypatch.setattr(responses, "validate", lambda b, q: [])                      # reach the database
    with pytest.raises(duckdb.Error), services.UnitOfWork(con) as uow:
        responses.add(uow.cur, a.id, q, batch)
        uow.commit()
    assert con.execute("SELECT count(*) FROM respondents").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM answers").fetchone()[0] == 0


def test_delete_removes_everything_of_one_assessment_only(con, q, hand_assessment):
    hand_assessment(slug="gone")
    keep = hand_assessment(slug="kept")
    services.delete_assessment(con, "gone")
    assert [r["slug"] for r in assessments.list_all(con)] == ["kept"]
    ids = con.execute("SELECT DISTINCT assessment_id FROM respondents").fetchall()
    assert ids == [(keep.id,)]
    orphans = con.execute(
        "SELECT count(*) FROM answers WHERE respondent_id NOT IN (SELECT id FROM respondents)"
    ).fetchone()[0]
    assert orphans == 0


def test_cursors_from_two_threads_read_consistently(con, q, hand_assessment):
    import threading

    a = hand_assessment()
    results = []

    def read():
        for _ in range(20):
            results.append(responses.count(con, a.id)["completed"])

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [6] * 80


def test_resolve_path_order(monkeypatch, tmp_path):
    monkeypatch.delenv(db.ENV_VAR, raising=False)
    assert db.resolve_path() == db.DEFAULT_DB
    assert db.resolve_path(None, "from-secret.duckdb").name == "from-secret.duckdb"
    monkeypatch.setenv(db.ENV_VAR, str(tmp_path / "env.duckdb"))
    assert db.resolve_path(None, "from-secret.duckdb").name == "env.duckdb"
    assert db.resolve_path(tmp_path / "arg.duckdb", "s").name == "arg.duckdb"


def test_profile_answers_must_be_options_and_questions_unique(con, q):
    a = assessments.create(con, "opts", q)
    batch = batch_from_rows({"x": True}, rating_rows("x", METH, [1, 2, 3, 4], [4, 4, 4, 4]),
                            profile=[("x", "group", "Jane Doe, CFO")],
                            importance=[("x", "methodology", 3), ("x", "methodology", 4)])
    with pytest.raises(responses.ResponseError) as err:
        responses.add(con, a.id, q, batch)
    assert "respondent x: 'Jane Doe, CFO' is not an option of profile question 'group'" in err.value.problems
    assert "respondent x: importance has the same question twice" in err.value.problems


def test_answers_for_another_questionnaire_version_are_refused(con, q):
    a = assessments.create(con, "v1", q)
    raw = dict(q.source)
    raw["version"] = q.version + 1
    other = questionnaire.parse(raw)
    batch = batch_from_rows({"x": True}, rating_rows("x", METH, [1, 2, 3, 4], [4, 4, 4, 4]))
    with pytest.raises(responses.ResponseError, match="uses questionnaire"):
        responses.add(con, a.id, other, batch)


def test_failed_demo_reload_keeps_the_old_demo(con, q):

    services.load_demo(con, q, respondents=12, seed=1)
    raw = dict(q.source)
    raw["title"] = "Changed without a new version"
    with pytest.raises(questionnaires.QuestionnaireVersionConflict):
        services.load_demo(con, questionnaire.parse(raw), respondents=30)
    listed = [(r["slug"], r["respondents"]) for r in assessments.list_all(con)]
    assert listed == [("demo", 12), ("demo-2025", 8)]


def test_importance_must_be_a_mapping():
    from tests.test_questionnaire import raw_default

    raw = raw_default()
    raw["importance"] = "high"
    with pytest.raises(questionnaire.QuestionnaireError, match="importance: must be a mapping"):
        questionnaire.parse(raw)


def test_foundation_facts_can_be_edited_and_are_validated(con, q):
    assessments.create(con, "facts", q)
    a = assessments.update(con, "facts", organisation="Acme", pmo_type="III", sponsor_name="Kim",
                           stakeholder_groups=[assessments.StakeholderGroup("Project manager", 40)])
    assert (a.organisation, a.pmo_type, a.sponsor_name) == ("Acme", "III", "Kim")
    assert a.stakeholder_groups == (assessments.StakeholderGroup("Project manager", 40),)
    for bad, message in (({"pmo_type": "V"}, "PMO type"), ({"pmo_scope": "galaxy"}, "PMO scope"),
                         ({"min_group_size": 0}, "minimum group size"), ({"name": " "}, "cannot be empty"),
                         ({"status": "open"}, "cannot change status")):
        with pytest.raises(assessments.AssessmentError, match=message):
            assessments.update(con, "facts", **bad)
    assert assessments.get(con, "facts").organisation == "Acme"


def test_status_moves(con, q):
    assessments.create(con, "life", q)
    assert assessments.set_status(con, "life", "closed").status == "closed"
    assert assessments.set_status(con, "life", "open").status == "open"          # reopen
    assert assessments.set_status(con, "life", "archived").status == "archived"
    with pytest.raises(assessments.AssessmentError, match="archived cannot become open"):
        assessments.set_status(con, "life", "open")
    assert [r["slug"] for r in assessments.list_all(con, include_archived=False)] == []


def test_follow_up_keeps_organisation_and_questionnaire(con, q):
    first = assessments.create(con, "y1", q, organisation="Acme", pmo_type="II", min_group_size=7,
                               stakeholder_groups=[assessments.StakeholderGroup("Executive or sponsor", 9)])
    second = assessments.follow_up(con, "y1", "y2")
    assert second.previous_assessment_id == first.id and second.organisation == "Acme"
    assert (second.questionnaire_id, second.questionnaire_version) == (q.id, q.version)
    assert second.min_group_size == 7 and second.stakeholder_groups == first.stakeholder_groups
    assert second.name == f"{first.name} (follow-up)"


def test_readiness_reading_bands(con, q):
    from pmostep.planning import readiness, scoring

    a = services.load_demo(con, q)
    reading = readiness.readiness(scoring.score(con, a, q))
    assert reading.known and reading.reading == "moderate" and reading.change_budget == 7
    assert 2.0 <= reading.score < 3.0
    empty = assessments.create(con, "empty", q)
    unknown = readiness.readiness(scoring.score(con, empty, q))
    assert unknown.reading == "unknown" and unknown.change_budget == 4
