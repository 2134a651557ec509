"""Which catalogue entries to roll out, ranked, each with the reason in words and figures.

The rule is written out in docs/recommendations.md and shown in the app. In short, for each entry:

    benefit = sum over its dimensions of (importance / 5) x min(LIFT[strength], gap)
    fit     = 1 inside its maturity band, 0.5 per level below it, 0.5 above it
    ease    = 1 / (1 + effort / 10 + (change_load - 1) / 4)
    score   = 100 x benefit x fit x ease x HORIZON[horizon] x (1 + WORKSHOP_WEIGHT x share / top share)
              x (1 + PROBLEM_BONUS when the entry addresses a confirmed problem)

`gap` is the dimension's gap (desired minus current, 0 when negative or unknown), for an entry not
yet accepted less what the accepted entries already close, and `LIFT` the maturity an entry of that
strength adds (catalogue.LIFT), so an entry is credited only with the part of a gap left for it to close.
The last factor is the workshop priority (1 without one): the share of a workshop's dots or points the
entry received, against the best-voted entry's share (docs/recommendations.md, "Workshop priority").
The last is the problem bonus: once, however many of the strong problems of the diagnosis
(planning/diagnosis.py) the entry addresses (docs/recommendations.md, "Likely problems").
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from pmostep.core.numbers import known
from pmostep.planning.scoring import NEUTRAL_IMPORTANCE, GroupScores
from pmostep.products.catalogue import LIFT, Catalogue, Entry, dependency_order

HORIZON = {"short": 1.1, "medium": 1.0, "long": 0.9}   # quick wins a little earlier (PMO Value Ring)
EFFORT_SCALE = 10.0            # person-weeks that halve an entry's ease on their own
LOAD_SCALE = 4.0               # change-load points above 1 that halve it on their own
BELOW_BAND = 0.5               # fit factor per level the organisation is below an entry's band
ABOVE_BAND = 0.5               # fit factor when it is beyond the band (the entry is too basic)
GROUPS_ALIKE = 0.5             # groups whose current scores span less than this rate a dimension alike
WORKSHOP_WEIGHT = 0.5          # the best-voted entry of a workshop gains half its score again
WORKSHOP_COLUMN = "Workshop vote"
PROBLEM_BONUS = 0.25           # an entry that addresses a confirmed (strong) problem gains a quarter
PROBLEM_COLUMN = "Likely problem"
SHARE_WORDS = ((0.9, "closes the"), (0.5, "closes most of the"), (0.2, "closes part of the"),
               (0.0, "helps with the"))


@dataclass(frozen=True)
class WorkshopPriority:
    """What a workshop's vote gave an entry: `votes` of `total` dots or points (`unit`) in `round` of the
    activity titled `activity`; `share` is votes / total and `top_share` the best-voted entry's share.

    Defined here, not in pmostep/workshop, so that planning ranks with it without importing workshop.
    """

    share: float
    top_share: float
    votes: float
    total: float
    unit: str                 # 'dots' or 'points'
    round: int
    activity: str

    @property
    def factor(self) -> float:
        """The score's multiplier: 1 + WORKSHOP_WEIGHT for the best-voted entry, 1 for one with no votes."""
        return 1.0 + WORKSHOP_WEIGHT * self.share / self.top_share if self.top_share > 0 else 1.0

    def words(self) -> str:
        """The reason's sentence: "The workshop gave it 34 of 120 dots (28 %), round 2: +50 %"."""
        return (f"The workshop gave it {self.votes:g} of {self.total:g} {self.unit} "
                f"({100 * self.share:.0f} %), round {self.round}: +{100 * (self.factor - 1):.0f} %.")

    def short(self) -> str:
        """For a table cell: "34 of 120 dots, +50 %"."""
        return f"{self.votes:g} of {self.total:g} {self.unit}, +{100 * (self.factor - 1):.0f} %"

    def to_dict(self) -> dict[str, Any]:
        return {"share": round(self.share, 4), "top_share": round(self.top_share, 4), "votes": self.votes,
                "total": self.total, "unit": self.unit, "round": self.round, "activity": self.activity,
                "factor": round(self.factor, 4)}


@dataclass(frozen=True)
class LikelyProblem:
    """A problem the diagnosis confirmed (strong: `points` signs, planning/diagnosis.py), as the ranking
    uses it: the catalogue entries that address it gain PROBLEM_BONUS.

    Defined here, not in planning/diagnosis.py, so that the ranking does not import the diagnosis, which
    reads the know-how (whose practices are ranked beside the recommendations).
    """

    id: str
    name: str
    points: int
    entries: tuple[str, ...]

    def words(self) -> str:
        """"No real sponsor or charter (strong: 2 signs)"."""
        return f"{self.name} (strong: {self.points} sign{'' if self.points == 1 else 's'})"


@dataclass(frozen=True)
class Recommendation:
    """One catalogue entry's rank, score, the figures behind the score, and why in words."""

    item: str
    name: str
    type: str
    rank: int
    score: float
    benefit: float
    fit: float
    ease: float
    horizon: float
    level: int | None                              # the maturity level of its dimensions, strength-weighted
    closes: dict[str, float] = field(default_factory=dict)   # dimension id -> gap closed (levels)
    why: str = ""
    workshop: WorkshopPriority | None = None       # what a workshop's vote gave it (None: no vote)
    problems: tuple[str, ...] = ()                 # the confirmed problems it addresses (their bonus applied)

    def to_dict(self) -> dict[str, Any]:
        return {"item": self.item, "name": self.name, "type": self.type, "rank": self.rank,
                "score": self.score, "why": self.why, "benefit": round(self.benefit, 4),
                "fit": self.fit, "ease": round(self.ease, 4), "horizon_factor": self.horizon,
                "level": self.level, "closes": {d: round(v, 4) for d, v in self.closes.items()},
                "workshop": self.workshop.to_dict() if self.workshop else None,
                "problems": list(self.problems)}


def _level_of_entry(entry: Entry, current: Mapping[str, float | None]) -> int | None:
    """The organisation's level on the entry's dimensions: the strength-weighted mean, floored."""
    rated = [(current[d], s) for d, s in entry.dimensions.items() if known(current.get(d)) is not None]
    if not rated:
        return None
    mean = sum(c * s for c, s in rated) / sum(s for _, s in rated)
    return math.floor(mean + 1e-9)


def fit(entry: Entry, level: int | None) -> float:
    """How well the entry suits where the organisation stands (1 inside its band)."""
    if level is None or entry.maturity_min <= level <= entry.maturity_max:
        return 1.0
    if level < entry.maturity_min:
        return BELOW_BAND ** (entry.maturity_min - level)
    return ABOVE_BAND


def ease(entry: Entry) -> float:
    """Cheaper and gentler entries rank higher for the same benefit."""
    return 1.0 / (1.0 + entry.effort / EFFORT_SCALE + (entry.change_load - 1) / LOAD_SCALE)


def addressed(problems: Sequence[LikelyProblem]) -> dict[str, list[LikelyProblem]]:
    """Entry id -> the confirmed problems it addresses, strongest first."""
    found: dict[str, list[LikelyProblem]] = {}
    for f in sorted(problems, key=lambda f: (-f.points, f.name)):
        for entry_id in f.entries:
            found.setdefault(entry_id, []).append(f)
    return found


def problem_words(found: Sequence[LikelyProblem]) -> str:
    """The reason's sentence: "Addresses a likely problem: No real sponsor (strong: 2 signs): +25 %."."""
    named = ", ".join(f.words() for f in found)
    lead = "Addresses a likely problem" if len(found) == 1 else "Addresses likely problems"
    return f"{lead}: {named}: +{100 * PROBLEM_BONUS:.0f} %."


def rank(cat: Catalogue, dims: pd.DataFrame, groups: Sequence[GroupScores] = (),
         chosen: Sequence[str] = (), workshop: Mapping[str, WorkshopPriority] | None = None,
         problems: Sequence[LikelyProblem] = ()) -> list[Recommendation]:
    """Every entry of the catalogue, best first (ties by name), each with its reason.

    `dims` are the whole assessment's dimension scores (scoring's columns: id, name, current, gap,
    importance); `groups` the shown stakeholder groups, to say whether groups see a dimension alike;
    `chosen` the accepted entries, to say which prerequisites are still missing; `workshop` the
    workshop priority of the entries a workshop voted on (pmostep/workshop/priority.py); `problems` the
    problems the diagnosis confirmed (diagnosis.likely), which give their entries PROBLEM_BONUS.
    """
    workshop = workshop or {}
    likely = addressed(problems)
    table = dims.set_index("id")
    current = {d: known(v) for d, v in table["current"].items()}
    gaps = {d: max(known(v) or 0.0, 0.0) for d, v in table["gap"].items()}
    importance = {d: known(v) or NEUTRAL_IMPORTANCE for d, v in table["importance"].items()}
    names = dict(table["name"].items())
    views = _group_ratings(groups)
    chosen_ids = set(chosen)
    taken = _lifts([cat.entry(i) for i in chosen_ids if i in cat.by_id])
    scored = []
    for entry in cat.entries:
        # An accepted entry keeps its own value (its roadmap priority); any other entry is credited only
        # with the gap the accepted entries leave: the ranking answers "what next?".
        accepted = entry.id in chosen_ids
        left = {d: gaps.get(d, 0.0) if accepted else max(gaps.get(d, 0.0) - taken.get(d, 0.0), 0.0)
                for d in entry.dimensions}
        closes = {d: min(LIFT[s], left[d]) for d, s in entry.dimensions.items()}
        benefit = sum(importance.get(d, NEUTRAL_IMPORTANCE) / 5 * c for d, c in closes.items())
        level = _level_of_entry(entry, current)
        f, e, h = fit(entry, level), ease(entry), HORIZON[entry.horizon]
        voted = workshop.get(entry.id)
        bonus = 1.0 + PROBLEM_BONUS if entry.id in likely else 1.0
        score = round(100 * benefit * f * e * h * (voted.factor if voted else 1.0) * bonus, 1)
        scored.append((entry, score, benefit, f, e, h, level, closes, left))
    scored.sort(key=lambda t: (-t[1], t[0].name))
    by_id = cat.by_id
    out = []
    for position, (entry, score, benefit, f, e, h, level, closes, left) in enumerate(scored, start=1):
        why = explain(entry, closes, gaps, importance, names, level, views, by_id, chosen_ids, left)
        voted = workshop.get(entry.id)
        found = likely.get(entry.id, [])
        if found:
            why += " " + problem_words(found)
        if voted:
            why += " " + voted.words()
        out.append(Recommendation(entry.id, entry.name, entry.type, position, score, benefit, f, e, h, level,
                                  {d: c for d, c in closes.items() if c > 0}, why, voted,
                                  tuple(p.id for p in found)))
    return out


def _lifts(entries: Sequence[Entry]) -> dict[str, float]:
    """Dimension id -> the maturity the entries add together (catalogue.LIFT per strength)."""
    total: dict[str, float] = {}
    for e in entries:
        for d, strength in e.dimensions.items():
            total[d] = total.get(d, 0.0) + LIFT[strength]
    return total


def _share_words(closed: float, gap: float) -> str:
    share = closed / gap if gap > 0 else 0.0
    return next(words for bound, words in SHARE_WORDS if share >= bound)


def _group_ratings(groups: Sequence[GroupScores]) -> dict[str, list[tuple[float, str]]]:
    """Dimension id -> (current score, group) of every shown group that has one (read once per ranking)."""
    ratings: dict[str, list[tuple[float, str]]] = {}
    for g in groups:
        for dimension_id, value in zip(g.dimensions["id"], g.dimensions["current"], strict=True):
            if known(value) is not None:
                ratings.setdefault(dimension_id, []).append((float(value), g.group))
    return ratings


def _groups_view(dimension_id: str, ratings: Mapping[str, list[tuple[float, str]]]) -> str:
    """Whether the stakeholder groups rate a dimension alike, in words and figures."""
    rated = ratings.get(dimension_id, [])
    if len(rated) < 2:
        return ""
    low, high = min(rated), max(rated)
    if high[0] - low[0] < GROUPS_ALIKE:
        return f", which the stakeholder groups rate alike ({low[0]:.1f} to {high[0]:.1f})"
    return f", which groups see differently ({high[1]} {high[0]:.1f}, {low[1]} {low[0]:.1f})"


def explain(entry: Entry, closes: Mapping[str, float], gaps: Mapping[str, float],
            importance: Mapping[str, float], names: Mapping[str, str], level: int | None,
            ratings: Mapping[str, list[tuple[float, str]]], by_id: Mapping[str, Entry],
            chosen: set[str], left: Mapping[str, float]) -> str:
    """The reason for an entry's rank, with the figures that produced it.

    `left` is the gap the accepted entries leave; when it is smaller than the gap, the reason says so
    ("0.30 of the 0.55 left of 1.75").
    """
    helped = sorted(((importance[d] * c, d) for d, c in closes.items() if c > 0), reverse=True)
    if helped:
        main = helped[0][1]
        if left[main] < gaps[main] - 1e-9:
            part = (f"{_share_words(closes[main], left[main]).capitalize()} {names.get(main, main)} gap left "
                    f"by the accepted entries ({closes[main]:.2f} of the {left[main]:.2f} left of "
                    f"{gaps[main]:.2f}, importance {importance[main]:.1f})")
        else:
            part = (f"{_share_words(closes[main], gaps[main]).capitalize()} {names.get(main, main)} gap "
                    f"({closes[main]:.2f} of {gaps[main]:.2f}, importance {importance[main]:.1f})")
        parts = [part + _groups_view(main, ratings)]
        others = [f"{names.get(d, d)} ({closes[d]:.2f})" for _, d in helped[1:]]
        if others:
            parts.append("also " + ", ".join(others))
        text = "; ".join(parts) + "."
    elif any(gaps.get(d, 0.0) > 0 for d in entry.dimensions):
        text = "The accepted entries already close the gaps on its dimensions."
    else:
        text = "No gap to close on its dimensions."
    band = f"levels {entry.maturity_min}-{entry.maturity_max}" if entry.maturity_min != entry.maturity_max \
        else f"level {entry.maturity_min}"
    if level is None:
        text += f" Suits {band}."
    elif entry.maturity_min <= level <= entry.maturity_max:
        text += f" Fits level {level} (suits {band})."
    elif level < entry.maturity_min:
        text += f" Ahead of level {level}: suits {band}."
    else:
        text += f" Basic for level {level}: suits {band}."
    text += (f" {entry.effort:g} person-weeks, change load {entry.change_load} of 5, "
             f"{entry.horizon}-term value.")
    missing = [by_id[p].name for p in entry.prerequisites if p not in chosen and p in by_id]
    if missing:
        text += " Needs first: " + ", ".join(missing) + "."
    return text


def with_prerequisites(cat: Catalogue, items: Sequence[str]) -> list[str]:
    """The items and everything they need, in dependency order."""
    needed: set[str] = set()
    stack = list(items)
    while stack:
        item = stack.pop()
        if item not in needed:
            needed.add(item)
            stack.extend(cat.entry(item).prerequisites)
    return [i for i in dependency_order(cat) if i in needed]


def prerequisites_to_add(cat: Catalogue, items: Sequence[str],
                         decisions: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """The items and the prerequisites they need that have no decision yet (dependency order), and the
    needed prerequisites that were rejected: those stay rejected and are named, never silently reversed."""
    needed = with_prerequisites(cat, items)
    add = [i for i in needed if i in items or i not in decisions]
    rejected = [i for i in needed if i not in items and decisions.get(i) == "rejected"]
    return add, rejected


def table(recommendations: Sequence[Recommendation], decisions: Mapping[str, str],
          problem_names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The ranking as people read it: no ids, the decision beside each entry; a "Workshop vote" column
    after the score when a workshop voted on any of them, and a "Likely problem" column when any entry
    addresses a confirmed problem (named by `problem_names`, problem id -> name)."""
    frame = pd.DataFrame({
        "Rank": [r.rank for r in recommendations],
        "Entry": [r.name for r in recommendations],
        "Type": [r.type for r in recommendations],
        "Score": [r.score for r in recommendations],
        "Decision": [decisions.get(r.item, "") for r in recommendations],
        "Why": [r.why for r in recommendations],
        "Benefit": [round(r.benefit, 3) for r in recommendations],
        "Fit": [r.fit for r in recommendations],
        "Ease": [round(r.ease, 3) for r in recommendations],
        "Horizon factor": [r.horizon for r in recommendations],
    })
    if any(r.workshop for r in recommendations):
        frame.insert(frame.columns.get_loc("Score") + 1, WORKSHOP_COLUMN,
                     [r.workshop.short() if r.workshop else "" for r in recommendations])
    if any(r.problems for r in recommendations):
        names = problem_names or {}
        frame.insert(frame.columns.get_loc("Decision"), PROBLEM_COLUMN,
                     [f"{', '.join(names.get(p, p) for p in r.problems)}, +{100 * PROBLEM_BONUS:.0f} %"
                      if r.problems else "" for r in recommendations])
    return frame
