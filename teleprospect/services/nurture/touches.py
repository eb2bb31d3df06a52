"""Touches due, and what their owners do with them: done with an outcome, skipped with a
reason, postponed. An email touch's message is filled from its template for the mail
client (``mailto:``); recording it is :func:`mark_done`.

"Touches due" of a user are the open, due touches that are not calls (calls come through
the call queue) of the nurture leads they own, plus the touches a track gives to them by
name. Read from two index ranges: the user's nurture leads (``ix_lead_owner_id_status``)
with each lead's open touch (``ix_nurture_touch_open_lead_id_due_at``), and the touches
owned outright (``ix_nurture_touch_open_owner_id_due_at``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy import select, text, union_all
from sqlalchemy.orm import Session

from teleprospect.core.business_days import touch_due_at
from teleprospect.core.domain import HistoryKind
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.nurture import TouchKind
from teleprospect.core.nurture_touches import (
    Message,
    TouchInvalid,
    TouchOutcome,
    TouchState,
    fill_template,
)
from teleprospect.core.permissions import Action
from teleprospect.services.clock import decision_time
from teleprospect.services.identity.permissions import require_user
from teleprospect.services.nurture.schedule import (
    lead_place,
    resolve_touch,
    schedule_due_steps,
    track_of_enrollment,
)
from teleprospect.store import hints  # noqa: F401 - renders the SQLite index hints
from teleprospect.store.database import Database
from teleprospect.store.models import Campaign, Lead, LeadHistory, NurtureEnrollment, User
from teleprospect.store.nurture_models import OPEN_TOUCH_WHERE, NurtureTouch

__all__ = [
    "DueTouch",
    "TouchMessage",
    "TouchNotFound",
    "due_touches",
    "mark_done",
    "postpone_touch",
    "skip_touch",
    "touch_message",
]


class TouchNotFound(TouchInvalid):
    def __init__(self, touch_id: int) -> None:
        super().__init__(f"There is no open touch {touch_id}; it was done, skipped or never made.")
        self.touch_id = touch_id


@dataclass(frozen=True, slots=True)
class DueTouch:
    touch_id: int
    lead_id: int
    lead_name: str
    company: str
    email: str | None
    kind: TouchKind
    title: str
    due_at: datetime
    track_name: str
    #: "step 3 of 12"
    step_text: str
    postponed: int

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.touch_id,
            "lead_id": self.lead_id,
            "lead": self.lead_name,
            "company": self.company,
            "email": self.email,
            "kind": self.kind.value,
            "title": self.title,
            "due_at": self.due_at.isoformat(),
            "track": self.track_name,
            "step": self.step_text,
            "postponed": self.postponed,
        }


_COLUMNS = (
    NurtureTouch.id,
    NurtureTouch.lead_id,
    NurtureTouch.kind,
    NurtureTouch.title,
    NurtureTouch.due_at,
    NurtureTouch.step_index,
    NurtureTouch.postponed,
    NurtureTouch.enrollment_id,
)


def _my_nurture_leads(user_id: int) -> Any:
    return select(Lead.id).where(Lead.owner_id == user_id, Lead.status == LeadStatus.NURTURE.value)


def _due_ids_query(user_id: int, now: datetime, kind: TouchKind | None, limit: int) -> Any:
    not_call = NurtureTouch.kind != TouchKind.CALL.value
    kinds = [NurtureTouch.kind == kind.value] if kind is not None else [not_call]
    of_my_leads = (
        select(*_COLUMNS)
        # SQLite: walk the rep's nurture leads, then each one's open touches; never the
        # touches without an owner of their own (nearly all of them).
        .with_hint(NurtureTouch, "INDEXED BY ix_nurture_touch_open_lead_id_due_at", "sqlite")
        .where(
            NurtureTouch.lead_id.in_(_my_nurture_leads(user_id)),
            NurtureTouch.owner_id.is_(None),
            # Literally the partial index's condition, so the database can use it.
            text(OPEN_TOUCH_WHERE),
            NurtureTouch.due_at <= now,
            *kinds,
        )
    )
    given_to_me = select(*_COLUMNS).where(
        NurtureTouch.owner_id == user_id,
        text(OPEN_TOUCH_WHERE),
        NurtureTouch.due_at <= now,
        *kinds,
    )
    both = union_all(of_my_leads, given_to_me).subquery()
    return select(both).order_by(both.c.due_at, both.c.id).limit(limit)


def _catch_up(db: Database, user_id: int, now: datetime | None) -> None:
    """Steps of the user's leads that fell due since the daily job ran become touches now,
    so the list is right whenever it is read (usually there are none: a read only)."""
    with db.read() as session:
        at = decision_time(session, now)
        ids = list(
            session.scalars(
                select(NurtureEnrollment.id)
                .with_hint(
                    NurtureEnrollment, "INDEXED BY uq_nurture_enrollment_open_lead_id", "sqlite"
                )
                .where(
                    NurtureEnrollment.lead_id.in_(_my_nurture_leads(user_id)),
                    NurtureEnrollment.ended_at.is_(None),
                    NurtureEnrollment.paused_at.is_(None),
                    NurtureEnrollment.next_touch_at <= at,
                )
            )
        )
    for start in range(0, len(ids), 200):
        with db.write(brief=True) as session:
            for enrollment in session.scalars(
                select(NurtureEnrollment).where(NurtureEnrollment.id.in_(ids[start : start + 200]))
            ):
                lead = session.get(Lead, enrollment.lead_id)
                assert lead is not None
                schedule_due_steps(session, enrollment, lead, now=at)


def due_touches(
    db: Database,
    user_id: int,
    *,
    kind: TouchKind | str | None = None,
    now: datetime | None = None,
    limit: int = 500,
) -> list[DueTouch]:
    """The user's touches due now (not calls unless ``kind`` is call), most overdue first."""
    wanted = TouchKind(kind) if kind is not None else None
    _catch_up(db, user_id, now)
    with db.read() as session:
        now = decision_time(session, now)
        rows = session.execute(_due_ids_query(user_id, now, wanted, limit)).all()
        if not rows:
            return []
        leads = {
            row.id: row
            for row in session.execute(
                select(Lead.id, Lead.first_name, Lead.last_name, Lead.company, Lead.email).where(
                    Lead.id.in_({r.lead_id for r in rows})
                )
            )
        }
        enrolments = {
            e.id: e
            for e in session.scalars(
                select(NurtureEnrollment).where(
                    NurtureEnrollment.id.in_({r.enrollment_id for r in rows})
                )
            )
        }
        found = []
        for row in rows:
            lead = leads[row.lead_id]
            enrollment = enrolments[row.enrollment_id]
            track = track_of_enrollment(session, enrollment)
            found.append(
                DueTouch(
                    touch_id=row.id,
                    lead_id=row.lead_id,
                    lead_name=f"{lead.first_name} {lead.last_name}".strip(),
                    company=lead.company,
                    email=lead.email,
                    kind=TouchKind(row.kind),
                    title=row.title,
                    due_at=row.due_at,
                    track_name=track.name,
                    step_text=f"step {row.step_index + 1} of {len(track.steps)}",
                    postponed=row.postponed,
                )
            )
        return found


def _open_touch(session: Session, touch_id: int, user_id: int) -> tuple[NurtureTouch, Lead]:
    touch = session.get(NurtureTouch, touch_id)
    if touch is None or touch.state != TouchState.OPEN.value:
        raise TouchNotFound(touch_id)
    lead = session.get(Lead, touch.lead_id)
    assert lead is not None  # the touch's own, deleted with it
    return touch, lead


def _outcome(value: TouchOutcome | str) -> TouchOutcome:
    try:
        return TouchOutcome(value)
    except ValueError:
        known = ", ".join(o.value for o in TouchOutcome)
        raise TouchInvalid(f"{value!r} is no touch outcome; use one of {known}.") from None


def mark_done(
    db: Database,
    touch_id: int,
    user_id: int,
    *,
    outcome: TouchOutcome | str = TouchOutcome.DONE,
    note: str = "",
    now: datetime | None = None,
) -> None:
    """Record the touch as done (a line in the lead's timeline)."""
    result = _outcome(outcome)
    with db.write() as session:
        require_user(session, user_id, Action.WORK_LEADS)
        now = decision_time(session, now)
        touch, lead = _open_touch(session, touch_id, user_id)
        if touch.kind == TouchKind.CALL.value:
            raise TouchInvalid("A call touch is done by logging the call from the queue.")
        resolve_touch(
            session,
            touch,
            lead,
            TouchState.DONE,
            now=now,
            user_id=user_id,
            outcome=result.value,
            reason=note.strip(),
        )


def skip_touch(
    db: Database, touch_id: int, user_id: int, *, reason: str, now: datetime | None = None
) -> None:
    """Skip the touch with a reason (required): it is recorded, never silently dropped."""
    if not reason.strip():
        raise TouchInvalid("Say why the touch is skipped.")
    with db.write() as session:
        require_user(session, user_id, Action.WORK_LEADS)
        now = decision_time(session, now)
        touch, lead = _open_touch(session, touch_id, user_id)
        resolve_touch(
            session,
            touch,
            lead,
            TouchState.SKIPPED,
            now=now,
            user_id=user_id,
            reason=reason.strip(),
        )


def postpone_touch(
    db: Database,
    touch_id: int,
    user_id: int,
    *,
    days: int = 1,
    now: datetime | None = None,
) -> datetime:
    """Put the touch off by ``days`` business days in the lead's zone; returns its new due
    time. The steps after it keep their dates."""
    if days < 1 or days > 60:
        raise TouchInvalid(f"A touch is put off by 1 to 60 business days, not {days}.")
    with db.write() as session:
        require_user(session, user_id, Action.WORK_LEADS)
        now = decision_time(session, now)
        touch, lead = _open_touch(session, touch_id, user_id)
        place = lead_place(session, lead)
        touch.due_at = touch_due_at(now, days, place.zone, place.country)
        touch.postponed += 1
        enrollment = session.get(NurtureEnrollment, touch.enrollment_id)
        if enrollment is not None:
            enrollment.next_touch_at = touch.due_at
        if touch.kind == TouchKind.CALL.value:
            lead.next_action_at = touch.due_at
        session.add(
            LeadHistory(
                lead_id=lead.id,
                user_id=user_id,
                at=now,
                kind=HistoryKind.NURTURE,
                reason=f"touch postponed: {touch.title} (to {touch.due_at:%Y-%m-%d})",
            )
        )
        return touch.due_at


def mailto_url(to: str, message: Message) -> str:
    """A ``mailto:`` link (RFC 6068) that opens ``message`` to ``to`` in the mail client."""
    if not to or "@" not in to:
        raise TouchInvalid(f"{to or 'An empty address'} is no email address to write to.")
    return (
        f"mailto:{quote(to, safe='@')}?subject={quote(message.subject, safe='')}"
        f"&body={quote(message.body, safe='')}"
    )


@dataclass(frozen=True, slots=True)
class TouchMessage:
    to: str
    message: Message
    #: ``mailto:`` link that opens the message in the user's mail client.
    url: str


def touch_message(db: Database, touch_id: int, user_id: int) -> TouchMessage:
    """The email of an email touch, filled from its step's template (merge fields from the
    lead, the campaign's offer, the sender)."""
    with db.read() as session:
        touch = session.get(NurtureTouch, touch_id)
        if touch is None or touch.state not in (TouchState.OPEN.value, TouchState.PAUSED.value):
            raise TouchNotFound(touch_id)
        lead = session.get(Lead, touch.lead_id)
        enrollment = session.get(NurtureEnrollment, touch.enrollment_id)
        assert lead is not None and enrollment is not None
        track = track_of_enrollment(session, enrollment)
        step = track.steps[touch.step_index]
        campaign = session.get(Campaign, lead.campaign_id) if lead.campaign_id else None
        sender = session.scalar(select(User.name).where(User.id == user_id)) or ""
        values = {
            "first_name": lead.first_name,
            "last_name": lead.last_name,
            "full_name": lead.full_name,
            "company": lead.company,
            "title": lead.title,
            "campaign": campaign.name if campaign else "",
            "campaign_offer": campaign.offer if campaign else "",
            "step_title": step.title,
            "sender_name": sender,
        }
        template = step.template or "Subject: {step_title}\n\nHello {first_name},\n\n"
        message = fill_template(template, values)
        if not lead.email:
            raise TouchInvalid(f"{lead.full_name or 'The lead'} has no email address.")
        return TouchMessage(lead.email, message, mailto_url(lead.email, message))
