"""Reading what was typed in the lead search."""

from __future__ import annotations

import pytest

from teleprospect.core.errors import Invalid
from teleprospect.core.lead_search import MAX_SEARCH_LENGTH, SearchTerms, parse_search


@pytest.mark.parametrize(
    ("typed", "digits"),
    [("+1 (415) 555-0123", "14155550123"), ("555 01", "55501"), ("0.30/9018", "0309018")],
)
def test_a_phone_typed_any_way_is_searched_by_its_digits(typed: str, digits: str) -> None:
    assert parse_search(typed).phone_digits == digits
    assert parse_search(typed).words == ()


def test_a_plain_number_is_an_id_and_a_phone_fragment() -> None:
    assert parse_search("4155") == SearchTerms(phone_digits="4155", lead_id=4155)
    assert parse_search("12") == SearchTerms(lead_id=12), "too short for a phone, still an id"


def test_ids_and_references_name_one_lead_only() -> None:
    assert parse_search("#123") == SearchTerms(lead_id=123, id_only=True)
    assert parse_search("tp-0007-000123") == SearchTerms(lead_id=123, id_only=True)


def test_words_are_lower_case_once_each_and_short_ones_left_out() -> None:
    assert parse_search("Anna  BERG anna of") == SearchTerms(words=("anna", "berg"))


def test_text_too_short_or_too_long() -> None:
    assert parse_search("  ").empty and not parse_search("  ").too_short
    assert parse_search("ab").too_short and parse_search("ab").empty
    assert parse_search("- -").too_short
    with pytest.raises(Invalid, match="at most"):
        parse_search("x" * (MAX_SEARCH_LENGTH + 1))


def test_control_characters_are_not_searched_for() -> None:
    assert parse_search("nair\x1b[31m") == SearchTerms(words=("nair",))
