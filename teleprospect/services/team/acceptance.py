"""Sales' verdict on handed-off leads: imported from their file or recorded by hand.

An accepted lead closes as *accepted*. A rejected one goes to *rejected* and on at once to
nurture (the default: the best suggested track, its first touch after the team's pause
for rejected leads) or to disqualified, with sales' reason in its history. A verdict is
recorded once: the same verdict again (a file imported twice) is counted and skipped, a
different one is refused.

A verdict file names each lead by our lead id, its email or the reference of the
hand-off (``TP-0007-000123``). Like a lead import, bad rows are reported with their row
number and reason and written to a reject file; the good rows are recorded in one
transaction. Leads handed off longer than the team's follow-up limit without a verdict
are listed by :func:`unanswered_handoffs` ("sales has not followed up").
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from teleprospect.core.audit import AuditKind
from teleprospect.core.csv_reader import CsvError, CsvRow
from teleprospect.core.dedupe_keys import email_key
from teleprospect.core.errors import Invalid
from teleprospect.core.handoff import (
    EMAIL,
    LEAD_ID,
    REFERENCE,
    VERDICT,
    VERDICT_ROLES,
    RejectedTo,
    Verdict,
    VerdictRow,
    format_reference,
    read_verdict_row,
    suggest_verdict_columns,
)
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.permissions import Action, Actor
from teleprospect.services.audit.record import listed_ids, record_audit
from teleprospect.services.clock import decision_time
from teleprospect.services.identity.permissions import require_user
from teleprospect.services.imports.files import read_rows, sniff
from teleprospect.services.imports.reports import ImportReports
from teleprospect.services.leads.lifecycle import apply_status
from teleprospect.services.nurture.tracks import best_track, enrol, track_by_key
from teleprospect.services.settings.team_settings import HANDOFF_RULES, read_setting
from teleprospect.store.database import Database
from teleprospect.store.models import Campaign, HandoffBatch, HandoffItem, Lead, User
from teleprospect.store.types import utcnow

__all__ = [
    "BadVerdictRow",
    "RejectedTo",
    "UnansweredHandoff",
    "apply_verdict",
    "Verdict",
    "VerdictError",
    "VerdictImportRequest",
    "VerdictImportSummary",
    "VerdictRecorded",
    "import_verdicts",
    "record_verdict",
    "unanswered_handoffs",
]

#: How many bad rows a summary keeps in memory; the reject file has them all.
BAD_ROWS_LISTED = 500


class VerdictError(Invalid):
    """A verdict that cannot be recorded (or a file that cannot be read); says why."""


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back after counting everything."""


@dataclass(frozen=True, slots=True)
class VerdictRecorded:
    lead_id: int
    reference: str
    verdict: Verdict
    #: The lead's status now: accepted, nurture or disqualified.
    status: LeadStatus
    #: False when the same verdict had been recorded before (nothing changed).
    changed: bool = True


@dataclass(frozen=True, slots=True)
class BadVerdictRow:
    row_number: int
    reason: str


@dataclass(frozen=True, slots=True)
class VerdictImportRequest:
    path: Path
    #: Role (core.handoff's LEAD_ID, EMAIL, REFERENCE, VERDICT, REASON, DATE) → column;
    #: None: found from the header.
    columns: dict[str, str | None] | None = None
    encoding: str | None = None
    delimiter: str | None = None
    rejected_to: RejectedTo = RejectedTo.NURTURE
    #: Read "03/04/2026" as 3 April rather than March 4.
    day_first: bool = False
    #: Zone of dates written without one (IANA name).
    time_zone: str = "UTC"
    #: Where the reject file and the summary go; None: not written.
    report_dir: Path | None = None
    dry_run: bool = False


@dataclass
class VerdictImportSummary:
    file_name: str
    dialect: str = ""
    rows: int = 0
    accepted: int = 0
    rejected: int = 0
    #: Rows repeating a verdict recorded before.
    already_recorded: int = 0
    bad_rows: int = 0
    #: The first :data:`BAD_ROWS_LISTED` bad rows (the reject file has them all).
    problems: list[BadVerdictRow] = field(default_factory=list)
    dry_run: bool = False
    seconds: float = 0.0
    reject_file: Path | None = None
    summary_file: Path | None = None
    #: How each column role was read (role → column name).
    columns: dict[str, str | None] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file_name,
            "dialect": self.dialect,
            "rows": self.rows,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "already_recorded": self.already_recorded,
            "bad_rows": self.bad_rows,
            "problems": [{"row": p.row_number, "reason": p.reason} for p in self.problems],
            "dry_run": self.dry_run,
            "seconds": round(self.seconds, 3),
            "reject_file": str(self.reject_file) if self.reject_file else None,
            "summary_file": str(self.summary_file) if self.summary_file else None,
            "columns": self.columns,
        }

    def describe(self) -> str:
        verb = "Would record" if self.dry_run else "Recorded"
        text = (
            f"{verb} {self.accepted:,} accepted and {self.rejected:,} rejected lead"
            f"{'s' if self.accepted + self.rejected != 1 else ''} from {self.rows:,} rows of "
            f"{self.file_name}"
        )
        if self.already_recorded:
            text += f"; {self.already_recorded:,} already recorded"
        if self.bad_rows:
            text += f"; {self.bad_rows:,} bad row{'s' if self.bad_rows != 1 else ''}"
        return text + "."


@dataclass(frozen=True, slots=True)
class UnansweredHandoff:
    """A lead sales has not given a verdict on within the follow-up limit."""

    lead_id: int
    name: str
    company: str
    reference: str
    batch_id: int
    handed_off_at: datetime
    days_waiting: int
    exported_by: str
    owner: str
    campaign: str


# ----------------------------------------------------------------------------- recording


def _reason_text(prefix: str, reason: str) -> str:
    reason = " ".join(reason.split())
    return f"{prefix}: {reason.rstrip('.')}." if reason else f"{prefix}."


def apply_verdict(
    session: Session,
    item: HandoffItem,
    lead: Lead,
    verdict: Verdict,
    reason: str,
    *,
    actor: Actor,
    decided_at: datetime | None,
    source: str,
    rejected_to: RejectedTo,
    track_key: str | None,
    now: datetime,
) -> LeadStatus:
    """Record ``verdict`` on ``item`` and move ``lead`` on, in the caller's transaction (the
    caller checked that the lead waits for this verdict). Returns the lead's new status."""
    item.verdict = verdict
    item.verdict_reason = reason.strip()
    item.verdict_at = decided_at or now
    item.verdict_recorded_at = now
    item.verdict_by_id = actor.user_id
    item.verdict_source = source[:500]

    def move(target: LeadStatus, why: str) -> None:
        entry = apply_status(session, lead, target, user_id=actor.user_id, reason=why)
        entry.at = now

    if verdict is Verdict.ACCEPTED:
        move(LeadStatus.ACCEPTED, _reason_text(f"Accepted by sales ({item.reference})", reason))
        return lead.status
    move(LeadStatus.REJECTED, _reason_text(f"Rejected by sales ({item.reference})", reason))
    if rejected_to is RejectedTo.DISQUALIFIED:
        move(
            LeadStatus.DISQUALIFIED,
            _reason_text("Disqualified after sales rejected it", reason or "no reason given"),
        )
        return lead.status
    rules = read_setting(session, HANDOFF_RULES)
    track = best_track(session, lead) if track_key is None else track_by_key(session, track_key)[1]
    first_touch = now + timedelta(days=rules.rejected_nurture_days)
    move(
        LeadStatus.NURTURE,
        f"Back to nurture after sales rejected it: {track.name}, first touch "
        f"{first_touch:%Y-%m-%d}.",
    )
    enrol(
        session,
        lead,
        track.key,
        user_id=actor.user_id,
        now=now,
        first_touch_at=first_touch,
        reason=f"enrolled in {track.name} after sales rejected the lead",
    )
    return lead.status


def _latest_item(session: Session, lead_id: int) -> HandoffItem | None:
    return session.scalars(
        select(HandoffItem)
        .where(HandoffItem.lead_id == lead_id)
        .order_by(HandoffItem.batch_id.desc())
        .limit(1)
    ).first()


def _check_open(item: HandoffItem, lead: Lead, verdict: Verdict) -> bool:
    """True when the verdict should be recorded, False when it repeats the one recorded;
    raises :class:`VerdictError` when it contradicts it or the lead is not waiting."""
    if item.verdict is not None:
        if item.verdict is verdict:
            return False
        when = f" on {item.verdict_at:%Y-%m-%d}" if item.verdict_at else ""
        raise VerdictError(
            f"lead {lead.id} ({item.reference}) was already {item.verdict.value}{when}; "
            "a verdict is recorded once"
        )
    if lead.status is not LeadStatus.HANDED_OFF:
        raise VerdictError(f"lead {lead.id} is {lead.status.label}, not waiting for sales' verdict")
    return True


def record_verdict(
    db: Database,
    lead_id: int,
    accepted: bool,
    reason: str,
    user_id: int,
    *,
    rejected_to: RejectedTo = RejectedTo.NURTURE,
    track_key: str | None = None,
    decided_at: datetime | None = None,
    now: datetime | None = None,
) -> VerdictRecorded:
    """Record sales' verdict on a handed-off lead by hand (team leads only). A rejected
    lead goes to nurture (the track ``track_key``, default the best suggested one) or is
    disqualified, per ``rejected_to``."""
    verdict = Verdict.ACCEPTED if accepted else Verdict.REJECTED
    with db.write() as session:
        # A rejected lead's next call in nurture is a due time: on the database's clock.
        now = decision_time(session, now)
        actor = require_user(session, user_id, Action.RECORD_VERDICTS)
        lead = session.get(Lead, lead_id, with_for_update=True)
        if lead is None:
            raise VerdictError(f"There is no lead with id {lead_id}.")
        item = _latest_item(session, lead_id)
        if item is None:
            raise VerdictError(f"Lead {lead_id} was never handed to sales.")
        try:
            fresh = _check_open(item, lead, verdict)
        except VerdictError as exc:
            message = str(exc)
            raise VerdictError(message[0].upper() + message[1:] + ".") from None
        if not fresh:
            return VerdictRecorded(lead_id, item.reference, verdict, lead.status, changed=False)
        before = lead.status
        status = apply_verdict(
            session,
            item,
            lead,
            verdict,
            reason,
            actor=actor,
            decided_at=decided_at,
            source="by hand",
            rejected_to=rejected_to,
            track_key=track_key,
            now=now,
        )
        after: dict[str, Any] = {"verdict": verdict.value, "status": status.value}
        if item.verdict_reason:
            after["reason"] = item.verdict_reason
        record_audit(
            session,
            AuditKind.VERDICT_RECORDED,
            user_id=actor.user_id,
            lead_id=lead.id,
            subject=f"{item.reference}, by hand",
            before={"status": before.value},
            after=after,
        )
        return VerdictRecorded(lead_id, item.reference, verdict, status)


# ----------------------------------------------------------------------------- importing


def _verdicts_summary_text(summary: VerdictImportSummary, reject_file: Path | None) -> str:
    lines = [
        f"Sales' verdicts from {summary.file_name}"
        + (" (dry run: nothing was saved)" if summary.dry_run else ""),
        f"Read as: {summary.dialect}",
        "",
        f"Rows read:                {summary.rows:>9,}",
        f"Accepted:                 {summary.accepted:>9,}",
        f"Rejected:                 {summary.rejected:>9,}",
        f"Already recorded:         {summary.already_recorded:>9,}",
        f"Bad rows:                 {summary.bad_rows:>9,}",
    ]
    if reject_file:
        lines += ["", f"Bad rows, each with its row number and reason: {reject_file}"]
    return "\n".join(lines) + "\n"


class _Matcher:
    """Finds the hand-off a row of a verdict file is about."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def item_for(self, row: VerdictRow) -> tuple[HandoffItem, Lead]:
        session = self.session
        if row.reference is not None:
            reference = format_reference(*row.reference)
            item = session.scalar(select(HandoffItem).where(HandoffItem.reference == reference))
            if item is None:
                raise VerdictError(f"no hand-off has the reference {reference}")
            return item, self._lead(item.lead_id)
        if row.lead_id is not None:
            lead = session.get(Lead, row.lead_id)
            if lead is None:
                raise VerdictError(f"there is no lead {row.lead_id}")
            item = _latest_item(session, lead.id)
            if item is None:
                raise VerdictError(f"lead {lead.id} was never handed to sales")
            return item, lead
        assert row.email is not None
        return self._by_email(row.email)

    def _lead(self, lead_id: int) -> Lead:
        lead = self.session.get(Lead, lead_id)
        assert lead is not None  # items are deleted with their lead
        return lead

    def _by_email(self, email: str) -> tuple[HandoffItem, Lead]:
        session = self.session
        # Emails are stored as imports normalise them (lower case): the index finds them.
        wanted = {email, email_key(email) or email}
        leads = list(session.scalars(select(Lead).where(Lead.email.in_(wanted)).order_by(Lead.id)))
        if not leads:
            raise VerdictError(f"no lead has the email {email}")
        with_items = [(lead, _latest_item(session, lead.id)) for lead in leads]
        handed = [(lead, item) for lead, item in with_items if item is not None]
        if not handed:
            raise VerdictError(f"no lead with the email {email} was handed to sales")
        waiting = [(lead, item) for lead, item in handed if item.verdict is None]
        if len(waiting) > 1:
            raise VerdictError(
                f"{len(waiting)} handed-off leads have the email {email}: give the lead id or "
                "the reference instead"
            )
        lead, item = (waiting or handed)[-1]
        return item, lead


def import_verdicts(
    db: Database, request: VerdictImportRequest, user_id: int, *, now: datetime | None = None
) -> VerdictImportSummary:
    """Record the verdicts of sales' file (team leads only). Bad rows are listed with their
    row number and reason (and written to the reject file); the others are recorded in one
    transaction."""
    started = time.perf_counter()
    path = Path(request.path)
    if not path.is_file():
        raise VerdictError(f"{path} does not exist or is not a file.")
    try:
        assume = ZoneInfo(request.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise VerdictError(f"{request.time_zone!r} is not a time zone name.") from None
    with db.read() as session:
        require_user(session, user_id, Action.RECORD_VERDICTS)
    try:
        dialect = sniff(path, encoding=request.encoding, delimiter=request.delimiter)
    except CsvError as exc:
        raise VerdictError(str(exc)) from None
    columns = request.columns or suggest_verdict_columns(dialect.header)
    if not any(columns.get(role) for role in (LEAD_ID, EMAIL, REFERENCE)):
        raise VerdictError(
            f"{path.name} needs a column naming the lead: the lead id, the email or the "
            f"Teleprospect reference (found: {', '.join(dialect.header)})."
        )
    if not columns.get(VERDICT):
        raise VerdictError(
            f"{path.name} needs a column saying accepted or rejected, such as “Verdict” or "
            f"“Accepted” (found: {', '.join(dialect.header)})."
        )
    summary = VerdictImportSummary(path.name, dialect.description, dry_run=request.dry_run)
    summary.columns = {role: columns.get(role) for role in VERDICT_ROLES}
    reports = ImportReports(request.report_dir, path, dialect.header)
    source = f"file {path.name}"
    decided: dict[Verdict, list[int]] = {Verdict.ACCEPTED: [], Verdict.REJECTED: []}

    def bad(row: CsvRow, reason: str) -> None:
        summary.bad_rows += 1
        if len(summary.problems) < BAD_ROWS_LISTED:
            summary.problems.append(BadVerdictRow(row.row_number, reason))
        reports.reject(row, reason)

    try:
        with db.write() as session:
            at = decision_time(session, now)
            actor = require_user(session, user_id, Action.RECORD_VERDICTS)
            matcher = _Matcher(session)
            for row in read_rows(path, dialect):
                summary.rows += 1
                try:
                    verdict_row = read_verdict_row(
                        row.values, columns, assume=assume, day_first=request.day_first
                    )
                    item, lead = matcher.item_for(verdict_row)
                    if not _check_open(item, lead, verdict_row.verdict):
                        summary.already_recorded += 1
                        continue
                except ValueError as exc:
                    bad(row, str(exc))
                    continue
                apply_verdict(
                    session,
                    item,
                    lead,
                    verdict_row.verdict,
                    verdict_row.reason,
                    actor=actor,
                    decided_at=verdict_row.decided_at,
                    source=source,
                    rejected_to=request.rejected_to,
                    track_key=None,
                    now=at,
                )
                session.flush()
                decided[verdict_row.verdict].append(lead.id)
                if verdict_row.verdict is Verdict.ACCEPTED:
                    summary.accepted += 1
                else:
                    summary.rejected += 1
            if request.dry_run:
                raise _DryRun()
            _audit_import(session, actor, summary, request.rejected_to, decided)
    except _DryRun:
        pass
    except CsvError as exc:
        reports.discard()
        raise VerdictError(f"{exc} Nothing was recorded.") from None
    except BaseException:
        reports.discard()
        raise
    summary.seconds = time.perf_counter() - started
    summary.reject_file, summary.summary_file = reports.finish_with(
        lambda reject_file: _verdicts_summary_text(summary, reject_file)
    )
    return summary


def _audit_import(
    session: Session,
    actor: Actor,
    summary: VerdictImportSummary,
    rejected_to: RejectedTo,
    decided: dict[Verdict, list[int]],
) -> None:
    """One entry for the whole file, however many rows: the counts, where rejected leads
    went and, when they are few, the leads' ids. A file that changed nothing (every
    verdict known already, or only bad rows) leaves none."""
    if not summary.accepted and not summary.rejected:
        return
    after: dict[str, Any] = {
        "accepted": summary.accepted,
        "rejected": summary.rejected,
        "rejected_to": rejected_to.value,
    }
    if summary.already_recorded:
        after["already_recorded"] = summary.already_recorded
    if summary.bad_rows:
        after["bad_rows"] = summary.bad_rows
    leads = decided[Verdict.ACCEPTED] + decided[Verdict.REJECTED]
    if listed_ids(leads) is not None:
        after["accepted_lead_ids"] = sorted(decided[Verdict.ACCEPTED])
        after["rejected_lead_ids"] = sorted(decided[Verdict.REJECTED])
    record_audit(
        session,
        AuditKind.VERDICT_RECORDED,
        user_id=actor.user_id,
        lead_id=leads[0] if len(leads) == 1 else None,
        subject=f"sales' verdicts from {summary.file_name}",
        before={"status": {LeadStatus.HANDED_OFF.value: len(leads)}},
        after=after,
    )


# ----------------------------------------------------------------------------- follow-up


def unanswered_handoffs(
    db: Database, *, now: datetime | None = None, days: int | None = None
) -> list[UnansweredHandoff]:
    """Leads handed off more than ``days`` (default: the team's follow-up limit) ago that
    still have no verdict, longest waiting first: sales has not followed up."""
    now = (now or utcnow()).astimezone(UTC)
    with db.read() as session:
        limit = days if days is not None else read_setting(session, HANDOFF_RULES).follow_up_days
        latest = (
            select(HandoffItem.lead_id, func.max(HandoffItem.batch_id).label("batch_id"))
            .group_by(HandoffItem.lead_id)
            .subquery()
        )
        exporter = User.__table__.alias("exporter")
        owner = User.__table__.alias("owner")
        rows = session.execute(
            select(
                Lead.id,
                Lead.first_name,
                Lead.last_name,
                Lead.company,
                HandoffItem.reference,
                HandoffBatch.id.label("batch_id"),
                HandoffBatch.created_at,
                exporter.c.name.label("exporter"),
                owner.c.name.label("owner"),
                Campaign.name.label("campaign"),
            )
            .select_from(HandoffItem)
            .join(
                latest,
                (latest.c.lead_id == HandoffItem.lead_id)
                & (latest.c.batch_id == HandoffItem.batch_id),
            )
            .join(HandoffBatch, HandoffBatch.id == HandoffItem.batch_id)
            .join(Lead, Lead.id == HandoffItem.lead_id)
            .outerjoin(exporter, exporter.c.id == HandoffBatch.user_id)
            .outerjoin(owner, owner.c.id == Lead.owner_id)
            .outerjoin(Campaign, Campaign.id == Lead.campaign_id)
            .where(
                HandoffItem.verdict.is_(None),
                Lead.status == LeadStatus.HANDED_OFF.value,
                HandoffBatch.created_at <= now - timedelta(days=limit),
            )
            .order_by(HandoffBatch.created_at, Lead.id)
        ).all()
    return [
        UnansweredHandoff(
            row.id,
            f"{row.first_name} {row.last_name}".strip(),
            row.company,
            row.reference,
            row.batch_id,
            row.created_at,
            (now - row.created_at).days,
            row.exporter or "",
            row.owner or "",
            row.campaign or "",
        )
        for row in rows
    ]
