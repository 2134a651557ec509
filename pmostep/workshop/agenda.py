"""The suggested agenda of a workshop, drawn from the assessment: nothing for the facilitator to author.

In order: a Foundation recap, the dimensions with the largest priority (rating), the statements people
disagree on (rating: the Agreement page's flags), the best-ranked entries not decided yet (dots, then
a 2x2 of value and effort), and one open question. Each draft says why it is there, with the figures.
`suggest` is pure; `suggest_for` reads what it needs.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import duckdb
import pandas as pd

from pmostep.core.numbers import known
from pmostep.core.pmo_types import PMO_TYPES
from pmostep.core.questionnaire import Questionnaire
from pmostep.foundation.assessments import Assessment
from pmostep.planning import decisions, readiness, recommend, scoring
from pmostep.planning.recommend import Recommendation
from pmostep.workshop.activities import MAX_NOTES, MAX_TITLE, ActivityDraft

DIMENSIONS = 3           # dimensions rated again by the room
STATEMENTS = 3           # disagreement statements rated again
ENTRIES = 8              # recommended entries voted on (dots, then the 2x2)
MIN_ENTRIES = 2          # a vote needs a choice
DOTS = {"dots": 3, "cap": 2}
OPEN_QUESTION = "What would most help or hinder the PMO?"
ORDINALS = ("largest", "2nd largest", "3rd largest")


def recap_facts(a: Assessment, report: scoring.ScoreReport) -> dict[str, str]:
    """The Foundation facts to say at the start, as the Foundation and Overview pages show them."""
    sponsor = ", ".join(filter(None, [a.sponsor_name, a.sponsor_role]))
    facts = {"Organisation": a.organisation, "PMO scope": a.pmo_scope, "Sponsor": sponsor,
             "Customers": a.customers,
             "PMO type": f"{a.pmo_type}: {PMO_TYPES[a.pmo_type]}" if a.pmo_type else "",
             "Mission": a.mission,
             "Stakeholder groups": ", ".join(g.name for g in a.stakeholder_groups),
             "Respondents": str(report.respondents)}
    whole = report.whole
    overall = whole.overall if whole is not None else {}
    if overall.get("current") is not None:
        facts["Maturity index"] = (f"{overall['current']:.2f} now, {overall['desired']:.2f} desired "
                                   f"(level {overall['level']}: {overall['level_name']})")
        reading = readiness.readiness(report)
        if reading.known:
            facts["Readiness for change"] = (f"{reading.reading} (culture {reading.score:.2f}), "
                                             f"{reading.change_budget} change-load points per wave")
    return {k: v for k, v in facts.items() if v}


def _clip(text: str, limit: int) -> str:
    """Long Foundation facts or statements shortened to what an activity holds (check_draft's limits)."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _recap(facts: Mapping[str, str]) -> ActivityDraft:
    figures = [f"{facts['Respondents']} respondents"] if "Respondents" in facts else []
    if "Maturity index" in facts:
        figures.append(f"maturity index {facts['Maturity index'].split(' ')[0]}")
    return ActivityDraft(
        "recap", "Where we start: the Foundation",
        notes=_clip("\n".join(f"{k}: {v}" for k, v in facts.items()), MAX_NOTES),
        why="The Foundation facts, so that the room starts from the same picture"
            + (f" ({', '.join(figures)})." if figures else "."))


def _dimensions(dims: pd.DataFrame) -> list[ActivityDraft]:
    """The dimensions with the largest priority (gap x importance), the ones worth rating again."""
    rated = dims[dims["priority"].map(known).notna() & (dims["gap"].map(known).fillna(0) > 0)]
    top = rated.sort_values(["priority", "gap"], ascending=False, kind="stable").head(DIMENSIONS)
    out = []
    for place, row in enumerate(top.itertuples(index=False)):
        importance = known(row.importance)
        weight = (f"gap {row.gap:.2f} x importance {importance:.2f}" if importance is not None
                  else f"gap {row.gap:.2f} x neutral importance {scoring.NEUTRAL_IMPORTANCE:.0f}")
        out.append(ActivityDraft(
            "rating", f"{row.name}: where are we, and where should we be?", (row.id,), "dimension",
            why=f"Priority {row.priority:.2f} ({weight}), the {ORDINALS[place]} of {len(rated)} "
                f"dimensions with a gap; the survey says {row.current:.2f} now, {row.desired:.2f} "
                f"desired (n {row.n})."))
    return out


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _statements(statements: pd.DataFrame, names: Mapping[str, str]) -> list[ActivityDraft]:
    """The statements flagged as disagreement (the Agreement page's topics), widest spread first."""
    flagged = statements[statements["disagreement"].astype(bool)]
    top = flagged.sort_values("current_iqr", ascending=False, kind="stable").head(STATEMENTS)
    return [ActivityDraft(
        "rating", _clip(row.text, MAX_TITLE), (row.id,), "statement",
        why=f"People disagree: the middle half of {row.n} answers spans {row.current_iqr:.2f} levels "
            f"(the IQR; flagged from {scoring.STATEMENT_DISAGREEMENT_IQR:g}); mean "
            f"{row.current:.2f}, {names.get(row.dimension_id, row.dimension_id)}; "
            f"{_count(len(flagged), 'statement')} flagged in all.")
        for row in top.itertuples(index=False)]


def _entries(recs: Sequence[Recommendation], decided: Collection[str]) -> list[ActivityDraft]:
    """The best-ranked entries not decided yet: the room's dots, then where it puts them on a 2x2."""
    open_ = [r for r in recs if r.item not in decided and r.score > 0]
    top = open_[:ENTRIES]
    if len(top) < MIN_ENTRIES:
        return []
    items = tuple(r.item for r in top)
    figures = (f"the {len(top)} best-ranked of {len(open_)} entries not decided yet "
               f"(scores {top[0].score:g} to {top[-1].score:g})")
    return [
        ActivityDraft("dots", "Which products and services should come first?", items, "entry", dict(DOTS),
                      why=f"Dots on {figures}: the votes become a workshop priority in the ranking "
                          f"(up to +{100 * recommend.WORKSHOP_WEIGHT:.0f} % for the most voted)."),
        ActivityDraft("matrix", "Value and effort: where do they sit?", items, "entry",
                      why=f"The same {len(top)} entries on value against effort: the placements are "
                          "shown on the roadmap's entries."),
    ]


def _open_text() -> ActivityDraft:
    return ActivityDraft("text", OPEN_QUESTION,
                         why="One open question for what the survey did not ask; a text is shown only "
                             "after the facilitator approves it.")


def suggest(facts: Mapping[str, str], dims: pd.DataFrame | None, statements: pd.DataFrame | None,
            recs: Sequence[Recommendation], decided: Collection[str]) -> list[ActivityDraft]:
    """The agenda from the figures: `dims` and `statements` are the whole assessment's scores (None when
    too few people answered to show them), `recs` the ranking, `decided` the entries accepted or rejected.
    """
    agenda = [_recap(facts)]
    if dims is not None:
        agenda += _dimensions(dims)
    if statements is not None and dims is not None:
        agenda += _statements(statements, dict(zip(dims["id"], dims["name"], strict=True)))
    agenda += _entries(recs, decided)
    agenda.append(_open_text())
    return agenda


def suggest_for(con: duckdb.DuckDBPyConnection, a: Assessment, q: Questionnaire,
                recs: Sequence[Recommendation]) -> list[ActivityDraft]:
    """The suggested agenda of an assessment, from its scores, its disagreement flags and `recs`, the
    ranking of the Recommendations page (deployment/plan.ranking: earlier workshops' votes and the
    likely problems' bonus included; none without scores)."""
    report = scoring.score(con, a, q)
    facts = recap_facts(a, report)
    whole = report.whole
    if whole is None or whole.overall["current"] is None:
        return suggest(facts, None, None, (), ())
    return suggest(facts, whole.dimensions, whole.statements, recs, set(decisions.choices(con, a.id)))
