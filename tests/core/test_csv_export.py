"""CSV written for spreadsheets and CRMs: neutralised formulas, RFC 4180, read back."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teleprospect.core.csv_export import FORMULA_TRIGGERS, neutralise, write_csv


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
