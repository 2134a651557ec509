"""What the workshop's use cases and reads cost in-process, without a server (benchmarks/workshop.py
drives the real server with simulated phones).

    python benchmarks/workshop_core.py [--phones 100] [--threads 20]

Loads the demo into a temporary DuckDB file, starts a workshop with a dots and a rating activity, and
times: a join, an answer (one by one, then from `--threads` threads at once through services.answer,
each request sent twice), the stamp pages and phone streams poll, the room (console and projector)
and a phone's view. Checks that the answers stored equal the answers sent, none twice.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pmostep import services
from pmostep.core import questionnaire
from pmostep.store import db
from pmostep.workshop import live, store
from pmostep.workshop.activities import ActivityDraft

ENTRIES = ("pmo_charter", "project_inventory", "status_report_template")


def ms(seconds: list[float]) -> str:
    return f"median {statistics.median(seconds) * 1000:.1f} ms, max {max(seconds) * 1000:.1f} ms"


def timed(call, times: int) -> list[float]:
    out = []
    for _ in range(times):
        start = time.perf_counter()
        call()
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=100)
    parser.add_argument("--threads", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        con = db.connect(Path(folder) / "w.duckdb")
        services.load_demo(con, questionnaire.load())
        w = services.new_workshop(con, "demo", agenda=[
            ActivityDraft("dots", "Start with", ENTRIES, "entry"),
            ActivityDraft("rating", "Methodology", ("methodology",), "dimension")])
        dots, rating = (a["id"] for a in live.room(con, w.id)["activities"])
        tokens: list[str] = []
        joins = timed(lambda: tokens.append(services.join(con, w.code)), args.phones)
        services.open_round(con, dots)
        answers = []
        for n, token in enumerate(tokens):
            answers += timed(lambda t=token, n=n: services.answer(
                con, w.code, t, dots, {"dots": {"pmo_charter": 2, "project_inventory": 1}}, f"d-{n}"), 1)
        services.reveal(con, dots)
        services.open_round(con, rating)
        barrier, errors, stored = threading.Barrier(args.threads), [], []

        def phone(i: int) -> None:
            barrier.wait()
            for n in range(i, args.phones, args.threads):
                for _ in range(2):
                    try:
                        stored.append(services.answer(con, w.code, tokens[n], rating,
                                                      {"current": 1 + n % 5, "desired": 5}, f"r-{n}"))
                    except Exception as exc:     # reported below: nothing may fail
                        errors.append(exc)

        start = time.perf_counter()
        threads = [threading.Thread(target=phone, args=(i,)) for i in range(args.threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        burst = time.perf_counter() - start
        services.reveal(con, rating)
        with con.cursor() as cur:
            stamps = timed(lambda: store.stamp(cur, w.id), 100)
            rows = con.execute("SELECT count(*), count(DISTINCT participant_id) FROM workshop_answers "
                               "WHERE activity_id = ?", [rating]).fetchone()
        rooms = timed(lambda: live.room(con, w.id), 10)
        views = timed(lambda: live.public_view(con, w.code), 20)
        con.close()
    print(f"join: {ms(joins)}; answer one by one: {ms(answers)}")
    print(f"{args.threads} threads, {args.phones} phones each sending twice: {burst:.2f} s, "
          f"stored {stored.count(True)}, repeats told {stored.count(False)}, errors {len(errors)}; "
          f"rows {rows[0]} of {rows[1]} participants")
    print(f"stamp: {ms(stamps)}; room: {ms(rooms)}; phone view: {ms(views)}")
    if errors or rows[0] != args.phones or stored.count(True) != args.phones:
        sys.exit("answers were lost or stored twice")


if __name__ == "__main__":
    main()
