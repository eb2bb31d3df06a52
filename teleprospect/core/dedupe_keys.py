"""Keys that say two lead records are the same person (DESIGN.md §3 "Import").

Three independent signals, any one of which makes a duplicate:

* the same email address (:func:`email_key`);
* the same E.164 phone number (:func:`phone_key`);
* the same person (:func:`person_key`) at the same company (:func:`same_company`).

Keys are exact strings so they can be indexed and grouped; the company comparison adds a
fuzzy step on top of :func:`company_key`, because one company is typed many ways ("ACME
Corp.", "Acme Corporation", "Acme Coporation"). Callers group candidates by the exact
person key first and compare companies within a group: fuzzy comparison of every pair of
a million leads is not an option.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import fuzz

from teleprospect.core.normalise import fold

__all__ = [
    "COMPANY_MATCH_THRESHOLD",
    "company_codes",
    "company_key",
    "email_key",
    "person_key",
    "phone_key",
    "same_company",
    "same_company_keys",
]

#: token_sort_ratio (0–100) from which two company keys are one company. High on purpose:
#: "acme" vs "acme consulting" (54) are different companies, "acme solutions" vs
#: "acme solution" (96) and a one-letter typo in a longer name are the same.
COMPANY_MATCH_THRESHOLD = 90.0

# Legal-form words, dropped from the end of a company name (as folded, dots removed, so
# "S.A." is "sa"). Several may follow each other: "GmbH & Co. KG", "Sp. z o.o.", "Pty Ltd";
# "and" is here for the "& Co." left behind.
# fmt: off
_LEGAL_FORMS = frozenset({
    "inc", "incorporated", "corp", "corporation", "co", "company", "cie", "and",
    "ltd", "limited", "llc", "llp", "lp", "plc", "pllc", "pc",
    "gmbh", "mbh", "ag", "kg", "kgaa", "ohg", "ug", "ev", "gbr", "haftungsbeschrankt",
    "sa", "sas", "sasu", "sarl", "rl", "eurl", "sca", "scs", "snc",
    "srl", "spa", "sapa", "sl", "slu", "sau",
    "bv", "nv", "vof", "cv", "bvba", "sprl", "asbl",
    "ab", "publ", "as", "asa", "aps", "oy", "oyj", "hf",
    "sp", "z", "oo", "sro", "kft", "zrt", "nyrt", "doo", "dd",
    "pty", "pte", "bhd", "sdn", "kk", "tbk", "pvt", "private",
    "se", "ltda", "sac", "cia",
})
# fmt: on
# "&" and "+" join names ("Smith & Sons"), so they become the word rather than vanish.
_SYMBOLS = str.maketrans({"&": " and ", "+": " and ", ".": None, "'": None, "’": None})


def email_key(email: str | None) -> str | None:
    """The mailbox an address reaches, for matching: lower case, trimmed, and without a
    ``+tag`` (``jane+webinar@acme.com`` is Jane's inbox). ``None`` for no address."""
    if not email:
        return None
    text = email.strip().lower()
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain:
        return None
    plus = local.find("+")
    if plus > 0:
        local = local[:plus]
    return f"{local}@{domain}"


def phone_key(e164: str | None) -> str | None:
    """The key for a phone number is its E.164 form: only valid numbers have one."""
    if not e164:
        return None
    text = e164.strip()
    return text if text.startswith("+") and text[1:].isdigit() else None


def _words(text: str) -> list[str]:
    folded = fold(text).translate(_SYMBOLS)
    return "".join(ch if ch.isalnum() else " " for ch in folded).split()


def person_key(first: str, last: str) -> str:
    """Case-, accent- and punctuation-insensitive key for a person's name.

    The words are sorted, so a file with first and last name columns swapped still
    matches ("Berg Jane" is "Jane Berg"). Empty when there is no name.
    """
    return " ".join(sorted(_words(f"{first} {last}")))


@lru_cache(maxsize=65536)
def company_key(name: str) -> str:
    """Company name without case, accents, punctuation, a leading "The" and trailing
    legal-form words: "ACME, Inc." and "Acme Inc" are both "acme". Cached, as companies
    repeat across a file."""
    words = _words(name)
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    # A name that is only legal-form words ("AG", "Company Ltd") keeps its first word.
    while len(words) > 1 and words[-1] in _LEGAL_FORMS:
        words.pop()
    return " ".join(words)


def company_codes(key: str) -> tuple[str, ...]:
    """The words of a company key that hold a digit ("102", "b2b", "3m"), sorted: numbers
    and codes name a different school district, branch or store, however alike the rest."""
    return tuple(sorted(word for word in key.split() if any(ch.isdigit() for ch in word)))


def same_company_keys(key_a: str, key_b: str) -> bool:
    """:func:`same_company` on two company keys."""
    if not key_a or not key_b:
        return False
    if key_a == key_b:
        return True
    if company_codes(key_a) != company_codes(key_b):
        return False  # "School District 102" is not "School District 104"
    return fuzz.token_sort_ratio(key_a, key_b) >= COMPANY_MATCH_THRESHOLD


def same_company(a: str, b: str) -> bool:
    """Whether two company names, as typed, denote the same company.

    Equal keys match; keys whose numbers or codes differ do not; otherwise rapidfuzz's
    ``token_sort_ratio`` on the keys must reach :data:`COMPANY_MATCH_THRESHOLD`. An empty
    name matches nothing, not even another empty one: "no company" is not evidence of the
    same employer.
    """
    return same_company_keys(company_key(a), company_key(b))


def match_key(person: str, company: str) -> str:
    """The key under which a stored lead is looked up as "same person, same company".

    ``person`` is a :func:`person_key`. Fuzzy company comparison cannot use an index, so
    candidates are narrowed first ("blocking", as record linkage calls it): the same
    person key and the same first two letters of the company key's sorted words. Two
    spellings that differ there are too far apart for :func:`same_company` in practice.
    A row with a company and no name (a company-only record) is keyed by its company
    alone ("|" then the same two letters), so it is matched with other company-only
    records. Empty when there is no company: such a lead is matched by email or phone.
    """
    key = company_key(company)
    if not key:
        return ""
    return f"{person}|{''.join(sorted(key.split()))[:2]}"
