"""The wave dates (pmostep/deployment/calendar.py), worked by hand: the deliverables and the staffing
plan read them from here."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

from pmostep.deployment import calendar
from pmostep.foundation.assessments import Assessment

A = Assessment(1, "a", "A", "", "enterprise", "", "", "", None, "", "open", "q", 1, 5, None, None,
               datetime(2026, 1, 1))


def test_wave_one_starts_on_the_monday_after_the_assessment_closes():
    assert calendar.first_monday_after(date(2026, 9, 21)) == date(2026, 9, 28)   # a Monday: the next one
    assert calendar.first_monday_after(date(2026, 9, 26)) == date(2026, 9, 28)   # a Saturday
    closed = dataclasses.replace(A, end_date=date(2026, 9, 23))
    assert calendar.default_start(closed, today=date(2027, 1, 1)) == date(2026, 9, 28)
    assert calendar.default_start(A, today=date(2026, 12, 2)) == date(2026, 12, 7)     # open: after today


def test_each_wave_lasts_its_weeks_and_the_next_starts_the_day_after():
    assert calendar.wave_dates(date(2026, 9, 28), 13, [1, 2, 4]) == [
        (1, date(2026, 9, 28), date(2026, 12, 27)),
        (2, date(2026, 12, 28), date(2027, 3, 28)),
        (4, date(2027, 6, 28), date(2027, 9, 26))]
    assert calendar.wave_start(date(2026, 9, 28), 2, 3) == date(2026, 10, 26)
