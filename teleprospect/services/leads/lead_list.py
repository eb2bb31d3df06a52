"""The rows of the lead list, read one page at a time: searched, filtered and sorted by
the database.

Pages use keyset pagination (``WHERE (sort value, id) > (last row's) ORDER BY sort value,
id LIMIT n``): each order the list offers has an index ending with the id (migration
0010), so each page is an index range scan, as fast for the millionth lead as for the
first, where ``OFFSET`` would read and throw away every row before the page. Nothing is
counted before the first page: the count is a query of its own (:func:`count_leads`).

A search (:mod:`teleprospect.core.lead_search`) is matched by the database's substring
index (:mod:`teleprospect.store.search`); filters and the order apply to what it finds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, literal, select, tuple_
from sqlalchemy.orm import Session, aliased

from teleprospect.core.errors import Invalid
from teleprospect.core.lead_search import SearchTerms, parse_search
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.scoring.rules import GradeBand
from teleprospect.services.scoring.scores import rules_in_session
from teleprospect.store.database import Database
from teleprospect.store.models import Campaign, Lead, User
from teleprospect.store.search import matching_leads, search_is_indexed

#: ``LeadListing.owner_id`` for "leads nobody owns".
NOBODY = 0
#: What the list says when a PostgreSQL server has no pg_trgm (the search still works).
UNINDEXED_SEARCH_NOTE = (
    "This server has no pg_trgm extension, so each search reads every lead and may be "
    "slow; an administrator can install it (CREATE EXTENSION pg_trgm)."
)


class LeadSort(StrEnum):
    """The orders the lead list offers, each backed by an index."""

    ID = "id"
    NAME = "name"
    COMPANY = "company"
    STATUS = "status"
    SCORE = "score"
    CREATED = "created_at"


#: The columns of each order; the id last, so the order is total and pages never overlap.
_SORT_COLUMNS: dict[LeadSort, tuple[Any, ...]] = {
    LeadSort.ID: (Lead.id,),
    LeadSort.NAME: (Lead.last_name, Lead.first_name, Lead.id),
    LeadSort.COMPANY: (Lead.company, Lead.id),
    LeadSort.STATUS: (Lead.status, Lead.id),
    LeadSort.SCORE: (Lead.score, Lead.id),
    LeadSort.CREATED: (Lead.created_at, Lead.id),
}


@dataclass(frozen=True, slots=True)
class LeadListing:
    """Which leads the list shows, and in which order."""

    #: What the user typed in the search box (see core.lead_search).
    search: str = ""
    status: LeadStatus | None = None
    #: An account's id, or :data:`NOBODY` for leads without an owner.
    owner_id: int | None = None
    campaign_id: int | None = None
    #: A grade of the rules in force ("A", "B", …).
    grade: str | None = None
    #: ISO 3166 alpha-2 code.
    country: str | None = None
    #: Only the leads one import created.
    import_batch_id: int | None = None
    sort: LeadSort = LeadSort.ID
    descending: bool = False

    @property
    def terms(self) -> SearchTerms:
        return parse_search(self.search)

    @property
    def filtered(self) -> bool:
        """Whether the list shows fewer than every lead."""
        return bool(
            self.search.strip()
            or self.status is not None
            or self.owner_id is not None
            or self.campaign_id is not None
            or self.grade is not None
            or self.country is not None
            or self.import_batch_id is not None
        )


@dataclass(frozen=True, slots=True)
class LeadRow:
    """One lead as the list shows it: display-ready text plus the values it is read from."""

    id: int
    name: str
    company: str
    title: str
    country: str
    #: The E.164 form when the number could be read, else the text as it was imported.
    phone: str
    phone_valid: bool
    status: str
    #: The stored score, and its grade by the rules in force.
    score: int
    grade: str
    grade_label: str
    campaign: str
    owner: str
    created_at: datetime | None
    email: str = ""
    #: Who holds the lead right now (a claim not yet expired); empty when free.
    holder: str = ""
    #: The row's values in the list's order: where the next page starts.
    cursor: tuple[Any, ...] = field(default=(), compare=False)


_Owner = aliased(User, name="owner")
_Holder = aliased(User, name="holder")

_PAGE_COLUMNS = (
    Lead.id,
    Lead.first_name,
    Lead.last_name,
    Lead.company,
    Lead.title,
    Lead.country,
    Lead.email,
    Lead.phone_e164,
    Lead.phone_raw,
    Lead.phone_valid,
    Lead.status,
    Lead.score,
    Lead.created_at,
    Lead.claim_expires_at,
    Campaign.name.label("campaign_name"),
    _Owner.name.label("owner_name"),
    _Holder.name.label("holder_name"),
)


def lead_page_query(
    *,
    after_id: int | None = None,
    limit: int,
    import_batch_id: int | None = None,
    listing: LeadListing | None = None,
    after: Sequence[Any] = (),
    conditions: Sequence[ColumnElement[bool]] = (),
) -> Select[*tuple[Any, ...]]:
    """The SELECT behind :func:`list_leads` (tests read its query plan).

    ``after``: the cursor of the last row seen (its values in the list's order);
    ``after_id`` is the same for the list in id order."""
    listing = listing or LeadListing(import_batch_id=import_batch_id)
    columns = _SORT_COLUMNS[listing.sort]
    query = (
        select(*_PAGE_COLUMNS)
        .outerjoin(Campaign, Lead.campaign_id == Campaign.id)
        .outerjoin(_Owner, Lead.owner_id == _Owner.id)
        .outerjoin(_Holder, Lead.claimed_by_id == _Holder.id)
        .where(*conditions)
        .limit(limit)
    )
    if listing.descending:
        query = query.order_by(*(column.desc() for column in columns))
    else:
        query = query.order_by(*columns)
    if not after and after_id is not None:
        after = (after_id,)
    if after:
        key = tuple_(*columns)
        values = tuple_(
            *(literal(value, column.type) for column, value in zip(columns, after, strict=True))
        )
        query = query.where(key < values if listing.descending else key > values)
    if listing.import_batch_id is not None:
        query = query.where(Lead.import_batch_id == listing.import_batch_id)
    return query


def _filters(session: Session, listing: LeadListing) -> list[ColumnElement[bool]]:
    """The conditions of the listing's search and filters, read in ``session``."""
    found: list[ColumnElement[bool]] = []
    terms = listing.terms
    if terms.too_short:
        raise Invalid("Type at least 3 letters or digits in a row, or a lead's id.")
    if not terms.empty:
        found.append(matching_leads(session, terms))
    if listing.status is not None:
        found.append(Lead.status == LeadStatus(listing.status))
    if listing.owner_id == NOBODY:
        found.append(Lead.owner_id.is_(None))
    elif listing.owner_id is not None:
        found.append(Lead.owner_id == listing.owner_id)
    if listing.campaign_id is not None:
        found.append(Lead.campaign_id == listing.campaign_id)
    if listing.country is not None:
        found.append(Lead.country == listing.country.upper())
    if listing.grade is not None:
        found.extend(_grade_condition(session, listing.grade))
    return found


def _grade_condition(session: Session, grade: str) -> list[ColumnElement[bool]]:
    bands = rules_in_session(session).rules.thresholds.bands  # highest first
    for number, band in enumerate(bands):
        if band.grade == grade:
            found = []
            if number < len(bands) - 1:  # the lowest grade takes negative scores too
                found.append(Lead.score >= band.min_score)
            if number > 0:
                found.append(Lead.score < bands[number - 1].min_score)
            return found
    return [false()]


@dataclass(frozen=True, slots=True)
class LeadPage:
    rows: list[LeadRow]
    #: Something the user should know about the search (empty: nothing).
    note: str = ""


def list_leads(
    db: Database,
    listing: LeadListing,
    *,
    after: LeadRow | None = None,
    limit: int,
    now: datetime | None = None,
) -> LeadPage:
    """Up to ``limit`` leads of ``listing`` in its order, after the row ``after`` (None:
    from the start). Raises :class:`Invalid` for a search that cannot be run.

    ``now`` judges whose claims still hold (None: the database's clock)."""
    if limit <= 0:
        return LeadPage([])
    from teleprospect.services.clock import decision_time

    with db.read() as session:
        conditions = _filters(session, listing)
        query = lead_page_query(
            limit=limit,
            listing=listing,
            after=after.cursor if after is not None else (),
            conditions=conditions,
        )
        rules = rules_in_session(session)
        at = decision_time(session, now)
        keys = [column.key for column in _SORT_COLUMNS[listing.sort]]
        rows = [
            _lead_row(row, rules.grade_of(row.score or 0), at, tuple(row._mapping[k] for k in keys))
            for row in session.execute(query)
        ]
        note = ""
        if not listing.terms.empty and not search_is_indexed(session):
            note = UNINDEXED_SEARCH_NOTE
    return LeadPage(rows, note)


def lead_page(
    db: Database, *, after_id: int | None, limit: int, import_batch_id: int | None = None
) -> list[LeadRow]:
    """Up to ``limit`` leads with an id above ``after_id`` (``None``: from the start), by id.

    Pass the last row's id as ``after_id`` to read the next page. ``import_batch_id``
    keeps only the leads one import created.
    """
    if limit <= 0:
        return []
    query = lead_page_query(after_id=after_id, limit=limit, import_batch_id=import_batch_id)
    with db.read() as session:
        rules = rules_in_session(session)
        at = _clock_now(session)
        return [
            _lead_row(row, rules.grade_of(row.score or 0), at, (row.id,))
            for row in session.execute(query)
        ]


def _clock_now(session: Session) -> datetime:
    from teleprospect.services.clock import decision_time

    return decision_time(session, None)


def _lead_row(row, grade: GradeBand, now: datetime, cursor: tuple[Any, ...]) -> LeadRow:  # type: ignore[no-untyped-def]
    status = row.status
    expires = row.claim_expires_at
    held = row.holder_name is not None and expires is not None and expires > now
    return LeadRow(
        id=row.id,
        name=f"{row.first_name or ''} {row.last_name or ''}".strip(),
        company=row.company or "",
        title=row.title or "",
        country=row.country or "",
        phone=row.phone_e164 or row.phone_raw or "",
        phone_valid=bool(row.phone_valid),
        status=status.label if isinstance(status, LeadStatus) else str(status or ""),
        score=row.score or 0,
        grade=grade.grade,
        grade_label=grade.label,
        campaign=row.campaign_name or "",
        owner=row.owner_name or "",
        created_at=row.created_at,
        email=row.email or "",
        holder=row.holder_name if held else "",
        cursor=cursor,
    )


def count_leads(
    db: Database, *, import_batch_id: int | None = None, listing: LeadListing | None = None
) -> int:
    """How many leads the list holds (all, those one import created, or a listing's)."""
    listing = listing or LeadListing(import_batch_id=import_batch_id)
    with db.read() as session:
        query = select(func.count(Lead.id)).where(*_filters(session, listing))
        if listing.import_batch_id is not None:
            query = query.where(Lead.import_batch_id == listing.import_batch_id)
        return session.scalar(query) or 0


def search_note(db: Database, listing: LeadListing) -> str:
    """What the user should know about how ``listing``'s search runs ("" when nothing)."""
    if listing.terms.empty:
        return ""
    with db.read() as session:
        return "" if search_is_indexed(session) else UNINDEXED_SEARCH_NOTE


@dataclass(frozen=True, slots=True)
class ListChoices:
    """What the lead list's filters can offer."""

    #: (id, name) of every campaign, by name.
    campaigns: list[tuple[int, str]]
    #: (id, name) of every account that may own leads, by name.
    owners: list[tuple[int, str]]
    #: (grade, label) of the rules in force, best first.
    grades: list[tuple[str, str]]
    #: The countries leads are in, by code.
    countries: list[str]


def list_filter_choices(db: Database) -> ListChoices:
    """The campaigns, owners, grades and countries the filters offer."""
    with db.read() as session:
        campaigns = [
            (row.id, row.name)
            for row in session.execute(select(Campaign.id, Campaign.name).order_by(Campaign.name))
        ]
        owners = [
            (row.id, row.name)
            for row in session.execute(
                select(User.id, User.name).where(User.is_active).order_by(User.name)
            )
        ]
        bands = rules_in_session(session).rules.thresholds.bands
        countries = _countries(session)
    return ListChoices(campaigns, owners, [(band.grade, band.label) for band in bands], countries)


def _countries(session: Session) -> list[str]:
    """The distinct countries, one index seek each (a skip scan of ix_lead_sort_country),
    not a read of every lead."""
    from sqlalchemy import text

    found = session.execute(
        text(
            "WITH RECURSIVE c(country) AS ("
            " SELECT min(country) FROM lead"
            " UNION ALL"
            " SELECT (SELECT min(country) FROM lead WHERE country > c.country)"
            " FROM c WHERE c.country IS NOT NULL)"
            " SELECT country FROM c WHERE country IS NOT NULL AND country <> ''"
        )
    )
    return [row[0] for row in found]
