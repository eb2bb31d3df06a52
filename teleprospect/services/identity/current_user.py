"""Who is at this workstation: proven by the database or the operating system, never
declared by a flag or an environment variable.

- PostgreSQL: the server's ``session_user``, the login role the person authenticated as
  (password, peer, Kerberos, certificate: whatever ``pg_hba.conf`` asks), mapped to the
  account whose ``db_role`` it is.
- SQLite: the operating-system account running the process, read from its real user id
  (``$USER`` and ``$LOGNAME`` are not asked), mapped to the account with that login.

Acting as someone else (``--as``, the window's user picker) is an admin's act, written to
the audit trail with both names. The database's owner (on PostgreSQL the schema owner, on
SQLite whoever may open the file) can change anything in it anyway: without an account of
their own they may set the team up (manage users) and act as anyone, audited the same
way. A deactivated account is refused everything; a login that is no account (and not
the owner) too.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from sqlalchemy import select, true
from sqlalchemy.orm import Session

from teleprospect.core.audit import AuditKind
from teleprospect.core.domain import UserRole
from teleprospect.core.permissions import PermissionDenied
from teleprospect.services.audit.record import record_audit, this_workstation
from teleprospect.services.errors import UnknownUser
from teleprospect.services.identity.permissions import has_admin
from teleprospect.store.database import Attribution, Database
from teleprospect.store.models import User
from teleprospect.store.roles import database_identity

__all__ = [
    "CurrentUser",
    "Identity",
    "LoginRefused",
    "UserChoice",
    "act_as",
    "acting_user_id",
    "authenticated_login",
    "choices_for",
    "current_login",
    "establish",
    "find_current_user",
    "identify",
    "os_login",
]


def os_login() -> str:
    """The operating-system account running this process, from its real user id.

    Environment variables are not asked: anyone can set them. Without a password-database
    entry (some containers) the account is named by its number, ``uid-1000``."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        return os.getlogin()  # the Windows API's answer for the logged-on session
    import pwd

    uid = os.getuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid-{uid}"


@dataclass(frozen=True, slots=True)
class CurrentUser:
    login: str
    #: None when no account has this login.
    name: str | None
    #: "Name (login)" of the account the database's owner works as, if any.
    acting_as: str | None = None
    #: That account's login (drafts are kept by it).
    acting_login: str | None = None

    @property
    def is_registered(self) -> bool:
        return self.name is not None

    @property
    def working_login(self) -> str:
        """The login whose work this is: the account worked as, else the proven login."""
        return self.acting_login or self.login

    def describe(self) -> str:
        """As the status bar names them: "Name (login)", "login, working as Name (login)"
        or "login — not a registered user"."""
        if self.acting_as:
            return f"{self.login}, working as {self.acting_as}"
        if self.name is None:
            return f"{self.login} — not a registered user"
        return f"{self.name} ({self.login})"


@dataclass(frozen=True, slots=True)
class UserChoice:
    """A user the database's owner may act as."""

    id: int
    login: str
    name: str
    role: UserRole


@dataclass(frozen=True, slots=True)
class Identity:
    """Who is at this workstation, as the database or the operating system proves it."""

    #: The authenticated login: ``session_user`` on PostgreSQL, the OS account on SQLite.
    login: str
    #: The matching account (active or not); None when no account matches.
    user_id: int | None
    name: str | None
    is_active: bool
    is_admin: bool
    #: The database's owner: the schema owner on PostgreSQL; on SQLite, always.
    is_owner: bool
    #: The team has no active admin yet: whoever sets it up may manage users.
    bootstrap: bool

    @property
    def is_known(self) -> bool:
        return self.user_id is not None and self.is_active

    @property
    def may_act_as_anyone(self) -> bool:
        """An active admin, or the database's owner without an account of their own."""
        if self.user_id is not None:
            return self.is_active and self.is_admin
        return self.is_owner

    @property
    def who(self) -> str:
        return f"{self.name} ({self.login})" if self.name else repr(self.login)

    def message(self) -> str:
        """One sentence for a login that cannot work as itself; empty when it can."""
        if self.is_known:
            return ""
        if self.user_id is not None:
            return (
                f"The account {self.name} ({self.login}) is deactivated; "
                "ask an admin to reactivate it."
            )
        if self.is_owner:
            return (
                f"You are logged in as {self.login!r}, the database's owner, which is no "
                "Teleprospect user: add your own account, or act as a user with --as LOGIN."
            )
        return f"Your login {self.login!r} is not a Teleprospect user; ask an admin to add it."


class LoginRefused(PermissionDenied):
    """The person at the workstation may not act (an unknown login, a deactivated account,
    acting as someone else without being an admin)."""


def _proven_login(session: Session, db: Database) -> tuple[str, bool]:
    if db.is_sqlite:
        # Whoever may open the file may change anything in it: the file's own user.
        return os_login(), True
    found = database_identity(session)
    return found.login, found.is_owner


def _account(session: Session, db: Database, login: str) -> User | None:
    column = User.login if db.is_sqlite else User.db_role
    return session.scalar(select(User).where(column == login))


def authenticated_login(db: Database) -> str:
    """The login the database or the operating system proves: ``session_user`` on
    PostgreSQL, the OS account on SQLite."""
    if db.is_sqlite:
        return os_login()
    with db.read() as session:
        return database_identity(session).login


def current_login(db: Database) -> str:
    """The login proven at this workstation: as :func:`establish` found it, else asked."""
    return db.attribution.login if db.attribution is not None else authenticated_login(db)


def identify(db: Database) -> Identity:
    """Who is at this workstation, and their account."""
    with db.read() as session:
        login, is_owner = _proven_login(session, db)
        user = _account(session, db, login)
        bootstrap = not has_admin(session)
        if user is None:
            return Identity(login, None, None, False, False, is_owner, bootstrap)
        return Identity(
            login, user.id, user.name, user.is_active, user.is_admin, is_owner, bootstrap
        )


def establish(db: Database) -> Identity:
    """:func:`identify`, and remember who it is on ``db``: every later transaction's audit
    entries name them (:class:`~teleprospect.store.database.Attribution`)."""
    found = identify(db)
    db.attribution = Attribution(found.login, found.user_id, this_workstation(), found.is_owner)
    return found


def find_current_user(db: Database) -> CurrentUser:
    """The person at this workstation, as the status bar names them."""
    found = identify(db)
    return CurrentUser(found.login, found.name)


def _target(session: Session, as_login: str) -> User:
    user = session.scalar(select(User).where(User.login == as_login))
    if user is None:
        raise UnknownUser(as_login)
    if not user.is_active:
        raise LoginRefused(
            f"The account {user.name} ({user.login}) is deactivated; ask an admin to reactivate it."
        )
    return user


def _record_acting_as(session: Session, me: Identity, user: User, purpose: str) -> None:
    record_audit(
        session,
        AuditKind.ACTED_AS,
        user_id=user.id,
        subject=f"{me.name or me.login} acted as {user.name} ({user.login})",
        after={"by": me.login, "as": user.login, "for": purpose},
    )


def acting_user_id(
    db: Database,
    *,
    as_login: str | None = None,
    allow_unknown: bool = False,
    purpose: str = "",
) -> int | None:
    """The id of the account a command acts as: the authenticated login's own, or
    ``as_login``'s when an admin (or the database's owner) asks. Acting as someone else
    is recorded in the audit trail (``purpose``: the command, for the record).

    Raises :class:`LoginRefused` for a deactivated account, a login that is no account,
    and ``as_login`` asked by anyone else. With ``allow_unknown`` a login that is no
    account gives None when it may set the team up (the owner, or no admin yet)."""
    me = establish(db)
    if me.user_id is not None and not me.is_active:
        raise LoginRefused(me.message())
    if as_login is None or (me.user_id is None and as_login == me.login):
        if me.user_id is not None:
            return me.user_id
        if allow_unknown and (me.is_owner or me.bootstrap):
            return None
        raise LoginRefused(me.message())
    with db.read() as session:
        mine = session.get(User, me.user_id) if me.user_id is not None else None
        if mine is not None and mine.login == as_login:
            return mine.id
    if not me.may_act_as_anyone:
        raise LoginRefused(
            f"Only an admin can act as someone else; {me.who} is not an admin."
            if me.user_id is not None
            else me.message()
        )
    with db.write() as session:
        user = _target(session, as_login)
        _record_acting_as(session, me, user, purpose)
        return user.id


def act_as(db: Database, user_id: int, *, purpose: str = "the main window") -> int:
    """The database's owner (or an admin) picked ``user_id`` to work as: checked and
    recorded in the audit trail like ``--as``. Returns the id."""
    me = establish(db)
    if me.user_id == user_id and me.is_active:
        return user_id
    if not me.may_act_as_anyone:
        raise LoginRefused(me.message() or "Only an admin can act as someone else.")
    with db.write() as session:
        user = session.get(User, user_id)
        if user is None:
            raise UnknownUser(user_id)
        user = _target(session, user.login)
        _record_acting_as(session, me, user, purpose)
        return user.id


def choices_for(db: Database) -> tuple[UserChoice, ...]:
    """The active users someone who may act as anyone picks from."""
    with db.read() as session:
        return tuple(
            UserChoice(u.id, u.login, u.name, u.role)
            for u in session.scalars(
                select(User).where(User.is_active == true()).order_by(User.name, User.id)
            )
        )
