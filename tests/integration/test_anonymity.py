"""The anonymity guarantee through the store and scoring, on real DuckDB files (the rules themselves:
tests/unit/test_anonymity.py).

The issue's attack: executives minus executives in four of five business units; blocks stored once
and withdrawn with their import; and, property-based, the rated sets of any two shown figures are
equal or differ by at least the minimum.
"""

from __future__ import annotations

import itertools
import os

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmostep.core import anonymity
from pmostep.foundation import assessments
from pmostep.planning import scoring
from pmostep.store import db, questionnaires, responses
from tests.conftest import METH, batch_from_rows, rating_rows


def _executives(con, q):
    """The issue's case: 8 executives, one of them in Sales; 20 project managers; one import."""
    a = assessments.create(con, "exec", q, name="Executives", min_group_size=5)
    units = ["Operations", "Finance and Administration", "IT and Digital", "Engineering",
             "Sales and Customer Service"]
    people = {f"x{i}": ("Executive or sponsor", units[i % 4] if i < 7 else units[4]) for i in range(8)}
    people |= {f"p{i}": ("Project manager", units[i % 5]) for i in range(20)}
    answers = [row for key in people for row in rating_rows(
        key, METH, [4, 4, 3, 2] if key == "x7" else [2, 2, 2, 3], [5, 5, 5, 5])]
    profile = [(key, field, value) for key, (grp, unit) in people.items()
               for field, value in (("group", grp), ("business_unit", unit))]
    responses.add(con, a, q, batch_from_rows(dict.fromkeys(people, True), answers, profile=profile))
    return a


def test_executives_minus_four_units_cannot_expose_the_one_in_sales(con, q):
    a = _executives(con, q)
    executives = scoring.score(con, a, q, filters={"group": ["Executive or sponsor"]})
    assert executives.whole.respondents == 8
    others = ["Operations", "Finance and Administration", "IT and Digital", "Engineering"]
    narrowed = scoring.score(con, a, q, filters={"group": ["Executive or sponsor"], "business_unit": others})
    assert narrowed.whole is None and narrowed.groups == []
    assert "split respondents who are only shown together" in narrowed.withheld
    doc = narrowed.to_dict()
    assert doc["withheld"] == narrowed.withheld and doc["overall"] is None
    assert {"group": ["Executive or sponsor"]} in doc["allowed_instead"]
    # The answer counts of the narrowed view are withheld too, and so are its comments.
    assert scoring.distribution(con, a, q, "methodology",
                                {"group": ["Executive or sponsor"], "business_unit": others}).empty
    # A breakdown of the executives by unit shows no unit: each is a part of one block.
    by_unit = scoring.score(con, a, q, by="business_unit", filters={"group": ["Executive or sponsor"]})
    assert by_unit.groups == [] and "Sales and Customer Service" in by_unit.suppressed


def test_a_colleague_submitting_alone_does_not_move_the_figures(con, q):
    """A facilitator watching the Overview while one known colleague submits learns nothing."""
    a = _executives(con, q)
    before = scoring.score(con, a, q)
    session_batch = batch_from_rows({"late": True}, rating_rows("late", METH, [5, 5, 5, 5], [5, 5, 5, 5]),
                                    profile=[("late", "group", "Project manager")])
    session_batch.respondents["source"] = "survey"         # submitted now, after the import
    later = pd.Timestamp.now(tz="UTC").tz_localize(None) + pd.Timedelta("1h")
    session_batch.respondents["completed_at"] = later
    responses.add(con, a, q, session_batch)
    after = scoring.score(con, a, q)
    assert after.respondents == before.respondents and after.pending == before.pending + 1
    assert after.to_dict()["dimensions"] == before.to_dict()["dimensions"]


def _one(con, a, q, key: str, group: str = "Project manager", completed: str = "2026-01-05 09:30") -> None:
    """Store one response (as a survey submission would) and read the figures, as a watching page does."""
    batch = batch_from_rows({key: True}, rating_rows(key, METH, [2, 2, 2, 2], [4, 4, 4, 4]),
                            profile=[(key, "group", group)])
    batch.respondents["completed_at"] = pd.Timestamp(completed)
    responses.add(con, a, q, batch)
    scoring.score(con, a, q)


def _published(con, a, q) -> set[int]:
    pub = scoring.publication(con, a, q)
    return set(pub.ids(pub.match({})))


def test_blocks_are_stored_and_later_arrivals_never_reorder_them(con, q):
    """Published blocks come from the order answers were taken in, not from any clock: an import of
    an old response after three survey answers cannot push one of them out of the figures."""
    a = assessments.create(con, "order", q, min_group_size=3)
    for i in range(3):
        _one(con, a, q, f"s{i}", completed=f"2026-03-0{i + 1} 10:00")
    first = _published(con, a, q)
    assert len(first) == 3
    _one(con, a, q, "old", completed="2020-01-01 00:00")          # completed long before, arrives last
    assert _published(con, a, q) == first
    assert scoring.score(con, a, q).pending == 1


def test_an_undone_import_withdraws_the_block_it_was_in(con, q):
    """Two survey answers wait; a one-row import completes their block; undoing it must not show the
    two again beside later answers (their block's figures were seen with the third person)."""
    a = assessments.create(con, "undo", q, min_group_size=3)
    _one(con, a, q, "s1")
    _one(con, a, q, "s2")
    batch = batch_from_rows({"imp": True}, rating_rows("imp", METH, [5, 5, 5, 5], [5, 5, 5, 5]),
                            profile=[("imp", "group", "Project manager")])
    ids = responses.add(con, a, q, batch)
    con.execute("UPDATE respondents SET import_batch_id = 99 WHERE id = ?", [ids["imp"]])
    assert len(_published(con, a, q)) == 3
    with db.transaction(con) as cur:
        responses.delete_import(cur, 99)
    for key in ("s3", "s4"):
        _one(con, a, q, key)
    assert _published(con, a, q) == set()                        # s1, s2 withdrawn; s3, s4 wait
    _one(con, a, q, "s5")
    assert len(_published(con, a, q)) == 3                       # s3, s4, s5: a new block of their own


def test_the_minimum_group_size_is_fixed_once_responses_are_published(con, q):
    a = assessments.create(con, "fixed", q, min_group_size=3)
    assessments.update(con, "fixed", min_group_size=4)           # nothing published yet: allowed
    for i in range(4):
        _one(con, a, q, f"s{i}")
    with pytest.raises(assessments.AssessmentError, match="minimum group size stays 4 once responses"):
        assessments.update(con, "fixed", min_group_size=2)
    assessments.update(con, "fixed", min_group_size=4, name="Renamed")      # the same size: fine


# Counted ratings (docs/scoring.md, "Groups and anonymity" rule 3): within a shown view, a statement's
# figures use the ratings of the blocks where at least the minimum of people rated it. Written here as
# a model; the property test checks the model's rater sets, and that scoring (its SQL) gives the
# model's counts and sums.
GROUPS = ["Project manager", "Executive or sponsor", "Project team member"]
UNITS = ["Operations", "Finance and Administration", "IT and Digital"]
RATING = st.sampled_from([1, 2, 3, 4, 5, "NA", None])


@st.composite
def rated_assessments(draw):
    """(minimum, people as (key, group, unit, event), their current ratings of METH)."""
    k = draw(st.integers(2, 4))
    n = draw(st.integers(0, 24))
    events = sorted(draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)))
    people = [(f"p{i}", draw(st.sampled_from(GROUPS)), draw(st.sampled_from(UNITS)), events[i])
              for i in range(n)]
    ratings = {key: draw(st.lists(RATING, min_size=4, max_size=4)) for key, *_ in people}
    return k, people, ratings


store_views = st.lists(
    st.tuples(st.fixed_dictionaries({"group": st.lists(st.sampled_from(GROUPS), max_size=2),
                                     "business_unit": st.lists(st.sampled_from(UNITS), max_size=2)}),
              st.sampled_from([None, "group"])),
    min_size=1, max_size=4)


def counted_raters(pub: anonymity.Publication, members: frozenset[int], rated: set[int],
                   k: int) -> frozenset[int]:
    """The model: raters of the view whose block has at least k raters (a block lies wholly inside
    a shown view, so its raters are counted over the whole block)."""
    blocks = pub.table["block"]
    inside = [rid for rid in members if rid in rated]
    per_block = pd.Series([blocks[rid] for rid in inside], dtype="int64").value_counts()
    return frozenset(rid for rid in inside if per_block[blocks[rid]] >= k)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(rated_assessments(), store_views)
def test_rated_sets_of_shown_figures_are_equal_or_differ_by_the_minimum(db_path, q, case, looks):
    k, people, ratings = case
    path = db_path.with_name(f"rated-{os.getpid()}-{next(_examples)}.duckdb")
    con = db.connect(path)
    try:
        questionnaires.register(con, q)
        a = assessments.create(con, "rated", q, min_group_size=k)
        id_of: dict[str, int] = {}
        rated_sets: dict[str, set[frozenset[int]]] = {s: set() for s in METH}
        for _, batch_people in itertools.groupby(people, key=lambda p: p[3]):
            batch_people = list(batch_people)
            answers = [row for key, *_ in batch_people for row in rating_rows(key, METH, ratings[key],
                                                                               [4, 4, 4, 4])]
            profile = [(key, f, v) for key, grp, unit, _ in batch_people
                       for f, v in (("group", grp), ("business_unit", unit))]
            id_of |= responses.add(con, a, q, batch_from_rows(
                {key: True for key, *_ in batch_people}, answers, profile=profile))
            pub = scoring.publication(con, a, q)
            for filters, by in looks:
                chosen = {f: v for f, v in filters.items() if v}
                report = scoring.score(con, a, q, by=by, filters=chosen, published=pub)
                for group in report.groups:
                    keep = pub.view(chosen).members
                    if by:
                        keep = keep & (pub.table[by] == group.group).to_numpy()
                    members = frozenset(pub.ids(keep))
                    for i, sid in enumerate(METH):
                        rated = {id_of[key] for key, *_ in people
                                 if key in id_of and isinstance(ratings[key][i], int)}
                        expected = counted_raters(pub, members, rated, k)
                        row = group.statements.set_index("id").loc[sid]
                        assert row["n"] == len(expected), (sid, group.group)
                        total = sum(ratings[key][i] for key, rid in id_of.items() if rid in expected)
                        if len(expected) >= k:
                            assert row["current"] * row["n"] == pytest.approx(total)
                        rated_sets[sid].add(expected)
        for sets in rated_sets.values():
            for one, other in itertools.combinations(sets, 2):
                assert len(one ^ other) >= k, (sorted(one ^ other), k)
    finally:
        con.close()
        path.unlink(missing_ok=True)


_examples = itertools.count()


def test_a_lone_rater_in_a_block_is_held_back_in_every_view(con, q):
    """The thin-statement attack: all executives minus the executives who are not in Sales. The
    executives' blocks are shown either way, but the one rater of meth_4 in a block of five is
    never counted, so no difference of two views gives their rating."""
    a = assessments.create(con, "thin", q, min_group_size=5)
    people = ({f"x{i}": "Executive or sponsor" for i in range(10)}
              | {f"p{i}": "Project manager" for i in range(5)})
    answers = [row for key in people for row in rating_rows(
        key, METH, [3, 3, 3, 5 if key == "x0" else "NA"], [4, 4, 4, 4])]
    responses.add(con, a, q, batch_from_rows(dict.fromkeys(people, True), answers,
                                                profile=[(key, "group", g) for key, g in people.items()]))
    whole = scoring.score(con, a, q)
    executives = scoring.score(con, a, q, filters={"group": ["Executive or sponsor"]})
    for report in (whole, executives):
        meth_4 = report.whole.statements.set_index("id").loc["meth_4"]
        assert (meth_4["n"], meth_4["n_held"]) == (0, 1) and meth_4["suppressed"]
    assert "5" not in scoring.distribution(con, a, q, "methodology")["answer"].tolist()
