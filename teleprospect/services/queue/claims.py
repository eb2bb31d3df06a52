"""Claims on leads: leases that never give one lead to two reps.

Claims are leases: ``claimed_by_id`` and ``claim_expires_at``. A lease that has expired is
free to the next claim: a crashed workstation's leads come back with no job to run.
PostgreSQL claims with one ``UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED)``; SQLite
selects and updates inside one ``BEGIN IMMEDIATE`` transaction (writers queue on the file
lock, so nobody can claim in between) with the claim condition repeated in the UPDATE.
Which lead comes next is the queue's order (:mod:`teleprospect.services.queue.page`).

A rep waits for every write here, so on SQLite each waits for the write lock in short
tries (``Database.write(brief=True)``): a long write elsewhere pauses between its short
transactions and the claim gets in; when the database stays busy for over a second or so,
:class:`~teleprospect.store.database.DatabaseBusy` says "try again" instead of a stall.

Leases are judged and set on the database's clock (:func:`~teleprospect.services.clock.
decision_time`, the server's on PostgreSQL), never on the workstation's: a workstation whose
clock is fast cannot take a lead under a live lease, nor one whose clock is slow keep an
expired lease alive. A lease lasts from one minute to an hour (:mod:`teleprospect.core.leases`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.orm import Session

from teleprospect.core.errors import Conflict
from teleprospect.core.leases import DEFAULT_LEASE, checked_lease
from teleprospect.core.permissions import Action
from teleprospect.core.queue_policy import Callback, QueueTier
from teleprospect.services.clock import decision_time
from teleprospect.services.errors import LeadNotFound, UnknownUser
from teleprospect.services.identity.permissions import require_user
from teleprospect.services.queue.page import (
    AnySelect,
    QueueContext,
    QueueFilters,
    backlog_in_order,
    backlog_query,
    callback_query,
    first_of_tier,
    free_for,
    local_time_text,
    queue_context,
    queue_entries,
)
from teleprospect.store.database import Database
from teleprospect.store.models import Lead, User

__all__ = [
    "DEFAULT_LEASE",
    "ClaimNotHeld",
    "ClaimedLead",
    "OpenedLead",
    "claim_next",
    "find_user_id",
    "next_lead",
    "open_lead",
    "reclaim_lead",
    "release_claim",
    "release_in",
    "renew_claim",
]


class ClaimNotHeld(Conflict):
    """The lead is not (or no longer) claimed by this user."""


@dataclass(frozen=True, slots=True)
class ClaimedLead:
    lead_id: int
    name: str
    company: str
    phone_e164: str | None
    local_time: str
    reason: str
    tier: QueueTier
    claim_expires_at: datetime
    callback_id: int | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.lead_id,
            "name": self.name,
            "company": self.company,
            "phone": self.phone_e164,
            "local_time": self.local_time,
            "reason": self.reason,
            "tier": self.tier.name.lower(),
            "lease_expires_at": self.claim_expires_at.isoformat(),
            "callback_id": self.callback_id,
        }


@dataclass(frozen=True, slots=True)
class OpenedLead:
    lead_id: int
    #: Someone else holds a live claim: show the lead, but let nobody else change it.
    read_only: bool
    holder_id: int | None
    holder_name: str | None
    claim_expires_at: datetime | None
    #: The claim this user now holds (None when read-only).
    claim: ClaimedLead | None = None


# ----------------------------------------------------------------------------- users


def find_user_id(db: Database, login: str) -> int:
    with db.read() as session:
        user_id = session.scalar(select(User.id).where(User.login == login))
    if user_id is None:
        raise UnknownUser(login)
    return user_id


def claim_next(
    db: Database,
    user_id: int,
    *,
    lease: timedelta = DEFAULT_LEASE,
    now: datetime | None = None,
    filters: QueueFilters | None = None,
    display_zone: tzinfo = UTC,
) -> ClaimedLead | None:
    """Claim the first lead of the user's queue that nobody holds, for ``lease``; None when
    the queue is empty. Atomic: two workstations never get the same lead.

    ``now``: None judges by the database's clock (what the app and the CLI do); a time
    given fixes the clock for tests and benchmarks. A lease outside one minute to an hour
    raises :class:`~teleprospect.core.leases.LeaseOutOfRange`."""
    checked_lease(lease)
    ctx = _context(db, user_id, now, filters)
    with db.write(brief=True) as session:
        # A deactivated account claims nothing, whatever the front-end offered.
        require_user(session, user_id, Action.WORK_LEADS)
        found = _claim_next_in(session, db.is_sqlite, ctx, lease)
    return _claimed(db, ctx, found, ctx.now + lease, display_zone)


def next_lead(
    db: Database,
    user_id: int,
    *,
    release: int | None = None,
    lease: timedelta = DEFAULT_LEASE,
    now: datetime | None = None,
    filters: QueueFilters | None = None,
    display_zone: tzinfo = UTC,
) -> ClaimedLead | None:
    """The rep's "Next lead": claim the top lead of the queue and give ``release`` (the lead
    the rep held until now) back to the queue, in one transaction.

    The claim comes first, while ``release`` is still held, so the lead just skipped never
    comes straight back. An empty queue still gives ``release`` back (the rep is done with
    it) and returns None. When anything fails nothing changes: the rep keeps the lead held.
    A ``release`` the user no longer holds, or that is gone, is left as it is."""
    checked_lease(lease)
    ctx = _context(db, user_id, now, filters)
    with db.write(brief=True) as session:
        require_user(session, user_id, Action.WORK_LEADS)
        found = _claim_next_in(session, db.is_sqlite, ctx, lease)
        # An expired lease on ``release`` makes it claimable again: then it is the new claim.
        if release is not None and (found is None or found[0] != release):
            _release_in(session, release, user_id)
    return _claimed(db, ctx, found, ctx.now + lease, display_zone)


def _context(
    db: Database, user_id: int, now: datetime | None, filters: QueueFilters | None
) -> QueueContext:
    """What the claim is decided with (the database's time, settings, calling windows open
    then, rules), read before the write begins: the write lock is held for the claim
    alone. A deactivated account is refused here already (and again in the claim's own
    transaction, should it be deactivated meanwhile)."""
    with db.read() as session:
        actor = require_user(session, user_id, Action.WORK_LEADS)
        return queue_context(
            session, user_id, decision_time(session, now), filters, role=actor.role
        )


#: A lead just claimed, and the tier it came from.
_Found = tuple[int, str]


def _claim_next_in(
    session: Session, is_sqlite: bool, ctx: QueueContext, lease: timedelta
) -> _Found | None:
    now, user_id = ctx.now, ctx.user_id
    expires = now + lease
    for tier in ("callback", "inbound", "backlog"):
        if tier == "callback" and not ctx.legal_zones:
            continue
        if tier != "callback" and not ctx.open_zones:
            break
        if tier == "backlog":
            found_id = _claim_from_backlog(session, is_sqlite, ctx, expires)
            return None if found_id is None else (found_id, tier)
        query, values = first_of_tier(ctx, tier, claiming=True)
        found = _claim_from(session, query, user_id, now, expires, is_sqlite, values)
        if found is not None:
            return found, tier
    return None


def _claim_from_backlog(
    session: Session, is_sqlite: bool, ctx: QueueContext, expires: datetime
) -> int | None:
    """Claim the backlog's first free lead: from its index ranges merged (SQLite, few
    windows open) or its walk; see :func:`~teleprospect.services.queue.page.backlog_in_order`."""
    now, user_id = ctx.now, ctx.user_id
    query, values = backlog_in_order(ctx, claiming=True, db_is_sqlite=is_sqlite, limit=1)
    if not values:  # the walk down the priority index (PostgreSQL: with SKIP LOCKED)
        walk = backlog_query(ctx, claiming=True, db_is_sqlite=is_sqlite)
        return _claim_from(session, walk.limit(1), user_id, now, expires, is_sqlite)
    # SQLite, inside BEGIN IMMEDIATE: nobody else writes, the first found is free to take.
    first = session.scalar(query, values)
    if first is None:
        return None
    return _claim_from(
        session, select(Lead.id).where(Lead.id == first), user_id, now, expires, True
    )


def _claimed(
    db: Database,
    ctx: QueueContext,
    found: _Found | None,
    expires: datetime,
    display_zone: tzinfo,
) -> ClaimedLead | None:
    """The claimed lead as the rep sees it, read once the claim is committed."""
    if found is None:
        return None
    lead_id, tier = found
    callback: tuple[int, Callback] | None = None
    with db.read() as session:
        if tier == "callback":
            row = session.execute(
                callback_query(ctx, claiming=False).where(Lead.id == lead_id).limit(1)
            ).first()
            if row is not None:
                callback = (row[1], Callback(row[2], row[3], row[4] or ""))
        entries = queue_entries(
            session, ctx, [lead_id], {lead_id: callback} if callback else {}, display_zone
        )
    entry = entries[0]
    return ClaimedLead(
        lead_id=entry.lead_id,
        name=entry.name,
        company=entry.company,
        phone_e164=entry.phone_e164,
        local_time=entry.local_time,
        reason=entry.reason,
        tier=entry.tier,
        claim_expires_at=expires,
        callback_id=entry.callback_id,
    )


def _claim_from(
    session: Session,
    query: AnySelect,
    user_id: int,
    now: datetime,
    expires: datetime,
    is_sqlite: bool,
    values: dict[str, Any] | None = None,
) -> int | None:
    """Claim the lead ``query`` finds first; ``values``: the parameters of a statement
    built once (:func:`~teleprospect.services.queue.page.first_of_tier`)."""
    claim = update(Lead).values(
        claimed_by_id=user_id,
        claim_expires_at=expires,
        # A claim is no edit of the lead: no new updated_at, no new version.
        updated_at=Lead.updated_at,
    )
    free = free_for(None, now)
    if is_sqlite:
        # Inside BEGIN IMMEDIATE nobody else writes: select, then update with the claim
        # condition repeated (cheap insurance should a read ever run outside the lock).
        found = session.execute(query, values).first()
        if found is None:
            return None
        result = session.execute(
            claim.where(Lead.id == found[0], free).execution_options(synchronize_session=False)
        )
        return found[0] if _rows_changed(result) == 1 else None
    subquery = (
        query.with_only_columns(Lead.id)
        .with_for_update(skip_locked=True, of=Lead)
        .scalar_subquery()
    )
    claimed = session.execute(
        claim.where(Lead.id == subquery, free)
        .returning(Lead.id)
        .execution_options(synchronize_session=False),
        values,
    ).scalar()
    return claimed


def renew_claim(
    db: Database,
    lead_id: int,
    user_id: int,
    *,
    lease: timedelta = DEFAULT_LEASE,
    now: datetime | None = None,
) -> datetime:
    """Extend the user's claim to ``lease`` from now (the database's clock); raises
    :class:`ClaimNotHeld` when it was lost (expired and taken by someone else, or
    released). An expired claim nobody took is renewed."""
    checked_lease(lease)
    with db.write(brief=True) as session:
        require_user(session, user_id, Action.WORK_LEADS)
        at = decision_time(session, now)
        expires = at + lease
        if not _take(session, lead_id, user_id, at, expires):
            holder = _holder(session, lead_id)
            if holder is None:
                raise LeadNotFound(lead_id)
            raise ClaimNotHeld(f"Lead {lead_id} is now held by {holder[1] or 'someone else'}.")
    return expires


def _take(session: Session, lead_id: int, user_id: int, now: datetime, expires: datetime) -> bool:
    """Claim or renew the lead for the user unless someone else holds a live claim."""
    result = session.execute(
        update(Lead)
        .where(
            Lead.id == lead_id,
            or_(
                Lead.claimed_by_id == user_id,
                Lead.claimed_by_id.is_(None),
                Lead.claim_expires_at <= now,
            ),
        )
        .values(claimed_by_id=user_id, claim_expires_at=expires, updated_at=Lead.updated_at)
        .execution_options(synchronize_session=False)
    )
    return _rows_changed(result) == 1


def release_claim(db: Database, lead_id: int, user_id: int) -> bool:
    """Give the lead back to the queue (on save or skip). False when the user did not hold
    it (nothing changes: someone else's claim is never released)."""
    with db.write(brief=True) as session:
        released = _release_in(session, lead_id, user_id)
        if not released and session.get(Lead, lead_id) is None:
            raise LeadNotFound(lead_id)
        return released


def reclaim_lead(
    db: Database,
    lead_id: int,
    user_id: int,
    *,
    release: int | None = None,
    lease: timedelta = DEFAULT_LEASE,
    now: datetime | None = None,
) -> ClaimedLead:
    """Undo a release: claim the lead again for the user, if nobody took it meanwhile (a
    lease that ran out counts as free); ``release`` (the lead the user went on to) goes
    back to the queue in the same transaction. Raises :class:`ClaimNotHeld` naming who
    holds it now. Like every claim, not in the audit trail (a lease is no change of the
    lead)."""
    checked_lease(lease)
    with db.write(brief=True) as session:
        require_user(session, user_id, Action.WORK_LEADS)
        now = decision_time(session, now)
        expires = now + lease
        if not _take(session, lead_id, user_id, now, expires):
            found = _holder(session, lead_id)
            if found is None:
                raise LeadNotFound(lead_id)
            raise ClaimNotHeld(
                f"{found[1] or 'Another rep'} took the lead meanwhile: it cannot be claimed back."
            )
        if release is not None and release != lead_id:
            _release_in(session, release, user_id)
        lead = session.get(Lead, lead_id)
        assert lead is not None  # just claimed
        return ClaimedLead(
            lead_id,
            lead.full_name,
            lead.company,
            lead.phone_e164 if lead.phone_valid else None,
            local_time_text(lead.call_zones, now),
            "claimed back",
            QueueTier.BACKLOG,
            expires,
            None,
        )


def _release_in(session: Session, lead_id: int, user_id: int) -> bool:
    result = session.execute(
        update(Lead)
        .where(Lead.id == lead_id, Lead.claimed_by_id == user_id)
        .values(claimed_by_id=None, claim_expires_at=None, updated_at=Lead.updated_at)
        .execution_options(synchronize_session=False)
    )
    return bool(_rows_changed(result) == 1)


#: Giving a lead back inside another use case's transaction (an undo that claims another).
release_in = _release_in


def _rows_changed(result: object) -> int:
    """The rows an UPDATE changed (a :class:`CursorResult`, typed as any result)."""
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


def _holder(session: Session, lead_id: int) -> tuple[Any, str | None] | None:
    row = session.execute(
        select(Lead.claimed_by_id, Lead.claim_expires_at, User.name)
        .outerjoin(User, User.id == Lead.claimed_by_id)
        .where(Lead.id == lead_id)
    ).first()
    return None if row is None else (row, row.name)


def open_lead(
    db: Database,
    lead_id: int,
    user_id: int,
    *,
    release: int | None = None,
    lease: timedelta = DEFAULT_LEASE,
    now: datetime | None = None,
) -> OpenedLead:
    """Open a lead picked by hand: claim it when nobody else holds it; otherwise open it
    read-only, naming who holds it.

    ``release``: the lead the user held until now, given back to the queue in the same
    transaction when this one is claimed (kept when this one opens read-only)."""
    checked_lease(lease)
    with db.write(brief=True) as session:
        require_user(session, user_id, Action.WORK_LEADS)
        now = decision_time(session, now)
        expires = now + lease
        if not _take(session, lead_id, user_id, now, expires):
            found = _holder(session, lead_id)
            if found is None:
                raise LeadNotFound(lead_id)
            row, name = found
            return OpenedLead(lead_id, True, row.claimed_by_id, name, row.claim_expires_at)
        if release is not None and release != lead_id:
            _release_in(session, release, user_id)
        lead = session.get(Lead, lead_id)
        assert lead is not None  # just claimed
        claim = ClaimedLead(
            lead_id,
            f"{lead.first_name} {lead.last_name}".strip(),
            lead.company,
            lead.phone_e164 if lead.phone_valid else None,
            local_time_text(lead.call_zones, now),
            "opened by hand",
            QueueTier.BACKLOG,
            expires,
            None,
        )
    return OpenedLead(lead_id, False, user_id, None, expires, claim)
