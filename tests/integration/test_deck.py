"""The sponsor slide deck, reopened with python-pptx: its slides, native charts and figures agree with the
scores; nothing is smaller than 14 pt; small groups are named only in the suppressed sentence."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile

import pytest
from pptx import Presentation
from pptx.util import Emu, Inches, Pt

from pmostep.reports import content, deck
from tests.conftest import FORMULA_REMARK, SMALL_GROUP, SMALL_GROUP_REMARK
from tests.readers import ooxml_text

TITLES = ["Purpose and method", "Maturity profile: current and desired", "The largest gaps",
          "Where stakeholders disagree", "What stakeholders said", "Readiness for change", "Recommendations",
          "Roadmap by wave", "Staffing the PMO", "Decisions asked of the sponsor"]


@pytest.fixture(scope="module")
def demo(demo_content):
    return demo_content


@pytest.fixture(scope="module")
def small(small_content):
    return small_content


def reopen(data: bytes):
    return Presentation(io.BytesIO(data))


def texts(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def charts(slide) -> list:
    return [s.chart for s in slide.shapes if s.has_chart]


def test_the_deck_has_its_slides_in_order_in_16_9(demo):
    deck_ = reopen(deck.build(demo))
    assert 8 <= len(deck_.slides) <= 12
    assert (deck_.slide_width, deck_.slide_height) == (Inches(13.333), Inches(7.5))
    titles = [s.shapes.title.text_frame.text for s in deck_.slides]
    assert titles == [demo.assessment.name, *TITLES]
    first = texts(deck_.slides[0])
    assert demo.assessment.organisation in first and f"{demo.generated:%B %Y}" in first
    assert f"{demo.whole.overall['current']:.2f}" in first


def test_who_answered_lists_every_row_of_the_response_rates(demo):
    """The rows and words of content.rate_lines, all six groups (none left for an "and 1 more")."""
    lines = texts(reopen(deck.build(demo)).slides[1]).splitlines()
    who = lines.index("Who answered")
    assert lines[who + 1] == content.answered(demo) == "150 respondents, response rate 55%"
    assert lines[who + 2:who + 8] == content.rate_lines(demo) and len(content.rate_lines(demo)) == 6


def test_the_profile_is_a_native_chart_of_the_scores(demo):
    slide = reopen(deck.build(demo)).slides[2]
    [chart] = charts(slide)
    dims = demo.whole.dimensions
    plot = chart.plots[0]
    assert list(plot.categories) == list(dims["name"])
    assert [s.name for s in plot.series] == ["Current", "Desired"]
    assert list(plot.series[0].values) == [round(v, 2) for v in dims["current"]]
    assert list(plot.series[1].values) == [round(v, 2) for v in dims["desired"]]
    axis = chart.value_axis
    assert (axis.minimum_scale, axis.maximum_scale) == (1, 5)
    assert axis.has_title and "Maturity level" in axis.axis_title.text_frame.text
    assert chart.has_legend


def test_the_gaps_chart_labels_every_gap_and_names_the_ones_that_matter(demo):
    slide = reopen(deck.build(demo)).slides[3]
    [chart] = charts(slide)
    dims = demo.whole.dimensions.sort_values("gap", ascending=False)
    plot = chart.plots[0]
    assert list(plot.categories) == list(dims["name"])
    assert list(plot.series[0].values) == [round(v, 2) for v in dims["gap"]]
    assert plot.has_data_labels and plot.data_labels.show_value
    for _, row in content.largest_gaps(demo).iterrows():
        assert row["name"] in texts(slide) and f"gap {row['gap']:.2f}" in texts(slide)


def test_the_planning_slides_show_the_plan(demo):
    slides = reopen(deck.build(demo)).slides
    top = content.top_recommendations(demo)
    assert all(r.name in texts(slides[7]) for r in top)
    roadmap = texts(slides[8])
    for number, start, _ in content.wave_dates(demo):
        assert f"Wave {number}" in roadmap and f"{start.day} {start:%b %Y}" in roadmap
    assert all(demo.plan.names[i] in roadmap for i in demo.plan.roadmap.waves[0].items)
    [staffing] = charts(slides[9])
    frame = deck.staffing_frame(demo)
    assert [s.name for s in staffing.plots[0].series] == list(frame.index)
    fte = {(s.name, k + 1): v for s in staffing.plots[0].series for k, v in enumerate(s.values) if v}
    table = content.staffing(demo)
    assert fte == {(r.Role, r.Wave): round(r.FTE, 2) for r in table.itertuples() if r.FTE > 0}
    asks = texts(slides[10])
    assert all(ask in asks.replace("\n", " ") for ask in content.sponsor_decisions(demo))
    # No internal ids on screen: entry ids or role ids.
    everything = "\n".join(texts(s) for s in slides) + ooxml_text(deck.build(demo))
    ids = set(demo.plan.names) | {r for w in demo.plan.roadmap.waves for r in w.roles}
    assert [i for i in ids if re.search(rf"\b{re.escape(i)}\b", everything)] == []


def test_without_a_plan_the_planning_slides_say_so(demo):
    deck_ = reopen(deck.build(dataclasses.replace(demo, plan=None)))
    assert 8 <= len(deck_.slides) <= 12
    for k in (7, 8, 9):
        assert "No plan yet" in texts(deck_.slides[k])
        assert charts(deck_.slides[k]) == []
    assert "Readiness for change" in [s.shapes.title.text_frame.text for s in deck_.slides]


def test_no_text_is_smaller_than_14_pt(demo, small):
    for c in (demo, small, dataclasses.replace(small, plan=None)):
        data = deck.build(c)
        for slide in reopen(data).slides:
            for shape in slide.shapes:
                if shape.has_text_frame:
                    for p in shape.text_frame.paragraphs:
                        for run in p.runs:
                            assert run.font.size is not None and run.font.size >= Pt(14), run.text
                    assert shape.text_frame.word_wrap is True or not shape.text_frame.text
                    assert shape.left >= 0 and shape.top >= 0
                    assert shape.left + shape.width <= Emu(Inches(13.333)) + 1
                    assert shape.top + shape.height <= Emu(Inches(7.5)) + 1
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = [n for n in z.namelist() if n.startswith("ppt/charts/") and n.endswith(".xml")]
            assert parts
            for name in parts:
                sizes = [int(s) for s in re.findall(r'\bsz="(\d+)"', z.read(name).decode())]
                assert sizes and min(sizes) >= 1400, name


def test_small_groups_are_named_only_in_the_suppressed_sentence(small):
    sentence = content.suppressed_sentence(small)
    assert SMALL_GROUP in sentence
    data = deck.build(small)
    text = ooxml_text(data)
    assert sentence in text
    # Besides the sentence, the executives are named once: their row of the response rates.
    assert text.replace(sentence, "").count(SMALL_GROUP) == 1
    assert "Portfolio or programme manager" not in text.replace(sentence, "")
    # The executives' remarks are quoted pooled, never beside their group's name.
    quotes = texts(reopen(data).slides[5])
    for remark in (SMALL_GROUP_REMARK, FORMULA_REMARK):
        [line] = [line for line in quotes.splitlines() if remark in line]
        assert "A group too small to name" in line and SMALL_GROUP not in line
    # No figure of a suppressed group: the response rates withhold it, in the same rows as the workbook.
    method = texts(reopen(data).slides[1])
    lines = method.splitlines()
    first = lines.index("Project manager: 7 of 8 (88%)")
    assert lines[first:first + 6] == ["Project manager: 7 of 8 (88%)", "Project team member: 6 of 10 (60%)",
                                      f"{SMALL_GROUP}: 3 invited, responses withheld",
                                      "Other or not stated: responses withheld, not invited by list",
                                      content.rates_note(small), sentence]
    assert lines[first:first + 4] == content.rate_lines(small)
    assert lines[lines.index("Who answered") + 1] == "18 respondents" and "of 3" not in method
