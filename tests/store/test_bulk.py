"""Bulk writing: what goes in through the driver reads back as the ORM would have written it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import Column, DateTime, Integer, MetaData, Table, func, select

from teleprospect.core.lifecycle import LeadStatus
from teleprospect.store.bulk import BulkInsert, sqlite_bulk_settings
from teleprospect.store.database import Database
from teleprospect.store.models import Lead, LeadPhone

WHEN = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)  # no microseconds: the awkward case


def test_rows_read_back_with_their_values_constants_and_column_defaults(db: Database) -> None:
    with db.write() as session:
        rows = BulkInsert(
            session.connection(),
            Lead.__table__,
            ("id", "first_name", "email", "phone_valid", "priority", "extra"),
            {"created_at": WHEN, "updated_at": WHEN, "next_action_at": WHEN},
            encoded=("extra",),
        )
        rows.insert(
            [
                (1, "Ada", "ada@example.com", True, 12.5, json.dumps({"Source": "webinar"})),
                (2, "Bob", None, False, -3.0, "{}"),
            ]
        )
        phones = BulkInsert(session.connection(), LeadPhone.__table__, ("lead_id", "raw", "e164"))
        phones.insert([(1, "+1 212 555 0100", "+12125550100"), (1, "n/a", None)])

    with db.read() as session:
        ada, bob = session.scalars(select(Lead).order_by(Lead.id)).all()
        assert (ada.first_name, ada.email, ada.phone_valid, ada.priority) == (
            "Ada", "ada@example.com", True, 12.5,
        )  # fmt: skip
        assert ada.extra == {"Source": "webinar"} and bob.extra == {}
        assert bob.email is None and bob.phone_valid is False
        # Constants, converted as the column type converts them: an aware UTC time back.
        assert ada.created_at == WHEN and bob.next_action_at == WHEN
        # Columns given by neither: their defaults, as an ORM insert would set them.
        assert ada.status is LeadStatus.NEW and ada.attempts == 0 and ada.version == 1
        assert ada.last_name == "" and ada.do_not_call is False
        assert [(p.raw, p.e164, p.valid) for p in ada.phones] == [
            ("+1 212 555 0100", "+12125550100", False),
            ("n/a", None, False),
        ]


def test_times_are_stored_exactly_as_the_orm_stores_them(db: Database) -> None:
    """Queries compare stored times as text on SQLite: a bulk-written time must be
    written in the same form as an ORM-written one, or ordering and ranges go wrong."""
    with db.write() as session:
        session.add(Lead(id=1, created_at=WHEN, updated_at=WHEN, next_action_at=WHEN))
        session.flush()
        BulkInsert(
            session.connection(),
            Lead.__table__,
            ("id",),
            {"created_at": WHEN, "updated_at": WHEN, "next_action_at": WHEN},
        ).insert([(2,)])
    with db.read() as session:
        found = session.scalars(select(Lead.id).where(Lead.next_action_at == WHEN)).all()
        assert sorted(found) == [1, 2]


def test_nothing_to_write_is_fine_and_an_unknown_column_is_refused(db: Database) -> None:
    with db.write() as session:
        BulkInsert(session.connection(), LeadPhone.__table__, ("lead_id", "raw")).insert([])
        with pytest.raises(ValueError, match="no column colour"):
            BulkInsert(session.connection(), LeadPhone.__table__, ("lead_id", "colour"))


def test_a_default_the_database_works_out_must_be_given(sqlite_url: str) -> None:
    table = Table(
        "stamped",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("at", DateTime, default=func.now()),
    )
    database = Database(sqlite_url)
    with database.engine.connect() as connection:
        with pytest.raises(ValueError, match="stamped.at"):
            BulkInsert(connection, table, ("id",))
        BulkInsert(connection, table, ("id", "at"))  # given: fine
    database.dispose()


def test_rows_are_written_in_the_callers_transaction(db: Database) -> None:
    class Stop(Exception):
        pass

    with pytest.raises(Stop), db.write() as session:
        BulkInsert(
            session.connection(),
            Lead.__table__,
            ("id",),
            {"created_at": WHEN, "updated_at": WHEN},
        ).insert([(1,), (2,)])
        raise Stop
    with db.read() as session:
        assert session.scalars(select(Lead.id)).all() == []


def test_bulk_settings_are_put_back_afterwards(sqlite_url: str) -> None:
    database = Database(sqlite_url)
    with database.engine.connect() as connection:
        raw = connection.connection.driver_connection
        before = raw.execute("PRAGMA cache_size").fetchone()[0]
        with sqlite_bulk_settings(connection, cache_kib=65_536, checkpoint_pages=9_999):
            assert raw.execute("PRAGMA cache_size").fetchone()[0] == -65_536
            assert raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 9_999
        assert raw.execute("PRAGMA cache_size").fetchone()[0] == before
        assert raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1_000
    database.dispose()


@pytest.mark.parametrize("count", [1, 7, 500, 1_037])
def test_every_row_arrives_once_in_order_whatever_their_number(db: Database, count: int) -> None:
    # SQLite takes many rows per statement, the rest in smaller statements.
    with db.write() as session:
        rows = BulkInsert(
            session.connection(),
            Lead.__table__,
            ("id", "first_name"),
            {"created_at": WHEN, "updated_at": WHEN, "next_action_at": WHEN},
        )
        rows.insert([(n, f"Lead {n}") for n in range(1, count + 1)])
    with db.read() as session:
        names = session.execute(select(Lead.id, Lead.first_name).order_by(Lead.id)).all()
    assert [tuple(row) for row in names] == [(n, f"Lead {n}") for n in range(1, count + 1)]
