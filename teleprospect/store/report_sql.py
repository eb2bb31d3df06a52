"""SQL the reports need that the two databases spell differently.

Times are compared and bucketed as whole seconds since 1970 (UTC), so that differences,
days, weeks and a lead's local hour (UTC plus an offset) are plain integer arithmetic on
both databases and every aggregate stays in SQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import FunctionElement

__all__ = ["epoch_seconds", "stored_time", "tune_for_reports"]


class epoch_seconds(FunctionElement[int]):  # noqa: N801 - reads as a SQL function
    """Whole seconds since 1970-01-01 UTC of a stored timestamp (NULL stays NULL)."""

    type = BigInteger()
    inherit_cache = True

    def __init__(self, moment: Any) -> None:
        super().__init__(moment)


@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element: epoch_seconds, compiler: Any, **kw: Any) -> str:
    # Stored as 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC.
    return f"CAST(strftime('%s', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(epoch_seconds, "postgresql")
def _epoch_postgresql(element: epoch_seconds, compiler: Any, **kw: Any) -> str:
    return f"CAST(FLOOR(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)})) AS BIGINT)"


class stored_time(FunctionElement[Any]):  # noqa: N801 - reads as a SQL literal
    """An aware datetime written into the SQL as a literal the stored column compares
    with directly (no conversion of each row): the reports compare one column with
    hundreds of bounds, more than the databases allow as parameters."""

    inherit_cache = False

    def __init__(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError(f"naive datetime {moment!r}: pass an aware (UTC) datetime")
        self.moment = moment.astimezone(UTC)
        super().__init__()


@compiles(stored_time, "sqlite")
def _stored_time_sqlite(element: stored_time, compiler: Any, **kw: Any) -> str:
    return f"'{element.moment:%Y-%m-%d %H:%M:%S.%f}'"


@compiles(stored_time, "postgresql")
def _stored_time_postgresql(element: stored_time, compiler: Any, **kw: Any) -> str:
    return f"TIMESTAMPTZ '{element.moment:%Y-%m-%d %H:%M:%S.%f}+00:00'"


def tune_for_reports(session: Session) -> None:
    """Settings for one report's transaction. PostgreSQL: no JIT compilation (a report's
    search of calling windows is a large expression, which LLVM takes seconds to
    optimise for a query that runs in less), and memory enough to sort or hash a range's
    calls without spilling to disk. Nothing on SQLite."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL jit = off"))
        session.execute(text("SET LOCAL work_mem = '64MB'"))
