"""Opening the database for the app and the CLI: connect, migrate to the newest schema and
store the shipped defaults (script, tracks, scoring rules) where the team has none."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import OperationalError, ProgrammingError

from teleprospect.services.defaults import seed_defaults
from teleprospect.store.database import Database, DatabaseError, first_line
from teleprospect.store.migrate import (
    UpgradeResult,
    current_revision,
    head_revision,
    upgrade_to_head,
)
from teleprospect.store.models import Lead

__all__ = [
    "DatabaseError",
    "OpenedDatabase",
    "open_database",
    "schema_status",
    "upgrade_database",
]


@dataclass(frozen=True)
class OpenedDatabase:
    db: Database
    upgrade: UpgradeResult


def upgrade_database(db: Database) -> UpgradeResult:
    """Bring the schema up to date (backing up a SQLite file first), then store the
    shipped defaults where the team has none. Safe to run again."""
    result = upgrade_to_head(db)
    seed_defaults(db)
    return result


def open_database(url: str, *, upgrade: bool = True) -> OpenedDatabase:
    """Open ``url``, bring its schema up to date (backing up a SQLite file first) and
    store the shipped defaults (see :func:`upgrade_database`).

    Raises :class:`DatabaseError` with one sentence a user can act on.
    """
    db = Database(url)
    db.check_connection()
    if not upgrade:
        return OpenedDatabase(db, UpgradeResult(None, "", None))
    try:
        result = upgrade_database(db)
    except (OperationalError, ProgrammingError) as exc:
        db.dispose()
        raise DatabaseError(
            f"Could not update the database {db.describe()} to this version of Teleprospect: "
            f"{first_line(exc.orig)}"
        ) from exc
    return OpenedDatabase(db, result)


def is_empty(db: Database) -> bool:
    """True when the database holds no lead yet (the app then offers demo data)."""
    with db.read() as session:
        return session.scalar(select(Lead.id).limit(1)) is None


@dataclass(frozen=True)
class SchemaStatus:
    current: str | None
    head: str

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def schema_status(db: Database) -> SchemaStatus:
    return SchemaStatus(current_revision(db), head_revision())
