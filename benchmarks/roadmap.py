"""Roadmap scheduling speed: a 500-entry catalogue with prerequisites, 12 waves, pins, moves and overrides.

    python benchmarks/roadmap.py [--entries 500] [--waves 12] [--repeat 9] [--seed 1]

Builds a seeded random catalogue (prerequisites only on earlier entries, so acyclic; a few on entries that
are not chosen), scores it with a stand-in ranking, and times `roadmap.schedule` in this process: the first
call, then the median and best of `--repeat` more; then one `check_move` (which plans twice).
Target: well under 1 s for 500 entries and 12 waves.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pmostep.catalogue import HORIZONS, Entry
from pmostep.roadmap import Settings, check_move, schedule

DIMS = [f"dim{k:02d}" for k in range(12)]
ROLES = ["PMO lead", "PMO analyst", "Methodologist", "Trainer", "Portfolio manager", "Tool admin"]


def catalogue(n: int, seed: int) -> list[Entry]:
    """n random entries; each needs 0-3 earlier ones, 1 in 50 an entry that is not chosen."""
    rng = random.Random(seed)
    entries: list[Entry] = []
    for k in range(n):
        prereqs = rng.sample([e.id for e in entries], k=min(len(entries), rng.choice([0, 0, 1, 1, 2, 3])))
        if rng.random() < 0.02:
            prereqs.append("not-chosen")
        entries.append(Entry(
            id=f"e{k:04d}", name=f"Entry {k}", type=rng.choice(["product", "service"]), description="",
            deliverables=(), dimensions={d: rng.randint(1, 3) for d in rng.sample(DIMS, rng.randint(1, 3))},
            maturity_min=1, maturity_max=5, effort=rng.choice([0.5, 1, 2, 3, 4, 6, 8, 12]), cost_band="low",
            change_load=rng.randint(1, 5), horizon=rng.choice(HORIZONS), prerequisites=tuple(prereqs),
            roles=tuple(rng.sample(ROLES, rng.randint(0, 2)))))
    return entries


def priorities(entries: list[Entry], seed: int) -> dict[str, float]:
    """Stand-in for the recommendations ranking (entry id -> score, higher first).

    The ranking is written elsewhere; `schedule` only needs this mapping, so swap this function for it.
    """
    rng = random.Random(seed + 1)
    return {e.id: round(rng.random(), 3) for e in entries}


def kind_of(reason: str) -> str:
    """The kind of an unplaced reason, for a short summary."""
    for marker, kind in (("which is not chosen", "prerequisite not chosen"),
                         ("which are not chosen", "prerequisite not chosen"),
                         ("which could not be placed", "prerequisite could not be placed"),
                         ("too large", "too large for any wave"), ("budgets too tight", "budgets too tight"),
                         ("no wave left", "no wave left after its prerequisites"),
                         ("pinned to", "pin refused"), ("moved to", "move refused"), ("cycle", "cycle")):
        if marker in reason:
            return kind
    return reason


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=500)
    ap.add_argument("--waves", type=int, default=12)
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)

    entries = catalogue(args.entries, args.seed)
    priority = priorities(entries, args.seed)
    current = {d: 1.5 + (k % 5) * 0.4 for k, d in enumerate(DIMS)}
    desired = {d: 4.0 for d in DIMS}
    total = sum(e.effort for e in entries)
    load = sum(e.change_load for e in entries)
    # Room for roughly 85 % of the work, so the budgets bite; a few pins, moves and overrides on top.
    rng = random.Random(args.seed + 2)
    ids = [e.id for e in entries]
    moved = rng.sample(ids, 5)
    plain = Settings(waves=args.waves, capacity=round(0.85 * total / args.waves),
                     change_budget=round(0.85 * load / args.waves))
    pinned = Settings(waves=args.waves, capacity=plain.capacity, change_budget=plain.change_budget,
                      pins={i: rng.randint(1, args.waves) for i in rng.sample(ids, 20)},
                      moves={i: rng.randint(1, args.waves) for i in moved}, overrides=frozenset(moved[:2]))

    print(f"catalogue: {len(entries)} entries, {sum(len(e.prerequisites) for e in entries)} prerequisite "
          f"links, {total:g} person-weeks, change load {load}")
    print(f"settings : {args.waves} waves, capacity {plain.capacity} pw and change budget "
          f"{plain.change_budget} per wave\n")
    for label, s in (("no pins", plain), ("20 pins, 5 moves, 2 overrides", pinned)):
        first = timed(lambda s=s: schedule(entries, priority, current, desired, s))
        run = lambda s=s: schedule(entries, priority, current, desired, s)  # noqa: E731
        runs = [timed(run) for _ in range(args.repeat)]
        rm = schedule(entries, priority, current, desired, s)
        placed = sum(len(w.items) for w in rm.waves)
        print(f"schedule, {label}:")
        print(f"  first call {ms(first)}   median {ms(statistics.median(runs))}   best {ms(min(runs))}"
              f"   ({args.repeat} runs)")
        print(f"  placed {placed}, unplaced {len(rm.unplaced)}, violations {len(rm.violations)}, "
              f"peak wave {max(w.effort for w in rm.waves):g} pw / {max(w.fte for w in rm.waves):g} FTE")
        for kind, count in sorted(Counter(kind_of(u.reason) for u in rm.unplaced).items()):
            print(f"    {count:4d} {kind}")
    item = next(i for w in rm.waves for i in w.items if i not in pinned.pinned())
    runs = [timed(lambda: check_move(entries, priority, pinned, item, 1)) for _ in range(args.repeat)]
    print(f"check_move (plans twice): median {ms(statistics.median(runs))}   best {ms(min(runs))}")


if __name__ == "__main__":
    main()
