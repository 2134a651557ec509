"""The one family of errors a user can act on: the CLI prints them as one line, pages as a message."""

from __future__ import annotations


class PMOStepError(ValueError):
    """Something asked for cannot be done; the message says what, and where (row, column or field)."""
