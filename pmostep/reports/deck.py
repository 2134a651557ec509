"""The sponsor slide deck (python-pptx): eleven 16:9 slides a PMO lead presents, from the same `Content` as
every deliverable, so its figures and anonymity match the pages.

Readable from the back of a room: every run has an explicit size of at least 14 pt (charts included), and
every text box is sized by an estimate of its wrapped lines, shrinking to 14 pt and then shortening its
list ("and 4 more") rather than running off the slide. Charts are native PowerPoint charts, editable in
PowerPoint and LibreOffice.
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_AXIS_CROSSES, XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt

from pmostep.core.numbers import figure, known
from pmostep.core.safe_cells import printable
from pmostep.planning import readiness as readiness_module
from pmostep.reports import content
from pmostep.reports.charts import CURRENT_COLOUR, DESIRED_COLOUR, GAP_COLOUR
from pmostep.reports.content import Content
from pmostep.reports.roadmap_charts import ROLE_COLOURS

WIDTH, HEIGHT = 13.333, 7.5             # inches: 16:9
MARGIN = 0.5
BODY_TOP, BODY_BOTTOM = 1.35, 6.85      # the body area between the title and the footer
FONT = "Arial"                          # metric twin (Liberation Sans) everywhere, so the estimates hold
MIN_PT = 14                             # nothing smaller: read from the back of a room
BODY_SIZES = (24, 22, 20, 18, 16, 14)
TITLE_SIZES = (32, 28, 24)
CHAR_EM, BOLD_EM = 0.48, 0.53           # average character width of Arial in prose, in ems (a little over)
ROW_EM = 1.2                            # a single-spaced line of Arial (ascent and descent: 1.15 em)
SPACE_AFTER = 0.35                      # paragraph spacing, in ems of the paragraph's size
INSET = 0.05                            # inches inside every text box
INK, GREY, HIGHLIGHT = "222222", "555555", "D55E00"
NO_PLAN = ("No plan yet: recommendations, the roadmap and its staffing need scores for the whole "
           "assessment, which it does not have yet.")


@dataclass(frozen=True)
class Line:
    """One paragraph of a text box: its text and how it stands out."""

    text: str
    bold: bool = False
    grey: bool = False
    step: int = 0                       # points above the box's size (headings, the big reading)


def build(c: Content) -> bytes:
    """The deck as pptx bytes: title, method, profile, gaps, disagreements, quotes, readiness,
    recommendations, roadmap, staffing and the decisions asked of the sponsor."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(WIDTH), Inches(HEIGHT)
    slides = (_title, _method, _profile, _gaps, _disagreements, _quotes, _readiness, _recommendations,
              _roadmap, _staffing, _decisions)
    a = c.assessment
    footer = a.name if not a.organisation or a.organisation in a.name else f"{a.organisation} · {a.name}"
    for number, make in enumerate(slides, start=1):
        slide = deck.slides.add_slide(deck.slide_layouts[5])       # title only
        make(slide, c)
        if number > 1:
            _footer(slide, footer, f"{number} / {len(slides)}")
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


# --- text boxes -------------------------------------------------------------------------------------------


def _height(lines: Sequence[Line], size: int, width: float) -> float:
    """Inches the lines take at `size` points when wrapped into `width` inches (a generous estimate)."""
    total = 2 * INSET
    for line in lines:
        pt = size + line.step
        per_line = max(1, int((width - 2 * INSET) * 72 / (pt * (BOLD_EM if line.bold else CHAR_EM))))
        rows = sum(max(1, len(textwrap.wrap(part, per_line))) for part in line.text.split("\n"))
        total += (rows * ROW_EM + SPACE_AFTER) * pt / 72
    return total


def _fit(lines: Sequence[Line], width: float, height: float, sizes: Sequence[int]) -> int | None:
    return next((s for s in sizes if _height(lines, s, width) <= height), None)


def _more(n: int) -> Line:
    return Line(f"and {n} more", grey=True)


def _layout(head: Sequence[Line], items: Sequence[Sequence[Line]], tail: Sequence[Line], extra: int,
            width: float, height: float, sizes: Sequence[int]) -> tuple[list[Line], int]:
    """The head lines, as many items as fit and the tail lines, at the largest size that fits; the items
    left out (and `extra` ones never offered) are counted in a line "and 4 more"."""
    for k in range(len(items), -1, -1):
        hidden = len(items) - k + extra
        lines = [*head, *(line for item in items[:k] for line in item), *([_more(hidden)] if hidden else []),
                 *tail]
        size = _fit(lines, width, height, sizes)
        if size is not None:
            return lines, size
    return [*head, *tail], sizes[-1]


def _box(slide, box: tuple[float, float, float, float], head: Sequence[Line],
         items: Sequence[Sequence[Line]] = (), tail: Sequence[Line] = (), extra: int = 0,
         sizes: Sequence[int] = BODY_SIZES) -> None:
    """A text box laid out by `_layout`, so that it never runs off its place."""
    left, top, width, height = box
    lines, size = _layout(head, items, tail, extra, width, height, sizes)
    shape = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    _write(shape.text_frame, lines, size)


def _write(frame, lines: Sequence[Line], size: int, anchor=MSO_ANCHOR.TOP) -> None:
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = Inches(INSET)
    for k, line in enumerate(lines):
        p = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
        p.space_after = Pt(round((size + line.step) * SPACE_AFTER))
        p.line_spacing = 1.0
        _run(p, line.text, size + line.step, bold=line.bold, colour=GREY if line.grey else INK)


def _run(p, text: str, size: float, bold: bool = False, colour: str = INK):
    run = p.add_run()
    run.text = printable(text)       # python-pptx turns a vertical tab into a line break; others it refuses
    run.font.size, run.font.bold, run.font.name = Pt(max(size, MIN_PT)), bold, FONT
    run.font.color.rgb = RGBColor.from_string(colour)
    return run


def _heading(slide, text: str, sizes: Sequence[int] = TITLE_SIZES) -> None:
    """The slide's title placeholder, moved to the 16:9 width, at the largest size that fits."""
    title = slide.shapes.title
    title.left, title.top = Inches(MARGIN), Inches(0.3)
    title.width, title.height = Inches(WIDTH - 2 * MARGIN), Inches(0.95)
    line = Line(text, bold=True)
    size = _fit([line], WIDTH - 2 * MARGIN, 0.95, sizes) or sizes[-1]
    frame = title.text_frame
    frame.clear()
    _write(frame, [line], size, anchor=MSO_ANCHOR.MIDDLE)
    frame.paragraphs[0].alignment = PP_ALIGN.LEFT
    frame.paragraphs[0].space_after = Pt(0)


def _footer(slide, left: str, right: str) -> None:
    top = HEIGHT - 0.5
    box = slide.shapes.add_textbox(Inches(MARGIN), Inches(top), Inches(WIDTH - 2 * MARGIN - 1.6), Inches(0.4))
    _write(box.text_frame, [Line(textwrap.shorten(left, 110, placeholder="…"), grey=True)], MIN_PT)
    box = slide.shapes.add_textbox(Inches(WIDTH - MARGIN - 1.5), Inches(top), Inches(1.5), Inches(0.4))
    _write(box.text_frame, [Line(right, grey=True)], MIN_PT)
    box.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT


def _body(width: float = WIDTH - 2 * MARGIN, left: float = MARGIN, top: float = BODY_TOP,
          bottom: float = BODY_BOTTOM) -> tuple[float, float, float, float]:
    return left, top, width, bottom - top


# --- charts -----------------------------------------------------------------------------------------------


def _chart(slide, kind, data: CategoryChartData, box: tuple[float, float, float, float]):
    """A native chart with every text at 14 pt or more, in Arial, without a title (the slide has one)."""
    left, top, width, height = box
    chart = slide.shapes.add_chart(kind, Inches(left), Inches(top), Inches(width), Inches(height),
                                   data).chart
    chart.has_title = False
    chart.font.size, chart.font.name = Pt(MIN_PT), FONT
    for axis in (chart.category_axis, chart.value_axis):
        axis.tick_labels.font.size, axis.tick_labels.font.name = Pt(MIN_PT), FONT
    chart.value_axis.has_major_gridlines = True
    chart.value_axis.major_gridlines.format.line.color.rgb = RGBColor.from_string("DDDDDD")
    return chart


def _legend(chart, position=XL_LEGEND_POSITION.BOTTOM) -> None:
    chart.has_legend = True
    chart.legend.position, chart.legend.include_in_layout = position, False
    chart.legend.font.size, chart.legend.font.name = Pt(MIN_PT), FONT


def _axis_title(axis, text: str) -> None:
    axis.has_title = True
    frame = axis.axis_title.text_frame
    frame.text = ""
    _run(frame.paragraphs[0], text, MIN_PT)


def _labels(plot, number_format: str = "0.00") -> None:
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.font.size, labels.font.name = Pt(MIN_PT), FONT
    labels.number_format, labels.number_format_is_linked = number_format, False
    labels.show_value = True


def _fill(series_or_point, colour: str) -> None:
    series_or_point.format.fill.solid()
    series_or_point.format.fill.fore_color.rgb = RGBColor.from_string(colour.lstrip("#"))


def _top_down(chart) -> None:
    """Horizontal bars in reading order (the first category at the top), the value axis kept below."""
    chart.category_axis.reverse_order = True
    # python-pptx sets where an axis crosses only on the value axis's partner; the value axis itself must
    # cross at the last category (now at the bottom), which is its own c:crosses element.
    value_axis = chart.value_axis._element
    value_axis._remove_crosses()
    value_axis._remove_crossesAt()
    value_axis._add_crosses(val=XL_AXIS_CROSSES.MAXIMUM)
    # Every dimension named: left to itself a reader skips every other label of a tall category axis.
    category_axis = chart.category_axis._element
    skip = category_axis.makeelement(qn("c:tickLblSkip"), {"val": "1"})
    category_axis.find(qn("c:noMultiLvlLbl")).addprevious(skip)


def _two(value) -> str:
    """A figure with two decimals for a sentence, "n/a" when it is missing."""
    v = known(value)
    return "n/a" if v is None else f"{v:.2f}"


def _level(value) -> float | None:
    """A maturity as the deck writes it: two decimals (the tests compare with this rounding)."""
    v = known(value)
    return None if v is None else round(v, 2)


# --- the slides -------------------------------------------------------------------------------------------


def _title(slide, c: Content) -> None:
    a, overall = c.assessment, c.whole.overall
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, Inches(WIDTH), Inches(0.35))
    band.fill.solid()
    band.fill.fore_color.rgb = RGBColor.from_string(CURRENT_COLOUR.lstrip("#"))
    band.line.fill.background()
    _heading(slide, a.name, sizes=(40, 36, 32, 28))
    slide.shapes.title.top, slide.shapes.title.height = Inches(1.6), Inches(1.6)
    lines = [Line(a.organisation or "", step=4, bold=True)] if a.organisation else []
    if a.sponsor_name:
        lines.append(Line(f"Sponsor: {a.sponsor_name}" + (f", {a.sponsor_role}" if a.sponsor_role else "")))
    lines.append(Line(f"Overall maturity {_two(overall['current'])} of {c.questionnaire.scale_max} "
                      f"(level {overall['level']}, {overall['level_name']}); "
                      f"{c.report.respondents} respondents"))
    lines.append(Line(content.day(c.generated), grey=True))
    if content.filters_line(c):
        lines.append(Line(f"View: {content.filters_line(c)}", grey=True))
    _box(slide, (MARGIN, 3.4, WIDTH - 2 * MARGIN, 3.4), lines)


def _method(slide, c: Content) -> None:
    _heading(slide, "Purpose and method")
    a, q = c.assessment, c.questionnaire
    statements = sum(len(d.statements) for d in q.dimensions)
    when = (f" Answers collected {content.day(a.start_date)} to {content.day(a.end_date)}."
            if a.start_date and a.end_date else "")
    left = [Line("Purpose", bold=True),
            Line(a.mission or f"See where {a.organisation or 'the organisation'} stands on running "
                 "projects, where it wants to be, and what the PMO should do first."),
            Line("Method", bold=True),
            Line(f"{q.title} (version {q.version}): {statements} statements in {len(q.dimensions)} "
                 f"dimensions, each rated today and as desired from {q.scale_min} {q.scale[0].label} to "
                 f"{q.scale_max} {q.scale[-1].label}.{when}")]
    half = (WIDTH - 2 * MARGIN - 0.4) / 2
    _box(slide, _body(half), left)
    head = [Line("Who answered", bold=True), Line(content.answered(c))]
    notes = (content.rates_note(c), content.suppressed_sentence(c), _view(c))
    tail = [Line(s, grey=True) for s in notes if s]
    rows = [[Line(text)] for text in content.rate_lines(c)]
    _box(slide, _body(half, left=MARGIN + half + 0.4), head, rows, tail)


def _view(c: Content) -> str:
    return f"This view: {content.filters_line(c)}." if content.filters_line(c) else ""


def _profile(slide, c: Content) -> None:
    _heading(slide, "Maturity profile: current and desired")
    o, q = c.whole.overall, c.questionnaire
    dims = c.whole.dimensions
    data = CategoryChartData(number_format="0.00")
    data.categories = list(dims["name"])
    data.add_series("Current", [_level(v) for v in dims["current"]])
    data.add_series("Desired", [_level(v) for v in dims["desired"]])
    chart_width = 9.6
    chart = _chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, data,
                   (MARGIN, BODY_TOP - 0.1, chart_width, BODY_BOTTOM - BODY_TOP + 0.2))
    _top_down(chart)
    axis = chart.value_axis
    axis.minimum_scale, axis.maximum_scale, axis.major_unit = q.scale_min, q.scale_max, 1
    _axis_title(axis, f"Maturity level ({q.scale_min} {q.scale[0].label} to {q.scale_max} "
                      f"{q.scale[-1].label})")
    _fill(chart.plots[0].series[0], CURRENT_COLOUR)
    _fill(chart.plots[0].series[1], DESIRED_COLOUR)
    chart.plots[0].gap_width = 50
    chart.plots[0].overlap = 0
    _legend(chart, XL_LEGEND_POSITION.RIGHT)
    left = MARGIN + chart_width + 0.3
    _box(slide, (left, BODY_TOP, WIDTH - MARGIN - left, BODY_BOTTOM - BODY_TOP),
         [Line("Overall", bold=True, step=2), Line(f"Now {_two(o['current'])}: {o['level_name']}"),
          Line(f"Desired {_two(o['desired'])}: {o['desired_level_name'] or 'not rated'}"),
          Line(f"Gap {_two(o['gap'])} levels"),
          Line(f"Each dimension is the mean of its statements' ratings on the scale from {q.scale_min} to "
               f"{q.scale_max}.", grey=True)])


def _gaps(slide, c: Content) -> None:
    _heading(slide, "The largest gaps")
    dims = c.whole.dimensions
    dims = dims[dims["gap"].notna()].sort_values("gap", ascending=False)
    top = content.largest_gaps(c)
    chart_width = 8.4
    side = (MARGIN + chart_width + 0.3, BODY_TOP, WIDTH - 2 * MARGIN - chart_width - 0.3,
            BODY_BOTTOM - BODY_TOP)
    if not len(dims):
        _box(slide, _body(), [Line("No dimension has both current and desired scores yet.")])
        return
    data = CategoryChartData(number_format="0.00")
    data.categories = list(dims["name"])
    data.add_series("Gap (desired minus current)", [_level(v) for v in dims["gap"]])
    chart = _chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, data, (MARGIN, BODY_TOP, chart_width,
                                                              BODY_BOTTOM - BODY_TOP))
    _top_down(chart)
    chart.value_axis.minimum_scale = min(0.0, float(dims["gap"].min()))
    _axis_title(chart.value_axis, "Gap in maturity levels (desired minus current)")
    series = chart.plots[0].series[0]
    _fill(series, GAP_COLOUR)
    chart.plots[0].gap_width = 50
    _labels(chart.plots[0])
    chart.plots[0].data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
    matter = set(top["name"])
    for k, name in enumerate(dims["name"]):
        if name in matter:
            _fill(series.points[k], HIGHLIGHT)
    head = [Line("Matter most", bold=True, step=2),
            Line("The largest gaps weighted by how important people rate them (highlighted):", grey=True)]
    items = [[Line(row["name"], bold=True),
              Line(f"gap {row['gap']:.2f}, " + (f"importance {known(row['importance']):.1f} of 5"
                                                if known(row["importance"]) is not None
                                                else "importance not rated"))]
             for _, row in top.iterrows()]
    if not items:
        items = [[Line("No dimension has a positive gap.")]]
    _box(slide, side, head, items)


def _disagreements(slide, c: Content) -> None:
    _heading(slide, "Where stakeholders disagree")
    topics = content.disagreements(c)
    if not len(topics):
        _box(slide, _body(), [Line("Stakeholders broadly agree: no statement's ratings are spread widely "
                                   "enough to flag as a topic to discuss.")])
        return
    many = f"{len(topics)} statements split" if len(topics) > 1 else "One statement splits"
    head = [Line(f"{many} the ratings: topics to discuss before acting.", grey=True)]
    items = [[Line(row["Statement"]),
              Line(f"{row['Dimension']} · ratings spread over {figure(row['IQR'])} levels (IQR), "
                   f"mean {row['Current']:.2f}, n {row['Rated (n)']}", grey=True)]
             for _, row in topics.head(4).iterrows()]
    rule = Line("Flagged when the middle half of the current ratings spans 1.5 levels or more (IQR).",
                grey=True)
    _box(slide, _body(), head, items, [rule], extra=len(topics) - len(items))


def _quotes(slide, c: Content) -> None:
    _heading(slide, "What stakeholders said")
    quotes = content.quotes(c)
    if not len(quotes):
        _box(slide, _body(), [Line("No comments were written, or none short enough to quote.")])
        return
    order = {oq.text: k for k, oq in enumerate(c.questionnaire.comments)}
    quotes = quotes.assign(order=quotes["question"].map(order).fillna(len(order))).sort_values(
        ["order"], kind="stable")
    items, last = [], None
    for _, row in quotes.iterrows():
        lines = [Line(row["question"], bold=True)] if row["question"] != last else []
        last = row["question"]
        items.append([*lines, Line(f"“{row['text']}” ({row['group']})")])
    _box(slide, _body(), [], items)


def _readiness(slide, c: Content) -> None:
    _heading(slide, "Readiness for change")
    r = c.plan.readiness if c.plan is not None else readiness_module.readiness(c.report)
    score = (f"Culture and readiness for change scores {r.score:.2f} (n {r.n})" if r.known
             else "Culture and readiness for change has too few answers to read")
    lines = [Line(r.reading.capitalize(), bold=True, step=16), Line(score), Line(r.pace)]
    if c.plan is not None:
        lines.append(Line(f"Change budget: {figure(c.plan.settings.change_budget)} change-load points per "
                          f"wave, {c.plan.budget_reason}.", grey=True))
    else:
        lines.append(Line(f"Suggested change budget: {r.change_budget} change-load points per wave.",
                          grey=True))
    _box(slide, _body(), lines)


def short_reason(why: str) -> str:
    """The first clause of a recommendation's reason: which gap it closes, without the groups' figures."""
    first = why.split(". ")[0].split("; also")[0]
    return re.sub(r", which (the stakeholder )?groups (see differently|rate alike) \([^)]*\)", "", first)


def _recommendations(slide, c: Content) -> None:
    _heading(slide, "Recommendations")
    top = content.top_recommendations(c)
    if c.plan is None or not top:
        _box(slide, _body(), [Line(NO_PLAN if c.plan is None else "No catalogue entry is recommended.")])
        return
    choices = c.plan.choices
    decided = {r.item: choices[r.item].decision if r.item in choices else "not decided yet" for r in top}
    items = [[Line(f"{r.rank}. {r.name}", bold=True, step=2),
              Line(f"{r.type.capitalize()}, {decided[r.item]}: {short_reason(r.why)}", grey=True)]
             for r in top]
    _box(slide, _body(), [Line(f"The {len(top)} highest ranked entries of the catalogue, with why:",
                               grey=True)], items)


def _roadmap(slide, c: Content) -> None:
    _heading(slide, "Roadmap by wave")
    if not content.placed(c):
        _box(slide, _body(), [Line(content.no_roadmap(c) or NO_PLAN)])
        return
    shown = c.plan.roadmap.waves[:5]
    dates = {n: (start, end) for n, start, end in content.wave_dates(c)}
    names = c.plan.names
    unplaced = content.unplaced(c)
    bottom = BODY_BOTTOM - (0.9 if len(unplaced) else 0)
    gutter = 0.25
    width = (WIDTH - 2 * MARGIN - gutter * (len(shown) - 1)) / len(shown)
    columns = []
    for w in shown:
        start, end = dates[w.number]
        head = [Line(f"Wave {w.number}", bold=True, step=2),
                Line(f"{start.day} {start:%b %Y} to {end.day} {end:%b %Y}", grey=True),
                Line(f"{figure(w.effort)} person-weeks, change load {figure(w.change_load)}", grey=True)]
        entries = [[Line(f"• {names.get(i, i)}")] for i in w.items]
        columns.append((head, entries or [[Line("Nothing placed in this wave", grey=True)]]))
    sizes = (20, 18, 16, 14)
    size = min(_layout(head, items, (), 0, width, bottom - BODY_TOP, sizes)[1] for head, items in columns)
    for k, (head, items) in enumerate(columns):      # one size for every wave, the largest all fit at
        _box(slide, (MARGIN + k * (width + gutter), BODY_TOP, width, bottom - BODY_TOP), head, items,
             sizes=[s for s in sizes if s <= size])
    notes = []
    if len(c.plan.roadmap.waves) > len(shown):
        notes.append(f"and {len(c.plan.roadmap.waves) - len(shown)} more waves")
    if len(unplaced):
        notes.append("Not placed: " + ", ".join(unplaced["Entry"]) + " (see the deployment plan for why)")
    if notes:
        _box(slide, (MARGIN, bottom + 0.05, WIDTH - 2 * MARGIN, BODY_BOTTOM - bottom),
             [Line("; ".join(notes), grey=True)], sizes=(16, 14))


def staffing_frame(c: Content) -> pd.DataFrame:
    """FTE per role (rows, busiest first) and wave (columns), 0 where a role has no work in a wave."""
    table = content.staffing(c)
    if not len(table):
        return pd.DataFrame()
    frame = table.pivot_table(index="Role", columns="Wave", values="FTE", aggfunc="sum", fill_value=0.0)
    frame = frame.reindex(columns=[w.number for w in c.plan.roadmap.waves], fill_value=0.0)
    return frame.loc[frame.sum(axis=1).sort_values(ascending=False).index]


def _staffing(slide, c: Content) -> None:
    _heading(slide, "Staffing the PMO")
    frame = staffing_frame(c) if c.plan is not None else pd.DataFrame()
    if not len(frame):
        _box(slide, _body(), [Line(NO_PLAN if c.plan is None else "No wave asks for PMO effort yet.")])
        return
    roadmap = c.plan.roadmap
    data = CategoryChartData(number_format="0.00")
    data.categories = [f"Wave {n}" for n in frame.columns]
    for role, values in frame.iterrows():
        data.add_series(role, [round(v, 2) if v > 0 else None for v in values])
    chart_width = 8.6
    chart = _chart(slide, XL_CHART_TYPE.COLUMN_STACKED, data,
                   (MARGIN, BODY_TOP, chart_width, BODY_BOTTOM - BODY_TOP))
    _axis_title(chart.value_axis, "Full-time equivalents (FTE)")
    for k, series in enumerate(chart.plots[0].series):
        _fill(series, ROLE_COLOURS[k % len(ROLE_COLOURS)])
    chart.plots[0].gap_width = 60
    _labels(chart.plots[0])
    _legend(chart, XL_LEGEND_POSITION.RIGHT)
    weeks, capacity = roadmap.settings.wave_weeks, roadmap.settings.capacity
    busiest = max(roadmap.waves, key=lambda w: w.fte)
    head = [Line("FTE per wave", bold=True, step=2)]
    items = [[Line(f"Wave {w.number}: {w.fte:.2f} FTE ({figure(w.effort)} person-weeks)")]
             for w in roadmap.waves]
    tail = [Line(f"Busiest: wave {busiest.number}. Capacity {figure(capacity)} person-weeks per wave of "
                 f"{weeks} weeks ({capacity / weeks:.2f} FTE).", grey=True)]
    left = MARGIN + chart_width + 0.3
    _box(slide, (left, BODY_TOP, WIDTH - MARGIN - left, BODY_BOTTOM - BODY_TOP), head, items, tail)


def _decisions(slide, c: Content) -> None:
    _heading(slide, "Decisions asked of the sponsor")
    asks = content.sponsor_decisions(c)
    items = [[Line(f"{k}. {ask}")] for k, ask in enumerate(asks, start=1)]
    head = [] if asks else [Line("No decision is asked yet.")]
    tail = [Line(NO_PLAN, grey=True)] if c.plan is None else []
    _box(slide, _body(), head, items, tail, sizes=(28, 26, 24, 22, 20, 18, 16, 14))
