"""Database roles: every table's rights are declared, the set-up can run again and grants
tables added later, passwords are SCRAM verifiers PostgreSQL itself would store, and a
SQLite file (with its backups) is readable by its owner only."""

from __future__ import annotations

import base64
import stat
import uuid

import psycopg
import pytest
from psycopg import sql

from teleprospect.services.database import upgrade_database
from teleprospect.store.database import Database
from teleprospect.store.migrate import backup_sqlite_file
from teleprospect.store.models import Base
from teleprospect.store.roles import (
    TABLE_RIGHTS,
    ensure_roles,
    group_prefix,
    group_roles,
    scram_sha256_verifier,
)


def test_every_table_of_the_models_has_its_rights_declared() -> None:
    # A new table is a decision about who may write it, not an accident of the default.
    assert set(Base.metadata.tables) <= set(TABLE_RIGHTS)


def test_group_roles_are_named_after_the_database_and_never_shared_by_two() -> None:
    assert group_roles("leads").teleprospector == "leads_teleprospector"
    assert group_prefix("My-Leads") != group_prefix("my_leads")
    long = group_roles("x" * 63)
    assert all(len(name.encode()) <= 63 for name in long.all())


@pytest.mark.parametrize("password", ["correct horse battery", "pässwörd ñ\u00a0mit Ümlaut"])
@pytest.mark.postgresql
def test_the_scram_verifier_is_the_one_postgresql_stores(pg_url: str, password: str) -> None:
    role = f"tp_scram_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("SET password_encryption = 'scram-sha-256'")
        conn.execute(
            sql.SQL("CREATE ROLE {} PASSWORD {}").format(
                sql.Identifier(role), sql.Literal(password)
            )
        )
        try:
            row = conn.execute(
                "SELECT rolpassword FROM pg_authid WHERE rolname = %s", (role,)
            ).fetchone()
        finally:
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))
    assert row is not None
    stored: str = row[0]
    iterations, salt = stored.split("$")[1].split(":")
    ours = scram_sha256_verifier(password, salt=base64.b64decode(salt), iterations=int(iterations))
    assert ours == stored


@pytest.mark.postgresql
def test_the_set_up_runs_again_and_grants_tables_added_since(pg_url: str) -> None:
    db = Database(pg_url)
    try:
        first = upgrade_database(db).roles
        assert first is not None and first.applied and first.groups is not None
        groups = first.groups
        with db.engine.begin() as conn:  # a later migration's table
            conn.exec_driver_sql("CREATE TABLE later_table (id serial PRIMARY KEY, note text)")
        again = ensure_roles(db)
        assert again.applied and again.groups == groups
        with db.engine.connect() as conn:

            def may(group: str, table: str, privilege: str) -> bool:
                return bool(
                    conn.exec_driver_sql(
                        "SELECT has_table_privilege(%s, %s, %s)", (group, table, privilege)
                    ).scalar()
                )

            assert may(groups.teleprospector, "later_table", "SELECT")
            assert not may(groups.teleprospector, "later_table", "INSERT")
            assert may(groups.team_lead, "later_table", "INSERT")
            for group in groups.all():
                for privilege in ("UPDATE", "DELETE", "TRUNCATE"):
                    assert not may(group, "audit_entry", privilege), (group, privilege)
            assert may(groups.teleprospector, "audit_entry", "INSERT")
            assert not may(groups.teleprospector, "user_account", "INSERT")
            assert may(groups.admin, "user_account", "UPDATE")
            policies = conn.exec_driver_sql(
                "SELECT count(*) FROM pg_policies WHERE tablename = 'lead'"
            ).scalar()
        assert policies == 4  # the same policies, not twice as many
    finally:
        db.dispose()


def test_a_new_sqlite_file_and_its_backups_are_readable_by_their_owner_only(tmp_path) -> None:
    path = tmp_path / "desk.sqlite3"
    db = Database(f"sqlite:///{path}")
    try:
        upgrade_database(db)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        backup = backup_sqlite_file(db, "test")
        assert backup is not None and stat.S_IMODE(backup.stat().st_mode) == 0o600
    finally:
        db.dispose()
