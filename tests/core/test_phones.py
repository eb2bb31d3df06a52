"""Phone parsing as users meet it: numbers typed into forms and CRM exports."""

from __future__ import annotations

import re
import subprocess
import sys

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneNumberFormat, PhoneNumberType, timezone

from teleprospect.core import phones
from teleprospect.core.phones import PhoneInfo, format_for_display, parse_phone, parse_phones
from teleprospect.core.zone_names import current_zone_names

E164 = re.compile(r"\+[1-9]\d{1,14}")


def assert_flagged(info: PhoneInfo) -> None:
    """A bad number is kept (raw text intact) and flagged, never dialled."""
    assert info.valid is False
    assert info.is_callable is False
    assert info.e164 is None
    assert info.time_zones == ()
    assert info.problem


# --- the formats from real lead lists -------------------------------------------------


def test_us_number_with_dashed_area_code_is_in_arizona():
    info = parse_phone("(623)-853-7197", "US")
    assert info.e164 == "+16238537197"
    assert info.valid and info.is_callable
    assert info.region == "US"
    assert info.number_type == "fixed_line_or_mobile"  # the US does not tell them apart
    assert info.time_zones == ("America/Phoenix",)
    assert info.problem is None
    assert info.raw == "(623)-853-7197"


@pytest.mark.parametrize(
    "raw", ["+44 (0)20 7946 0018", "+44 020 7946 0018", "+44 0 20 7946 0018", "+442079460018"]
)
def test_uk_number_with_trunk_zero_after_country_code(raw):
    info = parse_phone(raw, "US")
    assert info.e164 == "+442079460018"
    assert info.valid
    assert info.region == "GB"
    assert info.time_zones == ("Europe/London",)


def test_uk_stray_zero_on_a_number_that_is_invalid_anyway_is_flagged_not_dropped():
    # phonenumbers drops the zero itself; 987 654 321 is still no UK number.
    info = parse_phone("+44 0987 654 321", "US")
    assert_flagged(info)
    assert info.possible  # right length, wrong range
    assert info.problem == "not a valid number for GB"
    assert info.raw == "+44 0987 654 321"


def test_trunk_zero_that_phonenumbers_keeps_is_removed_when_that_makes_it_valid():
    # Colombia's parsing rule reads "03" as a carrier code and then gives up, leaving
    # +57 0321…, which is invalid; without the zero it is a Colombian mobile.
    assert not phonenumbers.is_valid_number(phonenumbers.parse("+57 0321 123 4567", "US"))
    info = parse_phone("+57 0321 123 4567", "US")
    assert info.e164 == "+573211234567"
    assert info.number_type == "mobile"
    assert info.time_zones == ("America/Bogota",)


def test_zero_is_not_removed_for_countries_without_a_zero_trunk_prefix():
    # Norway has no trunk prefix: "+47 0…" is a wrong digit, not a habit to forgive,
    # even though +47 21 23 45 67 would be valid.
    assert phonenumbers.is_valid_number(phonenumbers.parse("+4721234567"))
    info = parse_phone("+47 021234567", "US")
    assert_flagged(info)


def test_italian_leading_zero_is_part_of_the_number():
    info = parse_phone("+39 06 1234 5678", "US")
    assert info.e164 == "+390612345678"
    assert info.time_zones == ("Europe/Rome",)


def test_belgian_number_outside_any_range_is_flagged():
    info = parse_phone("+32 987 65 43 21", "US")
    assert_flagged(info)
    assert info.region == "BE"
    assert info.problem == "not a valid number for BE"


@pytest.mark.parametrize(("raw", "region"), [("+32 2 555 12 12", "US"), ("02 555 12 12", "BE")])
def test_brussels_landline(raw, region):
    info = parse_phone(raw, region)
    assert info.e164 == "+3225551212"
    assert info.number_type == "fixed_line"
    assert info.region == "BE"
    assert info.time_zones == ("Europe/Brussels",)


def test_indian_mobile_written_without_plus_in_a_us_campaign():
    # Read as a US number it is too long; with "+" it is a valid Indian mobile.
    assert not phonenumbers.is_valid_number(phonenumbers.parse("918080808080", "US"))
    info = parse_phone("918080808080", "US")
    assert info.e164 == "+918080808080"
    assert info.number_type == "mobile"
    assert info.region == "IN"
    # phonenumbers still uses the old IANA name for India; the current one is kept.
    assert timezone.time_zones_for_number(phonenumbers.parse(info.e164)) == ("Asia/Calcutta",)
    assert info.time_zones == ("Asia/Kolkata",)


def test_number_written_with_00_international_prefix_in_a_us_campaign():
    info = parse_phone("0044 20 7946 0018", "US")
    assert info.e164 == "+442079460018"


def test_mistyped_us_number_is_not_moved_abroad():
    # 497 is no US area code, but "+4973133406" is a valid number in Ulm, Germany.
    # A ten-digit number fits the US length, so the missing-plus reading is not tried.
    assert phonenumbers.is_valid_number(phonenumbers.parse("+4973133406"))
    info = parse_phone("(497) 313-3406", "US")
    assert_flagged(info)
    assert info.problem == "not a valid number for US"


@pytest.mark.parametrize(
    ("raw", "e164", "extension"),
    [
        ("+1 212 736 5000 ext. 42", "+12127365000", "42"),
        ("(415) 555-2671 x 7", "+14155552671", "7"),
        ("212 736 5000 #123", "+12127365000", "123"),
        ("+1 212-555-0123 ext. 42", "+12125550123", "42"),  # valid per phonenumbers
    ],
)
def test_extension_is_kept_apart_from_the_dialled_number(raw, e164, extension):
    info = parse_phone(raw, "US")
    assert info.valid
    assert info.e164 == e164
    assert info.extension == extension


def test_extension_survives_the_missing_plus_repair():
    info = parse_phone("918080808080 ext. 12", "US")
    assert info.e164 == "+918080808080"
    assert info.extension == "12"


def test_too_long_us_number_is_flagged_with_its_raw_text():
    info = parse_phone("+1 555 11 22 33 44", "US")
    assert_flagged(info)
    assert info.possible is False
    assert info.problem == "too long for US"
    assert info.raw == "+1 555 11 22 33 44"


@pytest.mark.parametrize(
    ("raw", "region", "e164", "kind", "zones"),
    [
        ("030 901820", "DE", "+4930901820", "fixed_line", ("Europe/Berlin",)),
        ("0171 1234567", "DE", "+491711234567", "mobile", ("Europe/Berlin",)),
        ("01 42 68 53 00", "FR", "+33142685300", "fixed_line", ("Europe/Paris",)),
        ("(02) 9374 4000", "AU", "+61293744000", "fixed_line", ("Australia/Sydney",)),
        ("(11) 3049-5000", "BR", "+551130495000", "fixed_line", ("America/Sao_Paulo",)),
        ("(11) 96123-4567", "BR", "+5511961234567", "mobile", ("America/Sao_Paulo",)),
        ("03-3224-9999", "JP", "+81332249999", "fixed_line", ("Asia/Tokyo",)),
        ("090-1234-5678", "JP", "+819012345678", "mobile", ("Asia/Tokyo",)),
    ],
)
def test_national_formats_of_other_countries(raw, region, e164, kind, zones):
    info = parse_phone(raw, region)
    assert (info.e164, info.number_type, info.region, info.time_zones) == (
        e164,
        kind,
        region,
        zones,
    )


def test_same_national_text_means_different_numbers_in_different_campaigns():
    assert parse_phone("030 901820", "DE").e164 == "+4930901820"
    assert_flagged(parse_phone("030 901820", "US"))


# --- time zones -----------------------------------------------------------------------


def test_us_toll_free_number_gets_every_nanpa_zone():
    info = parse_phone("+1 800 555 0199", "US")
    assert info.number_type == "toll_free"
    assert {"America/New_York", "America/Los_Angeles", "Pacific/Honolulu"} <= set(info.time_zones)
    assert len(info.time_zones) > 20
    assert list(info.time_zones) == sorted(info.time_zones)


def test_area_code_spanning_two_zones_gets_both():
    # Idaho's 208: the south is on Mountain time, the panhandle on Pacific.
    info = parse_phone("(208) 555-0100", "US")
    assert info.time_zones == ("America/Boise", "America/Los_Angeles")


@pytest.mark.parametrize(
    ("raw", "some_zones"),
    [
        ("+61 412 345 678", {"Australia/Perth", "Australia/Sydney"}),
        ("+7 912 345 67 89", {"Europe/Moscow", "Asia/Vladivostok"}),
    ],
)
def test_country_wide_mobile_gets_all_zones_of_the_country(raw, some_zones):
    info = parse_phone(raw, "US")
    assert info.number_type == "mobile"
    assert some_zones <= set(info.time_zones)
    assert list(info.time_zones) == sorted(info.time_zones)
    assert "Etc/Unknown" not in info.time_zones


def test_non_geographic_number_has_no_zone_rather_than_etc_unknown():
    info = parse_phone("+800 1234 5678", "US")
    assert info.valid
    assert info.region is None  # phonenumbers says "001": not a country
    assert info.time_zones == ()


# --- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "region", "problem"),
    [
        ("", "US", "no digits"),
        ("   ", "US", "no digits"),
        ("n/a", "US", "no digits"),
        ("1", "US", "too short"),
        ("+1", "US", "too short"),
        ("tbd 123", "US", "too short for US"),
        ("736 5000", "US", "area code missing (local number for US)"),
        ("+999 1234567", "US", "unknown country code"),
        ("2127365000", None, "no country code and no default region"),
        ("2127365000", "XX", "unknown default region XX"),
    ],
)
def test_bad_input_is_flagged_with_a_reason(raw, region, problem):
    info = parse_phone(raw, region)
    assert_flagged(info)
    assert info.problem == problem
    assert info.raw == raw


def test_empty_csv_cell_read_as_none_does_not_raise():
    assert_flagged(parse_phone(None, "US"))  # type: ignore[arg-type]


def test_region_is_case_insensitive():
    assert parse_phone("02 555 12 12", "be").e164 == "+3225551212"


def test_international_number_needs_no_default_region():
    assert parse_phone("+32 2 555 12 12", None).e164 == "+3225551212"


# --- batch and display ----------------------------------------------------------------


def test_batch_gives_the_same_results_as_one_by_one():
    items = [("(623)-853-7197", "US"), ("02 555 12 12", "BE"), ("garbage", "US"), ("", None)]
    assert parse_phones(items) == [parse_phone(raw, region) for raw, region in items]
    assert parse_phones(iter(items)) == parse_phones(items)  # any iterable


def test_display_is_national_at_home_and_international_abroad():
    assert format_for_display("+12127365000", "US") == "(212) 736-5000"
    assert format_for_display("+12127365000", "GB") == "+1 212-736-5000"
    assert format_for_display("+442079460018", "gb") == "020 7946 0018"
    assert format_for_display("+442079460018") == "+44 20 7946 0018"


def test_display_of_something_that_is_not_a_number_shows_it_as_is():
    assert format_for_display("unknown") == "unknown"


def _numbers_of_every_region_and_type() -> list[str]:
    """Every example number phonenumbers has (every region, every type, non-geographic
    codes too), each also with its last digit changed, one digit less and one more: valid
    numbers, invalid ones, and ones of another type or region of the same calling code."""
    numbers = []
    examples = [
        phonenumbers.example_number_for_type(region, kind)
        for region in sorted(phonenumbers.SUPPORTED_REGIONS)
        for kind in phones._TYPE_NAMES
    ]
    examples += [
        phonenumbers.example_number_for_non_geo_entity(code)
        for code in sorted(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS)
    ]
    for example in examples:
        if example is None:
            continue
        e164 = phonenumbers.format_number(example, PhoneNumberFormat.E164)
        last = str((int(e164[-1]) + 3) % 10)
        numbers += [e164, e164[:-1] + last, e164[:-1], e164 + last]
    return numbers


def test_each_number_is_described_as_phonenumbers_describes_it():
    """The one-pass region and type, and the cached zones, give what phonenumbers' public
    functions give, for thousands of numbers of every region and type."""
    numbers = _numbers_of_every_region_and_type()
    assert len(numbers) > 3_000
    for text in numbers:
        info = parse_phone(text, None)
        number = phonenumbers.parse(text, None)
        valid = phonenumbers.is_valid_number(number)
        region = phonenumbers.region_code_for_number(number)
        if not valid:
            # The repairs may still read it as another valid number; never as a wrong one.
            assert info.e164 is None or phonenumbers.is_valid_number(phonenumbers.parse(info.e164))
            continue
        kind = phonenumbers.number_type(number)
        zones = current_zone_names(
            z for z in timezone.time_zones_for_number(number) if z != "Etc/Unknown"
        )
        assert info.valid, text
        assert info.e164 == phonenumbers.format_number(number, PhoneNumberFormat.E164), text
        assert info.number_type == phones._TYPE_NAMES[kind], text
        assert info.region == (None if region in ("001", "ZZ") else region), text
        assert info.time_zones == zones, text
        assert info.possible == phonenumbers.is_possible_number(number), text


def test_results_do_not_depend_on_the_private_type_shortcut(monkeypatch):
    samples = [("(623)-853-7197", "US"), ("+1 800 555 0199", "US"), ("+32 987 65 43 21", "US")]
    samples += [("918080808080", "US"), ("+57 0321 123 4567", "US"), ("0171 1234567", "DE")]
    samples += [(text, None) for text in _numbers_of_every_region_and_type()[::7]]
    with_shortcut = parse_phones(samples)
    monkeypatch.setattr(phones, "_type_in_region", None)
    monkeypatch.setattr(phones, "_COUNTRY_ZONES", {})
    monkeypatch.setattr(phones, "_ZONES", {})
    assert parse_phones(samples) == with_shortcut


# --- start-up cost --------------------------------------------------------------------


def test_geocoder_and_carrier_data_are_not_loaded_at_import():
    code = (
        "import sys, teleprospect.core.phones as p; p.parse_phone('(623)-853-7197');"
        "print(sorted(m for m in sys.modules if m.startswith(('phonenumbers.geo',"
        " 'phonenumbers.carrier'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- properties -----------------------------------------------------------------------

REGIONS = st.sampled_from(["US", "GB", "BE", "DE", "FR", "IN", "AU", "BR", "JP", "CO", None])
PHONEISH = st.text(alphabet="0123456789 +()-.x#ext", max_size=30)
_TYPES = [PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.TOLL_FREE]
_EXAMPLES = [
    phonenumbers.example_number_for_type(region, kind)
    for region in sorted(phonenumbers.SUPPORTED_REGIONS)
    for kind in _TYPES
    if phonenumbers.example_number_for_type(region, kind) is not None
]


@st.composite
def written_numbers(draw) -> tuple[str, str]:
    """Numbers near real ones (an example number with its last digits changed), written
    the ways people write them, with the region they were written in."""
    example = draw(st.sampled_from(_EXAMPLES))
    region = phonenumbers.region_code_for_number(example)
    nsn = phonenumbers.national_significant_number(example)
    tail = draw(st.text(alphabet="0123456789", min_size=3, max_size=3))
    number = phonenumbers.parse(f"+{example.country_code}{nsn[:-3]}{tail}")
    style = draw(st.sampled_from(["e164", "international", "national", "zero", "bare"]))
    if style == "e164":
        text = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    elif style == "international":
        text = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    elif style == "national":
        text = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    elif style == "zero":
        text = f"+{number.country_code} 0{phonenumbers.national_significant_number(number)}"
    else:
        text = f"{number.country_code}{phonenumbers.national_significant_number(number)}"
    return text, region


@given(st.text(), REGIONS)
def test_parse_never_raises_on_arbitrary_text(raw, region):
    info = parse_phone(raw, region)
    assert info.raw == raw
    assert info.valid == (info.e164 is not None) == (info.problem is None)


@settings(max_examples=300)
@given(st.one_of(PHONEISH.map(lambda raw: (raw, "US")), written_numbers()), REGIONS)
def test_valid_results_are_e164_and_reparse_to_themselves(written, other_region):
    raw, region = written
    info = parse_phone(raw, region)
    if not info.valid:
        assert info.problem and info.e164 is None
        return
    assert E164.fullmatch(info.e164)
    number = phonenumbers.parse(info.e164)
    assert phonenumbers.is_valid_number(number)
    # The shortcut to the type gives what phonenumbers' own number_type() gives.
    assert info.number_type == PhoneNumberType.to_string(phonenumbers.number_type(number)).lower()
    assert info.time_zones == current_zone_names(
        set(timezone.time_zones_for_number(number)) - {"Etc/Unknown"}
    )
    # Idempotent, whatever the default region of the second reading.
    again = parse_phone(info.e164, other_region)
    assert again.e164 == info.e164
    assert again.time_zones == info.time_zones
    assert "Etc/Unknown" not in info.time_zones


@settings(max_examples=300)
@given(written_numbers(), st.sampled_from([" ext. ", " x", " #", ";ext="]), st.integers(1, 99999))
def test_extension_never_ends_up_in_the_dialled_number(written, marker, extension):
    raw, region = written
    plain = parse_phone(raw, region)
    with_extension = parse_phone(f"{raw}{marker}{extension}", region)
    assert with_extension.e164 == plain.e164
    if with_extension.valid:
        assert with_extension.extension == str(extension)


@settings(max_examples=500)
@given(st.one_of(written_numbers(), PHONEISH.map(lambda raw: (raw, "US"))))
def test_repairs_never_change_a_number_phonenumbers_already_reads_as_valid(written):
    raw, region = written
    try:
        plain = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return
    if phonenumbers.is_valid_number(plain):
        info = parse_phone(raw, region)
        assert info.e164 == phonenumbers.format_number(plain, PhoneNumberFormat.E164)
        assert info.extension == (plain.extension or None)


@pytest.mark.parametrize("code", ["XX", "ZZ", "001", "USA", "", "U S", "'; drop"])
def test_a_region_numbers_cannot_be_read_in_is_refused(code: str) -> None:
    from teleprospect.core.phones import UnknownRegion, phone_region

    with pytest.raises(UnknownRegion, match="is not a country phone numbers can be read in"):
        phone_region(code)


def test_a_real_region_is_read_as_its_code() -> None:
    from teleprospect.core.phones import phone_region

    assert [phone_region(code) for code in ("us", " GB ", "Mx", "XK")] == ["US", "GB", "MX", "XK"]
