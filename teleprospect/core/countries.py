"""Country names and codes, as any exporter writes them, to ISO 3166-1 alpha-2 codes.

The names come from pycountry (ISO 3166-1 and its translations into about 160
languages): "Mexico", "México", "Mexiko", "Мексика", "MEX" and "Korea, Republic of" all
find their country. The index is built on first use in a process (about half a second:
the translations are read then) and kept; :func:`teleprospect.core.normalise.normalise_country`
asks here only for what its small table of everyday forms ("UK", "USA", "Holland") does
not know, and caches the answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pycountry

from teleprospect.core.data import country_name_translations

__all__ = ["country_from_name"]

_index: dict[str, str] | None = None


def country_from_name(name: str, key: Callable[[str], str]) -> str | None:
    """The alpha-2 code of the country called ``name`` in some language, or its alpha-3
    code; ``None`` when no country is called that. ``key`` folds a name (case, accents,
    punctuation) the way the caller folds the text it asks about."""
    global _index  # noqa: PLW0603 - built once per process, on first use
    if _index is None:
        _index = _build_index(key)
    return _index.get(key(name))


def _build_index(key: Callable[[str], str]) -> dict[str, str]:
    index: dict[str, str] = {}
    by_english: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        index.setdefault(key(country.alpha_3), code)
        for name in _names(country):
            by_english[name] = code
            _add(index, key, name, code)
    # English first, then every other language: a name that means two countries in two
    # languages means the first one found (English, then the languages in name order).
    for translated, english in country_name_translations():
        _add(index, key, translated, by_english[english])
    index.pop("", None)
    return index


def _names(country: object) -> Iterable[str]:
    for attribute in ("name", "common_name", "official_name"):
        name = getattr(country, attribute, None)
        if name:
            yield name


def _add(index: dict[str, str], key: Callable[[str], str], name: str, code: str) -> None:
    index.setdefault(key(name), code)
    # "Korea, Republic of" is also written "Republic of Korea".
    head, comma, tail = name.partition(", ")
    if comma:
        index.setdefault(key(f"{tail} {head}"), code)
