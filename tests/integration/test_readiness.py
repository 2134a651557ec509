"""Readiness for change (planning/readiness.py), read from the scores of a stored assessment."""


from pmostep import services
from pmostep.foundation import assessments
from pmostep.planning import readiness, scoring


def test_readiness_reading_bands(con, q):
    a = services.load_demo(con, q)
    reading = readiness.readiness(scoring.score(con, a, q))
    assert reading.known and reading.reading == "moderate" and reading.change_budget == 7
    assert 2.0 <= reading.score < 3.0
    empty = assessments.create(con, "empty", q)
    unknown = readiness.readiness(scoring.score(con, empty, q))
    assert unknown.reading == "unknown" and unknown.change_budget == 4
