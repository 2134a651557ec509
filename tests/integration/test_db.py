"""The DuckDB file (store/db.py): migrations on empty and older files, all or nothing; where the file is
found; one connection read from several threads."""

import duckdb
import pytest

from pmostep.foundation import assessments
from pmostep.store import db, questionnaires, responses
from tests.conftest import METH

EXPECTED_TABLES = {"schema_migrations", "questionnaires", "questionnaire_statements", "assessments",
                   "stakeholder_groups", "respondents", "respondent_profile", "answers", "importance",
                   "comments", "import_batches", "mapping_profiles", "survey_links", "plan_catalogues",
                   "plan_choices", "plan_settings", "plan_placements", "published", "workshops",
                   "workshop_activities", "workshop_rounds", "workshop_participants", "workshop_answers",
                   "workshop_moderation", "problem_symptoms", "know_how_extensions", "pmo_staff",
                   "stakeholder_positions"}


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


@pytest.mark.duckdb_file
def test_a_commit_that_fails_raises_its_own_error(con):
    """Two transactions add the same key: the second COMMIT fails, and that failure is what the caller
    sees (a ROLLBACK after it used to replace it with "no transaction is active")."""
    con.execute("CREATE TABLE keyed (id INTEGER PRIMARY KEY)")
    first = con.cursor()
    first.execute("BEGIN TRANSACTION")
    first.execute("INSERT INTO keyed VALUES (1)")
    with (pytest.raises(duckdb.TransactionException, match="duplicate key") as raised,
          db.transaction(con) as cur):
        cur.execute("INSERT INTO keyed VALUES (1)")
        first.execute("COMMIT")
    assert "no transaction is active" not in str(raised.value)
    with db.transaction(con) as cur:
        assert cur.execute("SELECT count(*) FROM keyed").fetchone()[0] == 1
