"""A seeded, reproducible demo assessment of a fictional organisation.

Harbourline Logistics, a freight and port-services company of about 2,400 people, is setting up an
enterprise PMO. Its stakeholder groups see the project world differently: executives think governance
works better than project managers do, team members rate tools and resourcing lowest, and IT is more
mature in methodology than Operations. The generator builds that picture with a fixed seed, so the
same demo comes out on every machine. A smaller survey a year earlier (`demo-2025`, closed) lets the
Trend page show what changed. The PMO lead has entered the PMO's staff (some roles, not all) and each
group's influence, with one support of their own, so the staffing plan and the stakeholder map show.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import duckdb
import numpy as np
import pandas as pd

from pmostep.core.questionnaire import Questionnaire
from pmostep.foundation import assessments, facts
from pmostep.foundation.assessments import Assessment, StakeholderGroup
from pmostep.foundation.facts import Position
from pmostep.planning import decisions
from pmostep.products import roles
from pmostep.store import responses

DEMO_SLUG = "demo"
BASELINE_SLUG = "demo-2025"          # the organisation's first assessment, a year earlier
SLUGS = (DEMO_SLUG, BASELINE_SLUG)   # what loading the demo replaces
BASELINE_RESPONDENTS = 110
DEFAULT_RESPONDENTS = 150
DEFAULT_SEED = 2026

ORGANISATION = "Harbourline Logistics"

# Share of respondents per stakeholder group, and the number invited.
GROUP_SHARES = {
    "Executive or sponsor": (0.09, 24),
    "Portfolio or programme manager": (0.08, 18),
    "Project manager": (0.24, 55),
    "Project team member": (0.30, 90),
    "Line or functional manager": (0.15, 40),
    "Business customer or user": (0.14, 45),
}
UNIT_SHARES = {
    "Operations": 0.30, "Finance and Administration": 0.15, "IT and Digital": 0.25,
    "Sales and Customer Service": 0.15, "Engineering": 0.15,
}

# Typical current maturity and wished-for gain per dimension (1-5 scale).
BASELINE = {
    "methodology": (2.3, 1.6), "governance": (2.2, 1.8), "portfolio": (1.8, 1.9),
    "resources": (1.6, 1.9), "reporting": (2.6, 1.4), "people": (2.0, 1.5), "tools": (2.1, 1.5),
    "risk": (2.4, 1.3), "benefits": (1.5, 1.7), "learning": (1.7, 1.4), "stakeholders": (2.6, 1.0),
    "culture": (2.5, 1.1),
}
# What the PMO lead chose in the first workshop, so the roadmap shows at once.
CHOICES = {
    "accepted": (["pmo_charter", "pmo_awareness_sessions", "project_inventory", "status_report_template",
                  "consolidated_status_reporting", "portfolio_dashboard", "role_sort", "project_methodology",
                  "template_library", "basic_pm_training", "project_governance_framework",
                  "resource_register", "lessons_learned_reviews", "project_intake_process"],
                 "Agreed in the first workshop with the sponsor"),
    "rejected": (["ppm_tool"], "No tool purchase until the processes have settled"),
}
# The PMO's staff today (FTE by role); the roles the roadmap needs later are left not entered.
STAFF = {"pmo_lead": 1.0, "pmo_analyst": 0.5, "methodology_specialist": 0.5, "trainer": 0.3}
# How much each group can help or stop the PMO (1-5), as the lead sees it; one support of the lead's own.
INFLUENCE = {"Executive or sponsor": 5, "Portfolio or programme manager": 4, "Project manager": 3,
             "Project team member": 2, "Line or functional manager": 4, "Business customer or user": 2}
SUPPORT = {"Line or functional manager": (2, "They fear losing control of their people's time to the PMO's "
                                             "resource register (said in the first workshop)")}
# A year earlier, before the PMO's first steps, some dimensions stood lower (levels below 2026).
EARLIER = {"reporting": 0.6, "methodology": 0.45, "governance": 0.3, "tools": 0.35, "risk": 0.25,
           "people": 0.2, "stakeholders": 0.1, "culture": 0.15}
# How each group's view differs from the baseline.
GROUP_BIAS = {
    "Executive or sponsor": {"governance": 0.9, "portfolio": 0.6, "reporting": 0.5, "culture": 0.6},
    "Portfolio or programme manager": {"portfolio": -0.3, "resources": -0.4, "benefits": 0.2},
    "Project manager": {"governance": -0.5, "resources": -0.5, "methodology": 0.3, "risk": 0.3},
    "Project team member": {"tools": -0.6, "resources": -0.5, "stakeholders": -0.3, "culture": -0.4},
    "Line or functional manager": {"resources": 0.4, "reporting": -0.3},
    "Business customer or user": {"stakeholders": -0.7, "benefits": -0.3, "methodology": -0.2},
}
UNIT_BIAS = {
    "IT and Digital": {"methodology": 0.6, "tools": 0.7, "risk": 0.3},
    "Operations": {"methodology": -0.4, "tools": -0.3},
    "Engineering": {"risk": 0.5, "learning": 0.3},
}
# Statements on which managers and the people doing the project work see things very differently: the
# demo's topics to discuss in a workshop.
POLARISED = {"cult_2": (2.0, -0.3), "gov_4": (1.8, -0.2), "rep_4": (1.6, 0.0)}   # (managers, others)
MANAGERS = {"Executive or sponsor", "Portfolio or programme manager", "Line or functional manager"}

IMPORTANCE = {
    "methodology": 3.8, "governance": 4.4, "portfolio": 4.2, "resources": 4.5, "reporting": 3.9,
    "people": 3.6, "tools": 3.2, "risk": 3.7, "benefits": 4.0, "learning": 3.1, "stakeholders": 3.5,
    "culture": 3.4,
}
# Team members and customers often cannot judge portfolio-level practice.
NA_PRONE = {"Project team member": {"portfolio", "benefits", "resources"},
            "Business customer or user": {"portfolio", "learning", "people", "tools"}}

PAIN_POINTS = [
    "Every project reports status in its own format, so nobody sees the whole picture.",
    "The same people are booked on four projects at once and everything slips.",
    "Projects start without a sponsor who actually makes decisions.",
    "We never stop a project, even when everyone knows it will not deliver.",
    "Nobody checks whether the benefits in the business case ever happen.",
    "We repeat the same mistakes because lessons learned are never read.",
    "Priorities change every month and nobody tells the project teams.",
    "Our project tool is a mix of spreadsheets and e-mail.",
    "Risks are written down at the start and then forgotten.",
    "Business users see the result only at the very end.",
    "Too many projects for the people we have.",
    "Steering committees discuss colours on a slide instead of decisions.",
]
FIRST_ACTIONS = [
    "One simple status report for all projects and one overview for management.",
    "A list of all projects with a clear priority order.",
    "Train the project managers in one common way of working.",
    "Give new project managers a mentor.",
    "Set up a capacity overview so we stop overbooking people.",
    "Define stage gates where projects are really approved or stopped.",
    "Make templates available in one place.",
    "Run lessons-learned sessions and share the results.",
    "Start small: do not introduce everything at once.",
    "Measure the benefits of the big projects after they close.",
]


def generate(q: Questionnaire, respondents: int = DEFAULT_RESPONDENTS, seed: int = DEFAULT_SEED,
             source: str = "demo", year: int = 2026) -> responses.ResponseBatch:
    """The demo's responses as a batch, identical for identical arguments (2025: the earlier survey)."""
    rng = np.random.default_rng(seed)
    lower = EARLIER if year < 2026 else {}
    n = respondents
    groups = rng.choice(list(GROUP_SHARES), size=n, p=_normalised([s for s, _ in GROUP_SHARES.values()]))
    units = rng.choice(list(UNIT_SHARES), size=n, p=_normalised(list(UNIT_SHARES.values())))
    keys = np.arange(1, n + 1)
    start = datetime(year, 9, 7, 8, 0)
    started = [start + timedelta(minutes=int(m)) for m in rng.integers(0, 60 * 24 * 14, size=n)]
    completed = [s + timedelta(minutes=int(m)) for s, m in zip(started, rng.integers(6, 40, size=n),
                                                                strict=True)]

    profile_rows = []
    involvement = q.profile_question("involvement").options
    tenure = q.profile_question("tenure").options
    for key, grp, unit in zip(keys, groups, units, strict=True):
        profile_rows.append((key, "group", grp))
        profile_rows.append((key, "business_unit", unit))
        if rng.random() > 0.03:
            inv_weights = [0.1, 0.2, 0.3, 0.4] if "manager" in grp.lower() else [0.35, 0.35, 0.2, 0.1]
            profile_rows.append((key, "involvement", rng.choice(involvement, p=inv_weights)))
        if rng.random() > 0.05:
            profile_rows.append((key, "tenure", rng.choice(tenure, p=[0.12, 0.28, 0.35, 0.25])))

    person = rng.normal(0, 0.5, size=n)          # some people are more critical than others
    answer_rows = []
    importance_rows = []
    for i, (key, grp, unit) in enumerate(zip(keys, groups, units, strict=True)):
        for dim in q.dimensions:
            base, gain = BASELINE.get(dim.id, (2.2, 1.4))
            base -= lower.get(dim.id, 0.0)
            level = base + GROUP_BIAS[grp].get(dim.id, 0) + UNIT_BIAS.get(unit, {}).get(dim.id, 0) + person[i]
            want = level + gain + rng.normal(0, 0.3)
            cannot_judge = rng.random() < (0.3 if dim.id in NA_PRONE.get(grp, set()) else 0.02)
            for s_idx, statement in enumerate(dim.statements):
                item_shift = (s_idx - 1.5) * 0.15     # later statements describe more advanced practice
                split = POLARISED.get(statement.id, (0.0, 0.0))[0 if grp in MANAGERS else 1]
                cur = _rate(level - item_shift + split + rng.normal(0, 0.45))
                des = max(cur, _rate(want - item_shift * 0.5 + rng.normal(0, 0.5)))
                cur_na = cannot_judge or rng.random() < 0.03
                des_na = cur_na and rng.random() < 0.7
                if rng.random() < 0.015:               # skipped the row entirely
                    continue
                answer_rows.append((key, statement.id, None if cur_na else cur, cur_na,
                                    None if des_na else des, des_na))
            if rng.random() > 0.04:
                importance = _rate(IMPORTANCE.get(dim.id, 3.5) + rng.normal(0, 0.7))
                importance_rows.append((key, dim.id, importance))

    comment_rows = []
    for key in keys:
        if rng.random() < 0.22:
            comment_rows.append((key, "pain_point", PAIN_POINTS[rng.integers(len(PAIN_POINTS))]))
        if rng.random() < 0.15:
            comment_rows.append((key, "first_action", FIRST_ACTIONS[rng.integers(len(FIRST_ACTIONS))]))
    comment_rows = [r for r in comment_rows if r[1] in {c.id for c in q.comments}]

    return responses.ResponseBatch(
        respondents=pd.DataFrame({"key": keys, "source": source, "external_id": None,
                                  "started_at": started, "completed_at": completed}),
        profile=pd.DataFrame(profile_rows, columns=["key", "field", "value"]),
        answers=pd.DataFrame(answer_rows, columns=["key", "statement_id", "current", "current_na",
                                                   "desired", "desired_na"]).astype(
            {"current": "Int64", "desired": "Int64"}),
        importance=pd.DataFrame(importance_rows, columns=["key", "dimension_id", "value"]),
        comments=pd.DataFrame(comment_rows, columns=["key", "question_id", "text"]),
    )


def _rate(x: float) -> int:
    return int(min(5, max(1, round(x))))


def _normalised(weights: list[float]) -> list[float]:
    total = sum(weights)
    return [w / total for w in weights]


def baseline_respondents(respondents: int) -> int:
    """The size of the earlier survey, in proportion to the demo's (110 for 150)."""
    return max(BASELINE_RESPONDENTS * respondents // DEFAULT_RESPONDENTS, 1)


def batches(q: Questionnaire, respondents: int = DEFAULT_RESPONDENTS,
            seed: int = DEFAULT_SEED) -> tuple[responses.ResponseBatch, responses.ResponseBatch]:
    """The answers of the earlier survey and of the demo's, drawn before any write."""
    return generate(q, baseline_respondents(respondents), seed + 1, year=2025), generate(q, respondents, seed)


def write(cur: duckdb.DuckDBPyConnection, q: Questionnaire, earlier_batch: responses.ResponseBatch,
          batch: responses.ResponseBatch) -> tuple[Assessment, Assessment]:
    """Store the earlier assessment and the demo that follows it up, with their answers, the
    facilitator's choices and the lead's staff and stakeholder positions, on the caller's transaction
    (services.load_demo)."""
    earlier = _create(cur, q, BASELINE_SLUG, 2025, status="closed")
    responses.add(cur, earlier, q, earlier_batch)
    assessment = _create(cur, q, DEMO_SLUG, 2026, previous_assessment_id=earlier.id)
    responses.add(cur, assessment, q, batch)
    for decision, (items, reason) in CHOICES.items():
        decisions.decide(cur, assessment.id, items, decision, reason)
    facts.save_staff(cur, assessment.id, STAFF, roles.names())
    facts.save_positions(cur, assessment.id, [Position(g, i, *SUPPORT.get(g, (None, ""))) for g, i in
                                              INFLUENCE.items()], list(INFLUENCE))
    return earlier, assessment


def _create(cur: duckdb.DuckDBPyConnection, q: Questionnaire, slug: str, year: int, **extra) -> Assessment:
    return assessments.create(
        cur, slug, q,
        name=f"Harbourline Logistics: PMO discovery {year}",
        organisation=ORGANISATION,
        pmo_scope="enterprise",
        sponsor_name="Amira Okafor",
        sponsor_role="Chief Operating Officer",
        customers="Executive board, business unit heads, project and programme managers",
        pmo_type="II",
        mission="Give Harbourline one way to select, run and learn from projects, so that fewer "
                "projects start, more finish, and their benefits are measured.",
        start_date=date(year, 9, 7),
        end_date=date(year, 9, 21),
        stakeholder_groups=[StakeholderGroup(name, invited)
                            for name, (_, invited) in GROUP_SHARES.items()],
        **extra,
    )
