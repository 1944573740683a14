"""Indonesian working days: weekdays that are not public holidays (``holidays``, country ID).

Used for SLA clocks (DESIGN.md §3: first response critical 2, high 5, medium 10, low 20 working
days). Day boundaries are computed in the Pemda's local zone; results are aware UTC datetimes.

Counting is O(years), not O(days): each year's running count of working days (a prefix table,
built once per year from the holiday calendar and cached) gives the working days between two
dates by subtraction, so a clock months overdue costs the same as one due tomorrow.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays


@cache
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("ID", years=year)


@cache
def _prefix(year: int) -> tuple[int, ...]:
    """``t[i]``: working days among the first ``i`` days of ``year`` (``t[0] == 0``; the last
    entry is the year's total). Built once per year (365/366 look-ups), then cached."""
    off = _holidays(year)
    day = date(year, 1, 1)
    counts = [0]
    while day.year == year:
        counts.append(counts[-1] + (day.weekday() < 5 and day not in off))
        day += timedelta(days=1)
    return tuple(counts)


def _upto(day: date) -> int:
    """Working days from 1 January of ``day``'s year up to and including ``day``."""
    return _prefix(day.year)[day.timetuple().tm_yday]


def is_working_day(day: date) -> bool:
    """True for Monday–Friday that is not an Indonesian public holiday."""
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: datetime, days: int, zone: str) -> datetime:
    """Deadline ``days`` working days after ``start`` (aware), at 23:59:59 local time of that
    day in ``zone`` (IANA name), returned in UTC. The start day itself never counts."""
    tz = ZoneInfo(zone)
    day = start.astimezone(tz).date()
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return datetime.combine(day, time(23, 59, 59), tzinfo=tz).astimezone(UTC)


def working_days_in(d0: date, d1: date) -> int:
    """Working days after ``d0`` up to and including ``d1`` (calendar dates; 0 when
    ``d1 <= d0``). O(number of years spanned), from cached per-year prefix counts."""
    if d1 <= d0:
        return 0
    if d0.year == d1.year:
        return _upto(d1) - _upto(d0)
    count = _prefix(d0.year)[-1] - _upto(d0)
    for year in range(d0.year + 1, d1.year):
        count += _prefix(year)[-1]
    return count + _upto(d1)


def working_days_between(start: datetime, end: datetime, zone: str) -> int:
    """Whole working days after ``start``'s local date up to and including ``end``'s (≥ 0)."""
    tz = ZoneInfo(zone)
    return working_days_in(start.astimezone(tz).date(), end.astimezone(tz).date())
