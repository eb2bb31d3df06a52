"""The phones and emails in one cell, each with its label, as CRMs export them.

A cell may hold one value, several separated by the usual separators, a JSON list of
strings (``["+1 212 736 5000", "(415) 555-2671"]``) or of objects with a label
(Krayin's ``[{"label": "work", "value": "…"}]``), or a value with a note
(``212-555-0130 (shop)``, ``Mobile: +44 7700 900123``, ``jane@acme.com (home)``). The
note becomes the value's label instead of making it unreadable. Labels are folded to the
usual four (work, mobile, home, other) when they mean one of them, and otherwise kept as
written, cut to :data:`MAX_LABEL` characters.

Like :mod:`teleprospect.core.normalise`, every function is total: a cell it cannot read
gives its text back as one value, for the caller to flag.
"""

from __future__ import annotations

import ast
import json
import re
from functools import lru_cache

from teleprospect.core.normalise import clean_text, fold, normalise_email, split_phone_cell

__all__ = [
    "MAX_LABEL",
    "contact_label",
    "email_cell_items",
    "phone_cell_items",
    "split_note",
    "structured_items",
]

#: Longest label kept (the phone table's label column).
MAX_LABEL = 40

# Words that mean one of the four labels, folded (see contact_label).
_LABEL_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ("work", "business", "office", "job", "direct", "company", "buro", "bureau",
         "arbeit", "geschaftlich", "dienstlich", "trabajo", "travail", "professionnel",
         "werk", "main", "primary"),
        "work",
    ),
    **dict.fromkeys(
        ("mobile", "mobile phone", "cell", "cellular", "cell phone", "cellphone", "handy",
         "mobil", "mobiel", "portable", "movil", "celular", "gsm", "sms"),
        "mobile",
    ),
    **dict.fromkeys(
        ("home", "private", "personal", "privat", "prive", "domicile", "maison", "casa",
         "thuis", "zuhause", "particular"),
        "home",
    ),
    **dict.fromkeys(
        ("other", "alternate", "alternative", "additional", "secondary", "second", "autre",
         "andere", "otro", "overig"),
        "other",
    ),
}  # fmt: skip

# Words that only say what the value is, not which one: no label.
_NO_LABEL = frozenset(
    {"tel", "phone", "telephone", "telefon", "telefono", "number", "nr", "no", "email",
     "e mail", "mail", "courriel", "phone number"}
)  # fmt: skip

# Keys of a JSON object that hold the value, and those that hold its label.
_VALUE_KEYS = ("value", "number", "phone", "phone_number", "phoneNumber", "email",
               "address", "email_address", "e164")  # fmt: skip
_LABEL_KEYS = ("label", "type", "kind", "category", "tag")

# A note after a number: "(shop)", "[home]", "- front desk", "shop". It holds no digit,
# so an extension ("ext 12", "x12", "(ext. 12)") is never taken for one.
_TRAILING_NOTE = re.compile(
    r"^(?P<value>.*?\S)(?:\s*[(\[](?P<bracketed>[^\d()\[\]@]*)[)\]]"
    r"|(?:\s*[:,]\s*|\s+[-–—/]?\s*)(?P<words>[^\W\d][^\d()\[\]@]*?))\s*$"
)
# A note before a value: "Mobile: +44 …", "work - jane@acme.com".
_LEADING_NOTE = re.compile(r"^(?P<note>[^\W\d][^\d:@]{0,39}?)\s*(?::|\s[-–—])\s*(?P<value>.+)$")
# Words phonenumbers reads as an extension marker: never a note.
_EXTENSION_WORDS = frozenset(
    {"ext", "extn", "extension", "x", "xt", "ext.", "anexo", "doorkies", "durchwahl",
     "poste", "interno", "int", "ramal"}
)  # fmt: skip

_LETTER = re.compile(r"[^\W\d_]")
_EMAIL_SEPARATORS = re.compile(r"\s*(?:[,;/|\n\r]|\s+(?:and|or|und|et|y|en)\s+|&)\s*", re.I)


@lru_cache(maxsize=1024)
def contact_label(text: str) -> str:
    """The label ``text`` stands for: "work", "mobile", "home" or "other" when it means
    one of them ("Cell", "Business", "privat"), else ``text`` cleaned and lower-cased,
    at most :data:`MAX_LABEL` characters; "" for no text."""
    cleaned = clean_text(text).strip("()[]:-–— ")
    if not cleaned:
        return ""
    key = " ".join(fold(cleaned).replace("_", " ").replace("-", " ").replace(".", " ").split())
    if key in _NO_LABEL:
        return ""
    known = _LABEL_WORDS.get(key)
    if known is None and key.endswith((" phone", " number", " email", " e mail")):
        known = _LABEL_WORDS.get(key.rsplit(" ", 1)[0].removesuffix(" e"))
    return known or cleaned.lower()[:MAX_LABEL]


def split_note(value: str) -> tuple[str, str]:
    """``(value, note)``: a value with the note written after or before it apart; the
    note is "" when there is none. Only words are a note, never digits."""
    text = value.strip()
    match = _TRAILING_NOTE.match(text)
    if match is not None:
        note = (match["bracketed"] or match["words"] or "").strip()
        if note and not _is_extension(note):
            return match["value"].strip(), note
    match = _LEADING_NOTE.match(text)
    if match is not None and not _is_extension(match["note"]):
        return match["value"].strip(), match["note"].strip()
    return text, ""


def _is_extension(note: str) -> bool:
    words = note.lower().replace(".", " ").split()
    return not words or words[0] in _EXTENSION_WORDS or note.strip().startswith("#")


def structured_items(value: str) -> list[tuple[str, str]] | None:
    """The ``(value, label)`` pairs of a cell holding a JSON (or Python literal) list of
    strings or of ``{label, value}`` objects, or one such object; ``None`` when the cell
    holds none of these. Strings have the label ""."""
    text = value.strip()
    if not text or text[0] not in "[{":
        return None
    try:
        data = json.loads(text)
    except ValueError:
        try:
            data = ast.literal_eval(text)  # a list written by Python's repr()
        except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError):
            return None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        return None
    items: list[tuple[str, str]] = []
    for item in data:
        if isinstance(item, dict):
            found = _object_item(item)
            if found is not None:
                items.append(found)
        elif item is not None and not isinstance(item, list) and str(item).strip():
            items.append((str(item).strip(), ""))
    return items


def _object_item(item: dict[object, object]) -> tuple[str, str] | None:
    found = next((item[k] for k in _VALUE_KEYS if item.get(k) not in (None, "")), None)
    if found is None:
        return None
    label = next((item[k] for k in _LABEL_KEYS if isinstance(item.get(k), str)), "")
    return str(found).strip(), str(label)


def phone_cell_items(value: str) -> list[tuple[str, str]]:
    """The numbers in one phone cell as ``(number as written, label)``, in order. The
    label comes from the cell (a JSON object's label or a note), "" when it names none."""
    if not _LETTER.search(value):  # no object, no note: the common case, kept cheap
        return [(raw, "") for raw in split_phone_cell(value)]
    structured = structured_items(value)
    raws = structured if structured is not None else [(raw, "") for raw in split_phone_cell(value)]
    items = []
    for raw, label in raws:
        # A note is words: most numbers have no letter, and need no look for one.
        number, note = split_note(raw) if _LETTER.search(raw) else (raw, "")
        if number:
            items.append((number, contact_label(label or note)))
    return items


def email_cell_items(value: str) -> tuple[list[tuple[str, str]], list[str]]:
    """``(addresses, unusable)`` of one email cell: each valid address (lower-cased) with
    its label ("" when the cell names none), once and in order, and the pieces of the
    cell that hold no address. Several addresses may be separated by ``,`` ``;`` ``/``
    ``|``, line breaks, " and " or spaces."""
    structured = structured_items(value)
    if structured is not None:
        pieces = structured
    else:
        # One "@": one address, however it is written ("Jane Doe <jane@acme.com>").
        whole = normalise_email(value) if value.count("@") == 1 else None
        if whole is not None:
            return [(whole, "")], []
        pieces = [(piece, "") for piece in _EMAIL_SEPARATORS.split(value)]
    found: dict[str, str] = {}
    unusable: list[str] = []
    for piece, label in pieces:
        piece = piece.strip()
        if not piece:
            continue
        addresses = _addresses_in(piece)
        if not addresses:
            unusable.append(piece)
        for address, note in addresses:
            found.setdefault(address, contact_label(label or note))
    return list(found.items()), unusable


def _addresses_in(piece: str) -> list[tuple[str, str]]:
    address = normalise_email(piece)
    if address is not None:
        return [(address, "")]
    text, note = split_note(piece)
    if note:
        address = normalise_email(text)
        if address is not None:
            return [(address, note)]
    # Addresses separated by spaces only: the words that are addresses.
    words = [normalise_email(word) for word in piece.split() if "@" in word]
    return [(word, "") for word in words if word is not None]
