"""Scores in the database: the versioned team rules, one lead's breakdown, bulk re-scoring.

Every lead stores its ``score`` and the queue's columns that follow from it and from its
contact data (``priority``, ``call_zones``, ``inbound``), plus the rules version and the time
they were computed. They are set when a lead is imported (:class:`LeadScorer`), when its
inputs change (:func:`rescore_lead`) and for every lead after a rule change
(:func:`rescore_all`, in short transactions so workstations keep claiming meanwhile).
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from itertools import repeat
from types import MappingProxyType
from typing import Any

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from teleprospect.core.audit import AuditKind
from teleprospect.core.call_zones import effective_call_zones, is_inbound
from teleprospect.core.errors import Cancelled
from teleprospect.core.permissions import Action
from teleprospect.core.queue_policy import PriorityWeights, stored_priority
from teleprospect.core.scoring.engine import (
    CompiledRules,
    ScoreBreakdown,
    ScoreInput,
    compile_rules,
)
from teleprospect.core.scoring.rules import ScoringRules, default_rules
from teleprospect.services.audit.record import record_audit
from teleprospect.services.errors import LeadNotFound
from teleprospect.services.identity.permissions import require_user
from teleprospect.services.settings.team_settings import PRIORITY_WEIGHTS, read_setting
from teleprospect.services.versions import publish_version
from teleprospect.store.bulk import sqlite_bulk_settings
from teleprospect.store.database import Database
from teleprospect.store.models import Campaign, EngagementEvent, Lead, LeadAnswer, ScoringRuleSet
from teleprospect.store.types import UTCDateTime, utcnow

__all__ = [
    "RESCORE_CHUNK",
    "ActiveRules",
    "LeadScorer",
    "RescoreCancelled",
    "RescoreSummary",
    "active_rules",
    "known_answers",
    "lead_score_input",
    "rescore_all",
    "rescore_lead",
    "rules_in_session",
    "save_rules",
    "seed_default_rules",
    "score_breakdown",
]

#: Leads per re-scoring transaction: long enough to amortise round trips, short enough
#: (a fraction of a second) that claims on other workstations barely wait for it.
RESCORE_CHUNK = 10_000
#: The version the shipped rules get when a database first stores them.
DEFAULT_VERSION = 1
_DEFAULT_NOTE = "rules shipped with Teleprospect"

ProgressCallback = Callable[[int, int], None]
CancelCheck = Callable[[], bool]


class RescoreCancelled(Cancelled):
    """Re-scoring stopped on request; the leads done so far keep their new scores (each
    lead records the rules version it was scored with)."""


@dataclass(frozen=True)
class ActiveRules:
    version: int
    rules: ScoringRules
    compiled: CompiledRules

    def __reduce__(self) -> tuple[Any, ...]:
        # Sent to import workers as the rules' data; compiled once there.
        return (_active_rules, (self.version, self.rules.to_dict()))


# Reading and compiling rules costs milliseconds; the same rules (by content) are read and
# compiled once per process, however often the queue asks for them.
_known: dict[str, tuple[ScoringRules, CompiledRules]] = {}


def _known_rules(data: Mapping[str, Any]) -> tuple[ScoringRules, CompiledRules]:
    key = json.dumps(data, sort_keys=True)
    known = _known.get(key)
    if known is None:
        if len(_known) > 16:
            _known.clear()
        rules = ScoringRules.from_dict(data)
        known = _known[key] = (rules, compile_rules(rules))
    return known


def _active_rules(version: int, data: Mapping[str, Any]) -> ActiveRules:
    return ActiveRules(version, *_known_rules(data))


def _compiled_for(rules: ScoringRules) -> CompiledRules:
    return _known_rules(rules.to_dict())[1]


def rules_in_session(session: Session) -> ActiveRules:
    """The rules in force (the highest version), read in the caller's transaction; the
    shipped defaults as version 1 when the team never stored any."""
    row = session.execute(
        select(ScoringRuleSet.version, ScoringRuleSet.rules)
        .order_by(ScoringRuleSet.version.desc())
        .limit(1)
    ).first()
    if row is None:
        rules, compiled = _known_rules(_default_data())
        return ActiveRules(DEFAULT_VERSION, rules, compiled)
    rules, compiled = _known_rules(row.rules)
    return ActiveRules(row.version, rules, compiled)


_defaults: list[dict[str, Any]] = []


def _default_data() -> dict[str, Any]:
    if not _defaults:
        _defaults.append(default_rules().to_dict())
    return _defaults[0]


def seed_default_rules(session: Session) -> bool:
    """Store the shipped rules as version 1 when the team never stored any (in the
    caller's transaction); whether it did."""
    if session.scalar(select(ScoringRuleSet.id).limit(1)) is not None:
        return False
    session.add(ScoringRuleSet(version=DEFAULT_VERSION, rules=_default_data(), note=_DEFAULT_NOTE))
    session.flush()
    return True


def active_rules(db: Database) -> ActiveRules:
    """The rules in force (the shipped ones, unsaved, when the team never stored any)."""
    with db.read() as session:
        return rules_in_session(session)


def save_rules(
    db: Database, rules: ScoringRules, user_id: int | None, note: str = ""
) -> ActiveRules:
    """Store ``rules`` as the new version in force (the old ones stay, as history),
    recorded in the audit trail.

    Scores change only when :func:`rescore_all` runs; the caller starts it (it takes a
    while on a big database, so it runs in the background with progress).
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
    return ActiveRules(version, rules, _compiled_for(rules))


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


# ----------------------------------------------------------------------------- one lead


def _score_input(
    lead: Lead,
    events: tuple[tuple[Any, datetime], ...],
    answers: Mapping[str, Any] | None = None,
) -> ScoreInput:
    return ScoreInput(
        title=lead.title,
        industry=lead.industry,
        company_size=lead.company_size,
        country=lead.country,
        email=lead.email,
        # A lead without any number has nothing to penalise.
        phone_valid=bool(lead.phone_valid) if lead.phone_raw or lead.phone_e164 else None,
        company=lead.company,
        events=events,
        answers=answers or {},
    )


def _events_of(session: Session, lead_id: int) -> tuple[tuple[Any, datetime], ...]:
    rows = session.execute(
        select(EngagementEvent.kind, EngagementEvent.occurred_at).where(
            EngagementEvent.lead_id == lead_id
        )
    ).all()
    return tuple(rows)


def known_answers(session: Session, lead_id: int) -> dict[str, Any]:
    """The lead's known script answers by question id, in their stored (JSON) form: what
    scoring reads (bool for yes/no, the choice value or values, numbers)."""
    return dict(
        session.execute(
            select(LeadAnswer.question_id, LeadAnswer.value).where(LeadAnswer.lead_id == lead_id)
        ).all()
    )


def lead_score_input(
    session: Session, lead: Lead, *, answers: Mapping[str, Any] | None = None
) -> ScoreInput:
    """What one lead is scored on: its contact data, its events and its script answers
    (``answers`` instead of the known ones, to score answers not stored yet)."""
    if answers is None:
        answers = known_answers(session, lead.id)
    return _score_input(lead, _events_of(session, lead.id), answers)


def score_breakdown(db: Database, lead_id: int, *, now: datetime | None = None) -> ScoreBreakdown:
    """The lead's score at ``now`` with every line that makes it up (the lines add up)."""
    now = now or utcnow()
    with db.read() as session:
        lead = session.get(Lead, lead_id)
        if lead is None:
            raise LeadNotFound(lead_id)
        rules = rules_in_session(session)
        return rules.compiled.score(lead_score_input(session, lead), now)


def rescore_lead(
    session: Session,
    lead: Lead,
    *,
    now: datetime | None = None,
    rules: ActiveRules | None = None,
    weights: PriorityWeights | None = None,
) -> int:
    """Recompute the lead's score and queue columns in the caller's transaction; call it
    whenever the lead's inputs change (contact data, events, an attempt). Returns the score."""
    now = now or utcnow()
    rules = rules or rules_in_session(session)
    weights = weights or read_setting(session, PRIORITY_WEIGHTS)
    session.flush()  # events added in this transaction count too
    score = rules.compiled.score_total_only(lead_score_input(session, lead), now)
    region, channel = None, None
    if lead.campaign_id is not None:
        row = session.execute(
            select(Campaign.default_region, Campaign.channel).where(Campaign.id == lead.campaign_id)
        ).first()
        if row is not None:
            region, channel = row
    lead.score = score
    lead.priority = stored_priority(
        score, lead.attempts or 0, lead.last_attempt_at or lead.created_at or now, weights
    )
    lead.call_zones = effective_call_zones(lead.phone_time_zones or "", region or lead.country)
    if channel is not None:
        lead.inbound = is_inbound(channel)
    lead.scored_at = now
    lead.rules_version = rules.version
    return score


class LeadScorer:
    """Scores new leads in bulk without a query per lead (for imports): the rules, the
    weights and the campaign are read once."""

    def __init__(
        self,
        rules: ActiveRules,
        weights: PriorityWeights,
        *,
        fallback_region: str | None,
        inbound: bool,
        now: datetime,
    ) -> None:
        self.rules = rules
        self.weights = weights
        self.fallback_region = fallback_region
        self.inbound = inbound
        self.now = now
        self._zones: dict[tuple[str, str | None], str] = {}

    @classmethod
    def for_import(
        cls, session: Session, campaign_id: int | None, region: str | None, now: datetime
    ) -> LeadScorer:
        channel = None
        if campaign_id is not None:
            row = session.execute(
                select(Campaign.default_region, Campaign.channel).where(Campaign.id == campaign_id)
            ).first()
            if row is not None:
                region = region or row.default_region
                channel = row.channel
        return cls(
            rules_in_session(session),
            read_setting(session, PRIORITY_WEIGHTS),
            fallback_region=region,
            inbound=is_inbound(channel),
            now=now,
        )

    def call_zones(self, phone_zones: str, fallback_region: str | None) -> str:
        key = (phone_zones, fallback_region)
        zones = self._zones.get(key)
        if zones is None:
            zones = self._zones[key] = effective_call_zones(phone_zones, fallback_region)
        return zones

    def queue_values(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """score, priority, call_zones, inbound, scored_at, rules_version for a new lead's
        column values (as given to an INSERT); it has no events nor attempts yet."""
        has_phone = bool(values.get("phone_raw") or values.get("phone_e164"))
        score = self.rules.compiled.score_total_only(
            ScoreInput(
                title=values.get("title") or "",
                industry=values.get("industry") or "",
                company_size=values.get("company_size"),
                country=values.get("country"),
                email=values.get("email"),
                phone_valid=bool(values.get("phone_valid")) if has_phone else None,
                company=values.get("company") or "",
            ),
            self.now,
        )
        created = values.get("created_at") or self.now
        return {
            "score": score,
            "priority": stored_priority(score, 0, created, self.weights),
            "call_zones": self.call_zones(
                values.get("phone_time_zones") or "", self.fallback_region or values.get("country")
            ),
            "inbound": self.inbound,
            "scored_at": self.now,
            "rules_version": self.rules.version,
        }


# ----------------------------------------------------------------------------- all leads

#: PostgreSQL: connections writing re-scored chunks at the same time. Writing is the
#: server's work (a lead with a new priority is a new row version with an entry in every
#: index of the lead table), and one connection keeps one server core busy. Two overlap
#: each other and the reading and scoring, and leave the rest of a shared server to the
#: people claiming leads meanwhile.
RESCORE_WRITERS = 2
#: SQLite, while re-scoring: page cache (KiB) and pages of write-ahead log between
#: checkpoints. Each chunk rewrites pages all over the priority index; with SQLite's
#: defaults (2 MB, 1,000 pages) every commit would copy most of that index back into the
#: file, with these only every few chunks.
_SQLITE_CACHE_KIB = 65_536
_SQLITE_CHECKPOINT_PAGES = 16_384

_NO_ANSWERS: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class RescoreSummary:
    leads: int
    #: Leads whose score changed.
    changed: int
    rules_version: int
    seconds: float

    def as_json(self) -> dict[str, Any]:
        return {
            "leads": self.leads,
            "changed": self.changed,
            "rules_version": self.rules_version,
            "seconds": round(self.seconds, 3),
        }


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

    SQLite reads, scores and writes each chunk in one write transaction. PostgreSQL reads
    and scores chunks in short read transactions while up to :data:`RESCORE_WRITERS`
    connections write the ones before, each chunk with one ``UPDATE … FROM unnest(…)``; a
    lead edited between its reading and its writing keeps what the edit stored (the edit
    re-scored it with :func:`rescore_lead`, from its new data).

    ``progress(done, total)`` after each chunk written; ``should_cancel()`` before each
    chunk is read (raises :class:`RescoreCancelled` once the chunks under way are written;
    the chunks done stay done). Both are called in the caller's thread.
    """
    if chunk < 1:
        raise ValueError(f"Re-scoring needs chunks of at least one lead, not {chunk}.")
    started = time.perf_counter()
    now = now or utcnow()
    rules = active_rules(db)
    with db.read() as session:
        weights = read_setting(session, PRIORITY_WEIGHTS)
        total = session.scalar(select(func.count(Lead.id))) or 0
        campaigns = dict(session.execute(select(Campaign.id, Campaign.default_region)).all())
    scorer = _ChunkScorer(rules, weights, campaigns, now)
    tracker = _Tracker(total, progress, should_cancel)
    tracker.report()
    if db.is_sqlite:
        _rescore_sqlite(db, scorer, tracker, chunk)
    else:
        _rescore_postgresql(db, scorer, tracker, chunk)
    return RescoreSummary(
        tracker.done, scorer.changed, rules.version, time.perf_counter() - started
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
    #: (new zones, id) of the leads whose zones changed.
    zone_changes: list[tuple[str, int]]


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
    ) -> None:
        self.version = rules.version
        self.now = now
        self.changed = 0
        self._score_of = rules.compiled.score_total_only
        self._penalty, self._per_day = weights.attempt_penalty, weights.untouched_per_day
        self._epoch_days = _epoch_days_function()
        self._campaigns = campaigns
        self._zones: dict[tuple[str, str | None], str] = {}

    def read_and_score(self, conn: Connection, after: int, n: int) -> _ScoredChunk | None:
        """The ``n`` leads after id ``after``, scored; None when there are none."""
        rows = conn.execute(_READ_LEADS, {"after": after, "n": n}).all()
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
        score_of, now, epoch_days = self._score_of, self.now, self._epoch_days
        penalty, per_day = self._penalty, self._per_day
        campaigns, zones_known = self._campaigns, self._zones
        scored = _ScoredChunk([], [], [], [], [], [])
        changed = 0
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
            phone_zones,
            old_zones,
            campaign_id,
            version,
        ) in rows:
            lead_events = events.get(lead_id)
            score = score_of(
                ScoreInput(
                    title or "",
                    industry or "",
                    size,
                    country,
                    email,
                    bool(valid) if raw or e164 else None,
                    company or "",
                    tuple(lead_events) if lead_events else (),
                    answers.get(lead_id, _NO_ANSWERS),
                ),
                now,
            )
            changed += score != old_score
            region = campaigns.get(campaign_id) or country
            key = (phone_zones or "", region)
            zones = zones_known.get(key)
            if zones is None:
                zones = zones_known[key] = effective_call_zones(*key)
            scored.ids.append(lead_id)
            scored.scores.append(score)
            scored.priorities.append(
                score - penalty * attempts - per_day * epoch_days(last_at or created)
            )
            scored.zones.append(zones)
            scored.versions.append(version)
            if zones != old_zones:
                scored.zone_changes.append((zones, lead_id))
        self.changed += changed
        return scored


# SQLite: one prepared statement run per lead is as fast there as any set-based form, and
# unlike PostgreSQL it touches only the indexes of the columns it sets, so the zones (and
# their index) are written only where they changed.
_SQLITE_WRITE_SCORES = (
    "UPDATE lead SET score = ?, priority = ?, scored_at = ?, rules_version = ? WHERE id = ?"
)
_SQLITE_WRITE_ZONES = "UPDATE lead SET call_zones = ? WHERE id = ?"


def _rescore_sqlite(db: Database, scorer: _ChunkScorer, tracker: _Tracker, chunk: int) -> None:
    with db.engine.connect() as conn:
        # The time as the column stores it, converted once rather than once per lead.
        bind = Lead.__table__.c.scored_at.type.dialect_impl(conn.dialect).bind_processor(
            conn.dialect
        )
        scored_at = bind(scorer.now) if bind else scorer.now
        with sqlite_bulk_settings(
            conn, cache_kib=_SQLITE_CACHE_KIB, checkpoint_pages=_SQLITE_CHECKPOINT_PAGES
        ):
            after = 0
            while True:
                if tracker.cancel_requested():
                    raise tracker.cancelled()
                with conn.begin():  # BEGIN IMMEDIATE: the chunk is read and written at once
                    scored = scorer.read_and_score(conn, after, chunk)
                    if scored is None:
                        return
                    conn.exec_driver_sql(
                        _SQLITE_WRITE_SCORES,
                        list(
                            zip(
                                scored.scores,
                                scored.priorities,
                                repeat(scored_at),
                                repeat(scorer.version),
                                scored.ids,
                                strict=False,
                            )
                        ),
                    )
                    if scored.zone_changes:
                        conn.exec_driver_sql(_SQLITE_WRITE_ZONES, scored.zone_changes)
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


def _epoch_days_function() -> Callable[[datetime], float]:
    """Days from the priority epoch, as stored_priority computes them (checked once)."""
    from teleprospect.core.queue_policy import PRIORITY_EPOCH

    def days(at: datetime) -> float:
        return (at - PRIORITY_EPOCH).total_seconds() / 86_400.0

    probe = datetime(2026, 1, 1, tzinfo=PRIORITY_EPOCH.tzinfo)
    assert stored_priority(0, 0, probe, PriorityWeights(0, 1)) == -days(probe)
    return days
