"""The app's single DuckDB connection and the cached queries the pages call.

The connection is a process-wide resource (DuckDB allows one writing process); every loader takes a
cursor inside `pmostep`. Score loaders are keyed by a data stamp, so a new response refreshes every
dashboard on its next rerun.
"""

from __future__ import annotations

import argparse
import os
import sys

import duckdb
import streamlit as st

from pmostep import assessments, db, demo, questionnaire, questionnaire_store, responses, scoring
from pmostep.assessments import Assessment
from pmostep.questionnaire import Questionnaire


def _db_argument() -> str | None:
    """`streamlit run app.py -- --db PATH` passes --db to the script, as the CLI takes it."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--db")
    return parser.parse_known_args(sys.argv[1:])[0].db


def db_path() -> str:
    """--db, else $PMOSTEP_DB, else `db_path` in Streamlit secrets, else data/pmostep.duckdb."""
    try:
        secret = st.secrets.get("db_path")
    except FileNotFoundError:   # no secrets.toml at all
        secret = None
    return str(db.resolve_path(_db_argument(), secret))


@st.cache_resource(show_spinner="Opening the database...")
def connection(path: str) -> duckdb.DuckDBPyConnection:
    """Open and migrate the database; a new file gets the demo assessment so charts show at once."""
    is_new = not os.path.exists(path)
    con = db.connect(path)
    q = questionnaire.load()
    questionnaire_store.register(con, q)
    if is_new:
        demo.load(con, q)
    return con


def con() -> duckdb.DuckDBPyConnection:
    return connection(db_path())


def assessment_list() -> list[dict]:
    return assessments.list_all(con(), include_archived=False)


def assessment(slug: str) -> Assessment:
    return assessments.get(con(), slug)


@st.cache_data(show_spinner=False, max_entries=64)
def _questionnaire(path: str, qid: str, version: int) -> Questionnaire:
    return questionnaire_store.get(connection(path), qid, version)


def questionnaire_of(a: Assessment) -> Questionnaire:
    return _questionnaire(db_path(), a.questionnaire_id, a.questionnaire_version)


@st.cache_data(show_spinner="Computing scores...", max_entries=128, ttl=3600)
def _scores(path: str, slug: str, by: str | None, stamp: tuple) -> scoring.ScoreReport:
    a = assessments.get(connection(path), slug)
    return scoring.score(connection(path), a, _questionnaire(path, a.questionnaire_id,
                                                             a.questionnaire_version), by=by)


def scores(a: Assessment, by: str | None = None) -> scoring.ScoreReport:
    """Scores, recomputed only when the assessment's responses change."""
    return _scores(db_path(), a.slug, by, responses.data_stamp(con(), a.id))


def response_counts(a: Assessment) -> dict[str, int]:
    return responses.count(con(), a.id)
