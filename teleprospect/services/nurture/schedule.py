"""The nurture engine inside a transaction: make touches of the steps that fell due,
resolve them, and apply a track's end rule. Every use case of
:mod:`teleprospect.services.nurture` (enrol, touches done or skipped, calls logged,
responses, pauses, the daily job) goes through here, so a step is never lost nor made
twice: the enrolment's ``step_index`` points at the first step without a touch, each step
gets its touch once (a unique index says so), and a touch leaves the open state only done,
skipped with a reason, or cancelled with its track. A missed touch stays due; the next
steps still fall due on their dates.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from teleprospect.core.business_days import TOUCH_HOUR, local_zone, touch_due_at
from teleprospect.core.domain import HistoryKind
from teleprospect.core.errors import NotFound
from teleprospect.core.lifecycle import LeadStatus, can_transition
from teleprospect.core.nurture import EndAction, TouchKind, Track
from teleprospect.core.nurture_touches import (
    LeadFacts,
    TouchState,
    remaining_delay,
    touch_blocker,
)
from teleprospect.store.models import (
    Campaign,
    DoNotCallEntry,
    Lead,
    LeadHistory,
    NurtureEnrollment,
    NurtureTrack,
    User,
)
from teleprospect.store.nurture_models import NurtureTouch

__all__ = [
    "Enrolment",
    "LeadPlace",
    "TrackNotFound",
    "end_enrolment",
    "enrol",
    "open_enrolment",
    "pause_enrollment",
    "resume_enrollment",
    "track_by_key",
    "tracks_in_session",
    "cancel_live_touches",
    "end_track",
    "lead_facts",
    "lead_place",
    "next_call_at",
    "live_touches",
    "resolve_touch",
    "schedule_due_steps",
    "settle_enrollment",
    "step_due",
    "track_of_enrollment",
]

_parsed: dict[tuple[int, datetime], Track] = {}


def track_of_enrollment(session: Session, enrollment: NurtureEnrollment) -> Track:
    """The enrolment's track definition, parsed once per version of the track's row (its
    ``updated_at`` changes whenever the definition does)."""
    row = enrollment.track
    key = (row.id, row.updated_at)
    track = _parsed.get(key)
    if track is None:
        if len(_parsed) > 256:
            _parsed.clear()
        track = _parsed[key] = Track.from_dict(row.definition)
    return track


@dataclass(frozen=True)
class LeadPlace:
    zone: ZoneInfo
    country: str | None


def lead_place(session: Session, lead: Lead) -> LeadPlace:
    """The zone and country a lead's business days are counted in: the calling zones (the
    phone's, else the campaign country's) and the lead's country, else the campaign's."""
    zone = local_zone(lead.call_zones or lead.phone_time_zones or "")
    country = lead.country
    if not country and lead.campaign_id is not None:
        country = session.scalar(
            select(Campaign.default_region).where(Campaign.id == lead.campaign_id)
        )
    return LeadPlace(zone, (country or "").upper() or None)


def _email_suppressed(session: Session, email: str | None) -> bool:
    if not email:
        return False
    return (
        session.scalar(
            select(DoNotCallEntry.id).where(DoNotCallEntry.email == email.strip().lower()).limit(1)
        )
        is not None
    )


def lead_facts(session: Session, lead: Lead, owner_id: int | None) -> LeadFacts:
    active = True
    if owner_id is not None:
        active = bool(session.scalar(select(User.is_active).where(User.id == owner_id)))
    return LeadFacts(
        do_not_call=bool(lead.do_not_call),
        email=lead.email,
        email_suppressed=_email_suppressed(session, lead.email),
        has_phone=bool(lead.phone_e164 and lead.phone_valid),
        has_zone=bool(lead.call_zones.strip()),
        owner_active=active,
    )


def live_touches(session: Session, enrollment_id: int) -> list[NurtureTouch]:
    """The enrolment's open and paused touches, oldest due first."""
    return list(
        session.scalars(
            select(NurtureTouch)
            .where(
                NurtureTouch.enrollment_id == enrollment_id,
                NurtureTouch.state.in_((TouchState.OPEN.value, TouchState.PAUSED.value)),
            )
            .order_by(NurtureTouch.due_at, NurtureTouch.id)
        )
    )


def _history(
    session: Session, lead: Lead | int, user_id: int | None, now: datetime, reason: str
) -> None:
    session.add(
        LeadHistory(
            lead_id=lead if isinstance(lead, int) else lead.id,
            user_id=user_id,
            at=now,
            kind=HistoryKind.NURTURE,
            reason=reason[:2000],
        )
    )


def _owner_id(session: Session, track: Track, index: int) -> int | None:
    login = track.step_owner(index)
    if not login:
        return None
    return session.scalar(select(User.id).where(User.login == login))


def step_due(session: Session, enrollment: NurtureEnrollment, lead: Lead, index: int) -> datetime:
    track = track_of_enrollment(session, enrollment)
    place = lead_place(session, lead)
    return touch_due_at(
        enrollment.starts_at, track.steps[index].day_offset, place.zone, place.country
    )


def _add_touch(
    session: Session,
    enrollment: NurtureEnrollment,
    lead: Lead,
    track: Track,
    index: int,
    follow_up: bool,
    due: datetime,
    now: datetime,
) -> NurtureTouch:
    step = track.steps[index]
    kind = TouchKind.CALL if follow_up else step.kind
    owner_id = _owner_id(session, track, index)
    touch = NurtureTouch(
        enrollment_id=enrollment.id,
        lead_id=lead.id,
        step_index=index,
        follow_up=follow_up,
        kind=kind.value,
        title=(f"Follow-up call: {step.title}" if follow_up else step.title)[:200],
        owner_id=owner_id,
        due_at=due,
        state=(TouchState.PAUSED if enrollment.paused_at else TouchState.OPEN).value,
        outcome="",
        reason="",
        postponed=0,
        created_at=now,
    )
    session.add(touch)
    if due <= now and not enrollment.paused_at:
        blocker = touch_blocker(kind, lead_facts(session, lead, owner_id or lead.owner_id))
        if blocker is None and kind is TouchKind.WAIT:
            touch.state, touch.outcome, touch.done_at = TouchState.DONE.value, "waited", now
        elif blocker is not None:
            # Nothing is skipped silently: the row says why, the timeline too.
            touch.state, touch.reason, touch.done_at = TouchState.SKIPPED.value, blocker, now
            _history(session, lead, None, now, f"touch skipped: {touch.title} ({blocker})")
    return touch


def schedule_due_steps(
    session: Session,
    enrollment: NurtureEnrollment,
    lead: Lead,
    *,
    now: datetime,
    user_id: int | None = None,
) -> list[NurtureTouch]:
    """Make a touch of every step of the enrolment due by ``now`` that has none yet (a step
    with a call: the step and its follow-up call), then bring the lead's next call and the
    track's end up to date. Returns the touches made."""
    if enrollment.ended_at is not None or enrollment.paused_at is not None:
        return []
    track = track_of_enrollment(session, enrollment)
    made = []
    while enrollment.step_index < len(track.steps):
        index = enrollment.step_index
        due = step_due(session, enrollment, lead, index)
        if due > now:
            break
        made.append(_add_touch(session, enrollment, lead, track, index, False, due, now))
        if track.steps[index].with_call and track.steps[index].kind is not TouchKind.CALL:
            made.append(_add_touch(session, enrollment, lead, track, index, True, due, now))
        enrollment.step_index = index + 1
    session.flush()
    settle_enrollment(session, enrollment, lead, now=now, user_id=user_id)
    return made


def settle_enrollment(
    session: Session,
    enrollment: NurtureEnrollment,
    lead: Lead,
    *,
    now: datetime,
    user_id: int | None,
) -> None:
    """After touches were made or resolved: the next touch and call times, and the end
    rule once every step is scheduled and none is left to do."""
    if enrollment.ended_at is not None:
        return
    track = track_of_enrollment(session, enrollment)
    live = live_touches(session, enrollment.id)
    upcoming = (
        step_due(session, enrollment, lead, enrollment.step_index)
        if enrollment.step_index < len(track.steps)
        else None
    )
    if not live and upcoming is None:
        enrollment.next_touch_at = None
        end_track(session, enrollment, lead, track, now=now, user_id=user_id)
        return
    # When the next step without a touch falls due: what the daily job looks for.
    enrollment.next_touch_at = upcoming
    if LeadStatus(lead.status) is not LeadStatus.NURTURE or enrollment.paused_at is not None:
        return
    calls = [
        t.due_at
        for t in live
        if t.kind == TouchKind.CALL.value and t.state == TouchState.OPEN.value
    ]
    if not calls:
        for index in range(enrollment.step_index, len(track.steps)):
            if track.steps[index].is_call:
                calls.append(step_due(session, enrollment, lead, index))
                break
    lead.next_action_at = min(calls) if calls else None


def resolve_touch(
    session: Session,
    touch: NurtureTouch,
    lead: Lead,
    state: TouchState,
    *,
    now: datetime,
    user_id: int | None,
    outcome: str = "",
    reason: str = "",
    call_id: int | None = None,
    settle: bool = True,
) -> None:
    """Record ``touch`` as done or skipped (with its line in the lead's timeline), then
    settle its enrolment (next call, end of the track)."""
    touch.state = state.value
    touch.outcome = outcome[:40]
    touch.reason = reason
    touch.done_at = now
    touch.done_by_id = user_id
    touch.call_id = call_id
    what = outcome.replace("_", " ") or "done"
    if state is TouchState.DONE:
        line = f"touch done: {touch.title} ({what})"
    else:
        line = f"touch {state.value}: {touch.title} ({reason or 'no reason given'})"
    _history(session, lead, user_id, now, line)
    session.flush()
    if settle:
        enrollment = session.get(NurtureEnrollment, touch.enrollment_id)
        assert enrollment is not None  # the touch's own
        settle_enrollment(session, enrollment, lead, now=now, user_id=user_id)


def cancel_live_touches(session: Session, enrollment_id: int, now: datetime, reason: str) -> None:
    """The track ended before these touches were made: cancelled, with why."""
    for touch in live_touches(session, enrollment_id):
        touch.state = TouchState.CANCELLED.value
        touch.reason = reason
        touch.done_at = now
    session.flush()


def end_track(
    session: Session,
    enrollment: NurtureEnrollment,
    lead: Lead,
    track: Track,
    *,
    now: datetime,
    user_id: int | None,
) -> str:
    """Every step made: the enrolment ends and the track's end rule decides what next.
    Returns one phrase saying what happened."""
    from teleprospect.services.leads.lifecycle import apply_status
    from teleprospect.services.scoring.scores import rescore_lead

    rule = track.end
    enrollment.ended_at = now
    enrollment.end_reason = f"track finished: {rule.text}"
    _history(session, lead, user_id, now, f"finished the track {track.name}: {rule.text}")
    session.flush()
    status = LeadStatus(lead.status)
    if rule.action is EndAction.TRACK:
        exists = session.scalar(select(NurtureTrack.id).where(NurtureTrack.key == rule.track))
        if exists is not None and status is LeadStatus.NURTURE:
            enrol(
                session,
                lead,
                rule.track,
                user_id=user_id,
                now=now,
                reason=f"end of {track.name}: on to the next track",
            )
            return f"on to the track {rule.track}"
        # The next track is gone: a re-qualification call instead, never a dead end.
    ends_out = rule.action in (EndAction.RECYCLE, EndAction.DISQUALIFY)
    if ends_out and can_transition(status, LeadStatus.DISQUALIFIED):
        apply_status(
            session,
            lead,
            LeadStatus.DISQUALIFIED,
            user_id=user_id,
            reason=f"{rule.action.value} at the end of {track.name}: {rule.reason}",
        ).at = now
        lead.next_action_at = None
        return f"{rule.action.value}d ({rule.reason})"
    if status is LeadStatus.NURTURE:
        apply_status(
            session,
            lead,
            LeadStatus.WORKING,
            user_id=user_id,
            reason=f"end of {track.name}: re-qualification call",
        ).at = now
        lead.attempts = 0
        place = lead_place(session, lead)
        lead.next_action_at = touch_due_at(now, 0, place.zone, place.country)
        rescore_lead(session, lead, now=now)  # fewer attempts: a new priority
    return "back to the call queue for a re-qualification call"


# ----------------------------------------------------------------------------- tracks


class TrackNotFound(NotFound):
    def __init__(self, key: str, known: list[str]) -> None:
        super().__init__(
            f"There is no nurture track {key!r}; the tracks are: {', '.join(known) or 'none'}."
        )
        self.key = key


_definitions: dict[str, Track] = {}


def _track_of(definition: dict[str, Any]) -> Track:
    key = json.dumps(definition, sort_keys=True)
    track = _definitions.get(key)
    if track is None:
        if len(_definitions) > 64:
            _definitions.clear()
        track = _definitions[key] = Track.from_dict(definition)
    return track


def _rows(session: Session) -> list[tuple[int, Track]]:
    rows = session.execute(
        select(NurtureTrack.id, NurtureTrack.definition).order_by(NurtureTrack.id)
    ).all()
    return [(row.id, _track_of(row.definition)) for row in rows]


def tracks_in_session(session: Session) -> list[tuple[int, Track]]:
    """(row id, track) of every track, in the order they were added."""
    return _rows(session)


def track_by_key(session: Session, key: str) -> tuple[int, Track]:
    rows = tracks_in_session(session)
    for row_id, track in rows:
        if track.key == key:
            return row_id, track
    raise TrackNotFound(key, [track.key for _, track in rows])


# ----------------------------------------------------------------------------- enrolments


@dataclass(frozen=True)
class Enrolment:
    enrollment_id: int
    track: Track
    #: When the lead's next call step falls due (None: no call left in the track).
    next_call_at: datetime | None


def open_enrolment(session: Session, lead_id: int) -> NurtureEnrollment | None:
    return session.scalar(
        select(NurtureEnrollment).where(
            NurtureEnrollment.lead_id == lead_id, NurtureEnrollment.ended_at.is_(None)
        )
    )


def end_enrolment(
    session: Session, lead: Lead, *, reason: str, user_id: int | None, now: datetime
) -> bool:
    """End the lead's open enrolment, if any, with a history row; its touches not made yet
    are cancelled with the same reason. True when one ended."""
    current = open_enrolment(session, lead.id)
    if current is None:
        return False
    current.ended_at = now
    current.end_reason = reason
    cancel_live_touches(session, current.id, now, f"track ended: {reason}")
    session.add(
        LeadHistory(
            lead=lead,
            user_id=user_id,
            at=now,
            kind=HistoryKind.NURTURE,
            from_value=_short(current.track.key),
            to_value=None,
            reason=f"left the track: {reason}",
        )
    )
    session.flush()
    return True


def _short(text: str) -> str:
    return text[:100]


def enrol(
    session: Session,
    lead: Lead,
    track_key: str,
    *,
    user_id: int | None,
    now: datetime,
    first_touch_at: datetime | None = None,
    reason: str = "",
    call_id: int | None = None,
    by_call: bool = True,
) -> Enrolment:
    """Put ``lead`` in the track (ending any enrolment it has), in the caller's transaction.

    Day 0 of the track is ``first_touch_at`` (default: now). ``by_call``: the lead is
    enrolled at the end of a call (``call_id``), so a call step due at once is that call,
    recorded as done. The steps due at once become touches; the lead's next action is its
    next call step's due time. Writes a history row; the status change is the caller's.
    """
    track_id, track = track_by_key(session, track_key)
    current = open_enrolment(session, lead.id)
    if current is not None:
        current.ended_at = now
        current.end_reason = f"moved to the track {track.name}"
        cancel_live_touches(session, current.id, now, f"moved to the track {track.name}")
        session.flush()  # the open-enrolment index allows one open row per lead
    starts_at = first_touch_at or now
    enrollment = NurtureEnrollment(
        lead_id=lead.id,
        track_id=track_id,
        enrolled_at=now,
        enrolled_by_id=user_id,
        starts_at=starts_at,
        step_index=0,
        next_touch_at=None,
    )
    session.add(enrollment)
    session.add(
        LeadHistory(
            lead=lead,
            user_id=user_id,
            at=now,
            kind=HistoryKind.NURTURE,
            from_value=_short(current.track.key) if current is not None else None,
            to_value=_short(track.key),
            reason=reason or f"enrolled in {track.name}",
        )
    )
    session.flush()
    made = schedule_due_steps(session, enrollment, lead, now=now, user_id=user_id)
    if by_call:
        # A day-0 call step of a track starting now is the call that sent the lead here.
        for touch in made:
            if touch.kind == TouchKind.CALL.value and touch.state == TouchState.OPEN.value:
                resolve_touch(
                    session,
                    touch,
                    lead,
                    TouchState.DONE,
                    now=now,
                    user_id=user_id,
                    outcome="the call that enrolled the lead",
                    call_id=call_id,
                )
                break
    return Enrolment(enrollment.id, track, next_call_at(session, lead))


def next_call_at(session: Session, lead: Lead) -> datetime | None:
    """When the lead's track brings it back to a call (None: no call left, or no track)."""
    current = open_enrolment(session, lead.id)
    if current is None or current.ended_at is not None:
        return None
    calls = [
        t.due_at
        for t in live_touches(session, current.id)
        if t.kind == TouchKind.CALL.value and t.state == TouchState.OPEN.value
    ]
    if calls:
        return min(calls)
    track = track_of_enrollment(session, current)
    for index in range(current.step_index, len(track.steps)):
        if track.steps[index].is_call:
            return step_due(session, current, lead, index)
    return None


# ----------------------------------------------------------------------------- pauses


def pause_enrollment(
    session: Session,
    enrollment: NurtureEnrollment,
    *,
    now: datetime,
    user_id: int | None,
    reason: str,
) -> bool:
    """Set the enrolment aside (its live touch paused); False when it was paused already."""
    if enrollment.paused_at is not None:
        return False
    enrollment.paused_at = now
    enrollment.pause_reason = reason
    for touch in live_touches(session, enrollment.id):
        touch.state = TouchState.PAUSED.value
    lead = session.get(Lead, enrollment.lead_id)
    if lead is not None and LeadStatus(lead.status) is LeadStatus.NURTURE:
        lead.next_action_at = None  # the call steps wait too
    _history(session, enrollment.lead_id, user_id, now, f"nurture paused: {reason}")
    session.flush()
    return True


def resume_enrollment(
    session: Session,
    enrollment: NurtureEnrollment,
    lead: Lead,
    *,
    now: datetime,
    user_id: int | None,
    overdue_on: date | None = None,
) -> bool:
    """Take the enrolment up again: its live touch due after the delay it still had (or on
    ``overdue_on`` when it was due already), the later steps moved by the pause's length."""
    paused_at = enrollment.paused_at
    if paused_at is None:
        return False
    enrollment.starts_at = enrollment.starts_at + (now - paused_at)
    enrollment.paused_at = None
    reason = enrollment.pause_reason or ""
    enrollment.pause_reason = None
    place = lead_place(session, lead)
    for touch in live_touches(session, enrollment.id):
        delay = remaining_delay(touch.due_at, paused_at)
        if delay.total_seconds() > 0:
            due = touch_due_at(now + delay, 0, place.zone, place.country)
        elif overdue_on is not None:
            local = datetime.combine(overdue_on, TOUCH_HOUR, tzinfo=place.zone)
            due = max(touch_due_at(local, 0, place.zone, place.country), now)
        else:
            due = touch_due_at(now, 0, place.zone, place.country)
        touch.due_at = due
        touch.state = TouchState.OPEN.value
    session.flush()
    schedule_due_steps(session, enrollment, lead, now=now, user_id=user_id)
    _history(session, lead.id, user_id, now, f"nurture resumed (paused: {reason})")
    session.flush()
    return True
