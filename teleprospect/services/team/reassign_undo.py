"""Undoing a reassignment as one, and the list of past reassignments to undo from.

An undo puts the leads back with their previous owners, with the callbacks and nurture
enrollments that moved along; it leaves alone, and names, the leads that moved again
since or whose previous owner left.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, false, func, insert, select, update
from sqlalchemy.orm import Session

from teleprospect.core.audit import AuditKind
from teleprospect.core.domain import HistoryKind
from teleprospect.core.permissions import Action, Actor, PermissionDenied, allowed
from teleprospect.services.audit.record import listed_ids, record_audit
from teleprospect.services.identity.permissions import require_user
from teleprospect.services.team.reassign import (
    CHUNK,
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
    whose previous owner is deactivated, stay where they are and are listed."""
    now = (now or utcnow()).astimezone(UTC)
    with db.write() as session:
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
        for move in moves:
            row = leads.get(move.lead_id)
            if row is None:  # the lead was erased since
                move.undone = True
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
        callbacks_restored = _undo_moves(session, actor, batch, restore, now)
        batch.undone_at = now
        batch.undone_by_id = actor.user_id
        if refused:
            batch.undo_note = "; ".join(f"#{r.lead_id} {r.why}" for r in refused)[:4000]
        _audit(session, actor, batch, restore, refused, callbacks_restored)
        return UndoResult(
            batch_id,
            len(restore),
            callbacks_restored,
            sum(len(m.enrollments or []) for m in restore),
            tuple(refused),
        )


def _audit(
    session: Session,
    actor: Actor,
    batch: ReassignmentBatch,
    restored: list[ReassignmentMove],
    refused: list[RefusedUndo],
    callbacks_restored: int,
) -> None:
    """One entry for the undo, however many leads: who had them and who has them again,
    counted by login, and the leads left as they are (their ids when they are few)."""
    undone: dict[str, Any] = {
        "owners": count_by_owner(session, [m.from_owner_id for m in restored]),
        "batch_id": batch.id,
        "leads": len(restored),
        "callbacks": callbacks_restored,
    }
    if refused:
        undone["left_as_they_are"] = len(refused)
        ids = listed_ids(r.lead_id for r in refused)
        if ids is not None:
            undone["left_lead_ids"] = ids
    ids = listed_ids(m.lead_id for m in restored)
    if ids is not None:
        undone["lead_ids"] = ids
    record_audit(
        session,
        AuditKind.REASSIGNMENT_UNDONE,
        user_id=actor.user_id,
        lead_id=restored[0].lead_id if len(restored) == 1 else None,
        subject=f"reassignment #{batch.id}",
        before={"owners": count_by_owner(session, [m.to_owner_id for m in restored])},
        after=undone,
    )


def _undo_moves(
    session: Session,
    actor: Actor,
    batch: ReassignmentBatch,
    moves: list[ReassignmentMove],
    now: datetime,
) -> int:
    by_owner: dict[int | None, list[int]] = defaultdict(list)
    for move in moves:
        by_owner[move.from_owner_id].append(move.lead_id)
    for owner, lead_ids in by_owner.items():
        set_owner(session, lead_ids, owner, now)
    restored = 0
    for move in moves:
        for callback_id, before in move.callbacks or []:
            # execute() of an UPDATE gives a CursorResult; its typing says only Result.
            restored += cast(
                CursorResult[Any],
                session.execute(
                    update(CallbackEntry)
                    .where(
                        CallbackEntry.id == callback_id,
                        CallbackEntry.done_at.is_(None),
                        CallbackEntry.owner_id == move.to_owner_id,
                    )
                    .values(owner_id=before)
                    .execution_options(synchronize_session=False)
                ),
            ).rowcount
    logins = logins_of(session, [m.from_owner_id for m in moves] + [m.to_owner_id for m in moves])
    history = [
        {
            "lead_id": move.lead_id,
            "user_id": actor.user_id,
            "at": now,
            "kind": HistoryKind.OWNER,
            "from_value": logins.get(move.to_owner_id),
            "to_value": logins.get(move.from_owner_id) if move.from_owner_id else None,
            "reason": f"Reassignment #{batch.id} undone by {actor.display}.",
        }
        for move in moves
    ]
    for start in range(0, len(history), CHUNK):
        session.execute(insert(LeadHistory), history[start : start + CHUNK])
    for move in moves:
        move.undone = True
    return restored


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
