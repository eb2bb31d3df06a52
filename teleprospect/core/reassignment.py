"""Spreading leads over reps, and the time frames of the workload view: the pure part."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from enum import StrEnum

__all__ = [
    "Spread",
    "WorkloadPeriod",
    "plan_spread",
    "this_week",
    "today",
]


class Spread(StrEnum):
    """How leads are shared among several reps."""

    #: In turn: first lead to the first rep, second to the second, …
    ROUND_ROBIN = "round_robin"
    #: Each lead to whoever has the fewest open leads at that moment.
    LEAST_LOADED = "least_loaded"

    @property
    def label(self) -> str:
        return {"round_robin": "in turn (round-robin)", "least_loaded": "to the least loaded"}[
            self.value
        ]


def plan_spread(
    lead_ids: Sequence[int],
    targets: Sequence[int],
    spread: Spread = Spread.ROUND_ROBIN,
    *,
    loads: Mapping[int, int] | None = None,
) -> dict[int, int]:
    """Lead id → the target rep it goes to, in the order the leads are given.

    Round-robin deals the leads out in turn. Least-loaded gives each lead to the rep with
    the fewest open leads so far (``loads``, counting the leads this plan has already
    given), the one named first on a tie: reps end up as even as the leads allow.
    """
    if not targets:
        raise ValueError("Choose at least one rep to move the leads to.")
    if len(set(targets)) != len(targets):
        raise ValueError("A rep is named twice among those to move the leads to.")
    plan: dict[int, int] = {}
    if spread is Spread.ROUND_ROBIN or len(targets) == 1:
        for position, lead_id in enumerate(lead_ids):
            plan[lead_id] = targets[position % len(targets)]
        return plan
    load = {target: (loads or {}).get(target, 0) for target in targets}
    order = {target: position for position, target in enumerate(targets)}
    for lead_id in lead_ids:
        target = min(targets, key=lambda t: (load[t], order[t]))
        plan[lead_id] = target
        load[target] += 1
    return plan


@dataclass(frozen=True, slots=True)
class WorkloadPeriod:
    """A time frame [start, end) in aware UTC, with the words a view shows for it."""

    start: datetime
    end: datetime
    label: str

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("A workload period needs aware times.")
        if self.end <= self.start:
            raise ValueError("A workload period must end after it starts.")


def _midnight(now: datetime, zone: tzinfo) -> datetime:
    local = now.astimezone(zone)
    return datetime.combine(local.date(), time(0), tzinfo=zone)


def today(now: datetime, zone: tzinfo = UTC) -> WorkloadPeriod:
    """From midnight today in ``zone`` to ``now``'s end of day."""
    start = _midnight(now, zone)
    end = datetime.combine(start.date() + timedelta(days=1), time(0), tzinfo=zone)
    return WorkloadPeriod(start.astimezone(UTC), end.astimezone(UTC), "today")


def this_week(now: datetime, zone: tzinfo = UTC) -> WorkloadPeriod:
    """From Monday 00:00 of ``now``'s week in ``zone`` to the next Monday."""
    midnight = _midnight(now, zone)
    monday = midnight.date() - timedelta(days=midnight.weekday())
    start = datetime.combine(monday, time(0), tzinfo=zone)
    end = datetime.combine(monday + timedelta(days=7), time(0), tzinfo=zone)
    return WorkloadPeriod(start.astimezone(UTC), end.astimezone(UTC), "this week")
