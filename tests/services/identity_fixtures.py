"""Being someone in a test: the login the database (or the operating system) proves.

On SQLite the person is the operating-system account: tests set what
:func:`~teleprospect.services.identity.current_user.os_login` answers. On PostgreSQL the
person is the login role of the connection: tests give accounts real login roles and
connect as them (the test server trusts local connections, so no password is asked).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import select

from teleprospect.store.database import Database
from teleprospect.store.models import User
from teleprospect.store.roles import sync_login


def give_logins(db: Database, *user_ids: int) -> None:
    """On PostgreSQL, make the accounts' login roles (nothing to do on SQLite)."""
    if db.is_sqlite:
        return
    with db.write() as session:
        for user_id in user_ids:
            sync_login(session, user_id, create=True)


def login_of(db: Database, user_id: int) -> str:
    with db.read() as session:
        user = session.scalar(select(User).where(User.id == user_id))
        assert user is not None
        return (user.login if db.is_sqlite else user.db_role) or user.login


def url_as(db: Database, role: str) -> str:
    """``db``'s URL, connecting as ``role`` (PostgreSQL) or the same file (SQLite)."""
    url = db.url if db.is_sqlite else db.url.set(username=role, password=None)
    return url.render_as_string(hide_password=False)


@contextmanager
def connected_as(db: Database, login: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """The database as ``login`` opens it: on SQLite the operating system says ``login``,
    on PostgreSQL the connection logs in as the role ``login``."""
    if db.is_sqlite:
        monkeypatch.setattr("teleprospect.services.identity.current_user.os_login", lambda: login)
    theirs = Database(url_as(db, login))
    try:
        yield theirs
    finally:
        theirs.dispose()
