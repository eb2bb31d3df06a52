"""The audit trail's vocabulary: what kinds of acts are recorded, in the users' words.

The trail is append-only: who acted (and as whom), when, from which workstation, what,
and the values before and after. A lead's own history says what happened to a lead; the
audit trail says who did what to the desk, leads and rules alike, and cannot be edited.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["AuditKind"]


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
}
