"""How much an upload may hold, so that a hostile file is refused before it is read.

Each limit is a setting (a command-line option or the app's secrets), else an environment variable,
else its default. The unpacked size defaults to 8x the upload limit: survey workbooks compress 5-30x,
so 8x leaves room for any export that fits the upload limit while a zip bomb is stopped early.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from pmostep.initiation.imports.errors import ImportFileError

MB = 1024 * 1024                        # MB in messages and settings are these (MiB)
DEFAULT_MAX_BYTES = 50 * MB
MAX_SIZE_ENV = "PMOSTEP_MAX_UPLOAD_MB"
MAX_UNPACKED_ENV = "PMOSTEP_MAX_UNPACKED_MB"
MAX_COLUMNS_ENV = "PMOSTEP_MAX_COLUMNS"
MAX_CELLS_ENV = "PMOSTEP_MAX_CELLS"
UNPACKED_PER_UPLOAD = 8
DEFAULT_MAX_COLUMNS = 2_000
DEFAULT_MAX_CELLS = 20_000_000          # 100,000 respondents x 129 columns is 12.9 million
MAX_CELL_CHARS = 32_767                 # what an Excel cell can hold; no export has longer cells


@dataclass(frozen=True)
class Limits:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_unpacked_bytes: int = UNPACKED_PER_UPLOAD * DEFAULT_MAX_BYTES
    max_columns: int = DEFAULT_MAX_COLUMNS
    max_cells: int = DEFAULT_MAX_CELLS

    @classmethod
    def for_upload(cls, max_bytes: int) -> Limits:
        """The default limits for an upload limit of `max_bytes`."""
        return cls(max_bytes, UNPACKED_PER_UPLOAD * max_bytes)


HOW_TO_CHANGE = {
    "max_bytes": "--max-size-mb, PMOSTEP_MAX_UPLOAD_MB or max_upload_mb in the app's secrets",
    "max_unpacked_bytes": ("--max-unpacked-mb, PMOSTEP_MAX_UNPACKED_MB or max_unpacked_mb in the app's "
                           "secrets"),
    "max_columns": "--max-columns, PMOSTEP_MAX_COLUMNS or max_columns in the app's secrets",
    "max_cells": "--max-cells, PMOSTEP_MAX_CELLS or max_cells in the app's secrets",
}


def _setting(setting, env: str, what: str, whole: bool) -> float | None:
    value = setting if setting not in (None, "") else os.environ.get(env)
    if value in (None, ""):
        return None
    try:
        number = int(value) if whole else float(value)
    except ValueError as exc:
        unit = "a whole number" if whole else "a number of megabytes"
        raise ImportFileError(f"the {what} {value!r} must be {unit}") from exc
    if number <= 0:
        raise ImportFileError(f"the {what} {value!r} must be more than 0")
    return number


def max_bytes(setting: str | float | None = None) -> int:
    """The upload limit: a setting (e.g. from Streamlit secrets), else $PMOSTEP_MAX_UPLOAD_MB, else 50 MB."""
    megabytes = _setting(setting, MAX_SIZE_ENV, "upload limit", whole=False)
    return DEFAULT_MAX_BYTES if megabytes is None else int(megabytes * MB)


def limits(size_mb=None, unpacked_mb=None, columns=None, cells=None) -> Limits:
    """All limits from settings (None: the environment variable, else the default)."""
    upload = max_bytes(size_mb)
    unpacked = _setting(unpacked_mb, MAX_UNPACKED_ENV, "unpacked size limit", whole=False)
    width = _setting(columns, MAX_COLUMNS_ENV, "column limit", whole=True)
    total = _setting(cells, MAX_CELLS_ENV, "cell limit", whole=True)
    return Limits(upload, UNPACKED_PER_UPLOAD * upload if unpacked is None else int(unpacked * MB),
                  DEFAULT_MAX_COLUMNS if width is None else width,
                  DEFAULT_MAX_CELLS if total is None else total)


def too_big(what: str, found: str, limit: str, setting: str) -> ImportFileError:
    """A refusal that says the limit and how to change it."""
    return ImportFileError(f"{what} {found}; the limit is {limit} (to change it: {HOW_TO_CHANGE[setting]}). "
                           "The file was not read.")
