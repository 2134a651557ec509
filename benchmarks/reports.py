"""What building each deliverable costs: the demo (150 respondents) and an assessment of 20,000.

    python benchmarks/reports.py [--respondents 20000] [--repeat 3] [--only-demo] [--no-raw] [--only KEY]

For each assessment (the demo drawn by `services.load_demo` into a temporary DuckDB file, at its size and
at `--respondents`): `content.gather`, the one read every deliverable starts from, then each deliverable
built from it (`deliverables.build`). Wall-clock seconds, the median and best of `--repeat` runs (the PDF
includes Chromium's print), then one more run under tracemalloc for the peak of Python memory it
allocates; for the PDF, Chromium's own peak resident memory (the largest child process, from getrusage).
Then the workbook with one row per respondent (`--raw`), once: it grows with the respondents.
`--only KEY` builds one deliverable (`xlsx-raw`: only the workbook with one row per respondent).
Target on a 2-core machine: each deliverable under 5 s for the demo and under 15 s at 20,000 respondents,
gather included.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pmostep import demo, services
from pmostep.core import questionnaire
from pmostep.reports import content, deliverables
from pmostep.store import db

TARGETS = {demo.DEFAULT_RESPONDENTS: 5.0}       # seconds per deliverable; 15 s for the large assessment
RAW = "xlsx-raw"                                # --only: the workbook with one row per respondent


def timed(work: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    """(median s, best s, peak MB of Python allocations) of `work`."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return statistics.median(times), min(times), peak


def child_peak_mb() -> float:
    """The largest resident memory any finished child process (Chromium) reached, in MB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def bench(respondents: int, repeat: int, folder: Path, raw: bool, only: str | None) -> bool:
    """Print the figures for one assessment size (of `only`, when given); True when every deliverable
    meets its target."""
    q = questionnaire.load()
    started = time.perf_counter()
    con = db.connect(folder / f"reports-{respondents}.duckdb")
    services.load_demo(con, q, respondents=respondents)
    a, aq = services.assessment_with_questionnaire(con, demo.DEMO_SLUG)
    print(f"\n{respondents:,} respondents (demo drawn and stored in {time.perf_counter() - started:.1f} s)")
    target = TARGETS.get(respondents, 15.0)
    gather_median, gather_best, gather_peak = timed(lambda: content.gather(con, a, aq), repeat)
    c = content.gather(con, a, aq)
    print(f"{'':<28} {'median':>8} {'best':>8} {'+ gather':>9} {'peak':>9}   target {target:g} s")
    print(f"{'content.gather':<28} {gather_median:7.2f}s {gather_best:7.2f}s {'':>9} {gather_peak:6.0f} MB")
    ok = True
    for d in (d for d in deliverables.FORMATS if only in (None, d.key)):
        size = len(deliverables.build(d.key, c))
        median, best, peak = timed(lambda key=d.key: deliverables.build(key, c), repeat)
        total = median + gather_median
        ok &= total < target
        extra = f", Chromium peak RSS {child_peak_mb():.0f} MB" if d.key == "pdf" else ""
        print(f"{d.label:<28} {median:7.2f}s {best:7.2f}s {total:8.2f}s {peak:6.0f} MB   "
              f"{'ok' if total < target else 'OVER'} ({size / 1024:,.0f} KB{extra})")
    if raw and only in (None, RAW):  # asked for on the page or with --raw: once, it is the slowest
        started = time.perf_counter()
        rows = content.gather(con, a, aq, raw=True)
        read = time.perf_counter() - started
        median, _, peak = timed(lambda: deliverables.build("xlsx", rows), 1)
        total = median + read
        ok &= total < target
        print(f"{'  + one row per respondent':<28} {median:7.2f}s {'':>8} {total:8.2f}s {peak:6.0f} MB   "
              f"{'ok' if total < target else 'OVER'} (the workbook with its raw sheet)")
    con.close()
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only-demo", action="store_true", help="skip the large assessment")
    parser.add_argument("--no-raw", action="store_true", help="skip the workbook with one row per respondent")
    parser.add_argument("--only", choices=[*deliverables.KEYS, RAW],
                        help=f"build only this deliverable ({RAW}: the workbook with one row per respondent)")
    args = parser.parse_args()
    sizes = [demo.DEFAULT_RESPONDENTS] + ([] if args.only_demo else [args.respondents])
    with tempfile.TemporaryDirectory() as folder:
        results = [bench(n, args.repeat, Path(folder), not args.no_raw, args.only) for n in sizes]
    print("\nall within target" if all(results) else "\nsome deliverables are over their target")


if __name__ == "__main__":
    main()
