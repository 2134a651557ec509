"""The phones' light endpoint: the join page, join and answer by POST, the workshop's changes as events.

Phones never open a Streamlit session (docs/workshop.md, "Parts"): a Streamlit page costs a phone
2.6 MiB and the server about 0.05 s of CPU per rerun, so one server saturates near 20 phones. These
Starlette routes, mounted by app.py's st.App, serve a page of a few kB and small JSON requests, and push
every change of a workshop as a server-sent event: one poller per live workshop reads the workshop's
stamp every POLL_SECONDS and reads the phones' view once per change, for all its subscribers.

This module imports pmostep, never Streamlit: app.py hands `routes` the app's own connection
(ui/data.con), so the phones and the pages share the one DuckDB connection of the process, opened once,
with the same file and the same first-start set-up. Every DuckDB call runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import duckdb
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from pmostep import services
from pmostep.core.errors import PMOStepError
from pmostep.core.throttle import Rate
from pmostep.store import db
from pmostep.workshop import live, store

Connect = Callable[[], duckdb.DuckDBPyConnection]

STATIC = Path(__file__).resolve().parent / "static"
ASSETS = {"phone.css": "text/css; charset=utf-8", "phone.js": "text/javascript; charset=utf-8"}
MAX_BODY = 8 * 1024                 # bytes: the largest answer (ten 2x2 placements) is under 1 KiB
POLL_SECONDS = 0.25                 # how often a live workshop's stamp is read, for all its phones
KEEPALIVE_SECONDS = 15.0            # a comment line this often keeps proxies from closing a quiet stream
RETRY_MS = 2000                     # EventSource waits this long before it reconnects by itself
COOKIE = "pmostep_workshop_"         # + the workshop's id: a phone in two workshops keeps both tokens
COOKIE_PATH = "/api/workshop"
COOKIE_SECONDS = 24 * 3600
# Wrong codes are throttled in one place, services.live_workshop (services.JOIN_THROTTLE).
ANSWERS_PER_MINUTE = 30             # per participant: a stuck button cannot queue up the write lock
ANSWERS_PER_ADDRESS = 600           # per client address and minute: made-up tokens get no fresh quota
STREAMS_PER_WORKSHOP = 2000         # open event streams: each holds a socket and a task
STREAMS_PER_ADDRESS = 200
CODE = re.compile(r"[A-Za-z0-9]{4,12}")
REQUEST_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {"Cache-Control": "no-store", "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "no-referrer"}   # the join code sits in the page's URL: never pass it on
UNAVAILABLE = "The workshop cannot be reached right now: try again in a moment"
NO_CODE = "No live workshop has the code {code}: check the code on the screen"
LOG = logging.getLogger(__name__)


class Refused(Exception):
    """A request answered with an HTTP error and a message the phone shows."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _json(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers=HEADERS)


def _message(exc: BaseException) -> str:
    """A KeyError's own text without the quotes str() puts around it."""
    return str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)


def answering(handler: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
    """A JSON endpoint: refusals and the domain's errors become {"error": message} with their status."""
    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request)
        except Refused as exc:
            return _json({"error": exc.message}, exc.status)
        except services.Throttled as exc:
            return _json({"error": str(exc)}, 429)
        except KeyError as exc:
            return _json({"error": _message(exc)}, 404)
        except PMOStepError as exc:
            return _json({"error": str(exc)}, 400)
        except (*db.ERRORS, OSError):          # either store: lost, locked, unreachable
            return _json({"error": UNAVAILABLE}, 503)
    return endpoint


async def json_object(request: Request) -> dict:
    """The request's body: a JSON object of at most MAX_BODY bytes, sent as application/json (a type no
    cross-site form can send, so another site cannot make a phone vote)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise Refused(400, "Send the request body as JSON (Content-Type: application/json)")
    too_large = Refused(413, f"The request body is larger than {MAX_BODY // 1024} KiB")
    length = request.headers.get("content-length", "")
    if length and (not length.isdigit() or int(length) > MAX_BODY):
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise too_large
    try:
        data = json.loads(bytes(body))
    except (ValueError, UnicodeDecodeError, RecursionError):     # '[' * 4000 nests too deep
        raise Refused(400, "The request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise Refused(400, "The request body must be a JSON object")
    return data


def field(data: dict, name: str, pattern: re.Pattern[str], what: str, required: bool = True) -> str | None:
    """A text field of the body, checked against its pattern; the message names the field."""
    value = data.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise Refused(400, f"{name} must be {what}")
    return value


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def stream_message(event: str, data: Any) -> str:
    """One server-sent event: JSON on a single data line."""
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


class Feed:
    """The changes of one live workshop for every phone that listens: one poller, one read per change."""

    def __init__(self, workshop_id: int, code: str) -> None:
        self.workshop_id, self.code = workshop_id, code
        self.version = 0
        self.message = ""
        self.ended = False
        self.listeners = 0
        self.changed = asyncio.Condition()
        self.task: asyncio.Task | None = None

    async def publish(self, view: dict | None) -> None:
        self.ended = view is None
        self.message = stream_message("ended", {}) if self.ended else stream_message("state", view)
        async with self.changed:
            self.version += 1
            self.changed.notify_all()

    async def next_message(self, seen: int) -> tuple[int, str | None]:
        """The message after version `seen`, or None after KEEPALIVE_SECONDS without one."""
        async with self.changed:
            try:
                await asyncio.wait_for(self.changed.wait_for(lambda: self.version != seen), KEEPALIVE_SECONDS)
            except TimeoutError:
                return seen, None
            return self.version, self.message


class Phones:
    """The routes' shared state: the connection, the answer rates, the open streams, the live feeds."""

    def __init__(self, connect: Connect) -> None:
        self.connect = connect
        self.answers = Rate(ANSWERS_PER_MINUTE, 60.0)
        self.addresses = Rate(ANSWERS_PER_ADDRESS, 60.0)
        self.feeds: dict[int, Feed] = {}
        self.streams: dict[str, int] = {}           # open event streams per client address

    # --- reads (worker threads) ---------------------------------------------------------------------------

    def view(self, code: str) -> dict | None:
        """The phones' view (None once the workshop is gone), from live.public_view's one cache: it is
        read again only when the workshop's stamp moved."""
        return live.public_view(self.connect(), code)

    # --- the checks every request makes ---------------------------------------------------------------

    async def live_workshop(self, request: Request, code: str | None) -> store.Workshop:
        """The live workshop of a code, or 404; while an address waits after wrong codes, its lookups of
        unknown codes are 429 (services.live_workshop) and valid codes still work."""
        if not isinstance(code, str) or not CODE.fullmatch(code):
            raise Refused(400, "code must be the workshop's code (letters and digits, as on the screen)")
        try:
            return await run_in_threadpool(services.live_workshop, self.connect(), code, client_of(request))
        except services.Throttled:
            raise
        except services.WorkshopError:
            raise Refused(404, NO_CODE.format(code=code.upper())) from None

    @staticmethod
    def token(request: Request, workshop: store.Workshop, data: dict) -> str | None:
        """The participant's token in this workshop: its cookie, else the copy the page keeps (a browser
        without cookies)."""
        token = request.cookies.get(f"{COOKIE}{workshop.id}") or data.get("token")
        if token is not None and not (isinstance(token, str) and REQUEST_ID.fullmatch(token)):
            raise Refused(400, "token must be the one the join gave")
        return token

    # --- endpoints ------------------------------------------------------------------------------------

    async def page(self, request: Request) -> Response:
        return Response((STATIC / "phone.html").read_bytes(), media_type="text/html; charset=utf-8",
                        headers=HEADERS)

    async def asset(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ASSETS:                  # a fixed list: no path reaches beyond these files
            return Response("Not found", status_code=404, media_type="text/plain", headers=HEADERS)
        return Response((STATIC / name).read_bytes(), media_type=ASSETS[name], headers=HEADERS)

    async def join(self, request: Request) -> Response:
        data = await json_object(request)
        workshop = await self.live_workshop(request, data.get("code"))
        group = data.get("group")
        if group is not None and not isinstance(group, str):
            raise Refused(400, "group must be one of the workshop's stakeholder groups, or left out")
        token = await run_in_threadpool(services.join, self.connect(), workshop.code, group or None,
                                        self.token(request, workshop, data), client_of(request))
        view = await run_in_threadpool(self.view, workshop.code)
        response = _json({"token": token, "view": view})
        response.set_cookie(f"{COOKIE}{workshop.id}", token, max_age=COOKIE_SECONDS, path=COOKIE_PATH,
                            httponly=True, samesite="lax", secure=request.url.scheme == "https")
        return response

    async def answer(self, request: Request) -> Response:
        """An answer: limited per address, then its token checked by a read, then limited per token,
        and only then the write (under services.WORKSHOP_WRITES)."""
        data = await json_object(request)
        workshop = await self.live_workshop(request, data.get("code"))
        token = self.token(request, workshop, data)
        if token is None:
            raise Refused(400, "token: join the workshop first")
        activity_id = data.get("activity_id")
        if not isinstance(activity_id, int) or isinstance(activity_id, bool):
            raise Refused(400, "activity_id must be the number of the activity on the screen")
        request_id = field(data, "request_id", REQUEST_ID, "8-64 letters, digits, '-' or '_'")
        if "answer" not in data:
            raise Refused(400, "answer is missing")
        if not self.addresses.allow(client_of(request)):
            raise Refused(429, "Too many answers from this network in a minute: wait a moment")
        if not await run_in_threadpool(services.is_participant, self.connect(), workshop.id, token):
            raise Refused(400, "token: this phone has not joined this workshop: join again")
        if not self.answers.allow(token):
            raise Refused(429, "Too many answers in a minute: wait a moment, then send it again")
        stored = await run_in_threadpool(services.answer, self.connect(), workshop.code, token, activity_id,
                                         data["answer"], request_id)
        return _json({"saved": True, "repeated": not stored})

    async def state(self, request: Request) -> Response:
        workshop = await self.live_workshop(request, request.query_params.get("c"))
        view = await run_in_threadpool(self.view, workshop.code)
        if view is None:
            raise Refused(404, "This workshop has ended")
        return _json(view)

    async def events(self, request: Request) -> Response:
        """The workshop's stream, unless the workshop or the address already has its most (429)."""
        workshop = await self.live_workshop(request, request.query_params.get("c"))
        address = client_of(request)
        feed = self.feeds.get(workshop.id)
        if feed is not None and feed.listeners >= STREAMS_PER_WORKSHOP:
            raise Refused(429, "Too many screens follow this workshop: try again in a moment")
        if self.streams.get(address, 0) >= STREAMS_PER_ADDRESS:
            raise Refused(429, "Too many screens of this network follow the workshop: try again in a moment")
        return StreamingResponse(self.stream(workshop, address), media_type="text/event-stream",
                                 headers={**HEADERS, "X-Accel-Buffering": "no"})

    # --- server-sent events ---------------------------------------------------------------------------

    def revive(self, feed: Feed) -> None:
        """Start the feed's poller if it has none running: a poller found done, however it ended, is
        started again, so no phone is left with keep-alives only."""
        if feed.task is None or feed.task.done():
            self.feeds.setdefault(feed.workshop_id, feed)
            feed.task = asyncio.create_task(self.poll(feed))

    async def stream(self, workshop: store.Workshop, address: str) -> AsyncIterator[str]:
        """The view now, then every change of it, and a comment line when nothing changed for a while.

        The phone counts as listening before the view is read, so a change published meanwhile is
        sent after it rather than lost."""
        self.streams[address] = self.streams.get(address, 0) + 1
        feed = self.feeds.setdefault(workshop.id, Feed(workshop.id, workshop.code))
        feed.listeners += 1
        seen = feed.version
        try:
            self.revive(feed)
            view = await run_in_threadpool(self.view, workshop.code)
            yield f"retry: {RETRY_MS}\n\n"
            yield stream_message("state", view) if view is not None else stream_message("ended", {})
            while view is not None:
                seen, message = await feed.next_message(seen)
                if message is None:
                    self.revive(feed)
                    yield ": keep-alive\n\n"
                    continue
                yield message
                if feed.ended:
                    return
        finally:
            feed.listeners -= 1
            self.streams[address] -= 1
            if not self.streams[address]:
                del self.streams[address]

    async def poll(self, feed: Feed) -> None:
        """Read the workshop's view every POLL_SECONDS while anyone listens; publish each change. Any
        error is logged and the next tick tries again: the poller ends only when nobody listens or the
        workshop is gone."""
        shown: dict | None = None
        try:
            while feed.listeners > 0:
                await asyncio.sleep(POLL_SECONDS)
                try:
                    view = await run_in_threadpool(self.view, feed.code)
                except Exception:                   # a passing failure must not end the feed
                    LOG.exception("workshop %s: reading the phones' view failed", feed.workshop_id)
                    continue
                if view is None:
                    await feed.publish(None)
                    return
                if view != shown:
                    shown = view
                    await feed.publish(view)
        finally:
            if self.feeds.get(feed.workshop_id) is feed:
                del self.feeds[feed.workshop_id]


def routes(connect: Connect) -> list[BaseRoute]:
    """The phone routes for st.App(..., routes=...); `connect` gives the process's one connection."""
    phones = Phones(connect)
    return [
        Route("/join", phones.page, methods=["GET"]),
        Route("/join/assets/{name}", phones.asset, methods=["GET"]),
        Route("/api/workshop/join", answering(phones.join), methods=["POST"]),
        Route("/api/workshop/answer", answering(phones.answer), methods=["POST"]),
        Route("/api/workshop/state", answering(phones.state), methods=["GET"]),
        Route("/api/workshop/events", answering(phones.events), methods=["GET"]),
    ]
