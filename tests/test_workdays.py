"""Working-day counting: the prefix-table count equals the plain day-by-day walk it replaced,
for many random date pairs (across year boundaries, holidays and weekends) and zones."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from collab.core.workdays import (
    add_working_days,
    is_working_day,
    working_days_between,
    working_days_in,
)

ZONES = ("Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar", "Asia/Jayapura")


def walk(start: datetime, end: datetime, zone: str) -> int:
    """The former implementation: one day at a time, asking the holiday calendar each day."""
    tz = ZoneInfo(zone)
    d0, d1 = start.astimezone(tz).date(), end.astimezone(tz).date()
    count, day = 0, d0
    while day < d1:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def _instant(rng: random.Random, lo: date, hi: date) -> datetime:
    days = rng.randrange((hi - lo).days + 1)
    base = datetime(lo.year, lo.month, lo.day, tzinfo=UTC) + timedelta(days=days)
    return base + timedelta(seconds=rng.randrange(86400))


def test_matches_day_by_day_walk_for_random_pairs():
    rng = random.Random(20261130)
    lo, hi = date(2023, 1, 1), date(2029, 12, 31)
    for _ in range(3000):
        a, b = _instant(rng, lo, hi), _instant(rng, lo, hi)
        zone = rng.choice(ZONES)
        assert working_days_between(a, b, zone) == walk(a, b, zone), (a, b, zone)


@pytest.mark.parametrize(
    "start, end",
    [
        # around New Year and across several year ends
        (datetime(2025, 12, 31, 16, 59, tzinfo=UTC), datetime(2026, 1, 2, 3, tzinfo=UTC)),
        (datetime(2025, 12, 31, 17, 1, tzinfo=UTC), datetime(2026, 1, 5, 3, tzinfo=UTC)),
        (datetime(2024, 12, 20, tzinfo=UTC), datetime(2027, 1, 10, tzinfo=UTC)),
        # Idul Fitri 2026 (a week of holidays and collective leave around 20-21 March)
        (datetime(2026, 3, 13, 2, tzinfo=UTC), datetime(2026, 3, 31, 2, tzinfo=UTC)),
        # Independence Day on a Monday (17 August 2026)
        (datetime(2026, 8, 14, 2, tzinfo=UTC), datetime(2026, 8, 18, 2, tzinfo=UTC)),
        # same day, reversed, and a leap day
        (datetime(2026, 5, 5, 1, tzinfo=UTC), datetime(2026, 5, 5, 9, tzinfo=UTC)),
        (datetime(2026, 5, 8, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC)),
        (datetime(2028, 2, 27, tzinfo=UTC), datetime(2028, 3, 2, tzinfo=UTC)),
    ],
)
@pytest.mark.parametrize("zone", ZONES)
def test_matches_day_by_day_walk_at_boundaries(start, end, zone):
    assert working_days_between(start, end, zone) == walk(start, end, zone)


def test_every_day_of_several_years_against_the_walk():
    """Each single day (and each start date to one fixed end) of 2025–2027."""
    first = date(2025, 1, 1)
    end = datetime(2027, 12, 31, 12, tzinfo=UTC)
    for i in range(365 * 3):
        d = first + timedelta(days=i)
        start = datetime(d.year, d.month, d.day, 5, tzinfo=UTC)
        assert working_days_in(d - timedelta(days=1), d) == int(is_working_day(d))
        assert working_days_between(start, end, "Asia/Jakarta") == walk(start, end, "Asia/Jakarta")


def test_inverse_of_add_working_days():
    rng = random.Random(7)
    for _ in range(300):
        start = _instant(rng, date(2024, 1, 1), date(2028, 12, 31))
        n = rng.randrange(1, 40)
        zone = rng.choice(ZONES)
        assert working_days_between(start, add_working_days(start, n, zone), zone) == n
