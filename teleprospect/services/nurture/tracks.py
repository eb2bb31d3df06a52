"""Nurture tracks in the database, suggestions for a lead, and enrolments.

The shipped tracks are stored when the database is opened or upgraded
(:func:`teleprospect.services.defaults.seed_defaults`); reading tracks never writes.
Enrolling happens when a call ends with the decision "back to nurture" (:func:`enrol` runs inside
:func:`teleprospect.services.calls.log_call.log_call`'s transaction): the lead's ``next_action_at``
becomes the due time of the track's next call step, which is what brings a nurture lead
back to a rep's queue (see :mod:`teleprospect.services.queue.claims`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

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
    Enrolment,
    TrackNotFound,
    end_enrolment,
    enrol,
    live_touches,
    next_call_at,
    open_enrolment,
    resolve_touch,
    resume_enrollment,
    schedule_due_steps,
    settle_enrollment,
    track_by_key,
    tracks_in_session,
)
from teleprospect.store.database import Database
from teleprospect.store.models import Lead, LeadAnswer, NurtureEnrollment, NurtureTrack
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


class NoNurtureTracks(NotFound):
    def __init__(self) -> None:
        super().__init__(
            "The team has no nurture tracks; a team lead adds one (opening the database"
            " stores the shipped ones when there are none)."
        )


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


def nurture_tracks(db: Database) -> list[Track]:
    """Every nurture track, in the order they were added."""
    with db.read() as session:
        return [track for _, track in tracks_in_session(session)]


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
