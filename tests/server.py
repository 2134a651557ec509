"""Start the app with `streamlit run` on a free port, for browser tests and screenshots."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("PMOSTEP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def health(url: str) -> tuple[int | None, str]:
    """The status and text of the app's health check; None while nothing answers."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as r:
            return r.status, r.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")
    except OSError:
        return None, ""


@contextmanager
def running_server(db_path: Path, timeout: float = 60.0, options: dict[str, str] | None = None,
                   env: dict[str, str] | None = None, healthy: bool = True):
    """Yield (base URL, process) of the app serving `db_path`; stop it afterwards.

    `options` are extra `streamlit run` settings ({"runner.postScriptGC": "true"}) and `env` extra
    environment; the benchmarks read the process's CPU time and memory. Ready when the health check
    says ok, or with healthy=False when it says 503 (database unusable).
    """
    port = free_port()
    env = {**os.environ, "PMOSTEP_DB": str(db_path), **(env or {})}
    extra = [arg for name, value in (options or {}).items() for arg in (f"--{name}", value)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false", *extra],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if health(url)[0] == (200 if healthy else 503):
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
                raise RuntimeError(f"streamlit did not start: {out[-2000:]}")
            time.sleep(0.2)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()                  # gone, and its lock on the database file released


@contextmanager
def running_app(db_path: Path, timeout: float = 60.0, env: dict[str, str] | None = None,
                healthy: bool = True):
    """Yield the base URL of the app serving `db_path` (with extra environment `env`); stop it afterwards."""
    with running_server(db_path, timeout, env=env, healthy=healthy) as (url, _):
        yield url


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc/PID/stat (fields 14 and 15, in clock ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident memory of a process (VmRSS), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def wait_for_app(page) -> None:
    """Wait until the script has finished running and the connection is up."""
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=60000)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60000)
