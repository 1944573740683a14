"""Indonesian working days: weekdays that are not public holidays (``holidays``, country ID).

Used for SLA clocks (DESIGN.md §3: first response critical 2, high 5, medium 10, low 20 working
days). Day boundaries are computed in the Pemda's local zone; results are aware UTC datetimes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays


@cache
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("ID", years=year)


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


def working_days_between(start: datetime, end: datetime, zone: str) -> int:
    """Whole working days after ``start``'s local date up to and including ``end``'s (≥ 0)."""
    tz = ZoneInfo(zone)
    d0, d1 = start.astimezone(tz).date(), end.astimezone(tz).date()
    count, day = 0, d0
    while day < d1:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
