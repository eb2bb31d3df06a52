"""Fuzzing the CSV reader (issue 13, part 7): any bytes give rows or one CsvError sentence."""

from __future__ import annotations

import codecs
import dataclasses
import io

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from teleprospect.core.csv_reader import CsvDialect, CsvError, read_rows_from, sniff_stream

# Bytes a CSV is made of, mixed with anything: so some inputs get past detection.
_CSV_BYTES = st.sampled_from(
    [b",", b";", b"\t", b'"', b"\n", b"\r\n", b"\r", b"a", b"Name", b"Email", b"1", b"@x.io", b" "]
)
_PREFIXES = st.sampled_from(
    [b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"sep=;\n", b"sep=,\r\n"]
)
_CSV_LIKE = st.builds(
    lambda prefix, parts: prefix + b"".join(parts),
    _PREFIXES,
    st.lists(st.one_of(_CSV_BYTES, st.binary(max_size=4)), max_size=60),
)
_ENCODINGS = st.one_of(
    st.sampled_from(
        [None, "utf-8", "utf-16", "cp1252", "latin-1", "utf-16-le", "ascii", "utf-32", "idna",
         "utf-7", "cp037", "punycode", "rot13", "base64", "hex", "zlib"]
    ),
    st.text(max_size=10),
)  # fmt: skip
_DELIMITERS = st.one_of(st.none(), st.sampled_from([",", ";", "\t", "|"]), st.text(max_size=2))


def read_all(data: bytes, encoding: str | None, delimiter: str | None) -> None:
    """Sniff then read ``data``; only CsvError may come out, told in one line."""
    try:
        dialect = sniff_stream(io.BytesIO(data), encoding=encoding, delimiter=delimiter)
        for row in read_rows_from(io.BytesIO(data), dialect):
            assert len(row.cells) >= len(dialect.header)
            assert row.row_number >= 1
            row.values  # noqa: B018 - building the values must not fail either
    except CsvError as error:
        message = str(error)
        assert message
        assert "\n" not in message and "\r" not in message, message


@settings(max_examples=600)
@given(
    data=st.one_of(st.binary(max_size=200), _CSV_LIKE), encoding=_ENCODINGS, delimiter=_DELIMITERS
)
@example(data=b"", encoding=None, delimiter=None)
@example(data=b"\x00\x00", encoding="utf-16", delimiter=None)  # UTF-16 without its BOM
@example(data=b"Name,Email\nJane,j@x.io\n", encoding="rot13", delimiter=None)  # no text encoding
@example(data=b"\x00", encoding="idna", delimiter=None)  # cannot read past a bad byte
@example(data=b"\x00", encoding="\x00", delimiter=None)  # a null in the encoding's name
@example(data=b"\x00", encoding="\n", delimiter=None)  # a line break in the encoding's name
@example(data=b"Name,Email\n", encoding=None, delimiter=None)
@example(data=b'Name,Email\n"unclosed,x\n', encoding=None, delimiter=None)
@example(data=b"\xff\xfeN\x00,\x00", encoding=None, delimiter=None)
def test_any_bytes_give_rows_or_one_csv_error(
    data: bytes, encoding: str | None, delimiter: str | None
) -> None:
    read_all(data, encoding, delimiter)


@pytest.mark.parametrize(
    "encoding", ["rot13", "base64", "hex", "zlib", "bz2", "uu", "quopri", "idna"]
)
def test_a_transform_that_is_no_text_encoding_is_refused_in_one_sentence(encoding: str) -> None:
    """Choosing base64 or rot13 as a file's encoding once failed with a raw TypeError or an
    assertion instead of saying the encoding cannot be used."""
    data = b"Name,Email\nJane,jane@example.com\n"
    message = f'"{encoding}" is not an encoding this program knows.'
    with pytest.raises(CsvError) as refused:
        sniff_stream(io.BytesIO(data), encoding=encoding)
    assert str(refused.value) == message
    dialect = CsvDialect(encoding=encoding, delimiter=",", has_bom=False, header=("Name", "Email"))
    with pytest.raises(CsvError, match=message):
        read_rows_from(io.BytesIO(data), dialect)


def test_an_encoding_name_with_control_characters_is_refused_in_one_line() -> None:
    """A null in the encoding's name once escaped as a raw ValueError; a line break was
    echoed into the message, making it two lines."""
    for name, shown in (("\x00", ""), ("no\ncodec", "no codec")):
        with pytest.raises(CsvError) as refused:
            sniff_stream(io.BytesIO(b"Name\nJane\n"), encoding=name)
        assert str(refused.value) == f'"{shown}" is not an encoding this program knows.'


def test_utf16_chosen_for_a_file_without_its_bom_is_one_csv_error() -> None:
    data = "Name,Email\nJane,jane@example.com\n".encode("utf-16-le")
    for sniff_as in ("utf-16", None):
        try:
            dialect = sniff_stream(io.BytesIO(data), encoding=sniff_as)
        except CsvError as error:
            assert str(error) == "The data cannot be read as utf-16: choose another encoding."
            continue
        # Detected without a BOM (UTF-16-LE), then read as the user's "utf-16".
        dialect = dataclasses.replace(dialect, encoding="utf-16")
        with pytest.raises(CsvError, match="cannot be read as utf-16"):
            list(read_rows_from(io.BytesIO(data), dialect))
