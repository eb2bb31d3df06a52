"""Reassigning leads between reps (undoing one: :mod:`reassign_undo`).

A reassignment selects leads (by filter or by hand), moves them to one rep or spreads
them over several (in turn, or to the least loaded), and takes along what belongs to the
lead's owner: open personal callbacks become the new owner's, open nurture enrollments
follow. Leads someone is working right now (a live claim) are skipped and listed, unless
the team lead includes them. Every move writes the lead's history (who, when, from, to,
why) and the whole reassignment is one recorded batch that can be undone as one; an undo
leaves alone, and names, the leads that moved again since.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from teleprospect.core.audit import AuditKind
from teleprospect.core.domain import HistoryKind
from teleprospect.core.errors import Invalid
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.permissions import Action, Actor, PermissionDenied, allowed
from teleprospect.core.reassignment import Spread, plan_spread
from teleprospect.services.audit.record import listed_ids, record_audit
from teleprospect.services.clock import decision_time
from teleprospect.services.errors import UnknownUser
from teleprospect.services.identity.permissions import require_user
from teleprospect.services.scoring.scores import rules_in_session
from teleprospect.services.team.users import OPEN_STATUSES
from teleprospect.store.database import Database
from teleprospect.store.models import (
    CallbackEntry,
    Campaign,
    Lead,
    LeadHistory,
    NurtureEnrollment,
    ReassignmentBatch,
    ReassignmentMove,
    User,
)
from teleprospect.store.staging import ChunkSizer, LongWrite

__all__ = [
    "ClaimedLeadInfo",
    "LeadMove",
    "LeadSelection",
    "NothingToReassign",
    "ReassignError",
    "ReassignRequest",
    "Reassignment",
    "Spread",
    "preview_reassignment",
    "reassign",
    "select_lead_ids",
]

#: Leads per UPDATE … WHERE id IN (…): far below every backend's parameter limit.
CHUNK = 1000


class ReassignError(Invalid):
    """A reassignment (or its undo) that cannot be done; the message says why."""


class NothingToReassign(ReassignError):
    """The selection moves no lead."""


# ----------------------------------------------------------------------------- requests


@dataclass(frozen=True, slots=True)
class LeadSelection:
    """Which leads to move. Every criterion given must hold (they narrow each other);
    ``lead_ids`` are leads picked by hand in a list."""

    lead_ids: tuple[int, ...] = ()
    owner_id: int | None = None
    #: Only leads nobody owns (the team's pool).
    unowned: bool = False
    campaign_id: int | None = None
    #: Empty: the leads still being worked (new, working, nurture, sales-ready).
    statuses: tuple[LeadStatus, ...] = ()
    #: A grade of the scoring rules in force ("A", "B", …).
    grade: str | None = None
    #: ISO 3166 alpha-2 code.
    country: str | None = None
    #: Last activity: the last call attempt, else when the lead arrived.
    last_activity_before: datetime | None = None
    last_activity_after: datetime | None = None


@dataclass(frozen=True, slots=True)
class ReassignRequest:
    selection: LeadSelection
    #: One rep, or several to spread the leads over.
    to_user_ids: tuple[int, ...]
    spread: Spread = Spread.ROUND_ROBIN
    #: Move leads someone is working right now as well (the team lead confirmed).
    include_claimed: bool = False
    #: Why, for the leads' history ("Sam is on holiday").
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ClaimedLeadInfo:
    lead_id: int
    name: str
    company: str
    holder_id: int
    holder_name: str
    claim_expires_at: datetime


@dataclass(frozen=True, slots=True)
class LeadMove:
    lead_id: int
    name: str
    company: str
    from_owner_id: int | None
    from_owner_name: str | None
    to_owner_id: int
    to_owner_name: str
    callbacks_moved: int = 0
    enrollments_moved: int = 0


@dataclass(frozen=True, slots=True)
class Reassignment:
    """What a reassignment does (a preview, ``batch_id`` None) or did."""

    batch_id: int | None
    #: Leads the selection found.
    selected: int
    moves: tuple[LeadMove, ...]
    #: Leads someone was working: skipped, or moved anyway when ``include_claimed``.
    claimed: tuple[ClaimedLeadInfo, ...]
    claimed_included: bool
    #: Leads that already belonged to the rep they would go to.
    unchanged: tuple[int, ...]
    #: (user id, name, leads they get), in the order the reps were given.
    per_user: tuple[tuple[int, str, int], ...]
    callbacks_moved: int
    #: Open nurture enrollments of the moved leads: they belong to the lead and follow it.
    enrollments_moved: int

    @property
    def moved(self) -> int:
        return len(self.moves)

    @property
    def skipped_claimed(self) -> int:
        return 0 if self.claimed_included else len(self.claimed)

    def describe(self) -> str:
        verb = "Moved" if self.batch_id is not None else "Would move"
        spread = ", ".join(f"{n} to {name}" for _, name, n in self.per_user if n)
        text = f"{verb} {self.moved:,} lead{'s' if self.moved != 1 else ''}"
        text += f" ({spread})" if spread else ""
        if self.callbacks_moved:
            text += f" with {self.callbacks_moved:,} open callback"
            text += "s" if self.callbacks_moved != 1 else ""
        text += "."
        if self.skipped_claimed:
            text += (
                f" Skipped {self.skipped_claimed:,} lead"
                f"{'s' if self.skipped_claimed != 1 else ''} someone is working right now."
            )
        if self.unchanged:
            text += f" {len(self.unchanged):,} already belonged to that rep."
        return text


# ----------------------------------------------------------------------------- selecting


def _grade_conditions(session: Session, grade: str) -> list[ColumnElement[bool]]:
    bands = rules_in_session(session).rules.thresholds.bands  # highest first
    for i, band in enumerate(bands):
        if band.grade.upper() == grade.upper():
            found: list[ColumnElement[bool]] = [Lead.score >= band.min_score]
            if i > 0:
                found.append(Lead.score < bands[i - 1].min_score)
            return found
    known = ", ".join(b.grade for b in bands)
    raise ReassignError(f"There is no grade {grade!r} (the grades are {known}).")


def _selection_conditions(session: Session, sel: LeadSelection) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if sel.lead_ids:
        found.append(Lead.id.in_(sorted(set(sel.lead_ids))))
    if sel.owner_id is not None:
        found.append(Lead.owner_id == sel.owner_id)
    if sel.unowned:
        found.append(Lead.owner_id.is_(None))
    if sel.campaign_id is not None:
        found.append(Lead.campaign_id == sel.campaign_id)
    statuses = sel.statuses or OPEN_STATUSES
    found.append(Lead.status.in_([LeadStatus(s).value for s in statuses]))
    if sel.grade:
        found.extend(_grade_conditions(session, sel.grade))
    if sel.country:
        found.append(Lead.country == sel.country.strip().upper())
    last_activity = func.coalesce(Lead.last_attempt_at, Lead.created_at)
    if sel.last_activity_before is not None:
        found.append(last_activity < sel.last_activity_before)
    if sel.last_activity_after is not None:
        found.append(last_activity >= sel.last_activity_after)
    return found


def _describe_selection(session: Session, sel: LeadSelection) -> str:
    parts = []
    if sel.lead_ids:
        parts.append(f"{len(set(sel.lead_ids)):,} leads picked by hand")
    if sel.owner_id is not None:
        parts.append(f"owner {_name(session, sel.owner_id)}")
    if sel.unowned:
        parts.append("no owner")
    if sel.campaign_id is not None:
        campaign = session.get(Campaign, sel.campaign_id)
        parts.append(f"campaign {campaign.name if campaign else sel.campaign_id}")
    if sel.statuses:
        parts.append("status " + " or ".join(LeadStatus(s).label for s in sel.statuses))
    if sel.grade:
        parts.append(f"grade {sel.grade.upper()}")
    if sel.country:
        parts.append(f"country {sel.country.upper()}")
    if sel.last_activity_before:
        parts.append(f"last activity before {sel.last_activity_before:%Y-%m-%d %H:%M} UTC")
    if sel.last_activity_after:
        parts.append(f"last activity since {sel.last_activity_after:%Y-%m-%d %H:%M} UTC")
    return ", ".join(parts) or "all open leads"


def select_lead_ids(db: Database, selection: LeadSelection) -> list[int]:
    """The ids of the leads ``selection`` finds, in id order (for a list to confirm)."""
    with db.read() as session:
        return list(
            session.scalars(
                select(Lead.id).where(*_selection_conditions(session, selection)).order_by(Lead.id)
            )
        )


# ----------------------------------------------------------------------------- planning


@dataclass
class _Plan:
    actor: Actor
    targets: list[User]
    selected: int
    moves: list[LeadMove]
    claimed: list[ClaimedLeadInfo]
    unchanged: list[int]
    #: lead id → [(callback id, owner before)]
    callbacks: dict[int, list[tuple[int, int | None]]] = field(default_factory=dict)
    #: lead id → [(enrollment id, None)]: enrollments have no owner of their own
    enrollments: dict[int, list[tuple[int, int | None]]] = field(default_factory=dict)


def _name(session: Session, user_id: int | None) -> str:
    if user_id is None:
        return "nobody"
    return session.scalar(select(User.name).where(User.id == user_id)) or f"user #{user_id}"


def in_chunks(ids: Sequence[int], size: int = CHUNK) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _targets(session: Session, user_ids: Sequence[int]) -> list[User]:
    if not user_ids:
        raise ReassignError("Choose at least one rep to move the leads to.")
    if len(set(user_ids)) != len(user_ids):
        raise ReassignError("A rep is named twice among those to move the leads to.")
    targets = []
    for user_id in user_ids:
        user = session.get(User, user_id)
        if user is None:
            raise UnknownUser(user_id)
        if not user.is_active:
            raise ReassignError(
                f"{user.name} ({user.login}) is deactivated: leads cannot go to them."
            )
        targets.append(user)
    return targets


def _open_loads(session: Session, user_ids: Sequence[int]) -> dict[int, int]:
    rows = session.execute(
        select(Lead.owner_id, func.count())
        .where(
            Lead.owner_id.in_(list(user_ids)),
            Lead.status.in_([s.value for s in OPEN_STATUSES]),
        )
        .group_by(Lead.owner_id)
    )
    return {owner: count for owner, count in rows if owner is not None}


def _plan(
    session: Session, request: ReassignRequest, user_id: int, now: datetime, *, lock: bool
) -> _Plan:
    actor = require_user(session, user_id, Action.REASSIGN_OWN_LEADS)
    targets = _targets(session, list(request.to_user_ids))
    query = (
        select(
            Lead.id,
            Lead.first_name,
            Lead.last_name,
            Lead.company,
            Lead.owner_id,
            Lead.claimed_by_id,
            Lead.claim_expires_at,
        )
        .where(*_selection_conditions(session, request.selection))
        .order_by(Lead.id)
    )
    if lock:
        query = query.with_for_update(of=Lead)
    rows = session.execute(query).all()
    if request.selection.lead_ids and not rows:
        raise NothingToReassign(
            "None of the chosen leads can be reassigned: they do not exist or are closed "
            "(handed off, accepted, rejected or disqualified)."
        )
    if not allowed(actor, Action.REASSIGN_OTHERS_LEADS):
        others = [row.id for row in rows if row.owner_id != actor.user_id]
        sel = request.selection
        if others or sel.unowned or sel.owner_id not in (None, actor.user_id):
            detail = (
                f" and {len(others):,} of the {len(rows):,} leads are not theirs" if others else ""
            )
            raise PermissionDenied(
                f"Only a team lead can reassign other people's leads; {actor.display} is a "
                f"{actor.role.label.lower()}{detail}.",
                action=Action.REASSIGN_OTHERS_LEADS,
            )
    holders = {
        u.id: u.name
        for u in session.scalars(
            select(User).where(
                User.id.in_({row.claimed_by_id for row in rows if row.claimed_by_id is not None})
            )
        )
    }
    claimed: list[ClaimedLeadInfo] = []
    eligible: list[Any] = []
    for row in rows:
        held = (
            row.claimed_by_id is not None
            and row.claim_expires_at is not None
            and row.claim_expires_at > now
        )
        if held:
            claimed.append(
                ClaimedLeadInfo(
                    row.id,
                    f"{row.first_name} {row.last_name}".strip(),
                    row.company,
                    row.claimed_by_id,
                    holders.get(row.claimed_by_id, f"user #{row.claimed_by_id}"),
                    row.claim_expires_at,
                )
            )
        if not held or request.include_claimed:
            eligible.append(row)
    target_ids = [t.id for t in targets]
    loads = _open_loads(session, target_ids) if request.spread is Spread.LEAST_LOADED else None
    try:
        plan = plan_spread([row.id for row in eligible], target_ids, request.spread, loads=loads)
    except ValueError as exc:
        raise ReassignError(str(exc)) from None
    names = {t.id: t.name for t in targets}
    owner_names = {
        u.id: u.name
        for u in session.scalars(
            select(User).where(User.id.in_({r.owner_id for r in eligible if r.owner_id}))
        )
    }
    result = _Plan(actor, targets, len(rows), [], claimed, [])
    moving = [row for row in eligible if plan[row.id] != row.owner_id]
    result.unchanged = [row.id for row in eligible if plan[row.id] == row.owner_id]
    moving_ids = [row.id for row in moving]
    for chunk in in_chunks(moving_ids):
        for callback_id, lead_id, owner_id in session.execute(
            select(CallbackEntry.id, CallbackEntry.lead_id, CallbackEntry.owner_id)
            .where(
                CallbackEntry.lead_id.in_(chunk),
                CallbackEntry.done_at.is_(None),
                CallbackEntry.owner_id.is_not(None),
            )
            .order_by(CallbackEntry.id)
        ):
            if owner_id != plan[lead_id]:
                result.callbacks.setdefault(lead_id, []).append((callback_id, owner_id))
    result.enrollments = _enrollments_to_move(session, moving_ids)
    for row in moving:
        target = plan[row.id]
        result.moves.append(
            LeadMove(
                row.id,
                f"{row.first_name} {row.last_name}".strip(),
                row.company,
                row.owner_id,
                owner_names.get(row.owner_id) if row.owner_id else None,
                target,
                names[target],
                len(result.callbacks.get(row.id, ())),
                len(result.enrollments.get(row.id, ())),
            )
        )
    return result


def _enrollments_to_move(
    session: Session, lead_ids: Sequence[int]
) -> dict[int, list[tuple[int, int | None]]]:
    """The open nurture enrollments of the moving leads. An enrollment has no owner of its
    own: it belongs to the lead, so it follows the lead's owner with nothing to update."""
    found: dict[int, list[tuple[int, int | None]]] = {}
    for chunk in in_chunks(list(lead_ids)):
        for enrollment_id, lead_id in session.execute(
            select(NurtureEnrollment.id, NurtureEnrollment.lead_id)
            .where(NurtureEnrollment.lead_id.in_(chunk), NurtureEnrollment.ended_at.is_(None))
            .order_by(NurtureEnrollment.id)
        ):
            found.setdefault(lead_id, []).append((enrollment_id, None))
    return found


def _outcome(plan: _Plan, batch_id: int | None, include_claimed: bool) -> Reassignment:
    counts: dict[int, int] = defaultdict(int)
    for move in plan.moves:
        counts[move.to_owner_id] += 1
    return Reassignment(
        batch_id=batch_id,
        selected=plan.selected,
        moves=tuple(plan.moves),
        claimed=tuple(plan.claimed),
        claimed_included=include_claimed,
        unchanged=tuple(plan.unchanged),
        per_user=tuple((t.id, t.name, counts[t.id]) for t in plan.targets),
        callbacks_moved=sum(len(v) for v in plan.callbacks.values()),
        enrollments_moved=sum(len(v) for v in plan.enrollments.values()),
    )


def preview_reassignment(
    db: Database, request: ReassignRequest, user_id: int, *, now: datetime | None = None
) -> Reassignment:
    """What :func:`reassign` would do, changing nothing: for the dialog to confirm (with
    the leads someone is working right now listed: their leases are judged on the
    database's clock)."""
    with db.read() as session:
        now = decision_time(session, now)
        return _outcome(
            _plan(session, request, user_id, now, lock=False), None, request.include_claimed
        )


def _nothing_message(plan: _Plan, include_claimed: bool) -> str:
    if plan.selected == 0:
        return "No lead matches the selection: nothing was reassigned."
    parts = []
    if plan.claimed and not include_claimed:
        n = len(plan.claimed)
        parts.append(
            f"{n:,} {'are' if n != 1 else 'is'} being worked right now (include claimed "
            "leads to move them anyway)"
        )
    if plan.unchanged:
        n = len(plan.unchanged)
        parts.append(f"{n:,} already belong{'s' if n == 1 else ''} to that rep")
    return f"None of the {plan.selected:,} selected leads was moved: " + "; ".join(parts) + "."


def reassign(
    db: Database, request: ReassignRequest, user_id: int, *, now: datetime | None = None
) -> Reassignment:
    """Move the selected leads, recorded as one batch (see the module docstring). Raises
    :class:`NothingToReassign` when no lead would move.

    It is one long write (:class:`~teleprospect.store.staging.LongWrite`). On PostgreSQL
    one transaction, the selected leads locked from the plan on. On SQLite the plan is
    read without the write lock, the batch and its moves recorded, then the leads move in
    short transactions, each lead whole (its owner, its callbacks, its history and its
    move together): for a moment some have moved and some not yet, never half of one. A
    lead someone moved or claimed between the plan and its move stays where it is (the
    batch counts it out). A process killed half-way leaves the rest to the next start.

    The audit trail's entry is recorded in the transaction that shows the batch: the
    reassignment is then done (a killed process's moves are finished at the next start)."""
    with LongWrite(db, "reassignment", about=request.reason[:200]) as write:
        with write.reading() as session:
            now = decision_time(session, now)
            plan = _plan(session, request, user_id, now, lock=True)
            if not plan.moves:
                raise NothingToReassign(_nothing_message(plan, request.include_claimed))
            selection = _describe_selection(session, request.selection)
            logins = logins_of(
                session,
                [m.from_owner_id for m in plan.moves] + [m.to_owner_id for m in plan.moves],
            )
        spread = request.spread.value if len(plan.targets) > 1 else "one"
        with write.step() as session:
            batch = ReassignmentBatch(
                user_id=plan.actor.user_id,
                at=now,
                reason=request.reason.strip(),
                spread=spread,
                selection=selection,
                moved=len(plan.moves),
                skipped_claimed=0 if request.include_claimed else len(plan.claimed),
            )
            session.add(batch)
            session.flush()
            batch_id = batch.id
        changes = _move_changes(plan, batch_id, request, logins, now)
        write.in_steps(
            len(changes),
            lambda session, a, b: write.keep_changes(session, changes[a:b]),
            ChunkSizer(1_000),
        )
        with write.publish(changes_follow=True) as session:
            session.execute(
                update(ReassignmentBatch)
                .where(ReassignmentBatch.id == batch_id)
                .values(staged_write_id=None)
            )
            recorded = session.get(ReassignmentBatch, batch_id)
            assert recorded is not None  # recorded by this write
            _audit(session, plan, recorded)
        write.apply_changes(apply_moves)
        write.finish()
    return _outcome(plan, batch_id, request.include_claimed)


#: The change a reassignment keeps aside for each lead it moves (see :func:`apply_moves`).
MOVE = "move"


def _move_changes(
    plan: _Plan,
    batch_id: int,
    request: ReassignRequest,
    logins: dict[int, str],
    now: datetime,
) -> list[tuple[int, dict[str, Any]]]:
    why = f"Reassigned by {plan.actor.display} (reassignment #{batch_id})"
    reason = request.reason.strip()
    why += f": {reason.rstrip('.')}." if reason else "."
    changes = []
    for move in plan.moves:
        callbacks = plan.callbacks.get(move.lead_id, [])
        enrollments = plan.enrollments.get(move.lead_id, [])
        extra = []
        if callbacks:
            extra.append(f"{len(callbacks)} open callback{'s' if len(callbacks) != 1 else ''}")
        if enrollments:
            extra.append("the nurture enrollment")
        changes.append(
            (
                move.lead_id,
                {
                    "do": MOVE,
                    "batch": batch_id,
                    "by": plan.actor.user_id,
                    "at": now.isoformat(),
                    "from": move.from_owner_id,
                    "to": move.to_owner_id,
                    "from_login": logins.get(move.from_owner_id) if move.from_owner_id else None,
                    "to_login": logins.get(move.to_owner_id),
                    "callbacks": [list(c) for c in callbacks],
                    "enrollments": [list(e) for e in enrollments],
                    "claimed_too": request.include_claimed,
                    "why": why + (f" With {' and '.join(extra)}." if extra else ""),
                },
            )
        )
    return changes


def apply_moves(session: Session, changes: list[tuple[int, dict[str, Any]]]) -> None:
    """Move leads as their reassignment planned (changes it kept aside), each whole: owner,
    open personal callbacks, history and the move's record. A lead whose owner changed
    since the plan, or that someone claimed meanwhile (unless claimed leads were included),
    stays where it is and the batch counts it out."""
    ids = [lead_id for lead_id, _ in changes]
    now_held: dict[int, Any] = {
        row.id: row
        for row in session.execute(
            select(Lead.id, Lead.owner_id, Lead.claimed_by_id, Lead.claim_expires_at).where(
                Lead.id.in_(ids)
            )
        )
    }
    moving: list[tuple[int, dict[str, Any]]] = []
    counted_out: dict[int, int] = defaultdict(int)
    for lead_id, change in changes:
        row = now_held.get(lead_id)
        at = datetime.fromisoformat(change["at"])
        claimed = (
            row is not None
            and row.claimed_by_id is not None
            and row.claim_expires_at is not None
            and row.claim_expires_at > at
        )
        if row is None or row.owner_id != change["from"] or (claimed and not change["claimed_too"]):
            counted_out[change["batch"]] += 1
            continue
        moving.append((lead_id, change))
    by_target: dict[tuple[int, datetime], list[int]] = defaultdict(list)
    callback_owner: dict[int, list[int]] = defaultdict(list)
    for lead_id, change in moving:
        by_target[change["to"], datetime.fromisoformat(change["at"])].append(lead_id)
        callback_owner[change["to"]] += [callback_id for callback_id, _ in change["callbacks"]]
    for (target, at), lead_ids in by_target.items():
        set_owner(session, lead_ids, target, at)
    for target, callback_ids in callback_owner.items():
        for chunk in in_chunks(callback_ids):
            session.execute(
                update(CallbackEntry)
                .where(CallbackEntry.id.in_(chunk), CallbackEntry.done_at.is_(None))
                .values(owner_id=target)
                .execution_options(synchronize_session=False)
            )
    if moving:
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
        session.execute(
            insert(ReassignmentMove),
            [
                {
                    "batch_id": change["batch"],
                    "lead_id": lead_id,
                    "from_owner_id": change["from"],
                    "to_owner_id": change["to"],
                    "callbacks": change["callbacks"],
                    "enrollments": change["enrollments"],
                    "undone": False,
                }
                for lead_id, change in moving
            ],
        )
    for batch_id, out in counted_out.items():
        session.execute(
            update(ReassignmentBatch)
            .where(ReassignmentBatch.id == batch_id)
            .values(moved=ReassignmentBatch.moved - out)
        )


def _audit(session: Session, plan: _Plan, batch: ReassignmentBatch) -> None:
    """One entry for the whole reassignment, however many leads: who had them and who has
    them now, counted by login; the batch (whose moves name every lead) and, when they are
    few, the leads' ids."""
    moved: dict[str, Any] = {
        "owners": count_by_owner(session, [m.to_owner_id for m in plan.moves]),
        "batch_id": batch.id,
        "leads": batch.moved,
        "callbacks": sum(len(v) for v in plan.callbacks.values()),
    }
    if batch.skipped_claimed:
        moved["skipped_claimed"] = batch.skipped_claimed
    if batch.reason:
        moved["reason"] = batch.reason
    ids = listed_ids(m.lead_id for m in plan.moves)
    if ids is not None:
        moved["lead_ids"] = ids
    record_audit(
        session,
        AuditKind.LEAD_REASSIGNED,
        user_id=plan.actor.user_id,
        lead_id=plan.moves[0].lead_id if len(plan.moves) == 1 else None,
        subject=f"reassignment #{batch.id}: {batch.selection}",
        before={"owners": count_by_owner(session, [m.from_owner_id for m in plan.moves])},
        after=moved,
    )


def logins_of(session: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {u for u in user_ids if u is not None}
    if not wanted:
        return {}
    return dict(session.execute(select(User.id, User.login).where(User.id.in_(wanted))).all())


def count_by_owner(session: Session, owner_ids: Sequence[int | None]) -> dict[str, int]:
    """How many of the leads whose owners are ``owner_ids`` each owner has, by login
    ("nobody": no owner), for the audit trail's before and after."""
    logins = logins_of(session, owner_ids)
    counts: dict[str, int] = {}
    for user_id in owner_ids:
        name = "nobody" if user_id is None else logins.get(user_id, f"user #{user_id}")
        counts[name] = counts.get(name, 0) + 1
    return counts


def set_owner(
    session: Session, lead_ids: Sequence[int], owner_id: int | None, now: datetime
) -> None:
    for chunk in in_chunks(list(lead_ids)):
        session.execute(
            update(Lead)
            .where(Lead.id.in_(chunk))
            .values(owner_id=owner_id, version=Lead.version + 1, updated_at=now)
            .execution_options(synchronize_session=False)
        )
