"""One database file and several processes: the CLI and a second app while a real app holds the file."""

import json
import subprocess
import sys

import pytest

from pmostep import services
from pmostep.core import questionnaire
from pmostep.store import db
from tests.conftest import ROOT
from tests.server import health, running_app


def cli(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pmostep", *argv], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture(scope="module")
def held(tmp_path_factory):
    """A database with the demo, held by a running app (its health check has opened it)."""
    path = tmp_path_factory.mktemp("held") / "held.duckdb"
    con = db.connect(path)
    services.load_demo(con, questionnaire.load(), respondents=30, seed=2)
    con.close()
    with running_app(path) as url:
        yield url, str(path)


def test_reading_commands_work_while_the_app_runs(held):
    url, path = held
    assert health(url)[0] == 200
    scores = cli("scores", "--db", path, "--assessment", "demo", "--format", "json")
    assert scores.returncode == 0, scores.stderr
    assert json.loads(scores.stdout)["respondents"] == 30
    assert scores.stderr.startswith(f"note: database {path} is in use by another process: PID ")
    assert "streamlit run" in scores.stderr and scores.stderr.count("\n") == 1
    listed = cli("assessments", "--db", path)
    assert listed.returncode == 0 and "demo" in listed.stdout


def test_writing_commands_name_the_app_that_holds_the_file(held):
    _, path = held
    for argv in (["new", "pilot"], ["link", "--assessment", "demo"], ["demo"]):
        done = cli(*argv, "--db", path)
        assert done.returncode == 1 and done.stdout == ""
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
        assert done.stderr.startswith(f"error: database {path} is in use by another process: PID ")
        assert "streamlit run" in done.stderr and f"then run `{argv[0]}` again" in done.stderr


def test_a_second_app_on_the_same_file_is_not_healthy_until_the_first_stops(tmp_path):
    path = tmp_path / "shared.duckdb"
    with running_app(path) as first:
        assert health(first) == (200, "ok")
        with running_app(path, healthy=False) as second:
            status, text = health(second)
            assert status == 503
            assert f"database {path} is in use by another process: PID " in text and "streamlit run" in text
    with running_app(path) as again:                     # the file is free again: a new app is healthy
        assert health(again) == (200, "ok")


def test_copies_taken_while_the_holder_writes_and_checkpoints_are_consistent(tmp_path):
    path = tmp_path / "busy.duckdb"
    db.connect(path).close()
    writer = f"""
import duckdb, itertools
c = duckdb.connect({str(path)!r})
c.execute("CREATE TABLE ticks (i INTEGER, pad VARCHAR)")
print("ok", flush=True)
for i in itertools.count():
    c.execute("INSERT INTO ticks SELECT ?, repeat('x', 2000) FROM range(50)", [i])
    if i % 20 == 0:
        c.execute("CHECKPOINT")
"""
    holder = subprocess.Popen([sys.executable, "-c", writer], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        seen = []
        for _ in range(20):
            with db.snapshot(path) as copy:
                count, batches = copy.execute("SELECT count(*), count(DISTINCT i) FROM ticks").fetchone()
            assert count == 50 * batches                     # whole transactions only
            seen.append(count)
        assert seen == sorted(seen) and seen[-1] > 0
    finally:
        holder.kill()
        holder.wait()
