"""Status changes of a lead: checked against the lifecycle, always written to its history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from teleprospect.core.domain import HistoryKind
from teleprospect.core.lifecycle import LeadStatus, check_transition
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


def change_status(
    db: Database, lead_id: int, target: LeadStatus | str, *, user_id: int | None, reason: str = ""
) -> None:
    """One transaction: change the status of lead ``lead_id`` and write its history row."""
    with db.write() as session:
        lead = session.get(Lead, lead_id)
        if lead is None:
            raise LeadNotFound(lead_id)
        apply_status(session, lead, LeadStatus(target), user_id=user_id, reason=reason)


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
