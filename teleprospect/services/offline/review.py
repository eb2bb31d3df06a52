"""The review list: calls kept on a workstation while the server was away that were not
applied when it came back, because the lead had moved on (reassigned, decided or called by
someone else, held by another rep) or because the desk's rules refused them then.

The rep sees their own; a team lead sees the whole team's. Either may throw an entry away,
or apply it anyway where that is safe: never over a live claim of another rep (they are on
the phone with the lead), never to a lead that is gone or on the do-not-call list. Applying
anyway logs the call as the rep made it, with the desk's rules checked as for any call;
when its decision no longer fits the lead, the call alone can be logged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from teleprospect.core.errors import Conflict, Refused, TeleprospectError
from teleprospect.core.offline import OfflineOutcome
from teleprospect.core.permissions import Action, PermissionDenied, allowed
from teleprospect.services.calls.log_call import LoggedCall
from teleprospect.services.clock import decision_time
from teleprospect.services.errors import NotFound
from teleprospect.services.identity.permissions import actor_in_session
from teleprospect.services.offline.journal import EntryState, Journal, state_to_json
from teleprospect.services.offline.replay import lead_state, log_kept_call
from teleprospect.store.database import Database
from teleprospect.store.models import Lead, OfflineAction, User

__all__ = [
    "EntryNotFound",
    "ReviewItem",
    "apply_anyway",
    "discard_entry",
    "review_count",
    "review_list",
]


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One call held for review."""

    client_action_id: str
    user_id: int | None
    rep_name: str
    lead_id: int | None
    lead_name: str
    #: When the rep made the call, and when the server got it.
    taken_at: datetime
    received_at: datetime
    summary: str
    #: Why it was not applied.
    reason: str
    #: Why it cannot be applied anyway now (empty: it can).
    why_not: str

    @property
    def can_apply_anyway(self) -> bool:
        return not self.why_not


class EntryNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("That call is no longer waiting for review.")


def _may_see_team(session: Session, user_id: int) -> bool:
    return allowed(actor_in_session(session, user_id), Action.VIEW_WORKLOAD)


def review_list(
    db: Database,
    user_id: int,
    *,
    team: bool = False,
    now: datetime | None = None,
) -> list[ReviewItem]:
    """The calls held for review: ``user_id``'s own, or (``team``, for a team lead) the
    whole team's; oldest first."""
    with db.read() as session:
        now = decision_time(session, now)
        query = select(OfflineAction).where(OfflineAction.outcome == OfflineOutcome.REVIEW)
        if not (team and _may_see_team(session, user_id)):
            query = query.where(OfflineAction.user_id == user_id)
        records = session.scalars(
            query.order_by(OfflineAction.taken_at, OfflineAction.received_at)
        ).all()
        names = dict(
            session.execute(
                select(User.id, User.name).where(
                    User.id.in_({r.user_id for r in records if r.user_id is not None})
                )
            ).all()
        )
        items = []
        for record in records:
            lead = session.get(Lead, record.lead_id) if record.lead_id is not None else None
            items.append(
                ReviewItem(
                    client_action_id=record.client_action_id,
                    user_id=record.user_id,
                    rep_name=names.get(record.user_id, record.login)
                    if record.user_id is not None
                    else record.login,
                    lead_id=record.lead_id,
                    lead_name=str(record.payload.get("lead_name") or ""),
                    taken_at=record.taken_at,
                    received_at=record.received_at,
                    summary=record.summary,
                    reason=record.reason,
                    why_not=_why_not(session, record, lead, now),
                )
            )
        return items


def review_count(db: Database, user_id: int, *, team: bool = False) -> int:
    """How many calls wait for review (``user_id``'s own, or the team's)."""
    return len(review_list(db, user_id, team=team))


def _why_not(session: Session, record: OfflineAction, lead: Lead | None, now: datetime) -> str:
    if record.user_id is None:
        return f"There is no user with the login {record.login!r}."
    if lead is None:
        return "The lead no longer exists."
    if lead.claimed_by_id is not None and lead.claimed_by_id != record.user_id:
        expires = lead.claim_expires_at
        if expires is None or expires > now:
            holder = session.get(User, lead.claimed_by_id)
            who = holder.name if holder is not None else "Another rep"
            return f"{who} holds the lead right now; try again when they are done."
    if lead.do_not_call:
        return "The lead is on the do-not-call list."
    return ""


def _open_record(session: Session, client_action_id: str, user_id: int) -> OfflineAction:
    """The entry to resolve, locked; only its rep or a team lead may."""
    record = session.get(OfflineAction, client_action_id, with_for_update=True)
    if record is None or record.outcome is not OfflineOutcome.REVIEW:
        raise EntryNotFound()
    if record.user_id != user_id:
        actor = actor_in_session(session, user_id)
        if not allowed(actor, Action.REASSIGN_OTHERS_LEADS):
            raise PermissionDenied(
                f"Only the rep who made the call or a team lead can resolve it; {actor.display}"
                " is neither.",
                action=Action.REASSIGN_OTHERS_LEADS,
            )
    return record


def discard_entry(
    db: Database,
    client_action_id: str,
    user_id: int,
    *,
    journal: Journal | None = None,
    now: datetime | None = None,
) -> None:
    """Throw the call away: it is never applied. Marked so in ``journal`` too, when this
    workstation kept it."""
    with db.write() as session:
        now = decision_time(session, now)
        record = _open_record(session, client_action_id, user_id)
        record.outcome = OfflineOutcome.DISCARDED
        record.resolved_at = now
        record.resolved_by_id = user_id
    if journal is not None and journal.entry(client_action_id) is not None:
        journal.settle(client_action_id, EntryState.DISCARDED, reason="discarded after review")


def apply_anyway(
    db: Database,
    client_action_id: str,
    user_id: int,
    *,
    without_decision: bool = False,
    journal: Journal | None = None,
    now: datetime | None = None,
) -> LoggedCall:
    """Log the call as its rep made it although the lead changed meanwhile (the desk's rules
    still apply: a decision the lead no longer allows is refused, nothing written;
    ``without_decision`` logs the call alone). Refused where it is not safe (see the
    module docstring)."""
    with db.write() as session:
        now = decision_time(session, now)
        record = _open_record(session, client_action_id, user_id)
        lead = session.get(Lead, record.lead_id, with_for_update=True) if record.lead_id else None
        why_not = _why_not(session, record, lead, now)
        if why_not:
            raise Conflict(why_not)
        assert record.user_id is not None and lead is not None
        try:
            logged = log_kept_call(
                session,
                payload=record.payload,
                lead_id=lead.id,
                user_id=record.user_id,
                client_action_id=record.client_action_id,
                taken_at=record.taken_at,
                with_decision=not without_decision,
            )
        except ValueError as error:
            if isinstance(error, TeleprospectError):
                raise
            raise Refused(str(error)) from error
        result = lead_state(lead)
        payload = {**record.payload, "result": json.loads(state_to_json(result) or "null")}
        if without_decision:
            payload["applied_without_decision"] = True
        record.payload = payload
        record.outcome = OfflineOutcome.APPLIED
        record.call_id = logged.call_id
        record.resolved_at = now
        record.resolved_by_id = user_id
    if journal is not None and journal.entry(client_action_id) is not None:
        journal.settle(client_action_id, EntryState.APPLIED, result=result, call_id=logged.call_id)
    return logged
