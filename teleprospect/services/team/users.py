"""The team's users: add, list, change role or admin flag, deactivate and reactivate.

Managing users is for admins (while the team has no admin yet, whoever sets it up may).
A user is never deleted, only deactivated: their name stays on the calls and history they
made. Deactivating someone reports the work they leave behind (leads they own, callbacks
they promised, leads they hold right now), which a team lead then reassigns; their live
claims are released at once, as nobody can finish those calls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, true, update
from sqlalchemy.orm import Session

from teleprospect.core.domain import UserRole
from teleprospect.core.errors import Invalid, Refused
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.permissions import Action, PermissionDenied
from teleprospect.services.clock import decision_time
from teleprospect.services.errors import UnknownUser
from teleprospect.services.identity.permissions import require_user
from teleprospect.store.database import Database
from teleprospect.store.models import CallbackEntry, Lead, User
from teleprospect.store.types import utcnow

__all__ = [
    "OPEN_STATUSES",
    "Deactivation",
    "LastAdmin",
    "NewUser",
    "OpenWork",
    "UserError",
    "UserInfo",
    "add_user",
    "deactivate_user",
    "find_user",
    "list_users",
    "open_work",
    "reactivate_user",
    "set_admin",
    "set_role",
]

#: Leads someone is still working: what must be reassigned when they leave.
OPEN_STATUSES = (LeadStatus.NEW, LeadStatus.WORKING, LeadStatus.NURTURE, LeadStatus.SALES_READY)

_LOGIN = re.compile(r"^[A-Za-z0-9._@\\-][A-Za-z0-9._@\\ -]{0,63}$")


class UserError(Invalid):
    """A user change that cannot be made; the message says why."""


class LastAdmin(Refused, UserError):
    """The change would leave the team without an active admin."""


@dataclass(frozen=True, slots=True)
class UserInfo:
    id: int
    login: str
    name: str
    role: UserRole
    is_admin: bool
    is_active: bool
    created_at: datetime

    @property
    def role_text(self) -> str:
        """ "Team lead, admin", "Teleprospector (deactivated)"."""
        text = self.role.label + (", admin" if self.is_admin else "")
        return text if self.is_active else f"{text} (deactivated)"


@dataclass(frozen=True, slots=True)
class NewUser:
    login: str
    name: str
    role: UserRole = UserRole.TELEPROSPECTOR
    is_admin: bool = False


@dataclass(frozen=True, slots=True)
class OpenWork:
    """What a user leaves behind."""

    user_id: int
    #: Leads they own that are not closed (new, working, nurture, sales-ready).
    owned_leads: int
    #: Open callbacks they promised personally.
    open_callbacks: int
    #: Leads they hold right now (a live claim).
    live_claims: int

    @property
    def is_empty(self) -> bool:
        return not (self.owned_leads or self.open_callbacks or self.live_claims)

    def describe(self) -> str:
        if self.is_empty:
            return "No open work."
        parts = [
            f"{self.owned_leads:,} open lead{'s' if self.owned_leads != 1 else ''}",
            f"{self.open_callbacks:,} open callback{'s' if self.open_callbacks != 1 else ''}",
            f"{self.live_claims:,} lead{'s' if self.live_claims != 1 else ''} held right now",
        ]
        return ", ".join(parts) + "."


@dataclass(frozen=True, slots=True)
class Deactivation:
    user: UserInfo
    #: The work left behind, as it was before the claims were released.
    open_work: OpenWork
    claims_released: int

    def describe(self) -> str:
        text = f"{self.user.name} ({self.user.login}) is deactivated."
        if self.open_work.is_empty:
            return text + " They leave no open work."
        released = (
            f" {self.claims_released} held lead{'s were' if self.claims_released != 1 else ' was'}"
            " released to the queue."
            if self.claims_released
            else ""
        )
        return (
            f"{text} They leave {self.open_work.describe()[:-1].lower()}: reassign their leads "
            f"and callbacks to someone else.{released}"
        )


def _info(user: User) -> UserInfo:
    return UserInfo(
        user.id,
        user.login,
        user.name,
        user.role,
        user.is_admin,
        user.is_active,
        user.created_at,
    )


def _get(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise UnknownUser(user_id)
    return user


def _other_active_admins(session: Session, user_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.is_admin == true(), User.is_active == true(), User.id != user_id)
        )
        or 0
    )


def _keep_an_admin(session: Session, user: User, what: str) -> None:
    if user.is_admin and user.is_active and _other_active_admins(session, user.id) == 0:
        raise LastAdmin(
            f"{user.name} is the team's only active admin: make someone else admin before "
            f"you {what}."
        )


def list_users(db: Database, *, include_inactive: bool = True) -> list[UserInfo]:
    """Every user by name (deactivated ones too, unless asked not to)."""
    with db.read() as session:
        query = select(User).order_by(User.name, User.id)
        if not include_inactive:
            query = query.where(User.is_active == true())
        return [_info(user) for user in session.scalars(query)]


def find_user(db: Database, login: str) -> UserInfo:
    with db.read() as session:
        user = session.scalar(select(User).where(User.login == login))
        if user is None:
            raise UnknownUser(login)
        return _info(user)


def add_user(db: Database, new: NewUser, *, acting_user_id: int | None) -> UserInfo:
    """Add a user. ``acting_user_id`` None: someone whose login is no user yet, allowed
    only while the team has no admin (setting a new team up)."""
    login, name = new.login.strip(), " ".join(new.name.split())
    if not login or not _LOGIN.match(login):
        raise UserError(
            f"{new.login!r} is not a login: use the person's computer login "
            "(letters, digits, dots, dashes; at most 64 characters)."
        )
    if not name:
        raise UserError("Give the user's name, as colleagues know them.")
    if len(name) > 200:
        raise UserError("A name can have at most 200 characters.")
    with db.write() as session:
        require_user(session, acting_user_id, Action.MANAGE_USERS)
        existing = session.scalar(select(User).where(func.lower(User.login) == login.lower()))
        if existing is not None:
            state = "" if existing.is_active else " (deactivated: reactivate it instead)"
            raise UserError(f"The login {existing.login!r} is already {existing.name}'s{state}.")
        user = User(
            login=login,
            name=name,
            role=UserRole(new.role),
            is_admin=new.is_admin,
            is_active=True,
            created_at=utcnow(),
        )
        session.add(user)
        session.flush()
        return _info(user)


def set_role(
    db: Database, user_id: int, role: UserRole | str, *, acting_user_id: int | None
) -> UserInfo:
    with db.write() as session:
        require_user(session, acting_user_id, Action.MANAGE_USERS)
        user = _get(session, user_id)
        user.role = UserRole(role)
        session.flush()
        return _info(user)


def set_admin(
    db: Database, user_id: int, is_admin: bool, *, acting_user_id: int | None
) -> UserInfo:
    with db.write() as session:
        require_user(session, acting_user_id, Action.MANAGE_USERS)
        user = _get(session, user_id)
        if not is_admin:
            _keep_an_admin(session, user, "remove their admin rights")
        user.is_admin = is_admin
        session.flush()
        return _info(user)


def _open_work(session: Session, user_id: int, now: datetime) -> OpenWork:
    owned = session.scalar(
        select(func.count())
        .select_from(Lead)
        .where(Lead.owner_id == user_id, Lead.status.in_([s.value for s in OPEN_STATUSES]))
    )
    callbacks = session.scalar(
        select(func.count())
        .select_from(CallbackEntry)
        .where(CallbackEntry.owner_id == user_id, CallbackEntry.done_at.is_(None))
    )
    claims = session.scalar(
        select(func.count())
        .select_from(Lead)
        .where(Lead.claimed_by_id == user_id, Lead.claim_expires_at > now)
    )
    return OpenWork(user_id, owned or 0, callbacks or 0, claims or 0)


def open_work(db: Database, user_id: int, *, now: datetime | None = None) -> OpenWork:
    """The work ``user_id`` holds: what must be reassigned if they leave (their live
    claims judged on the database's clock)."""
    with db.read() as session:
        _get(session, user_id)
        return _open_work(session, user_id, decision_time(session, now))


def deactivate_user(
    db: Database, user_id: int, *, acting_user_id: int | None, now: datetime | None = None
) -> Deactivation:
    """Deactivate ``user_id``: they can no longer work or be given leads. Their live claims
    are released; the open work they leave is reported for reassignment."""
    with db.write() as session:
        now = decision_time(session, now)
        actor = require_user(session, acting_user_id, Action.MANAGE_USERS)
        user = _get(session, user_id)
        if not user.is_active:
            raise UserError(f"{user.name} ({user.login}) is already deactivated.")
        if actor.user_id == user.id:
            raise PermissionDenied("You cannot deactivate your own account.")
        _keep_an_admin(session, user, "deactivate them")
        work = _open_work(session, user_id, now)
        session.execute(
            update(Lead)
            .where(Lead.claimed_by_id == user_id)
            .values(claimed_by_id=None, claim_expires_at=None, updated_at=Lead.updated_at)
            .execution_options(synchronize_session=False)
        )
        user.is_active = False
        session.flush()
        return Deactivation(_info(user), work, work.live_claims)


def reactivate_user(db: Database, user_id: int, *, acting_user_id: int | None) -> UserInfo:
    with db.write() as session:
        require_user(session, acting_user_id, Action.MANAGE_USERS)
        user = _get(session, user_id)
        if user.is_active:
            raise UserError(f"{user.name} ({user.login}) is already active.")
        user.is_active = True
        session.flush()
        return _info(user)
