"""Rep activity per day or week (UTC): dials, connects, conversations, talk time, calls
per hour worked, the leads made sales-ready and what sales said of them, and one column
per outcome. Calls are counted for the rep who made them, in the range they were made."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, String, case, func, literal_column, select, union_all
from sqlalchemy.orm import Session

from teleprospect.core.domain import Disposition, HistoryKind
from teleprospect.core.handoff import Verdict
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.reports import Grouping, ReportFilter, rate, utc_days, week_number
from teleprospect.services.reports.common import (
    Labels,
    epoch,
    lead_conditions,
    measure,
    period_bucket,
    period_label,
)
from teleprospect.store.models import Call, HandoffItem, Lead, LeadHistory

__all__ = ["CONVERSATION_S", "ActivityRow", "activity_rows"]

#: A connected call longer than this is a conversation, not a brush-off.
CONVERSATION_S = 60


@dataclass(frozen=True, slots=True)
class ActivityRow:
    rep: str = measure("Rep", "text")
    period: date = measure("From", "date")
    dials: int = measure("Dials")
    connects: int = measure("Connects")
    connect_rate: float | None = measure("Connect rate", "rate")
    conversations: int = measure("Conversations > 60 s")
    talk_minutes: float = measure("Talk time (min)", "minutes")
    hours_worked: float = measure("Hours worked", "hours")
    calls_per_hour: float | None = measure("Calls / hour", "ratio")
    sales_ready: int = measure("Sales-ready made")
    accepted: int = measure("Accepted by sales")
    rejected: int = measure("Rejected by sales")
    acceptance_rate: float | None = measure("Acceptance rate", "rate")
    connected: int = measure("Connected")
    no_answer: int = measure("No answer")
    voicemail_left: int = measure("Voicemail")
    busy: int = measure("Busy")
    wrong_number: int = measure("Wrong number")
    gatekeeper: int = measure("Gatekeeper")
    callback_requested: int = measure("Callback requested")
    not_interested: int = measure("Not interested")
    do_not_call: int = measure("Do not call")


OUTCOMES = tuple(Disposition)
assert {d.value for d in OUTCOMES} <= set(ActivityRow.__dataclass_fields__)


#: Days per statement: SQLite joins at most 500 SELECTs with UNION ALL.
DAYS_PER_STATEMENT = 400


def activity_rows(session: Session, f: ReportFilter, grouping: Grouping) -> tuple[ActivityRow, ...]:
    calls: dict[tuple[int, int], list[int]] = {}
    for statement in _calls_by_rep_and_day(session, f):
        for user_id, number, *sums in session.execute(statement):
            key = (user_id, number if grouping is Grouping.DAY else week_number(number))
            found = calls.setdefault(key, [0] * len(sums))
            found[:] = [a + int(b or 0) for a, b in zip(found, sums, strict=True)]
    verdict = (
        select(func.min(HandoffItem.verdict, type_=String))
        .where(HandoffItem.lead_id == LeadHistory.lead_id)
        .scalar_subquery()
    )
    made = (
        select(
            LeadHistory.user_id.label("user_id"),
            period_bucket(grouping, epoch(LeadHistory.at)).label("bucket"),
            LeadHistory.lead_id.label("lead_id"),
            verdict.label("verdict"),
        )
        .join(Lead, Lead.id == LeadHistory.lead_id)
        .where(
            LeadHistory.kind == HistoryKind.STATUS.value,
            LeadHistory.to_value == LeadStatus.SALES_READY.value,
            LeadHistory.at >= f.start,
            LeadHistory.at < f.end,
            LeadHistory.user_id.is_not(None),
            *lead_conditions(f, LeadHistory.user_id),
        )
        .subquery()
    )
    ready: dict[tuple[int, int], Any] = {
        (row[0], row[1]): row[2:]
        for row in session.execute(
            select(
                made.c.user_id,
                made.c.bucket,
                func.count(func.distinct(made.c.lead_id)),
                func.count(
                    func.distinct(case((made.c.verdict == Verdict.ACCEPTED.value, made.c.lead_id)))
                ),
                func.count(
                    func.distinct(case((made.c.verdict == Verdict.REJECTED.value, made.c.lead_id)))
                ),
            ).group_by(made.c.bucket, made.c.user_id)
        )
    }
    labels = Labels(session)
    by_key: dict[tuple[int, int], ActivityRow] = {}
    for key in set(calls) | set(ready):
        dials, connects, talks, talk_s, *outcomes, span = calls.get(key, [0] * 14)
        made_ready, accepted, rejected = ready.get(key, (0, 0, 0))
        hours = round(float(span or 0) / 3600, 2)
        by_key[key] = ActivityRow(
            labels.user(key[0]),
            period_label(grouping, int(key[1])),
            int(dials),
            int(connects),
            rate(int(connects), int(dials)),
            int(talks),
            round(int(talk_s) / 60, 1),
            hours,
            round(int(dials) / hours, 1) if hours else None,
            int(made_ready),
            int(accepted),
            int(rejected),
            rate(int(accepted), int(accepted) + int(rejected)),
            *(int(n) for n in outcomes),
        )
    grouped: dict[str, list[ActivityRow]] = defaultdict(list)
    for row in by_key.values():
        grouped[row.rep].append(row)
    return tuple(row for rep in sorted(grouped) for row in sorted(grouped[rep], key=_period))


def _period(row: ActivityRow) -> date:
    return row.period


def _calls_by_rep_and_day(session: Session, f: ReportFilter) -> list[Any]:
    """Statements whose rows are (rep, day since 1970, sums of that rep's calls that day).

    SQLite groups by sorting every call: there, each day is its own SELECT, a range of
    the index on (user_id, started_at, disposition, duration_s, ended_at) grouped by rep
    in the index's order (no sort, no table read), and the days are joined by UNION ALL.
    PostgreSQL hashes the groups of one pass over the range."""
    if session.get_bind().dialect.name != "sqlite":
        day = period_bucket(Grouping.DAY, epoch(Call.started_at))
        return [_calls_summed(f, day, f.start, f.end).group_by(Call.user_id, day)]
    days = utc_days(f)
    return [
        union_all(
            *(
                _calls_summed(f, literal_column(str(number)), start, end).group_by(Call.user_id)
                for number, start, end in days[first : first + DAYS_PER_STATEMENT]
            )
        )
        for first in range(0, len(days), DAYS_PER_STATEMENT)
    ]


def _calls_summed(f: ReportFilter, day: Any, start: datetime, end: datetime) -> Select[Any]:
    """A rep's calls in [start, end) summed: dials, connects, conversations, talk time,
    each outcome, and the span from first dial to the end of the last call ("hours
    worked"); to be grouped by rep and ``day``."""
    connected = Call.disposition == Disposition.CONNECTED.value
    query: Select[*tuple[Any, ...]] = select(
        Call.user_id,
        day,
        func.count(),
        func.sum(case((connected, 1), else_=0)),
        func.sum(case((connected & (Call.duration_s > CONVERSATION_S), 1), else_=0)),
        func.sum(func.coalesce(Call.duration_s, 0)),
        *(func.sum(case((Call.disposition == d.value, 1), else_=0)) for d in OUTCOMES),
        epoch(func.max(func.coalesce(Call.ended_at, Call.started_at)))
        - epoch(func.min(Call.started_at)),
    ).where(
        Call.started_at >= start,
        Call.started_at < end,
        Call.disposition.is_not(None),
        *lead_conditions(f, Call.user_id),
    )
    if lead_conditions(f):
        query = query.join(Lead, Lead.id == Call.lead_id)
    return query
