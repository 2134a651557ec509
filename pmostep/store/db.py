"""Opening the database (a DuckDB file, or PostgreSQL in server mode) and bringing its schema up to date.

One connection per process: a DuckDB connection (DuckDB allows a single writing process), or a pool of
PostgreSQL connections (`store/postgres.py`); callers take a cursor per call so threads never share a
result. Migrations are numbered SQL files applied in order, each in its own transaction, and recorded
in `schema_migrations`, the same on both backends; the few types DuckDB and PostgreSQL spell apart are
translated here (`_POSTGRES_TYPES`), the one dialect switch of the migrations.

While one process has the file open, DuckDB lets no other process open it, not even to read:
`connect` then raises DatabaseInUse naming that process, and `snapshot` reads a copy instead.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from pmostep.core.errors import PMOStepError
from pmostep.store import postgres

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_DB = PROJECT_DIR / "data" / "pmostep.duckdb"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
ENV_VAR = "PMOSTEP_DB"


def resolve_path(explicit: str | os.PathLike | None = None, secret: str | None = None) -> Path | str:
    """Where the database is: --db, else $PMOSTEP_DB, else a Streamlit secret (app only), else data/.
    A postgresql:// URL (libpq fills what it leaves out from the PG* variables) is kept as text."""
    for candidate in (explicit, os.environ.get(ENV_VAR), secret):
        if candidate:
            return str(candidate) if postgres.is_url(str(candidate)) else Path(candidate).expanduser()
    return DEFAULT_DB


def dialect(con) -> str:
    """'duckdb' or 'postgres': what a connection or cursor speaks, for a store module's one switch."""
    return getattr(con, "dialect", "duckdb")


def describe(target: Path | str) -> str:
    """The store named for people: the file's path, or the PostgreSQL URL without its password."""
    return postgres.redact(target) if postgres.is_url(str(target)) else str(target)


# Errors of either backend, for the places that turn them into a message.
ERRORS: tuple[type[Exception], ...] = (duckdb.Error, *postgres.ERRORS)
# Two writers met (DuckDB's write-write conflict, PostgreSQL's serialization failure): press again.
CONFLICTS: tuple[type[Exception], ...] = (duckdb.TransactionException, *postgres.CONFLICTS)
# The server went away; the pool reconnects on the next cursor.
LOST: tuple[type[Exception], ...] = postgres.LOST


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
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
        ).fetchone()[0]
        if not exists:
            return 0
        return cur.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]
    finally:
        cur.close()


_POSTGRES_TYPES = ((re.compile(r"\bTINYINT\b"), "SMALLINT"),
                   (re.compile(r"\bDOUBLE\b(?! PRECISION)"), "DOUBLE PRECISION"))


def _dialect_sql(sql: str, to: str) -> str:
    """A migration as the backend spells it: DuckDB's text as it is, PostgreSQL's with its type names."""
    if to == "postgres":
        for pattern, name in _POSTGRES_TYPES:
            sql = pattern.sub(name, sql)
    return sql


# Two app replicas starting at once on one PostgreSQL database migrate one after the other.
_MIGRATION_LOCK = 7_264_001


def migrate(con: duckdb.DuckDBPyConnection, target: int | None = None) -> list[int]:
    """Apply the missing migrations up to `target` (all by default); return the versions applied."""
    cur = con.cursor()
    applied = []
    try:
        if dialect(cur) == "postgres":
            cur.execute("SELECT pg_advisory_lock(?)", [_MIGRATION_LOCK])
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
                cur.execute(_dialect_sql(sql, dialect(cur)))
                cur.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name])
                cur.execute("COMMIT")
            except Exception:
                cur.execute("ROLLBACK")
                raise
            applied.append(version)
    finally:
        if dialect(cur) == "postgres":
            cur.execute("SELECT pg_advisory_unlock(?)", [_MIGRATION_LOCK])
        cur.close()
    return applied


# DuckDB's message when another process holds the file: "... Conflicting lock is held in PROGRAM (PID N)".
_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")
SNAPSHOT_TRIES = 10


class DatabaseInUse(duckdb.IOException):
    """Another process has the database file open, so this one cannot open it at all."""

    def __init__(self, path: Path, pid: int, program: str) -> None:
        self.path, self.pid, self.program = path, pid, program
        super().__init__(f"database {path} is in use by another process: PID {pid} ({program})")


def _command_line(pid: int, program: str) -> str:
    """The holder's command line where the system shows it (Linux), else the program DuckDB names."""
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return program
    line = " ".join(a.decode(errors="replace") for a in args if a)
    return line if len(line) <= 120 else line[:117] + "..."


class StoreUnreachable(PMOStepError):
    """The PostgreSQL server cannot be reached (or refuses the connection)."""


def connect(path: str | os.PathLike, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating folders as needed) and migrate the database file, or the PostgreSQL database a
    postgresql:// URL names (read_only has no meaning there: its readers never block its writers)."""
    if postgres.is_url(str(path)):
        try:
            database = postgres.Database(str(path))
        except (postgres.ERRORS + (postgres.PoolTimeout,)) as exc:
            raise StoreUnreachable(f"cannot reach the PostgreSQL database {postgres.redact(str(path))}: "
                                   f"{postgres.reason(exc)}") from exc
        migrate(database)
        return database
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        holder = _LOCK_HOLDER.search(str(exc))
        if holder is None:
            raise
        pid = int(holder["pid"])
        raise DatabaseInUse(path, pid, _command_line(pid, holder["program"])) from exc
    if not read_only:
        migrate(con)
    return con


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_size, stat.st_mtime_ns


@contextmanager
def snapshot(path: str | os.PathLike) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to a copy of the file and its write-ahead log, deleted afterwards.

    For reading while another process holds the file. DuckDB replays the copied log, so the copy has
    every transaction committed before it was taken; one committed while the log was being copied is
    cut off, which DuckDB handles as it would after a crash. A checkpoint rewrites the file itself, so
    the copy is taken again when the file changed meanwhile.
    """
    path = Path(path)
    wal = path.with_name(path.name + ".wal")
    with tempfile.TemporaryDirectory(prefix="pmostep-snapshot-") as folder:
        copy = Path(folder) / path.name
        copy_wal = copy.with_name(copy.name + ".wal")
        for attempt in range(SNAPSHOT_TRIES):
            time.sleep(0.02 * attempt)
            before, log_before = _stamp(path), _stamp(wal)
            copy_wal.unlink(missing_ok=True)
            try:
                shutil.copyfile(path, copy)
                if log_before is not None:
                    shutil.copyfile(wal, copy_wal)
            except FileNotFoundError:            # the log went away (a checkpoint) while copying
                continue
            log_after = _stamp(wal)
            if _stamp(path) == before and (log_before is None or (log_after or (0, 0))[0] >= log_before[0]):
                break
        else:
            raise duckdb.IOException(f"database {path} kept changing while it was copied for reading: "
                                     "try again")
        con = duckdb.connect(str(copy), read_only=True)
        try:
            yield con
        finally:
            con.close()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor inside BEGIN ... COMMIT; any exception rolls everything back. A COMMIT that fails (a
    conflict found at commit) ends the transaction itself, so its error is raised as it is, not hidden
    behind a ROLLBACK's "no transaction is active"."""
    cur = con.cursor()
    cur.execute("BEGIN TRANSACTION")
    try:
        try:
            yield cur
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        cur.execute("COMMIT")
    finally:
        cur.close()


def read_only(cur) -> bool:
    """Whether the connection cannot write (a DuckDB copy opened for reading)."""
    if dialect(cur) == "postgres":
        return False
    return cur.execute("SELECT current_setting('access_mode')").fetchall()[0][0] == "read_only"


def serialise(cur, name: str, key: int = 0) -> None:
    """Let one transaction at a time past this point for (name, key), across every process using the
    database, until the transaction ends. PostgreSQL: a transaction-level advisory lock. DuckDB: one
    process has the file, and the caller holds the process lock that does the same."""
    if dialect(cur) == "postgres":
        cur.execute("SELECT pg_advisory_xact_lock(hashtext(?), ?)", [name, int(key)])


def insert_frame(cur, table: str, frame, columns: list[str]) -> None:
    """Insert a DataFrame's rows (its `columns`, named as the table's) on the caller's transaction:
    DuckDB reads the frame in place; PostgreSQL takes it in one COPY. `table` is a fixed name."""
    if len(frame) == 0:
        return
    if dialect(cur) == "postgres":
        cur.copy_in(table, columns, frame)
        return
    cur.register("insert_rows", frame)
    names = ", ".join(columns)
    try:
        cur.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM insert_rows")
    finally:
        cur.unregister("insert_rows")


@contextmanager
def cursor(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived cursor for reads, closed afterwards."""
    cur = con.cursor()
    try:
        yield cur
    finally:
        cur.close()
