"""Whether the database server can be reached: what sends a workstation into offline work,
and the light look that tells it the server is back."""

from __future__ import annotations

from teleprospect.store.database import Database, DatabaseError, is_unreachable

__all__ = ["can_work_offline", "is_unreachable", "server_is_back"]


def can_work_offline(db: Database) -> bool:
    """Only a server can be away: a SQLite file is on this computer."""
    return not db.is_sqlite


def server_is_back(db: Database) -> bool:
    """One connection and ``SELECT 1``: True when the server answers again.

    Any other failure (a refused login, a database that is gone) is raised: it is no
    passing outage, and someone should read it."""
    try:
        db.check_connection()
    except DatabaseError as error:
        if is_unreachable(error):
            return False
        raise
    return True
