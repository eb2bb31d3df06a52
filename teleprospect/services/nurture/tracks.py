"""Nurture tracks in the database, suggestions for a lead, and enrolments.

The shipped tracks are stored when the database is opened or upgraded
(:func:`teleprospect.services.defaults.seed_defaults`); reading tracks never writes.
Enrolling happens when a call ends with the decision "back to nurture" (:func:`enrol` runs inside
:func:`teleprospect.services.calls.log_call.log_call`'s transaction): the lead's ``next_action_at``
becomes the due time of the track's next call step, which is what brings a nurture lead
back to a rep's queue (see :mod:`teleprospect.services.queue.claims`). A call step due on
a weekend or outside the lead's calling hours falls due at the next good slot instead
(:func:`~teleprospect.core.callback_slots.next_call_slot`): never on a Sunday.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from teleprospect.core.callback_slots import next_call_slot
from teleprospect.core.domain import HistoryKind
from teleprospect.core.errors import NotFound
from teleprospect.core.nurture import (
    TouchKind,
    Track,
    default_tracks,
    next_call_step,
    step_due_at,
    suggest_tracks,
)
from teleprospect.services.errors import LeadNotFound
from teleprospect.services.settings.team_settings import load_queue_settings
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
    "enrol",
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
    """End the lead's open enrolment, if any, with a history row. True when one ended."""
    current = open_enrolment(session, lead.id)
    if current is None:
        return False
    current.ended_at = now
    current.end_reason = reason
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


def _after_now(
    track: Track, after_index: int, starts_at: datetime, now: datetime
) -> tuple[int, datetime] | None:
    """The next call step after ``after_index`` that falls due after ``now``."""
    found = next_call_step(track, after_index, starts_at)
    while found is not None and found[1] <= now:
        found = next_call_step(track, found[0], starts_at)
    return found


def call_step_slot(session: Session, lead: Lead, due: datetime | None) -> datetime | None:
    """When a call step due at ``due`` is made: the first good slot from then on, inside
    the team's calling hours on a business day in every zone of the lead. ``due`` itself
    when no such slot is known (the lead's local time is unknown: the queue holds it)."""
    if due is None:
        return None
    hours = load_queue_settings(session).hours
    return next_call_slot(lead.call_zones.split(), due, hours) or due


def enrol(
    session: Session,
    lead: Lead,
    track_key: str,
    *,
    user_id: int | None,
    now: datetime,
    first_touch_at: datetime | None = None,
    reason: str = "",
) -> Enrolment:
    """Put ``lead`` in the track (ending any enrolment it has), in the caller's transaction.

    Day 0 of the track is ``first_touch_at`` (default: now). The lead's next action is the
    track's first call step due after now: a call step on day 0 of a track that starts now
    is the call just made. Writes a history row; the status change is the caller's.
    """
    track_id, track = track_by_key(session, track_key)
    current = open_enrolment(session, lead.id)
    if current is not None:
        current.ended_at = now
        current.end_reason = f"moved to the track {track.name}"
        session.flush()  # the open-enrolment index allows one open row per lead
    starts_at = first_touch_at or now
    upcoming = _after_now(track, -1, starts_at, now)
    # The next touch of any kind. A track that starts now has its day-0 call made (this
    # call); its other day-0 touches (the thank-you email) are due at once.
    step_index = 0
    while (
        step_index < len(track.steps)
        and track.steps[step_index].kind is TouchKind.CALL
        and step_due_at(track, step_index, starts_at) <= now
    ):
        step_index += 1
    enrollment = NurtureEnrollment(
        lead_id=lead.id,
        track_id=track_id,
        enrolled_at=now,
        enrolled_by_id=user_id,
        starts_at=starts_at,
        step_index=step_index,
        next_touch_at=(
            step_due_at(track, step_index, starts_at) if step_index < len(track.steps) else None
        ),
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
    lead.next_action_at = call_step_slot(
        session, lead, upcoming[1] if upcoming is not None else None
    )
    session.flush()
    return Enrolment(enrollment.id, track, lead.next_action_at)


def advance_to_next_call(session: Session, lead: Lead, *, now: datetime) -> datetime | None:
    """A nurture lead's call step is done (or given up): move its enrolment past every step
    due by now, and its next action to the next call step. Returns that time (None: no call
    left; the lead stays in nurture without a call ahead)."""
    current = open_enrolment(session, lead.id)
    if current is None:
        lead.next_action_at = None
        return None
    track = _track_of(current.track.definition)
    index = current.step_index
    while index < len(track.steps) and step_due_at(track, index, current.starts_at) <= now:
        index += 1
    current.step_index = index
    current.next_touch_at = (
        step_due_at(track, index, current.starts_at) if index < len(track.steps) else None
    )
    upcoming = _after_now(track, index - 1, current.starts_at, now)
    lead.next_action_at = call_step_slot(
        session, lead, upcoming[1] if upcoming is not None else None
    )
    return lead.next_action_at
