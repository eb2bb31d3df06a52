"""Undoing a call logged a moment ago, where that can be done safely.

A call is undone by taking its logged outcome back: the call stays on record as an
attempt without an outcome (the dial was made; its notes go), the lead gets back the
attempts count, last attempt and next call time it had, and the rep holds it again to log
the call anew (as a new call: the answers given stay with the attempt, and nobody but the
schema owner deletes rows of a call). That is safe only when the call changed nothing
else, so :func:`~teleprospect.services.calls.log_call.log_call` offers an undo
(:class:`CallUndo`) only for a call with no decision, not "do not call", that moved no
status, kept no callback, changed no known answer and touched no nurture track; and
:func:`undo_logged_call` refuses, in one sentence, when the lead changed since (another
call, an edit, another rep holding it) or the call is older than :data:`UNDO_WINDOW`.
Everything else (a decision, do-not-call) is undone by a team lead, not from here.

The undo is one transaction, recorded in the audit trail as the call's logged outcome
erased (what it was, and the lead's values before and after).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from teleprospect.core.audit import AuditKind
from teleprospect.core.errors import Refused
from teleprospect.core.leases import DEFAULT_LEASE
from teleprospect.core.permissions import Action
from teleprospect.core.queue_policy import QueueTier
from teleprospect.services.audit.record import record_audit
from teleprospect.services.clock import decision_time
from teleprospect.services.errors import LeadNotFound
from teleprospect.services.identity.permissions import require_user
from teleprospect.services.queue.claims import ClaimedLead, release_in
from teleprospect.services.queue.page import local_time_text
from teleprospect.services.scoring.scores import rescore_lead
from teleprospect.store.database import Database
from teleprospect.store.models import Call, Lead, User

__all__ = ["UNDO_WINDOW", "CallUndo", "UndoRefused", "UndoneCall", "undo_logged_call"]

#: How long after it was logged a call can still be undone by the rep who logged it.
UNDO_WINDOW = timedelta(minutes=10)


class UndoRefused(Refused):
    """The call cannot be undone (any more); the message says why in one sentence."""


@dataclass(frozen=True, slots=True)
class CallUndo:
    """What the workstation keeps, for a few seconds, to undo a logged call: the call, the
    lead's version right after it was logged, and the lead's values before it."""

    call_id: int
    lead_id: int
    lead_version: int
    attempts: int
    last_attempt_at: datetime | None
    next_action_at: datetime | None


@dataclass(frozen=True, slots=True)
class UndoneCall:
    call_id: int
    lead_id: int
    #: The lead as the rep holds it again.
    claim: ClaimedLead
    #: One sentence for the status bar.
    summary: str


def undo_logged_call(
    db: Database,
    undo: CallUndo,
    user_id: int,
    *,
    release: int | None = None,
    now: datetime | None = None,
) -> UndoneCall:
    """Take back the outcome of the call of ``undo`` and give the lead back its values from
    before it; the rep holds the lead again, and ``release`` (the lead they went on to)
    goes back to the queue in the same transaction. Raises :class:`UndoRefused` when that
    is not safe any more. ``now``: None is the database's clock; a time given fixes it."""
    with db.write(brief=True) as session:
        now = decision_time(session, now)
        actor = require_user(session, user_id, Action.WORK_LEADS)
        lead = session.get(Lead, undo.lead_id, with_for_update=True)
        if lead is None:
            raise LeadNotFound(undo.lead_id)
        call = session.get(Call, undo.call_id)
        name = lead.full_name or f"lead {lead.id}"
        if call is None or call.lead_id != lead.id or call.disposition is None:
            raise UndoRefused(f"The call with {name} is not logged any more: nothing to undo.")
        if call.user_id != actor.user_id:
            raise UndoRefused(f"Only the rep who logged the call with {name} can undo it.")
        if call.ended_at is not None and now - call.ended_at > UNDO_WINDOW:
            minutes = int(UNDO_WINDOW.total_seconds() // 60)
            raise UndoRefused(
                f"The call with {name} was logged more than {minutes} minutes ago: "
                "it cannot be undone any more."
            )
        latest = session.scalar(select(func.max(Call.id)).where(Call.lead_id == lead.id))
        if latest != call.id or lead.version != undo.lead_version:
            raise UndoRefused(
                f"{name} changed since the call was logged (another call or an edit): "
                "the call cannot be undone."
            )
        holder = lead.claimed_by_id
        if (
            holder is not None
            and holder != actor.user_id
            and (lead.claim_expires_at is None or lead.claim_expires_at > now)
        ):
            who = session.scalar(select(User.name).where(User.id == holder)) or "another rep"
            raise UndoRefused(f"{who} is working on {name} now: the call cannot be undone.")

        before = {
            "disposition": call.disposition,
            "notes": call.notes,
            "duration_s": call.duration_s,
            "attempts": lead.attempts,
            "last_attempt_at": lead.last_attempt_at,
            "next_action_at": lead.next_action_at,
        }
        label = call.disposition.label.lower()
        call.disposition = None
        call.ended_at = None
        call.notes = ""
        call.duration_s = None
        call.client_action_id = None
        lead.attempts = undo.attempts
        lead.last_attempt_at = undo.last_attempt_at
        lead.next_action_at = undo.next_action_at
        expires = now + DEFAULT_LEASE
        lead.claimed_by_id = actor.user_id
        lead.claim_expires_at = expires
        if release is not None and release != lead.id:
            release_in(session, release, actor.user_id)
        rescore_lead(session, lead, now=now)
        record_audit(
            session,
            AuditKind.CALL_UNDONE,
            user_id=actor.user_id,
            lead_id=lead.id,
            subject=f"call {call.id} of lead {lead.id}: logged outcome undone",
            before=before,
            after={
                "disposition": None,
                "attempts": lead.attempts,
                "last_attempt_at": lead.last_attempt_at,
                "next_action_at": lead.next_action_at,
                "reason": "undone by the rep who logged it",
            },
        )
        session.flush()
        return UndoneCall(
            call.id,
            lead.id,
            ClaimedLead(
                lead.id,
                name,
                lead.company,
                lead.phone_e164 if lead.phone_valid else None,
                local_time_text(lead.call_zones, now),
                "its call was undone",
                QueueTier.BACKLOG,
                expires,
                None,
            ),
            f"Call with {name} ({label}) undone: the lead is yours again to log it anew.",
        )
