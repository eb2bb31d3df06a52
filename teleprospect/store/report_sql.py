"""SQL the reports need that the two databases spell differently.

Times are compared and bucketed as whole seconds since 1970 (UTC), so that differences,
days, weeks and a lead's local hour (UTC plus an offset) are plain integer arithmetic on
both databases and every aggregate stays in SQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

__all__ = ["epoch_seconds"]


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
