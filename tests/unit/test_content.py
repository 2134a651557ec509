"""reports/content.py without a database: the response rates' rule (rate_rows), which no withheld count
can be worked out from and whose overall rate stays within the invitations."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmostep.foundation.assessments import StakeholderGroup
from pmostep.reports.content import NO_INVITATIONS, OTHER_GROUP, SHOWN, WITHHELD, rate_rows
from tests.conftest import worked_out

M = 5


def status(rates) -> dict[str, tuple]:
    return {r.group: (r.status, r.responded) for r in rates.rows}


def test_small_counts_are_withheld_zero_is_shown_and_a_row_without_invitations_has_no_rate():
    groups = (StakeholderGroup("A", 10), StakeholderGroup("B", 4), StakeholderGroup("C", 3),
              StakeholderGroup("D", 0), StakeholderGroup("E", 6))
    rates = rate_rows(groups, {"A": 8, "B": 3, "C": 2, "D": 6}, shown={"A", "D"}, min_size=M)
    assert status(rates) == {"A": (SHOWN, 8), "B": (WITHHELD, None), "C": (WITHHELD, None),
                             "D": (NO_INVITATIONS, 6), "E": (SHOWN, 0)}
    assert [r.rate for r in rates.rows] == [0.8, None, None, None, 0.0]
    # Withheld rows count in the overall rate (only hidden); D has no invitations, so no part in it.
    assert rates.rate == pytest.approx((8 + 3 + 2 + 0) / (10 + 4 + 3 + 6))
    assert not rates.complement and not rates.rate_withheld


def test_a_lone_withheld_count_gets_a_second_one_so_the_total_does_not_give_it_away():
    """B (3) is the only small row: the total (8 + 3 + 7 = 18) would give it. "Other or not stated"
    (X and Y, 7) is printed nowhere else, so it is withheld too; A's count is in the group tables, so
    withholding it would hide nothing. The overall rate would give B (A + B over 15 invited), so it
    is withheld."""
    groups = (StakeholderGroup("A", 10), StakeholderGroup("B", 5))
    rates = rate_rows(groups, {"A": 8, "B": 3, "X": 4, "Y": 3}, shown={"A"}, min_size=M)
    assert status(rates) == {"A": (SHOWN, 8), "B": (WITHHELD, None), OTHER_GROUP: (WITHHELD, None)}
    assert rates.complement and rates.rate_withheld and rates.rate is None
    assert worked_out(rates, total=18, printed={"A"}) == []


def test_the_overall_rate_stays_when_its_sums_hide_no_single_count():
    """B and C are withheld among the invited groups (their sum is known from the rate, not each); D,
    without invitations, is alone on its side, so "Other or not stated" (8) is withheld with it."""
    groups = (StakeholderGroup("A", 10), StakeholderGroup("B", 5), StakeholderGroup("C", 5),
              StakeholderGroup("D", 0))
    rates = rate_rows(groups, {"A": 8, "B": 2, "C": 3, "D": 3, "X": 3, "Y": 5},
                      shown={"A", "Y"}, min_size=M)
    assert status(rates) == {"A": (SHOWN, 8), "B": (WITHHELD, None), "C": (WITHHELD, None),
                             "D": (WITHHELD, None), OTHER_GROUP: (WITHHELD, None)}
    assert rates.rate == pytest.approx(13 / 20) and rates.complement
    assert worked_out(rates, total=24, printed={"A", "Y"}) == []


def test_respondents_of_groups_without_invitations_stay_out_of_the_rate():
    """6 respondents named a group the Foundation does not list: the rate is A's 5 of 5, not 11 of 5."""
    rates = rate_rows((StakeholderGroup("A", 5),), {"A": 5, "X": 6}, shown={"A", "X"}, min_size=M)
    assert rates.rate == 1.0
    assert status(rates) == {"A": (SHOWN, 5), OTHER_GROUP: (NO_INVITATIONS, 6)}


def test_no_invitations_no_overall_rate():
    rates = rate_rows((StakeholderGroup("A"),), {"A": 7}, shown={"A"}, min_size=M)
    assert rates.rate is None and not rates.rate_withheld
    assert status(rates) == {"A": (NO_INVITATIONS, 7)}


@st.composite
def assessments(draw):
    """Listed groups (invited, responded within it), unlisted values, and which groups the breakdown
    shows: only groups of at least M, and never exactly one group withheld (the publication's blocks
    make the rest of a shown set shown too)."""
    names = [f"G{i}" for i in range(draw(st.integers(1, 5)))]
    invited = [draw(st.integers(0, 15)) for _ in names]
    counts = {n: draw(st.integers(0, i if i else 12)) for n, i in zip(names, invited, strict=True)}
    counts |= {f"O{i}": draw(st.integers(1, 9)) for i in range(draw(st.integers(0, 3)))}
    present = [n for n, k in counts.items() if k]
    shown = {n for n in present if counts[n] >= M and draw(st.booleans())}
    if len(set(present) - shown) == 1:
        shown |= set(present) - {v for v in present if counts[v] < M}
    groups = tuple(StakeholderGroup(n, i) for n, i in zip(names, invited, strict=True))
    return groups, counts, shown


@given(assessments())
def test_no_withheld_count_can_be_worked_out_and_the_rate_stays_within_the_invitations(case):
    groups, counts, shown = case
    if len({v for v, k in counts.items() if k} - shown) == 1:
        return                                  # the publication never leaves one group alone
    rates = rate_rows(groups, counts, shown, M)
    rows = {r.group: r for r in rates.rows}
    for g in groups:
        n = counts[g.name]
        assert rows[g.name].responded in ((None,) if 0 < n < M or (n and g.name not in shown) else (n, None))
    if rates.rate is not None:
        assert 0 <= rates.rate <= 1
        invited = sum(g.invited for g in groups)
        assert rates.rate == pytest.approx(sum(counts[g.name] for g in groups if g.invited) / invited)
    found = worked_out(rates, sum(counts.values()), shown)
    # Only "Other or not stated" may stay alone against the total, and only as the sum of two withheld
    # groups or more, never one group's count.
    others = [v for v in counts if v not in {g.name for g in groups}]
    assert found in ([], [OTHER_GROUP])
    if found:
        assert len([v for v in others if v not in shown]) >= 2
