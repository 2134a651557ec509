"""Opening the DuckDB file and bringing its schema up to date.

One connection per process (DuckDB allows a single writing process); callers take a cursor per call
so threads never share a result. Migrations are numbered SQL files applied in order, each in its own
transaction, and recorded in `schema_migrations`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parents[1]
DEFAULT_DB = PROJECT_DIR / "data" / "pmostep.duckdb"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
ENV_VAR = "PMOSTEP_DB"


def resolve_path(explicit: str | os.PathLike | None = None, secret: str | None = None) -> Path:
    """Where the database is: --db, else $PMOSTEP_DB, else a Streamlit secret (app only), else data/."""
    for candidate in (explicit, os.environ.get(ENV_VAR), secret):
        if candidate:
            return Path(candidate).expanduser()
    return DEFAULT_DB


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every migration file, in order."""
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = re.match(r"^(\d{4})_(.+)\.sql$", path.name)
        if match:
            found.append((int(match.group(1)), match.group(2), path.read_text(encoding="utf-8")))
    return found


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    cur = con.cursor()
    try:
        exists = cur.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'schema_migrations'"
        ).fetchone()[0]
        if not exists:
            return 0
        return cur.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]
    finally:
        cur.close()


def migrate(con: duckdb.DuckDBPyConnection, target: int | None = None) -> list[int]:
    """Apply the missing migrations up to `target` (all by default); return the versions applied."""
    cur = con.cursor()
    applied = []
    try:
        cur.execute(
            """CREATE TABLE IF NOT EXISTS schema_migrations (
                   version INTEGER PRIMARY KEY,
                   name VARCHAR NOT NULL,
                   applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"""
        )
        current = schema_version(con)
        for version, name, sql in migrations():
            if version <= current or (target is not None and version > target):
                continue
            cur.execute("BEGIN TRANSACTION")
            try:
                cur.execute(sql)
                cur.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name])
                cur.execute("COMMIT")
            except Exception:
                cur.execute("ROLLBACK")
                raise
            applied.append(version)
    finally:
        cur.close()
    return applied


def connect(path: str | os.PathLike, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating folders as needed) and migrate the database file."""
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    if not read_only:
        migrate(con)
    return con


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor inside BEGIN ... COMMIT; any exception rolls everything back."""
    cur = con.cursor()
    cur.execute("BEGIN TRANSACTION")
    try:
        yield cur
        cur.execute("COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise
    finally:
        cur.close()


@contextmanager
def cursor(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived cursor for reads, closed afterwards."""
    cur = con.cursor()
    try:
        yield cur
    finally:
        cur.close()
