"""Import speed: a Microsoft Forms-style export of 20,000 and 100,000 respondents, end to end.

    python benchmarks/import.py [--sizes 20000 100000] [--skip-openpyxl]

For each size it writes the export once (cached in benchmarks/out/), then, each in a fresh process,
times and reports peak memory (max RSS) of:
  - pandas.read_excel with openpyxl (the common default),
  - fastexcel to Arrow (calamine; the fastest raw reader measured here, see
    shared/engineering/performance-facts.md), which the importer uses,
  - the full import: read, recognise, map, validate and write into a new DuckDB file.
Target on a 2-core machine: the 100,000-respondent import within 2x of the fastest raw read, peak
memory under 2.5 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "benchmarks" / "out"


def write_export(path: Path, n: int, seed: int = 7) -> None:
    """A Forms-style workbook: shared strings, real date cells, labels in the Likert columns."""
    import numpy as np
    import xlsxwriter

    from pmostep.core import questionnaire

    q = questionnaire.load()
    rng = np.random.default_rng(seed)
    labels = [f"{p.value} - {p.label}" for p in q.scale] + [q.not_applicable_label]
    importance = [f"{p.value} - {p.label}" for p in q.importance_scale]
    header = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"]
    header += [p.text for p in q.profile]
    for d in q.dimensions:
        header += [s.text for s in d.statements] + [f"{s.text}2" for s in d.statements]
    header += [d.name for d in q.dimensions] + [c.text for c in q.comments]
    k = 2 * len(q.statements)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": False})
    ws = wb.add_worksheet("Sheet1")
    date_format = wb.add_format({"num_format": "m/d/yy h:mm:ss"})
    ws.write_row(0, 0, header)
    start = datetime(2026, 10, 1, 8, 0)
    ratings = rng.choice(len(labels), size=(n, k), p=[0.2, 0.3, 0.25, 0.12, 0.08, 0.05])
    blanks = rng.random((n, k)) < 0.02
    imp = rng.integers(0, 5, size=(n, len(q.dimensions)))
    for i in range(n):
        t = start + timedelta(seconds=int(i * 13))
        row = [i + 1, t, t + timedelta(minutes=11), "anonymous", None, None]
        row += [p.options[(i + j) % len(p.options)] for j, p in enumerate(q.profile)]
        row += [None if blanks[i, j] else labels[ratings[i, j]] for j in range(k)]
        row += [importance[v] for v in imp[i]]
        row += ["Too many projects at once" if i % 7 == 0 else None, None]
        ws.write_row(i + 1, 0, row)
        ws.write_datetime(i + 1, 1, t, date_format)
        ws.write_datetime(i + 1, 2, t + timedelta(minutes=11), date_format)
    wb.close()


def run_one(method: str, path: Path) -> dict:
    """One method in this (fresh) process; libraries are loaded before the clock starts."""
    import fastexcel
    import pandas as pd

    from pmostep import services
    from pmostep.core import questionnaire
    from pmostep.initiation.imports import pipeline
    from pmostep.store import db

    q = questionnaire.load()
    started = time.perf_counter()
    if method == "pandas_openpyxl":
        rows = len(pd.read_excel(path, engine="openpyxl"))
    elif method == "fastexcel_arrow":
        rows = fastexcel.read_excel(str(path)).load_sheet(0, header_row=None, dtypes="string").to_arrow()
        rows = rows.num_rows - 1
    elif method == "pmostep_import":
        with tempfile.TemporaryDirectory() as tmp:
            con = db.connect(Path(tmp) / "bench.duckdb")
            plan = pipeline.prepare(con, q, path.name, path.read_bytes(), None,
                                 max_bytes=500 * 1024 * 1024)
            result = services.import_prepared(con, q, plan, "bench")
            rows = result.respondents_added
            con.close()
    else:
        raise SystemExit(f"unknown method {method}")
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": rows,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--skip-openpyxl", action="store_true", help="skip the slow pandas/openpyxl read")
    parser.add_argument("--one", nargs=2, metavar=("METHOD", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one[0], Path(args.one[1]))))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    methods = ["fastexcel_arrow", "pmostep_import"] + ([] if args.skip_openpyxl else ["pandas_openpyxl"])
    for n in args.sizes:
        path = OUT / f"msforms-{n}.xlsx"
        if not path.exists():
            started = time.perf_counter()
            write_export(path, n)
            took = time.perf_counter() - started
            print(f"wrote {path.name} ({path.stat().st_size / 1e6:.1f} MB) in {took:.0f} s")
        results = {}
        for method in methods:
            done = subprocess.run([sys.executable, __file__, "--one", method, str(path)], capture_output=True,
                                  text=True, check=True)
            results[method] = json.loads(done.stdout.strip().splitlines()[-1])
            r = results[method]
            print(f"{n:>7,} respondents  {method:<16} {r['seconds']:7.2f} s  peak {r['peak_rss_mb']:6.0f} MB"
                  f"  ({r['rows']:,} rows)")
        ratio = results["pmostep_import"]["seconds"] / results["fastexcel_arrow"]["seconds"]
        print(f"{n:>7,} respondents  import / fastest raw read = {ratio:.2f}x")


if __name__ == "__main__":
    main()
