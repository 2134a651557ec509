"""The roadmap scheduler: places the accepted PMO products and services in waves, and explains every choice.

A facilitator must be able to defend the roadmap in a workshop, so the scheduler is deterministic (the same
inputs give the same roadmap, whatever the order of entries or dictionaries), every placement carries a
sentence saying why it landed there, and whatever cannot be placed is listed with the reason.

How it works, in order:

1. Up-front rejection. An entry is unplaced when a prerequisite is not among the accepted entries, when it is
   larger than one wave's capacity or change budget, when it is pinned outside the waves, or when its
   prerequisites form a cycle. Dependents of an unplaced entry are unplaced too ("needs X, which could not be
   placed").
2. Pins and facilitator moves (a move wins over a pin of the same entry) are placed first, in topological
   order. A pin that breaks the prerequisite order, the capacity or the change budget is unplaced with the
   reason, unless its id is in `Settings.overrides`: then it is placed anyway and a `Violation` stays visible.
   Overridden pins take their capacity after the plain pins (an override never pushes out a plain pin), and
   an order conflict between a plain pin and an overridden prerequisite is the override's violation.
3. Greedy list scheduling of the rest, in topological order; ties go to entries needed before a pinned entry,
   then higher priority (the recommendation score, which already favours quick wins), then quick wins (short
   horizon first, then low effort x change load), then id. Each entry goes into the earliest wave after its
   prerequisites' waves that still has room.
4. If an unpinned entry finds no room before a (non-overridden) pinned entry that needs it, that pin is
   unplaced and the plan is rebuilt from scratch, so explanations never describe a state that was undone.

Projected maturity per wave: current + the sum of `LIFT[strength]` over the entries delivered up to that wave,
capped at the desired state and never below the current one.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pmostep.core.numbers import figure, known
from pmostep.products.catalogue import HORIZONS, LIFT, Entry

DEFAULT_ROLE = "pmo_lead"          # who delivers an entry that names no roles
_EPS = 1e-9                        # tolerance for float sums of efforts against capacities
_HORIZON_RANK = {h: i for i, h in enumerate(HORIZONS)}


@dataclass(frozen=True)
class Settings:
    """How many waves, how much each can carry, and what the facilitator fixed by hand."""

    waves: int = 4
    wave_weeks: int = 13               # calendar weeks per wave; turns person-weeks into FTE
    capacity: float = 20.0             # PMO person-weeks per wave
    change_budget: float = 7.0         # sum of the entries' change_load per wave
    pins: Mapping[str, int] = field(default_factory=dict)     # entry id -> wave (1-based), from the settings
    moves: Mapping[str, int] = field(default_factory=dict)    # entry id -> wave, moved by the facilitator
    overrides: frozenset[str] = frozenset()                   # moves/pins accepted despite a violation

    def __post_init__(self) -> None:
        if self.waves < 1:
            raise ValueError(f"waves must be at least 1, not {self.waves}")
        if self.wave_weeks <= 0:
            raise ValueError(f"wave_weeks must be positive, not {self.wave_weeks}")
        for name in ("capacity", "change_budget"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
                raise ValueError(f"{name.replace('_', ' ')} must be a number above 0, not {value}")
        # Copies in id order: the caller's dicts can change later, and output must not depend on dict order.
        object.__setattr__(self, "pins", {k: int(v) for k, v in sorted(self.pins.items())})
        object.__setattr__(self, "moves", {k: int(v) for k, v in sorted(self.moves.items())})
        object.__setattr__(self, "overrides", frozenset(self.overrides))

    def pinned(self) -> dict[str, int]:
        """Every fixed entry and its wave; a facilitator move wins over a pin of the same entry."""
        return dict(sorted({**self.pins, **self.moves}.items()))

    def to_dict(self) -> dict[str, Any]:
        return {"waves": self.waves, "wave_weeks": self.wave_weeks, "capacity": self.capacity,
                "change_budget": self.change_budget, "pins": dict(self.pins), "moves": dict(self.moves),
                "overrides": sorted(self.overrides)}


@dataclass(frozen=True)
class Unplaced:
    """An accepted entry the roadmap could not hold, and why."""

    item: str
    reason: str


@dataclass(frozen=True)
class Violation:
    """A rule an overridden pin or move breaks; kept so the override stays visible."""

    item: str
    wave: int
    reason: str


@dataclass(frozen=True)
class Wave:
    """One wave: what it delivers, what it costs, and where maturity stands at its end."""

    number: int
    items: tuple[str, ...]
    effort: float                          # PMO person-weeks
    change_load: float
    projected: dict[str, float | None]     # dimension id -> expected maturity at the end of the wave
    roles: dict[str, float]                # role -> person-weeks
    fte: float                             # effort / wave_weeks
    reasons: dict[str, str]                # item -> why it is in this wave

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "items": list(self.items), "effort": self.effort,
                "change_load": self.change_load, "projected": dict(self.projected), "roles": dict(self.roles),
                "fte": self.fte, "reasons": dict(self.reasons)}


@dataclass(frozen=True)
class Roadmap:
    """The scheduler's answer: the waves, what is left out, and the overrides' violations."""

    settings: Settings
    waves: list[Wave]
    unplaced: list[Unplaced]
    violations: list[Violation]

    def placement(self) -> dict[str, int]:
        """Entry id -> wave number for every placed entry."""
        return {item: w.number for w in self.waves for item in w.items}

    def wave_of(self, item: str) -> int | None:
        return self.placement().get(item)

    def to_dict(self) -> dict[str, Any]:
        return {"settings": self.settings.to_dict(), "waves": [w.to_dict() for w in self.waves],
                "unplaced": [{"item": u.item, "reason": u.reason} for u in self.unplaced],
                "violations": [{"item": v.item, "wave": v.wave, "reason": v.reason} for v in self.violations]}


def schedule(entries: Sequence[Entry], priority: Mapping[str, float], current: Mapping[str, float | None],
             desired: Mapping[str, float | None], settings: Settings,
             names: Mapping[str, str] | None = None) -> Roadmap:
    """Place the accepted `entries` in waves; see the module docstring for the rules.

    `priority` is the recommendation score per entry id (higher goes first; missing counts as 0);
    `current`/`desired` map dimension id -> maturity, None or NaN when unknown (then no projection).
    `names` (entry id -> name) words the reasons for people; without it they name ids.
    """
    return _Planner(entries, priority, settings, names).run().roadmap(current, desired)


def check_move(entries: Sequence[Entry], priority: Mapping[str, float], settings: Settings, item: str,
               wave: int, names: Mapping[str, str] | None = None, before: Roadmap | None = None) -> list[str]:
    """The problems moving `item` to `wave` would cause; empty if the move is clean.

    The move is simulated, not checked against the board as it stands: unpinned entries flow around a move,
    so only real harm counts. Problems are the moved entry not fitting there (capacity, change budget, its
    prerequisites not earlier), entries that could no longer be placed (e.g. a pinned entry needing it that
    is now too early), and new violations of existing overrides. The app shows them at once and either
    refuses the move or records it with `move(settings, item, wave, override=True)`. `before` is the
    roadmap of `settings` when the caller has it already, so it is not planned again.
    """
    name = (names or {}).get(item, item)
    if item not in {e.id for e in entries}:
        return [f"{name} is not among the chosen entries"]
    if not 1 <= wave <= settings.waves:
        return [f"there is no wave {wave}: the roadmap has waves 1-{settings.waves}"]
    if before is None:
        before = schedule(entries, priority, {}, {}, settings, names)
    was_unplaced = {u.item for u in before.unplaced}
    after = _Planner(entries, priority, move(settings, item, wave), names).run()
    problems = []
    if item in after.unplaced:
        problems.append(after.unplaced[item])
    problems += [f"{(names or {}).get(i, i)} could no longer be placed: {r}"
                 for i, r in sorted(after.unplaced.items())
                 if i != item and i not in was_unplaced]
    broken = {(v.item, v.reason) for v in before.violations}
    problems += [f"{(names or {}).get(v.item, v.item)}, kept as an override, would break a rule: {v.reason}"
                 for v in after.violations
                 if (v.item, v.reason) not in broken]
    return problems


def move(settings: Settings, item: str, wave: int | None, override: bool = False) -> Settings:
    """Settings with the facilitator's move of `item` to `wave` (None undoes the move).

    `override=True` records that the move was accepted despite the problems `check_move` reported.
    """
    moves = {k: v for k, v in settings.moves.items() if k != item}
    overrides = set(settings.overrides) - {item}
    if wave is not None:
        moves[item] = wave
        if override:
            overrides.add(item)
    return replace(settings, moves=moves, overrides=frozenset(overrides))


# --- internals -------------------------------------------------------------------------------------------


def _priority(x: Any) -> float:
    v = known(x)
    return 0.0 if v is None or math.isinf(v) else v


def _join(items: Iterable[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _waves_text(lo: int, hi: int) -> str:
    return f"wave {lo}" if lo == hi else f"waves {lo}-{hi}"


@dataclass
class _Restart:
    """A pinned entry found impossible late in a pass: unplace it and plan again."""

    item: str
    reason: str


@dataclass
class _Pass:
    """The outcome of one planning pass."""

    planner: _Planner
    placed: dict[str, int]                       # id -> wave, in placement order
    reasons: dict[str, str]
    unplaced: dict[str, str]
    violations: list[Violation]

    def roadmap(self, current: Mapping[str, Any], desired: Mapping[str, Any]) -> Roadmap:
        p = self.planner
        s = p.settings
        dims = sorted(set(current) | set(desired))
        base = {d: known(current.get(d)) for d in dims}
        goal = {d: known(desired.get(d)) for d in dims}
        lift = dict.fromkeys(dims, 0.0)
        waves = []
        for n in range(1, s.waves + 1):
            items = tuple(i for i, w in self.placed.items() if w == n)
            roles: dict[str, float] = {}
            for i in items:
                e = p.by_id[i]
                for d, strength in e.dimensions.items():
                    if d in lift:
                        lift[d] += LIFT.get(strength, 0.0)
                names = tuple(dict.fromkeys(e.roles)) or (DEFAULT_ROLE,)
                for r in names:
                    roles[r] = roles.get(r, 0.0) + e.effort / len(names)
            projected: dict[str, float | None] = {}
            for d in dims:
                c, g = base[d], goal[d]
                projected[d] = None if c is None or g is None else round(min(max(c, g), c + lift[d]), 2)
            effort = sum(p.by_id[i].effort for i in items)
            waves.append(Wave(
                number=n, items=items, effort=round(effort, 2),
                change_load=round(sum(p.by_id[i].change_load for i in items), 2), projected=projected,
                roles={r: round(v, 2) for r, v in sorted(roles.items())}, fte=round(effort / s.wave_weeks, 2),
                reasons={i: self.reasons[i] for i in items}))
        unplaced = [Unplaced(i, r) for i, r in sorted(self.unplaced.items())]
        return Roadmap(settings=s, waves=waves, unplaced=unplaced, violations=self.violations)


class _Planner:
    """The accepted entries as a graph, ready for planning passes."""

    def __init__(self, entries: Sequence[Entry], priority: Mapping[str, float], settings: Settings,
                 names: Mapping[str, str] | None = None) -> None:
        self.settings = settings
        self.names = dict(names or {})
        self.by_id: dict[str, Entry] = {}
        for e in entries:
            if e.id in self.by_id:
                raise ValueError(f"entry {e.id} is listed twice")
            self.by_id[e.id] = e
        self.ids = sorted(self.by_id)
        self.pins = {i: w for i, w in settings.pinned().items() if i in self.by_id}
        self.priority = {i: _priority(priority.get(i)) for i in self.ids}
        self.prereqs = {i: tuple(dict.fromkeys(self.by_id[i].prerequisites)) for i in self.ids}
        self.dependents: dict[str, list[str]] = {i: [] for i in self.ids}
        for i in self.ids:
            for p in self.prereqs[i]:
                if p in self.by_id:
                    self.dependents[p].append(i)
        self.upfront, self.topo = self._upfront()

    def n(self, i: str) -> str:
        """How an entry is named in a sentence: its name when known (the app), else its id."""
        return self.names.get(i, i)

    def _needing(self, i: str) -> list[str]:
        """Every entry that needs `i`, directly or through others, in id order."""
        found: set[str] = set()
        stack = list(self.dependents[i])
        while stack:
            d = stack.pop()
            if d not in found:
                found.add(d)
                stack.extend(self.dependents[d])
        return sorted(found)

    def _verb(self, i: str) -> str:
        return "moved to" if i in self.settings.moves else "pinned to"

    def _upfront(self) -> tuple[dict[str, str], list[str]]:
        """Reasons known before planning, and a topological order (ties by id) of the acyclic part."""
        s = self.settings
        reasons: dict[str, str] = {}
        for i in self.ids:
            e = self.by_id[i]
            missing = [p for p in self.prereqs[i] if p not in self.by_id]
            pin = self.pins.get(i)
            if missing:
                verb = "is" if len(missing) == 1 else "are"
                reasons[i] = f"needs {_join(self.n(m) for m in missing)}, which {verb} not chosen"
            elif pin is not None and not 1 <= pin <= s.waves:
                reasons[i] = f"{self._verb(i)} wave {pin}, but there are only waves 1-{s.waves}"
            elif pin is None or i not in s.overrides:       # an overridden pin may be too large: it is shown
                too = []
                if e.effort > s.capacity + _EPS:
                    too.append(f"{figure(e.effort)} person-weeks against a capacity of {figure(s.capacity)}")
                if e.change_load > s.change_budget + _EPS:
                    too.append(f"change load {figure(e.change_load)} against a change budget of "
                               f"{figure(s.change_budget)}")
                if too:
                    reasons[i] = "too large for any wave: " + " and ".join(too)
        indegree = {i: sum(p in self.by_id for p in self.prereqs[i]) for i in self.ids}
        ready = [i for i in self.ids if indegree[i] == 0]
        heapq.heapify(ready)
        topo = []
        while ready:
            i = heapq.heappop(ready)
            topo.append(i)
            for d in self.dependents[i]:
                indegree[d] -= 1
                if indegree[d] == 0:
                    heapq.heappush(ready, d)
        stuck = set(self.ids) - set(topo)
        for i in sorted(stuck):
            if i in reasons:
                continue
            cycle = self._cycle(i, stuck)
            if cycle:
                reasons[i] = "its prerequisites form a cycle: " + " -> ".join(self.n(c) for c in cycle)
            else:
                first = next(p for p in self.prereqs[i] if p in stuck)
                reasons[i] = f"needs {self.n(first)}, which could not be placed"
        return reasons, topo

    def _cycle(self, start: str, within: set[str]) -> list[str]:
        """The shortest prerequisite path from `start` back to itself (empty if it is on no cycle)."""
        parent: dict[str, str] = {}
        frontier = [start]
        while frontier:
            nxt = []
            for i in frontier:
                for p in self.prereqs[i]:
                    if p not in within:
                        continue
                    if p == start:
                        path = [i]
                        while path[-1] != start:
                            path.append(parent[path[-1]])
                        return [start, *reversed(path[:-1]), start] if len(path) > 1 else [start, start]
                    if p not in parent:
                        parent[p] = i
                        nxt.append(p)
            frontier = nxt
        return []

    def run(self) -> _Pass:
        sticky: dict[str, str] = {}
        while True:
            out = self._pass(sticky)
            if isinstance(out, _Pass):
                return out
            sticky[out.item] = out.reason           # always a newly placed pin, so this terminates

    def _lack(self, i: str, wave: int, used_e: list[float], used_c: list[float], tense: str) -> str:
        """Why `wave` cannot take entry `i`, as a sentence ("" if it can)."""
        s, e = self.settings, self.by_id[i]
        short = []
        if used_e[wave] + e.effort > s.capacity + _EPS:
            short.append(f"{figure(max(0.0, s.capacity - used_e[wave]))} of {figure(s.capacity)} "
                         "person-weeks")
        if used_c[wave] + e.change_load > s.change_budget + _EPS:
            short.append(f"change load {figure(max(0.0, s.change_budget - used_c[wave]))} of "
                         f"{figure(s.change_budget)}")
        return f"wave {wave} {tense} only {' and '.join(short)} left" if short else ""

    def _pass(self, sticky: Mapping[str, str]) -> _Pass | _Restart:
        s, by_id, prereqs, pins = self.settings, self.by_id, self.prereqs, self.pins
        last = s.waves
        unplaced = {**self.upfront, **sticky}
        placed: dict[str, int] = {}
        reasons: dict[str, str] = {}
        used_e = [0.0] * (last + 1)
        used_c = [0.0] * (last + 1)
        pin_problems: dict[str, list[str]] = {}

        def put(i: str, wave: int, why: str) -> None:
            placed[i] = wave
            reasons[i] = f"wave {wave}: {why}"
            used_e[wave] += by_id[i].effort
            used_c[wave] += by_id[i].change_load

        # 1. Pins, in topological order; `low` is the earliest wave the prerequisite chain allows. Overridden
        #    pins are placed without checks and take their capacity last, so they never push out a plain pin;
        #    an order conflict with an overridden prerequisite is that prerequisite's violation.
        low: dict[str, int] = {}
        forced: list[str] = []
        for i in self.topo:
            if i in unplaced:
                continue
            bad = next((p for p in prereqs[i] if p in unplaced), None)
            if bad is not None:
                unplaced[i] = f"needs {self.n(bad)}, which could not be placed"
                continue
            pin = pins.get(i)
            if pin is not None and i in s.overrides:
                placed[i] = pin
                forced.append(i)
                continue
            earliest, binding = 1, None
            for p in prereqs[i]:
                if pin is not None and p in placed and p in s.overrides:
                    continue
                k = placed.get(p, low.get(p, 1)) + 1
                if k > earliest:
                    earliest, binding = k, p
            if pin is None:
                low[i] = earliest
                continue
            problems = []
            if binding is not None and earliest > pin:
                where = (f"is in wave {placed[binding]}" if binding in placed
                         else f"comes in wave {earliest - 1} at the earliest")
                problems.append(f"its prerequisite {self.n(binding)} {where}")
            room = self._lack(i, pin, used_e, used_c, "has")
            if room:
                problems.append(room)
            if problems:
                unplaced[i] = f"{self._verb(i)} wave {pin}, but " + "; ".join(problems)
                continue
            put(i, pin, "moved here by the facilitator" if i in s.moves else "pinned in the settings")
        for i in forced:
            wave = placed.pop(i)                    # re-inserted: a wave lists its entries in placement order
            room = self._lack(i, wave, used_e, used_c, "has")
            if room:
                pin_problems[i] = [room]
            put(i, wave, "moved here by the facilitator" if i in s.moves else "pinned in the settings")

        # 2. Deadlines: an unpinned entry must come before the pinned entries that need it. `soft` counts
        #    every pin (it orders the queue); `hard` skips overridden pins, which may be broken visibly.
        free = [i for i in self.topo if i not in unplaced and i not in placed]
        free_set = set(free)
        soft: dict[str, tuple[int, str | None]] = {}
        hard: dict[str, tuple[int, str | None]] = {}
        for i in reversed(free):
            sd: tuple[int, str | None] = (last, None)
            hd: tuple[int, str | None] = (last, None)
            for d in self.dependents[i]:
                if d in placed:
                    sd = min(sd, (placed[d] - 1, d), key=lambda t: t[0])
                    if d not in s.overrides:
                        hd = min(hd, (placed[d] - 1, d), key=lambda t: t[0])
                elif d in free_set:
                    if soft[d][1] is not None:
                        sd = min(sd, (soft[d][0] - 1, soft[d][1]), key=lambda t: t[0])
                    if hard[d][1] is not None:
                        hd = min(hd, (hard[d][0] - 1, hard[d][1]), key=lambda t: t[0])
            soft[i], hard[i] = sd, hd

        # 3. Greedy list scheduling in topological order, ties by deadline, priority, quick win, id. The
        # priority (the recommendation score) already favours quick wins; horizon and size break ties.
        def key(i: str) -> tuple[Any, ...]:
            e = by_id[i]
            return (soft[i][0], -self.priority[i], _HORIZON_RANK.get(e.horizon, len(HORIZONS)),
                    e.effort * e.change_load, i)

        waiting = {i: sum(p in free_set for p in prereqs[i]) for i in free}
        queue = [(key(i), i) for i in free if waiting[i] == 0]
        heapq.heapify(queue)
        while queue:
            _, i = heapq.heappop(queue)
            for d in self.dependents[i]:
                if d in free_set:
                    waiting[d] -= 1
                    if waiting[d] == 0:
                        heapq.heappush(queue, (key(d), d))
            bad = next((p for p in prereqs[i] if p in unplaced), None)
            if bad is not None:
                unplaced[i] = f"needs {self.n(bad)}, which could not be placed"
                continue
            after = max((placed[p] for p in prereqs[i]), default=0)
            earliest = after + 1
            deadline, pin_owner = hard[i]
            wave = next((w for w in range(earliest, deadline + 1)
                         if not self._lack(i, w, used_e, used_c, "had")), None)
            if wave is None and pin_owner is not None:
                where = (f"finds no room in {_waves_text(earliest, deadline)}" if earliest <= deadline
                         else f"cannot come before wave {earliest}")
                return _Restart(pin_owner, f"{self._verb(pin_owner)} wave {placed[pin_owner]}, but "
                                           f"{self.n(i)}, which must come before it, {where}")
            e = by_id[i]
            if wave is None:
                if earliest > last:
                    p = min(p for p in prereqs[i] if placed[p] == after)
                    unplaced[i] = f"no wave left after its prerequisite {self.n(p)} (wave {after}, the last)"
                else:
                    unplaced[i] = (f"budgets too tight: no wave from {earliest} on has room for "
                                   f"{figure(e.effort)} person-weeks and change load {figure(e.change_load)}")
                continue
            latest = sorted(p for p in prereqs[i] if placed[p] == after)
            if latest:
                why = (f"after its prerequisite{'s' if len(latest) > 1 else ''} "
                       f"{_join(self.n(x) for x in latest)} (wave {after})")
            else:
                why = "no prerequisites"
            skipped = [self._lack(i, w, used_e, used_c, "had") for w in range(earliest, wave)]
            if not skipped:
                why += " and room right away"
            elif len(skipped) <= 2:
                why += "; " + "; ".join(skipped)
            else:
                why += f"; waves {earliest}-{wave - 1} were full ({skipped[-1]})"
            if soft[i][1] is not None:
                owner = soft[i][1]
                why += f"; needed before {self.n(owner)} ({self._verb(owner)} wave {placed[owner]})"
            put(i, wave, why)

        # 4. A pin whose prerequisite found no place at all cannot stand, overridden or not.
        for i in self.topo:
            if i in pins and i in placed:
                bad = next((p for p in prereqs[i] if p not in placed), None)
                if bad is not None:
                    return _Restart(i, f"needs {self.n(bad)}, which could not be placed")

        violations = []
        for i in self.topo:
            if i in placed and i in pins and i in s.overrides:
                wave = placed[i]
                found = list(pin_problems.get(i, []))
                found += [f"its prerequisite {self.n(p)} is in wave {placed[p]}, not before wave {wave}"
                          for p in prereqs[i] if placed[p] >= wave]
                found += [f"{self.n(d)}, which needs it, is in wave {placed[d]}, not after wave {wave}"
                          for d in self.dependents[i] if d in placed and placed[d] <= wave]
                found += [f"{self.n(u)}, which needs it, is not placed ({unplaced[u]})"
                          for u in self._needing(i) if u in unplaced]
                violations += [Violation(i, wave, r) for r in found]
                reasons[i] += "; kept as an override" + (" despite: " + "; ".join(found) if found else "")
        return _Pass(self, placed, reasons, unplaced, violations)
