"""Hostile uploads at full size: peak memory and time of `python -m pmostep import` on each.

    python benchmarks/hostile.py [--only NAME ...] [--keep DIR]

Each file is built in a temporary folder (tests/hostile.py) and imported with the default limits in
a fresh process (`import FILE --dry-run --format json`), which reports its own peak RSS and the time
of the import itself (the process time adds starting Python and loading pandas, DuckDB and Arrow).
Target: every refused file under 400 MB peak, refused within seconds. Exits 1 when a refused file
passes 400 MB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_MB = 400

# Runs in the child: the CLI import, then its time (without starting Python and loading the libraries)
# and its own peak RSS on the last line of stdout.
CHILD = """
import json, resource, sys, time
from pmostep import cli
started = time.perf_counter()
code = cli.main(["import", sys.argv[1], "--assessment", "hostile", "--db", sys.argv[2], "--dry-run",
                 "--format", "json"])
print(json.dumps({"code": code, "import_s": time.perf_counter() - started,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def cases() -> dict:
    from tests import hostile

    renamed = hostile.renamed()
    return {
        "zip bomb (styles unpack to 893 MB)": lambda: hostile.bomb(893),
        "sparse sheet (A1 and ZZ200000)": hostile.sparse_sheet,
        "5 million shared strings": lambda: hostile.shared_strings(5_000_000),
        "one 30 MB shared string": lambda: hostile.giant_shared_string(30),
        "cell nested 2 million deep": lambda: hostile.nested_cell(2_000_000),
        "CSV of 200,000 columns": lambda: hostile.wide_csv(200_000),
        "CSV with a line of 200,000 fields": lambda: hostile.ragged_csv(200_000),
        "CSV of 24 million rows (45 MB)": lambda: hostile.tall_csv(45),
        "CSV with one 40 MB cell": lambda: hostile.giant_cell_csv(40),
        "CSV with one 45 MB line": lambda: hostile.giant_line_csv(45),
        **{name: (lambda pair=pair: pair) for name, pair in renamed.items()},
        "formula saved without its value": lambda: hostile.formula_export()[:2],
    }


def measure(path: Path, db: Path) -> dict:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), str(db)], capture_output=True, text=True,
                          cwd=ROOT)
    seconds = time.perf_counter() - started
    last = json.loads(done.stdout.strip().splitlines()[-1])
    report = done.stdout.strip().splitlines()[:-1]
    if last["code"] != 0 or not report:
        outcome = "refused: " + done.stderr.strip().removeprefix("error: ")
    else:
        doc = json.loads("\n".join(report))
        outcome = (f"read: {doc['rows_read']} rows, {doc['problems_total']} problems"
                   + (f" ({doc['problems'][0]['message']})" if doc["problems"] else "")
                   + (f"; {doc['fatal']}" if doc["fatal"] else ""))
    return {"seconds": seconds, "import_s": last["import_s"], "peak_mb": last["peak_mb"], "outcome": outcome,
            "refused": last["code"] != 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="+", metavar="WORD", help="only the cases whose name has one of them")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="write the files here and keep them")
    args = parser.parse_args()
    over = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for n, (label, build) in enumerate(cases().items()):
            if args.only and not any(w.lower() in label.lower() for w in args.only):
                continue
            name, data = build()
            path = folder / f"{n:02d}-{name}"
            path.write_bytes(data)
            del data
            r = measure(path, Path(tmp) / f"{n}.duckdb")
            print(f"{label:<36} {path.stat().st_size / 1e6:7.1f} MB  peak {r['peak_mb']:5.0f} MB  "
                  f"import {r['import_s']:5.2f} s (process {r['seconds']:5.1f} s)  {r['outcome'][:110]}",
                  flush=True)
            if r["refused"] and r["peak_mb"] >= TARGET_MB:
                over.append(label)
    if over:
        raise SystemExit(f"over {TARGET_MB} MB when refused: {', '.join(over)}")


if __name__ == "__main__":
    main()
