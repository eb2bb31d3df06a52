"""Undoing a reassignment as one, and the list of past reassignments to undo from.

An undo puts the leads back with their previous owners, with the callbacks and nurture
enrollments that moved along; it leaves alone, and names, the leads that moved again
since or whose previous owner left.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import false, func, insert, select, update
from sqlalchemy.orm import Session

from teleprospect.core.audit import AuditKind
from teleprospect.core.domain import HistoryKind
from teleprospect.core.permissions import Action, Actor, PermissionDenied, allowed
from teleprospect.services.audit.record import listed_ids, record_audit
from teleprospect.services.identity.permissions import require_user
from teleprospect.services.team.reassign import (
    ReassignError,
    count_by_owner,
    in_chunks,
    logins_of,
    set_owner,
)
from teleprospect.store.database import Database
from teleprospect.store.models import (
    CallbackEntry,
    Lead,
    LeadHistory,
    ReassignmentBatch,
    ReassignmentMove,
    User,
)
from teleprospect.store.staging import ChunkSizer, LongWrite
from teleprospect.store.types import utcnow

__all__ = [
    "RefusedUndo",
    "ReassignmentSummary",
    "UndoResult",
    "reassignment_batches",
    "undo_reassignment",
]


@dataclass(frozen=True, slots=True)
class RefusedUndo:
    lead_id: int
    name: str
    why: str


@dataclass(frozen=True, slots=True)
class UndoResult:
    batch_id: int
    restored: int
    callbacks_restored: int
    enrollments_restored: int
    refused: tuple[RefusedUndo, ...]

    def describe(self) -> str:
        text = f"Reassignment #{self.batch_id} undone: {self.restored:,} lead"
        text += f"{'s' if self.restored != 1 else ''} back with their previous owner."
        if self.refused:
            text += f" {len(self.refused):,} left as they are: " + "; ".join(
                f"#{r.lead_id} {r.name} ({r.why})" for r in self.refused[:10]
            )
            text += "…" if len(self.refused) > 10 else "."
        return text


@dataclass(frozen=True, slots=True)
class ReassignmentSummary:
    """One reassignment batch, for the list of past reassignments."""

    id: int
    at: datetime
    by_name: str
    reason: str
    selection: str
    spread: str
    moved: int
    skipped_claimed: int
    undone_at: datetime | None
    undo_note: str


def undo_reassignment(
    db: Database, batch_id: int, user_id: int, *, now: datetime | None = None
) -> UndoResult:
    """Put the leads of reassignment ``batch_id`` back with their previous owners, with
    the callbacks (and enrollments) that moved along. Leads that moved again since, or
    whose previous owner is deactivated, stay where they are and are listed.

    Like :func:`~teleprospect.services.team.reassign.reassign`, one long write: one
    transaction on PostgreSQL; on SQLite the undo is decided without the write lock, then
    the leads move back in short transactions, each whole."""
    now = (now or utcnow()).astimezone(UTC)
    with LongWrite(db, "undo of a reassignment", about=f"reassignment #{batch_id}") as write:
        with write.reading() as session:
            undo = _plan_undo(session, batch_id, user_id, now)
        changes = undo.changes
        write.in_steps(
            len(changes),
            lambda session, a, b: write.keep_changes(session, changes[a:b]),
            ChunkSizer(1_000),
        )
        with write.publish(changes_follow=bool(changes)) as session:
            batch = session.get(ReassignmentBatch, batch_id)
            assert batch is not None  # read above
            batch.undone_at = now
            batch.undone_by_id = undo.actor.user_id
            if undo.refused:
                batch.undo_note = "; ".join(f"#{r.lead_id} {r.why}" for r in undo.refused)[:4000]
            _audit(session, undo, batch)
            if undo.gone:  # leads erased since: nothing to put back
                session.execute(
                    update(ReassignmentMove)
                    .where(ReassignmentMove.id.in_(undo.gone))
                    .values(undone=True)
                    .execution_options(synchronize_session=False)
                )
        write.apply_changes(apply_moves_back)
        write.finish()
    return UndoResult(
        batch_id,
        len(changes),
        undo.callbacks_restored,
        sum(len(change["enrollments"]) for _, change in changes),
        tuple(undo.refused),
    )


@dataclass
class _Undo:
    actor: Actor
    #: (lead id, change) for each lead to put back.
    changes: list[tuple[int, dict[str, Any]]]
    refused: list[RefusedUndo]
    #: Moves of leads erased since.
    gone: list[int]
    callbacks_restored: int


def _plan_undo(session: Session, batch_id: int, user_id: int, now: datetime) -> _Undo:
    actor = require_user(session, user_id, Action.REASSIGN_OWN_LEADS)
    batch = session.get(ReassignmentBatch, batch_id)
    if batch is None:
        raise ReassignError(f"There is no reassignment #{batch_id}.")
    if batch.user_id != actor.user_id and not allowed(actor, Action.REASSIGN_OTHERS_LEADS):
        raise PermissionDenied(
            f"Only a team lead can undo someone else's reassignment; {actor.display} is a "
            f"{actor.role.label.lower()}.",
            action=Action.REASSIGN_OTHERS_LEADS,
        )
    moves = list(
        session.scalars(
            select(ReassignmentMove)
            .where(ReassignmentMove.batch_id == batch_id, ReassignmentMove.undone == false())
            .order_by(ReassignmentMove.id)
        )
    )
    if not moves:
        when = f" on {batch.undone_at:%Y-%m-%d %H:%M} UTC" if batch.undone_at else ""
        raise ReassignError(f"Reassignment #{batch_id} was already undone{when}.")
    lead_ids = [m.lead_id for m in moves]
    leads: dict[int, Any] = {}
    later: dict[int, int] = {}
    for chunk in in_chunks(lead_ids):
        for lead_row in session.execute(
            select(Lead.id, Lead.first_name, Lead.last_name, Lead.owner_id)
            .where(Lead.id.in_(chunk))
            .with_for_update(of=Lead)
        ):
            leads[lead_row.id] = lead_row
        for lead_id, later_batch in session.execute(
            select(ReassignmentMove.lead_id, func.min(ReassignmentMove.batch_id))
            .where(
                ReassignmentMove.lead_id.in_(chunk),
                ReassignmentMove.batch_id > batch_id,
                ReassignmentMove.undone == false(),
            )
            .group_by(ReassignmentMove.lead_id)
        ):
            later[lead_id] = later_batch
    users = {
        u.id: u
        for u in session.scalars(
            select(User).where(
                User.id.in_(
                    {m.from_owner_id for m in moves if m.from_owner_id}
                    | {row.owner_id for row in leads.values() if row.owner_id}
                )
            )
        )
    }
    refused: list[RefusedUndo] = []
    restore: list[ReassignmentMove] = []
    gone: list[int] = []
    for move in moves:
        row = leads.get(move.lead_id)
        if row is None:  # the lead was erased since
            gone.append(move.id)
            continue
        name = f"{row.first_name} {row.last_name}".strip()
        previous = users.get(move.from_owner_id) if move.from_owner_id else None
        if move.lead_id in later:
            why = f"moved again by reassignment #{later[move.lead_id]}"
        elif row.owner_id != move.to_owner_id:
            now_owner = users.get(row.owner_id) if row.owner_id else None
            why = f"now owned by {now_owner.name if now_owner else 'nobody'}"
        elif previous is not None and not previous.is_active:
            why = f"{previous.name} is deactivated"
        else:
            restore.append(move)
            continue
        refused.append(RefusedUndo(move.lead_id, name, why))
    logins = logins_of(
        session, [m.from_owner_id for m in restore] + [m.to_owner_id for m in restore]
    )
    reason = f"Reassignment #{batch_id} undone by {actor.display}."
    changes = [
        (
            move.lead_id,
            {
                "do": MOVE_BACK,
                "move": move.id,
                "by": actor.user_id,
                "at": now.isoformat(),
                "from": move.to_owner_id,
                "to": move.from_owner_id,
                "from_login": logins.get(move.to_owner_id),
                "to_login": logins.get(move.from_owner_id) if move.from_owner_id else None,
                "callbacks": move.callbacks or [],
                "enrollments": move.enrollments or [],
                "why": reason,
            },
        )
        for move in restore
    ]
    return _Undo(actor, changes, refused, gone, _open_callbacks(session, restore))


def _open_callbacks(session: Session, moves: list[ReassignmentMove]) -> int:
    """How many of the callbacks that moved along are still open and the new owner's."""
    wanted = {
        callback_id: move.to_owner_id
        for move in moves
        for callback_id, _before in move.callbacks or []
    }
    found = 0
    ids = list(wanted)
    for chunk in in_chunks(ids):
        for callback_id, owner_id in session.execute(
            select(CallbackEntry.id, CallbackEntry.owner_id).where(
                CallbackEntry.id.in_(chunk), CallbackEntry.done_at.is_(None)
            )
        ):
            found += owner_id == wanted[callback_id]
    return found


def _audit(session: Session, undo: _Undo, batch: ReassignmentBatch) -> None:
    """One entry for the undo, however many leads: who had them and who has them again,
    counted by login, and the leads left as they are (their ids when they are few).
    Recorded in the transaction that marks the batch undone (a killed process's moves
    back are finished at the next start)."""
    restored = undo.changes
    undone: dict[str, Any] = {
        "owners": count_by_owner(session, [change["to"] for _, change in restored]),
        "batch_id": batch.id,
        "leads": len(restored),
        "callbacks": undo.callbacks_restored,
    }
    if undo.refused:
        undone["left_as_they_are"] = len(undo.refused)
        ids = listed_ids(r.lead_id for r in undo.refused)
        if ids is not None:
            undone["left_lead_ids"] = ids
    ids = listed_ids(lead_id for lead_id, _ in restored)
    if ids is not None:
        undone["lead_ids"] = ids
    record_audit(
        session,
        AuditKind.REASSIGNMENT_UNDONE,
        user_id=undo.actor.user_id,
        lead_id=restored[0][0] if len(restored) == 1 else None,
        subject=f"reassignment #{batch.id}",
        before={"owners": count_by_owner(session, [change["from"] for _, change in restored])},
        after=undone,
    )


#: The change an undo keeps aside for each lead it puts back (see :func:`apply_moves_back`).
MOVE_BACK = "move back"


def apply_moves_back(session: Session, changes: list[tuple[int, dict[str, Any]]]) -> None:
    """Put leads back as their undo planned (changes it kept aside), each whole: owner,
    the callbacks that moved along (still open and still the new owner's), history, and
    the move marked undone. A lead whose owner changed since the plan stays as it is."""
    owners = dict(
        session.execute(
            select(Lead.id, Lead.owner_id).where(Lead.id.in_([i for i, _ in changes]))
        ).all()
    )
    moving = [
        (lead_id, change)
        for lead_id, change in changes
        if lead_id in owners and owners[lead_id] == change["from"]
    ]
    by_owner: dict[tuple[int | None, datetime], list[int]] = defaultdict(list)
    for lead_id, change in moving:
        by_owner[change["to"], datetime.fromisoformat(change["at"])].append(lead_id)
    for (owner, at), lead_ids in by_owner.items():
        set_owner(session, lead_ids, owner, at)
    for _lead_id, change in moving:
        for callback_id, before in change["callbacks"]:
            session.execute(
                update(CallbackEntry)
                .where(
                    CallbackEntry.id == callback_id,
                    CallbackEntry.done_at.is_(None),
                    CallbackEntry.owner_id == change["from"],
                )
                .values(owner_id=before)
                .execution_options(synchronize_session=False)
            )
    if not moving:
        return
    session.execute(
        insert(LeadHistory),
        [
            {
                "lead_id": lead_id,
                "user_id": change["by"],
                "at": datetime.fromisoformat(change["at"]),
                "kind": HistoryKind.OWNER,
                "from_value": change["from_login"],
                "to_value": change["to_login"],
                "reason": change["why"],
            }
            for lead_id, change in moving
        ],
    )
    for chunk in in_chunks([change["move"] for _, change in moving]):
        session.execute(
            update(ReassignmentMove)
            .where(ReassignmentMove.id.in_(chunk))
            .values(undone=True)
            .execution_options(synchronize_session=False)
        )


def reassignment_batches(db: Database, *, limit: int = 50) -> list[ReassignmentSummary]:
    """The latest reassignments, newest first (for a list offering undo)."""
    with db.read() as session:
        rows = session.execute(
            select(ReassignmentBatch, User.name)
            .outerjoin(User, User.id == ReassignmentBatch.user_id)
            .order_by(ReassignmentBatch.id.desc())
            .limit(limit)
        ).all()
        return [
            ReassignmentSummary(
                b.id,
                b.at,
                name or "",
                b.reason,
                b.selection,
                b.spread,
                b.moved,
                b.skipped_claimed,
                b.undone_at,
                b.undo_note,
            )
            for b, name in rows
        ]
