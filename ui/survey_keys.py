"""The survey's widget keys, which are also the names of its answers: one scheme for every place.

`cur_<statement>` and `des_<statement>` (a statement's current and desired state), `imp_<dimension>`,
`prof_<profile field>` and `com_<open question>`. views/survey.py draws its widgets with them, ui/data.py
fills them in again from the saved answers, and the benchmarks' clients find the widgets by them (in
the browser as `.st-key-<key>`). No Streamlit here, so that the benchmarks import it alone.

A page's answers are described as save_page takes them: its parts ("ratings", "importance",
"profile", "comments") and, in each, the ids answered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

CURRENT, DESIRED, IMPORTANCE, PROFILE, COMMENT = "cur", "des", "imp", "prof", "com"


def current(statement_id: str) -> str:
    return f"{CURRENT}_{statement_id}"


def desired(statement_id: str) -> str:
    return f"{DESIRED}_{statement_id}"


def importance(dimension_id: str) -> str:
    return f"{IMPORTANCE}_{dimension_id}"


def profile(field_id: str) -> str:
    return f"{PROFILE}_{field_id}"


def comment(question_id: str) -> str:
    return f"{COMMENT}_{question_id}"


RATINGS = "ratings"          # the part with two widgets per statement: current and desired
SINGLE: dict[str, Callable[[str], str]] = {"importance": importance, "profile": profile, "comments": comment}


def is_answer(key: str) -> bool:
    """Whether a session-state key is a survey answer's widget (starting a new response clears them)."""
    return key.startswith(tuple(f"{p}_" for p in (CURRENT, DESIRED, IMPORTANCE, PROFILE, COMMENT)))


def keys(parts: Mapping[str, list[str]]) -> list[str]:
    """The widget keys of the answers a page asks for, given as save_page's parts and their ids."""
    out = []
    for part, ids in parts.items():
        out += ([k for i in ids for k in (current(i), desired(i))] if part == RATINGS
                else [SINGLE[part](i) for i in ids])
    return out


def answers(parts: Mapping[str, list[str]], state: Mapping[str, object]) -> dict[str, dict]:
    """The answers the widgets of these parts hold in `state` (the session state), as save_page takes them."""
    return {part: {i: (state.get(current(i)), state.get(desired(i))) if part == RATINGS
                   else state.get(SINGLE[part](i)) for i in ids}
            for part, ids in parts.items()}


def values(answers: Mapping[str, Mapping[str, object]]) -> dict[str, object]:
    """Answers in save_page's shape as widget keys and values: the reverse of `answers`."""
    out: dict[str, object] = {}
    for part, given in answers.items():
        for i, value in given.items():
            if part == RATINGS:
                out[current(i)], out[desired(i)] = value
            else:
                out[SINGLE[part](i)] = value
    return out
