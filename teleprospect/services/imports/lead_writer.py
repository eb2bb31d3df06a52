"""Writing one import's leads, chunk by chunk: duplicates found against the database and
earlier rows of the same file, do-not-call checked, new leads inserted in bulk.

On SQLite each chunk is a step of a :class:`~teleprospect.store.staging.LongWrite`: its own
short transaction, its new leads hidden until the import is published. A lead that
existed before the import is not changed while it runs ("update"): the change is kept
aside and applied after the new leads appear (:func:`apply_fill_in`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from rapidfuzz import fuzz, process
from sqlalchemy import Table, func, insert, or_, select, text
from sqlalchemy.orm import Session, selectinload

from teleprospect.core.column_mapping import MappingPlan
from teleprospect.core.csv_reader import CsvRow
from teleprospect.core.dedupe_keys import (
    COMPANY_MATCH_THRESHOLD,
    company_codes,
    email_key,
    match_key,
    person_key,
    same_company,
)
from teleprospect.core.domain import DuplicatePolicy, HistoryKind
from teleprospect.core.queue_policy import PriorityWeights
from teleprospect.services.imports.import_changes import (
    PHONE_ADDED,
    PRIMARY_PHONE,
    PRIMARY_PHONE_FIELDS,
    ReplacedValue,
    replaced_rows,
)
from teleprospect.services.imports.reports import DuplicateFound, ImportReports, ImportSummary
from teleprospect.services.imports.rows import LEAD_COLUMNS, PHONE_COLUMNS, PreparedRow
from teleprospect.services.scoring.scores import (
    ActiveRules,
    LeadScorer,
    rescore_leads,
    rules_in_session,
)
from teleprospect.services.settings.team_settings import PRIORITY_WEIGHTS, read_setting
from teleprospect.store.bulk import BulkInsert
from teleprospect.store.clock import database_now
from teleprospect.store.models import (
    DoNotCallEntry,
    ImportBatch,
    ImportChange,
    Lead,
    LeadHistory,
    LeadPhone,
)
from teleprospect.store.staging import ChunkSizer, LongWrite
from teleprospect.store.visibility import hidden_writes

# Declarative models type __table__ as a FromClause; these are their Tables.
LEAD_TABLE = cast(Table, Lead.__table__)
PHONE_TABLE = cast(Table, LeadPhone.__table__)
HISTORY_TABLE = cast(Table, LeadHistory.__table__)

#: How many duplicates the summary keeps in memory to show; the report file has them all.
DUPLICATES_LISTED = 500
#: SQLite writes a chunk's new leads in steps (short transactions), sized by how long the
#: ones before took (see ChunkSizer): the first step's rows, the fewest and the most.
STEP_FIRST_ROWS = 400
STEP_LEAST_ROWS = 20
STEP_MOST_ROWS = 5_000
#: How long a step of new leads holds SQLite's write lock, aimed at: half the ~200 ms of
#: DESIGN.md rule 9. Every commit writes the pages its rows touched in the lead table's
#: indexes and search index, most of them again in the next step: steps of 40 ms cost
#: each row about twice what steps of 100 ms do.
STEP_TARGET_S = 0.1
#: About how many leads of the file are remembered by key for finding later duplicates;
#: older ones are found through the database, so memory stays flat on any file size.
FILE_KEYS_KEPT = 50_000

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
    do_not_call: bool = False

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
#: A row to fill a lead in with: the lead's key holder, the row, its prepared form, on DNC.
_Fill = tuple["_Seen", CsvRow, PreparedRow, bool]
#: One thing a chunk's rows make the writer do, in file order: insert or fill in.
_Action = tuple["_Pending | None", "_Fill | None"]
_Existing = tuple[dict[str, _Seen], dict[str, _Seen], dict[str, list[_Seen]]]
_NOTHING_EXISTING: _Existing = ({}, {}, {})
#: From this many companies for one person key on, they are compared in one call.
_COMPANIES_IN_ONE_CALL = 12
_CUTOFF = COMPANY_MATCH_THRESHOLD


class LeadWriter:
    """The leads of one import batch, written in the steps of the import's long write. Make
    it and call :meth:`write_chunk` inside a step."""

    def __init__(
        self,
        write: LongWrite,
        batch_id: int,
        *,
        campaign_id: int | None,
        on_duplicate: DuplicatePolicy,
        plan: MappingPlan,
        summary: ImportSummary,
        reports: ImportReports,
        now: datetime,
    ) -> None:
        self.write = write
        self.session = session = write.session
        self.batch_id = batch_id
        self.on_duplicate = on_duplicate
        self.plan = plan
        self.summary = summary
        self.reports = reports
        self.now = now
        self.connection = write.connection
        self.is_sqlite = self.connection.dialect.name == "sqlite"
        # What a lead's history says of the values this import replaces: who, which import.
        batch = session.get(ImportBatch, batch_id)
        assert batch is not None  # flushed by the import before it makes its writer
        self.recorded_by = batch.user_id
        self.about = f"import #{batch_id} ({batch.file_name})"
        # Calling zones fall back on the campaign's region, else the lead's country, as
        # re-scoring does (the import's region only reads numbers without a country code).
        self.scorer = LeadScorer.in_session(session, now, campaign_id=campaign_id)
        self.lead_rows = BulkInsert(
            self.connection,
            LEAD_TABLE,
            _LEAD_INSERT_COLUMNS,
            {
                "campaign_id": campaign_id,
                "import_batch_id": batch_id,
                "inbound": self.scorer.inbound,
                "rules_version": self.scorer.rules.version,
                "next_action_at": now,  # callable at once: no hopper, no cron
                "scored_at": now,
                "created_at": now,
                "updated_at": now,
                "staged_write_id": write.write_id,
            },
            encoded=("extra", "priority"),  # JSON text, and a float already
        )
        self.phone_rows = BulkInsert(self.connection, PHONE_TABLE, ("lead_id", *PHONE_COLUMNS))
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
        self.update_policy = on_duplicate is DuplicatePolicy.UPDATE
        # SQLite: a step holds the database (BEGIN IMMEDIATE), and between two steps
        # others' writes are noticed (_notice_others), so an empty table is not asked
        # about until someone adds to it. PostgreSQL: others may commit at any time, so
        # the database is asked for every chunk.
        self.query_leads = self.update_policy or not self.is_sqlite or self._has(Lead.id)
        self.query_dnc = not self.is_sqlite or self._has(DoNotCallEntry.id)
        #: The largest lead id when last looked (a lead added later has a larger one), and
        #: the other long writes hidden then (one that is no longer has published).
        self.last_id = self.connection.scalar(select(func.coalesce(func.max(Lead.id), 0))) or 0
        self.hidden = set(hidden_writes(session)) if self.is_sqlite else set()
        #: Changes to leads that existed before the import were kept aside.
        self.kept_changes = False
        #: Those of the step under way, kept aside together at its end.
        self.kept: list[tuple[int, dict[str, Any]]] = []
        #: Rows per write step (SQLite), learnt from the steps before.
        self.sizer = ChunkSizer(
            STEP_FIRST_ROWS, target=STEP_TARGET_S, least=STEP_LEAST_ROWS, most=STEP_MOST_ROWS
        )

    @property
    def forgot_some(self) -> bool:
        """True once leads of this file dropped out of the in-memory keys."""
        return self.file_emails.dropped or self.file_phones.dropped or self.file_people.dropped

    def _has(self, column: Any) -> bool:
        return self.session.scalar(select(column).limit(1)) is not None

    def _notice_others(self) -> None:
        """SQLite: whether others added leads or do-not-call entries since the last step."""
        if not self.query_dnc:
            self.query_dnc = self._has(DoNotCallEntry.id)
        if self.query_leads:
            return
        hidden = set(hidden_writes(self.session))
        newer = select(Lead.id).where(Lead.id > self.last_id).limit(1)
        if self.hidden - hidden or self.session.scalar(newer) is not None:
            self.query_leads = True
        self.hidden = hidden

    def write_chunk(self, rows: list[CsvRow], prepared: list[PreparedRow]) -> None:
        """Find the chunk's duplicates and do-not-call entries, in one read (on SQLite
        without the write lock), decide about every row, then write what was decided in
        steps sized by ``sizer``."""
        with self.write.reading():
            existing, dnc_emails, dnc_phones = self._look_up(prepared)
        actions = self._decide(rows, prepared, existing, dnc_emails, dnc_phones)
        self.write.in_steps(
            len(actions), lambda _session, a, b: self._carry_out(actions[a:b]), self.sizer
        )
        summary = self.summary
        for number, seen, reason, action in self.found:
            found = DuplicateFound(number, seen.lead_id, seen.name, reason, action)
            self.reports.duplicate(found)
            if len(summary.duplicate_list) < DUPLICATES_LISTED:
                summary.duplicate_list.append(found)
        self.found.clear()

    def _look_up(self, prepared: list[PreparedRow]) -> tuple[_Existing, set[str], set[str]]:
        existing = _NOTHING_EXISTING
        dnc_emails: set[str] = set()
        dnc_phones: set[str] = set()
        if self.is_sqlite:
            self._notice_others()
        if self.forgot_some and not self.query_leads:
            self.query_leads = True  # earlier rows of this file are now found in the database
        if self.query_leads or self.query_dnc:
            # Both as written and as keys: stored emails are lower-cased but may keep a +tag.
            emails = {p.email for p in prepared if p.email}
            emails.update(p.key_email for p in prepared if p.key_email)
            emails.update(key for p in prepared for key in p.other_emails)
            emails.update(address for p in prepared for address in p.other_addresses)
            numbers = {number for p in prepared for number in p.numbers}
            if self.query_leads:
                matches = {p.key_match for p in prepared if p.key_match}
                existing = self._existing(emails, numbers, matches)
            if self.query_dnc:
                dnc_emails, dnc_phones = self._do_not_call(emails, numbers)
        return existing, dnc_emails, dnc_phones

    def _decide(
        self,
        rows: list[CsvRow],
        prepared: list[PreparedRow],
        existing: _Existing,
        dnc_emails: set[str],
        dnc_phones: set[str],
    ) -> list[_Action]:
        """What to do with each row, in file order: a new lead to insert, or a lead to fill
        in (one of this file's, inserted by an action before it, or an earlier one)."""
        summary = self.summary
        policy = self.on_duplicate
        actions: list[_Action] = []
        for row, lead in zip(rows, prepared, strict=True):
            summary.rows += 1
            if lead.empty:
                summary.rejected += 1
                reason = "the row holds no name, email, company or phone number"
                self.reports.reject(row, reason)
                summary.note("rejected", row.row_number, reason)
                continue
            if lead.invalid_phones:
                summary.invalid_phones += 1
                summary.note("invalid_phones", row.row_number, _phones_of(lead))
            match = self._match(lead, existing)
            key_email = lead.key_email
            on_dnc = bool(
                (key_email and (key_email in dnc_emails or lead.email in dnc_emails))
                or (dnc_emails and any(key in dnc_emails for key in lead.other_emails))
                or (dnc_emails and any(a in dnc_emails for a in lead.other_addresses))
                or (dnc_phones and any(number in dnc_phones for number in lead.numbers))
            )
            if match is not None:
                seen, reason = match
                summary.duplicates += 1
                if policy is DuplicatePolicy.SKIP:
                    self.found.append((row.row_number, seen, reason, "skipped"))
                    continue
                if policy is DuplicatePolicy.UPDATE:
                    actions.append((None, (seen, row, lead, on_dnc)))
                    summary.updated += 1
                    self.found.append((row.row_number, seen, reason, "updated"))
                    continue
                self.found.append((row.row_number, seen, reason, "marked as possible duplicate"))
            if lead.flagged:
                summary.flagged += 1
                summary.note("flagged", row.row_number, _problems_of(lead))
            if on_dnc:
                summary.dnc += 1
                summary.note("dnc", row.row_number, _on_dnc(lead, dnc_emails, dnc_phones))
            seen = _Seen(0, lead.name, lead.company)
            self._remember(seen, lead)
            actions.append(((lead, seen, on_dnc, match[0] if match else None), None))
        return actions

    def _carry_out(self, actions: list[_Action]) -> None:
        for insert_, update_ in actions:
            if insert_ is not None:
                self.pending.append(insert_)
            else:
                assert update_ is not None
                self._insert_pending()  # the lead filled in may be among them
                self._update(*update_)
        self._insert_pending()
        if self.kept:
            # Kept aside in one statement per step, in file order.
            self.write.keep_changes(self.session, self.kept)
            self.kept = []

    def _new_lead_ids(self, count: int) -> list[int]:
        """Ids for the next ``count`` leads, in order, known before they are inserted.

        SQLite: the write transaction began with BEGIN IMMEDIATE, so nobody else inserts
        meanwhile and SQLite would give the next ids after the largest one itself.
        PostgreSQL: taken from the column's sequence, as an INSERT would.
        """
        if self.is_sqlite:
            last = self.connection.scalar(select(func.coalesce(func.max(Lead.id), 0))) or 0
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
        self.last_id = max(self.last_id, ids[-1])
        self.pending.clear()
        self.lead_rows.insert(lead_rows)
        self.phone_rows.insert(phone_rows)
        if history_rows:
            self.connection.execute(insert(HISTORY_TABLE), history_rows)

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
            Lead.do_not_call,
        )
        # Leads of this import are known by the file_* keys (except under "update", and
        # once the oldest of them were forgotten to keep memory flat).
        others: tuple[Any, ...] = (
            ()
            if self.update_policy or self.forgot_some
            else (or_(Lead.import_batch_id.is_(None), Lead.import_batch_id != self.batch_id),)
        )
        # Nor are leads of other imports under way: nobody sees them yet.
        hidden = hidden_writes(self.session) if self.is_sqlite else ()
        if hidden:
            others += (or_(Lead.staged_write_id.is_(None), Lead.staged_write_id.not_in(hidden)),)
        by_email: dict[str, _Seen] = {}
        by_phone: dict[str, _Seen] = {}
        by_person: dict[str, list[_Seen]] = {}

        def seen_of(row: Any) -> _Seen:
            name = f"{row.first_name} {row.last_name}".strip()
            this_file = row.import_batch_id == self.batch_id
            return _Seen(row.id, name, row.company, this_file, bool(row.do_not_call))

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
        for key in (key_email, *lead.other_emails) if key_email else lead.other_emails:
            seen = db_emails.get(key)
            if seen is not None:
                return seen, f"same email {key} as {seen.where}"
            seen = self.file_emails.get(key)
            if seen is not None:
                return seen, f"same email {key} as an earlier row of this file"
        for number in lead.numbers:
            seen = db_phones.get(number)
            if seen is not None:
                return seen, f"same phone {number} as {seen.where}"
            seen = self.file_phones.get(number)
            if seen is not None:
                return seen, f"same phone {number} as an earlier row of this file"
        if lead.key_match and lead.company:  # a person at a company, or a company alone
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
        for key in lead.other_emails:
            self.file_emails.setdefault(key, seen)
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

    def _update(self, seen: _Seen, row: CsvRow, prepared: PreparedRow, on_dnc: bool) -> None:
        """Fill the matched lead with the row's non-empty values; never blank a value. A
        lead of this import is filled in now (nobody sees it yet); one that existed before
        is filled in once the import is published: the change is kept aside till then."""
        lead = self.plan.apply(row.cells)  # as the worker read it; rare enough to redo
        change = _fill_in_change(lead, prepared, on_dnc)
        if not seen.this_file:
            # A lead that existed before: what the file replaces is recorded, to be read
            # in its history and put back by an undo of the import.
            change.update(batch=self.batch_id, by=self.recorded_by, about=self.about)
            if on_dnc and not seen.do_not_call:
                seen.do_not_call = True
                self.summary.dnc += 1
            self.kept.append((seen.lead_id, change))
            self.kept_changes = True
            return
        if apply_fill_in(
            self.session,
            seen.lead_id,
            change,
            now=self.now,
            rules=self.scorer.rules,
            weights=self.scorer.weights,
        ):
            self.summary.dnc += 1


def _fill_in_change(lead: Any, prepared: PreparedRow, on_dnc: bool) -> dict[str, Any]:
    """What filling a lead in with one row means, as data (kept aside as JSON)."""
    fields: dict[str, Any] = {}
    for name in _UPDATABLE:
        value = getattr(lead, name)
        if value not in (None, ""):
            limit = _LENGTHS.get(name)
            if isinstance(value, str) and limit:
                value = value[:limit]
            fields[name] = value
    return {
        "do": FILL_IN,
        "fields": fields,
        "extras": dict(lead.extras),
        "renamed": bool(lead.first_name or lead.last_name),
        "phones": [list(phone) for phone in prepared.phones],
        "do_not_call": on_dnc,
    }


#: The kind of change an "update" import keeps aside for a lead that existed before it.
FILL_IN = "fill in"


def apply_fill_ins(session: Session, changes: list[tuple[int, dict[str, Any]]]) -> None:
    """Fill leads in with changes an "update" import kept aside, in order, each re-scored
    by the rules in force (read once) on the database's clock."""
    now = database_now(session)
    rules = rules_in_session(session)
    weights = read_setting(session, PRIORITY_WEIGHTS)
    fill_in_leads(session, changes, now=now, rules=rules, weights=weights)


def apply_fill_in(
    session: Session,
    lead_id: int,
    change: dict[str, Any],
    *,
    now: datetime,
    rules: ActiveRules,
    weights: PriorityWeights,
) -> bool:
    """Fill the lead in with ``change`` (see :func:`_fill_in_change`) in the session's
    transaction and score it again at ``now``; whether it went on do-not-call. A lead gone
    meanwhile is skipped."""
    went = fill_in_leads(session, [(lead_id, change)], now=now, rules=rules, weights=weights)
    return bool(went)


def fill_in_leads(
    session: Session,
    changes: list[tuple[int, dict[str, Any]]],
    *,
    now: datetime,
    rules: ActiveRules,
    weights: PriorityWeights,
) -> set[int]:
    """Fill leads in with ``changes`` ((lead id, change), … in order; see
    :func:`_fill_in_change`) in the session's transaction and score them again at ``now``;
    the ids of those that went on do-not-call. Leads gone meanwhile are skipped. The leads
    and their numbers are read in one query, what the changes replaced is written in one
    statement per table, and the leads are scored together."""
    wanted = list({lead_id for lead_id, _ in changes})
    leads: dict[int, Lead] = {}
    for start in range(0, len(wanted), _IDS_PER_QUERY):
        query = (
            select(Lead)
            .where(Lead.id.in_(wanted[start : start + _IDS_PER_QUERY]))
            .options(selectinload(Lead.phones))
        )
        leads.update((lead.id, lead) for lead in session.scalars(query))
    went_on_dnc: set[int] = set()
    touched: dict[int, Lead] = {}
    import_changes: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    for lead_id, change in changes:
        existing = leads.get(lead_id)
        if existing is None:
            continue
        touched[lead_id] = existing
        replaced, went = _fill_in(existing, change)
        if went:
            went_on_dnc.add(lead_id)
        if change.get("batch") is None:
            continue
        rows, lines = replaced_rows(
            lead_id,
            replaced,
            batch_id=change["batch"],
            user_id=change.get("by"),
            about=change.get("about", ""),
            at=now,
        )
        import_changes += rows
        history += lines
        if went:
            history.append(
                {
                    "lead_id": lead_id,
                    "user_id": change.get("by"),
                    "at": now,
                    "kind": HistoryKind.DO_NOT_CALL,
                    "from_value": None,
                    "to_value": "do_not_call",
                    "reason": f"on the do-not-call list when updated by {change.get('about')}",
                }
            )
    session.flush()  # the new numbers before their history
    if import_changes:
        session.execute(insert(ImportChange), import_changes)
    if history:
        session.execute(insert(HISTORY_TABLE), history)
    # What the file filled in feeds the score (title, industry, size, country, phone).
    rescore_leads(session, list(touched.values()), now=now, rules=rules, weights=weights)
    session.flush()
    return went_on_dnc


#: Leads one query of :func:`fill_in_leads` reads at most.
_IDS_PER_QUERY = 5_000


def _fill_in(existing: Lead, change: dict[str, Any]) -> tuple[list[ReplacedValue], bool]:
    """Apply one change to a loaded lead: what it replaced, and whether the lead went on
    do-not-call."""
    replaced: list[ReplacedValue] = []
    for name, value in change["fields"].items():
        old = getattr(existing, name)
        if old != value:
            replaced.append((name, old, value))
        setattr(existing, name, value)
    if change["extras"]:
        old_extra = dict(existing.extra or {})
        existing.extra = {**old_extra, **change["extras"]}
        if existing.extra != old_extra:
            replaced.append(("extra", old_extra, dict(existing.extra)))
    if change["renamed"]:
        existing.match_key = match_key(
            person_key(existing.first_name, existing.last_name), existing.company
        )
    known = {p.e164 for p in existing.phones} | {existing.phone_e164}
    position = len(existing.phones)
    for phone in change["phones"]:
        fields = dict(zip(PHONE_COLUMNS, phone, strict=True))
        e164 = fields["e164"]
        if e164 in known or (not e164 and not fields["raw"]):
            continue
        fields["position"] = position
        existing.phones.append(LeadPhone(**fields))
        replaced.append((PHONE_ADDED, None, {"e164": e164, "raw": fields["raw"]}))
        position += 1
        known.add(e164)
        if not existing.phone_valid and fields["valid"] and e164:
            before = {name: getattr(existing, name) for name in PRIMARY_PHONE_FIELDS}
            existing.phone_raw, existing.phone_e164 = fields["raw"], e164
            existing.phone_extension, existing.phone_valid = fields["extension"], True
            existing.phone_type = fields["number_type"]
            existing.phone_time_zones = fields["time_zones"]
            after = {name: getattr(existing, name) for name in PRIMARY_PHONE_FIELDS}
            replaced.append((PRIMARY_PHONE, before, after))
    went_on_dnc = bool(change["do_not_call"]) and not existing.do_not_call
    if went_on_dnc:
        existing.do_not_call = True
    return replaced, went_on_dnc


def _same_person(seen: _Seen, where: str) -> str:
    return f"same person at the same company ({seen.name}, {seen.company}) as {where}"


def _first_same_company(by_company: dict[str, _Seen], key: str) -> _Seen | None:
    """The first lead (in file order) whose company key is the same company as ``key``, as
    same_company() decides: equal keys, or token_sort_ratio from the threshold on."""
    codes = company_codes(key)
    if len(by_company) < _COMPANIES_IN_ONE_CALL:
        for other, seen in by_company.items():
            if other == key or (
                company_codes(other) == codes
                and fuzz.token_sort_ratio(other, key, score_cutoff=_CUTOFF)
            ):
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
    found = [f for f in found if f[0] == key or company_codes(f[0]) == codes]
    if not found:
        return None
    first = min(index for _, _, index in found)
    return list(by_company.values())[first]


# --- what the summary names behind its counts ---------------------------------------------


def _phones_of(lead: PreparedRow) -> str:
    return ", ".join(repr(phone[PHONE_COLUMNS.index("raw")]) for phone in lead.phones)


def _problems_of(lead: PreparedRow) -> str:
    extra = json.loads(lead.lead[LEAD_COLUMNS.index("extra")])
    return str(extra.get("Import problems", ""))


def _on_dnc(lead: PreparedRow, emails: set[str], phones: set[str]) -> str:
    if lead.email and (lead.email in emails or lead.key_email in emails):
        return repr(lead.email)
    listed = [
        address
        for address, key in zip(lead.other_addresses, lead.other_emails, strict=True)
        if address in emails or key in emails
    ]
    listed += [number for number in lead.numbers if number in phones]
    return ", ".join(repr(value) for value in listed)
