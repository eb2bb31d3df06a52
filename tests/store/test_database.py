"""Opening the database: SQLite settings, write locking, network shares, URLs, concurrency."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from teleprospect.config import DB_ENV_VAR, resolve_db_url
from teleprospect.store import database as database_module
from teleprospect.store.database import Database, DatabaseError, NetworkShareError
from teleprospect.store.models import Campaign, Lead


def test_sqlite_connections_get_the_pragmas_we_rely_on(sqlite_db: Database) -> None:
    with sqlite_db.engine.connect() as conn:
        pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == database_module.SQLITE_BUSY_TIMEOUT_MS
        assert pragma("synchronous") == 1  # NORMAL


def test_foreign_keys_are_enforced_on_sqlite(sqlite_db: Database) -> None:
    with pytest.raises(Exception, match="FOREIGN KEY"), sqlite_db.write() as session:
        session.add(Lead(first_name="Ann", campaign_id=999))


def test_write_transactions_begin_immediate_reads_do_not(sqlite_db: Database) -> None:
    statements: list[str] = []

    from sqlalchemy import event

    @event.listens_for(sqlite_db.engine, "before_cursor_execute")
    def record(conn, cursor, statement, *args):  # noqa: ANN001, ANN202
        if statement.startswith("BEGIN"):
            statements.append(statement)

    with sqlite_db.write() as session:
        session.add(Campaign(name="Trade show Berlin"))
    with sqlite_db.read() as session:
        session.scalars(select(Campaign)).all()
    assert statements == ["BEGIN IMMEDIATE", "BEGIN"]


def test_two_sqlite_writers_queue_instead_of_failing(sqlite_db: Database) -> None:
    """BEGIN IMMEDIATE takes the write lock up front: the second writer waits its turn."""
    errors: list[BaseException] = []
    inside = threading.Event()

    def first_writer() -> None:
        try:
            with sqlite_db.write() as session:
                session.add(Campaign(name="First"))
                session.flush()
                inside.set()
                threading.Event().wait(0.3)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=first_writer)
    thread.start()
    inside.wait(5)
    other = Database(str(sqlite_db.url))
    with other.write() as session:
        session.add(Campaign(name="Second"))
    thread.join()
    other.dispose()
    assert errors == []
    with sqlite_db.read() as session:
        assert sorted(session.scalars(select(Campaign.name))) == ["First", "Second"]


@pytest.mark.parametrize("fs_type", ["nfs", "nfs4", "cifs", "smb3", "fuse.sshfs"])
def test_sqlite_file_on_a_network_share_is_refused(tmp_path, monkeypatch, fs_type) -> None:
    monkeypatch.setattr(database_module, "filesystem_type", lambda path: fs_type)
    with pytest.raises(NetworkShareError) as caught:
        Database(str(tmp_path / "team.sqlite3"))
    message = str(caught.value)
    assert fs_type in message and "network" in message and "postgresql://" in message
    assert not (tmp_path / "team.sqlite3").exists(), "nothing may be created on the share"


def test_local_filesystems_are_accepted(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(database_module, "filesystem_type", lambda path: "ext4")
    Database(str(tmp_path / "mine.sqlite3")).check_connection()


def test_filesystem_type_reads_the_longest_mount_point(tmp_path, monkeypatch) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(
        "/dev/vda / ext4 rw 0 0\n"
        "server:/export /mnt/share nfs4 rw 0 0\n"
        "//nas/team /mnt/share/smb cifs rw 0 0\n"
    )
    real_path = Path

    class FakePath(type(Path())):  # type: ignore[misc]
        def read_text(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            if str(self) == "/proc/self/mounts":
                return mounts.read_text()
            return super().read_text(*args, **kwargs)

        def resolve(self, strict: bool = False):  # noqa: ANN202
            return self

    monkeypatch.setattr(database_module, "Path", FakePath)
    assert database_module.filesystem_type(FakePath("/mnt/share/smb/leads.db")) == "cifs"
    assert database_module.filesystem_type(FakePath("/mnt/share/leads.db")) == "nfs4"
    assert database_module.filesystem_type(FakePath("/mnt/shareware/leads.db")) == "ext4"
    assert real_path is Path


def test_default_database_is_a_file_in_the_user_data_folder(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("TELEPROSPECT_DATA_DIR", str(tmp_path / "data"))
    choice = resolve_db_url(None)
    assert choice.origin == "default"
    db = Database(choice.url)
    db.check_connection()
    assert db.sqlite_path == tmp_path / "data" / "teleprospect.sqlite3"
    assert db.sqlite_path.exists()


def test_db_option_wins_over_environment_which_wins_over_default(monkeypatch) -> None:
    monkeypatch.setenv(DB_ENV_VAR, "postgresql://team@db.example/leads")
    assert resolve_db_url("/tmp/x.sqlite3").url == "/tmp/x.sqlite3"
    assert resolve_db_url(None).origin == DB_ENV_VAR
    monkeypatch.delenv(DB_ENV_VAR)
    assert resolve_db_url(None).origin == "default"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://ann:secret@db.example:5433/leads", "PostgreSQL ann@db.example:5433/leads"),
        ("postgres://db.example/leads", "PostgreSQL db.example/leads"),
    ],
)
def test_server_description_never_shows_the_password(url: str, expected: str) -> None:
    db = Database(url)
    assert db.describe() == expected
    assert db.url.drivername == "postgresql+psycopg"


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("mysql://x@y/z", "SQLite or PostgreSQL"),
        ("sqlite://", "file"),
        ("://nowhere", "not a database URL"),
    ],
)
def test_bad_urls_get_one_clear_sentence(url: str, fragment: str) -> None:
    with pytest.raises(DatabaseError, match=fragment):
        Database(url)


def test_timestamps_come_back_as_utc(db: Database) -> None:
    paris = timezone(timedelta(hours=1))
    with db.write() as session:
        session.add(Campaign(name="Paris", starts_on=datetime(2026, 3, 1, 10, 0, tzinfo=paris)))
    with db.read() as session:
        starts = session.scalar(select(Campaign.starts_on))
    assert starts == datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    assert starts.tzinfo is not None and starts.utcoffset() == timedelta(0)


def test_naive_timestamps_are_refused(db: Database) -> None:
    with pytest.raises(Exception, match="naive"), db.write() as session:
        session.add(Campaign(name="Naive", starts_on=datetime(2026, 3, 1, 10, 0)))


def test_concurrent_edits_of_one_lead_are_detected(db: Database) -> None:
    """Optimistic concurrency: the second of two edits from the same version fails."""
    with db.write() as session:
        lead = Lead(first_name="Priya", last_name="Nair", company="Acme")
        session.add(lead)
    lead_id = lead.id

    with db.read() as session:  # workstation A opens the lead ...
        mine = session.get(Lead, lead_id)
    with db.write() as session:  # ... workstation B edits and saves it meanwhile ...
        session.get(Lead, lead_id).title = "CTO"
    with pytest.raises(StaleDataError), db.write() as session:  # ... then A saves
        session.add(mine)
        mine.title = "Head of IT"
    with db.read() as session:
        stored = session.get(Lead, lead_id)
        assert (stored.title, stored.version) == ("CTO", 2)


def test_checking_the_connection_does_not_wait_for_a_writer(sqlite_db: Database) -> None:
    """Start-up only reads: it must not queue for the write lock behind a long writer."""
    import sqlite3
    import time

    writer = sqlite3.connect(str(sqlite_db.sqlite_path), isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        sqlite_db.check_connection()
        assert time.monotonic() - started < 2, "it waited for the write lock"
    finally:
        writer.execute("ROLLBACK")
        writer.close()
