"""The deployment plan (reports/deployment_plan.py) built from the demo and from an assessment with groups
too small to show, read back with python-docx: waves dated as `wave_dates`, each entry's facts, totals,
projection, staffing and unplaced tables equal to the plan's, a change plan paced by readiness, the staff
needed per role against the staff entered, and the stakeholder map's communication actions (a group too
small to show placed only from the lead's entries)."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
from datetime import date

import docx
import pytest
from docx.table import Table

from pmostep import services
from pmostep.core.numbers import figure
from pmostep.foundation.facts import Position
from pmostep.planning.readiness import Readiness
from pmostep.planning.stakeholder_map import ENGAGEMENT
from pmostep.products import roles
from pmostep.reports import content, deployment_plan, docx_parts
from pmostep.reports.content import day as long_date
from pmostep.reports.roadmap_charts import role_name
from pmostep.store import db
from pmostep.workshop.priority import Placement
from tests.conftest import FORMULA_REMARK, SMALL_GROUP, SMALL_GROUP_REMARK, gathered
from tests.readers import ooxml_text


@pytest.fixture(scope="module")
def demo(demo_content):
    return demo_content


@pytest.fixture(scope="module")
def built(demo):
    return deployment_plan.build(demo)


def read(data: bytes):
    return docx.Document(io.BytesIO(data))


def blocks_under(doc, title: str, level: int = 1) -> list:
    """The paragraphs and tables under a heading, up to the next heading of its level or above."""
    out, inside = [], False
    for block in doc.iter_inner_content():
        style = "" if isinstance(block, Table) else block.style.name
        if style.startswith("Heading ") and int(style.split()[1]) <= level:
            inside = block.text == title and style == f"Heading {level}"
        elif inside:
            out.append(block)
    return out


def tables(blocks) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in b.rows] for b in blocks if isinstance(b, Table)]


def text(blocks) -> str:
    return "\n".join(b.text for b in blocks if not isinstance(b, Table))


def wave_titles(c) -> list[str]:
    return [f"Wave {n}: {long_date(first)} to {long_date(last)}" for n, first, last in content.wave_dates(c)]


def test_the_plan_has_a_contents_field_and_a_dated_heading_per_wave(demo, built):
    doc = read(built)
    assert [p.text for p in doc.paragraphs if p.style.name == "Title"] == ["PMO deployment plan"]
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert h1 == ["Overview", *wave_titles(demo), "Projected maturity per wave", "Staffing",
                  "Entries not placed", "Change and communication"]
    assert wave_titles(demo)[0] == "Wave 1: 28 September 2026 to 27 December 2026"
    xml = doc.element.body.xml
    assert xml.index('w:fldCharType="begin"') < xml.index("TOC \\o") < xml.index(docx_parts.TOC_PLACEHOLDER)


def test_the_overview_says_where_capacity_and_change_budget_come_from(demo, built):
    rows = tables(blocks_under(read(built), "Overview"))[0]
    s = demo.plan.settings
    facts = {r[0]: r[1:] for r in rows[1:]}
    assert facts["Start date"][0] == long_date(demo.start)
    assert facts["Waves"][0] == str(s.waves) and facts["Wave length"][0] == f"{s.wave_weeks} weeks"
    assert facts["Capacity per wave"][0] == f"{figure(s.capacity)} person-weeks"
    assert facts["Change budget per wave"] == [f"{figure(s.change_budget)} change-load points",
                                               demo.plan.budget_reason]


def test_each_entry_has_its_deliverables_effort_load_prerequisites_roles_and_reason(demo, built):
    doc = read(built)
    why = content.waves(demo)
    for title, wave in zip(wave_titles(demo), demo.plan.roadmap.waves, strict=True):
        blocks = blocks_under(doc, title)
        h2 = [b.text for b in blocks if not isinstance(b, Table) and b.style.name == "Heading 2"]
        assert h2 == [demo.plan.names[i] for i in wave.items] + [f"Wave {wave.number} in total"]
        for item in wave.items:
            e = demo.plan.catalogue.entry(item)
            under = blocks_under(doc, e.name, level=2)
            bullets = [b.text for b in under if not isinstance(b, Table) and b.style.name == "List Bullet"]
            assert bullets == list(e.deliverables)
            facts = dict(map(tuple, tables(under)[0]))
            reason = why[(why["Wave"] == wave.number) & (why["Entry"] == e.name)]["Why"].item()
            needs = ", ".join(demo.plan.names[p] for p in e.prerequisites) or "none"
            assert facts == {"Effort": f"{figure(e.effort)} person-weeks",
                             "Change load": f"{e.change_load} of 5", "Prerequisites": needs,
                             "Roles": ", ".join(role_name(r) for r in e.roles), "Why in this wave": reason}
        totals = tables(blocks_under(doc, f"Wave {wave.number} in total", level=2))[0]
        assert totals[1][:3] == ["Effort (person-weeks)", figure(wave.effort),
                                 figure(demo.plan.settings.capacity)]
        assert totals[2][:3] == ["Change load (points)", figure(wave.change_load),
                                 figure(demo.plan.settings.change_budget)]


def test_projection_staffing_and_unplaced_tables_equal_the_plans(demo, built):
    doc = read(built)
    [projection] = tables(blocks_under(doc, "Projected maturity per wave"))
    expected = content.projection(demo)
    assert projection[0] == list(expected.columns)
    assert projection[1:] == [[r.iloc[0]] + [f"{v:.2f}" for v in r.iloc[1:]] for _, r in expected.iterrows()]
    staffing = tables(blocks_under(doc, "Staffing"))[0]
    assert staffing[1:] == [[str(r["Wave"]), r["Role"], figure(r["Person-weeks"]), figure(r["FTE"])]
                            for _, r in content.staffing(demo).iterrows()]
    [unplaced] = tables(blocks_under(doc, "Entries not placed"))
    assert unplaced[1:] == content.unplaced(demo).to_numpy().tolist()
    assert len(unplaced) > 1


def test_the_change_plan_follows_readiness_and_names_the_stakeholder_groups(demo, built):
    doc = read(built)
    blocks = blocks_under(doc, "Change and communication")
    r = demo.plan.readiness
    assert f"Readiness for change: {r.reading} (culture {r.score:.2f} of 5" in text(blocks)
    assert ", ".join(g.name for g in demo.assessment.stakeholder_groups) in text(blocks)
    [when] = tables(blocks_under(doc, "When", level=2))
    dates = content.wave_dates(demo)
    assert when[1][0] == f"Before {long_date(dates[0][1])}"
    assert [row[0] for row in when[2:4]] == [f"Start of wave 1 ({long_date(dates[0][1])})",
                                             f"End of wave 1 ({long_date(dates[0][2])})"]
    assert not any("Every two weeks" in row[0] for row in when)
    # the demo's lead entered every group's influence: the map's communication actions are in the plan
    stakeholders = text(blocks_under(doc, "Stakeholder map", level=2))
    assert "Keep satisfied: " in stakeholders and "Line or functional manager" in stakeholders
    assert ENGAGEMENT["keep_satisfied"].actions[0] in stakeholders

    low = Readiness(1.5, 40, "low", "Change will meet resistance.", 4)
    slow = read(deployment_plan.build(dataclasses.replace(
        demo, plan=dataclasses.replace(demo.plan, readiness=low))))
    blocks = blocks_under(slow, "Readiness for change", level=2)
    bullets = [b.text for b in blocks if not isinstance(b, Table) and b.style.name == "List Bullet"]
    assert bullets == deployment_plan.SUPPORT["low"]
    [when] = tables(blocks_under(slow, "When", level=2))
    assert sum("Every two weeks" in row[0] for row in when) == len(dates)


def test_a_wave_that_holds_nothing_gets_no_section(pinned_file):
    """Everything pinned to wave 2 of 4: one wave deployed, no "Wave 1 delivers 0 entries"."""
    c = gathered(pinned_file, "small", today=date(2026, 12, 2))
    doc = read(deployment_plan.build(c))
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert [t for t in h1 if t.startswith("Wave")] == ["Wave 2: 8 March 2027 to 6 June 2027"]
    overview = blocks_under(doc, "Overview")
    assert text(overview).startswith("The PMO is deployed in 1 wave of 13 weeks, starting 8 March 2027, "
                                     "ending 6 June 2027.")
    facts = {r[0]: r[1:] for r in tables(overview)[0][1:]}
    assert facts["Waves"] == ["4", "the roadmap settings; 1 holds entries"]
    prose = "\n".join(p.text for p in doc.paragraphs)       # the projection's table has a column per wave
    assert "0 entries" not in prose and "Wave 1" not in prose and "wave 1" not in prose
    [when] = tables(blocks_under(doc, "When", level=2))
    assert [row[0] for row in when if "wave" in row[0]] == [
        "Start of wave 2 (8 March 2027)", "Every two weeks in wave 2", "End of wave 2 (6 June 2027)"]


def test_workshop_placements_get_their_own_section(demo):
    item = demo.plan.roadmap.waves[1].items[0]
    spot = Placement("quick win", 4.1, 2.0, 23, 1, "Value and effort")
    c = dataclasses.replace(demo, plan=dataclasses.replace(demo.plan, workshop_2x2={item: spot}))
    doc = read(deployment_plan.build(c))
    [decided] = tables(blocks_under(doc, "Workshop decisions"))
    assert decided[1:] == [[demo.plan.names[item], "2", "Quick win: value 4.1, effort 2.0, n 23"]]
    facts = dict(map(tuple, tables(blocks_under(doc, demo.plan.names[item], level=2))[0]))
    assert facts["Workshop 2x2"] == spot.words()


def test_without_a_plan_the_document_says_what_is_missing(demo):
    doc = read(deployment_plan.build(dataclasses.replace(demo, plan=None)))
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == ["Overview"]
    assert text(blocks_under(doc, "Overview")) == deployment_plan.NO_PLAN


def test_with_no_wave_the_plan_says_how_to_get_one_in_plain_words(demo):
    """Word shows markdown's backticks as they are: the message names the command without them."""
    empty = dataclasses.replace(demo.plan, roadmap=dataclasses.replace(demo.plan.roadmap, waves=[]))
    said = text(blocks_under(read(deployment_plan.build(dataclasses.replace(demo, plan=empty))), "Overview"))
    assert "the roadmap has no waves" in said and "Recommendations page" in said and "`" not in said


def test_no_internal_ids_in_the_plan(demo, built):
    words = set(re.findall(r"[a-z]+_[a-z_0-9]+", ooxml_text(built)))
    assert not words & (set(demo.plan.catalogue.by_id) | set(roles.names()))


def test_a_group_too_small_to_show_is_named_only_among_those_to_inform_and_not_placed(small_content):
    c, a = small_content, small_content.assessment
    data = deployment_plan.build(c)
    assert c.plan.roadmap.waves
    found = ooxml_text(data).replace(content.suppressed_sentence(c), "")
    for remark in ("AUDIT-ONLY-REMARK", SMALL_GROUP_REMARK, FORMULA_REMARK):
        assert remark not in found
    assert "Portfolio or programme manager" not in found
    # The executives are a Foundation stakeholder group: named among the groups to inform, and among the
    # groups the stakeholder map cannot place (nothing entered yet), never with a figure.
    assert found.count(SMALL_GROUP) == 2
    doc = read(data)
    [line] = [p.text for p in doc.paragraphs if SMALL_GROUP in p.text]
    assert line == "Stakeholder groups: " + ", ".join(g.name for g in a.stakeholder_groups)
    blocks = blocks_under(doc, "Stakeholder map", level=2)
    assert "No stakeholder group is on the map yet" in text(blocks)
    [left] = tables(blocks)
    assert [SMALL_GROUP, "Influence not entered; too few responses to read support: enter it"] in left


@pytest.fixture(scope="module")
def entered(tmp_path_factory):
    """A copy of a session file with the lead's entries saved, gathered again (the copy is this module's)."""
    def make(source, slug: str, staff: dict, positions: list[Position]):
        path = tmp_path_factory.mktemp("entered") / "entered.duckdb"
        shutil.copy(source, path)
        con = db.connect(path)
        services.save_staff(con, slug, staff)
        services.save_stakeholder_positions(con, slug, positions)
        con.close()
        return gathered(path, slug)
    return make


def test_a_small_group_is_placed_from_the_leads_entries_only_never_from_its_answers(small_file, entered):
    # The executives rated everything 1 (gap 0): from their answers their support would read 1.
    c = entered(small_file, "small", {}, [Position("Project manager", 4), Position("Project team member", 2),
                                          Position(SMALL_GROUP, 5)])
    blocks = blocks_under(read(deployment_plan.build(c)), "Stakeholder map", level=2)
    places, left = tables(blocks)
    assert [row[0] for row in places[1:]] == ["Project manager", "Project team member"]
    assert all(row[4].startswith("Read from the survey") for row in places[1:])
    assert left[1:] == [[SMALL_GROUP, "Too few responses to read support: enter it"]]
    c = entered(small_file, "small", {}, [Position(SMALL_GROUP, 5, 4)])
    places = tables(blocks_under(read(deployment_plan.build(c)), "Stakeholder map", level=2))[0]
    assert places[1] == [SMALL_GROUP, "5", "4", "Manage closely", "Entered by the PMO lead"]


@pytest.fixture(scope="module")
def staffed(demo_file, entered):
    """The demo with 0.2 FTE of PMO lead and 1 of PMO analyst entered, and five groups placed: support
    read from the survey for the executives (the levels they want: 4.4), the project managers (3.6) and the
    team members (3.6), entered for the two others."""
    return entered(demo_file, "demo", {"pmo_lead": 0.2, "pmo_analyst": 1.0}, [
        Position("Executive or sponsor", 5), Position("Project manager", 4),
        Position("Project team member", 2), Position("Line or functional manager", 2, 2),
        Position("Portfolio or programme manager", 4, 2)])


def test_staffing_shows_fte_per_role_against_the_staff_the_first_moments_and_the_short_waves(staffed):
    doc = read(deployment_plan.build(staffed))
    weeks = staffed.plan.settings.wave_weeks
    lead = {w.number: round(w.roles.get("pmo_lead", 0) / weeks, 2) for w in staffed.plan.roadmap.waves}
    [needed] = tables(blocks_under(doc, "FTE per role and wave", level=2))
    assert needed[0] == ["Role", "Staff now (FTE)", *(f"Wave {w.number}" for w in staffed.plan.roadmap.waves)]
    rows = {row[0]: row[1:] for row in needed[1:]}
    assert rows["PMO lead"] == ["0.2", *(figure(v) for v in lead.values())]
    # The role needed last, whose staff was not entered (the roadmap's order follows the ranking).
    later = max((w.number, r) for w in staffed.plan.roadmap.waves for r, pw in w.roles.items()
                if pw > 0 and r not in ("pmo_lead", "pmo_analyst"))[1]
    starts = min(w.number for w in staffed.plan.roadmap.waves if w.roles.get(later))
    name = roles.names()[later]
    assert rows[name][0] == "not entered"
    [moments] = tables(blocks_under(doc, "When each role is first needed", level=2))
    first = {row[0]: row[1:3] for row in moments[1:]}
    dates = {n: first_day for n, first_day, _ in content.wave_dates(staffed)}
    assert first[name] == [f"Wave {starts}", long_date(dates[starts])]
    warnings = [b.text for b in blocks_under(doc, "Staffing warnings", level=2)
                if not isinstance(b, Table) and b.style.name == "List Bullet"]
    short = [f"Wave {n} needs {figure(v)} FTE of PMO lead; the PMO has 0.2 "
             f"({figure(round(v - 0.2, 2))} short)." for n, v in lead.items() if v > 0.2]
    assert short and warnings[1:] == short
    assert warnings[0].startswith("No staff entered for Coach (up to ") and "PMO analyst" not in warnings[0]


def test_the_change_plan_lists_the_communication_actions_of_each_quadrant(staffed):
    blocks = blocks_under(read(deployment_plan.build(staffed)), "Stakeholder map", level=2)
    places, left = tables(blocks)
    quadrants = {row[0]: row[3] for row in places[1:]}
    assert quadrants == {"Executive or sponsor": "Manage closely", "Project manager": "Manage closely",
                         "Portfolio or programme manager": "Keep satisfied",
                         "Project team member": "Keep informed", "Line or functional manager": "Monitor"}
    said = text(blocks)
    assert "Manage closely: Executive or sponsor, Project manager. Partners in the change" in said
    assert "Keep satisfied: Portfolio or programme manager. They can stop the change" in said
    assert "read from the survey: the mean level it wants in governance and culture" in said
    bullets = [b.text for b in blocks if not isinstance(b, Table) and b.style.name == "List Bullet"]
    assert bullets == [a for q in ENGAGEMENT.values() for a in q.actions]
    assert left[1:] == [["Business customer or user", "Influence not entered"]]
