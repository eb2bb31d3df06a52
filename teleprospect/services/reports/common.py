"""What every report shares: typed rows whose fields are the table's columns, the filter
turned into SQL, the group a lead or call falls in, and the calling windows and UTC
offsets of each zone set, written as expressions the database evaluates on each row to
read a lead's local time."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from sqlalchemy import case, func, literal_column, null, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement

from teleprospect.core.queue_policy import CallingHours
from teleprospect.core.reports import (
    EPOCH_WEEKDAY,
    Grouping,
    ReportError,
    ReportFilter,
    calling_windows,
    day_of,
    offset_segments,
    week_of,
)
from teleprospect.store.models import Campaign, Lead, User
from teleprospect.store.report_sql import epoch_seconds, stored_time

__all__ = [
    "Column",
    "Report",
    "as_float",
    "columns",
    "epoch",
    "group_label",
    "in_calling_hours",
    "lead_conditions",
    "measure",
    "period_bucket",
    "period_label",
    "utc_offset",
]

DAY_S = 86_400
NO_CAMPAIGN = "(no campaign)"
NO_SOURCE = "(no source)"
NOBODY = "(nobody)"

Row = TypeVar("Row")


def measure(header: str, kind: str = "count") -> Any:
    """A column of a report's row: its header, and its kind (count, rate, hours, minutes,
    seconds, text, date) which says how the table and the chart show it."""
    return field(metadata={"header": header, "kind": kind})


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    header: str
    kind: str


def columns(row_type: type) -> tuple[Column, ...]:
    return tuple(
        Column(f.name, f.metadata.get("header", f.name), f.metadata.get("kind", "text"))
        for f in fields(row_type)
    )


@dataclass(frozen=True, slots=True)
class Report(Generic[Row]):
    """A report's rows, in the order the table shows them, and what they cover."""

    name: str
    title: str
    filter: ReportFilter
    grouping: Grouping | None
    row_type: type
    rows: tuple[Row, ...]

    @property
    def columns(self) -> tuple[Column, ...]:
        return columns(self.row_type)

    def records(self) -> list[dict[str, Any]]:
        """Each row as a dict of its columns (the JSON and CSV of the report)."""
        return [{c.name: getattr(row, c.name) for c in self.columns} for row in self.rows]


def epoch(moment: Any) -> ColumnElement[int]:
    return epoch_seconds(moment)


def as_float(value: object, places: int = 1) -> float | None:
    """A database's average (a Decimal on PostgreSQL) as a rounded float."""
    if value is None:
        return None
    if isinstance(value, Decimal | int | float):
        return round(float(value), places)
    raise TypeError(f"not a number: {value!r}")


def lead_conditions(f: ReportFilter, rep: Any = None) -> list[ColumnElement[bool]]:
    """The filter's campaigns, sources and countries on ``Lead``, and its reps on ``rep``
    (the lead's owner, or the caller of a call)."""
    found: list[ColumnElement[bool]] = []
    if f.campaign_ids:
        found.append(Lead.campaign_id.in_(f.campaign_ids))
    if f.sources:
        found.append(Lead.lead_source.in_(f.sources))
    if f.countries:
        found.append(Lead.country.in_(f.countries))
    if f.rep_ids and rep is not None:
        found.append(rep.in_(f.rep_ids))
    return found


def group_key(grouping: Grouping) -> Any:
    """The lead column a report by campaign, source or rep groups on."""
    if grouping is Grouping.CAMPAIGN:
        return Lead.campaign_id
    if grouping is Grouping.SOURCE:
        return Lead.lead_source
    if grouping is Grouping.REP:
        return Lead.owner_id
    raise ReportError(f"This report is grouped by campaign, source or rep, not by {grouping}.")


def period_bucket(grouping: Grouping, seconds: ColumnElement[int]) -> ColumnElement[int]:
    """Days, or Monday-based weeks, since 1970 (UTC) of a time in epoch seconds."""
    days = seconds // DAY_S
    if grouping is Grouping.DAY:
        return days
    if grouping is Grouping.WEEK:
        return (days + EPOCH_WEEKDAY) // 7
    raise ReportError(f"This report is grouped by day or week, not by {grouping}.")


def period_label(grouping: Grouping, bucket: int) -> date:
    return day_of(bucket) if grouping is Grouping.DAY else week_of(bucket)


class Labels:
    """Names of campaigns and users, read once per report (both tables are small)."""

    def __init__(self, session: Session) -> None:
        self.campaigns = {k: v for k, v in session.execute(select(Campaign.id, Campaign.name))}
        self.users = {k: v for k, v in session.execute(select(User.id, User.name))}

    def user(self, user_id: int | None) -> str:
        return self.users.get(user_id, NOBODY) if user_id is not None else NOBODY

    def of(self, grouping: Grouping, key: Any) -> str:
        if grouping is Grouping.CAMPAIGN:
            return self.campaigns.get(key, NO_CAMPAIGN) if key is not None else NO_CAMPAIGN
        if grouping is Grouping.SOURCE:
            return key or NO_SOURCE
        return self.user(key)


def group_label(labels: Labels, grouping: Grouping, key: Any) -> str:
    return labels.of(grouping, key)


def _zone_sets(session: Session) -> list[str]:
    """The call-zone sets on the desk (a few dozen, even on big desks): walked through
    the index on ``call_zones`` one seek per set ("the next set after this one"), not by
    reading every lead."""
    walk = select(func.min(Lead.call_zones).label("zones")).cte("zone_set", recursive=True)
    following = select(func.min(Lead.call_zones)).where(Lead.call_zones > walk.c.zones)
    walk = walk.union_all(select(following.scalar_subquery()).where(walk.c.zones.is_not(None)))
    return [zones for zones in session.scalars(select(walk.c.zones)) if zones]


def _step(moment: Any, points: Sequence[datetime], values: Sequence[Any]) -> Any:
    """``values[i]`` where ``points[i - 1] <= moment < points[i]`` (``values`` has one
    more item than ``points``), as nested CASEs that halve the points: a handful of
    comparisons of the stored column per row, whatever the number of points."""
    if len(values) == 1:
        return literal_column(str(int(values[0]))) if values[0] is not None else null()
    mid = len(points) // 2
    return case(
        (moment < stored_time(points[mid]), _step(moment, points[:mid], values[: mid + 1])),
        else_=_step(moment, points[mid + 1 :], values[mid + 1 :]),
    )


def _by_zone_set(zones: Any, branches: dict[str, Any], otherwise: Any) -> Any:
    if not branches:
        return otherwise
    return case(*((zones == name, branch) for name, branch in branches.items()), else_=otherwise)


def in_calling_hours(session: Session, f: ReportFilter, hours: CallingHours) -> ColumnElement[bool]:
    """Whether ``Lead.created_at`` falls inside the team's calling hours in every zone of
    the lead (core.reports.calling_windows): per zone set, a search of its windows."""
    branches = {}
    for zones in _zone_sets(session):
        points: list[datetime] = []
        for opens, closes in calling_windows(zones, hours, f.start, f.end):
            points += [opens, closes]
        if points:
            parity = [i % 2 for i in range(len(points) + 1)]
            branches[zones] = _step(Lead.created_at, points, parity)
    inside: ColumnElement[bool] = _by_zone_set(Lead.call_zones, branches, literal_column("0")) == 1
    return inside


def utc_offset(session: Session, f: ReportFilter, moment: Any) -> Any:
    """The UTC offset in seconds, at ``moment`` (a stored time in the range), of the
    first of the lead's call zones (core.reports.offset_segments); NULL when unknown."""
    branches = {}
    for zones in _zone_sets(session):
        segments = offset_segments(zones, f.start, f.end)
        if segments:
            points = [since for since, _until, _offset in segments] + [segments[-1][1]]
            offsets = [None, *(offset for _s, _u, offset in segments), None]
            branches[zones] = _step(moment, points, offsets)
    return _by_zone_set(Lead.call_zones, branches, null())


def counts_by(rows: Iterable[Any]) -> dict[Any, Any]:
    return {row[0]: row[1:] for row in rows}
