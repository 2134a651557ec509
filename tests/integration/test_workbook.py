"""The Excel workbook of the demo and of an assessment with groups too small to show, opened again with
openpyxl: the sheets in order, the figures of the scores, native charts beside their tables, frozen
headers and filters, raw rows only on request, no internal ids, nothing of a small group's people, and
no cell a spreadsheet would run."""

import dataclasses
import io
import re
import time
import zipfile

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart
from openpyxl.utils import get_column_letter

from pmostep import services
from pmostep.core import safe_cells
from pmostep.reports import content, workbook
from pmostep.store import db
from tests.conftest import FORMULA_REMARK, SMALL_GROUP, SMALL_GROUP_REMARK, gathered
from tests.readers import ooxml_text
from tests.safe_files import LINK, assert_inert_workbook, hostile_assessment

SHEETS = ["Cover", "Foundation", "Dimensions", "Statements", "Stakeholder groups", "Agreement topics",
          "Comments", "Recommendations", "Roadmap", "Not placed", "Workshop rounds", "How computed"]
POOLED = "A group too small to name"


@pytest.fixture(scope="module")
def demo(demo_file) -> content.Content:
    """The demo's content with its raw rows (the shared demo_content has none)."""
    return gathered(demo_file, "demo", raw=True)


@pytest.fixture(scope="module")
def small(small_file) -> content.Content:
    return gathered(small_file, "small", raw=True)


@pytest.fixture(scope="module")
def book(demo):
    """The demo's workbook as a user downloads it: no raw rows."""
    return opened(without_raw(demo))


def opened(c: content.Content):
    return load_workbook(io.BytesIO(workbook.build(c)))


def rows(sheet, header: int) -> pd.DataFrame:
    """The table whose header is on row `header`, down to its first empty row."""
    values = []
    for row in sheet.iter_rows(min_row=header, values_only=True):
        if row[0] is None:
            break
        values.append(row)
    width = next(i for i, v in enumerate([*values[0], None]) if v is None)
    return pd.DataFrame([r[:width] for r in values[1:]], columns=values[0][:width])


def cells(book) -> list[tuple[str, str, str]]:
    """(sheet, coordinate, text) of every text cell."""
    return [(s.title, c.coordinate, c.value) for s in book.worksheets for row in s.iter_rows()
            for c in row if isinstance(c.value, str)]


def without_raw(c: content.Content) -> content.Content:
    return dataclasses.replace(c, raw=None)


def test_the_sheets_come_in_order_and_the_raw_rows_only_on_request(demo, book):
    assert book.sheetnames == SHEETS
    assert opened(demo).sheetnames == [*SHEETS[:-1], "Respondents", "How computed"]


def test_the_dimensions_sheet_holds_the_scores_and_a_native_chart_beside_the_table(demo, book):
    sheet = book["Dimensions"]
    table = rows(sheet, 3)
    dims = demo.whole.dimensions
    assert table["Dimension"].tolist() == dims["name"].tolist()
    for column, field in [("Current", "current"), ("Desired", "desired"), ("Gap", "gap"),
                          ("Gap 95% CI low", "gap_ci_low"), ("Gap 95% CI high", "gap_ci_high"),
                          ("Priority", "priority"), ("Cronbach's alpha", "alpha")]:
        assert table[column].tolist() == pytest.approx(dims[field].round(2).tolist()), column
    assert table["Respondents (n)"].tolist() == dims["n"].tolist()
    assert table["Only N/A"].tolist() == dims["n_na"].tolist()
    assert set(table["People disagree"]) <= {"yes", "no"}
    assert sheet["D4"].number_format == "0.00"              # Current, two decimals
    assert sheet.freeze_panes == "B4" and sheet.auto_filter.ref == f"A3:N{3 + len(dims)}"
    [chart] = sheet._charts
    assert isinstance(chart, BarChart) and len(chart.series) == 2
    assert chart.x_axis.title is not None and chart.y_axis.title is not None
    assert chart.anchor._from.col >= len(table.columns)      # beside the table, not over it
    assert chart.anchor._from.row == 2


def test_the_cover_states_the_index_level_respondents_and_response_rate(demo, book):
    sheet = book["Cover"]
    facts = {r[0]: r[1] for r in sheet.iter_rows(min_row=3, max_row=16, values_only=True) if r[0]}
    overall = demo.whole.overall
    assert facts["Maturity index (1-5)"] == pytest.approx(overall["current"])
    assert facts["Maturity level"] == f"level {overall['level']} of 5: {overall['level_name']}"
    assert facts["Respondents"] == demo.report.respondents == 150
    assert facts["Response rate"] == pytest.approx(content.response_rate(demo))
    assert facts["Questionnaire"] == f"{demo.questionnaire.title}, version {demo.questionnaire.version}"
    assert sheet.sheet_view.showGridLines is False
    rate = next(r for r in sheet.iter_rows(min_row=3) if r[0].value == "Response rate")[1]
    assert rate.number_format == "0%"


def test_a_filtered_view_names_its_filters_on_the_cover(demo_file):
    c = gathered(demo_file, "demo", filters={"group": ["Project manager"]})
    book = opened(c)
    facts = {r[0]: r[1] for r in book["Cover"].iter_rows(min_row=3, max_row=16, values_only=True) if r[0]}
    assert facts["Filters"] == "Stakeholder group: Project manager"
    assert facts["Respondents"] == c.report.respondents < 150
    assert facts["Response rate"] == "not shown for a filtered view"
    assert rows(book["Dimensions"], 3)["Current"].tolist() == pytest.approx(
        c.whole.dimensions["current"].round(2).tolist())


def test_the_foundation_lists_groups_with_invitations_and_response_rates(demo, book):
    sheet = book["Foundation"]
    facts = {r[0].value: r[1].value for r in sheet.iter_rows(min_row=3, max_row=12)}
    assert demo.assessment.pmo_scope == "enterprise"
    assert facts["PMO scope"] == "Enterprise (the whole organisation)"      # as the Foundation page says
    header = next(r[0].row for r in sheet.iter_rows() if r[0].value == "Stakeholder group")
    table = rows(sheet, header)
    assert table["Stakeholder group"].tolist() == [r.group for r in demo.response_rates.rows]
    assert table["Response rate"].tolist() == pytest.approx([r.rate for r in demo.response_rates.rows])
    assert sheet.auto_filter.ref == f"A{header}:D{header + len(table)}"


def test_the_roadmap_sheet_has_its_waves_dates_and_a_chart(demo, book):
    sheet = book["Roadmap"]
    waves = demo.plan.roadmap.waves
    summary = {r[0]: r[1:] for r in sheet.iter_rows(min_row=4, max_row=12, max_col=1 + len(waves),
                                                     values_only=True)}
    assert summary["Wave"] == tuple(f"Wave {w.number}" for w in waves)
    assert [d.date() for d in summary["From"]] == [first for _, first, _ in content.wave_dates(demo)]
    assert list(summary["Effort (pw)"]) == [w.effort for w in waves]
    assert list(summary["FTE"]) == pytest.approx([w.fte for w in waves])
    texts = [v for _, _, v in cells(sheet.parent) if v]
    for heading in ("Entries by wave", "Projected maturity by wave", "Roles and FTE by wave"):
        assert heading in texts
    assert set(content.waves(demo)["Entry"]) <= set(texts)
    assert set(content.staffing(demo)["Role"]) <= set(texts)
    [chart] = sheet._charts
    assert len(chart.series) == 2 and chart.y_axis.title is not None
    assert chart.anchor._from.col >= len(waves) + 1
    assert sheet.auto_filter.ref is not None and sheet.freeze_panes == "A3"


def test_every_table_sheet_freezes_its_header_and_filters(demo):
    book = opened(demo)
    for name in ("Statements", "Agreement topics", "Comments", "Recommendations", "Not placed"):
        assert book[name].freeze_panes == "A4", name
        assert re.fullmatch(r"A3:[A-Z]+\d+", book[name].auto_filter.ref), name
    assert book["Respondents"].freeze_panes == "A5"        # under the note on what the ratings mean
    last = get_column_letter(demo.raw.shape[1])
    assert book["Respondents"].auto_filter.ref == f"A4:{last}{4 + len(demo.raw)}"
    assert book["Statements"].max_row == 2 + 1 + len(demo.whole.statements)


def test_comments_come_as_gathered_and_recommendations_with_their_reasons(demo, book):
    comments = rows(book["Comments"], 3)
    assert comments.values.tolist() == demo.comments[["question", "group", "text"]].values.tolist()
    ranking = rows(book["Recommendations"], 3)
    expected = content.recommendations(demo)
    assert ranking["Entry"].tolist() == expected["Entry"].tolist()
    assert ranking["Why"].tolist() == expected["Why"].tolist() and ranking["Why"].str.len().min() > 20


def test_no_workshop_yet_and_every_round_with_its_workshop(demo, book):
    assert book["Workshop rounds"]["A3"].value == "No workshop yet."
    round_ = pd.DataFrame([("Where are we?", "Rating", 1, 23, "", "Governance and sponsorship", "Mean", 2.4)],
                          columns=list(content.WORKSHOP_COLUMNS.values()))
    book = opened(dataclasses.replace(without_raw(demo), workshops=[("Spring workshop", round_)]))
    table = rows(book["Workshop rounds"], 3)
    assert table.columns[0] == "Workshop" and table["Workshop"].tolist() == ["Spring workshop"]
    assert table["Item"].tolist() == ["Governance and sponsorship"]


def test_without_a_plan_the_planning_sheets_say_why_in_one_row(demo):
    book = opened(dataclasses.replace(without_raw(demo), plan=None))
    for name in ("Recommendations", "Roadmap", "Not placed"):
        texts = [text for sheet, _, text in cells(book) if sheet == name]
        assert len(texts) == 2 and "too few answers to recommend" in texts[1], name
        assert book[name]._charts == []


def test_the_raw_rows_name_statements_by_their_text(demo):
    sheet = opened(demo)["Respondents"]
    assert sheet["A2"].value == (
        "Ratings 1-5; empty is N/A or not answered. Left out, so that no row points to a person: every "
        "profile answer but the stakeholder group, the importance ratings and the comments. The stakeholder "
        "group is empty too for anyone in a group smaller than 5: such groups are never shown, so their "
        "respondents have no profile field at all.")
    headers = [c.value for c in sheet[4] if c.value]
    first = demo.questionnaire.statements[0]
    assert headers[:4] == ["Respondent", "Stakeholder group", f"{first.text} (current)",
                           f"{first.text} (desired)"]
    assert sheet.max_row - 4 == len(demo.raw) == 150


def test_how_computed_is_readable_paragraphs(demo, book):
    sheet = book["How computed"]
    texts = [c.value for c in sheet["A"] if c.value]
    headings = [h for h, _ in content.how_computed()]
    assert [t for t in texts if t in headings] == headings
    body = [c for c in sheet["A"] if isinstance(c.value, str) and len(c.value) > 120]
    assert body and all(c.alignment.wrap_text for c in body)
    assert not any("**" in t or "`" in t for t in texts)
    assert "Priority = max(gap, 0) x importance. A gap of 1.5 in a dimension rated 4 (Very important) has " \
           "priority 6.0." in "\n".join(texts)


def test_no_internal_id_appears(demo):
    text = ooxml_text(workbook.build(demo))
    ids = [s.id for s in demo.questionnaire.statements] + [e.id for e in demo.plan.catalogue.entries
                                                           if "_" in e.id]
    found = [i for i in ids if re.search(rf"\b{re.escape(i)}\b", text)]
    assert not found


def test_the_foundation_gives_every_row_of_the_response_rates_with_its_label_and_the_note(small):
    """The executives and "Other or not stated" (the portfolio managers, not listed) are withheld, with
    the same words as the board report and the slides; the note under the table says why."""
    sheet = opened(small)["Foundation"]
    header = next(r[0].row for r in sheet.iter_rows() if r[0].value == "Stakeholder group")
    table = rows(sheet, header)
    assert table.values.tolist() == [
        ["Project manager", 8, 7, pytest.approx(7 / 8)], ["Project team member", 10, 6, pytest.approx(0.6)],
        [SMALL_GROUP, 3, "withheld", "withheld"],
        ["Other or not stated", "—", "withheld", "not invited by list"]]
    assert table.values.tolist() == content.rate_table(small).values.tolist()
    notes = [v for _, _, v in cells(opened(small)) if v.startswith("Counts of groups below")]
    assert notes == [content.rates_note(small)]
    cover = {r[0]: r[1] for r in opened(small)["Cover"].iter_rows(min_row=3, max_row=16, values_only=True)}
    assert cover["Response rate"] == "withheld"


def test_a_small_group_is_named_only_in_the_suppressed_sentence_and_its_remarks_are_pooled(small):
    data = workbook.build(small)
    sentence = content.suppressed_sentence(small)
    assert SMALL_GROUP in sentence and "Portfolio or programme manager" in sentence
    book = load_workbook(io.BytesIO(data))
    named = [(s, coord, v) for s, coord, v in cells(book) if SMALL_GROUP in v and v != sentence]
    # The Foundation lists it among the invited groups, its counts withheld; nowhere else.
    assert [(s, v) for s, _, v in named] == [("Foundation", SMALL_GROUP)]
    foundation = book["Foundation"]
    row = foundation[int(named[0][1][1:])]
    assert [c.value for c in row[1:4]] == [3, "withheld", "withheld"]
    assert row[1].number_format == "0"                     # invitations are counts
    assert "Portfolio or programme manager" not in ooxml_text(data).replace(sentence, "")
    assert ooxml_text(data).replace(sentence, "").count(SMALL_GROUP) == 1
    comments = rows(book["Comments"], 3)
    remark = comments[comments["Comment"] == SMALL_GROUP_REMARK]
    assert remark["Stakeholder group"].tolist() == [POOLED]
    groups = [v for s, _, v in cells(book) if s == "Stakeholder groups"]
    assert [g for g in groups if g.endswith("respondents)")] == ["Project manager (7 respondents)",
                                                                "Project team member (6 respondents)"]
    raw = rows(book["Respondents"], 4)
    assert set(raw["Stakeholder group"].fillna("")) == {"", "Project manager", "Project team member"}
    assert (raw["Stakeholder group"].isna()).sum() == 5          # the two small groups' five people


def test_a_formula_comment_is_stored_as_text(small):
    book = load_workbook(io.BytesIO(workbook.build(small)))
    [cell] = [c for row in book["Comments"].iter_rows() for c in row if "HYPERLINK" in str(c.value)]
    assert cell.data_type == "s" and cell.value == "'" + FORMULA_REMARK


def test_control_characters_in_a_comment_or_a_name_are_left_out_and_the_workbook_opens(small):
    """A vertical tab pasted from Word made openpyxl refuse the cell: the Reports page showed a traceback."""
    comments = pd.concat([small.comments, pd.DataFrame(
        [{"question": small.comments["question"].iloc[0], "group": POOLED, "text": "a\x0bb"}])],
        ignore_index=True)
    c = dataclasses.replace(small, comments=comments,
                            assessment=dataclasses.replace(small.assessment, name="Small\x1f groups"))
    book = opened(c)
    assert "ab" in rows(book["Comments"], 3)["Comment"].tolist()
    assert book["Cover"]["A1"].value == "Small groups"
    assert not [v for _, _, v in cells(book) if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", v)]


def test_a_hostile_questionnaire_gives_a_workbook_that_runs_nothing(tmp_path):
    hostile_assessment(tmp_path / "hostile.duckdb")
    con = db.connect(tmp_path / "hostile.duckdb")
    a, q = services.assessment_with_questionnaire(con, "hostile")
    data = workbook.build(content.gather(con, a, q, raw=True))
    assert_inert_workbook(data)
    assert "'" + LINK in [v for _, _, v in cells(load_workbook(io.BytesIO(data)))]


def test_the_demo_workbook_builds_within_the_target(demo):
    started = time.perf_counter()
    workbook.build(demo)
    seconds = time.perf_counter() - started
    print(f"workbook of the demo, raw rows included: {seconds:.2f} s")
    assert seconds < 5


def openpyxl_respondents(c: content.Content):
    """The Respondents sheet as workbook.py wrote it before xlsx_rows, every cell through openpyxl (the
    layout helpers it still uses for every other table): what the streamed rows must equal."""
    wb = Workbook()
    workbook._styles(wb)
    ws = wb.active
    workbook._single_table(ws, workbook.raw_table(c), "No respondent is shown.", row=4)
    return load_workbook(io.BytesIO(safe_cells.xlsx_bytes(wb))).active


def cell_looks(sheet, first_row: int) -> dict[str, tuple]:
    """What a reader gets of every cell with a value from `first_row` on: value, type, format, alignment,
    font and fill."""
    return {c.coordinate: (c.value, c.data_type, c.number_format, c.alignment.horizontal,
                           c.alignment.vertical, c.alignment.wrap_text, c.alignment.indent, c.font.b,
                           c.font.color and c.font.color.rgb, c.fill.fgColor.rgb)
            for row in sheet.iter_rows(min_row=first_row) for c in row if c.value is not None}


def assert_same_respondents_sheet(c: content.Content) -> None:
    written = opened(c)["Respondents"]
    reference = openpyxl_respondents(c)
    assert cell_looks(written, 4) == cell_looks(reference, 4)
    assert (written.max_row, written.max_column) == (reference.max_row, reference.max_column)
    assert written.dimensions.split(":")[1] == reference.dimensions.split(":")[1]
    assert {k: d.width for k, d in written.column_dimensions.items()} == \
        {k: d.width for k, d in reference.column_dimensions.items()}
    assert {r: written.row_dimensions[r].height for r in range(4, written.max_row + 1)} == \
        {r: reference.row_dimensions[r].height for r in range(4, reference.max_row + 1)}
    assert written.freeze_panes == reference.freeze_panes == "A5"
    assert written.auto_filter.ref == reference.auto_filter.ref
    assert written.page_setup.orientation == "landscape" and written.sheet_properties.pageSetUpPr.fitToPage


def test_the_respondents_sheet_holds_what_openpyxl_wrote_cell_by_cell(demo):
    assert_same_respondents_sheet(demo)
    data = workbook.build(demo)
    sheet = load_workbook(io.BytesIO(data))["Respondents"]
    assert sheet["A5"].value == 1 and sheet["B5"].alignment.indent == 1      # text apart from the figures
    with zipfile.ZipFile(io.BytesIO(data)) as z:                      # the used range readers are told of
        parts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sum(f'<dimension ref="A1:{get_column_letter(demo.raw.shape[1])}154"/>' in p for p in parts) == 1


def test_hostile_long_and_spaced_groups_and_floats_come_out_as_openpyxl_wrote_them(demo):
    raw = demo.raw.copy()
    texts = [FORMULA_REMARK, "+1-2", "-lean PMO", "@SUM(1)", "\tTAB", "\rCR", "'=already quoted",
             "<b>Tom & Jerry</b> \"quoted\"", "  spaced  ", "line\nbreak", "Über-Größe ∑ 日本", "x" * 200,
             "12"]
    raw.loc[raw.index[:len(texts)], "Stakeholder group"] = texts
    raw[raw.columns[2]] = [float("nan"), -1234.567, 99.999, *range(len(raw) - 3)]   # a column of floats
    c = dataclasses.replace(demo, raw=raw)
    assert_same_respondents_sheet(c)
    assert opened(c)["Respondents"]["C6"].number_format == "0.00"
    shown = [cell.value for cell in opened(c)["Respondents"]["B"][4:4 + len(texts)]]
    assert shown == [safe_cells.cell(t) for t in texts] and shown[0] == "'" + FORMULA_REMARK
    assert opened(c)["Respondents"].row_dimensions[5 + texts.index("x" * 200)].height == 45   # 3 lines


def test_characters_xml_cannot_hold_are_taken_out_before_the_formula_check(demo):
    raw = demo.raw.copy()
    raw.loc[raw.index[:2], "Stakeholder group"] = ["Team\x01A\x0b", "\x00=HYPERLINK(\"http://x\",\"y\")"]
    data = workbook.build(dataclasses.replace(demo, raw=raw))
    sheet = load_workbook(io.BytesIO(data))["Respondents"]
    assert [sheet["B5"].value, sheet["B6"].value] == ["TeamA", "'" + FORMULA_REMARK]
    assert_inert_workbook(data)
