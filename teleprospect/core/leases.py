"""How long a claim may hold a lead, and when a workstation's clock is too far off.

A claim is a lease: the lead is the rep's until it runs out, and the desk renews it every
minute while the lead is open. So a short lease costs nothing, and a long one only keeps
the lead of a crashed workstation away from the team: an hour at most. Below a minute a
lease could run out between two renewals.

Leases and due times are judged on one clock, the database's (DESIGN.md §2 rule 8): on
PostgreSQL the server's. A workstation whose own clock is off still works correctly, but
the times it shows may surprise its user; :func:`clock_warning` says so in one sentence.
"""

from __future__ import annotations

from datetime import timedelta

from teleprospect.core.errors import Invalid

__all__ = [
    "CLOCK_TOLERANCE",
    "DEFAULT_LEASE",
    "MAX_LEASE",
    "MIN_LEASE",
    "LeaseOutOfRange",
    "checked_lease",
    "clock_warning",
]

#: The shortest lease: the desk renews every minute, so a shorter one could lapse between.
MIN_LEASE = timedelta(minutes=1)
#: The longest lease: longer would keep a crashed workstation's lead from the team.
MAX_LEASE = timedelta(minutes=60)
#: How long a claim holds a lead without being renewed; the lead panel renews it while
#: the lead is open, so only a crashed or disconnected workstation lets it run out.
DEFAULT_LEASE = timedelta(minutes=5)

#: How far a workstation's clock may be off the server's before its user is told.
CLOCK_TOLERANCE = timedelta(minutes=1)


class LeaseOutOfRange(Invalid):
    """A lease shorter than :data:`MIN_LEASE` or longer than :data:`MAX_LEASE`."""


def _minutes(span: timedelta) -> int:
    return span // timedelta(minutes=1)


def _duration_text(span: timedelta) -> str:
    seconds = span.total_seconds()
    if seconds % 60 == 0:
        minutes = int(seconds // 60)
        return f"{minutes:,} minute{'s' if abs(minutes) != 1 else ''}"
    return f"{seconds:,.0f} seconds" if seconds == int(seconds) else f"{seconds:,.3f} seconds"


def checked_lease(lease: timedelta) -> timedelta:
    """``lease`` when it is from :data:`MIN_LEASE` to :data:`MAX_LEASE`; else
    :class:`LeaseOutOfRange`, saying so in one sentence."""
    if MIN_LEASE <= lease <= MAX_LEASE:
        return lease
    raise LeaseOutOfRange(
        f"A claim holds a lead for {_minutes(MIN_LEASE)} to {_minutes(MAX_LEASE)} minutes,"
        f" not {_duration_text(lease)}."
    )


def clock_warning(offset: timedelta | None) -> str | None:
    """One sentence for a workstation whose clock is more than :data:`CLOCK_TOLERANCE` off
    the server's, None otherwise (and on SQLite, which has no server: ``offset`` None).

    ``offset`` is the server's clock minus this computer's: negative when this computer's
    clock is ahead."""
    if offset is None or abs(offset) <= CLOCK_TOLERANCE:
        return None
    direction = "behind" if offset > timedelta(0) else "ahead of"
    return (
        f"This computer's clock is {_offset_text(abs(offset))} {direction} the server's;"
        " leases and callbacks follow the server."
    )


def _offset_text(span: timedelta) -> str:
    """How a person says an offset: "6 min", "1 h 20 min", "3 days" (to the minute)."""
    minutes = round(span / timedelta(minutes=1))
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{round(hours / 24):,} days"
