"""Values from a lead list shown inside rich-text labels."""

from __future__ import annotations

from html import escape

from teleprospect.core.text import printable


def plain_html(value: str) -> str:
    """``value`` as HTML: escaped, without control characters or terminal escape sequences
    (a cell of an imported file may carry them)."""
    return escape(printable(value))
