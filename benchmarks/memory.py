"""Server memory and CPU per page view, with and without Streamlit's gc.collect() after every script run.

    python benchmarks/memory.py [--respondents 2000] [--rounds 5]

Builds the demo with the given number of respondents, then, for runner.postScriptGC true and false in
turn, starts `streamlit run` on 127.0.0.1 and opens every facilitator page (and the survey) in one
headless Chromium, `--rounds` times over. Prints the server's CPU time per page view (from
/proc/PID/stat) and its resident memory (VmRSS) after start, after the first round, after the last
and at its peak: the evidence for `postScriptGC = false` in .streamlit/config.toml.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pmostep import services
from pmostep.core import questionnaire
from pmostep.store import db
from tests.server import CHROMIUM, CHROMIUM_ARGS, cpu_seconds, rss_mb, running_server, wait_for_app

PAGES = ["", "foundation", "survey_links", "import_responses", "current_state", "gaps", "agreement",
         "stakeholder_groups", "comments", "trend", "recommendations", "roadmap", "catalogue"]


def measure(path: Path, link_path: str, rounds: int, gc: str) -> dict:
    from playwright.sync_api import sync_playwright

    with running_server(path, options={"runner.postScriptGC": gc}) as (url, proc), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        started_mb = rss_mb(proc.pid)
        after, peak, views = [], started_mb, 0
        cpu_before = cpu_seconds(proc.pid)
        for _ in range(rounds):
            for name in [*PAGES, link_path]:
                page.goto(f"{url}/{name}")
                wait_for_app(page)
                time.sleep(0.2)                          # let the closed session's run end
                views += 1
                peak = max(peak, rss_mb(proc.pid))
            after.append(rss_mb(proc.pid))
        cpu = cpu_seconds(proc.pid) - cpu_before
        browser.close()
    return {"start": started_mb, "after": after, "peak": peak, "cpu": cpu, "views": views}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--respondents", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "memory.duckdb"
        con = db.connect(path)
        services.load_demo(con, questionnaire.load(), respondents=args.respondents)
        link = services.open_link(con, "demo")
        con.close()
        for gc in ("true", "false"):
            r = measure(path, link.path.lstrip("/"), args.rounds, gc)
            rounds = ", ".join(f"{mb:.0f}" for mb in r["after"])
            print(f"runner.postScriptGC {gc}: {r['views']} page views, "
                  f"server CPU {r['cpu'] / r['views']:.3f} s per view; RSS {r['start']:.0f} MB after start, "
                  f"after each round {rounds} MB, "
                  f"peak {r['peak']:.0f} MB")


if __name__ == "__main__":
    main()
