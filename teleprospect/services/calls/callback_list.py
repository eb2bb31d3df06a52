"""The callbacks a rep has promised, or may keep: overdue, today's and upcoming ones.

A rep sees their own personal callbacks and the team's (anyone may make those); a team
lead may read another rep's list the same way (:data:`Action.VIEW_WORKLOAD`). "Now" —
which are overdue, which are today's — is the database's clock
(:func:`~teleprospect.services.clock.decision_time`), "today" the rep's day.

The list is read from ``ix_callback_open_due_at`` (open callbacks by due time): a few
hundred rows at most, whatever the number of leads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from teleprospect.core.callback_slots import CallbackWhen, callback_when
from teleprospect.core.permissions import Action
from teleprospect.services.clock import decision_time
from teleprospect.services.identity.permissions import require_user
from teleprospect.store.database import Database
from teleprospect.store.models import CallbackEntry, Lead, User

__all__ = [
    "MAX_CALLBACKS",
    "CallbackList",
    "CallbackRow",
    "CallbackWhen",
    "list_callbacks",
]

#: The most callbacks one list shows: more than anyone keeps in a month.
MAX_CALLBACKS = 1000


@dataclass(frozen=True, slots=True)
class CallbackRow:
    callback_id: int
    lead_id: int
    name: str
    company: str
    due_at: datetime
    #: The zones the lead is called in (empty: its local time is unknown).
    lead_zones: tuple[str, ...]
    #: Personal: only its owner makes it; else a team callback anyone may make.
    personal: bool
    owner_id: int | None
    owner_name: str | None
    note: str
    at_lead_request: bool
    when: CallbackWhen

    def as_json(self) -> dict[str, Any]:
        return {
            "callback_id": self.callback_id,
            "lead_id": self.lead_id,
            "name": self.name,
            "company": self.company,
            "due_at": self.due_at.astimezone(UTC).isoformat(),
            "lead_zones": list(self.lead_zones),
            "personal": self.personal,
            "owner": self.owner_name,
            "note": self.note,
            "at_lead_request": self.at_lead_request,
            "when": self.when.value,
        }


@dataclass(frozen=True, slots=True)
class CallbackList:
    #: Soonest first: the overdue, then today's, then the upcoming ones.
    rows: tuple[CallbackRow, ...]
    #: The time the list was judged at (the database's clock).
    now: datetime
    #: Whose list it is.
    user_id: int
    #: More callbacks were open than the list shows.
    truncated: bool = False


def list_callbacks(
    db: Database,
    user_id: int,
    *,
    of_user_id: int | None = None,
    only: CallbackWhen | None = None,
    display_zone: tzinfo = UTC,
    now: datetime | None = None,
    limit: int = MAX_CALLBACKS,
) -> CallbackList:
    """The open callbacks ``of_user_id`` (default: ``user_id``, who reads) sees: their
    personal ones and the team's, soonest first. ``only`` keeps the overdue or today's
    (or upcoming) ones; "today" is the day in ``display_zone`` (the reader's).

    Reading another rep's list needs a team lead's rights
    (:class:`~teleprospect.core.permissions.PermissionDenied` otherwise)."""
    with db.read() as session:
        now = decision_time(session, now)
        whose = user_id if of_user_id is None else of_user_id
        require_user(session, user_id, Action.WORK_LEADS)
        if whose != user_id:
            require_user(session, user_id, Action.VIEW_WORKLOAD)
        rows = _rows(session, whose, now, display_zone, only, limit + 1)
    return CallbackList(tuple(rows[:limit]), now, whose, truncated=len(rows) > limit)


def _rows(
    session: Session,
    whose: int,
    now: datetime,
    zone: tzinfo,
    only: CallbackWhen | None,
    limit: int,
) -> Sequence[CallbackRow]:
    owner = aliased(User)
    query = (
        select(CallbackEntry, Lead.first_name, Lead.last_name, Lead.company, Lead.call_zones)
        .add_columns(owner.name)
        .join(Lead, Lead.id == CallbackEntry.lead_id)
        .outerjoin(owner, owner.id == CallbackEntry.owner_id)
        .where(
            CallbackEntry.done_at.is_(None),
            or_(CallbackEntry.owner_id == whose, CallbackEntry.owner_id.is_(None)),
        )
        .order_by(CallbackEntry.due_at, CallbackEntry.id)
    )
    if only is CallbackWhen.OVERDUE:
        query = query.where(CallbackEntry.due_at <= now)
    elif only is not None:
        query = query.where(CallbackEntry.due_at > now)
    found: list[CallbackRow] = []
    # "Today" and "upcoming" split on the reader's midnight: filtered here, few rows.
    for entry, first, last, company, zones, owner_name in session.execute(query):
        when = callback_when(entry.due_at, now, zone)
        if only is not None and when is not only:
            if only is CallbackWhen.TODAY and when is CallbackWhen.UPCOMING:
                break  # soonest first: nothing later is today's
            continue
        found.append(
            CallbackRow(
                callback_id=entry.id,
                lead_id=entry.lead_id,
                name=f"{first or ''} {last or ''}".strip(),
                company=company or "",
                due_at=entry.due_at,
                lead_zones=tuple((zones or "").split()),
                personal=entry.owner_id is not None,
                owner_id=entry.owner_id,
                owner_name=owner_name,
                note=entry.note or "",
                at_lead_request=bool(entry.at_lead_request),
                when=when,
            )
        )
        if len(found) >= limit:
            break
    return found
