"""The teleprospecting waterfall: of the leads that arrived in the range, how many were
worked, connected, qualified (made sales-ready), handed off, and accepted or rejected by
sales; the conversion between stages and the average time spent in each.

One row per campaign, lead source or rep (the lead's owner). Each lead is followed to
today, whatever the range: the range picks the cohort by arrival.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, case, func, select
from sqlalchemy.orm import Session

from teleprospect.core.domain import Disposition, HistoryKind
from teleprospect.core.handoff import Verdict
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.reports import Grouping, ReportFilter, rate
from teleprospect.services.reports.common import (
    Labels,
    as_float,
    epoch,
    group_key,
    lead_conditions,
    measure,
)
from teleprospect.store.models import Call, HandoffBatch, HandoffItem, Lead, LeadHistory

__all__ = ["WaterfallRow", "waterfall_rows"]

HOUR_S = 3600


@dataclass(frozen=True, slots=True)
class WaterfallRow:
    group: str = measure("Group", "text")
    arrived: int = measure("Arrived")
    worked: int = measure("Worked")
    connected: int = measure("Connected")
    qualified: int = measure("Sales-ready")
    handed_off: int = measure("Handed off")
    accepted: int = measure("Accepted")
    rejected: int = measure("Rejected")
    #: Verdicts do not say whether sales won the deal yet: always empty.
    won: int | None = measure("Won")
    worked_rate: float | None = measure("Worked / arrived", "rate")
    connect_rate: float | None = measure("Connected / worked", "rate")
    qualify_rate: float | None = measure("Sales-ready / connected", "rate")
    handoff_rate: float | None = measure("Handed off / sales-ready", "rate")
    acceptance_rate: float | None = measure("Accepted / judged", "rate")
    hours_to_first_call: float | None = measure("Hours to first call", "hours")
    hours_to_sales_ready: float | None = measure("Hours first call → sales-ready", "hours")
    hours_to_handoff: float | None = measure("Hours sales-ready → hand-off", "hours")
    hours_to_verdict: float | None = measure("Hours hand-off → verdict", "hours")


def _hours(seconds: object) -> float | None:
    value = as_float(seconds, 6)
    return None if value is None else round(value / HOUR_S, 1)


def waterfall_rows(
    session: Session, f: ReportFilter, grouping: Grouping
) -> tuple[WaterfallRow, ...]:
    """Three aggregates by group, merged: every lead of the cohort with its first attempt
    and connect (one index seek each), then only the few leads made sales-ready, and the
    few handed off, each read from its own side."""
    key = group_key(grouping).label("key")
    cohort = [
        Lead.created_at >= f.start,
        Lead.created_at < f.end,
        *lead_conditions(f, Lead.owner_id),
    ]
    per_lead = (
        select(
            key,
            epoch(Lead.created_at).label("arrived"),
            epoch(_first_call(Lead.id)).label("first_call"),
            epoch(_first_call(Lead.id, connected=True)).label("first_connect"),
        )
        .where(*cohort)
        # Materialized: each lead's subqueries run once, not once per aggregate using them.
        .cte("per_lead")
        .prefix_with("MATERIALIZED")
    )
    c = per_lead.c
    calls = {
        row[0]: row[1:]
        for row in session.execute(
            select(
                c.key,
                func.count(),
                func.count(c.first_call),
                func.count(c.first_connect),
                func.avg(c.first_call - c.arrived),
            ).group_by(c.key)
        )
    }
    ready_leads = (
        select(
            key,
            epoch(func.min(LeadHistory.at)).label("ready"),
            epoch(_first_call(Lead.id)).label("first_call"),
        )
        .select_from(LeadHistory)
        .join(Lead, Lead.id == LeadHistory.lead_id)
        .where(*_made_sales_ready(), *cohort)
        .group_by(Lead.id)
        .subquery()
    )
    r = ready_leads.c
    ready = {
        row[0]: row[1:]
        for row in session.execute(
            select(r.key, func.count(), func.avg(r.ready - r.first_call)).group_by(r.key)
        )
    }
    ready_at = (
        select(func.min(LeadHistory.at))
        .where(LeadHistory.lead_id == Lead.id, *_made_sales_ready())
        .scalar_subquery()
    )
    handed_leads = (
        select(
            key,
            epoch(func.min(HandoffBatch.created_at)).label("handed"),
            # A lead handed off twice is "accepted" if any verdict accepted it
            # ('accepted' sorts before 'rejected').
            func.min(HandoffItem.verdict, type_=String).label("verdict"),
            epoch(func.max(HandoffItem.verdict_at)).label("verdict_at"),
            epoch(ready_at).label("ready"),
        )
        .select_from(HandoffItem)
        .join(HandoffBatch, HandoffBatch.id == HandoffItem.batch_id)
        .join(Lead, Lead.id == HandoffItem.lead_id)
        .where(*cohort)
        .group_by(Lead.id)
        .subquery()
    )
    h = handed_leads.c
    handed = {
        row[0]: row[1:]
        for row in session.execute(
            select(
                h.key,
                func.count(),
                func.sum(case((h.verdict == Verdict.ACCEPTED.value, 1), else_=0)),
                func.sum(case((h.verdict == Verdict.REJECTED.value, 1), else_=0)),
                func.avg(h.handed - h.ready),
                func.avg(case((h.verdict.is_not(None), h.verdict_at - h.handed))),
            ).group_by(h.key)
        )
    }
    labels = Labels(session)
    rows = []
    for group, (arrived, worked, connected, to_first_call) in calls.items():
        qualified, to_ready = ready.get(group, (0, None))
        handed_off, accepted, rejected, to_handoff, to_verdict = handed.get(
            group, (0, 0, 0, None, None)
        )
        accepted, rejected = int(accepted or 0), int(rejected or 0)
        rows.append(
            WaterfallRow(
                labels.of(grouping, group),
                arrived,
                worked,
                connected,
                qualified,
                handed_off,
                accepted,
                rejected,
                None,
                rate(worked, arrived),
                rate(connected, worked),
                rate(qualified, connected),
                rate(handed_off, qualified),
                rate(accepted, accepted + rejected),
                *(_hours(s) for s in (to_first_call, to_ready, to_handoff, to_verdict)),
            )
        )
    return tuple(sorted(rows, key=lambda r: (-r.arrived, r.group)))


def _first_call(lead_id: Any, *, connected: bool = False) -> Any:
    """When the lead was first dialled (or first reached): a seek in the index on
    (lead_id, started_at, disposition), which holds both."""
    outcome = (
        Call.disposition == Disposition.CONNECTED.value
        if connected
        else Call.disposition.is_not(None)
    )
    return (
        select(func.min(Call.started_at)).where(Call.lead_id == lead_id, outcome).scalar_subquery()
    )


def _made_sales_ready() -> list[Any]:
    return [
        LeadHistory.kind == HistoryKind.STATUS.value,
        LeadHistory.to_value == LeadStatus.SALES_READY.value,
    ]
