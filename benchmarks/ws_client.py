"""A survey respondent without a browser: Streamlit's own protocol, spoken from Python.

A headless Chromium page costs the machine far more than the server spends on it (20 of them saturate
two cores), so it cannot measure the server's latency under load. This client does what the browser
frontend does on the wire and nothing else: a WebSocket to /_stcore/stream (subprotocol "streamlit"),
a BackMsg `rerun_script` (ClientState: the link's query string, the page's script hash, the widget
states) for the first run and for each submit, and the ForwardMsgs back (new_session, navigation,
deltas with the elements, script_finished). It finds each widget's id and kind in the deltas, answers
as benchmarks/survey.py's browser client does, and submits the page's form as the frontend does: every
answered widget of the form plus the submit button's trigger, in one rerun.

No cookie is needed: each response is a fresh connection, hence a fresh Streamlit session, as a fresh
browser context is; the survey's resume cookie (set by JavaScript, which this client does not run) is
only read when a link is opened again, which neither client does.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from pmostep.core.questionnaire import Questionnaire
from ui import survey_keys

FINISHED_SUCCESSFULLY = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY


class ProtocolError(RuntimeError):
    """The server drew something other than what the respondent's answers should lead to."""


@dataclass(frozen=True)
class Widget:
    """A widget as a delta describes it: its id (ending in its user key), kind and option labels."""

    id: str
    kind: str
    options: tuple[str, ...] = ()


@dataclass
class Run:
    """What one script run drew: its texts (headings, progress, alerts) and widgets by user key."""

    texts: list[str] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)
    widgets: dict[str, Widget] = field(default_factory=dict)
    status: int | None = None


def widget_key(widget_id: str) -> str:
    """The user key at the end of a widget id: "$$ID-<hash>-<key>"."""
    return widget_id.split("-", 2)[2] if widget_id.count("-") >= 2 else widget_id


def read_element(element, run: Run) -> None:
    """Note in `run` what a delta's element shows or lets the respondent answer."""
    kind = element.WhichOneof("type")
    if kind == "heading":
        run.texts.append(element.heading.body)
    elif kind == "progress":
        run.texts.append(element.progress.text)
    elif kind == "alert":
        run.alerts.append(element.alert.body)
    elif kind == "button_group":
        run.widgets[widget_key(element.button_group.id)] = Widget(
            element.button_group.id, kind, tuple(o.content for o in element.button_group.options))
    elif kind == "radio":
        run.widgets[widget_key(element.radio.id)] = Widget(element.radio.id, kind,
                                                           tuple(element.radio.options))
    elif kind in ("text_area", "button"):
        widget_id = getattr(element, kind).id
        run.widgets[widget_key(widget_id)] = Widget(widget_id, kind)


class Connection:
    """One browser tab's session: connect, run the script, submit widget states."""

    def __init__(self, ws, query_string: str) -> None:
        self.ws = ws
        self.query_string = query_string
        self.page_script_hash = ""

    @classmethod
    async def open(cls, url: str) -> Connection:
        """Connect to the server of `url` (http://host:port/?t=...) as its browser page would."""
        parts = urlsplit(url)
        ws = await websockets.connect(f"ws://{parts.netloc}/_stcore/stream", subprotocols=["streamlit"],
                                      max_size=None, open_timeout=120, ping_timeout=None)
        return cls(ws, parts.query)

    async def close(self) -> None:
        await self.ws.close()

    async def rerun(self, states: list[WidgetState]) -> tuple[Run, float]:
        """Send a rerun with these widget states; return what the run drew and the seconds until its
        script_finished."""
        msg = BackMsg()
        msg.rerun_script.query_string = self.query_string
        msg.rerun_script.page_script_hash = self.page_script_hash
        msg.rerun_script.widget_states.widgets.extend(states)
        sent = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        run = Run()
        while run.status is None:
            forward = ForwardMsg()
            forward.ParseFromString(await self.ws.recv())
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                read_element(forward.delta.new_element, run)
            elif kind == "navigation":
                self.page_script_hash = forward.navigation.page_script_hash
            elif kind == "script_finished":
                run.status = forward.script_finished
        return run, time.perf_counter() - sent


def offered(run: Run, key: str, label: str | None = None) -> str:
    """The id of the page's widget `key`, refused when the page has none or it does not offer `label`."""
    widget = run.widgets.get(key)
    if widget is None:
        raise ProtocolError(f"the page has no widget {key!r} (it has {sorted(run.widgets)})")
    if label is not None and label not in widget.options:
        raise ProtocolError(f"{key} offers no {label!r} (options {widget.options})")
    return widget.id


def page_states(run: Run, q: Questionnaire, n: int, total: int, rng: random.Random,
                comment: str, answers: dict) -> list[WidgetState]:
    """The widget states of page `n` of `total` answered as the browser client does (two statements on
    each dimension page, the first group question, a comment) plus the form's submit trigger; what was
    answered is added to `answers` (ratings: statement -> (current, desired), group, comment)."""
    states = []
    dimension = q.dimensions[n - 2] if 2 <= n <= len(q.dimensions) + 1 else None
    if dimension is not None:
        for s in dimension.statements[:2]:
            chosen = []
            for key in (survey_keys.current(s.id), survey_keys.desired(s.id)):
                value = rng.randint(1, 5)
                label = f"{value} {q.level_label(value)}"
                state = WidgetState(id=offered(run, key, label))
                state.string_array_value.data.append(label)
                states.append(state)
                chosen.append(value)
            answers.setdefault("ratings", {})[s.id] = tuple(chosen)
    elif n == total - 1:
        group = q.profile[0]
        option = rng.choice(group.options)
        states.append(WidgetState(id=offered(run, survey_keys.profile(group.id), option),
                                  string_value=option))
        answers["group"] = (group.id, option)
    elif n == total:
        states.append(WidgetState(id=offered(run, survey_keys.comment(q.comments[0].id)),
                                  string_value=comment))
        answers["comment"] = comment
    states.append(WidgetState(id=offered(run, "survey_next"), trigger_value=True))
    return states


def check(run: Run, n: int, after: str) -> None:
    """Refuse a run that did not finish or did not draw the page the save should lead to."""
    if run.status != FINISHED_SUCCESSFULLY or after not in run.texts:
        raise ProtocolError(f"after saving page {n}: expected {after!r}, the run drew {run.texts} "
                            f"(alerts {run.alerts}, status {run.status})")


async def respond(url: str, q: Questionnaire, seed: int, comment: str,
                  saves: list[float] | None = None) -> dict:
    """Answer the survey at `url` once, page after page, in a fresh session; return what was answered.

    Appends each page save's seconds (submit sent until script_finished, the next page's heading
    checked) to `saves`.
    """
    rng = random.Random(seed)
    total = len(q.dimensions) + 3
    answers: dict = {}
    connection = await Connection.open(url)
    try:
        run, _ = await connection.rerun([])
        check(run, 0, f"Page 1 of {total}")
        for n in range(1, total + 1):
            states = page_states(run, q, n, total, rng, comment, answers)
            run, seconds = await connection.rerun(states)
            check(run, n, "Thank you!" if n == total else f"Page {n + 1} of {total}")
            if saves is not None:
                saves.append(seconds)
    finally:
        await connection.close()
    return answers

