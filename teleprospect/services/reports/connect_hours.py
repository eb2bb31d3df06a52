"""Connect rate by the lead's local hour and weekday: for the calls made in the range,
dials and connects in each (weekday, hour) cell of the lead's own clock, to plan calling
blocks. A lead's local time is read in the first of its call zones; calls to leads whose
zone is unknown are left out."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from teleprospect.core.domain import Disposition
from teleprospect.core.reports import EPOCH_WEEKDAY, ReportFilter, rate
from teleprospect.services.reports.common import epoch, lead_conditions, measure, utc_offset
from teleprospect.store.models import Call, Lead

__all__ = ["WEEKDAY_NAMES", "ConnectHourRow", "connect_hour_rows"]

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True, slots=True)
class ConnectHourRow:
    weekday: str = measure("Weekday", "text")
    hour: int = measure("Local hour", "hour")
    dials: int = measure("Dials")
    connects: int = measure("Connects")
    connect_rate: float | None = measure("Connect rate", "rate")


def connect_hour_rows(session: Session, f: ReportFilter) -> tuple[ConnectHourRow, ...]:
    # Counted per hour of local time since 1970 first (one conversion of each call's time),
    # then those few thousand hours folded into weekday and hour.
    offset = utc_offset(session, f, Call.started_at)
    local_hour = ((epoch(Call.started_at) + offset) // 3600).label("local_hour")
    per_hour = (
        select(
            local_hour,
            func.count().label("dials"),
            func.sum(case((Call.disposition == Disposition.CONNECTED.value, 1), else_=0)).label(
                "connects"
            ),
        )
        .select_from(Call)
        .join(Lead, Lead.id == Call.lead_id)
        .where(
            Call.started_at >= f.start,
            Call.started_at < f.end,
            Call.disposition.is_not(None),
            *lead_conditions(f, Call.user_id),
        )
        .group_by(local_hour)
        .subquery()
    )
    c = per_hour.c
    weekday = ((c.local_hour // 24 + EPOCH_WEEKDAY) % 7).label("weekday")
    hour = (c.local_hour % 24).label("hour")
    query = (
        select(weekday, hour, func.sum(c.dials), func.sum(c.connects))
        .where(c.local_hour.is_not(None))
        .group_by(weekday, hour)
        .order_by(weekday, hour)
    )
    return tuple(
        ConnectHourRow(
            WEEKDAY_NAMES[int(day)],
            int(at),
            int(dials),
            int(connects or 0),
            rate(int(connects or 0), int(dials)),
        )  # fmt: skip
        for day, at, dials, connects in session.execute(query)
    )
