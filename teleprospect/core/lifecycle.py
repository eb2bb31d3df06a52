"""The lead lifecycle: its states and the only transitions allowed between them.

Every status change in the product goes through :func:`check_transition`, so the
rules live here once. Do-not-call is a flag on the lead, not a state: it overrides
every state without changing it.
"""

from __future__ import annotations

from enum import StrEnum

from teleprospect.core.errors import Refused


class LeadStatus(StrEnum):
    NEW = "new"
    WORKING = "working"
    SALES_READY = "sales_ready"
    HANDED_OFF = "handed_off"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    NURTURE = "nurture"
    DISQUALIFIED = "disqualified"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    LeadStatus.NEW: "New",
    LeadStatus.WORKING: "Working",
    LeadStatus.SALES_READY: "Sales-ready",
    LeadStatus.HANDED_OFF: "Handed off",
    LeadStatus.ACCEPTED: "Accepted",
    LeadStatus.REJECTED: "Rejected",
    LeadStatus.NURTURE: "Nurture",
    LeadStatus.DISQUALIFIED: "Disqualified",
}

ALLOWED_TRANSITIONS: dict[LeadStatus, frozenset[LeadStatus]] = {
    LeadStatus.NEW: frozenset({LeadStatus.WORKING}),
    LeadStatus.WORKING: frozenset(
        {LeadStatus.SALES_READY, LeadStatus.NURTURE, LeadStatus.DISQUALIFIED}
    ),
    # Back to working when a call step is due or the score crosses the threshold.
    LeadStatus.NURTURE: frozenset({LeadStatus.WORKING, LeadStatus.DISQUALIFIED}),
    LeadStatus.SALES_READY: frozenset({LeadStatus.HANDED_OFF}),
    LeadStatus.HANDED_OFF: frozenset({LeadStatus.ACCEPTED, LeadStatus.REJECTED}),
    LeadStatus.REJECTED: frozenset({LeadStatus.NURTURE, LeadStatus.DISQUALIFIED}),
    LeadStatus.ACCEPTED: frozenset(),
    LeadStatus.DISQUALIFIED: frozenset(),
}

#: States a lead can never leave.
FINAL_STATES = frozenset(s for s, targets in ALLOWED_TRANSITIONS.items() if not targets)


class IllegalTransition(Refused, ValueError):
    """A status change the lifecycle does not allow."""

    def __init__(self, current: LeadStatus, target: LeadStatus) -> None:
        self.current = current
        self.target = target
        allowed = ", ".join(s.label for s in sorted(ALLOWED_TRANSITIONS[current])) or "none"
        super().__init__(
            f"A lead cannot go from {current.label} to {target.label}"
            f" (from {current.label} it can go to: {allowed})."
        )


def can_transition(current: LeadStatus, target: LeadStatus) -> bool:
    return target in ALLOWED_TRANSITIONS[current]


def check_transition(current: LeadStatus | str, target: LeadStatus | str) -> LeadStatus:
    """Return the target status if the move is allowed, else raise :class:`IllegalTransition`."""
    current, target = LeadStatus(current), LeadStatus(target)
    if not can_transition(current, target):
        raise IllegalTransition(current, target)
    return target
