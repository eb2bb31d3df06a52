"""Schema migrations (Alembic, shipped inside the package).

On start-up the app brings the database to the newest schema; a SQLite file is
copied aside first, so a failed upgrade never costs the user their data.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from teleprospect.store.database import Database, create_private_file
from teleprospect.store.roles import RolesOutcome

MIGRATIONS_LOCATION = str(Path(__file__).with_name("migrations"))
#: How many pre-upgrade backups of a SQLite file are kept beside it.
BACKUPS_KEPT = 5


def alembic_config(db: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS_LOCATION)
    config.set_main_option("sqlalchemy.url", db.url.render_as_string(hide_password=False))
    return config


def head_revision() -> str:
    script = ScriptDirectory(MIGRATIONS_LOCATION)
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    # A read: every start asks, and a start must not queue behind another writer.
    with db.engine.execution_options(sqlite_write=False).connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@dataclass(frozen=True)
class UpgradeResult:
    before: str | None
    after: str
    backup: Path | None
    #: What setting up the database roles did (PostgreSQL; None when not tried).
    roles: RolesOutcome | None = None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def backup_sqlite_file(db: Database, label: str) -> Path | None:
    """Copy a SQLite database aside with SQLite's online backup (safe while it is open)."""
    path = db.sqlite_path
    if path is None or not path.exists() or path.stat().st_size == 0:
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{stamp}.{label}.bak")
    # The copy holds the same leads as the file: readable by its owner only, like it.
    create_private_file(target)
    source = sqlite3.connect(path)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    _prune_backups(path)
    return target


def _prune_backups(path: Path) -> None:
    backups = sorted(path.parent.glob(f"{path.name}.*.bak"), key=lambda p: p.stat().st_mtime)
    for old in backups[:-BACKUPS_KEPT]:
        old.unlink(missing_ok=True)


def upgrade_to_head(db: Database) -> UpgradeResult:
    """Bring the schema to the newest revision, backing up a SQLite file first."""
    before = current_revision(db)
    head = head_revision()
    if before == head:
        return UpgradeResult(before, head, None)
    backup = backup_sqlite_file(db, f"before-{head}") if before is not None else None
    config = alembic_config(db)
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return UpgradeResult(before, head, backup)
