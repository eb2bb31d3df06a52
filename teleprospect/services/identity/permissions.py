"""Permission checks in the services: the acting user is read from the database and the
rules of :mod:`teleprospect.core.permissions` decide.

Services call :func:`require_user` inside their transaction, before changing anything, so
an action is refused the same way from the GUI, the command line or a script.
"""

from __future__ import annotations

from sqlalchemy import select, true
from sqlalchemy.orm import Session

from teleprospect.core.domain import UserRole
from teleprospect.core.permissions import Action, Actor, PermissionDenied, allowed_actions, require
from teleprospect.services.errors import UnknownUser
from teleprospect.store.database import Attribution, Database
from teleprospect.store.models import User

__all__ = [
    "Action",
    "Actor",
    "PermissionDenied",
    "actor_in_session",
    "allowed_actions_of",
    "get_actor",
    "has_admin",
    "require_user",
]


def has_admin(session: Session) -> bool:
    """Whether the team has an active admin (else whoever sets the team up manages users)."""
    return (
        session.scalar(
            select(User.id).where(User.is_admin == true(), User.is_active == true()).limit(1)
        )
        is not None
    )


def actor_in_session(session: Session, user_id: int) -> Actor:
    user = session.get(User, user_id)
    if user is None:
        raise UnknownUser(user_id)
    return Actor(
        user_id=user.id,
        login=user.login,
        name=user.name,
        role=user.role,
        is_admin=user.is_admin,
        is_active=user.is_active,
        bootstrap=not has_admin(session),
    )


def _is_owner(session: Session) -> bool:
    """The session was opened by the database's owner (proven by the database, or the
    SQLite file's user), who could change any table anyway."""
    attribution: Attribution | None = session.info.get("attribution")
    return attribution is not None and attribution.is_owner and attribution.user_id is None


def require_user(session: Session, user_id: int | None, action: Action) -> Actor:
    """The acting user, when they may do ``action``; else :class:`PermissionDenied`.

    ``user_id`` None is someone whose login is no registered user: they may only set the
    team up (manage users), while no admin exists or when they are the database's owner."""
    if user_id is None:
        stranger = Actor(
            None,
            "",
            "A login that is no registered user",
            UserRole.TELEPROSPECTOR,
            bootstrap=not has_admin(session) or _is_owner(session),
        )
        if action is Action.MANAGE_USERS and stranger.bootstrap:
            return stranger
        raise PermissionDenied(
            f"Only registered users can {action.label}; ask a team lead to add your login.",
            action=action,
        )
    return require(actor_in_session(session, user_id), action)


def get_actor(db: Database, user_id: int) -> Actor:
    with db.read() as session:
        return actor_in_session(session, user_id)


def allowed_actions_of(db: Database, user_id: int) -> frozenset[Action]:
    """What the interface may offer ``user_id`` (the services check again on every call)."""
    return allowed_actions(get_actor(db, user_id))
