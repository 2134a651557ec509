"""The diagnosis: which common PMO problems this assessment shows, with the evidence in figures.

Each problem of the know-how (data/problems.yaml, planning/problems.py) carries detection rules written
as data. Every rule kind has one pure function here that reads the assessment's facts and returns the
evidence in words and figures when the rule fires, None when it does not. The symptoms the PMO lead
ticked in the self-check (planning/self_check.py) count beside them:

    points   = fired rules + ticked symptoms
    strength = strong at 2 points or more of which one at least is a sign in the figures (a fired rule
               other than comments), possible at 1 or more, not seen at 0

A strong problem is *confirmed*: the catalogue entries that address it get the recommendation bonus
(planning/recommend.py, PROBLEM_BONUS). The rules are written out in docs/know-how.md ("Diagnosis").
Figures come from views that may be shown: groups below the minimum size are never read (only the
shown groups of the breakdown), and comments are counted, never quoted.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pmostep.core.numbers import figure
from pmostep.core.pmo_types import PMO_TYPES
from pmostep.core.questionnaire import NOT_STATED
from pmostep.foundation.assessments import Assessment
from pmostep.planning import scoring
from pmostep.planning.know_how import KnowHow
from pmostep.planning.practices import Practice
from pmostep.planning.problems import ANY, FOUNDATION_FACTS, RULE_KINDS, Problem, Rule
from pmostep.planning.readiness import Readiness
from pmostep.planning.recommend import LikelyProblem
from pmostep.planning.scoring import ScoreReport

STRONG_POINTS = 2                  # a problem with this many signs is strong, i.e. confirmed, when...
FIGURES_NEEDED = 1                 # ...this many of them are signs in the figures (not comments, not ticks)
STRENGTHS = ("strong", "possible", "not seen")
WORDS_ONLY = ("comments",)         # rule kinds that read what people wrote, not figures


@dataclass(frozen=True)
class Facts:
    """What the rules read, gathered once per assessment (deployment/plan.build)."""

    report: ScoreReport            # the whole assessment (no filters)
    groups: ScoreReport            # by="group"; only .groups (the shown ones) are ever read
    comments: pd.DataFrame         # comments.visible(...): columns question, group, text
    assessment: Assessment
    readiness: Readiness
    wave_loads: tuple[tuple[int, float, float], ...] = ()       # (wave, change load, change budget)
    shortfalls: tuple[tuple[int, str, float, float], ...] = ()  # (wave, role name, needed FTE, staff FTE)


@dataclass(frozen=True)
class Check:
    """One rule of a problem: its kind, what it looks for, in words, and its evidence when it fired (else
    None); `waiting` when it reads scores the assessment does not have yet (see needs_scores)."""

    kind: str
    looks_for: str
    evidence: str | None
    waiting: bool = False

    @property
    def in_the_figures(self) -> bool:
        """A fired rule that reads figures or facts, not what people wrote in comments."""
        return self.evidence is not None and self.kind not in WORDS_ONLY


@dataclass(frozen=True)
class SymptomCheck:
    id: str
    text: str
    ticked: bool


@dataclass(frozen=True)
class Finding:
    """A problem of the know-how as this assessment shows it: how strongly, why, and what addresses it."""

    problem: Problem
    strength: str                          # strong, possible or not seen
    points: int                            # fired rules + ticked symptoms
    checks: tuple[Check, ...]
    symptoms: tuple[SymptomCheck, ...]
    practices: tuple[Practice, ...]        # the practices that prevent it (KnowHow.practices_for)
    why: str

    @property
    def id(self) -> str:
        return self.problem.id

    @property
    def name(self) -> str:
        return self.problem.name

    @property
    def entries(self) -> tuple[str, ...]:
        return self.problem.entries

    @property
    def evidence(self) -> tuple[str, ...]:
        return tuple(c.evidence for c in self.checks if c.evidence is not None)

    @property
    def ticked(self) -> tuple[SymptomCheck, ...]:
        return tuple(s for s in self.symptoms if s.ticked)

    @property
    def figures(self) -> int:
        """How many of its signs are in the figures (what strength needs one of)."""
        return sum(c.in_the_figures for c in self.checks)

    @property
    def waiting(self) -> tuple[Check, ...]:
        """Its rules that wait for scores (none once the assessment has them)."""
        return tuple(c for c in self.checks if c.waiting)

    @property
    def confirmed(self) -> bool:
        return self.strength == "strong"

    def to_dict(self) -> dict[str, Any]:
        """The public JSON of `python -m pmostep problems --format json`."""
        return {"problem": self.id, "name": self.name, "strength": self.strength, "points": self.points,
                "evidence": list(self.evidence),
                "symptoms": [{"id": s.id, "text": s.text, "ticked": s.ticked} for s in self.symptoms],
                "practices": [p.id for p in self.practices], "entries": list(self.entries),
                "why": self.why}


def signs(n: int) -> str:
    """The number of signs in words: 1 sign, 2 signs."""
    return f"{n} sign" if n == 1 else f"{n} signs"


def _known(value: Any) -> float | None:
    """A figure, or None where it is missing (NaN: not shown, too few ratings)."""
    if value is None or pd.isna(value):
        return None
    return float(value)


def _figure(value: float, *bounds: float | None) -> str:
    """Two decimals, as the pages write scores (so current, desired and gap add up), or three where two
    would look equal to a threshold (1.996 is "below 2.0", not "2.00"). A mean of exactly 3.375 reads 3.38
    however the database's parallel sum rounded its last bit (3.3749999999 or 3.3750000001)."""
    value = round(value, 9)
    text = f"{value:.2f}"
    if any(b is not None and f"{b:.2f}" == text for b in bounds):
        return f"{value:.3f}"
    return text


def _whole_dimensions(facts: Facts) -> pd.DataFrame:
    whole = facts.report.whole
    return whole.dimensions.set_index("id") if whole is not None else pd.DataFrame()


def _dimension_name(facts: Facts, dimension: str) -> str:
    dims = _whole_dimensions(facts)
    return str(dims.loc[dimension, "name"]) if dimension in dims.index else dimension


def _holds(value: float | None, below: float | None = None, above: float | None = None) -> bool:
    """Whether a known figure is strictly below `below` and above `above` (the thresholds given)."""
    if value is None:
        return False
    return ((below is None or value < below - scoring.EPSILON)
            and (above is None or value > above + scoring.EPSILON))


# --- one function per rule kind: (params, facts, problem) -> evidence, or None -------------------------

def dimension(params: Mapping[str, Any], facts: Facts, problem: Problem) -> str | None:
    """A dimension's current, desired and gap against the thresholds given (all must hold)."""
    dims = _whole_dimensions(facts)
    if params["dimension"] not in dims.index:
        return None
    row = dims.loc[params["dimension"]]
    current, desired, gap = _known(row["current"]), _known(row["desired"]), _known(row["gap"])
    tests = [(current, params.get("current_below"), params.get("current_above")),
             (desired, None, params.get("desired_above")),
             (gap, None, params.get("gap_above"))]
    if not all(_holds(v, below, above) for v, below, above in tests
               if below is not None or above is not None):
        return None
    parts = [f"current {_figure(current, params.get('current_below'), params.get('current_above'))}"
             if current is not None else None,
             f"desired {_figure(desired, params.get('desired_above'))}" if desired is not None else None,
             f"gap {_figure(gap, params.get('gap_above'))}" if gap is not None else None]
    return f"{row['name']}: " + ", ".join(p for p in parts if p)


def overall(params: Mapping[str, Any], facts: Facts, problem: Problem) -> str | None:
    """The maturity index (scoring.overall_index) against its thresholds."""
    whole = facts.report.whole
    if whole is None:
        return None
    current, gap = _known(whole.overall.get("current")), _known(whole.overall.get("gap"))
    below, gap_above = params.get("current_below"), params.get("gap_above")
    if (below is not None and not _holds(current, below=below)) or \
            (gap_above is not None and not _holds(gap, above=gap_above)):
        return None
    desired = _known(whole.overall.get("desired"))
    return (f"Maturity index: current {_figure(current, below)}, desired {_figure(desired)}, "
            f"gap {_figure(gap, gap_above)}")


def _shown_groups(facts: Facts) -> list[scoring.GroupScores]:
    """The breakdown's groups that may be shown, without the respondents who named no group."""
    return [g for g in facts.groups.groups if g.group != NOT_STATED]


def group_difference(params: Mapping[str, Any], facts: Facts, problem: Problem) -> str | None:
    """Two shown groups whose current scores differ clearly (scoring.clear_difference), and by more than
    `difference_above` where given (a clear difference may be small with many respondents); without named
    groups, the pair with the largest such difference. A group below the minimum size is never in the
    breakdown's groups, so its figures can never become evidence."""
    dim = params["dimension"]
    shown = {g.group: g for g in _shown_groups(facts)}
    wanted = params.get("groups")
    if wanted:
        if not all(name in shown for name in wanted):
            return None
        pairs = [(shown[wanted[0]], shown[wanted[1]])]
    else:
        pairs = list(itertools.combinations(shown.values(), 2))
    best: tuple[float, scoring.GroupScores, scoring.GroupScores] | None = None
    for a, b in pairs:
        clear = scoring.clear_difference(a.dimensions, b.dimensions)
        if not clear.get(dim, False):
            continue
        va, vb = (float(g.dimensions.set_index("id").loc[dim, "current"]) for g in (a, b))
        if not _holds(abs(va - vb), above=params.get("difference_above")):
            continue
        high, low = (a, b) if va >= vb else (b, a)
        if best is None or abs(va - vb) > best[0]:
            best = (abs(va - vb), high, low)
    if best is None:
        return None
    _, high, low = best
    value = {g.group: float(g.dimensions.set_index("id").loc[dim, "current"]) for g in (high, low)}
    return (f"{_dimension_name(facts, dim)}: {high.group} {_figure(value[high.group])} vs {low.group} "
            f"{_figure(value[low.group])} (a clear difference)")


def _dont_know_counts(facts: Facts, dimension: str) -> tuple[int, int]:
    """("don't know" ratings, all ratings) of a dimension's statements, current side, or of every
    dimension together with "any". Held-back ratings are ratings too (their number is shown anyway)."""
    whole = facts.report.whole
    if whole is None:
        return 0, 0
    stmts = whole.statements if dimension == ANY else \
        whole.statements[whole.statements["dimension_id"] == dimension]
    n_na = int(stmts["n_na"].sum())
    return n_na, int(stmts["n"].sum() + stmts["n_held"].sum()) + n_na


def dont_know(params: Mapping[str, Any], facts: Facts, problem: Problem) -> str | None:
    """The share of "don't know" among a dimension's ratings (all ratings, with "any") above the
    threshold."""
    n_na, total = _dont_know_counts(facts, params["dimension"])
    if not total or not n_na / total > params["share_above"] + scoring.EPSILON:
        return None
    where = "All dimensions" if params["dimension"] == ANY else _dimension_name(facts, params["dimension"])
    return f"{where}: {100 * n_na / total:.0f} % of ratings were \"don't know\" ({n_na:,} of {total:,})"


def alpha(params: Mapping[str, Any], facts: Facts, problem: Problem) -> str | None:
    """Cronbach's alpha of a dimension (the lowest of all, with "any") below the threshold: the
    dimension's statements do not hang together."""
    dims = _whole_dimensions(facts)
    if dims.empty:
        return None
    known = dims[dims["alpha"].notna()]
    if params["dimension"] != ANY:
        known = known[known.index == params["dimension"]]
    if known.empty:
        return None
    lowest = known["alpha"].astype(float).idxmin()
    value, below = float(known.loc[lowest, "alpha"]), params["below"]
    if not _holds(value, below=below):
        return None
    which = " (the lowest of the dimensions)" if params["dimension"] == ANY else ""
    return (f"{known.loc[lowest, 'name']}: Cronbach's alpha {value:.2f}{which} from "
            f"{int(known.loc[lowest, 'n_alpha'])} respondents who rated every statement (below {below:g}: "
            "its statements do not hang together)")


def _readiness_words(r: Readiness, *bounds: float | None) -> str:
    return f"{_figure(r.score, *bounds)} ({r.reading})"


def readiness_load(params: Mapping[str, Any], facts: Facts, problem: Problem) -> str | None:
    """Low readiness for change with a roadmap wave that carries (nearly) its whole change budget."""
    r, below, share = facts.readiness, params["readiness_below"], params["load_share_at_least"]
    if not _holds(r.score, below=below):
        return None
    loaded = [(load / budget, wave, load, budget) for wave, load, budget in facts.wave_loads
              if budget > 0 and load >= share * budget - scoring.EPSILON]
    if not loaded:
        return None
    _, wave, load, budget = max(loaded, key=lambda t: (t[0], -t[1]))
    return (f"Readiness for change {_readiness_words(r, below)}, and wave {wave} carries {load:g} of "
            f"{budget:g} change-load points")


def _keyword_pattern(keyword: str) -> re.Pattern:
    return re.compile(r"\b" + re.escape(keyword) + r"\b", re.IGNORECASE)


def comments(params: Mapping[str, Any], facts: Facts, problem: Problem) -> str | None:
    """At least `min_matches` comments that use the problem's keywords (counts and words, never quotes)."""
    texts = [str(t) for t in facts.comments["text"]] if len(facts.comments) else []
    patterns = {k: _keyword_pattern(k) for k in problem.keywords}
    matching = [t for t in texts if any(p.search(t) for p in patterns.values())]
    if not matching or len(matching) < params["min_matches"]:
        return None
    used = {k: sum(1 for t in matching if p.search(t)) for k, p in patterns.items()}
    words = [k for k, n in sorted(used.items(), key=lambda kv: (-kv[1], kv[0])) if n]
    verb = "comment mentions" if len(matching) == 1 else "comments mention"
    return f"{len(matching)} {verb} {', '.join(words)}"


MISSING = {                        # a foundation rule's evidence, per Assessment field left empty
    "sponsor_name": "No sponsor is recorded in the Foundation",
    "sponsor_role": "The sponsor's role is not recorded in the Foundation",
    "mission": "No mission is recorded in the Foundation",
    "customers": "The PMO's customers are not recorded in the Foundation",
    "pmo_type": "No PMO type is chosen in the Foundation",
}


def foundation(params: Mapping[str, Any], facts: Facts, problem: Problem) -> str | None:
    """Foundation facts left empty."""
    empty = [f for f in params["missing"] if not str(getattr(facts.assessment, f) or "").strip()]
    return "; ".join(MISSING[f] for f in empty) or None


def pmo_type_name(key: str) -> str:
    """"IV (Resource Center / Center of Excellence)": the type's key and its short name."""
    return f"{key} ({PMO_TYPES[key].split(':', 1)[0]})" if key in PMO_TYPES else key


def pmo_type(params: Mapping[str, Any], facts: Facts, problem: Problem) -> str | None:
    """A chosen PMO type among `types`, with readiness or maturity below the thresholds given."""
    chosen = facts.assessment.pmo_type
    if chosen not in params["types"]:
        return None
    parts = []
    if (below := params.get("readiness_below")) is not None:
        if not _holds(facts.readiness.score, below=below):
            return None
        parts.append(f"readiness for change is {_readiness_words(facts.readiness, below)}")
    if (below := params.get("current_below")) is not None:
        whole = facts.report.whole
        current = _known(whole.overall.get("current")) if whole is not None else None
        if not _holds(current, below=below):
            return None
        parts.append(f"the maturity index is {_figure(current, below)}")
    text = f"PMO type {pmo_type_name(chosen)} chosen"
    return text + (" while " + " and ".join(parts) if parts else "")


def staffing(params: Mapping[str, Any], facts: Facts, problem: Problem) -> str | None:
    """A wave needing more FTE of a role than the PMO's staff (only roles whose staff was entered)."""
    short = [f"Wave {wave} needs {figure(needed)} FTE of {role}; the PMO has {figure(staff)}"
             for wave, role, needed, staff in facts.shortfalls if needed > staff + scoring.EPSILON]
    return "; ".join(short) or None


EVALUATORS: dict[str, Callable[[Mapping[str, Any], Facts, Problem], str | None]] = {
    "dimension": dimension, "overall": overall, "group_difference": group_difference,
    "dont_know": dont_know, "alpha": alpha, "readiness_load": readiness_load, "comments": comments,
    "foundation": foundation, "pmo_type": pmo_type, "staffing": staffing,
}


def evaluate(rule: Rule, facts: Facts, problem: Problem) -> str | None:
    """The evidence of one rule, or None when it does not fire."""
    return EVALUATORS[rule.kind](rule.params, facts, problem)


def needs_scores(rule: Rule) -> bool:
    """Whether a rule reads what exists only once the assessment has scores: the survey's answers
    (RuleKind.survey), readiness for change (the culture score) or the maturity index, or the roadmap
    planned from them. The others read the Foundation alone and run from the first day."""
    if RULE_KINDS[rule.kind].survey or rule.kind in ("readiness_load", "staffing"):
        return True
    return rule.kind == "pmo_type" and any(k in rule.params for k in ("readiness_below", "current_below"))


# --- what a rule looks for, in words (shown beside a problem that is not seen) -------------------------

def _bounds(params: Mapping[str, Any], words: Mapping[str, str]) -> str:
    return " and ".join(f"{w} {params[k]:g}" for k, w in words.items() if params.get(k) is not None)


def looks_for(rule: Rule, problem: Problem, names: Mapping[str, str]) -> str:
    """What a rule checks, in words: "Governance and sponsorship: current below 2 and gap above 1.5"."""
    p = rule.params

    def dim(d: str, every: str = "") -> str:
        return every if d == ANY else names.get(d, d)

    if rule.kind == "dimension":
        return f"{dim(p['dimension'])}: " + _bounds(p, {"current_below": "current below", "current_above":
                                                        "current above", "desired_above": "desired above",
                                                        "gap_above": "gap above"})
    if rule.kind == "overall":
        return "maturity index: " + _bounds(p, {"current_below": "current below", "gap_above": "gap above"})
    if rule.kind == "group_difference":
        who = " and ".join(p["groups"]) if p.get("groups") else "two stakeholder groups"
        by = f" by more than {p['difference_above']:g}" if p.get("difference_above") is not None else ""
        return f"{dim(p['dimension'])}: {who} differ clearly{by}"
    if rule.kind == "dont_know":
        return (f"{dim(p['dimension'], 'all dimensions together')}: more than "
                f"{100 * p['share_above']:.0f} % of ratings \"don't know\"")
    if rule.kind == "alpha":
        return f"{dim(p['dimension'], 'the lowest of the dimensions')}: Cronbach's alpha below {p['below']:g}"
    if rule.kind == "readiness_load":
        return (f"readiness for change below {p['readiness_below']:g} with a wave at "
                f"{100 * p['load_share_at_least']:.0f} % or more of the change budget")
    if rule.kind == "comments":
        return f"at least {p['min_matches']} comments mentioning {', '.join(problem.keywords)}"
    if rule.kind == "foundation":
        return "Foundation facts left empty: " + ", ".join(FOUNDATION_FACTS[f] for f in p["missing"])
    if rule.kind == "pmo_type":
        text = "PMO type " + " or ".join(p["types"]) + " chosen"
        limits = _bounds(p, {"readiness_below": "readiness for change below",
                             "current_below": "maturity index below"})
        return text + (f" with {limits}" if limits else "")
    if rule.kind == "staffing":
        return "a wave needing more FTE of a role than the PMO's staff"
    raise KeyError(f"unknown rule kind {rule.kind!r}")


# --- the ranking -----------------------------------------------------------------------------------------

def strength(points: int, figures: int) -> str:
    """Strong with STRONG_POINTS signs, FIGURES_NEEDED of them in the figures; possible with any sign."""
    if points >= STRONG_POINTS and figures >= FIGURES_NEEDED:
        return STRENGTHS[0]
    return STRENGTHS[1] if points else STRENGTHS[2]


def _why(points: int, checks: Sequence[Check], ticked: Sequence[SymptomCheck]) -> str:
    """The ranking in words: "2 signs: <evidence>; you ticked 'Status reports are not read'"."""
    waiting = [c.looks_for for c in checks if c.waiting]
    later = f" Waiting for scores: {'; '.join(waiting)}." if waiting else ""
    if not points:
        looked = "; ".join(c.looks_for for c in checks if not c.waiting)
        return ("No sign: the figures show none of what it looks for, and no symptom is ticked."
                + (f" Looked for: {looked}." if looked else "") + later)
    parts = [c.evidence for c in checks if c.evidence is not None]
    if ticked:
        parts.append("you ticked " + ", ".join(f"'{s.text}'" for s in ticked))
    lead = signs(points)
    if points >= STRONG_POINTS and not any(c.in_the_figures for c in checks):
        lead += (", none in the figures (strong needs one: comments and ticked symptoms back a sign in the "
                 "figures, they do not replace it)")
    return f"{lead}: " + "; ".join(parts) + "." + later


def find(problem: Problem, facts: Facts, ticked: Collection[str], practices: Iterable[Practice],
         names: Mapping[str, str], scored: bool = True) -> Finding:
    """One problem evaluated: its rules against the facts, with the symptoms ticked for it. Before there
    are scores (`scored` false) the rules that need them wait, unevaluated."""
    checks = tuple(Check(r.kind, looks_for(r, problem, names), None, waiting=True)
                   if not scored and needs_scores(r) else
                   Check(r.kind, looks_for(r, problem, names), evaluate(r, facts, problem))
                   for r in problem.rules)
    symptoms = tuple(SymptomCheck(s.id, s.text, s.id in ticked) for s in problem.symptoms)
    marked = [s for s in symptoms if s.ticked]
    points = sum(c.evidence is not None for c in checks) + len(marked)
    figures = sum(c.in_the_figures for c in checks)
    return Finding(problem, strength(points, figures), points, checks, symptoms, tuple(practices),
                   _why(points, checks, marked))


def diagnose(know_how: KnowHow, facts: Facts, ticked: Mapping[str, Collection[str]] | None = None,
             names: Mapping[str, str] | None = None, scored: bool = True) -> list[Finding]:
    """Every problem of the know-how, ranked: strong, possible, not seen; then points, then name.

    `names` (dimension id -> name) default to the scores'; `scored` false diagnoses an assessment without
    scores yet: the Foundation's rules and the ticks only (see find)."""
    ticked = ticked or {}
    if names is None:
        names = {row: str(v) for row, v in _whole_dimensions(facts).get("name", pd.Series(dtype=str)).items()}
    found = [find(p, facts, ticked.get(p.id, ()), know_how.practices_for(p.id), names, scored)
             for p in know_how.problems]
    return sorted(found, key=lambda f: (STRENGTHS.index(f.strength), -f.points, f.name))


def likely(findings: Iterable[Finding]) -> list[LikelyProblem]:
    """The confirmed (strong) problems as the ranking takes them: their entries get the bonus."""
    return [LikelyProblem(f.id, f.name, f.points, f.entries) for f in findings if f.confirmed]


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    """How many problems of each strength, in the ranking's order."""
    found = list(findings)
    return {s: sum(f.strength == s for f in found) for s in STRENGTHS}


def points_table(findings: Sequence[Finding]) -> pd.DataFrame:
    """The ranking as people read it: one row per problem, points split into signs in the figures, signs in
    the comments and ticked symptoms."""
    return pd.DataFrame({
        "Problem": [f.name for f in findings],
        "Strength": [f.strength for f in findings],
        "Points": [f.points for f in findings],
        "Signs in the figures": [f.figures for f in findings],
        "Signs in the comments": [len(f.evidence) - f.figures for f in findings],
        "Symptoms ticked": [len(f.ticked) for f in findings],
        "Evidence": ["; ".join(f.evidence) for f in findings],
    })

