"""The library of common PMO problems: symptoms a PMO lead recognises, why they happen, and the rules that
detect them in an assessment's own data (docs/know-how.md).

Problems are data (`data/problems.yaml`, or an assessment's extension), checked on load: every problem at
once, each naming the file, the problem and the field. `RULE_KINDS` is the one schema of the detection
rules (their keys, the kind of value of each, which are required); the diagnosis evaluates them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pmostep.core import records
from pmostep.core.pmo_types import PMO_TYPES
from pmostep.core.questionnaire import ID_PATTERN

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PROBLEMS = ROOT / "data" / "problems.yaml"
SOURCE = "data/problems.yaml"
KEY = "problems"
FIELDS = ("id", "name", "summary", "why", "consequences", "symptoms", "entries", "keywords", "rules")
ANY = "any"                      # a dont_know or alpha rule over every dimension at once

# The Foundation facts a `foundation` rule can find missing: Assessment field -> what people call it.
FOUNDATION_FACTS = {"sponsor_name": "sponsor", "sponsor_role": "sponsor's role", "mission": "mission",
                    "customers": "customers", "pmo_type": "PMO type"}


@dataclass(frozen=True)
class Symptom:
    """Something a PMO lead sees and can tick in the self-check."""

    id: str
    text: str


@dataclass(frozen=True)
class Rule:
    """One detection rule: its kind (a key of RULE_KINDS) and the validated keys of that kind (lists of
    values, such as groups or types, as tuples; keys not given are absent)."""

    kind: str
    params: Mapping[str, Any]


@dataclass(frozen=True)
class Problem:
    """A common PMO problem, how it shows and what addresses it."""

    id: str
    name: str
    summary: str
    why: str
    consequences: str
    symptoms: tuple[Symptom, ...]   # ids unique within the problem
    entries: tuple[str, ...]        # catalogue entry ids that address it
    keywords: tuple[str, ...]       # lower-case words/phrases for the comments rule
    rules: tuple[Rule, ...]


# --- The rule kinds -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Value:
    """What a rule key holds: `kind` names the check (see `_checked`), `low`..`high` its range."""

    kind: str                        # dimension, dimension_or_any, number, whole, groups, facts, pmo_types
    required: bool = False
    low: float | None = None
    high: float | None = None


LEVEL = Value("number", low=1, high=5)          # a score on the questionnaire's 1-5 scale
GAP = Value("number", low=0, high=4)            # desired minus current, on the same scale
SHARE = Value("number", required=True, low=0, high=1)
DIMENSION = Value("dimension", required=True)


@dataclass(frozen=True)
class RuleKind:
    """The keys a rule of this kind may have, and which thresholds it needs at least one of."""

    keys: Mapping[str, Value]
    one_of: tuple[str, ...] = ()
    survey: bool = True               # read from the survey's answers (not from Foundation facts or the plan)


# The one schema of rules; what each kind reads and when it fires is in docs/know-how.md, "Rule kinds".
RULE_KINDS: dict[str, RuleKind] = {
    "dimension": RuleKind(
        {"dimension": DIMENSION, "current_below": LEVEL, "current_above": LEVEL, "desired_above": LEVEL,
         "gap_above": GAP},
        one_of=("current_below", "current_above", "desired_above", "gap_above")),
    "overall": RuleKind({"current_below": LEVEL, "gap_above": GAP}, one_of=("current_below", "gap_above")),
    "group_difference": RuleKind({"dimension": DIMENSION, "groups": Value("groups"),
                                  "difference_above": GAP}),
    "dont_know": RuleKind({"dimension": Value("dimension_or_any", required=True), "share_above": SHARE}),
    "alpha": RuleKind({"dimension": Value("dimension_or_any", required=True), "below": SHARE}),
    "readiness_load": RuleKind(
        {"readiness_below": Value("number", required=True, low=1, high=5), "load_share_at_least": SHARE},
        survey=False),
    "comments": RuleKind({"min_matches": Value("whole", required=True, low=1)}),
    "foundation": RuleKind({"missing": Value("facts", required=True)}, survey=False),
    "pmo_type": RuleKind(
        {"types": Value("pmo_types", required=True), "readiness_below": LEVEL, "current_below": LEVEL},
        survey=False),
    "staffing": RuleKind({}, survey=False),
}


# --- Loading ------------------------------------------------------------------------------------------

@dataclass
class _Context:
    """What a problem file refers to, known before it is read."""

    dimension_ids: Collection[str]
    groups: Collection[str]
    entry_ids: Collection[str]
    source: str
    seen: dict[str, int] = field(default_factory=dict)


def parse(raw: Any, source: str, dimension_ids: Collection[str], groups: Collection[str],
          entry_ids: Collection[str], required: bool = True,
          seen: dict[str, int] | None = None) -> tuple[tuple[Problem, ...], list[str]]:
    """The problems of a file's plain data and every problem found in it.

    `groups` are the options of the questionnaire's stakeholder-group question; `entry_ids` the catalogue's.
    `seen` receives every usable id, the problems' with faults included, so that what refers to them is not
    reported as well.
    """
    nodes, problems = records.nodes(raw, KEY, source, required)
    context = _Context(dimension_ids, groups, entry_ids, source, {} if seen is None else seen)
    found = []
    for position, node in enumerate(nodes, 1):
        problem, found_problems = _problem(node, position, context)
        problems += found_problems
        if problem is not None:
            found.append(problem)
    problems += records.name_problems(found, "problem", source)
    return tuple(found), problems


def loads(text: str, source: str, dimension_ids: Collection[str], groups: Collection[str],
          entry_ids: Collection[str], required: bool = True,
          seen: dict[str, int] | None = None) -> tuple[tuple[Problem, ...], list[str]]:
    """The problems of a YAML text (read safely) and every problem found."""
    raw, problems = records.read_text(text, source)
    if problems:
        return (), problems
    return parse(raw, source, dimension_ids, groups, entry_ids, required, seen)


def _problem(node: Any, position: int, context: _Context) -> tuple[Problem | None, list[str]]:
    r = records.Reader(node, position, "problem", context.source, context.seen, FIELDS)
    texts = [r.text(key) for key in ("name", "summary", "why", "consequences")]   # read in file order
    symptoms = _symptoms(r)
    entries = r.texts("entries", "entry", context.entry_ids, where="in the catalogue")
    keywords = r.texts("keywords", "keyword", low=0)
    for word in keywords:
        if word != word.lower():
            r.problem("keywords", f"keyword '{word}' must be lower case")
    problem = Problem(r.id, *texts, symptoms, entries, keywords, _rules(r, context, bool(keywords)))
    return (problem if r.ok else None), r.problems


def _symptoms(r: records.Reader) -> tuple[Symptom, ...]:
    value = r.value("symptoms")
    if value is None:
        return ()
    if not isinstance(value, list):
        r.problem("symptoms", f"'symptoms' must be a list of {{id, text}}, not {value!r}")
        return ()
    found, seen = [], set()
    for i, node in enumerate(value, 1):
        sid = node.get("id") if isinstance(node, Mapping) else None
        text = node.get("text") if isinstance(node, Mapping) else None
        where = f"symptom {i}"
        if not isinstance(node, Mapping) or set(node) - {"id", "text"}:
            r.problem("symptoms", f"{where} must be a mapping with id and text only, not {node!r}")
        elif not isinstance(sid, str) or not ID_PATTERN.match(sid):
            r.problem("symptoms", f"{where}: id {sid!r} must be {records.ID_RULE}")
        elif sid in seen:
            r.problem("symptoms", f"symptom '{sid}' is listed twice")
        elif not isinstance(text, str) or not text.strip():
            r.problem("symptoms", f"symptom '{sid}': 'text' is missing")
        else:
            seen.add(sid)
            found.append(Symptom(sid, text.strip()))
    return tuple(found)


def _rules(r: records.Reader, context: _Context, has_keywords: bool) -> tuple[Rule, ...]:
    value = r.value("rules")
    if value is None:
        return ()
    if not isinstance(value, list):
        r.problem("rules", f"'rules' must be a list of rules, not {value!r}")
        return ()
    found = []
    for i, node in enumerate(value, 1):
        problems, rule = _rule(node, context)
        for text in problems:
            r.problem(f"rules {i}", text)
        if rule is not None:
            found.append(rule)
            if rule.kind == "comments" and not has_keywords:
                r.problem(f"rules {i}", "a comments rule needs the problem's keywords")
    return tuple(found)


def _rule(node: Any, context: _Context) -> tuple[list[str], Rule | None]:
    """One rule's problems, and the rule when it has none."""
    if not isinstance(node, Mapping):
        return [f"must be a mapping with a kind, not {node!r}"], None
    kind_name = node.get("kind")
    if kind_name not in RULE_KINDS:
        return [f"kind {kind_name!r} is not one of {', '.join(RULE_KINDS)}"], None
    kind = RULE_KINDS[kind_name]
    problems = [f"'{k}' is not a key of rule kind {kind_name} (keys: {', '.join(kind.keys) or 'none'})"
                for k in node if k != "kind" and k not in kind.keys]
    params = {}
    for key, spec in kind.keys.items():
        if key not in node or node[key] is None:
            if spec.required:
                problems.append(f"'{key}' is missing")
            continue
        problem = _checked(node[key], spec, context)
        if problem:
            problems.append(f"{key}: {problem}")
        else:
            params[key] = tuple(node[key]) if isinstance(node[key], list) else node[key]
    if kind.one_of and not any(k in node for k in kind.one_of):
        problems.append(f"rule kind {kind_name} needs at least one of {', '.join(kind.one_of)}")
    low, high = params.get("current_above"), params.get("current_below")
    if low is not None and high is not None and low >= high:
        problems.append(f"current_above {low} must be below current_below {high}, or the rule never fires")
    return problems, (None if problems else Rule(kind_name, params))


def _checked(value: Any, spec: Value, context: _Context) -> str:
    """What is wrong with one rule value, or "" when it fits its spec."""
    if spec.kind in ("number", "whole"):
        ok = records.is_whole(value) if spec.kind == "whole" else records.is_number(value)
        if not ok or value < (spec.low or 0) or (spec.high is not None and value > spec.high):
            noun = "a whole number" if spec.kind == "whole" else "a number"
            span = f" from {spec.low:g}" + (f" to {spec.high:g}" if spec.high is not None else " up")
            return f"must be {noun}{span}, not {value!r}"
        return ""
    if spec.kind in ("dimension", "dimension_or_any"):
        allowed = [*context.dimension_ids, *([ANY] if spec.kind == "dimension_or_any" else [])]
        return "" if value in allowed else f"{value!r} is not one of the questionnaire's {', '.join(allowed)}"
    allowed, count = {"groups": (context.groups, 2), "facts": (FOUNDATION_FACTS, 0),
                      "pmo_types": (PMO_TYPES, 0)}[spec.kind]
    if not isinstance(value, list) or not value or len(set(map(str, value))) != len(value):
        return f"must be a list of different values, not {value!r}"
    if count and len(value) != count:
        return f"must list exactly {count} values, not {len(value)}"
    unknown = [v for v in value if v not in allowed]
    return f"{', '.join(map(repr, unknown))} not one of {', '.join(allowed)}" if unknown else ""
