"""Work done while the server was away: when a journal entry may still be applied.

A workstation that cannot reach the database server keeps what the rep does in a local
journal, each entry with the state of the lead it was based on. When the server is back
the entries are replayed in order; before each one, :func:`find_conflict` compares the
lead as the rep knew it with the lead as it is now. Changes the rep made themselves (an
earlier entry, another of their workstations) are no conflict; someone else reassigning
the lead, deciding it, calling it or holding it right now is, and the entry goes to a
review list instead of overwriting their work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from teleprospect.core.lifecycle import LeadStatus

__all__ = [
    "Conflict",
    "ConflictKind",
    "LeadState",
    "OfflineOutcome",
    "OtherChange",
    "find_conflict",
]


class OfflineOutcome(StrEnum):
    """What became of a journal entry once it reached the server."""

    #: Applied: the call is in the database.
    APPLIED = "applied"
    #: The lead changed in a way that clashes with it: a person decides.
    REVIEW = "review"
    #: Thrown away after review.
    DISCARDED = "discarded"

    @property
    def label(self) -> str:
        return {"applied": "Applied", "review": "To review", "discarded": "Discarded"}[self.value]


@dataclass(frozen=True, slots=True)
class LeadState:
    """What decides whether work on a lead still fits: read when the lead was opened (the
    base of an entry) and again when the entry is replayed."""

    version: int
    status: LeadStatus
    owner_id: int | None
    do_not_call: bool


@dataclass(frozen=True, slots=True)
class OtherChange:
    """A change someone else made to the lead since the rep last saw it (from its history
    and its calls), for entries whose base state is unknown."""

    #: "owner", "status", "do_not_call" or "call".
    what: str
    user_id: int | None
    at: datetime
    #: The value it changed to ("working", an owner's login…), when there is one.
    to_value: str | None = None


class ConflictKind(StrEnum):
    GONE = "gone"
    CLAIMED = "claimed"
    REASSIGNED = "reassigned"
    DECIDED = "decided"
    DO_NOT_CALL = "do_not_call"
    CALLED = "called"

    @property
    def can_apply_anyway(self) -> bool:
        """Whether the rep may still apply the entry after reading why it was held back:
        never over a live claim of someone else (they are on the phone with the lead) or
        on a lead that is gone, nor over a do-not-call."""
        return self in (ConflictKind.REASSIGNED, ConflictKind.DECIDED, ConflictKind.CALLED)


@dataclass(frozen=True, slots=True)
class Conflict:
    kind: ConflictKind
    #: Who made the clashing change (None: unknown, or the system).
    by_user_id: int | None = None
    #: The lead's status now (DECIDED), the new owner's id (REASSIGNED).
    status: LeadStatus | None = None
    owner_id: int | None = None
    at: datetime | None = None

    def describe(self, names: dict[int, str]) -> str:
        """One sentence for the review list; ``names`` by user id."""
        who = names.get(self.by_user_id, "someone else") if self.by_user_id else "someone else"
        if self.kind is ConflictKind.GONE:
            return "The lead no longer exists."
        if self.kind is ConflictKind.CLAIMED:
            return f"{who} holds the lead right now."
        if self.kind is ConflictKind.REASSIGNED:
            owner = names.get(self.owner_id, "another rep") if self.owner_id else "nobody"
            return f"The lead was reassigned to {owner} meanwhile."
        if self.kind is ConflictKind.DECIDED:
            status = self.status.label if self.status is not None else "another status"
            return f"{who} changed the lead to {status} meanwhile."
        if self.kind is ConflictKind.DO_NOT_CALL:
            return "The lead was put on the do-not-call list meanwhile."
        when = f" at {self.at:%H:%M} UTC" if self.at is not None else ""
        return f"{who} called the lead meanwhile{when}."


def find_conflict(
    me: int,
    base: LeadState | None,
    current: LeadState | None,
    *,
    holder_id: int | None,
    others: tuple[OtherChange, ...] = (),
) -> Conflict | None:
    """Whether an entry of user ``me``, made on a lead known as ``base``, clashes with the
    lead as it is now (``current``; None: deleted).

    ``holder_id``: who holds a live claim on the lead now. ``others``: what other users
    changed since the rep last saw the lead. With a ``base`` the states are compared
    (exact, no clocks involved); without one (an entry typed at the command line while
    the server was away) the changes of others decide.
    """
    if current is None:
        return Conflict(ConflictKind.GONE)
    if holder_id is not None and holder_id != me:
        return Conflict(ConflictKind.CLAIMED, by_user_id=holder_id)
    if base is not None and current.version == base.version:
        return None  # nobody changed the lead at all
    status_by = _last(others, "status")
    newly_do_not_call = (
        not base.do_not_call if base is not None else _last(others, "do_not_call") is not None
    )
    if current.do_not_call and newly_do_not_call:
        return Conflict(ConflictKind.DO_NOT_CALL)
    owner_changed = (
        current.owner_id != base.owner_id
        if base is not None
        else _last(others, "owner") is not None
    )
    if owner_changed and current.owner_id != me:
        owner_by = _last(others, "owner")
        return Conflict(
            ConflictKind.REASSIGNED,
            by_user_id=owner_by.user_id if owner_by is not None else None,
            owner_id=current.owner_id,
        )
    status_changed = current.status != base.status if base is not None else status_by is not None
    if status_changed:
        return Conflict(
            ConflictKind.DECIDED,
            by_user_id=status_by.user_id if status_by is not None else None,
            status=current.status,
        )
    called = _last(others, "call")
    if called is not None:
        return Conflict(ConflictKind.CALLED, by_user_id=called.user_id, at=called.at)
    return None


def _last(changes: tuple[OtherChange, ...], what: str) -> OtherChange | None:
    found = [change for change in changes if change.what == what]
    return max(found, key=lambda change: change.at) if found else None
