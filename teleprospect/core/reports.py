"""The rules the team lead's reports are read by: the filter every report takes, how rows
are grouped, the speed-to-lead buckets, and when a lead arrived "during calling hours".

Pure: the services turn these into SQL (the calling windows and UTC offsets become
expressions on each row), so the rule is written once, here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from teleprospect.core.errors import Invalid
from teleprospect.core.queue_policy import CallingHours

__all__ = [
    "EPOCH_WEEKDAY",
    "FAST_FIRST_CALL",
    "SPEED_BUCKETS",
    "Grouping",
    "ReportError",
    "ReportFilter",
    "calling_windows",
    "day_of",
    "offset_segments",
    "rate",
    "utc_days",
    "week_number",
    "week_of",
]

#: "Called within 5 minutes of arrival": the odds of reaching a lead fall about 100×
#: when the first call comes at 30 minutes instead of 5.
FAST_FIRST_CALL = timedelta(minutes=5)

#: The histogram of time to first attempt: (column name, header, upper bound in seconds);
#: the last bucket has no bound, and leads never called have their own column.
SPEED_BUCKETS: tuple[tuple[str, str, int | None], ...] = (
    ("within_5m", "≤ 5 min", 5 * 60),
    ("within_30m", "5–30 min", 30 * 60),
    ("within_1h", "30–60 min", 60 * 60),
    ("within_4h", "1–4 h", 4 * 3600),
    ("within_1d", "4–24 h", 24 * 3600),
    ("within_3d", "1–3 days", 3 * 86400),
    ("later", "> 3 days", None),
)

#: 1 January 1970 was a Thursday: days since the epoch + 3, modulo 7, is Monday = 0.
EPOCH_WEEKDAY = 3

#: The longest date range a report covers: a calling window a day for every zone set is
#: joined as a small table, which must stay small.
MAX_RANGE = timedelta(days=3 * 366)


class ReportError(Invalid):
    """A report asked for with a filter it cannot have; the message is one sentence."""


class Grouping(StrEnum):
    """What a report's rows are: one per campaign, lead source, rep, day or week."""

    CAMPAIGN = "campaign"
    SOURCE = "source"
    REP = "rep"
    DAY = "day"
    WEEK = "week"


@dataclass(frozen=True, slots=True)
class ReportFilter:
    """A date range (``start`` ≤ t < ``end``, UTC) and the campaigns, lead sources, reps
    and countries (ISO codes) to keep; an empty tuple keeps all."""

    start: datetime
    end: datetime
    campaign_ids: tuple[int, ...] = ()
    sources: tuple[str, ...] = ()
    rep_ids: tuple[int, ...] = ()
    countries: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for moment in (self.start, self.end):
            if moment.tzinfo is None:
                raise ReportError(f"The report's dates need a time zone ({moment:%Y-%m-%d}).")
        object.__setattr__(self, "start", self.start.astimezone(UTC))
        object.__setattr__(self, "end", self.end.astimezone(UTC))
        if self.end <= self.start:
            raise ReportError(
                f"The report's range must end after it starts "
                f"({self.start:%Y-%m-%d} to {self.end:%Y-%m-%d})."
            )
        if self.end - self.start > MAX_RANGE:
            raise ReportError("A report covers at most three years; choose a shorter range.")
        object.__setattr__(self, "countries", tuple(c.upper() for c in self.countries))

    @classmethod
    def days(cls, first: date, last: date, **filters: tuple[object, ...]) -> ReportFilter:
        """From the start of ``first`` to the end of ``last`` (UTC), both included."""
        if last < first:
            raise ReportError(f"The report's range must end after it starts ({first} to {last}).")
        start = datetime(first.year, first.month, first.day, tzinfo=UTC)
        end = datetime(last.year, last.month, last.day, tzinfo=UTC) + timedelta(days=1)
        return cls(start, end, **filters)  # type: ignore[arg-type]


def rate(part: int, whole: int) -> float | None:
    """``part / whole`` rounded to 4 places; None when there is nothing to divide."""
    return round(part / whole, 4) if whole else None


def day_of(days_since_epoch: int) -> date:
    return date(1970, 1, 1) + timedelta(days=days_since_epoch)


def week_of(weeks: int) -> date:
    """The Monday that starts week number ``weeks`` (weeks since the epoch's Monday)."""
    return date(1970, 1, 1) + timedelta(days=weeks * 7 - EPOCH_WEEKDAY)


def utc_days(f: ReportFilter) -> list[tuple[int, datetime, datetime]]:
    """The UTC days the range touches: (days since 1970, from, until), cut to the range."""
    found = []
    day = f.start.replace(hour=0, minute=0, second=0, microsecond=0)
    while day < f.end:
        following = day + timedelta(days=1)
        number = (day.date() - date(1970, 1, 1)).days
        found.append((number, max(day, f.start), min(following, f.end)))
        day = following
    return found


def week_number(day_number: int) -> int:
    """The Monday-based week (since 1970) of a day since 1970."""
    return (day_number + EPOCH_WEEKDAY) // 7


def _zones(names: Iterable[str]) -> list[ZoneInfo]:
    found = []
    for name in names:
        try:
            found.append(ZoneInfo(name))
        except (ZoneInfoNotFoundError, ValueError):
            return []
    return found


def _local_windows(
    zone: ZoneInfo, hours: CallingHours, start: datetime, end: datetime
) -> Iterator[tuple[datetime, datetime]]:
    first = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date() + timedelta(days=1)
    day = first
    while day <= last:
        if day.weekday() in hours.weekdays:
            opens = datetime.combine(day, hours.start, zone).astimezone(UTC)
            closes = datetime.combine(day, hours.end, zone).astimezone(UTC)
            if closes > start and opens < end:
                yield max(opens, start), min(closes, end)
        day += timedelta(days=1)


def calling_windows(
    zone_names: str, hours: CallingHours, start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """The UTC intervals within [start, end) when a lead whose call zones are
    ``zone_names`` (space-separated, as stored) may be called: inside the team's calling
    hours in **every** one of its zones. Empty when the zones are unknown."""
    zones = _zones(zone_names.split())
    if not zones:
        return []
    windows = list(_local_windows(zones[0], hours, start, end))
    for zone in zones[1:]:
        other = list(_local_windows(zone, hours, start, end))
        windows = [
            (max(a0, b0), min(a1, b1))
            for a0, a1 in windows
            for b0, b1 in other
            if max(a0, b0) < min(a1, b1)
        ]
    return windows


def offset_segments(
    zone_names: str, start: datetime, end: datetime
) -> list[tuple[datetime, datetime, int]]:
    """The UTC intervals covering [start, end) in which the first of ``zone_names`` keeps
    one UTC offset, each with that offset in seconds: the lead's local time is UTC plus it.
    Empty when the zone is unknown."""
    zones = _zones(zone_names.split()[:1])
    if not zones:
        return []
    zone = zones[0]
    segments: list[tuple[datetime, datetime, int]] = []
    at = start
    while at < end:
        offset = _offset(zone, at)
        step = min(at.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1), end)
        while step < end and _offset(zone, step) == offset:
            step = min(step + timedelta(hours=1), end)
        segments.append((at, step, offset))
        at = step
    return segments


def _offset(zone: ZoneInfo, at: datetime) -> int:
    delta = at.astimezone(zone).utcoffset()
    return int(delta.total_seconds()) if delta is not None else 0
