"""Long writes: short transactions on SQLite whose rows nobody sees until they are
published, removed when the write stops or its process dies; one transaction on
PostgreSQL. And short writes that wait for the lock briefly, then say the database is busy.
"""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text

from teleprospect.core.errors import Unavailable
from teleprospect.services.database import open_database
from teleprospect.services.imports.lead_writer import FILL_IN
from teleprospect.services.queue.claims import claim_next
from teleprospect.store.database import Database, DatabaseBusy
from teleprospect.store.models import Campaign, Lead, StagedLeadChange, StagedWrite, User
from teleprospect.store.staging import ChunkSizer, LongWrite, abandoned_writes

NOW = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)


def leads_seen(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Lead)) or 0


def stored(db: Database, table: str) -> int:
    """Rows as stored, hidden ones too."""
    with db.engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def add_leads(write: LongWrite, count: int, first: int = 0) -> list[int]:
    ids = []
    for n in range(first, first + count):
        with write.step() as session:
            lead = Lead(first_name=f"L{n}", call_zones="Europe/Berlin")
            session.add(lead)
            session.flush()
            ids.append(lead.id)
    return ids


def test_rows_of_a_long_write_are_seen_by_nobody_until_it_publishes(db: Database) -> None:
    with LongWrite(db, "test") as write:
        with write.step() as session:
            session.add(Campaign(name="Made by the write"))
        ids = add_leads(write, 3)
        with write.reading() as session:  # the write sees its own rows
            assert session.scalar(select(func.count()).select_from(Lead)) == 3
        if db.is_sqlite:
            assert write.write_id is not None and len(write.holds) >= 4
            assert stored(db, "lead") == 3, "the rows are in the database already"
        assert leads_seen(db) == 0
        with db.read() as session:
            assert session.get(Lead, ids[0]) is None, "not even by id"
            assert session.scalars(select(Campaign.name)).all() == []
        with write.publish():
            pass
        # SQLite: all at once, now; PostgreSQL: when its one transaction commits.
        assert leads_seen(db) == (3 if db.is_sqlite else 0)
    assert leads_seen(db) == 3
    assert stored(db, "staged_write") == 0


def test_a_long_write_that_fails_leaves_nothing(db: Database) -> None:
    with db.write() as session:
        session.add(Lead(first_name="Before"))
    with pytest.raises(RuntimeError), LongWrite(db, "test") as write:
        add_leads(write, 5)
        with write.step() as session:
            session.add(User(login="made.by.the.write", name="Made"))
        raise RuntimeError("stopped half-way")
    assert leads_seen(db) == 1 and stored(db, "lead") == 1
    assert stored(db, "user_account") == 0 and stored(db, "staged_write") == 0


def test_a_write_under_way_in_a_living_process_is_left_alone(sqlite_db: Database) -> None:
    with LongWrite(sqlite_db, "test") as write:
        add_leads(write, 2)
        assert abandoned_writes(sqlite_db) == []
        open_database(str(sqlite_db.url), create=False).db.dispose()  # another start
        assert stored(sqlite_db, "lead") == 2


def finished_process() -> int:
    """The id of a process that has ended (and was waited for)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_killed_write_that_was_applying_its_changes_is_finished_at_the_next_start(
    sqlite_db: Database,
) -> None:
    with sqlite_db.write() as session:
        lead = Lead(first_name="Ann", email="ann@example.com")
        session.add(lead)
        session.flush()
        lead_id = lead.id
        write = StagedWrite(
            kind="lead import", state="applying", host=socket.gethostname(), pid=finished_process()
        )
        session.add(write)
        session.flush()
        change = {
            "do": FILL_IN, "fields": {"title": "CFO"}, "extras": {}, "renamed": False,
            "phones": [], "do_not_call": False,
        }  # fmt: skip
        session.add(StagedLeadChange(staged_write_id=write.id, lead_id=lead_id, change=change))
    assert [w.state for w in abandoned_writes(sqlite_db)] == ["applying"]

    open_database(str(sqlite_db.url), create=False).db.dispose()

    with sqlite_db.read() as session:
        filled = session.get(Lead, lead_id)
        assert filled is not None and filled.title == "CFO"
    assert stored(sqlite_db, "staged_lead_change") == 0
    assert stored(sqlite_db, "staged_write") == 0


def test_on_postgresql_a_long_write_is_one_transaction(pg_url: str) -> None:
    from teleprospect.services.database import upgrade_database

    db = Database(pg_url)
    upgrade_database(db)
    try:
        with LongWrite(db, "test") as write:
            add_leads(write, 3)
            assert write.write_id is None and write.holds == []
            assert leads_seen(db) == 0, "nothing committed before the end"
        assert leads_seen(db) == 3
        with db.read() as session:
            assert session.scalars(select(Lead.staged_write_id)).all() == [None] * 3
    finally:
        db.dispose()


def test_steps_are_sized_to_their_time() -> None:
    sizer = ChunkSizer(100, target=0.05, most=10_000)
    sizer.took(100, 0.01)  # fast: grows, twofold at most
    assert sizer.size == 200
    sizer.took(200, 0.4)  # slow: shrinks at once
    assert sizer.size < 100


def test_a_claim_waits_briefly_for_the_lock_then_says_the_database_is_busy(
    sqlite_db: Database,
) -> None:
    with sqlite_db.write() as session:
        session.add(User(login="sam", name="Sam"))
    path = sqlite_db.sqlite_path
    assert path is not None
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with pytest.raises(DatabaseBusy) as busy:
            claim_next(sqlite_db, 1, now=NOW)
        waited = time.monotonic() - started
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert 1.0 <= waited < 9.0, "about two seconds, not ten"
    assert isinstance(busy.value, Unavailable)
    assert str(busy.value) == "The database is busy, try again."


def test_a_claim_gets_in_between_the_short_transactions_of_a_long_write(
    sqlite_db: Database,
) -> None:
    with sqlite_db.write() as session:
        session.add(User(login="sam", name="Sam"))
    waits: list[float] = []
    stop = threading.Event()

    def claims() -> None:
        while not stop.is_set():
            started = time.monotonic()
            claim_next(sqlite_db, 1, now=NOW)
            waits.append(time.monotonic() - started)
            time.sleep(0.01)

    with LongWrite(sqlite_db, "test") as write:
        claimer = threading.Thread(target=claims)
        claimer.start()
        try:
            for n in range(30):
                with write.step() as session:
                    session.add(Lead(first_name=f"L{n}"))
                    time.sleep(0.05)  # a step holding the lock for 50 ms
        finally:
            stop.set()
            claimer.join()
    # Claims were made while the write ran (30 steps of 50 ms), none gave up as busy: each
    # got in between two steps. How long each waited is the benchmark's to measure.
    assert len(waits) >= 10


def test_upgrading_a_database_with_imported_leads_keeps_them(sqlite_url: str) -> None:
    """The columns are added in place: copying a table on SQLite drops the old one, and
    with it (foreign keys) the rows that point at it."""
    from alembic import command

    from teleprospect.store.migrate import alembic_config, upgrade_to_head

    db = Database(sqlite_url)
    try:
        upgrade_to_head(db)
        config = alembic_config(db)
        with db.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0008")
        with db.engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO import_batch (id, kind, status, file_name, file_sha256, login,"
                " started_at, encoding, delimiter, mapping, default_region, on_duplicate, rows,"
                " imported, updated, duplicates, rejected, invalid_phones, dnc, reject_file,"
                " message) VALUES (7, 'leads', 'committed', 'a.csv', 'x', '', '2026-01-01',"
                " '', '', '{}', '', '', 1, 1, 0, 0, 0, 0, 0, '', '')"
            )
            conn.exec_driver_sql(
                "INSERT INTO lead (first_name, last_name, company, title, industry, phone_raw,"
                " phone_valid, phone_time_zones, status, score, attempts, do_not_call,"
                " priority, call_zones, inbound, lead_source, extra, import_batch_id,"
                " match_key, created_at, updated_at, version) VALUES ('Ann', '', '', '', '',"
                " '', 0, '', 'new', 0, 0, 0, 0, '', 0, '', '{}', 7, '', '2026-01-01',"
                " '2026-01-01', 1)"
            )
        upgrade_to_head(db)
        assert stored(db, "lead") == 1 and stored(db, "import_batch") == 1
        with db.read() as session:
            assert session.scalars(select(Lead.import_batch_id)).all() == [7]
    finally:
        db.dispose()
