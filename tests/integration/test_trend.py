"""Earlier assessments of an organisation and what changed since."""

from datetime import date

from pmostep.foundation import assessments
from pmostep.planning import scoring, trend
from pmostep.store import responses
from tests.conftest import METH, batch_from_rows, rating_rows


def _assessment(con, q, slug, organisation, start, current=2, **extra):
    a = assessments.create(con, slug, q, name=slug, organisation=organisation, start_date=start,
                           min_group_size=2, **extra)
    keys = {f"{slug}-{i}": True for i in range(3)}
    answers = [row for k in keys for row in rating_rows(k, METH, [current] * 4, [4] * 4)]
    responses.add(con, a, q, batch_from_rows(keys, answers))
    return assessments.get(con, slug)


def test_earlier_assessments_are_the_chain_and_the_same_organisation(con, q):
    first = _assessment(con, q, "acme-2024", "ACME", date(2024, 3, 1))
    second = _assessment(con, q, "acme-2025", " acme ", date(2025, 3, 1))
    renamed = _assessment(con, q, "acme-renamed", "ACME Group", date(2023, 1, 1))
    now = _assessment(con, q, "acme-2026", "ACME", date(2026, 3, 1), previous_assessment_id=renamed.id)
    _assessment(con, q, "acme-2027", "ACME", date(2027, 3, 1))           # later: not earlier
    _assessment(con, q, "other-2025", "Other Ltd", date(2025, 3, 1))    # another organisation
    assert [a.slug for a in assessments.earlier(con, now)] == ["acme-renamed", "acme-2024", "acme-2025"]
    assert [a.slug for a in assessments.earlier(con, first)] == []
    assert [a.slug for a in assessments.earlier(con, second)] == ["acme-2024"]


def test_an_assessment_without_an_organisation_only_follows_its_chain(con, q):
    a = _assessment(con, q, "a", "", date(2024, 1, 1))
    _assessment(con, q, "b", "", date(2025, 1, 1))
    c = _assessment(con, q, "c", "", date(2026, 1, 1), previous_assessment_id=a.id)
    assert [x.slug for x in assessments.earlier(con, c)] == ["a"]


def test_index_series_and_labels(con, q):
    then = _assessment(con, q, "then", "ACME", date(2025, 9, 1), current=2)
    same_month = _assessment(con, q, "also-then", "ACME", date(2025, 9, 20), current=2)
    now = _assessment(con, q, "now", "ACME", date(2026, 9, 1), current=3)
    points = [(a, scoring.score(con, a, q)) for a in (then, same_month, now)]
    series = trend.index_series(points)
    assert series["Assessment"].tolist() == ["Sep 2025 (then)", "Sep 2025 (also-then)", "Sep 2026"]
    assert series["Current"].tolist() == [2.0, 2.0, 3.0] and series["Shown"].all()


def test_an_assessment_below_the_minimum_is_not_shown_in_the_series(con, q):
    a = _assessment(con, q, "small", "ACME", date(2025, 1, 1))
    report = scoring.score(con, a, q, filters={"group": ["Project manager"]})   # nobody: withheld
    series = trend.index_series([(a, report)])
    assert series["Shown"].tolist() == [False] and series["Current"].isna().all()
