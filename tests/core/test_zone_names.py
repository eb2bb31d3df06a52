"""Zone names are shown as the time-zone database spells them today (issue 14)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from teleprospect.core.call_zones import effective_call_zones
from teleprospect.core.phones import parse_phone
from teleprospect.core.zone_names import current_zone_name, current_zone_names


@pytest.mark.parametrize(
    ("old", "current"),
    [
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Europe/Kiev", "Europe/Kyiv"),
        ("Asia/Saigon", "Asia/Ho_Chi_Minh"),
        ("US/Eastern", "America/New_York"),
        ("America/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("America/Godthab", "America/Nuuk"),
    ],
)
def test_renamed_zones_are_shown_by_their_current_name(old: str, current: str) -> None:
    assert current_zone_name(old) == current
    # The same clock under both names: only the spelling changes.
    at = datetime(2025, 6, 11, 14, 0, tzinfo=UTC)
    assert at.astimezone(ZoneInfo(old)).utcoffset() == at.astimezone(ZoneInfo(current)).utcoffset()


@pytest.mark.parametrize(
    "name",
    [
        "Europe/Berlin",  # a zone
        "Europe/Oslo",  # a link to Europe/Berlin, but Norway's own zone
        "Pacific/Truk",  # links to a zone several countries share: which is unknown
        "UTC",
        "Nowhere/Atlantis",  # unknown names are left alone
    ],
)
def test_current_and_countries_own_names_stay(name: str) -> None:
    assert current_zone_name(name) == name


def test_two_spellings_of_one_zone_are_one_zone() -> None:
    assert current_zone_names(["Europe/Kiev", "Europe/Kyiv", "Asia/Calcutta"]) == (
        "Asia/Kolkata",
        "Europe/Kyiv",
    )


def test_an_indian_number_is_in_asia_kolkata() -> None:
    # phonenumbers' own data still says Asia/Calcutta.
    info = parse_phone("+91 22 2345 6789", "IN")
    assert info.time_zones == ("Asia/Kolkata",)


def test_a_lead_stored_with_an_old_name_is_called_in_the_current_one() -> None:
    assert effective_call_zones("Asia/Calcutta", "IN") == "Asia/Kolkata"
    assert effective_call_zones("Asia/Kolkata", "IN") == "Asia/Kolkata"
