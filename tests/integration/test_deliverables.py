"""Every deliverable through reports/deliverables.py from a DuckDB file: the demo's files open and name
the assessment with people's names, never ids; and across formats the same anonymity and safety rules:
a group below the minimum size is named only in the one sentence every deliverable uses, with none of its
figures, its members' markup stays text in HTML, and a formula typed as a comment is text in the workbook.
(The PDF's text is read with pdftotext in tests/e2e/test_reports.py.)"""

from __future__ import annotations

import dataclasses
import html
import io
import re

import openpyxl
import pytest

from pmostep.reports import content, deliverables
from pmostep.reports.content import ReportError
from tests.conftest import FORMULA_REMARK, SMALL_GROUP, SMALL_GROUP_REMARK, gathered
from tests.readers import ooxml_text

KEYS = [k for k in deliverables.KEYS if k != "pdf"]
_TAG = re.compile(r"<[^>]+>")


def words(text: str) -> str:
    return " ".join(text.split())


def text_of(key: str, data: bytes) -> str:
    """What a reader finds in the file: the OOXML parts' text, or the HTML's text as a browser shows it."""
    if key == "html":
        page = re.sub(r"<(style|script)\b.*?</\1>", " ", data.decode("utf-8"), flags=re.S | re.I)
        return words(html.unescape(_TAG.sub(" ", page)))
    return words(ooxml_text(data))


@pytest.fixture(scope="module")
def demo(demo_content):
    return demo_content


@pytest.fixture(scope="module")
def small(small_content, small_file):
    """The small-group assessment's content, without and with the per-respondent rows."""
    return small_content, gathered(small_file, "small", raw=True)


@pytest.mark.parametrize("key", KEYS)
def test_each_deliverable_of_the_demo_opens_names_the_assessment_and_shows_no_ids(demo, key):
    data = deliverables.build(key, demo)
    outline = deliverables.outline(key, data)
    assert len(outline) >= 3 and all(outline)
    text = text_of(key, data)
    assert demo.assessment.name in text
    ids = [s.id for s in demo.questionnaire.statements] + [r.item for r in demo.plan.recommendations[:15]]
    shown = [i for i in ids if "_" in i and re.search(rf"(?<![\w/.]){re.escape(i)}(?![\w/.])", text)]
    assert shown == []


# The executives' figures, were any shown: 2 respondents who rated everything 1 (means 1.00, gaps 0.00), 2 of
# the 3 invited (67 %).
EXECUTIVES_FIGURES = re.compile(r"(?<![\d.])(?:1\.0+|0\.0+|2|0\.67|66\.7|67)(?![\d.])")
# The documents that show figures by group, and so name the groups too small to show in the one sentence.
WITH_GROUP_FIGURES = ("xlsx", "html", "pptx")


@pytest.mark.parametrize("key", KEYS)
def test_a_group_below_the_minimum_has_no_figures_and_its_markup_stays_text(small, key):
    """Outside the one sentence, a group too small to show is named only as a Foundation stakeholder
    group (who was invited, a fact of the Foundation: the charter lists them, the workbook's Foundation
    sheet gives their invitations with the response counts withheld), never with a figure of theirs
    beside it, nor beside one of their members' remarks (pooled under "A group too small to name")."""
    for c in small if key == "xlsx" else small[:1]:
        data = deliverables.build(key, c)
        text, sentence = text_of(key, data), words(content.suppressed_sentence(c))
        assert SMALL_GROUP in sentence
        if key in WITH_GROUP_FIGURES:
            assert sentence in text
        rest = text.replace(sentence, " ")
        invited = {g.name for g in c.assessment.stakeholder_groups}
        for name in content.suppressed_groups(c):
            places = list(re.finditer(re.escape(name), rest))
            assert name in invited or not places, f"{name} named outside the sentence in the {key}"
            for m in places:
                near = rest[max(0, m.start() - 40):m.end() + 40]
                assert not EXECUTIVES_FIGURES.search(near), f"a figure beside {name} in the {key}: {near}"
                assert "AUDIT-ONLY-REMARK" not in rest[max(0, m.start() - 300):m.end() + 300]
        if key == "html":
            page = data.decode("utf-8")
            assert "<script>alert(1)</script>" not in page and "<script" not in page.lower()
            if "AUDIT-ONLY-REMARK" in page:
                assert html.escape(SMALL_GROUP_REMARK) in page


def test_the_small_groups_figures_are_nowhere_in_the_workbook(small):
    """Its members rated everything 1: a row of theirs would hold 1.00 beside the group's name. A row
    naming it outside the sentence is the Foundation's invitation count, its responses withheld; the
    raw rows leave its group blank."""
    for c in small:
        book = openpyxl.load_workbook(io.BytesIO(deliverables.build("xlsx", c)))
        sentence = content.suppressed_sentence(c)
        invited = {g.name: g.invited for g in c.assessment.stakeholder_groups}
        for sheet in book:
            for row in sheet.iter_rows(values_only=True):
                named = [v for v in row if isinstance(v, str) and SMALL_GROUP in v and v != sentence]
                if named:
                    assert named == [SMALL_GROUP], (sheet.title, row)
                    numbers = [v for v in row if isinstance(v, int | float)]
                    assert numbers == [invited[SMALL_GROUP]], (sheet.title, row)


def test_a_formula_typed_as_a_comment_is_text_in_the_workbook(small):
    book = openpyxl.load_workbook(io.BytesIO(deliverables.build("xlsx", small[0])))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str) and "HYPERLINK" in cell.value]
    assert cells, "the comment is in the workbook"
    assert {(cell.data_type, cell.value) for cell in cells} == {("s", "'" + FORMULA_REMARK)}


def test_a_paper_that_is_not_offered_is_refused_before_printing(small):
    with pytest.raises(ReportError, match="paper 'A3' is not one of A4, Letter"):
        deliverables.build("pdf", small[0], paper="A3")


# What an empty wave would print: a wave to approve with nothing in brackets, a wave of 0 entries, a
# wave with nothing placed, staff for no work.
EMPTY_WAVE = re.compile(r"\(\)|\b0 entries|[Nn]othing placed in this wave|0\.0+ FTE|\bWave \d|Approve wave")


@pytest.mark.parametrize("key", KEYS)
def test_before_any_entry_is_accepted_no_deliverable_shows_an_empty_wave(undecided_content, key):
    """Each says once that no entry is accepted yet and the roadmap follows the decisions, and asks the
    sponsor to decide on the top recommendations."""
    c = undecided_content
    text = text_of(key, deliverables.build(key, c))
    assert not EMPTY_WAVE.findall(text)
    assert text.count(words(content.no_roadmap(c))) == 1
    assert text.count(words(content.decide_first(c))) == 1


@pytest.mark.parametrize("key", KEYS)
def test_control_characters_typed_in_the_foundation_are_left_out_and_every_file_builds(demo, key):
    """python-docx and openpyxl refuse a control character (a vertical tab pasted from Word) with a
    traceback; the texts the PMO lead typed reach every document without them."""
    a = demo.assessment
    groups = tuple(dataclasses.replace(g, name=g.name + "\x02") for g in a.stakeholder_groups)
    typed = dataclasses.replace(a, name="Harbour\x0bline plan", sponsor_name="Dana\x01 Reyes",
                                mission="Steady\x1f delivery", stakeholder_groups=groups)
    data = deliverables.build(key, dataclasses.replace(demo, assessment=typed))
    found = data.decode("utf-8") if key == "html" else ooxml_text(data)
    assert "Harbourline plan" in found
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", found)
