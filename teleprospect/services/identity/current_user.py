"""Who is working at this workstation: the operating-system login matched to a user account.

Teleprospect has no password of its own for now: the person logged in to the computer is
the user, when an account with that login exists. On a shared server, someone whose login
matches no user is asked to pick who they are, or refused, as the team lead set it
(:data:`~teleprospect.services.settings.team_settings.UNKNOWN_LOGINS`); a deactivated account is
always refused.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from sqlalchemy import select, true

from teleprospect.core.domain import UserRole
from teleprospect.core.permissions import PermissionDenied, UnknownLoginPolicy
from teleprospect.services.errors import UnknownUser
from teleprospect.services.settings.team_settings import UNKNOWN_LOGINS, read_setting
from teleprospect.store.database import Database
from teleprospect.store.models import User


@dataclass(frozen=True, slots=True)
class CurrentUser:
    login: str
    #: None when no account has this login.
    name: str | None

    @property
    def is_registered(self) -> bool:
        return self.name is not None

    def describe(self) -> str:
        """As the status bar names them: "Name (login)" or "login — not a registered user"."""
        if self.name is None:
            return f"{self.login} — not a registered user"
        return f"{self.name} ({self.login})"


def os_login() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        # No login name in the environment or the password database (some containers).
        return "unknown"


def find_current_user(db: Database, login: str | None = None) -> CurrentUser:
    """The account whose login is ``login`` (default: the operating-system login)."""
    login = login or os_login()
    with db.read() as session:
        name = session.scalar(select(User.name).where(User.login == login))
    return CurrentUser(login, name)


# ----------------------------------------------------------------------------- acting user


@dataclass(frozen=True, slots=True)
class UserChoice:
    """A user someone with an unknown login may pick."""

    id: int
    login: str
    name: str
    role: UserRole


@dataclass(frozen=True, slots=True)
class Identification:
    """Who is at this workstation, and what to do when the login is no user."""

    login: str
    #: The matching account (active or not), None when no account has this login.
    user_id: int | None
    name: str | None
    is_active: bool
    #: The team's rule for unknown logins.
    policy: UnknownLoginPolicy
    #: The active users an unknown login may pick from (empty when the team refuses).
    choices: tuple[UserChoice, ...]

    @property
    def is_known(self) -> bool:
        return self.user_id is not None and self.is_active

    @property
    def must_pick(self) -> bool:
        return self.user_id is None and self.policy is UnknownLoginPolicy.ASK

    @property
    def refused(self) -> bool:
        return not self.is_known and not self.must_pick

    def message(self) -> str:
        """One sentence for a login that cannot simply go on; empty when it can."""
        if self.is_known:
            return ""
        if self.user_id is not None:
            return (
                f"The account {self.name} ({self.login}) is deactivated; "
                "ask a team lead to reactivate it."
            )
        if self.must_pick:
            return (
                f"Your login {self.login!r} is not a Teleprospect user: pick who you are, "
                "or ask a team lead to add your login."
            )
        return (
            f"Your login {self.login!r} is not a Teleprospect user and this team does not "
            "let unknown logins in; ask a team lead to add it."
        )


class LoginRefused(PermissionDenied):
    """The person at the workstation may not act (unknown login, deactivated account)."""


def identify(db: Database, login: str | None = None) -> Identification:
    """Match ``login`` (default: the operating-system login) to a user, with the team's rule
    for logins that match none and the users to pick from."""
    login = login or os_login()
    with db.read() as session:
        user = session.scalar(select(User).where(User.login == login))
        policy = read_setting(session, UNKNOWN_LOGINS)
        choices: tuple[UserChoice, ...] = ()
        if user is None and policy is UnknownLoginPolicy.ASK:
            choices = tuple(
                UserChoice(u.id, u.login, u.name, u.role)
                for u in session.scalars(
                    select(User).where(User.is_active == true()).order_by(User.name, User.id)
                )
            )
        if user is None:
            return Identification(login, None, None, False, policy, choices)
        return Identification(login, user.id, user.name, user.is_active, policy, ())


def pick_user(db: Database, picked_user_id: int, *, login: str | None = None) -> int:
    """The user someone with an unknown login picked; refused when the team refuses
    unknown logins or the picked account is deactivated. Returns the user's id."""
    found = identify(db, login)
    if found.is_known and found.user_id == picked_user_id:
        return picked_user_id
    if found.user_id is None and found.policy is UnknownLoginPolicy.REFUSE:
        raise LoginRefused(found.message())
    if found.user_id is not None and not found.is_active:
        raise LoginRefused(found.message())
    with db.read() as session:
        user = session.get(User, picked_user_id)
        if user is None:
            raise UnknownUser(picked_user_id)
        if not user.is_active:
            raise LoginRefused(
                f"The account {user.name} ({user.login}) is deactivated; pick another user."
            )
        return user.id


def acting_user_id(
    db: Database,
    *,
    login: str | None = None,
    as_login: str | None = None,
    allow_unknown: bool = False,
) -> int | None:
    """The id of the user a command acts as: ``as_login`` when given (a pick, for scripts),
    else the user whose login is ``login`` (default: the operating-system login).

    Raises :class:`LoginRefused` for a deactivated account, and for an unknown login when
    the team refuses unknown logins or no user was picked; with ``allow_unknown`` an
    unknown login gives None instead (setting a new team up: adding its first users).
    """
    found = identify(db, login)
    if as_login is None or as_login == found.login:
        if found.is_known:
            return found.user_id
        if allow_unknown and found.user_id is None:
            return None
        if found.must_pick:
            raise LoginRefused(
                f"Your login {found.login!r} is not a Teleprospect user: say who you are "
                "with --as LOGIN, or ask a team lead to add your login."
            )
        raise LoginRefused(found.message())
    if found.user_id is not None and not found.is_active:
        raise LoginRefused(found.message())
    if found.user_id is None and found.policy is UnknownLoginPolicy.REFUSE:
        raise LoginRefused(found.message())
    with db.read() as session:
        user = session.scalar(select(User).where(User.login == as_login))
        if user is None:
            raise UnknownUser(as_login)
        if not user.is_active:
            raise LoginRefused(
                f"The account {user.name} ({user.login}) is deactivated; "
                "ask a team lead to reactivate it."
            )
        return user.id
