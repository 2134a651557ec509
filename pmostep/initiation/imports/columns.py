"""Which column feeds which part of the questionnaire, and why.

A target is written as text, the same in the app, in saved mappings and in reports:
`meth_1.current`, `meth_1.desired`, `importance.governance`, `profile.group`, `comment.pain_point`,
`respondent_id`, `started`, `completed`, `status`, `finished`, or `ignore`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from pmostep.core.questionnaire import Questionnaire
from pmostep.initiation.imports.platforms import MICROSOFT_FORMS, TEMPLATE, Column, Export
from pmostep.initiation.imports.values import normalise

IGNORE = "ignore"
META_TARGETS = ("respondent_id", "started", "completed", "status", "finished")
FUZZY_CUTOFF = 0.88

# Matched on text without punctuation, so "as-is" reads "asis" and "to-be" "tobe".
CURRENT_WORDS = ("current", "currently", "today", "now", "as is", "asis", "present", "actual")
DESIRED_WORDS = ("desired", "future", "should", "target", "to be", "tobe", "ideal", "want", "would like",
                 "wish", "in two years", "aim")
# Microsoft Forms quiz exports add a points and a feedback column per question.
QUIZ_PREFIXES = ("points - ", "feedback - ")
IMPORTANCE_WORDS = ("importance", "important", "priority")
PROFILE_SYNONYMS = {
    "group": ("stakeholder group", "role", "your role", "job role", "stakeholder"),
    "business_unit": ("business unit", "department", "division", "unit"),
    "involvement": ("involvement", "time on projects", "time spent on projects"),
    "tenure": ("tenure", "years in the organisation", "years with the company", "length of service"),
}


@dataclass
class ColumnMapping:
    index: int
    header: str
    target: str
    reason: str


def _plain(text: str) -> str:
    """Normalised and without punctuation: for matching headers against the questionnaire's texts."""
    return re.sub(r"[^\w ]+", "", normalise(text)).strip()


class _Matcher:
    """Finds a questionnaire text (statement, dimension name, question) tolerant of small edits."""

    def __init__(self, texts: dict[str, str]):
        self.by_plain = {_plain(text): key for key, text in texts.items()}
        self.choices = list(self.by_plain)

    def find_exact(self, text: str | None) -> str | None:
        return self.by_plain.get(_plain(text)) if text else None

    def find(self, text: str | None) -> str | None:
        if not text:
            return None
        plain = _plain(text)
        if plain in self.by_plain:
            return self.by_plain[plain]
        close = difflib.get_close_matches(plain, self.choices, n=1, cutoff=FUZZY_CUTOFF)
        return self.by_plain[close[0]] if close else None


def _side(title: str | None) -> str | None:
    if not title:
        return None
    low = f" {_plain(title)} "
    desired = any(f" {w} " in low for w in DESIRED_WORDS)
    current = any(f" {w} " in low for w in CURRENT_WORDS)
    if desired and not current:
        return "desired"
    if current and not desired:
        return "current"
    return None


def _is_importance(title: str | None) -> bool:
    return bool(title) and any(w in _plain(title) for w in IMPORTANCE_WORDS)


def _candidates(column: Column) -> list[tuple[str | None, str]]:
    """(title, item) readings of a header: the platform's split, then ' - ' and '[...]' splits."""
    out: list[tuple[str | None, str]] = []
    if column.item:
        out.append((column.title, column.item))
    header = column.header
    for separator in (" - ", "-"):         # Qualtrics 'Title - Row'; its legacy exporter 'Title-Row'
        parts = header.split(separator)
        for i in range(1, len(parts)):
            out.append((separator.join(parts[:i]), separator.join(parts[i:])))
    match = re.match(r"^(?P<title>.*?)\s*\[(?P<item>[^\[\]]+)\]$", header, re.S)
    if match:
        out.append((match.group("title"), match.group("item")))
    match = re.match(r"^(?P<item>.*?)\s*\((?P<title>[^()]+)\)$", header, re.S)   # 'Statement (today)'
    if match:
        out.append((match.group("title"), match.group("item")))
    out.append((None, header))
    return out


def auto_map(export: Export, q: Questionnaire, saved: dict[str, str] | None = None) -> list[ColumnMapping]:
    """A target for every column, with the reason, from saved mappings, platform fields and texts."""
    saved_plain = {_plain(k): v for k, v in (saved or {}).items()}
    statements = _Matcher({s.id: s.text for s in q.statements})
    dimensions = _Matcher({d.id: d.name for d in q.dimensions})
    profile = _Matcher({p.id: p.text for p in q.profile})
    synonyms = {syn: pid for pid, names in PROFILE_SYNONYMS.items() if pid in {p.id for p in q.profile}
                for syn in names}
    comments = _Matcher({c.id: c.text for c in q.comments})
    roles = {index: role for role, index in export.roles.items()}

    mappings: list[ColumnMapping] = []
    seen_sides: dict[str, list[str]] = {}
    pending_by_order: list[tuple[int, str]] = []   # statement columns with no side in their title

    for column in export.columns:
        def add(target: str, reason: str, column: Column = column) -> None:
            mappings.append(ColumnMapping(column.index, column.header, target, reason))

        for key in filter(None, (column.header, column.key)):
            if _plain(key) in saved_plain:
                add(saved_plain[_plain(key)], "saved mapping")
                break
        else:
            if column.index in roles:
                add(roles[column.index], f"{export.platform_name} field")
                continue
            if not column.header:
                add(IGNORE, "no header")
                continue
            found = _map_by_text(column, export, statements, dimensions, profile, synonyms, comments)
            if found is not None and found[0] == IGNORE:
                add(IGNORE, found[1])
                continue
            if found is None:
                add(IGNORE, "no statement or question of the questionnaire matches this header")
                continue
            target, reason = found
            if target.startswith("?"):                      # statement whose side comes from order
                sid = target[1:]
                pending_by_order.append((len(mappings), sid))
                add(f"{sid}.current", reason)
                continue
            add(target, reason)
            if target.endswith((".current", ".desired")):
                seen_sides.setdefault(target.split(".")[0], []).append(target.split(".")[1])
            continue

    # Statements whose header does not say current or desired: the first block is current, the next
    # desired (Microsoft Forms suffixes the repeated statement with 2; other platforms keep the order).
    for position, sid in pending_by_order:
        taken = seen_sides.setdefault(sid, [])
        side = "current" if "current" not in taken else "desired"
        taken.append(side)
        m = mappings[position]
        first = "first" if side == "current" else "second"
        m.target = f"{sid}.{side}"
        m.reason = f"statement text; {side} because it is the {first} column with this statement"
    drop_duplicate_targets(mappings)
    return mappings


def _map_by_text(column, export, statements, dimensions, profile, synonyms, comments):
    header = column.header
    if export.platform == TEMPLATE and normalise(header) == "respondent":
        return "respondent_id", "template field"
    if export.platform == MICROSOFT_FORMS:
        if normalise(header).startswith(QUIZ_PREFIXES):
            return IGNORE, "Microsoft Forms quiz points or feedback"
        # Forms numbers a repeated statement ('...2'): checked on the exact text before any fuzzy
        # match, which would take 'Statement2' for the statement itself; columns may come in any order.
        exact = statements.find_exact(header)
        stripped = re.sub(r"\d+$", "", header).strip()
        if exact is None and stripped != header and statements.find_exact(stripped):
            return f"{statements.find_exact(stripped)}.desired", (
                "statement text; desired because Microsoft Forms numbers the second block's repeat")
        if exact:
            return f"{exact}.current", "statement text; current: the first block of a Microsoft Forms survey"
    for title, item in _candidates(column):
        sid = statements.find(item)
        if sid:
            side = _side(title)
            if side:
                return f"{sid}.{side}", f"statement text; {side} from the title '{title}'"
            return f"?{sid}", "statement text"
        did = dimensions.find(item)
        if did and (_is_importance(title) or title is None):
            return f"importance.{did}", "dimension name under an importance question"
    pid = profile.find(header)
    if pid:
        return f"profile.{pid}", "profile question text"
    cid = comments.find(header)
    if cid:
        return f"comment.{cid}", "open question text"
    plain = _plain(header)
    for synonym, pid in synonyms.items():
        if plain == synonym or plain.startswith(synonym + " ") or plain.endswith(" " + synonym):
            return f"profile.{pid}", f"header looks like the '{pid}' profile question"
    return None


def drop_duplicate_targets(mappings: list[ColumnMapping]) -> None:
    """A target fed by two columns is ambiguous: keep the first and say why the other is ignored."""
    used: dict[str, str] = {}
    for m in mappings:
        if m.target == IGNORE:
            continue
        if m.target in used:
            m.reason = f"ignored: '{used[m.target]}' already feeds {m.target}"
            m.target = IGNORE
        else:
            used[m.target] = m.header


def valid_targets(q: Questionnaire) -> list[str]:
    """Every target a column can be given, in questionnaire order (for the app's mapping editor)."""
    targets = [IGNORE, *META_TARGETS]
    for s in q.statements:
        targets += [f"{s.id}.current", f"{s.id}.desired"]
    targets += [f"importance.{d.id}" for d in q.dimensions]
    targets += [f"profile.{p.id}" for p in q.profile]
    targets += [f"comment.{c.id}" for c in q.comments]
    return targets


def describe_target(target: str, q: Questionnaire) -> str:
    """A target in words, for people: 'Current: Every project above a set size has ...'."""
    kind, _, rest = target.partition(".")
    texts = {s.id: s.text for s in q.statements}
    if kind in texts and rest in ("current", "desired"):
        return f"{rest.capitalize()} state: {texts[kind]}"
    if kind == "importance":
        return f"Importance: {q.dimension(rest).name}"
    if kind == "profile":
        return f"Profile: {q.profile_question(rest).text}"
    if kind == "comment":
        return f"Open question: {next(c.text for c in q.comments if c.id == rest)}"
    return {"ignore": "Ignored", "respondent_id": "Respondent id", "started": "Started at",
            "completed": "Completed at", "status": "Response status", "finished": "Finished flag"}.get(
        target, target)
