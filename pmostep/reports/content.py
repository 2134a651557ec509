"""What every deliverable says, gathered once: the workbook, the board report, the slides, the charter
and the deployment plan are pure functions of a `Content`, so they show the same figures as the pages,
under the same anonymity rules (the scores come from `planning/scoring.py`, which withholds small
groups and filtered views; comments are pooled by `planning/comments.visible`).

`gather` is the one read (a domain call, like `deployment.plan.build`); the functions after it derive
the sections every builder shares (the executive summary's gaps, the wave dates, the decisions asked of
the sponsor), so that two documents never disagree on what the largest gap is.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

import duckdb
import numpy as np
import pandas as pd

from pmostep.core import docs
from pmostep.core.anonymity import Publication
from pmostep.core.errors import PMOStepError
from pmostep.core.pmo_types import PMO_TYPES
from pmostep.core.questionnaire import Questionnaire
from pmostep.deployment import calendar
from pmostep.deployment import plan as plan_module
from pmostep.deployment import staffing as staffing_module
from pmostep.deployment.plan import Plan, PlanningError
from pmostep.deployment.roadmap import Wave
from pmostep.deployment.staffing import Staffing
from pmostep.foundation.assessments import Assessment, StakeholderGroup
from pmostep.planning import comments as comments_module
from pmostep.planning import recommend, scoring, stakeholder_map
from pmostep.planning.scoring import GroupScores, ScoreReport
from pmostep.planning.stakeholder_map import StakeholderMap
from pmostep.reports import roadmap_charts, staffing_charts, stakeholder_charts, tables
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
    response_rates: Rates                 # per group, from the publication: small counts withheld
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
    published = scoring.publication(con, a, q)      # one publication for the scores and the counts
    report = scoring.score(con, a, q, filters=filters, published=published)
    if report.withheld:
        raise ReportError(report.withheld)              # the reason says it: "These filters leave ..."
    if report.whole is None or report.whole.overall["current"] is None:
        raise ReportError(f"'{a.slug}' has {report.respondents} completed responses shown: a deliverable "
                          f"needs scores, which need at least {a.min_group_size} respondents")
    groups = scoring.score(con, a, q, by="group", filters=filters, published=published)
    # The plan and the stakeholder map are the whole assessment's, whatever the filters.
    whole_groups = (scoring.score(con, a, q, by="group", published=published) if report.filters
                    else groups)
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
        response_rates=_rates(a, published),
        workshops=[(w.title, workshop_rounds(live.activity_results(con, w.id)))
                   for w in live.workshops(con, a.id)],
        generated=today, start=start,
        staff_plan=None if plan is None else staffing_module.for_assessment(con, a, plan.roadmap, start),
        stakeholders=stakeholder_map.for_assessment(con, a, q, whole_groups),
        raw=scoring.respondent_rows(con, a, q, filters, shown) if raw else None,
        filters={k: list(v) for k, v in report.filters.items()},
    )


def _rates(a: Assessment, published: Publication) -> Rates:
    """The response rates of the whole assessment (whatever the filters, as the plan): the published
    respondents per stakeholder group, the same respondents the scores count (never one still pending),
    and the groups the breakdown shows, whose counts the group tables print."""
    everyone = np.ones(published.published, dtype=bool)
    counts = published.table["group"].value_counts().to_dict() if published.published else {}
    return rate_rows(a.stakeholder_groups, counts, set(published.shown_groups(everyone, "group")),
                     a.min_group_size)


SHOWN, WITHHELD, NO_INVITATIONS = "shown", "withheld", "no invitation count"
OTHER_GROUP = "Other or not stated"         # respondents of no listed group, on a row of their own
NOT_INVITED = "not invited by list"         # the rate of a row without an invitation count
NOT_LISTED = "—"                            # the invited cell of such a row


@dataclass(frozen=True)
class RateRow:
    """One row of the response rates, as every deliverable shows it."""

    group: str
    invited: int | None          # None: no invitation count (not listed, or listed without one)
    responded: int | None        # None: withheld
    status: str                  # SHOWN, WITHHELD or NO_INVITATIONS

    @property
    def rate(self) -> float | None:
        return self.responded / self.invited if self.status == SHOWN else None


@dataclass(frozen=True)
class Rates:
    """The rows, the overall rate and why counts are missing: `complement` when one more row is withheld
    so that a small group's count cannot be worked out from the total; `rate_withheld` when the overall
    rate would give one away."""

    rows: list[RateRow]
    rate: float | None           # responded / invited in the groups with an invitation count
    complement: bool = False
    rate_withheld: bool = False


class _Line(NamedTuple):
    """A row of rate_rows before the rule: whether the group tables print its count (`printed`)."""

    name: str
    invited: int | None
    n: int
    printed: bool


def rate_rows(groups: Sequence[StakeholderGroup], counts: Mapping[str, int], shown: Collection[str],
              min_size: int) -> Rates:
    """The response rates by stakeholder group, safe against subtraction.

    `counts` are the published respondents by group, `shown` the groups the breakdown shows (their
    counts are printed beside their scores). A row counting 1 to min_size - 1 respondents, or a group the
    breakdown withholds, is withheld; 0 is shown. What a reader knows besides the shown rows is the total
    (the respondents) and, from the overall rate, the sum over the rows with an invitation count, and so
    the sum over those without: when one of these sums holds exactly one withheld row, one more row of
    it is withheld, the smallest whose count is printed nowhere else; when there is none, the overall
    rate is withheld. (Only "Other or not stated" can then stay alone against the total: all its values
    withheld, so what the total gives is the sum of two groups or more, never one group's count.)
    """
    listed = {g.name for g in groups}
    others = {name: n for name, n in counts.items() if name not in listed}
    lines = [_Line(g.name, g.invited or None, counts.get(g.name, 0), g.name in shown) for g in groups]
    if others:
        lines.append(_Line(OTHER_GROUP, None, sum(others.values()), set(others) <= set(shown)))
    hidden = {i for i, line in enumerate(lines)
              if 0 < line.n < min_size or (line.n and line.name in listed and not line.printed)}

    def second(side: list[int]) -> int | None:
        """The smallest shown non-zero row of `side` whose count is printed nowhere else."""
        free = [(lines[i].n, i) for i in side if i not in hidden and lines[i].n and not lines[i].printed]
        return min(free)[1] if free else None

    invited = [i for i, line in enumerate(lines) if line.invited]
    extra: set[int] = set()
    rate_withheld = False
    if invited:
        for side in (invited, [i for i in range(len(lines)) if i not in invited]):
            if len(hidden.intersection(side)) == 1:
                more = second(side)
                rate_withheld |= more is None
                extra |= set() if more is None else {more}
        extra = set() if rate_withheld else extra
    if len(hidden | extra) == 1 and (more := second(list(range(len(lines))))) is not None:
        extra.add(more)
    withheld = hidden | extra
    rows = [RateRow(line.name, line.invited, None if i in withheld else line.n,
                    WITHHELD if i in withheld else SHOWN if line.invited else NO_INVITATIONS)
            for i, line in enumerate(lines)]
    rate = (sum(lines[i].n for i in invited) / sum(lines[i].invited for i in invited)
            if invited and not rate_withheld else None)
    return Rates(rows, rate, complement=bool(extra), rate_withheld=rate_withheld)


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


def placed(c: Content) -> bool:
    """Whether any wave holds an entry. The scheduler always gives the settings' waves, empty ones
    included: until an entry is placed, the deliverables show no wave, only no_roadmap(c)."""
    return bool(held_waves(c))


def held_waves(c: Content) -> list[tuple[Wave, date, date]]:
    """The waves that hold entries, with their dates: a wave with nothing placed (every wave, before an
    entry is accepted; wave 1, when entries are pinned later) delivers nothing to approve or deploy."""
    if c.plan is None:
        return []
    return [(w, first, last) for w, (_, first, last) in zip(c.plan.roadmap.waves, wave_dates(c), strict=True)
            if w.items]


def no_roadmap(c: Content) -> str:
    """The one sentence a deliverable prints instead of empty waves ('' when a wave holds an entry, or
    when there is no plan at all, which the builders explain on their own)."""
    if c.plan is None or placed(c):
        return ""
    why = ("No entry has been accepted yet" if not c.plan.accepted
           else "No accepted entry fits in a wave yet (see Not placed)")
    return (f"{why}, so the roadmap has no waves: it follows the decisions on the recommendations "
            "(the Recommendations page).")


def decide_first(c: Content) -> str:
    """What the sponsor decides while no wave holds an entry, instead of approving one: the top
    recommendations still open."""
    names = [r.name for r in top_recommendations(c) if r.item not in c.plan.choices][:3]
    if not names:
        return "Decide which recommendations to accept (Recommendations page); the waves follow from them."
    return ("Decide on the top recommendations: " + ", ".join(names)
            + " (accept or reject each); the waves follow from what is accepted.")


def sponsor_decisions(c: Content) -> list[str]:
    """What the deliverables ask the sponsor to decide, from the roadmap and readiness: approve the
    first wave that holds entries, or, before any is placed, decide on the top recommendations."""
    asks = []
    if held := held_waves(c):
        first, begin, _ = held[0]
        names = ", ".join(c.plan.names.get(i, i) for i in first.items)
        asks.append(f"Approve wave {first.number} ({names}), starting {day(begin)}.")
        peak = max(w.fte for w in c.plan.roadmap.waves)
        asks.append(f"Staff the PMO: up to {peak:.2f} FTE in the busiest wave.")
    elif c.plan is not None:
        asks.append(decide_first(c))
    if c.plan is not None and c.plan.readiness.reading in ("low", "unknown"):
        asks.append("Sponsor the change visibly: readiness for change is "
                    f"{c.plan.readiness.reading}, so waves stay small.")
    if placed(c):
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
    """Respondents over invitations in the groups with an invitation count (withheld rows included,
    only hidden), so never above 1 unless a group answered more than it was invited; None in a filtered
    view, without invitations, or when it would give a withheld count away."""
    return None if c.filters else c.response_rates.rate


def response_rate_words(c: Content) -> str:
    """Why there is no overall response rate, in the words every deliverable uses ('' when there is)."""
    if c.filters:
        return "not shown for a filtered view"
    if c.response_rates.rate_withheld:
        return "withheld"
    return "" if c.response_rates.rate is not None else "not known: no invitations listed"


def answered(c: Content) -> str:
    """How many answered and, when known, the response rate: "150 respondents, response rate 55%"."""
    rate = response_rate(c)
    return f"{c.report.respondents} respondents" + (f", response rate {rate:.0%}" if rate is not None else "")


RATE_COLUMNS = ["Stakeholder group", "Invited", "Responded", "Response rate"]


def rate_table(c: Content) -> pd.DataFrame:
    """The response rates as every deliverable shows them, one row per RateRow: figures where shown,
    else the same words (WITHHELD, NOT_INVITED, NOT_LISTED)."""
    rows = [(r.group, NOT_LISTED if r.invited is None else r.invited,
             WITHHELD if r.responded is None else r.responded,
             NOT_INVITED if r.invited is None else WITHHELD if r.rate is None else r.rate)
            for r in c.response_rates.rows]
    return pd.DataFrame(rows, columns=RATE_COLUMNS)


def rate_text(value: object) -> str:
    """A cell of rate_table as text: a rate as a whole percentage, anything else as it is."""
    return f"{value:.0%}" if isinstance(value, float) else str(value)


def rate_lines(c: Content) -> list[str]:
    """The rows of rate_table as lines, for the slides: "Project manager: 7 of 8 (88%)"."""
    lines = []
    for group, invited, responded, rate in rate_table(c).itertuples(index=False):
        answered = f"responses {WITHHELD}" if responded == WITHHELD else f"{responded} responded"
        if invited == NOT_LISTED:
            lines.append(f"{group}: {answered}, {NOT_INVITED}")
        elif responded == WITHHELD:
            lines.append(f"{group}: {invited} invited, {answered}")
        else:
            lines.append(f"{group}: {responded} of {invited} ({rate_text(rate)})")
    return lines


def rates_note(c: Content) -> str:
    """The sentence under the response rates that says what is withheld and why ('' when nothing is)."""
    rates = c.response_rates
    if not any(r.status == WITHHELD for r in rates.rows):
        return ""
    more = ", with one more so they cannot be worked out from the total" if rates.complement else ""
    rate = (" The overall response rate is withheld too: with the counts shown it would give them away."
            if rates.rate_withheld else "")
    return f"Counts of groups below the minimum of {c.min_group_size} are withheld{more}.{rate}"
