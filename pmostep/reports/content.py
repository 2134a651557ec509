"""What every deliverable says, gathered once: the workbook, the board report, the slides, the charter
and the deployment plan are pure functions of a `Content`, so they show the same figures as the pages,
under the same anonymity rules (the scores come from `planning/scoring.py`, which withholds small
groups and filtered views; comments are pooled by `planning/comments.visible`).

`gather` is the one read (a domain call, like `deployment.plan.build`); the functions after it derive
the sections every builder shares (the executive summary's gaps, the wave dates, the decisions asked of
the sponsor), so that two documents never disagree on what the largest gap is.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd

from pmostep.core import docs
from pmostep.core.errors import PMOStepError
from pmostep.core.pmo_types import PMO_TYPES
from pmostep.core.questionnaire import Questionnaire
from pmostep.deployment import calendar
from pmostep.deployment import plan as plan_module
from pmostep.deployment import staffing as staffing_module
from pmostep.deployment.plan import Plan, PlanningError
from pmostep.deployment.staffing import Staffing
from pmostep.foundation.assessments import Assessment
from pmostep.planning import comments as comments_module
from pmostep.planning import readiness, recommend, scoring, stakeholder_map
from pmostep.planning.scoring import GroupScores, ScoreReport
from pmostep.planning.stakeholder_map import StakeholderMap
from pmostep.reports import roadmap_charts, staffing_charts, stakeholder_charts, tables
from pmostep.store import responses
from pmostep.workshop import export, live

# The sections of docs/ that the "How computed" parts of the deliverables quote, in reading order.
HOW_COMPUTED = (
    ("scoring", "Answers that count"), ("scoring", "Dimension scores"), ("scoring", "Statement scores"),
    ("scoring", "Importance and priority"), ("scoring", "Maturity level"), ("scoring", "Disagreement"),
    ("scoring", "Internal consistency (Cronbach's alpha)"), ("scoring", "Groups and anonymity"),
    ("scoring", "Readiness for change"), ("recommendations", "Ranking the catalogue"),
    ("recommendations", "Workshop priority"), ("recommendations", "The roadmap in waves"),
)
TOP_GAPS = 3
TOP_RECOMMENDATIONS = 5


class ReportError(PMOStepError):
    """A deliverable that cannot be built for this assessment or view, and why."""


@dataclass(frozen=True)
class Content:
    """Everything a deliverable may show, already cut to what the assessment's anonymity allows."""

    assessment: Assessment
    questionnaire: Questionnaire
    report: ScoreReport                   # the whole view (with the filters), never withheld here
    groups: ScoreReport                   # by stakeholder group: shown groups, suppressed names
    plan: Plan | None                     # None while there are too few answers to recommend
    comments: pd.DataFrame                # question, group, text: small groups pooled
    response_rates: list[dict]            # group, invited, responded, rate: groups below m withheld
    workshops: list[tuple[str, pd.DataFrame]]   # (workshop title, every round: workshop/export.py)
    generated: date
    start: date                           # when wave 1 starts (wave_dates)
    staff_plan: Staffing | None           # the roadmap's staffing against the staff entered (None: no plan)
    stakeholders: StakeholderMap          # the whole assessment's groups on the influence / support grid
    raw: pd.DataFrame | None = None       # per-respondent rows, only when asked for (respondent_rows)
    filters: dict[str, list[str]] = field(default_factory=dict)

    @property
    def whole(self) -> GroupScores:
        whole = self.report.whole
        assert whole is not None, "gather refuses a view without scores"
        return whole

    @property
    def min_group_size(self) -> int:
        return self.assessment.min_group_size

    @property
    def dimension_names(self) -> dict[str, str]:
        return {d.id: d.name for d in self.questionnaire.dimensions}


def gather(con: duckdb.DuckDBPyConnection, a: Assessment, q: Questionnaire,
           filters: Mapping[str, Collection[str]] | None = None, today: date | None = None,
           start: date | None = None, raw: bool = False) -> Content:
    """Read what the deliverables show. Refuses (ReportError) a view the pages would withhold."""
    report = scoring.score(con, a, q, filters=filters)
    if report.withheld:
        raise ReportError(f"These filters are withheld: {report.withheld}")
    if report.whole is None or report.whole.overall["current"] is None:
        raise ReportError(f"'{a.slug}' has {report.respondents} completed responses shown: a deliverable "
                          f"needs scores, which need at least {a.min_group_size} respondents")
    groups = scoring.score(con, a, q, by="group", filters=filters)
    # The plan and the stakeholder map are the whole assessment's, whatever the filters.
    whole_groups = scoring.score(con, a, q, by="group") if report.filters else groups
    try:
        plan = plan_module.build(con, a, q, report=None if report.filters else report, groups=whole_groups)
    except PlanningError:
        plan = None
    today = today or date.today()
    start = start or calendar.default_start(a, today)
    shown = [g.group for g in groups.groups]
    texts = comments_module.visible(scoring.open_answers(con, a, q, filters), shown, q)
    return Content(
        assessment=a, questionnaire=q, report=report, groups=groups, plan=plan,
        comments=texts.reset_index(drop=True),
        response_rates=_rates(a, responses.completed_by_group(con, a.id)),
        workshops=[(w.title, workshop_rounds(live.activity_results(con, w.id)))
                   for w in live.workshops(con, a.id)],
        generated=today, start=start,
        staff_plan=None if plan is None else staffing_module.for_assessment(con, a, plan.roadmap, start),
        stakeholders=stakeholder_map.for_assessment(con, a, q, whole_groups),
        raw=scoring.respondent_rows(con, a, q, filters, shown) if raw else None,
        filters={k: list(v) for k, v in report.filters.items()},
    )


def _rates(a: Assessment, completed: dict[str, int]) -> list[dict]:
    """Response rates per group, with the counts of groups below the minimum size withheld (None)."""
    rows = readiness.response_rates(a.stakeholder_groups, completed)
    for row in rows:
        if row["responded"] < a.min_group_size:
            row["responded"], row["rate"] = None, None
    return rows


WORKSHOP_COLUMNS = {"activity": "Activity", "kind": "Kind", "round": "Round", "n": "Answered",
                    "group": "Group", "item_name": "Item", "measure": "Measure", "value": "Value"}


def workshop_rounds(activities: list[dict]) -> pd.DataFrame:
    """Every round of a workshop (workshop/export.py, small rounds as counts only), without internal ids."""
    return export.long_table(activities)[list(WORKSHOP_COLUMNS)].rename(columns=WORKSHOP_COLUMNS)


def wave_dates(c: Content) -> list[tuple[int, date, date]]:
    """(wave, first day, last day) of the roadmap's waves from the start date (deployment/calendar.py)."""
    if c.plan is None:
        return []
    return calendar.wave_dates(c.start, c.plan.settings.wave_weeks, [w.number for w in c.plan.roadmap.waves])


def dimensions(c: Content) -> pd.DataFrame:
    """The per-dimension figures of the Overview page, named for people."""
    return tables.dimension_summary(c.whole.dimensions)


def statements(c: Content) -> pd.DataFrame:
    """The per-statement figures, with the dimension named first."""
    table = tables.statement_summary(c.whole.statements)
    table.insert(0, "Dimension", c.whole.statements["dimension_id"].map(c.dimension_names).to_numpy())
    return table


def largest_gaps(c: Content, n: int = TOP_GAPS) -> pd.DataFrame:
    """The gaps that matter most: the dimensions with the highest priority (gap x importance) among
    those with a positive gap, as on the Gaps page."""
    dims = c.whole.dimensions
    real = dims[dims["gap"].notna() & (dims["gap"] > 0)]
    return real.sort_values("priority", ascending=False).head(n).reset_index(drop=True)


def disagreements(c: Content) -> pd.DataFrame:
    """The Agreement page's topics to discuss: flagged statements, widest spread first."""
    return tables.disagreements(c.whole.statements, c.dimension_names)


def group_tables(c: Content) -> list[tuple[str, int, pd.DataFrame]]:
    """(group, respondents, dimension figures) for each group large enough to be shown."""
    return [(g.group, g.respondents, tables.dimension_summary(g.dimensions)) for g in c.groups.groups]


def suppressed_groups(c: Content) -> list[str]:
    """The groups named without figures (fewer than the minimum size)."""
    return list(c.groups.suppressed)


def suppressed_sentence(c: Content) -> str:
    """The one sentence every deliverable uses to name the groups too small to show ('' when none):
    named, never with a figure (the anonymity tests look for the name outside this sentence)."""
    names = suppressed_groups(c)
    if not names:
        return ""
    return (f"Groups too small to show (fewer than {c.min_group_size} respondents): "
            + ", ".join(names) + ".")


def recommendations(c: Content) -> pd.DataFrame:
    """The Recommendations page's ranking with each entry's decision and reason."""
    if c.plan is None:
        return pd.DataFrame()
    return recommend.table(c.plan.recommendations, {i: ch.decision for i, ch in c.plan.choices.items()})


def top_recommendations(c: Content, n: int = TOP_RECOMMENDATIONS) -> list:
    """The highest ranked entries not rejected (Recommendation objects)."""
    if c.plan is None:
        return []
    rejected = {i for i, ch in c.plan.choices.items() if ch.decision == "rejected"}
    return [r for r in c.plan.recommendations if r.item not in rejected][:n]


def waves(c: Content) -> pd.DataFrame:
    """Every placed entry by wave, as on the Roadmap page."""
    if c.plan is None:
        return pd.DataFrame(columns=roadmap_charts.WAVES_COLUMNS)
    labels = {i: p.words() for i, p in c.plan.workshop_2x2.items()} or None
    return roadmap_charts.waves_table(c.plan.roadmap, c.plan.catalogue.by_id, labels)


def projection(c: Content) -> pd.DataFrame:
    """Expected maturity per dimension today, at the end of each wave, and desired."""
    if c.plan is None:
        return pd.DataFrame()
    return roadmap_charts.projection_table(c.plan.roadmap, c.plan.current, c.plan.desired, c.questionnaire)


def staffing(c: Content) -> pd.DataFrame:
    """Person-weeks and FTE per wave and role."""
    if c.plan is None:
        return pd.DataFrame(columns=roadmap_charts.STAFFING_COLUMNS)
    return roadmap_charts.staffing_table(c.plan.roadmap)


def staff_needed(c: Content) -> pd.DataFrame:
    """FTE per role and wave beside the staff the PMO has (deployment/staffing.py)."""
    if c.staff_plan is None:
        return pd.DataFrame()
    return staffing_charts.fte_table(c.staff_plan)


def staff_moments(c: Content) -> pd.DataFrame:
    """When each role is first needed: the moment to assign or hire it."""
    if c.staff_plan is None:
        return pd.DataFrame(columns=staffing_charts.MOMENT_COLUMNS)
    return staffing_charts.moments_table(c.staff_plan)


def staff_warnings(c: Content) -> list[str]:
    """The roles without staff entered, and every wave short of a role."""
    return [] if c.staff_plan is None else c.staff_plan.warnings()


def stakeholder_places(c: Content) -> pd.DataFrame:
    """The stakeholder groups on the influence / support grid, and where each figure comes from."""
    return stakeholder_charts.placement_table(c.stakeholders)


def stakeholders_not_placed(c: Content) -> pd.DataFrame:
    """The stakeholder groups not on the grid yet, and what is missing."""
    return stakeholder_charts.not_placed_table(c.stakeholders)


def communication_actions(c: Content) -> pd.DataFrame:
    """The communication actions of each quadrant that holds a group, with its groups."""
    return stakeholder_charts.actions_table(c.stakeholders)


def unplaced(c: Content) -> pd.DataFrame:
    """Accepted entries the roadmap could not place, and why."""
    found = [] if c.plan is None else c.plan.roadmap.unplaced
    rows = [(c.plan.names.get(u.item, u.item), u.reason) for u in found]
    return pd.DataFrame(rows, columns=["Entry", "Why not placed"])


def pmo_type(c: Content) -> tuple[str, str] | None:
    """(name, description) of the Foundation's PMO type, None when not chosen."""
    text = PMO_TYPES.get(c.assessment.pmo_type or "")
    if text is None:
        return None
    name, _, description = text.partition(": ")
    return f"Type {c.assessment.pmo_type}: {name}", description


def quotes(c: Content, n: int = 6) -> pd.DataFrame:
    """A few comments for the slides: the shortest readable ones first, small groups pooled already."""
    texts = c.comments.drop_duplicates("text").assign(length=c.comments["text"].str.len())
    readable = texts[(texts["length"] >= 20) & (texts["length"] <= 240)]
    return readable.sort_values(["length", "text"]).head(n).drop(columns="length").reset_index(drop=True)


def sponsor_decisions(c: Content) -> list[str]:
    """What the deliverables ask the sponsor to decide, from the roadmap and readiness."""
    asks = []
    if c.plan is not None and c.plan.roadmap.waves:
        first = c.plan.roadmap.waves[0]
        names = ", ".join(c.plan.names.get(i, i) for i in first.items)
        asks.append(f"Approve wave 1 ({names}), starting {day(c.start)}.")
        peak = max(w.fte for w in c.plan.roadmap.waves)
        asks.append(f"Staff the PMO: up to {peak:.2f} FTE in the busiest wave.")
    if c.plan is not None and c.plan.readiness.reading in ("low", "unknown"):
        asks.append("Sponsor the change visibly: readiness for change is "
                    f"{c.plan.readiness.reading}, so waves stay small.")
    if c.plan is not None:
        undecided = [r.name for r in top_recommendations(c) if r.item not in c.plan.choices]
        if undecided:
            asks.append("Decide on the recommended entries still open: " + ", ".join(undecided[:3]) + ".")
    gaps = largest_gaps(c)
    if len(gaps):
        asks.append(f"Confirm the target for {gaps.iloc[0]['name']}: desired {gaps.iloc[0]['desired']:.1f}.")
    return asks


def day(d: date) -> str:
    """A date as the documents write it: 7 December 2026."""
    return f"{d.day} {d:%B %Y}"


def how_computed() -> list[tuple[str, str]]:
    """(heading, text) of the documentation sections every deliverable quotes."""
    return [(heading, docs.section(page, heading)) for page, heading in HOW_COMPUTED]


def filters_line(c: Content) -> str:
    """The filters of the view in words, empty for the whole assessment."""
    labels = {p.id: p.label for p in c.questionnaire.profile}
    return "; ".join(f"{labels.get(k, k)}: {', '.join(v)}" for k, v in c.filters.items())


def response_rate(c: Content) -> float | None:
    """Completed respondents over the invitations the Foundation lists (None when none are listed)."""
    invited = sum(g.invited for g in c.assessment.stakeholder_groups)
    return c.report.respondents / invited if invited and not c.filters else None
