"""Saved mappings ("mapping profiles"): how a platform's columns and answer labels map to ours.

Stored in the database by name, and exchanged as YAML files:

    name: acme-limesurvey
    platform: limesurvey            # optional
    columns:                        # header or platform code -> target
      "CUR[SQ001]": meth_1.current
      "Department": profile.business_unit
      "Email": ignore
    answers:                        # answer label -> scale value (1-5) or na
      "Totally": 5
      "No idea": na
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import duckdb
import yaml

from pmostep.core.errors import PMOStepError
from pmostep.core.questionnaire import Questionnaire
from pmostep.initiation.imports.columns import valid_targets
from pmostep.initiation.imports.values import NA, normalise
from pmostep.store.db import cursor


class MappingProfileError(PMOStepError):
    """A mapping file or profile that cannot be used; the message names the entry."""


@dataclass
class MappingProfile:
    name: str
    platform: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    answers: dict[str, object] = field(default_factory=dict)

    def to_yaml(self) -> str:
        doc = {"name": self.name, "platform": self.platform, "columns": self.columns,
               "answers": self.answers}
        return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


def parse(raw: object, q: Questionnaire, source: str = "mapping") -> MappingProfile:
    """Validate a mapping given as data; every problem names the entry."""
    if not isinstance(raw, dict):
        raise MappingProfileError(f"{source}: must be a mapping with name, columns and answers")
    problems = []
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append("'name' is missing")
    columns = raw.get("columns") or {}
    answers = raw.get("answers") or {}
    if not isinstance(columns, dict):
        problems.append("'columns' must map headers to targets")
        columns = {}
    if not isinstance(answers, dict):
        problems.append("'answers' must map labels to values")
        answers = {}
    targets = set(valid_targets(q))
    for header, target in columns.items():
        if target not in targets:
            problems.append(f"column '{header}': unknown target '{target}' (for example meth_1.current, "
                            "importance.governance, profile.group, comment.pain_point, ignore)")
    top = q.scale_max
    clean_answers: dict[str, object] = {}
    for label, value in answers.items():
        if isinstance(value, str) and value.strip().casefold() in ("na", "n/a"):
            clean_answers[str(label)] = NA
        elif isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= top:
            clean_answers[str(label)] = value
        else:
            problems.append(f"answer '{label}': value {value!r} must be a whole number from 1 to {top} or na")
    if problems:
        raise MappingProfileError(f"{source}: " + "; ".join(problems))
    return MappingProfile(name.strip(), raw.get("platform"), {str(k): v for k, v in columns.items()},
                          clean_answers)


def from_yaml(text: str, q: Questionnaire, source: str = "mapping file") -> MappingProfile:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise MappingProfileError(f"{source} is not valid YAML ({exc})") from exc
    return parse(raw, q, source)


def answer_overrides(profile: MappingProfile | None) -> dict[str, object]:
    return {normalise(k): v for k, v in (profile.answers if profile else {}).items()}


def save(cur: duckdb.DuckDBPyConnection, profile: MappingProfile) -> None:
    """Keep a mapping under its name (replacing one of the same name), on the caller's transaction."""
    cur.execute("DELETE FROM mapping_profiles WHERE name = ?", [profile.name])
    cur.execute(
        "INSERT INTO mapping_profiles (name, platform, columns, answers) VALUES (?, ?, ?, ?)",
        [profile.name, profile.platform, json.dumps(profile.columns), json.dumps(profile.answers)],
    )


def load(con: duckdb.DuckDBPyConnection, name: str, q: Questionnaire) -> MappingProfile:
    """A saved mapping, checked against the questionnaire it is about to be used with."""
    with cursor(con) as cur:
        row = cur.execute("SELECT name, platform, columns, answers FROM mapping_profiles WHERE name = ?",
                          [name]).fetchone()
    if row is None:
        raise MappingProfileError(f"no saved mapping named '{name}'")
    raw = {"name": row[0], "platform": row[1], "columns": json.loads(row[2]), "answers": json.loads(row[3])}
    return parse(raw, q, source=f"saved mapping '{name}'")


def names(con: duckdb.DuckDBPyConnection) -> list[str]:
    with cursor(con) as cur:
        return [r[0] for r in cur.execute("SELECT name FROM mapping_profiles ORDER BY name").fetchall()]
