"""Read the CSV files users bring: whatever tool wrote them, however large they are.

:func:`sniff_stream` looks at the head of a file only (:data:`SAMPLE_SIZE` bytes) and says
how to read it: the encoding (UTF-8 with or without BOM, UTF-16 with BOM as Excel's "Unicode
text" writes it, Windows-1252/Latin-1), the delimiter (comma, semicolon as European Excel
writes it, tab) and the column names. :func:`read_rows_from` then streams the records one at
a time, so a million-row file costs no more memory than a ten-row one.

Both work on a binary stream the caller opened: core does no I/O. Opening a file by its
path is :mod:`teleprospect.services.imports.files`' job (``sniff``, ``read_rows``).

Nothing is silently lost, and what was not read as written is said, row by row:

* Lines above the header (a report title, an export date, blank lines) are found and
  skipped: the header is the first line at least half as wide as the rows below it
  (:attr:`CsvDialect.skipped_note` says how many lines were skipped).
* A row shorter than the header is padded with empty cells without a word: many tools
  leave trailing empty cells out. A row longer than the header keeps its extra values
  and says so.
* A UTF-8 file with a few bytes that are not UTF-8 (rows added by an older tool) is read
  as UTF-8; each such byte is read as the Windows-1252 character it most likely is, and
  its row says which bytes were replaced by what. A file is read as Windows-1252 as a
  whole only when it is clearly not UTF-8: more than nine in ten of its non-ASCII
  sequences are invalid UTF-8 (in Windows-1252 text an accented letter is a single high
  byte, which UTF-8 never allows; UTF-8's multi-byte sequences almost never occur in it
  by chance). The whole file is looked at for that, not only its head.
* A quote that is never closed is reported on its row, which is read on its own line;
  the lines it would have swallowed are read as the rows they are.

A file that is not a CSV at all gets one :class:`CsvError` with one sentence a user can
act on.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from teleprospect.core.errors import Invalid
from teleprospect.core.text import printable, shorten

__all__ = [
    "DELIMITERS",
    "SAMPLE_SIZE",
    "CsvDialect",
    "CsvError",
    "CsvRow",
    "check_dialect",
    "read_rows_from",
    "sniff_stream",
]

#: How much of the file's head is read to detect encoding, delimiter and header.
SAMPLE_SIZE = 64 * 1024
#: The delimiters detected on their own, in order of preference on a tie. Any other
#: single character can still be given explicitly.
DELIMITERS = (",", ";", "\t")

#: What a stream is called in messages when its caller gives no name.
UNNAMED = "The data"

_DETECTION_RECORDS = 200
#: At most this many non-blank lines above the header are taken for a title or a preamble.
MAX_PREAMBLE_LINES = 20
#: A file is read as Windows-1252 as a whole when its invalid UTF-8 sequences outnumber
#: its valid multi-byte characters by more than this.
_NOT_UTF8_RATIO = 9
#: How many replaced bytes a row's problem lists.
_BYTES_SHOWN = 3
_WITHOUT_DELIMITERS = str.maketrans("", "", "".join(DELIMITERS))
_NO_PROBLEMS: tuple[str, ...] = ()

# Signatures of the files users pick by mistake instead of their CSV export.
_SIGNATURES = (
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or another zip archive"),
    (b"\xd0\xcf\x11\xe0", "an Excel 97-2003 workbook (.xls)"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "an image"),
    (b"\xff\xd8\xff", "an image"),
    (b"GIF8", "an image"),
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Bytes Windows-1252 leaves undefined: a file holding them is Latin-1.
_UNDEFINED_IN_CP1252 = frozenset(b"\x81\x8d\x8f\x90\x9d")
# Control characters no text file holds (tab, line breaks and form feed are fine).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")

# Undecodable bytes in a UTF-8 or Windows-1252 file are read as Windows-1252 (Latin-1 for
# the five bytes it leaves undefined): "é" instead of "�".
_LEGACY_FALLBACK = "teleprospect.csv_reader.cp1252_fallback"
_BYTE_AS_CP1252 = tuple(
    chr(b) if b in _UNDEFINED_IN_CP1252 else bytes([b]).decode("cp1252") for b in range(256)
)
_FALLBACK_CODECS = frozenset({"utf-8", "utf-8-sig", "cp1252", "latin-1", "iso8859-1"})


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(_BYTE_AS_CP1252[b] for b in bad), error.end


codecs.register_error(_LEGACY_FALLBACK, _cp1252_fallback)

# UTF-8 files are read with "surrogateescape" (counted: _escape_counted): a byte that is not
# UTF-8 arrives as a lone surrogate (U+DC80 + byte), is found on its line, read as
# Windows-1252 and reported.
_UTF8_CODECS = frozenset({"utf-8", "utf-8-sig"})
_ESCAPE_COUNTED = "teleprospect.csv_reader.escape_counted"
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


class CsvError(Invalid):
    """The file cannot be read as a CSV; the message is one sentence for the user."""


@dataclass(frozen=True, slots=True)
class CsvDialect:
    """How to read one file, as detected by :func:`sniff` (or chosen by the user).

    ``encoding`` is the Python codec that reads the file, BOM included (``utf-8-sig``,
    ``utf-16``, ``utf-8``, ``cp1252``, ``latin-1``). ``header`` holds the column names,
    trimmed and made unique, in file order: the keys of every :attr:`CsvRow.values`.
    """

    encoding: str
    delimiter: str
    has_bom: bool
    header: tuple[str, ...]
    #: Non-blank lines (a title, an export date) between the file's start (or Excel's
    #: "sep=" line) and the header, skipped when reading.
    preamble: int = 0
    #: All lines above the header that were skipped, blank ones included ("sep=" aside).
    skipped_lines: int = 0

    @property
    def description(self) -> str:
        """For the import preview: "UTF-8 with BOM, semicolon-separated"."""
        names = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16", "cp1252": "Windows-1252"}
        encoding = names.get(self.encoding, self.encoding.upper())
        bom = " with BOM" if self.has_bom else ""
        separator = {",": "comma", ";": "semicolon", "\t": "tab"}.get(
            self.delimiter, repr(self.delimiter)
        )
        return f"{encoding}{bom}, {separator}-separated"

    @property
    def skipped_note(self) -> str:
        """For the preview and the summary: "Skipped 2 lines above the header." ("" if none)."""
        if not self.skipped_lines:
            return ""
        lines = "line" if self.skipped_lines == 1 else "lines"
        return f"Skipped {self.skipped_lines} {lines} above the header."


@dataclass(slots=True)
class CsvRow:
    """One record of the file.

    ``row_number`` is the line of the file the record starts on, counting from 1 with the
    header on its line: the number a user looks for in an editor or, when no cell spans
    several lines, in a spreadsheet. ``cells`` are aligned with the header (short rows are
    padded with ""), followed by any values beyond the header. Values are as written:
    not trimmed, never interpreted (``=HYPERLINK(...)`` is just text).
    """

    row_number: int
    cells: list[str]
    header: tuple[str, ...] = field(repr=False)
    problems: tuple[str, ...] = _NO_PROBLEMS

    @property
    def values(self) -> dict[str, str]:
        """Column name → value; values beyond the header are ``extra_1``, ``extra_2``…"""
        values = dict(zip(self.header, self.cells, strict=False))
        width = len(self.header)
        for position in range(width, len(self.cells)):
            values[f"extra_{position - width + 1}"] = self.cells[position]
        return values


def sniff_stream(
    stream: BinaryIO,
    *,
    name: str = UNNAMED,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> CsvDialect:
    """Detect how to read ``stream`` from its first :data:`SAMPLE_SIZE` bytes.

    ``name`` is how messages call the file (``'"leads.csv"'``).
    ``encoding`` and ``delimiter`` override detection (the user corrected them in the
    import preview); the header is then read with them. Raises :class:`CsvError` for a
    file that is empty, not text, has no header row, or has a header and no rows.
    """
    sample = stream.read(SAMPLE_SIZE + 1)
    whole = len(sample) <= SAMPLE_SIZE
    sample = sample[:SAMPLE_SIZE]

    if not sample:
        raise CsvError(f"{name} is empty.")
    bom_codec = next((codec for bom, codec in _BOMS if sample.startswith(bom)), None)
    for signature, what in _SIGNATURES:
        if sample.startswith(signature):
            raise CsvError(
                f"{name} is not a CSV file but {what}: save it as CSV from the program "
                "that made it, then import that."
            )
    codec = _reading_codec(encoding, bom_codec) if encoding else bom_codec
    if codec is None:
        codec = _guess_codec(sample, whole, name, stream)
    text = _decode_sample(sample, codec, whole, name)
    if _CONTROL.search(text) and len(_CONTROL.findall(text)) > max(1, len(text) // 100):
        raise CsvError(f"{name} is not a CSV file: it holds binary data, not text.")
    if not text.translate(_WITHOUT_DELIMITERS).strip():
        raise CsvError(f"{name} is empty.")  # blank lines, or rows of empty cells

    text, excel_delimiter = _strip_excel_separator_line(text)
    if delimiter is not None:
        _check_delimiter(delimiter)
    else:
        delimiter = excel_delimiter or _detect_delimiter(text)
    numbered = _numbered_records(text, delimiter, _DETECTION_RECORDS)
    if not numbered:
        raise CsvError(f"{name} is empty.")
    records = [cells for _, cells in numbered]
    preamble = _preamble_length(records)
    if _looks_like_data(records[preamble]):
        preamble = 0  # what follows the "title" is no header either: say so of line one
    if _looks_like_data(records[preamble]):
        raise CsvError(
            f"{name} has no header row: the first row holds data, but the first row must "
            "name the columns (First Name, Email, Phone…)."
        )
    header = _unique_header(records[preamble])
    if whole and len(records) == preamble + 1:
        raise CsvError(f"{name} has a header row but no rows of data.")
    return CsvDialect(
        encoding=codec,
        delimiter=delimiter,
        has_bom=bom_codec is not None,
        header=header,
        preamble=preamble,
        skipped_lines=numbered[preamble][0] - 1,
    )


def check_dialect(dialect: CsvDialect) -> None:
    """Raise :class:`CsvError` for a dialect no file can be read with (a bad delimiter, an
    encoding this program does not know)."""
    _check_delimiter(dialect.delimiter)
    _reading_codec(dialect.encoding, None)


def read_rows_from(
    stream: BinaryIO, dialect: CsvDialect, *, name: str = UNNAMED
) -> Iterator[CsvRow]:
    """The data records of ``stream`` (from its start), one at a time, blank lines skipped.

    Reads with ``dialect`` (from :func:`sniff_stream`). Memory stays constant whatever the
    file's size. Raises :class:`CsvError` at once for a dialect :func:`check_dialect`
    rejects, and while iterating when the file changed since it was sniffed or a value is
    malformed beyond repair (an unclosed quote swallowing the whole file). The stream is
    left open: it is the caller's.
    """
    check_dialect(dialect)
    return _records(stream, dialect, name)


# --- reading -----------------------------------------------------------------------------


class _Source:
    """The file's lines for csv.reader, with what reading them again needs: the lines of
    the record being read (``taken``), lines to hand out once more (``again``), and what
    was replaced on which line of a UTF-8 file (``bad_bytes``, by line number)."""

    __slots__ = ("again", "bad_bytes", "ended", "taken")

    def __init__(self) -> None:
        self.taken: list[str] = []
        self.again: list[str] = []
        self.bad_bytes: dict[int, str] = {}
        #: The file's last line was handed out: lines to read again need :meth:`replay`.
        self.ended = False

    def lines(self, text: Iterator[str], *, repair: bool) -> Iterator[str]:
        taken, again = self.taken, self.again
        append = taken.append
        escaped = _escaped
        for number, line in enumerate(text, start=1):
            while again:  # lines of a record read again, before the next new one
                append(line_again := again.pop())
                yield line_again
            # Bytes were escaped while decoding (see _escape_counted): find them.
            if repair and escaped.count:
                line = self._repaired(line, number)
            append(line)
            yield line
        self.ended = True
        yield from self.replay()

    def replay(self) -> Iterator[str]:
        """The lines to read again, once the file's lines are all handed out."""
        taken, again = self.taken, self.again
        while again:
            taken.append(line := again.pop())
            yield line

    def _repaired(self, line: str, number: int) -> str:
        replaced: list[str] = []

        def as_cp1252(match: re.Match[str]) -> str:
            byte = ord(match.group()) - 0xDC00
            char = _BYTE_AS_CP1252[byte]
            if len(replaced) < _BYTES_SHOWN:
                replaced.append(f"0x{byte:02X} as {printable(char)!r}")
            return char

        repaired, count = _ESCAPED_BYTE.subn(as_cp1252, line)
        if count:
            _escaped.count = max(0, _escaped.count - count)
            more = f" and {count - len(replaced)} more" if count > len(replaced) else ""
            self.bad_bytes[number] = (
                "not valid UTF-8, read as Windows-1252: " + ", ".join(replaced) + more
            )
        return repaired


class _Escaped(threading.local):
    """Bytes escaped while decoding in this thread and not yet found on a line."""

    count = 0


_escaped = _Escaped()


def _escape_counted(error: UnicodeError) -> tuple[str, int]:
    """ "surrogateescape", counting: lines are searched for escaped bytes only while some
    are known to be there, so a clean file pays nothing for the search."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    _escaped.count += len(bad)
    return "".join(chr(0xDC00 + b) for b in bad), error.end


codecs.register_error(_ESCAPE_COUNTED, _escape_counted)

_UNCLOSED_QUOTE = (
    "a quote in this row is never closed: the row was read on its own line, and the lines "
    "after it as the rows they are"
)


def _records(stream: BinaryIO, dialect: CsvDialect, name: str) -> Iterator[CsvRow]:
    codec = codecs.lookup(dialect.encoding).name
    repair = codec in _UTF8_CODECS
    if repair:
        errors = _ESCAPE_COUNTED  # repaired and reported line by line (_Source)
        _escaped.count = 0
    elif codec in _FALLBACK_CODECS:
        errors = _LEGACY_FALLBACK
    else:
        errors = "replace"
    text = io.TextIOWrapper(stream, encoding=dialect.encoding, errors=errors, newline="")
    source = _Source()
    taken, bad_bytes = source.taken, source.bad_bytes
    delimiter = dialect.delimiter
    # Strict: a quote that is never closed, or closed and followed by more text, stops the
    # record there; it is read again line by line (below).
    reader = csv.reader(
        source.lines(text, repair=repair), delimiter=delimiter, quotechar='"', strict=True
    )
    reread = 0  # lines handed to the reader a second time so far
    line = 0  # the line the last record ended on
    try:
        header = _read_header(reader, delimiter, dialect.preamble)
        if not header:
            raise CsvError(f"{name} is empty.")
        if dialect.header and header != dialect.header:
            raise CsvError(f"{name} changed since it was opened: open it again to import it.")
        width = len(header)
        bad_bytes.clear()  # the header's and the title's: no row's
        taken.clear()
        line = reader.line_num
        while True:
            try:
                for cells in reader:
                    taken.clear()  # the next record's lines are collected from here
                    start = line + 1
                    line = reader.line_num - reread
                    # Fast path first: almost every row has a value in its first column.
                    if (not cells or not cells[0] or cells[0].isspace()) and _is_blank(cells):
                        if bad_bytes:
                            _bad_bytes_in(bad_bytes, start, line)
                        continue
                    if bad_bytes and (problems := _bad_bytes_in(bad_bytes, start, line)):
                        yield _irregular_row(start, cells, header, problems)
                    elif len(cells) == width:
                        yield CsvRow(start, cells, header)
                    else:
                        yield _irregular_row(start, cells, header, [])
                break
            except csv.Error:
                # A quote never closed swallowed the lines after it (to the end of the
                # file, or to a quote out of place): the record's first line is read on
                # its own, the lines after it again as the rows they are.
                if not taken:
                    raise
                rest = taken[1:]
                source.again.extend(reversed(rest))
                start = line + 1
                line = start
                if source.ended:  # the reader's lines ran out: a new one reads them again
                    reader = csv.reader(
                        source.replay(), delimiter=delimiter, quotechar='"', strict=True
                    )
                    reread = -line
                else:
                    reread += len(rest)
                cells = _line_alone(taken[0], delimiter)
                taken.clear()
                problems = _bad_bytes_in(bad_bytes, start, line) if bad_bytes else []
                if rest:
                    problems.insert(0, _UNCLOSED_QUOTE)
                if not _is_blank(cells):
                    yield _irregular_row(start, cells, header, problems)
    except csv.Error as error:  # a field beyond the size limit on one line
        raise CsvError(f"{name} cannot be read past line {line + 1}: {error}.") from error
    except UnicodeError as error:  # UTF-16 chosen for a file without its BOM
        raise _not_in_encoding(name, dialect.encoding) from error
    finally:
        with contextlib.suppress(ValueError):
            text.detach()  # the stream stays the caller's to close


def _bad_bytes_in(bad_bytes: dict[int, str], start: int, end: int) -> list[str]:
    """What was replaced on lines ``start`` to ``end`` (taken out of ``bad_bytes``)."""
    return [bad_bytes.pop(line) for line in range(start, end + 1) if line in bad_bytes]


def _line_alone(line: str, delimiter: str) -> list[str]:
    """The cells of one line read on its own: quotes as the csv module reads them
    leniently when that gives as many cells as a split at the delimiters, else taken as
    written (a quote opened and never closed is part of its cell's text)."""
    line = line.rstrip("\r\n")
    as_written = line.split(delimiter)
    lenient = next(csv.reader([line], delimiter=delimiter, strict=False), [])
    if len(lenient) == len(as_written) or '"' not in line:
        return lenient
    return as_written


def _read_header(reader: Iterator[list[str]], delimiter: str, preamble: int) -> tuple[str, ...]:
    first = True
    for cells in reader:
        if _is_blank(cells):
            continue
        if first and _is_excel_separator_line(cells, delimiter):
            first = False
            continue
        first = False
        if preamble:
            preamble -= 1  # a title or an export date above the header
            continue
        return _unique_header(cells)
    return ()


def _irregular_row(
    row_number: int, cells: list[str], header: tuple[str, ...], problems: list[str]
) -> CsvRow:
    width = len(header)
    count = len(cells)
    while len(cells) > width and not cells[-1]:
        cells.pop()  # Excel pads rows with empty cells past the last column: nothing lost
    if len(cells) < width:
        # Many tools leave out a row's trailing empty cells: nothing to say about it.
        cells.extend([""] * (width - len(cells)))
    elif len(cells) > width:
        extras = len(cells) - width
        names = ", ".join(f"extra_{n}" for n in range(1, min(extras, 3) + 1))
        if extras > 3:
            names = f"extra_1 … extra_{extras}"
        problems.append(f"row has {count} fields, header has {width}: extra values kept as {names}")
    return CsvRow(row_number, cells, header, tuple(problems) if problems else _NO_PROBLEMS)


def _is_blank(cells: list[str]) -> bool:
    return not "".join(cells).strip()


def _is_excel_separator_line(cells: list[str], delimiter: str) -> bool:
    # Excel's "sep=;" first line names the delimiter; it is not the header.
    return delimiter.join(cells).strip().lower() == f"sep={delimiter}"


# --- detection ---------------------------------------------------------------------------


def _reading_codec(requested: str, bom_codec: str | None) -> str:
    try:
        codec = codecs.lookup(requested).name
        # Refuses transforms that are no text encoding (base64, rot13) and codecs that
        # cannot read past a bad byte (idna).
        b" ".decode(codec, "ignore")
    except (LookupError, ValueError) as error:  # UnicodeError; a null character in the name
        shown = shorten(printable(requested), 40)
        raise CsvError(f'"{shown}" is not an encoding this program knows.') from error
    # The BOM-aware codec reads the same text and drops the BOM rather than making it
    # part of the first column's name.
    if bom_codec == "utf-8-sig" and codec == "utf-8":
        return "utf-8-sig"
    if bom_codec == "utf-16" and codec.startswith("utf-16"):
        return "utf-16"
    return codec


def _guess_codec(sample: bytes, whole: bool, name: str, stream: BinaryIO) -> str:
    if b"\x00" in sample:
        # UTF-16 without a BOM has a zero in every other byte of ASCII text.
        head = sample[:4096]
        half = max(1, len(head) // 2)
        zeros_even = head[0::2].count(0) / half
        zeros_odd = head[1::2].count(0) / half
        if zeros_odd > 0.4 and zeros_even < 0.05:
            return "utf-16-le"
        if zeros_even > 0.4 and zeros_odd < 0.05:
            return "utf-16-be"
        raise CsvError(f"{name} is not a CSV file: it holds binary data, not text.")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=whole)
    except UnicodeDecodeError:
        invalid, valid = _utf8_census(sample, stream)
        if invalid > _NOT_UTF8_RATIO * valid:  # clearly not UTF-8
            return "latin-1" if not _UNDEFINED_IN_CP1252.isdisjoint(sample) else "cp1252"
    return "utf-8"


def _utf8_census(sample: bytes, stream: BinaryIO) -> tuple[int, int]:
    """Invalid UTF-8 sequences and valid multi-byte UTF-8 characters in ``sample`` and
    the rest of ``stream``, read in chunks."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    invalid = valid = 0
    chunk = sample
    while True:
        final = not chunk
        text = decoder.decode(chunk, final=final)
        bad = text.count("\ufffd")
        invalid += bad
        valid += len(text) - len(text.encode("ascii", "ignore")) - bad
        if final:
            return invalid, valid
        chunk = stream.read(1 << 20)


def _decode_sample(sample: bytes, codec: str, whole: bool, name: str) -> str:
    # The same characters as the rows will get (see _records), so the header matches.
    errors = _LEGACY_FALLBACK if codecs.lookup(codec).name in _FALLBACK_CODECS else "replace"
    try:
        decoder = codecs.getincrementaldecoder(codec)(errors=errors)
    except LookupError as error:
        raise CsvError(f'"{codec}" is not an encoding this program knows.') from error
    try:
        text = decoder.decode(sample, final=whole)
    except UnicodeError as error:  # UTF-16 chosen for a file without its BOM
        raise _not_in_encoding(name, codec) from error
    if not whole and "\n" in text:
        text = text[: text.rindex("\n") + 1]  # the last line may be cut short
    return text


def _not_in_encoding(name: str, codec: str) -> CsvError:
    return CsvError(f"{name} cannot be read as {codec}: choose another encoding.")


def _strip_excel_separator_line(text: str) -> tuple[str, str | None]:
    first, newline, rest = text.partition("\n")
    first = first.strip()
    if len(first) == 5 and first[:4].lower() == "sep=":
        return rest, first[4]
    return text, None


def _check_delimiter(delimiter: str) -> None:
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise CsvError(f"{delimiter!r} cannot separate values: choose one character.")


def _detect_delimiter(text: str) -> str:
    """The candidate that splits the header into most columns and the rows into as many."""
    best = DELIMITERS[0]
    best_score: tuple[bool, bool, float, int, int] | None = None
    for delimiter in DELIMITERS:
        records = _non_blank_records(text, delimiter, _DETECTION_RECORDS)
        if not records:
            continue
        preamble = _preamble_length(records)
        records = records[preamble:]  # a title says nothing about it
        width = len(records[0])
        rows = records[1:]
        regular = sum(len(row) == width for row in rows) / len(rows) if rows else 1.0
        # Rows below the header, and a header at the top, speak for a delimiter.
        score = (width > 1, width > 1 and bool(rows), regular, -preamble, width)
        if best_score is None or score > best_score:
            best, best_score = delimiter, score
    return best


def _non_blank_records(text: str, delimiter: str, limit: int) -> list[list[str]]:
    return [cells for _, cells in _numbered_records(text, delimiter, limit)]


def _numbered_records(text: str, delimiter: str, limit: int) -> list[tuple[int, list[str]]]:
    """The first ``limit`` non-blank records of ``text``, each with the line it starts on."""
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 0
    try:
        for cells in reader:
            start, line = line + 1, reader.line_num
            if not _is_blank(cells):
                records.append((start, cells))
                if len(records) >= limit:
                    break
    except csv.Error:
        pass  # a malformed tail of the sample: what was read is enough to decide
    return records


def _filled_width(cells: list[str]) -> int:
    """How many cells a record has up to its last non-empty one ("Title,,,," has one)."""
    width = len(cells)
    while width and not cells[width - 1].strip():
        width -= 1
    return width


def _preamble_length(records: list[list[str]]) -> int:
    """How many records above the header are a title, an export date or the like.

    The rows of a file are mostly as wide as one another; a title line is not. The
    header is the first record more than half as wide as the rows' most common width
    (counting up to their last non-empty cell). Nothing is skipped when the rows are a
    single column, or when no record near the top qualifies.
    """
    widths = [_filled_width(cells) for cells in records]
    rows = Counter(widths[1:])
    if not rows:
        return 0
    typical = max(rows, key=lambda width: (rows[width], width))
    narrow = typical // 2
    for position, width in enumerate(widths[: MAX_PREAMBLE_LINES + 1]):
        if width > narrow:
            return position
    return 0


def _unique_header(cells: list[str]) -> tuple[str, ...]:
    names = [" ".join(cell.replace("\ufeff", "").split()) for cell in cells]
    names = [name or f"Column {position}" for position, name in enumerate(names, start=1)]
    taken = set(names)
    seen: set[str] = set()
    unique = []
    for name in names:
        if name in seen:
            copy = 2
            while f"{name} ({copy})" in taken:
                copy += 1
            name = f"{name} ({copy})"
            taken.add(name)
        seen.add(name)
        unique.append(name)
    return tuple(unique)


def _looks_like_data(cells: list[str]) -> bool:
    """Column names are words; a first row of email addresses or numbers is a record."""
    filled = [cell.strip() for cell in cells if cell.strip()]
    if any("@" in cell and "." in cell.partition("@")[2] for cell in filled):
        return True
    numeric = sum(cell.lstrip("+-(").replace(" ", "").replace(".", "").isdigit() for cell in filled)
    return numeric * 2 > len(filled)
