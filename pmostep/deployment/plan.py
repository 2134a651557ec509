"""The planning step put together: an assessment's catalogue, ranked recommendations, choices, roadmap and
the diagnosis of its likely problems.

Shared by the CLI and the app, so both show the same figures for the same assessment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from pmostep.core.errors import PMOStepError
from pmostep.core.numbers import known
from pmostep.core.questionnaire import Questionnaire
from pmostep.deployment import roadmap, staffing
from pmostep.foundation.assessments import Assessment
from pmostep.planning import (
    comments,
    decisions,
    diagnosis,
    know_how,
    readiness,
    recommend,
    scoring,
    self_check,
)
from pmostep.planning.diagnosis import Finding
from pmostep.planning.know_how import KnowHowError
from pmostep.planning.recommend import Recommendation
from pmostep.products.catalogue import Catalogue
from pmostep.workshop import live, priority


class PlanningError(PMOStepError):
    """Planning that cannot be done yet (too few answers to score)."""


# The roadmap and the diagnosis read each other (a confirmed problem's bonus reorders the roadmap, whose
# wave loads and staffing are evidence): rank, schedule and diagnose again until the confirmed problems
# stop changing, at most this many diagnoses.
MAX_PASSES = 3


@dataclass(frozen=True)
class Plan:
    catalogue: Catalogue
    customised: bool
    recommendations: list[Recommendation]
    choices: dict[str, decisions.Choice]
    readiness: readiness.Readiness
    stored: decisions.StoredSettings
    settings: roadmap.Settings
    budget_reason: str                    # where the change budget comes from, in words
    current: dict[str, float | None]
    desired: dict[str, float | None]
    roadmap: roadmap.Roadmap
    workshop_2x2: dict[str, priority.Placement] = field(default_factory=dict)   # entry -> the room's 2x2
    diagnosis: tuple[Finding, ...] = ()   # the likely problems, ranked (planning/diagnosis.py)
    # Why there is no diagnosis: every reason the assessment's know-how cannot be used (KnowHowError)
    diagnosis_problems: tuple[str, ...] = ()
    # Empty when the diagnosis and the roadmap settled; else, in words, why the bonus follows another pass
    diagnosis_note: str = ""

    @property
    def accepted(self) -> list[str]:
        return [i for i, c in self.choices.items() if c.decision == "accepted" and i in self.catalogue.by_id]

    @property
    def names(self) -> dict[str, str]:
        return {e.id: e.name for e in self.catalogue.entries}

    @property
    def priority(self) -> dict[str, float]:
        return {r.item: r.score for r in self.recommendations}


def _figures(report: scoring.ScoreReport) -> tuple[dict, dict]:
    dims = report.whole.dimensions
    return ({d: known(v) for d, v in zip(dims["id"], dims["current"], strict=True)},
            {d: known(v) for d, v in zip(dims["id"], dims["desired"], strict=True)})


def budget_reason(readiness: readiness.Readiness, stored: decisions.StoredSettings,
                  explicit: float | None) -> str:
    if explicit is not None:
        return f"set for this run: {explicit:g} change-load points per wave"
    if stored.change_budget is not None:
        return f"set by the facilitator: {stored.change_budget:g} change-load points per wave"
    if readiness.known:
        return (f"from readiness for change: {readiness.reading} (culture {readiness.score:.2f}), so "
                f"{readiness.change_budget} change-load points per wave")
    return (f"readiness for change is not known yet, so the cautious {readiness.change_budget} change-load "
            "points per wave")


def roadmap_settings(stored: decisions.StoredSettings, default_budget: float,
                     placed: list[tuple[str, int, str, bool]], waves: int | None = None,
                     capacity: float | None = None, change_budget: float | None = None) -> roadmap.Settings:
    """The scheduler's settings: stored values, overridden by explicit ones (CLI options)."""
    budget = change_budget if change_budget is not None else (
        stored.change_budget if stored.change_budget is not None else default_budget)
    return roadmap.Settings(
        waves=stored.waves if waves is None else waves, wave_weeks=stored.wave_weeks,
        capacity=stored.capacity if capacity is None else capacity,
        change_budget=budget,
        pins={i: w for i, w, k, _ in placed if k == "pin"},
        moves={i: w for i, w, k, _ in placed if k == "move"},
        overrides=frozenset(i for i, _, _, o in placed if o),
    )


def build(con: duckdb.DuckDBPyConnection, a: Assessment, q: Questionnaire,
          report: scoring.ScoreReport | None = None, groups: scoring.ScoreReport | None = None,
          waves: int | None = None, capacity: float | None = None,
          change_budget: float | None = None, pins: dict[str, int] | None = None,
          answers: pd.DataFrame | None = None) -> Plan:
    """Everything the planning pages and commands show for an assessment (reports and the open `answers`
    may come from a cache).

    The diagnosis reads the roadmap the plan shows (see settle): its evidence of wave loads and staffing
    describes the waves on the Roadmap and Roles and staffing pages, planned with the bonus of the
    problems that diagnosis confirms.
    """
    report = report or scoring.score(con, a, q)
    if report.whole is None or report.whole.overall["current"] is None:
        raise PlanningError(f"'{a.slug}' has {report.respondents} completed responses: recommendations need "
                            f"scores, which need at least {a.min_group_size} respondents")
    groups = groups or scoring.score(con, a, q, by="group")
    cat, customised = decisions.catalogue(con, a.id, [d.id for d in q.dimensions])
    choices = decisions.choices(con, a.id)
    accepted = [i for i, c in choices.items() if c.decision == "accepted" and i in cat.by_id]
    voted = live.revealed_rounds(con, a)
    votes = priority.priorities(voted)
    reading = readiness.readiness(report)
    stored = decisions.settings(con, a.id)
    placed = [p for p in decisions.placements(con, a.id) if p[0] in cat.by_id]
    placed += [(i, w, "pin", False) for i, w in (pins or {}).items()]
    settings = roadmap_settings(stored, reading.change_budget, placed,
                                          waves=waves, capacity=capacity, change_budget=change_budget)
    current, desired = _figures(report)
    names = {e.id: e.name for e in cat.entries}

    def ranked_plan(found: tuple[Finding, ...]) -> tuple[list[Recommendation], roadmap.Roadmap]:
        recs = recommend.rank(cat, report.whole.dimensions, groups.groups, chosen=accepted, workshop=votes,
                              problems=diagnosis.likely(found))
        return recs, roadmap.schedule([cat.entry(i) for i in accepted], {r.item: r.score for r in recs},
                                      current, desired, settings, names=names)

    answers = answers if answers is not None else scoring.open_answers(con, a, q)
    seen = comments.visible(answers, [g.group for g in groups.groups], q)
    staff, role_names = staffing.staff_of(con, a), staffing.role_names(con, a)

    def facts_of(road: roadmap.Roadmap) -> diagnosis.Facts:
        return diagnosis.Facts(
            report, groups, seen, a, reading,
            wave_loads=tuple((w.number, w.change_load, settings.change_budget) for w in road.waves),
            shortfalls=staffing.shortfalls(road, staff, role_names))

    try:       # know-how that does not fit the assessment stops the diagnosis, never the plan
        known = know_how.for_assessment(con, a, q, cat)
    except KnowHowError as exc:
        recs, plan_ = ranked_plan(())
        found, unusable, note = (), tuple(exc.problems), ""
    else:
        ticked = self_check.ticked(con, a.id)
        found, (recs, plan_), note = settle(ranked_plan,
                                            lambda road: diagnosis.diagnose(known, facts_of(road), ticked))
        unusable = ()
    return Plan(cat, customised, recs, choices, reading, stored, settings,
                budget_reason(reading, stored, change_budget), current, desired, plan_,
                priority.placements(voted, a.min_group_size), found, unusable, note)


def _confirmed(found: tuple[Finding, ...]) -> frozenset[str]:
    return frozenset(f.id for f in found if f.confirmed)


def settle(ranked_plan: Callable[[tuple[Finding, ...]], tuple[list[Recommendation], roadmap.Roadmap]],
           diagnose: Callable[[roadmap.Roadmap], list[Finding]]
           ) -> tuple[tuple[Finding, ...], tuple[list[Recommendation], roadmap.Roadmap], str]:
    """The diagnosis, the ranking and the roadmap that agree: the diagnosis read from the roadmap shown.

    Ranked first without the bonus; the diagnosis of that roadmap gives the bonus of its confirmed
    problems, which may move entries between waves; so the roadmap is planned again with it and
    diagnosed again, until a diagnosis confirms the problems whose bonus planned the roadmap it read (at
    most MAX_PASSES diagnoses). Should they still change (a bonus that moves away the very wave load it
    stood on), the last roadmap is kept with the diagnosis read from it, and the note says the bonus
    follows the pass before.
    """
    applied: tuple[Finding, ...] = ()              # the diagnosis whose bonus the ranking carries
    planned = ranked_plan(applied)
    for n in range(1, MAX_PASSES + 1):
        found = tuple(diagnose(planned[1]))
        if _confirmed(found) == _confirmed(applied):
            return found, ranked_plan(found), ""      # the same bonus: the same roadmap, reasons of now
        if n == MAX_PASSES:
            break
        applied, planned = found, ranked_plan(found)
    names = {f.id: f.name for f in found}
    before = ", ".join(sorted(names[i] for i in _confirmed(applied))) or "none"
    now = ", ".join(sorted(names[i] for i in _confirmed(found))) or "none"
    return found, planned, (
        f"The diagnosis and the roadmap did not settle in {MAX_PASSES} passes: the bonus of a problem moves "
        "entries between waves, which changes the evidence that confirmed it. The evidence reads the "
        f"roadmap shown; the recommendations carry the bonus of the pass that planned it (strong then: "
        f"{before}; strong on this roadmap: {now}).")


@dataclass(frozen=True)
class Diagnosis:
    """What the Problems page and the `problems` command show: the findings, or why there are none."""

    findings: tuple[Finding, ...]
    problems: tuple[str, ...]        # why the assessment's know-how cannot be used (then no findings)
    note: str                        # the plan's diagnosis_note, or why the survey's rules wait
    entry_names: dict[str, str]      # catalogue entry id -> name
    scored: bool                     # false: no scores yet, the rules that need them wait


def diagnosis_of(p: Plan) -> Diagnosis:
    """The plan's diagnosis (read from the roadmap it shows)."""
    return Diagnosis(p.diagnosis, p.diagnosis_problems, p.diagnosis_note, p.names, True)


def early_diagnosis(con: duckdb.DuckDBPyConnection, a: Assessment, q: Questionnaire,
                    report: scoring.ScoreReport | None = None) -> Diagnosis:
    """The diagnosis of an assessment without scores yet (no plan can be built): the rules that read the
    Foundation alone (missing facts, the PMO type chosen) and the symptoms ticked count from the first
    day; the rules that read the survey, readiness, the maturity index or the roadmap wait for scores."""
    report = report or scoring.score(con, a, q)
    cat, _ = decisions.catalogue(con, a.id, [d.id for d in q.dimensions])
    note = (f"'{a.slug}' has {report.published + report.pending} completed responses; scores need at least "
            f"{a.min_group_size}. Until then only the rules that read the Foundation and the symptoms "
            "ticked count: the rules that read the survey's answers, readiness for change or the roadmap "
            "wait for scores.")
    names = {e.id: e.name for e in cat.entries}
    try:
        known = know_how.for_assessment(con, a, q, cat)
    except KnowHowError as exc:
        return Diagnosis((), tuple(exc.problems), note, names, False)
    groups = scoring.ScoreReport(a.slug, q.id, q.version, a.min_group_size, report.respondents, "group")
    facts = diagnosis.Facts(report, groups, pd.DataFrame(columns=["question", "group", "text"]), a,
                            readiness.readiness(report))
    found = diagnosis.diagnose(known, facts, self_check.ticked(con, a.id),
                               names={d.id: d.name for d in q.dimensions}, scored=False)
    return Diagnosis(tuple(found), (), note, names, False)


def ranking(con: duckdb.DuckDBPyConnection, a: Assessment, q: Questionnaire) -> list[Recommendation]:
    """The Recommendations page's ranking, or none while there are no scores: what the workshop agenda
    suggests to vote on (workshop/agenda.suggest_for, which cannot build the plan itself)."""
    try:
        return build(con, a, q).recommendations
    except PlanningError:
        return []


def roadmap_json(p: Plan, a: Assessment) -> dict:
    """The public JSON of `python -m pmostep roadmap`: waves, unplaced and the settings used."""
    doc = p.roadmap.to_dict()
    doc["assessment"] = a.slug
    doc["settings"]["change_budget_reason"] = p.budget_reason
    doc["names"] = {i: p.names[i] for i in p.accepted}
    return doc
