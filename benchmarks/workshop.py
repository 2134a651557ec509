"""A room of phones in a workshop, through the real server: join, answer, see the others' answers arrive.

    python benchmarks/workshop.py [--phones 100] [--seconds 9] [--repeats 10] [--changes 20]

Builds the demo in a temporary DuckDB file with a workshop whose first rating round is open (through
services, before the server starts: the server then holds the file), starts `streamlit run` on it and
drives --phones simulated phones from this one asyncio process over raw HTTP/1.1 (no browser): each
joins (POST /api/workshop/join), opens the server-sent events (GET /api/workshop/events), then answers
once at its turn, one phone every --seconds/--phones seconds; --repeats phones send their request twice
(a double tap: the same request_id) and --changes phones change their answer afterwards (a new one).

Prints the server's CPU (from /proc/PID/stat) while the phones listen idle and while they answer, its
memory (VmRSS), the answer's round trip, and p50/p95 from an answer sent until the answered count
reaches it on the other phones' streams (every phone's stream but the sender's). The answers go one at
a time, so the k-th answer sent is the k-th stored; the script says how many overlapped. After the
server stops it counts the answers in the file: one per request_id sent, one counted per phone.
A projector page (views/workshop_projector.py) is open in a headless Chromium during the answers, as in
the room: p50/p95 from an answer sent until the projector's "N answered" reaches it (wall clock, which
the browser shares). The reveal is timed by a facilitator's browser pressing Reveal on the console page
when that page exists (views/workshop_console.py); otherwise the script says so.
Target on 2 cores: p95 under 1 s, server CPU under 50 % of one core, nothing lost.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pmostep import demo, services  # noqa: E402
from pmostep.core import questionnaire  # noqa: E402
from pmostep.store import db  # noqa: E402
from pmostep.workshop import store  # noqa: E402
from pmostep.workshop.activities import ActivityDraft  # noqa: E402
from tests.server import cpu_seconds, rss_mb, running_server  # noqa: E402
from web import phone as web_phone  # noqa: E402

CONSOLE = ROOT / "views" / "workshop_console.py"
PROJECTOR = ROOT / "views" / "workshop_projector.py"


@dataclass
class Phone:
    """One simulated phone: its token, and the answered counts its stream showed, with their times."""

    number: int
    token: str = ""
    seen: list[tuple[float, int]] = field(default_factory=list)
    revealed_at: float | None = None
    ready: asyncio.Event = field(default_factory=asyncio.Event)


async def http(host: str, port: int, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    """One request on a fresh connection (Connection: close): its status and JSON."""
    reader, writer = await asyncio.open_connection(host, port)
    data = json.dumps(body).encode() if body is not None else b""
    head = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close",
            "Accept: application/json"]
    if body is not None:
        head += ["Content-Type: application/json", f"Content-Length: {len(data)}"]
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + data)
    await writer.drain()
    raw = await reader.read()
    writer.close()
    header, _, payload = raw.partition(b"\r\n\r\n")
    if b"transfer-encoding: chunked" in header.lower():
        payload = b"".join(_dechunk(payload))
    return int(header.split(b" ", 2)[1]), json.loads(payload or b"{}")


def _dechunk(payload: bytes):
    while payload:
        size, _, rest = payload.partition(b"\r\n")
        n = int(size, 16)
        if n == 0:
            return
        yield rest[:n]
        payload = rest[n + 2:]


async def listen(host: str, port: int, code: str, who: Phone, activity_id: int) -> None:
    """Read the phone's event stream until cancelled: note each answered count, and the revealed results."""
    reader, writer = await asyncio.open_connection(host, port)
    writer.write((f"GET /api/workshop/events?c={code} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                  "Accept: text/event-stream\r\n\r\n").encode())
    await writer.drain()
    header = await reader.readuntil(b"\r\n\r\n")
    chunked = b"transfer-encoding: chunked" in header.lower()
    buffer = b""
    try:
        while True:
            if chunked:
                size = int((await reader.readline()).strip(), 16)
                if size == 0:
                    return
                buffer += await reader.readexactly(size)
                await reader.readexactly(2)
            else:
                buffer += await reader.read(65536)
            while b"\n\n" in buffer:
                message, buffer = buffer.split(b"\n\n", 1)
                now = time.perf_counter()
                fields = dict(line.split(": ", 1) for line in message.decode().splitlines()
                              if ": " in line and not line.startswith(":"))
                if fields.get("event") != "state":
                    continue
                activity = json.loads(fields["data"])["activity"] or {}
                if activity.get("id") == activity_id:
                    who.seen.append((now, activity["answered"]))
                    if activity.get("results") and who.revealed_at is None:
                        who.revealed_at = now
                who.ready.set()
    finally:
        writer.close()


def pct(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if len(values) > 1 else values[0]


async def reveal_on_console(url: str, console: str, phones: list[Phone]) -> str:
    """Press Reveal on the console page in a facilitator's browser; the time until the phones show results."""
    from playwright.async_api import async_playwright

    from tests.server import CHROMIUM, CHROMIUM_ARGS

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 1280, "height": 720})
            await page.goto(f"{url}/{console}")
            button = page.locator(".st-key-console_reveal button")
            await button.wait_for(timeout=60_000)
            pressed = time.perf_counter()
            await button.click()
            deadline = pressed + 30
            while time.perf_counter() < deadline and any(ph.revealed_at is None for ph in phones):
                await asyncio.sleep(0.02)
        finally:
            await browser.close()
    delays = sorted(ph.revealed_at - pressed for ph in phones if ph.revealed_at is not None)
    if not delays:
        return "reveal: pressed Reveal on the console, but no phone showed results within 30 s"
    return (f"reveal (console's Reveal clicked -> results on the phones' streams, {len(delays)} of "
            f"{len(phones)} phones): p50 {pct(delays, 50) * 1000:.0f} ms, "
            f"p95 {pct(delays, 95) * 1000:.0f} ms")


# Runs in the projector page: note the wall-clock time whenever its "N answered" count goes up.
WATCH = """() => { window.seen = []; setInterval(() => {
    const m = document.body.innerText.match(/(\\d+) answered/);
    const n = m ? Number(m[1]) : 0;
    if (!window.seen.length || window.seen[window.seen.length - 1][1] < n) window.seen.push([Date.now(), n]);
}, 20); }"""


@contextlib.asynccontextmanager
async def projector(url: str, console: str):
    """The projector page (views/workshop_projector.py) open in a browser, as in the room, noting when
    its count of answers moves; yields a coroutine function that returns [(epoch seconds, count)]."""
    from playwright.async_api import async_playwright

    from tests.server import CHROMIUM, CHROMIUM_ARGS

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 1920, "height": 1080})
            await page.goto(f"{url}/{console.replace('workshop_console', 'workshop_projector')}")
            await page.get_by_text(re.compile(r"\d+ answered")).first.wait_for(timeout=60_000)
            await page.evaluate(WATCH)

            async def seen() -> list[tuple[float, int]]:
                return [(t / 1000, n) for t, n in await page.evaluate("() => window.seen")]

            yield seen
        finally:
            await browser.close()


async def room(url: str, pid: int, code: str, activity_id: int, console: str, args) -> dict:
    """Join every phone, listen, answer at each phone's turn; the figures."""
    host, port = urlsplit(url).hostname, urlsplit(url).port
    phones = [Phone(n) for n in range(args.phones)]
    rss_start = rss_mb(pid)
    for ph in phones:                          # joining is a person typing a code: one after another
        status, body = await http(host, port, "POST", "/api/workshop/join", {"code": code})
        assert status == 200, body
        ph.token = body["token"]
    streams = [asyncio.create_task(listen(host, port, code, ph, activity_id)) for ph in phones]
    await asyncio.wait_for(asyncio.gather(*(ph.ready.wait() for ph in phones)), 60)
    rss_listening = rss_mb(pid)

    idle_cpu, idle_started = cpu_seconds(pid), time.perf_counter()
    await asyncio.sleep(5)
    idle = (cpu_seconds(pid) - idle_cpu) / (time.perf_counter() - idle_started)

    watching = contextlib.AsyncExitStack()
    seen_on_projector = (await watching.enter_async_context(projector(url, console)) if PROJECTOR.exists()
                         else None)
    rng = random.Random(7)
    repeats = set(rng.sample(range(args.phones), min(args.repeats, args.phones)))
    changes = set(rng.sample(range(args.phones), min(args.changes, args.phones)))
    gap = args.seconds / args.phones
    sent: list[float] = []
    sent_wall: list[float] = []        # the same moments by the wall clock, which the browser shares
    trips: list[float] = []
    requests: list[str] = []
    overlaps = 0
    rss_peak = rss_listening
    cpu_before, started = cpu_seconds(pid), time.perf_counter()

    async def send(ph: Phone, given: dict, request_id: str) -> tuple[int, dict]:
        t = time.perf_counter()
        status, body = await http(host, port, "POST", "/api/workshop/answer",
                                  {"code": code, "token": ph.token, "activity_id": activity_id,
                                   "answer": given, "request_id": request_id})
        trips.append(time.perf_counter() - t)
        return status, body

    failures = []
    for ph in phones:
        turn = started + ph.number * gap
        if time.perf_counter() > turn:
            overlaps += 1
        await asyncio.sleep(max(0.0, turn - time.perf_counter()))
        given = {"current": rng.randint(1, 5), "desired": rng.choice([3, 4, 5, None])}
        request_id = f"bench-{ph.number:04d}-a"
        sent.append(time.perf_counter())
        sent_wall.append(time.time())
        status, body = await send(ph, given, request_id)
        requests.append(request_id)
        if status != 200 or body.get("repeated"):
            failures.append(f"phone {ph.number}: {status} {body}")
        if ph.number in repeats:                # the double tap: the same request again
            status, body = await send(ph, given, request_id)
            if status != 200 or not body.get("repeated"):
                failures.append(f"phone {ph.number} repeated: {status} {body}")
        rss_peak = max(rss_peak, rss_mb(pid))
    for number in sorted(changes):              # a change of mind: a new answer, the latest counts
        request_id = f"bench-{number:04d}-b"
        status, body = await send(phones[number], {"current": 3, "desired": 4}, request_id)
        requests.append(request_id)
        if status != 200:
            failures.append(f"phone {number} change: {status} {body}")
    deadline = time.perf_counter() + 10
    while time.perf_counter() < deadline and any(max((c for _, c in ph.seen), default=0) < args.phones
                                                 for ph in phones):
        await asyncio.sleep(0.05)
    elapsed = time.perf_counter() - started
    cpu = cpu_seconds(pid) - cpu_before
    rss_peak = max(rss_peak, rss_mb(pid))
    on_projector: list[float] = []
    if seen_on_projector is not None:
        until = time.perf_counter() + 15
        while (time.perf_counter() < until
               and max((n for _, n in await seen_on_projector()), default=0) < args.phones):
            await asyncio.sleep(0.1)
        shown = await seen_on_projector()
        on_projector = sorted(next(t for t, n in shown if n >= k) - t_sent
                              for k, t_sent in enumerate(sent_wall, start=1) if any(n >= k for _, n in shown))
    await watching.aclose()

    delays, missing = [], 0
    for k, t_sent in enumerate(sent, start=1):
        for ph in phones:
            if ph.number == k - 1:
                continue
            arrived = next((t for t, count in ph.seen if count >= k), None)
            if arrived is None:
                missing += 1
            else:
                delays.append(arrived - t_sent)
    reveal = (await reveal_on_console(url, console, phones) if CONSOLE.exists()
              else "reveal: not measured (no console page, views/workshop_console.py, in this tree)")
    for task in streams:
        task.cancel()
    await asyncio.gather(*streams, return_exceptions=True)
    return {"idle": idle, "cpu": cpu, "elapsed": elapsed, "delays": sorted(delays), "missing": missing,
            "trips": sorted(trips), "requests": requests, "failures": failures, "overlaps": overlaps,
            "rss": (rss_start, rss_listening, rss_peak), "reveal": reveal, "repeats": len(repeats),
            "projector": on_projector}


def build(path: Path) -> tuple[str, int, str]:
    """The demo with a workshop whose rating round is open: its code, the activity's id, and the
    console's address (path and query) for that workshop."""
    con = db.connect(path)
    q = questionnaire.load()
    services.load_demo(con, q)
    slug = demo.DEMO_SLUG
    dimension = q.dimensions[0]
    workshop = services.new_workshop(con, slug, "Load test", agenda=[
        ActivityDraft("rating", f"{dimension.name}: where are we today?", items=(dimension.id,),
                      item_kind="dimension")])
    with db.cursor(con) as cur:
        activity = store.activities(cur, workshop.id)[0]
    services.show_activity(con, workshop.id, activity.id)
    services.open_round(con, activity.id)
    con.close()
    return workshop.code, activity.id, f"workshop_console?assessment={slug}&workshop={workshop.id}"


def stored(path: Path, activity_id: int, requests: list[str], phones: int) -> str:
    """Whether the file holds one answer row per request_id sent, and one counted answer per phone."""
    con = db.connect(path)
    rows, distinct = con.execute("SELECT count(*), count(DISTINCT (participant_id, request_id)) "
                                 "FROM workshop_answers WHERE activity_id = ?", [activity_id]).fetchone()
    with db.cursor(con) as cur:
        counted = store.answered(cur, activity_id, 1)
        latest = len(store.round_answers(cur, activity_id, 1))
    con.close()
    ok = rows == distinct == len(requests) and counted == latest == phones
    return (f"stored: {rows} answer rows ({distinct} distinct) for {len(requests)} distinct requests sent; "
            f"{counted} phones counted, {latest} latest answers ({phones} phones): "
            f"{'nothing lost, none twice' if ok else 'MISMATCH'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phones", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=9.0, help="every phone answers within this")
    parser.add_argument("--repeats", type=int, default=10, help="phones whose request goes twice")
    parser.add_argument("--changes", type=int, default=20, help="phones that change their answer")
    args = parser.parse_args()
    args.phones = max(2, min(args.phones, 300))        # one machine: bounded
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "workshop.duckdb"
        code, activity_id, console = build(path)
        with running_server(path) as (url, proc):
            result = asyncio.run(room(url, proc.pid, code, activity_id, console, args))
        d, trips = result["delays"], result["trips"]
        rss_start, rss_listening, rss_peak = result["rss"]
        print(f"{args.phones} phones on one workshop (server-sent events, poll every "
              f"{web_phone.POLL_SECONDS} s), answers over {args.seconds:.0f} s")
        print(f"server CPU: {result['idle'] * 100:.1f} % of one core while {args.phones} phones listen idle; "
              f"{result['cpu'] / result['elapsed'] * 100:.1f} % while they answer ({result['cpu']:.2f} s "
              f"in {result['elapsed']:.1f} s)")
        print(f"server RSS: {rss_start:.0f} MB after start, {rss_listening:.0f} MB with the phones "
              f"listening, peak {rss_peak:.0f} MB")
        print(f"answer round trip: p50 {pct(trips, 50) * 1000:.0f} ms, p95 {pct(trips, 95) * 1000:.0f} ms")
        if d:
            print(f"answer -> answered count on the other phones' streams ({len(d)} of "
                  f"{len(d) + result['missing']}): p50 {pct(d, 50) * 1000:.0f} ms, "
                  f"p95 {pct(d, 95) * 1000:.0f} ms, max {d[-1] * 1000:.0f} ms")
        shown = result["projector"]
        if shown:
            print(f"answer -> answered count on the projector page ({len(shown)} of {args.phones}; it "
                  f"redraws every ui/workshop.REFRESH_SECONDS): p50 {pct(shown, 50) * 1000:.0f} ms, "
                  f"p95 {pct(shown, 95) * 1000:.0f} ms, max {shown[-1] * 1000:.0f} ms")
        else:
            print("answer -> projector: not measured (no projector page in this tree)")
        print(f"answers sent while the one before was still on its way: {result['overlaps']}; "
              f"double taps: {result['repeats']}")
        print(result["reveal"])
        for failure in result["failures"]:
            print("FAILED", failure)
        print(stored(path, activity_id, result["requests"], args.phones))


if __name__ == "__main__":
    main()
