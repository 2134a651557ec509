"""Lists of records read from YAML (the know-how's roles, problems and practices), every problem at once.

A file is a mapping with one list of records under a known key. Each record is read field by field by a
`Reader`, which notes every problem instead of stopping at the first, and each problem names the file,
the record (by id, or by position when the id is unusable) and the field, so a file is fixed in one pass.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from typing import Any

from pmostep.core import safe_yaml
from pmostep.core.errors import PMOStepError, listed
from pmostep.core.questionnaire import ID_PATTERN

ID_RULE = "lower-case letters, digits and _, starting with a letter"
MAX_RECORDS = 1_000       # records of one file (the catalogue's entries too); the shipped ones hold < 60


class KnowHowError(PMOStepError):
    """Know-how that cannot be used; `problems` lists every reason, each naming file, record and field
    (at most errors.MAX_PROBLEMS of them, then how many more)."""

    def __init__(self, problems: list[str]):
        self.problems = listed(problems)
        super().__init__("; ".join(self.problems))


def read_text(text: str, source: str) -> tuple[Any, list[str]]:
    """The plain data of a YAML text read safely, or None and the reason naming the file."""
    try:
        return safe_yaml.load(text), []
    except safe_yaml.YamlTextError as exc:
        return None, [f"{source}: {exc}"]


def nodes(raw: Any, key: str, source: str, required: bool = True) -> tuple[list[Any], list[str]]:
    """The records listed under `key` of a file's mapping; an extension may leave the list out or empty."""
    if raw is None and not required:
        return [], []
    if not isinstance(raw, Mapping):
        return [], [f"{source}: must be a mapping with a list under '{key}'"]
    extra = sorted(str(k) for k in raw if k not in (key, "version"))
    problems = [f"{source}: '{k}' is not a top-level key (keys: {key}, version)" for k in extra]
    value = raw.get(key)
    if value is None and not required:
        return [], problems
    if not isinstance(value, list) or (required and not value):
        return [], [*problems, f"{source}: '{key}' must list at least one record"]
    if len(value) > MAX_RECORDS:
        return [], [*problems, f"{source}: '{key}' lists {len(value):,} records; at most {MAX_RECORDS:,}"]
    return value, problems


def is_empty(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, list | tuple | Mapping) and not value)


def is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


class Reader:
    """Reads one record field by field; `problems` holds every problem, each naming record and field."""

    def __init__(self, node: Any, position: int, noun: str, source: str, seen: dict[str, int],
                 fields: Collection[str]):
        self.node: Mapping[str, Any] = node if isinstance(node, Mapping) else {}
        self.noun = noun
        self.source = source
        self.problems: list[str] = []
        self.label = f"{noun} {position}"
        self.id = ""
        self.is_mapping = isinstance(node, Mapping)
        if not self.is_mapping:
            self.problem("", f"must be a mapping of fields, not {node!r}")
            return
        self.id = self._identify(position, seen)
        for key in self.node:
            if key not in fields:
                self.problem(str(key), f"'{key}' is not a field of a {noun} (fields: {', '.join(fields)})")

    def _identify(self, position: int, seen: dict[str, int]) -> str:
        value = self.node.get("id")
        if is_empty(value):
            self.problem("id", "'id' is missing")
        elif not isinstance(value, str) or not ID_PATTERN.match(value):
            self.problem("id", f"id {value!r} must be {ID_RULE} (at most 40)")
        elif value in seen:
            self.problem("id", f"id '{value}' is already used by {self.noun} {seen[value]}")
        else:
            seen[value] = position
            self.label = f"{self.noun} '{value}'"
            return value
        return ""

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.id)

    def problem(self, field: str, text: str) -> None:
        """Note a problem of one field (none for the fields of a record that is not a mapping)."""
        if field and not self.is_mapping:
            return
        where = f"{self.label}: {field}" if field else self.label
        self.problems.append(f"{self.source}: {where}: {text}")

    def value(self, key: str, required: bool = True) -> Any:
        value = self.node.get(key)
        if is_empty(value):
            if required:
                self.problem(key, f"'{key}' is missing")
            return None
        return value

    def text(self, key: str, required: bool = True) -> str:
        value = self.value(key, required)
        if value is not None and not isinstance(value, str):
            self.problem(key, f"'{key}' must be text, not {value!r}")
            return ""
        return (value or "").strip()

    def choice(self, key: str, allowed: Collection[str]) -> str:
        value = self.text(key)
        if value and value not in allowed:
            self.problem(key, f"'{value}' is not one of {', '.join(allowed)}")
        return value

    def texts(self, key: str, noun: str, allowed: Collection[str] | None = None, *, low: int = 1,
              high: int | None = None, where: str = "") -> tuple[str, ...]:
        """A list of distinct non-empty texts, `low` to `high` of them, each in `allowed` when given
        (`where` says in what, for the message: "the catalogue")."""
        value = self.node.get(key)
        if value is None or value == []:
            if low:
                self.problem(key, f"'{key}' is missing")
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(key, f"'{key}' must be a list of text items, not {value!r}")
            return ()
        items = tuple(v.strip() for v in value)
        if len(items) < low or (high is not None and len(items) > high):
            count = f"{low} to {high}" if high is not None else f"at least {low}"
            self.problem(key, f"'{key}' must list {count} items, not {len(items)}")
        for i, item in enumerate(items):
            if item in items[:i]:
                self.problem(key, f"{noun} '{item}' is listed twice")
            elif allowed is not None and item not in allowed:
                self.problem(key, f"{noun} '{item}' is not {where or 'one of ' + ', '.join(allowed)}")
        return items


def name_problems(items: Collection[Any], noun: str, source: str) -> list[str]:
    """Names must differ, ignoring case: people pick and read records by name, never by id."""
    problems, seen = [], {}
    for item in items:
        key = item.name.strip().lower()
        if key in seen:
            problems.append(f"{source}: {noun} '{item.id}': name: '{item.name}' is already the name of "
                            f"{noun} '{seen[key]}'")
        else:
            seen[key] = item.id
    return problems


def merged(base: Collection[Any], extra: Collection[Any]) -> tuple[Any, ...]:
    """`base` with `extra` laid over it by id: same ids replace in place, new ids follow in their order."""
    replacing = {item.id: item for item in extra}
    known = {item.id for item in base}
    return (*(replacing.get(item.id, item) for item in base),
            *(item for item in extra if item.id not in known))
