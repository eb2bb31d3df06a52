"""Time-zone names as the time-zone database spells them today.

phonenumbers, older systems and leads stored years ago still use names the IANA database
has since renamed and keeps only as links ("backward" compatibility): Asia/Calcutta for
Asia/Kolkata, Europe/Kiev for Europe/Kyiv, Asia/Saigon for Asia/Ho_Chi_Minh, US/Eastern for
America/New_York. Both spellings give the same clock; people expect to read the current one.

A link is followed only when its name is no country's zone of its own and its target is
the zone of one country alone (``zone.tab`` and ``zone1970.tab``): since 2022 the database
makes some countries' zones links to another country's zone with the same clock
(Europe/Oslo to Europe/Berlin), and a Norwegian lead is still in Europe/Oslo; and an old
name linking to a zone several countries share could be any of theirs (Pacific/Truk, in
Micronesia, links to Pacific/Port_Moresby, in Papua New Guinea): a wrong country is worse
than an old spelling. The links come from the database's compiled source (``tzdata.zi``),
all three files read where :mod:`zoneinfo` reads the zones (the system's copy or the
``tzdata`` package).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from teleprospect.core.data import read_time_zone_file

__all__ = ["current_zone_name", "current_zone_names"]

#: Names kept although the database makes them links: what everyone writes for UTC.
_KEPT = frozenset({"UTC"})


@cache
def _renames() -> dict[str, str]:
    """Old name → current name, for the links followed (see the module)."""
    links: dict[str, str] = {}
    for line in (read_time_zone_file("tzdata.zi") or "").splitlines():
        # "L Asia/Kolkata Asia/Calcutta": a link from the last name to the first.
        parts = line.split()
        if len(parts) >= 3 and parts[0] == "L":
            links[parts[2]] = parts[1]
    own_zones = {fields[2] for fields in _table("zone.tab")}
    # "PG,AQ,FM  -0930+14710  Pacific/Port_Moresby": the countries that use each zone.
    one_country = {fields[2] for fields in _table("zone1970.tab") if "," not in fields[0]}
    return {
        old: new
        for old, new in links.items()
        if old not in own_zones and old not in _KEPT and new in one_country
    }


def _table(name: str) -> list[list[str]]:
    """The rows of a tab-separated table of the database (comments left out)."""
    rows = []
    for line in (read_time_zone_file(name) or "").splitlines():
        fields = line.split("\t")
        if len(fields) >= 3 and not line.startswith("#"):
            rows.append(fields)
    return rows


def current_zone_name(name: str) -> str:
    """``name`` as the time-zone database spells it today ("Asia/Calcutta" →
    "Asia/Kolkata"); current and unknown names come back as they are."""
    return _renames().get(name, name)


def current_zone_names(names: Iterable[str]) -> tuple[str, ...]:
    """Each of ``names`` spelled as today, sorted, each once (two old spellings of one zone
    are one zone)."""
    return tuple(sorted({current_zone_name(name) for name in names}))
