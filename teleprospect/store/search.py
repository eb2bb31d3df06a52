"""The leads a search finds, from the substring index of migration 0010.

SQLite: FTS5 tables with the trigram tokenizer (``lead_search``: the words and the phone
digits of each lead, by its id; ``lead_phone_search``: the digits of every number in
``lead_phone``), kept in step by triggers. PostgreSQL: pg_trgm GIN indexes on the same
texts; where the extension could not be installed the same conditions read every lead,
and :func:`search_is_indexed` says so.

:func:`matching_leads` gives one condition on ``lead.id`` (or on lead columns) that the
lead list adds to its own: the ORM query around it keeps hiding the rows of long writes
under way (:mod:`teleprospect.store.visibility`), so a lead being imported is not found
until its import is done.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    literal,
    literal_column,
    or_,
    select,
    text,
    true,
    union,
)
from sqlalchemy.orm import Session

from teleprospect.core.lead_search import SearchTerms
from teleprospect.store.models import Lead, LeadPhone

__all__ = [
    "SEARCH_TABLES",
    "is_search_table",
    "matching_leads",
    "outside_the_models",
    "search_is_indexed",
]

#: The tables (SQLite's FTS5 tables and their shadow tables) that no model describes.
SEARCH_TABLES = ("lead_search", "lead_phone_search")
#: The PostgreSQL indexes migration 0010 makes when pg_trgm is there.
SEARCH_INDEXES = ("ix_lead_search_words", "ix_lead_search_phones", "ix_lead_phone_search_digits")
_PG_WORDS_INDEX = SEARCH_INDEXES[0]

# The texts PostgreSQL's indexes hold, as in migration 0010 (qualified: the list joins
# other tables). PostgreSQL uses an expression index for the same expression only.
_PG_WORDS: ColumnElement[str] = literal_column(
    "lower(lead.first_name || ' ' || lead.last_name || ' ' || lead.company || ' '"
    " || coalesce(lead.email, ''))"
)
_PG_PHONES: ColumnElement[str] = literal_column(
    "regexp_replace(coalesce(lead.phone_raw, ''), '[^0-9]', '', 'g') || ' '"
    " || regexp_replace(coalesce(lead.phone_e164, ''), '[^0-9]', '', 'g')"
)
_PG_PHONE_DIGITS: ColumnElement[str] = literal_column(
    "regexp_replace(lead_phone.raw, '[^0-9]', '', 'g') || ' '"
    " || regexp_replace(coalesce(lead_phone.e164, ''), '[^0-9]', '', 'g')"
)


def is_search_table(name: str | None) -> bool:
    """Whether ``name`` is one of the search index's own tables (SQLite)."""
    return name is not None and any(
        name == table or name.startswith(f"{table}_") for table in SEARCH_TABLES
    )


def outside_the_models(name: str | None, type_: str, _parents: Any) -> bool:
    """For Alembic's comparisons (``include_name``): everything but the search index's
    tables (SQLite) and indexes (PostgreSQL), which no model describes."""
    if type_ == "table":
        return not is_search_table(name)
    return not (type_ == "index" and name in SEARCH_INDEXES)


def search_is_indexed(session: Session) -> bool:
    """False on a PostgreSQL server where pg_trgm was missing: searches read every lead."""
    if session.get_bind().dialect.name == "sqlite":
        return True
    found = session.execute(
        text("SELECT 1 FROM pg_indexes WHERE indexname = :name"), {"name": _PG_WORDS_INDEX}
    ).first()
    return found is not None


def matching_leads(session: Session, terms: SearchTerms) -> ColumnElement[bool]:
    """The condition on ``lead`` that keeps the leads ``terms`` find."""
    if terms.empty:
        return true()
    if session.get_bind().dialect.name == "sqlite":
        return _sqlite_matches(terms)
    return _postgresql_matches(terms)


def _phrase(fragment: str) -> str:
    """One FTS5 string: the fragment anywhere (trigram), its quotes doubled."""
    return '"' + fragment.replace('"', '""') + '"'


def _sqlite_matches(terms: SearchTerms) -> ColumnElement[bool]:
    parts: list[str] = []
    params: dict[str, object] = {}
    if terms.words:
        parts.append("SELECT rowid AS id FROM lead_search WHERE lead_search MATCH :words")
        params["words"] = " AND ".join(_phrase(word) for word in terms.words)
    if terms.phone_digits is not None:
        parts.append("SELECT rowid AS id FROM lead_search WHERE lead_search MATCH :phone")
        parts.append(
            "SELECT lead_id FROM lead_phone_search WHERE lead_phone_search MATCH :other_phones"
        )
        params["phone"] = "phones : " + _phrase(terms.phone_digits)
        params["other_phones"] = _phrase(terms.phone_digits)
    if terms.lead_id is not None:
        parts.append("SELECT :lead_id")
        params["lead_id"] = terms.lead_id
    found = text(" UNION ".join(parts)).bindparams(**params).columns(id=Integer)
    return Lead.id.in_(found)


def _contains(expression: ColumnElement[str], fragment: str) -> ColumnElement[bool]:
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return expression.like(f"%{escaped}%", escape="\\")


def _postgresql_matches(terms: SearchTerms) -> ColumnElement[bool]:
    found: list[ColumnElement[bool]] = []
    if terms.words:
        found.append(
            and_(
                *(
                    or_(_contains(_PG_WORDS, word), _contains(_PG_PHONES, word))
                    if any(char.isdigit() for char in word)
                    else _contains(_PG_WORDS, word)
                    for word in terms.words
                )
            )
        )
    # One IN over a UNION, not an OR of subqueries: each part reads its own index.
    ids: list[Any] = []
    if terms.phone_digits is not None:
        ids.append(select(Lead.id).where(_contains(_PG_PHONES, terms.phone_digits)))
        ids.append(select(LeadPhone.lead_id).where(_contains(_PG_PHONE_DIGITS, terms.phone_digits)))
    if terms.lead_id is not None:
        ids.append(select(literal(terms.lead_id, Integer)))
    if ids:
        found.append(Lead.id.in_(union(*ids)))
    return or_(*found)
