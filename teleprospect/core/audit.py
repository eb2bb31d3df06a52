"""The audit trail's vocabulary: what kinds of acts are recorded, in the users' words.

The trail is append-only: who acted (and as whom), when, from which workstation, what,
and the values before and after. A lead's own history says what happened to a lead; the
audit trail says who did what to the desk, leads and rules alike, and cannot be edited.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

__all__ = ["LISTED_IN_FULL", "AuditKind", "describe_change", "describe_value", "kind_named"]

#: The most items of a list (lead ids of a bulk act, numbers…) a value is shown with; the
#: rest is counted ("… 120 in all").
LISTED_IN_FULL = 10


class AuditKind(StrEnum):
    """What an audit entry records."""

    STATUS_CHANGED = "status_changed"
    LEAD_REASSIGNED = "lead_reassigned"
    REASSIGNMENT_UNDONE = "reassignment_undone"
    EXPORTED_TO_SALES = "exported_to_sales"
    VERDICT_RECORDED = "verdict_recorded"
    USER_ADDED = "user_added"
    USER_CHANGED = "user_changed"
    SETTING_CHANGED = "setting_changed"
    SCRIPT_PUBLISHED = "script_published"
    SCORING_RULES_PUBLISHED = "scoring_rules_published"
    TRACK_PUBLISHED = "track_published"
    DO_NOT_CALL_CHANGED = "do_not_call_changed"
    DATA_ERASED = "data_erased"
    ACTED_AS = "acted_as"
    IMPORT_UNDONE = "import_undone"
    LEADS_MERGED = "leads_merged"
    CALL_UNDONE = "call_undone"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    AuditKind.STATUS_CHANGED: "Status changed",
    AuditKind.LEAD_REASSIGNED: "Lead reassigned",
    AuditKind.REASSIGNMENT_UNDONE: "Reassignment undone",
    AuditKind.EXPORTED_TO_SALES: "Exported to sales",
    AuditKind.VERDICT_RECORDED: "Sales' verdict recorded",
    AuditKind.USER_ADDED: "User added",
    AuditKind.USER_CHANGED: "User changed",
    AuditKind.SETTING_CHANGED: "Team setting changed",
    AuditKind.SCRIPT_PUBLISHED: "Script published",
    AuditKind.SCORING_RULES_PUBLISHED: "Scoring rules published",
    AuditKind.TRACK_PUBLISHED: "Nurture track published",
    AuditKind.DO_NOT_CALL_CHANGED: "Do-not-call changed",
    AuditKind.DATA_ERASED: "Data erased",
    AuditKind.ACTED_AS: "Acted as someone else",
    AuditKind.IMPORT_UNDONE: "Import undone",
    AuditKind.LEADS_MERGED: "Leads merged",
    AuditKind.CALL_UNDONE: "Logged call undone",
}


def kind_named(text: str) -> AuditKind:
    """The kind a person typed: its value (``status_changed``, ``status-changed``) or its
    label (``Status changed``), in any case; else ValueError naming the kinds."""
    wanted = " ".join(text.strip().lower().replace("_", " ").replace("-", " ").split())
    for kind in AuditKind:
        if wanted in (kind.value.replace("_", " "), kind.label.lower()):
            return kind
    known = ", ".join(kind.value for kind in AuditKind)
    raise ValueError(f"There is no kind of audit entry {text.strip()!r}; the kinds are {known}.")


def _label(key: str) -> str:
    return key.replace("_", " ")


def describe_value(value: Any, *, listed: int | None = LISTED_IN_FULL) -> str:
    """A value before or after an act as a person reads it: ``yes``/``no`` for booleans,
    lists cut after ``listed`` items (None: never), mappings as ``key: value; …``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str | int):
        return str(value)
    if isinstance(value, Mapping):
        return "; ".join(f"{_label(str(k))}: {_nested(v, listed)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        shown = ", ".join(_nested(v, listed) for v in value[:listed])
        more = len(value) - listed if listed is not None else 0
        return f"{shown} … ({len(value):,} in all)" if more > 0 else shown
    return str(value)


def _nested(value: Any, listed: int | None = LISTED_IN_FULL) -> str:
    # Inside a mapping, a mapping reads "a=1, b=2": its "; " would mix with the outer one.
    # Its keys are data (logins, statuses), not field names: shown as they are.
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={_nested(v, listed)}" for k, v in value.items()) or "none"
    text = describe_value(value, listed=listed)
    return text if text else "none"


def _changes(before: Mapping[str, Any], after: Mapping[str, Any], prefix: str) -> list[str]:
    found = []
    keys = [*before, *(k for k in after if k not in before)]
    for key in keys:
        name = f"{prefix}{_label(str(key))}"
        old, new = before.get(key), after.get(key)
        if key in before and key in after and old == new:
            continue  # unchanged: a setting's other fields, say, need not be read
        if isinstance(old, Mapping) and isinstance(new, Mapping) and old.keys() == new.keys():
            # The same fields on both sides (a setting's parts): name the one that changed.
            # Different ones (leads counted by owner) read better whole.
            found += _changes(old, new, f"{name} › ")
        elif key not in before:
            found.append(f"{name}: {_nested(new)}")
        else:
            found.append(f"{name}: {_nested(old)} → {_nested(new)}")
    return found


def describe_change(before: Any, after: Any) -> str:
    """What an act changed, in one line: ``status: working → sales_ready``.

    Two mappings are compared key by key (nested ones with the same keys too): only what
    differs is shown,
    and what only the after side has (counts, a batch number) is shown as it is."""
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        return "; ".join(_changes(before, after, ""))
    if before is None:
        return describe_value(after)
    if after is None:
        return f"{describe_value(before)} → none"
    return f"{_nested(before)} → {_nested(after)}"
