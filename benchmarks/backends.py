"""Scoring on PostgreSQL against the DuckDB file: what the analytic copy costs.

    python benchmarks/backends.py --pg postgresql://... [--respondents 150 20000 100000] [--repeat 3]

For each size, builds the demo in a DuckDB file and in a fresh PostgreSQL database (created on the
server the URL names, dropped afterwards), then times, in this process: reading the assessment's rows
out of PostgreSQL into the in-memory DuckDB (store/responses.analytics: COPY -> Arrow -> DuckDB), the
whole-assessment score and the breakdown by stakeholder group cold (no copy held) and warm (copy held;
the median of --repeat), on both backends. Targets: warm within 1.2x of the file; cold load of a
20,000-respondent assessment under 2 s. `python -m tests.pg_cluster start` gives a throwaway server.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg

from pmostep import services
from pmostep.core import questionnaire
from pmostep.foundation import assessments
from pmostep.planning import scoring
from pmostep.store import db, responses


def _seconds(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def measure(con, q, repeat: int, postgres: bool) -> dict[str, float]:
    a = assessments.get(con, "demo")
    scoring.score(con, a, q)                       # the publication settled, as after any arrival
    out = {}
    if postgres:
        responses._copies.clear()
        out["copy"] = _seconds(lambda: responses._analytic_copy(con, a.id))
    for name, by in (("whole", None), ("by group", "group")):
        responses._copies.clear()
        out[f"{name} cold"] = _seconds(lambda by=by: scoring.score(con, a, q, by=by))
        out[f"{name} warm"] = statistics.median(
            _seconds(lambda by=by: scoring.score(con, a, q, by=by)) for _ in range(repeat))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", required=True, help="a postgresql:// URL of a server to create databases on")
    parser.add_argument("--respondents", type=int, nargs="+", default=[150, 20000, 100000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    q = questionnaire.load()
    print(f"{'respondents':>11} {'backend':<8} {'copy s':>7} {'whole cold':>10} {'whole warm':>10} "
          f"{'group cold':>10} {'group warm':>10}")
    for n in args.respondents:
        name = "bench_" + uuid.uuid4().hex[:8]
        with psycopg.connect(args.pg, autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}")
        url = args.pg.rsplit("/", 1)[0] + "/" + name
        try:
            with tempfile.TemporaryDirectory() as folder:
                rows = {}
                for backend, target in (("file", Path(folder) / "b.duckdb"), ("postgres", url)):
                    con = db.connect(target)
                    services.register_questionnaire(con, q)
                    services.load_demo(con, q, respondents=n)
                    rows[backend] = measure(con, q, args.repeat, backend == "postgres")
                    con.close()
                for backend, r in rows.items():
                    copy = f"{r['copy']:>7.2f}" if "copy" in r else f"{'-':>7}"
                    print(f"{n:>11,} {backend:<8} {copy} {r['whole cold']:>10.3f} {r['whole warm']:>10.3f} "
                          f"{r['by group cold']:>10.3f} {r['by group warm']:>10.3f}")
                f, p = rows["file"], rows["postgres"]
                print(f"{'':>11} warm ratio postgres/file: whole {p['whole warm'] / f['whole warm']:.2f}x, "
                      f"by group {p['by group warm'] / f['by group warm']:.2f}x")
        finally:
            with psycopg.connect(args.pg, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


if __name__ == "__main__":
    main()
