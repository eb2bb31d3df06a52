"""Writing to the audit trail, inside the transaction of the act it records.

Services call :func:`record_audit` in the same transaction as the change, so an act and
its entry are committed together or not at all. Who really acted comes from the
database's :class:`~teleprospect.store.database.Attribution` (the authenticated login);
the account the act was done as is the service's acting user. When the two differ, an
admin acted as someone else, and the entry says so with both names.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy.orm import Session

from teleprospect.core.audit import AuditKind
from teleprospect.store.database import Attribution
from teleprospect.store.models import AuditEntry
from teleprospect.store.types import utcnow

__all__ = ["LEAD_IDS_LISTED", "jsonable", "listed_ids", "record_audit", "this_workstation"]

#: The most lead ids one entry lists. An act on more leads (a reassignment of 5,000) is
#: one entry with its counts and its batch, whose own table names every lead.
LEAD_IDS_LISTED = 100


def this_workstation() -> str:
    """The name this computer goes by on the network."""
    try:
        return socket.gethostname()[:255]
    except OSError:
        return ""


def listed_ids(lead_ids: Iterable[int]) -> list[int] | None:
    """``lead_ids`` sorted, for an entry to list; None when there are too many to list."""
    ids = sorted(set(lead_ids))
    return ids if len(ids) <= LEAD_IDS_LISTED else None


def jsonable(value: Any) -> Any:
    """``value`` as JSON can hold it: enums by value, times in ISO 8601, sets sorted."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((jsonable(v) for v in value), key=str)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return str(value)


def record_audit(
    session: Session,
    kind: AuditKind,
    *,
    user_id: int | None,
    lead_id: int | None = None,
    subject: str = "",
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Add one entry to the trail in ``session``'s transaction.

    ``user_id`` is the account the act was done as; the authenticated person and the
    workstation come from the session's attribution (the database's clock stamps it on
    PostgreSQL)."""
    attribution: Attribution | None = session.info.get("attribution")
    entry = AuditEntry(
        user_id=user_id,
        by_user_id=attribution.user_id if attribution else user_id,
        by_login=attribution.login if attribution else "",
        workstation=attribution.workstation if attribution else this_workstation(),
        kind=kind,
        lead_id=lead_id,
        subject=subject,
        before=jsonable(before),
        after=jsonable(after),
    )
    bind = session.get_bind()
    if bind.dialect.name == "sqlite":
        # One computer, one clock; the column default has only whole seconds there.
        entry.at = utcnow()
    session.add(entry)
    return entry
