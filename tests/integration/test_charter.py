"""The PMO charter draft (reports/charter.py) built from the demo and from an assessment with groups too
small to show, read back with python-docx: its sections in order, the table of contents field, the
"To fill" blanks, and figures equal to the scores and the roadmap."""

from __future__ import annotations

import dataclasses
import io
import re

import docx
import pytest
from docx.table import Table

from pmostep.products import roles
from pmostep.reports import charter, content, docx_parts
from pmostep.reports.content import day as long_date
from tests.conftest import FORMULA_REMARK, SMALL_GROUP, SMALL_GROUP_REMARK
from tests.readers import ooxml_text

SECTIONS = ["Mission", "Scope", "Sponsor", "Customers and stakeholder groups", "PMO type",
            "Services of wave 1", "Roles", "Success measures", "Governance", "Out of scope", "Approval"]


@pytest.fixture(scope="module")
def demo(demo_content):
    return demo_content


@pytest.fixture(scope="module")
def built(demo):
    return charter.build(demo)


def read(data: bytes):
    return docx.Document(io.BytesIO(data))


def headings(doc, level: int) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def section(doc, title: str) -> list:
    """The paragraphs and tables under a Heading 1, up to the next one."""
    out, inside = [], False
    for block in doc.iter_inner_content():
        is_h1 = not isinstance(block, Table) and block.style.name == "Heading 1"
        if is_h1:
            inside = block.text == title
        elif inside:
            out.append(block)
    return out


def tables(blocks: list) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in b.rows] for b in blocks if isinstance(b, Table)]


def text(blocks: list) -> str:
    return "\n".join(b.text for b in blocks if not isinstance(b, Table))


def test_the_charter_has_a_title_page_a_contents_field_and_its_sections_in_order(demo, built):
    doc = read(built)
    title = [p for p in doc.paragraphs if p.style.name == "Title"]
    assert [p.text for p in title] == ["PMO charter"]
    body = "\n".join(p.text for p in doc.paragraphs)
    assert demo.assessment.name in body and "Draft for the sponsor's review" in body
    assert long_date(demo.generated) in body
    assert headings(doc, 1) == SECTIONS
    xml = doc.element.body.xml
    order = [xml.index('w:fldCharType="begin"'), xml.index(docx_parts.TOC_INSTRUCTION),
             xml.index('w:fldCharType="separate"'), xml.index(docx_parts.TOC_PLACEHOLDER),
             xml.index('w:fldCharType="end"')]
    assert order == sorted(order)
    assert "TOC \\o &quot;1-3&quot; \\h \\z \\u" in xml or 'TOC \\o "1-3" \\h \\z \\u' in xml


def test_foundation_facts_fill_mission_scope_sponsor_and_stakeholders(demo, built):
    doc = read(built)
    a = demo.assessment
    assert text(section(doc, "Mission")) == a.mission
    assert "whole organisation" in text(section(doc, "Scope"))
    assert f"{a.sponsor_name}, {a.sponsor_role}" in text(section(doc, "Sponsor"))
    [groups] = tables(section(doc, "Customers and stakeholder groups"))
    assert groups[1:] == [[g.name, str(g.invited)] for g in a.stakeholder_groups]
    name, description = content.pmo_type(demo)
    assert name in text(section(doc, "PMO type")) and description[1:] in text(section(doc, "PMO type"))
    signature = tables(section(doc, "Approval"))[0]
    assert signature[1][:2] == [a.sponsor_name, a.sponsor_role]


def test_wave_1_services_are_the_roadmaps_first_wave_with_their_deliverables(demo, built):
    doc = read(built)
    blocks = section(doc, "Services of wave 1")
    first = demo.plan.roadmap.waves[0]
    names = [b.text for b in blocks if not isinstance(b, Table) and b.style.name == "Heading 2"]
    assert names == [demo.plan.names[i] for i in first.items]
    bullets = [b.text for b in blocks if not isinstance(b, Table) and b.style.name == "List Bullet"]
    assert bullets == [d for i in first.items for d in demo.plan.catalogue.entry(i).deliverables]
    _, start, end = content.wave_dates(demo)[0]
    assert f"from {long_date(start)} to {long_date(end)}" in text(blocks)


def test_roles_show_each_roles_fte_in_its_busiest_wave(demo, built):
    doc = read(built)
    [roles] = tables(section(doc, "Roles"))
    staffing = content.staffing(demo)
    peak = staffing.sort_values("FTE", ascending=False).drop_duplicates("Role")
    assert {r[0]: r[1] for r in roles[1:]} == {
        r["Role"]: docx_parts.cell_text(float(r["FTE"])) for _, r in peak.iterrows()}
    busiest = max(w.fte for w in demo.plan.roadmap.waves)
    assert f"{busiest:.1f} FTE in its busiest wave" in text(section(doc, "Roles"))


def test_success_measures_are_the_desired_maturity_by_the_end_of_the_last_wave(demo, built):
    doc = read(built)
    blocks = section(doc, "Success measures")
    [measures] = tables(blocks)
    dims = demo.whole.dimensions
    last = demo.plan.roadmap.waves[-1]
    assert measures[1:] == [[d["name"], f"{d['current']:.2f}", f"{d['desired']:.2f}",
                             f"{last.projected[d['id']]:.2f}"] for _, d in dims.iterrows()]
    assert f"by {long_date(content.wave_dates(demo)[-1][2])}" in text(blocks)


def test_blanks_to_fill_are_marked_in_their_own_style_and_only_there(built):
    doc = read(built)
    runs = [r for p in doc.paragraphs for r in p.runs]
    runs += [r for t in doc.tables for row in t.rows for cell in row.cells for p in cell.paragraphs
             for r in p.runs]
    blanks = [r.text for r in runs if r.style is not None and r.style.name == docx_parts.TO_FILL]
    assert all(re.fullmatch(r"\[To fill: [^\]]+\]", b) for b in blanks)
    assert len(blanks) == sum(r.text.count("[To fill:") for r in runs)
    governance = text(section(doc, "Governance"))
    assert governance.count("[To fill:") == 4
    assert "[To fill: what the PMO will not do]" in text(section(doc, "Out of scope"))
    assert doc.styles[docx_parts.TO_FILL].font.highlight_color is not None


def test_no_internal_ids_in_the_charter(demo, built):
    words = set(re.findall(r"[a-z]+_[a-z_0-9]+", ooxml_text(built)))
    ids = set(demo.plan.catalogue.by_id) | set(roles.names()) | {s.id for s in demo.questionnaire.statements}
    assert not words & ids


def test_missing_facts_and_plan_become_blanks_and_sentences(demo):
    a = dataclasses.replace(demo.assessment, mission="", sponsor_name="", pmo_type=None, pmo_scope="division")
    doc = read(charter.build(dataclasses.replace(demo, assessment=a, plan=None)))
    assert headings(doc, 1) == SECTIONS
    assert text(section(doc, "Mission")).startswith("[To fill: the PMO's mission")
    assert "[To fill: the sponsor's name]" in text(section(doc, "Sponsor"))
    assert "[To fill: the PMO type" in text(section(doc, "PMO type"))
    assert "[To fill: the division the PMO serves" in text(section(doc, "Scope"))
    assert text(section(doc, "Services of wave 1")) == charter.NO_PLAN
    assert charter.NO_PLAN in text(section(doc, "Roles"))
    assert "by [To fill: the date]" in text(section(doc, "Success measures"))
    dims = demo.whole.dimensions
    assert tables(section(doc, "Success measures"))[0][1] == [
        dims.iloc[0]["name"], f"{dims.iloc[0]['current']:.2f}", f"{dims.iloc[0]['desired']:.2f}"]


def test_a_group_too_small_to_show_is_named_only_among_the_foundations_invitations(small_content):
    c, a = small_content, small_content.assessment
    data = charter.build(c)
    found = ooxml_text(data).replace(content.suppressed_sentence(c), "")
    for remark in ("AUDIT-ONLY-REMARK", SMALL_GROUP_REMARK, FORMULA_REMARK):
        assert remark not in found
    assert "Portfolio or programme manager" not in found     # too small, and not a Foundation group
    # The executives are a Foundation stakeholder group: named once, with their invitations, no figures.
    assert found.count(SMALL_GROUP) == 1
    doc = read(data)
    with_group = [rows for rows in tables(doc.iter_inner_content()) if any(SMALL_GROUP in r for r in rows)]
    assert with_group == [[["Stakeholder group", "Invited"]] + [[g.name, str(g.invited)]
                                                                for g in a.stakeholder_groups]]


def test_text_from_data_stays_plain_text(demo):
    hostile = 'Mission <w:p>&amp; "quotes" =HYPERLINK("http://x","y")'
    a = dataclasses.replace(demo.assessment, mission=hostile, customers="<script>alert(1)</script>")
    doc = read(charter.build(dataclasses.replace(demo, assessment=a)))
    assert text(section(doc, "Mission")) == hostile
    assert "Customers: <script>alert(1)</script>" in text(section(doc, "Customers and stakeholder groups"))
