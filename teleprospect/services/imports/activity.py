"""Importing engagement events (site visits, downloads, email replies, webinars).

Rows are matched to leads by email. Like a lead import, an activity import is one
recorded batch that commits completely or not at all; rows that match no lead or
cannot be read go to the reject file with their row number and reason. An event
already stored (same lead, kind, time and detail) is not stored twice, so
overlapping exports can be imported safely.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import insert, select, tuple_

from teleprospect.core.activity import (
    EMAIL,
    OCCURRED_AT,
    ActivityRow,
    read_activity,
    suggest_activity_columns,
)
from teleprospect.core.csv_reader import CsvRow
from teleprospect.core.dedupe_keys import email_key
from teleprospect.core.domain import ImportKind
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
from teleprospect.store.database import Database
from teleprospect.store.models import EngagementEvent, ImportBatch, Lead
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
    try:
        with db.write() as session:
            batch = ImportBatch(**batch_values, user_id=user_id_of(session, request.login))
            session.add(batch)
            session.flush()
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
                    _store(session, chunk, batch.id, summary, reports)
                    chunk = []
                    if progress:
                        progress(summary.rows, 0)
            _store(session, chunk, batch.id, summary, reports)
            summary.leads_touched = len(summary._lead_ids)
            batch.rows, batch.imported = summary.rows, summary.imported
            batch.duplicates, batch.rejected = summary.already_known, summary.rejected
            batch.finished_at = utcnow()
            summary.batch_id = batch.id
            if request.dry_run:
                raise DryRunDone()
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


def _store(
    session: Any,
    chunk: list[tuple[CsvRow, ActivityRow]],
    batch_id: int,
    summary: ActivitySummary,
    reports: ImportReports,
) -> None:
    if not chunk:
        return
    emails = {r.email for _, r in chunk} | {email_key(r.email) or "" for _, r in chunk}
    lead_by_email: dict[str, int] = {}
    for lead_id, email in session.execute(
        select(Lead.id, Lead.email).where(Lead.email.in_(emails)).order_by(Lead.id)
    ):
        lead_by_email.setdefault(email, lead_id)
        lead_by_email.setdefault(email_key(email) or "", lead_id)
    matched: list[tuple[int, ActivityRow]] = []
    for row, activity in chunk:
        lead_id = lead_by_email.get(activity.email) or lead_by_email.get(
            email_key(activity.email) or ""
        )
        if lead_id is None:
            summary.unmatched += 1
            summary.rejected += 1
            reports.reject(row, f"no lead has the email {activity.email}")
        else:
            matched.append((lead_id, activity))
    if not matched:
        return
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
                "import_batch_id": batch_id,
            }
        )
    if new_rows:
        session.execute(insert(EngagementEvent), new_rows)
        summary.imported += len(new_rows)
        _rescore(session, {row["lead_id"] for row in new_rows})


def _rescore(session: Any, lead_ids: set[int]) -> None:
    """Engagement feeds the score: the touched leads move in the queue at once."""
    from teleprospect.services.scoring.scores import rescore_lead, rules_in_session
    from teleprospect.services.settings.team_settings import PRIORITY_WEIGHTS, read_setting

    rules = rules_in_session(session)
    weights = read_setting(session, PRIORITY_WEIGHTS)
    now = utcnow()
    for lead in session.scalars(select(Lead).where(Lead.id.in_(lead_ids))):
        rescore_lead(session, lead, now=now, rules=rules, weights=weights)


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
