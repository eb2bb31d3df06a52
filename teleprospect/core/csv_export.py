"""Writing CSV files that open cleanly in Excel and import into sales' CRM.

UTF-8 with a byte-order mark (Excel needs it to read UTF-8), RFC 4180 records (fields
quoted only when they must be, quotes doubled, CRLF between records) and every cell
neutralised against formula injection, as OWASP's "CSV Injection" page recommends: a
cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed
with a single quote, so a spreadsheet shows it as text instead of running it. That
includes harmless-looking values such as a phone number written ``+1 …`` or a negative
number: a spreadsheet cannot tell those from a formula either, so they are prefixed too.

One exception: a phone number checked valid and written in strict E.164 form
(:func:`phone_cell`: ``+`` and digits only) is written bare. It cannot carry a formula, and
the apostrophe would survive a Salesforce or HubSpot import into the number itself.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from _csv import Writer  # the type csv.writer returns (private to the csv module)

__all__ = [
    "CSV_ENCODING",
    "Cell",
    "FORMULA_TRIGGERS",
    "E164Phone",
    "NeutralisingWriter",
    "csv_writer",
    "neutralise",
    "phone_cell",
    "write_csv",
]

#: What exported files are encoded in: UTF-8 with a byte-order mark.
CSV_ENCODING = "utf-8-sig"
#: First characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | None

# E.164: a plus, then up to fifteen digits, the first not zero. Nothing else.
_E164 = re.compile(r"\+[1-9][0-9]{1,14}", re.ASCII)


class E164Phone(str):
    """A phone number checked valid, in strict E.164 form: :func:`neutralise` writes it
    bare. Made by :func:`phone_cell` only."""

    __slots__ = ()


def phone_cell(number: str | None) -> str:
    """``number`` marked to be written bare when it is a valid number in strict E.164 form
    (``+4930901820``); anything else (a number as entered, with spaces, invalid, or a
    formula) is returned as it is, and neutralised like every other cell."""
    if not number or not _E164.fullmatch(number):
        return number or ""
    import phonenumbers  # phone data: loaded on the first export, not at start-up

    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return number
    if not phonenumbers.is_valid_number(parsed):
        return number
    return E164Phone(number)


def neutralise(value: Cell) -> str:
    """The cell's text, prefixed with ``'`` when a spreadsheet would read it as a formula;
    a valid E.164 number from :func:`phone_cell` is written bare."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.startswith(FORMULA_TRIGGERS):
        # The check again, in case an E164Phone was made some other way: only a plus and
        # digits are ever written bare.
        if type(value) is E164Phone and _E164.fullmatch(text):
            return str(text)
        return "'" + text
    return text


def csv_writer(stream: TextIO) -> Writer:
    """An RFC 4180 writer on ``stream`` (open it with ``newline=""``)."""
    return csv.writer(stream, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")


class NeutralisingWriter:
    """A :func:`csv_writer` whose rows are neutralised cell by cell: for files written a
    row at a time (an import's reject and duplicates reports)."""

    __slots__ = ("_writer",)

    def __init__(self, stream: TextIO) -> None:
        self._writer = csv_writer(stream)

    def writerow(self, row: Iterable[Cell]) -> None:
        self._writer.writerow([neutralise(cell) for cell in row])


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
