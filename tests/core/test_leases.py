"""How long a claim may hold a lead (a minute to an hour), and when a clock is too far off."""

from __future__ import annotations

from datetime import timedelta

import pytest

from teleprospect.core.errors import Invalid
from teleprospect.core.leases import (
    CLOCK_TOLERANCE,
    DEFAULT_LEASE,
    MAX_LEASE,
    MIN_LEASE,
    LeaseOutOfRange,
    checked_lease,
    clock_warning,
)


def test_the_limits_are_a_minute_and_an_hour_and_the_default_lies_between() -> None:
    assert (timedelta(minutes=1), timedelta(minutes=60)) == (MIN_LEASE, MAX_LEASE)
    assert MIN_LEASE <= DEFAULT_LEASE <= MAX_LEASE


@pytest.mark.parametrize("lease", [MIN_LEASE, DEFAULT_LEASE, MAX_LEASE])
def test_a_lease_within_the_limits_is_kept(lease: timedelta) -> None:
    assert checked_lease(lease) == lease


@pytest.mark.parametrize(
    ("lease", "said"),
    [
        (timedelta(minutes=61), "not 61 minutes."),
        # `claim --lease 2000000000` once held a lead until the year 5829.
        (timedelta(minutes=2_000_000_000), "not 2,000,000,000 minutes."),
        (MAX_LEASE + timedelta(seconds=1), "not 3,601 seconds."),
        (timedelta(seconds=30), "not 30 seconds."),
        (timedelta(0), "not 0 minutes."),
        (timedelta(minutes=-5), "not -5 minutes."),
    ],
)
def test_a_lease_outside_the_limits_is_invalid_in_one_sentence(lease: timedelta, said: str) -> None:
    with pytest.raises(LeaseOutOfRange) as raised:
        checked_lease(lease)
    assert isinstance(raised.value, Invalid)
    message = str(raised.value)
    assert message == f"A claim holds a lead for 1 to 60 minutes, {said}"
    assert "\n" not in message


# ----------------------------------------------------------------------------- clocks


@pytest.mark.parametrize(
    ("offset", "said"),
    [
        (timedelta(minutes=-6), "6 min ahead of"),
        (timedelta(minutes=6), "6 min behind"),
        (timedelta(seconds=-61), "1 min ahead of"),
        (timedelta(minutes=-90), "1 h 30 min ahead of"),
        (timedelta(hours=2), "2 h behind"),
        (timedelta(days=-400), "400 days ahead of"),
    ],
)
def test_a_clock_more_than_a_minute_off_is_named_in_one_sentence(
    offset: timedelta, said: str
) -> None:
    assert clock_warning(offset) == (
        f"This computer's clock is {said} the server's; leases and callbacks follow the server."
    )


@pytest.mark.parametrize(
    "offset",
    [None, timedelta(0), timedelta(seconds=20), timedelta(seconds=-20), CLOCK_TOLERANCE],
)
def test_a_clock_within_a_minute_or_no_server_is_no_warning(offset: timedelta | None) -> None:
    assert clock_warning(offset) is None
