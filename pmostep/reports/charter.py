"""The PMO charter draft (docx): the Foundation facts, wave 1's services, roles and success measures put
in the shape of a charter the sponsor signs. What the assessment cannot know (governance, what is out of
scope) is left as "[To fill: ...]" blanks for the PMO lead, so the draft never pretends to decisions
nobody took."""

from __future__ import annotations

import pandas as pd

from pmostep.core.numbers import known
from pmostep.reports import content, docx_parts
from pmostep.reports.content import Content
from pmostep.reports.docx_parts import paragraph
from pmostep.reports.roadmap_charts import wave_roles

SCOPES = {     # the Foundation's PMO scope in words (foundation/assessments.PMO_SCOPES)
    "enterprise": "the whole organisation: every project and programme of {org}",
    "division": "one division of {org} and the projects and programmes it runs",
    "department": "one department of {org} and the projects it runs",
    "programme": "one programme of {org} and its projects",
}
NO_PLAN = ("There is no roadmap yet: recommendations need scores for the whole assessment. Accept "
           "recommendations on the Recommendations page, then build this charter again.")


def build(c: Content) -> bytes:
    """The charter as a Word document, every section from `c` (see the module docstring)."""
    doc = docx_parts.opening(c, "PMO charter", "PMO charter", "PMO charter (draft)")
    _mission(doc, c)
    _scope(doc, c)
    _sponsor(doc, c)
    _stakeholders(doc, c)
    _pmo_type(doc, c)
    _services(doc, c)
    _roles(doc, c)
    _success(doc, c)
    _governance(doc, c)
    _out_of_scope(doc, c)
    _approval(doc, c)
    return docx_parts.to_bytes(doc)


def _mission(doc, c: Content) -> None:
    docx_parts.heading(doc, "Mission")
    if c.assessment.mission.strip():
        paragraph(doc, c.assessment.mission.strip())
    else:
        paragraph(doc, ("blank", "the PMO's mission in one or two sentences: why it exists and for whom"))


def _scope(doc, c: Content) -> None:
    a = c.assessment
    docx_parts.heading(doc, "Scope")
    words = SCOPES.get(a.pmo_scope, a.pmo_scope).format(org=a.organisation or "the organisation")
    paragraph(doc, f"The PMO serves {words}.")
    if a.pmo_scope != "enterprise":
        paragraph(doc, "Which one: ", ("blank", f"the {a.pmo_scope} the PMO serves, by name"))


def _sponsor(doc, c: Content) -> None:
    a = c.assessment
    docx_parts.heading(doc, "Sponsor")
    name = a.sponsor_name.strip() or ("blank", "the sponsor's name")
    role = a.sponsor_role.strip() or ("blank", "the sponsor's role")
    paragraph(doc, "The PMO's sponsor is ", name, ", ", role, ". The sponsor champions the PMO, settles its "
              "priorities when they conflict, and signs this charter.")


def _stakeholders(doc, c: Content) -> None:
    a = c.assessment
    docx_parts.heading(doc, "Customers and stakeholder groups")
    customers = a.customers.strip() or ("blank", "who the PMO's services are for")
    paragraph(doc, ("bold", "Customers: "), customers)
    groups = a.stakeholder_groups
    if not groups:
        paragraph(doc, "Stakeholder groups: ", ("blank", "the groups the PMO works with"))
        return
    paragraph(doc, "The stakeholder groups invited to the assessment:")
    docx_parts.table(doc, pd.DataFrame([(g.name, g.invited) for g in groups],
                                       columns=["Stakeholder group", "Invited"]), widths=(11.0, 4.0))


def _pmo_type(doc, c: Content) -> None:
    docx_parts.heading(doc, "PMO type")
    chosen = content.pmo_type(c)
    if chosen is None:
        paragraph(doc, ("blank", "the PMO type (I to IV) the PMO aims for, and what it will do"))
        return
    name, description = chosen
    paragraph(doc, ("bold", f"{name}. "), description[:1].upper() + description[1:])


def _services(doc, c: Content) -> None:
    docx_parts.heading(doc, "Services of wave 1")
    if not content.placed(c):
        paragraph(doc, content.no_roadmap(c) or NO_PLAN)
        if c.plan is not None:
            paragraph(doc, "For the sponsor: " + content.decide_first(c))
        return
    wave, first, last = content.held_waves(c)[0]
    which = ("Wave 1" if wave.number == 1
             else f"Wave 1 holds nothing: wave {wave.number}, the first that does,")
    paragraph(doc, f"{which} runs from {content.day(first)} to {content.day(last)} and delivers:")
    for item in wave.items:
        entry = c.plan.catalogue.entry(item)
        docx_parts.heading(doc, entry.name, level=2)
        paragraph(doc, entry.description)
        paragraph(doc, ("bold", "Deliverables:")).paragraph_format.keep_with_next = True
        docx_parts.bullets(doc, entry.deliverables)


def _roles(doc, c: Content) -> None:
    docx_parts.heading(doc, "Roles")
    if c.plan is None:
        paragraph(doc, "Roles follow from the roadmap. " + NO_PLAN)
        return
    if not content.placed(c):
        paragraph(doc, "Roles follow from the roadmap, which has no waves yet (see Services of wave 1).")
        return
    weeks = c.plan.settings.wave_weeks
    peak: dict[str, tuple[float, int]] = {}          # role name -> (person-weeks, wave) in its busiest wave
    for w in c.plan.roadmap.waves:
        for name, pw in wave_roles(w).items():
            if pw > peak.get(name, (0.0, 0))[0]:
                peak[name] = (pw, w.number)
    busiest = max(c.plan.roadmap.waves, key=lambda w: (w.fte, -w.number))
    paragraph(doc, f"The roadmap asks for these roles; the PMO needs {busiest.fte:.1f} FTE in its busiest "
              f"wave (wave {busiest.number}). FTE is person-weeks over the {weeks} weeks of a wave.")
    rows = [(name, round(pw / weeks, 2), f"Wave {wave}", ("blank", "who"))
            for name, (pw, wave) in sorted(peak.items(), key=lambda kv: (-kv[1][0], kv[0]))]
    docx_parts.table(doc, pd.DataFrame(rows, columns=["Role", "FTE in its busiest wave", "Busiest wave",
                                                      "Filled by"]), widths=(5.5, 3.5, 3.0, 4.5))


def _success(doc, c: Content) -> None:
    docx_parts.heading(doc, "Success measures")
    dates = content.wave_dates(c)
    dims = c.whole.dimensions
    if content.placed(c):
        by = dates[-1][2]
        paragraph(doc, f"The PMO succeeds when each dimension reaches the desired maturity the stakeholders "
                  f"gave, by {content.day(by)} (the end of wave {dates[-1][0]}). Maturity is on the 1 to 5 "
                  "scale of the assessment; a later assessment measures it again.")
        projected = c.plan.roadmap.waves[-1].projected
        rows = [(d["name"], known(d["current"]), known(d["desired"]), known(projected.get(d["id"])))
                for _, d in dims.iterrows()]
        columns = ["Dimension", "Today", "Target (desired)", f"Projected at the end of wave {dates[-1][0]}"]
    else:
        paragraph(doc, "The PMO succeeds when each dimension reaches the desired maturity the stakeholders "
                  "gave, by ", ("blank", "the date"), "." + (" " + NO_PLAN if c.plan is None else ""))
        rows = [(d["name"], known(d["current"]), known(d["desired"])) for _, d in dims.iterrows()]
        columns = ["Dimension", "Today", "Target (desired)"]
    docx_parts.table(doc, pd.DataFrame(rows, columns=columns), decimals=2)
    paragraph(doc, "Other measures: ", ("blank", "measures beyond maturity, such as projects finished on "
                                                  "time or benefits reported"))


def _governance(doc, c: Content) -> None:
    docx_parts.heading(doc, "Governance")
    docx_parts.bullets(doc, [
        ("Who decides on the PMO's services and priorities: ", ("blank", "the board or person who decides")),
        ("How the PMO reports to the sponsor, and how often: ", ("blank", "the reporting cadence")),
        ("Where conflicts between projects are escalated: ", ("blank", "the escalation path")),
        ("When this charter is reviewed: ", ("blank", "the review date")),
    ])


def _out_of_scope(doc, c: Content) -> None:
    docx_parts.heading(doc, "Out of scope")
    paragraph(doc, ("blank", "what the PMO will not do")).paragraph_format.keep_with_next = True
    left = []
    if c.plan is not None:
        rejected = [c.plan.names.get(i, i) for i, ch in c.plan.choices.items() if ch.decision == "rejected"]
        left = rejected + list(content.unplaced(c)["Entry"])
    if left:
        paragraph(doc, "Suggestion: the entries rejected or not placed in the roadmap, for now: "
                  + ", ".join(left) + ".")
    else:
        paragraph(doc, "Suggestion: managing the projects themselves (project managers stay accountable for "
                  "their projects; the PMO supports them).")


def _approval(doc, c: Content) -> None:
    a = c.assessment
    docx_parts.heading(doc, "Approval")
    paragraph(doc, "Approved by the sponsor:")
    name = a.sponsor_name.strip() or ("blank", "the sponsor's name")
    role = a.sponsor_role.strip() or ("blank", "the sponsor's role")
    docx_parts.table(doc, pd.DataFrame([(name, role, "", "")],
                                       columns=["Name", "Role", "Signature", "Date"]),
                     widths=(4.5, 4.5, 4.5, 3.0))
