"""Responses to nurture: a lead who replies, clicks, registers, attends, fills a form or
whose score crosses the track's call bar is called at once.

The track pauses and the lead goes to the top of its owner's call queue through a due
callback whose queue reason is "responded to nurture (what, when)" — callbacks come before
fresh inbound leads and the backlog (:mod:`teleprospect.core.queue_policy`), and a lead
without an owner gets a team callback anyone may make. Speed to lead: nothing waits for a
job. An opt-out suppresses the lead's email and ends its track; a booked meeting ends the
track and sends the lead back to work.

Responses come from activity imports (:func:`respond_to_activity`, run with the re-scoring
of the leads with new activity) and from :func:`add_engagement`, the same for one event
typed by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from teleprospect.core.domain import EngagementKind, HistoryKind
from teleprospect.core.errors import Invalid
from teleprospect.core.lifecycle import LeadStatus, can_transition
from teleprospect.core.nurture import ResponseKind
from teleprospect.core.nurture_touches import RESPONSE_EVENTS, TouchState, response_of_event
from teleprospect.core.permissions import Action
from teleprospect.services.clock import decision_time
from teleprospect.services.errors import LeadNotFound
from teleprospect.services.identity.permissions import require_user
from teleprospect.services.nurture.pauses import RESPONSE
from teleprospect.services.nurture.schedule import (
    end_enrolment,
    open_enrolment,
    pause_enrollment,
    track_of_enrollment,
)
from teleprospect.store.database import Database
from teleprospect.store.models import (
    CallbackEntry,
    DoNotCallEntry,
    EngagementEvent,
    Lead,
    LeadHistory,
)
from teleprospect.store.nurture_models import NurtureTouch

__all__ = [
    "EngagementAdded",
    "add_engagement",
    "respond",
    "respond_to_activity",
    "response_reason",
]


class EngagementInvalid(Invalid):
    """Engagement that cannot be recorded; the message is one sentence."""


def response_reason(kind: ResponseKind, at: datetime) -> str:
    """The queue's reason for a responder: "responded to nurture (replied, 12 Mar 10:30)"."""
    return f"responded to nurture ({kind.label}, {at:%d %b %H:%M})"


def _history(session: Session, lead: Lead, user_id: int | None, now: datetime, why: str) -> None:
    session.add(
        LeadHistory(lead_id=lead.id, user_id=user_id, at=now, kind=HistoryKind.NURTURE, reason=why)
    )


def _mark_responded(session: Session, enrollment_id: int, kind: ResponseKind) -> None:
    """The touch the lead answered (the last one made) records it, for per-step results."""
    last = session.scalar(
        select(NurtureTouch)
        .where(
            NurtureTouch.enrollment_id == enrollment_id,
            NurtureTouch.state == TouchState.DONE.value,
        )
        .order_by(NurtureTouch.done_at.desc(), NurtureTouch.id.desc())
        .limit(1)
    )
    if last is not None and not last.outcome.startswith("responded"):
        last.outcome = f"responded: {kind.value}"[:40]


def respond(
    session: Session,
    lead: Lead,
    kind: ResponseKind,
    at: datetime,
    *,
    now: datetime,
    user_id: int | None,
) -> str | None:
    """Act on a response of the lead (in the caller's transaction). Returns what was done
    (one phrase), None when the lead is in no track or the track ignores it."""
    enrollment = open_enrolment(session, lead.id)
    if enrollment is None:
        return None
    if enrollment.responded_at is not None and at <= enrollment.responded_at:
        return None  # acted on already (an import of the same activity again)
    track = track_of_enrollment(session, enrollment)
    if kind is ResponseKind.OPTED_OUT:
        email = (lead.email or "").strip().lower()
        if (
            email
            and session.scalar(
                select(DoNotCallEntry.id).where(DoNotCallEntry.email == email).limit(1)
            )
            is None
        ):
            session.add(
                DoNotCallEntry(email=email, reason="opted out of nurture email", added_at=now)
            )
        end_enrolment(session, lead, reason="opted out", user_id=user_id, now=now)
        lead.next_action_at = None
        return "opted out: email suppressed, track ended"
    if kind is ResponseKind.MEETING_BOOKED:
        end_enrolment(session, lead, reason="meeting booked", user_id=user_id, now=now)
        if can_transition(LeadStatus(lead.status), LeadStatus.WORKING):
            from teleprospect.services.leads.lifecycle import apply_status

            apply_status(
                session, lead, LeadStatus.WORKING, user_id=user_id, reason="meeting booked"
            ).at = now
            lead.next_action_at = now
        return "meeting booked: track ended"
    if kind not in track.exits.pause_on:
        return None
    enrollment.responded_at = at
    _mark_responded(session, enrollment.id, kind)
    reason = response_reason(kind, at)
    if enrollment.paused_at is not None and (enrollment.pause_reason or "").startswith(RESPONSE):
        _history(session, lead, user_id, now, reason)
        return "responded again: the call is still waiting"
    if enrollment.paused_at is not None:
        # Paused by hand (the lead, its track or its rep): the response takes over.
        enrollment.paused_at = None
    pause_enrollment(session, enrollment, now=now, user_id=user_id, reason=f"{RESPONSE}: {reason}")
    session.add(
        CallbackEntry(
            lead_id=lead.id,
            due_at=now,
            owner_id=lead.owner_id,
            note=reason,
            at_lead_request=False,
            created_by_id=user_id,
            created_at=now,
            queue_reason=reason,
        )
    )
    lead.next_action_at = now
    session.flush()
    return reason


def _score_bar(session: Session, lead: Lead) -> int | None:
    from teleprospect.services.scoring.scores import rules_in_session

    enrollment = open_enrolment(session, lead.id)
    if enrollment is None:
        return None
    track = track_of_enrollment(session, enrollment)
    if ResponseKind.SCORE not in track.exits.pause_on:
        return None
    bar = track.exits.score_at_least
    return bar if bar is not None else rules_in_session(session).rules.thresholds.sales_ready


def respond_to_activity(session: Session, lead_ids: Iterable[int], now: datetime) -> int:
    """After new activity was stored and the leads re-scored: act on each lead's newest
    response since its enrolment (or its last one acted on), and on a score that crossed
    the call bar. Returns how many leads were acted on."""
    acted = 0
    ids = list(lead_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        leads = session.scalars(
            select(Lead).where(Lead.id.in_(chunk), Lead.status == LeadStatus.NURTURE.value)
        ).all()
        for lead in leads:
            enrollment = open_enrolment(session, lead.id)
            if enrollment is None:
                continue
            since = enrollment.responded_at or enrollment.enrolled_at
            found: tuple[ResponseKind, datetime] | None = None
            for kind, at, detail in session.execute(
                select(EngagementEvent.kind, EngagementEvent.occurred_at, EngagementEvent.detail)
                .where(EngagementEvent.lead_id == lead.id, EngagementEvent.occurred_at > since)
                .order_by(EngagementEvent.occurred_at, EngagementEvent.id)
            ):
                response = response_of_event(kind, detail)
                if response is None:
                    continue
                if response.ends_track or found is None or not found[0].ends_track:
                    found = (response, at)
            if found is not None and respond(session, lead, *found, now=now, user_id=None):
                acted += 1
                continue
            bar = _score_bar(session, lead)
            crossed = bar is not None and lead.score >= bar
            if crossed and respond(session, lead, ResponseKind.SCORE, now, now=now, user_id=None):
                acted += 1
    return acted


@dataclass(frozen=True)
class EngagementAdded:
    event_id: int
    score: int
    #: What nurture did about it ("responded to nurture (replied, …)"), or None.
    nurture: str | None


def _kind_of(kind: str) -> tuple[EngagementKind, str, ResponseKind | None]:
    try:
        response = ResponseKind(kind)
    except ValueError:
        response = None
    if response is not None and response is not ResponseKind.SCORE:
        event_kind, detail = RESPONSE_EVENTS[response]
        return event_kind, detail, response
    try:
        event_kind = EngagementKind(kind)
    except ValueError:
        known = [k.value for k in ResponseKind if k is not ResponseKind.SCORE]
        known += [k.value for k in EngagementKind]
        raise EngagementInvalid(
            f"{kind!r} is no kind of engagement; use one of {', '.join(known)}."
        ) from None
    return event_kind, "", None


def add_engagement(
    db: Database,
    lead_id: int,
    user_id: int,
    *,
    kind: str,
    detail: str = "",
    occurred_at: datetime | None = None,
    now: datetime | None = None,
) -> EngagementAdded:
    """Record something the lead did (typed by hand: "they replied, asking to be called"),
    re-score the lead and act on it as a response to nurture, in one transaction."""
    from teleprospect.services.scoring.scores import rescore_lead

    event_kind, implied_detail, _ = _kind_of(kind)
    with db.write() as session:
        require_user(session, user_id, Action.WORK_LEADS)
        now = decision_time(session, now)
        at = occurred_at or now
        if at.tzinfo is None:
            raise EngagementInvalid("Give the time with its time zone (or leave it out: now).")
        if at > now:
            raise EngagementInvalid(
                f"The engagement ({at:%Y-%m-%d %H:%M}) cannot be in the future."
            )
        lead = session.get(Lead, lead_id)
        if lead is None:
            raise LeadNotFound(lead_id)
        text = " — ".join(part for part in (implied_detail, detail.strip()) if part)
        event = EngagementEvent(lead_id=lead.id, kind=event_kind, occurred_at=at, detail=text)
        session.add(event)
        session.flush()
        score = rescore_lead(session, lead, now=now)
        nurture = None
        if LeadStatus(lead.status) is LeadStatus.NURTURE:
            response = response_of_event(event_kind, text)
            if response is not None:
                nurture = respond(session, lead, response, at, now=now, user_id=user_id)
            bar = _score_bar(session, lead)
            if nurture is None and bar is not None and lead.score >= bar:
                nurture = respond(session, lead, ResponseKind.SCORE, now, now=now, user_id=user_id)
        return EngagementAdded(event.id, score, nurture)
