"""The rows of the lead list, read one page at a time.

Pages use keyset pagination (``WHERE id > last id seen ORDER BY id LIMIT n``): each page
is an index range scan on the primary key, as fast for the millionth lead as for the
first, where ``OFFSET`` would read and throw away every row before the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.scoring.rules import GradeBand
from teleprospect.services.scoring.scores import rules_in_session
from teleprospect.store.database import Database
from teleprospect.store.models import Campaign, Lead, User


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


_Owner = aliased(User, name="owner")

_PAGE_COLUMNS = (
    Lead.id,
    Lead.first_name,
    Lead.last_name,
    Lead.company,
    Lead.title,
    Lead.country,
    Lead.phone_e164,
    Lead.phone_raw,
    Lead.phone_valid,
    Lead.status,
    Lead.score,
    Campaign.name.label("campaign_name"),
    _Owner.name.label("owner_name"),
    Lead.created_at,
)


def lead_page_query(
    *, after_id: int | None, limit: int, import_batch_id: int | None = None
) -> Select[*tuple[Any, ...]]:
    """The SELECT behind :func:`lead_page` (tests read its query plan)."""
    query = (
        select(*_PAGE_COLUMNS)
        .outerjoin(Campaign, Lead.campaign_id == Campaign.id)
        .outerjoin(_Owner, Lead.owner_id == _Owner.id)
        .order_by(Lead.id)
        .limit(limit)
    )
    if after_id is not None:
        query = query.where(Lead.id > after_id)
    if import_batch_id is not None:
        query = query.where(Lead.import_batch_id == import_batch_id)
    return query


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
        return [_lead_row(row, rules.grade_of(row.score or 0)) for row in session.execute(query)]


def _lead_row(row, grade: GradeBand) -> LeadRow:  # type: ignore[no-untyped-def]
    status = row.status
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
    )


def count_leads(db: Database, *, import_batch_id: int | None = None) -> int:
    """How many leads the list holds (all, or those one import created)."""
    query = select(func.count(Lead.id))
    if import_batch_id is not None:
        query = query.where(Lead.import_batch_id == import_batch_id)
    with db.read() as session:
        return session.scalar(query) or 0
