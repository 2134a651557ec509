"""The import_batches table: one row per imported file, so imports can be listed and undone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from pmostep.initiation.imports.platforms import PLATFORM_NAMES
from pmostep.store.db import cursor


@dataclass(frozen=True)
class ImportBatch:
    id: int
    assessment_id: int
    file_name: str
    file_sha256: str
    platform: str
    rows_read: int
    respondents_added: int
    duplicates: int
    skipped: int
    imported_at: datetime
    undone_at: datetime | None

    @property
    def platform_name(self) -> str:
        return PLATFORM_NAMES.get(self.platform, self.platform)

    def to_dict(self) -> dict:
        return {"id": self.id, "file_name": self.file_name, "sha256": self.file_sha256,
                "platform": self.platform, "rows_read": self.rows_read,
                "respondents_added": self.respondents_added, "duplicates": self.duplicates,
                "skipped": self.skipped, "imported_at": self.imported_at.isoformat(timespec="seconds"),
                "undone_at": self.undone_at.isoformat(timespec="seconds") if self.undone_at else None}


_COLUMNS = ("id, assessment_id, file_name, file_sha256, platform, rows_read, respondents_added, duplicates, "
            "skipped, imported_at, undone_at")


def record(cur: duckdb.DuckDBPyConnection, assessment_id: int, file_name: str, sha256: str, platform: str,
           rows_read: int, added: int, duplicates: int, skipped: int) -> int:
    """Insert a batch row inside the caller's transaction; return its id."""
    return cur.execute(
        """INSERT INTO import_batches (assessment_id, file_name, file_sha256, platform, rows_read,
                                       respondents_added, duplicates, skipped)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
        [assessment_id, file_name, sha256, platform, rows_read, added, duplicates, skipped],
    ).fetchone()[0]


def find_by_hash(con: duckdb.DuckDBPyConnection, assessment_id: int, sha256: str) -> ImportBatch | None:
    """The live (not undone) import of this exact file into this assessment, if any."""
    with cursor(con) as cur:
        row = cur.execute(
            f"SELECT {_COLUMNS} FROM import_batches WHERE assessment_id = ? AND file_sha256 = ? "
            "AND undone_at IS NULL ORDER BY id LIMIT 1", [assessment_id, sha256]).fetchone()
    return ImportBatch(*row) if row else None


def get(con: duckdb.DuckDBPyConnection, batch_id: int) -> ImportBatch | None:
    with cursor(con) as cur:
        return fetch(cur, batch_id)


def fetch(cur: duckdb.DuckDBPyConnection, batch_id: int) -> ImportBatch | None:
    """The import as a cursor sees it (inside the transaction that undoes it)."""
    row = cur.execute(f"SELECT {_COLUMNS} FROM import_batches WHERE id = ?", [batch_id]).fetchone()
    return ImportBatch(*row) if row else None


def list_for(con: duckdb.DuckDBPyConnection, assessment_id: int) -> list[ImportBatch]:
    with cursor(con) as cur:
        rows = cur.execute(f"SELECT {_COLUMNS} FROM import_batches WHERE assessment_id = ? ORDER BY id DESC",
                           [assessment_id]).fetchall()
    return [ImportBatch(*r) for r in rows]


def mark_undone(cur: duckdb.DuckDBPyConnection, batch_id: int) -> None:
    cur.execute("UPDATE import_batches SET undone_at = current_timestamp WHERE id = ?", [batch_id])


def delete_for_assessment(cur: duckdb.DuckDBPyConnection, assessment_id: int) -> None:
    cur.execute("DELETE FROM import_batches WHERE assessment_id = ?", [assessment_id])
