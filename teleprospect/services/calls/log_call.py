"""Calls: start an attempt, log it with its answers and outcome, and apply the decision.

:func:`log_call` is one transaction that leaves the lead right for sales and marketing:
the call row finished (or created), the answers kept with the call and as the lead's known
answers, the lead re-scored (answers feed the qualification points), the retry rule of
the disposition applied (:func:`teleprospect.core.queue_policy.next_action_after` with the
team's rules), the decision applied through the lifecycle with history, do-not-call
numbers and email suppressed, and the user's claim released.

Whether someone else holds the lead, when it may be called again and which callbacks the
call keeps are judged on the database's clock (the server's on PostgreSQL), like every
lease: a rep whose clock is fast cannot save a call on a lead another rep holds.

A decision that cannot be applied raises :class:`DecisionRefused` before anything is
written: the whole transaction is rolled back, so nothing of the call is half-saved and the
caller (who keeps a local draft) can correct the decision and save again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from teleprospect.core.decisions import DecisionKind
from teleprospect.core.domain import Disposition
from teleprospect.core.errors import Refused
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.permissions import Action, PermissionDenied
from teleprospect.core.queue_policy import (
    CallingHours,
    ExhaustedOutcome,
    RetryDecision,
    RetryRules,
    is_callable_now,
    next_action_after,
)
from teleprospect.core.scripts import AnswerValue
from teleprospect.services.calls.callbacks import close_callbacks
from teleprospect.services.calls.decisions import (
    Decision,
    apply_decision,
    check_in_session,
    disposition_of,
    when,
)
from teleprospect.services.calls.do_not_call import suppress
from teleprospect.services.calls.readiness import CallContext, call_context
from teleprospect.services.calls.scripts import active_script
from teleprospect.services.calls.undo import CallUndo
from teleprospect.services.clock import decision_time
from teleprospect.services.errors import LeadNotFound
from teleprospect.services.identity.permissions import require_user
from teleprospect.services.leads.lifecycle import apply_status, audit_status_change
from teleprospect.services.nurture.tracks import (
    after_nurture_call,
    best_track,
    enrol,
    record_call_touch,
)
from teleprospect.services.queue.claims import ClaimNotHeld
from teleprospect.services.scoring.scores import known_answers, rescore_lead
from teleprospect.store.database import Database
from teleprospect.store.models import Call, CallAnswer, DoNotCallEntry, Lead, LeadAnswer, User

__all__ = [
    "CallNotAllowed",
    "CallStarted",
    "ClaimRequired",
    "LeadNotYours",
    "LoggedCall",
    "log_call",
    "log_call_in_session",
    "start_call",
]


class ClaimRequired(ClaimNotHeld):
    """The user does not hold the lead's claim; the message names who does."""


class CallNotAllowed(Refused):
    """The lead may not be dialled now (do-not-call, no number, outside the legal hours)."""


class LeadNotYours(PermissionDenied):
    """The database lets this login read the lead but not change it (row-level security
    on a team server: another rep's lead)."""


@dataclass(frozen=True)
class CallStarted:
    call_id: int
    lead_id: int
    started_at: datetime
    number: str


@dataclass(frozen=True)
class LoggedCall:
    call_id: int
    lead_id: int
    status: LeadStatus
    score: int
    next_action_at: datetime | None
    #: One sentence for the status bar.
    summary: str
    #: What undoes the call a moment later (None: it cannot be undone safely, see
    #: :mod:`teleprospect.services.calls.undo`).
    undo: CallUndo | None = None


def _user_name(session: Session, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    return session.scalar(select(User.name).where(User.id == user_id))


def _live_holder(lead: Lead, now: datetime) -> int | None:
    if lead.claimed_by_id is None:
        return None
    if lead.claim_expires_at is not None and lead.claim_expires_at <= now:
        return None
    return lead.claimed_by_id


def _claim_required(session: Session, lead: Lead, holder: int | None, now: datetime) -> None:
    if holder is None:
        raise ClaimRequired(
            f"You have not claimed lead {lead.id} ({lead.full_name}); open it from the queue"
            " first so nobody else calls them meanwhile."
        )
    name = _user_name(session, holder) or "someone else"
    until = f" until {lead.claim_expires_at:%H:%M} UTC" if lead.claim_expires_at else ""
    raise ClaimRequired(f"Lead {lead.id} ({lead.full_name}) is held by {name}{until}.")


def _load_lead(session: Session, lead_id: int) -> Lead:
    lead = session.get(Lead, lead_id, with_for_update=True)
    if lead is None:
        # Row-level security hides from FOR UPDATE the leads a rep may read but not change.
        owner = session.execute(
            select(User.name)
            .select_from(Lead)
            .outerjoin(User, User.id == Lead.owner_id)
            .where(Lead.id == lead_id)
        ).first()
        if owner is not None:
            whose = f"{owner.name}'s" if owner.name else "not yours"
            raise LeadNotYours(
                f"Lead {lead_id} is {whose}: only its owner or a team lead may call it."
            )
        raise LeadNotFound(lead_id)
    return lead


def start_call(
    db: Database,
    lead_id: int,
    user_id: int,
    *,
    number: str | None = None,
    now: datetime | None = None,
) -> CallStarted:
    """Record an attempt at once: a call row with its start time and the number dialled
    (the lead's phone when ``number`` is None). The user must hold the lead's claim.
    ``now``: None is the database's clock; a time given fixes it (tests)."""
    active = active_script(db)
    with db.write() as session:
        now = decision_time(session, now)
        require_user(session, user_id, Action.WORK_LEADS)
        lead = _load_lead(session, lead_id)
        holder = _live_holder(lead, now)
        if holder != user_id:
            _claim_required(session, lead, holder, now)
        if lead.do_not_call:
            raise CallNotAllowed(f"{lead.full_name or 'This lead'} is on the do-not-call list.")
        dialled = (number or "").strip() or lead.phone_e164 or lead.phone_raw.strip()
        if not dialled:
            raise CallNotAllowed(f"Lead {lead.id} has no phone number to call.")
        suppressed = session.scalar(
            select(DoNotCallEntry.id).where(DoNotCallEntry.phone_e164 == dialled).limit(1)
        )
        if suppressed is not None:
            raise CallNotAllowed(f"The number {dialled} is on the do-not-call list.")
        zones = lead.call_zones.split()
        if zones:
            legal = is_callable_now(zones, now, CallingHours.legal_limit())
            if not legal.ok:
                raise CallNotAllowed(
                    f"Calls are allowed only between 08:00 and 21:00 the lead's time; it is"
                    f" {legal.reason.removeprefix('outside calling hours ')}."
                )
        call = Call(
            lead_id=lead.id,
            user_id=user_id,
            started_at=now,
            dialed_number=dialled[:64],
            script_version_id=active.id,
        )
        session.add(call)
        session.flush()
        return CallStarted(call.id, lead.id, now, dialled)


def _logged_before(session: Session, client_action_id: str) -> LoggedCall | None:
    call = session.scalar(select(Call).where(Call.client_action_id == client_action_id))
    if call is None:
        return None
    lead = session.get(Lead, call.lead_id)
    assert lead is not None  # a call goes with its lead
    label = call.disposition.label.lower() if call.disposition is not None else "no outcome"
    return LoggedCall(
        call_id=call.id,
        lead_id=lead.id,
        status=LeadStatus(lead.status),
        score=lead.score,
        next_action_at=lead.next_action_at,
        summary=f"Call with {lead.full_name or f'lead {lead.id}'} was logged already ({label}).",
    )


def _first_attempt_of_round(
    session: Session, lead: Lead, attempts: int, rules: RetryRules
) -> datetime | None:
    """When the first of the lead's ``attempts`` latest counted attempts was made."""
    if attempts <= 0:
        return None
    counted = [d.value for d in Disposition if rules.rule_for(d).counts_as_attempt]
    starts = session.scalars(
        select(Call.started_at)
        .where(Call.lead_id == lead.id, Call.disposition.in_(counted))
        .order_by(Call.started_at.desc())
        .limit(attempts)
    ).all()
    return starts[-1] if starts else None


def _save_answers(
    session: Session, ctx: CallContext, call: Call, user_id: int, now: datetime
) -> None:
    lead = ctx.lead
    for qid, value in ctx.given.items():
        session.add(CallAnswer(call_id=call.id, question_id=qid, value=value))
    existing = {
        row.question_id: row
        for row in session.scalars(select(LeadAnswer).where(LeadAnswer.lead_id == lead.id))
    }
    for qid in ctx.dropped:
        row = existing.pop(qid, None)
        if row is not None:
            session.delete(row)
    for qid, value in ctx.given.items():
        row = existing.get(qid)
        if row is None:
            session.add(
                LeadAnswer(
                    lead_id=lead.id,
                    question_id=qid,
                    value=value,
                    call_id=call.id,
                    answered_at=now,
                    answered_by_id=user_id,
                )
            )
        elif row.value != value:
            row.value = value
            row.call_id = call.id
            row.answered_at = now
            row.answered_by_id = user_id
    session.flush()


def _next_business_day(at: datetime) -> datetime:
    result = at + timedelta(days=1)
    while result.weekday() >= 5:
        result += timedelta(days=1)
    return result


def _no_decision(
    session: Session,
    ctx: CallContext,
    retry: RetryDecision,
    disposition: Disposition,
    user_id: int,
    call_id: int,
) -> str:
    """What follows a call without a decision: the retry rule, or attempts run out."""
    lead, now = ctx.lead, ctx.now
    status = LeadStatus(lead.status)
    if status is LeadStatus.NURTURE:
        if retry.next_action_at is not None and not retry.exhausted:
            lead.next_action_at = retry.next_action_at
            return f"{retry.reason} ({when(retry.next_action_at)})"
        # The call step is made (or given up): recorded, and the next touch scheduled.
        lead.attempts = 0
        upcoming = after_nurture_call(
            session,
            lead,
            now=now,
            user_id=user_id,
            call_id=call_id,
            outcome=disposition.label.lower(),
        )
        if LeadStatus(lead.status) is not LeadStatus.NURTURE:
            return "track finished: back to the call queue for a re-qualification call"
        if upcoming is None:
            return "stays in nurture; no call step left in its track"
        return f"stays in nurture; next call step {when(upcoming)}"
    if status is not LeadStatus.WORKING:
        return retry.reason
    if retry.exhausted:
        outcome = ctx.settings.retry.on_exhausted
        if outcome is ExhaustedOutcome.NURTURE:
            track = best_track(session, lead)
            apply_status(
                session,
                lead,
                LeadStatus.NURTURE,
                user_id=user_id,
                reason=f"{retry.reason}: back to nurture ({track.name})",
            ).at = now
            lead.attempts = 0
            enrolled = enrol(session, lead, track.key, user_id=user_id, now=now, call_id=call_id)
            ahead = f", next call {when(enrolled.next_call_at)}" if enrolled.next_call_at else ""
            return f"{retry.reason}: back to nurture in {track.name}{ahead}"
        apply_status(
            session,
            lead,
            LeadStatus.DISQUALIFIED,
            user_id=user_id,
            reason=f"unreachable: {retry.reason}",
        ).at = now
        lead.next_action_at = None
        return f"{retry.reason}: closed as unreachable"
    if retry.next_action_at is not None:
        lead.next_action_at = retry.next_action_at
        return f"{retry.reason} ({when(retry.next_action_at)})"
    # No automatic retry and nothing decided: follow up on the next business day rather
    # than put the lead straight back at the top of the queue.
    lead.next_action_at = _next_business_day(now)
    return f"{disposition.label.lower()}: no decision, follow up {when(lead.next_action_at)}"


def log_call(
    db: Database,
    lead_id: int,
    user_id: int,
    *,
    disposition: Disposition | str,
    call_id: int | None = None,
    duration_s: int | None = None,
    notes: str = "",
    answers: Mapping[str, AnswerValue | None] | None = None,
    script_version_id: int | None = None,
    decision: Decision | None = None,
    client_action_id: str | None = None,
    now: datetime | None = None,
) -> LoggedCall:
    """Log one call and apply its outcome, in one transaction (see the module docstring).

    ``call_id``: the attempt :func:`start_call` recorded (None: a call row is made here).
    ``answers``: typed answers by question id of the script version used (the call's, or
    ``script_version_id``, or the one in use); a None value clears a known answer.
    ``client_action_id``: the workstation's id for this save (a UUID), kept on the call: the
    same call kept on the workstation while the server seemed away is never logged twice.
    The user must hold the lead's claim, or nobody may: a lead held by someone else
    raises :class:`ClaimRequired`. A refused decision raises :class:`DecisionRefused`;
    bad answers :class:`AnswerError`; in both cases nothing is written.
    ``now``: None is the database's clock; a time given fixes it (tests).
    """
    with db.write() as session:
        return log_call_in_session(
            session,
            lead_id,
            user_id,
            disposition=disposition,
            call_id=call_id,
            duration_s=duration_s,
            notes=notes,
            answers=answers,
            script_version_id=script_version_id,
            decision=decision,
            client_action_id=client_action_id,
            now=now,
        )


def log_call_in_session(
    session: Session,
    lead_id: int,
    user_id: int,
    *,
    disposition: Disposition | str,
    call_id: int | None = None,
    duration_s: int | None = None,
    notes: str = "",
    answers: Mapping[str, AnswerValue | None] | None = None,
    script_version_id: int | None = None,
    decision: Decision | None = None,
    client_action_id: str | None = None,
    now: datetime | None = None,
) -> LoggedCall:
    """:func:`log_call` inside the caller's transaction (replaying a workstation's journal
    records the entry in the same one)."""
    now = decision_time(session, now)
    disposition = disposition_of(disposition)
    if duration_s is not None and duration_s < 0:
        raise ValueError("A call cannot last less than 0 seconds.")
    if client_action_id is not None:
        earlier = _logged_before(session, client_action_id)
        if earlier is not None:
            # Saved already (the answer was lost on the way back): the same call, once.
            return earlier
    # Also refuses a deactivated account, whatever the front-end offered.
    require_user(session, user_id, Action.WORK_LEADS)
    lead = _load_lead(session, lead_id)
    holder = _live_holder(lead, now)
    if holder is not None and holder != user_id:
        _claim_required(session, lead, holder, now)
    status_before = LeadStatus(lead.status)
    before = (lead.attempts or 0, lead.last_attempt_at, lead.next_action_at)
    call = None
    if call_id is not None:
        call = session.get(Call, call_id)
        if call is None or call.lead_id != lead.id:
            raise ValueError(f"Call {call_id} is no call of lead {lead.id}.")
        if call.disposition is not None:
            raise ValueError(f"Call {call_id} was logged already ({call.disposition.label}).")
    ctx = call_context(session, lead, answers or {}, script_version_id, call, now)
    if decision is not None:
        check_in_session(session, ctx, decision, disposition)

    # -- from here on, writes (nothing above wrote anything the caller would see)
    if call is None:
        started = now - timedelta(seconds=duration_s or 0)
        call = Call(
            lead_id=lead.id,
            user_id=user_id,
            started_at=started,
            dialed_number=(lead.phone_e164 or lead.phone_raw or "")[:64],
        )
        session.add(call)
    elif duration_s is None:
        duration_s = max(0, int((now - call.started_at).total_seconds()))
    call.ended_at = now
    call.disposition = disposition
    call.notes = notes
    call.duration_s = duration_s
    call.script_version_id = ctx.version.id
    if client_action_id is not None:
        call.client_action_id = client_action_id
    session.flush()
    # Whether the call changes the lead's known answers (a call that does is not undone).
    answers_kept = not ctx.dropped and (
        not ctx.given
        or all(
            known.get(qid) == value
            for known in [known_answers(session, lead.id)]
            for qid, value in ctx.given.items()
        )
    )
    _save_answers(session, ctx, call, user_id, now)

    rules = ctx.settings.retry
    retry = next_action_after(
        disposition,
        now,
        lead.attempts or 0,
        _first_attempt_of_round(session, lead, lead.attempts or 0, rules),
        rules,
    )
    lead.attempts = retry.attempts
    lead.last_attempt_at = now
    if LeadStatus(lead.status) is LeadStatus.NEW:
        apply_status(
            session, lead, LeadStatus.WORKING, user_id=user_id, reason="first call"
        ).at = now
    if decision is not None:
        if status_before is LeadStatus.NURTURE:
            # The track's call step is made by this call, whatever is decided now.
            record_call_touch(
                session,
                lead,
                now=now,
                user_id=user_id,
                call_id=call.id,
                outcome=disposition.label.lower(),
            )
        outcome, stored_reason = apply_decision(session, ctx, decision, user_id)
        call.decision_kind = DecisionKind(decision.kind)
        call.decision_reason = stored_reason
    elif disposition is Disposition.DO_NOT_CALL:
        suppress(session, lead, user_id=user_id, now=now, reason="asked not to be called")
        outcome = "on the do-not-call list for good"
    else:
        outcome = _no_decision(session, ctx, retry, disposition, user_id, call.id)
    kept_callbacks = 0
    if decision is None or DecisionKind(decision.kind) is not DecisionKind.CALLBACK:
        # Calling after a callback fell due keeps that promise.
        kept_callbacks = close_callbacks(session, lead.id, now, due_only=True)
    audit_status_change(
        session,
        lead,
        status_before,
        user_id=user_id,
        reason=f"call {call.id} ({disposition.label.lower()}): {outcome}",
    )
    score = rescore_lead(session, lead, now=now)
    if lead.claimed_by_id == user_id:
        lead.claimed_by_id = None
        lead.claim_expires_at = None
    session.flush()
    name = lead.full_name or f"lead {lead.id}"
    summary = f"Call with {name} logged ({disposition.label.lower()}): {outcome}."
    # Only a call that changed nothing but the lead's retry values can be undone safely.
    undoable = (
        decision is None
        and disposition is not Disposition.DO_NOT_CALL
        and status_before is LeadStatus.WORKING
        and LeadStatus(lead.status) is LeadStatus.WORKING
        and not retry.exhausted
        and answers_kept
        and not kept_callbacks
    )
    return LoggedCall(
        call_id=call.id,
        lead_id=lead.id,
        status=LeadStatus(lead.status),
        score=score,
        next_action_at=lead.next_action_at,
        summary=summary,
        undo=CallUndo(call.id, lead.id, lead.version, *before) if undoable else None,
    )
