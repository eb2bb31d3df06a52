"""Queue policy: calling windows across zones and DST, retries, eligibility and order."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from teleprospect.core.domain import Disposition
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.queue_policy import (
    LEGAL_EARLIEST,
    LEGAL_LATEST,
    Callback,
    CallingHours,
    CallingHoursError,
    ExhaustedOutcome,
    QueueCandidate,
    QueueTier,
    RetryRules,
    RoutingRule,
    eligibility,
    is_callable_now,
    next_action_after,
    open_zone_groups,
    order_queue,
    priority,
    queue_order_key,
    queue_reason,
    queue_tier,
    route_to_team_lead,
    stored_priority,
)

HOURS = CallingHours()
RETRY = RetryRules()
ME, OTHER = 1, 2
NY, LA = "America/New_York", "America/Los_Angeles"
LONDON, BERLIN = "Europe/London", "Europe/Berlin"
ZONES = [NY, LA, LONDON, BERLIN, "Asia/Tokyo", "Australia/Sydney", "Pacific/Honolulu"]
ET = ZoneInfo(NY)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# ------------------------------------------------------------------------- calling hours


def test_new_york_at_13_30_utc_is_08_30_before_spring_forward_and_09_30_after() -> None:
    before = is_callable_now([NY], utc(2026, 3, 6, 13, 30), HOURS)  # Fri, EST (UTC−5)
    assert not before.ok and "08:30 local" in before.reason
    assert before.next_opening_utc == utc(2026, 3, 6, 14, 0)
    after = is_callable_now([NY], utc(2026, 3, 9, 13, 30), HOURS)  # Mon, EDT (UTC−4)
    assert after.ok and "09:30 local" in after.reason


def test_next_opening_over_the_spring_forward_weekend_uses_the_new_offset() -> None:
    check = is_callable_now([NY], utc(2026, 3, 7, 20, 0), HOURS)  # Saturday
    assert not check.ok
    assert check.next_opening_utc == utc(2026, 3, 9, 13, 0)  # Mon 09:00 EDT


def test_london_and_berlin_across_the_eu_change() -> None:
    friday = utc(2026, 3, 27, 8, 30)  # GMT 08:30, CET 09:30
    assert not is_callable_now([LONDON], friday, HOURS).ok
    assert is_callable_now([BERLIN], friday, HOURS).ok
    monday = utc(2026, 3, 30, 8, 30)  # BST 09:30, CEST 10:30
    assert is_callable_now([LONDON], monday, HOURS).ok
    assert is_callable_now([BERLIN, LONDON], monday, HOURS).ok
    # Between the US and the EU change London is 4 hours ahead of New York, not 5.
    check = is_callable_now([LONDON, NY], utc(2026, 3, 20, 13, 0), HOURS)  # NY 09:00, LON 13:00
    assert check.ok


@given(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)))
def test_new_york_plus_los_angeles_is_callable_only_12_to_17_eastern_on_weekdays(
    naive: datetime,
) -> None:
    now = naive.replace(tzinfo=UTC)
    eastern = now.astimezone(ET)
    expected = eastern.weekday() < 5 and time(12) <= eastern.time() < time(17)
    assert is_callable_now([NY, LA], now, HOURS).ok == expected


@given(
    st.lists(st.sampled_from(ZONES), min_size=1, max_size=3, unique=True),
    st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)),
    st.integers(min_value=0, max_value=10_000),
)
@settings(max_examples=200)
def test_window_is_the_intersection_and_the_lead_comes_back_by_itself(
    zones: list[str], naive: datetime, probe_minutes: int
) -> None:
    now = naive.replace(tzinfo=UTC)
    check = is_callable_now(zones, now, HOURS)
    each = [is_callable_now([zone], now, HOURS).ok for zone in zones]
    assert check.ok == all(each)
    if check.ok:
        assert check.next_opening_utc is None
        return
    opening = check.next_opening_utc
    if opening is None:  # never open in all zones at once (e.g. Tokyo and New York)
        assert "never" in check.reason
        return
    assert opening > now
    assert is_callable_now(zones, opening, HOURS).ok
    assert not is_callable_now(zones, opening - timedelta(minutes=1), HOURS).ok
    probe = now + timedelta(minutes=probe_minutes)
    if probe < opening:
        assert not is_callable_now(zones, probe, HOURS).ok


def test_several_zone_numbers_that_never_overlap_are_held_back() -> None:
    check = is_callable_now(["Asia/Tokyo", NY], utc(2026, 6, 3, 15, 0), HOURS)
    assert not check.ok and check.next_opening_utc is None
    assert "never inside calling hours" in check.reason


def test_unknown_zones_are_held_back_unless_a_fallback_is_given() -> None:
    now = utc(2026, 6, 3, 10, 0)  # Wednesday, 12:00 in Berlin
    assert is_callable_now([], now, HOURS).reason == "unknown local time"
    assert not is_callable_now([], now, HOURS).ok
    assert is_callable_now([], now, HOURS, fallback_zones=[BERLIN]).ok
    assert not is_callable_now(["Mars/Olympus_Mons"], now, HOURS).ok


@given(st.times(), st.times(), st.frozensets(st.integers(min_value=0, max_value=6), min_size=1))
def test_settings_can_never_exceed_the_legal_08_to_21(start: time, end: time, days) -> None:
    allowed = LEGAL_EARLIEST <= start < end <= LEGAL_LATEST
    if allowed:
        assert CallingHours(days, start, end).start == start
    else:
        with pytest.raises(CallingHoursError):
            CallingHours(days, start, end)


def test_legal_limit_message_is_one_sentence() -> None:
    with pytest.raises(CallingHoursError, match=r"^Calling hours 07:00–17:00 go beyond"):
        CallingHours(start=time(7), end=time(17))


def test_open_zone_groups_filters_the_groups_callable_now() -> None:
    now = utc(2026, 6, 3, 14, 0)  # Wed: NY 10:00, LA 07:00, Berlin 16:00
    groups = [(NY,), (LA,), (BERLIN,), (NY, LA), ()]
    assert open_zone_groups(groups, now, HOURS) == {(NY,), (BERLIN,)}


# ------------------------------------------------------------------------- retries

AT = utc(2026, 6, 5, 15, 0)  # a Friday


@pytest.mark.parametrize(
    ("disposition", "expected"),
    [
        (Disposition.NO_ANSWER, AT + timedelta(hours=4)),
        (Disposition.BUSY, AT + timedelta(minutes=30)),
        (Disposition.GATEKEEPER, AT + timedelta(days=1)),
        (Disposition.VOICEMAIL_LEFT, utc(2026, 6, 8, 15, 0)),  # Friday → Monday
        (Disposition.WRONG_NUMBER, None),
        (Disposition.NOT_INTERESTED, None),
        (Disposition.DO_NOT_CALL, None),
        (Disposition.CONNECTED, None),
    ],
)
def test_default_retry_rules(disposition: Disposition, expected: datetime | None) -> None:
    decision = next_action_after(disposition, AT, 0, None, RETRY)
    assert decision.next_action_at == expected
    assert not decision.exhausted


def test_connected_and_callback_requested_do_not_count_as_attempts() -> None:
    for disposition in (Disposition.CONNECTED, Disposition.CALLBACK_REQUESTED):
        decision = next_action_after(disposition, AT, 3, AT, RETRY)
        assert not decision.counts_as_attempt and decision.attempts == 3


def test_attempts_run_out_at_the_limit() -> None:
    rules = RetryRules(max_attempts=3, on_exhausted=ExhaustedOutcome.CLOSED_UNREACHABLE)
    assert not next_action_after("no_answer", AT, 1, AT, rules).exhausted
    last = next_action_after("no_answer", AT, 2, AT, rules)
    assert last.exhausted and last.next_action_at is None and last.attempts == 3
    assert "limit is 3" in last.reason


def test_attempts_run_out_when_the_window_of_days_is_over() -> None:
    first = AT - timedelta(days=13, hours=22)
    decision = next_action_after("no_answer", AT, 2, first, RetryRules(window_days=14))
    assert decision.exhausted and "14-day attempt window" in decision.reason


@given(st.sampled_from(list(Disposition)), st.integers(0, 10), st.integers(1, 10))
def test_a_retry_is_never_scheduled_at_or_past_the_limit(disposition, done: int, limit: int):
    rules = RetryRules(max_attempts=limit)
    decision = next_action_after(disposition, AT, done, AT, rules)
    if decision.next_action_at is not None:
        assert decision.attempts < limit and decision.next_action_at > AT


# ------------------------------------------------------------------------- eligibility

NOW = utc(2026, 6, 3, 15, 0)  # Wednesday: NY 11:00, Berlin 17:00 (closed), LA 08:00


def lead(**changes) -> QueueCandidate:
    values = dict(
        lead_id=1,
        status=LeadStatus.WORKING,
        created_at=NOW - timedelta(days=3),
        score=50,
        zones=(NY,),
    )
    values.update(changes)
    return QueueCandidate(**values)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"do_not_call": True}, "do not call"),
        ({"status": LeadStatus.SALES_READY}, "sales-ready leads are not called"),
        ({"status": LeadStatus.NURTURE}, "in nurture, no call step ahead"),
        (
            {"claimed_by": OTHER, "claim_expires_at": NOW + timedelta(minutes=3)},
            "claimed by another rep",
        ),
        ({"owner_id": OTHER}, "owned by another rep"),
        ({"next_action_at": NOW + timedelta(hours=1)}, "next try not due yet"),
        ({"attempts": 6}, "6 attempts made, the limit is 6"),
        ({"zones": (BERLIN,)}, "outside calling hours (Wed 17:00 local)"),
        ({"zones": ()}, "unknown local time"),
        (
            {"callback": Callback(NOW - timedelta(minutes=5), OTHER)},
            "callback promised by another rep",
        ),
    ],
)
def test_not_eligible_and_why(changes: dict, reason: str) -> None:
    result = eligibility(lead(**changes), ME, NOW, HOURS, RETRY)
    assert not result.ok
    assert result.reason == reason


def test_eligible_cases() -> None:
    expired = lead(claimed_by=OTHER, claim_expires_at=NOW - timedelta(seconds=1))
    mine = lead(claimed_by=ME, claim_expires_at=NOW + timedelta(minutes=5), owner_id=ME)
    nurture_due = lead(status=LeadStatus.NURTURE, call_step_due_at=NOW, attempts=9)
    fallback = lead(zones=(), fallback_zones=(NY,))
    for candidate in (expired, mine, nurture_due, fallback, lead(status=LeadStatus.NEW)):
        assert eligibility(candidate, ME, NOW, HOURS, RETRY).ok, candidate


def test_a_due_callback_overrides_team_hours_and_attempts_but_not_the_legal_limit() -> None:
    evening = utc(2026, 6, 3, 23, 30)  # NY 19:30: outside 09–17, inside 08–21
    asked = lead(attempts=6, callback=Callback(evening - timedelta(minutes=1), ME))
    assert eligibility(asked, ME, evening, HOURS, RETRY).ok
    night = utc(2026, 6, 4, 1, 30)  # NY 21:30
    result = eligibility(asked, ME, night, HOURS, RETRY)
    assert not result.ok and "outside calling hours" in result.reason
    not_yet = eligibility(lead(callback=Callback(NOW + timedelta(hours=1))), ME, NOW, HOURS, RETRY)
    assert not not_yet.ok and not_yet.comes_back_at == NOW + timedelta(hours=1)


ids = st.integers(min_value=1, max_value=10_000)
offsets = st.integers(min_value=-3 * 24 * 60, max_value=3 * 24 * 60).map(
    lambda m: NOW + timedelta(minutes=m)
)


@st.composite
def candidates(draw, lead_id=None) -> QueueCandidate:
    callback = draw(st.none() | st.builds(Callback, offsets, st.sampled_from([None, ME, OTHER])))
    attempts = draw(st.integers(min_value=0, max_value=8))
    return QueueCandidate(
        lead_id=draw(ids) if lead_id is None else lead_id,
        status=draw(st.sampled_from(list(LeadStatus))),
        created_at=draw(offsets.filter(lambda t: t <= NOW)),
        score=draw(st.integers(min_value=0, max_value=100)),
        do_not_call=draw(st.booleans()),
        claimed_by=draw(st.sampled_from([None, ME, OTHER])),
        claim_expires_at=draw(st.none() | offsets),
        next_action_at=draw(st.none() | offsets),
        attempts=attempts,
        last_attempt_at=draw(st.none() | offsets.filter(lambda t: t <= NOW)) if attempts else None,
        zones=tuple(draw(st.lists(st.sampled_from(ZONES), max_size=2, unique=True))),
        fallback_zones=tuple(draw(st.lists(st.sampled_from(ZONES), max_size=1))),
        inbound=draw(st.booleans()),
        callback=callback,
        owner_id=draw(st.sampled_from([None, ME, OTHER])),
        company_size=draw(st.none() | st.integers(min_value=1, max_value=50_000)),
        call_step_due_at=draw(st.none() | offsets),
    )


clock = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31)).map(
    lambda t: t.replace(tzinfo=UTC)
)


@given(candidates(), st.integers(min_value=-5 * 24 * 60, max_value=5 * 24 * 60))
@settings(max_examples=500)
def test_eligibility_never_breaks_a_rule(candidate: QueueCandidate, shift: int) -> None:
    now = NOW + timedelta(minutes=shift)
    result = eligibility(candidate, ME, now, HOURS, RETRY)
    if not result.ok:
        return
    c = candidate
    assert not c.do_not_call
    assert c.status in (LeadStatus.NEW, LeadStatus.WORKING, LeadStatus.NURTURE)
    if c.status is LeadStatus.NURTURE:
        assert c.call_step_due_at is not None and c.call_step_due_at <= now
    assert not (c.claimed_by == OTHER and (c.claim_expires_at is None or c.claim_expires_at > now))
    callback_due = c.callback is not None and c.callback.due_at <= now
    if c.callback is not None:
        assert callback_due and c.callback.owner_id in (None, ME)
    zones = c.zones or c.fallback_zones
    assert zones
    if callback_due:
        assert is_callable_now(zones, now, CallingHours.legal_limit()).ok
    else:
        assert c.owner_id in (None, ME)
        assert c.next_action_at is None or c.next_action_at <= now
        assert c.status is LeadStatus.NURTURE or c.attempts < RETRY.max_attempts
        for zone in zones:
            local = now.astimezone(ZoneInfo(zone))
            assert local.weekday() < 5 and time(9) <= local.time() < time(17)


# ------------------------------------------------------------------------- order


@st.composite
def queueable(draw, lead_id: int) -> QueueCandidate:
    """A candidate that is usually eligible, so that order tests have queues to look at."""
    past = offsets.filter(lambda t: t <= NOW)
    attempts = draw(st.integers(min_value=0, max_value=5))
    return QueueCandidate(
        lead_id=lead_id,
        status=draw(st.sampled_from([LeadStatus.NEW, LeadStatus.WORKING])),
        created_at=draw(
            st.one_of(past, st.integers(0, 48 * 60).map(lambda m: NOW - timedelta(minutes=m)))
        ),
        score=draw(st.integers(min_value=0, max_value=100)),
        attempts=attempts,
        last_attempt_at=draw(past) if attempts else None,
        next_action_at=draw(st.none() | past),
        inbound=draw(st.booleans()),
        callback=draw(st.none() | st.builds(Callback, past, st.sampled_from([None, ME]))),
        owner_id=draw(st.sampled_from([None, ME])),
    )


@st.composite
def candidate_lists(draw) -> list[QueueCandidate]:
    lead_ids = draw(st.lists(ids, min_size=0, max_size=25, unique=True))
    return [draw(st.one_of(candidates(lead_id=i), queueable(i))) for i in lead_ids]


def everything_open(c: QueueCandidate) -> QueueCandidate:
    """The candidate in a zone that is open at NOW, so that the order itself is tested."""
    values = {f: getattr(c, f) for f in QueueCandidate.__slots__}
    values.update(zones=(NY,), fallback_zones=())
    return QueueCandidate(**values)


@given(candidate_lists())
@settings(max_examples=300)
def test_queue_order(cands: list[QueueCandidate]) -> None:
    cands = [everything_open(c) for c in cands]
    queue = order_queue(cands, ME, NOW, HOURS, RETRY)
    eligible = [c for c in cands if eligibility(c, ME, NOW, HOURS, RETRY).ok]
    assert sorted(q.candidate.lead_id for q in queue) == sorted(c.lead_id for c in eligible)
    # Deterministic, total: shuffled input gives the same queue.
    assert [q.candidate.lead_id for q in order_queue(reversed(cands), ME, NOW, HOURS, RETRY)] == [
        q.candidate.lead_id for q in queue
    ]
    tiers = [q.tier for q in queue]
    assert tiers == sorted(tiers)
    for q in queue:
        c = q.candidate
        due = c.callback is not None and c.callback.due_at <= NOW
        if q.tier is QueueTier.MY_CALLBACK:
            assert due and c.callback.owner_id == ME
        elif q.tier is QueueTier.TEAM_CALLBACK:
            assert due and c.callback.owner_id is None
        else:
            assert not due
        if q.tier is QueueTier.FRESH_INBOUND:
            assert c.inbound and c.attempts == 0 and NOW - c.created_at < timedelta(hours=24)
        assert q.reason
    for a, b in zip(queue, queue[1:], strict=False):
        if a.tier == b.tier:
            ca, cb = a.candidate, b.candidate
            if a.tier <= QueueTier.TEAM_CALLBACK:
                assert ca.callback.due_at <= cb.callback.due_at
            elif a.tier is QueueTier.FRESH_INBOUND:
                assert ca.created_at >= cb.created_at  # newest first
            else:
                assert priority(ca, NOW) >= priority(cb, NOW) - 1e-9
            assert a.key < b.key


@given(candidates(), candidates(), clock)
def test_stored_priority_orders_like_priority_at_any_time(a, b, now: datetime) -> None:
    assume(a.created_at <= now and b.created_at <= now)
    by_now = priority(a, now) - priority(b, now)
    stored = stored_priority(a.score, a.attempts, a.last_attempt_at or a.created_at) - (
        stored_priority(b.score, b.attempts, b.last_attempt_at or b.created_at)
    )
    assert by_now == pytest.approx(stored, abs=1e-6)


def test_reasons_in_the_users_words() -> None:
    callback = lead(callback=Callback(utc(2026, 6, 3, 10, 30), ME))
    assert queue_reason(callback, ME, NOW) == "callback due 10:30"
    team = lead(callback=Callback(utc(2026, 6, 3, 10, 30)))
    assert queue_reason(team, ME, NOW) == "team callback due 10:30"
    fresh = lead(inbound=True, created_at=NOW - timedelta(minutes=4))
    assert queue_reason(fresh, ME, NOW) == "new inbound 4 min ago"
    tried = lead(score=82, attempts=1, last_attempt_at=NOW - timedelta(hours=5))
    assert queue_reason(tried, ME, NOW) == "score 82, 1 attempt"
    old = lead(score=40, created_at=NOW - timedelta(days=12))
    assert queue_reason(old, ME, NOW) == "score 40, not tried yet, untouched 12 days"


def test_not_tried_yet_only_for_a_lead_never_called() -> None:
    # Reaching the person counts no attempt, but it was a call: the reason says so.
    reached = lead(
        score=64,
        last_attempt_at=NOW - timedelta(days=2),
        calls=1,
        last_outcome=Disposition.CONNECTED,
    )
    assert queue_reason(reached, ME, NOW) == "score 64, last call connected"
    # A nurture call step starts a new round of tries after earlier calls.
    new_round = lead(
        status=LeadStatus.NURTURE,
        score=50,
        created_at=NOW - timedelta(days=40),
        last_attempt_at=NOW - timedelta(days=30),
        calls=3,
        last_outcome=Disposition.VOICEMAIL_LEFT,
    )
    assert queue_reason(new_round, ME, NOW) == (
        "score 50, last call voicemail left, untouched 30 days"
    )
    # An inbound lead called within the hour is no longer "new inbound".
    called = lead(
        inbound=True,
        created_at=NOW - timedelta(minutes=40),
        last_attempt_at=NOW - timedelta(minutes=10),
        calls=1,
        last_outcome=Disposition.CONNECTED,
    )
    assert queue_tier(called, ME, NOW) is QueueTier.BACKLOG
    assert "not tried yet" not in queue_reason(called, ME, NOW)


def test_fresh_inbound_newest_first_then_backlog_by_priority() -> None:
    queue = order_queue(
        [
            lead(lead_id=1, score=95),
            lead(lead_id=2, inbound=True, created_at=NOW - timedelta(hours=2)),
            lead(lead_id=3, inbound=True, created_at=NOW - timedelta(minutes=4)),
            lead(lead_id=4, score=95, attempts=2, last_attempt_at=NOW - timedelta(hours=5)),
            lead(lead_id=5, callback=Callback(NOW - timedelta(minutes=1))),
            lead(lead_id=6, callback=Callback(NOW - timedelta(minutes=1), ME)),
        ],
        ME,
        NOW,
        HOURS,
        RETRY,
    )
    assert [q.candidate.lead_id for q in queue] == [6, 5, 3, 2, 1, 4]
    assert queue_order_key(queue[0].candidate, ME, NOW)[0] == QueueTier.MY_CALLBACK


def test_routing_to_team_leads() -> None:
    rule = RoutingRule(min_score=85, min_company_size=5000)
    assert route_to_team_lead(lead(score=90), rule)
    assert route_to_team_lead(lead(score=10, company_size=8000), rule)
    assert not route_to_team_lead(lead(score=84, company_size=None), rule)
    assert not route_to_team_lead(lead(score=99), RoutingRule())
