"""What making downloads safe to open in a spreadsheet costs (pmostep/core/safe_cells.py).

    python benchmarks/downloads.py [--comments 100000] [--template-rows 20000] [--repeat 5]

Times in this process, the median and the best of `--repeat` runs (the best is the steadier figure on a
shared machine): a comments table of `--comments` rows (one in ten
starting with = + - or @) as plain `DataFrame.to_csv` and as `safe_cells.csv_bytes`; the shipped
catalogue's workbook and the Excel answer template (`template_xlsx`, which go over every cell before
saving); and taking the added quotes off a PMOStep template sheet of `--template-rows` respondents
(`safe_cells.restore_table`, what the import does to it).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd
import pyarrow as pa

from pmostep.core import questionnaire, safe_cells
from pmostep.initiation import platform_guide
from pmostep.products import catalogue


def timings(work: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and best wall-clock seconds of `repeat` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def comments(n: int, seed: int = 1) -> pd.DataFrame:
    rng = random.Random(seed)
    texts = ["Too many status reports nobody reads", "We need one template", "=HYPERLINK(\"x\")",
             "Reporting takes a day a week", "-lean PMO please", "Good", "@mention the sponsor"]
    return pd.DataFrame({"Question": "What is the biggest pain point?",
                         "Stakeholder group": [rng.choice(["Project manager", "Sponsor"]) for _ in range(n)],
                         "Comment": [rng.choice(texts) for _ in range(n)]})


def template_sheet(q: questionnaire.Questionnaire, rows: int) -> pa.Table:
    labels = platform_guide.answer_labels(q)
    width = len(platform_guide.template_headers(q))
    return pa.table({str(i): pa.array([labels[(r + i) % len(labels)] for r in range(rows + 1)])
                     for i in range(width)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--template-rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    q = questionnaire.load()
    table = comments(args.comments)
    shipped = catalogue.load()
    sheet = template_sheet(q, args.template_rows)
    rows = [
        (f"comments CSV, {args.comments:,} rows, plain to_csv", lambda: table.to_csv(index=False).encode()),
        (f"comments CSV, {args.comments:,} rows, safe_cells.csv_bytes", lambda: safe_cells.csv_bytes(table)),
        (f"catalogue workbook, {len(shipped.entries)} entries", lambda: catalogue.template_xlsx(shipped)),
        ("Excel answer template", lambda: platform_guide.template_xlsx(q)),
        (f"restore_table, template of {args.template_rows:,} rows x {sheet.num_columns} columns",
         lambda: safe_cells.restore_table(sheet)),
    ]
    print(f"{'':<70} {'median':>8}    {'best':>8}")
    for label, work in rows:
        median, best = timings(work, args.repeat)
        print(f"{label:<70} {median * 1000:8.1f} ms {best * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
