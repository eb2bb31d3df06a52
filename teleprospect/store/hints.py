"""SQLite index hints through SQLAlchemy's ``Select.with_hint``.

SQLite understands ``FROM lead INDEXED BY ix_name`` (and ``NOT INDEXED``), and fails the
statement rather than run it without that index: the right guard for the queue queries,
which must never fall back to a scan and a sort. SQLAlchemy's SQLite compiler renders no
table hints at all, so this module teaches it to render the ones given for "sqlite".
Import it before compiling such a statement; other dialects are not affected.
"""

from __future__ import annotations

from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.sql.expression import FromClause


def _sqlite_from_hint_text(self: SQLiteCompiler, table: FromClause, text: str | None) -> str | None:
    return text or None


SQLiteCompiler.get_from_hint_text = _sqlite_from_hint_text  # type: ignore[assignment]
