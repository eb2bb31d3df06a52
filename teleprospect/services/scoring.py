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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from teleprospect.core.call_zones import effective_call_zones, is_inbound
from teleprospect.core.queue_policy import PriorityWeights, stored_priority
from teleprospect.core.scoring import (
    CompiledRules,
    ScoreBreakdown,
    ScoreInput,
    ScoringRules,
    compile_rules,
    default_rules,
)
from teleprospect.services.team_settings import PRIORITY_WEIGHTS, read_setting
from teleprospect.store.database import Database
from teleprospect.store.models import Campaign, EngagementEvent, Lead, ScoringRuleSet
from teleprospect.store.types import utcnow

__all__ = [
    "RESCORE_CHUNK",
    "ActiveRules",
    "LeadNotFound",
    "LeadScorer",
    "RescoreCancelled",
    "RescoreSummary",
    "active_rules",
    "rescore_all",
    "rescore_lead",
    "rules_in_session",
    "save_rules",
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


class LeadNotFound(LookupError):
    def __init__(self, lead_id: int) -> None:
        super().__init__(f"There is no lead with id {lead_id}.")
        self.lead_id = lead_id


class RescoreCancelled(Exception):
    """Re-scoring stopped on request; the leads done so far keep their new scores (each
    lead records the rules version it was scored with)."""


@dataclass(frozen=True)
class ActiveRules:
    version: int
    rules: ScoringRules
    compiled: CompiledRules


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


def _seed(session: Session) -> None:
    if session.scalar(select(ScoringRuleSet.id).limit(1)) is None:
        session.add(
            ScoringRuleSet(version=DEFAULT_VERSION, rules=_default_data(), note=_DEFAULT_NOTE)
        )
        session.flush()


def active_rules(db: Database) -> ActiveRules:
    """The rules in force; stores the shipped defaults as version 1 the first time."""
    with db.read() as session:
        if session.scalar(select(ScoringRuleSet.id).limit(1)) is not None:
            return rules_in_session(session)
    try:
        with db.write() as session:
            _seed(session)
    except IntegrityError:
        pass  # another workstation stored them at the same moment: the same rules
    with db.read() as session:
        return rules_in_session(session)


def save_rules(
    db: Database, rules: ScoringRules, user_id: int | None, note: str = ""
) -> ActiveRules:
    """Store ``rules`` as the new version in force (the old ones stay, as history).

    Scores change only when :func:`rescore_all` runs; the caller starts it (it takes a
    while on a big database, so it runs in the background with progress).
    """
    data = rules.to_dict()
    ScoringRules.from_dict(data)  # what cannot be read back is never stored
    for attempt in range(2):
        try:
            with db.write() as session:
                _seed(session)
                latest = session.scalar(select(func.max(ScoringRuleSet.version))) or 0
                session.add(
                    ScoringRuleSet(version=latest + 1, rules=data, created_by_id=user_id, note=note)
                )
            return ActiveRules(latest + 1, rules, _compiled_for(rules))
        except IntegrityError:
            # PostgreSQL: someone saved a version at the same moment; number ours after it.
            if attempt:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


# ----------------------------------------------------------------------------- one lead


def _score_input(lead: Lead, events: tuple[tuple[Any, datetime], ...]) -> ScoreInput:
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
    )


def _events_of(session: Session, lead_id: int) -> tuple[tuple[Any, datetime], ...]:
    rows = session.execute(
        select(EngagementEvent.kind, EngagementEvent.occurred_at).where(
            EngagementEvent.lead_id == lead_id
        )
    ).all()
    return tuple(rows)


def score_breakdown(db: Database, lead_id: int, *, now: datetime | None = None) -> ScoreBreakdown:
    """The lead's score at ``now`` with every line that makes it up (the lines add up)."""
    now = now or utcnow()
    with db.read() as session:
        lead = session.get(Lead, lead_id)
        if lead is None:
            raise LeadNotFound(lead_id)
        rules = rules_in_session(session)
        return rules.compiled.score(_score_input(lead, _events_of(session, lead_id)), now)


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
    score = rules.compiled.score_total_only(_score_input(lead, _events_of(session, lead.id)), now)
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
    chunk: read the leads and their events, score, write score, priority and zones.

    ``progress(done, total)`` after each chunk; ``should_cancel()`` before each (raises
    :class:`RescoreCancelled`; the chunks done stay done).
    """
    started = time.perf_counter()
    now = now or utcnow()
    rules = active_rules(db)
    with db.read() as session:
        weights = read_setting(session, PRIORITY_WEIGHTS)
        total = session.scalar(select(func.count(Lead.id))) or 0
        campaigns = dict(session.execute(select(Campaign.id, Campaign.default_region)).all())
    score_of = rules.compiled.score_total_only
    lead, event = Lead.__table__.c, EngagementEvent.__table__.c
    read_leads = (
        select(
            lead.id,
            lead.title,
            lead.industry,
            lead.company_size,
            lead.country,
            lead.email,
            lead.phone_raw,
            lead.phone_e164,
            lead.phone_valid,
            lead.company,
            lead.attempts,
            lead.last_attempt_at,
            lead.created_at,
            lead.score,
            lead.phone_time_zones,
            lead.call_zones,
            lead.campaign_id,
        )
        .where(lead.id > bindparam("after"))
        .order_by(lead.id)
        .limit(bindparam("n"))
    )
    read_events = select(event.lead_id, event.kind, event.occurred_at).where(
        event.lead_id.between(bindparam("lo"), bindparam("hi"))
    )
    # Setting updated_at to itself: a re-score is no edit of the lead (no onupdate stamp).
    write_scores = (
        update(Lead.__table__)
        .where(lead.id == bindparam("b_id"))
        .values(
            score=bindparam("b_score"),
            priority=bindparam("b_priority"),
            scored_at=bindparam("b_at"),
            rules_version=bindparam("b_version"),
            updated_at=lead.updated_at,
        )
    )
    write_zones = (
        update(Lead.__table__)
        .where(lead.id == bindparam("b_id"))
        .values(call_zones=bindparam("b_zones"), updated_at=lead.updated_at)
    )
    zones_cache: dict[tuple[str, str | None], str] = {}
    epoch_days = _epoch_days_function()
    penalty, per_day = weights.attempt_penalty, weights.untouched_per_day
    done = changed = 0
    after = 0
    if progress:
        progress(0, total)
    while True:
        if should_cancel and should_cancel():
            raise RescoreCancelled(
                f"Re-scoring was cancelled after {done:,} of {total:,} leads; those keep"
                " their new scores."
            )
        with db.write() as session:
            conn = session.connection()
            rows = conn.execute(read_leads, {"after": after, "n": chunk}).all()
            if not rows:
                break
            events: dict[int, list[tuple[Any, datetime]]] = {}
            for lead_id, kind, at in conn.execute(
                read_events, {"lo": rows[0][0], "hi": rows[-1][0]}
            ):
                events.setdefault(lead_id, []).append((kind, at))
            scores: list[dict[str, Any]] = []
            zone_changes: list[dict[str, Any]] = []
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
                    ),
                    now,
                )
                changed += score != old_score
                touch = last_at or created
                scores.append(
                    {
                        "b_id": lead_id,
                        "b_score": score,
                        "b_priority": score - penalty * attempts - per_day * epoch_days(touch),
                        "b_at": now,
                        "b_version": rules.version,
                    }
                )
                region = campaigns.get(campaign_id) or country
                key = (phone_zones, region)
                zones = zones_cache.get(key)
                if zones is None:
                    zones = zones_cache[key] = effective_call_zones(phone_zones or "", region)
                if zones != old_zones:
                    zone_changes.append({"b_id": lead_id, "b_zones": zones})
            conn.execute(write_scores, scores)
            if zone_changes:
                conn.execute(write_zones, zone_changes)
        after = rows[-1][0]
        done += len(rows)
        if progress:
            progress(done, total)
    return RescoreSummary(done, changed, rules.version, time.perf_counter() - started)


def _epoch_days_function() -> Callable[[datetime], float]:
    """Days from the priority epoch, as stored_priority computes them (checked once)."""
    from teleprospect.core.queue_policy import PRIORITY_EPOCH

    def days(at: datetime) -> float:
        return (at - PRIORITY_EPOCH).total_seconds() / 86_400.0

    probe = datetime(2026, 1, 1, tzinfo=PRIORITY_EPOCH.tzinfo)
    assert stored_priority(0, 0, probe, PriorityWeights(0, 1)) == -days(probe)
    return days
