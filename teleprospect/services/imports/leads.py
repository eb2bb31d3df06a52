"""Importing leads from a CSV file: one recorded batch, all or nothing.

The flow for one file: detect how to read it (encoding, delimiter); prepare every row
(map its columns, normalise, parse its phone numbers, score it: see import_rows, in
worker processes for big files); find duplicates against the database and earlier rows
of the same file, put numbers and emails on the do-not-call list under do-not-call, and
write the leads — all in one transaction. A cancel or an error rolls everything back and
is itself recorded. Every rejected row goes to a reject file with its row number and
reason; a summary file beside it lists what happened, duplicates included.
"""

from __future__ import annotations

import csv
import hashlib
import os
import time
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import func, insert, or_, select, text
from sqlalchemy.orm import Session

from teleprospect.core.column_mapping import ColumnMapping, MappingPlan, suggest_mapping
from teleprospect.core.csv_reader import CsvDialect, CsvError, CsvRow
from teleprospect.core.dedupe_keys import (
    COMPANY_MATCH_THRESHOLD,
    email_key,
    match_key,
    person_key,
    same_company,
)
from teleprospect.core.domain import DuplicatePolicy, HistoryKind, ImportKind, ImportStatus
from teleprospect.services.imports.files import read_rows, sniff
from teleprospect.services.imports.rows import (
    LEAD_COLUMNS,
    PHONE_COLUMNS,
    PreparedRow,
    RawRow,
    RowContext,
    prepare_in_worker,
    prepare_rows,
    spaced_collections,
    start_worker,
)
from teleprospect.services.scoring.scores import LeadScorer
from teleprospect.store.bulk import BulkInsert, sqlite_bulk_settings
from teleprospect.store.database import Database
from teleprospect.store.models import (
    Campaign,
    DoNotCallEntry,
    ImportBatch,
    Lead,
    LeadHistory,
    LeadPhone,
    SavedMapping,
    User,
)
from teleprospect.store.types import utcnow

#: Rows handled per step: one database round trip per step for duplicates and DNC.
ROWS_PER_CHUNK = 2_000
#: From this many rows on, phone numbers are parsed in worker processes.
PARALLEL_FROM_ROWS = 20_000
#: Worker processes preparing rows (mapping, phone parsing, keys, scores): one per core.
#: More than a few cannot help, as this process writes to the database one chunk at a
#: time.
ROW_WORKERS = max(2, min(os.cpu_count() or 2, 8))
#: SQLite, while importing: page cache (KiB) and write-ahead-log pages between
#: checkpoints (see :func:`sqlite_bulk_settings`).
SQLITE_CACHE_KIB = 128 * 1024
SQLITE_CHECKPOINT_PAGES = 50_000
#: How many rows a preview shows.
PREVIEW_ROWS = 20
#: How many duplicates the summary keeps in memory to show; the report file has them all.
DUPLICATES_LISTED = 500
#: About how many leads of the file are remembered by key for finding later duplicates;
#: older ones are found through the database, so memory stays flat on any file size.
FILE_KEYS_KEPT = 50_000

ProgressCallback = Callable[[int, int], None]
CancelCheck = Callable[[], bool]


class ImportError_(Exception):  # noqa: N801 - "ImportError" is a builtin
    """An import that could not run; the message is one sentence for the user."""


class AlreadyImported(ImportError_):
    """The same file (by checksum) was imported before."""

    def __init__(self, batch_id: int, file_name: str, when: datetime, login: str) -> None:
        self.batch_id = batch_id
        super().__init__(
            f"This file was already imported on {when:%Y-%m-%d %H:%M} UTC by {login or 'someone'}"
            f" (as {file_name}, import #{batch_id}). Import it again only if you mean to."
        )


class ImportCancelled(ImportError_):
    def __init__(self) -> None:
        super().__init__("The import was cancelled; nothing was changed.")


class ImportFailed(ImportError_):
    """An error part-way: everything done so far was rolled back."""


@dataclass(frozen=True)
class ImportPreview:
    dialect: CsvDialect
    rows: list[list[str]]
    suggested: ColumnMapping
    file_sha256: str
    previous_batch_id: int | None


@dataclass(frozen=True)
class LeadImportRequest:
    path: Path
    mapping: ColumnMapping | None = None  # None: the suggested mapping
    encoding: str | None = None  # None: detected
    delimiter: str | None = None  # None: detected
    campaign_id: int | None = None
    #: The campaign by name: found (case-insensitive, exact), or created inside the import's
    #: own transaction, so a dry run or a failed import leaves no new campaign behind.
    campaign_name: str | None = None
    #: Region for numbers written without a country code; default: the campaign's.
    default_region: str | None = None
    on_duplicate: DuplicatePolicy = DuplicatePolicy.SKIP
    dry_run: bool = False
    #: Import a file whose checksum matches an earlier import anyway.
    allow_reimport: bool = False
    #: Where the reject file and the summary go; default: beside nothing (not written).
    report_dir: Path | None = None
    login: str = ""
    #: Use worker processes for phone parsing: None decides by the file's size.
    parallel: bool | None = None


@dataclass(frozen=True)
class DuplicateFound:
    row_number: int
    lead_id: int
    lead_name: str
    reason: str
    action: str  # "skipped", "updated", "marked"


@dataclass
class ImportSummary:
    file_name: str
    dialect: str = ""
    rows: int = 0
    imported: int = 0
    updated: int = 0
    duplicates: int = 0
    rejected: int = 0
    invalid_phones: int = 0
    dnc: int = 0
    flagged: int = 0
    batch_id: int | None = None
    dry_run: bool = False
    seconds: float = 0.0
    reject_file: Path | None = None
    summary_file: Path | None = None
    duplicates_file: Path | None = None
    #: The first DUPLICATES_LISTED duplicates; all of them are in ``duplicates_file``.
    duplicate_list: list[DuplicateFound] = field(default_factory=list)
    #: The campaign the leads were filed under, and whether this import created it.
    campaign: str | None = None
    campaign_created: bool = False
    #: Ids of the new leads, compactly (a million-row file stays small in memory).
    imported_lead_ids: array[int] = field(default_factory=lambda: array("q"))

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file_name,
            "dialect": self.dialect,
            "rows": self.rows,
            "imported": self.imported,
            "updated": self.updated,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "invalid_phones": self.invalid_phones,
            "dnc": self.dnc,
            "flagged": self.flagged,
            "batch_id": self.batch_id,
            "dry_run": self.dry_run,
            "seconds": round(self.seconds, 3),
            "reject_file": str(self.reject_file) if self.reject_file else None,
            "summary_file": str(self.summary_file) if self.summary_file else None,
            "duplicates_file": str(self.duplicates_file) if self.duplicates_file else None,
            "campaign": self.campaign,
            "campaign_created": self.campaign_created,
        }


# --- before the import ----------------------------------------------------------------


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def previous_import(db: Database, sha256: str, kind: ImportKind) -> ImportBatch | None:
    """The last committed import of a file with this checksum, if any."""
    with db.read() as session:
        return session.scalars(
            select(ImportBatch)
            .where(
                ImportBatch.file_sha256 == sha256,
                ImportBatch.kind == kind,
                ImportBatch.status == ImportStatus.COMMITTED,
            )
            .order_by(ImportBatch.id.desc())
            .limit(1)
        ).first()


def preview_file(
    db: Database,
    path: Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    saved_mapping: str | None = None,
) -> ImportPreview:
    """What the wizard shows before anything is imported. Raises CsvError for a non-CSV."""
    dialect = sniff(path, encoding=encoding, delimiter=delimiter)
    rows: list[list[str]] = []
    for row in read_rows(path, dialect):
        rows.append(row.cells[: len(dialect.header)])
        if len(rows) >= PREVIEW_ROWS:
            break
    saved = load_mapping(db, saved_mapping) if saved_mapping else None
    sha = file_checksum(path)
    previous = previous_import(db, sha, ImportKind.LEADS)
    return ImportPreview(
        dialect,
        rows,
        suggest_mapping(dialect.header, saved),
        sha,
        previous.id if previous else None,
    )


def saved_mapping_names(db: Database, kind: ImportKind = ImportKind.LEADS) -> list[str]:
    with db.read() as session:
        return list(
            session.scalars(
                select(SavedMapping.name)
                .where(SavedMapping.kind == kind)
                .order_by(SavedMapping.name)
            )
        )


def load_mapping(db: Database, name: str) -> ColumnMapping:
    with db.read() as session:
        saved = session.scalars(select(SavedMapping).where(SavedMapping.name == name)).first()
    if saved is None:
        raise ImportError_(f"There is no saved mapping called {name!r}.")
    return ColumnMapping.from_dict(saved.mapping)


def save_mapping(
    db: Database, name: str, mapping: ColumnMapping, kind: ImportKind = ImportKind.LEADS
) -> None:
    """Save (or replace) a mapping under ``name`` for the next file of the same kind."""
    name = name.strip()
    if not name:
        raise ImportError_("A saved mapping needs a name.")
    with db.write() as session:
        saved = session.scalars(select(SavedMapping).where(SavedMapping.name == name)).first()
        if saved is None:
            session.add(SavedMapping(name=name, kind=kind, mapping=mapping.to_dict()))
        else:
            saved.mapping = mapping.to_dict()
            saved.kind = kind


# --- the import -----------------------------------------------------------------------


def import_leads(
    db: Database,
    request: LeadImportRequest,
    *,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
) -> ImportSummary:
    """Import one CSV file of leads. Raises :class:`ImportError_` subclasses or CsvError."""
    started = time.perf_counter()
    path, sha = checked_source(
        db, request.path, ImportKind.LEADS, again=request.allow_reimport or request.dry_run
    )
    dialect = sniff(path, encoding=request.encoding, delimiter=request.delimiter)
    mapping = request.mapping or suggest_mapping(dialect.header)
    summary = ImportSummary(file_name=path.name, dialect=dialect.description)
    summary.dry_run = request.dry_run
    reports = ImportReports(request.report_dir, path, dialect.header)

    batch_values = {
        "kind": ImportKind.LEADS,
        "file_name": path.name,
        "file_sha256": sha,
        "login": request.login,
        "encoding": dialect.encoding,
        "delimiter": dialect.delimiter,
        "mapping": mapping.to_dict(),
        "campaign_id": request.campaign_id,
        "on_duplicate": request.on_duplicate.value,
    }
    try:
        with db.write() as session:
            user_id = user_id_of(session, request.login)
            if request.campaign_name is not None:
                choice = campaign_in(session, request.campaign_name, request.default_region)
                request = replace(request, campaign_id=choice.id)
                batch_values["campaign_id"] = None if choice.created else choice.id
                summary.campaign, summary.campaign_created = choice.name, choice.created
            region = _default_region(session, request)
            batch = ImportBatch(**batch_values, user_id=user_id, default_region=region)
            session.add(batch)
            session.flush()
            plan = mapping.compile(dialect.header)
            writer = _LeadWriter(session, batch.id, request, region, plan, summary, reports)
            total = _estimate_rows(path)
            parallel = request.parallel
            if parallel is None:
                parallel = total >= PARALLEL_FROM_ROWS
            context = RowContext(plan, region, writer.scorer)
            with (
                spaced_collections(),
                sqlite_bulk_settings(
                    writer.connection,
                    cache_kib=SQLITE_CACHE_KIB,
                    checkpoint_pages=SQLITE_CHECKPOINT_PAGES,
                ),
            ):
                for rows, prepared in _prepared_chunks(read_rows(path, dialect), context, parallel):
                    if should_cancel and should_cancel():
                        raise ImportCancelled()
                    writer.write_chunk(rows, prepared)
                    if progress:
                        progress(summary.rows, max(total, summary.rows))
            _fill_batch(batch, summary, status=ImportStatus.COMMITTED)
            batch.finished_at = utcnow()
            summary.batch_id = batch.id
            if request.dry_run:
                batch.status = ImportStatus.DRY_RUN
                raise DryRunDone()
    except DryRunDone:
        summary.batch_id = None
        del summary.imported_lead_ids[:]
    except ImportCancelled:
        reports.discard()
        _record_unfinished(db, batch_values, summary, ImportStatus.CANCELLED, "cancelled")
        raise
    except Exception as exc:
        reports.discard()
        message = failure_message(exc, summary.rows + 1)
        _record_unfinished(db, batch_values, summary, ImportStatus.FAILED, message)
        raise ImportFailed(message) from exc
    summary.seconds = time.perf_counter() - started
    summary.reject_file, summary.summary_file = reports.finish(summary)
    summary.duplicates_file = reports.duplicates_path
    if summary.batch_id is not None and (summary.reject_file or summary.summary_file):
        with db.write() as session:
            batch = session.get(ImportBatch, summary.batch_id)
            if batch is not None:
                batch.reject_file = str(summary.reject_file or "")
    if progress:
        progress(summary.rows, summary.rows)
    return summary


class DryRunDone(Exception):
    """Raised inside the transaction to roll back a dry run after counting everything."""


def checked_source(
    db: Database, path: Path | str, kind: ImportKind, *, again: bool
) -> tuple[Path, str]:
    """The file to import and its checksum. Refuses a missing file, and a file imported
    before unless ``again``."""
    path = Path(path)
    if not path.is_file():
        raise ImportError_(f"{path} does not exist or is not a file.")
    sha = file_checksum(path)
    if not again:
        previous = previous_import(db, sha, kind)
        if previous is not None:
            raise AlreadyImported(
                previous.id, previous.file_name, previous.started_at, previous.login
            )
    return path, sha


def failure_message(error: BaseException, row: int) -> str:
    """Why an import that changed nothing stopped, in one sentence."""
    if isinstance(error, CsvError):
        return f"{error} Nothing was imported."
    return f"The import stopped at row {row} ({error}); nothing was imported."


def user_id_of(session: Session, login: str) -> int | None:
    if not login:
        return None
    return session.scalar(select(User.id).where(User.login == login))


def _default_region(session: Session, request: LeadImportRequest) -> str:
    if request.default_region:
        return request.default_region.upper()
    if request.campaign_id is not None:
        campaign = session.get(Campaign, request.campaign_id)
        if campaign is None:
            raise ImportError_(f"There is no campaign with id {request.campaign_id}.")
        return campaign.default_region
    return "US"


def _fill_batch(batch: ImportBatch, summary: ImportSummary, *, status: ImportStatus) -> None:
    batch.status = status
    for name in ("rows", "imported", "updated", "duplicates", "rejected", "invalid_phones", "dnc"):
        setattr(batch, name, getattr(summary, name))


def record_unfinished(
    db: Database,
    values: dict[str, Any],
    status: ImportStatus,
    message: str,
    *,
    rows: int,
    rejected: int,
) -> None:
    """A cancelled or failed import changed nothing, but it is recorded that it was tried."""
    with db.write() as session:
        batch = ImportBatch(**values, user_id=user_id_of(session, values["login"]))
        batch.status, batch.message = status, message
        batch.rows, batch.rejected = rows, rejected
        batch.finished_at = utcnow()
        session.add(batch)


def _record_unfinished(
    db: Database,
    values: dict[str, Any],
    summary: ImportSummary,
    status: ImportStatus,
    message: str,
) -> None:
    record_unfinished(db, values, status, message, rows=summary.rows, rejected=summary.rejected)


def _estimate_rows(path: Path) -> int:
    """Lines in the file less the header: a progress total (cells may hold newlines)."""
    count = 0
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            count += chunk.count(b"\n")
    return max(count - 1, 1)


# --- preparing rows, possibly in worker processes --------------------------------------


def _chunks(rows: Iterator[CsvRow], size: int) -> Iterator[list[CsvRow]]:
    chunk: list[CsvRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _raw(chunk: list[CsvRow]) -> list[RawRow]:
    return [(row.cells, row.problems) for row in chunk]


def _prepared_chunks(
    rows: Iterator[CsvRow], context: RowContext, parallel: bool
) -> Iterator[tuple[list[CsvRow], list[PreparedRow]]]:
    """Rows and their prepared leads, chunk by chunk, in file order.

    With ``parallel``, worker processes prepare the next chunks (mapping, phone parsing,
    keys, scores) while this process checks and writes the current one. Workers are
    spawned (not forked) so that a GUI's threads are never copied into them.
    """
    if not parallel:
        for chunk in _chunks(rows, ROWS_PER_CHUNK):
            yield chunk, prepare_rows(context, _raw(chunk))
        return
    lookahead = ROW_WORKERS * 2
    with ProcessPoolExecutor(
        ROW_WORKERS,
        mp_context=get_context("spawn"),
        initializer=start_worker,
        initargs=(context,),
    ) as pool:
        pending: deque[tuple[list[CsvRow], Future[list[PreparedRow]]]] = deque()
        try:
            for chunk in _chunks(rows, ROWS_PER_CHUNK):
                pending.append((chunk, pool.submit(prepare_in_worker, _raw(chunk))))
                if len(pending) > lookahead:
                    chunk0, future0 = pending.popleft()
                    yield chunk0, future0.result()
            while pending:
                chunk0, future0 = pending.popleft()
                yield chunk0, future0.result()
        finally:
            for _, future in pending:
                future.cancel()


# --- writing one chunk ----------------------------------------------------------------


_LENGTHS = {c.name: c.type.length for c in Lead.__table__.columns if hasattr(c.type, "length")}
#: Fields an "update" import may fill in on an existing lead.
_UPDATABLE = (
    "first_name", "last_name", "email", "company", "title", "industry", "lead_source",
    "company_size", "country",
)  # fmt: skip
#: Lead columns a new lead's row gives after the prepared ones: they are known only here.
_LEAD_INSERT_COLUMNS = (*LEAD_COLUMNS, "id", "possible_duplicate_of_id", "do_not_call")


@dataclass(slots=True)
class _Seen:
    """Leads already known by key: from the database or from earlier rows of the file."""

    lead_id: int  # 0 while the row's lead waits to be inserted
    name: str
    company: str
    this_file: bool = True

    @property
    def where(self) -> str:
        return "an earlier row of this file" if self.this_file else "an existing lead"


class _Recent(dict):  # type: ignore[type-arg]
    """Keys of about the last ``size`` entries: two generations, the older one dropped
    when the newer one is full. ``dropped`` tells that something was forgotten.

    Values may be containers that grow (a person's companies): :meth:`grew` counts their
    entries too, so a few names with many companies cannot hold on to every lead.
    """

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size
        self.older: dict[Any, Any] = {}
        self.dropped = False
        self._entries = 0

    def get(self, key: Any, default: Any = None) -> Any:
        value = dict.get(self, key)
        return value if value is not None else self.older.get(key, default)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        value = self.get(key)
        if value is not None:
            return value
        self.grew()
        self[key] = default
        return default

    def grew(self) -> None:
        """Count one more entry; start a new generation when this one is full."""
        self._entries += 1
        if self._entries > self.size:
            self.dropped = self.dropped or bool(self.older)
            self.older = dict(self)
            self.clear()
            self._entries = 1


#: A new lead waiting to be inserted: the prepared row, its key holder, on DNC, and the
#: lead it may duplicate (its id may not be known yet either).
_Pending = tuple[PreparedRow, _Seen, bool, "_Seen | None"]
_Existing = tuple[dict[str, _Seen], dict[str, _Seen], dict[str, list[_Seen]]]
_NOTHING_EXISTING: _Existing = ({}, {}, {})
#: From this many companies for one person key on, they are compared in one call.
_COMPANIES_IN_ONE_CALL = 12
_CUTOFF = COMPANY_MATCH_THRESHOLD


class _LeadWriter:
    def __init__(
        self,
        session: Session,
        batch_id: int,
        request: LeadImportRequest,
        region: str,
        plan: MappingPlan,
        summary: ImportSummary,
        reports: ImportReports,
    ) -> None:
        self.session = session
        self.batch_id = batch_id
        self.request = request
        self.plan = plan
        self.summary = summary
        self.reports = reports
        self.now = utcnow()
        self.connection = session.connection()
        self.is_sqlite = self.connection.dialect.name == "sqlite"
        self.scorer = LeadScorer.for_import(session, request.campaign_id, region, self.now)
        now = self.now
        self.lead_rows = BulkInsert(
            self.connection,
            Lead.__table__,
            _LEAD_INSERT_COLUMNS,
            {
                "campaign_id": request.campaign_id,
                "import_batch_id": batch_id,
                "inbound": self.scorer.inbound,
                "rules_version": self.scorer.rules.version,
                "next_action_at": now,  # callable at once: no hopper, no cron
                "scored_at": now,
                "created_at": now,
                "updated_at": now,
            },
            encoded=("extra", "priority"),  # JSON text, and a float already
        )
        self.phone_rows = BulkInsert(
            self.connection, LeadPhone.__table__, ("lead_id", *PHONE_COLUMNS)
        )
        # Keys of leads this file created, so a later row can match an earlier one.
        self.file_emails: _Recent = _Recent(FILE_KEYS_KEPT)
        self.file_phones: _Recent = _Recent(FILE_KEYS_KEPT)
        # Match key → company key → the first lead of the file with that company key. As
        # in the database, candidates are the leads of the same match key (the same person
        # at a company starting alike: see match_key()). same_company() depends on the
        # company keys alone, so a later lead with a company key already there can never
        # be the first match: one entry per company key.
        self.file_people: _Recent = _Recent(FILE_KEYS_KEPT)
        self.pending: list[_Pending] = []
        #: Duplicates of this chunk, recorded once the leads they point at have ids.
        self.found: list[tuple[int, _Seen, str, str]] = []
        # Leads created by this import are found through the file_* keys above, so the
        # database is asked only about the others. Under "update" the leads of this file
        # change as it goes, so the database is asked about every lead, as it stands.
        self.update_policy = request.on_duplicate is DuplicatePolicy.UPDATE
        # SQLite: the write transaction holds the database (BEGIN IMMEDIATE), so what is
        # empty now stays empty until this import adds to it. PostgreSQL: others may
        # commit meanwhile, so the database is asked for every chunk.
        self.query_leads = self.update_policy or not self.is_sqlite or self._has(Lead.id)
        self.query_dnc = not self.is_sqlite or self._has(DoNotCallEntry.id)

    @property
    def forgot_some(self) -> bool:
        """True once leads of this file dropped out of the in-memory keys."""
        return self.file_emails.dropped or self.file_phones.dropped or self.file_people.dropped

    def _has(self, column: Any) -> bool:
        return self.session.scalar(select(column).limit(1)) is not None

    def write_chunk(self, rows: list[CsvRow], prepared: list[PreparedRow]) -> None:
        existing = _NOTHING_EXISTING
        dnc_emails: set[str] = set()
        dnc_phones: set[str] = set()
        if self.forgot_some and not self.query_leads:
            self.query_leads = True  # earlier rows of this file are now found in the database
        if self.query_leads or self.query_dnc:
            # Both as written and as keys: stored emails are lower-cased but may keep a +tag.
            emails = {p.email for p in prepared if p.email}
            emails.update(p.key_email for p in prepared if p.key_email)
            numbers = {number for p in prepared for number in p.numbers}
            if self.query_leads:
                matches = {p.key_match for p in prepared if p.key_match}
                existing = self._existing(emails, numbers, matches)
            if self.query_dnc:
                dnc_emails, dnc_phones = self._do_not_call(emails, numbers)

        summary = self.summary
        policy = self.request.on_duplicate
        for row, lead in zip(rows, prepared, strict=True):
            summary.rows += 1
            if lead.empty:
                summary.rejected += 1
                reason = "the row holds no name, email, company or phone number"
                self.reports.reject(row, reason)
                continue
            if lead.invalid_phones:
                summary.invalid_phones += 1
            match = self._match(lead, existing)
            key_email = lead.key_email
            on_dnc = bool(
                (key_email and (key_email in dnc_emails or lead.email in dnc_emails))
                or (dnc_phones and any(number in dnc_phones for number in lead.numbers))
            )
            if match is not None:
                seen, reason = match
                summary.duplicates += 1
                if policy is DuplicatePolicy.SKIP:
                    self.found.append((row.row_number, seen, reason, "skipped"))
                    continue
                if policy is DuplicatePolicy.UPDATE:
                    if seen.lead_id == 0:
                        self._insert_pending()  # the matched row is still waiting for its id
                    self._update(seen.lead_id, row, lead, on_dnc)
                    summary.updated += 1
                    self.found.append((row.row_number, seen, reason, "updated"))
                    continue
                self.found.append((row.row_number, seen, reason, "marked as possible duplicate"))
            if lead.flagged:
                summary.flagged += 1
            if on_dnc:
                summary.dnc += 1
            seen = _Seen(0, lead.name, lead.company)
            self._remember(seen, lead)
            self.pending.append((lead, seen, on_dnc, match[0] if match else None))
        self._insert_pending()
        for number, seen, reason, action in self.found:
            found = DuplicateFound(number, seen.lead_id, seen.name, reason, action)
            self.reports.duplicate(found)
            if len(summary.duplicate_list) < DUPLICATES_LISTED:
                summary.duplicate_list.append(found)
        self.found.clear()

    def _new_lead_ids(self, count: int) -> list[int]:
        """Ids for the next ``count`` leads, in order, known before they are inserted.

        SQLite: the write transaction began with BEGIN IMMEDIATE, so nobody else inserts
        meanwhile and SQLite would give the next ids after the largest one itself.
        PostgreSQL: taken from the column's sequence, as an INSERT would.
        """
        if self.is_sqlite:
            last = self.connection.scalar(select(func.coalesce(func.max(Lead.id), 0)))
            return list(range(last + 1, last + 1 + count))
        return sorted(
            self.connection.scalars(
                text(
                    "SELECT nextval(pg_get_serial_sequence('lead', 'id'))"
                    " FROM generate_series(1, :n)"
                ),
                {"n": count},
            )
        )

    def _insert_pending(self) -> None:
        """Insert the new leads waiting in ``pending``, with their phones and DNC history."""
        if not self.pending:
            return
        ids = self._new_lead_ids(len(self.pending))
        lead_rows = []
        phone_rows = []
        history_rows = []
        for lead_id, (lead, seen, on_dnc, duplicate_of) in zip(ids, self.pending, strict=True):
            seen.lead_id = lead_id
            # An earlier lead: inserted before, or earlier in this very list.
            lead_rows.append(
                (*lead.lead, lead_id, duplicate_of.lead_id if duplicate_of else None, on_dnc)
            )
            for phone in lead.phones:
                phone_rows.append((lead_id, *phone))
            if on_dnc:
                history_rows.append(
                    {
                        "lead_id": lead_id,
                        "at": self.now,
                        "kind": HistoryKind.DO_NOT_CALL,
                        "from_value": None,
                        "to_value": "do_not_call",
                        "reason": "on the do-not-call list when imported",
                        "user_id": None,
                    }
                )
        self.summary.imported += len(ids)
        self.summary.imported_lead_ids.extend(ids)
        self.pending.clear()
        self.lead_rows.insert(lead_rows)
        self.phone_rows.insert(phone_rows)
        if history_rows:
            self.connection.execute(insert(LeadHistory.__table__), history_rows)

    # -- duplicates

    def _existing(self, emails: set[str], numbers: set[str], people: set[str]) -> _Existing:
        columns = (
            Lead.id,
            Lead.first_name,
            Lead.last_name,
            Lead.company,
            Lead.email,
            Lead.phone_e164,
            Lead.match_key,
            Lead.import_batch_id,
        )
        # Leads of this import are known by the file_* keys (except under "update", and
        # once the oldest of them were forgotten to keep memory flat).
        others = (
            ()
            if self.update_policy or self.forgot_some
            else (or_(Lead.import_batch_id.is_(None), Lead.import_batch_id != self.batch_id),)
        )
        by_email: dict[str, _Seen] = {}
        by_phone: dict[str, _Seen] = {}
        by_person: dict[str, list[_Seen]] = {}

        def seen_of(row: Any) -> _Seen:
            name = f"{row.first_name} {row.last_name}".strip()
            return _Seen(row.id, name, row.company, row.import_batch_id == self.batch_id)

        def execute(query: Any) -> Any:
            # The oldest lead first: when several match, the same one is named every time.
            return self.connection.execute(query.order_by(Lead.id))

        if emails:
            for row in execute(select(*columns).where(Lead.email.in_(emails), *others)):
                by_email.setdefault(email_key(row.email) or "", seen_of(row))
        if numbers:
            # Two index-backed look-ups: an OR across the join would scan both tables.
            for row in execute(select(*columns).where(Lead.phone_e164.in_(numbers), *others)):
                by_phone.setdefault(row.phone_e164, seen_of(row))
            query = (
                select(*columns, LeadPhone.e164.label("other"))
                .join(LeadPhone, LeadPhone.lead_id == Lead.id)
                .where(LeadPhone.e164.in_(numbers), *others)
            )
            for row in execute(query):
                by_phone.setdefault(row.other, seen_of(row))
        if people:
            for row in execute(select(*columns).where(Lead.match_key.in_(people), *others)):
                by_person.setdefault(row.match_key, []).append(seen_of(row))
        return by_email, by_phone, by_person

    def _match(self, lead: PreparedRow, existing: _Existing) -> tuple[_Seen, str] | None:
        db_emails, db_phones, db_people = existing
        key_email = lead.key_email
        if key_email:
            seen = db_emails.get(key_email)
            if seen is not None:
                return seen, f"same email {key_email} as {seen.where}"
            seen = self.file_emails.get(key_email)
            if seen is not None:
                return seen, f"same email {key_email} as an earlier row of this file"
        for number in lead.numbers:
            seen = db_phones.get(number)
            if seen is not None:
                return seen, f"same phone {number} as {seen.where}"
            seen = self.file_phones.get(number)
            if seen is not None:
                return seen, f"same phone {number} as an earlier row of this file"
        if lead.key_person and lead.company:
            company = lead.company
            for seen in db_people.get(lead.key_match, ()):
                if same_company(seen.company, company):
                    return seen, _same_person(seen, seen.where)
            by_company = self.file_people.get(lead.key_match)
            if by_company:
                seen = _first_same_company(by_company, lead.key_company)
                if seen is not None:
                    return seen, _same_person(seen, "an earlier row of this file")
        return None

    def _remember(self, seen: _Seen, lead: PreparedRow) -> None:
        if lead.key_email:
            self.file_emails.setdefault(lead.key_email, seen)
        for number in lead.numbers:
            self.file_phones.setdefault(number, seen)
        if lead.key_match:  # no name or no company key: matched by email or phone only
            companies = self.file_people.setdefault(lead.key_match, {})
            if lead.key_company not in companies:
                companies[lead.key_company] = seen
                self.file_people.grew()

    def _do_not_call(self, emails: set[str], numbers: set[str]) -> tuple[set[str], set[str]]:
        if not emails and not numbers:
            return set(), set()
        conditions = []
        if emails:
            conditions.append(DoNotCallEntry.email.in_(emails))
        if numbers:
            conditions.append(DoNotCallEntry.phone_e164.in_(numbers))
        rows = self.connection.execute(
            select(DoNotCallEntry.email, DoNotCallEntry.phone_e164).where(or_(*conditions))
        ).all()
        return {r.email for r in rows if r.email}, {r.phone_e164 for r in rows if r.phone_e164}

    # -- updating an existing lead

    def _update(self, lead_id: int, row: CsvRow, prepared: PreparedRow, on_dnc: bool) -> None:
        """Fill the existing lead with the row's non-empty values; never blank a value."""
        existing = self.session.get(Lead, lead_id)
        if existing is None:  # pragma: no cover - matched ids come from this transaction
            return
        lead = self.plan.apply(row.cells)  # as the worker read it; rare enough to redo
        for name in _UPDATABLE:
            value = getattr(lead, name)
            if value not in (None, ""):
                limit = _LENGTHS.get(name)
                if isinstance(value, str) and limit:
                    value = value[:limit]
                setattr(existing, name, value)
        if lead.extras:
            existing.extra = {**(existing.extra or {}), **lead.extras}
        if lead.first_name or lead.last_name:
            existing.match_key = match_key(
                person_key(existing.first_name, existing.last_name), existing.company
            )
        known = {p.e164 for p in existing.phones} | {existing.phone_e164}
        position = len(existing.phones)
        for phone in prepared.phones:
            fields = dict(zip(PHONE_COLUMNS, phone, strict=True))
            e164 = fields["e164"]
            if e164 in known or (not e164 and not fields["raw"]):
                continue
            fields["position"] = position
            existing.phones.append(LeadPhone(**fields))
            position += 1
            known.add(e164)
            if not existing.phone_valid and fields["valid"] and e164:
                existing.phone_raw, existing.phone_e164 = fields["raw"], e164
                existing.phone_extension, existing.phone_valid = fields["extension"], True
                existing.phone_type = fields["number_type"]
                existing.phone_time_zones = fields["time_zones"]
        if on_dnc and not existing.do_not_call:
            existing.do_not_call = True
            self.summary.dnc += 1
        self.session.flush()


def _same_person(seen: _Seen, where: str) -> str:
    return f"same person at the same company ({seen.name}, {seen.company}) as {where}"


def _first_same_company(by_company: dict[str, _Seen], key: str) -> _Seen | None:
    """The first lead (in file order) whose company key is the same company as ``key``, as
    same_company() decides: equal keys, or token_sort_ratio from the threshold on."""
    if len(by_company) < _COMPANIES_IN_ONE_CALL:
        for other, seen in by_company.items():
            if other == key or fuzz.token_sort_ratio(other, key, score_cutoff=_CUTOFF):
                return seen
        return None
    # Common names gather many companies: let rapidfuzz compare them all in one call.
    # Equal keys score 100, so they are among the matches too.
    found = process.extract(
        key,
        list(by_company),
        scorer=fuzz.token_sort_ratio,
        score_cutoff=COMPANY_MATCH_THRESHOLD,
        limit=None,
    )
    if not found:
        return None
    first = min(index for _, _, index in found)
    return list(by_company.values())[first]


# --- reports --------------------------------------------------------------------------


class ImportReports:
    """The reject file (every rejected row, its number and reason) and the summary."""

    def __init__(self, directory: Path | None, source: Path, header: Iterable[str]) -> None:
        self.directory = directory
        self.header = list(header)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        self.stem = f"{source.stem}-{stamp}"
        self._reject_path: Path | None = None
        self._reject_stream: Any = None
        self._reject_writer: Any = None
        self.duplicates_path: Path | None = None
        self._duplicates_stream: Any = None
        self._duplicates_writer: Any = None

    def duplicate(self, found: DuplicateFound) -> None:
        """Every duplicate, streamed to a CSV file beside the summary."""
        if self.directory is None:
            return
        if self._duplicates_writer is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            self.duplicates_path = self.directory / f"{self.stem}-duplicates.csv"
            self._duplicates_stream = open(  # noqa: SIM115 - closed in finish()/discard()
                self.duplicates_path, "w", encoding="utf-8-sig", newline=""
            )
            self._duplicates_writer = csv.writer(self._duplicates_stream)
            self._duplicates_writer.writerow(
                ["Row", "Matched lead id", "Matched lead", "Why", "What was done"]
            )
        self._duplicates_writer.writerow(
            [found.row_number, found.lead_id, found.lead_name, found.reason, found.action]
        )

    def _close(self) -> None:
        for stream in (self._reject_stream, self._duplicates_stream):
            if stream is not None:
                stream.close()

    def reject(self, row: CsvRow, reason: str) -> None:
        if self.directory is None:
            return
        if self._reject_writer is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._reject_path = self.directory / f"{self.stem}-rejected.csv"
            self._reject_stream = open(  # noqa: SIM115 - closed in finish()/discard()
                self._reject_path, "w", encoding="utf-8-sig", newline=""
            )
            self._reject_writer = csv.writer(self._reject_stream)
            self._reject_writer.writerow(["Row", "Reason", *self.header])
        self._reject_writer.writerow([row.row_number, reason, *row.cells])

    def finish(self, summary: ImportSummary) -> tuple[Path | None, Path | None]:
        return self.finish_with(
            lambda reject_file: summary_text(summary, reject_file, self.duplicates_path)
        )

    def finish_with(self, text: Callable[[Path | None], str]) -> tuple[Path | None, Path | None]:
        """Close the reports and write ``text(reject_file)`` as the summary beside them;
        the reject file and the summary file, or None where none was written."""
        self._close()
        if self.directory is None:
            return None, None
        self.directory.mkdir(parents=True, exist_ok=True)
        summary_path = self.directory / f"{self.stem}-summary.txt"
        summary_path.write_text(text(self._reject_path), encoding="utf-8")
        return self._reject_path, summary_path

    def discard(self) -> None:
        self._close()
        for path in (self._reject_path, self.duplicates_path):
            if path is not None:
                path.unlink(missing_ok=True)
        self.duplicates_path = None


def summary_text(
    summary: ImportSummary, reject_file: Path | None, duplicates_file: Path | None = None
) -> str:
    lines = [
        f"Import of {summary.file_name}"
        + (
            " (dry run: nothing was saved)" if summary.dry_run else f" — import #{summary.batch_id}"
        ),
        f"Read as: {summary.dialect}",
        "",
        f"Rows read:                 {summary.rows:>9,}",
        f"New leads:                 {summary.imported:>9,}",
        f"Existing leads updated:    {summary.updated:>9,}",
        f"Duplicates found:          {summary.duplicates:>9,}",
        f"Rows rejected:             {summary.rejected:>9,}",
        f"Leads with no valid phone: {summary.invalid_phones:>9,}",
        f"Do-not-call (not queued):  {summary.dnc:>9,}",
        f"Rows with a flagged value: {summary.flagged:>9,}",
    ]
    if reject_file:
        lines += ["", f"Rejected rows, each with its row number and reason: {reject_file}"]
    if duplicates_file:
        lines += ["", f"Every duplicate, with the lead it matched and why: {duplicates_file}"]
    if summary.duplicate_list:
        shown = len(summary.duplicate_list)
        first = (
            f"the first {shown} of {summary.duplicates:,}" if shown < summary.duplicates else "all"
        )
        lines += ["", f"Duplicates, {first} (row: matched lead — why — what was done):"]
        lines += [
            f"  row {d.row_number}: lead #{d.lead_id} {d.lead_name} — {d.reason} — {d.action}"
            for d in summary.duplicate_list
        ]
    return "\n".join(lines) + "\n"


# --- campaigns ------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignChoice:
    id: int
    name: str
    default_region: str
    created: bool


def find_or_create_campaign(db: Database, name: str, region: str | None = None) -> CampaignChoice:
    """The campaign called ``name`` (case-insensitive), created when there is none."""
    with db.write() as session:
        return campaign_in(session, name, region)


def campaign_in(session: Session, name: str, region: str | None = None) -> CampaignChoice:
    """The campaign called ``name`` in this transaction, created (flushed) when there is none.

    Names match case-insensitively and exactly: ``%`` and ``_`` are plain characters.
    """
    name = " ".join(name.split())
    if not name:
        raise ImportError_("A campaign needs a name.")
    pattern = name.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
    campaign = session.scalars(
        select(Campaign).where(Campaign.name.ilike(pattern, escape="\\")).order_by(Campaign.id)
    ).first()
    created = campaign is None
    if campaign is None:
        campaign = Campaign(name=name, default_region=(region or "US").upper())
        session.add(campaign)
        session.flush()
    return CampaignChoice(campaign.id, campaign.name, campaign.default_region, created)


def campaign_names(db: Database) -> list[tuple[int, str, str]]:
    """(id, name, default region) of every campaign, by name."""
    with db.read() as session:
        rows = session.execute(
            select(Campaign.id, Campaign.name, Campaign.default_region).order_by(Campaign.name)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]
