"""A throwaway PostgreSQL cluster for the tests and benchmarks: its own data folder in a temporary
directory, a free port on 127.0.0.1, run as a non-root user (PostgreSQL refuses root).

    python -m tests.pg_cluster start   # prints PMOSTEP_TEST_PG=postgresql://... and PMOSTEP_PG_DIR=...
    python -m tests.pg_cluster stop DIR

Debian puts the server programs in /usr/lib/postgresql/<version>/bin, off the PATH; `binaries` finds
them there or on the PATH. Why a cluster cannot start is printed on stderr, with exit status 1.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

USER = "postgres"          # Debian's package makes it; used when this runs as root


def binaries() -> Path | None:
    """The folder holding initdb and pg_ctl, or None when PostgreSQL's server is not installed."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                      key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_user(args: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return args
    return ["runuser", "-u", USER, "--", *args]


def start() -> tuple[str, Path]:
    """Start a cluster; return its URL and the folder to pass to `stop`."""
    bin_dir = binaries()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
    folder = Path(tempfile.mkdtemp(prefix="pmostep-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam(USER)
        except KeyError as exc:
            raise RuntimeError(f"running as root and there is no '{USER}' user to run PostgreSQL") from exc
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    port = _free_port()
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "text": True}
    run = subprocess.run(_as_user([str(bin_dir / "initdb"), "-D", str(data), "-U", "pmostep",
                                   "--auth=trust", "-E", "UTF8", "--locale=C"]), **quiet)
    if run.returncode:
        raise RuntimeError(f"initdb failed: {run.stderr.strip()[-500:]}")
    options = (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} "
               "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
    run = subprocess.run(_as_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"),
                                   "-o", options, "-w", "start"]), **quiet)
    if run.returncode:
        log = (folder / "log").read_text(errors="replace")[-500:] if (folder / "log").exists() else ""
        raise RuntimeError(f"pg_ctl start failed: {run.stderr.strip()[-300:]} {log}")
    url = f"postgresql://pmostep@127.0.0.1:{port}/postgres"
    return url, folder


def stop(folder: str | Path) -> None:
    """Stop the cluster and remove its folder."""
    folder = Path(folder)
    bin_dir = binaries()
    if bin_dir and (folder / "data").exists():
        subprocess.run(_as_user([str(bin_dir / "pg_ctl"), "-D", str(folder / "data"), "-m", "fast",
                                 "-w", "stop"]), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["start"]:
        try:
            url, where = start()
        except RuntimeError as exc:
            print(f"no PostgreSQL for the tests: {exc}", file=sys.stderr)
            sys.exit(1)
        print(f"PMOSTEP_TEST_PG={url}")
        print(f"PMOSTEP_PG_DIR={where}")
    elif sys.argv[1:2] == ["stop"] and len(sys.argv) == 3:
        stop(sys.argv[2])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
