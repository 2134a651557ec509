"""Recommendations and a roadmap for a 500-entry catalogue with prerequisites, 12 waves, pins and moves.

    python benchmarks/roadmap.py [--entries 500] [--waves 12] [--repeat 9] [--seed 1]

Builds a seeded random catalogue (prerequisites only on earlier entries, so acyclic; a few on entries that
are not chosen), ranks it with `recommend.rank` against seeded dimension scores and stakeholder groups,
and times in this process: the ranking, `roadmap.schedule` with the ranking's scores as priorities, the
two together (what a page or `python -m pmostep roadmap` does after scoring), and one `check_move` (which
plans twice). First call, then the median and best of `--repeat` more.
Target: recommendations and a roadmap under 1 s on a 2-core machine.
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

import pandas as pd

from pmostep.deployment.roadmap import Settings, check_move, schedule
from pmostep.planning import recommend
from pmostep.planning.scoring import GroupScores
from pmostep.products.catalogue import HORIZONS, Catalogue, Entry

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


def scores(seed: int) -> tuple[pd.DataFrame, list[GroupScores]]:
    """Seeded dimension scores of the whole assessment and of six stakeholder groups."""
    rng = random.Random(seed + 1)

    def frame(shift: float) -> pd.DataFrame:
        current = [round(1.3 + rng.random() * 2 + shift, 2) for _ in DIMS]
        desired = [round(min(5.0, c + 0.5 + rng.random() * 1.5), 2) for c in current]
        gaps = [w - c for c, w in zip(current, desired, strict=True)]
        return pd.DataFrame({"id": DIMS, "name": [f"Dimension {d[-2:]}" for d in DIMS], "current": current,
                             "desired": desired, "gap": gaps,
                             "importance": [round(2 + rng.random() * 3, 2) for _ in DIMS]})
    groups = [GroupScores(f"Group {k}", 20, {}, frame(rng.uniform(-0.5, 0.5)), pd.DataFrame())
              for k in range(6)]
    return frame(0.0), groups


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
    cat = Catalogue("benchmark", 1, tuple(entries))
    dims, groups = scores(args.seed)
    first = timed(lambda: recommend.rank(cat, dims, groups))
    runs = [timed(lambda: recommend.rank(cat, dims, groups)) for _ in range(args.repeat)]
    ranked = recommend.rank(cat, dims, groups)
    priority = {r.item: r.score for r in ranked}
    current = dict(zip(dims["id"], dims["current"], strict=True))
    desired = dict(zip(dims["id"], dims["desired"], strict=True))
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
    print("recommendations (rank 500 entries with reasons):")
    print(f"  first call {ms(first)}   median {ms(statistics.median(runs))}   best {ms(min(runs))}")
    both = [timed(lambda: schedule(entries, {r.item: r.score for r in recommend.rank(cat, dims, groups)},
                                   current, desired, plain)) for _ in range(args.repeat)]
    print(f"recommendations + roadmap together: median {ms(statistics.median(both))}   best {ms(min(both))}"
          "   (target < 1 s)\n")
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
