"""Reading a CSV honestly: titles above the header skipped and said so, a quote never
closed reported on its row, stray bytes in a UTF-8 file reported, short rows left alone."""

from __future__ import annotations

import io

import pytest

from teleprospect.core.csv_reader import SAMPLE_SIZE, read_rows_from, sniff_stream

NOT_UTF8 = "not valid UTF-8, read as Windows-1252:"


def read(data: bytes) -> list[tuple[int, list[str], tuple[str, ...]]]:
    dialect = sniff_stream(io.BytesIO(data))
    return [(r.row_number, r.cells, r.problems) for r in read_rows_from(io.BytesIO(data), dialect)]


# --- lines above the header ------------------------------------------------------------


@pytest.mark.parametrize(
    ("preamble", "skipped"),
    [
        (b"Contacts export\nExported on 2025-03-01 by Jane Roe\n\n", 3),
        (b"Contacts export,,,\n,,,\nExported 2025-03-01,,,\n", 3),  # Excel pads titles too
        (b"sep=,\nLeads; March\n", 1),  # Excel's separator line is no title
        (b"", 0),
    ],
)
def test_a_title_above_the_header_is_skipped_and_said(preamble: bytes, skipped: int) -> None:
    body = b"First Name,Last Name,Email,Phone\nAnna,Schmidt,anna@x.de,030 901820\nBob,Lee,,\n"
    data = preamble + body
    dialect = sniff_stream(io.BytesIO(data))
    assert dialect.header == ("First Name", "Last Name", "Email", "Phone")
    assert dialect.skipped_lines == skipped
    if skipped:
        assert (
            dialect.skipped_note == f"Skipped {skipped} line{'s' * (skipped > 1)} above the header."
        )
    else:
        assert dialect.skipped_note == ""
    header_line = data[: data.index(b"First Name")].count(b"\n") + 1
    assert read(data) == [
        (header_line + 1, ["Anna", "Schmidt", "anna@x.de", "030 901820"], ()),
        (header_line + 2, ["Bob", "Lee", "", ""], ()),
    ]


def test_a_title_on_a_semicolon_file_does_not_change_the_delimiter() -> None:
    data = "Rapport prospects, mars\nNom;Société;Téléphone\nRené;Le Bon, SA;01 42 68 53 00\n"
    dialect = sniff_stream(io.BytesIO(data.encode()))
    assert dialect.delimiter == ";" and dialect.header == ("Nom", "Société", "Téléphone")


def test_a_one_column_file_keeps_its_first_line_as_the_header() -> None:
    assert read(b"Email\nanna@x.de\nbob@y.com\n")[0] == (2, ["anna@x.de"], ())


# --- quotes never closed ---------------------------------------------------------------


@pytest.mark.parametrize(
    "broken",
    [
        b'Anna,"anna@x.de,+49 30 901820\n',  # swallows to the end of the file
        b'"Anna,anna@x.de,+49 30 901820\n',  # ... or to the next quote
    ],
)
def test_an_unclosed_quote_is_reported_on_its_row_and_the_rows_after_it_are_read(
    broken: bytes,
) -> None:
    data = (
        b"Name,Email,Phone\nZoe,zoe@x.de,1\n"
        + broken
        + b'Bob,bob@x.com,2\nCarl,"carl@x.com",3\nDan,dan@x.com,4\n'
    )
    rows = read(data)
    assert [(number, cells[0].strip('"')) for number, cells, _ in rows] == [
        (2, "Zoe"), (3, "Anna"), (4, "Bob"), (5, "Carl"), (6, "Dan"),
    ]  # fmt: skip
    assert "never closed" in rows[1][2][0]
    assert rows[1][1][1].strip('"') == "anna@x.de" and rows[1][1][2] == "+49 30 901820"
    assert [problems for _, _, problems in rows[2:]] == [(), (), ()]
    assert rows[3][1] == ["Carl", "carl@x.com", "3"]


def test_a_note_over_several_lines_is_one_cell_not_a_problem() -> None:
    data = b'Name,Note,Phone\nAnna,"Met at booth,\nwants a demo, Tue",1\nBob,,2\n'
    assert read(data) == [
        (2, ["Anna", "Met at booth,\nwants a demo, Tue", "1"], ()),
        (4, ["Bob", "", "2"], ()),
    ]


# --- bytes that are not UTF-8 --------------------------------------------------------


def test_a_stray_byte_in_a_utf8_file_is_reported_on_its_row_not_rereading_the_file() -> None:
    data = (
        "Name,City\nMüller,Köln\n".encode()
        + b"Gr\xfcn,Z\xfcrich\n"  # written by an older tool in Windows-1252
        + "Zoë,Paris\n".encode()
    )
    assert sniff_stream(io.BytesIO(data)).encoding == "utf-8"
    assert read(data) == [
        (2, ["Müller", "Köln"], ()),
        (
            3,
            ["Grün", "Zürich"],
            ("not valid UTF-8, read as Windows-1252: 0xFC as 'ü', 0xFC as 'ü'",),
        ),
        (4, ["Zoë", "Paris"], ()),
    ]


def test_a_stray_byte_in_the_head_does_not_make_a_utf8_file_windows_1252() -> None:
    # The head holds one bad byte and no other non-ASCII character; the rest is UTF-8.
    head = b"Name,City\nGr\xfcn,Bern\n" + b"Anna,Berlin\n" * (SAMPLE_SIZE // 12 + 10)
    tail = "Müller,Köln\n".encode() * 5
    data = head + tail
    assert sniff_stream(io.BytesIO(data)).encoding == "utf-8"
    rows = read(data)
    assert rows[0][1] == ["Grün", "Bern"] and "0xFC as 'ü'" in rows[0][2][0]
    assert rows[-1] == (len(rows) + 1, ["Müller", "Köln"], ())
    assert sum(bool(problems) for _, _, problems in rows) == 1


def test_a_file_that_is_clearly_not_utf8_is_read_as_windows_1252_without_complaint() -> None:
    data = "Name,City,Note\nMüller,Köln,Prix 5 €\nZoë,Besançon,déjà\n".encode("cp1252")
    assert sniff_stream(io.BytesIO(data)).encoding == "cp1252"
    assert read(data) == [
        (2, ["Müller", "Köln", "Prix 5 €"], ()),
        (3, ["Zoë", "Besançon", "déjà"], ()),
    ]


def test_a_bad_byte_on_a_line_of_a_multi_line_cell_is_reported_on_its_row() -> None:
    data = b'Name,Note\nAnna,"line one\nline tw' + b"\xf6" + '"\nZoë,x\n'.encode()
    rows = read(data)
    assert rows[0][0] == 2 and rows[0][1] == ["Anna", "line one\nline twö"]
    assert rows[0][2] == (f"{NOT_UTF8} 0xF6 as 'ö'",)
    assert rows[1] == (4, ["Zoë", "x"], ())


# --- short rows ------------------------------------------------------------------------


def test_rows_without_their_trailing_empty_cells_are_not_flagged() -> None:
    lines = ["First Name,Last Name,Email,Phone,Notes"]
    lines += [f"Lead{n},Doe,lead{n}@x.com,+1 212 555 01{n:02d}" for n in range(24)]
    lines += ["Last,Doe,last@x.com,+1 212 555 0199,called"]
    rows = read(("\n".join(lines) + "\n").encode())
    assert len(rows) == 25 and all(problems == () for _, _, problems in rows)
    assert rows[0][1][-1] == "" and rows[-1][1][-1] == "called"
