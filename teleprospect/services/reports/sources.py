"""Source quality: per campaign or lead source, of the leads handed off to sales in the
range, how many sales accepted and rejected, the acceptance rate, and why they rejected
(the reasons sales gave, most frequent first). "Reward teleprospectors by what sales
accepts" reads the same figures by rep."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from teleprospect.core.handoff import Verdict
from teleprospect.core.reports import Grouping, ReportFilter, rate
from teleprospect.services.reports.common import Labels, group_key, lead_conditions, measure
from teleprospect.store.models import HandoffBatch, HandoffItem, Lead

__all__ = ["SourceQualityRow", "source_quality_rows"]

#: Reasons listed per row; the rest are summed into "other reasons".
TOP_REASONS = 5
NO_REASON = "(no reason given)"


@dataclass(frozen=True, slots=True)
class SourceQualityRow:
    group: str = measure("Group", "text")
    handed_off: int = measure("Handed off")
    accepted: int = measure("Accepted")
    rejected: int = measure("Rejected")
    awaiting: int = measure("Awaiting verdict")
    acceptance_rate: float | None = measure("Acceptance rate", "rate")
    rejection_reasons: str = measure("Rejection reasons", "text")


def source_quality_rows(
    session: Session, f: ReportFilter, grouping: Grouping
) -> tuple[SourceQualityRow, ...]:
    key = group_key(grouping).label("key")
    where = [
        HandoffBatch.created_at >= f.start,
        HandoffBatch.created_at < f.end,
        *lead_conditions(f, Lead.owner_id),
    ]

    def handed_off() -> Select[Any]:
        return (
            select()
            .select_from(HandoffItem)
            .join(HandoffBatch, HandoffBatch.id == HandoffItem.batch_id)
            .join(Lead, Lead.id == HandoffItem.lead_id)
            .where(*where)
        )

    totals = (
        handed_off()
        .add_columns(
            key,
            func.count(),
            func.sum(case((HandoffItem.verdict == Verdict.ACCEPTED.value, 1), else_=0)),
            func.sum(case((HandoffItem.verdict == Verdict.REJECTED.value, 1), else_=0)),
        )
        .group_by(key)
    )
    reasons: dict[object, list[tuple[str, int]]] = defaultdict(list)
    for group, reason, count in session.execute(
        handed_off()
        .add_columns(key, HandoffItem.verdict_reason, func.count())
        .where(HandoffItem.verdict == Verdict.REJECTED.value)
        .group_by(key, HandoffItem.verdict_reason)
    ):
        reasons[group].append((reason.strip() or NO_REASON, int(count)))
    labels = Labels(session)
    rows = []
    for group, total, accepted, rejected in session.execute(totals):
        accepted, rejected = int(accepted or 0), int(rejected or 0)
        rows.append(
            SourceQualityRow(
                labels.of(grouping, group),
                total,
                accepted,
                rejected,
                total - accepted - rejected,
                rate(accepted, accepted + rejected),
                _reasons_text(reasons.get(group, [])),
            )
        )
    return tuple(sorted(rows, key=lambda r: (-r.handed_off, r.group)))


def _reasons_text(found: list[tuple[str, int]]) -> str:
    """ "no budget 3; wrong person 1" — most frequent first, then by name."""
    ordered = sorted(found, key=lambda item: (-item[1], item[0]))
    shown = [f"{reason} {count}" for reason, count in ordered[:TOP_REASONS]]
    rest = sum(count for _r, count in ordered[TOP_REASONS:])
    if rest:
        shown.append(f"other reasons {rest}")
    return "; ".join(shown)
