"""The server around the app (st.App): nothing pretends to work while the database cannot be opened.

Streamlit's own /_stcore/health answers "ok" as soon as the server is up, and every page then fails
when another process holds the database. The middleware (st.App's public middleware hook) checks the
database first, on every health check and every request for a page: while it cannot be opened, the
health check answers 503 with the reason, and a visitor gets a plain page saying so (Streamlit's own
page would wait forever for a healthy server). Each check tries again, so it recovers by itself.
"""

from __future__ import annotations

import html
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from . import data, frame

HEALTH_PATHS = ("/_stcore/health", "/healthz")
RETRY_SECONDS = 30


def _asks_for_a_page(scope: Scope) -> bool:
    headers = dict(scope.get("headers") or [])
    return scope.get("method") == "GET" and b"text/html" in headers.get(b"accept", b"")


def unavailable_page(problem: str, respondent: bool) -> str:
    """The page a visitor gets instead of the app; it reloads itself every RETRY_SECONDS."""
    title, text = ((frame.SURVEY_TITLE, frame.SURVEY_UNAVAILABLE) if respondent
                   else (frame.UNAVAILABLE_TITLE, problem))
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<meta http-equiv="refresh" content="{RETRY_SECONDS}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
            '<body style="font-family: sans-serif; max-width: 46rem; margin: 3rem auto; padding: 0 1rem">'
            f"<h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>")


class DatabaseHealth:
    """ASGI middleware: health checks and pages answer 503 while data.database_problem() has one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            is_health = scope["path"].rstrip("/").endswith(HEALTH_PATHS)
            if is_health or _asks_for_a_page(scope):
                problem = await run_in_threadpool(data.database_problem)      # opening may take a while
                if problem:
                    respondent = "t" in parse_qs(scope.get("query_string", b"").decode("latin-1"))
                    response = (PlainTextResponse(problem, status_code=503) if is_health
                                else HTMLResponse(unavailable_page(problem, respondent), status_code=503))
                    await response(scope, receive, send)
                    return
        await self.app(scope, receive, send)


def middleware() -> list[Middleware]:
    return [Middleware(DatabaseHealth)]
