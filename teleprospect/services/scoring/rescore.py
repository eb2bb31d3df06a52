"""Scoring every lead again: when rules are published, when a day begins, on request.

:func:`save_rules` publishes a new version of the scoring rules and re-scores every lead
with it, so no lead keeps a score the rules in force would not give. :func:`rescore_all`
re-scores every lead (``teleprospect rescore``); :func:`refresh_scores` only those whose
stored score may be out of date: scored with other rules (a re-scoring stopped half-way,
rules published by a workstation that went away), or on an earlier day while they have
engagement, which ages by the day (:mod:`teleprospect.core.scoring.engine`). The desk runs
it when it opens and when a day begins.

All of them work in short transactions of :data:`RESCORE_CHUNK` leads, so workstations
keep claiming meanwhile, with progress and cancel. Each lead is scored by the same
functions as one lead (:func:`teleprospect.services.scoring.scores.lead_input`,
:func:`~teleprospect.core.queue_policy.stored_priority`), read in bulk.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    exists,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from teleprospect.core.audit import AuditKind
from teleprospect.core.call_zones import effective_call_zones
from teleprospect.core.errors import Cancelled
from teleprospect.core.permissions import Action
from teleprospect.core.queue_policy import PriorityWeights, stored_priority
from teleprospect.core.scoring.engine import start_of_day
from teleprospect.core.scoring.rules import ScoringRules
from teleprospect.services.audit.record import record_audit
from teleprospect.services.clock import decision_time
from teleprospect.services.identity.permissions import require_user
from teleprospect.services.scoring.scores import (
    ActiveRules,
    active_rules,
    compiled_for,
    fallback_region,
    lead_input,
    rules_in_session,
)
from teleprospect.services.settings.team_settings import PRIORITY_WEIGHTS, read_setting
from teleprospect.services.versions import publish_version
from teleprospect.store.bulk import sqlite_bulk_settings
from teleprospect.store.database import Database
from teleprospect.store.models import Campaign, EngagementEvent, Lead, LeadAnswer, ScoringRuleSet
from teleprospect.store.staging import ChunkSizer, LongWrite
from teleprospect.store.types import UTCDateTime

__all__ = [
    "RESCORE_CHUNK",
    "RESCORE_WRITERS",
    "PublishedRules",
    "RescoreCancelled",
    "RescoreSummary",
    "refresh_scores",
    "rescore_all",
    "save_rules",
]

#: Leads per re-scoring transaction: long enough to amortise round trips, short enough
#: (a fraction of a second) that claims on other workstations barely wait for it.
RESCORE_CHUNK = 10_000
#: PostgreSQL: connections writing re-scored chunks at the same time. Writing is the
#: server's work (a lead with a new priority is a new row version with an entry in every
#: index of the lead table), and one connection keeps one server core busy. Two overlap
#: each other and the reading and scoring, and leave the rest of a shared server to the
#: people claiming leads meanwhile.
RESCORE_WRITERS = 2
#: SQLite, while re-scoring: page cache (KiB) and leads written between two checkpoints of
#: the write-ahead log. Each chunk rewrites pages all over the priority index; with
#: SQLite's defaults (2 MB, a checkpoint every 1,000 pages) every commit would copy most of
#: that index back into the file, with these only every few chunks.
_SQLITE_CACHE_KIB = 65_536
_SQLITE_CHECKPOINT_ROWS = 100_000

ProgressCallback = Callable[[int, int], None]
CancelCheck = Callable[[], bool]


class RescoreCancelled(Cancelled):
    """Re-scoring stopped on request; the leads done so far keep their new scores (each
    lead records the rules version it was scored with, and :func:`refresh_scores` does
    the others)."""


@dataclass(frozen=True)
class RescoreSummary:
    leads: int
    #: Leads whose score changed.
    changed: int
    rules_version: int
    seconds: float
    #: Leads whose place in the backlog (their stored priority) changed.
    reordered: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "leads": self.leads,
            "changed": self.changed,
            "reordered": self.reordered,
            "rules_version": self.rules_version,
            "seconds": round(self.seconds, 3),
        }


# ----------------------------------------------------------------------------- publishing


@dataclass(frozen=True)
class PublishedRules:
    """Rules published and every lead re-scored with them."""

    rules: ActiveRules
    rescored: RescoreSummary

    @property
    def version(self) -> int:
        return self.rules.version


def save_rules(
    db: Database,
    rules: ScoringRules,
    user_id: int | None,
    note: str = "",
    *,
    now: datetime | None = None,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
) -> PublishedRules:
    """Publish ``rules`` as the new version in force (the old ones stay, as history),
    recorded in the audit trail, then re-score every lead with them (:func:`rescore_all`,
    with ``progress`` and ``should_cancel``): whoever publishes rules, no lead keeps a
    score they would not give.

    A cancel (:class:`RescoreCancelled`) leaves the rules published and the leads not
    re-scored yet on older scores; :func:`refresh_scores` finishes the work.
    """
    data = rules.to_dict()
    ScoringRules.from_dict(data)  # what cannot be read back is never stored

    def publish(session: Session, version: int) -> int:
        if user_id is not None:  # None: the system itself (seeding, upgrades)
            require_user(session, user_id, Action.EDIT_SCORING_RULES)
        previous = rules_in_session(session)
        session.add(ScoringRuleSet(version=version, rules=data, created_by_id=user_id, note=note))
        _audit_rules(session, previous, version, rules, user_id=user_id, note=note)
        return version

    version = publish_version(db, ScoringRuleSet.version, publish)
    rescored = rescore_all(db, now=now, progress=progress, should_cancel=should_cancel)
    return PublishedRules(ActiveRules(version, rules, compiled_for(rules)), rescored)


def _audit_rules(
    session: Session,
    previous: ActiveRules,
    version: int,
    rules: ScoringRules,
    *,
    user_id: int | None,
    note: str,
) -> None:
    old, new = previous.rules.to_dict(), rules.to_dict()
    after: dict[str, Any] = {
        "version": version,
        "sales_ready_threshold": rules.thresholds.sales_ready,
        # Which parts changed (fit, engagement, qualification…): the versions keep the rest.
        "changed": [part for part in new if new.get(part) != old.get(part)],
    }
    if note:
        after["note"] = note
    record_audit(
        session,
        AuditKind.SCORING_RULES_PUBLISHED,
        user_id=user_id,
        subject="scoring rules",
        before={
            "version": previous.version,
            "sales_ready_threshold": previous.rules.thresholds.sales_ready,
        },
        after=after,
    )


# ----------------------------------------------------------------------------- all leads


def rescore_all(
    db: Database,
    *,
    now: datetime | None = None,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
    chunk: int = RESCORE_CHUNK,
) -> RescoreSummary:
    """Re-score every lead with the rules in force, in id order, one short transaction per
    chunk: read the leads with their events and answers, score them, write score, priority,
    call zones, the time and the rules version back.

    Chunks are read and scored in short read transactions. SQLite writes each in short
    steps (no transaction holds its write lock for more than a fraction of DESIGN.md's
    ~200 ms); PostgreSQL has up to :data:`RESCORE_WRITERS` connections write the ones
    before, each chunk with one ``UPDATE … FROM unnest(…)``. Either way a lead edited
    between its reading and its writing keeps what the edit stored (the edit re-scored it
    with :func:`~teleprospect.services.scoring.scores.rescore_lead`, from its new data).
    Each lead is written whole, so the queue is consistent at every moment, some leads a
    moment ahead of the others.

    ``progress(done, total)`` after each chunk written; ``should_cancel()`` before each
    chunk is read (raises :class:`RescoreCancelled` once the chunks under way are written;
    the chunks done stay done). Both are called in the caller's thread.
    """
    return _rescore(db, now, progress, should_cancel, chunk, stale_only=False)


def refresh_scores(
    db: Database,
    *,
    now: datetime | None = None,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
    chunk: int = RESCORE_CHUNK,
) -> RescoreSummary:
    """Re-score the leads whose stored score may be out of date at ``now``: never scored,
    scored with rules other than those in force, or scored on an earlier day (UTC) while
    they have engagement events. Like :func:`rescore_all` otherwise; on a database where
    every score is up to date it reads the lead table once and writes nothing."""
    return _rescore(db, now, progress, should_cancel, chunk, stale_only=True)


def _rescore(
    db: Database,
    now: datetime | None,
    progress: ProgressCallback | None,
    should_cancel: CancelCheck | None,
    chunk: int,
    *,
    stale_only: bool,
) -> RescoreSummary:
    if chunk < 1:
        raise ValueError(f"Re-scoring needs chunks of at least one lead, not {chunk}.")
    started = time.perf_counter()
    rules = active_rules(db)
    with db.read() as session:
        # The database's clock decides which day it is, as it does for every call logged.
        now = decision_time(session, now)
        stale = _stale_condition(rules.version, now) if stale_only else None
        weights = read_setting(session, PRIORITY_WEIGHTS)
        counted = select(func.count(Lead.id))
        total = session.scalar(counted if stale is None else counted.where(stale)) or 0
        campaigns = dict(session.execute(select(Campaign.id, Campaign.default_region)).all())
    scorer = _ChunkScorer(rules, weights, campaigns, now, stale)
    tracker = _Tracker(total, progress, should_cancel)
    tracker.report()
    if total:
        if db.is_sqlite:
            _rescore_sqlite(db, scorer, tracker, chunk)
        else:
            _rescore_postgresql(db, scorer, tracker, chunk)
    return RescoreSummary(
        tracker.done,
        scorer.changed,
        rules.version,
        time.perf_counter() - started,
        scorer.reordered,
    )


def _stale_condition(version: int, now: datetime) -> ColumnElement[bool]:
    """Leads whose stored score may differ from what scoring them at ``now`` gives."""
    today = start_of_day(now)
    has_events = exists().where(EngagementEvent.lead_id == Lead.id)
    return or_(
        Lead.rules_version.is_(None),
        Lead.rules_version != version,
        Lead.scored_at.is_(None),
        and_(Lead.scored_at < today, has_events),
    )


class _Tracker:
    """Progress and cancellation of one re-scoring run."""

    def __init__(
        self, total: int, progress: ProgressCallback | None, should_cancel: CancelCheck | None
    ) -> None:
        self.total = total
        self.done = 0
        self._progress = progress
        self._should_cancel = should_cancel

    def report(self) -> None:
        if self._progress:
            self._progress(self.done, self.total)

    def chunk_written(self, leads: int) -> None:
        self.done += leads
        self.report()

    def cancel_requested(self) -> bool:
        return bool(self._should_cancel and self._should_cancel())

    def cancelled(self) -> RescoreCancelled:
        return RescoreCancelled(
            f"Re-scoring was cancelled after {self.done:,} of {self.total:,} leads; those keep"
            " their new scores."
        )


@dataclass
class _ScoredChunk:
    """New values for a chunk of leads, as parallel lists (one entry per lead)."""

    ids: list[int]
    scores: list[int]
    priorities: list[float]
    zones: list[str]
    #: Lead.version as read: PostgreSQL writes only leads nobody edited since.
    versions: list[int]
    #: (position in the chunk, new zones, id) of the leads whose zones changed.
    zone_changes: list[tuple[int, str, int]]
    #: The scores stored before (what a preview compares with).
    old_scores: list[int]


_lead, _event, _answer = Lead.__table__.c, EngagementEvent.__table__.c, LeadAnswer.__table__.c
_READ_LEADS = (
    select(
        _lead.id,
        _lead.title,
        _lead.industry,
        _lead.company_size,
        _lead.country,
        _lead.email,
        _lead.phone_raw,
        _lead.phone_e164,
        _lead.phone_valid,
        _lead.company,
        _lead.attempts,
        _lead.last_attempt_at,
        _lead.created_at,
        _lead.score,
        _lead.priority,
        _lead.phone_time_zones,
        _lead.call_zones,
        _lead.campaign_id,
        _lead.version,
    )
    .where(_lead.id > bindparam("after"))
    .order_by(_lead.id)
    .limit(bindparam("n"))
)
_READ_EVENTS = select(_event.lead_id, _event.kind, _event.occurred_at).where(
    _event.lead_id.between(bindparam("lo"), bindparam("hi"))
)
_READ_ANSWERS = select(_answer.lead_id, _answer.question_id, _answer.value).where(
    _answer.lead_id.between(bindparam("lo"), bindparam("hi"))
)


class _ChunkScorer:
    """Reads and scores chunks of leads with one set of rules, weights and campaigns."""

    def __init__(
        self,
        rules: ActiveRules,
        weights: PriorityWeights,
        campaigns: Mapping[int, str | None],
        now: datetime,
        stale: ColumnElement[bool] | None = None,
    ) -> None:
        self.version = rules.version
        self.now = now
        self.changed = 0
        self.reordered = 0
        self._score_of = rules.compiled.score_total_only
        self._weights = weights
        self._campaigns = campaigns
        self._zones: dict[tuple[str, str | None], str] = {}
        self._read: Select[Any] = _READ_LEADS if stale is None else _READ_LEADS.where(stale)

    def read_and_score(self, conn: Connection, after: int, n: int) -> _ScoredChunk | None:
        """The ``n`` leads after id ``after``, scored; None when there are none."""
        rows = conn.execute(self._read, {"after": after, "n": n}).all()
        if not rows:
            return None
        span = {"lo": rows[0][0], "hi": rows[-1][0]}
        events: dict[int, list[tuple[Any, datetime]]] = {}
        for lead_id, kind, at in conn.execute(_READ_EVENTS, span):
            events.setdefault(lead_id, []).append((kind, at))
        answers: dict[int, dict[str, Any]] = {}
        for lead_id, question, value in conn.execute(_READ_ANSWERS, span):
            answers.setdefault(lead_id, {})[question] = value
        return self._score(rows, events, answers)

    def _score(
        self,
        rows: Sequence[Any],
        events: Mapping[int, list[tuple[Any, datetime]]],
        answers: Mapping[int, Mapping[str, Any]],
    ) -> _ScoredChunk:
        score_of, now, weights = self._score_of, self.now, self._weights
        campaigns, zones_known = self._campaigns, self._zones
        scored = _ScoredChunk([], [], [], [], [], [], [])
        changed = reordered = 0
        for (
            lead_id,
            title,
            industry,
            size,
            country,
            email,
            raw,
            e164,
            valid,
            company,
            attempts,
            last_at,
            created,
            old_score,
            old_priority,
            phone_zones,
            old_zones,
            campaign_id,
            version,
        ) in rows:
            score = score_of(
                lead_input(
                    title,
                    industry,
                    size,
                    country,
                    email,
                    raw,
                    e164,
                    valid,
                    company,
                    events.get(lead_id, ()),
                    answers.get(lead_id),
                ),
                now,
            )
            priority = stored_priority(score, attempts or 0, last_at or created, weights)
            changed += score != old_score
            reordered += priority != old_priority
            key = (phone_zones or "", fallback_region(campaigns.get(campaign_id), country))
            zones = zones_known.get(key)
            if zones is None:
                zones = zones_known[key] = effective_call_zones(*key)
            scored.ids.append(lead_id)
            scored.scores.append(score)
            scored.priorities.append(priority)
            scored.zones.append(zones)
            scored.versions.append(version)
            scored.old_scores.append(old_score)
            if zones != old_zones:
                scored.zone_changes.append((len(scored.ids) - 1, zones, lead_id))
        self.changed += changed
        self.reordered += reordered
        return scored


# SQLite: one prepared statement run per lead is as fast there as any set-based form, and
# unlike PostgreSQL it touches only the indexes of the columns it sets, so the zones (and
# their index) are written only where they changed. A lead edited between its reading and
# its writing (another version) keeps what the edit stored: the edit re-scored it.
_SQLITE_WRITE_SCORES = (
    "UPDATE lead SET score = ?, priority = ?, scored_at = ?, rules_version = ?"
    " WHERE id = ? AND version = ?"
)
_SQLITE_WRITE_ZONES = "UPDATE lead SET call_zones = ? WHERE id = ? AND version = ?"
#: SQLite writes a chunk in steps (short transactions; see LongWrite): the first's leads.
_SQLITE_STEP_FIRST = 1_000


def _write_sqlite(
    session: Session, start: int, stop: int, *, scored: _ScoredChunk, scored_at: Any, rules: int
) -> None:
    """Leads ``start:stop`` of a scored chunk, in one step."""
    versions = scored.versions
    connection = session.connection()
    connection.exec_driver_sql(
        _SQLITE_WRITE_SCORES,
        [
            (scored.scores[i], scored.priorities[i], scored_at, rules, scored.ids[i], versions[i])
            for i in range(start, stop)
        ],
    )
    zones = [
        (zone, lead_id, versions[i])
        for i, zone, lead_id in scored.zone_changes
        if start <= i < stop
    ]
    if zones:
        connection.exec_driver_sql(_SQLITE_WRITE_ZONES, zones)


def _rescore_sqlite(db: Database, scorer: _ChunkScorer, tracker: _Tracker, chunk: int) -> None:
    """Each chunk is read and scored in a read transaction (no writer waits for it), then
    written in short steps: every lead whole, so each step leaves the queue consistent."""
    with LongWrite(
        db, "re-scoring", registered=False, checkpoint_rows=_SQLITE_CHECKPOINT_ROWS
    ) as write:
        conn = write.connection
        # The time as the column stores it, converted once rather than once per lead.
        bind = Lead.__table__.c.scored_at.type.dialect_impl(conn.dialect).bind_processor(
            conn.dialect
        )
        scored_at = bind(scorer.now) if bind else scorer.now
        sizer = ChunkSizer(_SQLITE_STEP_FIRST, most=chunk)
        with sqlite_bulk_settings(conn, cache_kib=_SQLITE_CACHE_KIB):
            after = 0
            while True:
                if tracker.cancel_requested():
                    raise tracker.cancelled()
                with write.reading() as session:
                    scored = scorer.read_and_score(session.connection(), after, chunk)
                if scored is None:
                    return

                write.in_steps(
                    len(scored.ids),
                    partial(
                        _write_sqlite, scored=scored, scored_at=scored_at, rules=scorer.version
                    ),
                    sizer,
                )
                after = scored.ids[-1]
                tracker.chunk_written(len(scored.ids))


# PostgreSQL: one statement per chunk, the new values as arrays. Every column the queue
# reads is set at once (a second UPDATE would write every row version twice).
_PG_WRITE = text(
    "UPDATE lead SET score = v.score, priority = v.priority, call_zones = v.call_zones,"
    " scored_at = :scored_at, rules_version = :rules_version"
    " FROM unnest(CAST(:ids AS integer[]), CAST(:scores AS integer[]),"
    " CAST(:priorities AS double precision[]), CAST(:zones AS text[]),"
    " CAST(:versions AS integer[])) AS v(id, score, priority, call_zones, version)"
    " WHERE lead.id = v.id AND lead.version = v.version"
).bindparams(bindparam("scored_at", type_=UTCDateTime()))


def _rescore_postgresql(db: Database, scorer: _ChunkScorer, tracker: _Tracker, chunk: int) -> None:
    # Chunks written, oldest first, with their sizes. One more than there are writers, so
    # a writer that finishes finds the next chunk ready.
    pending: deque[tuple[Future[None], int]] = deque()

    def finish_oldest() -> None:
        future, leads = pending.popleft()
        future.result()
        tracker.chunk_written(leads)

    with ThreadPoolExecutor(RESCORE_WRITERS, thread_name_prefix="rescore-writer") as writers:
        try:
            after = 0
            while True:
                if tracker.cancel_requested():
                    while pending:
                        finish_oldest()
                    raise tracker.cancelled()
                with db.read() as session:
                    scored = scorer.read_and_score(session.connection(), after, chunk)
                if scored is None:
                    break
                future = writers.submit(_write_postgresql, db, scored, scorer)
                pending.append((future, len(scored.ids)))
                after = scored.ids[-1]
                while len(pending) > RESCORE_WRITERS:
                    finish_oldest()
            while pending:
                finish_oldest()
        except BaseException:
            for future, _ in pending:
                future.cancel()  # the ones not started; the others finish before we leave
            raise


def _write_postgresql(db: Database, scored: _ScoredChunk, scorer: _ChunkScorer) -> None:
    with db.write() as session:
        session.execute(
            _PG_WRITE,
            {
                "scored_at": scorer.now,
                "rules_version": scorer.version,
                "ids": scored.ids,
                "scores": scored.scores,
                "priorities": scored.priorities,
                "zones": scored.zones,
                "versions": scored.versions,
            },
        )
