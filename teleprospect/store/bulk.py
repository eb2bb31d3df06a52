"""Writing many rows of one table fast: for imports of hundreds of thousands of rows.

SQLAlchemy's ``insert()`` with a list of dicts converts every value of every row through
the column types; at a million rows that is most of an import's time. :class:`BulkInsert`
names the columns once, converts the values that are the same for every row (and the
columns' defaults) once, and hands plain tuples to the driver: INSERTs of many rows each
on SQLite, ``COPY`` on PostgreSQL. It writes in the caller's transaction.

On SQLite one statement carries many rows (``VALUES (…), (…), …``), not one per row by
``executemany``: a statement that fires a trigger writing into a full-text table (the
search index of the leads and their numbers) makes the FTS5 table flush what it holds
at the statement's end, so a statement per row writes a segment per row and merges
them over and over — five times the cost of the insert itself.

PostgreSQL refuses ``COPY FROM`` into a table whose row-level security applies to the
session (a person's own login role, see :mod:`teleprospect.store.roles`): there the rows
go by ``executemany``, which psycopg pipelines.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Boolean, Connection, Table
from sqlalchemy.engine import Dialect

__all__ = ["SQLITE_ROWS_PER_STATEMENT", "BulkInsert", "sqlite_bulk_settings"]

#: SQLite: rows one INSERT statement carries at most.
SQLITE_ROWS_PER_STATEMENT = 500


def _sqlite_values() -> int:
    """How many values SQLite binds to one statement at most (999 before 3.32)."""
    import sqlite3

    return 32_766 if sqlite3.sqlite_version_info >= (3, 32) else 999


class BulkInsert:
    """INSERTs into ``table``: each row gives the values of ``columns``, in order.

    ``constants`` are values shared by every row; columns given by neither get their
    column default, as an ORM insert would, worked out once: a callable default (the
    time, an empty dict) is called once and shared by the rows. A column whose default
    is a SQL expression or a sequence must be given. Values of ``columns`` are converted
    by their column type per row, except those named in ``encoded``, which the caller
    already wrote as the database stores them (JSON text, for instance).
    """

    def __init__(
        self,
        connection: Connection,
        table: Table,
        columns: Sequence[str],
        constants: Mapping[str, Any] | None = None,
        *,
        encoded: Collection[str] = (),
    ) -> None:
        self.connection = connection
        dialect = connection.dialect
        constants = dict(constants or {})
        for column in table.columns:
            if column.name in columns or column.name in constants or column.default is None:
                continue
            default = column.default
            if default.is_scalar:
                constants[column.name] = default.arg  # type: ignore[attr-defined]
            elif default.is_callable:
                constants[column.name] = default.arg(None)  # type: ignore[attr-defined]
            else:
                raise ValueError(
                    f"{table.name}.{column.name}: a default worked out by the database"
                    " cannot be written in bulk; give its value"
                )
        unknown = (set(columns) | set(constants)) - set(table.columns.keys())
        if unknown:
            raise ValueError(f"{table.name} has no column {', '.join(sorted(unknown))}")

        def converted(name: str, value: Any) -> Any:
            process = _processor(table, name, dialect)
            return process(value) if process is not None and value is not None else value

        self._constants = tuple(converted(name, value) for name, value in constants.items())
        self._processors = [
            (index, process)
            for index, name in enumerate(columns)
            if name not in encoded and (process := _processor(table, name, dialect)) is not None
        ]
        names = [*columns, *constants]
        self._postgresql = dialect.name == "postgresql"
        preparer = dialect.identifier_preparer
        target = preparer.format_table(table)  # with its schema, quoted as needed
        column_list = ", ".join(preparer.quote(name) for name in names)
        marks = ", ".join("?" if dialect.paramstyle == "qmark" else "%s" for _ in names)
        self._insert_sql = f"INSERT INTO {target} ({column_list}) VALUES ({marks})"
        # SQLite: rows per statement, within its limit of bound values per statement.
        self._sqlite_rows = max(1, min(SQLITE_ROWS_PER_STATEMENT, _sqlite_values() // len(names)))
        self._sqlite_head = f"INSERT INTO {target} ({column_list}) VALUES "
        self._sqlite_row = f"({marks})"
        self._sqlite_sql: dict[int, str] = {}
        self._copy_sql = f"COPY {target} ({column_list}) FROM STDIN"
        self._table_name = target
        self._may_copy: bool | None = None

    def insert(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Write ``rows``: each a tuple of the ``columns`` values."""
        constants = self._constants
        if self._processors:
            rows = self._converted(rows)
        if self._postgresql:
            raw = self.connection.connection.driver_connection
            assert raw is not None
            if self._may_copy is None:
                active = raw.execute("SELECT row_security_active(%s)", (self._table_name,))
                self._may_copy = not active.fetchone()[0]  # type: ignore[index]
            if self._may_copy:
                with raw.cursor() as cursor, cursor.copy(self._copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row + constants)
                return
            with raw.cursor() as cursor:
                cursor.executemany(self._insert_sql, [row + constants for row in rows])
            return
        values = [row + constants for row in rows]
        start = 0
        while start < len(values):
            # Full statements, then the rest by powers of two: a handful of statement
            # shapes, so that the prepared statements SQLite keeps stay few (one per
            # count of rows would keep hundreds of large ones, and memory would grow).
            left = len(values) - start
            count = self._sqlite_rows if left >= self._sqlite_rows else 1 << (left.bit_length() - 1)
            part = values[start : start + count]
            self.connection.exec_driver_sql(
                self._sqlite_statement(count), tuple(v for row in part for v in row)
            )
            start += count

    def _sqlite_statement(self, rows: int) -> str:
        sql = self._sqlite_sql.get(rows)
        if sql is None:
            sql = self._sqlite_sql[rows] = self._sqlite_head + ", ".join([self._sqlite_row] * rows)
        return sql

    def _converted(self, rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        processors = self._processors
        for row in rows:
            values = list(row)
            for index, process in processors:
                if values[index] is not None:
                    values[index] = process(values[index])
            yield tuple(values)


def _processor(table: Table, name: str, dialect: Dialect) -> Any:
    """How the column type converts a value for the driver; None when it need not."""
    column_type = table.columns[name].type
    if isinstance(column_type, Boolean):
        return None  # both drivers take Python booleans as they are
    return column_type.dialect_impl(dialect).bind_processor(dialect)


@contextmanager
def sqlite_bulk_settings(
    connection: Connection, *, cache_kib: int, checkpoint_pages: int | None = None
) -> Iterator[None]:
    """A bigger page cache (``cache_kib``) and, with ``checkpoint_pages``, fewer
    checkpoints (every that many pages of write-ahead log) on this SQLite connection for a
    while; nothing on other databases. (A long write checkpoints by itself: see
    :class:`teleprospect.store.staging.LongWrite`.)

    Writing in bulk touches pages all over a table's indexes; with SQLite's defaults
    (2 MB of cache, a checkpoint every 1,000 pages) the same pages would be evicted and
    copied back into the file again and again.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.driver_connection
    assert raw is not None
    cache = raw.execute("PRAGMA cache_size").fetchone()[0]
    checkpoint = raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    raw.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
    if checkpoint_pages is not None:
        raw.execute(f"PRAGMA wal_autocheckpoint = {int(checkpoint_pages)}")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA cache_size = {int(cache)}")
        raw.execute(f"PRAGMA wal_autocheckpoint = {int(checkpoint)}")
