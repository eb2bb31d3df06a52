"""Who to call now, in which order, and why: the queue policy of DESIGN.md §3.

Everything here is pure and takes the clock as an argument (``now``, aware, UTC), so it is
tested with a frozen clock across daylight-saving changes.

A lead is *eligible* for a rep (:func:`eligibility`) when it is new or working (or in
nurture with a call step due), not do-not-call, not held by another rep's live claim, not
owned by another rep, its next-action time has come, its attempts are below the limit, and
it is inside the calling window in **every** time zone its number may be in.

The *order* (:func:`queue_order_key`) has four tiers:

1. due callbacks promised by me, most overdue first;
2. due team callbacks, most overdue first;
3. fresh inbound leads — from a form or webinar, never called, created less than
   :attr:`PriorityWeights.fresh_for` ago (24 h) — **newest first**: speed to lead, the
   chance of reaching someone falls by the minute, so the lead that came in 4 minutes ago
   beats the one from this morning;
4. everything else by priority = score − ``attempt_penalty`` × attempts +
   ``untouched_per_day`` × days since the last touch (the last attempt, or creation).

Ties break by lead id, so the order is total and the same on every workstation.

How the SQL side serves "next lead" from indexes, without scanning a million rows:

* **Callbacks** come from their own table with an index on ``due_at`` (and the owner):
  a separate query for "due, mine or team", ordered by ``due_at``. Few rows.
* **Fresh inbound** leads: an index on ``(inbound, attempts, created_at)``; query
  ``inbound AND attempts = 0 AND created_at > now - fresh_for ORDER BY created_at DESC``
  (and never called: ``last_attempt_at IS NULL``, checked on the few rows found).
* **The backlog** is ordered by a stored ``priority`` column = :func:`stored_priority`,
  recomputed whenever its inputs change (score re-computed, an attempt logged). It does not
  depend on ``now``: aging by time since the last touch is linear, so ``+ rate × (now −
  last_touch)`` orders rows exactly like ``− rate × last_touch``, the ``now`` part being the
  same for every row. Index ``(status, priority DESC, id)``; ``ORDER BY priority DESC, id``.
* **Calling windows**: the distinct zone sets of all leads are few (hundreds). Each query
  first asks :func:`open_zone_groups` which of them are inside the window now and filters
  ``call_zones IN (...)``; the zone set stored per lead should already be the phone's zones
  or, when the number has none, the campaign country's zones (empty: "unknown local time",
  never callable). A lead outside its window is simply not selected, and is selected again
  once its window opens: it "comes back by itself" with no job to run.
* Eligibility filters that remain (status, DNC, claim lease, next_action_at, attempts,
  owner) are plain column predicates the same indexes can carry; the claiming UPDATE
  re-checks them atomically. Python's :func:`order_queue` is the reference the SQL
  queries are tested against.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import IntEnum, StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from teleprospect.core.domain import Disposition
from teleprospect.core.errors import Invalid
from teleprospect.core.lifecycle import LeadStatus

__all__ = [
    "DEFAULT_RETRY_RULES",
    "DEFAULT_WEIGHTS",
    "LEGAL_EARLIEST",
    "LEGAL_LATEST",
    "Callback",
    "CallingHours",
    "CallingHoursError",
    "Eligibility",
    "ExhaustedOutcome",
    "PriorityWeights",
    "QueueCandidate",
    "QueueTier",
    "QueuedLead",
    "RetryDecision",
    "RetryRule",
    "RetryRules",
    "RoutingError",
    "RoutingRule",
    "WindowCheck",
    "eligibility",
    "is_callable_now",
    "next_action_after",
    "open_zone_groups",
    "order_queue",
    "priority",
    "queue_order_key",
    "queue_reason",
    "queue_tier",
    "route_to_team_lead",
    "routing_reason",
    "stored_priority",
]

#: Never call before this or at/after this, local time: the legal limit in the US and many
#: other places. Team settings may narrow it, never widen it.
LEGAL_EARLIEST = time(8, 0)
LEGAL_LATEST = time(21, 0)
WEEKDAYS = frozenset(range(5))  # Monday = 0
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# A window that exists at all opens within a week; DST shifts add at most a day.
_SEARCH_DAYS = 8


class CallingHoursError(Invalid):
    """Calling hours a team cannot have; the message is one sentence."""


# ----------------------------------------------------------------------------- windows


@dataclass(frozen=True)
class CallingHours:
    """When the team calls, in the lead's local time: ``start`` ≤ local time < ``end`` on
    ``weekdays`` (Monday = 0). Never wider than 08:00–21:00."""

    weekdays: frozenset[int] = WEEKDAYS
    start: time = time(9, 0)
    end: time = time(17, 0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "weekdays", frozenset(self.weekdays))
        if not self.weekdays or not self.weekdays <= frozenset(range(7)):
            raise CallingHoursError("Calling hours need at least one weekday (Monday = 0 to 6).")
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise CallingHoursError("Calling hours are local times, without a time zone.")
        if self.start < LEGAL_EARLIEST or self.end > LEGAL_LATEST:
            raise CallingHoursError(
                f"Calling hours {self.start:%H:%M}–{self.end:%H:%M} go beyond the legal limit:"
                f" calls are allowed only between {LEGAL_EARLIEST:%H:%M} and"
                f" {LEGAL_LATEST:%H:%M} local time."
            )
        if self.start >= self.end:
            raise CallingHoursError(
                f"Calling hours must end after they start ({self.start:%H:%M}–{self.end:%H:%M})."
            )

    @classmethod
    def legal_limit(cls) -> CallingHours:
        """Every day, 08:00–21:00: the window for callbacks a lead asked for."""
        return cls(frozenset(range(7)), LEGAL_EARLIEST, LEGAL_LATEST)

    def contains(self, local: datetime) -> bool:
        return local.weekday() in self.weekdays and self.start <= local.time() < self.end

    def describe(self) -> str:
        days = ", ".join(_DAY_NAMES[d] for d in sorted(self.weekdays))
        if self.weekdays == WEEKDAYS:
            days = "Mon–Fri"
        elif len(self.weekdays) == 7:
            days = "every day"
        return f"{days} {self.start:%H:%M}–{self.end:%H:%M}"


@dataclass(frozen=True, slots=True)
class WindowCheck:
    ok: bool
    reason: str
    #: When the window opens next in all zones (None: open now, or never / unknown).
    next_opening_utc: datetime | None = None


@lru_cache(maxsize=1024)
def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _openings(zone: tzinfo, after: datetime, hours: CallingHours) -> Iterable[datetime]:
    """Instants (UTC) at which the window opens in ``zone``, from the day of ``after`` on."""
    first_day = after.astimezone(zone).date() - timedelta(days=1)
    for offset in range(_SEARCH_DAYS + 1):
        day: date = first_day + timedelta(days=offset)
        if day.weekday() in hours.weekdays:
            # Opening hours (≥ 08:00) are never in a DST gap, which all fall at night.
            yield datetime.combine(day, hours.start, tzinfo=zone).astimezone(UTC)


def is_callable_now(
    zones: Sequence[str],
    now_utc: datetime,
    hours: CallingHours,
    *,
    fallback_zones: Sequence[str] = (),
) -> WindowCheck:
    """Whether ``now_utc`` is inside ``hours`` in **all** of ``zones``.

    A number without zones uses ``fallback_zones`` (the campaign country's); with neither
    the local time is unknown and the lead is held back. ``next_opening_utc`` says when a
    lead outside its window comes back by itself.
    """
    names = tuple(zones) or tuple(fallback_zones)
    if not names:
        return WindowCheck(False, "unknown local time")
    resolved = []
    for name in names:
        zone = _zone(name)
        if zone is None:
            return WindowCheck(False, f"unknown local time (time zone {name!r} is unknown)")
        resolved.append((name, zone))

    closed = [(name, now_utc.astimezone(zone)) for name, zone in resolved]
    closed = [(name, local) for name, local in closed if not hours.contains(local)]
    if not closed:
        if len(resolved) == 1:
            local = now_utc.astimezone(resolved[0][1])
            return WindowCheck(True, f"inside calling hours ({local:%H:%M} local)")
        return WindowCheck(True, f"inside calling hours in all {len(resolved)} time zones")

    opening = _next_common_opening([zone for _, zone in resolved], now_utc, hours)
    name, local = closed[0]
    where = "" if len(resolved) == 1 else f" in {name}"
    reason = f"outside calling hours{where} ({_DAY_NAMES[local.weekday()]} {local:%H:%M} local)"
    if opening is None:
        reason = (
            f"never inside calling hours ({hours.describe()}) in all of its"
            f" {len(resolved)} time zones at once"
        )
    return WindowCheck(False, reason, opening)


def _next_common_opening(
    zones: Sequence[tzinfo], now_utc: datetime, hours: CallingHours
) -> datetime | None:
    # Each zone's callable times are a union of [opening, closing) intervals, so their
    # intersection, if it is ever open, opens at the moment one zone opens.
    candidates = sorted(
        {t for zone in zones for t in _openings(zone, now_utc, hours) if t > now_utc}
    )
    for candidate in candidates:
        if all(hours.contains(candidate.astimezone(zone)) for zone in zones):
            return candidate
    return None


def open_zone_groups(
    groups: Iterable[Sequence[str]], now_utc: datetime, hours: CallingHours
) -> frozenset[tuple[str, ...]]:
    """The zone sets (as given, as tuples) inside the calling window now: the SQL side
    filters leads by these instead of checking a million rows one by one."""
    return frozenset(
        tuple(group) for group in groups if group and is_callable_now(group, now_utc, hours).ok
    )


# ----------------------------------------------------------------------------- retries


class ExhaustedOutcome(StrEnum):
    """What happens to a lead whose attempts run out."""

    NURTURE = "nurture"
    #: The service disqualifies the lead with the reason "unreachable".
    CLOSED_UNREACHABLE = "closed_unreachable"


@dataclass(frozen=True)
class RetryRule:
    """When to try again after one disposition.

    ``delay`` is added to the time of the call; ``business_days`` instead moves to the
    same time on the n-th next weekday (Mon–Fri). ``retry`` False: no automatic retry (the
    call's decision, a callback or the lifecycle decides what comes next).
    """

    retry: bool
    delay: timedelta = timedelta(0)
    business_days: int = 0
    counts_as_attempt: bool = True

    def __post_init__(self) -> None:
        if self.delay < timedelta(0) or self.business_days < 0:
            raise ValueError("A retry cannot be scheduled before the call it follows.")
        if self.retry and not self.delay and not self.business_days:
            raise ValueError("A retry needs a delay or a number of business days.")


_D = Disposition
DEFAULT_RETRY_RULES: dict[Disposition, RetryRule] = {
    _D.NO_ANSWER: RetryRule(True, delay=timedelta(hours=4)),
    _D.VOICEMAIL_LEFT: RetryRule(True, business_days=1),
    # Busy: someone is there; try again soon. It counts, so a number that is always busy
    # (a fax, a broken line) runs out of attempts instead of being dialled forever.
    _D.BUSY: RetryRule(True, delay=timedelta(minutes=30)),
    _D.GATEKEEPER: RetryRule(True, delay=timedelta(days=1)),
    # Reaching the person is not a failed attempt; what comes next is the call's decision.
    _D.CONNECTED: RetryRule(False, counts_as_attempt=False),
    # The callback's own due time is the next action.
    _D.CALLBACK_REQUESTED: RetryRule(False, counts_as_attempt=False),
    _D.WRONG_NUMBER: RetryRule(False),
    _D.NOT_INTERESTED: RetryRule(False),
    _D.DO_NOT_CALL: RetryRule(False),
}


@dataclass(frozen=True)
class RetryRules:
    """Team setting: a retry rule per disposition, and at most ``max_attempts`` attempts
    within ``window_days`` of the first; then ``on_exhausted``."""

    by_disposition: dict[Disposition, RetryRule] | None = None
    max_attempts: int = 6
    window_days: int = 14
    on_exhausted: ExhaustedOutcome = ExhaustedOutcome.NURTURE

    def __post_init__(self) -> None:
        rules = dict(DEFAULT_RETRY_RULES)
        rules.update(self.by_disposition or {})
        object.__setattr__(self, "by_disposition", rules)
        if self.max_attempts < 1:
            raise ValueError("At least one attempt must be allowed.")
        if self.window_days < 1:
            raise ValueError("The attempt window must be at least one day.")

    def rule_for(self, disposition: Disposition | str) -> RetryRule:
        return self.by_disposition[Disposition(disposition)]  # type: ignore[index]


@dataclass(frozen=True, slots=True)
class RetryDecision:
    #: When the lead may be called again; None: no automatic retry.
    next_action_at: datetime | None
    #: Attempts have run out: apply ``RetryRules.on_exhausted``.
    exhausted: bool
    reason: str
    counts_as_attempt: bool
    #: The lead's attempt count after this call.
    attempts: int


def _add_business_days(at: datetime, days: int) -> datetime:
    result = at
    while days:
        result += timedelta(days=1)
        if result.weekday() < 5:
            days -= 1
    return result


def next_action_after(
    disposition: Disposition | str,
    at: datetime,
    attempts_so_far: int,
    first_attempt_at: datetime | None,
    rules: RetryRules,
) -> RetryDecision:
    """What follows a call ending with ``disposition`` at ``at``.

    ``attempts_so_far`` counts earlier attempts (not this call); ``first_attempt_at`` is
    the first of them (None: this call is the first). The retry time is not adjusted to
    calling hours: the window check holds the lead until its window opens.
    """
    disposition = Disposition(disposition)
    rule = rules.rule_for(disposition)
    attempts = attempts_so_far + (1 if rule.counts_as_attempt else 0)
    label = disposition.label.lower()
    if not rule.retry:
        return RetryDecision(
            None, False, f"{label}: no automatic retry", rule.counts_as_attempt, attempts
        )
    if attempts >= rules.max_attempts:
        return RetryDecision(
            None,
            True,
            f"{label}: {attempts} attempts made, the limit is {rules.max_attempts}",
            rule.counts_as_attempt,
            attempts,
        )
    if rule.business_days:
        next_at = _add_business_days(at, rule.business_days)
        when = (
            "next business day"
            if rule.business_days == 1
            else (f"in {rule.business_days} business days")
        )
    else:
        next_at = at + rule.delay
        when = f"in {_duration_text(rule.delay)}"
    window_end = (first_attempt_at or at) + timedelta(days=rules.window_days)
    if next_at > window_end:
        return RetryDecision(
            None,
            True,
            f"{label}: the {rules.window_days}-day attempt window is over",
            rule.counts_as_attempt,
            attempts,
        )
    return RetryDecision(
        next_at, False, f"{label}: try again {when}", rule.counts_as_attempt, attempts
    )


def _duration_text(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 24 * 60:
        hours = minutes / 60
        return f"{hours:g} h"
    days = minutes / (24 * 60)
    return "1 day" if days == 1 else f"{days:g} days"


# ----------------------------------------------------------------------------- candidates


@dataclass(frozen=True, slots=True)
class Callback:
    """A promised call. ``owner_id`` None: a team callback anyone may make."""

    due_at: datetime
    owner_id: int | None = None
    #: Why the callback exists when the system made it ("responded to nurture (replied,
    #: 12 Mar 10:30)"): shown as the lead's queue reason instead of "callback due".
    reason: str = ""


@dataclass(frozen=True, slots=True)
class QueueCandidate:
    """What the queue policy needs to know about one lead."""

    lead_id: int
    status: LeadStatus
    created_at: datetime
    score: int = 0
    do_not_call: bool = False
    claimed_by: int | None = None
    claim_expires_at: datetime | None = None
    next_action_at: datetime | None = None
    #: Tries of the current round that did not reach the person (what the attempt limit
    #: counts: a call that reached them is no failed try, a nurture call step starts a
    #: new round).
    attempts: int = 0
    #: When the lead was last called, whatever the outcome (None: never).
    last_attempt_at: datetime | None = None
    #: Calls logged for the lead, whatever their outcome, and the newest one's outcome.
    calls: int = 0
    last_outcome: Disposition | None = None
    #: IANA zones of the phone number (several for toll-free or country-wide ranges).
    zones: tuple[str, ...] = ()
    #: Zones used when ``zones`` is empty: the campaign country's.
    fallback_zones: tuple[str, ...] = ()
    #: A new lead from an inbound form or webinar (speed to lead applies).
    inbound: bool = False
    callback: Callback | None = None
    owner_id: int | None = None
    company_size: int | None = None
    #: For a lead in nurture: when its track's next *call* step is due (None: none ahead).
    call_step_due_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Eligibility:
    ok: bool
    reason: str
    #: When the lead will be callable again, when that is known (next action, window).
    comes_back_at: datetime | None = None


def _claimed_by_other(candidate: QueueCandidate, user_id: int, now: datetime) -> bool:
    if candidate.claimed_by is None or candidate.claimed_by == user_id:
        return False
    # A claim without expiry is treated as live: never risk two reps on one lead.
    return candidate.claim_expires_at is None or candidate.claim_expires_at > now


def _callback_due(candidate: QueueCandidate, now: datetime) -> bool:
    return candidate.callback is not None and candidate.callback.due_at <= now


def eligibility(
    candidate: QueueCandidate,
    user_id: int,
    now: datetime,
    hours: CallingHours,
    retry: RetryRules,
) -> Eligibility:
    """Whether ``user_id`` may call ``candidate`` now, and if not, why not.

    A due callback the lead asked for overrides the next-action time, the attempt limit and
    the team's calling hours — but never the legal 08:00–21:00 limit. A personal callback
    belongs to its owner; a team callback to anyone, whoever owns the lead.
    """
    c = candidate
    if c.do_not_call:
        return Eligibility(False, "do not call")
    if c.status in (LeadStatus.NEW, LeadStatus.WORKING):
        pass
    elif c.status is LeadStatus.NURTURE:
        if c.call_step_due_at is None:
            return Eligibility(False, "in nurture, no call step ahead")
        if c.call_step_due_at > now:
            return Eligibility(False, "in nurture, call step not due yet", c.call_step_due_at)
    else:
        return Eligibility(False, f"{LeadStatus(c.status).label.lower()} leads are not called")
    if _claimed_by_other(c, user_id, now):
        return Eligibility(False, "claimed by another rep", c.claim_expires_at)

    callback = c.callback
    if callback is not None:
        if callback.owner_id is not None and callback.owner_id != user_id:
            return Eligibility(False, "callback promised by another rep")
        if callback.due_at > now:
            return Eligibility(
                False, f"callback due {callback.due_at:%Y-%m-%d %H:%M} UTC", callback.due_at
            )
        window = is_callable_now(
            c.zones, now, CallingHours.legal_limit(), fallback_zones=c.fallback_zones
        )
        if not window.ok:
            return Eligibility(False, window.reason, window.next_opening_utc)
        return Eligibility(True, "callback due")

    if c.owner_id is not None and c.owner_id != user_id:
        return Eligibility(False, "owned by another rep")
    if c.next_action_at is not None and c.next_action_at > now:
        return Eligibility(False, "next try not due yet", c.next_action_at)
    # The limit is for the current round of tries; a nurture call step starts a new one.
    if c.status is not LeadStatus.NURTURE and c.attempts >= retry.max_attempts:
        return Eligibility(False, f"{c.attempts} attempts made, the limit is {retry.max_attempts}")
    window = is_callable_now(c.zones, now, hours, fallback_zones=c.fallback_zones)
    if not window.ok:
        return Eligibility(False, window.reason, window.next_opening_utc)
    return Eligibility(True, window.reason)


# ----------------------------------------------------------------------------- order


class QueueTier(IntEnum):
    MY_CALLBACK = 0
    TEAM_CALLBACK = 1
    FRESH_INBOUND = 2
    BACKLOG = 3


@dataclass(frozen=True)
class PriorityWeights:
    """Team-tunable weights of the backlog's priority."""

    #: Points off per attempt already made: fresh chances first.
    attempt_penalty: float = 8.0
    #: Points on per day since the last touch: neglected leads rise slowly.
    untouched_per_day: float = 0.25
    #: How long an inbound lead that was never tried counts as fresh.
    fresh_for: timedelta = timedelta(hours=24)


DEFAULT_WEIGHTS = PriorityWeights()
#: Reference instant of :func:`stored_priority`; any fixed instant gives the same order.
PRIORITY_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_DAY_SECONDS = 86_400.0


def _last_touch(candidate: QueueCandidate) -> datetime:
    return candidate.last_attempt_at or candidate.created_at


def stored_priority(
    score: float,
    attempts: int,
    last_touch_at: datetime,
    weights: PriorityWeights = DEFAULT_WEIGHTS,
) -> float:
    """The backlog priority as a column the database can index: independent of ``now``.

    It orders leads exactly as :func:`priority` does at any ``now`` (it is ``priority``
    minus ``untouched_per_day`` × days from :data:`PRIORITY_EPOCH` to ``now``, the same for
    every lead). Recompute it when the score, the attempts or the last touch change.
    """
    days = (last_touch_at - PRIORITY_EPOCH).total_seconds() / _DAY_SECONDS
    return score - weights.attempt_penalty * attempts - weights.untouched_per_day * days


def priority(
    candidate: QueueCandidate, now: datetime, weights: PriorityWeights = DEFAULT_WEIGHTS
) -> float:
    """Score adjusted for attempts and time since the last touch, as shown to users."""
    # Not clamped at 0 for a last touch "in the future" (clock skew): the order must stay
    # exactly that of stored_priority().
    untouched = (now - _last_touch(candidate)).total_seconds() / _DAY_SECONDS
    return (
        candidate.score
        - weights.attempt_penalty * candidate.attempts
        + weights.untouched_per_day * untouched
    )


def _is_fresh_inbound(c: QueueCandidate, now: datetime, weights: PriorityWeights) -> bool:
    # Never called: a call that reached the person counts no attempt, but it was a call.
    return (
        c.inbound
        and c.attempts == 0
        and c.last_attempt_at is None
        and now - c.created_at < weights.fresh_for
    )


def queue_tier(
    candidate: QueueCandidate,
    user_id: int,
    now: datetime,
    weights: PriorityWeights = DEFAULT_WEIGHTS,
) -> QueueTier:
    if _callback_due(candidate, now):
        owner = candidate.callback.owner_id  # type: ignore[union-attr]
        return QueueTier.MY_CALLBACK if owner == user_id else QueueTier.TEAM_CALLBACK
    if _is_fresh_inbound(candidate, now, weights):
        return QueueTier.FRESH_INBOUND
    return QueueTier.BACKLOG


def queue_order_key(
    candidate: QueueCandidate,
    user_id: int,
    now: datetime,
    weights: PriorityWeights = DEFAULT_WEIGHTS,
) -> tuple[int, float, int]:
    """Sort key, smallest first: (tier, value within the tier, lead id)."""
    tier = queue_tier(candidate, user_id, now, weights)
    if tier <= QueueTier.TEAM_CALLBACK:
        value = candidate.callback.due_at.timestamp()  # type: ignore[union-attr]
    elif tier is QueueTier.FRESH_INBOUND:
        value = -candidate.created_at.timestamp()
    else:
        value = -stored_priority(
            candidate.score, candidate.attempts, _last_touch(candidate), weights
        )
    return (int(tier), value, candidate.lead_id)


def _ago(delta: timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min ago"
    return f"{minutes // 60} h ago"


def _tries_text(candidate: QueueCandidate) -> str:
    """What the lead's calls so far say: "not tried yet" only when it was never called."""
    attempts = candidate.attempts
    if candidate.calls == 0 and candidate.last_attempt_at is None:
        return "not tried yet"
    if attempts > 0:
        return f"{attempts} attempt{'s' if attempts > 1 else ''}"
    # Called, but no failed try in this round: the person was reached, or a nurture call
    # step started a new round.
    if candidate.last_outcome is not None:
        return f"last call {candidate.last_outcome.label.lower()}"
    return "called before"


def queue_reason(
    candidate: QueueCandidate,
    user_id: int,
    now: datetime,
    weights: PriorityWeights = DEFAULT_WEIGHTS,
    display_zone: tzinfo = UTC,
) -> str:
    """Why the lead is where it is: "callback due 10:30", "new inbound 4 min ago",
    "score 82, 1 attempt". Times are shown in ``display_zone`` (the rep's)."""
    tier = queue_tier(candidate, user_id, now, weights)
    if tier <= QueueTier.TEAM_CALLBACK and candidate.callback.reason:  # type: ignore[union-attr]
        return candidate.callback.reason  # type: ignore[union-attr]
    if tier <= QueueTier.TEAM_CALLBACK:
        due = candidate.callback.due_at.astimezone(display_zone)  # type: ignore[union-attr]
        when = (
            f"{due:%H:%M}"
            if due.date() == now.astimezone(display_zone).date()
            else (f"{_DAY_NAMES[due.weekday()]} {due:%d %b %H:%M}")
        )
        who = "callback" if tier is QueueTier.MY_CALLBACK else "team callback"
        return f"{who} due {when}"
    if tier is QueueTier.FRESH_INBOUND:
        return f"new inbound {_ago(now - candidate.created_at)}"
    text = f"score {candidate.score}, {_tries_text(candidate)}"
    untouched_days = (now - _last_touch(candidate)).days
    if untouched_days >= 7:
        text += f", untouched {untouched_days} days"
    return text


@dataclass(frozen=True, slots=True)
class QueuedLead:
    candidate: QueueCandidate
    reason: str
    key: tuple[int, float, int]
    tier: QueueTier


def order_queue(
    candidates: Iterable[QueueCandidate],
    user_id: int,
    now: datetime,
    hours: CallingHours,
    retry: RetryRules,
    weights: PriorityWeights = DEFAULT_WEIGHTS,
    display_zone: tzinfo = UTC,
) -> list[QueuedLead]:
    """The eligible candidates in queue order, each with the reason for its place."""
    queued = []
    for candidate in candidates:
        if not eligibility(candidate, user_id, now, hours, retry).ok:
            continue
        key = queue_order_key(candidate, user_id, now, weights)
        queued.append(
            QueuedLead(
                candidate,
                queue_reason(candidate, user_id, now, weights, display_zone),
                key,
                QueueTier(key[0]),
            )
        )
    queued.sort(key=lambda q: q.key)
    return queued


# ----------------------------------------------------------------------------- routing


@dataclass(frozen=True)
class RoutingRule:
    """Team rule: leads at or above either bar go to team leads' queues (None: no bar).

    ``receivers``: the team leads who receive them (user ids); empty: every team lead.
    Anyone else — reps, and team leads not named — sees a routed lead only when they own it.
    """

    min_score: int | None = None
    min_company_size: int | None = None
    receivers: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "receivers", frozenset(self.receivers))
        if self.min_score is not None and not 0 <= self.min_score <= 100:
            raise RoutingError(
                f"The routing score must be between 0 and 100, not {self.min_score}."
            )
        if self.min_company_size is not None and self.min_company_size < 1:
            raise RoutingError(
                "The routing company size must be at least 1 employee,"
                f" not {self.min_company_size}."
            )

    @property
    def active(self) -> bool:
        """Whether any lead is routed at all."""
        return self.min_score is not None or self.min_company_size is not None

    def receives(self, user_id: int, is_team_lead: bool) -> bool:
        """Whether routed leads reach this user's queue."""
        return is_team_lead and (not self.receivers or user_id in self.receivers)


class RoutingError(Invalid):
    """A routing rule a team cannot have; the message is one sentence."""


def route_to_team_lead(candidate: QueueCandidate, rule: RoutingRule) -> bool:
    return routing_reason(candidate.score, candidate.company_size, rule) is not None


def routing_reason(score: int, company_size: int | None, rule: RoutingRule) -> str | None:
    """Why a lead goes to team leads ("routed: score 90 ≥ 80"), or None when it does not."""
    if rule.min_score is not None and score >= rule.min_score:
        return f"routed: score {score} ≥ {rule.min_score}"
    if (
        rule.min_company_size is not None
        and company_size is not None
        and company_size >= rule.min_company_size
    ):
        return f"routed: {company_size:,} employees ≥ {rule.min_company_size:,}"
    return None
