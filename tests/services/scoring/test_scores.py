"""Scores in the database: versioned rules, breakdowns that add up, re-scoring."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from teleprospect.core.domain import EngagementKind
from teleprospect.core.queue_policy import stored_priority
from teleprospect.core.scoring.rules import KeywordRule
from teleprospect.services.scoring.rescore import rescore_all, save_rules
from teleprospect.services.scoring.scores import active_rules, rescore_lead, score_breakdown
from teleprospect.store.database import Database
from teleprospect.store.models import Campaign, EngagementEvent, Lead, ScoringRuleSet

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def _leads(db: Database) -> list[int]:
    with db.write() as s:
        campaign = Campaign(name="Expo", channel="trade_show", default_region="DE")
        s.add(campaign)
        s.flush()
        leads = [
            Lead(first_name="Vera", title="VP Sales", company="Big AG", company_size=800,
                 country="DE", email="vera@big.de", phone_raw="030 1", phone_valid=True,
                 campaign_id=campaign.id, created_at=NOW - timedelta(days=5)),
            Lead(first_name="Sam", title="Student", email="sam@gmail.com",
                 campaign_id=campaign.id, created_at=NOW - timedelta(days=5)),
        ]  # fmt: skip
        s.add_all(leads)
        s.flush()
        s.add(
            EngagementEvent(
                lead_id=leads[0].id,
                kind=EngagementKind.WEBINAR_ATTENDED,
                occurred_at=NOW - timedelta(days=3),
            )
        )
        return [lead.id for lead in leads]


def test_rules_are_seeded_once_then_versioned(db: Database) -> None:
    first = active_rules(db)
    assert first.version == 1
    assert active_rules(db).version == 1
    changed = replace(
        first.rules,
        fit=replace(first.rules.fit, seniority=(KeywordRule("VP-level", ("vp",), 40),)),
    )
    saved = save_rules(db, changed, None, "VPs matter more")
    assert saved.version == 2 and active_rules(db).version == 2
    with db.read() as s:
        assert s.scalars(select(ScoringRuleSet.note).order_by(ScoringRuleSet.version)).all() == [
            "rules shipped with Teleprospect",
            "VPs matter more",
        ]


def test_rescore_follows_a_rule_change_and_breakdowns_add_up(db: Database) -> None:
    vera, sam = _leads(db)
    summary = rescore_all(db, now=NOW, chunk=1)
    assert summary.leads == 2 and summary.rules_version == 1
    with db.read() as s:
        before = s.get(Lead, vera)
        assert before is not None
        assert before.call_zones == "Europe/Berlin"  # from the campaign's country
        assert before.priority == stored_priority(before.score, 0, before.created_at)
    breakdown = score_breakdown(db, vera, now=NOW)
    assert breakdown.total == before.score
    assert sum(line.points for line in breakdown.lines) == breakdown.total
    assert any("webinar" in line.reason for line in breakdown.lines)

    rules = active_rules(db).rules
    save_rules(
        db,
        replace(rules, fit=replace(rules.fit, seniority=(KeywordRule("VP-level", ("vp",), 45),))),
        None,
    )
    seen: list[tuple[int, int]] = []
    summary = rescore_all(db, now=NOW, progress=lambda d, t: seen.append((d, t)))
    assert summary.rules_version == 2 and summary.changed >= 1
    assert seen[0] == (0, 2) and seen[-1] == (2, 2)
    with db.read() as s:
        after = s.get(Lead, vera)
        assert after is not None and after.score > before.score and after.rules_version == 2
    again = score_breakdown(db, vera, now=NOW)
    assert again.total == after.score
    assert sum(line.points for line in again.lines) == again.total
    assert any(line.text.startswith("+45 VP-level") for line in again.lines)


def test_rescore_lead_sets_the_queue_columns(db: Database) -> None:
    vera, _ = _leads(db)
    with db.write() as s:
        lead = s.get(Lead, vera)
        assert lead is not None
        lead.attempts, lead.last_attempt_at = 2, NOW - timedelta(days=1)
        score = rescore_lead(s, lead, now=NOW)
        assert lead.priority == stored_priority(score, 2, NOW - timedelta(days=1))
        assert lead.scored_at == NOW and lead.rules_version == 1
