"""Writing CSV files that open cleanly in Excel and import into sales' CRM.

UTF-8 with a byte-order mark (Excel needs it to read UTF-8), RFC 4180 records (fields
quoted only when they must be, quotes doubled, CRLF between records) and every cell
neutralised against formula injection, as OWASP's "CSV Injection" page recommends: a
cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed
with a single quote, so a spreadsheet shows it as text instead of running it. That
includes harmless-looking values such as a phone number written ``+1 …`` or a negative
number: a spreadsheet cannot tell those from a formula either, so they are prefixed too.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from _csv import Writer  # the type csv.writer returns (private to the csv module)

__all__ = [
    "CSV_ENCODING",
    "Cell",
    "FORMULA_TRIGGERS",
    "csv_writer",
    "neutralise",
    "write_csv",
]

#: What exported files are encoded in: UTF-8 with a byte-order mark.
CSV_ENCODING = "utf-8-sig"
#: First characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | None


def neutralise(value: Cell) -> str:
    """The cell's text, prefixed with ``'`` when a spreadsheet would read it as a formula."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def csv_writer(stream: TextIO) -> Writer:
    """An RFC 4180 writer on ``stream`` (open it with ``newline=""``)."""
    return csv.writer(stream, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")


def write_csv(stream: TextIO, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> int:
    """Write ``header`` and ``rows`` with every cell neutralised; returns the rows written.

    ``stream`` must be opened with ``newline=""`` (and :data:`CSV_ENCODING` for a file).
    """
    writer = csv_writer(stream)
    writer.writerow([neutralise(name) for name in header])
    count = 0
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
        count += 1
    return count
