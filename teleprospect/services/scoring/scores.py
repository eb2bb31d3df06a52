"""Scores in the database: the versioned team rules, one lead's score and breakdown, and new
leads scored in bulk.

Every lead stores its ``score`` and the queue's columns that follow from it and from its
contact data (``priority``, ``call_zones``, ``inbound``), plus the rules version and the time
they were computed. They always equal what the rules in force give for the lead's data
today: new leads are scored as they are written (:class:`LeadScorer`: imports, demo data),
a lead is re-scored in the transaction that changes its inputs (:func:`rescore_lead`: a
call, answers, engagement, a decision, contact fields), and every lead when rules are
published or a day begins (:mod:`teleprospect.services.scoring.rescore`). Every screen
and command reads the stored score; its grade is the rules' grade for it
(:func:`grade_of`), and its breakdown is computed as of the time it was stored
(:func:`stored_breakdown`), so the lines add up to the number shown next to them.

What a lead is scored on is read from its columns by one function
(:func:`score_input`), whichever path scores it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from teleprospect.core.call_zones import effective_call_zones, is_inbound
from teleprospect.core.queue_policy import PriorityWeights, stored_priority
from teleprospect.core.scoring.engine import (
    CompiledRules,
    ScoreBreakdown,
    ScoreInput,
    compile_rules,
)
from teleprospect.core.scoring.rules import GradeBand, ScoringRules, default_rules
from teleprospect.services.errors import LeadNotFound
from teleprospect.services.settings.team_settings import PRIORITY_WEIGHTS, read_setting
from teleprospect.store.database import Database
from teleprospect.store.models import Campaign, EngagementEvent, Lead, LeadAnswer, ScoringRuleSet
from teleprospect.store.types import utcnow

__all__ = [
    "ActiveRules",
    "LeadScorer",
    "active_rules",
    "fallback_region",
    "grade_of",
    "known_answers",
    "lead_input",
    "lead_score_input",
    "rescore_lead",
    "rules_in_session",
    "score_breakdown",
    "score_input",
    "seed_default_rules",
    "stored_breakdown",
]

#: The version the shipped rules get when a database first stores them.
DEFAULT_VERSION = 1
_DEFAULT_NOTE = "rules shipped with Teleprospect"

_NO_ANSWERS: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class ActiveRules:
    version: int
    rules: ScoringRules
    compiled: CompiledRules

    def __reduce__(self) -> tuple[Any, ...]:
        # Sent to import workers as the rules' data; compiled once there.
        return (_active_rules, (self.version, self.rules.to_dict()))

    def grade_of(self, score: int) -> GradeBand:
        """The grade of ``score`` by these rules: the one place a grade comes from."""
        return self.rules.thresholds.grade_for(score)


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


def compiled_for(rules: ScoringRules) -> CompiledRules:
    """``rules`` compiled, once per process for the same rules."""
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


def grade_of(session: Session, score: int) -> GradeBand:
    """The grade of ``score`` by the rules in force (see :meth:`ActiveRules.grade_of`)."""
    return rules_in_session(session).grade_of(score)


# ----------------------------------------------------------------------------- one lead


def score_input(
    values: Mapping[str, Any],
    events: Iterable[tuple[Any, datetime]] = (),
    answers: Mapping[str, Any] | None = None,
) -> ScoreInput:
    """What a lead is scored on, from its column values (as stored, or as about to be
    inserted), its engagement events (kind, when) and its known answers (stored form)."""
    get = values.get
    return lead_input(
        get("title"),
        get("industry"),
        get("company_size"),
        get("country"),
        get("email"),
        get("phone_raw"),
        get("phone_e164"),
        get("phone_valid"),
        get("company"),
        events,
        answers,
    )


def lead_input(
    title: str | None,
    industry: str | None,
    company_size: int | None,
    country: str | None,
    email: str | None,
    phone_raw: str | None,
    phone_e164: str | None,
    phone_valid: bool | None,
    company: str | None,
    events: Iterable[tuple[Any, datetime]] = (),
    answers: Mapping[str, Any] | None = None,
) -> ScoreInput:
    """:func:`score_input` from the columns one by one, for bulk readers of rows."""
    return ScoreInput(
        title or "",
        industry or "",
        company_size,
        country,
        email,
        # A lead without any number has nothing to penalise.
        bool(phone_valid) if phone_raw or phone_e164 else None,
        company or "",
        tuple(events),
        answers if answers is not None else _NO_ANSWERS,
    )


def fallback_region(campaign_region: str | None, country: str | None) -> str | None:
    """The country a lead is called in when its number says nothing: the campaign's
    default region, else the lead's own country."""
    return campaign_region or country


#: The lead columns :func:`score_input` and the queue columns are computed from.
SCORED_COLUMNS = (
    "title",
    "industry",
    "company_size",
    "country",
    "email",
    "phone_raw",
    "phone_e164",
    "phone_valid",
    "company",
)


def _lead_values(lead: Lead) -> dict[str, Any]:
    return {name: getattr(lead, name) for name in SCORED_COLUMNS}


def _events_of(session: Session, lead_id: int) -> tuple[tuple[Any, datetime], ...]:
    rows = session.execute(
        select(EngagementEvent.kind, EngagementEvent.occurred_at).where(
            EngagementEvent.lead_id == lead_id
        )
    ).all()
    return tuple((kind, at) for kind, at in rows)


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
    return score_input(_lead_values(lead), _events_of(session, lead.id), answers)


def stored_breakdown(
    session: Session, lead: Lead, rules: ActiveRules | None = None
) -> ScoreBreakdown:
    """The breakdown of the lead's stored score: its data scored as of the time the score
    was stored, so the lines add up to the stored score (engagement ages by the day)."""
    rules = rules or rules_in_session(session)
    return rules.compiled.score(lead_score_input(session, lead), lead.scored_at or utcnow())


def score_breakdown(db: Database, lead_id: int, *, now: datetime | None = None) -> ScoreBreakdown:
    """The lead's score with every line that makes it up (the lines add up): as stored
    (``now`` None, see :func:`stored_breakdown`), or as scoring it at ``now`` gives."""
    with db.read() as session:
        lead = session.get(Lead, lead_id)
        if lead is None:
            raise LeadNotFound(lead_id)
        rules = rules_in_session(session)
        if now is None:
            return stored_breakdown(session, lead, rules)
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
    whenever the lead's inputs change (contact data, events, answers, an attempt, a
    decision). Returns the score."""
    now = now or utcnow()
    rules = rules or rules_in_session(session)
    weights = weights or read_setting(session, PRIORITY_WEIGHTS)
    session.flush()  # events and answers added in this transaction count too
    score = rules.compiled.score_total_only(lead_score_input(session, lead), now)
    region, channel, counts_as_inbound = None, None, None
    if lead.campaign_id is not None:
        row = session.execute(
            select(Campaign.default_region, Campaign.channel, Campaign.counts_as_inbound).where(
                Campaign.id == lead.campaign_id
            )
        ).first()
        if row is not None:
            region, channel, counts_as_inbound = row
    _store_score(
        lead, score, region, channel, counts_as_inbound, now=now, rules=rules, weights=weights
    )
    return score


def rescore_leads(
    session: Session,
    leads: Sequence[Lead],
    *,
    now: datetime,
    rules: ActiveRules,
    weights: PriorityWeights,
) -> None:
    """:func:`rescore_lead` for many leads at once: their events, answers and campaigns
    read in one query each (an "update" import fills in thousands of leads)."""
    if not leads:
        return
    session.flush()
    ids = list({lead.id for lead in leads})
    events: dict[int, list[tuple[Any, datetime]]] = {}
    answers: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), _IDS_PER_QUERY):
        part = ids[start : start + _IDS_PER_QUERY]
        for lead_id, kind, at in session.execute(
            select(
                EngagementEvent.lead_id, EngagementEvent.kind, EngagementEvent.occurred_at
            ).where(EngagementEvent.lead_id.in_(part))
        ):
            events.setdefault(lead_id, []).append((kind, at))
        for lead_id, question, value in session.execute(
            select(LeadAnswer.lead_id, LeadAnswer.question_id, LeadAnswer.value).where(
                LeadAnswer.lead_id.in_(part)
            )
        ):
            answers.setdefault(lead_id, {})[question] = value
    campaigns: dict[int, tuple[Any, Any, Any]] = {}
    campaign_ids = {lead.campaign_id for lead in leads if lead.campaign_id is not None}
    if campaign_ids:
        for campaign_id, region, channel, counts_as_inbound in session.execute(
            select(
                Campaign.id, Campaign.default_region, Campaign.channel, Campaign.counts_as_inbound
            ).where(Campaign.id.in_(campaign_ids))
        ):
            campaigns[campaign_id] = (region, channel, counts_as_inbound)
    for lead in leads:
        facts = score_input(
            _lead_values(lead), tuple(events.get(lead.id, ())), answers.get(lead.id, {})
        )
        score = rules.compiled.score_total_only(facts, now)
        region, channel, counts_as_inbound = campaigns.get(
            lead.campaign_id or 0, (None, None, None)
        )
        _store_score(
            lead, score, region, channel, counts_as_inbound, now=now, rules=rules, weights=weights
        )


#: Lead ids one query of :func:`rescore_leads` asks about (within every database's limit).
_IDS_PER_QUERY = 5_000


def _store_score(
    lead: Lead,
    score: int,
    region: Any,
    channel: Any,
    counts_as_inbound: Any,
    *,
    now: datetime,
    rules: ActiveRules,
    weights: PriorityWeights,
) -> None:
    lead.score = score
    lead.priority = stored_priority(
        score, lead.attempts or 0, lead.last_attempt_at or lead.created_at or now, weights
    )
    lead.call_zones = effective_call_zones(
        lead.phone_time_zones or "", fallback_region(region, lead.country)
    )
    if channel is not None:
        lead.inbound = is_inbound(channel, counts_as_inbound)
    lead.scored_at = now
    lead.rules_version = rules.version


# ----------------------------------------------------------------------------- new leads


@dataclass(frozen=True)
class _CampaignFacts:
    region: str | None
    inbound: bool


class LeadScorer:
    """Scores leads about to be inserted, in bulk, without a query per lead (imports,
    demo data): the rules, the weights and the campaigns are read once. It gives a lead
    the same values :func:`rescore_lead` would once it is stored."""

    def __init__(
        self,
        rules: ActiveRules,
        weights: PriorityWeights,
        campaigns: Mapping[int, tuple[str | None, bool]],
        *,
        now: datetime,
        campaign_id: int | None = None,
    ) -> None:
        self.rules = rules
        self.weights = weights
        self.now = now
        #: The campaign of leads whose values name none (an import's).
        self.campaign_id = campaign_id
        self._campaigns = {
            key: _CampaignFacts(region, inbound) for key, (region, inbound) in campaigns.items()
        }
        self._zones: dict[tuple[str, str | None], str] = {}

    @classmethod
    def in_session(
        cls, session: Session, now: datetime, *, campaign_id: int | None = None
    ) -> LeadScorer:
        """A scorer with the rules, weights and campaigns as the caller's transaction
        sees them; ``campaign_id``: the campaign of leads whose values name none."""
        campaigns = {
            row.id: (row.default_region, is_inbound(row.channel, row.counts_as_inbound))
            for row in session.execute(
                select(
                    Campaign.id,
                    Campaign.default_region,
                    Campaign.channel,
                    Campaign.counts_as_inbound,
                )
            )
        }
        return cls(
            rules_in_session(session),
            read_setting(session, PRIORITY_WEIGHTS),
            campaigns,
            now=now,
            campaign_id=campaign_id,
        )

    @property
    def inbound(self) -> bool:
        """Whether leads of :attr:`campaign_id` are inbound."""
        facts = self._campaigns.get(self.campaign_id) if self.campaign_id is not None else None
        return facts.inbound if facts is not None else False

    def call_zones(self, phone_zones: str, fallback: str | None) -> str:
        key = (phone_zones, fallback)
        zones = self._zones.get(key)
        if zones is None:
            zones = self._zones[key] = effective_call_zones(phone_zones, fallback)
        return zones

    def queue_values(
        self,
        values: Mapping[str, Any],
        *,
        events: Iterable[tuple[Any, datetime]] = (),
        answers: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """score, priority, call_zones, inbound, scored_at and rules_version of a lead's
        column values (as given to an INSERT), with its engagement events and known
        answers; its attempts and last attempt are read from ``values`` (none: a new
        lead never called)."""
        score = self.rules.compiled.score_total_only(score_input(values, events, answers), self.now)
        campaign_id = values.get("campaign_id", self.campaign_id)
        facts = self._campaigns.get(campaign_id) if campaign_id is not None else None
        region = facts.region if facts is not None else None
        last_touch = values.get("last_attempt_at") or values.get("created_at") or self.now
        return {
            "score": score,
            "priority": stored_priority(
                score, values.get("attempts") or 0, last_touch, self.weights
            ),
            "call_zones": self.call_zones(
                values.get("phone_time_zones") or "", fallback_region(region, values.get("country"))
            ),
            "inbound": facts.inbound if facts is not None else bool(values.get("inbound")),
            "scored_at": self.now,
            "rules_version": self.rules.version,
        }
