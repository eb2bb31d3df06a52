"""Call zones: the local time a lead is called in, also for numbers that say nothing of
where their owner is (toll-free, premium rate, national mobile ranges, …)."""

from __future__ import annotations

from datetime import UTC, datetime

import phonenumbers
import pytest
from phonenumbers import PhoneNumberType

from teleprospect.core.call_zones import (
    PRINCIPAL_ZONES,
    country_zones,
    effective_call_zones,
    keeps_one_clock,
)
from teleprospect.core.phones import parse_phone
from teleprospect.core.queue_policy import CallingHours, is_callable_now

NON_GEOGRAPHIC_TYPES = (
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.SHARED_COST,
    PhoneNumberType.UAN,
    PhoneNumberType.VOICEMAIL,
    PhoneNumberType.PERSONAL_NUMBER,
    PhoneNumberType.VOIP,
    PhoneNumberType.PAGER,
)


def zones_of(raw: str, region: str) -> str:
    info = parse_phone(raw, region)
    assert info.valid, info.problem
    return " ".join(info.time_zones)


# ----------------------------------------------------------------------------- the US case


def test_a_us_toll_free_number_is_called_on_new_york_time() -> None:
    phone = zones_of("+1 800 642 7676", "US")
    assert len(phone.split()) > 30  # phonenumbers: every zone of +1, Hawaii to Newfoundland
    assert effective_call_zones(phone, "US") == "America/New_York"


def test_a_us_toll_free_lead_is_callable_during_us_business_hours() -> None:
    zones = effective_call_zones(zones_of("+1 800 642 7676", "US"), "US").split()
    tuesday_10_am_new_york = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
    assert is_callable_now(zones, tuesday_10_am_new_york, CallingHours()).ok
    tuesday_8_pm_new_york = datetime(2026, 3, 11, 0, 0, tzinfo=UTC)
    assert not is_callable_now(zones, tuesday_8_pm_new_york, CallingHours()).ok


def test_the_phone_zones_alone_were_never_callable() -> None:
    # Why the rule exists: inside 09:00-17:00 in all of +1's zones never happens.
    zones = zones_of("+1 800 642 7676", "US").split()
    check = is_callable_now(zones, datetime(2026, 3, 10, 18, 0, tzinfo=UTC), CallingHours())
    assert not check.ok
    assert check.next_opening_utc is None


def test_the_teams_home_zone_wins_when_it_is_one_of_the_countrys() -> None:
    phone = zones_of("+1 888 555 0123", "US")
    assert effective_call_zones(phone, "US", home_zone="America/Chicago") == "America/Chicago"
    # A home zone abroad says nothing about where a US caller is.
    assert effective_call_zones(phone, "US", home_zone="Europe/Berlin") == "America/New_York"


def test_a_toll_free_number_of_canada_uses_canadas_principal_zone() -> None:
    phone = zones_of("+1 800 642 7676", "US")  # +1 toll-free numbers belong to all NANPA
    assert effective_call_zones(phone, "CA") == "America/Toronto"


def test_the_numbers_own_calling_code_beats_a_fallback_country_of_another_code() -> None:
    # A campaign in Germany with a lead giving a US toll-free number: the number is in
    # North America, not in Germany.
    assert effective_call_zones(zones_of("+1 800 642 7676", "US"), "DE") == "America/New_York"
    assert effective_call_zones(zones_of("+1 800 642 7676", "US"), None) == "America/New_York"
    assert effective_call_zones(zones_of("+52 800 123 4567", "MX"), "US") == "America/Mexico_City"


# ----------------------------------------------------------------------------- other kinds


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("+1 900 555 0100", "US", "America/New_York"),  # premium rate
        ("+34 901 123 456", "ES", "Europe/Madrid"),  # shared cost; the Canaries are an hour off
        ("+7 912 345 6789", "RU", "Europe/Moscow"),  # mobile: national ranges in Russia
        ("+61 412 345 678", "AU", "Australia/Sydney"),  # mobile: national ranges
        ("+49 800 1234567", "DE", "Europe/Berlin"),  # toll-free in a one-zone country
    ],
)
def test_non_geographic_numbers_get_one_clock(raw: str, region: str, expected: str) -> None:
    assert effective_call_zones(zones_of(raw, region), region) == expected


def test_a_kazakh_mobile_uses_kazakhstan_not_all_of_plus_7() -> None:
    zones = effective_call_zones(zones_of("+7 701 234 5678", "KZ"), "KZ")
    assert zones and keeps_one_clock(zones.split())
    assert set(zones.split()) <= set(country_zones("KZ"))


def test_zones_that_keep_one_clock_are_kept_as_they_are() -> None:
    # A UK mobile may be in Great Britain, Jersey, Guernsey or the Isle of Man: one clock.
    phone = zones_of("+44 7911 123456", "GB")
    assert effective_call_zones(phone, "US") == " ".join(sorted(phone.split()))
    assert "Europe/London" in phone.split()


def test_geographic_numbers_keep_their_zones() -> None:
    assert effective_call_zones(zones_of("(312) 555-0100", "US"), "US") == "America/Chicago"
    # A lead abroad keeps its own number's zone, whatever the campaign's country.
    assert effective_call_zones(zones_of("+1 416 555 0100", "CA"), "US") == "America/Toronto"
    # An area across a zone border: the window must be open in both, so both stay.
    both = "America/Chicago America/New_York"
    assert effective_call_zones(both, "US") == both


def test_without_phone_zones_the_fallback_country_decides() -> None:
    assert effective_call_zones("", "DE") == "Europe/Berlin"
    assert effective_call_zones("", "es") == "Europe/Madrid"
    assert effective_call_zones("", "US") == "America/New_York"
    assert effective_call_zones("Etc/Unknown", "US") == "America/New_York"


def test_unknown_local_time_when_nothing_is_known() -> None:
    assert effective_call_zones("", None) == ""
    assert effective_call_zones("", "XX") == ""
    assert effective_call_zones("Etc/Unknown", None) == ""


@pytest.mark.parametrize("kind", NON_GEOGRAPHIC_TYPES, ids=lambda kind: str(kind))
def test_every_non_geographic_example_number_is_callable_somewhere(kind: int) -> None:
    """Across all countries phonenumbers has an example of this kind for: one clock."""
    checked = 0
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        example = phonenumbers.example_number_for_type(region, kind)
        if example is None:
            continue
        info = parse_phone(phonenumbers.format_number(example, 0), region)
        if not info.valid:
            continue
        checked += 1
        zones = effective_call_zones(" ".join(info.time_zones), region)
        assert zones, f"{region} {info.number_type} {info.e164}: unknown local time"
        assert keeps_one_clock(zones.split()), f"{region} {info.e164}: {zones}"
    assert checked


def test_national_mobile_ranges_are_callable_in_every_country() -> None:
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        example = phonenumbers.example_number_for_type(region, PhoneNumberType.MOBILE)
        if example is None or phonenumbers.is_number_type_geographical(
            PhoneNumberType.MOBILE, example.country_code
        ):
            continue
        info = parse_phone(phonenumbers.format_number(example, 0), region)
        if info.valid and info.time_zones:
            zones = effective_call_zones(" ".join(info.time_zones), region)
            assert zones and keeps_one_clock(zones.split()), f"{region}: {zones!r}"


# ----------------------------------------------------------------------------- the data


def test_every_country_of_several_clocks_has_a_principal_zone() -> None:
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        zones = country_zones(region)
        if zones and not keeps_one_clock(zones):
            assert PRINCIPAL_ZONES.get(region) in zones, region
            assert effective_call_zones("", region) == PRINCIPAL_ZONES[region]


def test_principal_zones_are_known_to_the_time_zone_database() -> None:
    for region, zone in PRINCIPAL_ZONES.items():
        assert keeps_one_clock([zone]), f"{region}: {zone}"


def test_country_zones_of_a_shared_calling_code_are_the_countrys_own() -> None:
    assert country_zones("AG") == ("America/Antigua",)
    us, ca = set(country_zones("US")), set(country_zones("CA"))
    assert {"America/New_York", "America/Los_Angeles", "Pacific/Honolulu"} <= us
    assert "America/Toronto" not in us
    assert {"America/Toronto", "America/Vancouver"} <= ca
    assert "Pacific/Honolulu" not in ca
    assert country_zones("") == country_zones(None) == ()


def test_keeps_one_clock() -> None:
    assert keeps_one_clock(["Europe/London", "Europe/Jersey"])
    assert keeps_one_clock(["America/New_York"])
    # Same standard time, but Arizona keeps no daylight saving.
    assert not keeps_one_clock(["America/Denver", "America/Phoenix"])
    assert not keeps_one_clock(["Europe/Madrid", "Atlantic/Canary"])
    assert not keeps_one_clock(["Mars/Olympus_Mons"])
    assert not keeps_one_clock([])
