"""Opening the database for the app and the CLI: connect, migrate to the newest schema and
store the shipped defaults (script, tracks, scoring rules) where the team has none."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import select
from sqlalchemy.exc import OperationalError, ProgrammingError

from teleprospect.services.defaults import seed_defaults
from teleprospect.services.long_writes import finish_abandoned_writes
from teleprospect.store.database import (
    Database,
    DatabaseError,
    ForeignDatabaseError,
    NoDatabaseError,
    check_database_file,
    first_line,
    read_file_identity,
    sqlite_file,
    stamp_application_id,
)
from teleprospect.store.migrate import (
    MIGRATIONS_LOCATION,
    UpgradeResult,
    current_revision,
    head_revision,
    upgrade_to_head,
)
from teleprospect.store.models import Lead
from teleprospect.store.roles import RolesOutcome, ensure_roles

__all__ = [
    "DatabaseError",
    "OpenedDatabase",
    "grant_database_roles",
    "open_database",
    "schema_status",
    "upgrade_database",
]


@dataclass(frozen=True)
class OpenedDatabase:
    db: Database
    upgrade: UpgradeResult


def upgrade_database(db: Database, *, roles: bool | None = None) -> UpgradeResult:
    """Bring the schema up to date (backing up a SQLite file first), then store the
    shipped defaults where the team has none. Safe to run again.

    On PostgreSQL the database roles, grants and row-level security are set up again
    (:func:`~teleprospect.store.roles.ensure_roles`) after any migration, or when
    ``roles`` asks for it (``teleprospect db upgrade``), so that new tables are granted."""
    result = upgrade_to_head(db)
    stamp_application_id(db)
    seed_defaults(db)
    if not db.is_sqlite and (roles or (roles is None and result.changed)):
        result = replace(result, roles=ensure_roles(db))
    return result


def grant_database_roles(db: Database) -> RolesOutcome:
    """Set up the database roles, grants and row-level security on a database whose schema
    is up to date: ``teleprospect db grant``, run once by a role with ``CREATEROLE`` when the
    schema owner has none."""
    status = schema_status(db)
    if not status.up_to_date:
        raise DatabaseError(
            f"The schema of {db.describe()} is not up to date ({status.current or 'empty'}):"
            " run `teleprospect db upgrade` as its owner first."
        )
    return ensure_roles(db)


def open_database(
    url: str, *, upgrade: bool = True, create: bool = True, roles: bool | None = None
) -> OpenedDatabase:
    """Open ``url``, bring its schema up to date (backing up a SQLite file first) and
    store the shipped defaults (see :func:`upgrade_database`, which ``roles`` is given to).

    A missing SQLite file is made only with ``create`` (the commands that make a database
    and the app's first start); another application's file, and a file on a network
    share, are refused before anything is written.

    Raises :class:`DatabaseError` with one sentence a user can act on.
    """
    path = sqlite_file(url)
    if path is not None:
        check_database_file(path, create=create)
        check_our_revision(path)
    db = Database(url, create=create)
    db.check_connection()
    if not upgrade:
        return OpenedDatabase(db, UpgradeResult(None, "", None))
    if not create and path is None:
        refuse_server_without_schema(db)
    try:
        result = upgrade_database(db, roles=roles)
    except (OperationalError, ProgrammingError) as exc:
        db.dispose()
        raise DatabaseError(
            f"Could not update the database {db.describe()} to this version of Teleprospect: "
            f"{first_line(exc.orig)}"
        ) from exc
    # A long write whose process was killed left hidden rows (or changes to apply): tidy
    # them up. One read when there are none; short transactions when there are.
    finish_abandoned_writes(db)
    return OpenedDatabase(db, result)


def refuse_server_without_schema(db: Database) -> None:
    """A server database with no Teleprospect tables is made only by the commands that
    make one: any other command says so and creates nothing."""
    try:
        revision = current_revision(db)
    except (OperationalError, ProgrammingError) as exc:
        db.dispose()
        raise DatabaseError(
            f"Cannot read the database {db.describe()}: {first_line(exc.orig)}"
        ) from exc
    if revision is None:
        db.dispose()
        raise NoDatabaseError(
            f"The database {db.describe()} has no Teleprospect tables yet. Create them with "
            "`teleprospect db upgrade` (or `teleprospect demo` for demo data)."
        )


def check_our_revision(path: Path) -> None:
    """A file with an ``alembic_version`` whose revision is none of ours is another
    application's (Alembic is common); refuse it untouched."""
    if not path.exists():
        return
    identity = read_file_identity(path)
    if identity.application_id != 0 or not identity.revisions:
        return
    ours = {rev.revision for rev in ScriptDirectory(MIGRATIONS_LOCATION).walk_revisions()}
    if not identity.revisions <= ours:
        raise ForeignDatabaseError(
            f"{path} is the database of another application (or of a newer Teleprospect); "
            "it was left untouched. Name a Teleprospect database with --db, or a new file."
        )


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
