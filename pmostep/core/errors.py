"""The one family of errors a user can act on: the CLI prints them as one line, pages as a message."""

from __future__ import annotations

from collections.abc import Sequence

MAX_PROBLEMS = 50         # problems listed by one error: a hostile file may have a million
MAX_PROBLEM_CHARS = 1_000  # characters of one problem: it may quote a value a megabyte long


class PMOStepError(ValueError):
    """Something asked for cannot be done; the message says what, and where (row, column or field)."""


def listed(problems: Sequence[str]) -> list[str]:
    """The problems a person is shown: the first MAX_PROBLEMS, each cut to MAX_PROBLEM_CHARS, and then
    how many more there are, so that a message stays readable (and small) whatever the file held."""
    shown = [p if len(p) <= MAX_PROBLEM_CHARS else p[:MAX_PROBLEM_CHARS - 3] + "..."
             for p in problems[:MAX_PROBLEMS]]
    more = len(problems) - len(shown)
    return shown + ([f"and {more:,} more problem{'s' if more > 1 else ''}"] if more else [])
