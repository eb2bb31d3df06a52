"""Handing sales-ready leads to sales: one recorded batch, one file.

An export selects sales-ready leads (all, filtered, or picked by hand), writes them in
sales' CRM layout with each lead's qualification story (see :mod:`teleprospect.core.handoff`)
and moves them to *handed off* through the lifecycle, with history. The batch records
who exported, when, in which format, to which file, the file's SHA-256 and the leads,
each with the reference sales can send back.

The file is written beside its destination and renamed into place only once complete,
and the batch is committed only after that: a failed export leaves neither a half file
nor a batch. A lead already handed off is not exported again unless asked (``again``);
leads on the do-not-call list are never exported.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, false, func, select
from sqlalchemy.orm import Session

from teleprospect.core.audit import AuditKind
from teleprospect.core.domain import HistoryKind
from teleprospect.core.errors import Conflict, Invalid
from teleprospect.core.handoff import (
    ExportFormat,
    LeadStory,
    StoryAnswer,
    export_table,
    format_reference,
)
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.nurture import TouchKind, Track, step_due_at
from teleprospect.core.permissions import Action
from teleprospect.core.scripts import AnswerError, Question, Script, answer_text, from_json
from teleprospect.services.audit.record import listed_ids, record_audit
from teleprospect.services.calls.scripts import active_script_in_session, script_version_in_session
from teleprospect.services.csv_files import check_target, move_into_place, write_beside
from teleprospect.services.identity.permissions import require_user
from teleprospect.services.leads.lifecycle import apply_status
from teleprospect.services.scoring.scores import rules_in_session, stored_breakdown
from teleprospect.store.database import Database
from teleprospect.store.models import (
    Call,
    Campaign,
    HandoffBatch,
    HandoffItem,
    Lead,
    LeadAnswer,
    LeadHistory,
    NurtureEnrollment,
    NurtureTrack,
    User,
)
from teleprospect.store.types import utcnow

__all__ = [
    "AlreadyExported",
    "ExportError",
    "ExportFormat",
    "ExportRequest",
    "ExportResult",
    "HandoffBatchInfo",
    "HandoffItemInfo",
    "NothingToExport",
    "export_handoff",
    "handoff_batches",
    "handoff_items",
    "lead_story",
    "preview_export",
    "stories_in_session",
]


class ExportError(Invalid):
    """An export that cannot be made; the message says why. Nothing was written."""


class NothingToExport(ExportError):
    """The selection holds no lead to export."""


class AlreadyExported(Conflict, ExportError):
    """Leads picked by hand were handed off before and ``again`` was not asked."""

    def __init__(self, message: str, lead_ids: Sequence[int]) -> None:
        super().__init__(message)
        self.lead_ids = tuple(lead_ids)


@dataclass(frozen=True, slots=True)
class ExportRequest:
    path: Path
    format: ExportFormat = ExportFormat.SALESFORCE
    #: Leads picked by hand; empty: every sales-ready lead the filters below keep.
    lead_ids: tuple[int, ...] = ()
    campaign_id: int | None = None
    #: Leads of this rep.
    owner_id: int | None = None
    #: ISO 3166 alpha-2 code.
    country: str | None = None
    #: Export leads handed off before once more (sales lost the file, another CRM…).
    again: bool = False
    #: Replace ``path`` when it is an existing file (the GUI's save dialog has asked).
    overwrite: bool = False


@dataclass(frozen=True, slots=True)
class ExportResult:
    batch_id: int
    path: Path
    format: ExportFormat
    leads: int
    sha256: str
    created_at: datetime
    #: (lead id, reference) in file order.
    references: tuple[tuple[int, str], ...]

    def describe(self) -> str:
        return (
            f"Handed {self.leads:,} lead{'s' if self.leads != 1 else ''} to sales in batch "
            f"#{self.batch_id} ({self.format.label}): {self.path}"
        )


@dataclass(frozen=True, slots=True)
class ExportPreview:
    """What an export would hold, for the dialog to confirm."""

    #: (lead id, name, company, score) in file order.
    leads: tuple[tuple[int, str, str, int], ...]
    #: Matching leads handed off before (exported only with ``again``).
    already_exported: int
    #: Matching leads on the do-not-call list (never exported).
    do_not_call: int


@dataclass(frozen=True, slots=True)
class HandoffBatchInfo:
    id: int
    created_at: datetime
    by_name: str
    format: ExportFormat
    file_path: str
    sha256: str
    leads: int
    selection: str
    accepted: int
    rejected: int
    #: Leads with no verdict yet.
    waiting: int


@dataclass(frozen=True, slots=True)
class HandoffItemInfo:
    lead_id: int
    reference: str
    name: str
    company: str
    status: LeadStatus
    verdict: str | None
    verdict_reason: str
    verdict_at: datetime | None


# ----------------------------------------------------------------------------- the story


def _question_for(
    session: Session,
    active: Script,
    question_id: str,
    call_id: int | None,
    cache: dict[int, Script],
) -> Question | None:
    if active.has_question(question_id):
        return active.question(question_id)
    if call_id is None:
        return None
    version_id = session.scalar(select(Call.script_version_id).where(Call.id == call_id))
    if version_id is None:
        return None
    script = cache.get(version_id)
    if script is None:
        script = cache[version_id] = script_version_in_session(session, version_id).script
    return script.question(question_id) if script.has_question(question_id) else None


def _answers(
    session: Session, lead_id: int, active: Script, cache: dict[int, Script]
) -> tuple[StoryAnswer, ...]:
    rows = list(
        session.execute(
            select(LeadAnswer.question_id, LeadAnswer.value, LeadAnswer.call_id)
            .where(LeadAnswer.lead_id == lead_id)
            .order_by(LeadAnswer.id)
        ).all()
    )
    order = {q.id: i for i, q in enumerate(active.questions)}
    rows.sort(key=lambda row: (order.get(row.question_id, len(order)), row.question_id))
    found = []
    for question_id, raw, call_id in rows:
        question = _question_for(session, active, question_id, call_id, cache)
        if question is None:
            found.append(StoryAnswer(question_id, _raw_text(raw)))
            continue
        try:
            text = answer_text(question, from_json(question, raw))
        except AnswerError:
            text = _raw_text(raw)
        found.append(
            StoryAnswer(question.title, text, question.bant.label if question.bant else "")
        )
    return tuple(found)


def _raw_text(raw: Any) -> str:
    if isinstance(raw, bool):
        return "Yes" if raw else "No"
    if isinstance(raw, list):
        return ", ".join(str(item) for item in raw)
    return "" if raw is None else str(raw)


def _nurture_touches(session: Session, lead_id: int, until: datetime) -> int:
    """Touches of the lead's nurture tracks other than calls (calls are counted as calls)
    that fell due before ``until``."""
    count = 0
    rows = session.execute(
        select(NurtureEnrollment.starts_at, NurtureEnrollment.ended_at, NurtureTrack.definition)
        .join(NurtureTrack, NurtureTrack.id == NurtureEnrollment.track_id)
        .where(NurtureEnrollment.lead_id == lead_id, NurtureEnrollment.enrolled_at < until)
    ).all()
    for starts_at, ended_at, definition in rows:
        try:
            track = Track.from_dict(definition)
        except ValueError:
            continue
        end = min(until, ended_at) if ended_at else until
        for index, step in enumerate(track.steps):
            if step.kind is not TouchKind.CALL and step_due_at(track, index, starts_at) <= end:
                count += 1
    return count


def _story(
    session: Session, lead: Lead, reference: str, now: datetime, context: dict[str, Any]
) -> LeadStory:
    rules = context["rules"]
    # The stored score, as every screen shows it, with the lines that make it up.
    breakdown = stored_breakdown(session, lead, rules)
    grade = rules.grade_of(lead.score)
    ready = session.execute(
        select(LeadHistory.at, LeadHistory.reason, User.name)
        .outerjoin(User, User.id == LeadHistory.user_id)
        .where(
            LeadHistory.lead_id == lead.id,
            LeadHistory.kind == HistoryKind.STATUS,
            LeadHistory.to_value == LeadStatus.SALES_READY.value,
        )
        .order_by(LeadHistory.at.desc(), LeadHistory.id.desc())
        .limit(1)
    ).first()
    qualified_at = ready.at if ready else None
    until = qualified_at or now
    calls_before = session.scalar(
        select(func.count())
        .select_from(Call)
        .where(Call.lead_id == lead.id, Call.started_at <= until)
    )
    last_call = session.execute(
        select(Call.started_at, Call.notes)
        .where(Call.lead_id == lead.id, Call.notes != "")
        .order_by(Call.started_at.desc(), Call.id.desc())
        .limit(1)
    ).first()
    campaign = session.get(Campaign, lead.campaign_id) if lead.campaign_id else None
    owner = (
        session.scalar(select(User.name).where(User.id == lead.owner_id)) if lead.owner_id else ""
    )
    calls = calls_before or 0
    return LeadStory(
        reference=reference,
        lead_id=lead.id,
        first_name=lead.first_name,
        last_name=lead.last_name,
        title=lead.title,
        company=lead.company,
        email=lead.email or "",
        phone=(lead.phone_e164 if lead.phone_valid and lead.phone_e164 else lead.phone_raw),
        phone_raw=lead.phone_raw,
        phone_extension=lead.phone_extension or "",
        industry=lead.industry,
        company_size=lead.company_size,
        country=lead.country or "",
        lead_source=lead.lead_source,
        campaign=campaign.name if campaign else "",
        campaign_channel=campaign.channel.label if campaign else "",
        owner=owner or "",
        score=lead.score,
        grade=grade.grade,
        grade_label=grade.label,
        breakdown=tuple(line.text for line in breakdown.lines),
        answers=_answers(session, lead.id, context["script"], context["scripts"]),
        qualified_by=(ready.name or "") if ready else "",
        qualified_at=qualified_at,
        ready_reason=ready.reason if ready else "",
        calls_before_ready=calls,
        touches_before_ready=calls + _nurture_touches(session, lead.id, until),
        last_call_at=last_call.started_at if last_call else None,
        last_call_notes=last_call.notes if last_call else "",
        created_at=lead.created_at,
    )


def _context(session: Session) -> dict[str, Any]:
    return {
        "rules": rules_in_session(session),
        "script": active_script_in_session(session).script,
        "scripts": {},
    }


def stories_in_session(
    session: Session, leads: Sequence[Lead], batch_id: int, now: datetime
) -> list[LeadStory]:
    """The stories of ``leads`` as batch ``batch_id`` writes them, in the caller's session."""
    context = _context(session)
    return [
        _story(session, lead, format_reference(batch_id, lead.id), now, context) for lead in leads
    ]


def lead_story(db: Database, lead_id: int, *, now: datetime | None = None) -> LeadStory:
    """One lead's qualification story as an export would write it (reference empty)."""
    now = (now or utcnow()).astimezone(UTC)
    with db.write() as session:  # the shipped script may be stored on first use
        lead = session.get(Lead, lead_id)
        if lead is None:
            raise ExportError(f"There is no lead with id {lead_id}.")
        return _story(session, lead, "", now, _context(session))


# ----------------------------------------------------------------------------- selecting


def _filters(request: ExportRequest) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if request.lead_ids:
        found.append(Lead.id.in_(sorted(set(request.lead_ids))))
    if request.campaign_id is not None:
        found.append(Lead.campaign_id == request.campaign_id)
    if request.owner_id is not None:
        found.append(Lead.owner_id == request.owner_id)
    if request.country:
        found.append(Lead.country == request.country.strip().upper())
    return found


def _wanted_statuses(again: bool) -> list[str]:
    statuses = [LeadStatus.SALES_READY.value]
    if again:
        statuses.append(LeadStatus.HANDED_OFF.value)
    return statuses


def _check_picked(session: Session, request: ExportRequest) -> None:
    """Leads picked by hand must all be exportable: say which are not, and why."""
    rows = session.execute(
        select(Lead.id, Lead.status, Lead.do_not_call).where(*_filters(request)).order_by(Lead.id)
    ).all()
    missing = sorted(set(request.lead_ids) - {row.id for row in rows})
    if missing:
        raise ExportError(f"There is no lead {_ids(missing)}; nothing was exported.")
    dnc = [row.id for row in rows if row.do_not_call]
    if dnc:
        raise ExportError(
            f"Lead {_ids(dnc)} {'is' if len(dnc) == 1 else 'are'} on the do-not-call list and "
            "cannot go to sales; nothing was exported."
        )
    handed = [row.id for row in rows if row.status is LeadStatus.HANDED_OFF]
    if handed and not request.again:
        raise AlreadyExported(
            f"Lead {_ids(handed)} {'was' if len(handed) == 1 else 'were'} already handed to "
            "sales; export again only if you mean to (again). Nothing was exported.",
            handed,
        )
    wanted = set(_wanted_statuses(request.again))
    other = [row for row in rows if row.status.value not in wanted]
    if other:
        first = other[0]
        raise ExportError(
            f"Only sales-ready leads go to sales: lead {first.id} is {first.status.label}"
            + (f" (and {len(other) - 1} more are not sales-ready)" if len(other) > 1 else "")
            + ". Nothing was exported."
        )


def _ids(ids: Sequence[int]) -> str:
    shown = ", ".join(str(i) for i in ids[:10])
    return shown + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")


def _select_leads(session: Session, request: ExportRequest, *, lock: bool) -> list[Lead]:
    if request.lead_ids:
        _check_picked(session, request)
    query = (
        select(Lead)
        .where(
            *_filters(request),
            Lead.status.in_(_wanted_statuses(request.again)),
            Lead.do_not_call == false(),
        )
        .order_by(Lead.id)
    )
    if lock:
        query = query.with_for_update(of=Lead)
    return list(session.scalars(query))


def _count(session: Session, request: ExportRequest, *conditions: ColumnElement[bool]) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(Lead).where(*_filters(request), *conditions)
        )
        or 0
    )


def _nothing_message(session: Session, request: ExportRequest) -> str:
    handed = _count(session, request, Lead.status == LeadStatus.HANDED_OFF.value)
    text = "No sales-ready lead matches: nothing was exported."
    if handed:
        text += (
            f" {handed:,} matching lead{'s were' if handed != 1 else ' was'} already handed to "
            "sales (export again only if you mean to)."
        )
    return text


def preview_export(db: Database, request: ExportRequest, user_id: int) -> ExportPreview:
    with db.read() as session:
        require_user(session, user_id, Action.EXPORT_TO_SALES)
        leads = _select_leads(session, request, lock=False)
        return ExportPreview(
            tuple((lead.id, lead.full_name, lead.company, lead.score) for lead in leads),
            0
            if request.again
            else _count(session, request, Lead.status == LeadStatus.HANDED_OFF.value),
            _count(
                session,
                request,
                Lead.status.in_(_wanted_statuses(request.again)),
                Lead.do_not_call.is_(True),
            ),
        )


# ----------------------------------------------------------------------------- exporting


def _selection_text(session: Session, request: ExportRequest) -> str:
    parts = []
    if request.lead_ids:
        parts.append(f"{len(set(request.lead_ids)):,} leads picked by hand")
    if request.campaign_id is not None:
        campaign = session.get(Campaign, request.campaign_id)
        parts.append(f"campaign {campaign.name if campaign else request.campaign_id}")
    if request.owner_id is not None:
        name = session.scalar(select(User.name).where(User.id == request.owner_id))
        parts.append(f"owner {name or request.owner_id}")
    if request.country:
        parts.append(f"country {request.country.upper()}")
    text = ", ".join(parts) or "all sales-ready leads"
    return text + (" (again)" if request.again else "")


def export_handoff(
    db: Database, request: ExportRequest, user_id: int, *, now: datetime | None = None
) -> ExportResult:
    """Export the selected sales-ready leads to ``request.path`` as one recorded batch and
    move them to handed off. Raises :class:`NothingToExport` for an empty selection and
    :class:`ExportError` (nothing written, nothing changed) for anything that stops it."""
    now = (now or utcnow()).astimezone(UTC)
    fmt = ExportFormat(request.format)
    path = Path(request.path).expanduser().resolve()
    check_target(path, overwrite=request.overwrite, error=ExportError)
    placed = False
    try:
        with db.write() as session:
            actor = require_user(session, user_id, Action.EXPORT_TO_SALES)
            leads = _select_leads(session, request, lock=True)
            if not leads:
                raise NothingToExport(_nothing_message(session, request))
            batch = HandoffBatch(
                user_id=actor.user_id,
                created_at=now,
                format=fmt,
                file_path=str(path),
                leads=len(leads),
                selection=_selection_text(session, request),
                again=request.again,
            )
            session.add(batch)
            session.flush()
            stories = stories_in_session(session, leads, batch.id, now)
            references = [(story.lead_id, story.reference) for story in stories]
            header, rows = export_table(fmt, stories)
            temporary, digest, _rows = write_beside(path, header, rows, error=ExportError)
            try:
                batch.file_sha256 = digest
                _audit(session, batch, leads, actor.user_id)
                why = f"Handed to sales in batch #{batch.id} ({fmt.label}, {path.name})."
                for lead, (_, reference) in zip(leads, references, strict=True):
                    session.add(
                        HandoffItem(batch_id=batch.id, lead_id=lead.id, reference=reference)
                    )
                    if lead.status is LeadStatus.SALES_READY:
                        entry = apply_status(
                            session, lead, LeadStatus.HANDED_OFF, user_id=actor.user_id, reason=why
                        )
                        entry.at = now
                session.flush()
                move_into_place(temporary, path, overwrite=request.overwrite, error=ExportError)
                placed = True
            finally:
                Path(temporary).unlink(missing_ok=True)
    except BaseException:
        if placed:  # the file is in place but the batch did not commit: take it back
            with contextlib.suppress(OSError):
                path.unlink()
        raise
    return ExportResult(batch.id, path, fmt, len(leads), digest, now, tuple(references))


def _audit(
    session: Session, batch: HandoffBatch, leads: Sequence[Lead], user_id: int | None
) -> None:
    """One entry for the whole export, however many leads: the batch (whose items name
    every lead), the file and its checksum, and the leads' ids when they are few."""
    statuses: dict[str, int] = {}
    for lead in leads:  # before they move: sales-ready, or handed off when sent again
        statuses[lead.status.value] = statuses.get(lead.status.value, 0) + 1
    # One status reads as it is; a mix (an export again) is counted by status.
    before: str | dict[str, int] = next(iter(statuses)) if len(statuses) == 1 else statuses
    after: dict[str, Any] = {
        "status": LeadStatus.HANDED_OFF.value,
        "batch_id": batch.id,
        "leads": len(leads),
        "format": batch.format.value,
        "file": batch.file_path,
        "sha256": batch.file_sha256,
    }
    ids = listed_ids(lead.id for lead in leads)
    if ids is not None:
        after["lead_ids"] = ids
    record_audit(
        session,
        AuditKind.EXPORTED_TO_SALES,
        user_id=user_id,
        lead_id=leads[0].id if len(leads) == 1 else None,
        subject=f"hand-off batch #{batch.id}: {batch.selection}",
        before={"status": before},
        after=after,
    )


# ----------------------------------------------------------------------------- batches


def handoff_batches(db: Database, *, limit: int = 50) -> list[HandoffBatchInfo]:
    """The latest hand-offs, newest first, with how sales answered so far."""
    with db.read() as session:
        batches = session.execute(
            select(HandoffBatch, User.name)
            .outerjoin(User, User.id == HandoffBatch.user_id)
            .order_by(HandoffBatch.id.desc())
            .limit(limit)
        ).all()
        counts: dict[tuple[int, str | None], int] = {}
        ids = [b.id for b, _ in batches]
        if ids:
            for batch_id, verdict, count in session.execute(
                select(HandoffItem.batch_id, HandoffItem.verdict, func.count())
                .where(HandoffItem.batch_id.in_(ids))
                .group_by(HandoffItem.batch_id, HandoffItem.verdict)
            ):
                counts[(batch_id, verdict.value if verdict else None)] = count
        return [
            HandoffBatchInfo(
                b.id,
                b.created_at,
                name or "",
                b.format,
                b.file_path,
                b.file_sha256,
                b.leads,
                b.selection,
                counts.get((b.id, "accepted"), 0),
                counts.get((b.id, "rejected"), 0),
                counts.get((b.id, None), 0),
            )
            for b, name in batches
        ]


def handoff_items(db: Database, batch_id: int) -> list[HandoffItemInfo]:
    """The leads of one hand-off with their references and sales' verdicts."""
    with db.read() as session:
        if session.get(HandoffBatch, batch_id) is None:
            raise ExportError(f"There is no hand-off batch #{batch_id}.")
        rows = session.execute(
            select(HandoffItem, Lead.first_name, Lead.last_name, Lead.company, Lead.status)
            .join(Lead, Lead.id == HandoffItem.lead_id)
            .where(HandoffItem.batch_id == batch_id)
            .order_by(HandoffItem.id)
        ).all()
        return [
            HandoffItemInfo(
                item.lead_id,
                item.reference,
                f"{first} {last}".strip(),
                company,
                LeadStatus(status),
                item.verdict.value if item.verdict else None,
                item.verdict_reason,
                item.verdict_at,
            )
            for item, first, last, company, status in rows
        ]
