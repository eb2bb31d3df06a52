"""The suggested callback time: inside the lead's calling window in every zone, on a
business day there, the earliest such quarter hour after now plus the minimum gap; the
callback rule and how a time reads in both zones."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from teleprospect.core.callback_slots import (
    MIN_CALLBACK_GAP,
    SLOT,
    CallbackWhen,
    both_zones_text,
    business_hours,
    callback_problem,
    callback_when,
    callbacks_to_remind,
    next_call_slot,
    place_name,
)
from teleprospect.core.queue_policy import CallingHours

HOURS = CallingHours()
TOKYO, SYDNEY, BERLIN = "Asia/Tokyo", "Australia/Sydney", "Europe/Berlin"
NY, LA = "America/New_York", "America/Los_Angeles"
#: Zones with daylight saving both ways, half and quarter hours, the date line.
ZONES = [
    NY,
    LA,
    BERLIN,
    TOKYO,
    SYDNEY,
    "Europe/London",
    "Asia/Kolkata",  # +05:30
    "Asia/Kathmandu",  # +05:45
    "America/St_Johns",  # −03:30 with daylight saving
    "Australia/Lord_Howe",  # a half-hour daylight saving shift
    "Pacific/Chatham",  # +12:45 / +13:45
    "Pacific/Kiritimati",  # +14
    "Pacific/Pago_Pago",  # −11
    "America/Sao_Paulo",
]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def inside_everywhere(at: datetime, zones: list[str], hours: CallingHours) -> bool:
    return all(
        hours.contains(at.astimezone(ZoneInfo(z))) and at.astimezone(ZoneInfo(z)).weekday() < 5
        for z in zones
    )


instants = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)
zone_sets = st.lists(st.sampled_from(ZONES), min_size=1, max_size=3, unique=True)


@st.composite
def calling_hours(draw: st.DrawFn) -> CallingHours:
    """Any hours a team may set at least a quarter hour long (a shorter one may hold no
    quarter hour), on any minute."""
    days = draw(st.frozensets(st.integers(0, 6), min_size=1))
    start = draw(st.integers(8 * 60, 21 * 60 - 15))
    end = draw(st.integers(start + 15, 21 * 60))
    return CallingHours(days, time(*divmod(start, 60)), time(*divmod(end, 60)))


@given(
    zones=zone_sets,
    now=instants,
    hours=calling_hours(),
    gap=st.sampled_from([timedelta(0), MIN_CALLBACK_GAP, timedelta(hours=26)]),
)
# The user test: a rep in Berlin, a lead in Tokyo, late on a Friday.
@example(zones=[TOKYO], now=utc(2026, 11, 27, 15, 0), hours=HOURS, gap=MIN_CALLBACK_GAP)
@example(zones=[SYDNEY], now=utc(2026, 11, 26, 9, 0), hours=HOURS, gap=MIN_CALLBACK_GAP)
@example(zones=[NY, LA], now=utc(2026, 3, 8, 6, 59), hours=HOURS, gap=timedelta(0))
def test_the_suggestion_is_the_earliest_slot_inside_the_window_on_a_business_day_in_every_zone(
    zones: list[str], now: datetime, hours: CallingHours, gap: timedelta
) -> None:
    found = next_call_slot(zones, now, hours, gap=gap)
    if business_hours(hours) is None:
        assert found is None  # a team calling only at weekends gets no suggestion
        return
    if found is None:
        # Only zones whose windows never overlap have no slot; one zone always has one.
        assert len(zones) > 1
        return
    assert found >= now + gap
    assert (found - utc(2000, 1, 1)) % SLOT == timedelta(0)
    assert inside_everywhere(found, zones, hours)
    # No earlier slot would do.
    earliest = now + gap
    candidate = found - SLOT
    while candidate >= earliest:
        assert not inside_everywhere(candidate, zones, hours), candidate
        candidate -= SLOT


def test_a_lead_in_tokyo_is_suggested_nine_in_the_morning_their_time_not_seven_in_the_evening() -> (
    None
):
    # Friday 27 November 2026, 16:00 in Berlin (00:00 Saturday in Tokyo).
    found = next_call_slot([TOKYO], utc(2026, 11, 27, 15, 0), HOURS, gap=MIN_CALLBACK_GAP)
    assert found is not None
    local = found.astimezone(ZoneInfo(TOKYO))
    assert (local.weekday(), local.hour, local.minute) == (0, 9, 0)  # Monday 09:00, not Sunday


def test_a_number_whose_zones_never_share_calling_hours_has_no_suggestion() -> None:
    assert next_call_slot([TOKYO, NY], utc(2026, 11, 25, 12), HOURS) is None


def test_an_unknown_local_time_has_no_suggestion() -> None:
    assert next_call_slot([], utc(2026, 11, 25, 12), HOURS) is None
    assert next_call_slot(["Mars/Olympus_Mons"], utc(2026, 11, 25, 12), HOURS) is None


def test_a_naive_now_is_refused_with_a_sentence() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_call_slot([BERLIN], datetime(2026, 11, 25, 12), HOURS)


# ------------------------------------------------------------------------- the rule


def _utc_text(at: datetime) -> str:
    return f"{at:%a %H:%M} UTC"


def test_a_time_outside_the_window_needs_the_leads_request_and_never_passes_the_legal_limit() -> (
    None
):
    now = utc(2026, 11, 25, 8)
    evening_in_tokyo = utc(2026, 11, 26, 9)  # Thu 18:00 in Tokyo
    refused = callback_problem(
        [TOKYO], evening_in_tokyo, now, HOURS, at_lead_request=False, describe=_utc_text
    )
    assert refused is not None and "Thu 18:00 local" in refused and "asked" in refused
    assert (
        callback_problem(
            [TOKYO], evening_in_tokyo, now, HOURS, at_lead_request=True, describe=_utc_text
        )
        is None
    )
    night_in_tokyo = utc(2026, 11, 26, 13)  # 22:00 in Tokyo
    legal = callback_problem(
        [TOKYO], night_in_tokyo, now, HOURS, at_lead_request=True, describe=_utc_text
    )
    assert legal is not None and "21:00" in legal
    assert (
        callback_problem(
            [TOKYO], utc(2026, 11, 26, 1), now, HOURS, at_lead_request=False, describe=_utc_text
        )
        is None
    )


def test_a_time_in_the_past_is_refused() -> None:
    now = utc(2026, 11, 25, 8)
    problem = callback_problem(
        [BERLIN], now - timedelta(minutes=5), now, HOURS, at_lead_request=False, describe=_utc_text
    )
    assert problem is not None and "has passed" in problem


# ------------------------------------------------------------------------- both zones


def test_a_time_reads_in_the_reps_zone_and_the_leads() -> None:
    at = utc(2026, 11, 26, 9)  # Thursday
    text = both_zones_text(at, ZoneInfo(BERLIN), [TOKYO])
    assert text == "Thu 10:00 here · Thu 18:00 in Tokyo"


def test_a_lead_across_two_zones_shows_both_and_a_lead_in_the_reps_zone_says_the_same() -> None:
    at = utc(2026, 11, 26, 17)
    text = both_zones_text(at, ZoneInfo(BERLIN), [NY, LA])
    assert text == "Thu 18:00 here · Thu 12:00 in New York · Thu 09:00 in Los Angeles"
    assert (
        both_zones_text(at, ZoneInfo(BERLIN), [BERLIN]) == "Thu 18:00 here · the same at the lead"
    )
    assert "unknown" in both_zones_text(at, ZoneInfo(BERLIN), [])


def test_zones_are_named_by_their_place() -> None:
    assert place_name("America/Argentina/Buenos_Aires") == "Buenos Aires"


# ------------------------------------------------------------------------- the list


def test_a_callback_is_overdue_once_due_today_until_the_reps_midnight_then_upcoming() -> None:
    berlin = ZoneInfo(BERLIN)
    now = utc(2026, 11, 25, 15)  # Wed 16:00 in Berlin
    assert callback_when(now, now, berlin) is CallbackWhen.OVERDUE
    assert callback_when(utc(2026, 11, 25, 22, 59), now, berlin) is CallbackWhen.TODAY
    # 00:00 Thursday in Berlin, still Wednesday in UTC.
    assert callback_when(utc(2026, 11, 25, 23, 0), now, berlin) is CallbackWhen.UPCOMING


def test_only_my_due_personal_callbacks_remind_me_and_each_only_once() -> None:
    now = utc(2026, 11, 25, 15)
    me, other = 1, 2
    callbacks = [
        (10, now - timedelta(minutes=1), me),
        (11, now + timedelta(minutes=1), me),  # not due yet
        (12, now - timedelta(hours=2), me),
        (13, now - timedelta(minutes=5), other),
        (14, now - timedelta(minutes=5), None),  # a team callback
    ]
    assert callbacks_to_remind(callbacks, me, now, set()) == [12, 10]
    assert callbacks_to_remind(callbacks, me, now, {12, 10}) == []
    later = now + timedelta(minutes=2)
    assert callbacks_to_remind(callbacks, me, later, {12, 10}) == [11]
