"""Calls: start an attempt, log it with its answers and outcome, and apply the decision.

:func:`log_call` is one transaction that leaves the lead right for sales and marketing:
the call row finished (or created), the answers kept with the call and as the lead's known
answers, the lead re-scored (answers feed the qualification points), the retry rule of
the disposition applied (:func:`teleprospect.core.queue_policy.next_action_after` with the
team's rules), the decision applied through the lifecycle with history, do-not-call
numbers and email suppressed, and the user's claim released.

A decision that cannot be applied raises :class:`DecisionRefused` before anything is
written: the whole transaction is rolled back, so nothing of the call is half-saved and the
caller (who keeps a local draft) can correct the decision and save again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from teleprospect.core.decisions import DecisionKind
from teleprospect.core.domain import Disposition, HistoryKind
from teleprospect.core.lifecycle import IllegalTransition, LeadStatus, can_transition
from teleprospect.core.nurture import Track
from teleprospect.core.queue_policy import (
    CallingHours,
    ExhaustedOutcome,
    RetryDecision,
    RetryRules,
    is_callable_now,
    next_action_after,
)
from teleprospect.core.scripts import (
    AnswerError,
    AnswerValue,
    DisqualifyReason,
    ExceptionReason,
    Readiness,
    Script,
    from_json,
    readiness,
    to_json,
    visible_questions,
)
from teleprospect.services.calls.scripts import (
    ScriptVersion,
    active_script,
    active_script_in_session,
    script_version_in_session,
)
from teleprospect.services.errors import LeadNotFound, UnknownUser
from teleprospect.services.leads.lifecycle import apply_status
from teleprospect.services.nurture.tracks import (
    TrackNotFound,
    advance_to_next_call,
    end_enrolment,
    enrol,
    nurture_tracks,
    suggestions_in_session,
    track_by_key,
)
from teleprospect.services.queue.claims import ClaimNotHeld
from teleprospect.services.scoring.scores import (
    known_answers,
    lead_score_input,
    rescore_lead,
    rules_in_session,
)
from teleprospect.services.settings.team_settings import QueueSettings, load_queue_settings
from teleprospect.store.database import Database
from teleprospect.store.models import (
    Call,
    CallAnswer,
    CallbackEntry,
    DoNotCallEntry,
    Lead,
    LeadAnswer,
    LeadHistory,
    LeadPhone,
    User,
)
from teleprospect.store.types import utcnow

__all__ = [
    "CallNotAllowed",
    "CallStarted",
    "ClaimRequired",
    "Decision",
    "DecisionKind",
    "DecisionRefused",
    "LoggedCall",
    "check_decision",
    "lead_readiness",
    "log_call",
    "start_call",
]


class ClaimRequired(ClaimNotHeld):
    """The user does not hold the lead's claim; the message names who does."""


class CallNotAllowed(Exception):
    """The lead may not be dialled now (do-not-call, no number, outside the legal hours)."""


class DecisionRefused(Exception):
    """The decision cannot be applied; nothing was written.

    ``reason`` is one sentence for the user; ``missing`` lists the readiness checks not met
    when sales-ready was refused (empty otherwise).
    """

    def __init__(self, reason: str, missing: tuple[str, ...] = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.missing = tuple(missing)


@dataclass(frozen=True)
class CallStarted:
    call_id: int
    lead_id: int
    started_at: datetime
    number: str


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


@dataclass(frozen=True)
class LoggedCall:
    call_id: int
    lead_id: int
    status: LeadStatus
    score: int
    next_action_at: datetime | None
    #: One sentence for the status bar.
    summary: str


# ----------------------------------------------------------------------------- helpers


def _now(now: datetime | None) -> datetime:
    now = now or utcnow()
    if now.tzinfo is None:
        raise ValueError(f"naive datetime {now!r}: pass an aware (UTC) datetime")
    return now.astimezone(UTC)


def _aware(value: datetime | None, what: str) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise DecisionRefused(f"The {what} needs a time zone (it was given without one).")
    return value.astimezone(UTC)


def _when(at: datetime) -> str:
    return f"{at:%a %d %b %H:%M} UTC"


def _user_name(session: Session, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    return session.scalar(select(User.name).where(User.id == user_id))


def _disposition(value: Disposition | str) -> Disposition:
    try:
        return Disposition(value)
    except ValueError:
        known = ", ".join(d.value for d in Disposition)
        raise ValueError(f"There is no disposition {value!r}; use one of {known}.") from None


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
        raise LeadNotFound(lead_id)
    return lead


# ----------------------------------------------------------------------------- start


def start_call(
    db: Database,
    lead_id: int,
    user_id: int,
    *,
    number: str | None = None,
    now: datetime | None = None,
) -> CallStarted:
    """Record an attempt at once: a call row with its start time and the number dialled
    (the lead's phone when ``number`` is None). The user must hold the lead's claim."""
    now = _now(now)
    active = active_script(db)
    with db.write() as session:
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


# ----------------------------------------------------------------------------- context


@dataclass
class _Context:
    """What the checks and the writes of one call need, read in one transaction."""

    lead: Lead
    now: datetime
    version: ScriptVersion
    settings: QueueSettings
    #: Answers given on this call (storage form), only questions shown.
    given: dict[str, Any]
    #: The lead's answers after this call (storage form): known, then given, minus cleared.
    merged: dict[str, Any]
    #: Question ids whose known answer goes (cleared, or hidden by a changed answer).
    dropped: set[str]
    score: int
    threshold: int
    readiness: Readiness

    @property
    def script(self) -> Script:
        return self.version.script


def _typed(script: Script, stored: Mapping[str, Any]) -> dict[str, AnswerValue]:
    typed: dict[str, AnswerValue] = {}
    for qid, raw in stored.items():
        if not script.has_question(qid):
            continue
        try:
            typed[qid] = from_json(script.question(qid), raw)
        except AnswerError:
            continue  # given under an older script; it no longer fits
    return typed


def _context(
    session: Session,
    lead: Lead,
    answers: Mapping[str, AnswerValue | None],
    version: ScriptVersion,
    now: datetime,
) -> _Context:
    script = version.script
    given: dict[str, Any] = {}
    cleared: set[str] = set()
    for qid, value in answers.items():
        if not script.has_question(qid):
            known = ", ".join(q.id for q in script.questions)
            raise AnswerError(
                f"The script {script.name!r} (version {version.version}) has no question"
                f" {qid!r}; its questions are: {known}."
            )
        if value is None:
            cleared.add(qid)
        else:
            given[qid] = to_json(script.question(qid), value)
    known = known_answers(session, lead.id)
    merged = {k: v for k, v in known.items() if k not in cleared}
    merged.update(given)
    # Answers to questions a changed answer now skips are no longer true of the lead
    # ("budget: no" makes the budget amount moot).
    shown = {q.id for q in visible_questions(script, _typed(script, merged))}
    hidden = {qid for qid in merged if script.has_question(qid) and qid not in shown}
    for qid in hidden:
        merged.pop(qid)
        given.pop(qid, None)
    dropped = (cleared | hidden) & set(known)
    rules = rules_in_session(session)
    score = rules.compiled.score_total_only(lead_score_input(session, lead, answers=merged), now)
    threshold = rules.rules.thresholds.sales_ready
    return _Context(
        lead=lead,
        now=now,
        version=version,
        settings=load_queue_settings(session),
        given=given,
        merged=merged,
        dropped=dropped,
        score=score,
        threshold=threshold,
        readiness=readiness(script, _typed(script, merged), score, threshold),
    )


def _version_for(
    session: Session, script_version_id: int | None, call: Call | None
) -> ScriptVersion:
    if script_version_id is None and call is not None:
        script_version_id = call.script_version_id
    if script_version_id is not None:
        return script_version_in_session(session, script_version_id)
    return active_script_in_session(session)


# ----------------------------------------------------------------------------- checks


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
        return suggestions_in_session(session, lead)[0]
    except TrackNotFound as exc:
        raise DecisionRefused(str(exc)) from None


def _check(
    session: Session, ctx: _Context, decision: Decision, disposition: Disposition | None
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
        touch = _aware(decision.next_touch_at, "next touch")
        if touch is not None and touch < now - timedelta(minutes=1):
            raise DecisionRefused(
                f"The next touch ({_when(touch)}) is in the past; choose a later date."
            )
    elif kind is DecisionKind.CALLBACK:
        _check_callback(lead, decision, ctx.settings, now)
    elif kind is DecisionKind.DISQUALIFY:
        reason = _reason_code(DisqualifyReason, decision.reason, "disqualify the lead")
        if reason.needs_note and not decision.note.strip():
            raise DecisionRefused("Say in the note why the lead is disqualified.")


def _check_callback(lead: Lead, decision: Decision, settings: QueueSettings, now: datetime) -> None:
    at = _aware(decision.callback_at, "callback time")
    if at is None:
        raise DecisionRefused("Choose when to call back.")
    if at <= now:
        raise DecisionRefused(f"The callback time ({_when(at)}) has passed; choose a later one.")
    zones = lead.call_zones.split()
    if not zones:
        raise DecisionRefused(
            "The lead's local time is unknown (no valid number, no country), so a callback"
            " time cannot be checked against the calling hours; correct the phone number first."
        )
    window = is_callable_now(zones, at, settings.hours)
    if window.ok:
        return
    legal = is_callable_now(zones, at, CallingHours.legal_limit())
    if not legal.ok:
        where = legal.reason.replace("calling hours", "the legal hours")
        raise DecisionRefused(
            f"A callback at {_when(at)} is {where}: calls are never allowed before 08:00 or"
            " after 21:00 the lead's time, even when they ask."
        )
    if not decision.at_lead_request:
        raise DecisionRefused(
            f"A callback at {_when(at)} is {window.reason} ({settings.hours.describe()}). If the"
            " lead asked for that time, say so and it is allowed."
        )


# ----------------------------------------------------------------------------- writes


def _history(
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


def _close_callbacks(session: Session, lead_id: int, now: datetime, *, due_only: bool) -> None:
    condition = [CallbackEntry.lead_id == lead_id, CallbackEntry.done_at.is_(None)]
    if due_only:
        condition.append(CallbackEntry.due_at <= now)
    session.execute(
        update(CallbackEntry)
        .where(*condition)
        .values(done_at=now)
        .execution_options(synchronize_session=False)
    )


def suppress(
    session: Session, lead: Lead, *, user_id: int | None, now: datetime, reason: str
) -> None:
    """Do-not-call for good: the lead's numbers and email on the list, the lead and every
    other lead with one of them flagged, with history. In the caller's transaction."""
    own = [
        lead.phone_e164,
        *session.scalars(select(LeadPhone.e164).where(LeadPhone.lead_id == lead.id)),
    ]
    numbers: set[str] = {number for number in own if number}
    email = (lead.email or "").strip().lower() or None
    conditions = []
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
    same = []
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
    for target in [lead, *others]:
        if not target.do_not_call:
            target.do_not_call = True
            why = reason if target is lead else f"same number or email as lead {lead.id}: {reason}"
            _history(
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
        _close_callbacks(session, target.id, now, due_only=False)


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


def _save_answers(session: Session, ctx: _Context, call: Call, user_id: int, now: datetime) -> None:
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
    ctx: _Context,
    retry: RetryDecision,
    disposition: Disposition,
    user_id: int,
) -> str:
    """What follows a call without a decision: the retry rule, or attempts run out."""
    lead, now = ctx.lead, ctx.now
    status = LeadStatus(lead.status)
    if status is LeadStatus.NURTURE:
        if retry.next_action_at is not None and not retry.exhausted:
            lead.next_action_at = retry.next_action_at
            return f"{retry.reason} ({_when(retry.next_action_at)})"
        # The call step is made (or given up): the next one brings the lead back.
        lead.attempts = 0
        upcoming = advance_to_next_call(session, lead, now=now)
        if upcoming is None:
            return "stays in nurture; no call step left in its track"
        return f"stays in nurture; next call step {_when(upcoming)}"
    if status is not LeadStatus.WORKING:
        return retry.reason
    if retry.exhausted:
        outcome = ctx.settings.retry.on_exhausted
        if outcome is ExhaustedOutcome.NURTURE:
            track = suggestions_in_session(session, lead)[0]
            apply_status(
                session,
                lead,
                LeadStatus.NURTURE,
                user_id=user_id,
                reason=f"{retry.reason}: back to nurture ({track.name})",
            ).at = now
            lead.attempts = 0
            enrolled = enrol(session, lead, track.key, user_id=user_id, now=now)
            ahead = f", next call {_when(enrolled.next_call_at)}" if enrolled.next_call_at else ""
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
        return f"{retry.reason} ({_when(retry.next_action_at)})"
    # No automatic retry and nothing decided: follow up on the next business day rather
    # than put the lead straight back at the top of the queue.
    lead.next_action_at = _next_business_day(now)
    return f"{disposition.label.lower()}: no decision, follow up {_when(lead.next_action_at)}"


def _apply_decision(
    session: Session, ctx: _Context, decision: Decision, user_id: int
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
        _close_callbacks(session, lead.id, now, due_only=False)
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
        _close_callbacks(session, lead.id, now, due_only=False)
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
        _close_callbacks(session, lead.id, now, due_only=False)
        enrolled = enrol(
            session,
            lead,
            track.key,
            user_id=user_id,
            now=now,
            first_touch_at=_aware(decision.next_touch_at, "next touch"),
        )
        ahead = f", next call {_when(enrolled.next_call_at)}" if enrolled.next_call_at else ""
        return f"back to nurture in {track.name}{ahead}", track.key
    if kind is DecisionKind.CALLBACK:
        at = _aware(decision.callback_at, "callback time")
        assert at is not None
        if LeadStatus(lead.status) is LeadStatus.NURTURE:
            end_enrolment(session, lead, reason="asked for a callback", user_id=user_id, now=now)
        _move(
            session,
            lead,
            LeadStatus.WORKING,
            user_id=user_id,
            now=now,
            reason=f"callback {_when(at)}",
            via_reason="called",
        )
        _close_callbacks(session, lead.id, now, due_only=False)
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
        _history(
            session,
            lead,
            HistoryKind.CALLBACK,
            user_id=user_id,
            now=now,
            to_value=at.isoformat(timespec="minutes"),
            reason=f"{who} callback{asked}{with_note}",
        )
        lead.next_action_at = at
        return f"{who} callback {_when(at)}{asked}", who
    if kind is DecisionKind.DISQUALIFY:
        code = DisqualifyReason(decision.reason)
        _move(
            session,
            lead,
            LeadStatus.DISQUALIFIED,
            user_id=user_id,
            now=now,
            reason=f"{code.label}{with_note}",
            via_reason="called",
        )
        end_enrolment(session, lead, reason="disqualified", user_id=user_id, now=now)
        _close_callbacks(session, lead.id, now, due_only=False)
        lead.next_action_at = None
        return f"disqualified ({code.label.lower()})", code.value
    suppress(session, lead, user_id=user_id, now=now, reason=note or "asked not to be called")
    return "on the do-not-call list for good", ""


def _prepare(
    session: Session,
    lead: Lead,
    answers: Mapping[str, AnswerValue | None],
    script_version_id: int | None,
    call: Call | None,
    now: datetime,
) -> _Context:
    return _context(session, lead, answers, _version_for(session, script_version_id, call), now)


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
    now: datetime | None = None,
) -> LoggedCall:
    """Log one call and apply its outcome, in one transaction (see the module docstring).

    ``call_id``: the attempt :func:`start_call` recorded (None: a call row is made here).
    ``answers``: typed answers by question id of the script version used (the call's, or
    ``script_version_id``, or the one in use); a None value clears a known answer.
    The user must hold the lead's claim, or nobody may: a lead held by someone else
    raises :class:`ClaimRequired`. A refused decision raises :class:`DecisionRefused`;
    bad answers :class:`AnswerError`; in both cases nothing is written.
    """
    now = _now(now)
    disposition = _disposition(disposition)
    if duration_s is not None and duration_s < 0:
        raise ValueError("A call cannot last less than 0 seconds.")
    with db.write() as session:
        if session.get(User, user_id) is None:
            raise UnknownUser(user_id)
        lead = _load_lead(session, lead_id)
        holder = _live_holder(lead, now)
        if holder is not None and holder != user_id:
            _claim_required(session, lead, holder, now)
        call = None
        if call_id is not None:
            call = session.get(Call, call_id)
            if call is None or call.lead_id != lead.id:
                raise ValueError(f"Call {call_id} is no call of lead {lead.id}.")
            if call.disposition is not None:
                raise ValueError(f"Call {call_id} was logged already ({call.disposition.label}).")
        ctx = _prepare(session, lead, answers or {}, script_version_id, call, now)
        if decision is not None:
            _check(session, ctx, decision, disposition)

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
        session.flush()
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
            outcome, stored_reason = _apply_decision(session, ctx, decision, user_id)
            call.decision_kind = DecisionKind(decision.kind)
            call.decision_reason = stored_reason
        elif disposition is Disposition.DO_NOT_CALL:
            suppress(session, lead, user_id=user_id, now=now, reason="asked not to be called")
            outcome = "on the do-not-call list for good"
        else:
            outcome = _no_decision(session, ctx, retry, disposition, user_id)
        if decision is None or DecisionKind(decision.kind) is not DecisionKind.CALLBACK:
            # Calling after a callback fell due keeps that promise.
            _close_callbacks(session, lead.id, now, due_only=True)
        score = rescore_lead(session, lead, now=now)
        if lead.claimed_by_id == user_id:
            lead.claimed_by_id = None
            lead.claim_expires_at = None
        session.flush()
        name = lead.full_name or f"lead {lead.id}"
        summary = f"Call with {name} logged ({disposition.label.lower()}): {outcome}."
        return LoggedCall(
            call_id=call.id,
            lead_id=lead.id,
            status=LeadStatus(lead.status),
            score=score,
            next_action_at=lead.next_action_at,
            summary=summary,
        )


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
    now = _now(now)
    active_script(db)  # stored once, outside this read
    nurture_tracks(db)
    with db.read() as session:
        lead = session.get(Lead, lead_id)
        if lead is None:
            raise LeadNotFound(lead_id)
        ctx = _prepare(session, lead, answers or {}, script_version_id, None, now)
        _check(
            session, ctx, decision, _disposition(disposition) if disposition is not None else None
        )


def lead_readiness(
    db: Database,
    lead_id: int,
    answers: Mapping[str, AnswerValue | None],
    *,
    script_version_id: int | None = None,
    now: datetime | None = None,
) -> tuple[int, Readiness]:
    """The lead's score with these answers (over its known ones) and the readiness
    checklist, live while the rep types; writes nothing."""
    now = _now(now)
    active_script(db)
    with db.read() as session:
        lead = session.get(Lead, lead_id)
        if lead is None:
            raise LeadNotFound(lead_id)
        ctx = _prepare(session, lead, answers, script_version_id, None, now)
        return ctx.score, ctx.readiness
