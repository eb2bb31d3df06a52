"""How long a claim may hold a lead: from a minute to an hour."""

from __future__ import annotations

from datetime import timedelta

import pytest

from teleprospect.core.errors import Invalid
from teleprospect.core.leases import (
    DEFAULT_LEASE,
    MAX_LEASE,
    MIN_LEASE,
    LeaseOutOfRange,
    checked_lease,
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
