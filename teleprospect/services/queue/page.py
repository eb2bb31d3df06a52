"""A rep's queue in the database: the queue page, the signature views poll, the choices
its filters offer, and the place of one lead in it.

The order and the eligibility rules are :mod:`teleprospect.core.queue_policy`'s; this module
serves them from indexes (see that module's docstring). Three tiers, each one small query:

1. due open callbacks (mine, then the team's), from ``ix_callback_open_due_at``;
2. fresh inbound leads, newest first, from ``ix_lead_inbound_attempts_created_at``;
3. the backlog by stored priority, from the partial index ``ix_lead_queue``
   (priority DESC, id): walked from the top, stopping at the first lead callable now; on
   SQLite, when few windows are open, as one range of ``ix_lead_zone_queue`` per open zone
   set and owner, merged (:func:`backlog_in_order`).

Calling windows (:mod:`teleprospect.services.queue.windows`): the distinct zone sets of
all leads are read by a skip scan of ``ix_lead_call_zones`` (a few hundred index seeks), the
open ones worked out by :func:`~teleprospect.core.queue_policy.open_zone_groups` (cached
per minute), and every query filters ``call_zones IN (the open ones)``. A lead outside
its window is simply not selected, and is selected again once its window opens.

Claims (:mod:`teleprospect.services.queue.claims`) run the same tier queries with
``claiming=True``.

"Now" — is a callback due, a lead's next action come, a lease run out, a window open — is
the database's clock (:func:`~teleprospect.services.clock.decision_time`, on PostgreSQL the
server's), so every workstation sees the same queue whatever its own clock says.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    and_,
    bindparam,
    case,
    exists,
    false,
    func,
    not_,
    or_,
    select,
    text,
    true,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause

from teleprospect.core.domain import Disposition, UserRole
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.queue_policy import (
    Callback,
    CallingHours,
    QueueCandidate,
    QueueTier,
    queue_reason,
    queue_tier,
    routing_reason,
)
from teleprospect.core.scoring.rules import Thresholds
from teleprospect.services.clock import decision_time
from teleprospect.services.errors import UnknownUser
from teleprospect.services.queue.windows import open_zone_sets, stored_zone_sets
from teleprospect.services.scoring.scores import rules_in_session
from teleprospect.services.settings.team_settings import QueueSettings, load_queue_settings
from teleprospect.store import hints  # noqa: F401 - renders the SQLite index hints below
from teleprospect.store.database import Database
from teleprospect.store.models import QUEUE_INDEX_WHERE, Call, CallbackEntry, Campaign, Lead, User

#: A query of any columns (the tiers select one or four).
AnySelect = Select[*tuple[Any, ...]]
#: A WHERE term: an expression, or the partial index's condition as literal SQL.
Condition = ColumnElement[bool] | TextClause

__all__ = [
    "AnySelect",
    "FilterChoices",
    "QueueContext",
    "QueueEntry",
    "QueueFilters",
    "QueueSignature",
    "backlog_in_order",
    "backlog_query",
    "callback_query",
    "calls_of_leads",
    "first_of_tier",
    "free_for",
    "inbound_query",
    "local_time_text",
    "queue_context",
    "queue_entries",
    "queue_entry_of_lead",
    "queue_filter_choices",
    "queue_page",
    "queue_signature",
]


@dataclass(frozen=True, slots=True)
class QueueFilters:
    campaign_id: int | None = None
    status: LeadStatus | None = None
    #: A grade of the rules in force ("A", "B", …).
    grade: str | None = None


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """One row of a rep's queue, with why it is where it is."""

    lead_id: int
    tier: QueueTier
    reason: str
    name: str
    company: str
    title: str
    phone_e164: str | None
    #: "14:05" in the lead's zone, "14:05–17:05" across several; "unknown" without zones.
    local_time: str
    score: int
    grade: str
    grade_label: str
    #: Tries of the current round that did not reach the person (the attempt limit's).
    attempts: int
    #: Calls logged for the lead, whatever their outcome.
    calls: int
    last_outcome: str | None
    campaign: str | None
    status: LeadStatus
    #: The user asking holds the lead's claim.
    claimed_by_me: bool
    callback_id: int | None


# ----------------------------------------------------------------------------- users


def user_role(session: Session, user_id: int) -> UserRole:
    role = session.scalar(select(User.role).where(User.id == user_id))
    if role is None:
        raise UnknownUser(user_id)
    return role


# ----------------------------------------------------------------------------- conditions


@dataclass(frozen=True)
class QueueContext:
    user_id: int
    now: datetime
    settings: QueueSettings
    thresholds: Thresholds
    is_team_lead: bool
    open_zones: list[str]
    legal_zones: list[str]
    filters: QueueFilters


def free_for(user_id: Any, now: Any) -> ColumnElement[bool]:
    """Nobody holds a live claim (``user_id`` given: or that user holds it). The values may
    be bound parameters."""
    free = or_(Lead.claimed_by_id.is_(None), Lead.claim_expires_at <= now)
    if user_id is not None:
        free = or_(free, Lead.claimed_by_id == user_id)
    return free


def _open_callback_of_lead() -> ColumnElement[bool]:
    return exists().where(CallbackEntry.lead_id == Lead.id, CallbackEntry.done_at.is_(None))


def _fresh_inbound(ctx: QueueContext) -> ColumnElement[bool]:
    return and_(
        Lead.inbound == true(),
        Lead.attempts == 0,
        Lead.created_at > bindparam("fresh_since", ctx.now - ctx.settings.weights.fresh_for),
        # Never called (a call that reached the person counts no attempt): checked on the
        # few rows the index range gives.
        Lead.last_attempt_at.is_(None),
    )


def _lead_conditions(
    ctx: QueueContext, *, claiming: bool, zones: Condition | None = None
) -> list[Condition]:
    """Eligibility for the inbound and backlog tiers (callbacks have their own rules).

    Every value that changes from one call to the next is a named bound parameter
    (:func:`_bound_values` gives them), so a statement built once serves every later call
    of the same shape (:func:`_statement`). ``zones``: the calling-window term (default:
    the lead's zone set is one of those open now)."""
    now: Any = bindparam("now", ctx.now)
    me: Any = bindparam("me", ctx.user_id)
    working = [LeadStatus.NEW.value, LeadStatus.WORKING.value]
    conditions: list[Condition] = [
        # Literally the partial index's condition, so both databases can use the index.
        text(QUEUE_INDEX_WHERE),
        Lead.call_zones.in_(bindparam("open_zones", ctx.open_zones, expanding=True))
        if zones is None
        else zones,
        free_for(None if claiming else me, now),
        or_(Lead.owner_id.is_(None), Lead.owner_id == me),
        or_(
            and_(
                Lead.status.in_(working),
                or_(Lead.next_action_at.is_(None), Lead.next_action_at <= now),
                Lead.attempts < bindparam("max_attempts", ctx.settings.retry.max_attempts),
            ),
            # A nurture lead's next action is its track's next call step.
            and_(
                Lead.status == LeadStatus.NURTURE.value,
                Lead.next_action_at.is_not(None),
                Lead.next_action_at <= now,
            ),
        ),
        not_(_open_callback_of_lead()),
    ]
    routing = ctx.settings.routing
    if routing.active and not routing.receives(ctx.user_id, ctx.is_team_lead):
        routed = []
        if routing.min_score is not None:
            routed.append(Lead.score >= bindparam("min_score", routing.min_score))
        if routing.min_company_size is not None:
            routed.append(
                Lead.company_size >= bindparam("min_company_size", routing.min_company_size)
            )
        # Urgent or high-value leads go to team leads' queues, unless already mine.
        conditions.append(or_(Lead.owner_id == me, not_(or_(*routed))))
    conditions.extend(_filter_conditions(ctx))
    return conditions


def _grade_bounds(ctx: QueueContext) -> tuple[int, int | None] | None:
    """The score range of the grade filtered on: (at least, below or None); None when the
    rules in force have no such grade."""
    bands = ctx.thresholds.bands  # highest first
    for i, band in enumerate(bands):
        if band.grade == ctx.filters.grade:
            return band.min_score, (bands[i - 1].min_score if i > 0 else None)
    return None


def _filter_conditions(ctx: QueueContext) -> list[ColumnElement[bool]]:
    f = ctx.filters
    found: list[ColumnElement[bool]] = []
    if f.campaign_id is not None:
        found.append(Lead.campaign_id == bindparam("filter_campaign_id", f.campaign_id))
    if f.status is not None:
        found.append(Lead.status == bindparam("filter_status", LeadStatus(f.status).value))
    if f.grade is not None:
        bounds = _grade_bounds(ctx)
        if bounds is None:
            found.append(false())
        else:
            found.append(Lead.score >= bindparam("grade_min", bounds[0]))
            if bounds[1] is not None:
                found.append(Lead.score < bindparam("grade_below", bounds[1]))
    return found


def _shape(ctx: QueueContext) -> tuple[object, ...]:
    """What decides the structure of the inbound and backlog statements (values aside)."""
    routing, f = ctx.settings.routing, ctx.filters
    # The same test as _lead_conditions: whether this user's queue leaves routed leads out.
    routed = routing.active and not routing.receives(ctx.user_id, ctx.is_team_lead)
    if f.grade is None:
        grade: str = "any"
    else:
        bounds = _grade_bounds(ctx)
        grade = "unknown" if bounds is None else "top" if bounds[1] is None else "band"
    return (
        routed and routing.min_score is not None,
        routed and routing.min_company_size is not None,
        f.campaign_id is not None,
        f.status is not None,
        grade,
    )


def _bound_values(ctx: QueueContext) -> dict[str, Any]:
    """The named parameters of :func:`_lead_conditions`, for a statement built earlier.
    No name is a lead column's: the values also go with the claim's UPDATE."""
    routing, f = ctx.settings.routing, ctx.filters
    values: dict[str, Any] = {
        "now": ctx.now,
        "me": ctx.user_id,
        "max_attempts": ctx.settings.retry.max_attempts,
        "fresh_since": ctx.now - ctx.settings.weights.fresh_for,
        "open_zones": ctx.open_zones,
    }
    if routing.min_score is not None:
        values["min_score"] = routing.min_score
    if routing.min_company_size is not None:
        values["min_company_size"] = routing.min_company_size
    if f.campaign_id is not None:
        values["filter_campaign_id"] = f.campaign_id
    if f.status is not None:
        values["filter_status"] = LeadStatus(f.status).value
    bounds = _grade_bounds(ctx) if f.grade is not None else None
    if bounds is not None:
        values["grade_min"] = bounds[0]
        if bounds[1] is not None:
            values["grade_below"] = bounds[1]
    return values


_statements: dict[tuple[object, ...], Any] = {}
_statements_lock = threading.Lock()


def callback_query(ctx: QueueContext, *, claiming: bool) -> AnySelect:
    """Due open callbacks the user may make: theirs first, then the team's, oldest first.

    A callback overrides the next-action time, the attempt limit and the team's hours,
    never the legal 08:00–21:00 limit nor do-not-call."""
    me: Any = bindparam("me", ctx.user_id)
    now: Any = bindparam("now", ctx.now)
    mine_first = case((CallbackEntry.owner_id == me, 0), else_=1)
    query: AnySelect = (
        select(
            Lead.id,
            CallbackEntry.id,
            CallbackEntry.due_at,
            CallbackEntry.owner_id,
            CallbackEntry.queue_reason,
        )
        .select_from(CallbackEntry)
        .join(Lead, CallbackEntry.lead_id == Lead.id)
        # SQLite: walk the due callbacks and look each lead up by id, never the other way.
        .with_hint(CallbackEntry, "INDEXED BY ix_callback_open_due_at", "sqlite")
        .with_hint(Lead, "NOT INDEXED", "sqlite")
        .where(
            CallbackEntry.done_at.is_(None),
            CallbackEntry.due_at <= now,
            or_(CallbackEntry.owner_id.is_(None), CallbackEntry.owner_id == me),
            text(QUEUE_INDEX_WHERE),
            Lead.call_zones.in_(bindparam("legal_zones", ctx.legal_zones, expanding=True)),
            free_for(None if claiming else me, now),
            *_filter_conditions(ctx),
        )
        .order_by(mine_first, CallbackEntry.due_at, Lead.id)
    )
    return query


def inbound_query(ctx: QueueContext, *, claiming: bool) -> AnySelect:
    return (
        select(Lead.id)
        # SQLite: the fresh inbound leads, newest first, from their index. Left to itself
        # the planner may read every lead of the open zones and sort them (half a second
        # on a million leads).
        .with_hint(Lead, "INDEXED BY ix_lead_inbound_attempts_created_at", "sqlite")
        .where(_fresh_inbound(ctx), *_lead_conditions(ctx, claiming=claiming))
        .order_by(Lead.created_at.desc(), Lead.id)
    )


def backlog_query(ctx: QueueContext, *, claiming: bool, db_is_sqlite: bool) -> AnySelect:
    query: AnySelect = (
        select(Lead.id)
        .where(not_(_fresh_inbound(ctx)), *_lead_conditions(ctx, claiming=claiming))
        .order_by(Lead.priority.desc(), Lead.id)
    )
    if db_is_sqlite:
        # The walk down the priority index is what keeps "next lead" in milliseconds; with
        # an IN list of zones the planner could otherwise prefer the zones index and sort.
        query = query.with_hint(Lead, "INDEXED BY ix_lead_queue", "sqlite")
    return query


def _statement(key: tuple[object, ...], build: Any) -> Any:
    """The statement of ``key`` built once by ``build()``: building and keying a statement
    costs more than running it, and every claim runs the same few."""
    with _statements_lock:
        statement = _statements.get(key)
    if statement is None:
        statement = build()
        with _statements_lock:
            if len(_statements) > 256:
                _statements.clear()
            _statements[key] = statement
    return statement


def first_of_tier(
    ctx: QueueContext, tier: str, *, claiming: bool
) -> tuple[AnySelect, dict[str, Any]]:
    """The first lead of the ``tier`` ("callback" or "inbound") as :func:`callback_query`
    or :func:`inbound_query` find it: a statement built once per shape, and the values to
    run it with (always pass them: the statement keeps the values it was built with)."""
    key = (tier, claiming, ctx.is_team_lead, *_shape(ctx))
    if tier == "callback":
        statement = _statement(key, lambda: callback_query(ctx, claiming=claiming).limit(1))
    else:
        statement = _statement(key, lambda: inbound_query(ctx, claiming=claiming).limit(1))
    values = _bound_values(ctx)
    values["legal_zones"] = ctx.legal_zones
    return statement, values


#: Up to this many open zone sets the backlog is read as one index range per zone set and
#: owner (nobody, or the rep), merged in priority order (:func:`backlog_in_order`); with
#: more open, most leads are callable and the walk down ``ix_lead_queue`` finds one soon.
MERGE_ZONE_SETS = 64


def backlog_in_order(
    ctx: QueueContext, *, claiming: bool, db_is_sqlite: bool, limit: int, offset: int = 0
) -> tuple[AnySelect | CompoundSelect[Any], dict[str, Any]]:
    """The backlog's lead ids in queue order, from ``offset``, at most ``limit``: a
    statement and its parameters.

    When few zone sets are open (at 03:00 UTC only Asia-Pacific's), the walk down the
    priority index would pass every lead of the closed zones. Instead each open zone set
    and each owner a rep may call (nobody, or the rep) is one range of ``ix_lead_zone_queue``
    (zone set, owner, priority DESC, id), and the ranges are merged: a few index seeks
    whatever the hour. The index also carries the columns of the claim, the next action
    and the attempts, so leads passed over are judged from the index alone. The statement
    is built once per shape and reused with new values. SQLite only (see below); an
    empty parameter dict means the walk."""
    zones = ctx.open_zones
    # PostgreSQL plans each statement anew: a union of dozens of ranges cost more to plan
    # than the walk it saves on 20,000 leads (bench_queue.py --hours), so it keeps the walk.
    if not db_is_sqlite or not 0 < len(zones) <= MERGE_ZONE_SETS:
        query = backlog_query(ctx, claiming=claiming, db_is_sqlite=db_is_sqlite)
        return query.offset(offset).limit(limit), {}
    key = ("backlog", len(zones), claiming, ctx.is_team_lead, *_shape(ctx))
    statement = _statement(key, lambda: _merged_backlog(ctx, claiming=claiming, arms=len(zones)))
    values = _bound_values(ctx)
    values.update({f"zone_{i}": zone for i, zone in enumerate(zones)})
    values.update(row_limit=limit, row_offset=offset)
    return statement, values


def _merged_backlog(ctx: QueueContext, *, claiming: bool, arms: int) -> CompoundSelect[Any]:
    me: Any = bindparam("me", ctx.user_id)
    selects = []
    for i in range(arms):
        zone = Lead.call_zones == bindparam(f"zone_{i}", ctx.open_zones[i])
        for owner in (Lead.owner_id.is_(None), Lead.owner_id == me):
            selects.append(
                select(Lead.id, Lead.priority)
                # A range of the index: never the priority walk, never a sort.
                .with_hint(Lead, "INDEXED BY ix_lead_zone_queue", "sqlite")
                .where(
                    owner,
                    not_(_fresh_inbound(ctx)),
                    *_lead_conditions(ctx, claiming=claiming, zones=zone),
                )
            )
    merged: CompoundSelect[Any] = union_all(*selects)
    return (
        merged.order_by(merged.selected_columns.priority.desc(), merged.selected_columns.id)
        .limit(bindparam("row_limit", 1))
        .offset(bindparam("row_offset", 0))
    )


def queue_context(
    session: Session,
    user_id: int,
    now: datetime,
    filters: QueueFilters | None,
    role: UserRole | None = None,
) -> QueueContext:
    """What the user's queue is decided with at ``now``; ``role``: the user's, when the
    caller has just read it (one query less)."""
    is_team_lead = (role or user_role(session, user_id)) is UserRole.TEAM_LEAD
    settings = load_queue_settings(session)
    zone_sets = stored_zone_sets(session.connection())
    return QueueContext(
        user_id=user_id,
        now=now,
        settings=settings,
        thresholds=rules_in_session(session).rules.thresholds,
        is_team_lead=is_team_lead,
        open_zones=open_zone_sets(zone_sets, now, settings.hours),
        legal_zones=open_zone_sets(zone_sets, now, CallingHours.legal_limit()),
        filters=filters or QueueFilters(),
    )


# ----------------------------------------------------------------------------- display


def local_time_text(call_zones: str, now: datetime) -> str:
    """The lead's local time now: one time, or the range across its zones."""
    names = call_zones.split()
    if not names:
        return "unknown"
    times = sorted({now.astimezone(ZoneInfo(name)).strftime("%H:%M") for name in names})
    return times[0] if len(times) == 1 else f"{times[0]}–{times[-1]}"


def _candidate(
    row: Any, callback: Callback | None, calls: tuple[int, Disposition | None]
) -> QueueCandidate:
    return QueueCandidate(
        lead_id=row.id,
        status=LeadStatus(row.status),
        created_at=row.created_at,
        score=row.score,
        attempts=row.attempts,
        last_attempt_at=row.last_attempt_at,
        calls=calls[0],
        last_outcome=calls[1],
        zones=tuple(row.call_zones.split()),
        inbound=row.inbound,
        callback=callback,
        owner_id=row.owner_id,
    )


_ENTRY_COLUMNS = (
    Lead.id,
    Lead.first_name,
    Lead.last_name,
    Lead.company,
    Lead.title,
    Lead.phone_e164,
    Lead.call_zones,
    Lead.score,
    Lead.company_size,
    Lead.attempts,
    Lead.last_attempt_at,
    Lead.created_at,
    Lead.status,
    Lead.inbound,
    Lead.owner_id,
    Lead.claimed_by_id,
    Lead.claim_expires_at,
    Campaign.name.label("campaign"),
)


_NO_CALLS: tuple[int, Disposition | None] = (0, None)


def calls_of_leads(
    session: Session, ids: Sequence[int]
) -> dict[int, tuple[int, Disposition | None]]:
    """Lead id → (calls logged, the newest one's outcome), through the call table's
    (lead_id, started_at) index; leads never called are left out. A call started but not
    logged yet has no outcome and is not counted."""
    if not ids:
        return {}
    logged = (
        select(
            Call.lead_id,
            Call.disposition,
            func.count().over(partition_by=Call.lead_id).label("calls"),
            func.row_number()
            .over(partition_by=Call.lead_id, order_by=(Call.started_at.desc(), Call.id.desc()))
            .label("newest_first"),
        )
        .where(Call.lead_id.in_(ids), Call.disposition.is_not(None))
        .subquery()
    )
    return {
        lead_id: (count, Disposition(disposition))
        for lead_id, disposition, count in session.execute(
            select(logged.c.lead_id, logged.c.disposition, logged.c.calls).where(
                logged.c.newest_first == 1
            )
        )
    }


def queue_entries(
    session: Session,
    ctx: QueueContext,
    ids: Sequence[int],
    callbacks: dict[int, tuple[int, Callback]],
    display_zone: tzinfo,
) -> list[QueueEntry]:
    if not ids:
        return []
    rows = {
        row.id: row
        for row in session.execute(
            select(*_ENTRY_COLUMNS)
            .outerjoin(Campaign, Campaign.id == Lead.campaign_id)
            .where(Lead.id.in_(ids))
        )
    }
    calls = calls_of_leads(session, ids)
    entries = []
    weights = ctx.settings.weights
    for lead_id in ids:
        row = rows[lead_id]
        callback_id, callback = callbacks.get(lead_id, (None, None))
        made, outcome = calls.get(lead_id, _NO_CALLS)
        candidate = _candidate(row, callback, (made, outcome))
        band = ctx.thresholds.grade_for(row.score)
        tier = queue_tier(candidate, ctx.user_id, ctx.now, weights)
        reason = queue_reason(candidate, ctx.user_id, ctx.now, weights, display_zone)
        routed = routing_reason(row.score, row.company_size, ctx.settings.routing)
        if routed is not None and tier >= QueueTier.FRESH_INBOUND:
            reason = f"{reason}; {routed}"
        entries.append(
            QueueEntry(
                lead_id=lead_id,
                tier=tier,
                reason=reason,
                name=f"{row.first_name} {row.last_name}".strip(),
                company=row.company,
                title=row.title,
                phone_e164=row.phone_e164,
                local_time=local_time_text(row.call_zones, ctx.now),
                score=row.score,
                grade=band.grade,
                grade_label=band.label,
                attempts=row.attempts,
                calls=made,
                last_outcome=outcome.label if outcome is not None else None,
                campaign=row.campaign,
                status=LeadStatus(row.status),
                claimed_by_me=row.claimed_by_id == ctx.user_id
                and (row.claim_expires_at is None or row.claim_expires_at > ctx.now),
                callback_id=callback_id,
            )
        )
    return entries


# ----------------------------------------------------------------------------- the queue


def queue_page(
    db: Database,
    user_id: int,
    *,
    now: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
    filters: QueueFilters | None = None,
    display_zone: tzinfo = UTC,
) -> list[QueueEntry]:
    """Up to ``limit`` entries of the user's queue from position ``offset``, in queue order,
    each with its reason. Leads the user holds are included (marked ``claimed_by_me``).
    ``now``: None is the database's clock; a time given fixes it (tests, benchmarks)."""
    with db.read() as session:
        ctx = queue_context(session, user_id, decision_time(session, now), filters)
        page, callbacks = _page_ids(session, ctx, offset, limit, db.is_sqlite)
        return queue_entries(session, ctx, page, callbacks, display_zone)


def _page_ids(
    session: Session, ctx: QueueContext, offset: int, limit: int, is_sqlite: bool
) -> tuple[list[int], dict[int, tuple[int, Callback]]]:
    """The lead ids of a queue page in order, and the callbacks that placed some of them."""
    callbacks: dict[int, tuple[int, Callback]] = {}
    if not ctx.open_zones and not ctx.legal_zones:
        return [], callbacks
    ids: list[int] = []
    for lead_id, callback_id, due_at, owner_id, why in session.execute(
        callback_query(ctx, claiming=False)
    ):
        if lead_id not in callbacks:  # a lead's oldest due callback places it
            callbacks[lead_id] = (callback_id, Callback(due_at, owner_id, why or ""))
            ids.append(lead_id)
    if ctx.open_zones and offset + limit > len(ids):
        inbound = inbound_query(ctx, claiming=False).limit(offset + limit - len(ids))
        ids.extend(session.scalars(inbound))
    # Each tier is read only as far as the page reaches into it.
    ahead = len(ids)
    backlog_ids: list[int] = []
    wanted = offset + limit - max(ahead, offset)
    if ctx.open_zones and wanted > 0:
        backlog, values = backlog_in_order(
            ctx,
            claiming=False,
            db_is_sqlite=is_sqlite,
            limit=wanted,
            offset=max(0, offset - ahead),
        )
        backlog_ids = list(session.scalars(backlog, values))
    page = (ids[offset:] + backlog_ids)[:limit] if offset < ahead else backlog_ids
    return page, callbacks


def queue_entry_of_lead(
    session: Session,
    user_id: int,
    lead_id: int,
    now: datetime,
    display_zone: tzinfo = UTC,
) -> QueueEntry | None:
    """Lead ``lead_id``'s row of the user's queue (its reason: why this lead now), read in
    the caller's transaction; None when the lead is not in the user's queue now."""
    ctx = queue_context(session, user_id, now, None)
    callbacks: dict[int, tuple[int, Callback]] = {}
    found = False
    if ctx.legal_zones:
        row = session.execute(
            callback_query(ctx, claiming=False).where(Lead.id == lead_id).limit(1)
        ).first()
        if row is not None:
            callbacks[lead_id] = (row[1], Callback(row[2], row[3], row[4] or ""))
            found = True
    if not found and ctx.open_zones:
        for query in (
            inbound_query(ctx, claiming=False),
            # No index hint: one lead is found by its primary key, not by walking the queue.
            backlog_query(ctx, claiming=False, db_is_sqlite=False),
        ):
            if session.scalar(query.where(Lead.id == lead_id).limit(1)) is not None:
                found = True
                break
    if not found:
        return None
    return queue_entries(session, ctx, [lead_id], callbacks, display_zone)[0]


QueueSignature = tuple[tuple[int, ...], tuple[int, ...], int | None, int | None]


def queue_signature(
    db: Database,
    user_id: int,
    *,
    now: datetime | None = None,
    depth: int = 50,
    filters: QueueFilters | None = None,
) -> QueueSignature:
    """A value that changes when the first ``depth`` places of the user's queue change, for
    views that poll: the ids in order, the ones the user holds, and the newest lead and call.

    It runs the queue's own index-backed id queries and a few primary-key look-ups, and
    reads no lead row: polling it every few seconds from every workstation costs the
    database next to nothing. A claim elsewhere takes its lead out of the ids; a lead
    whose window opens, a callback that falls due or an expired lease brings one in."""
    with db.read() as session:
        now = decision_time(session, now)
        ctx = queue_context(session, user_id, now, filters)
        ids, _ = _page_ids(session, ctx, 0, depth, db.is_sqlite)
        held = (
            session.scalars(
                select(Lead.id)
                .where(
                    Lead.id.in_(ids),
                    Lead.claimed_by_id == user_id,
                    or_(Lead.claim_expires_at.is_(None), Lead.claim_expires_at > now),
                )
                .order_by(Lead.id)
            ).all()
            if ids
            else []
        )
        # New leads, and calls logged (attempts and last outcomes move), by primary key.
        newest_lead = session.scalar(select(func.max(Lead.id)))
        newest_call = session.scalar(select(func.max(Call.id)))
    return tuple(ids), tuple(held), newest_lead, newest_call


@dataclass(frozen=True, slots=True)
class FilterChoices:
    #: (id, name) of every campaign, by name.
    campaigns: list[tuple[int, str]]
    #: (grade, label) of the rules in force, best first.
    grades: list[tuple[str, str]]


def queue_filter_choices(db: Database) -> FilterChoices:
    """What the queue's filters can offer: the campaigns and the grades of the rules."""
    with db.read() as session:
        campaigns = [
            (row.id, row.name)
            for row in session.execute(select(Campaign.id, Campaign.name).order_by(Campaign.name))
        ]
        bands = rules_in_session(session).rules.thresholds.bands
    return FilterChoices(campaigns, [(band.grade, band.label) for band in bands])
