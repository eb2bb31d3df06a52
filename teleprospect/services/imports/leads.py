"""Importing leads from a CSV file: one recorded batch, all or nothing.

The flow for one file: detect how to read it (encoding, delimiter); prepare every row
(map its columns, normalise, parse its phone numbers, score it: see import_rows, in
worker processes for big files); find duplicates against the database and earlier rows
of the same file, put numbers and emails on the do-not-call list under do-not-call, and
write the leads — as one long write (:class:`~teleprospect.store.staging.LongWrite`): on
PostgreSQL one transaction; on SQLite short transactions whose leads nobody sees until
the last one shows them all at once, so that nobody waits for the import meanwhile. A
cancel or an error removes everything again and is itself logged. Every rejected row goes
to a reject file with its row number and reason; a summary file beside it lists what
happened, duplicates included.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from multiprocessing import get_context
from pathlib import Path

from sqlalchemy.orm import Session

from teleprospect.core.column_mapping import ColumnMapping, suggest_mapping
from teleprospect.core.csv_reader import CsvDialect, CsvRow
from teleprospect.core.domain import CampaignChannel, DuplicatePolicy, ImportKind, ImportStatus
from teleprospect.core.phones import phone_region
from teleprospect.services.imports.batches import (
    CancelCheck,
    ProgressCallback,
    checked_source,
    file_checksum,
    previous_import,
    stopped,
    user_id_of,
)
from teleprospect.services.imports.campaigns import campaign_in
from teleprospect.services.imports.errors import (
    AlreadyImported,
    DryRunDone,
    ImportCancelled,
    ImportInvalid,
)
from teleprospect.services.imports.files import read_rows, sniff
from teleprospect.services.imports.lead_writer import (
    STEP_FIRST_ROWS,
    STEP_TARGET_S,
    LeadWriter,
    apply_fill_ins,
)
from teleprospect.services.imports.mappings import load_mapping
from teleprospect.services.imports.reports import ImportReports, ImportSummary
from teleprospect.services.imports.rows import (
    PreparedRow,
    RawRow,
    RowContext,
    prepare_in_worker,
    prepare_rows,
    spaced_collections,
    start_worker,
)
from teleprospect.store.bulk import sqlite_bulk_settings
from teleprospect.store.clock import database_now
from teleprospect.store.database import Database
from teleprospect.store.models import Campaign, ImportBatch
from teleprospect.store.staging import LongWrite, discard_abandoned_writes
from teleprospect.store.types import utcnow

#: Rows handled per chunk: one database round trip per chunk for duplicates and DNC.
ROWS_PER_CHUNK = 2_000
#: From this many rows on, phone numbers are parsed in worker processes.
PARALLEL_FROM_ROWS = 20_000
#: Worker processes preparing rows (mapping, phone parsing, keys, scores): one per core.
#: More than a few cannot help, as this process writes to the database one chunk at a
#: time.
ROW_WORKERS = max(2, min(os.cpu_count() or 2, 8))
#: SQLite, while importing: page cache (KiB; see :func:`sqlite_bulk_settings`), and rows
#: written between two checkpoints of the write-ahead log (see LongWrite).
SQLITE_CACHE_KIB = 128 * 1024
SQLITE_CHECKPOINT_ROWS = 100_000
#: How many rows a preview shows.
PREVIEW_ROWS = 20
#: Rows counted for the preview's warnings at most: past this, "the leads will …".
COUNTED_ROWS = 100_000


@dataclass(frozen=True)
class ImportPreview:
    dialect: CsvDialect
    rows: list[list[str]]
    suggested: ColumnMapping
    file_sha256: str
    previous_batch_id: int | None
    #: The sentence saying when and by whom this file was imported before ("" if never).
    previous_note: str = ""
    #: Data rows of the file when counted (see :func:`count_leads`), else ``None``.
    leads: int | None = None


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
    #: The type of a campaign the import creates (None: other); an existing campaign of
    #: another type is refused.
    campaign_type: CampaignChannel | None = None
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


def preview_file(
    db: Database,
    path: Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    saved_mapping: str | None = None,
    count: bool = False,
) -> ImportPreview:
    """What the wizard shows before anything is imported; with ``count`` the file's rows
    are counted (:func:`count_leads`). Raises CsvError for a non-CSV."""
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
        str(AlreadyImported(previous.id, previous.file_name, previous.started_at, previous.login))
        if previous
        else "",
        count_leads(path, dialect) if count else None,
    )


def count_leads(path: Path, dialect: CsvDialect, limit: int = COUNTED_ROWS) -> int | None:
    """Data rows of the file, or ``None`` when there are more than ``limit``."""
    count = 0
    for _ in read_rows(path, dialect):
        count += 1
        if count > limit:
            return None
    return count


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
    if request.default_region:
        phone_region(request.default_region)  # a bad region stops the import before it starts
    path, sha = checked_source(
        db, request.path, ImportKind.LEADS, again=request.allow_reimport or request.dry_run
    )
    dialect = sniff(path, encoding=request.encoding, delimiter=request.delimiter)
    mapping = request.mapping or suggest_mapping(dialect.header)
    summary = ImportSummary(
        file_name=path.name, dialect=dialect.description, skipped_note=dialect.skipped_note
    )
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
    discard_abandoned_writes(db)  # what a killed import left behind goes first
    try:
        with LongWrite(
            db,
            "lead import",
            about=path.name,
            login=request.login,
            checkpoint_rows=SQLITE_CHECKPOINT_ROWS,
        ) as write:
            with write.step() as session:
                user_id = user_id_of(session, request.login)
                if request.campaign_name is not None:
                    choice = campaign_in(
                        session,
                        request.campaign_name,
                        request.default_region,
                        request.campaign_type,
                    )
                    request = replace(request, campaign_id=choice.id)
                    # A dry run removes the new campaign with everything else.
                    summary.campaign = choice.name
                    summary.campaign_created = choice.created and not request.dry_run
                region = _default_region(session, request)
                batch = ImportBatch(
                    **{**batch_values, "campaign_id": request.campaign_id},
                    user_id=user_id,
                    default_region=region,
                )
                session.add(batch)
                session.flush()
                batch_id = batch.id
                writer = LeadWriter(
                    write,
                    batch_id,
                    campaign_id=request.campaign_id,
                    on_duplicate=request.on_duplicate,
                    plan=mapping.compile(dialect.header),
                    summary=summary,
                    reports=reports,
                    # New leads are callable at once and fresh by the clock every queue uses.
                    now=database_now(session),
                )
            total = _estimate_rows(path)
            parallel = request.parallel
            if parallel is None:
                parallel = total >= PARALLEL_FROM_ROWS
            context = RowContext(writer.plan, region, writer.scorer)
            with (
                spaced_collections(),
                sqlite_bulk_settings(write.connection, cache_kib=SQLITE_CACHE_KIB),
            ):
                rows_read = _noting_read_problems(read_rows(path, dialect), summary)
                for rows, prepared in _prepared_chunks(rows_read, context, parallel):
                    if should_cancel and should_cancel():
                        raise ImportCancelled()
                    writer.write_chunk(rows, prepared)
                    if progress:
                        progress(summary.rows, max(total, summary.rows))
            if request.dry_run:
                raise DryRunDone()
            with write.publish(changes_follow=writer.kept_changes) as session:
                recorded = session.get(ImportBatch, batch_id)
                assert recorded is not None  # written by this import
                _fill_batch(recorded, summary, status=ImportStatus.COMMITTED)
                recorded.finished_at = utcnow()
                recorded.staged_write_id = None
            # Leads that existed before are filled in now, each whole, right after the new
            # leads appeared (a killed process leaves them to the next start).
            write.apply_changes(apply_fill_ins, first=STEP_FIRST_ROWS, target=STEP_TARGET_S)
            write.finish()
            summary.batch_id = batch_id
    except DryRunDone:
        summary.batch_id = None
        del summary.imported_lead_ids[:]
    except BaseException as exc:
        error = stopped(exc, reports, ImportKind.LEADS, path.name, request.login, summary.rows + 1)
        raise error  # noqa: B904 - stopped() set its cause (a cancel is raised as it is)
    summary.seconds = time.perf_counter() - started
    summary.reject_file, summary.summary_file = reports.finish(summary)
    summary.duplicates_file = reports.duplicates_path
    if summary.batch_id is not None and (summary.reject_file or summary.summary_file):
        with db.write() as session:
            recorded = session.get(ImportBatch, summary.batch_id)
            if recorded is not None:
                recorded.reject_file = str(summary.reject_file or "")
    if progress:
        progress(summary.rows, summary.rows)
    return summary


def _default_region(session: Session, request: LeadImportRequest) -> str:
    if request.default_region:
        return phone_region(request.default_region)
    if request.campaign_id is not None:
        campaign = session.get(Campaign, request.campaign_id)
        if campaign is None:
            raise ImportInvalid(f"There is no campaign with id {request.campaign_id}.")
        return campaign.default_region
    return "US"


def _noting_read_problems(rows: Iterator[CsvRow], summary: ImportSummary) -> Iterator[CsvRow]:
    """``rows``, counting in ``summary`` those that were not read as written."""
    for row in rows:
        if row.problems:
            summary.read_problems += 1
            summary.note("read_problems", row.row_number, "; ".join(row.problems))
        yield row


def _fill_batch(batch: ImportBatch, summary: ImportSummary, *, status: ImportStatus) -> None:
    batch.status = status
    for name in ("rows", "imported", "updated", "duplicates", "rejected", "invalid_phones", "dnc"):
        setattr(batch, name, getattr(summary, name))


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
    spawned (not forked) so that a GUI's threads are never copied into them, and end
    when this process ends, even when it is killed (``exit_with_parent``).
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
        initargs=(context, os.getpid()),
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
