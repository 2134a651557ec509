"""PostgreSQL as the system of record: a connection pool that the store modules use as they use a
DuckDB connection.

`Database.cursor()` takes a pooled connection (autocommit, so `db.transaction`'s BEGIN ... COMMIT is
the transaction) and gives it back on `close()`. A `Cursor` speaks the part of DuckDB's cursor API the
store modules use: `execute(sql, params)` with `?` or `$name` placeholders (rewritten to PostgreSQL's
`$1`, outside quotes and comments), `fetchone`, `fetchall` and `df()`, whose frame comes through the
same DuckDB conversion as in file mode, so callers see the same column types on both backends. JSON
columns come back as text and NUMERIC as int or float, as DuckDB gives them.

Bulk rows travel as CSV written by Arrow (`copy_in`, `copy_out`): no row-by-row Python at 100,000
respondents. A pooled connection is checked before it is handed out, so after the server restarts
the next cursor reconnects (`psycopg_pool.ConnectionPool.check_connection`).
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import duckdb
import numpy as np
import pandas as pd
import psycopg
import pyarrow as pa
import pyarrow.csv as pa_csv
from psycopg import sql as pg_sql
from psycopg.adapt import Loader
from psycopg.types.numeric import FloatDumper, Int8Dumper
from psycopg.types.string import TextLoader
from psycopg_pool import ConnectionPool, PoolTimeout

URL_PREFIXES = ("postgresql://", "postgres://")
POOL_SIZE = 10
LOCK_TIMEOUT = 5            # seconds a write waits for another's row lock before "press again"
CONNECT_TIMEOUT = 5          # seconds: an unreachable server is reported, not waited for

# PostgreSQL type oids -> the Arrow type DuckDB would have given (df() and copy_out read them).
_ARROW_TYPES = {16: pa.bool_(), 20: pa.int64(), 21: pa.int16(), 23: pa.int32(), 700: pa.float32(),
                701: pa.float64(), 1700: pa.float64(), 1082: pa.date32(), 1114: pa.timestamp("us"),
                1184: pa.timestamp("us", tz="UTC")}


class _NumericLoader(Loader):
    """NUMERIC (what PostgreSQL's sum() of integers returns) as int when whole, else float, as DuckDB."""

    def load(self, data) -> int | float:
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() else float(value)


def _configure(conn: psycopg.Connection) -> None:
    """Every pooled connection: autocommit (transactions are explicit), UTC, and DuckDB's Python types."""
    conn.autocommit = True
    for name in ("json", "jsonb"):
        conn.adapters.register_loader(name, TextLoader)
    conn.adapters.register_loader("numeric", _NumericLoader)
    for kind in (np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32):
        conn.adapters.register_dumper(kind, _NumpyIntDumper)
    for kind in (np.float32, np.float64):
        conn.adapters.register_dumper(kind, _NumpyFloatDumper)
    conn.adapters.register_dumper(np.bool_, _NumpyBoolDumper)
    conn.execute("SET TIME ZONE 'UTC'")
    conn.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}s'")      # a blocked writer hears so, never hangs


class _NumpyIntDumper(Int8Dumper):
    def dump(self, obj):
        return super().dump(int(obj))


class _NumpyFloatDumper(FloatDumper):
    def dump(self, obj):
        return super().dump(float(obj))


class _NumpyBoolDumper(psycopg.types.bool.BoolDumper):
    def dump(self, obj):
        return super().dump(bool(obj))


_TOKEN = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\?|\$[A-Za-z_]\w*|\$\d+""")


def placeholders(sql: str, params) -> tuple[str, list]:
    """DuckDB's `?` (positional) or `$name` (a dict) placeholders as PostgreSQL's `$1`, with the values
    in order; quoted text and comments are left alone."""
    if params is None:
        return sql, []
    values: list = []
    named: dict[str, int] = {}
    positional = iter(params) if not isinstance(params, dict) else None

    def swap(match: re.Match) -> str:
        token = match.group(0)
        if token == "?":
            values.append(next(positional))
            return f"${len(values)}"
        if token.startswith("$") and not token[1:].isdigit():
            name = token[1:]
            if name not in named:
                values.append(params[name])
                named[name] = len(values)
            return f"${named[name]}"
        if token.startswith("$"):
            values.append(params[int(token[1:]) - 1])
            return f"${len(values)}"
        return token

    return _TOKEN.sub(swap, sql), values


class Cursor:
    """One pooled connection, used as a DuckDB cursor is; `close()` gives it back to the pool."""

    dialect = "postgres"

    def __init__(self, database: Database) -> None:
        self.database = database
        self._conn = database.pool.getconn()
        self._cur = psycopg.RawCursor(self._conn)

    def execute(self, sql: str, params=None) -> Cursor:
        text, values = placeholders(sql, params)
        self._cur.execute(text, values or None)
        return self

    def executemany(self, sql: str, rows) -> Cursor:
        """Small batches only, as in DuckDB; big ones go through `copy_in`."""
        rows = list(rows)
        if rows:
            text = placeholders(sql, rows[0])[0]
            self._cur.executemany(text, [placeholders(sql, r)[1] for r in rows])
        return self

    def fetchone(self):
        return self._cur.fetchone()

    def fetchall(self) -> list[tuple]:
        return self._cur.fetchall()

    def df(self) -> pd.DataFrame:
        """The result as DuckDB's `df()` gives it."""
        return _frame(self._cur.description, self._cur.fetchall())

    def copy_in(self, table: str, columns: list[str], frame: pd.DataFrame) -> None:
        """Rows of `frame` (its columns named as `columns`) into `table`, in one COPY."""
        if frame.empty:
            return
        buffer = io.BytesIO()
        pa_csv.write_csv(pa.Table.from_pandas(frame[columns], preserve_index=False), buffer,
                         pa_csv.WriteOptions(include_header=False, quoting_style="needed"))
        names = ", ".join(columns)
        with self._cur.copy(f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv)") as copy:
            copy.write(buffer.getvalue())

    def copy_out(self, query: str, params, schema: pa.Schema) -> pa.Table:
        """A query's rows as an Arrow table of `schema`, read as CSV in one COPY (empty text and NULL
        kept apart by quoting)."""
        text, values = placeholders(query, params)
        for number in range(len(values), 0, -1):          # COPY takes no parameters: quoted literals
            text = text.replace(f"${number}", pg_sql.Literal(values[number - 1]).as_string(self._conn))
        buffer = io.BytesIO()
        with self._cur.copy(f"COPY ({text}) TO STDOUT WITH (FORMAT csv, FORCE_QUOTE *)") as copy:
            for chunk in copy:
                buffer.write(chunk)
        if not buffer.getbuffer().nbytes:
            return schema.empty_table()
        buffer.seek(0)
        return pa_csv.read_csv(
            buffer, pa_csv.ReadOptions(column_names=schema.names),
            convert_options=pa_csv.ConvertOptions(column_types=schema, strings_can_be_null=False,
                                                  quoted_strings_can_be_null=False,
                                                  null_values=[""], true_values=["t"],
                                                  false_values=["f"]))

    def __enter__(self) -> Cursor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._conn is None:
            return
        conn, self._conn = self._conn, None
        try:
            self._cur.close()
            if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                conn.rollback()          # a cursor left inside a transaction never returns it open
        except psycopg.Error:
            pass
        finally:
            self.database.pool.putconn(conn)


@contextmanager
def _one(database: Database) -> Iterator[Cursor]:
    """A cursor for one statement outside any transaction (DuckDB's `con.execute` on the connection)."""
    cur = database.cursor()
    try:
        yield cur
    finally:
        cur.close()


class Result:
    """The rows of `Database.execute`, read already."""

    def __init__(self, rows: list[tuple], description) -> None:
        self._rows, self._description = rows, description

    def fetchone(self):
        return self._rows.pop(0) if self._rows else None

    def fetchall(self) -> list[tuple]:
        rows, self._rows = self._rows, []
        return rows

    def df(self) -> pd.DataFrame:
        return _frame(self._description, self.fetchall())


def _frame(description, rows: list[tuple]) -> pd.DataFrame:
    """Rows as DuckDB's `df()` gives them: the same column types, through DuckDB's own conversion."""
    names = [c.name for c in description or []]
    oids = [c.type_code for c in description or []]
    columns = [pa.array([r[i] for r in rows], type=_ARROW_TYPES.get(oid, pa.string()))
               for i, oid in enumerate(oids)]
    return _to_pandas(pa.Table.from_arrays(columns, names=names) if names else pa.table({}))


_convert = threading.local()


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    """An Arrow table as DuckDB's df() makes it (one in-memory DuckDB per thread does the converting)."""
    if not hasattr(_convert, "con"):
        _convert.con = duckdb.connect()
    return _convert.con.from_arrow(table).df()


class Database:
    """A PostgreSQL database reached through a pool; the app's `con` in server mode."""

    dialect = "postgres"

    def __init__(self, url: str, size: int = POOL_SIZE) -> None:
        self.url = url
        self.pool = ConnectionPool(url, min_size=1, max_size=size, open=False, configure=_configure,
                                   check=ConnectionPool.check_connection,
                                   kwargs={"connect_timeout": CONNECT_TIMEOUT}, timeout=CONNECT_TIMEOUT * 2)
        try:
            self.pool.open(wait=True, timeout=CONNECT_TIMEOUT * 2)
        except BaseException:
            self.pool.close()
            raise

    def cursor(self) -> Cursor:
        return Cursor(self)

    def execute(self, sql: str, params=None) -> Result:
        """One statement on a cursor of its own, its rows read at once (DuckDB's `con.execute`)."""
        cur = self.cursor()
        try:
            cur.execute(sql, params)
            if cur._cur.description is None:
                return Result([], None)
            return Result(cur.fetchall(), cur._cur.description)
        finally:
            cur.close()

    def executemany(self, sql: str, rows) -> None:
        with _one(self) as cur:
            cur.executemany(sql, rows)

    def copy_in(self, table: str, columns: list[str], frame: pd.DataFrame) -> None:
        with _one(self) as cur:
            cur.copy_in(table, columns, frame)

    def close(self) -> None:
        self.pool.close()

    def __repr__(self) -> str:
        return f"Database({redact(self.url)!r})"


def redact(url: str) -> str:
    """The URL without its password, for messages and the health check."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def reason(exc: Exception) -> str:
    """libpq's own words, on one line (the pool's timeout hides them: the server did not answer)."""
    if isinstance(exc, PoolTimeout):
        return f"no connection within {CONNECT_TIMEOUT * 2} s (is the server running, and the address right?)"
    return " ".join(str(exc).split()) or type(exc).__name__


def is_url(target: str | None) -> bool:
    return bool(target) and str(target).startswith(URL_PREFIXES)


ERRORS: tuple[type[Exception], ...] = (psycopg.Error,)
LOST: tuple[type[Exception], ...] = (psycopg.OperationalError,)
CONFLICTS: tuple[type[Exception], ...] = (psycopg.errors.SerializationFailure,
                                          psycopg.errors.DeadlockDetected,
                                          psycopg.errors.LockNotAvailable)
