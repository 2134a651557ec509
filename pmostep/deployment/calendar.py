"""The wave dates, in one place: the deliverables and the staffing plan date the same waves alike.

Wave 1 starts on a Monday (by default the one after the assessment closes, or after today while it is
open); each wave lasts the roadmap's `wave_weeks`, and the next starts the day after.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from pmostep.foundation.assessments import Assessment


def first_monday_after(day: date) -> date:
    """The Monday after `day` (a Monday gives the next one): when wave 1 starts by default."""
    return day + timedelta(days=7 - day.weekday())


def default_start(a: Assessment, today: date | None = None) -> date:
    """Wave 1 starts on the Monday after the assessment closes (or after today, while it has no end date)."""
    return first_monday_after(a.end_date or today or date.today())


def wave_start(start: date, wave_weeks: int, number: int) -> date:
    """The first day of wave `number` (1-based)."""
    return start + timedelta(weeks=wave_weeks * (number - 1))


def wave_dates(start: date, wave_weeks: int, numbers: Iterable[int]) -> list[tuple[int, date, date]]:
    """(wave, first day, last day) of each wave number, from the start date and the wave length."""
    return [(n, wave_start(start, wave_weeks, n), wave_start(start, wave_weeks, n + 1) - timedelta(days=1))
            for n in numbers]
