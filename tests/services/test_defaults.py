"""The shipped script, tracks and scoring rules: stored once when the database is opened,
never by a read. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, text

from teleprospect.core.nurture import default_tracks
from teleprospect.core.scoring.rules import default_rules
from teleprospect.services.calls.scripts import (
    NoScriptPublished,
    active_script,
    active_script_in_session,
    script_versions,
)
from teleprospect.services.database import open_database
from teleprospect.services.defaults import seed_defaults
from teleprospect.services.nurture.tracks import nurture_tracks, tracks_in_session
from teleprospect.services.scoring.scores import active_rules, rules_in_session
from teleprospect.store.database import Database
from teleprospect.store.models import NurtureTrack, PublishedScript, ScoringRuleSet


def counts(db: Database) -> tuple[int, int, int]:
    with db.read() as s:
        return (
            s.scalar(select(func.count()).select_from(PublishedScript)) or 0,
            s.scalar(select(func.count()).select_from(NurtureTrack)) or 0,
            s.scalar(select(func.count()).select_from(ScoringRuleSet)) or 0,
        )


def test_a_new_database_once_opened_has_the_shipped_script_tracks_and_rules(
    db_url: str,
) -> None:
    db = open_database(db_url).db
    try:
        assert counts(db) == (1, len(default_tracks()), 1)
        assert active_script(db).version == 1
        assert [t.key for t in nurture_tracks(db)] == [t.key for t in default_tracks()]
        assert active_rules(db).version == 1
    finally:
        db.dispose()
    again = open_database(db_url).db  # opening again stores nothing more
    try:
        assert counts(again) == (1, len(default_tracks()), 1)
        assert not seed_defaults(again).any
    finally:
        again.dispose()


def test_reading_the_defaults_never_opens_a_write_transaction(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_writes() -> None:
        raise AssertionError("a read opened a write transaction")

    monkeypatch.setattr(db, "write", no_writes)
    assert active_script(db).version == 1
    assert len(script_versions(db)) == 1
    assert len(nurture_tracks(db)) == len(default_tracks())
    assert active_rules(db).version == 1


def test_opening_a_database_that_has_its_defaults_takes_no_write_lock(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_writes() -> None:
        raise AssertionError("opening a seeded database opened a write transaction")

    monkeypatch.setattr(db, "write", no_writes)
    assert not seed_defaults(db).any


def test_tracks_script_and_rules_read_in_a_read_only_transaction(db: Database) -> None:
    with db.read() as s:
        if db.is_sqlite:
            s.execute(text("PRAGMA query_only = ON"))
        else:
            s.execute(text("SET TRANSACTION READ ONLY"))
        try:
            assert len(tracks_in_session(s)) == len(default_tracks())
            assert active_script_in_session(s).version == 1
            assert rules_in_session(s).version == 1
        finally:
            if db.is_sqlite:
                s.execute(text("PRAGMA query_only = OFF"))


def test_a_read_after_the_defaults_were_removed_does_not_store_them_again(
    db: Database,
) -> None:
    with db.write() as s:
        for model in (PublishedScript, NurtureTrack, ScoringRuleSet):
            s.execute(delete(model))
    assert nurture_tracks(db) == []
    with pytest.raises(NoScriptPublished):
        active_script(db)
    assert script_versions(db) == []
    # The rules in force are the shipped ones, from memory, not stored.
    assert active_rules(db).rules == default_rules()
    assert counts(db) == (0, 0, 0)

    stored = seed_defaults(db)  # what opening the database does
    assert (stored.script, stored.tracks, stored.scoring_rules) == (True, True, True)
    assert counts(db) == (1, len(default_tracks()), 1)


def test_starting_up_and_reading_the_queue_never_wait_for_a_writer(sqlite_url: str) -> None:
    """Found with a long import: start-up asked for the schema version in a write
    transaction, and waited ten seconds behind the import before failing."""
    import sqlite3
    import time

    from teleprospect.services.queue.claims import find_user_id
    from teleprospect.services.queue.page import queue_page
    from teleprospect.store.models import User

    opened = open_database(sqlite_url)
    with opened.db.write() as session:
        session.add(User(login="sam", name="Sam"))
    path = opened.db.sqlite_path
    opened.db.dispose()
    assert path is not None
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # a writer holding the lock meanwhile
        started = time.monotonic()
        db = open_database(sqlite_url, create=False).db
        queue_page(db, find_user_id(db, "sam"))
        db.dispose()
        assert time.monotonic() - started < 2, "start-up or the queue waited for the writer"
    finally:
        writer.execute("ROLLBACK")
        writer.close()
