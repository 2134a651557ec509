"""From a workshop's votes to what planning uses: the workshop priority of the entries the room gave dots
or points (docs/recommendations.md, "Workshop priority"), and where the room put them on the 2x2.

Pure: the rounds come in with their results (activities.results); only a revealed round that showed
its figures counts (a round below the minimum group size shows none), and of an activity only its
latest such round. When several activities voted on an entry, the later one counts: rounds come in
the order they happened (workshop, then the activity's place on the agenda).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pmostep.planning.recommend import WorkshopPriority
from pmostep.workshop.activities import Activity, RoundResult

UNITS = {"dots": "dots", "points": "points"}     # the kinds that give a priority, and what they count


@dataclass(frozen=True)
class Placement:
    """Where the room put an entry on the 2x2: mean value and effort (1-5), `n` who placed it."""

    quadrant: str            # as activities.QUADRANTS names it: 'quick win', 'major project', ...
    value: float
    effort: float
    n: int
    round: int
    activity: str

    def words(self) -> str:
        """"Quick win: value 4.1, effort 2.0, n 23"."""
        return f"{self.quadrant.capitalize()}: value {self.value:.1f}, effort {self.effort:.1f}, n {self.n}"


def _latest(rounds: Iterable[tuple[Activity, RoundResult]], kinds: Iterable[str]
            ) -> list[tuple[Activity, RoundResult]]:
    """Each entry activity of these kinds with its latest revealed round that shows figures, in order."""
    wanted = set(kinds)
    latest: dict[int, tuple[Activity, RoundResult]] = {}
    for activity, result in rounds:
        d = activity.draft
        if d.kind not in wanted or d.item_kind != "entry" or not result.revealed or result.results is None:
            continue
        if activity.id not in latest or result.number > latest[activity.id][1].number:
            latest[activity.id] = (activity, result)
    return list(latest.values())


def priorities(rounds: Iterable[tuple[Activity, RoundResult]]) -> dict[str, WorkshopPriority]:
    """Entry id -> its workshop priority, from the dots and points rounds in the order they happened."""
    out: dict[str, WorkshopPriority] = {}
    for activity, result in _latest(rounds, UNITS):
        unit = UNITS[activity.draft.kind]
        votes = {i["id"]: int(i[unit]) for i in result.results["items"]}      # whole dots or points
        total = sum(votes.values())
        if total <= 0:
            continue
        top = max(votes.values()) / total
        for item, given in votes.items():
            out[item] = WorkshopPriority(given / total, top, given, total, unit, result.number,
                                         activity.draft.title)
    return out


def placements(rounds: Iterable[tuple[Activity, RoundResult]], min_size: int) -> dict[str, Placement]:
    """Entry id -> where the room put it on the 2x2 (the latest revealed matrix round), for entries at
    least `min_size` people placed: fewer would let someone work out a colleague's placement."""
    out: dict[str, Placement] = {}
    for activity, result in _latest(rounds, {"matrix"}):
        for i in result.results["items"]:
            if i["value"] is not None and i["effort"] is not None and i["n"] >= min_size:
                out[i["id"]] = Placement(i["quadrant"], float(i["value"]), float(i["effort"]), int(i["n"]),
                                         result.number, activity.draft.title)
    return out

