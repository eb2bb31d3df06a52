"""The team's users: add, list, change role or admin flag, deactivate and reactivate.

Managing users is for admins (while the team has no admin yet, whoever sets it up may;
the database's owner always may). A user is never deleted, only deactivated: their name
stays on the calls and history they made. Deactivating someone reports the work they leave
behind (leads they own, callbacks they promised, leads they hold right now), which a team
lead then reassigns; their live claims are released at once, as nobody can finish those
calls.

On PostgreSQL each account has its own login role, kept in step in the same transaction
(:func:`teleprospect.store.roles.sync_login`): made by :func:`add_user` with the password
given (stored as a SCRAM verifier), moved between the team's groups by a role or admin
change, ``NOLOGIN`` once deactivated. Every change is written to the audit trail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, true, update
from sqlalchemy.orm import Session

from teleprospect.core.audit import AuditKind
from teleprospect.core.domain import UserRole
from teleprospect.core.errors import Invalid, Refused
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.permissions import Action, PermissionDenied
from teleprospect.services.audit.record import record_audit
from teleprospect.services.clock import decision_time
from teleprospect.services.errors import UnknownUser
from teleprospect.services.identity.permissions import require_user
from teleprospect.store.database import Database
from teleprospect.store.models import CallbackEntry, Lead, User
from teleprospect.store.roles import scram_sha256_verifier, sync_login
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
    "set_password",
    "set_role",
]

#: Leads someone is still working: what must be reassigned when they leave.
OPEN_STATUSES = (LeadStatus.NEW, LeadStatus.WORKING, LeadStatus.NURTURE, LeadStatus.SALES_READY)

_LOGIN = re.compile(r"^[A-Za-z0-9._@\\-][A-Za-z0-9._@\\ -]{0,63}$")
#: PostgreSQL's names are at most 63 bytes; ``pg_`` names are the server's own.
MAX_ROLE_BYTES = 63
#: Shorter passwords are refused: a team server is reachable from the network.
MIN_PASSWORD_LENGTH = 8


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
    #: The PostgreSQL login role they connect as (default: the login).
    db_role: str | None = None


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


def _check_db_role(name: str) -> str:
    if not name or name != name.strip() or any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise UserError(f"{name!r} is not a database role name.")
    if len(name.encode()) > MAX_ROLE_BYTES:
        raise UserError(
            f"{name!r} is longer than a database role name may be ({MAX_ROLE_BYTES} bytes): "
            "give the role another name (--db-role)."
        )
    if name.lower().startswith("pg_"):
        raise UserError(f"{name!r} is a name PostgreSQL keeps for its own roles.")
    return name


def password_verifier(db: Database, password: str | None) -> str | None:
    """The SCRAM verifier stored for ``password``: the server never sees the password."""
    if password is None:
        return None
    if db.is_sqlite:
        raise UserError(
            "A SQLite database has one user, its file's owner: passwords are for the "
            "logins of a PostgreSQL server."
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")
    if "\n" in password or "\r" in password or "\x00" in password:
        raise UserError("A password cannot hold a line break or a null character.")
    return scram_sha256_verifier(password)


def _user_json(user: User) -> dict[str, object]:
    return {
        "login": user.login,
        "name": user.name,
        "role": user.role,
        "admin": user.is_admin,
        "active": user.is_active,
        "db_role": user.db_role,
    }


def _sync(
    db: Database, session: Session, user: User, *, create: bool = False, verifier: str | None = None
) -> None:
    """Keep the account's PostgreSQL login role in step (nothing to do on SQLite)."""
    session.flush()
    if not db.is_sqlite:
        sync_login(session, user.id, create=create, verifier=verifier)


def add_user(
    db: Database, new: NewUser, *, acting_user_id: int | None, password: str | None = None
) -> UserInfo:
    """Add a user; on PostgreSQL also their login role, in the same transaction, with
    ``password`` (None: the server authenticates them otherwise: peer, Kerberos,
    certificates). ``acting_user_id`` None: someone whose login is no user yet, allowed
    while the team has no admin (setting a new team up) or when they are the database's
    owner."""
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
    db_role = _check_db_role(new.db_role if new.db_role is not None else login)
    verifier = password_verifier(db, password)
    with db.write() as session:
        require_user(session, acting_user_id, Action.MANAGE_USERS)
        existing = session.scalar(select(User).where(func.lower(User.login) == login.lower()))
        if existing is not None:
            state = "" if existing.is_active else " (deactivated: reactivate it instead)"
            raise UserError(f"The login {existing.login!r} is already {existing.name}'s{state}.")
        taken = session.scalar(select(User).where(User.db_role == db_role))
        if taken is not None:
            raise UserError(f"The database role {db_role!r} is already {taken.name}'s login.")
        user = User(
            login=login,
            name=name,
            role=UserRole(new.role),
            is_admin=new.is_admin,
            is_active=True,
            db_role=db_role,
            created_at=utcnow(),
        )
        session.add(user)
        _sync(db, session, user, create=True, verifier=verifier)
        record_audit(
            session,
            AuditKind.USER_ADDED,
            user_id=acting_user_id,
            subject=f"{user.name} ({user.login})",
            after=_user_json(user),
        )
        return _info(user)


def set_password(
    db: Database, user_id: int, password: str, *, acting_user_id: int | None
) -> UserInfo:
    """Set the PostgreSQL password of ``user_id``'s login role, making the role when the
    account has none yet (an account from before per-person logins). Admins for anyone;
    everyone for themselves."""
    verifier = password_verifier(db, password)
    with db.write() as session:
        if acting_user_id is None or acting_user_id != user_id:
            require_user(session, acting_user_id, Action.MANAGE_USERS)
        else:
            require_user(session, acting_user_id, Action.WORK_LEADS)
        user = _get(session, user_id)
        if user.db_role is None:
            raise UserError(
                f"{user.name} ({user.login}) has no database role name: an admin gives one."
            )
        _sync(db, session, user, create=True, verifier=verifier)
        record_audit(
            session,
            AuditKind.USER_CHANGED,
            user_id=acting_user_id,
            subject=f"{user.login}'s password",
            # Never the password, nor its verifier: only that it changed.
            after={"password": "changed", "db_role": user.db_role},
        )
        return _info(user)


def set_role(
    db: Database, user_id: int, role: UserRole | str, *, acting_user_id: int | None
) -> UserInfo:
    with db.write() as session:
        require_user(session, acting_user_id, Action.MANAGE_USERS)
        user = _get(session, user_id)
        before = user.role
        user.role = UserRole(role)
        _sync(db, session, user)
        _record_change(session, acting_user_id, user, "role", {"role": before}, {"role": user.role})
        return _info(user)


def set_admin(
    db: Database, user_id: int, is_admin: bool, *, acting_user_id: int | None
) -> UserInfo:
    with db.write() as session:
        require_user(session, acting_user_id, Action.MANAGE_USERS)
        user = _get(session, user_id)
        if not is_admin:
            _keep_an_admin(session, user, "remove their admin rights")
        before = user.is_admin
        user.is_admin = is_admin
        _sync(db, session, user)
        _record_change(
            session, acting_user_id, user, "admin rights", {"admin": before}, {"admin": is_admin}
        )
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
        # Their login role may no longer log in (on PostgreSQL), in the same transaction.
        _sync(db, session, user)
        _record_change(
            session,
            acting_user_id,
            user,
            "account",
            {"active": True},
            {"active": False, "claims_released": work.live_claims},
        )
        return Deactivation(_info(user), work, work.live_claims)


def reactivate_user(db: Database, user_id: int, *, acting_user_id: int | None) -> UserInfo:
    with db.write() as session:
        require_user(session, acting_user_id, Action.MANAGE_USERS)
        user = _get(session, user_id)
        if user.is_active:
            raise UserError(f"{user.name} ({user.login}) is already active.")
        user.is_active = True
        _sync(db, session, user)
        _record_change(
            session, acting_user_id, user, "account", {"active": False}, {"active": True}
        )
        return _info(user)


def _record_change(
    session: Session, acting_user_id: int | None, user: User, what: str, before: Any, after: Any
) -> None:
    """A change to ``user``'s account in the audit trail ("maria.lopez's role")."""
    record_audit(
        session,
        AuditKind.USER_CHANGED,
        user_id=acting_user_id,
        subject=f"{user.login}'s {what}",
        before=before,
        after=after,
    )
