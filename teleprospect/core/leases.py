"""How long a claim may hold a lead.

A claim is a lease: the lead is the rep's until it runs out, and the desk renews it every
minute while the lead is open. So a short lease costs nothing, and a long one only keeps
the lead of a crashed workstation away from the team: an hour at most. Below a minute a
lease could run out between two renewals.
"""

from __future__ import annotations

from datetime import timedelta

from teleprospect.core.errors import Invalid

__all__ = [
    "DEFAULT_LEASE",
    "MAX_LEASE",
    "MIN_LEASE",
    "LeaseOutOfRange",
    "checked_lease",
]

#: The shortest lease: the desk renews every minute, so a shorter one could lapse between.
MIN_LEASE = timedelta(minutes=1)
#: The longest lease: longer would keep a crashed workstation's lead from the team.
MAX_LEASE = timedelta(minutes=60)
#: How long a claim holds a lead without being renewed; the lead panel renews it while
#: the lead is open, so only a crashed or disconnected workstation lets it run out.
DEFAULT_LEASE = timedelta(minutes=5)


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
