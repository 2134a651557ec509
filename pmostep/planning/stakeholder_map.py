"""The stakeholder map for the change (docs/know-how.md, "Stakeholder map"): each stakeholder group of the
Foundation on an influence / support grid, the engagement its quadrant suggests, and the communication
actions that enter the deployment plan.

Influence is always the lead's entry. Support is the lead's entry, or else read from the survey for a group
the group breakdown shows (at least the minimum group size): the mean of the levels the group wants
(desired) in governance and culture, on the 1-5 scale. People who want more structure and a more
change-ready culture back the PMO that brings them, whatever they see today: a group content with good
governance is not against it. A group the breakdown does not show is placed only from the lead's entries,
never from its answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import duckdb

from pmostep.core.numbers import known
from pmostep.core.questionnaire import Questionnaire
from pmostep.foundation import facts
from pmostep.foundation.assessments import Assessment
from pmostep.foundation.facts import Position
from pmostep.planning import scoring
from pmostep.planning.scoring import GroupScores, ScoreReport
from pmostep.store.db import cursor

SUPPORT_DIMENSIONS = ("governance", "culture")   # where the level a group wants shows its support
HIGH_INFLUENCE = 3       # influence 3 or more counts as high: when in doubt, engage more
HIGH_SUPPORT = 3         # support above 3 counts as high: a neutral group is not won over yet
NO_INFLUENCE = "influence not entered"
TOO_FEW = "too few responses to read support: enter it"


@dataclass(frozen=True)
class Quadrant:
    """One quadrant of the grid: its name, the engagement it suggests and the communication actions."""

    name: str
    where: str                 # the quadrant in words: high influence, low support
    engagement: str
    actions: tuple[str, ...]


# The four quadrants, in the order the map and the plan list them (most attention first).
ENGAGEMENT = {
    "manage_closely": Quadrant(
        "Manage closely", "high influence, high support",
        "Partners in the change: involve them in the decisions and let their voice carry the change.",
        ("Invite a representative to the PMO steering group and review each wave's plan with them before "
         "it starts.",
         "Ask them to open each wave beside the sponsor and say why it matters to their people.",
         "Show them each deliverable in draft first, and act on what they say.")),
    "keep_satisfied": Quadrant(
        "Keep satisfied", "high influence, low support",
        "They can stop the change: meet their concerns early, show what is in it for them, and ask little "
        "of their time.",
        ("Meet them one to one before each wave: what changes for them, what it costs them, what they gain.",
         "Report the results they care about briefly and regularly, in their terms.",
         "Take their objections to the sponsor before the wave starts, not after.")),
    "keep_informed": Quadrant(
        "Keep informed", "low influence, high support",
        "Willing helpers: keep them informed and give them a part to play, so that their support spreads.",
        ("Send them a short update at the start and at the end of every wave.",
         "Invite them to the pilots, the training and the community of practice.",
         "Ask for volunteers to act as change champions in their teams.")),
    "monitor": Quadrant(
        "Monitor", "low influence, low support",
        "Watch with little effort: tell them what affects them and listen for concerns.",
        ("Include them in the general announcement of each wave.",
         "Check their view again in the next survey or a short pulse check: a change of influence or "
         "support moves them on the map.",
         "Give them a place to raise concerns (office hours, a mailbox).")),
}


def quadrant(influence: float, support: float) -> str:
    """The quadrant (a key of ENGAGEMENT) of a place on the grid."""
    high_influence, high_support = influence >= HIGH_INFLUENCE, support > HIGH_SUPPORT
    if high_influence:
        return "manage_closely" if high_support else "keep_satisfied"
    return "keep_informed" if high_support else "monitor"


@dataclass(frozen=True)
class Placed:
    """A group on the grid, and where its figures come from."""

    group: str
    influence: int
    support: float
    source: str                # "entered" or "survey"
    support_why: str           # how the support was found, in words
    quadrant: str              # a key of ENGAGEMENT
    note: str = ""

    @property
    def quadrant_name(self) -> str:
        return ENGAGEMENT[self.quadrant].name


@dataclass(frozen=True)
class NotPlaced:
    """A group the map cannot place yet, and what is missing."""

    group: str
    why: str


@dataclass(frozen=True)
class StakeholderMap:
    placed: tuple[Placed, ...]
    not_placed: tuple[NotPlaced, ...]
    read: Mapping[str, tuple[float, str]]    # group -> (support, why) read from the survey (shown groups)

    def in_quadrant(self, key: str) -> list[Placed]:
        return [p for p in self.placed if p.quadrant == key]


def survey_support(group: GroupScores) -> tuple[float, str] | None:
    """The support read from a shown group's answers (the mean desired level of SUPPORT_DIMENSIONS, to one
    decimal), with the figures in words; None when the group may show neither desired level."""
    dims = group.dimensions.set_index("id")
    wanted = {dims.loc[d, "name"]: known(dims.loc[d, "desired"]) for d in SUPPORT_DIMENSIONS
              if d in dims.index}
    wanted = {name: level for name, level in wanted.items() if level is not None}
    if not wanted:
        return None
    support = round(sum(wanted.values()) / len(wanted), 1)
    parts = ", ".join(f"{name} {level:.2f}" for name, level in wanted.items())
    mean = f"; mean {support:.1f}" if len(wanted) > 1 else ""
    return support, f"read from the survey ({group.respondents} respondents): desired {parts}{mean}"


def place(groups: Sequence[str], entered: Mapping[str, Position], by_group: ScoreReport) -> StakeholderMap:
    """Place the Foundation's groups from the lead's entries and, for support, the shown groups' answers.

    `by_group` is the whole assessment's breakdown by stakeholder group (no filters): only its shown
    groups are ever read; a group it suppresses is placed from the entries alone.
    """
    if by_group.by != "group" or by_group.filters:
        raise ValueError("the stakeholder map reads the whole assessment's breakdown by group")
    read = {g.group: found for g in by_group.groups if (found := survey_support(g)) is not None}
    placed, missing = [], []
    for name in groups:
        p = entered.get(name, Position(name))
        if p.support is not None:
            support, why, source = float(p.support), "entered by the PMO lead", "entered"
        elif name in read:
            (support, why), source = read[name], "survey"
        else:
            support = None
        gaps = ([NO_INFLUENCE] if p.influence is None else []) + ([TOO_FEW] if support is None else [])
        if gaps:
            missing.append(NotPlaced(name, "; ".join(gaps)))
        else:
            placed.append(Placed(name, p.influence, support, source, why, quadrant(p.influence, support),
                                 p.note))
    return StakeholderMap(tuple(placed), tuple(missing), read)


def entered(con: duckdb.DuckDBPyConnection, a: Assessment) -> dict[str, Position]:
    """What the lead entered per stakeholder group (group name -> Position)."""
    with cursor(con) as cur:
        return facts.positions(cur, a.id)


def for_assessment(con: duckdb.DuckDBPyConnection, a: Assessment, q: Questionnaire,
                   by_group: ScoreReport | None = None) -> StakeholderMap:
    """The assessment's stakeholder map (`by_group`: its breakdown by group, where the caller has it)."""
    by_group = by_group or scoring.score(con, a, q, by="group")
    return place([g.name for g in a.stakeholder_groups], entered(con, a), by_group)
