"""Qualification scripts in the database: published versions, the one in use.

Every publication is a new version (the old ones stay: a call keeps the version it was
asked from). The shipped BANT script becomes version 1 when the database is opened or
upgraded (:func:`teleprospect.services.defaults.seed_defaults`); reading never writes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from teleprospect.core.audit import AuditKind
from teleprospect.core.errors import NotFound
from teleprospect.core.permissions import Action
from teleprospect.core.scripts import Script, default_script
from teleprospect.services.audit.record import record_audit
from teleprospect.services.identity.permissions import require_user
from teleprospect.services.versions import publish_version
from teleprospect.store.database import Database
from teleprospect.store.models import PublishedScript, User
from teleprospect.store.types import utcnow

__all__ = [
    "NoScriptPublished",
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


class ScriptNotFound(NotFound):
    def __init__(self, version_id: int) -> None:
        super().__init__(f"There is no script version with id {version_id}.")
        self.version_id = version_id


class NoScriptPublished(NotFound):
    def __init__(self) -> None:
        super().__init__(
            "No qualification script is published; opening the database with Teleprospect"
            " (or `teleprospect db upgrade`) stores the shipped one."
        )


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


def seed_default_script(session: Session, *, now: datetime | None = None) -> bool:
    """Store the shipped script as version 1 when no script was ever published (in the
    caller's transaction); whether it did."""
    if session.scalar(select(PublishedScript.id).limit(1)) is not None:
        return False
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
    return True


def active_script_in_session(session: Session) -> ScriptVersion:
    """The newest published version, read in the caller's transaction; raises
    :class:`NoScriptPublished` when there is none."""
    row = session.execute(_select().order_by(PublishedScript.version.desc()).limit(1)).first()
    if row is None:
        raise NoScriptPublished()
    return _version(row)


def script_version_in_session(session: Session, version_id: int) -> ScriptVersion:
    row = session.execute(_select().where(PublishedScript.id == version_id)).first()
    if row is None:
        raise ScriptNotFound(version_id)
    return _version(row)


def active_script(db: Database) -> ScriptVersion:
    """The newest published version; raises :class:`NoScriptPublished` when there is none."""
    with db.read() as session:
        return active_script_in_session(session)


def script_version(db: Database, version_id: int) -> ScriptVersion:
    """One published version by id (the one a call used); raises :class:`ScriptNotFound`."""
    with db.read() as session:
        return script_version_in_session(session, version_id)


def script_versions(db: Database) -> list[ScriptVersion]:
    """Every published version, newest first."""
    with db.read() as session:
        rows = session.execute(_select().order_by(PublishedScript.version.desc())).all()
    return [_version(row) for row in rows]


def publish_script(
    db: Database, script: Script, *, user_id: int | None, note: str = ""
) -> ScriptVersion:
    """Publish ``script`` as the new version in use, recorded in the audit trail. Calls
    already made keep theirs."""
    data = script.to_dict()
    Script.from_dict(data)  # what cannot be read back is never stored

    def publish(session: Session, version: int) -> ScriptVersion:
        if user_id is not None:  # None: the system itself (seeding, upgrades)
            require_user(session, user_id, Action.EDIT_SCRIPTS)
        row = PublishedScript(
            name=script.name,
            version=version,
            definition=data,
            published_by_id=user_id,
            published_at=utcnow(),
            note=note,
        )
        session.add(row)
        session.flush()
        after: dict[str, Any] = {
            "version": version,
            "name": script.name,
            "questions": len(script.questions),
        }
        if note:
            after["note"] = note
        record_audit(
            session,
            AuditKind.SCRIPT_PUBLISHED,
            user_id=user_id,
            subject=f"qualification script “{script.name}”",
            before={"version": version - 1} if version > 1 else None,
            after=after,
        )
        return script_version_in_session(session, row.id)

    return publish_version(db, PublishedScript.version, publish)
