"""Shared fixtures: a real DuckDB file in a temporary folder, the questionnaire, small assessments."""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pmostep import services
from pmostep.core import questionnaire
from pmostep.deployment import plan
from pmostep.foundation import assessments
from pmostep.foundation.assessments import StakeholderGroup
from pmostep.reports import content
from pmostep.store import db, questionnaires, responses
from pmostep.workshop.activities import ActivityDraft
from tests.server import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]
pytest_plugins = ["tests.safe_files", "tests.postgres"]


@pytest.fixture(scope="session")
def q() -> questionnaire.Questionnaire:
    return questionnaire.load()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.duckdb"


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def con(request, db_path: Path, q):
    """The store on both backends: a DuckDB file, and a fresh PostgreSQL database (tests/postgres.py)."""
    target = request.getfixturevalue("pg_url") if request.param == "postgres" else db_path
    connection = db.connect(target)
    with db.transaction(connection) as cur:
        questionnaires.register(cur, q)
    yield connection
    connection.close()


def just_before_the_next_unit_of_work(monkeypatch, change) -> None:
    """Run `change` (another session's write, committed) once, right before the next unit of work begins:
    where a use case that checked outside its unit of work would then write against a state it never
    checked. A use case that checks on the unit of work's cursor sees the change and refuses."""
    enter = services.UnitOfWork.__enter__
    pending = [change]

    def entering(self):
        if pending:
            pending.pop()()
        return enter(self)

    monkeypatch.setattr(services.UnitOfWork, "__enter__", entering)


def batch_from_rows(respondents: dict, answers: list[tuple], profile: list[tuple] = (),
                    importance: list[tuple] = (), comments: list[tuple] = ()) -> responses.ResponseBatch:
    """A ResponseBatch from plain tuples; respondents maps key -> completed (True/False)."""
    return responses.ResponseBatch(
        respondents=pd.DataFrame({
            "key": list(respondents),
            "source": "test",
            "external_id": None,
            "started_at": pd.Timestamp("2026-01-05 09:00"),
            "completed_at": [pd.Timestamp("2026-01-05 09:30") if done else pd.NaT
                             for done in respondents.values()],
        }),
        profile=pd.DataFrame(list(profile), columns=["key", "field", "value"]),
        answers=pd.DataFrame(list(answers), columns=["key", "statement_id", "current", "current_na",
                                                     "desired", "desired_na"]),
        importance=pd.DataFrame(list(importance), columns=["key", "dimension_id", "value"]),
        comments=pd.DataFrame(list(comments), columns=["key", "question_id", "text"]),
    )


NA = "NA"


def rating_rows(key: str, statements: list[str], current: list, desired: list) -> list[tuple]:
    """Answer rows from lists where a number is a rating, NA is N/A and None is a blank."""
    rows = []
    for sid, cur, des in zip(statements, current, desired, strict=True):
        rows.append((key, sid, None if cur in (NA, None) else cur, cur == NA,
                     None if des in (NA, None) else des, des == NA))
    return rows


METH = ["meth_1", "meth_2", "meth_3", "meth_4"]

# The hand-worked fixture of tests/integration/test_scoring.py (see the comments there for every figure).
HAND_CURRENT = {
    "r1": [1, 2, 3, NA],
    "r2": [2, 2, 2, 2],
    "r3": [3, 4, None, NA],
    "r4": [NA, NA, NA, NA],
    "r5": [4, 4, 5, 5],
    "r6": [1, 1, 2, 2],
}
HAND_DESIRED = {
    "r1": [4, 4, 4, 4],
    "r2": [3, NA, 3, 3],
    "r3": [5, 5, 5, 5],
    "r4": [4, None, None, None],
    "r5": [5, 5, 5, 5],
    "r6": [2, 3, 2, 3],
}
HAND_GROUPS = {"r1": "Project manager", "r2": "Project manager", "r3": "Project manager",
               "r4": "Executive or sponsor", "r5": "Executive or sponsor", "r6": "Executive or sponsor"}


def hand_batch(in_progress: bool = True) -> responses.ResponseBatch:
    answers = []
    for key in HAND_CURRENT:
        answers += rating_rows(key, METH, HAND_CURRENT[key], HAND_DESIRED[key])
    respondents = dict.fromkeys(HAND_CURRENT, True)
    if in_progress:
        # Started but not submitted: must not count anywhere.
        respondents["r7"] = False
        answers += rating_rows("r7", METH, [5, 5, 5, 5], [5, 5, 5, 5])
    return batch_from_rows(
        respondents,
        answers,
        profile=[(k, "group", g) for k, g in HAND_GROUPS.items()],
        importance=[("r1", "methodology", 5), ("r2", "methodology", 4), ("r3", "methodology", 3)],
        comments=[("r1", "pain_point", "No common templates.")],
    )


@pytest.fixture
def hand_assessment(con, q):
    """Six completed respondents (and one in progress) rating the methodology dimension."""
    def make(min_group_size: int = 5, slug: str = "hand"):
        a = assessments.create(con, slug, q, name="Hand-worked", min_group_size=min_group_size)
        responses.add(con, a, q, hand_batch())
        return a
    return make


@pytest.fixture(autouse=True)
def _no_env_db(monkeypatch):
    """Tests never touch the developer's data/pmostep.duckdb by accident."""
    monkeypatch.delenv(db.ENV_VAR, raising=False)
    yield


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium for the browser tests: skipped where it is missing, a failure in CI."""
    if not Path(CHROMIUM).exists():
        message = f"no browser at {CHROMIUM}: install Debian's chromium (apt-get install chromium)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def room_workshop(path, q, min_group_size: int, *extra):
    """A file with assessment "room" (groups Project manager, Executive or sponsor) and a workshop whose
    first activity rates the first dimension, then `extra` drafts: (workshop, rating title)."""
    con = db.connect(path)
    services.register_questionnaire(con, q)
    services.create_assessment(con, "room", q, min_group_size=min_group_size,
                               stakeholder_groups=[StakeholderGroup("Project manager"),
                                                   StakeholderGroup("Executive or sponsor")])
    dimension = q.dimensions[0]
    title = f"{dimension.name}: where are we?"
    w = services.new_workshop(con, "room", "Spring workshop", agenda=[
        ActivityDraft("rating", title, items=(dimension.id,), item_kind="dimension"), *extra])
    return con, w, title


SMALL_GROUP = "Executive or sponsor"           # 2 respondents: below the minimum group size (5)
SMALL_GROUP_REMARK = "AUDIT-ONLY-REMARK: <script>alert(1)</script>"
FORMULA_REMARK = '=HYPERLINK("http://x","y")'


def small_group_assessment(path: Path, q, decide: bool = True) -> duckdb.DuckDBPyConnection:
    """Assessment "small" (minimum group size 5): 7 project managers, 6 team members, 3 portfolio managers
    and 2 executives (both groups too small to show, published together as one block of 5); the
    Foundation lists 8, 10 and 3 invited, not the portfolio managers (no other group's rate is the
    executives' 67 %, which the anonymity tests look for); the executives rate everything 1 and wrote
    SMALL_GROUP_REMARK and FORMULA_REMARK; the top three recommendations accepted, so there is a roadmap
    (with `decide` False nothing is decided, so no wave holds an entry). The deliverables' anonymity and
    injection tests look for these (the connection is returned open)."""
    con = db.connect(path)
    services.register_questionnaire(con, q)
    a = services.create_assessment(
        con, "small", q, name="Small groups", organisation="Example Ltd", sponsor_name="A. Sponsor",
        pmo_type="II", min_group_size=5,
        stakeholder_groups=[StakeholderGroup("Project manager", 8),
                            StakeholderGroup("Project team member", 10), StakeholderGroup(SMALL_GROUP, 3)])
    groups = (["Project manager"] * 7 + ["Project team member"] * 6 + ["Portfolio or programme manager"] * 3
              + [SMALL_GROUP] * 2)
    keys = {f"s{i}": True for i in range(len(groups))}
    statements = [s.id for s in q.statements]
    answers = []
    for i, key in enumerate(keys):
        small = groups[i] == SMALL_GROUP
        current = [1 if small else 1 + (i + j) % 3 for j in range(len(statements))]
        desired = [1 if small else 3 + (i * j) % 3 for j in range(len(statements))]
        answers += rating_rows(key, statements, current, desired)
    comment_id = q.comments[0].id
    remarks = [("s16", comment_id, SMALL_GROUP_REMARK), ("s17", comment_id, FORMULA_REMARK),
               ("s0", comment_id, "Status reports take a day a week to write.")]
    profile = [(k, "group", g) for k, g in zip(keys, groups, strict=True)]
    batch = batch_from_rows(keys, answers, profile=profile, comments=remarks)
    with db.transaction(con) as cur:
        responses.add(cur, a, q, batch)
    if decide:
        top = [r.item for r in plan.build(con, a, q).recommendations[:3]]
        services.decide(con, "small", {"accepted": top}, reason="test")
    return con


def gathered(path: Path, slug: str, **options) -> content.Content:
    """content.gather (with `options`: raw, filters, today...) of assessment `slug` in the file at `path`."""
    con = db.connect(path)
    try:
        a, aq = services.assessment_with_questionnaire(con, slug)
        return content.gather(con, a, aq, **options)
    finally:
        con.close()


def worked_out(rates: content.Rates, total: int, printed: Collection[str]) -> list[str]:
    """The withheld response counts a reader can work out by subtraction (their groups): from the total
    of respondents and, when the overall rate is shown, its respondents (rate x invited), against the
    counts shown and those the group tables print (`printed`: the groups shown with their n)."""
    unknown = [r for r in rates.rows if r.status == content.WITHHELD and r.group not in printed]
    margins = [unknown]
    if rates.rate is not None:
        margins += [[r for r in unknown if r.invited], [r for r in unknown if not r.invited]]
    return sorted({m[0].group for m in margins if len(m) == 1})


# The deliverables' tests share these, built once a session. The files are closed and read only: a test
# that writes copies its file first (shutil.copy to its tmp_path). A Content is frozen but holds
# DataFrames: a test that changes one in place takes its own copy (or gathers its own).

@pytest.fixture(scope="session")
def demo_file(tmp_path_factory, q) -> Path:
    """A DuckDB file holding the demo (services.load_demo: assessment "demo" and the one it follows)."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    con = db.connect(path)
    services.load_demo(con, q)
    con.close()
    return path


@pytest.fixture(scope="session")
def small_file(tmp_path_factory, q) -> Path:
    """A DuckDB file holding small_group_assessment's assessment "small"."""
    path = tmp_path_factory.mktemp("small") / "small.duckdb"
    small_group_assessment(path, q).close()
    return path


@pytest.fixture(scope="session")
def undecided_file(tmp_path_factory, q) -> Path:
    """A DuckDB file holding assessment "small" with nothing decided: recommendations, no entry placed."""
    path = tmp_path_factory.mktemp("undecided") / "undecided.duckdb"
    small_group_assessment(path, q, decide=False).close()
    return path


@pytest.fixture(scope="session")
def pinned_file(small_file, tmp_path_factory) -> Path:
    """Assessment "small" with its accepted entries pinned to wave 2: wave 1 and waves 3 on hold nothing."""
    path = tmp_path_factory.mktemp("pinned") / "pinned.duckdb"
    path.write_bytes(small_file.read_bytes())
    con = db.connect(path)
    a, aq = services.assessment_with_questionnaire(con, "small")
    for item in plan.build(con, a, aq).accepted:
        services.place(con, a.id, item, 2, kind="pin", override=True)
    con.close()
    return path


@pytest.fixture(scope="session")
def demo_content(demo_file) -> content.Content:
    """What the demo's deliverables show (no raw rows, no filters)."""
    return gathered(demo_file, "demo")


@pytest.fixture(scope="session")
def small_content(small_file) -> content.Content:
    """What the deliverables of assessment "small" show (no raw rows, no filters)."""
    return gathered(small_file, "small")


@pytest.fixture(scope="session")
def undecided_content(undecided_file) -> content.Content:
    """What the deliverables of assessment "small" show before any decision."""
    return gathered(undecided_file, "small")
