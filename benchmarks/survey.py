"""Concurrent respondents: 200 people submit complete surveys at once through the pmostep API.

    python benchmarks/survey.py [--respondents 200] [--threads 16]

Threads in one process against one database file, as Streamlit runs sessions. Each respondent opens
the open link, saves 14 pages (12 dimensions, profile, comments) and submits. Prints throughput,
p50/p95 latency per submission (start to submit) and per page save, and checks that every response is
stored exactly once.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pmostep import assessments, db, questionnaire, survey


def respond(con, token: str, q, seed: int, page_times: list[float], lock: threading.Lock) -> float:
    rng = random.Random(seed)
    started = time.perf_counter()
    session = survey.start(con, token)
    for n, d in enumerate(q.dimensions, start=1):
        ratings = {s.id: (rng.choice([1, 2, 3, 4, 5, "na"]), rng.choice([3, 4, 5])) for s in d.statements}
        t = time.perf_counter()
        survey.save_page(con, session, n, ratings=ratings, importance={d.id: rng.randint(1, 5)})
        with lock:
            page_times.append(time.perf_counter() - t)
    survey.save_page(con, session, len(q.dimensions) + 1,
                     profile={p.id: rng.choice(p.options) for p in q.profile})
    survey.save_page(con, session, len(q.dimensions) + 2, comments={"pain_point": f"Comment {seed}"})
    survey.submit(con, session)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--respondents", type=int, default=200)
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args()
    q = questionnaire.load()
    with tempfile.TemporaryDirectory() as tmp:
        con = db.connect(Path(tmp) / "survey.duckdb")
        a = assessments.create(con, "load", q)
        token = survey.create_link(con, "load").token
        page_times: list[float] = []
        lock = threading.Lock()
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.threads) as pool:
            futures = [pool.submit(respond, con, token, q, i, page_times, lock)
                       for i in range(args.respondents)]
            latencies = sorted(f.result() for f in futures)
        elapsed = time.perf_counter() - started
        stored = con.execute(
            "SELECT count(*), count(DISTINCT id) FROM respondents WHERE assessment_id = ? "
            "AND completed_at IS NOT NULL", [a.id]).fetchone()
        answers = con.execute(
            "SELECT count(*), count(DISTINCT (respondent_id, statement_id)) FROM answers").fetchone()
        comments = con.execute("SELECT count(*), count(DISTINCT text) FROM comments").fetchone()

    def pct(values: list[float], p: float) -> float:
        return statistics.quantiles(values, n=100)[p - 1]

    page_times.sort()
    print(f"{args.respondents} respondents on {args.threads} threads: {elapsed:.1f} s, "
          f"{args.respondents / elapsed:.1f} submissions/s")
    print(f"per submission (start, 14 pages, submit): p50 {pct(latencies, 50):.2f} s, "
          f"p95 {pct(latencies, 95):.2f} s")
    print(f"per page save: p50 {pct(page_times, 50) * 1000:.0f} ms, p95 {pct(page_times, 95) * 1000:.0f} ms")
    once = stored == (args.respondents, args.respondents) and answers[0] == answers[1] and comments == (
        args.respondents, args.respondents)
    print(f"stored: {stored[0]} completed respondents, {answers[0]} answer rows "
          f"({answers[1]} distinct), {comments[0]} comments: "
          f"{'every response exactly once' if once else 'MISMATCH'}")


if __name__ == "__main__":
    main()
