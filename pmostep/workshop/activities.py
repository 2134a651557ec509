"""The kinds of workshop activity, the check of a phone's answer, and a round's results (docs/workshop.md).

Pure: data in, data out. The store keeps the answers; services run the writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from pmostep.core.errors import PMOStepError

KINDS = ("recap", "rating", "ranking", "points", "dots", "matrix", "text")
ITEMS = {"dimension", "statement", "entry"}      # what an activity's items are (ids of these)
MAX_TEXT = 280
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")   # C0, DEL, bidi overrides


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
    labels: dict[str, str] = field(default_factory=dict)     # item id -> its name, as the room reads it


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
    needed: int = 0              # the minimum group size: how many answers the figures need

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "n": self.n, "shown": self.shown, "needed": self.needed,
                "revealed": self.revealed, "results": self.results, "by_group": self.by_group,
                "suppressed": self.suppressed}


# --- checks -------------------------------------------------------------------------------------------

SCALE = (1, 5)                                   # ratings and 2x2 placements: 1-5
ITEM_COUNTS = {"rating": (1, 1), "ranking": (2, 10), "points": (2, 10), "dots": (2, 15), "matrix": (2, 10)}
SETTINGS = {"points": {"total": (100, 10, 1000)}, "dots": {"dots": (3, 1, 20), "cap": (2, 1, 20)}}
MAX_TITLE, MAX_NOTES = 200, 2000


def setting(draft: ActivityDraft, name: str) -> int:
    """A setting of the activity, or its default (SETTINGS)."""
    return draft.settings.get(name, SETTINGS[draft.kind][name][0])


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_draft(draft: ActivityDraft) -> ActivityDraft:
    """The draft with its title trimmed, or WorkshopError naming the field: kind, title, items (count,
    repeats, item kind), settings (known names, whole numbers in range) and notes."""
    if draft.kind not in KINDS:
        raise WorkshopError(f"kind {draft.kind!r} must be one of: {', '.join(KINDS)}")
    title = draft.title.strip() if isinstance(draft.title, str) else ""
    if not title or len(title) > MAX_TITLE:
        raise WorkshopError(f"title must be 1-{MAX_TITLE} characters")
    items = tuple(draft.items)
    low, high = ITEM_COUNTS.get(draft.kind, (0, 0))
    if not low <= len(items) <= high:
        need = "no items" if not high else f"{low} item" if low == high else f"{low}-{high} items"
        raise WorkshopError(f"items: a {draft.kind} activity takes {need}, not {len(items)}")
    if any(not isinstance(i, str) or not i for i in items) or len(set(items)) != len(items):
        raise WorkshopError("items must be ids, each given once")
    kinds = {"dimension", "statement"} if draft.kind == "rating" else ITEMS if items else {None}
    if draft.item_kind not in kinds:
        raise WorkshopError(f"item_kind {draft.item_kind!r} must be one of: "
                            f"{', '.join(sorted(str(k) for k in kinds))}")
    allowed = SETTINGS.get(draft.kind, {})
    for name, value in draft.settings.items():
        if name not in allowed:
            raise WorkshopError(f"settings.{name}: a {draft.kind} activity has "
                                f"{', '.join(allowed) or 'no settings'}")
        _, least, most = allowed[name]
        if not _whole(value) or not least <= value <= most:
            raise WorkshopError(f"settings.{name} must be a whole number from {least} to {most}, "
                                f"not {value!r}")
    if draft.kind == "dots" and setting(draft, "cap") > setting(draft, "dots"):
        raise WorkshopError("settings.cap cannot be more than settings.dots")
    if not isinstance(draft.notes, str) or len(draft.notes) > MAX_NOTES:
        raise WorkshopError(f"notes must be text of at most {MAX_NOTES} characters")
    return replace(draft, title=title, items=items, settings=dict(draft.settings))


def _mapping(answer: object, key: str) -> dict:
    if not isinstance(answer, dict):
        raise WorkshopError(f"answer must be an object with '{key}'")
    unknown = sorted(set(answer) - {key} - ({"desired"} if key == "current" else set()))
    if unknown:
        raise WorkshopError(f"answer.{unknown[0]} is not part of this activity's answer")
    return answer


def _scale(value: object, name: str, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if not _whole(value) or not SCALE[0] <= value <= SCALE[1]:
        blank = " or null (don't know)" if optional else ""
        raise WorkshopError(f"{name} must be a whole number from {SCALE[0]} to {SCALE[1]}{blank}, "
                            f"not {value!r}")
    return value


def _per_item(activity: Activity, given: object, name: str) -> dict[str, object]:
    if not isinstance(given, dict):
        raise WorkshopError(f"answer.{name} must be an object of item ids")
    unknown = sorted(str(k) for k in given if k not in activity.draft.items)
    if unknown:
        raise WorkshopError(f"answer.{name}: {unknown[0]!r} is not an item of this activity")
    return given


def _counts(activity: Activity, given: object, name: str) -> dict[str, int]:
    given = _per_item(activity, given, name)
    for item, value in given.items():
        if not _whole(value) or value < 0:
            raise WorkshopError(f"answer.{name}.{item} must be a whole number, 0 or more, not {value!r}")
    return {i: int(given.get(i, 0)) for i in activity.draft.items}


def check_answer(activity: Activity, answer: object) -> dict:
    """A phone's answer to the activity, normalised (every item present where the kind counts all), or
    WorkshopError naming the field (docs/workshop.md, "Kinds of activity")."""
    kind, items = activity.draft.kind, activity.draft.items
    if kind == "recap":
        raise WorkshopError("answer: a recap takes no answer")
    if kind == "rating":
        given = _mapping(answer, "current")
        return {k: _scale(given.get(k), f"answer.{k}", optional=True) for k in ("current", "desired")}
    if kind == "text":
        text = _mapping(answer, "text").get("text")
        text = text.strip() if isinstance(text, str) else None
        if not text or len(text) > MAX_TEXT:
            raise WorkshopError(f"answer.text must be 1-{MAX_TEXT} characters")
        if CONTROL.search(text):
            raise WorkshopError("answer.text: control characters are not allowed (line breaks are)")
        return {"text": text}
    if kind == "ranking":
        order = _mapping(answer, "order").get("order")
        if (not isinstance(order, list) or not all(isinstance(i, str) for i in order)
                or sorted(order) != sorted(items)):
            raise WorkshopError(f"answer.order must list every item once ({len(items)} ids), best first")
        return {"order": list(order)}
    if kind == "points":
        points = _counts(activity, _mapping(answer, "points").get("points"), "points")
        total = setting(activity.draft, "total")
        if sum(points.values()) != total:
            raise WorkshopError(f"answer.points must add up to exactly {total}, not {sum(points.values())}")
        return {"points": points}
    if kind == "dots":
        dots = _counts(activity, _mapping(answer, "dots").get("dots"), "dots")
        most, cap = setting(activity.draft, "dots"), setting(activity.draft, "cap")
        if not 1 <= sum(dots.values()) <= most:
            raise WorkshopError(f"answer.dots: give 1 to {most} dots in all, not {sum(dots.values())}")
        over = [i for i, v in dots.items() if v > cap]
        if over:
            raise WorkshopError(f"answer.dots.{over[0]}: at most {cap} dots on one item")
        return {"dots": dots}
    place = _per_item(activity, _mapping(answer, "place").get("place"), "place")
    if not place:
        raise WorkshopError("answer.place: place at least one item")
    placed = {}
    for item in items:
        if item in place:
            spot = place[item]
            if not isinstance(spot, dict) or set(spot) != {"value", "effort"}:
                raise WorkshopError(f"answer.place.{item} must be an object with value and effort")
            placed[item] = {k: _scale(spot[k], f"answer.place.{item}.{k}") for k in ("value", "effort")}
    return {"place": placed}


# --- results ------------------------------------------------------------------------------------------

QUADRANTS = {(True, False): "quick win", (True, True): "major project", (False, False): "fill-in",
             (False, True): "thankless task"}
_STOP = """\
a about after all also an and any are as at be because been but by can could do
does for from had has have he her his how i if in into is it its just more most my no not of on one only
or our out she so some such than that the their them then there these they this to too up us very was we
were what when which who will with would you your"""
STOP_WORDS = frozenset(_STOP.split())
WORDS = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
TOP_WORDS = 30


def quadrant(value: float, effort: float) -> str:
    """The 2x2 quadrant of a mean placement (docs/workshop.md): value and effort split at 3."""
    return QUADRANTS[(value >= 3, effort >= 3)]


def _round(x: float | None, digits: int = 2) -> float | None:
    return None if x is None else round(float(x), digits)


def _spread(values: list[int], min_size: int) -> dict[str, Any]:
    """n, mean, median, IQR and the count per answer; the figures only from at least min_size answers."""
    out: dict[str, Any] = {"n": len(values), "mean": None, "median": None, "iqr": None, "counts": None}
    if len(values) >= min_size and values:
        q1, median, q3 = np.quantile(values, [0.25, 0.5, 0.75])     # linear, as scoring's quantile_cont
        out.update(mean=_round(np.mean(values)), median=_round(median), iqr=_round(q3 - q1),
                   counts={str(v): values.count(v) for v in range(SCALE[0], SCALE[1] + 1)})
    return out


def _rating(rows: list[dict], items: tuple[str, ...], min_size: int, survey: dict | None) -> dict[str, Any]:
    current = _spread([r["current"] for r in rows if r.get("current") is not None], min_size)
    desired = _spread([r["desired"] for r in rows if r.get("desired") is not None], min_size)
    gap = (_round(desired["mean"] - current["mean"]) if None not in (current["mean"], desired["mean"])
           else None)
    out: dict[str, Any] = {"current": current, "desired": desired, "gap": gap, "survey": survey,
                           "shift": None}
    if survey is not None:                   # the shift: the room minus the survey
        room = {"current": current["mean"], "desired": desired["mean"], "gap": gap}
        out["shift"] = {k: _round(room[k] - survey[k]) if None not in (room[k], survey.get(k)) else None
                        for k in room}
    return out


def _ranking(rows: list[dict], items: tuple[str, ...], min_size: int, survey: dict | None) -> dict[str, Any]:
    k = len(items)
    ranks = {i: [r["order"].index(i) + 1 for r in rows] for i in items}
    out = [{"id": i, "mean_rank": _round(np.mean(ranks[i])), "points": sum(k - rank for rank in ranks[i])}
           for i in items]
    return {"items": sorted(out, key=lambda e: (-e["points"], items.index(e["id"])))}


def _shares(rows: list[dict], items: tuple[str, ...], key: str) -> tuple[dict[str, int], int]:
    given = {i: sum(r[key].get(i, 0) for r in rows) for i in items}
    return given, sum(given.values())


def _points(rows: list[dict], items: tuple[str, ...], min_size: int, survey: dict | None) -> dict[str, Any]:
    given, total = _shares(rows, items, "points")
    out = [{"id": i, "points": given[i], "mean": _round(given[i] / len(rows)),
            "share": _round(given[i] / total if total else 0, 4)} for i in items]
    return {"total": total, "items": sorted(out, key=lambda e: (-e["points"], items.index(e["id"])))}


def _dots(rows: list[dict], items: tuple[str, ...], min_size: int, survey: dict | None) -> dict[str, Any]:
    given, total = _shares(rows, items, "dots")
    out = [{"id": i, "dots": given[i], "share": _round(given[i] / total if total else 0, 4),
            "voters": sum(1 for r in rows if r["dots"].get(i, 0) > 0)} for i in items]
    return {"total": total, "items": sorted(out, key=lambda e: (-e["dots"], items.index(e["id"])))}


def _matrix(rows: list[dict], items: tuple[str, ...], min_size: int, survey: dict | None) -> dict[str, Any]:
    out = []
    for i in items:
        spots = [r["place"][i] for r in rows if i in r["place"]]
        entry: dict[str, Any] = {"id": i, "n": len(spots), "value": None, "effort": None, "quadrant": None}
        if len(spots) >= min_size:        # an item placed by fewer than m shows its count only
            value, effort = (float(np.mean([s[k] for s in spots])) for k in ("value", "effort"))
            entry.update(value=_round(value), effort=_round(effort), quadrant=quadrant(value, effort))
        out.append(entry)
    return {"items": out}


MARKUP = re.compile(r"<[^<>]{0,200}>")


def words(texts: list[str], top: int = TOP_WORDS) -> list[tuple[str, int]]:
    """How many texts use each word, stop words and markup tags left out (a pasted `<script>` is not
    what the room said); most used first, then alphabetical."""
    counts: dict[str, int] = {}
    for text in texts:
        for word in set(WORDS.findall(MARKUP.sub(" ", text.lower()))):
            if word not in STOP_WORDS and len(word) > 1:
                counts[word] = counts.get(word, 0) + 1
    return sorted(counts.items(), key=lambda wc: (-wc[1], wc[0]))[:top]


RESULTS = {"rating": _rating, "ranking": _ranking, "points": _points, "dots": _dots, "matrix": _matrix}


def _approval(value: object) -> bool | None:
    """The moderation of a text: True, False, or None (waiting), whatever missing value a frame holds."""
    return None if value is None or pd.isna(value) else bool(value)


def _group(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def shown_groups(groups: list[str | None], min_size: int) -> tuple[list[str], list[str]]:
    """Which stakeholder groups a round may show, and which it leaves out (docs/workshop.md, "Anonymity",
    rule 2): groups of at least min_size; when those left out (small groups and no group) are more than
    none but fewer than min_size, the smallest shown group is left out too."""
    sizes: dict[str, int] = {}
    for g in groups:
        if g is not None:
            sizes[g] = sizes.get(g, 0) + 1
    shown = [g for g in sorted(sizes) if sizes[g] >= min_size]
    left = len(groups) - sum(sizes[g] for g in shown)
    if shown and 0 < left < min_size:
        shown.remove(min(shown, key=lambda g: (sizes[g], g)))
    return shown, sorted(set(sizes) - set(shown))


def results(activity: Activity, number: int, answers: pd.DataFrame, min_size: int,
            survey: dict | None = None) -> RoundResult:
    """One round's results from the latest answer of each participant (docs/workshop.md): shown only
    from min_size answers up, by group only for the groups shown_groups allows; texts only approved."""
    kind, items = activity.draft.kind, activity.draft.items
    rows = answers.to_dict("records") if len(answers) else []
    n = len(rows)
    shown = n >= max(min_size, 1) and kind != "recap"
    result = RoundResult(number, n, shown, None, needed=min_size)
    if not shown:
        return result
    answers_of = [r["answer"] for r in rows]
    if kind == "text":
        states = [_approval(r.get("approved")) for r in rows]
        approved = sorted((a["text"] for a, ok in zip(answers_of, states, strict=True) if ok is True),
                          key=lambda t: (t.casefold(), t))
        result.results = {"approved": approved, "words": words(approved),
                          "pending": states.count(None)}
        return result
    compute = RESULTS[kind]
    result.results = compute(answers_of, items, min_size, survey)
    groups = [_group(r.get("grp")) for r in rows]
    by_group, result.suppressed = shown_groups(groups, min_size)
    result.by_group = {g: compute([a for a, h in zip(answers_of, groups, strict=True) if h == g],
                                  items, min_size, None) for g in by_group}
    _complement_cells(kind, result.results, result.by_group, min_size)
    return result


def _cells(kind: str, block: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The figures of a result that rest on fewer people than answered the round, by key: a rating's
    current and desired sides (a "don't know" leaves one out), a 2x2's items (each placed by some)."""
    if kind == "rating":
        return {side: block[side] for side in ("current", "desired")}
    if kind == "matrix":
        return {e["id"]: e for e in block["items"]}
    return {}


def _blank(kind: str, block: dict[str, Any], key: str) -> None:
    cell = _cells(kind, block)[key]
    if kind == "rating":
        cell.update(mean=None, median=None, iqr=None, counts=None)
        block["gap"] = None
    else:
        cell.update(value=None, effort=None, quadrant=None)


def _complement_cells(kind: str, room: dict[str, Any], by_group: dict[str, dict[str, Any]],
                      min_size: int) -> None:
    """Rule 2 once more, figure by figure: when the people behind a room's figure, minus those behind the
    groups' shown figures of it, are more than none but fewer than min_size, the smallest shown group's
    figure is blanked too (else the room minus the groups would give the answers of a few)."""
    for key, cell in _cells(kind, room).items():
        shown = {g: _cells(kind, block)[key]["n"] for g, block in by_group.items()
                 if _cells(kind, block)[key]["n"] >= min_size}
        left = cell["n"] - sum(shown.values())
        for group in sorted(shown, key=lambda g: (shown[g], g)):
            if not 0 < left < min_size:
                break
            _blank(kind, by_group[group], key)
            left += shown[group]


def _percent(share: float) -> str:
    return f"{int(share * 100 + 0.5)} %"           # half up: 62.5 % reads 63 %


def reason(activity: Activity, result: dict[str, Any], items: list[str]) -> str:
    """The reason a decision from a round carries, in words with its figures (RoundResult.to_dict()):
    "Workshop round 2: 34 of 120 dots (28 %)"; several entries name theirs."""
    head = f"Workshop round {result['number']}"
    if not result.get("results"):
        return (f"{head}: {result['n']} answered, fewer than the {result.get('needed', 0)} needed to show "
                "figures")
    rows = {r["id"]: r for r in result["results"].get("items", [])}
    kind = activity.draft.kind

    def figure(item: str) -> str:
        r = rows.get(item, {})
        total = result["results"].get("total", 0)
        if kind == "dots":
            return f"{r['dots']} of {total} dots ({_percent(r['share'])})"
        if kind == "points":
            return f"{r['points']} of {total} points ({_percent(r['share'])})"
        if kind == "ranking":
            place = [x["id"] for x in result["results"]["items"]].index(item) + 1
            return f"ranked {place} of {len(rows)} (mean rank {r['mean_rank']:g}, {r['points']} points)"
        if r.get("quadrant") is None:
            return f"placed by {r.get('n', 0)}, too few to show"
        return f"{r['quadrant']} (value {r['value']:g}, effort {r['effort']:g}, {r['n']} placed it)"

    if len(items) == 1:
        return f"{head}: {figure(items[0])}"
    return f"{head}: " + "; ".join(f"{activity.labels.get(i, i)} {figure(i)}" for i in items)
