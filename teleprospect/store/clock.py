"""The clock that decides between workstations (DESIGN.md §2 rule 8).

Two workstations must agree whether a lease is still live or a callback is due, whatever
their own clocks say. On PostgreSQL the server's clock decides: :func:`database_now` reads
it once per transaction (``now()``: the time the transaction started, the same for every
comparison in it). A SQLite file is used by one computer, whose clock is the only one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import DateTime, func, select
from sqlalchemy.orm import Session

from teleprospect.store.types import utcnow

__all__ = ["database_now", "server_clock_offset"]


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def database_now(session: Session) -> datetime:
    """The time, in UTC, that leases and due times are judged by in ``session``'s
    transaction: the PostgreSQL server's (one cheap query), this computer's on SQLite."""
    if not _is_postgresql(session):
        return utcnow()
    found = session.scalar(select(func.now()))
    assert found is not None  # now() is never NULL
    return found.astimezone(UTC)


def server_clock_offset(session: Session) -> timedelta | None:
    """The PostgreSQL server's clock minus this computer's (positive: the server is ahead);
    None on SQLite. The server's reading is set against the middle of the round trip."""
    if not _is_postgresql(session):
        return None
    before = utcnow()
    # clock_timestamp(): the time of this very query, not of the transaction's start.
    server = session.scalar(select(func.clock_timestamp(type_=DateTime(timezone=True))))
    after = utcnow()
    assert server is not None
    return server.astimezone(UTC) - (before + (after - before) / 2)
