"""The roadmap scheduler against roadmaps worked out by hand, then its invariants on random catalogues.

The hand catalogue (capacity 10 person-weeks, change budget 5, 3 waves of 10 weeks):

  id     effort load horizon prerequisites  priority  dimensions            roles
  meth     6     2   medium  -              0.9       gov 3                 PMO lead, Methodologist
  tmpl     2     1   short   meth           0.5       gov 1                 (none -> PMO lead)
  rep      3     1   short   -              0.4       gov 2                 PMO analyst
  train    5     3   medium  meth           0.8       people 3              Trainer, Methodologist
  port     8     3   long    rep            0.7       gov 3, people 2       Portfolio manager

Queue (topological; higher priority first, then quick win = short first, then effort x load): meth (0.9)
before rep (0.4) -> both wave 1 (9 pw, load 3). Then train (0.8) and tmpl (0.5) after meth -> wave 2 (7 pw,
load 4). port (long, 24) after rep: wave 2 has 3 pw and load 1 left -> wave 3.
Projection from gov 2.0 / people 1.0 towards 3.0 / 4.0: wave 1 gov 2 + 0.5 + 0.3 = 2.8; wave 2 + 0.15 = 2.95,
people 1 + 0.5 = 1.5; wave 3 gov 2.95 + 0.5 = 3.45 -> capped at 3.0, people 1.5 + 0.3 = 1.8.
Staffing: wave 1 PMO lead 3, Methodologist 3, PMO analyst 3 = 9 pw / 10 weeks = 0.9 FTE; wave 2 PMO lead 2,
Methodologist 2.5, Trainer 2.5 = 0.7 FTE; wave 3 Portfolio manager 8 = 0.8 FTE.
"""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from pmostep.deployment.roadmap import LIFT, Settings, check_move, move, schedule
from pmostep.products.catalogue import HORIZONS, Entry


def entry(id: str, effort: float = 1, load: int = 1, horizon: str = "medium", prereqs: tuple[str, ...] = (),
          dims: dict[str, int] | None = None, roles: tuple[str, ...] = ()) -> Entry:
    return Entry(id=id, name=id.title(), type="service", description="", deliverables=(),
                 dimensions=dims or {}, maturity_min=1, maturity_max=5, effort=effort, cost_band="low",
                 change_load=load, horizon=horizon, prerequisites=tuple(prereqs), roles=tuple(roles))


HAND = [
    entry("meth", 6, 2, "medium", dims={"gov": 3}, roles=("PMO lead", "Methodologist")),
    entry("tmpl", 2, 1, "short", ("meth",), {"gov": 1}),
    entry("rep", 3, 1, "short", dims={"gov": 2}, roles=("PMO analyst",)),
    entry("train", 5, 3, "medium", ("meth",), {"people": 3}, ("Trainer", "Methodologist")),
    entry("port", 8, 3, "long", ("rep",), {"gov": 3, "people": 2}, ("Portfolio manager",)),
]
PRIO = {"meth": 0.9, "tmpl": 0.5, "rep": 0.4, "train": 0.8, "port": 0.7}
CUR = {"gov": 2.0, "people": 1.0, "tools": None}
DES = {"gov": 3.0, "people": 4.0, "tools": 3.0}
S = Settings(waves=3, wave_weeks=10, capacity=10, change_budget=5)


def items(rm) -> list[list[str]]:
    return [list(w.items) for w in rm.waves]


def reasons(rm) -> dict[str, str]:
    return {u.item: u.reason for u in rm.unplaced}


def hand(**changes) -> object:
    from dataclasses import replace
    return schedule(HAND, PRIO, CUR, DES, replace(S, **changes))


# --- hand-worked ------------------------------------------------------------------------------------------


def test_hand_catalogue_waves_figures_and_reasons():
    rm = hand()
    assert items(rm) == [["meth", "rep"], ["train", "tmpl"], ["port"]]
    assert [w.effort for w in rm.waves] == [9, 7, 8]
    assert [w.change_load for w in rm.waves] == [3, 4, 3]
    assert rm.unplaced == [] and rm.violations == []
    w3 = rm.waves[2]
    assert w3.reasons["port"] == ("wave 3: after its prerequisite rep (wave 1); "
                                  "wave 2 had only 3 of 10 person-weeks and change load 1 of 5 left")
    assert rm.waves[1].reasons["tmpl"] == "wave 2: after its prerequisite meth (wave 1) and room right away"
    assert rm.waves[0].reasons["rep"] == "wave 1: no prerequisites and room right away"


def test_projection_accumulates_lifts_and_is_capped_at_desired():
    rm = hand()
    assert [w.projected["gov"] for w in rm.waves] == [2.8, 2.95, 3.0]       # 3.45 capped at 3.0
    assert [w.projected["people"] for w in rm.waves] == [1.0, 1.5, 1.8]
    assert [w.projected["tools"] for w in rm.waves] == [None, None, None]  # current unknown
    assert LIFT == {1: 0.15, 2: 0.3, 3: 0.5}


def test_projection_never_below_current_and_unknown_desired_gives_none():
    rm = schedule(HAND, PRIO, {"gov": 4.0, "people": 2.0}, {"gov": 3.0, "people": math.nan}, S)
    assert [w.projected["gov"] for w in rm.waves] == [4.0, 4.0, 4.0]
    assert [w.projected["people"] for w in rm.waves] == [None, None, None]


def test_staffing_splits_effort_over_roles_and_fte_is_effort_per_week():
    rm = hand()
    assert rm.waves[0].roles == {"Methodologist": 3.0, "PMO analyst": 3.0, "PMO lead": 3.0}
    assert rm.waves[1].roles == {"Methodologist": 2.5, "pmo_lead": 2.0, "Trainer": 2.5}
    assert rm.waves[2].roles == {"Portfolio manager": 8.0}
    assert [w.fte for w in rm.waves] == [0.9, 0.7, 0.8]
    assert hand(wave_weeks=13).waves[0].fte == round(9 / 13, 2)


def test_json_contract():
    d = json.loads(json.dumps(hand(pins={"rep": 2}).to_dict()))
    assert set(d) >= {"waves", "unplaced", "settings", "violations"}
    w = d["waves"][0]
    assert set(w) >= {"number", "items", "effort", "change_load", "projected", "fte", "roles", "reasons"}
    assert w["number"] == 1 and w["projected"]["tools"] is None
    assert d["settings"] == {"waves": 3, "wave_weeks": 10, "capacity": 10, "change_budget": 5,
                             "pins": {"rep": 2}, "moves": {}, "overrides": []}


def test_priority_comes_first_then_quick_wins_then_id():
    one_a_wave = Settings(waves=2, capacity=5, change_budget=5)
    slow = entry("a", 4, 1, "long")
    quick = entry("b", 4, 1, "short")
    rm = schedule([slow, quick], {"a": 0.9, "b": 0.1}, {}, {}, one_a_wave)
    assert items(rm) == [["a"], ["b"]]                       # the recommendation score leads
    assert items(schedule([slow, quick], {}, {}, {}, one_a_wave)) == [["b"], ["a"]]   # equal: short first
    light, heavy = entry("c", 4, 1, "short"), entry("d", 3, 2, "short")   # 4 against 6 effort x load
    assert items(schedule([heavy, light], {"d": 1.0}, {}, {}, one_a_wave)) == [["d"], ["c"]]
    assert items(schedule([heavy, light], {}, {}, {}, one_a_wave)) == [["c"], ["d"]]   # equal: lighter first
    e, f = entry("e", 4, 1, "short"), entry("f", 4, 1, "short")
    assert items(schedule([e, f], {"e": 0.2, "f": 0.8}, {}, {}, one_a_wave)) == [["f"], ["e"]]
    assert items(schedule([f, e], {}, {}, {}, one_a_wave)) == [["e"], ["f"]]


def test_an_entry_needed_before_a_pin_jumps_the_quick_wins():
    ents = [entry("y", 4, 1, "long"), entry("q", 4, 1, "short"), entry("z", 1, 1, "short", ("y",))]
    rm = schedule(ents, {}, {}, {}, Settings(waves=2, capacity=5, change_budget=5, pins={"z": 2}))
    assert items(rm) == [["y"], ["z", "q"]]
    assert rm.waves[0].reasons["y"].endswith("; needed before z (pinned to wave 2)")


def test_unplaced_reasons_of_every_kind():
    s = Settings(waves=3, capacity=10, change_budget=5, pins={"far": 5}, moves={"early": 0})
    ents = [
        entry("orphan", prereqs=("ghost",)), entry("orphans", prereqs=("ghost", "spook")),
        entry("child", prereqs=("orphan",)),
        entry("big", 12), entry("heavy", 1, 6), entry("huge", 11, 7),
        entry("far"), entry("early"),
        entry("c1", prereqs=("c2",)), entry("c2", prereqs=("c1",)), entry("after", prereqs=("c1",)),
        entry("self", prereqs=("self",)),
    ]
    r = reasons(schedule(ents, {}, {}, {}, s))
    assert r == {
        "orphan": "needs ghost, which is not chosen",
        "orphans": "needs ghost and spook, which are not chosen",
        "child": "needs orphan, which could not be placed",
        "big": "too large for any wave: 12 person-weeks against a capacity of 10",
        "heavy": "too large for any wave: change load 6 against a change budget of 5",
        "huge": "too large for any wave: 11 person-weeks against a capacity of 10 and change load 7 against "
                "a change budget of 5",
        "far": "pinned to wave 5, but there are only waves 1-3",
        "early": "moved to wave 0, but there are only waves 1-3",
        "c1": "its prerequisites form a cycle: c1 -> c2 -> c1",
        "c2": "its prerequisites form a cycle: c2 -> c1 -> c2",
        "after": "needs c1, which could not be placed",
        "self": "its prerequisites form a cycle: self -> self",
    }


def test_budgets_too_tight_and_no_wave_left():
    s = Settings(waves=3, capacity=10, change_budget=5)
    six = [entry(f"s{k}", 6, 1, prereqs=("root",)) for k in range(4)] + [entry("root", 1)]
    rm = schedule(six, {}, {}, {}, s)
    assert items(rm) == [["root"], ["s0"], ["s1"]]
    assert reasons(rm) == {"s2": "budgets too tight: no wave from 2 on has room for 6 person-weeks and "
                                 "change load 1",
                           "s3": "budgets too tight: no wave from 2 on has room for 6 person-weeks and "
                                 "change load 1"}
    chain = [entry("a"), entry("b", prereqs=("a",)), entry("c", prereqs=("b",)), entry("d", prereqs=("c",)),
             entry("e", prereqs=("d",))]
    rm = schedule(chain, {}, {}, {}, s)
    assert items(rm) == [["a"], ["b"], ["c"]]
    assert reasons(rm) == {"d": "no wave left after its prerequisite c (wave 3, the last)",
                           "e": "needs d, which could not be placed"}


def test_pins_are_honoured_and_the_rest_flows_around_them():
    rm = hand(pins={"rep": 2})
    assert items(rm) == [["meth"], ["rep", "train", "tmpl"], ["port"]]
    assert rm.waves[1].reasons["rep"] == "wave 2: pinned in the settings"
    assert hand(pins={"tmpl": 3}).wave_of("tmpl") == 3


def test_a_pin_breaking_the_rules_is_unplaced_with_the_reason():
    rm = hand(pins={"tmpl": 1})
    assert reasons(rm) == {
        "tmpl": "pinned to wave 1, but its prerequisite meth comes in wave 1 at the earliest"}
    rm = hand(pins={"port": 3, "train": 3})
    assert rm.wave_of("port") == 3
    assert reasons(rm) == {"train": "pinned to wave 3, but wave 3 has only 2 of 10 person-weeks and change "
                                    "load 2 of 5 left"}
    rm = hand(pins={"meth": 2, "tmpl": 2})
    assert reasons(rm)["tmpl"] == "pinned to wave 2, but its prerequisite meth is in wave 2"


def test_a_pin_whose_prerequisite_finds_no_room_before_it_is_unplaced_and_the_plan_rebuilt():
    ents = [entry("big", 10), entry("rep", 3), entry("port", 1, prereqs=("rep",))]
    rm = schedule(ents, {}, {}, {}, Settings(waves=3, capacity=10, pins={"big": 1, "port": 2}))
    assert reasons(rm) == {
        "port": "pinned to wave 2, but rep, which must come before it, finds no room in wave 1"}
    assert items(rm) == [["big"], ["rep"], []]


def test_an_override_is_placed_anyway_and_stays_visible():
    rm = hand(pins={"port": 3, "train": 3}, overrides=frozenset({"train"}))
    assert items(rm)[2] == ["port", "train"]
    assert rm.waves[2].effort == 13                                   # over the capacity of 10, knowingly
    assert [(v.item, v.wave, v.reason) for v in rm.violations] == [
        ("train", 3, "wave 3 has only 2 of 10 person-weeks and change load 2 of 5 left")]
    assert rm.waves[2].reasons["train"] == (
        "wave 3: pinned in the settings; kept as an override despite: "
        "wave 3 has only 2 of 10 person-weeks and change load 2 of 5 left")
    assert rm.to_dict()["violations"] == [{"item": "train", "wave": 3, "reason": rm.violations[0].reason}]


def test_an_override_never_pushes_out_a_plain_pin():
    # "atrain" sorts (and comes topologically) before "port": still the plain pin keeps its place.
    ents = [*HAND, entry("atrain", 5, 3)]
    s = Settings(waves=3, capacity=10, change_budget=5, pins={"port": 3, "atrain": 3},
                 overrides=frozenset({"atrain"}))
    rm = schedule(ents, PRIO, CUR, DES, s)
    assert rm.waves[2].items == ("port", "atrain")
    assert [v.item for v in rm.violations] == ["atrain"]


def test_an_override_pin_before_its_prerequisite_records_the_order_violation():
    ents = [entry("big", 10), entry("rep", 3), entry("port", 8, prereqs=("rep",))]
    s = Settings(waves=3, capacity=10, pins={"big": 1, "port": 2}, overrides=frozenset({"port"}))
    rm = schedule(ents, {}, {}, {}, s)
    assert items(rm) == [["big"], ["port"], ["rep"]]
    assert [(v.item, v.wave, v.reason) for v in rm.violations] == [
        ("port", 2, "its prerequisite rep is in wave 3, not before wave 2")]


def test_check_move_accepts_a_clean_move_and_the_rest_reflows():
    assert check_move(HAND, PRIO, S, "rep", 2) == []
    # wave 2 holds 7 pw; a static check would refuse 8 more, but tmpl and train simply flow around port.
    assert check_move(HAND, PRIO, S, "port", 2) == []
    rm = schedule(HAND, PRIO, CUR, DES, move(S, "port", 2))
    assert items(rm) == [["rep", "meth"], ["port", "tmpl"], ["train"]]
    assert rm.waves[1].reasons["port"] == "wave 2: moved here by the facilitator"


def test_check_move_reports_capacity_prerequisites_and_dependents():
    assert check_move(HAND, PRIO, S, "port", 1) == [
        "moved to wave 1, but its prerequisite rep comes in wave 1 at the earliest"]
    pinned = move(S, "port", 3)
    assert check_move(HAND, PRIO, pinned, "train", 3) == [
        "moved to wave 3, but wave 3 has only 2 of 10 person-weeks and change load 2 of 5 left"]
    tmpl_fixed = Settings(waves=3, wave_weeks=10, capacity=10, change_budget=5, pins={"tmpl": 2})
    # meth in wave 2 (6 pw) pushes train to wave 3 (5 pw), and port (8 pw, after rep) then fits nowhere.
    assert check_move(HAND, PRIO, tmpl_fixed, "meth", 2) == [
        "port could no longer be placed: budgets too tight: no wave from 2 on has room for 8 person-weeks "
        "and change load 3",
        "tmpl could no longer be placed: pinned to wave 2, but its prerequisite meth is in wave 2"]
    assert check_move(HAND, PRIO, S, "nope", 1) == ["nope is not among the chosen entries"]
    assert check_move(HAND, PRIO, S, "rep", 4) == ["there is no wave 4: the roadmap has waves 1-3"]


def test_moving_anyway_keeps_the_dependents_pin_and_shows_the_violation():
    tmpl_fixed = Settings(waves=3, wave_weeks=10, capacity=10, change_budget=5, pins={"tmpl": 2})
    s = move(tmpl_fixed, "meth", 2, override=True)
    assert s.moves == {"meth": 2} and s.overrides == {"meth"}
    rm = schedule(HAND, PRIO, CUR, DES, s)
    assert rm.wave_of("meth") == 2 and rm.wave_of("tmpl") == 2 and rm.wave_of("train") == 3
    assert [(v.item, v.wave, v.reason) for v in rm.violations] == [
        ("meth", 2, "tmpl, which needs it, is in wave 2, not after wave 2")]
    assert reasons(rm) == {"port": "budgets too tight: no wave from 2 on has room for 8 person-weeks and "
                                   "change load 3"}
    undone = move(s, "meth", None)
    assert undone.moves == {} and undone.overrides == frozenset()


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="listed twice"):
        schedule([entry("a"), entry("a")], {}, {}, {}, S)
    with pytest.raises(ValueError, match="waves"):
        Settings(waves=0)


# --- properties -------------------------------------------------------------------------------------------

DIMS = ("gov", "people", "tools")
ROLES = ("PMO lead", "Analyst", "Coach")
EFFORTS = (0.5, 1, 1, 2, 2, 3, 3, 4.5, 6, 8, 13)     # skewed small, so most entries fit
LOADS = (1, 1, 2, 2, 3, 5)
MATURITY = st.one_of(st.none(), st.just(math.nan), st.sampled_from([1.0, 1.5, 2.2, 3.0, 3.7, 4.5, 5.0]))


@st.composite
def problems(draw, overrides: bool = False) -> tuple:
    """A random acyclic accepted catalogue (prerequisites only on earlier entries, sometimes on an entry
    that is not chosen), with priorities, maturities and settings including pins, moves and overrides."""
    entries: list[Entry] = []
    for k in range(draw(st.integers(1, 14))):
        earlier = [e.id for e in entries]
        prereqs = draw(st.lists(st.sampled_from(earlier), max_size=3, unique=True)) if earlier else []
        if draw(st.integers(0, 15)) == 0:
            prereqs.append("ghost")
        entries.append(entry(
            f"e{k:02d}", draw(st.sampled_from(EFFORTS)), draw(st.sampled_from(LOADS)),
            draw(st.sampled_from(HORIZONS)),
            tuple(prereqs), draw(st.dictionaries(st.sampled_from(DIMS), st.integers(1, 3))),
            tuple(draw(st.lists(st.sampled_from(ROLES), max_size=3)))))
    ids = [e.id for e in entries]
    waves = draw(st.integers(1, 5))
    s = Settings(
        waves=waves, wave_weeks=draw(st.sampled_from([6, 10, 13])),
        capacity=draw(st.sampled_from([3, 6, 8, 10, 12.5, 20])), change_budget=draw(st.integers(2, 10)),
        pins=draw(st.dictionaries(st.sampled_from(ids), st.integers(0, waves + 1), max_size=5)),
        moves=draw(st.dictionaries(st.sampled_from(ids), st.integers(1, waves), max_size=3)),
        overrides=frozenset(draw(st.sets(st.sampled_from(ids), max_size=4))) if overrides else frozenset())
    priority = draw(st.dictionaries(st.sampled_from(ids), st.sampled_from([0.0, 0.25, 0.5, 0.9])))
    current = {d: draw(MATURITY) for d in DIMS}
    desired = {d: draw(MATURITY) for d in DIMS}
    return entries, priority, current, desired, s


def room(e: Entry, wave, s: Settings, by_id) -> bool:
    used = sum(by_id[i].effort for i in wave.items)
    load = sum(by_id[i].change_load for i in wave.items)
    return used + e.effort <= s.capacity + 1e-9 and load + e.change_load <= s.change_budget + 1e-9


def assert_invariants(entries, current, desired, s: Settings, rm) -> None:
    by_id = {e.id: e for e in entries}
    at = rm.placement()
    why = reasons(rm)
    placed = [i for w in rm.waves for i in w.items]
    # every accepted entry is placed once or unplaced once, with a reason
    assert sorted(placed + list(why)) == sorted(by_id)
    assert all(why.values())
    pinned = {i: w for i, w in s.pinned().items() if i in by_id}
    forced = {i for i in pinned if i in s.overrides}
    broken = {(v.item, v.wave) for v in rm.violations}
    assert {v.item for v in rm.violations} <= forced
    assert all(at.get(v.item) == v.wave for v in rm.violations)
    if not s.overrides:
        assert rm.violations == []
    assert [w.number for w in rm.waves] == list(range(1, s.waves + 1))
    for w in rm.waves:
        effort = sum(by_id[i].effort for i in w.items)
        load = sum(by_id[i].change_load for i in w.items)
        assert w.effort == pytest.approx(effort, abs=0.01) and w.change_load == load
        if effort > s.capacity + 1e-9 or load > s.change_budget + 1e-9:      # only an override may do this
            assert any((i, w.number) in broken for i in w.items)
        assert w.fte == pytest.approx(effort / s.wave_weeks, abs=0.006)
        assert sum(w.roles.values()) == pytest.approx(effort, abs=0.01 * (len(w.roles) + 1))
        assert all(w.reasons[i].startswith(f"wave {w.number}: ") for i in w.items)
    for i, wave in at.items():
        for p in by_id[i].prerequisites:
            assert p in at, (i, p)                       # a placed entry's prerequisites are all placed
            if at[p] >= wave:                            # ... strictly earlier, unless an override says so
                assert (i, wave) in broken or (p, at[p]) in broken
    for i, wave in pinned.items():                       # pins hold, or the entry is unplaced with a reason
        assert at.get(i) == wave or i in why
    waves = {w.number: w for w in rm.waves}
    for i, wave in at.items():                           # greedy: no earlier admissible wave had room
        if i in pinned:
            continue
        earliest = max((at[p] for p in by_id[i].prerequisites), default=0) + 1
        assert earliest <= wave
        assert not any(room(by_id[i], waves[w], s, by_id) for w in range(earliest, wave))
    for i, reason in why.items():                        # "budgets too tight" is true of the final roadmap
        if reason.startswith("budgets too tight"):
            earliest = max((at[p] for p in by_id[i].prerequisites), default=0) + 1
            assert not any(room(by_id[i], waves[w], s, by_id) for w in range(earliest, s.waves + 1))
    for d in set(current) | set(desired):                # projection: monotone, within current..desired
        c, g = current.get(d), desired.get(d)
        series = [w.projected[d] for w in rm.waves]
        if c is None or g is None or math.isnan(c) or math.isnan(g):
            assert series == [None] * s.waves
        else:
            assert series == sorted(series)
            assert all(round(c, 2) <= v <= max(c, g) + 1e-9 for v in series)


def shuffled_inputs(data, entries, priority, current, desired, s: Settings) -> tuple:
    """The same problem with every order changed: entries, dictionaries, pins and moves."""
    rev = lambda m: dict(reversed(list(m.items())))  # noqa: E731
    again = Settings(waves=s.waves, wave_weeks=s.wave_weeks, capacity=s.capacity,
                     change_budget=s.change_budget, pins=rev(s.pins), moves=rev(s.moves),
                     overrides=frozenset(reversed(sorted(s.overrides))))
    return data.draw(st.permutations(entries)), rev(priority), rev(current), rev(desired), again


PROPS = hyp_settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(problem=problems(), data=st.data())
def test_invariants_without_overrides(problem, data):
    entries, priority, current, desired, s = problem
    rm = schedule(entries, priority, current, desired, s)
    assert_invariants(entries, current, desired, s, rm)
    assert schedule(entries, priority, current, desired, s).to_dict() == rm.to_dict()
    again = schedule(*shuffled_inputs(data, entries, priority, current, desired, s))
    assert json.dumps(again.to_dict()) == json.dumps(rm.to_dict())


@PROPS
@given(problem=problems(overrides=True), data=st.data())
def test_invariants_with_overrides(problem, data):
    entries, priority, current, desired, s = problem
    rm = schedule(entries, priority, current, desired, s)
    assert_invariants(entries, current, desired, s, rm)
    again = schedule(*shuffled_inputs(data, entries, priority, current, desired, s))
    assert json.dumps(again.to_dict()) == json.dumps(rm.to_dict())


@hyp_settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=problems(), data=st.data())
def test_check_move_tells_the_truth(problem, data):
    entries, priority, current, desired, s = problem
    item = data.draw(st.sampled_from([e.id for e in entries]))
    wave = data.draw(st.integers(1, s.waves))
    found = check_move(entries, priority, s, item, wave)
    before = schedule(entries, priority, current, desired, s)
    after = schedule(entries, priority, current, desired, move(s, item, wave))
    if not found:                                         # a clean move lands and hurts nobody
        assert after.wave_of(item) == wave
        assert set(reasons(after)) <= set(reasons(before))
    else:
        assert after.wave_of(item) != wave or set(reasons(after)) - set(reasons(before))
    forced = schedule(entries, priority, current, desired, move(s, item, wave, override=True))
    assert_invariants(entries, current, desired, move(s, item, wave, override=True), forced)


def test_reasons_name_entries_by_name_when_names_are_given():
    entries = [entry("meth", effort=5), entry("tmpl", effort=5, prereqs=("meth",)),
               entry("orphan", prereqs=("ghost",))]
    names = {"meth": "Project methodology", "tmpl": "Template library", "ghost": "Ghost service"}
    rm = schedule(entries, {}, {}, {}, Settings(waves=3, capacity=5), names=names)
    assert rm.waves[1].reasons["tmpl"].startswith(
        "wave 2: after its prerequisite Project methodology (wave 1)")
    assert {u.item: u.reason for u in rm.unplaced}["orphan"] == "needs Ghost service, which is not chosen"
    problems = check_move(entries, {}, Settings(waves=3, capacity=5), "tmpl", 1, names=names)
    assert any("its prerequisite Project methodology" in p for p in problems)


def test_an_override_that_pushes_dependents_off_stays_visible():
    ents = [entry("a", 2), entry("b", 2, prereqs=("a",)), entry("c", 2, prereqs=("b",))]
    s = Settings(waves=2, capacity=10, change_budget=10, moves={"a": 2}, overrides=frozenset({"a"}))
    rm = schedule(ents, {}, {}, {}, s)
    assert rm.wave_of("a") == 2 and {u.item for u in rm.unplaced} == {"b", "c"}
    assert [(v.item, v.wave) for v in rm.violations] == [("a", 2), ("a", 2)]
    assert rm.violations[0].reason.startswith("b, which needs it, is not placed (")
    assert "kept as an override despite: b, which needs it" in rm.waves[1].reasons["a"]
