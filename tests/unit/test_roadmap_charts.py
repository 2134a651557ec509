"""Roadmap figure builders and tables: the traces carry the right values, names (never ids) and axis labels.

The hand roadmap (capacity 10 person-weeks, change budget 5, 3 waves of 10 weeks) is the one of
tests/unit/test_roadmap.py with real dimension ids, names and types:

  wave 1: meth (Methodology framework, product, 6 pw, load 2), rep (Status reporting, service, 3 pw, load 1)
  wave 2: tmpl (Template library, product, 2 pw, load 1, no roles -> "PMO lead"), train (PM training,
          service, 5 pw, load 3)
  wave 3: port (Portfolio review, service, 8 pw, load 3)

Projection: methodology 2.0 -> 2.5 (meth 3) -> 2.65 (tmpl 1) -> 2.65; people 1.0 -> 1.0 -> 1.5 (train 3)
-> 1.8 (port 2); governance 2.5 -> 2.5 -> 2.5 -> 3.0 (port 3, capped at desired 3.0); reporting 3.0 -> 3.3
(rep 2) and stays. tools (current unknown) and risk (current missing) are left out.
Staffing: wave 1 PMO lead 3, Methodology specialist 3, PMO analyst 3 = 9 pw, 0.9 FTE; wave 2 PMO lead 2,
Methodologist 2.5, Trainer 2.5 = 7 pw, 0.7 FTE; wave 3 Portfolio analyst 8 = 8 pw, 0.8 FTE.
"""

from __future__ import annotations

import pytest

from pmostep.deployment.roadmap import Roadmap, Settings, Wave, move, schedule
from pmostep.products.catalogue import Entry
from pmostep.reports import roadmap_charts as rc


def entry(id: str, name: str, type: str, effort: float, load: int, horizon: str = "medium",
          prereqs: tuple[str, ...] = (), dims: dict[str, int] | None = None,
          roles: tuple[str, ...] = ()) -> Entry:
    return Entry(id=id, name=name, type=type, description="", deliverables=(), dimensions=dims or {},
                 maturity_min=1, maturity_max=5, effort=effort, cost_band="low", change_load=load,
                 horizon=horizon, prerequisites=tuple(prereqs), roles=tuple(roles))


ENTRIES = [
    entry("meth", "Methodology framework", "product", 6, 2, dims={"methodology": 3},
          roles=("pmo_lead", "methodology_specialist")),
    entry("tmpl", "Template library", "product", 2, 1, "short", ("meth",), {"methodology": 1}),
    entry("rep", "Status reporting", "service", 3, 1, "short", dims={"reporting": 2}, roles=("pmo_analyst",)),
    entry("train", "PM training", "service", 5, 3, "medium", ("meth",), {"people": 3},
          ("trainer", "Methodologist")),
    entry("port", "Portfolio review", "service", 8, 3, "long", ("rep",), {"governance": 3, "people": 2},
          ("portfolio_analyst",)),
]
BY_ID = {e.id: e for e in ENTRIES}
PRIO = {"meth": 0.9, "tmpl": 0.5, "rep": 0.4, "train": 0.8, "port": 0.7}
CUR = {"methodology": 2.0, "people": 1.0, "governance": 2.5, "reporting": 3.0, "tools": None}
DES = {"methodology": 3.0, "people": 4.0, "governance": 3.0, "reporting": 3.5, "tools": 3.0, "risk": 4.0}
S = Settings(waves=3, wave_weeks=10, capacity=10, change_budget=5)
LEVELS = ["1 Ad hoc", "2 Repeatable", "3 Defined", "4 Managed", "5 Optimised"]


@pytest.fixture(scope="module")
def rm() -> Roadmap:
    r = schedule(ENTRIES, PRIO, CUR, DES, S)
    assert [list(w.items) for w in r.waves] == [["meth", "rep"], ["train", "tmpl"], ["port"]]
    return r


@pytest.fixture(scope="module")
def overridden() -> Roadmap:
    """train moved to wave 1 by the facilitator and kept, though its prerequisite meth lands in wave 2."""
    r = schedule(ENTRIES, PRIO, CUR, DES, move(S, "train", 1, override=True))
    assert [v.item for v in r.violations] == ["train"]
    return r


def empty_roadmap(waves: int = 2) -> Roadmap:
    return schedule([], {}, CUR, DES, Settings(waves=waves, wave_weeks=10, capacity=10, change_budget=5))


def plain(text: str) -> str:
    return text.replace("<br>", " ")


def trace(fig, name: str):
    return next(t for t in fig.data if t.name == name)


# --- timeline ---------------------------------------------------------------------------------------------


def test_timeline_bars_span_their_wave_and_are_named_not_ided(rm):
    fig = rc.timeline(rm, BY_ID)
    product, service = trace(fig, "Product"), trace(fig, "Service")
    labels = [plain(t) for t in fig.layout.yaxis.ticktext]
    assert labels == ["Methodology framework", "Status reporting", "PM training", "Template library",
                      "Portfolio review"]                                       # wave by wave, in wave order
    assert list(fig.layout.yaxis.tickvals) == [0, 1, 2, 3, 4]
    assert fig.layout.yaxis.autorange == "reversed"                          # wave 1 at the top
    # Products: meth (row 0, wave 1) and tmpl (row 3, wave 2); services rep, train, port.
    assert list(product.y) == [0, 3] and list(product.base) == [0, 10] and list(product.x) == [10, 10]
    assert list(service.y) == [1, 2, 4] and list(service.base) == [0, 10, 20]
    assert list(product.text) == ["6 pw · load 2", "2 pw · load 1"]
    assert list(service.text) == ["3 pw · load 1", "5 pw · load 3", "8 pw · load 3"]
    assert [c[0] for c in service.customdata] == ["Status reporting", "PM training", "Portfolio review"]
    assert product.orientation == "h"


def test_timeline_types_differ_by_pattern_and_colour_not_colour_alone(rm):
    fig = rc.timeline(rm, BY_ID)
    product, service = trace(fig, "Product"), trace(fig, "Service")
    assert product.marker.pattern.shape == "" and service.marker.pattern.shape == "/"
    assert product.marker.color != service.marker.color
    assert product.showlegend is not False and service.showlegend is not False


def test_timeline_axis_wave_bands_and_title(rm):
    fig = rc.timeline(rm, BY_ID)
    assert fig.layout.xaxis.title.text == "Weeks from the start"
    assert list(fig.layout.xaxis.range) == [0, 30]
    assert list(fig.layout.xaxis.tickvals) == [0, 10, 20, 30]
    assert [(s.x0, s.x1) for s in fig.layout.shapes] == [(0, 10), (10, 20), (20, 30)]
    assert [a.text for a in fig.layout.annotations] == ["<b>Wave 1</b>", "<b>Wave 2</b>", "<b>Wave 3</b>"]
    assert [a.x for a in fig.layout.annotations] == [5, 15, 25]
    assert fig.layout.yaxis.title.text == "Product or service"
    assert fig.layout.title.text.startswith("Roadmap: when each product and service is delivered")


def test_timeline_marks_overrides(overridden):
    fig = rc.timeline(overridden, BY_ID)
    labels = [plain(t) for t in fig.layout.yaxis.ticktext]
    assert labels == ["PM training", "Status reporting", "Methodology framework", "Template library",
                      "Portfolio review"]
    service = trace(fig, "Service")                                         # train, rep, port
    assert list(service.text) == ["5 pw · load 3 · override", "3 pw · load 1", "8 pw · load 3"]
    assert list(service.marker.line.color) == [rc.OVERRIDE_COLOUR, "#333333", "#333333"]
    assert list(service.marker.line.width) == [4, 0.5, 0.5]
    assert "meth is in wave 2" in service.customdata[0][2]                  # the violation in the hover
    product = trace(fig, "Product")
    assert all(not t.endswith("override") for t in product.text)


def test_timeline_with_only_one_type_has_one_legend_entry():
    only = [e for e in ENTRIES if e.id in ("meth", "tmpl")]
    fig = rc.timeline(schedule(only, PRIO, CUR, DES, S), BY_ID)
    assert [t.name for t in fig.data] == ["Product"]


def test_timeline_is_none_when_nothing_is_placed():
    assert rc.timeline(empty_roadmap(), BY_ID) is None
    too_big = [entry("big", "Big bang", "product", 50, 1)]
    rm = schedule(too_big, {}, CUR, DES, S)
    assert rm.unplaced and rc.timeline(rm, {"big": too_big[0]}) is None


# --- trajectory -------------------------------------------------------------------------------------------


def test_trajectory_projects_each_known_dimension(rm, q):
    fig = rc.trajectory(rm, CUR, DES, q)
    projected = [t for t in fig.data if t.name == "Projected maturity"]
    desired = [t for t in fig.data if t.name == "Desired"]
    # Questionnaire order: methodology, governance, reporting, people (tools and risk have no current).
    assert [t.customdata[0] for t in projected] == ["methodology", "governance", "reporting", "people"]
    assert [list(t.y) for t in projected] == [[2.0, 2.5, 2.65, 2.65], [2.5, 2.5, 2.5, 3.0],
                                              [3.0, 3.3, 3.3, 3.3], [1.0, 1.0, 1.5, 1.8]]
    assert list(projected[0].x) == ["Today", "Wave 1", "Wave 2", "Wave 3"]
    assert list(projected[3].text) == ["", "", "", "1.8"]                  # value at the last point
    assert [list(t.y) for t in desired] == [[3.0] * 4, [3.0] * 4, [3.5] * 4, [4.0] * 4]
    assert desired[0].line.dash == "dash" and projected[0].line.dash in (None, "solid")
    assert list(projected[0].text) == ["", "", "", "2.65"]                 # not rounded to 2.6
    assert projected[0].marker.symbol == "circle" and desired[0].text[0] == "desired 3.0"
    # One legend entry per series, not one per subplot.
    assert [t.showlegend for t in projected] == [True, False, False, False]


def test_trajectory_subplots_titles_and_level_axes(rm, q):
    fig = rc.trajectory(rm, CUR, DES, q)
    titles = [plain(a.text) for a in fig.layout.annotations]
    assert titles == ["Methodology and standards", "Governance and sponsorship",
                      "Performance monitoring and reporting", "People and competencies"]
    assert list(fig.layout.yaxis.ticktext) == LEVELS                        # left column names the levels
    assert fig.layout.yaxis.title.text == "Maturity level (1-5)"
    assert list(fig.layout.yaxis.range) == [0.85, 5.15]
    assert fig.layout.yaxis2.showticklabels is False
    assert list(fig.layout.yaxis4.range) == [0.85, 5.15]
    assert fig.layout.title.text == ("Projected maturity per dimension after each wave, "
                                     "against the desired level")


def test_trajectory_grid_for_twelve_dimensions(q):
    dims = [d.id for d in q.dimensions]
    everywhere = [entry("all", "Everything", "product", 5, 1, dims=dict.fromkeys(dims, 3))]
    cur, des = dict.fromkeys(dims, 1.0), dict.fromkeys(dims, 2.0)
    rm = schedule(everywhere, {}, cur, des, Settings(waves=2, wave_weeks=10, capacity=10, change_budget=5))
    fig = rc.trajectory(rm, cur, des, q)
    assert len(fig.layout.annotations) == 12
    assert fig.layout.yaxis9.showticklabels is True                          # row 3, column 1
    assert fig.layout.yaxis12.showticklabels is False
    assert "yaxis13" not in fig.layout                                       # 3 x 4, not more
    first = trace(fig, "Projected maturity")
    assert list(first.y) == [1.0, 1.5, 1.5]


def test_trajectory_is_none_without_a_known_current(rm, q):
    assert rc.trajectory(rm, {}, DES, q) is None
    assert rc.trajectory(rm, {"methodology": float("nan")}, DES, q) is None


# --- radar ------------------------------------------------------------------------------------------------


def test_wave_radar_today_each_wave_and_desired(rm, q):
    fig = rc.wave_radar(rm, CUR, DES, q)
    assert [t.name for t in fig.data] == ["Today", "End of wave 1", "End of wave 2", "End of wave 3",
                                          "Desired"]
    today, w1, _, w3, desired = fig.data
    assert list(today.r) == [2.0, 2.5, 3.0, 1.0, 2.0]                       # closed loop
    assert list(w1.r) == [2.5, 2.5, 3.3, 1.0, 2.5]
    assert list(w3.r) == [2.65, 3.0, 3.3, 1.8, 2.65]
    assert list(desired.r) == [3.0, 3.0, 3.5, 4.0, 3.0]
    assert [plain(t) for t in today.theta][:4] == ["Methodology and standards", "Governance and sponsorship",
                                                    "Performance monitoring and reporting",
                                                    "People and competencies"]
    assert today.theta[0] == today.theta[-1]
    assert len({t.marker.symbol for t in fig.data}) == 5                     # not colour alone
    assert len({t.line.dash for t in fig.data}) == 5
    assert list(fig.layout.polar.radialaxis.ticktext) == LEVELS
    assert fig.layout.title.text == "Maturity profile today, at the end of each wave, and desired"


def test_wave_radar_is_none_without_projection(rm, q):
    assert rc.wave_radar(rm, {"tools": 2.0}, DES, q) is None               # tools has no projection


# --- staffing ---------------------------------------------------------------------------------------------


def test_staffing_stacks_person_weeks_by_role_name(rm):
    fig = rc.staffing(rm)
    bars = [t for t in fig.data if t.type == "bar"]
    # Largest total first (Portfolio analyst 8, PMO lead 5), ties by name; display names, never ids.
    assert [t.name for t in bars] == ["Portfolio analyst", "PMO lead", "Methodology specialist",
                                      "PMO analyst", "Methodologist", "Trainer"]
    assert list(trace(fig, "PMO lead").y) == [3.0, 2.0, 0.0]      # meth's pmo_lead; tmpl names no role
    assert list(trace(fig, "Portfolio analyst").y) == [0.0, 0.0, 8.0]
    assert list(bars[0].x) == ["Wave 1", "Wave 2", "Wave 3"]
    assert fig.layout.barmode == "stack"
    assert len({t.marker.pattern.shape for t in bars}) == 6                 # patterns, not colour alone
    # Role name written in segments of at least 8% of the y range (10 * 0.08 = 0.8 pw), blank otherwise.
    assert list(trace(fig, "PMO lead").text) == ["PMO lead 3", "PMO lead 2", ""]


def test_staffing_totals_axes_and_capacity(rm):
    fig = rc.staffing(rm)
    total = trace(fig, "Total")
    assert list(total.y) == [9, 7, 8]
    assert list(total.text) == ["9 pw · 0.9 FTE", "7 pw · 0.7 FTE", "8 pw · 0.8 FTE"]
    assert fig.layout.yaxis.title.text == "PMO person-weeks"
    assert fig.layout.xaxis.title.text == "Wave"
    capacity = fig.layout.shapes[0]
    assert capacity.y0 == 10 and capacity.y1 == 10 and capacity.line.dash == "dash"
    assert [a.text for a in fig.layout.annotations] == ["Capacity 10 pw"]
    assert list(fig.layout.yaxis.range) == [0, 12]                           # room above the capacity
    assert fig.layout.title.text == "PMO effort per wave by role, against the capacity per wave"


def test_staffing_of_one_wave_names_a_known_role_and_shows_other_text_as_it_is():
    wave = Wave(number=1, items=("a", "b"), effort=14, change_load=2, projected={},
                roles={"pmo_lead": 6.5, "Data steward": 7.5}, fte=1.08, reasons={})
    rm = Roadmap(settings=Settings(waves=1, wave_weeks=13, capacity=20), waves=[wave], unplaced=[],
                 violations=[])
    fig = rc.staffing(rm)
    assert [(t.name, list(t.y)) for t in fig.data if t.type == "bar"] == [("Data steward", [7.5]),
                                                                           ("PMO lead", [6.5])]
    assert list(trace(fig, "Total").text) == ["14 pw · 1.1 FTE"]
    assert [a.text for a in fig.layout.annotations] == ["Capacity 20 pw"]
    table = rc.staffing_table(rm)
    assert table.to_dict("records") == [
        {"Wave": 1, "Role": "Data steward", "Person-weeks": 7.5, "FTE": 0.58},
        {"Wave": 1, "Role": "PMO lead", "Person-weeks": 6.5, "FTE": 0.5}]


def test_staffing_is_none_without_effort():
    assert rc.staffing(empty_roadmap()) is None


# --- tables -----------------------------------------------------------------------------------------------


def test_staffing_table(rm):
    table = rc.staffing_table(rm)
    assert list(table.columns) == ["Wave", "Role", "Person-weeks", "FTE"]
    assert table.values.tolist() == [
        [1, "Methodology specialist", 3.0, 0.3], [1, "PMO analyst", 3.0, 0.3], [1, "PMO lead", 3.0, 0.3],
        [2, "Methodologist", 2.5, 0.25], [2, "PMO lead", 2.0, 0.2], [2, "Trainer", 2.5, 0.25],
        [3, "Portfolio analyst", 8.0, 0.8]]
    assert rc.staffing_table(empty_roadmap()).columns.tolist() == ["Wave", "Role", "Person-weeks", "FTE"]
    assert rc.staffing_table(empty_roadmap()).empty


def test_waves_table(rm, overridden):
    table = rc.waves_table(rm, BY_ID)
    assert list(table.columns) == ["Wave", "Entry", "Type", "Effort (pw)", "Change load", "Why"]
    assert table[["Wave", "Entry", "Type", "Effort (pw)", "Change load"]].values.tolist() == [
        [1, "Methodology framework", "Product", 6, 2], [1, "Status reporting", "Service", 3, 1],
        [2, "PM training", "Service", 5, 3], [2, "Template library", "Product", 2, 1],
        [3, "Portfolio review", "Service", 8, 3]]
    assert table["Why"].iloc[0] == "No prerequisites and room right away"
    assert table["Why"].iloc[4] == ("After its prerequisite rep (wave 1); "
                                    "wave 2 had only 3 of 10 person-weeks and change load 1 of 5 left")
    kept = rc.waves_table(overridden, BY_ID)
    assert kept["Why"].iloc[0].startswith("Moved here by the facilitator; kept as an override despite")
    empty = rc.waves_table(empty_roadmap(), BY_ID)
    assert empty.empty and list(empty.columns) == list(table.columns)


def test_waves_table_shows_the_workshop_2x2_only_where_there_is_one(rm):
    placed = rc.waves_table(rm, BY_ID, {"rep": "Quick win: value 4.1, effort 2.0, n 23", "unknown": "x"})
    assert list(placed.columns) == ["Wave", "Entry", "Type", "Effort (pw)", "Change load", "Workshop 2x2",
                                    "Why"]
    assert placed.set_index("Entry")["Workshop 2x2"].to_dict() == {
        "Methodology framework": "", "Status reporting": "Quick win: value 4.1, effort 2.0, n 23",
        "PM training": "", "Template library": "", "Portfolio review": ""}
    assert "Workshop 2x2" not in rc.waves_table(rm, BY_ID, {"unknown": "Fill-in: value 2.0, effort 1.0, n 9"})


def test_trajectory_names_its_x_axis_on_the_bottom_row(rm, q):
    fig = rc.trajectory(rm, CUR, DES, q)
    titles = [fig.layout[name].title.text for name in fig.layout if name.startswith("xaxis")]
    assert "End of wave" in titles
