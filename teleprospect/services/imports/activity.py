"""Importing engagement events (site visits, downloads, email replies, webinars).

Rows are matched to leads by email. Like a lead import, an activity import is one
recorded batch that commits completely or not at all; rows that match no lead or
cannot be read go to the reject file with their row number and reason. An event
already stored (same lead, kind, time and detail) is not stored twice, so
overlapping exports can be imported safely.

It is one long write (:class:`~teleprospect.store.staging.LongWrite`): on SQLite short
transactions whose events nobody sees until they all appear at once. The leads with new
activity are re-scored right after, each in a short transaction of its own (a score is
worked out from the events; for a moment some leads show it and some not yet).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import insert, select, tuple_
from sqlalchemy.orm import Session

from teleprospect.core.activity import (
    EMAIL,
    OCCURRED_AT,
    ActivityRow,
    read_activity,
    suggest_activity_columns,
)
from teleprospect.core.csv_reader import CsvRow
from teleprospect.core.dedupe_keys import email_key
from teleprospect.core.domain import ImportKind, ImportStatus
from teleprospect.services.imports.batches import (
    CancelCheck,
    ProgressCallback,
    checked_source,
    stopped,
    user_id_of,
)
from teleprospect.services.imports.errors import (
    DryRunDone,
    ImportCancelled,
    ImportInvalid,
)
from teleprospect.services.imports.files import read_rows, sniff
from teleprospect.services.imports.leads import ROWS_PER_CHUNK
from teleprospect.services.imports.reports import ImportReports
from teleprospect.store.clock import database_now
from teleprospect.store.database import Database
from teleprospect.store.models import EngagementEvent, ImportBatch, Lead
from teleprospect.store.staging import ChunkSizer, LongWrite, discard_abandoned_writes
from teleprospect.store.types import utcnow


@dataclass(frozen=True)
class ActivityImportRequest:
    path: Path
    #: Role ("email", "activity", "occurred_at", "detail") → column; None: suggested.
    columns: dict[str, str | None] | None = None
    encoding: str | None = None
    delimiter: str | None = None
    #: Read "03/04/2026" as 3 April rather than March 4.
    day_first: bool = False
    #: Zone of times written without one (IANA name).
    time_zone: str = "UTC"
    dry_run: bool = False
    allow_reimport: bool = False
    report_dir: Path | None = None
    login: str = ""


@dataclass
class ActivitySummary:
    file_name: str
    dialect: str = ""
    rows: int = 0
    imported: int = 0
    already_known: int = 0
    unmatched: int = 0
    rejected: int = 0
    leads_touched: int = 0
    batch_id: int | None = None
    dry_run: bool = False
    seconds: float = 0.0
    reject_file: Path | None = None
    summary_file: Path | None = None
    _lead_ids: set[int] = field(default_factory=set, repr=False)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file_name,
            "dialect": self.dialect,
            "rows": self.rows,
            "imported": self.imported,
            "already_known": self.already_known,
            "unmatched": self.unmatched,
            "rejected": self.rejected,
            "leads_touched": self.leads_touched,
            "batch_id": self.batch_id,
            "dry_run": self.dry_run,
            "seconds": round(self.seconds, 3),
            "reject_file": str(self.reject_file) if self.reject_file else None,
            "summary_file": str(self.summary_file) if self.summary_file else None,
        }


def import_activity(
    db: Database,
    request: ActivityImportRequest,
    *,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
) -> ActivitySummary:
    started = time.perf_counter()
    path, sha = checked_source(
        db, request.path, ImportKind.ACTIVITY, again=request.allow_reimport or request.dry_run
    )
    try:
        assume = ZoneInfo(request.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ImportInvalid(f"{request.time_zone!r} is not a time zone name.") from None
    dialect = sniff(path, encoding=request.encoding, delimiter=request.delimiter)
    columns = request.columns or suggest_activity_columns(dialect.header)
    if not columns.get(EMAIL) or not columns.get(OCCURRED_AT):
        raise ImportInvalid(
            f"{path.name} needs a column with the person's email and one with the date "
            f"(found: {', '.join(dialect.header)})."
        )
    summary = ActivitySummary(path.name, dialect.description, dry_run=request.dry_run)
    reports = ImportReports(request.report_dir, path, dialect.header)
    batch_values = {
        "kind": ImportKind.ACTIVITY,
        "file_name": path.name,
        "file_sha256": sha,
        "login": request.login,
        "encoding": dialect.encoding,
        "delimiter": dialect.delimiter,
        "mapping": {"version": 1, "activity_columns": columns},
    }
    discard_abandoned_writes(db)  # what a killed import left behind goes first
    try:
        with LongWrite(db, "activity import", about=path.name, login=request.login) as write:
            with write.step() as session:
                batch = ImportBatch(
                    **batch_values,
                    user_id=user_id_of(session, request.login),
                )
                session.add(batch)
                session.flush()
                batch_id = batch.id
            store = _EventStore(write, batch_id, summary, reports)
            chunk: list[tuple[CsvRow, ActivityRow]] = []
            for row in read_rows(path, dialect):
                summary.rows += 1
                try:
                    activity = read_activity(
                        row.values, columns, assume=assume, day_first=request.day_first
                    )
                    chunk.append((row, activity))
                except ValueError as exc:
                    summary.rejected += 1
                    reports.reject(row, str(exc))
                if len(chunk) >= ROWS_PER_CHUNK:
                    if should_cancel and should_cancel():
                        raise ImportCancelled()
                    store.store(chunk)
                    chunk = []
                    if progress:
                        progress(summary.rows, 0)
            store.store(chunk)
            summary.leads_touched = len(summary._lead_ids)
            if request.dry_run:
                raise DryRunDone()
            # Engagement feeds the score: the touched leads are re-scored once the events
            # are visible (kept aside till then, so a killed process leaves them to the
            # next start).
            touched = sorted(summary._lead_ids)
            write.in_steps(
                len(touched),
                lambda session, a, b: write.keep_changes(
                    session, [(lead_id, {"do": RESCORE}) for lead_id in touched[a:b]]
                ),
                ChunkSizer(1_000),
            )
            with write.publish(changes_follow=bool(touched)) as session:
                recorded = session.get(ImportBatch, batch_id)
                assert recorded is not None  # written by this import
                recorded.status = ImportStatus.COMMITTED
                recorded.rows, recorded.imported = summary.rows, summary.imported
                recorded.duplicates = summary.already_known
                recorded.rejected = summary.rejected
                recorded.finished_at = utcnow()
                recorded.staged_write_id = None
            write.apply_changes(apply_rescores)
            write.finish()
            summary.batch_id = batch_id
    except DryRunDone:
        summary.batch_id = None
    except BaseException as exc:
        error = stopped(
            exc, reports, ImportKind.ACTIVITY, path.name, request.login, summary.rows + 1
        )
        raise error  # noqa: B904 - stopped() set its cause (a cancel is raised as it is)
    summary.seconds = time.perf_counter() - started
    summary.reject_file, summary.summary_file = reports.finish_with(
        lambda reject_file: _activity_summary_text(summary, reject_file)
    )
    return summary


class _EventStore:
    """Stores an activity import's events, chunk by chunk: what a chunk matches is read
    first (on SQLite without the write lock), its new events written in short steps."""

    def __init__(
        self,
        write: LongWrite,
        batch_id: int,
        summary: ActivitySummary,
        reports: ImportReports,
    ) -> None:
        self.write = write
        self.batch_id = batch_id
        self.summary = summary
        self.reports = reports
        self.sizer = ChunkSizer(500)

    def store(self, chunk: list[tuple[CsvRow, ActivityRow]]) -> None:
        if not chunk:
            return
        with self.write.reading() as session:
            new_rows = self._new_events(session, chunk)
        if not new_rows:
            return

        def insert_events(session: Session, start: int, stop: int) -> None:
            session.execute(insert(EngagementEvent), new_rows[start:stop])

        self.write.in_steps(len(new_rows), insert_events, self.sizer)
        self.summary.imported += len(new_rows)

    def _new_events(
        self, session: Session, chunk: list[tuple[CsvRow, ActivityRow]]
    ) -> list[dict[str, Any]]:
        summary, reports = self.summary, self.reports
        emails = {r.email for _, r in chunk} | {email_key(r.email) or "" for _, r in chunk}
        lead_by_email: dict[str, int] = {}
        for lead_id, email in session.execute(
            select(Lead.id, Lead.email).where(Lead.email.in_(emails)).order_by(Lead.id)
        ):
            lead_by_email.setdefault(email or "", lead_id)
            lead_by_email.setdefault(email_key(email) or "", lead_id)
        matched: list[tuple[int, ActivityRow]] = []
        for row, activity in chunk:
            found = lead_by_email.get(activity.email) or lead_by_email.get(
                email_key(activity.email) or ""
            )
            if found is None:
                summary.unmatched += 1
                summary.rejected += 1
                reports.reject(row, f"no lead has the email {activity.email}")
            else:
                matched.append((found, activity))
        if not matched:
            return []
        wanted = {(lead_id, a.occurred_at) for lead_id, a in matched}
        stored = session.execute(
            select(
                EngagementEvent.lead_id,
                EngagementEvent.kind,
                EngagementEvent.occurred_at,
                EngagementEvent.detail,
            ).where(tuple_(EngagementEvent.lead_id, EngagementEvent.occurred_at).in_(wanted))
        )
        known = {tuple(row) for row in stored}
        new_rows: list[dict[str, Any]] = []
        for lead_id, activity in matched:
            key = (lead_id, activity.kind, activity.occurred_at, activity.detail)
            if key in known:
                summary.already_known += 1
                continue
            known.add(key)
            summary._lead_ids.add(lead_id)
            new_rows.append(
                {
                    "lead_id": lead_id,
                    "kind": activity.kind,
                    "occurred_at": activity.occurred_at,
                    "detail": activity.detail,
                    "import_batch_id": self.batch_id,
                    "staged_write_id": self.write.write_id,
                }
            )
        return new_rows


#: The change an activity import keeps aside for each lead with new activity.
RESCORE = "rescore"


def apply_rescores(session: Session, changes: list[tuple[int, dict[str, Any]]]) -> None:
    """Re-score leads with new activity (changes kept aside by an activity import)."""
    from teleprospect.services.scoring.scores import rescore_lead, rules_in_session
    from teleprospect.services.settings.team_settings import PRIORITY_WEIGHTS, read_setting

    rules = rules_in_session(session)
    weights = read_setting(session, PRIORITY_WEIGHTS)
    # The database's clock decides the day engagement is aged to, as for every score.
    now = database_now(session)
    for lead in session.scalars(select(Lead).where(Lead.id.in_([i for i, _ in changes]))):
        rescore_lead(session, lead, now=now, rules=rules, weights=weights)
    # A reply, a click, a registration… pauses the lead's track and calls it at once.
    from teleprospect.services.nurture.responses import respond_to_activity

    respond_to_activity(session, [i for i, _ in changes], now)


def _activity_summary_text(summary: ActivitySummary, reject_file: Path | None) -> str:
    lines = [
        f"Activity import of {summary.file_name}"
        + (
            " (dry run: nothing was saved)" if summary.dry_run else f" — import #{summary.batch_id}"
        ),
        f"Read as: {summary.dialect}",
        "",
        f"Rows read:                    {summary.rows:>9,}",
        f"Events stored:                {summary.imported:>9,}",
        f"Events already known:         {summary.already_known:>9,}",
        f"Rows matching no lead:        {summary.unmatched:>9,}",
        f"Rows rejected (all reasons):  {summary.rejected:>9,}",
        f"Leads with new activity:      {summary.leads_touched:>9,}",
    ]
    if reject_file:
        lines += ["", f"Rejected rows, each with its row number and reason: {reject_file}"]
    return "\n".join(lines) + "\n"
