"""Undoing an import as one, and the list of past imports to undo from.

An undo removes the leads the import created, unless someone worked them since (a call,
an answer, a decision, a claim, a callback, a reassignment, a nurture track, a hand-off,
another import's change, a merge): those stay and are listed with the reason. It puts back
the values an "update" import replaced, unless they changed again since (listed too), and
removes the engagement events an activity import added. Recorded in the leads' history
and in the audit trail; the batch says when and by whom it was undone.

Undoing is a team lead's act (:data:`Action.UNDO_IMPORTS`): it removes leads, which on a
team's server only team leads may, and it reaches leads other reps are working. A rep who
imported the wrong file asks a team lead.

Like the import, one long write: one transaction on PostgreSQL; on SQLite the undo is
planned without the write lock, then done lead by lead in short transactions (a killed
process's undo is finished by the next start, see services/long_writes.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, aliased

from teleprospect.core.audit import AuditKind
from teleprospect.core.dedupe_keys import match_key, person_key
from teleprospect.core.domain import HistoryKind, ImportKind, ImportStatus
from teleprospect.core.errors import NotFound, Refused
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.permissions import Action
from teleprospect.services.audit.record import listed_ids, record_audit
from teleprospect.services.identity.permissions import require_user
from teleprospect.services.imports.import_changes import (
    FIELD_LABELS,
    PHONE_ADDED,
    PRIMARY_PHONE,
    PRIMARY_PHONE_FIELDS,
    ReplacedValue,
    record_replaced,
)
from teleprospect.services.scoring.scores import rescore_lead, rules_in_session
from teleprospect.services.settings.team_settings import PRIORITY_WEIGHTS, read_setting
from teleprospect.store.clock import database_now
from teleprospect.store.database import Database
from teleprospect.store.models import (
    Call,
    CallbackEntry,
    EngagementEvent,
    HandoffItem,
    ImportBatch,
    ImportChange,
    Lead,
    LeadAnswer,
    LeadHistory,
    LeadPhone,
    NurtureEnrollment,
    ReassignmentMove,
    User,
)
from teleprospect.store.staging import ChunkSizer, LongWrite

__all__ = [
    "REMOVE_IMPORTED",
    "REMOVE_IMPORTED_EVENTS",
    "RESTORE_VALUES",
    "ImportBatchSummary",
    "ImportUndoRefused",
    "KeptLead",
    "KeptValue",
    "UndoneImport",
    "apply_undo",
    "import_batches",
    "undo_import",
]

#: Ids per statement when many leads are read or changed at once.
CHUNK = 500
#: How many kept leads and values a result lists in its sentence (all are in its lists).
LISTED = 10

#: The changes an undo keeps aside for each lead (see :func:`apply_undo`).
REMOVE_IMPORTED = "remove imported lead"
RESTORE_VALUES = "restore imported values"
REMOVE_IMPORTED_EVENTS = "remove imported events"


class ImportUndoRefused(Refused):
    """The import cannot be undone (already undone, a dry run): one sentence why."""


@dataclass(frozen=True, slots=True)
class KeptLead:
    """A lead the import created that stays, and why."""

    lead_id: int
    name: str
    why: str


@dataclass(frozen=True, slots=True)
class KeptValue:
    """A value the import replaced that is not put back, and why."""

    lead_id: int
    name: str
    field: str
    why: str


@dataclass(frozen=True, slots=True)
class UndoneImport:
    batch_id: int
    file_name: str
    removed: int
    restored: int
    events_removed: int
    kept: tuple[KeptLead, ...]
    kept_values: tuple[KeptValue, ...]

    def describe(self) -> str:
        text = f"Import #{self.batch_id} ({self.file_name}) undone: {_count(self.removed, 'lead')}"
        text += f" removed, {_count(self.restored, 'value')} put back"
        if self.events_removed:
            text += f", {_count(self.events_removed, 'engagement event')} removed"
        text += "."
        if self.kept:
            text += f" {_count(len(self.kept), 'lead')} kept, worked since: " + "; ".join(
                f"#{k.lead_id} {k.name} ({k.why})" for k in self.kept[:LISTED]
            )
            text += "…" if len(self.kept) > LISTED else "."
        if self.kept_values:
            text += f" {_count(len(self.kept_values), 'value')} left as changed since: "
            text += "; ".join(
                f"#{v.lead_id} {v.name} {FIELD_LABELS.get(v.field, v.field).lower()} ({v.why})"
                for v in self.kept_values[:LISTED]
            )
            text += "…" if len(self.kept_values) > LISTED else "."
        return text


@dataclass(frozen=True, slots=True)
class ImportBatchSummary:
    """One import, for the list of past imports."""

    id: int
    kind: ImportKind
    file_name: str
    started_at: datetime
    by: str
    rows: int
    imported: int
    updated: int
    rejected: int
    undone_at: datetime | None
    undone_by: str
    undo_note: str


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _chunks(ids: Sequence[int], size: int = CHUNK) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


# ----------------------------------------------------------------------------- the list


def import_batches(db: Database, *, limit: int = 100) -> list[ImportBatchSummary]:
    """The latest imports that committed, newest first (for a list offering undo)."""
    undoer_account = aliased(User)
    undoer = (
        select(undoer_account.name)
        .where(undoer_account.id == ImportBatch.undone_by_id)
        .scalar_subquery()
    )
    with db.read() as session:
        rows = session.execute(
            select(ImportBatch, User.name, undoer)
            .outerjoin(User, User.id == ImportBatch.user_id)
            .where(ImportBatch.status == ImportStatus.COMMITTED)
            .order_by(ImportBatch.id.desc())
            .limit(limit)
        ).all()
        return [
            ImportBatchSummary(
                b.id,
                b.kind,
                b.file_name,
                b.started_at,
                name or b.login,
                b.rows,
                b.imported,
                b.updated,
                b.rejected,
                b.undone_at,
                undone_by or "",
                b.undo_note,
            )
            for b, name, undone_by in rows
        ]


# ----------------------------------------------------------------------------- the undo

Progress = Callable[[int, int], None]


def undo_import(
    db: Database, batch_id: int, user_id: int, *, progress: Progress | None = None
) -> UndoneImport:
    """Undo import ``batch_id`` as the module docstring says; ``progress(done, total)``
    after each short transaction. Raises NotFound, ImportUndoRefused, PermissionDenied."""
    with LongWrite(db, "undo of an import", about=f"import #{batch_id}") as write:
        with write.reading() as session:
            plan = _plan(session, batch_id, user_id)
        changes = plan.changes
        write.in_steps(
            len(changes),
            lambda session, a, b: write.keep_changes(session, changes[a:b]),
            ChunkSizer(1_000),
        )
        with write.publish(changes_follow=bool(changes)) as session:
            batch = session.get(ImportBatch, batch_id)
            assert batch is not None  # read above
            now = database_now(session)
            batch.undone_at = now
            batch.undone_by_id = plan.user_id
            batch.undo_note = _note(plan)[:4000]
            _audit(session, plan, batch)
        done = 0

        def apply(session: Session, kept_aside: list[tuple[int, dict[str, Any]]]) -> None:
            nonlocal done
            apply_undo(session, kept_aside)
            done += len(kept_aside)
            if progress:
                progress(done, len(changes))

        write.apply_changes(apply)
        write.finish()
    return UndoneImport(
        batch_id,
        plan.file_name,
        plan.removed,
        plan.restored,
        plan.events,
        tuple(plan.kept),
        tuple(plan.kept_values),
    )


@dataclass
class _Plan:
    user_id: int
    actor: str
    file_name: str
    changes: list[tuple[int, dict[str, Any]]]
    kept: list[KeptLead]
    kept_values: list[KeptValue]
    removed: int = 0
    restored: int = 0
    events: int = 0


def _plan(session: Session, batch_id: int, user_id: int) -> _Plan:
    actor = require_user(session, user_id, Action.UNDO_IMPORTS)
    batch = session.get(ImportBatch, batch_id)
    if batch is None or batch.status is not ImportStatus.COMMITTED:
        raise NotFound(f"There is no import #{batch_id}.")
    if batch.undone_at is not None:
        raise ImportUndoRefused(
            f"Import #{batch_id} ({batch.file_name}) was already undone on "
            f"{batch.undone_at:%Y-%m-%d %H:%M} UTC."
        )
    about = f"import #{batch_id} ({batch.file_name})"
    plan = _Plan(actor.user_id or user_id, actor.display, batch.file_name, [], [], [])
    at = database_now(session).isoformat()
    # Leads it created: removed unless worked since.
    created = list(
        session.scalars(
            select(Lead.id).where(Lead.import_batch_id == batch_id).order_by(Lead.id.desc())
        )
    )
    names = _names(session, created)
    worked = worked_since_import(session, created, batch_id)
    for lead_id in created:
        if lead_id in worked:
            plan.kept.append(KeptLead(lead_id, names.get(lead_id, ""), worked[lead_id]))
        else:
            plan.changes.append((lead_id, {"do": REMOVE_IMPORTED, "batch": batch_id}))
    plan.removed = len(plan.changes)
    # Values it replaced: put back unless changed again since.
    by_lead: dict[int, list[ImportChange]] = defaultdict(list)
    for change in session.scalars(
        select(ImportChange)
        .where(ImportChange.batch_id == batch_id, ImportChange.undone.is_(False))
        .order_by(ImportChange.id)
    ):
        by_lead[change.lead_id].append(change)
    names = _names(session, list(by_lead))
    for lead_id, lead_changes in by_lead.items():
        restore, refused = _restorable(session, lead_id, lead_changes)
        plan.kept_values += [
            KeptValue(lead_id, names.get(lead_id, ""), field, why) for field, why in refused
        ]
        if restore:
            plan.restored += len(restore)
            plan.changes.append(
                (
                    lead_id,
                    {
                        "do": RESTORE_VALUES,
                        "batch": batch_id,
                        "changes": restore,
                        "by": plan.user_id,
                        "about": about,
                        "at": at,
                    },
                )
            )
    # Engagement events it added (an activity import).
    for lead_id, events in session.execute(
        select(EngagementEvent.lead_id, func.count())
        .where(EngagementEvent.import_batch_id == batch_id)
        .group_by(EngagementEvent.lead_id)
        .order_by(EngagementEvent.lead_id)
    ):
        plan.events += events
        plan.changes.append((lead_id, {"do": REMOVE_IMPORTED_EVENTS, "batch": batch_id}))
    return plan


def _names(session: Session, lead_ids: Sequence[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    for chunk in _chunks(lead_ids):
        for row in session.execute(
            select(Lead.id, Lead.first_name, Lead.last_name, Lead.company).where(Lead.id.in_(chunk))
        ):
            names[row.id] = f"{row.first_name} {row.last_name}".strip() or row.company
    return names


def worked_since_import(session: Session, lead_ids: Sequence[int], batch_id: int) -> dict[int, str]:
    """The leads of ``lead_ids`` (created by import ``batch_id``) that someone worked since,
    each with the first reason found, in words."""
    worked: dict[int, str] = {}

    def note(rows: Iterable[Any], why: Callable[[Any], str]) -> None:
        for row in rows:
            worked.setdefault(row[0], why(row))

    for chunk in _chunks(lead_ids):
        note(
            session.execute(
                select(Lead.id, Lead.status, Lead.claimed_by_id, Lead.attempts).where(
                    Lead.id.in_(chunk),
                    (Lead.status != LeadStatus.NEW)
                    | Lead.claimed_by_id.is_not(None)
                    | (Lead.attempts > 0),
                )
            ),
            lambda r: "claimed" if r[2] is not None else f"now {r[1].label.lower()}",
        )
        for model, why in (
            (Call, "called"),
            (LeadAnswer, "answers recorded"),
            (CallbackEntry, "a callback"),
            (NurtureEnrollment, "in a nurture track"),
            (HandoffItem, "handed off"),
            (ReassignmentMove, "reassigned"),
        ):
            for (lead_id,) in session.execute(
                select(model.lead_id).where(model.lead_id.in_(chunk)).distinct()
            ):
                worked.setdefault(lead_id, why)
        # Its history beyond what the import itself wrote (do-not-call when imported).
        note(
            session.execute(
                select(LeadHistory.lead_id, LeadHistory.kind)
                .where(
                    LeadHistory.lead_id.in_(chunk),
                    (LeadHistory.user_id.is_not(None))
                    | (LeadHistory.kind != HistoryKind.DO_NOT_CALL),
                )
                .order_by(LeadHistory.id)
            ),
            lambda r: _history_why(r[1]),
        )
        note(
            session.execute(
                select(EngagementEvent.lead_id, EngagementEvent.import_batch_id)
                .where(
                    EngagementEvent.lead_id.in_(chunk),
                    (EngagementEvent.import_batch_id.is_(None))
                    | (EngagementEvent.import_batch_id != batch_id),
                )
                .distinct()
            ),
            lambda r: f"engagement from import #{r[1]}" if r[1] else "engagement recorded",
        )
    return worked


def _history_why(kind: HistoryKind) -> str:
    return {
        HistoryKind.STATUS: "status changed",
        HistoryKind.OWNER: "reassigned",
        HistoryKind.DO_NOT_CALL: "put on do-not-call",
        HistoryKind.NURTURE: "in a nurture track",
        HistoryKind.CALLBACK: "a callback",
        HistoryKind.CONTACT: "edited by hand",
        HistoryKind.IMPORT: "changed by another import",
        HistoryKind.MERGE: "another lead merged into it",
    }.get(kind, "worked")


def _current(lead: Lead, field: str) -> Any:
    if field == PRIMARY_PHONE:
        return {name: getattr(lead, name) for name in PRIMARY_PHONE_FIELDS}
    return getattr(lead, field)


def _restorable(
    session: Session, lead_id: int, changes: list[ImportChange]
) -> tuple[list[int], list[tuple[str, str]]]:
    """Of one lead's changes by an import, the ids to put back, and (field, why) for the
    others: the value changed again since (by hand, by another import, a merge)."""
    lead = session.get(Lead, lead_id)
    if lead is None:
        return [], []
    later = {
        field: batch
        for field, batch in session.execute(
            select(ImportChange.field, func.max(ImportChange.batch_id))
            .where(
                ImportChange.lead_id == lead_id,
                ImportChange.batch_id > changes[0].batch_id,
                ImportChange.undone.is_(False),
            )
            .group_by(ImportChange.field)
        )
    }
    numbers = {p.e164 for p in lead.phones}
    restore: list[int] = []
    refused: list[tuple[str, str]] = []
    for change in changes:
        field = change.field
        if field == PHONE_ADDED:
            if (change.new or {}).get("e164") in numbers:
                restore.append(change.id)
            continue  # a number removed since: nothing to take back
        if field in later and field != PHONE_ADDED:
            refused.append((field, f"changed again by import #{later[field]}"))
        elif _current(lead, field) != change.new:
            refused.append((field, "changed since"))
        else:
            restore.append(change.id)
    return restore, refused


def _note(plan: _Plan) -> str:
    parts = [f"#{k.lead_id} kept: {k.why}" for k in plan.kept]
    parts += [f"#{v.lead_id} {v.field} left: {v.why}" for v in plan.kept_values]
    return "; ".join(parts)


def _audit(session: Session, plan: _Plan, batch: ImportBatch) -> None:
    """One entry for the undo, however many leads; the leads named when they are few."""
    after: dict[str, Any] = {
        "batch_id": batch.id,
        "leads_removed": plan.removed,
        "values_put_back": plan.restored,
        "events_removed": plan.events,
    }
    if plan.kept:
        after["leads_kept"] = len(plan.kept)
        ids = listed_ids(k.lead_id for k in plan.kept)
        if ids is not None:
            after["kept_lead_ids"] = ids
    if plan.kept_values:
        after["values_left"] = len(plan.kept_values)
    removed = [lead_id for lead_id, c in plan.changes if c["do"] == REMOVE_IMPORTED]
    ids = listed_ids(removed)
    if ids is not None and removed:
        after["removed_lead_ids"] = ids
    record_audit(
        session,
        AuditKind.IMPORT_UNDONE,
        user_id=plan.user_id,
        subject=f"import #{batch.id} ({batch.file_name})",
        before={"imported": batch.imported, "updated": batch.updated},
        after=after,
    )


# ----------------------------------------------------------------------------- applying


def apply_undo(session: Session, changes: list[tuple[int, dict[str, Any]]]) -> None:
    """Carry out what an undo planned (changes it kept aside), in order. A lead to remove
    that someone started to work meanwhile stays; a value changed meanwhile stays."""
    remove = [(i, c) for i, c in changes if c["do"] == REMOVE_IMPORTED]
    if remove:
        _remove_leads(session, remove)
    restore = [(i, c) for i, c in changes if c["do"] == RESTORE_VALUES]
    events = [(i, c) for i, c in changes if c["do"] == REMOVE_IMPORTED_EVENTS]
    if not restore and not events:
        return
    now = database_now(session)
    rules = rules_in_session(session)
    weights = read_setting(session, PRIORITY_WEIGHTS)
    for lead_id, change in restore:
        _restore_values(session, lead_id, change)
    for lead_id, change in events:
        session.execute(
            delete(EngagementEvent).where(
                EngagementEvent.lead_id == lead_id,
                EngagementEvent.import_batch_id == change["batch"],
            )
        )
    for lead_id in dict.fromkeys(i for i, _ in [*restore, *events]):
        lead = session.get(Lead, lead_id)
        if lead is not None:
            rescore_lead(session, lead, now=now, rules=rules, weights=weights)
    session.flush()


def _remove_leads(session: Session, remove: list[tuple[int, dict[str, Any]]]) -> None:
    by_batch: dict[int, list[int]] = defaultdict(list)
    for lead_id, change in remove:
        by_batch[change["batch"]].append(lead_id)
    for batch_id, lead_ids in by_batch.items():
        # Locked, and looked at again: a rep may have claimed one since the plan.
        locked = list(
            session.scalars(select(Lead.id).where(Lead.id.in_(lead_ids)).with_for_update(of=Lead))
        )
        worked = worked_since_import(session, locked, batch_id)
        gone = [lead_id for lead_id in locked if lead_id not in worked]
        if not gone:
            continue
        # Leads imported later as "possibly the same as" one of these point at nothing.
        session.execute(
            update(Lead)
            .where(Lead.possible_duplicate_of_id.in_(gone))
            .values(possible_duplicate_of_id=None)
            .execution_options(synchronize_session=False)
        )
        session.execute(
            delete(Lead).where(Lead.id.in_(gone)).execution_options(synchronize_session=False)
        )


def _restore_values(session: Session, lead_id: int, change: dict[str, Any]) -> None:
    lead = session.get(Lead, lead_id, with_for_update=True)
    if lead is None:
        return
    rows = list(
        session.scalars(
            select(ImportChange)
            .where(ImportChange.id.in_(change["changes"]), ImportChange.undone.is_(False))
            .order_by(ImportChange.id.desc())  # the last change first, back to the first
        )
    )
    put_back: list[ReplacedValue] = []
    for row in rows:
        if row.field == PHONE_ADDED:
            e164 = (row.new or {}).get("e164")
            if e164 and e164 != lead.phone_e164:
                session.execute(
                    delete(LeadPhone).where(LeadPhone.lead_id == lead_id, LeadPhone.e164 == e164)
                )
                put_back.append((row.field, row.new, None))
        elif _current(lead, row.field) == row.new:
            if row.field == PRIMARY_PHONE:
                for name, value in (row.old or {}).items():
                    setattr(lead, name, value)
            else:
                setattr(lead, row.field, row.old)
            put_back.append((row.field, row.new, row.old))
        else:
            continue
        row.undone = True
    if not put_back:
        return
    session.expire(lead, ["phones"])
    lead.match_key = match_key(person_key(lead.first_name, lead.last_name), lead.company)
    record_replaced(
        session,
        lead_id,
        put_back,
        batch_id=change["batch"],
        user_id=change.get("by"),
        about=change.get("about", ""),
        at=datetime.fromisoformat(change["at"]),
        undo=True,
    )
