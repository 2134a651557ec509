"""The anonymity rules (core/anonymity.py): any two shown sets of respondents are equal or differ by at
least the minimum.

Property-based: random assessments arriving in random events, random views (filters and breakdowns)
looked at after every event; every pair of shown respondent sets, across views and across time, has a
symmetric difference that is empty or at least the minimum group size. tests/integration/test_anonymity.py
follows the guarantee through the store and scoring.
"""

from __future__ import annotations

import itertools

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmostep.core import anonymity

FIELDS = ("group", "unit", "role")
VALUES = {"group": ["A", "B", "C"], "unit": ["u1", "u2", "u3", "u4"], "role": ["r1", "r2"]}


@st.composite
def assessments_arriving(draw):
    """(minimum size, arrivals as a DataFrame in arrival order) with events of one or many people."""
    k = draw(st.integers(2, 6))
    n = draw(st.integers(0, 40))
    people = [tuple(draw(st.sampled_from(VALUES[f])) for f in FIELDS) for _ in range(n)]
    sizes = draw(st.lists(st.sampled_from([1, 1, 1, 2, 5, 20]), min_size=1, max_size=n + 1))
    events: list[int] = []
    for event, size in enumerate(itertools.cycle(sizes)):
        if len(events) >= n:
            break
        events += [event] * size
    frame = pd.DataFrame(people, columns=list(FIELDS)) if n else pd.DataFrame(columns=list(FIELDS))
    frame.insert(0, "event", events[:n])
    frame.insert(0, "id", range(n))
    return k, frame


views = st.lists(
    st.tuples(st.fixed_dictionaries({f: st.lists(st.sampled_from(VALUES[f]), max_size=3) for f in FIELDS}),
              st.sampled_from([None, *FIELDS])),
    min_size=1, max_size=6)


def shown_sets(pub: anonymity.Publication, filters: dict, by: str | None) -> list[frozenset[int]]:
    """Every respondent set whose figures a view shows: the filtered whole, or each shown group."""
    view = pub.view(filters)
    if view.withheld or not view.members.any():
        return []
    if by is None:
        return [frozenset(pub.ids(view.members))]
    shown = pub.shown_groups(view.members, by)
    return [frozenset(pub.ids(view.members & (pub.table[by] == g).to_numpy())) for g in shown]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(assessments_arriving(), views)
def test_any_two_shown_sets_are_equal_or_differ_by_the_minimum(case, looks):
    k, arrivals = case
    seen: set[frozenset[int]] = set()
    for last in sorted(set(arrivals["event"])) or [None]:
        upto = arrivals if last is None else arrivals[arrivals["event"] <= last]
        pub = anonymity.publication(upto, FIELDS, k)
        for filters, by in looks:
            for members in shown_sets(pub, {f: v for f, v in filters.items() if v}, by):
                assert len(members) >= k
                seen.add(members)
    for one, other in itertools.combinations(seen, 2):
        assert len(one ^ other) >= k, (sorted(one ^ other), k)


@settings(max_examples=50, deadline=None)
@given(assessments_arriving())
def test_blocks_of_early_arrivals_never_change(case):
    k, arrivals = case
    final = anonymity.blocks(_arrivals(arrivals), k)
    for last in sorted(set(arrivals["event"])):
        early = anonymity.blocks(_arrivals(arrivals[arrivals["event"] <= last]), k)
        assert {rid: final[rid] for rid in early} == early
        assert all(n >= k for n in pd.Series(early).value_counts())


def _arrivals(frame: pd.DataFrame):
    return [(r.id, r.event, tuple(getattr(r, f) for f in FIELDS)) for r in frame.itertuples()]


def test_a_batch_keeps_groups_apart_and_a_lone_member_waits():
    """An import: each group large enough gets blocks of its own; a group of one waits."""
    frame = pd.DataFrame({"id": range(12), "event": 0,
                          "group": ["A"] * 6 + ["B"] * 5 + ["C"],
                          "unit": ["u1"] * 12, "role": ["r1"] * 12})
    pub = anonymity.publication(frame, FIELDS, 5)
    assert pub.published == 11 and pub.pending == 1
    assert pub.view({"group": ["A"]}).withheld is None
    assert pub.shown_groups(pub.match({}), "group") == {"A": 6, "B": 5}


def test_survey_answers_join_in_steps_of_the_minimum():
    """One submission at a time: figures move only when a group has the minimum of new people."""
    frame = pd.DataFrame({"id": range(9), "event": range(9), "group": ["A"] * 9,
                          "unit": ["u1"] * 9, "role": ["r1"] * 9})
    published = [anonymity.publication(frame[: i + 1], FIELDS, 4).published for i in range(9)]
    assert published == [0, 0, 0, 4, 4, 4, 4, 8, 8]


def test_refused_filter_says_why_and_what_may_be_shown():
    frame = pd.DataFrame({"id": range(17), "event": 0, "group": ["A"] * 12 + ["B"] * 5,
                          "unit": ["u1"] * 6 + ["u2"] * 3 + ["u3"] * 3 + ["u1"] * 5, "role": "r1"})
    pub = anonymity.publication(frame, FIELDS, 5)
    assert pub.view({"unit": ["u2", "u3"]}).withheld is None      # A's few in u2 and u3: one block
    small = pub.view({"unit": ["u2"]})
    assert small.withheld.startswith("These filters leave 3 published respondents, fewer than the 5")
    split = pub.view({"unit": ["u1", "u2"]})
    assert "split respondents who are only shown together" in split.withheld
    assert split.instead == [{}]                  # every unit is no filter: clear it
    assert pub.view({"group": ["A"], "unit": ["u2"]}).instead == [{"group": ["A"], "unit": ["u2", "u3"]},
                                                                  {"group": ["A"]}]
