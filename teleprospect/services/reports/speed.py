"""Speed to lead: for the leads that arrived in the range, the time from arrival to the
first attempt and to the first connect (median and 90th percentile, in minutes), a
histogram of the first attempt, and the share of those that arrived during calling hours
which were called within 5 minutes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import Session

from teleprospect.core.domain import Disposition
from teleprospect.core.queue_policy import CallingHours
from teleprospect.core.reports import (
    FAST_FIRST_CALL,
    SPEED_BUCKETS,
    Grouping,
    ReportFilter,
    rate,
)
from teleprospect.services.reports.common import (
    Labels,
    epoch,
    group_key,
    in_calling_hours,
    lead_conditions,
    measure,
)
from teleprospect.store.models import Call, Lead

__all__ = ["SpeedToLeadRow", "speed_to_lead_rows"]


@dataclass(frozen=True, slots=True)
class SpeedToLeadRow:
    group: str = measure("Group", "text")
    arrived: int = measure("Arrived")
    attempted: int = measure("Attempted")
    connected: int = measure("Connected")
    median_to_attempt: float | None = measure("Median to 1st attempt (min)", "minutes")
    p90_to_attempt: float | None = measure("p90 to 1st attempt (min)", "minutes")
    median_to_connect: float | None = measure("Median to 1st connect (min)", "minutes")
    p90_to_connect: float | None = measure("p90 to 1st connect (min)", "minutes")
    in_calling_hours: int = measure("Arrived in calling hours")
    called_within_5m: int = measure("Of those, called ≤ 5 min")
    share_within_5m: float | None = measure("Share called ≤ 5 min", "rate")
    within_5m: int = measure("≤ 5 min", "bucket")
    within_30m: int = measure("5–30 min", "bucket")
    within_1h: int = measure("30–60 min", "bucket")
    within_4h: int = measure("1–4 h", "bucket")
    within_1d: int = measure("4–24 h", "bucket")
    within_3d: int = measure("1–3 days", "bucket")
    later: int = measure("> 3 days", "bucket")
    never: int = measure("Not called", "bucket")


assert [b[0] for b in SPEED_BUCKETS] == [
    f for f in SpeedToLeadRow.__dataclass_fields__ if f.startswith(("within", "later"))
]


def _minutes(seconds: object) -> float | None:
    return None if seconds is None else round(int(str(seconds)) / 60, 1)


def _percentile(delay, rank, known, percent: int):  # type: ignore[no-untyped-def]
    # Nearest rank: the smallest delay whose rank reaches percent % of the known ones.
    return func.min(case((and_(delay.is_not(None), rank * 100 >= known * percent), delay)))


def speed_to_lead_rows(
    session: Session, f: ReportFilter, grouping: Grouping, hours: CallingHours
) -> tuple[SpeedToLeadRow, ...]:
    key = group_key(grouping).label("key")
    lead_filter = lead_conditions(f, Lead.owner_id)
    cohort = [Lead.created_at >= f.start, Lead.created_at < f.end, *lead_filter]
    arrived_in_hours = in_calling_hours(session, f, hours)
    arrived = epoch(Lead.created_at)
    first_call = (
        select(func.min(Call.started_at))
        .where(Call.lead_id == Lead.id, Call.disposition.is_not(None))
        .scalar_subquery()
    )
    first_connect = (
        select(func.min(Call.started_at))
        .where(Call.lead_id == Lead.id, Call.disposition == Disposition.CONNECTED.value)
        .scalar_subquery()
    )
    delays = (
        select(
            key,
            (epoch(first_call) - arrived).label("to_attempt"),
            (epoch(first_connect) - arrived).label("to_connect"),
            arrived_in_hours.label("in_hours"),
        )
        .where(*cohort)
        # Materialized: each lead's subqueries run once, not once per use below.
        .cte("delays")
        .prefix_with("MATERIALIZED")
    )
    d = delays.c
    unknown_last = (case((d.to_attempt.is_(None), 1), else_=0), d.to_attempt)
    ranked = select(
        d.key,
        d.to_attempt,
        d.to_connect,
        d.in_hours,
        func.row_number().over(partition_by=d.key, order_by=unknown_last).label("attempt_rank"),
        func.count(d.to_attempt).over(partition_by=d.key).label("attempts_known"),
        func.row_number()
        .over(
            partition_by=d.key,
            order_by=(case((d.to_connect.is_(None), 1), else_=0), d.to_connect),
        )
        .label("connect_rank"),
        func.count(d.to_connect).over(partition_by=d.key).label("connects_known"),
    ).subquery()
    r = ranked.c
    fast = FAST_FIRST_CALL.total_seconds()
    buckets = []
    low: int | None = None
    for _name, _header, high in SPEED_BUCKETS:
        above = r.to_attempt > low if low is not None else literal(True)
        below = r.to_attempt <= high if high is not None else literal(True)
        buckets.append(func.sum(case((and_(r.to_attempt.is_not(None), above, below), 1), else_=0)))
        low = high
    query = select(
        r.key,
        func.count(),
        func.count(r.to_attempt),
        func.count(r.to_connect),
        _percentile(r.to_attempt, r.attempt_rank, r.attempts_known, 50),
        _percentile(r.to_attempt, r.attempt_rank, r.attempts_known, 90),
        _percentile(r.to_connect, r.connect_rank, r.connects_known, 50),
        _percentile(r.to_connect, r.connect_rank, r.connects_known, 90),
        func.sum(case((r.in_hours, 1), else_=0)),
        func.sum(case((and_(r.in_hours, r.to_attempt <= fast), 1), else_=0)),
        *buckets,
    ).group_by(r.key)
    labels = Labels(session)
    rows = []
    for found in session.execute(query):
        group, total, attempted, connected = found[0], found[1], found[2], found[3]
        in_hours, fast_ones = int(found[8] or 0), int(found[9] or 0)
        hist = [int(n or 0) for n in found[10:]]
        minutes = [_minutes(found[i]) for i in range(4, 8)]
        rows.append(
            SpeedToLeadRow(
                labels.of(grouping, group), total, attempted, connected,
                minutes[0], minutes[1], minutes[2], minutes[3],
                in_hours, fast_ones, rate(fast_ones, in_hours),
                hist[0], hist[1], hist[2], hist[3], hist[4], hist[5], hist[6],
                total - attempted,
            )
        )  # fmt: skip
    return tuple(sorted(rows, key=lambda r: (-r.arrived, r.group)))
