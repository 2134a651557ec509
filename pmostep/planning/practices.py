"""Best practices: what experienced PMO leads do at each step of the framework, tied to the problems they
prevent and the catalogue entries they relate to (docs/know-how.md).

Practices are data (`data/practices.yaml`, or an assessment's extension), checked on load. A practice's
`problems` are the only place where problems and practices are linked.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pmostep.core import records
from pmostep.planning.recommend import Recommendation

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PRACTICES = ROOT / "data" / "practices.yaml"
SOURCE = "data/practices.yaml"
KEY = "practices"
FIELDS = ("id", "name", "step", "summary", "how", "problems", "entries")
HOW_STEPS = (2, 5)              # a practice says how in 2 to 5 concrete steps
GAP_ENTRIES = 10                # how many of the entries closing the largest gaps lift their practices

STEPS = {"foundation": "Foundation", "initiation": "Initiation", "planning": "Planning",
         "deployment": "Deployment", "products": "Products and services", "running": "Running the PMO"}


@dataclass(frozen=True)
class Practice:
    """One best practice, at one step of the framework."""

    id: str
    name: str
    step: str                       # a key of STEPS
    summary: str
    how: tuple[str, ...]            # 2-5 concrete steps
    problems: tuple[str, ...]       # problem ids it prevents
    entries: tuple[str, ...]        # catalogue entry ids it relates to


def parse(raw: Any, source: str, problem_ids: Collection[str], entry_ids: Collection[str],
          required: bool = True) -> tuple[tuple[Practice, ...], list[str]]:
    """The practices of a file's plain data and every problem found in it."""
    nodes, problems = records.nodes(raw, KEY, source, required)
    seen: dict[str, int] = {}
    found = []
    low, high = HOW_STEPS
    for position, node in enumerate(nodes, 1):
        r = records.Reader(node, position, "practice", source, seen, FIELDS)
        practice = Practice(r.id, r.text("name"), r.choice("step", STEPS), r.text("summary"),
                            r.texts("how", "step", low=low, high=high),
                            r.texts("problems", "problem", problem_ids, where="in the problem library"),
                            r.texts("entries", "entry", entry_ids, where="in the catalogue"))
        problems += r.problems
        if r.ok:
            found.append(practice)
    problems += records.name_problems(found, "practice", source)
    return tuple(found), problems


def loads(text: str, source: str, problem_ids: Collection[str], entry_ids: Collection[str],
          required: bool = True) -> tuple[tuple[Practice, ...], list[str]]:
    """The practices of a YAML text (read safely) and every problem found."""
    raw, problems = records.read_text(text, source)
    if problems:
        return (), problems
    return parse(raw, source, problem_ids, entry_ids, required)


def search(practices: Collection[Practice], text: str = "", step: str | None = None,
           problems: Collection[str] = (), entries: Collection[str] = (),
           names: Mapping[str, str] | None = None) -> list[Practice]:
    """The practices that match every filter given, in their order.

    `text`: every word must appear in the name, summary or steps (or in the names of its problems and
    entries, when `names` maps their ids to names), ignoring case; `step`: a key of STEPS; `problems`,
    `entries`: the practice must name at least one of them.
    """
    words = text.lower().split()
    names = names or {}

    def searchable(p: Practice) -> str:
        return " ".join([p.name, p.summary, *p.how, *(names.get(i, "") for i in (*p.problems, *p.entries))]
                        ).lower()

    return [p for p in practices
            if (step is None or p.step == step)
            and (not problems or set(p.problems) & set(problems))
            and (not entries or set(p.entries) & set(entries))
            and all(w in searchable(p) for w in words)]


def largest_gap_entries(recommendations: Sequence[Recommendation], top: int = GAP_ENTRIES) -> list[str]:
    """The entries that close the largest gaps, largest first: the recommendations' importance-weighted
    gap closed (their benefit), whatever their fit, ease or horizon."""
    closing = [r for r in recommendations if r.benefit > 0]
    return [r.item for r in sorted(closing, key=lambda r: (-r.benefit, r.rank))[:top]]


def ranked(practices: Collection[Practice], relevant_problems: Collection[str],
           gap_entries: Collection[str], *, problem_names: Mapping[str, str] | None = None,
           entry_names: Mapping[str, str] | None = None) -> list[tuple[Practice, str]]:
    """Every practice with why it stands where it does, the relevant first.

    First the practices that prevent a detected or likely problem (`relevant_problems`, most likely first),
    then those related to the entries that close the largest gaps (`gap_entries`, largest first), then the
    rest in step order and by name. The names mappings put names, never ids, in the reasons.
    """
    problem_rank = {p: i for i, p in enumerate(relevant_problems)}
    entry_rank = {e: i for i, e in enumerate(gap_entries)}
    problem_names, entry_names = problem_names or {}, entry_names or {}
    step_order = {s: i for i, s in enumerate(STEPS)}
    placed = []
    for p in practices:
        by_problem = sorted((problem_rank[i], i) for i in p.problems if i in problem_rank)
        by_entry = sorted((entry_rank[i], i) for i in p.entries if i in entry_rank)
        if by_problem:
            named = ", ".join(problem_names.get(i, i) for _, i in by_problem)
            key, why = (0, by_problem[0][0]), f"Prevents a likely problem of this assessment: {named}."
        elif by_entry:
            named = ", ".join(entry_names.get(i, i) for _, i in by_entry)
            key = (1, by_entry[0][0])
            why = f"Goes with recommended entries that close the largest gaps: {named}."
        else:
            key, why = (2, 0), f"{STEPS[p.step]} practice."
        placed.append(((*key, step_order[p.step], p.name.lower()), p, why))
    return [(p, why) for _, p, why in sorted(placed, key=lambda t: t[0])]
