"""Status changes of a lead: checked against the lifecycle, always written to its history,
and each act that changes a status leaves one entry in the audit trail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from teleprospect.core.audit import AuditKind
from teleprospect.core.domain import HistoryKind
from teleprospect.core.lifecycle import LeadStatus, check_transition
from teleprospect.services.audit.record import record_audit
from teleprospect.services.errors import LeadNotFound
from teleprospect.store.database import Database
from teleprospect.store.models import Lead, LeadHistory


def apply_status(
    session: Session, lead: Lead, target: LeadStatus, *, user_id: int | None, reason: str = ""
) -> LeadHistory:
    """Move ``lead`` to ``target`` inside the caller's transaction, recording who and why.

    Raises :class:`~teleprospect.core.lifecycle.IllegalTransition` before anything changes.
    """
    previous = lead.status
    lead.status = check_transition(previous, target)
    entry = LeadHistory(
        lead=lead,
        user_id=user_id,
        kind=HistoryKind.STATUS,
        from_value=previous.value,
        to_value=lead.status.value,
        reason=reason,
    )
    session.add(entry)
    return entry


def audit_status_change(
    session: Session, lead: Lead, before: LeadStatus, *, user_id: int | None, reason: str
) -> None:
    """The audit trail's entry for one act that moved ``lead`` from ``before`` to where it
    is now, in the act's transaction; nothing when the status is where it was.

    An act that takes several lifecycle steps (a new lead made sales-ready on its first
    call goes through working) is one entry, from where it started to where it ended, as
    the person acting sees it; the lead's history keeps each step."""
    after = LeadStatus(lead.status)
    if after is before:
        return
    record_audit(
        session,
        AuditKind.STATUS_CHANGED,
        user_id=user_id,
        lead_id=lead.id,
        subject=f"lead {lead.id}",
        before={"status": before},
        after={"status": after, "reason": reason} if reason else {"status": after},
    )


def change_status(
    db: Database, lead_id: int, target: LeadStatus | str, *, user_id: int | None, reason: str = ""
) -> None:
    """One transaction: change the status of lead ``lead_id``, write its history row and
    its audit entry."""
    with db.write() as session:
        lead = session.get(Lead, lead_id)
        if lead is None:
            raise LeadNotFound(lead_id)
        before = LeadStatus(lead.status)
        apply_status(session, lead, LeadStatus(target), user_id=user_id, reason=reason)
        audit_status_change(session, lead, before, user_id=user_id, reason=reason)


def add_history(
    session: Session,
    lead: Lead,
    kind: HistoryKind,
    *,
    user_id: int | None,
    now: datetime,
    from_value: str | None = None,
    to_value: str | None = None,
    reason: str = "",
) -> None:
    """One line of the lead's history (not a status change), in the caller's transaction."""
    session.add(
        LeadHistory(
            lead=lead,
            user_id=user_id,
            at=now,
            kind=kind,
            from_value=from_value[:100] if from_value else from_value,
            to_value=to_value[:100] if to_value else to_value,
            reason=reason,
        )
    )
