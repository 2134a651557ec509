"""The deployment plan (docx): the roadmap's waves with their dates, what each entry delivers and needs,
the waves against their capacity and change budget, projected maturity, staffing (FTE per role and wave
against the staff entered, first-needed moments, warnings), what was left out, and a change and
communication plan paced by readiness for change, with the stakeholder map's actions per quadrant. The
same figures as the Roadmap, Roles and staffing and Stakeholder map pages (`content.waves`, `projection`,
`staffing`, `staff_needed`, `stakeholder_places`, `unplaced`), in a document the PMO team edits."""

from __future__ import annotations

import pandas as pd

from pmostep.core.numbers import figure
from pmostep.deployment import calendar
from pmostep.deployment.roadmap import Wave
from pmostep.planning import decisions, stakeholder_map
from pmostep.reports import content, docx_parts, staffing_charts
from pmostep.reports.content import Content
from pmostep.reports.docx_parts import paragraph
from pmostep.reports.roadmap_charts import WORKSHOP_COLUMN, role_name

NO_PLAN = ("There is no deployment plan yet: recommendations, and so the roadmap, need scores for the whole "
           "assessment. When there are enough answers, accept recommendations on the Recommendations page, "
           "then build this plan again. Missing: the waves and their dates, each entry's deliverables, "
           "effort, change load, prerequisites and roles, projected maturity, staffing and the change plan.")
SUPPORT = {    # what the change plan adds, by readiness for change (planning/readiness.BANDS)
    "high": ["Keep a steady rhythm: announce each wave at its start and show its results at its end.",
             "Let early adopters in each group show the new ways of working to their peers."],
    "moderate": ["Give each change time to settle before the next one reaches the same people.",
                 "Name a contact in each stakeholder group who hears first and passes questions back.",
                 "Show a quick win from wave 1 before wave 2 asks for more."],
    "low": ["Take smaller steps: one or two changes per wave, each with a named owner.",
            "The sponsor opens every wave in person and says why it matters.",
            "Offer more support: coaching, office hours and a place to raise concerns every two weeks.",
            "Show visible quick wins first, and ask the stakeholder groups how the last change landed "
            "before the next one starts."],
}
SUPPORT["unknown"] = SUPPORT["low"]


def build(c: Content) -> bytes:
    """The deployment plan as a Word document, every section from `c` (see the module docstring)."""
    doc = docx_parts.opening(c, "PMO deployment plan", "Deployment plan", "PMO deployment plan")
    docx_parts.heading(doc, "Overview")
    if c.plan is None:
        paragraph(doc, NO_PLAN)
        return docx_parts.to_bytes(doc)
    _overview(doc, c)
    for wave, first, last in content.held_waves(c):
        _wave(doc, c, wave, first, last)
    if content.placed(c):
        _projection(doc, c)
        _staffing(doc, c)
    _unplaced(doc, c)
    _change(doc, c)
    _workshop(doc, c)
    return docx_parts.to_bytes(doc)


def _capacity_reason(c: Content) -> str:
    s, stored = c.plan.settings, c.plan.stored
    if s.capacity != stored.capacity:
        return "set for this run"
    if stored.capacity == decisions.DEFAULT_CAPACITY:
        return "the default (about 1.5 FTE over a quarter) until set on the Roadmap page"
    return "set by the facilitator on the Roadmap page"


def _overview(doc, c: Content) -> None:
    s = c.plan.settings
    held = content.held_waves(c)
    closed = c.assessment.end_date
    start_reason = (f"the Monday after the assessment closed ({content.day(closed)})" if closed
                    and c.start == calendar.first_monday_after(closed) else "chosen for this plan")
    if held:
        paragraph(doc, f"The PMO is deployed in {len(held)} {'wave' if len(held) == 1 else 'waves'} of "
                  f"{s.wave_weeks} weeks, starting {content.day(held[0][1])}, ending "
                  f"{content.day(held[-1][2])}. Each wave delivers a few products and services of the "
                  "catalogue, within the PMO's capacity and the change the organisation can absorb.")
    else:
        paragraph(doc, content.no_roadmap(c))
        paragraph(doc, "For the sponsor: " + content.decide_first(c))
        paragraph(doc, "The roadmap will use these settings:")
    rows = [
        ("Start date", content.day(c.start), start_reason),
        ("Waves", str(s.waves), "the roadmap settings" + (
            f"; {len(held)} {'holds' if len(held) == 1 else 'hold'} entries"
            if held and len(held) != s.waves else "")),
        ("Wave length", f"{s.wave_weeks} weeks", "the roadmap settings"),
        ("Capacity per wave", f"{figure(s.capacity)} person-weeks", _capacity_reason(c)),
        ("Change budget per wave", f"{figure(s.change_budget)} change-load points", c.plan.budget_reason),
    ]
    docx_parts.table(doc, pd.DataFrame(rows, columns=["Setting", "Value", "Where it comes from"]),
                     widths=(4.0, 4.0, 8.6))


def _wave(doc, c: Content, wave: Wave, first, last) -> None:
    docx_parts.heading(doc, f"Wave {wave.number}: {content.day(first)} to {content.day(last)}")
    names = c.plan.names
    table = content.waves(c)
    why = table[table["Wave"] == wave.number]
    paragraph(doc, f"Wave {wave.number} delivers {len(wave.items)} "
              f"{'entry' if len(wave.items) == 1 else 'entries'}: " + ", ".join(names[i] for i in wave.items)
              + ".")
    for item, (_, row) in zip(wave.items, why.iterrows(), strict=True):
        e = c.plan.catalogue.entry(item)
        docx_parts.heading(doc, e.name, level=2)
        paragraph(doc, f"{e.type.title()}. {e.description}").paragraph_format.keep_with_next = True
        paragraph(doc, ("bold", "Deliverables:")).paragraph_format.keep_with_next = True
        docx_parts.bullets(doc, e.deliverables, keep=True)
        needs = ", ".join(names.get(p, p) for p in e.prerequisites) or "none"
        roles = ", ".join(role_name(r) for r in e.roles) or role_name("pmo_lead")
        facts = [("Effort", f"{figure(e.effort)} person-weeks"), ("Change load", f"{e.change_load} of 5"),
                 ("Prerequisites", needs), ("Roles", roles), ("Why in this wave", row["Why"])]
        if row.get(WORKSHOP_COLUMN):
            facts.append(("Workshop 2x2", row[WORKSHOP_COLUMN]))
        docx_parts.table(doc, pd.DataFrame(facts, columns=["Fact", "This entry"]), widths=(4.0, 12.6),
                         header=False)
    s = c.plan.settings
    docx_parts.heading(doc, f"Wave {wave.number} in total", level=2)
    totals = [("Effort (person-weeks)", figure(wave.effort), figure(s.capacity),
               _room(s.capacity - wave.effort)),
              ("Change load (points)", figure(wave.change_load), figure(s.change_budget),
               _room(s.change_budget - wave.change_load)),
              ("Staff (FTE)", f"{wave.fte:.2f}", f"{s.capacity / s.wave_weeks:.2f}", "")]
    docx_parts.table(doc, pd.DataFrame(totals, columns=["", "This wave", "Capacity or budget", "Room left"]),
                     widths=(5.0, 3.5, 4.5, 3.6))


def _room(left: float) -> str:
    return f"{figure(left)} left" if left >= 0 else f"{figure(-left)} over (an override)"


def _projection(doc, c: Content) -> None:
    docx_parts.heading(doc, "Projected maturity per wave")
    paragraph(doc, "Expected maturity per dimension (1 to 5) today, at the end of each wave, and desired: "
              "current maturity plus the lift of the entries delivered, never above the desired level.")
    table = content.projection(c)
    rest = (docx_parts.TEXT_WIDTH - 4.2) / (len(table.columns) - 1)
    docx_parts.table(doc, table, widths=[4.2] + [rest] * (len(table.columns) - 1), decimals=2)


def _staffing(doc, c: Content) -> None:
    docx_parts.heading(doc, "Staffing")
    peak = max(c.plan.roadmap.waves, key=lambda w: (w.fte, -w.number))
    paragraph(doc, f"PMO person-weeks and FTE per wave and role (FTE over the {c.plan.settings.wave_weeks} "
              f"weeks of a wave). The busiest wave is wave {peak.number}, with {peak.fte:.2f} FTE.")
    docx_parts.table(doc, content.staffing(c), widths=(2.0, 7.0, 3.8, 3.8))
    docx_parts.heading(doc, "FTE per role and wave", level=2)
    paragraph(doc, "What each role needs in each wave, beside the staff the PMO has in it today (a "
              "Foundation fact the PMO lead enters on the Roles and staffing page; not entered: no shortfall "
              "is read).")
    docx_parts.table(doc, _entered(content.staff_needed(c)))
    docx_parts.heading(doc, "When each role is first needed", level=2)
    paragraph(doc, "Assign or hire each role by the first day of the first wave that needs it.")
    docx_parts.table(doc, _entered(content.staff_moments(c)), widths=(4.6, 2.6, 4.0, 2.7, 2.7))
    docx_parts.heading(doc, "Staffing warnings", level=2)
    warnings = content.staff_warnings(c)
    if warnings:
        docx_parts.bullets(doc, warnings)
    else:
        paragraph(doc, "No wave needs more of a role than the staff entered for it.")


def _entered(table: pd.DataFrame) -> pd.DataFrame:
    """The table with "not entered" where the PMO lead entered no staff for a role."""
    column = staffing_charts.STAFF_COLUMN
    return table.assign(**{column: table[column].astype(object).where(table[column].notna(), "not entered")})


def _unplaced(doc, c: Content) -> None:
    docx_parts.heading(doc, "Entries not placed")
    left = content.unplaced(c)
    if left.empty:
        paragraph(doc, "Every accepted entry has a place in the waves.")
        return
    paragraph(doc, "Accepted entries the roadmap could not place, and why. More capacity, a larger change "
              "budget or more waves (Roadmap page) may place them.")
    docx_parts.table(doc, left, widths=(6.0, 10.6))


def _change(doc, c: Content) -> None:
    r = c.plan.readiness
    docx_parts.heading(doc, "Change and communication")
    docx_parts.heading(doc, "Readiness for change", level=2)
    score = f" (culture {r.score:.2f} of 5, {r.n} respondents)" if r.known else ""
    paragraph(doc, ("bold", f"Readiness for change: {r.reading}{score}. "), r.pace)
    docx_parts.bullets(doc, SUPPORT.get(r.reading, SUPPORT["low"]))
    docx_parts.heading(doc, "Who hears about it", level=2)
    groups = [g.name for g in c.assessment.stakeholder_groups]
    audience = ", ".join(groups) if groups else ("blank", "the groups to inform")
    paragraph(doc, ("bold", "Stakeholder groups: "), audience)
    if c.assessment.customers.strip():
        paragraph(doc, ("bold", "Customers of the PMO: "), c.assessment.customers.strip())
    _stakeholders(doc, c)
    docx_parts.heading(doc, "When", level=2)
    rows = []
    held = content.held_waves(c)
    if held:
        rows.append((f"Before {content.day(held[0][1])}", f"Why the PMO starts, the charter and what wave "
                     f"{held[0][0].number} delivers; the sponsor's message", "Every stakeholder group"))
    for wave, first, last in held:
        number = wave.number
        names = ", ".join(c.plan.names[i] for i in wave.items)
        rows.append((f"Start of wave {number} ({content.day(first)})", f"What changes and for whom: {names}",
                     "Every stakeholder group; the people who use the new products and services first"))
        if r.reading in ("low", "unknown"):
            rows.append((f"Every two weeks in wave {number}", "A short update, and a place to raise concerns",
                         "Every stakeholder group"))
        rows.append((f"End of wave {number} ({content.day(last)})", "What the wave delivered, what comes "
                     "next", "The sponsor, then every stakeholder group"))
    if rows:
        docx_parts.table(doc, pd.DataFrame(rows, columns=["When", "What to communicate", "To whom"]),
                         widths=(4.6, 7.0, 5.0))
    paragraph(doc, "Channels and owner: ", ("blank", "who sends the messages, and through which channels"))


def _stakeholders(doc, c: Content) -> None:
    """The stakeholder map: each group's quadrant, then the engagement and communication actions of each
    quadrant that holds a group, and the groups not placed yet."""
    docx_parts.heading(doc, "Stakeholder map", level=2)
    places = content.stakeholder_places(c)
    if places.empty:
        paragraph(doc, "No stakeholder group is on the map yet: enter each group's influence (and support, "
                  "where the survey cannot show it) on the Stakeholder map page of the Foundation.")
    else:
        paragraph(doc, "Each stakeholder group by its influence over the PMO and its support for it (1 to "
                  "5). Influence is the PMO lead's entry; support is the lead's entry or, for a group large "
                  f"enough to show (at least {c.min_group_size} respondents), read from the survey: the "
                  "mean level it wants in governance and culture.")
        if places["Note"].eq("").all():            # no notes: the room goes to where support comes from
            docx_parts.table(doc, places.drop(columns="Note"), widths=(3.2, 2.7, 2.5, 2.9, 5.3))
        else:
            docx_parts.table(doc, places, widths=(2.8, 2.7, 2.5, 2.8, 3.6, 2.2))
        for key, q in stakeholder_map.ENGAGEMENT.items():
            groups = c.stakeholders.in_quadrant(key)
            if groups:
                paragraph(doc, ("bold", f"{q.name}: {', '.join(p.group for p in groups)}. "), q.engagement)
                docx_parts.bullets(doc, q.actions)
    left = content.stakeholders_not_placed(c)
    if not left.empty:
        paragraph(doc, ("bold", "Not on the map yet: "), "enter what is missing on the Stakeholder map page.")
        docx_parts.table(doc, left, widths=(5.0, 11.6))


def _workshop(doc, c: Content) -> None:
    table = content.waves(c)
    if WORKSHOP_COLUMN not in table.columns:
        return
    placed = table[table[WORKSHOP_COLUMN] != ""]
    docx_parts.heading(doc, "Workshop decisions")
    paragraph(doc, "Where the workshop put the entries on value against effort (the 2x2), beside the wave "
              "the roadmap gave them.")
    docx_parts.table(doc, placed[["Entry", "Wave", WORKSHOP_COLUMN]], widths=(7.0, 2.0, 7.6))
