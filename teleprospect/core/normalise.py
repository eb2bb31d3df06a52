"""Clean up the values people type into lead lists: text, emails, company sizes, countries.

Every function here is total: bad input gives ``None`` (and the caller flags the row), never
an exception, because a lead is never dropped for one bad cell. They run once per cell on
imports of a million rows, so plain ``str`` methods are preferred to regular expressions
and repeated values (countries, size bands) are cached.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache

import phonenumbers

from teleprospect.core.countries import country_from_name
from teleprospect.core.text import printable

__all__ = [
    "MAX_COMPANY_SIZE",
    "clean_text",
    "fold",
    "normalise_company_size",
    "normalise_country",
    "normalise_email",
    "split_full_name",
    "split_phone_cell",
]

#: More employees than any company has ever had: such a value is revenue or an id, not size.
MAX_COMPANY_SIZE = 5_000_000


def clean_text(value: str) -> str:
    """``value`` trimmed, with runs of inner whitespace (tabs, line breaks, NBSP) as one space
    and without control characters or terminal escape sequences (see :func:`printable`).

    Nothing else changes: a value that looks like a spreadsheet formula stays as typed.
    """
    text = value.strip()
    # Tabs, line breaks, NBSP and control characters are all "not printable": one C-level
    # check finds them, so the slow path only runs on the rare cell that needs it.
    if "  " in text or not text.isprintable():
        return " ".join(printable(text).split())
    return text


def campaign_key(name: str) -> str:
    """What makes two campaign names the same: case (in any script) and spacing aside."""
    return " ".join(name.split()).casefold()


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text`` ("Müller" and "MULLER" fold alike)."""
    text = text.casefold()
    if text.isascii():
        return text
    # Compatibility forms (a mathematical bold "𝑨", a full-width "Ａ") decompose to
    # letters that may be capitals again: fold once more after decomposing.
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("ß", "ss")


# --- email -------------------------------------------------------------------------------

_EMAIL_FORBIDDEN = frozenset(' ,;:<>()[]\\"\t\r\n')


def normalise_email(value: str) -> str | None:
    """The address in ``value`` lower-cased, or ``None`` when it is not shaped like one.

    Accepts what mail clients paste: ``mailto:`` links and ``Name <address>``. The check is
    the practical shape (one ``@``, a dotted domain, a top-level domain of letters, RFC 5321
    lengths), not the full RFC 5322 grammar nobody types.
    """
    text = value.strip().lower()
    if "<" in text and text.endswith(">"):
        text = text[text.rindex("<") + 1 : -1].strip()
    if text.startswith("mailto:"):
        text = text[7:]
    if len(text) > 254 or text.count("@") != 1:
        return None
    local, domain = text.split("@")
    if not local or len(local) > 64 or local[0] == "." or local[-1] == "." or ".." in local:
        return None
    if not _EMAIL_FORBIDDEN.isdisjoint(text):
        return None
    labels = domain.split(".")
    if len(labels) < 2 or not all(labels):
        return None
    tld = labels[-1]
    if len(tld) < 2 or not (tld.isalpha() or tld.startswith("xn--")):
        return None
    for label in labels:
        if label[0] == "-" or label[-1] == "-" or not label.replace("-", "").isalnum():
            return None
    return text


# --- company size ------------------------------------------------------------------------

# A number with thousands separators ("1,000", "10.000", "5 000") or a plain one with an
# optional decimal part ("5000.0" from a spreadsheet), then an optional "k".
_NUMBER = re.compile(r"(\d{1,3}(?:[,.\s\u00a0\u202f']\d{3})+(?!\d)|\d+(?:[.,]\d+)?)\s*(k\b)?")
_BELOW = ("<", "under", "less than", "fewer than", "up to", "below", "max", "≤")
_ONE_PERSON = frozenset(
    {"self-employed", "self employed", "sole trader", "freelance", "freelancer"}
)


@lru_cache(maxsize=4096)
def normalise_company_size(value: str) -> int | None:
    """Number of employees from what CRMs and forms write, or ``None`` if there is none.

    A band gives its lower bound, which is what fit rules compare against ("51-200" → 51,
    "1,000+" → 1000, "10k+" → 10000); "fewer than 10" gives 1. Cached: a file uses a
    handful of bands over and over.
    """
    text = value.strip().lower()
    if text.isdigit():
        size = int(text)
    elif text in _ONE_PERSON:
        return 1
    else:
        match = _NUMBER.search(text)
        if match is None:
            return None
        if text.startswith(_BELOW):
            return 1
        digits, thousands = match.groups()
        if "." in digits or "," in digits:
            head, _, tail = digits.replace(",", ".").rpartition(".")
            # A group of exactly three after the separator is thousands ("1.000"),
            # anything else a decimal part ("5000.0", "1.5k").
            digits = head.replace(".", "") + tail if len(tail) == 3 else f"{head}.{tail}"
        number = float("".join(digits.split()).replace("'", "").replace("\u202f", ""))
        size = int(number * 1000 if thousands else number)
    if size < 1 or size > MAX_COMPANY_SIZE:
        return None
    return size


# --- country -----------------------------------------------------------------------------

# Region codes phonenumbers knows that are not ISO 3166 countries.
_NOT_ISO = frozenset({"AC", "TA", "XK", "001", "ZZ"})
_ISO_CODES = frozenset(phonenumbers.SUPPORTED_REGIONS) - _NOT_ISO

# Everyday forms that are no country's name in ISO 3166 or its translations (see
# core.countries for those), folded (see _country_key). Alpha-2 codes need no entry.
# fmt: off
_COUNTRY_NAMES: dict[str, str] = {
    "us": "US", "u s": "US", "u s a": "US", "america": "US", "uk": "GB", "ger": "DE",
    "uae": "AE", "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB",
    "wales": "GB", "northern ireland": "GB", "republic of ireland": "IE", "turkey": "TR",
    "peoples republic of china": "CN", "korea": "KR", "ellada": "GR", "daenemark": "DK",
}
# fmt: on
_PUNCTUATION_TO_SPACE = str.maketrans({ch: " " for ch in ".,-_'’()/&"})


def _country_key(text: str) -> str:
    return " ".join(fold(text).translate(_PUNCTUATION_TO_SPACE).split())


@lru_cache(maxsize=4096)
def normalise_country(value: str) -> str | None:
    """ISO 3166-1 alpha-2 code for a country written as a code or a name.

    Knows every alpha-2 and alpha-3 code, every country's name in the languages pycountry
    translates ISO 3166 into (core.countries), everyday forms such as "UK" or "Holland",
    and Odoo's ``base.mx`` external ids. Cached: a file names a few dozen countries a
    million times.
    """
    text = value.strip()
    if len(text) == 2:
        code = text.upper()
        if code in _ISO_CODES:
            return code
    if text[:5].lower() == "base.":
        return normalise_country(text[5:]) if len(text) == 7 else None
    key = _country_key(text)
    if key.startswith("the "):
        key = key[4:]
    return _COUNTRY_NAMES.get(key) or country_from_name(key, _country_key)


# --- people's names ----------------------------------------------------------------------

# Compared without case and dots ("Dr." is "dr").
_HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "herr",
     "frau", "mme", "mlle", "sra", "srta", "dott", "ing"}
)  # fmt: skip
_GENERATIONS = frozenset({"jr", "sr", "ii", "iii", "iv"})
_POST_NOMINALS = frozenset({"phd", "md", "mba", "esq", "cpa", "msc", "dds", "dphil"})
# Words that start a family name: "Jane van der Berg" is Jane of the van der Bergs.
_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "degli", "di", "da", "du", "la", "le",
     "dos", "das", "do", "ten", "ter", "zu", "vom", "bin", "ibn", "al", "el", "st", "san"}
)  # fmt: skip


def _word(token: str) -> str:
    return token.replace(".", "").lower()


def split_full_name(text: str) -> tuple[str, str]:
    """``(first, last)`` from one "Name" cell, as people write names in lead lists.

    Handles "Last, First", honorifics ("Dr. Jane Doe" → Jane, Doe), family names with
    particles ("Jane van der Berg" → Jane, van der Berg), generational suffixes kept with
    the family name ("John Smith Jr."), degrees dropped ("Jane Doe, PhD"), the French
    "DUPONT Jean" with the family name in capitals first, and a single word (taken as the
    first name, the way a form's "Your name" is usually filled in). A cell with no letter
    or digit in it (",", "-", "?") holds no name: both parts are empty, none is invented.
    """
    text = clean_text(text)
    if not any(character.isalnum() for character in text):
        return "", ""
    if "," in text:
        before, _, after = text.partition(",")
        after_words = after.replace(",", " ").split()
        if after_words and all(
            _word(w) in _GENERATIONS or _word(w) in _POST_NOMINALS for w in after_words
        ):
            text = before + " " + " ".join(after_words)  # "Jane Doe, PhD": not "Last, First"
        elif before.strip() and after_words:
            first_words = _without_honorifics(after_words)
            return " ".join(first_words), before.strip()
    tokens = _without_honorifics(text.replace(",", " ").split())
    generation: list[str] = []
    while len(tokens) > 1 and _word(tokens[-1]) in _GENERATIONS | _POST_NOMINALS:
        token = tokens.pop()
        if _word(token) in _GENERATIONS:
            generation.insert(0, token)
    if len(tokens) == 1:
        return tokens[0], " ".join(generation)
    capitals = 0
    while capitals < len(tokens) and tokens[capitals].isupper() and len(tokens[capitals]) > 1:
        capitals += 1
    if 0 < capitals < len(tokens):
        first, last = tokens[capitals:], tokens[:capitals]
    else:
        start = next(
            (i for i in range(1, len(tokens) - 1) if tokens[i].lower() in _PARTICLES),
            len(tokens) - 1,
        )
        first, last = tokens[:start], tokens[start:]
    return " ".join(first), " ".join(last + generation)


def _without_honorifics(tokens: list[str]) -> list[str]:
    start = 0
    while start < len(tokens) - 1 and _word(tokens[start]) in _HONORIFICS:
        start += 1
    return tokens[start:]


# --- phone cells -------------------------------------------------------------------------

# Fewer digits than this is a fragment of one number ("030/1234567" is a Berlin number
# written with its area code apart), not a number of its own.
_MIN_DIGITS_IN_A_NUMBER = 7


def split_phone_cell(value: str) -> list[str]:
    """The phone numbers written in one cell, trimmed, in order.

    A cell may hold one number, a JSON list (``["+1 212 736 5000", "(415) 555-2671"]``, as
    some CRMs export), or several numbers separated by ``;``, ``|``, line breaks, or by
    ``/`` or ``,`` when each side is a whole number on its own.
    """
    text = value.strip()
    if not text:
        return []
    if text[0] == "[":
        try:
            items = json.loads(text)
        except ValueError:
            items = None
        if isinstance(items, list):
            return [str(item).strip() for item in items if item is not None and str(item).strip()]
        text = text.strip("[]").strip()
        if not text:
            return []  # "[" or "[ ]": no number, not an empty one
    # One number per cell is by far the commonest case: no splitting work for it.
    if (
        ";" not in text
        and "/" not in text
        and "," not in text
        and "\n" not in text
        and "|" not in text
    ):
        return [text]
    numbers: list[str] = []
    for part in text.replace("|", ";").replace("\n", ";").split(";"):
        for separator in ("/", ","):
            pieces = part.split(separator)
            if len(pieces) > 1 and all(_digits(p) >= _MIN_DIGITS_IN_A_NUMBER for p in pieces):
                numbers.extend(_unquoted(piece) for piece in pieces)
                break
        else:
            numbers.append(_unquoted(part))
    return [number for number in numbers if number]


def _unquoted(text: str) -> str:
    return text.strip().strip('"').strip()  # '" +1 212 736 5000"' → '+1 212 736 5000'


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)
