"""CSV written for spreadsheets and CRMs: neutralised formulas, RFC 4180, read back."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teleprospect.core.csv_export import (
    FORMULA_TRIGGERS,
    E164Phone,
    neutralise,
    phone_cell,
    write_csv,
)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+1 212 555 0100", "'+1 212 555 0100"),  # a phone number: prefixed, still readable
        ("-12", "'-12"),
        ("@SUM(1,2)", "'@SUM(1,2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        (-5, "'-5"),  # a negative number is a formula to a spreadsheet too
        (-0.5, "'-0.5"),
        (42, "42"),
        (None, ""),
        ("Acme = best", "Acme = best"),  # only the first character matters
        ("'=already quoted", "'=already quoted"),
        (" =1+1", " =1+1"),
    ],
)
def test_neutralise(value: object, written: str) -> None:
    assert neutralise(value) == written  # type: ignore[arg-type]


def test_written_file_is_rfc_4180_and_reads_back() -> None:
    stream = io.StringIO(newline="")
    count = write_csv(
        stream,
        ["Name", "Note"],
        [["O'Neil, Jr.", 'said "yes"\nthen left'], ["=cmd|' /C calc'!A0", 7]],
    )
    text = stream.getvalue()
    assert count == 2
    assert text == (
        'Name,Note\r\n"O\'Neil, Jr.","said ""yes""\nthen left"\r\n\'=cmd|\' /C calc\'!A0,7\r\n'
    )
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["Name", "Note"],
        ["O'Neil, Jr.", 'said "yes"\nthen left'],
        ["'=cmd|' /C calc'!A0", "7"],
    ]


@given(st.lists(st.lists(st.text(), min_size=1, max_size=4), min_size=1, max_size=5))
def test_any_text_reads_back_with_no_cell_a_spreadsheet_would_run(rows: list[list[str]]) -> None:
    stream = io.StringIO(newline="")
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    write_csv(stream, [f"c{i}" for i in range(width)], rows)
    back = list(csv.reader(io.StringIO(stream.getvalue(), newline="")))[1:]
    assert len(back) == len(rows)
    for original, read in zip(rows, back, strict=True):
        for cell, got in zip(original, read, strict=True):
            assert not got.startswith(FORMULA_TRIGGERS)
            assert got in (cell, "'" + cell)


def test_a_valid_e164_phone_is_written_bare_so_crm_imports_keep_the_number() -> None:
    stream = io.StringIO(newline="")
    write_csv(stream, ["Phone", "Note"], [[phone_cell("+4930901820"), "+4930901820"]])
    # The phone column holds the number itself; the same text in a note is still prefixed.
    assert stream.getvalue().splitlines()[1] == "+4930901820,'+4930901820"


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://evil.example","call")',
        "+SUM(1+1)*cmd|' /C calc'!A0",
        "-1+2",
        "@x",
        "+1 212 555 0100",  # valid, but not in E.164 form: as entered, so prefixed
        "+12",  # E.164-shaped but no valid number
        "+999999999999",  # no such country code
        "+4930901820\n=1+1",  # a second line smuggled after a valid number
        "\t+4930901820",
    ],
)
def test_anything_but_a_valid_e164_phone_in_a_phone_column_is_still_neutralised(
    value: str,
) -> None:
    assert neutralise(phone_cell(value)) == "'" + value


def test_a_phone_marked_bare_by_hand_is_still_checked() -> None:
    assert neutralise(E164Phone("+1+1")) == "'+1+1"
    assert neutralise(E164Phone("+4930901820")) == "+4930901820"
    assert neutralise(phone_cell("")) == "" and neutralise(phone_cell(None)) == ""
