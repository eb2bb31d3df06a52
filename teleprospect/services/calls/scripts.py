"""Qualification scripts in the database: published versions, the one in use.

Every publication is a new version (the old ones stay: a call keeps the version it was
asked from). The shipped BANT script becomes version 1 the first time anyone asks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from teleprospect.core.permissions import Action
from teleprospect.core.scripts import Script, default_script
from teleprospect.services.identity.permissions import require_user
from teleprospect.store.database import Database
from teleprospect.store.models import PublishedScript, User
from teleprospect.store.types import utcnow

__all__ = [
    "ScriptNotFound",
    "ScriptVersion",
    "active_script",
    "active_script_in_session",
    "publish_script",
    "script_version",
    "script_version_in_session",
    "script_versions",
    "seed_default_script",
]

#: Who published the shipped script, as the version list names it.
SHIPPED_BY = "Teleprospect"
_SHIPPED_NOTE = "script shipped with Teleprospect"


class ScriptNotFound(LookupError):
    def __init__(self, version_id: int) -> None:
        super().__init__(f"There is no script version with id {version_id}.")
        self.version_id = version_id


@dataclass(frozen=True)
class ScriptVersion:
    id: int
    name: str
    version: int
    script: Script
    published_at: datetime
    #: The publisher's name ("Teleprospect" for the shipped script).
    published_by: str
    note: str


# Parsing a script costs a little; the same definition (by content) is parsed once.
_parsed: dict[str, Script] = {}


def _script_of(definition: dict[str, Any]) -> Script:
    key = json.dumps(definition, sort_keys=True)
    script = _parsed.get(key)
    if script is None:
        if len(_parsed) > 32:
            _parsed.clear()
        script = _parsed[key] = Script.from_dict(definition)
    return script


def _version(row: Any) -> ScriptVersion:
    return ScriptVersion(
        id=row.id,
        name=row.name,
        version=row.version,
        script=_script_of(row.definition),
        published_at=row.published_at,
        published_by=row.publisher or SHIPPED_BY,
        note=row.note,
    )


def _select() -> Any:
    return select(
        PublishedScript.id,
        PublishedScript.name,
        PublishedScript.version,
        PublishedScript.definition,
        PublishedScript.published_at,
        PublishedScript.note,
        User.name.label("publisher"),
    ).outerjoin(User, User.id == PublishedScript.published_by_id)


def seed_default_script(session: Session, *, now: datetime | None = None) -> None:
    """Store the shipped script as version 1 when no script was ever published (in the
    caller's transaction)."""
    if session.scalar(select(PublishedScript.id).limit(1)) is None:
        script = default_script()
        session.add(
            PublishedScript(
                name=script.name,
                version=1,
                definition=script.to_dict(),
                published_at=now or utcnow(),
                note=_SHIPPED_NOTE,
            )
        )
        session.flush()


def active_script_in_session(session: Session) -> ScriptVersion:
    """The newest published version, read in the caller's transaction (seeded if none)."""
    row = session.execute(_select().order_by(PublishedScript.version.desc()).limit(1)).first()
    if row is None:
        seed_default_script(session)
        row = session.execute(_select().order_by(PublishedScript.version.desc()).limit(1)).one()
    return _version(row)


def script_version_in_session(session: Session, version_id: int) -> ScriptVersion:
    row = session.execute(_select().where(PublishedScript.id == version_id)).first()
    if row is None:
        raise ScriptNotFound(version_id)
    return _version(row)


def active_script(db: Database) -> ScriptVersion:
    """The newest published version; stores the shipped BANT script the first time."""
    with db.read() as session:
        row = session.execute(_select().order_by(PublishedScript.version.desc()).limit(1)).first()
        if row is not None:
            return _version(row)
    try:
        with db.write() as session:
            seed_default_script(session)
    except IntegrityError:
        pass  # another workstation stored it at the same moment: the same script
    with db.read() as session:
        return _version(
            session.execute(_select().order_by(PublishedScript.version.desc()).limit(1)).one()
        )


def script_version(db: Database, version_id: int) -> ScriptVersion:
    """One published version by id (the one a call used); raises :class:`ScriptNotFound`."""
    with db.read() as session:
        return script_version_in_session(session, version_id)


def script_versions(db: Database) -> list[ScriptVersion]:
    """Every published version, newest first."""
    active_script(db)
    with db.read() as session:
        rows = session.execute(_select().order_by(PublishedScript.version.desc())).all()
    return [_version(row) for row in rows]


def publish_script(
    db: Database, script: Script, *, user_id: int | None, note: str = ""
) -> ScriptVersion:
    """Publish ``script`` as the new version in use. Calls already made keep theirs."""
    data = script.to_dict()
    Script.from_dict(data)  # what cannot be read back is never stored
    for attempt in range(2):
        try:
            with db.write() as session:
                if user_id is not None:  # None: the system itself (seeding, upgrades)
                    require_user(session, user_id, Action.EDIT_SCRIPTS)
                seed_default_script(session)
                latest = session.scalar(select(func.max(PublishedScript.version))) or 0
                row = PublishedScript(
                    name=script.name,
                    version=latest + 1,
                    definition=data,
                    published_by_id=user_id,
                    published_at=utcnow(),
                    note=note,
                )
                session.add(row)
                session.flush()
                return script_version_in_session(session, row.id)
        except IntegrityError:
            # PostgreSQL: someone published at the same moment; number ours after theirs.
            if attempt:
                raise
    raise AssertionError("unreachable")  # pragma: no cover
