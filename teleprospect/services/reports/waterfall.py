"""The teleprospecting waterfall: of the leads that arrived in the range, how many were
worked, connected, qualified (made sales-ready), handed off, and accepted or rejected by
sales; the conversion between stages and the average time spent in each.

One row per campaign, lead source or rep (the lead's owner). Each lead is followed to
today, whatever the range: the range picks the cohort by arrival.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    key = group_key(grouping).label("key")
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
    ready_at = (
        select(func.min(LeadHistory.at))
        .where(
            LeadHistory.lead_id == Lead.id,
            LeadHistory.kind == HistoryKind.STATUS.value,
            LeadHistory.to_value == LeadStatus.SALES_READY.value,
        )
        .scalar_subquery()
    )
    handed_at = (
        select(func.min(HandoffBatch.created_at))
        .join(HandoffItem, HandoffItem.batch_id == HandoffBatch.id)
        .where(HandoffItem.lead_id == Lead.id)
        .scalar_subquery()
    )
    # A lead handed off twice is "accepted" if any verdict accepted it ('accepted' sorts
    # before 'rejected').
    verdict = (
        select(func.min(HandoffItem.verdict, type_=String))
        .where(HandoffItem.lead_id == Lead.id)
        .scalar_subquery()
    )
    verdict_at = (
        select(func.max(HandoffItem.verdict_at))
        .where(HandoffItem.lead_id == Lead.id)
        .scalar_subquery()
    )
    per_lead = (
        select(
            key,
            epoch(Lead.created_at).label("arrived"),
            epoch(first_call).label("first_call"),
            epoch(first_connect).label("first_connect"),
            epoch(ready_at).label("ready"),
            epoch(handed_at).label("handed"),
            verdict.label("verdict"),
            epoch(verdict_at).label("verdict_at"),
        )
        .where(
            Lead.created_at >= f.start,
            Lead.created_at < f.end,
            *lead_conditions(f, Lead.owner_id),
        )
        .subquery()
    )
    c = per_lead.c
    query = select(
        c.key,
        func.count(),
        func.count(c.first_call),
        func.count(c.first_connect),
        func.count(c.ready),
        func.count(c.handed),
        func.sum(case((c.verdict == Verdict.ACCEPTED.value, 1), else_=0)),
        func.sum(case((c.verdict == Verdict.REJECTED.value, 1), else_=0)),
        func.avg(c.first_call - c.arrived),
        func.avg(c.ready - c.first_call),
        func.avg(c.handed - c.ready),
        func.avg(case((c.verdict.is_not(None), c.verdict_at - c.handed))),
    ).group_by(c.key)
    labels = Labels(session)
    rows = []
    for found in session.execute(query):
        group, arrived, worked, connected, ready, handed = found[:6]
        accepted, rejected = int(found[6] or 0), int(found[7] or 0)
        rows.append(
            WaterfallRow(
                labels.of(grouping, group),
                arrived,
                worked,
                connected,
                ready,
                handed,
                accepted,
                rejected,
                None,
                rate(worked, arrived),
                rate(connected, worked),
                rate(ready, connected),
                rate(handed, ready),
                rate(accepted, accepted + rejected),
                *(_hours(found[i]) for i in range(8, 12)),
            )
        )
    return tuple(sorted(rows, key=lambda r: (-r.arrived, r.group)))
