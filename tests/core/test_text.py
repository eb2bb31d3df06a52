"""Issue 13: what a CSV cell carried never drives the terminal or the screen."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teleprospect.core.normalise import clean_text
from teleprospect.core.text import printable, shorten


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("Eve\x1b[31m", "Eve"),  # colour
        ("Red\x1b]0;pwned\x07", "Red"),  # window title, ended by BEL
        ("Red\x1b]0;pwned\x1b\\ Corp", "Red Corp"),  # window title, ended by ST
        ("Evil\x1b[2JCorp", "EvilCorp"),  # clear screen
        ("Boss\x9b31m", "Boss"),  # C1 CSI
        ("Blink\x1b[5;1mnow\x1b[0m", "Blinknow"),
        ("A\x1b(Bb", "Ab"),  # charset switch
        ("Bell\x07 and\x00 nul\x7f", "Bell and nul"),
        ("open \x1b]8;;http://x", "open 8;;http://x"),  # no terminator: only the introducer goes
        ("two\nlines\r\nand\ttab", "two lines and tab"),
        ("Müller & Söhne – 東京", "Müller & Söhne – 東京"),
    ],
)
def test_a_one_line_value_shows_without_controls(value: str, shown: str) -> None:
    assert printable(value) == shown


def test_notes_keep_their_lines_and_tabs_but_no_escapes() -> None:
    notes = "line1\r\nline2\x1b[5m\rline3\ttab\x1b[2J"
    assert printable(notes, multiline=True) == "line1\nline2\nline3\ttab"


@given(st.text())
def test_nothing_that_drives_a_terminal_is_left(value: str) -> None:
    for shown in (printable(value), printable(value, multiline=True)):
        assert not any(ord(c) < 0x20 and c not in "\t\n" or 0x7F <= ord(c) <= 0x9F for c in shown)
        assert "\n" not in printable(value) and "\t" not in printable(value)


def test_a_long_value_is_shortened_for_echoing() -> None:
    assert shorten("c" * 100_000, 10) == "ccccccccc…"
    assert shorten("short", 10) == "short"


def test_the_import_door_stores_cells_clean() -> None:
    assert clean_text(" Evil\x1b[2JCorp\x1b]0;owned\x07 \n GmbH ") == "EvilCorp GmbH"
    assert clean_text("=SUM(A1)") == "=SUM(A1)"  # formulas are the export's business
