"""What the page tests share: a database file the app opens, the app started on it, the figures it drew."""

import base64
import json
import uuid
from pathlib import Path

import numpy as np
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

from pmostep import services
from pmostep.core import questionnaire
from pmostep.foundation import assessments
from pmostep.initiation import survey
from pmostep.store import db, responses
from pmostep.workshop import store as workshop_store
from pmostep.workshop.activities import ActivityDraft
from tests.conftest import METH, ROOT, batch_from_rows, rating_rows

APP = str(ROOT / "app.py")
# The facilitator pages, in the navigation's order.
PAGES = ["views/overview.py", "views/import_responses.py", "views/foundation.py", "views/survey_links.py",
         "views/current_state.py", "views/gaps.py", "views/agreement.py", "views/stakeholder_groups.py",
         "views/comments.py", "views/trend.py", "views/recommendations.py", "views/roadmap.py",
         "views/reports.py", "views/workshop_agenda.py", "views/workshop_console.py",
         "views/workshop_projector.py", "views/workshop_results.py", "views/catalogue.py",
         "views/problems.py", "views/practices.py", "views/roles.py", "views/stakeholder_map.py",
         "views/staffing.py"]


@pytest.fixture
def app_db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "app.duckdb"
    monkeypatch.setenv(db.ENV_VAR, str(path))
    return path


def start(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def open_page(page: str, **query) -> AppTest:
    """The app started (with query parameters), switched to a page and run once more, as a user who
    opens the page from the navigation sees it."""
    at = start(**query)
    at.switch_page(page).run()
    return at.run()


def plotly_figures(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def values(array) -> list:
    """A trace's x or y as a list, whether plotly sent it plain or base64-packed."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def small_assessment(path: Path, respondents: int, with_demo: bool = False) -> None:
    """A pilot assessment "tiny" of a few respondents (the demo beside it if asked), to see suppression."""
    con = db.connect(path)
    q = questionnaire.load()
    if with_demo:
        services.load_demo(con, q)
    a = assessments.create(con, "tiny", q, name="Tiny pilot", organisation="Pilot Org")
    keys = {f"p{i}": True for i in range(respondents)}
    answers = [row for k in keys for row in rating_rows(k, METH, [2, 2, 3, 3], [4, 4, 4, 4])]
    responses.add(con, a, q, batch_from_rows(keys, answers))
    con.close()


def plan_db(app_db):
    """The demo on the app's file, with its workshop choices, for the planning pages."""
    con = db.connect(app_db)
    q = questionnaire.load()
    a = services.load_demo(con, q)
    con.close()
    return a


@pytest.fixture
def links(tmp_path, monkeypatch):
    """An open assessment with an open and a personal survey link, the app's file set to it."""
    path = tmp_path / "survey.duckdb"
    con = db.connect(path)
    assessments.create(con, "pulse", questionnaire.load(), name="Pulse check", min_group_size=1)
    made = {"open": survey.create_link(con, "pulse"),
            "personal": survey.create_link(con, "pulse", "dana@example.org")}
    monkeypatch.setenv(db.ENV_VAR, str(path))
    made["con"] = con
    return made


@pytest.fixture
def media(monkeypatch) -> list[MediaFileManager]:
    """The media managers AppTest keeps download files in.

    AppTest drops its media manager after every run and has no public way to read a download's bytes;
    keeping a reference to each real manager it creates is the narrowest way in.
    """
    managers = []

    class Kept(MediaFileManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            managers.append(self)

    monkeypatch.setattr(app_test_module, "MediaFileManager", Kept)
    return managers


def downloaded(at: AppTest, managers: list[MediaFileManager], label: str) -> bytes:
    """The file a download button gives, as the browser would fetch it (deferred ones generated)."""
    button = next(b for b in at.get("download_button") if b.label == label)
    manager = managers[-1]
    deferred = button.proto.deferred_file_id
    url = manager.execute_deferred(deferred) if deferred else button.proto.url
    return manager.read_file(url.rsplit("/", 1)[1].split(".")[0]).content


@pytest.fixture
def workshop_db(app_db):
    """The demo on the app's file with a live workshop of three activities: a rating of Governance and
    sponsorship, dot voting over three catalogue entries, and an open question. The connection stays
    open for the test to act as the phones (`phones` joins them)."""
    con = db.connect(app_db)
    services.load_demo(con, questionnaire.load())
    agenda = [ActivityDraft("rating", "Where is governance today?", ("governance",), "dimension"),
              ActivityDraft("dots", "Which should come first?", ("pmo_charter", "project_inventory",
                                                                  "status_report_template"), "entry",
                            notes="Remind them: three dots each."),
              ActivityDraft("text", "What would most help the PMO?")]
    w = services.new_workshop(con, "demo", "Harbourline workshop", agenda)
    with db.cursor(con) as cur:
        ids = [a.id for a in workshop_store.activities(cur, w.id)]
    yield {"con": con, "workshop": w, "rating": ids[0], "dots": ids[1], "text": ids[2]}
    con.close()


def phones(made: dict, count: int, group: str | None = None) -> list[str]:
    """`count` phones joined to the workshop: their tokens."""
    return [services.join(made["con"], made["workshop"].code, group) for _ in range(count)]


def vote(made: dict, activity: str, answers: list, tokens: list[str] | None = None,
         group: str | None = None) -> list[str]:
    """Each answer sent once to an activity of the workshop by its own phone (new phones of `group`
    unless `tokens` are given); returns the phones' tokens."""
    tokens = tokens or phones(made, len(answers), group)
    for token, answer in zip(tokens, answers, strict=True):
        services.answer(made["con"], made["workshop"].code, token, made[activity], answer, uuid.uuid4().hex)
    return tokens


def dot_round(made: dict, voters: int, end) -> None:
    """Round 1 of the dot vote: `voters` phones each give pmo_charter 2 dots and project_inventory 1,
    then `end` (services.lock_round or services.reveal) closes it."""
    services.open_round(made["con"], made["dots"])
    vote(made, "dots", [{"dots": {"pmo_charter": 2, "project_inventory": 1}}] * voters)
    end(made["con"], made["dots"])
