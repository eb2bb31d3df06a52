"""Text that is safe to show: what a CSV cell carried must never drive the terminal or screen.

A lead list can hold anything a marketing tool let people type, including terminal escape
sequences (colours, a new window title, "clear screen") and other control characters.
:func:`printable` removes them before a value is printed or shown as plain text.
"""

from __future__ import annotations

import re

__all__ = ["printable", "shorten"]

# ESC-introduced and C1 sequences, longest forms first:
#  - control strings (OSC, DCS, SOS, PM, APC) up to their terminator (BEL or ST); without
#    one only the introducer goes, and the rest stays as harmless text;
#  - CSI: parameters, intermediates and the final byte;
#  - any other ESC sequence: intermediates and a final byte.
_SEQUENCES = re.compile(
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])(?:[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c))?"
    r"|(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]?"
)
#: Line breaks of every kind, CR LF counted once.
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\x0b\x0c\x85\u2028\u2029]")
#: C0 and C1 control characters and DEL, but tab and line feed (handled before).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str, *, multiline: bool = False) -> str:
    """``text`` without control characters or terminal escape sequences.

    A one-line value (a name, a company) gets a space for each tab or line break, so it
    cannot start a line of its own; a ``multiline`` value (notes) keeps its tabs and gets
    a plain line feed for every kind of line break.
    """
    if text.isprintable():  # the common case: nothing to do, checked in C
        return text
    text = _SEQUENCES.sub("", text)
    if multiline:
        text = _LINE_BREAKS.sub("\n", text)
        return _CONTROLS.sub("", text)
    text = _LINE_BREAKS.sub(" ", text).replace("\t", " ")
    return _CONTROLS.sub("", text)


def shorten(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, for echoing a value back."""
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"
