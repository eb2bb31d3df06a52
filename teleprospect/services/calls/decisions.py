"""Decisions at the end of a call: sales-ready, exception, nurture, callback, disqualify,
do not call. Each is checked before anything is written (:class:`DecisionRefused` names
what is missing) and then applied through the lifecycle, with history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from teleprospect.core.callback_slots import callback_problem
from teleprospect.core.decisions import DecisionKind
from teleprospect.core.domain import Disposition, HistoryKind
from teleprospect.core.errors import Refused
from teleprospect.core.lifecycle import IllegalTransition, LeadStatus, can_transition
from teleprospect.core.nurture import Track
from teleprospect.core.scripts import AnswerValue, DisqualifyReason, ExceptionReason
from teleprospect.services.calls.callbacks import close_callbacks
from teleprospect.services.calls.do_not_call import suppress
from teleprospect.services.calls.readiness import CallContext, call_context
from teleprospect.services.clock import decision_time
from teleprospect.services.errors import LeadNotFound
from teleprospect.services.leads.lifecycle import add_history, apply_status
from teleprospect.services.nurture.tracks import (
    NoNurtureTracks,
    TrackNotFound,
    best_track,
    end_enrolment,
    enrol,
    track_by_key,
)
from teleprospect.services.settings.team_settings import QueueSettings
from teleprospect.store.database import Database
from teleprospect.store.models import CallbackEntry, Lead


class DecisionRefused(Refused):
    """The decision cannot be applied; nothing was written.

    ``reason`` is one sentence for the user; ``missing`` lists the readiness checks not met
    when sales-ready was refused (empty otherwise).
    """

    def __init__(self, reason: str, missing: tuple[str, ...] = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.missing = tuple(missing)


@dataclass(frozen=True)
class Decision:
    kind: DecisionKind
    #: EXCEPTION: an ExceptionReason value; DISQUALIFY: a DisqualifyReason value.
    reason: str = ""
    note: str = ""
    #: NURTURE: the track (None: the first suggested one).
    track_key: str | None = None
    #: NURTURE: the track's first touch (None: now).
    next_touch_at: datetime | None = None
    #: CALLBACK: when to call.
    callback_at: datetime | None = None
    #: CALLBACK: only the user may make it (False: anyone in the team).
    personal: bool = True
    #: CALLBACK: the lead asked for that time (the team's calling hours give way).
    at_lead_request: bool = False


def aware(value: datetime | None, what: str) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise DecisionRefused(f"The {what} needs a time zone (it was given without one).")
    return value.astimezone(UTC)


def when(at: datetime) -> str:
    return f"{at:%a %d %b %H:%M} UTC"


def disposition_of(value: Disposition | str) -> Disposition:
    try:
        return Disposition(value)
    except ValueError:
        known = ", ".join(d.value for d in Disposition)
        raise ValueError(f"There is no disposition {value!r}; use one of {known}.") from None


_TARGET = {
    DecisionKind.SALES_READY: LeadStatus.SALES_READY,
    DecisionKind.EXCEPTION: LeadStatus.SALES_READY,
    DecisionKind.NURTURE: LeadStatus.NURTURE,
    DecisionKind.CALLBACK: LeadStatus.WORKING,
    DecisionKind.DISQUALIFY: LeadStatus.DISQUALIFIED,
}


def _status_path(current: LeadStatus, target: LeadStatus) -> list[LeadStatus]:
    """The lifecycle moves from ``current`` to ``target``: direct, or through working (a
    new lead is worked by this call; a nurture lead is back in work when called)."""
    if current is target:
        return []
    if can_transition(current, target):
        return [target]
    if can_transition(current, LeadStatus.WORKING) and can_transition(LeadStatus.WORKING, target):
        return [LeadStatus.WORKING, target]
    raise IllegalTransition(current, target)


def _reason_code(enum: type[Any], value: str, what: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        known = ", ".join(f"{r.value} ({r.label})" for r in enum)
        raise DecisionRefused(f"Choose a reason to {what}: one of {known}.") from None


def _nurture_track(session: Session, lead: Lead, decision: Decision) -> Track:
    try:
        if decision.track_key:
            return track_by_key(session, decision.track_key)[1]
        return best_track(session, lead)
    except (TrackNotFound, NoNurtureTracks) as exc:
        raise DecisionRefused(str(exc)) from None


def check_in_session(
    session: Session, ctx: CallContext, decision: Decision, disposition: Disposition | None
) -> None:
    """Raise :class:`DecisionRefused` when ``decision`` cannot be applied; writes nothing."""
    lead, kind, now = ctx.lead, DecisionKind(decision.kind), ctx.now
    if disposition is Disposition.DO_NOT_CALL and kind not in (
        DecisionKind.DO_NOT_CALL,
        DecisionKind.DISQUALIFY,
    ):
        raise DecisionRefused(
            f"The call ended with “do not call”: the lead cannot also be {kind.label.lower()}."
        )
    if lead.do_not_call and kind not in (DecisionKind.DO_NOT_CALL, DecisionKind.DISQUALIFY):
        raise DecisionRefused(
            f"{lead.full_name or 'This lead'} is on the do-not-call list; they can only be"
            " disqualified."
        )
    target = _TARGET.get(kind)
    if target is not None:
        try:
            _status_path(LeadStatus(lead.status), target)
        except IllegalTransition as exc:
            raise DecisionRefused(str(exc)) from None
    if kind is DecisionKind.SALES_READY:
        if not ctx.readiness.ready:
            missing = ctx.readiness.missing
            raise DecisionRefused(
                "Not sales-ready yet: " + "; ".join(missing) + ". Send it as an exception"
                " (best handled by a salesperson) with a reason, or choose another decision.",
                missing,
            )
    elif kind is DecisionKind.EXCEPTION:
        reason = _reason_code(ExceptionReason, decision.reason, "send the lead as an exception")
        if reason.needs_note and not decision.note.strip():
            raise DecisionRefused("Say in the note why the lead is best handled by a salesperson.")
    elif kind is DecisionKind.NURTURE:
        _nurture_track(session, lead, decision)
        touch = aware(decision.next_touch_at, "next touch")
        if touch is not None and touch < now - timedelta(minutes=1):
            raise DecisionRefused(
                f"The next touch ({when(touch)}) is in the past; choose a later date."
            )
    elif kind is DecisionKind.CALLBACK:
        _check_callback(lead, decision, ctx.settings, now)
    elif kind is DecisionKind.DISQUALIFY:
        reason = _reason_code(DisqualifyReason, decision.reason, "disqualify the lead")
        if reason.needs_note and not decision.note.strip():
            raise DecisionRefused("Say in the note why the lead is disqualified.")


def _check_callback(lead: Lead, decision: Decision, settings: QueueSettings, now: datetime) -> None:
    at = aware(decision.callback_at, "callback time")
    if at is None:
        raise DecisionRefused("Choose when to call back.")
    problem = callback_problem(
        lead.call_zones.split(),
        at,
        now,
        settings.hours,
        at_lead_request=decision.at_lead_request,
        describe=when,
    )
    if problem is not None:
        raise DecisionRefused(problem)


def _move(
    session: Session,
    lead: Lead,
    target: LeadStatus,
    *,
    user_id: int | None,
    now: datetime,
    reason: str,
    via_reason: str,
) -> None:
    for step in _status_path(LeadStatus(lead.status), target):
        entry = apply_status(
            session, lead, step, user_id=user_id, reason=reason if step is target else via_reason
        )
        entry.at = now


def apply_decision(
    session: Session, ctx: CallContext, decision: Decision, user_id: int
) -> tuple[str, str]:
    """Apply ``decision`` (already checked). Returns (summary, reason stored on the call)."""
    lead, now = ctx.lead, ctx.now
    kind = DecisionKind(decision.kind)
    note = decision.note.strip()
    with_note = f" — {note}" if note else ""
    via = "called back into work"
    if kind is DecisionKind.SALES_READY:
        reason = f"readiness rule met (score {ctx.score} of at least {ctx.threshold})"
        _move(
            session,
            lead,
            LeadStatus.SALES_READY,
            user_id=user_id,
            now=now,
            reason=reason + with_note,
            via_reason=via,
        )
        end_enrolment(session, lead, reason="sales-ready", user_id=user_id, now=now)
        close_callbacks(session, lead.id, now, due_only=False)
        lead.next_action_at = None
        return "sales-ready", ""
    if kind is DecisionKind.EXCEPTION:
        code = ExceptionReason(decision.reason)
        _move(
            session,
            lead,
            LeadStatus.SALES_READY,
            user_id=user_id,
            now=now,
            reason=f"exception, best handled by a salesperson: {code.label}{with_note}",
            via_reason=via,
        )
        end_enrolment(session, lead, reason="sales-ready by exception", user_id=user_id, now=now)
        close_callbacks(session, lead.id, now, due_only=False)
        lead.next_action_at = None
        return f"sales-ready by exception ({code.label.lower()})", code.value
    if kind is DecisionKind.NURTURE:
        track = _nurture_track(session, lead, decision)
        _move(
            session,
            lead,
            LeadStatus.NURTURE,
            user_id=user_id,
            now=now,
            reason=f"back to nurture: {track.name}{with_note}",
            via_reason="called",
        )
        lead.attempts = 0  # a nurture call step starts a new round of tries
        close_callbacks(session, lead.id, now, due_only=False)
        enrolled = enrol(
            session,
            lead,
            track.key,
            user_id=user_id,
            now=now,
            first_touch_at=aware(decision.next_touch_at, "next touch"),
        )
        ahead = f", next call {when(enrolled.next_call_at)}" if enrolled.next_call_at else ""
        return f"back to nurture in {track.name}{ahead}", track.key
    if kind is DecisionKind.CALLBACK:
        at = aware(decision.callback_at, "callback time")
        assert at is not None
        if LeadStatus(lead.status) is LeadStatus.NURTURE:
            end_enrolment(session, lead, reason="asked for a callback", user_id=user_id, now=now)
        _move(
            session,
            lead,
            LeadStatus.WORKING,
            user_id=user_id,
            now=now,
            reason=f"callback {when(at)}",
            via_reason="called",
        )
        close_callbacks(session, lead.id, now, due_only=False)
        session.add(
            CallbackEntry(
                lead_id=lead.id,
                due_at=at,
                owner_id=user_id if decision.personal else None,
                note=note,
                at_lead_request=decision.at_lead_request,
                created_by_id=user_id,
                created_at=now,
            )
        )
        who = "personal" if decision.personal else "team"
        asked = ", at the lead's request" if decision.at_lead_request else ""
        add_history(
            session,
            lead,
            HistoryKind.CALLBACK,
            user_id=user_id,
            now=now,
            to_value=at.isoformat(timespec="minutes"),
            reason=f"{who} callback{asked}{with_note}",
        )
        lead.next_action_at = at
        return f"{who} callback {when(at)}{asked}", who
    if kind is DecisionKind.DISQUALIFY:
        why = DisqualifyReason(decision.reason)
        _move(
            session,
            lead,
            LeadStatus.DISQUALIFIED,
            user_id=user_id,
            now=now,
            reason=f"{why.label}{with_note}",
            via_reason="called",
        )
        end_enrolment(session, lead, reason="disqualified", user_id=user_id, now=now)
        close_callbacks(session, lead.id, now, due_only=False)
        lead.next_action_at = None
        return f"disqualified ({why.label.lower()})", why.value
    suppress(session, lead, user_id=user_id, now=now, reason=note or "asked not to be called")
    return "on the do-not-call list for good", ""


def check_decision(
    db: Database,
    lead_id: int,
    decision: Decision,
    *,
    answers: Mapping[str, AnswerValue | None] | None = None,
    disposition: Disposition | str | None = None,
    script_version_id: int | None = None,
    now: datetime | None = None,
) -> None:
    """Raise :class:`DecisionRefused` when :func:`log_call` would refuse ``decision`` with
    these answers; writes nothing."""
    with db.read() as session:
        now = decision_time(session, now)
        lead = session.get(Lead, lead_id)
        if lead is None:
            raise LeadNotFound(lead_id)
        ctx = call_context(session, lead, answers or {}, script_version_id, None, now)
        check_in_session(
            session, ctx, decision, disposition_of(disposition) if disposition is not None else None
        )
