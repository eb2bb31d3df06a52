"""Who is working at this workstation: the operating-system login matched to a user account.

Teleprospect has no password of its own for now: the person logged in to the computer is
the user, when an account with that login exists.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from sqlalchemy import select

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
