"""Business days in a lead's country and time zone: when a nurture touch falls due.

A track step says "n business days after the track starts"; a business day is a weekday
that is no public holiday of the lead's country (the ``holidays`` package's calendars).
A touch falls due at :data:`TOUCH_HOUR` local time on that day, so a lead in Sydney and
one in Chicago both get their touch on *their* Monday morning. Pure functions: the time
zone and country are arguments, nothing is read from the machine.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

__all__ = [
    "TOUCH_HOUR",
    "add_business_days",
    "business_days_between",
    "is_business_day",
    "local_zone",
    "next_business_day",
    "public_holiday",
    "touch_due_at",
]

#: Touches fall due at this local time of their business day.
TOUCH_HOUR = time(9, 0)
# The longest run of days off any calendar has (Chinese New Year + weekends ~ 10 days):
# a search that finds no business day within this many days has found a bad calendar.
_MAX_DAYS_OFF = 60


@lru_cache(maxsize=512)
def _calendar(country: str, year: int) -> frozenset[date]:
    try:
        found = holidays.country_holidays(country, years=year)
    except NotImplementedError:  # a country the package has no calendar for
        return frozenset()
    return frozenset(found.keys())


def public_holiday(day: date, country: str | None) -> bool:
    """Whether ``day`` is a public holiday in ``country`` (ISO 3166 alpha-2; None or an
    unknown country: no holidays known)."""
    if not country:
        return False
    return day in _calendar(country.upper(), day.year)


def is_business_day(day: date, country: str | None) -> bool:
    return day.weekday() < 5 and not public_holiday(day, country)


def next_business_day(day: date, country: str | None) -> date:
    """``day`` itself when it is a business day, else the first one after it."""
    for _ in range(_MAX_DAYS_OFF):
        if is_business_day(day, country):
            return day
        day += timedelta(days=1)
    raise ValueError(f"No business day within {_MAX_DAYS_OFF} days of {day} in {country}.")


def add_business_days(start: date, days: int, country: str | None) -> date:
    """The business day ``days`` business days after ``start`` (0: ``start`` itself, or
    the next business day when it is none)."""
    if days < 0:
        raise ValueError(f"A touch cannot fall due before its track starts ({days} days).")
    day = next_business_day(start, country)
    for _ in range(days):
        day = next_business_day(day + timedelta(days=1), country)
    return day


def business_days_between(start: date, end: date, country: str | None) -> int:
    """How many business days lie in ``[start, end)`` (0 when ``end`` is not after
    ``start``)."""
    count = 0
    day = start
    while day < end:
        if is_business_day(day, country):
            count += 1
        day += timedelta(days=1)
    return count


def local_zone(zones: str | tuple[str, ...] | list[str]) -> ZoneInfo:
    """The first valid zone of a lead's zones (space-separated or listed); UTC without."""
    names = zones.split() if isinstance(zones, str) else list(zones)
    for name in names:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return ZoneInfo("UTC")


def touch_due_at(
    starts_at: datetime, days: int, zone: ZoneInfo, country: str | None, at: time = TOUCH_HOUR
) -> datetime:
    """When a touch ``days`` business days after ``starts_at`` falls due (UTC): at ``at``
    local time on that business day in the lead's zone and country. Day 0 of a track that
    starts after ``at`` on a business day is that very moment (a day-0 touch is due at once)."""
    if starts_at.tzinfo is None:
        raise ValueError(f"naive datetime {starts_at!r}: pass an aware (UTC) datetime")
    local_start = starts_at.astimezone(zone)
    day = add_business_days(local_start.date(), days, country)
    due = datetime.combine(day, at, tzinfo=zone).astimezone(UTC)
    if day == local_start.date() and due < starts_at:
        return starts_at.astimezone(UTC)
    return due
