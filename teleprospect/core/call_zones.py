"""The time zones a lead is called in, stored per lead so the queue filters by them.

The queue checks calling windows per *zone set*, not per lead (see
:mod:`teleprospect.core.queue_policy`): each lead stores one string, the zones it is called
in, worked out once by :func:`effective_call_zones`. Empty means "unknown local time": such
a lead is held back, never called.

Where a number is tells where its owner is only for geographic numbers (a fixed line, or a
mobile in the countries that give mobiles area codes). For every other kind, phonenumbers
answers with the zones of the whole calling code: a US toll-free number "is" in 42 zones
from Hawaii to Newfoundland, and since a call needs the window open in *all* of a lead's
zones, such a lead would never be called. Those zone lists are recognised as saying
"somewhere in this country" and replaced by one clock (see :func:`effective_call_zones`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from phonenumbers.tzdata import TIMEZONE_DATA

from teleprospect.core.domain import CampaignChannel
from teleprospect.core.zone_names import current_zone_name, current_zone_names

__all__ = [
    "INBOUND_CHANNELS",
    "PRINCIPAL_ZONES",
    "country_zones",
    "effective_call_zones",
    "is_inbound",
    "keeps_one_clock",
]

_UNKNOWN_ZONE = "Etc/Unknown"

#: Channels whose leads asked to be contacted: speed to lead applies to them.
INBOUND_CHANNELS = frozenset({CampaignChannel.CONTACT_FORM, CampaignChannel.WEBINAR})

#: The zone most of the country's people live in, for the countries whose zones keep
#: different clocks (and are therefore no usable set on their own). A calling code shared
#: by several countries counts as its main country (+1: the US).
PRINCIPAL_ZONES: dict[str, str] = {
    "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "CC": "Indian/Cocos",
    "CD": "Africa/Lubumbashi",
    "CX": "Indian/Christmas",
    "EC": "America/Guayaquil",
    "ES": "Europe/Madrid",
    "FM": "Pacific/Truk",  # Chuuk
    "GL": "America/Nuuk",
    "ID": "Asia/Jakarta",
    "KI": "Pacific/Tarawa",
    "MN": "Asia/Ulaanbaatar",
    "MX": "America/Mexico_City",
    "NZ": "Pacific/Auckland",
    "PF": "Pacific/Tahiti",
    "PT": "Europe/Lisbon",
    "RE": "Indian/Reunion",
    "RU": "Europe/Moscow",
    "US": "America/New_York",
    "YT": "Indian/Mayotte",
}

# Instants at which two zones must show the same offset to keep one clock: noon UTC on the
# 1st and 15th of every month of a reference year (daylight saving included).
_REFERENCE_YEAR = 2025
_SAMPLES = tuple(
    datetime(_REFERENCE_YEAR, month, day, 12, tzinfo=UTC)
    for month in range(1, 13)
    for day in (1, 15)
)


@lru_cache(maxsize=256)
def country_zones(region: str | None) -> tuple[str, ...]:
    """Every IANA zone of the country ``region`` (ISO 3166 alpha-2), from phonenumbers'
    prefix data: the zones of all its numbering areas. Unknown region: ``()``."""
    if not region:
        return ()
    region = region.upper()
    code = phonenumbers.country_code_for_region(region)
    if not code:
        return ()
    prefix = str(code)
    main_region = phonenumbers.region_code_for_country_code(code)
    found: set[str] = set()
    whole_code: tuple[str, ...] = ()
    for key, zones in TIMEZONE_DATA.items():
        if not key.startswith(prefix):
            continue
        if key == prefix:
            # The entry for the bare country code covers every country sharing it (all of
            # North America for +1): used only when no area of the country is listed.
            whole_code = zones
            continue
        owner = _prefix_owner(code, key[len(prefix) :])
        # A prefix no country claims belongs to the calling code's main country.
        if owner == region or (owner is None and region == main_region):
            found.update(zones)
    if not found:
        found.update(whole_code)
    return current_zone_names(zone for zone in found if zone != _UNKNOWN_ZONE)


def _prefix_owner(code: int, national_prefix: str) -> str | None:
    """The country a numbering area (national digits) of calling code ``code`` belongs to.

    Which country shares a calling code is decided by full numbers, so the prefix is padded
    into one; a pad can make it invalid (a NANPA exchange never starts with 0 or 1), so a
    few pads are tried."""
    for pad in "205":
        number = phonenumbers.PhoneNumber(
            country_code=code, national_number=int(national_prefix.ljust(10, pad))
        )
        owner = phonenumbers.region_code_for_number(number)
        if owner is not None:
            return owner
    return None


@lru_cache(maxsize=1024)
def _clock(zone: str) -> tuple[timedelta | None, ...] | None:
    try:
        info = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return tuple(at.astimezone(info).utcoffset() for at in _SAMPLES)


def keeps_one_clock(zones: Iterable[str]) -> bool:
    """Whether all ``zones`` show the same local time all year (Europe/London and
    Europe/Jersey do; America/Denver and America/Phoenix differ in summer). A zone the
    time-zone database does not know never keeps a clock with anything."""
    clocks = {_clock(zone) for zone in zones}
    return len(clocks) == 1 and None not in clocks


@lru_cache(maxsize=1)
def _country_wide_sets() -> dict[frozenset[str], str]:
    """The zone list phonenumbers gives a non-geographic number of each calling code whose
    zones keep more than one clock (+1, +7, +52, +61, …), with the code's main country."""
    found: dict[frozenset[str], str] = {}
    for key, zones in TIMEZONE_DATA.items():
        if not key.isdigit() or key.startswith("0"):
            continue
        main_region = phonenumbers.region_code_for_country_code(int(key))
        if main_region in ("ZZ", "001"):
            continue
        known = frozenset(current_zone_names(zone for zone in zones if zone != _UNKNOWN_ZONE))
        if len(known) > 1 and not keeps_one_clock(known):
            found[known] = main_region
    return found


@lru_cache(maxsize=4096)
def effective_call_zones(
    phone_zones: str, fallback_region: str | None, *, home_zone: str | None = None
) -> str:
    """The zone set stored on a lead (space-separated, sorted; "" for unknown local time).

    ``phone_zones`` are the number's zones as stored on the lead, ``fallback_region`` the
    lead's country as the caller knows it (the campaign's default region, else the lead's
    country field), ``home_zone`` the team's own zone, if it has set one.

    1. A geographic number keeps its zones, even several: the window must be open in all
       of them (an area code across a zone border).
    2. Otherwise the number's zones are unknown. That is the case for a number without
       zones (invalid, or none at all) and for a non-geographic one: toll-free, premium
       rate, shared cost, UAN, voicemail, personal, VoIP, pager, and mobiles where mobile
       ranges are national. phonenumbers gives all of these the zones of their whole
       calling code, so a zone list equal to a whole calling code's, or to the whole
       fallback country's, marks them (also on leads stored before this rule). The
       candidates are then the fallback country's zones when it shares the number's
       calling code (or there is no number), else the calling code's zones.
    3. Candidates that keep one clock are used as they are (Great Britain with Jersey and
       Guernsey is one clock; Spain is not: the Canary Islands are an hour behind).
    4. Else one zone: ``home_zone`` when it is among the candidates (a team in Chicago
       calls a US toll-free number on Chicago time), else the country's most populous zone
       (:data:`PRINCIPAL_ZONES`; America/New_York for the US and for +1 as a whole).
    5. Else "": held back (no candidates, or a country missing from that table).
    """
    # Spelled as today throughout: leads stored earlier may hold old names (Asia/Calcutta).
    zones = frozenset(current_zone_names(z for z in phone_zones.split() if z != _UNKNOWN_ZONE))
    fallback = frozenset(country_zones(fallback_region))
    whole_code_of = _country_wide_sets()
    country_wide = zones in whole_code_of or (
        len(zones) > 1 and zones == fallback and not keeps_one_clock(zones)
    )
    if zones and not country_wide:
        return " ".join(sorted(zones))
    if fallback and (not zones or fallback <= zones):
        candidates, region = fallback, (fallback_region or "").upper()
    else:
        candidates, region = zones, whole_code_of.get(zones, "")
    if not candidates:
        return ""
    if keeps_one_clock(candidates):
        return " ".join(sorted(candidates))
    if home_zone and current_zone_name(home_zone) in candidates:
        return current_zone_name(home_zone)
    principal = PRINCIPAL_ZONES.get(region)
    principal = current_zone_name(principal) if principal is not None else None
    return principal if principal in candidates else ""


def is_inbound(channel: CampaignChannel | str | None, override: bool | None = None) -> bool:
    """Whether a campaign's leads count as inbound: as the team lead set it (``override``),
    else as its channel says (a form or a webinar: someone raised a hand)."""
    if override is not None:
        return override
    return channel is not None and CampaignChannel(channel) in INBOUND_CHANNELS
