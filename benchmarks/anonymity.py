"""How many of the demo's filters the anonymity rules allow, and what the publication costs.

    python benchmarks/anonymity.py [--respondents 150] [--big 100000]

Loads the demo into a temporary DuckDB file and counts, for every single-field filter (one field, one
value) and every two-field filter (two fields, one value each), whether it may be shown: under the old
rule (the filter keeps at least the minimum and leaves out none or at least the minimum) and under the
blocks of pmostep/core/anonymity.py (the guarantee against differencing), and how many ratings count under
the counted-ratings rule (docs/scoring.md). Then times the publication of
`--big` respondents arriving one by one (survey submissions), the worst case for the block builder.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import pandas as pd

from pmostep import demo, services
from pmostep.core import anonymity, questionnaire
from pmostep.foundation import assessments
from pmostep.planning import scoring
from pmostep.store import db, questionnaires, responses
from pmostep.store.db import transaction

FIELDS = ("group", "business_unit", "involvement")      # the filters the pages offer


def old_rule(kept: int, everyone: int, k: int) -> bool:
    return kept >= k and (everyone - kept == 0 or everyone - kept >= k)


def count_filters(pub: anonymity.Publication, completed: pd.DataFrame,
                  k: int) -> dict[str, tuple[int, int, int]]:
    """(filters, allowed before, allowed now) for one-field and two-field filters."""
    out = {}
    options = {f: sorted(completed[f].unique()) for f in FIELDS}
    singles = [{f: [v]} for f in FIELDS for v in options[f]]
    pairs = [{f: [v], g: [w]} for f, g in itertools.combinations(FIELDS, 2)
             for v in options[f] for w in options[g]]
    for name, filters in (("one field", singles), ("two fields", pairs)):
        before = now = 0
        for chosen in filters:
            kept = int(pd.concat([completed[f].isin(v) for f, v in chosen.items()], axis=1).all(axis=1).sum())
            before += old_rule(kept, len(completed), k)
            now += pub.view(chosen).withheld is None
        out[name] = (len(filters), before, now)
    return out


def counted_share(report: scoring.ScoreReport) -> str:
    """How many statement ratings count and how many are held back (docs/scoring.md, rule 3)."""
    frame = pd.concat([g.statements for g in report.groups])
    parts = []
    for side, n, held in (("current", "n", "n_held"), ("desired", "n_desired", "n_desired_held")):
        counted, back = int(frame[n].sum()), int(frame[held].sum())
        parts.append(f"{side} {counted} of {counted + back} ({counted / max(counted + back, 1):.0%})")
    suppressed = int(frame["suppressed"].sum())
    return "; ".join(parts) + f"; statements without figures {suppressed} of {len(frame)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=demo.DEFAULT_RESPONDENTS)
    parser.add_argument("--big", type=int, default=100_000)
    args = parser.parse_args()
    q = questionnaire.load()
    with tempfile.TemporaryDirectory() as tmp:
        con = db.connect(Path(tmp) / "demo.duckdb")
        questionnaires.register(con, q)
        services.load_demo(con, q, respondents=args.respondents)
        a = assessments.get(con, demo.DEMO_SLUG)
        pub = scoring.publication(con, a, q)
        with transaction(con) as cur:
            completed = responses.arrivals(cur, a.id, [p.id for p in q.profile])
        print(f"demo: {pub.completed} completed respondents, {pub.published} published, {pub.pending} "
              f"pending, {pub.table['block'].nunique()} blocks, minimum group size {a.min_group_size}")
        for name, (n, before, now) in count_filters(pub, completed, a.min_group_size).items():
            print(f"  {name} filters: {n}; allowed before (subtraction from the whole only) {before}; "
                  f"allowed with blocks {now}")
        by = {f: len(scoring.score(con, a, q, by=f).groups) for f in ("group", *FIELDS[1:], "tenure")}
        print("  groups shown per breakdown:", by)
        for name, report in (("whole assessment", scoring.score(con, a, q)),
                             ("by stakeholder group", scoring.score(con, a, q, by="group"))):
            print(f"  counted ratings, {name}: " + counted_share(report))

    rng = np.random.default_rng(1)
    n = args.big
    arrivals = pd.DataFrame({"id": np.arange(n), "event": np.arange(n)})
    for f in (p.id for p in q.profile):
        options = [*q.profile_question(f).options, "Not stated"]
        arrivals[f] = rng.choice(options, n)
    fields = [p.id for p in q.profile]
    times = []
    for _ in range(3):
        start = time.perf_counter()
        big = anonymity.publication(arrivals, fields, 5)
        times.append(time.perf_counter() - start)
    print(f"publication of {n:,} one-by-one arrivals: median {statistics.median(times):.2f} s, "
          f"{big.published:,} published in {big.table['block'].nunique():,} blocks, {big.pending} pending")


if __name__ == "__main__":
    main()
