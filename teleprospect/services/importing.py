"""Importing leads from a CSV file: one recorded batch, all or nothing.

The flow for one file: detect how to read it (encoding, delimiter), map its columns,
normalise every row, parse its phone numbers (in worker processes for big files),
find duplicates against the database and earlier rows of the same file, put numbers
and emails on the do-not-call list under do-not-call, and write the leads — all in
one transaction. A cancel or an error rolls everything back and is itself recorded.
Every rejected row goes to a reject file with its row number and reason; a summary
file beside it lists what happened, duplicates included.
"""

from __future__ import annotations

import csv
import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from teleprospect.core.column_mapping import ColumnMapping, MappedLead, suggest_mapping
from teleprospect.core.csv_reader import CsvDialect, CsvError, CsvRow, read_rows, sniff
from teleprospect.core.dedupe_keys import email_key, person_key, same_company
from teleprospect.core.domain import DuplicatePolicy, HistoryKind, ImportKind, ImportStatus
from teleprospect.core.phones import PhoneInfo, parse_phone
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
PHONE_WORKERS = 2
#: How many rows a preview shows.
PREVIEW_ROWS = 20

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
    duplicate_list: list[DuplicateFound] = field(default_factory=list)
    imported_lead_ids: list[int] = field(default_factory=list)

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
    path = Path(request.path)
    if not path.is_file():
        raise ImportError_(f"{path} does not exist or is not a file.")
    sha = file_checksum(path)
    if not request.allow_reimport and not request.dry_run:
        previous = previous_import(db, sha, ImportKind.LEADS)
        if previous is not None:
            raise AlreadyImported(
                previous.id, previous.file_name, previous.started_at, previous.login
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
            user_id = _user_id(session, request.login)
            region = _default_region(session, request)
            batch = ImportBatch(**batch_values, user_id=user_id, default_region=region)
            session.add(batch)
            session.flush()
            writer = _LeadWriter(session, batch.id, request, region, summary, reports)
            total = _estimate_rows(path)
            parallel = request.parallel
            if parallel is None:
                parallel = total >= PARALLEL_FROM_ROWS
            plan = mapping.compile(dialect.header)
            for rows, mapped, phones in _parsed_chunks(
                read_rows(path, dialect), plan.apply, region, parallel
            ):
                if should_cancel and should_cancel():
                    raise ImportCancelled()
                writer.write_chunk(rows, mapped, phones)
                if progress:
                    progress(summary.rows, max(total, summary.rows))
            _fill_batch(batch, summary, status=ImportStatus.COMMITTED)
            batch.finished_at = utcnow()
            summary.batch_id = batch.id
            if request.dry_run:
                batch.status = ImportStatus.DRY_RUN
                raise _DryRunDone()
    except _DryRunDone:
        summary.batch_id = None
        summary.imported_lead_ids.clear()
    except ImportCancelled:
        reports.discard()
        _record_unfinished(db, batch_values, summary, ImportStatus.CANCELLED, "cancelled")
        raise
    except CsvError as exc:
        reports.discard()
        _record_unfinished(db, batch_values, summary, ImportStatus.FAILED, str(exc))
        raise ImportFailed(f"{exc} Nothing was imported.") from exc
    except Exception as exc:
        reports.discard()
        _record_unfinished(db, batch_values, summary, ImportStatus.FAILED, repr(exc))
        raise ImportFailed(
            f"The import stopped at row {summary.rows + 1} ({exc}); nothing was imported."
        ) from exc
    summary.seconds = time.perf_counter() - started
    summary.reject_file, summary.summary_file = reports.finish(summary)
    if summary.batch_id is not None and (summary.reject_file or summary.summary_file):
        with db.write() as session:
            batch = session.get(ImportBatch, summary.batch_id)
            if batch is not None:
                batch.reject_file = str(summary.reject_file or "")
    if progress:
        progress(summary.rows, summary.rows)
    return summary


class _DryRunDone(Exception):
    """Raised inside the transaction to roll back a dry run after counting everything."""


def _user_id(session: Session, login: str) -> int | None:
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


def _record_unfinished(
    db: Database,
    values: dict[str, Any],
    summary: ImportSummary,
    status: ImportStatus,
    message: str,
) -> None:
    """A cancelled or failed import changed nothing, but it is recorded that it was tried."""
    with db.write() as session:
        batch = ImportBatch(**values, user_id=_user_id(session, values["login"]))
        _fill_batch(batch, summary, status=status)
        batch.imported = batch.updated = 0
        batch.message = message
        batch.finished_at = utcnow()
        session.add(batch)


def _estimate_rows(path: Path) -> int:
    """Lines in the file less the header: a progress total (cells may hold newlines)."""
    count = 0
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            count += chunk.count(b"\n")
    return max(count - 1, 1)


# --- phone parsing, possibly in worker processes --------------------------------------


def parse_phone_batch(items: Sequence[tuple[str, str]]) -> list[PhoneInfo]:
    """Top-level so worker processes can run it."""
    return [parse_phone(raw, region) for raw, region in items]


PhoneRequests = list[tuple[str, str]]


def _phone_requests(mapped: Sequence[MappedLead], region: str) -> PhoneRequests:
    # A row's own country column overrides the import's region for its numbers.
    return [(p.raw, m.country or region) for m in mapped for p in m.phones]


def _chunks(rows: Iterator[CsvRow], size: int) -> Iterator[list[CsvRow]]:
    chunk: list[CsvRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _parsed_chunks(
    rows: Iterator[CsvRow],
    apply: Callable[[Sequence[str]], MappedLead],
    region: str,
    parallel: bool,
) -> Iterator[tuple[list[CsvRow], list[MappedLead], list[PhoneInfo]]]:
    """Rows, their mapped leads and their parsed phones, chunk by chunk, in file order.

    With ``parallel``, phones of the next chunks are parsed by worker processes while
    this process stores the current one. Workers are spawned (not forked) so that a
    GUI's threads are never copied into them.
    """
    if not parallel:
        for chunk in _chunks(rows, ROWS_PER_CHUNK):
            mapped = [apply(row.cells) for row in chunk]
            yield chunk, mapped, parse_phone_batch(_phone_requests(mapped, region))
        return
    lookahead = PHONE_WORKERS * 2
    with ProcessPoolExecutor(PHONE_WORKERS, mp_context=get_context("spawn")) as pool:
        pending: list[tuple[list[CsvRow], list[MappedLead], Future[list[PhoneInfo]]]] = []
        try:
            for chunk in _chunks(rows, ROWS_PER_CHUNK):
                mapped = [apply(row.cells) for row in chunk]
                future = pool.submit(parse_phone_batch, _phone_requests(mapped, region))
                pending.append((chunk, mapped, future))
                if len(pending) > lookahead:
                    chunk0, mapped0, future0 = pending.pop(0)
                    yield chunk0, mapped0, future0.result()
            for chunk0, mapped0, future0 in pending:
                yield chunk0, mapped0, future0.result()
        finally:
            for _, _, future in pending:
                future.cancel()


# --- writing one chunk ----------------------------------------------------------------


_LENGTHS = {c.name: c.type.length for c in Lead.__table__.columns if hasattr(c.type, "length")}
_TEXT_FIELDS = ("first_name", "last_name", "email", "company", "title", "industry", "lead_source")
#: Fields an "update" import may fill in on an existing lead.
_UPDATABLE = (*_TEXT_FIELDS, "company_size", "country")


@dataclass
class _Seen:
    """Leads already known by key: from the database or from earlier rows of the file."""

    lead_id: int  # 0 while the row's lead waits to be inserted
    name: str
    company: str


class _LeadWriter:
    def __init__(
        self,
        session: Session,
        batch_id: int,
        request: LeadImportRequest,
        region: str,
        summary: ImportSummary,
        reports: ImportReports,
    ) -> None:
        self.session = session
        self.batch_id = batch_id
        self.request = request
        self.region = region
        self.summary = summary
        self.reports = reports
        self.now = utcnow()
        # Keys of leads this file created, so a later row can match an earlier one.
        self.file_emails: dict[str, _Seen] = {}
        self.file_phones: dict[str, _Seen] = {}
        self.file_people: dict[str, list[_Seen]] = {}
        #: New leads of this chunk not inserted yet: values, phones, key holder, on DNC.
        self.pending: list[tuple[dict[str, Any], list[dict[str, Any]], _Seen, bool]] = []

    def write_chunk(
        self, rows: list[CsvRow], mapped: list[MappedLead], phones: list[PhoneInfo]
    ) -> None:
        per_row: list[list[PhoneInfo]] = []
        position = 0
        for lead in mapped:
            per_row.append(phones[position : position + len(lead.phones)])
            position += len(lead.phones)

        # Both as written and as keys: stored emails are lower-cased but may keep a +tag.
        emails = {e for m in mapped for e in (m.email, email_key(m.email)) if e}
        numbers = {p.e164 for row in per_row for p in row if p.e164}
        people = {k for m in mapped if (k := person_key(m.first_name, m.last_name))}
        db_emails, db_phones, db_people = self._existing(emails, numbers, people)
        dnc_emails, dnc_phones = self._do_not_call(emails, numbers)

        for row, lead, infos in zip(rows, mapped, per_row, strict=True):
            self.summary.rows += 1
            problems = [*row.problems, *lead.problems]
            if not (lead.first_name or lead.last_name or lead.email or lead.company or infos):
                self.summary.rejected += 1
                reason = "the row holds no name, email, company or phone number"
                self.reports.reject(row, reason)
                continue
            if infos and not any(p.valid for p in infos):
                self.summary.invalid_phones += 1
                problems.extend(f"phone {p.raw!r}: {p.problem}" for p in infos if p.problem)
            key_email = email_key(lead.email)
            key_person = person_key(lead.first_name, lead.last_name)
            match = self._match(
                lead,
                key_email,
                key_person,
                infos,
                (db_emails, db_phones, db_people),
            )
            if match is not None and match[0].lead_id == 0:
                self._insert_pending()  # the matched row is still waiting for its id
            on_dnc = bool(
                (key_email and (key_email in dnc_emails or lead.email in dnc_emails))
                or any(p.e164 in dnc_phones for p in infos if p.e164)
            )
            if match is not None:
                seen, reason = match
                self.summary.duplicates += 1
                policy = self.request.on_duplicate
                if policy is DuplicatePolicy.SKIP:
                    self._duplicate(row, seen, reason, "skipped")
                    continue
                if policy is DuplicatePolicy.UPDATE:
                    self._update(seen.lead_id, lead, infos, on_dnc)
                    self.summary.updated += 1
                    self._duplicate(row, seen, reason, "updated")
                    continue
                self._duplicate(row, seen, reason, "marked as possible duplicate")
            if problems:
                self.summary.flagged += 1
            if on_dnc:
                self.summary.dnc += 1
            values = self._lead_values(lead, infos, problems, on_dnc)
            values["possible_duplicate_of_id"] = match[0].lead_id if match else None
            phone_list = _phone_rows(lead, infos)
            seen = _Seen(0, f"{lead.first_name} {lead.last_name}".strip(), lead.company)
            self._remember(seen, values, phone_list)
            self.pending.append((values, phone_list, seen, on_dnc))
        self._insert_pending()

    def _insert_pending(self) -> None:
        """Insert the new leads waiting in ``pending``, with their phones and DNC history."""
        if not self.pending:
            return
        ids = self.session.scalars(
            insert(Lead).returning(Lead.id, sort_by_parameter_order=True),
            [values for values, _, _, _ in self.pending],
        ).all()
        phone_rows = []
        history_rows = []
        for lead_id, (_, phone_list, seen, on_dnc) in zip(ids, self.pending, strict=True):
            seen.lead_id = lead_id
            self.summary.imported += 1
            self.summary.imported_lead_ids.append(lead_id)
            phone_rows.extend({**phone, "lead_id": lead_id} for phone in phone_list)
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
        self.pending.clear()
        if phone_rows:
            self.session.execute(insert(LeadPhone), phone_rows)
        if history_rows:
            self.session.execute(insert(LeadHistory), history_rows)

    # -- duplicates

    def _existing(
        self, emails: set[str], numbers: set[str], people: set[str]
    ) -> tuple[dict[str, _Seen], dict[str, _Seen], dict[str, list[_Seen]]]:
        columns = (
            Lead.id,
            Lead.first_name,
            Lead.last_name,
            Lead.company,
            Lead.email,
            Lead.phone_e164,
            Lead.person_key,
        )
        by_email: dict[str, _Seen] = {}
        by_phone: dict[str, _Seen] = {}
        by_person: dict[str, list[_Seen]] = {}

        def seen_of(row: Any) -> _Seen:
            return _Seen(row.id, f"{row.first_name} {row.last_name}".strip(), row.company)

        if emails:
            for row in self.session.execute(select(*columns).where(Lead.email.in_(emails))):
                by_email.setdefault(email_key(row.email) or "", seen_of(row))
        if numbers:
            query = (
                select(*columns)
                .outerjoin(LeadPhone, LeadPhone.lead_id == Lead.id)
                .where(or_(Lead.phone_e164.in_(numbers), LeadPhone.e164.in_(numbers)))
            )
            for row in self.session.execute(query.add_columns(LeadPhone.e164.label("other"))):
                for number in (row.phone_e164, row.other):
                    if number in numbers:
                        by_phone.setdefault(number, seen_of(row))
        if people:
            for row in self.session.execute(select(*columns).where(Lead.person_key.in_(people))):
                by_person.setdefault(row.person_key, []).append(seen_of(row))
        return by_email, by_phone, by_person

    def _match(
        self,
        lead: MappedLead,
        key_email: str | None,
        key_person: str,
        infos: list[PhoneInfo],
        existing: tuple[dict[str, _Seen], dict[str, _Seen], dict[str, list[_Seen]]],
    ) -> tuple[_Seen, str] | None:
        db_emails, db_phones, db_people = existing
        for emails, where in ((db_emails, "an existing lead"), (self.file_emails, "row")):
            if key_email and key_email in emails:
                return emails[key_email], f"same email {key_email} as {self._as(where)}"
        for number in (p.e164 for p in infos if p.e164):
            for phones, where in ((db_phones, "an existing lead"), (self.file_phones, "row")):
                if number in phones:
                    return phones[number], f"same phone {number} as {self._as(where)}"
        if key_person and lead.company:
            for people, where in ((db_people, "an existing lead"), (self.file_people, "row")):
                for seen in people.get(key_person, ()):
                    if same_company(seen.company, lead.company):
                        return seen, (
                            f"same person at the same company ({seen.name}, {seen.company}) "
                            f"as {self._as(where)}"
                        )
        return None

    @staticmethod
    def _as(where: str) -> str:
        return "an earlier row of this file" if where == "row" else where

    def _remember(self, seen: _Seen, values: dict[str, Any], phones: list[dict]) -> None:
        if values.get("email"):
            self.file_emails.setdefault(email_key(values["email"]) or "", seen)
        for phone in phones:
            if phone["e164"]:
                self.file_phones.setdefault(phone["e164"], seen)
        if values["person_key"]:
            self.file_people.setdefault(values["person_key"], []).append(seen)

    def _duplicate(self, row: CsvRow, seen: _Seen, reason: str, action: str) -> None:
        self.summary.duplicate_list.append(
            DuplicateFound(row.row_number, seen.lead_id, seen.name, reason, action)
        )

    def _do_not_call(self, emails: set[str], numbers: set[str]) -> tuple[set[str], set[str]]:
        if not emails and not numbers:
            return set(), set()
        conditions = []
        if emails:
            conditions.append(DoNotCallEntry.email.in_(emails))
        if numbers:
            conditions.append(DoNotCallEntry.phone_e164.in_(numbers))
        rows = self.session.execute(
            select(DoNotCallEntry.email, DoNotCallEntry.phone_e164).where(or_(*conditions))
        ).all()
        return {r.email for r in rows if r.email}, {r.phone_e164 for r in rows if r.phone_e164}

    # -- values

    def _lead_values(
        self, lead: MappedLead, infos: list[PhoneInfo], problems: list[str], on_dnc: bool
    ) -> dict[str, Any]:
        primary = next((p for p in infos if p.is_callable), infos[0] if infos else None)
        extras = dict(lead.extras)
        values: dict[str, Any] = {
            "first_name": lead.first_name,
            "last_name": lead.last_name,
            "email": lead.email,
            "company": lead.company,
            "title": lead.title,
            "industry": lead.industry,
            "company_size": lead.company_size,
            "country": lead.country or (primary.region if primary and primary.valid else None),
            "lead_source": lead.lead_source,
        }
        for name in _TEXT_FIELDS:
            limit = _LENGTHS.get(name)
            text = values[name]
            if text and limit and len(text) > limit:
                extras[f"{name} (full)"] = text
                values[name] = text[:limit]
                problems.append(f"{name.replace('_', ' ')} longer than {limit} characters: cut")
        if problems:
            extras["Import problems"] = "; ".join(problems)
        values.update(
            person_key=person_key(lead.first_name, lead.last_name),
            phone_raw=(primary.raw if primary else "")[: _LENGTHS["phone_raw"]],
            phone_e164=primary.e164 if primary else None,
            phone_extension=primary.extension if primary else None,
            phone_valid=bool(primary and primary.valid),
            phone_type=primary.number_type if primary else None,
            phone_time_zones=" ".join(primary.time_zones) if primary else "",
            campaign_id=self.request.campaign_id,
            import_batch_id=self.batch_id,
            extra=extras,
            do_not_call=on_dnc,
            next_action_at=self.now,  # callable at once: no hopper, no cron
            created_at=self.now,
            updated_at=self.now,
        )
        return values

    def _update(self, lead_id: int, lead: MappedLead, infos: list[PhoneInfo], on_dnc: bool) -> None:
        """Fill the existing lead with the row's non-empty values; never blank a value."""
        existing = self.session.get(Lead, lead_id)
        if existing is None:  # pragma: no cover - matched ids come from this transaction
            return
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
            existing.person_key = person_key(existing.first_name, existing.last_name)
        known = {p.e164 for p in existing.phones} | {existing.phone_e164}
        position = len(existing.phones)
        for info, raw in zip(infos, lead.phones, strict=True):
            if info.e164 in known or (not info.e164 and not info.raw):
                continue
            existing.phones.append(LeadPhone(position=position, **_phone_fields(raw.label, info)))
            position += 1
            known.add(info.e164)
            if not existing.phone_valid and info.is_callable:
                existing.phone_raw, existing.phone_e164 = info.raw, info.e164
                existing.phone_extension, existing.phone_valid = info.extension, True
                existing.phone_type = info.number_type
                existing.phone_time_zones = " ".join(info.time_zones)
        if on_dnc and not existing.do_not_call:
            existing.do_not_call = True
            self.summary.dnc += 1
        self.session.flush()


def _phone_fields(label: str, info: PhoneInfo) -> dict[str, Any]:
    return {
        "label": str(label),
        "raw": info.raw[:64],
        "e164": info.e164,
        "extension": info.extension,
        "valid": info.valid,
        "number_type": info.number_type,
        "time_zones": " ".join(info.time_zones),
    }


def _phone_rows(lead: MappedLead, infos: list[PhoneInfo]) -> list[dict[str, Any]]:
    return [
        {"position": position, **_phone_fields(raw.label, info)}
        for position, (raw, info) in enumerate(zip(lead.phones, infos, strict=True))
    ]


# --- reports --------------------------------------------------------------------------


class ImportReports:
    """The reject file (every rejected row, its number and reason) and the summary."""

    def __init__(self, directory: Path | None, source: Path, header: Iterable[str]) -> None:
        self.directory = directory
        self.header = list(header)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        self.stem = f"{source.stem}-{stamp}"
        self._rejects: list[tuple[int, str, list[str]]] = []
        self._reject_path: Path | None = None
        self._reject_stream: Any = None
        self._reject_writer: Any = None

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
        if self._reject_stream is not None:
            self._reject_stream.close()
        if self.directory is None:
            return None, None
        self.directory.mkdir(parents=True, exist_ok=True)
        summary_path = self.directory / f"{self.stem}-summary.txt"
        summary_path.write_text(summary_text(summary, self._reject_path), encoding="utf-8")
        return self._reject_path, summary_path

    def discard(self) -> None:
        if self._reject_stream is not None:
            self._reject_stream.close()
        if self._reject_path is not None:
            self._reject_path.unlink(missing_ok=True)


def summary_text(summary: ImportSummary, reject_file: Path | None) -> str:
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
    if summary.duplicate_list:
        lines += ["", "Duplicates (row: matched lead — why — what was done):"]
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
    name = " ".join(name.split())
    if not name:
        raise ImportError_("A campaign needs a name.")
    with db.write() as session:
        campaign = session.scalars(
            select(Campaign).where(Campaign.name.ilike(name.replace("%", r"\%"), escape="\\"))
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
