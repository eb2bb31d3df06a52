"""Nurture tracks in the database, suggestions for a lead, and enrolments.

The shipped tracks are stored when the database is opened or upgraded
(:func:`teleprospect.services.defaults.seed_defaults`); reading tracks never writes.
Enrolling happens when a call ends with the decision "back to nurture" (:func:`enrol` runs inside
:func:`teleprospect.services.calls.log_call.log_call`'s transaction): the lead's ``next_action_at``
becomes the due time of the track's next call step, which is what brings a nurture lead
back to a rep's queue (see :mod:`teleprospect.services.queue.claims`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from teleprospect.core.domain import HistoryKind
from teleprospect.core.errors import NotFound
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.nurture import (
    TouchKind,
    Track,
    default_tracks,
    suggest_tracks,
)
from teleprospect.core.nurture_touches import TouchState
from teleprospect.services.errors import LeadNotFound
from teleprospect.services.nurture.schedule import (
    cancel_live_touches,
    live_touches,
    resolve_touch,
    schedule_due_steps,
    settle_enrollment,
    step_due,
    track_of_enrollment,
)
from teleprospect.store.database import Database
from teleprospect.store.models import Lead, LeadAnswer, LeadHistory, NurtureEnrollment, NurtureTrack
from teleprospect.store.types import utcnow

__all__ = [
    "BUYING_ROLE_QUESTION",
    "Enrolment",
    "NoNurtureTracks",
    "TrackNotFound",
    "best_track",
    "end_enrolment",
    "after_nurture_call",
    "enrol",
    "next_call_at",
    "record_call_touch",
    "nurture_tracks",
    "open_enrolment",
    "seed_default_tracks",
    "suggested_tracks",
    "track_by_key",
    "tracks_in_session",
]

#: The script question whose answer is the lead's role in the buying process.
BUYING_ROLE_QUESTION = "authority"


class TrackNotFound(NotFound):
    def __init__(self, key: str, known: list[str]) -> None:
        super().__init__(
            f"There is no nurture track {key!r}; the tracks are: {', '.join(known) or 'none'}."
        )
        self.key = key


class NoNurtureTracks(NotFound):
    def __init__(self) -> None:
        super().__init__(
            "The team has no nurture tracks; a team lead adds one (opening the database"
            " stores the shipped ones when there are none)."
        )


_parsed: dict[str, Track] = {}


def _track_of(definition: dict[str, Any]) -> Track:
    key = json.dumps(definition, sort_keys=True)
    track = _parsed.get(key)
    if track is None:
        if len(_parsed) > 64:
            _parsed.clear()
        track = _parsed[key] = Track.from_dict(definition)
    return track


def seed_default_tracks(session: Session, *, now: datetime | None = None) -> bool:
    """Store the shipped tracks when the team has none (in the caller's transaction);
    whether it did."""
    if session.scalar(select(NurtureTrack.id).limit(1)) is not None:
        return False
    at = now or utcnow()
    for track in default_tracks():
        session.add(
            NurtureTrack(
                key=track.key,
                name=track.name,
                definition=track.to_dict(),
                created_at=at,
                updated_at=at,
            )
        )
    session.flush()
    return True


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


def nurture_tracks(db: Database) -> list[Track]:
    """Every nurture track, in the order they were added."""
    with db.read() as session:
        return [track for _, track in _rows(session)]


def buying_role(session: Session, lead_id: int) -> str | None:
    value = session.scalar(
        select(LeadAnswer.value).where(
            LeadAnswer.lead_id == lead_id, LeadAnswer.question_id == BUYING_ROLE_QUESTION
        )
    )
    return value if isinstance(value, str) else None


def suggestions_in_session(session: Session, lead: Lead) -> list[Track]:
    tracks = [track for _, track in tracks_in_session(session)]
    return suggest_tracks(
        tracks,
        industry=lead.industry or "",
        title=lead.title or "",
        buying_role=buying_role(session, lead.id),
    )


def best_track(session: Session, lead: Lead) -> Track:
    """The track suited best to ``lead``; raises :class:`NoNurtureTracks` when there is none."""
    suggestions = suggestions_in_session(session, lead)
    if not suggestions:
        raise NoNurtureTracks()
    return suggestions[0]


def suggested_tracks(db: Database, lead_id: int) -> list[Track]:
    """Every track, the best suited to the lead first (industry, job function from the
    title, buying role from the answer to the authority question)."""

    with db.read() as session:
        lead = session.get(Lead, lead_id)
        if lead is None:
            raise LeadNotFound(lead_id)
        return suggestions_in_session(session, lead)


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


def _close_due_calls(
    session: Session,
    enrollment: NurtureEnrollment,
    lead: Lead,
    *,
    now: datetime,
    user_id: int | None,
    call_id: int,
    outcome: str,
    settle: bool,
) -> bool:
    """The call just logged makes the lead's due call touches: the oldest done, any other
    one due recorded as made by the same call. Whether there was one."""
    schedule_due_steps(session, enrollment, lead, now=now, user_id=user_id)
    due = [
        t
        for t in live_touches(session, enrollment.id)
        if t.kind == TouchKind.CALL.value and t.state == TouchState.OPEN.value and t.due_at <= now
    ]
    for position, touch in enumerate(due):
        resolve_touch(
            session,
            touch,
            lead,
            TouchState.DONE if position == 0 else TouchState.SKIPPED,
            now=now,
            user_id=user_id,
            outcome=outcome if position == 0 else "",
            reason="" if position == 0 else f"made by the same call ({outcome})",
            call_id=call_id,
            settle=settle and position == len(due) - 1,
        )
    return bool(due)


def after_nurture_call(
    session: Session,
    lead: Lead,
    *,
    now: datetime,
    user_id: int | None,
    call_id: int,
    outcome: str,
) -> datetime | None:
    """A nurture lead's call is over and nothing more will be tried for it: its due call
    touches are recorded (after a response, the paused track resumes first). Touches of
    other kinds that are due stay due. Returns when the next call falls due (None: none)."""
    current = open_enrolment(session, lead.id)
    if current is None:
        lead.next_action_at = None
        return None
    if current.paused_at is not None:
        from teleprospect.services.nurture.pauses import resume_enrollment

        resume_enrollment(session, current, lead, now=now, user_id=user_id)
    if not _close_due_calls(
        session,
        current,
        lead,
        now=now,
        user_id=user_id,
        call_id=call_id,
        outcome=outcome,
        settle=True,
    ):
        settle_enrollment(session, current, lead, now=now, user_id=user_id)
    if LeadStatus(lead.status) is not LeadStatus.NURTURE:
        return lead.next_action_at
    return next_call_at(session, lead)


def record_call_touch(
    session: Session,
    lead: Lead,
    *,
    now: datetime,
    user_id: int | None,
    call_id: int,
    outcome: str,
) -> bool:
    """The call just logged made the lead's due call touches (a decision follows that ends
    or moves the track): recorded, the track not settled. Whether there was one."""
    current = open_enrolment(session, lead.id)
    if current is None:
        return False
    return _close_due_calls(
        session,
        current,
        lead,
        now=now,
        user_id=user_id,
        call_id=call_id,
        outcome=outcome,
        settle=False,
    )
