"""The discovery questionnaire: load a YAML definition, validate it, and describe it as data.

Validation collects every problem at once and names the file, the item and the problem, so a PMO lead
editing the YAML fixes it in one pass.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pmostep.core.errors import PMOStepError

SURVEYS_DIR = Path(__file__).resolve().parents[2] / "surveys"
DEFAULT_QUESTIONNAIRE = SURVEYS_DIR / "pmo-discovery.yaml"

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MIN_STATEMENTS, MAX_STATEMENTS = 3, 5


class QuestionnaireError(PMOStepError):
    """A questionnaire definition that cannot be used; `problems` lists every reason."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


@dataclass(frozen=True)
class ScalePoint:
    value: int
    label: str
    description: str = ""


@dataclass(frozen=True)
class Statement:
    id: str
    text: str
    dimension_id: str


@dataclass(frozen=True)
class Dimension:
    id: str
    name: str
    description: str
    statements: tuple[Statement, ...]


NOT_STATED = "Not stated"    # the group of respondents who left a profile field empty
FIELD_LABELS = {"group": "Stakeholder group", "business_unit": "Business unit", "involvement": "Involvement",
                "tenure": "Time in the organisation"}


@dataclass(frozen=True)
class ProfileQuestion:
    id: str
    text: str
    options: tuple[str, ...]

    @property
    def label(self) -> str:
        """A short name for a filter or an axis (the question text is too long for either)."""
        return FIELD_LABELS.get(self.id, self.id.replace("_", " ").capitalize())


@dataclass(frozen=True)
class OpenQuestion:
    id: str
    text: str


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: int
    title: str
    introduction: str
    scale: tuple[ScalePoint, ...]
    not_applicable_label: str
    importance_text: str
    importance_scale: tuple[ScalePoint, ...]
    dimensions: tuple[Dimension, ...]
    profile: tuple[ProfileQuestion, ...]
    comments: tuple[OpenQuestion, ...]
    source: dict[str, Any] = field(compare=False, repr=False, default_factory=dict)

    @property
    def statements(self) -> list[Statement]:
        return [s for d in self.dimensions for s in d.statements]

    @property
    def scale_min(self) -> int:
        return self.scale[0].value

    @property
    def scale_max(self) -> int:
        return self.scale[-1].value

    def dimension(self, dimension_id: str) -> Dimension:
        for d in self.dimensions:
            if d.id == dimension_id:
                return d
        raise KeyError(dimension_id)

    def profile_question(self, field_id: str) -> ProfileQuestion:
        for p in self.profile:
            if p.id == field_id:
                return p
        raise KeyError(field_id)

    def level_label(self, value: int) -> str:
        return next(p.label for p in self.scale if p.value == value)

    def to_dict(self) -> dict[str, Any]:
        """The public JSON shape of `python -m pmostep questionnaire --format json`."""
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "introduction": self.introduction,
            "scale": [
                {"value": p.value, "label": p.label, "description": p.description} for p in self.scale
            ],
            "not_applicable": {"label": self.not_applicable_label},
            "importance": {
                "text": self.importance_text,
                "scale": [{"value": p.value, "label": p.label} for p in self.importance_scale],
            },
            "dimensions": [
                {
                    "id": d.id,
                    "name": d.name,
                    "description": d.description,
                    "statements": [{"id": s.id, "text": s.text} for s in d.statements],
                }
                for d in self.dimensions
            ],
            "profile": [{"id": p.id, "text": p.text, "options": list(p.options)} for p in self.profile],
            "comments": [{"id": c.id, "text": c.text} for c in self.comments],
        }

    def to_json(self) -> str:
        return json.dumps(self.source, sort_keys=True, ensure_ascii=False)


def load(path: str | Path = DEFAULT_QUESTIONNAIRE) -> Questionnaire:
    """Read and validate a questionnaire YAML file."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise QuestionnaireError(str(path), [f"cannot be read ({exc.strerror})"]) from exc
    except yaml.YAMLError as exc:
        raise QuestionnaireError(str(path), [f"is not valid YAML ({exc})"]) from exc
    return parse(raw, source=str(path))


def parse(raw: Any, source: str = "<questionnaire>") -> Questionnaire:
    """Validate a questionnaire given as plain data (from YAML or from the database)."""
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise QuestionnaireError(source, ["must be a mapping with id, version, scale and dimensions"])

    def text(node: Any, key: str, where: str, required: bool = True) -> str:
        value = node.get(key) if isinstance(node, dict) else None
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                problems.append(f"{where}: '{key}' is missing")
            return ""
        if not isinstance(value, str):
            problems.append(f"{where}: '{key}' must be text")
            return ""
        return value.strip()

    seen_ids: dict[str, str] = {}

    def ident(node: Any, where: str) -> str:
        value = node.get("id") if isinstance(node, dict) else None
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            problems.append(
                f"{where}: id {value!r} must be lower-case letters, digits and _ (starting with a letter)"
            )
            return str(value)
        if value in seen_ids:
            problems.append(f"{where}: id '{value}' is already used by {seen_ids[value]}")
        seen_ids[value] = where
        return value

    def scale_points(nodes: Any, where: str, with_description: bool) -> tuple[ScalePoint, ...]:
        if not isinstance(nodes, list) or len(nodes) < 2:
            problems.append(f"{where}: must list at least two points")
            return ()
        points = []
        for i, node in enumerate(nodes, start=1):
            at = f"{where} point {i}"
            value = node.get("value") if isinstance(node, dict) else None
            if not isinstance(value, int) or isinstance(value, bool) or value != i:
                problems.append(f"{at}: value must be {i} (points are numbered 1, 2, 3, ... in order)")
            label = text(node, "label", at)
            description = text(node, "description", at, required=with_description)
            points.append(ScalePoint(i, label, description))
        labels = [p.label.casefold() for p in points]
        if len(set(labels)) != len(labels):
            problems.append(f"{where}: labels must be different from each other")
        return tuple(points)

    qid = ident(raw, "questionnaire")
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append(f"questionnaire: version {version!r} must be a whole number from 1 up")
        version = 0
    scale = scale_points(raw.get("scale"), "scale", with_description=True)
    na_node = raw.get("not_applicable") or {}
    if not isinstance(na_node, dict):
        problems.append("not_applicable: must be a mapping with a label")
        na_node = {}
    na = text(na_node, "label", "not_applicable")
    importance_node = raw.get("importance") or {}
    if not isinstance(importance_node, dict):
        problems.append("importance: must be a mapping with text and scale")
        importance_node = {}
    importance_text = text(importance_node, "text", "importance")
    importance_scale = scale_points(importance_node.get("scale"), "importance scale", with_description=False)

    dimensions = []
    raw_dims = raw.get("dimensions")
    if not isinstance(raw_dims, list) or not raw_dims:
        problems.append("dimensions: must list at least one dimension")
        raw_dims = []
    for i, node in enumerate(raw_dims, start=1):
        where = f"dimension {i}"
        did = ident(node, where)
        where = f"dimension '{did}'"
        name = text(node, "name", where)
        description = text(node, "description", where, required=False)
        raw_statements = node.get("statements") if isinstance(node, dict) else None
        if not isinstance(raw_statements, list):
            raw_statements = []
        if not MIN_STATEMENTS <= len(raw_statements) <= MAX_STATEMENTS:
            problems.append(
                f"{where}: has {len(raw_statements)} statements; "
                f"each dimension needs {MIN_STATEMENTS} to {MAX_STATEMENTS}"
            )
        statements = []
        for j, snode in enumerate(raw_statements, start=1):
            sid = ident(snode, f"{where} statement {j}")
            stext = text(snode, "text", f"statement '{sid}'")
            statements.append(Statement(sid, stext, did))
        dimensions.append(Dimension(did, name, description, tuple(statements)))

    profile = []
    for i, node in enumerate(raw.get("profile") or [], start=1):
        pid = ident(node, f"profile question {i}")
        where = f"profile question '{pid}'"
        ptext = text(node, "text", where)
        options = node.get("options") if isinstance(node, dict) else None
        if not isinstance(options, list) or len(options) < 2:
            problems.append(f"{where}: must list at least two options")
            options = []
        options = [str(o).strip() for o in options]
        if len({o.casefold() for o in options}) != len(options):
            problems.append(f"{where}: options must be different from each other")
        profile.append(ProfileQuestion(pid, ptext, tuple(options)))

    comments = []
    for i, node in enumerate(raw.get("comments") or [], start=1):
        cid = ident(node, f"open question {i}")
        comments.append(OpenQuestion(cid, text(node, "text", f"open question '{cid}'")))

    if problems:
        raise QuestionnaireError(source, problems)
    return Questionnaire(
        id=qid,
        version=version,
        title=text(raw, "title", "questionnaire", required=False) or qid,
        introduction=text(raw, "introduction", "questionnaire", required=False),
        scale=scale,
        not_applicable_label=na,
        importance_text=importance_text,
        importance_scale=importance_scale,
        dimensions=tuple(dimensions),
        profile=tuple(profile),
        comments=tuple(comments),
        source=raw,
    )
