"""The time zones a lead is called in, stored per lead so the queue filters by them.

The queue checks calling windows per *zone set*, not per lead (see
:mod:`teleprospect.core.queue_policy`): each lead stores one string, its phone number's
zones, or when the number has none (bad or country-wide number) the zones of its
campaign's country. Empty means "unknown local time": such a lead is never called.
"""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
from phonenumbers.tzdata import TIMEZONE_DATA

from teleprospect.core.domain import CampaignChannel

__all__ = ["INBOUND_CHANNELS", "country_zones", "effective_call_zones", "is_inbound"]

_UNKNOWN_ZONE = "Etc/Unknown"

#: Channels whose leads asked to be contacted: speed to lead applies to them.
INBOUND_CHANNELS = frozenset({CampaignChannel.CONTACT_FORM, CampaignChannel.WEBINAR})


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
        national = key[len(prefix) :]
        number = phonenumbers.PhoneNumber(
            country_code=code, national_number=int(national.ljust(10, "0"))
        )
        owner = phonenumbers.region_code_for_number(number)
        if owner in (region, None):
            found.update(zones)
    if not found:
        found.update(whole_code)
    return tuple(sorted(zone for zone in found if zone != _UNKNOWN_ZONE))


def effective_call_zones(phone_zones: str, fallback_region: str | None) -> str:
    """The zone set stored on a lead: the phone's zones (space-separated, as stored on the
    lead), else the fallback country's; "" when neither is known."""
    zones = phone_zones.split()
    if not zones:
        zones = list(country_zones(fallback_region))
    return " ".join(sorted(set(zones)))


def is_inbound(channel: CampaignChannel | str | None) -> bool:
    return channel is not None and CampaignChannel(channel) in INBOUND_CHANNELS
