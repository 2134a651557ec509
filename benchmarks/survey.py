"""Concurrent respondents, through the pmostep API or through the real server.

    python benchmarks/survey.py [--respondents 200] [--threads 16]
    python benchmarks/survey.py --server [--client browser|ws] [--respondents 20] [--responses 3]
                                [--max-minutes 10] [--post-script-gc true|false]

API: threads in one process against one database file, as Streamlit runs sessions. Each respondent
opens the open link, saves 14 pages (12 dimensions, profile, comments) and submits. Prints throughput,
p50/p95 latency per submission (start to submit) and per page save.

--server: `streamlit run` on 127.0.0.1 and --respondents at once (at most 60 browsers, 200 ws); each
completes --responses responses one after another (a fresh session each, so the open link starts a
new response): it answers two statements on every dimension page, its group, a comment, and saves page
after page without pausing. Prints the server's CPU time per survey page (from /proc/PID/stat, before
and after), its memory (VmRSS sampled every half second), p50/p95 of a page save and per response,
and the load average.

--client browser (the default): one headless Chromium with a phone-sized page per respondent, a fresh
browser context per response; a save is the click until the next page has been drawn. The Chromium
renderers load the machine far more than the server does (20 of them saturate two cores), so with
many respondents this measures the browsers.
--client ws: benchmarks/ws_client.py, Streamlit's own browser protocol (WebSocket, BackMsg and
ForwardMsg protobufs) from this one asyncio process, a connection per response; a save is the submit
rerun sent until that run's script_finished, after checking that it drew the next page. This measures
the server's latency.

Both check the database afterwards: every response stored exactly once, nothing left in progress.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pmostep import services
from pmostep.core import questionnaire
from pmostep.initiation import survey
from pmostep.store import db
from tests.server import cpu_seconds, rss_mb
from ui import survey_keys

PHONE = {"width": 390, "height": 844}
MAX_WS = 200        # --client ws: respondents at once, at most


def respond(con, token: str, q, seed: int, page_times: list[float], lock: threading.Lock) -> float:
    rng = random.Random(seed)
    started = time.perf_counter()
    session = survey.start(con, token)
    for n, d in enumerate(q.dimensions, start=1):
        ratings = {s.id: (rng.choice([1, 2, 3, 4, 5, "na"]), rng.choice([3, 4, 5])) for s in d.statements}
        t = time.perf_counter()
        session = services.save_survey_page(con, session, n, ratings=ratings,
                                            importance={d.id: rng.randint(1, 5)})
        with lock:
            page_times.append(time.perf_counter() - t)
    session = services.save_survey_page(con, session, len(q.dimensions) + 1,
                                        profile={p.id: rng.choice(p.options) for p in q.profile})
    session = services.save_survey_page(con, session, len(q.dimensions) + 2,
                                        comments={"pain_point": f"Comment {seed}"})
    services.submit_survey(con, session)
    return time.perf_counter() - started


def pct(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if len(values) > 1 else values[0]


def stored_once(con, assessment_id: int, expected: int, answers_each: int | None = None) -> str:
    """A line saying whether the database holds every response exactly once, and nothing else."""
    done, in_progress = con.execute(
        "SELECT count(*) FILTER (WHERE completed_at IS NOT NULL), "
        "count(*) FILTER (WHERE completed_at IS NULL) FROM respondents WHERE assessment_id = ?",
        [assessment_id]).fetchone()
    answers, distinct = con.execute(
        "SELECT count(*), count(DISTINCT (respondent_id, statement_id)) FROM answers").fetchone()
    comments, texts = con.execute("SELECT count(*), count(DISTINCT text) FROM comments").fetchone()
    per_respondent = {r[0] for r in con.execute(
        "SELECT count(a.statement_id) FROM respondents r LEFT JOIN answers a ON a.respondent_id = r.id "
        "WHERE r.assessment_id = ? GROUP BY r.id", [assessment_id]).fetchall()}
    once = (done == expected and in_progress == 0 and answers == distinct and comments == texts == expected
            and (answers_each is None or per_respondent == {answers_each}))
    return (f"stored: {done} completed respondents ({expected} expected), {in_progress} in progress, "
            f"{answers} answer rows ({distinct} distinct; per respondent {sorted(per_respondent)}), "
            f"{comments} comments ({texts} distinct): "
            f"{'every response exactly once' if once else 'MISMATCH'}")


def through_api(args) -> None:
    q = questionnaire.load()
    with tempfile.TemporaryDirectory() as tmp:
        con = db.connect(Path(tmp) / "survey.duckdb")
        a = services.create_assessment(con, "load", q)
        token = services.open_link(con, "load").token
        page_times: list[float] = []
        lock = threading.Lock()
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.threads) as pool:
            futures = [pool.submit(respond, con, token, q, i, page_times, lock)
                       for i in range(args.respondents)]
            latencies = sorted(f.result() for f in futures)
        elapsed = time.perf_counter() - started
        check = stored_once(con, a.id, args.respondents)
    page_times.sort()
    print(f"{args.respondents} respondents on {args.threads} threads: {elapsed:.1f} s, "
          f"{args.respondents / elapsed:.1f} submissions/s")
    print(f"per submission (start, 14 pages, submit): p50 {pct(latencies, 50):.2f} s, "
          f"p95 {pct(latencies, 95):.2f} s")
    print(f"per page save: p50 {pct(page_times, 50) * 1000:.0f} ms, p95 {pct(page_times, 95) * 1000:.0f} ms")
    print(check)


async def one_response(browser, url: str, q, who: int, number: int, saves: list[float]) -> float:
    """Answer the survey once in a fresh phone-sized context; return the seconds it took."""
    rng = random.Random(who * 1000 + number)
    context = await browser.new_context(viewport=PHONE)
    page = await context.new_page()
    page.set_default_timeout(120_000)
    started = time.perf_counter()
    total = len(q.dimensions) + 3
    try:
        await page.goto(url)
        await idle(page)
        for n in range(1, total + 1):
            dimension = q.dimensions[n - 2] if 2 <= n <= len(q.dimensions) + 1 else None
            if dimension is not None:
                for s in dimension.statements[:2]:
                    for key in (survey_keys.current(s.id), survey_keys.desired(s.id)):
                        value = rng.randint(1, 5)
                        await page.locator(f".st-key-{key} button",
                                           has_text=f"{value} {q.level_label(value)}").click()
                        await idle(page)
            elif n == total - 1:
                group = q.profile[0]
                await page.locator(f".st-key-{survey_keys.profile(group.id)} label",
                                   has_text=rng.choice(group.options)).first.click()
                await idle(page)
            elif n == total:
                await page.locator(f".st-key-{survey_keys.comment(q.comments[0].id)} textarea").fill(
                    f"respondent {who} response {number}")
            clicked = time.perf_counter()
            await page.locator(".st-key-survey_next button").click()
            after = "Thank you!" if n == total else f"Page {n + 1} of {total}"
            await page.get_by_text(after, exact=True).wait_for()
            await idle(page)
            saves.append(time.perf_counter() - clicked)
    finally:
        await context.close()
    return time.perf_counter() - started


async def idle(page) -> None:
    await page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']"
                                 "[data-test-script-state='notRunning']")


async def drive(respond, args, pid: int) -> dict:
    """A warm-up response, then --respondents at once, each answering --responses times through
    `respond(who, number, saves)` (which returns a response's seconds); the server's CPU and memory."""
    saves: list[float] = []
    responses: list[float] = []
    failures: list[str] = []
    skipped: list[str] = []
    rss: list[float] = []
    deadline = time.perf_counter() + args.max_minutes * 60

    async def respondent(who: int) -> None:
        for number in range(args.responses):
            if time.perf_counter() > deadline:      # a response once begun is finished
                skipped.append(f"respondent {who} response {number}")
                return
            try:
                responses.append(await respond(who, number, saves))
            except Exception as exc:        # counted and reported: the database check shows the rest
                failures.append(f"respondent {who} response {number}: {type(exc).__name__}: "
                                f"{str(exc).splitlines()[0][:200]}")
                return

    async def sample() -> None:
        while True:
            rss.append(rss_mb(pid))
            await asyncio.sleep(0.5)

    # A warm-up response (not counted): the first script run imports and caches everything.
    await respond(-1, 0, [])
    sampler = asyncio.create_task(sample())
    cpu_before, started = cpu_seconds(pid), time.perf_counter()
    await asyncio.gather(*(respondent(who) for who in range(args.respondents)))
    cpu_used, elapsed = cpu_seconds(pid) - cpu_before, time.perf_counter() - started
    sampler.cancel()
    return {"saves": saves, "responses": responses, "failures": failures, "skipped": skipped, "rss": rss,
            "cpu": cpu_used, "elapsed": elapsed}


async def through_browsers(url: str, q, args, pid: int) -> dict:
    """One headless Chromium, a fresh phone-sized context per response."""
    from playwright.async_api import async_playwright

    from tests.server import CHROMIUM, CHROMIUM_ARGS

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return await drive(lambda who, number, saves: one_response(browser, url, q, who, number, saves),
                               args, pid)
        finally:
            await browser.close()


async def through_websockets(url: str, q, args, pid: int) -> dict:
    """Streamlit's browser protocol from this process (benchmarks/ws_client.py), a connection per
    response: the same answers as the browser client, without a browser's load on the machine."""
    from benchmarks import ws_client

    async def respond(who: int, number: int, saves: list[float]) -> float:
        started = time.perf_counter()
        await ws_client.respond(url, q, who * 1000 + number, f"respondent {who} response {number}", saves)
        return time.perf_counter() - started

    return await drive(respond, args, pid)


CLIENTS = {"browser": through_browsers, "ws": through_websockets}
SAVE_MEASURED = {"browser": "click to next page drawn", "ws": "submit sent to script_finished"}


def through_server(args) -> None:
    from tests.server import running_server

    q = questionnaire.load()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "survey.duckdb"
        con = db.connect(path)
        a = services.create_assessment(con, "load", q, min_group_size=1)
        link = services.open_link(con, "load")
        con.close()
        options = {} if args.post_script_gc is None else {"runner.postScriptGC": args.post_script_gc}
        with running_server(path, options=options) as (url, proc):
            rss_start = rss_mb(proc.pid)
            result = asyncio.run(CLIENTS[args.client](url + link.path, q, args, proc.pid))
        report(args, q, result, rss_start)
        con = db.connect(path)
        # + the warm-up response; two statements answered on every dimension page
        print(stored_once(con, a.id, len(result["responses"]) + 1, answers_each=2 * len(q.dimensions)))
        con.close()


def report(args, q, result: dict, rss_start: float) -> None:
    pages = len(result["responses"]) * (len(q.dimensions) + 3)
    saves, rss = sorted(result["saves"]), result["rss"]
    gc = "default (config.toml)" if args.post_script_gc is None else args.post_script_gc
    client = "" if args.client == "browser" else f"{args.client} client, "
    print(f"{args.respondents} concurrent respondents x {args.responses} responses through the server "
          f"({client}runner.postScriptGC {gc}): {len(result['responses'])} responses, {pages} survey pages "
          f"in {result['elapsed']:.1f} s; load average {os.getloadavg()[0]:.1f}")
    if pages:
        print(f"server CPU: {result['cpu']:.1f} s, {result['cpu'] / pages:.3f} s per survey page, "
              f"{result['cpu'] / len(result['responses']):.2f} s per response")
        print(f"page save ({SAVE_MEASURED[args.client]}): p50 {pct(saves, 50):.2f} s, "
              f"p95 {pct(saves, 95):.2f} s, max {saves[-1]:.2f} s; "
              f"per response p50 {pct(sorted(result['responses']), 50):.1f} s")
    print(f"server RSS: {rss_start:.0f} MB after start, peak {max(rss, default=0):.0f} MB, "
          f"at the end {rss[-1] if rss else 0:.0f} MB")
    if result["skipped"]:
        print(f"not begun within --max-minutes: {len(result['skipped'])} responses")
    for failure in result["failures"]:
        print("FAILED", failure)
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", action="store_true", help="through streamlit run and Chromium")
    parser.add_argument("--respondents", type=int, help="at once (200 through the API, 20 on the server)")
    parser.add_argument("--threads", type=int, default=16, help="API: worker threads")
    parser.add_argument("--responses", type=int, default=3, help="server: responses per respondent")
    parser.add_argument("--max-minutes", type=float, default=10,
                        help="server: begin no new response after this")
    parser.add_argument("--client", choices=sorted(CLIENTS), default="browser",
                        help="server: headless Chromium pages, or Streamlit's protocol from Python (ws)")
    parser.add_argument("--post-script-gc", choices=["true", "false"],
                        help="server: override runner.postScriptGC of .streamlit/config.toml")
    args = parser.parse_args()
    if args.server:
        # bounded: one machine, 127.0.0.1 only
        args.respondents = min(args.respondents or 20, 60 if args.client == "browser" else MAX_WS)
        through_server(args)
    else:
        args.respondents = args.respondents or 200
        through_api(args)


if __name__ == "__main__":
    main()
