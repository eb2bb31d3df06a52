"""The team's workload: for every active rep, the leads due for a call now, the callbacks
due today, calls today and this week, connects and the leads they made sales-ready in a
time frame."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from sqlalchemy import and_, exists, func, not_, or_, select, text, true
from sqlalchemy.orm import Session

from teleprospect.core.domain import Disposition, HistoryKind, UserRole
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.permissions import Action
from teleprospect.core.reassignment import WorkloadPeriod, this_week, today
from teleprospect.services.clock import decision_time
from teleprospect.services.identity.permissions import require_user
from teleprospect.services.settings.team_settings import RETRY_RULES, read_setting
from teleprospect.services.team.users import OPEN_STATUSES
from teleprospect.store.database import Database
from teleprospect.store.models import (
    QUEUE_INDEX_WHERE,
    Call,
    CallbackEntry,
    Lead,
    LeadHistory,
    User,
)

__all__ = ["RepWorkload", "Workload", "workload"]


@dataclass(frozen=True, slots=True)
class RepWorkload:
    user_id: int
    login: str
    name: str
    role: UserRole
    #: Leads they own that are due for a call now (whatever their local time).
    queue_size: int
    #: Leads they own that are still being worked (new, working, nurture, sales-ready).
    open_leads: int
    #: Their open personal callbacks due by the end of today (overdue ones included).
    due_callbacks: int
    calls_today: int
    calls_this_week: int
    #: Calls in the period that reached the person.
    connects: int
    #: Leads they moved to sales-ready in the period.
    made_sales_ready: int


@dataclass(frozen=True, slots=True)
class Workload:
    reps: tuple[RepWorkload, ...]
    #: The time frame of ``connects`` and ``made_sales_ready``.
    period: WorkloadPeriod
    today: WorkloadPeriod
    week: WorkloadPeriod
    now: datetime

    def total(self, name: str) -> int:
        return sum(getattr(rep, name) for rep in self.reps)


def _count_by(session: Session, query: Any) -> dict[int, int]:
    return {key: count for key, count in session.execute(query) if key is not None}


def workload(
    db: Database,
    user_id: int,
    *,
    now: datetime | None = None,
    period: WorkloadPeriod | None = None,
    zone: tzinfo = UTC,
) -> Workload:
    """Every active rep's workload (team leads only). "Today" and "this week" are read in
    ``zone``; connects and sales-ready counts cover ``period`` (default: this week)."""
    with db.read() as session:
        # Whose queue holds what is judged on the clock the queues use.
        now = decision_time(session, now)
        day, week = today(now, zone), this_week(now, zone)
        period = period or week
        require_user(session, user_id, Action.VIEW_WORKLOAD)
        reps = list(
            session.scalars(select(User).where(User.is_active == true()).order_by(User.name))
        )
        ids = [u.id for u in reps]
        retry = read_setting(session, RETRY_RULES)
        working = [LeadStatus.NEW.value, LeadStatus.WORKING.value]
        future_callback = exists().where(
            CallbackEntry.lead_id == Lead.id,
            CallbackEntry.done_at.is_(None),
            CallbackEntry.due_at > now,
        )
        queue = _count_by(
            session,
            select(Lead.owner_id, func.count())
            .where(
                Lead.owner_id.in_(ids),
                text(QUEUE_INDEX_WHERE),
                or_(
                    and_(
                        Lead.status.in_(working),
                        or_(Lead.next_action_at.is_(None), Lead.next_action_at <= now),
                        Lead.attempts < retry.max_attempts,
                    ),
                    and_(
                        Lead.status == LeadStatus.NURTURE.value,
                        Lead.next_action_at.is_not(None),
                        Lead.next_action_at <= now,
                    ),
                ),
                not_(future_callback),
            )
            .group_by(Lead.owner_id),
        )
        open_leads = _count_by(
            session,
            select(Lead.owner_id, func.count())
            .where(Lead.owner_id.in_(ids), Lead.status.in_([s.value for s in OPEN_STATUSES]))
            .group_by(Lead.owner_id),
        )
        # Calls, callbacks and history are counted through their leads: those of leads a
        # long write still hides (the demo being loaded) are not counted yet either.
        callbacks = _count_by(
            session,
            select(CallbackEntry.owner_id, func.count())
            .join(Lead, Lead.id == CallbackEntry.lead_id)
            .where(
                CallbackEntry.owner_id.in_(ids),
                CallbackEntry.done_at.is_(None),
                CallbackEntry.due_at < day.end,
            )
            .group_by(CallbackEntry.owner_id),
        )

        def calls_in(start: datetime, end: datetime, *extra: Any) -> dict[int, int]:
            return _count_by(
                session,
                select(Call.user_id, func.count())
                .join(Lead, Lead.id == Call.lead_id)
                .where(
                    Call.user_id.in_(ids), Call.started_at >= start, Call.started_at < end, *extra
                )
                .group_by(Call.user_id),
            )

        calls_today = calls_in(day.start, day.end)
        calls_week = calls_in(week.start, week.end)
        connects = calls_in(
            period.start, period.end, Call.disposition == Disposition.CONNECTED.value
        )
        ready = _count_by(
            session,
            select(LeadHistory.user_id, func.count(func.distinct(LeadHistory.lead_id)))
            .join(Lead, Lead.id == LeadHistory.lead_id)
            .where(
                LeadHistory.user_id.in_(ids),
                LeadHistory.kind == HistoryKind.STATUS.value,
                LeadHistory.to_value == LeadStatus.SALES_READY.value,
                LeadHistory.at >= period.start,
                LeadHistory.at < period.end,
            )
            .group_by(LeadHistory.user_id),
        )
        rows = tuple(
            RepWorkload(
                u.id,
                u.login,
                u.name,
                u.role,
                queue.get(u.id, 0),
                open_leads.get(u.id, 0),
                callbacks.get(u.id, 0),
                calls_today.get(u.id, 0),
                calls_week.get(u.id, 0),
                connects.get(u.id, 0),
                ready.get(u.id, 0),
            )
            for u in reps
        )
    return Workload(rows, period, day, week, now)
