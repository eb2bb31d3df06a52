"""When to call a lead back: the next good slot in the lead's calling window, and how a
callback time reads in the rep's zone and the lead's.

A callback is promised in the rep's words ("tomorrow at ten") but kept in the lead's day:
the suggestion (:func:`next_call_slot`) is the earliest quarter hour, at least a minimum
gap after now, that is inside the team's calling hours in **every** zone of the lead (a
number may map to several) and on a business day (Monday to Friday) in each of them.
:func:`callback_problem` is the one rule that says whether a chosen time is allowed: the
call desk warns with it while the rep chooses, and the service refuses with it on save.
Nurture call steps land on such a slot too, never on a weekend.

Pure: the clock comes in as an argument (aware, UTC), and so do the zones and hours.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence, Set
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from teleprospect.core.queue_policy import (
    LEGAL_EARLIEST,
    LEGAL_LATEST,
    WEEKDAYS,
    CallingHours,
    is_callable_now,
)

__all__ = [
    "MIN_CALLBACK_GAP",
    "SLOT",
    "CallbackWhen",
    "callback_when",
    "callbacks_to_remind",
    "both_zones_text",
    "business_hours",
    "callback_problem",
    "next_call_slot",
    "place_name",
    "zone_named",
]

#: Callback times are suggested on the quarter hour (every zone in use today is offset
#: from UTC by whole quarter hours, so a quarter hour in UTC is one in every zone).
SLOT = timedelta(minutes=15)
#: A callback is promised for later: never suggested sooner than this after now.
MIN_CALLBACK_GAP = timedelta(hours=1)
# Business days the suggestion looks through: two weeks is more than any window needs
# (a window that exists at all opens within a week; daylight saving shifts add a day).
_SEARCH_DAYS = 15
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@lru_cache(maxsize=1024)
def zone_named(name: str) -> ZoneInfo | None:
    """The zone called ``name``; None when the time zone database does not know it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def business_hours(hours: CallingHours) -> CallingHours | None:
    """The team's calling hours on business days only (a team that also calls on Saturday
    still gets callbacks suggested Monday to Friday); None when no business day is left."""
    days = hours.weekdays & WEEKDAYS
    if not days:
        return None
    return CallingHours(days, hours.start, hours.end)


def _ceil_to_slot(at: datetime, slot: timedelta) -> datetime:
    # Whole microseconds, so no float rounding moves a time across a slot boundary.
    since = at.astimezone(UTC) - _EPOCH
    steps = -(-since // slot)  # ceiling division of timedeltas
    return _EPOCH + steps * slot


def _openings(zone: tzinfo, after: datetime, hours: CallingHours) -> Iterable[datetime]:
    first_day: date = after.astimezone(zone).date() - timedelta(days=1)
    for offset in range(_SEARCH_DAYS + 1):
        day = first_day + timedelta(days=offset)
        if day.weekday() in hours.weekdays:
            # Opening hours (≥ 08:00) are never in a daylight-saving gap: those are at night.
            yield datetime.combine(day, hours.start, tzinfo=zone).astimezone(UTC)


def next_call_slot(
    zones: Sequence[str],
    now: datetime,
    hours: CallingHours,
    *,
    gap: timedelta = timedelta(0),
    slot: timedelta = SLOT,
) -> datetime | None:
    """The earliest slot (a multiple of ``slot`` in UTC) at or after ``now + gap`` that is
    inside ``hours`` on a business day in every one of ``zones``.

    None when there is none: the lead's local time is unknown (no zones, a zone the time
    zone database does not know), the hours have no business day, or the zones' windows
    never overlap (a number across zones twelve hours apart)."""
    if now.tzinfo is None:
        raise ValueError(f"naive datetime {now!r}: pass an aware (UTC) datetime")
    working = business_hours(hours)
    if working is None or not zones:
        return None
    resolved = [zone_named(name) for name in zones]
    if any(zone is None for zone in resolved):
        return None
    known = [zone for zone in resolved if zone is not None]
    start = (now + gap).astimezone(UTC)

    def inside(at: datetime) -> bool:
        return all(working.contains(at.astimezone(zone)) for zone in known)

    # The callable times are the intersection of each zone's [opening, closing) intervals:
    # the first slot in it is the first slot from the start, or the first slot from some
    # zone's opening after the start.
    candidates = {_ceil_to_slot(start, slot)}
    for zone in known:
        candidates.update(
            _ceil_to_slot(opening, slot)
            for opening in _openings(zone, start, working)
            if opening > start
        )
    for candidate in sorted(candidates):
        if inside(candidate):
            return candidate
    return None


def place_name(zone_name: str) -> str:
    """How a zone is named to people: "Asia/Tokyo" → "Tokyo", "America/New_York" →
    "New York", "America/Argentina/Buenos_Aires" → "Buenos Aires"."""
    return zone_name.rsplit("/", 1)[-1].replace("_", " ")


def _local(at: datetime, zone: tzinfo) -> str:
    local = at.astimezone(zone)
    return f"{_DAY_NAMES[local.weekday()]} {local:%H:%M}"


def both_zones_text(at: datetime, rep_zone: tzinfo, lead_zones: Sequence[str]) -> str:
    """``at`` in the rep's zone and the lead's: "Thu 10:00 here · Thu 18:00 in Tokyo".

    Several lead zones showing different times are listed (at most three); zones showing
    the rep's own time are not repeated; an unknown local time says so."""
    here = f"{_local(at, rep_zone)} here"
    shown: list[str] = []
    seen: set[str] = {_local(at, rep_zone)}
    known = [(name, zone_named(name)) for name in lead_zones]
    for name, zone in known:
        if zone is None:
            continue
        text = _local(at, zone)
        if text in seen:
            continue
        seen.add(text)
        shown.append(f"{text} in {place_name(name)}")
    if not any(zone is not None for _, zone in known):
        return f"{here} · the lead's local time is unknown"
    if not shown:
        return f"{here} · the same at the lead"
    more = len(shown) - 3
    tail = f" (and {more} more)" if more > 0 else ""
    return " · ".join([here, *shown[:3]]) + tail


def callback_problem(
    zones: Sequence[str],
    at: datetime,
    now: datetime,
    hours: CallingHours,
    *,
    at_lead_request: bool,
    describe: Callable[[datetime], str],
) -> str | None:
    """Why a callback at ``at`` cannot be promised (one sentence), or None when it can.

    It must be after ``now``, the lead's local time must be known, and it must be inside
    the team's calling hours in every zone of the lead; a time the lead asked for may be
    outside them, but never outside the legal 08:00–21:00. ``describe`` names the time
    (the desk in both zones, the command line and the services in UTC)."""
    when = describe(at)
    if at <= now:
        return f"The callback time ({when}) has passed; choose a later one."
    if not zones:
        return (
            "The lead's local time is unknown (no valid number, no country), so a callback"
            " time cannot be checked against the calling hours; correct the phone number first."
        )
    window = is_callable_now(zones, at, hours)
    if window.ok:
        return None
    legal = is_callable_now(zones, at, CallingHours.legal_limit())
    if not legal.ok:
        where = legal.reason.replace("calling hours", "the legal hours")
        return (
            f"A callback at {when} is {where}: calls are never allowed before"
            f" {LEGAL_EARLIEST:%H:%M} or after {LEGAL_LATEST:%H:%M} the lead's time, even when"
            " they ask."
        )
    if not at_lead_request:
        return (
            f"A callback at {when} is {window.reason}; the team calls {hours.describe()} the"
            " lead's time. If the lead asked for that time, say so and it is allowed."
        )
    return None


class CallbackWhen(StrEnum):
    """Where a callback stands in the rep's day."""

    OVERDUE = "overdue"
    TODAY = "today"
    UPCOMING = "upcoming"

    @property
    def label(self) -> str:
        return {"overdue": "Overdue", "today": "Today", "upcoming": "Upcoming"}[self.value]


def callback_when(due_at: datetime, now: datetime, rep_zone: tzinfo) -> CallbackWhen:
    """Overdue once due (at or before ``now``), else today's until the rep's midnight,
    else upcoming."""
    if due_at <= now:
        return CallbackWhen.OVERDUE
    if due_at.astimezone(rep_zone).date() == now.astimezone(rep_zone).date():
        return CallbackWhen.TODAY
    return CallbackWhen.UPCOMING


def callbacks_to_remind(
    callbacks: Iterable[tuple[int, datetime, int | None]],
    user_id: int,
    now: datetime,
    reminded: Set[int],
) -> list[int]:
    """The ids, soonest first, of the callbacks to remind ``user_id`` of now: their own
    personal ones (id, due at, owner id) that are due and were not reminded yet. Team
    callbacks are in everyone's list and queue, and remind nobody in particular."""
    due = [
        (due_at, callback_id)
        for callback_id, due_at, owner_id in callbacks
        if owner_id == user_id and due_at <= now and callback_id not in reminded
    ]
    return [callback_id for _due, callback_id in sorted(due)]
