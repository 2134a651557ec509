"""Page speed: every facilitator page's full script run with 20,000 respondents in the assessment.

    python benchmarks/pages.py [--respondents 20000] [--repeat 3] [--db PATH|postgresql://...]

Builds the demo (and the earlier survey it follows up, scaled alike) with the given number of
respondents in a DuckDB file, then runs each page through Streamlit's AppTest inside app.py's frame:
once cold (caches cleared: the first visitor after new answers) and `--repeat` times warm (cached
queries, as every rerun after a click). On PostgreSQL, cold also drops the in-memory analytic copy
(store/responses.analytics), so it counts reading the rows out of the server. Prints the seconds per
page. Target: under 1.5 s per page on
a 2-core machine for the warm runs, with queries cached between reruns and refreshed when data changes.
AppTest logs bare-mode notices on stderr: `2>/dev/null` keeps only the table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from pmostep import demo, services  # noqa: E402
from pmostep.core import questionnaire  # noqa: E402
from pmostep.foundation import assessments  # noqa: E402
from pmostep.store import db, responses  # noqa: E402

PAGES = ["overview", "current_state", "gaps", "agreement", "stakeholder_groups", "comments", "trend",
         "recommendations", "roadmap", "catalogue", "foundation", "survey_links", "import_responses"]


def build(path: Path | str, respondents: int) -> float:
    start = time.perf_counter()
    con = db.connect(path)
    q = questionnaire.load()
    services.load_demo(con, q, respondents=respondents)
    con.close()
    return time.perf_counter() - start


def _has_demo(target: Path | str) -> bool:
    if isinstance(target, Path) and not target.exists():
        return False
    con = db.connect(target)
    try:
        return any(a["slug"] == "demo" for a in assessments.list_all(con))
    finally:
        con.close()


def timed_run(at: AppTest) -> float:
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(at.exception[0].message)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", help="a DuckDB file (built when missing) or a postgresql:// URL "
                                     "(the demo is loaded when the database has none)")
    args = parser.parse_args()
    path = db.resolve_path(args.db) if args.db else Path(tempfile.mkdtemp()) / "pages.duckdb"
    if not _has_demo(path):
        print(f"building the demo with {args.respondents:,} respondents "
              f"(and {demo.baseline_respondents(args.respondents):,} a year "
              f"earlier) in {path} ...")
        print(f"  built in {build(path, args.respondents):.1f} s")
    os.environ[db.ENV_VAR] = str(path)

    print(f"\n{'page':<20} {'cold s':>8} {'warm median s':>14} {'warm best s':>12}")
    worst = 0.0
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.run()
        at.switch_page(f"views/{page}.py")
        at.run()                                   # AppTest runs a switched-to page alone first
        st.cache_data.clear()
        responses._copies.clear()
        cold = timed_run(at)
        warm = [timed_run(at) for _ in range(args.repeat)]
        worst = max(worst, statistics.median(warm))
        print(f"{page:<20} {cold:>8.2f} {statistics.median(warm):>14.2f} {min(warm):>12.2f}")
    print(f"\nslowest warm page: {worst:.2f} s (target < 1.5 s)")


if __name__ == "__main__":
    main()
