"""Enrol a lead in a track by hand (the CLI's ``nurture enrol``, a team lead's choice)."""

from __future__ import annotations

from datetime import datetime

from teleprospect.core.lifecycle import LeadStatus, can_transition
from teleprospect.core.nurture_touches import TouchInvalid
from teleprospect.core.permissions import Action
from teleprospect.services.clock import decision_time
from teleprospect.services.errors import LeadNotFound
from teleprospect.services.identity.permissions import require_user
from teleprospect.services.leads.lifecycle import apply_status
from teleprospect.services.nurture.tracks import Enrolment, enrol, track_by_key
from teleprospect.store.database import Database
from teleprospect.store.models import Lead

__all__ = ["enrol_lead"]


def enrol_lead(
    db: Database,
    lead_id: int,
    track_key: str,
    user_id: int,
    *,
    now: datetime | None = None,
) -> Enrolment:
    """Put the lead in the track from today (its status to nurture, through working when
    it is new); a lead in another track moves to this one."""
    with db.write() as session:
        require_user(session, user_id, Action.WORK_LEADS)
        now = decision_time(session, now)
        lead = session.get(Lead, lead_id)
        if lead is None:
            raise LeadNotFound(lead_id)
        _, track = track_by_key(session, track_key)
        status = LeadStatus(lead.status)
        if status is LeadStatus.NEW:
            apply_status(
                session, lead, LeadStatus.WORKING, user_id=user_id, reason="enrolled"
            ).at = now
            status = LeadStatus.WORKING
        if status is not LeadStatus.NURTURE:
            if not can_transition(status, LeadStatus.NURTURE):
                raise TouchInvalid(
                    f"A {status.label.lower()} lead cannot be enrolled in a nurture track."
                )
            apply_status(
                session,
                lead,
                LeadStatus.NURTURE,
                user_id=user_id,
                reason=f"enrolled in {track.name}",
            ).at = now
        lead.attempts = 0
        return enrol(session, lead, track_key, user_id=user_id, now=now, by_call=False)
