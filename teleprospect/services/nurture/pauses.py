"""Pausing nurture: one lead, a whole track, or every lead of a rep (vacation).

A paused enrolment's live touch is set aside (state ``paused``) with its due time kept.
On resume the touch gets back the delay it still had when paused, and the track's later
steps move by the time the pause lasted. Touches that were already due when the pause
began would all arrive at once on return: they are spread over the following business
days, at most :data:`~teleprospect.core.nurture_touches.SPREAD_PER_DAY` a day per owner,
oldest first, and the summary says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from teleprospect.core.domain import HistoryKind
from teleprospect.core.errors import NotFound
from teleprospect.core.nurture_touches import (
    SPREAD_PER_DAY,
    TouchInvalid,
    spread_over_days,
)
from teleprospect.core.permissions import Action
from teleprospect.services.clock import decision_time
from teleprospect.services.errors import LeadNotFound, UnknownUser
from teleprospect.services.identity.permissions import require_user
from teleprospect.services.nurture.schedule import (
    lead_place,
    live_touches,
    open_enrolment,
    pause_enrollment,
    resume_enrollment,
    track_by_key,
)
from teleprospect.store.database import Database
from teleprospect.store.models import Lead, LeadHistory, NurtureEnrollment, User

__all__ = [
    "PauseOutcome",
    "pause_lead",
    "pause_rep",
    "pause_track",
    "resume_enrollment",
    "resume_lead",
    "resume_rep",
    "resume_track",
]

#: The prefixes of ``pause_reason`` that say who paused: a resume undoes only its own.
LEAD, TRACK, REP, RESPONSE = "lead", "track", "rep", "responded"


class NothingPaused(NotFound):
    """Nothing to resume; the message says what was looked for."""


@dataclass
class PauseOutcome:
    enrolments: int = 0
    #: Touches that were due already and were spread over the coming days: day → count.
    spread: dict[date, int] = field(default_factory=dict)

    @property
    def text(self) -> str:
        if not self.spread:
            return f"{self.enrolments} enrolment(s)"
        days = ", ".join(f"{day:%a %d %b}: {n}" for day, n in sorted(self.spread.items()))
        return f"{self.enrolments} enrolment(s); overdue touches spread over {days}"


def _history(session: Session, lead_id: int, user_id: int | None, now: datetime, why: str) -> None:
    session.add(
        LeadHistory(lead_id=lead_id, user_id=user_id, at=now, kind=HistoryKind.NURTURE, reason=why)
    )


# ----------------------------------------------------------------------------- use cases


def _lead(session: Session, lead_id: int) -> Lead:
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise LeadNotFound(lead_id)
    return lead


def pause_lead(
    db: Database, lead_id: int, user_id: int, *, reason: str = "", now: datetime | None = None
) -> bool:
    """Pause the lead's track (the rep's "not now, but keep them"); False when it was
    paused already. Raises when the lead is in no track."""
    with db.write() as session:
        require_user(session, user_id, Action.WORK_LEADS)
        now = decision_time(session, now)
        lead = _lead(session, lead_id)
        current = open_enrolment(session, lead.id)
        if current is None:
            raise TouchInvalid(f"{lead.full_name or f'Lead {lead_id}'} is in no nurture track.")
        return pause_enrollment(
            session, current, now=now, user_id=user_id, reason=f"{LEAD}: {reason or 'paused'}"
        )


def resume_lead(db: Database, lead_id: int, user_id: int, *, now: datetime | None = None) -> bool:
    with db.write() as session:
        require_user(session, user_id, Action.WORK_LEADS)
        now = decision_time(session, now)
        lead = _lead(session, lead_id)
        current = open_enrolment(session, lead.id)
        if current is None or current.paused_at is None:
            raise NothingPaused(f"{lead.full_name or f'Lead {lead_id}'} has no paused track.")
        return resume_enrollment(session, current, lead, now=now, user_id=user_id)


def _open_enrolments(
    session: Session, *, track_id: int | None = None, owner_id: int | None = None
) -> Sequence[tuple[NurtureEnrollment, Lead]]:
    query = (
        select(NurtureEnrollment, Lead)
        .join(Lead, Lead.id == NurtureEnrollment.lead_id)
        .where(NurtureEnrollment.ended_at.is_(None))
        .order_by(NurtureEnrollment.id)
    )
    if track_id is not None:
        query = query.where(NurtureEnrollment.track_id == track_id)
    if owner_id is not None:
        query = query.where(Lead.owner_id == owner_id)
    return session.execute(query).tuples().all()


def _pause_many(
    db: Database, user_id: int, now: datetime | None, reason: str, **which: int
) -> PauseOutcome:
    outcome = PauseOutcome()
    with db.write() as session:
        require_user(session, user_id, Action.WORK_LEADS)
        now = decision_time(session, now)
        for enrollment, _ in _open_enrolments(session, **which):
            if pause_enrollment(session, enrollment, now=now, user_id=user_id, reason=reason):
                outcome.enrolments += 1
    return outcome


def _resume_many(
    db: Database, user_id: int, now: datetime | None, prefix: str, **which: int
) -> PauseOutcome:
    """Resume the enrolments paused by ``prefix``; the touches due already when they were
    paused are spread over the next business days, per owner."""
    outcome = PauseOutcome()
    with db.write() as session:
        require_user(session, user_id, Action.WORK_LEADS)
        now = decision_time(session, now)
        rows = [
            (e, lead)
            for e, lead in _open_enrolments(session, **which)
            if e.paused_at is not None and (e.pause_reason or "").startswith(prefix)
        ]
        overdue: dict[int | None, list[tuple[NurtureEnrollment, Lead]]] = defaultdict(list)
        for enrollment, lead in rows:
            assert enrollment.paused_at is not None
            was_due = [
                t for t in live_touches(session, enrollment.id) if t.due_at <= enrollment.paused_at
            ]
            if was_due:
                overdue[was_due[0].owner_id or lead.owner_id].append((enrollment, lead))
            else:
                resume_enrollment(session, enrollment, lead, now=now, user_id=user_id)
            outcome.enrolments += 1
        for group in overdue.values():
            group.sort(key=lambda item: item[0].next_touch_at or now)
            place = lead_place(session, group[0][1])
            days = spread_over_days(
                len(group), now.astimezone(place.zone).date(), place.country, SPREAD_PER_DAY
            )
            for (enrollment, lead), day in zip(group, days, strict=True):
                resume_enrollment(
                    session, enrollment, lead, now=now, user_id=user_id, overdue_on=day
                )
                outcome.spread[day] = outcome.spread.get(day, 0) + 1
    return outcome


def pause_track(
    db: Database, track_key: str, user_id: int, *, now: datetime | None = None
) -> PauseOutcome:
    """Pause every lead in the track (a team lead reworking it)."""
    with db.read() as session:
        require_user(session, user_id, Action.EDIT_TRACKS)
        track_id, _ = track_by_key(session, track_key)
    return _pause_many(db, user_id, now, f"{TRACK}: {track_key}", track_id=track_id)


def resume_track(
    db: Database, track_key: str, user_id: int, *, now: datetime | None = None
) -> PauseOutcome:
    with db.read() as session:
        require_user(session, user_id, Action.EDIT_TRACKS)
        track_id, _ = track_by_key(session, track_key)
    return _resume_many(db, user_id, now, f"{TRACK}: {track_key}", track_id=track_id)


def _user_id(session: Session, login: str) -> int:
    found = session.scalar(select(User.id).where(User.login == login))
    if found is None:
        raise UnknownUser(login)
    return found


def pause_rep(
    db: Database, login: str, user_id: int, *, now: datetime | None = None
) -> PauseOutcome:
    """A rep is away: every track of their leads waits for them."""
    with db.read() as session:
        rep = _user_id(session, login)
        if rep != user_id:
            require_user(session, user_id, Action.REASSIGN_OTHERS_LEADS)
    return _pause_many(db, user_id, now, f"{REP}: {login} away", owner_id=rep)


def resume_rep(
    db: Database, login: str, user_id: int, *, now: datetime | None = None
) -> PauseOutcome:
    """The rep is back: their tracks go on, the overdue touches spread over the next days."""
    with db.read() as session:
        rep = _user_id(session, login)
        if rep != user_id:
            require_user(session, user_id, Action.REASSIGN_OTHERS_LEADS)
    return _resume_many(db, user_id, now, f"{REP}: {login}", owner_id=rep)
