"""Data files shipped inside the package, read with importlib.resources (no Qt needed),
and the country-name translations pycountry ships.

This is the one place in ``core`` that reads anything: the rest of core is pure rules
on values (the layer test holds it to that).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["country_name_translations", "read_json", "read_time_zone_file"]


def read_json(name: str) -> Any:
    """The parsed JSON of the data file ``name`` (``"default_tracks.json"``)."""
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)


def read_time_zone_file(name: str) -> str | None:
    """A text file of the IANA time-zone database (``"tzdata.zi"``, ``"zone.tab"``), from
    where :mod:`zoneinfo` reads the zones themselves: the system's folders first, then the
    ``tzdata`` package. None when neither has it."""
    import zoneinfo

    for folder in zoneinfo.TZPATH:
        try:
            return (Path(folder) / name).read_text(encoding="utf-8")
        except OSError:
            continue
    try:
        return resources.files("tzdata.zoneinfo").joinpath(name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError):
        return None


def country_name_translations() -> Iterator[tuple[str, str]]:
    """``(name in some language, English name)`` for every country name pycountry has a
    translation of, in every language it ships (about 160): read from its message catalogs.
    """
    import gettext

    import pycountry

    english = [
        name
        for country in pycountry.countries
        for name in (
            country.name,
            getattr(country, "common_name", None),
            getattr(country, "official_name", None),
        )
        if name
    ]
    locales = Path(pycountry.LOCALES_DIR)
    for catalog in sorted(locales.glob("*/LC_MESSAGES/iso3166-1.mo")):
        with open(catalog, "rb") as stream:
            translations = gettext.GNUTranslations(stream)
        for name in english:
            translated = translations.gettext(name)
            if translated != name:
                yield translated, name
