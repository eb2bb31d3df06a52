"""Publishing a new version of something the team shares: a script, the scoring rules, a
track. Each publication is a new row numbered one above the highest so far; the old rows
stay, as history.

Two workstations publishing at the same moment both read the same highest number. The
version column is unique, so one of them fails on commit; it then numbers its row again
in a fresh transaction, after the one that got there first. (SQLite never gets that far:
its write transactions take turns.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session

from teleprospect.store.database import Database

__all__ = ["PUBLISH_ATTEMPTS", "publish_version"]

#: Transactions tried before a race on the version number is given up (and raised).
PUBLISH_ATTEMPTS = 2

T = TypeVar("T")


def publish_version(
    db: Database,
    version: InstrumentedAttribute[int] | InstrumentedAttribute[Any],
    publish: Callable[[Session, int], T],
) -> T:
    """Run ``publish(session, next_version)`` in one write transaction and return what it
    returns; ``next_version`` is one above the highest value of the ``version`` column (1
    when there is none). ``publish`` adds the row (and checks, inside the transaction,
    that the user may publish). On a race for the same number it runs again, in a new
    transaction, up to :data:`PUBLISH_ATTEMPTS` times."""
    for attempt in range(1, PUBLISH_ATTEMPTS + 1):
        try:
            with db.write() as session:
                latest = session.scalar(select(func.max(version))) or 0
                result = publish(session, latest + 1)
                session.flush()
            return result
        except IntegrityError:
            if attempt == PUBLISH_ATTEMPTS:
                raise
    raise AssertionError("unreachable")  # pragma: no cover
