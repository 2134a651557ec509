"""YAML text read safely, for every file a user can upload or edit (catalogue, know-how).

Aliases are refused (a few hundred bytes of nested aliases expand to gigabytes), and the text, its
nesting and its number of values are bounded, each checked as the parser goes, so reading an upload can
never take the app down: a hundred kilobytes of `[[[[...` is refused at its 65th bracket instead of
parsing for minutes and overflowing the stack. Callers wrap `YamlTextError` in their own error, which
names the file.
"""

from __future__ import annotations

from typing import Any

import yaml

from pmostep.core.errors import PMOStepError

MAX_CHARS = 2_000_000     # far above any real catalogue or know-how file (the shipped ones are < 100 kB)
MAX_DEPTH = 64            # lists and mappings inside each other; the shipped files nest 4 deep
MAX_VALUES = 50_000       # scalars, lists and mappings in all; the shipped catalogue has under 3,000


class YamlTextError(PMOStepError):
    """Text that cannot be read as YAML safely; the message says why and where, without the file name."""


class _BoundedLoader(yaml.SafeLoader):
    """The safe loader, checking every event as the composer takes it: no alias, bounded depth and size."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._values = 0

    def get_event(self) -> yaml.Event:
        event = super().get_event()
        if isinstance(event, yaml.AliasEvent):
            raise YamlTextError("uses YAML aliases (*name); write every entry out in full")
        if isinstance(event, yaml.CollectionEndEvent):
            self._depth -= 1
        elif isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent):
            self._values += 1
            if self._values > MAX_VALUES:
                raise YamlTextError(f"holds more than {MAX_VALUES:,} values (from {_where(event)})")
            if isinstance(event, yaml.CollectionStartEvent):
                self._depth += 1
                if self._depth > MAX_DEPTH:
                    raise YamlTextError(f"nests lists and mappings more than {MAX_DEPTH} deep "
                                        f"({_where(event)})")
        return event


def load(text: str) -> Any:
    """The plain data of a YAML text: aliases refused, size and nesting bounded, syntax errors with line
    and column."""
    if len(text) > MAX_CHARS:
        raise YamlTextError(f"is too long ({len(text):,} characters; at most {MAX_CHARS:,})")
    loader = _BoundedLoader(text)
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        raise YamlTextError(_message(exc)) from exc
    except RecursionError as exc:          # not expected within MAX_DEPTH; never a traceback for a file
        raise YamlTextError(f"nests lists and mappings too deeply (at most {MAX_DEPTH})") from exc
    finally:
        loader.dispose()


def _where(event: yaml.Event) -> str:
    mark = event.start_mark
    return f"line {mark.line + 1}, column {mark.column + 1}"


def _message(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return f"is not valid YAML ({exc})"
    problem = getattr(exc, "problem", None) or "syntax error"
    return f"is not valid YAML at line {mark.line + 1}, column {mark.column + 1}: {problem}"
