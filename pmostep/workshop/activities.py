"""The kinds of workshop activity, the check of a phone's answer, and a round's results (docs/workshop.md).

Pure: data in, data out. The store keeps the answers; services run the writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pmostep.core.errors import PMOStepError

KINDS = ("recap", "rating", "ranking", "points", "dots", "matrix", "text")
ITEMS = {"dimension", "statement", "entry"}      # what an activity's items are (ids of these)
MAX_TEXT = 280


class WorkshopError(PMOStepError):
    """A workshop action or a phone's answer that cannot be taken; the message names the field."""


@dataclass(frozen=True)
class ActivityDraft:
    """An activity before it is stored: what the agenda suggests and the facilitator edits.

    settings: `total` (points, default 100), `dots` (default 3) and `cap` (default 2) for dots.
    item_kind: 'dimension', 'statement', 'entry' or None (recap, text).
    """

    kind: str
    title: str
    items: tuple[str, ...] = ()
    item_kind: str | None = None
    settings: dict[str, int] = field(default_factory=dict)
    notes: str = ""              # the facilitator's notes: shown on the console only
    why: str = ""                # why the agenda suggests it, in words with figures


@dataclass(frozen=True)
class Activity:
    """A stored activity with its state: `round` is the current round (0: never opened); `state` is
    'draft' (never opened), 'open' or 'locked'; `revealed` says whether the current round's results
    are shown; `closes_at` is the countdown's end while one runs."""

    id: int
    workshop_id: int
    position: int
    draft: ActivityDraft
    round: int
    state: str
    revealed: bool
    closes_at: datetime | None


@dataclass
class RoundResult:
    """One round of one activity: `n` participants answered; `shown` is False below the minimum group
    size (then `results` is None); `by_group` holds the groups that may be shown, `suppressed` the
    groups left out (named, never their figures)."""

    number: int
    n: int
    shown: bool
    results: dict[str, Any] | None
    by_group: dict[str, dict[str, Any]] = field(default_factory=dict)
    suppressed: list[str] = field(default_factory=list)
    revealed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "n": self.n, "results": self.results, "by_group": self.by_group,
                "suppressed": self.suppressed}
