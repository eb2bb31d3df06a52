"""Spreading leads over reps, and the workload view's time frames."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teleprospect.core.reassignment import Spread, WorkloadPeriod, plan_spread, this_week, today


def test_round_robin_deals_in_turn() -> None:
    assert plan_spread([10, 11, 12, 13, 14], [1, 2]) == {10: 1, 11: 2, 12: 1, 13: 2, 14: 1}
    assert plan_spread([10, 11], [3]) == {10: 3, 11: 3}


def test_least_loaded_fills_the_emptiest_first() -> None:
    plan = plan_spread([1, 2, 3, 4, 5, 6], [7, 8, 9], Spread.LEAST_LOADED, loads={7: 4, 8: 1})
    # Loads 4, 1, 0: 9 gets one, then 8 and 9 alternate (8 first on a tie); 7 stays fullest.
    assert plan == {1: 9, 2: 8, 3: 9, 4: 8, 5: 9, 6: 8}


def test_bad_targets_are_refused() -> None:
    with pytest.raises(ValueError, match="at least one rep"):
        plan_spread([1], [])
    with pytest.raises(ValueError, match="named twice"):
        plan_spread([1], [2, 2])


@given(
    st.lists(st.integers(), unique=True, max_size=60),
    st.lists(st.integers(min_value=1, max_value=50), min_size=1, max_size=6, unique=True),
    st.lists(st.integers(min_value=0, max_value=30), min_size=6, max_size=6),
)
def test_least_loaded_ends_as_even_as_the_leads_allow(
    leads: list[int], reps: list[int], start: list[int]
) -> None:
    loads = dict(zip(reps, start, strict=False))
    plan = plan_spread(leads, reps, Spread.LEAST_LOADED, loads=loads)
    assert set(plan) == set(leads)
    given_out = Counter(plan.values())
    final = {rep: loads[rep] + given_out[rep] for rep in reps}
    receivers = [rep for rep in reps if given_out[rep]]
    if receivers:
        # Nobody who got a lead ends above anyone else by more than one.
        assert max(final[r] for r in receivers) <= min(final.values()) + 1
    round_robin = Counter(plan_spread(leads, reps).values())
    assert (
        max(round_robin.values(), default=0) - min((round_robin[r] for r in reps), default=0) <= 1
    )


def test_today_and_this_week_in_the_teams_zone() -> None:
    now = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)  # Thursday 00:30 in Berlin
    assert today(now) == WorkloadPeriod(
        datetime(2026, 11, 25, tzinfo=UTC), datetime(2026, 11, 26, tzinfo=UTC), "today"
    )
    berlin = today(now, ZoneInfo("Europe/Berlin"))
    assert (berlin.start, berlin.end) == (
        datetime(2026, 11, 25, 23, 0, tzinfo=UTC),
        datetime(2026, 11, 26, 23, 0, tzinfo=UTC),
    )
    week = this_week(now)
    assert (week.start, week.end) == (
        datetime(2026, 11, 23, tzinfo=UTC),
        datetime(2026, 11, 30, tzinfo=UTC),
    )
    # The week in which the clocks go back (Sunday 25 October 2026) is an hour longer.
    autumn = this_week(datetime(2026, 10, 21, 12, tzinfo=UTC), ZoneInfo("Europe/Berlin"))
    assert autumn.start == datetime(2026, 10, 18, 22, 0, tzinfo=UTC)
    assert (autumn.end - autumn.start).total_seconds() == 7 * 86400 + 3600


def test_a_period_must_be_aware_and_forward() -> None:
    with pytest.raises(ValueError, match="aware"):
        WorkloadPeriod(datetime(2026, 1, 1), datetime(2026, 1, 2), "x")
    with pytest.raises(ValueError, match="must end after it starts"):
        WorkloadPeriod(datetime(2026, 1, 2, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC), "x")
