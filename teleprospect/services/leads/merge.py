"""Merging two leads that are one person: everything of both kept on one.

The other lead's calls (with their answers), history, phones, callbacks, engagement,
nurture enrolments, hand-offs, reassignments and values an import replaced move to the
kept lead; its email and any field the kept lead lacks are kept too. Its own row is then
removed, and a ``lead_merge`` row stays in its place: its old id still resolves ("lead 12
was merged into lead 7"), with a copy of its fields as they were. The merge is written in
both leads' history (the kept one's) and in the audit trail.

Refused, in one sentence: the same lead twice, a lead already merged, a lead claimed by
someone else (they are working it). A team lead's act (:data:`Action.MERGE_LEADS`): it
removes a lead, which on a team's server only team leads may.

One short transaction: two leads and their rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from teleprospect.core.audit import AuditKind
from teleprospect.core.dedupe_keys import match_key, person_key
from teleprospect.core.domain import HistoryKind
from teleprospect.core.errors import Refused
from teleprospect.core.permissions import Action
from teleprospect.services.audit.record import record_audit
from teleprospect.services.errors import LeadNotFound
from teleprospect.services.identity.permissions import require_user
from teleprospect.services.scoring.scores import rescore_lead
from teleprospect.store.clock import database_now
from teleprospect.store.database import Database
from teleprospect.store.models import (
    Call,
    CallbackEntry,
    EngagementEvent,
    HandoffItem,
    ImportChange,
    Lead,
    LeadAnswer,
    LeadHistory,
    LeadMerge,
    LeadPhone,
    NurtureEnrollment,
    OfflineAction,
    ReassignmentMove,
    User,
)

__all__ = ["LeadMergeRefused", "MergedLeads", "merge_leads", "merged_into"]

#: Fields the kept lead takes from the other when it has none itself.
_FILLED = (
    "first_name", "last_name", "email", "company", "title", "industry", "company_size",
    "country", "lead_source", "campaign_id", "owner_id",
)  # fmt: skip
#: The other lead's fields kept in the merge record.
_SNAPSHOT = (
    "first_name", "last_name", "email", "company", "title", "industry", "company_size",
    "country", "phone_raw", "phone_e164", "status", "owner_id", "campaign_id",
    "import_batch_id", "created_at", "score",
)  # fmt: skip
#: Rows that simply move to the kept lead, and what they are called in the summary.
_MOVED = (
    (Call, "calls"),
    (LeadHistory, "history entries"),
    (CallbackEntry, "callbacks"),
    (EngagementEvent, "engagement events"),
    (HandoffItem, "hand-offs"),
    (ReassignmentMove, "reassignments"),
    (OfflineAction, "offline calls"),
    (ImportChange, "import changes"),
)


class LeadMergeRefused(Refused):
    """Two leads that may not be merged (now): one sentence why."""


@dataclass(frozen=True, slots=True)
class MergedLeads:
    kept_id: int
    merged_id: int
    kept_name: str
    merged_name: str
    #: What moved to the kept lead, counted ("calls": 3, …): nothing of it was lost.
    moved: dict[str, int]

    def describe(self) -> str:
        moved = ", ".join(f"{n:,} {what}" for what, n in self.moved.items() if n)
        return (
            f"Lead #{self.merged_id} ({self.merged_name}) merged into lead #{self.kept_id} "
            f"({self.kept_name})" + (f": {moved} moved with it." if moved else ".")
        )


def merged_into(session: Session, lead_id: int) -> int | None:
    """The lead that lead ``lead_id`` was merged into (followed through later merges), or
    None when it was never merged."""
    seen: set[int] = set()
    target = None
    while lead_id not in seen:
        seen.add(lead_id)
        kept = session.scalar(
            select(LeadMerge.kept_lead_id).where(LeadMerge.merged_lead_id == lead_id)
        )
        if kept is None:
            break
        target = lead_id = kept
    return target


def _name(lead: Lead) -> str:
    return lead.full_name or lead.company or lead.email or f"lead #{lead.id}"


def merge_leads(db: Database, keep_id: int, other_id: int, user_id: int) -> MergedLeads:
    """Merge lead ``other_id`` into lead ``keep_id`` (see the module docstring). Raises
    LeadMergeRefused, LeadNotFound or PermissionDenied."""
    with db.write() as session:
        actor = require_user(session, user_id, Action.MERGE_LEADS)
        if keep_id == other_id:
            raise LeadMergeRefused(f"Lead #{keep_id} cannot be merged into itself.")
        for lead_id in (other_id, keep_id):
            into = merged_into(session, lead_id)
            if into is not None:
                raise LeadMergeRefused(
                    f"Lead #{lead_id} was already merged into lead #{into}"
                    + ("." if lead_id == other_id else f"; merge into lead #{into} instead.")
                )
        keep = session.get(Lead, keep_id, with_for_update=True)
        other = session.get(Lead, other_id, with_for_update=True)
        if keep is None:
            raise LeadNotFound(keep_id)
        if other is None:
            raise LeadNotFound(other_id)
        now = database_now(session)
        for lead in (keep, other):
            _refuse_if_claimed(session, lead, user_id, now)
        moved = _move_rows(session, keep, other, now)
        snapshot = {name: getattr(other, name) for name in _SNAPSHOT}
        snapshot = {
            k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in snapshot.items()
        }
        snapshot["status"] = other.status.value
        _fill_in(keep, other)
        merged_name, kept_name = _name(other), _name(keep)
        session.add(
            LeadMerge(
                merged_lead_id=other_id,
                kept_lead_id=keep_id,
                merged_by_id=actor.user_id,
                at=now,
                merged=snapshot,
            )
        )
        session.add(
            LeadHistory(
                lead_id=keep_id,
                user_id=actor.user_id,
                at=now,
                kind=HistoryKind.MERGE,
                from_value=str(other_id),
                to_value=str(keep_id),
                reason=f"Lead #{other_id} ({merged_name}) merged into this one by {actor.display}",
            )
        )
        # The other lead's row goes; its children moved above, so nothing cascades.
        session.expunge(other)
        session.execute(
            delete(Lead).where(Lead.id == other_id).execution_options(synchronize_session=False)
        )
        rescore_lead(session, keep, now=now)
        record_audit(
            session,
            AuditKind.LEADS_MERGED,
            user_id=actor.user_id,
            lead_id=keep_id,
            subject=f"lead #{other_id} into lead #{keep_id}",
            before={"merged_lead": other_id, **snapshot},
            after={"kept_lead": keep_id, **moved},
        )
        session.flush()
        return MergedLeads(keep_id, other_id, kept_name, merged_name, moved)


def _refuse_if_claimed(session: Session, lead: Lead, user_id: int, now: datetime) -> None:
    if lead.claimed_by_id in (None, user_id):
        return
    if lead.claim_expires_at is not None and lead.claim_expires_at <= now:
        return  # an expired lease: nobody holds it
    who = session.scalar(select(User.name).where(User.id == lead.claimed_by_id)) or "someone"
    raise LeadMergeRefused(
        f"Lead #{lead.id} ({_name(lead)}) is being worked by {who}; merge it once they are done."
    )


def _move_rows(session: Session, keep: Lead, other: Lead, now: datetime) -> dict[str, int]:
    """Move every row of ``other`` to ``keep``; how many of each kind."""
    keep_id, other_id = keep.id, other.id
    moved: dict[str, int] = {}
    # Phones: every number of the other lead the kept one lacks, after its own.
    keep_numbers = {(p.e164 or p.raw) for p in keep.phones} | {keep.phone_e164 or keep.phone_raw}
    position = len(keep.phones)
    phones: list[LeadPhone | None] = list(other.phones)
    if other.phone_raw and not any(
        (p.e164 or p.raw) == (other.phone_e164 or other.phone_raw) for p in other.phones
    ):
        phones.insert(0, None)  # the lead's own number, read below
    added = 0
    for phone in phones:
        values: dict[str, Any]
        if phone is None:
            values = {
                "raw": other.phone_raw,
                "e164": other.phone_e164,
                "extension": other.phone_extension,
                "valid": other.phone_valid,
                "number_type": other.phone_type,
                "time_zones": other.phone_time_zones,
                "label": "",
            }
        else:
            values = {
                name: getattr(phone, name)
                for name in ("raw", "e164", "extension", "valid", "number_type", "time_zones")
            }
            values["label"] = phone.label
        number = str(values["e164"] or values["raw"] or "")
        if not number or number in keep_numbers:
            continue
        keep_numbers.add(number)
        session.add(LeadPhone(lead_id=keep_id, position=position, **values))
        position += 1
        added += 1
        if not keep.phone_valid and values["valid"] and values["e164"]:
            keep.phone_raw, keep.phone_e164 = values["raw"], values["e164"]
            keep.phone_extension, keep.phone_valid = values["extension"], True
            keep.phone_type, keep.phone_time_zones = values["number_type"], values["time_zones"]
    moved["phones"] = added
    # Answers: the newer of two to the same question is what is known; calls keep both.
    answers = {
        a.question_id: a
        for a in session.scalars(select(LeadAnswer).where(LeadAnswer.lead_id == keep_id))
    }
    taken = 0
    for answer in session.scalars(select(LeadAnswer).where(LeadAnswer.lead_id == other_id)):
        mine = answers.get(answer.question_id)
        if mine is not None and mine.answered_at >= answer.answered_at:
            continue
        if mine is not None:
            session.delete(mine)
            session.flush()
        answer.lead_id = keep_id
        taken += 1
    moved["answers"] = taken
    # Nurture: one open enrolment per lead; the other's open one ends, and is kept.
    keep_open = session.scalar(
        select(func.count()).where(
            NurtureEnrollment.lead_id == keep_id, NurtureEnrollment.ended_at.is_(None)
        )
    )
    if keep_open:
        session.execute(
            update(NurtureEnrollment)
            .where(NurtureEnrollment.lead_id == other_id, NurtureEnrollment.ended_at.is_(None))
            .values(ended_at=now, end_reason=f"merged into lead #{keep_id}")
            .execution_options(synchronize_session=False)
        )
    moved["nurture enrolments"] = _move(session, NurtureEnrollment, keep_id, other_id)
    for model, what in _MOVED:
        moved[what] = _move(session, model, keep_id, other_id)
    session.execute(
        update(Lead)
        .where(Lead.possible_duplicate_of_id == other_id, Lead.id != keep_id)
        .values(possible_duplicate_of_id=keep_id)
        .execution_options(synchronize_session=False)
    )
    if keep.possible_duplicate_of_id == other_id:
        keep.possible_duplicate_of_id = None
    session.flush()
    return moved


def _move(session: Session, model: Any, keep_id: int, other_id: int) -> int:
    result = session.execute(
        update(model)
        .where(model.lead_id == other_id)
        .values(lead_id=keep_id)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _fill_in(keep: Lead, other: Lead) -> None:
    """The kept lead takes what it lacks from the other; the other's email, when both have
    one, and its other columns are kept among the extras."""
    for name in _FILLED:
        if getattr(keep, name) in (None, "") and getattr(other, name) not in (None, ""):
            setattr(keep, name, getattr(other, name))
    extra = dict(other.extra or {})
    extra.update(keep.extra or {})
    if other.email and keep.email and other.email != keep.email:
        extra[f"Email (from lead #{other.id})"] = other.email
    keep.extra = extra
    keep.do_not_call = keep.do_not_call or other.do_not_call
    keep.attempts = (keep.attempts or 0) + (other.attempts or 0)
    if other.last_attempt_at and (
        keep.last_attempt_at is None or other.last_attempt_at > keep.last_attempt_at
    ):
        keep.last_attempt_at = other.last_attempt_at
    keep.match_key = match_key(person_key(keep.first_name, keep.last_name), keep.company)
