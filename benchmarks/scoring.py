"""Scoring speed at scale: 100,000 respondents answering the whole questionnaire.

    python benchmarks/scoring.py [--respondents 100000] [--repeat 5] [--db PATH]

Builds the assessment in a DuckDB file through the same write path the app uses (responses.add), then
times `scoring.score` for the whole assessment and by stakeholder group in a fresh process, and prints
the median and best time and the peak memory (max RSS) of that process.
Targets on a 2-core machine: whole assessment < 1 s, a breakdown < 2 s, peak memory < 2 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import pandas as pd

from pmostep import services
from pmostep.core import questionnaire
from pmostep.planning import scoring
from pmostep.store import db, responses

SLUG = "bench"


def build(path: Path, n: int, seed: int = 1) -> float:
    """Write n synthetic respondents; return the seconds the write took."""
    q = questionnaire.load()
    con = db.connect(path)
    a = services.create_assessment(con, SLUG, q, name="Benchmark")
    rng = np.random.default_rng(seed)
    statements = q.statements
    s_ids = np.array([s.id for s in statements])
    k = len(statements)
    person = rng.normal(0, 0.5, n)
    base = rng.uniform(1.5, 3.0, k)
    cur = np.clip(np.rint(base[None, :] + person[:, None] + rng.normal(0, 0.6, (n, k))), 1, 5)
    des = np.clip(np.maximum(cur, np.rint(cur + rng.uniform(0.5, 2.0, (n, k)))), 1, 5)
    na = rng.random((n, k)) < 0.03
    keys = np.repeat(np.arange(n), k)
    answers = pd.DataFrame({
        "key": keys,
        "statement_id": np.tile(s_ids, n),
        "current": pd.array(np.where(na, np.nan, cur).ravel()).astype("Int64"),
        "current_na": na.ravel(),
        "desired": pd.array(des.ravel()).astype("Int64"),
        "desired_na": False,
    })
    groups = np.array(q.profile_question("group").options)
    units = np.array(q.profile_question("business_unit").options)
    profile = pd.concat([
        pd.DataFrame({"key": np.arange(n), "field": "group",
                      "value": groups[rng.integers(0, len(groups), n)]}),
        pd.DataFrame({"key": np.arange(n), "field": "business_unit",
                      "value": units[rng.integers(0, len(units), n)]}),
    ])
    d_ids = np.array([d.id for d in q.dimensions])
    importance = pd.DataFrame({"key": np.repeat(np.arange(n), len(d_ids)), "dimension_id": np.tile(d_ids, n),
                               "value": rng.integers(1, 6, n * len(d_ids))})
    now = pd.Timestamp("2026-11-01 09:00")
    batch = responses.ResponseBatch(
        respondents=pd.DataFrame({"key": np.arange(n), "source": "benchmark", "external_id": None,
                                  "started_at": now, "completed_at": now}),
        profile=profile, answers=answers, importance=importance,
        comments=pd.DataFrame(columns=["key", "question_id", "text"]),
    )
    started = time.perf_counter()
    with services.UnitOfWork(con) as uow:
        responses.add(uow.cur, a, q, batch)
        uow.commit()
    con.execute("CHECKPOINT")
    seconds = time.perf_counter() - started
    con.close()
    return seconds


def measure(path: Path, repeat: int) -> dict:
    """Runs in a fresh process: open the file, time the scoring calls, report peak memory."""
    con = db.connect(path)
    a, q = services.assessment_with_questionnaire(con, SLUG)
    out = {}
    for label, by in (("whole", None), ("by_group", "group"), ("by_business_unit", "business_unit")):
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            report = scoring.score(con, a, q, by=by)
            times.append(time.perf_counter() - started)
        out[label] = {"first_s": times[0], "median_s": statistics.median(times), "best_s": min(times),
                      "groups": len(report.groups)}
    out["respondents"] = report.respondents
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--db", type=Path, help="keep the database here (default: a temporary folder)")
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_only:
        print(json.dumps(measure(args.db, args.repeat)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.duckdb"
        if path.exists():
            path.unlink()
        write_s = build(path, args.respondents)
        answers = args.respondents * len(questionnaire.load().statements)
        print(f"built {args.respondents:,} respondents ({answers:,} answer rows) in {write_s:.2f} s "
              f"({path.stat().st_size / 1e6:.0f} MB file)")
        done = subprocess.run([sys.executable, __file__, "--measure-only", "--db", str(path),
                               "--repeat", str(args.repeat)], capture_output=True, text=True, check=True)
        result = json.loads(done.stdout)
        for label in ("whole", "by_group", "by_business_unit"):
            r = result[label]
            print(f"scores {label:<17} first {r['first_s']:.3f} s  median {r['median_s']:.3f} s  "
                  f"best {r['best_s']:.3f} s  ({r['groups']} groups)")
        print(f"peak memory of the scoring process: {result['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
