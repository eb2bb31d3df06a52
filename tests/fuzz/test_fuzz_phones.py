"""Fuzzing phone parsing (issue 13, part 7): any text in any region gives a result."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from teleprospect.core.normalise import split_phone_cell
from teleprospect.core.phones import parse_phone

_PHONE_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet='0123456789+-() ./xext#*;,[]"', max_size=40),
    st.sampled_from(["+1 212 736 5000", "030 1234567", "+49 (0) 30 1234567", "tel:+1-212", "+"]),
)
_REGIONS = st.one_of(
    st.none(),
    st.sampled_from(["US", "us", "GB", "DE", "FR", "ZZ", "001", "", "XK", "AC"]),
    st.text(max_size=4),
)


@settings(max_examples=600)
@given(raw=_PHONE_TEXT, region=_REGIONS)
@example(raw="", region=None)
@example(raw="+", region="")
@example(raw="00", region="\n")  # a blank region once showed as a line break in the problem
def test_any_text_in_any_region_gives_a_phone(raw: str, region: str | None) -> None:
    info = parse_phone(raw, region)
    assert info.raw == raw  # kept as written, never dropped
    if info.valid:
        assert info.e164 is not None and info.problem is None
    else:
        assert info.problem, "a number that is not valid says why"
        assert "\n" not in info.problem


@settings(max_examples=400)
@given(value=_PHONE_TEXT)
@example(value="[")
@example(value="[1e999999]")
@example(value='" /')  # a quote then a space once left " /" with its leading space
def test_any_cell_splits_into_numbers(value: str) -> None:
    numbers = split_phone_cell(value)
    assert all(number and number == number.strip() for number in numbers)


def test_a_cell_of_brackets_holds_no_empty_number() -> None:
    assert split_phone_cell("[") == []
    assert split_phone_cell("[ ]") == []
    assert split_phone_cell("[ +1 212 736 5000 ]") == ["+1 212 736 5000"]


def test_a_blank_default_region_is_no_region() -> None:
    assert parse_phone("00", "\n").problem == "no country code and no default region"
    assert parse_phone("212 736 5000", " us ").e164 == "+12127365000"
    assert parse_phone("00", "Z\x1b[2J").problem == "unknown default region Z"


def test_numbers_in_quotes_come_out_trimmed() -> None:
    assert split_phone_cell('" /') == ["/"]
    assert split_phone_cell('" +1 212 736 5000"; "+1 415 555 2671 "') == [
        "+1 212 736 5000",
        "+1 415 555 2671",
    ]
