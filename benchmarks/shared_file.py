"""Reading a database another process holds: the cost of the copy the CLI reads instead.

    python benchmarks/shared_file.py [--respondents 20000] [--repeat 7]

Builds the demo with that many respondents, holds the file from a second process (as the app does),
then times `db.snapshot` (copy the file and its log, open the copy, one query, delete it) against a
plain read-only open of the same file once it is free, and prints medians.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pmostep import services
from pmostep.core import questionnaire
from pmostep.store import db

QUERY = "SELECT count(*) FROM respondents"


def timed(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--respondents", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    path = folder / "shared.duckdb"
    con = db.connect(path)
    services.load_demo(con, questionnaire.load(), respondents=args.respondents)
    con.close()
    print(f"{args.respondents} respondents: {path.stat().st_size / 1e6:.1f} MB")

    def snapshot() -> None:
        with db.snapshot(path) as copy:
            copy.execute(QUERY).fetchone()

    hold = f"import duckdb,time; c=duckdb.connect({str(path)!r}); print('ok', flush=True); time.sleep(600)"
    holder = subprocess.Popen([sys.executable, "-c", hold], stdout=subprocess.PIPE, text=True)
    try:
        holder.stdout.readline()
        print(f"read through a copy while held: {timed(snapshot, args.repeat):.0f} ms")
    finally:
        holder.kill()
        holder.wait()

    def direct() -> None:
        with db.connect(path, read_only=True) as free:
            free.execute(QUERY).fetchone()

    print(f"read-only open once free:       {timed(direct, args.repeat):.0f} ms")
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
