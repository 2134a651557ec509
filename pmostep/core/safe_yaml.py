"""YAML text read safely, for every file a user can upload or edit (catalogue, know-how).

Aliases are refused (a few hundred bytes of nested aliases expand to gigabytes) and the text is bounded,
so reading an upload can never take the app down. Callers wrap `YamlTextError` in their own error, which
names the file.
"""

from __future__ import annotations

from typing import Any

import yaml

from pmostep.core.errors import PMOStepError

MAX_CHARS = 2_000_000     # far above any real catalogue or know-how file (the shipped ones are < 100 kB)


class YamlTextError(PMOStepError):
    """Text that cannot be read as YAML safely; the message says why and where, without the file name."""


def load(text: str) -> Any:
    """The plain data of a YAML text: aliases refused, size bounded, syntax errors with line and column."""
    if len(text) > MAX_CHARS:
        raise YamlTextError(f"is too long ({len(text):,} characters; at most {MAX_CHARS:,})")
    try:
        if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(text, Loader=yaml.SafeLoader)):
            raise YamlTextError("uses YAML aliases (*name); write every entry out in full")
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise YamlTextError(_message(exc)) from exc


def _message(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return f"is not valid YAML ({exc})"
    problem = getattr(exc, "problem", None) or "syntax error"
    return f"is not valid YAML at line {mark.line + 1}, column {mark.column + 1}: {problem}"
