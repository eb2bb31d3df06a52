"""CSV files by their path: opening them for :mod:`teleprospect.core.csv_reader`.

Core reads streams and does no I/O; the imports open the files users pick here, with
the same two calls as before: :func:`sniff` for how to read a file, :func:`read_rows`
for its records. A source may also be the file's bytes (a dropped clipboard, a test).
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from teleprospect.core.csv_reader import (
    UNNAMED,
    CsvDialect,
    CsvError,
    CsvRow,
    check_dialect,
    read_rows_from,
    sniff_stream,
)

__all__ = ["CsvSource", "read_rows", "sniff"]

#: A path, or the file's bytes (a dropped clipboard, a test).
CsvSource = str | os.PathLike[str] | bytes


def sniff(
    source: CsvSource, *, encoding: str | None = None, delimiter: str | None = None
) -> CsvDialect:
    """How to read ``source``, detected from its head (see :func:`~teleprospect.core.
    csv_reader.sniff_stream`); ``encoding`` and ``delimiter`` override detection."""
    with _open(source) as stream:
        return sniff_stream(
            stream, name=_display_name(source), encoding=encoding, delimiter=delimiter
        )


def read_rows(source: CsvSource, dialect: CsvDialect | None = None) -> Iterator[CsvRow]:
    """The data records of ``source``, one at a time, blank lines skipped.

    Reads with ``dialect`` (from :func:`sniff`; detected when not given). Raises
    :class:`~teleprospect.core.csv_reader.CsvError` at once for a file :func:`sniff`
    rejects or a dialect no file can be read with, and while iterating as
    :func:`~teleprospect.core.csv_reader.read_rows_from` does. The file stays open
    while the records are read, and is closed when they run out or are dropped.
    """
    if dialect is None:
        dialect = sniff(source)
    else:
        check_dialect(dialect)
    return _records(source, dialect)


def _records(source: CsvSource, dialect: CsvDialect) -> Iterator[CsvRow]:
    with _open(source) as stream:
        yield from read_rows_from(stream, dialect, name=_display_name(source))


def _open(source: CsvSource) -> BinaryIO:
    if isinstance(source, bytes | bytearray):
        return io.BytesIO(source)
    try:
        return open(source, "rb")  # noqa: SIM115 — closed by the caller's with-block
    except IsADirectoryError as error:
        raise CsvError(f"{_display_name(source)} is a folder, not a file.") from error


def _display_name(source: CsvSource) -> str:
    if isinstance(source, bytes | bytearray):
        return UNNAMED
    return f'"{Path(source).name}"'
