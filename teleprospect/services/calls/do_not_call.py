"""Do not call, for good: the lead's numbers and email on the list, every lead with one of
them flagged, their nurture ended and their callbacks closed; one audit entry says so."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from teleprospect.core.audit import AuditKind
from teleprospect.core.domain import HistoryKind
from teleprospect.services.audit.record import listed_ids, record_audit
from teleprospect.services.calls.callbacks import close_callbacks
from teleprospect.services.leads.lifecycle import add_history
from teleprospect.services.nurture.tracks import end_enrolment
from teleprospect.store.models import DoNotCallEntry, Lead, LeadPhone


def suppress(
    session: Session, lead: Lead, *, user_id: int | None, now: datetime, reason: str
) -> None:
    """Do-not-call for good: the lead's numbers and email on the list, the lead and every
    other lead with one of them flagged, with history. In the caller's transaction."""
    was_listed = lead.do_not_call
    own = [
        lead.phone_e164,
        *session.scalars(select(LeadPhone.e164).where(LeadPhone.lead_id == lead.id)),
    ]
    numbers: set[str] = {number for number in own if number}
    email = (lead.email or "").strip().lower() or None
    conditions: list[ColumnElement[bool]] = []
    if numbers:
        conditions.append(DoNotCallEntry.phone_e164.in_(numbers))
    if email:
        conditions.append(DoNotCallEntry.email == email)
    listed_numbers: set[str] = set()
    listed_emails: set[str] = set()
    if conditions:
        for phone, mail in session.execute(
            select(DoNotCallEntry.phone_e164, DoNotCallEntry.email).where(or_(*conditions))
        ):
            if phone:
                listed_numbers.add(phone)
            if mail:
                listed_emails.add(mail)
    for number in sorted(numbers - listed_numbers):
        session.add(
            DoNotCallEntry(phone_e164=number, reason=reason, added_by_id=user_id, added_at=now)
        )
    if email and email not in listed_emails:
        session.add(DoNotCallEntry(email=email, reason=reason, added_by_id=user_id, added_at=now))
    others: list[Lead] = []
    same: list[ColumnElement[bool]] = []
    if numbers:
        same.append(Lead.phone_e164.in_(numbers))
    if email:
        same.append(Lead.email == email)  # stored lower-case (core.normalise)
    if same:
        others = list(
            session.scalars(
                select(Lead).where(or_(*same), Lead.id != lead.id, Lead.do_not_call.is_(False))
            )
        )
    _audit(
        session,
        lead,
        was_listed,
        user_id=user_id,
        numbers_added=len(numbers - listed_numbers),
        email_added=bool(email and email not in listed_emails),
        others=[other.id for other in others],
    )
    for target in [lead, *others]:
        if not target.do_not_call:
            target.do_not_call = True
            why = reason if target is lead else f"same number or email as lead {lead.id}: {reason}"
            add_history(
                session,
                target,
                HistoryKind.DO_NOT_CALL,
                user_id=user_id,
                now=now,
                from_value="no",
                to_value="yes",
                reason=why,
            )
        target.next_action_at = None
        end_enrolment(session, target, reason="do not call", user_id=user_id, now=now)
        close_callbacks(session, target.id, now, due_only=False)


def _audit(
    session: Session,
    lead: Lead,
    was_listed: bool,
    *,
    user_id: int | None,
    numbers_added: int,
    email_added: bool,
    others: list[int],
) -> None:
    # Counts, not the numbers or the email: the trail cannot be edited, so it holds no
    # contact data an erasure would have to reach (the list and the history have them).
    after: dict[str, object] = {
        "do_not_call": True,
        "numbers_listed": numbers_added,
        "email_listed": email_added,
    }
    if others:
        after["other_leads_flagged"] = len(others)
        ids = listed_ids(others)
        if ids is not None:
            after["other_lead_ids"] = ids
    record_audit(
        session,
        AuditKind.DO_NOT_CALL_CHANGED,
        user_id=user_id,
        lead_id=lead.id,
        subject=f"lead {lead.id}",
        before={"do_not_call": was_listed},
        after=after,
    )
