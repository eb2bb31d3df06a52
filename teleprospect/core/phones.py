"""Phone numbers: parse what people typed into CSVs and forms, and say what it is.

A lead is never dropped for a bad number: :func:`parse_phone` always returns a
:class:`PhoneInfo`, flagged with a short ``problem`` sentence when the number cannot be
dialled. Only valid numbers get an E.164 form, so nothing downstream dials a guess.

Besides what phonenumbers does on its own, two repairs for common data-entry habits are
tried, and only kept when they turn an invalid number into a valid one:

* a trunk zero kept after the country code (``+57 0321 123 4567``), for countries whose
  national prefix is ``0``;
* an international number written without its ``+`` (``918080808080``, ``0044 20 …``)
  when it is too long to be a number of the default region.

Geocoder and carrier data are deliberately not imported here: they cost a quarter of a
second and about 100 MB at start-up, and nothing in this module needs them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberType, ValidationResult
from phonenumbers import phonenumberutil as _util
from phonenumbers import timezone as _timezone

from teleprospect.core.errors import Invalid
from teleprospect.core.text import printable, shorten
from teleprospect.core.zone_names import current_zone_names

__all__ = [
    "PhoneInfo",
    "UnknownRegion",
    "format_for_display",
    "parse_phone",
    "parse_phones",
    "phone_region",
]

# "mobile", "fixed_line", "toll_free", ... from PhoneNumberType's constant names.
_TYPE_NAMES: dict[int, str] = {
    value: name.lower()
    for name, value in vars(PhoneNumberType).items()
    if name.isupper() and isinstance(value, int)
}

# phonenumbers' placeholder for "no time zone known"; callers get an empty tuple instead.
_UNKNOWN_ZONE = "Etc/Unknown"
# Region codes phonenumbers uses that are not ISO countries: non-geographic numbers
# (+800 freephone, +882 ...) and "unknown".
_NOT_A_COUNTRY = frozenset({"001", "ZZ"})
_PLUS_SIGNS = ("+", "\uff0b")

# number_type() finds the number's region and then matches the type patterns of that
# region; finding the region of a +1 number matches the same patterns, region after
# region of the 25 NANPA countries, until one fits. _region_and_type() does both in one
# pass. The helper that matches a region's patterns is private, so fall back to the
# public functions should a phonenumbers release drop it.
_type_in_region = getattr(_util, "_number_type_helper", None)
_REGIONS_OF_CODE: dict[int, tuple[str, ...]] = {
    code: tuple(regions) for code, regions in _util.COUNTRY_CODE_TO_REGION_CODE.items()
}
_UNKNOWN = PhoneNumberType.UNKNOWN

# An import checks numbers of many regions, more patterns than the re module's own cache
# holds: keep every compiled metadata pattern (phonenumbers >= 9.0.43).
if hasattr(phonenumbers, "enable_pattern_cache"):
    phonenumbers.enable_pattern_cache()

# Zones of non-geographic numbers (toll-free, country-wide mobile ranges) depend on the
# country calling code alone, so they are cached exactly by it.
_COUNTRY_ZONES: dict[int, tuple[str, ...]] = {}
# Zone lists as phonenumbers gives them → as we keep them (sorted, "unknown" left out).
_ZONES: dict[tuple[str, ...], tuple[str, ...]] = {}


class PhoneInfo(NamedTuple):
    """What we know about one phone number as written by someone.

    ``e164`` is set only for valid numbers. ``time_zones`` lists every zone the number
    may be in (a toll-free or country-wide mobile range maps to many); a call is allowed
    only when it is inside the calling window in all of them.
    """

    raw: str
    e164: str | None
    extension: str | None
    valid: bool
    possible: bool
    number_type: str | None
    time_zones: tuple[str, ...]
    region: str | None
    problem: str | None

    @property
    def is_callable(self) -> bool:
        return self.valid and self.e164 is not None


class UnknownRegion(Invalid):
    """A region code numbers cannot be read in; the message is one sentence for the user."""


def phone_region(code: str) -> str:
    """``code`` as the region national numbers are read in (``" gb"`` → ``"GB"``): one of
    phonenumbers' supported regions. Raises :class:`UnknownRegion` for anything else."""
    region = code.strip().upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        shown = shorten(printable(code.strip()), 20)
        raise UnknownRegion(
            f"{shown!r} is not a country phone numbers can be read in: give its two-letter "
            "code, such as US, GB or DE."
        )
    return region


def parse_phone(raw: str, default_region: str | None = "US") -> PhoneInfo:
    """Parse one number as typed; never raises for bad input.

    ``default_region`` is the ISO region national numbers are read in (the campaign's or
    the team's). With ``None`` only numbers written with ``+<country code>`` parse.
    """
    if not isinstance(raw, str):  # CSV readers hand over None or floats for empty cells
        raw = "" if raw is None else str(raw)
    # A region from a setting or a campaign may come padded, or blank: blank is none.
    region = default_region.strip().upper() or None if default_region else None

    try:
        number = phonenumbers.parse(raw, region)
    except NumberParseException as error:
        return _unparsed(raw, _parse_problem(raw, region, error))

    info = _describe(raw, number)
    if info.valid:
        return info
    for candidate in _repairs(raw, number):
        try:
            repaired = phonenumbers.parse(candidate, region)
        except NumberParseException:
            continue
        repaired_info = _describe(raw, repaired)
        if repaired_info.valid:
            return repaired_info
    return info


def parse_phones(items: Iterable[tuple[str, str | None]]) -> list[PhoneInfo]:
    """Parse ``(raw, default_region)`` pairs; the same results as :func:`parse_phone`."""
    return [parse_phone(raw, region) for raw, region in items]


def format_for_display(e164: str, region: str | None = None) -> str:
    """International format, or national format when the number is in ``region``.

    Text that is not a number is shown as it is rather than raising in a view.
    """
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return e164
    home = region.upper() if region else None
    if home is not None and phonenumbers.region_code_for_number(number) == home:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _describe(raw: str, number: PhoneNumber) -> PhoneInfo:
    region, kind = _region_and_type(number)
    # phonenumbers defines validity as "the number matches a type pattern of its own
    # region": is_valid_number(n) == (number_type(n) != UNKNOWN).
    if region in _NOT_A_COUNTRY:
        region = None
    extension = number.extension or None
    if kind == _UNKNOWN:
        reason = phonenumbers.is_possible_number_with_reason(number)
        return PhoneInfo(
            raw=raw,
            e164=None,
            extension=extension,
            valid=False,
            possible=reason in _POSSIBLE,
            number_type=None,
            time_zones=(),
            region=region,
            problem=_invalid_problem(number, reason),
        )
    e164 = f"+{number.country_code}{phonenumbers.national_significant_number(number)}"
    return PhoneInfo(
        raw=raw,
        e164=e164,
        extension=extension,
        valid=True,
        # A valid number matches a type pattern, whose lengths are among the possible
        # lengths of its region: it is possible.
        possible=True,
        number_type=_TYPE_NAMES.get(kind, "unknown"),
        time_zones=_time_zones(number, kind),
        region=region,
        problem=None,
    )


_POSSIBLE = (ValidationResult.IS_POSSIBLE, ValidationResult.IS_POSSIBLE_LOCAL_ONLY)


def _region_and_type(number: PhoneNumber) -> tuple[str | None, int]:
    """``(region_code_for_number(number), number_type(number))`` in one pass."""
    if _type_in_region is None:
        return phonenumbers.region_code_for_number(number), phonenumbers.number_type(number)
    country_code = number.country_code
    assert country_code is not None  # set on every parsed number
    regions = _REGIONS_OF_CODE.get(country_code)
    if regions is None:
        return None, _UNKNOWN
    national = phonenumbers.national_significant_number(number)
    if len(regions) == 1:
        region = regions[0]
        metadata = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(
            country_code, region
        )
        return region, _UNKNOWN if metadata is None else _type_in_region(national, metadata)
    # As phonenumbers finds the region among those sharing a calling code: the first whose
    # leading digits match, or whose patterns the number matches; keep the type found.
    for region in regions:
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(region, None)
        if metadata is None:
            continue
        if metadata.leading_digits is not None:
            # re_compile is phonenumbers' cached re.compile, missing from its type hints
            if _util.re_compile(metadata.leading_digits).match(national):  # type: ignore[attr-defined]
                return region, _type_in_region(national, metadata)
        else:
            kind = _type_in_region(national, metadata)
            if kind != _UNKNOWN:
                return region, kind
    return None, _UNKNOWN


def _time_zones(number: PhoneNumber, kind: int) -> tuple[str, ...]:
    # The same dispatch as timezone.time_zones_for_number, reusing the type we already
    # have. Geographic numbers are not cached: their lookup is a few dict probes on the
    # E.164 prefix, and an exact key would be the whole number.
    country_code = number.country_code
    assert country_code is not None  # set on every parsed number
    if phonenumbers.is_number_type_geographical(kind, country_code):
        zones = _timezone.time_zones_for_geographical_number(number)
        known = _ZONES.get(zones)
        if known is None:
            if len(_ZONES) > 10_000:  # a few hundred in practice: the data's own lists
                _ZONES.clear()
            known = _ZONES[zones] = _known_zones(zones)
        return known
    country_zones = _COUNTRY_ZONES.get(country_code)
    if country_zones is None:
        country_zones = _known_zones(_timezone.time_zones_for_number(number))
        _COUNTRY_ZONES[country_code] = country_zones
    return country_zones


def _known_zones(zones: Iterable[str]) -> tuple[str, ...]:
    # phonenumbers keeps names the time-zone database has renamed (Asia/Calcutta).
    return current_zone_names(zone for zone in zones if zone != _UNKNOWN_ZONE)


def _repairs(raw: str, number: PhoneNumber) -> list[str]:
    """Other readings of an invalid ``raw``, most specific first."""
    candidates = []
    text = raw.lstrip()
    if text.startswith(_PLUS_SIGNS):
        without_zero = _without_trunk_zero(text, number.country_code or 0)
        if without_zero is not None:
            candidates.append(without_zero)
    elif phonenumbers.is_possible_number_with_reason(number) == ValidationResult.TOO_LONG:
        # Only numbers too long for the default region: a ten-digit US number with an
        # unassigned area code such as (497) 313-3406 also reads as +49 731 33406 in
        # Germany, and moving a lead abroad on a typo is worse than flagging it.
        if text.startswith("00"):  # the international call prefix of most countries
            candidates.append("+" + text[2:])
        candidates.append("+" + text)
    return candidates


def _without_trunk_zero(text: str, country_code: int) -> str | None:
    """``text`` with the first ``0`` after ``+<country code>`` removed, when that country
    dials a ``0`` trunk prefix nationally (people copy it into international numbers:
    ``+44 (0)20 …``). phonenumbers strips it itself in most cases, not in all."""
    main_region = phonenumbers.region_code_for_country_code(country_code)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(
        country_code, main_region
    )
    if metadata is None or metadata.national_prefix != "0":
        return None
    match = re.match(rf"[+\uff0b]\s*{country_code}[\s().\-/]*0", text)
    if match is None:
        return None
    return text[: match.end() - 1] + text[match.end() :]


def _where(country_code: int) -> str:
    region = phonenumbers.region_code_for_country_code(country_code)
    return f"+{country_code}" if region in _NOT_A_COUNTRY else region


def _invalid_problem(number: PhoneNumber, reason: int) -> str:
    where = _where(number.country_code or 0)
    if reason == ValidationResult.INVALID_COUNTRY_CODE:
        return f"unknown country code +{number.country_code}"
    if reason == ValidationResult.TOO_SHORT:
        return f"too short for {where}"
    if reason == ValidationResult.TOO_LONG:
        return f"too long for {where}"
    if reason == ValidationResult.INVALID_LENGTH:
        return f"wrong number of digits for {where}"
    if reason == ValidationResult.IS_POSSIBLE_LOCAL_ONLY:
        return f"area code missing (local number for {where})"
    return f"not a valid number for {where}"


def _parse_problem(raw: str, region: str | None, error: NumberParseException) -> str:
    kind = error.error_type
    if kind == NumberParseException.NOT_A_NUMBER:
        digits = sum(ch.isdigit() for ch in raw)
        if digits == 0:
            return "no digits"
        # phonenumbers calls one or two digits "not a number"; users call it short.
        return "too short" if digits < 3 else "not a phone number"
    if kind == NumberParseException.INVALID_COUNTRY_CODE:
        if raw.lstrip().startswith(_PLUS_SIGNS):
            return "unknown country code"
        if region is None:
            return "no country code and no default region"
        return f"unknown default region {shorten(printable(region), 12)}"
    if kind == NumberParseException.TOO_LONG:
        return "too long"
    return "too short"  # TOO_SHORT_NSN, TOO_SHORT_AFTER_IDD


def _unparsed(raw: str, problem: str) -> PhoneInfo:
    return PhoneInfo(
        raw=raw,
        e164=None,
        extension=None,
        valid=False,
        possible=False,
        number_type=None,
        time_zones=(),
        region=None,
        problem=problem,
    )
