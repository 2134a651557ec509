"""The planning step put together: an assessment's catalogue, ranked recommendations, choices, roadmap and
the diagnosis of its likely problems.

Shared by the CLI and the app, so both show the same figures for the same assessment.
"""

from __future__ import annotations

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

    The roadmap is scheduled twice: first from the ranking without the problem bonus, whose wave loads
    and staffing the diagnosis reads; then from the final ranking, with the bonus of the problems the
    diagnosis confirms.
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

    _, first = ranked_plan(())
    answers = answers if answers is not None else scoring.open_answers(con, a, q)
    facts = diagnosis.Facts(
        report, groups, comments.visible(answers, [g.group for g in groups.groups], q), a, reading,
        wave_loads=tuple((w.number, w.change_load, settings.change_budget) for w in first.waves),
        shortfalls=staffing.shortfalls(first, staffing.staff_of(con, a), staffing.role_names(con, a)))
    try:       # know-how that does not fit the assessment stops the diagnosis, never the plan
        found = tuple(diagnosis.diagnose(know_how.for_assessment(con, a, q, cat), facts,
                                         self_check.ticked(con, a.id)))
        unusable: tuple[str, ...] = ()
    except KnowHowError as exc:
        found, unusable = (), tuple(exc.problems)
    recs, plan_ = ranked_plan(found)
    return Plan(cat, customised, recs, choices, reading, stored, settings,
                budget_reason(reading, stored, change_budget), current, desired, plan_,
                priority.placements(voted, a.min_group_size), found, unusable)


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
