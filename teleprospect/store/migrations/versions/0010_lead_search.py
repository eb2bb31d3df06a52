"""Find any lead: a substring index over names, companies, emails and phone digits, and
the indexes the lead list sorts by.

SQLite: two FTS5 tables with the trigram tokenizer (any part of a word or of a number of
three characters or more), kept in step with ``lead`` and ``lead_phone`` by triggers, so
every path that writes leads (imports, the demo, edits, long writes discarding their
rows) keeps them right. A later migration that copies ``lead`` or ``lead_phone`` in
batch mode drops these triggers with the old table and must create them again.

PostgreSQL: GIN indexes of the pg_trgm extension on the same texts. Creating the
extension needs the right to (a superuser, or the database's owner on PostgreSQL 13 and
newer, where pg_trgm is trusted); where it is refused, the search still works, reading
every lead, and the app says so.

Revision ID: 0010
Revises: 0009
Create Date: 2027-01-12 09:00:00.000000
"""

from __future__ import annotations

import logging

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

log = logging.getLogger("teleprospect.store.migrations")

#: (name, columns): the orders the lead list offers, each ending with the id so that a
#: page starts where the last one ended (keyset paging).
SORT_INDEXES = (
    ("ix_lead_sort_name", ["last_name", "first_name", "id"]),
    ("ix_lead_sort_company", ["company", "id"]),
    ("ix_lead_sort_status", ["status", "id"]),
    ("ix_lead_sort_score", ["score", "id"]),
    ("ix_lead_sort_created_at", ["created_at", "id"]),
    ("ix_lead_sort_country", ["country", "id"]),
)


def _digits_sqlite(column: str) -> str:
    """The digits of a phone as written: no spaces, dashes, brackets, dots, plus or slash."""
    text = f"coalesce({column}, '')"
    for mark in (" ", "-", "(", ")", ".", "+", "/", "\u00a0"):
        text = f"replace({text}, '{mark}', '')"
    return text


def _lead_words(row: str) -> str:
    return (
        f"{row}.first_name || ' ' || {row}.last_name || ' ' || {row}.company"
        f" || ' ' || coalesce({row}.email, '')"
    )


def _lead_phones(row: str) -> str:
    return f"{_digits_sqlite(f'{row}.phone_raw')} || ' ' || {_digits_sqlite(f'{row}.phone_e164')}"


def _phone_digits(row: str) -> str:
    return f"{_digits_sqlite(f'{row}.raw')} || ' ' || {_digits_sqlite(f'{row}.e164')}"


_SQLITE_UP = [
    "CREATE VIRTUAL TABLE lead_search USING fts5(words, phones, tokenize = 'trigram')",
    "CREATE VIRTUAL TABLE lead_phone_search USING fts5("
    "digits, lead_id UNINDEXED, tokenize = 'trigram')",
    f"INSERT INTO lead_search (rowid, words, phones)"
    f" SELECT lead.id, {_lead_words('lead')}, {_lead_phones('lead')} FROM lead",
    f"INSERT INTO lead_phone_search (rowid, digits, lead_id)"
    f" SELECT lead_phone.id, {_phone_digits('lead_phone')}, lead_phone.lead_id FROM lead_phone",
    f"CREATE TRIGGER lead_search_insert AFTER INSERT ON lead BEGIN"
    f" INSERT INTO lead_search (rowid, words, phones)"
    f" VALUES (new.id, {_lead_words('new')}, {_lead_phones('new')}); END",
    "CREATE TRIGGER lead_search_delete AFTER DELETE ON lead BEGIN"
    " DELETE FROM lead_search WHERE rowid = old.id; END",
    # Only when a searched text changes: a claim or a score writes no index.
    f"CREATE TRIGGER lead_search_update"
    f" AFTER UPDATE OF first_name, last_name, company, email, phone_raw, phone_e164 ON lead"
    f" WHEN {_lead_words('old')} IS NOT {_lead_words('new')}"
    f" OR {_lead_phones('old')} IS NOT {_lead_phones('new')} BEGIN"
    f" UPDATE lead_search SET words = {_lead_words('new')}, phones = {_lead_phones('new')}"
    f" WHERE rowid = new.id; END",
    f"CREATE TRIGGER lead_phone_search_insert AFTER INSERT ON lead_phone BEGIN"
    f" INSERT INTO lead_phone_search (rowid, digits, lead_id)"
    f" VALUES (new.id, {_phone_digits('new')}, new.lead_id); END",
    "CREATE TRIGGER lead_phone_search_delete AFTER DELETE ON lead_phone BEGIN"
    " DELETE FROM lead_phone_search WHERE rowid = old.id; END",
    f"CREATE TRIGGER lead_phone_search_update AFTER UPDATE OF raw, e164, lead_id ON lead_phone"
    f" BEGIN UPDATE lead_phone_search SET digits = {_phone_digits('new')},"
    f" lead_id = new.lead_id WHERE rowid = new.id; END",
]

_SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS lead_phone_search_update",
    "DROP TRIGGER IF EXISTS lead_phone_search_delete",
    "DROP TRIGGER IF EXISTS lead_phone_search_insert",
    "DROP TRIGGER IF EXISTS lead_search_update",
    "DROP TRIGGER IF EXISTS lead_search_delete",
    "DROP TRIGGER IF EXISTS lead_search_insert",
    "DROP TABLE IF EXISTS lead_phone_search",
    "DROP TABLE IF EXISTS lead_search",
]

# The same texts as teleprospect.store.search builds its conditions from, word for word:
# PostgreSQL uses an expression index only for the very same expression.
_PG_WORDS = "lower(first_name || ' ' || last_name || ' ' || company || ' ' || coalesce(email, ''))"
_PG_PHONES = (
    "regexp_replace(coalesce(phone_raw, ''), '[^0-9]', '', 'g') || ' '"
    " || regexp_replace(coalesce(phone_e164, ''), '[^0-9]', '', 'g')"
)
_PG_PHONE_DIGITS = (
    "regexp_replace(raw, '[^0-9]', '', 'g') || ' '"
    " || regexp_replace(coalesce(e164, ''), '[^0-9]', '', 'g')"
)

_PG_UP = [
    f"CREATE INDEX ix_lead_search_words ON lead USING gin (({_PG_WORDS}) gin_trgm_ops)",
    f"CREATE INDEX ix_lead_search_phones ON lead USING gin (({_PG_PHONES}) gin_trgm_ops)",
    f"CREATE INDEX ix_lead_phone_search_digits ON lead_phone"
    f" USING gin (({_PG_PHONE_DIGITS}) gin_trgm_ops)",
]

_PG_DOWN = [
    "DROP INDEX IF EXISTS ix_lead_phone_search_digits",
    "DROP INDEX IF EXISTS ix_lead_search_phones",
    "DROP INDEX IF EXISTS ix_lead_search_words",
]


def upgrade() -> None:
    for name, columns in SORT_INDEXES:
        op.create_index(name, "lead", columns, unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in _SQLITE_UP:
            op.execute(statement)
        return
    if not _trigram_extension(bind):
        log.warning(
            "The PostgreSQL extension pg_trgm could not be installed: searching leads reads "
            "every lead. A superuser can run CREATE EXTENSION pg_trgm in this database, "
            "then `teleprospect db upgrade` again after a downgrade to 0009 adds the indexes."
        )
        return
    for statement in _PG_UP:
        op.execute(statement)


def _trigram_extension(bind) -> bool:  # noqa: ANN001
    """Install pg_trgm if it is not there yet; False when this role may not."""
    if bind.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").first():
        return True
    savepoint = bind.begin_nested()
    try:
        bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # noqa: BLE001 - no right to, or not shipped with this server
        savepoint.rollback()
        return False
    savepoint.commit()
    return True


def downgrade() -> None:
    bind = op.get_bind()
    for statement in _SQLITE_DOWN if bind.dialect.name == "sqlite" else _PG_DOWN:
        op.execute(statement)
    for name, _columns in reversed(SORT_INDEXES):
        op.drop_index(name, table_name="lead")
