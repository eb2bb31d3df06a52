"""One clock decides between workstations (DESIGN.md §2 rule 8).

Every service that judges a lease (is it live? may it be taken over?) or a due time (is
the callback due? may the lead be called again?) takes its time from :func:`decision_time`
inside its transaction: on PostgreSQL the server's clock, so a workstation whose clock is
fast never takes a lead another rep holds, and one whose clock is slow never keeps an
expired lease alive. Times a workstation only shows (a call's timer, "draft kept at …")
stay on its own clock.

:func:`clock_offset` tells the GUI how far this computer's clock is off the server's, so
its user can be warned (:func:`teleprospect.core.leases.clock_warning`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from teleprospect.store.clock import database_now, server_clock_offset
from teleprospect.store.database import Database

__all__ = ["clock_offset", "decision_time"]


def decision_time(session: Session, now: datetime | None) -> datetime:
    """The time the transaction of ``session`` judges leases and due times by: ``now`` when
    the caller fixes it (tests, benchmarks, what-ifs), else the database's clock."""
    if now is None:
        return database_now(session)
    if now.tzinfo is None:
        raise ValueError(f"naive datetime {now!r}: pass an aware (UTC) datetime")
    return now.astimezone(UTC)


def clock_offset(db: Database) -> timedelta | None:
    """The database server's clock minus this computer's (negative: this computer's clock
    is ahead); None on SQLite, where this computer's clock is the only one."""
    if db.is_sqlite:
        return None
    with db.read() as session:
        return server_clock_offset(session)
