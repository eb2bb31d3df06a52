"""What a search typed into the lead list asks for.

A returning caller is found by whatever they give: a name or part of it, the company, an
email, any part of any phone number (typed with or without spaces, ``+``, dashes or
brackets), the lead's id (``123``, ``#123``) or the reference of a hand-off sales sends
back (``TP-0007-000123``). :func:`parse_search` turns the text into :class:`SearchTerms`;
the services match them against the database's substring index, which finds fragments of
:data:`MIN_FRAGMENT` characters or more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from teleprospect.core.errors import Invalid
from teleprospect.core.text import printable

__all__ = ["MAX_SEARCH_LENGTH", "MIN_FRAGMENT", "SearchTerms", "parse_search"]

#: The shortest fragment the substring index can find (it indexes three characters at a time).
MIN_FRAGMENT = 3
#: Longer text is not a search but something pasted by mistake.
MAX_SEARCH_LENGTH = 200
#: The largest id a lead can have (a 64-bit key).
_MAX_ID = 2**63 - 1

# Digits and what people write between them in a phone number.
_PHONE_LIKE = re.compile(r"[\d\s+\-().\/\u00a0]*\d[\d\s+\-().\/\u00a0]*")
_LEAD_ID = re.compile(r"#\s*(\d{1,19})")


@dataclass(frozen=True, slots=True)
class SearchTerms:
    """A search, read: each part narrows the leads found (all ``words`` must match)."""

    #: Fragments of names, companies, emails or numbers, lower case, each found anywhere.
    words: tuple[str, ...] = ()
    #: The digits of a phone number or a part of one (the text read as a phone).
    phone_digits: str | None = None
    #: A lead named by its id or a hand-off reference.
    lead_id: int | None = None
    #: Only a lead id, never a text match (``#123``, a reference).
    id_only: bool = False
    #: Text was typed, but every word of it is shorter than :data:`MIN_FRAGMENT`.
    too_short: bool = False

    @property
    def empty(self) -> bool:
        """Nothing to search for: every lead is listed (also when ``too_short``)."""
        return not self.words and self.phone_digits is None and self.lead_id is None

    def __str__(self) -> str:
        parts = list(self.words)
        if self.phone_digits is not None:
            parts.append(f"phone …{self.phone_digits}…")
        if self.lead_id is not None:
            parts.append(f"#{self.lead_id}")
        return ", ".join(parts)


def parse_search(text: str) -> SearchTerms:
    """The terms of the search ``text``; raises :class:`Invalid` for text no search is.

    Words shorter than :data:`MIN_FRAGMENT` characters are left out (the index cannot
    find them); a text of only such words searches for nothing but, when it is a number,
    the lead with that id.
    """
    if len(text) > MAX_SEARCH_LENGTH:
        raise Invalid(f"A search is at most {MAX_SEARCH_LENGTH} characters long.")
    text = printable(text).strip()
    if not text:
        return SearchTerms()
    # Read here, not at import: the Leads tab's search box is built before the first paint.
    from teleprospect.core.handoff import parse_reference

    reference = parse_reference(text)
    if reference is not None:
        return SearchTerms(lead_id=reference[1], id_only=True)
    named = _LEAD_ID.fullmatch(text)
    if named is not None:
        return SearchTerms(lead_id=_lead_id(named.group(1)), id_only=True)
    if _PHONE_LIKE.fullmatch(text):
        digits = "".join(char for char in text if char.isdigit())
        lead_id = _lead_id(text) if text.isdigit() else None
        phone = digits if len(digits) >= MIN_FRAGMENT else None
        if phone is None and lead_id is None:
            return SearchTerms(too_short=True)
        return SearchTerms(phone_digits=phone, lead_id=lead_id)
    words = tuple(dict.fromkeys(word.lower() for word in text.split() if len(word) >= MIN_FRAGMENT))
    return SearchTerms(words=words, too_short=not words)


def _lead_id(digits: str) -> int | None:
    number = int(digits)
    return number if 0 < number <= _MAX_ID else None
