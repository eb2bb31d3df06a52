"""What a rep decides at the end of a call (DESIGN.md §3 "Decisions")."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["DecisionKind"]


class DecisionKind(StrEnum):
    SALES_READY = "sales_ready"
    #: Sales-ready without the readiness rule: "best handled by a salesperson", with a reason.
    EXCEPTION = "exception"
    NURTURE = "nurture"
    CALLBACK = "callback"
    DISQUALIFY = "disqualify"
    DO_NOT_CALL = "do_not_call"

    @property
    def label(self) -> str:
        return {
            "sales_ready": "Sales-ready",
            "exception": "Sales-ready by exception",
            "nurture": "Back to nurture",
            "callback": "Callback",
            "disqualify": "Disqualify",
            "do_not_call": "Do not call",
        }[self.value]
