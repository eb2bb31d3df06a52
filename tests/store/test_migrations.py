"""Migrations: empty to head on both backends, the models agree with them, backups."""

from __future__ import annotations

import sqlite3

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from teleprospect.store.database import Database
from teleprospect.store.migrate import current_revision, head_revision, upgrade_to_head
from teleprospect.store.models import Base
from teleprospect.store.search import outside_the_models


def test_empty_database_upgrades_to_head_and_matches_the_models(db_url: str) -> None:
    db = Database(db_url)
    assert current_revision(db) is None
    result = upgrade_to_head(db)
    assert result.before is None and result.after == head_revision()
    assert current_revision(db) == head_revision()
    tables = set(inspect(db.engine).get_table_names())
    assert {"lead", "campaign", "user_account", "call", "lead_history", "do_not_call"} <= tables
    with db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(
                conn, opts={"compare_type": True, "include_name": outside_the_models}
            ),
            Base.metadata,
        )
    assert diff == [], f"models and migrations disagree: {diff}"
    db.dispose()


def test_upgrade_at_head_changes_nothing_and_takes_no_backup(sqlite_url: str, tmp_path) -> None:
    db = Database(sqlite_url)
    upgrade_to_head(db)
    again = upgrade_to_head(db)
    assert not again.changed and again.backup is None
    assert list(tmp_path.glob("*.bak")) == []


def test_backup_is_taken_before_an_upgrade(sqlite_url: str, tmp_path) -> None:
    db = Database(sqlite_url)
    upgrade_to_head(db)
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO campaign (name, channel, offer, default_region, created_at) "
            "VALUES ('Spring webinar', 'webinar', '', 'US', '2026-01-01 00:00:00')"
        )
        # Pretend the file was written by an older release.
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'older'")
    db.dispose()

    seen_revision_in_backup: list[str] = []
    import teleprospect.store.migrate as migrate

    real_upgrade = migrate.command.upgrade

    def upgrade_after_checking_backup(config, revision):  # noqa: ANN001
        backups = list(tmp_path.glob("*.bak"))
        assert len(backups) == 1, "the backup must exist before the schema is touched"
        with sqlite3.connect(backups[0]) as conn:
            seen_revision_in_backup.append(
                conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            )
            assert conn.execute("SELECT name FROM campaign").fetchone()[0] == "Spring webinar"
        # The fake old revision is unknown to Alembic: put head back and upgrade (a no-op).
        with config.attributes["connection"].begin_nested():
            config.attributes["connection"].exec_driver_sql(
                f"UPDATE alembic_version SET version_num = '{head_revision()}'"
            )
        real_upgrade(config, revision)

    migrate.command.upgrade = upgrade_after_checking_backup
    try:
        result = upgrade_to_head(Database(sqlite_url))
    finally:
        migrate.command.upgrade = real_upgrade
    assert seen_revision_in_backup == ["older"]
    assert result.backup is not None and result.backup.exists()


def test_upgrading_keeps_existing_leads(db_url: str) -> None:
    """A database made by the first release keeps its leads through every later migration."""
    from alembic import command

    from teleprospect.store.migrate import alembic_config

    db = Database(db_url)
    config = alembic_config(db)
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO lead (first_name, last_name, email, company, title, industry, phone_raw,"
            " phone_valid, phone_time_zones, status, score, attempts, do_not_call, created_at,"
            " updated_at, version) VALUES ('Lena', 'Vogel', 'lena@example.de', 'Vogel AG', 'CTO',"
            " 'Retail', '030 901820', false, '', 'new', 40, 0, false, '2026-01-01 00:00:00',"
            " '2026-01-01 00:00:00', 1)"
        )
    upgrade_to_head(db)
    from teleprospect.store.models import Lead

    with db.read() as session:
        lead = session.query(Lead).one()
        assert (lead.email, lead.score, lead.extra, lead.lead_source) == (
            "lena@example.de",
            40,
            {},
            "",
        )
    db.dispose()
