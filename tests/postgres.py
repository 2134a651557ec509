"""PostgreSQL for the tests: the throwaway cluster scripts/test.sh starts (PMOSTEP_TEST_PG), or one
started here when the server programs are installed; a fresh database for every test that asks.

Where PostgreSQL is neither given nor installed, the PostgreSQL runs of the tests are skipped, and the
skip says why in the test summary.
"""

from __future__ import annotations

import os
import uuid

import psycopg
import pytest

from pmostep.core import questionnaire
from pmostep.store import db, questionnaires
from tests import pg_cluster

ENV = "PMOSTEP_TEST_PG"
TEMPLATE = "pmostep_template"


@pytest.fixture(scope="session")
def pg_server():
    """The server's URL (its `postgres` database), or a skip naming why there is none."""
    url = os.environ.get(ENV)
    folder = None
    if not url:
        try:
            url, folder = pg_cluster.start()
        except RuntimeError as exc:
            pytest.skip(f"PostgreSQL not available ({exc}); set {ENV} or install postgresql")
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {TEMPLATE}")
        admin.execute(f"CREATE DATABASE {TEMPLATE}")
    template = db.connect(_named(url, TEMPLATE))            # migrated once, questionnaire registered
    with db.transaction(template) as cur:
        questionnaires.register(cur, questionnaire.load())
    template.close()
    yield url
    if folder:
        pg_cluster.stop(folder)


def _named(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture
def pg_url(pg_server):
    """A new database, migrated, the questionnaire registered, dropped after the test."""
    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(pg_server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    yield _named(pg_server, name)
    with psycopg.connect(pg_server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def pytest_collection_modifyitems(items) -> None:
    """A test marked `duckdb_file` checks what only the DuckDB file does (its locks, its copies, its
    commit-time conflicts): it has no PostgreSQL run to skip."""
    items[:] = [i for i in items if not (i.get_closest_marker("duckdb_file")
                                         and getattr(i, "callspec", None)
                                         and i.callspec.params.get("con") == "postgres")]
