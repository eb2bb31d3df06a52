"""What an "update" import replaced on a lead, kept twice: as data (``import_change``:
field, value before, value after, batch) for undoing the import, and in words in the
lead's history (who, which import, old → new), where the user reads it.

Nothing an import changes on an existing lead goes without a trace.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from teleprospect.core.domain import HistoryKind
from teleprospect.store.models import ImportChange, LeadHistory

__all__ = [
    "FIELD_LABELS",
    "PHONE_ADDED",
    "PRIMARY_PHONE",
    "PRIMARY_PHONE_FIELDS",
    "ReplacedValue",
    "record_replaced",
    "replaced_rows",
    "value_text",
]

#: ``import_change.field`` of a number an import added to a lead's numbers.
PHONE_ADDED = "phone"
#: ``import_change.field`` of the callable number an import put on a lead without one.
PRIMARY_PHONE = "primary phone"
#: The lead's columns that make its callable number (kept together as one value).
PRIMARY_PHONE_FIELDS = (
    "phone_raw",
    "phone_e164",
    "phone_extension",
    "phone_valid",
    "phone_type",
    "phone_time_zones",
)

FIELD_LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email",
    "company": "Company",
    "title": "Title",
    "industry": "Industry",
    "lead_source": "Lead source",
    "company_size": "Company size",
    "country": "Country",
    "extra": "Other columns",
    PHONE_ADDED: "Phone added",
    PRIMARY_PHONE: "Phone",
}

#: lead_history keeps values this long (its columns' size); import_change keeps them whole.
_HISTORY_VALUE_LENGTH = 100

#: (field, value before, value after)
ReplacedValue = tuple[str, Any, Any]


def value_text(field: str, value: Any) -> str:
    """A recorded value as a person reads it."""
    if value is None:
        return ""
    if field == PHONE_ADDED and isinstance(value, dict):
        return str(value.get("e164") or value.get("raw") or "")
    if field == PRIMARY_PHONE and isinstance(value, dict):
        return str(value.get("phone_e164") or value.get("phone_raw") or "")
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def record_replaced(
    session: Session,
    lead_id: int,
    replaced: list[ReplacedValue],
    *,
    batch_id: int,
    user_id: int | None,
    about: str,
    at: datetime,
    undo: bool = False,
) -> None:
    """Record ``replaced`` values of one lead: as ``import_change`` rows of ``batch_id``
    (not for an undo, which marks those rows instead) and as history rows saying
    ``about`` (``import #12 (leads.csv)``)."""
    changes, history = replaced_rows(
        lead_id, replaced, batch_id=batch_id, user_id=user_id, about=about, at=at, undo=undo
    )
    if changes:
        session.execute(insert(ImportChange), changes)
    if history:
        session.execute(insert(LeadHistory), history)


def replaced_rows(
    lead_id: int,
    replaced: list[ReplacedValue],
    *,
    batch_id: int,
    user_id: int | None,
    about: str,
    at: datetime,
    undo: bool = False,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The ``import_change`` rows and the history rows :func:`record_replaced` writes, for
    a caller that writes those of many leads in one statement each."""
    if not replaced:
        return [], []
    changes = (
        []
        if undo
        else [
            {
                "batch_id": batch_id,
                "lead_id": lead_id,
                "field": field,
                "old": old,
                "new": new,
                "at": at,
                "undone": False,
            }
            for field, old, new in replaced
        ]
    )
    verb = "put back by the undo of" if undo else "by"
    history = [
        {
            "lead_id": lead_id,
            "user_id": user_id,
            "at": at,
            "kind": HistoryKind.IMPORT,
            "from_value": value_text(field, old)[:_HISTORY_VALUE_LENGTH],
            "to_value": value_text(field, new)[:_HISTORY_VALUE_LENGTH],
            "reason": f"{FIELD_LABELS.get(field, field)}, {verb} {about}",
        }
        for field, old, new in replaced
    ]
    return changes, history
