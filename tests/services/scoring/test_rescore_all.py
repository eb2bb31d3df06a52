"""Re-scoring every lead: what it writes, in chunks, with progress, cancel and concurrent
edits (its write path differs per backend, so every test runs on both)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from teleprospect.core.call_zones import effective_call_zones
from teleprospect.core.domain import EngagementKind
from teleprospect.core.phones import parse_phone
from teleprospect.core.queue_policy import stored_priority
from teleprospect.core.scoring.rules import KeywordRule
from teleprospect.services.database import upgrade_database
from teleprospect.services.scoring import rescore as scoring
from teleprospect.services.scoring.rescore import (
    RescoreCancelled,
    refresh_scores,
    rescore_all,
    save_rules,
)
from teleprospect.services.scoring.scores import active_rules, rescore_lead, score_breakdown
from teleprospect.store.database import Database
from teleprospect.store.models import Campaign, EngagementEvent, Lead, LeadAnswer

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
CREATED = NOW - timedelta(days=20)
# What phonenumbers says of a US toll-free number: every zone of +1 (42 of them).
US_TOLL_FREE_ZONES = " ".join(parse_phone("+1 800 642 7676", "US").time_zones)


def add_leads(db: Database) -> list[int]:
    """Seven leads that differ in everything re-scoring reads."""
    with db.write() as s:
        us = Campaign(name="Expo US", channel="trade_show", default_region="US")
        s.add(us)
        s.flush()
        common = {"created_at": CREATED, "updated_at": CREATED}
        leads = [
            Lead(first_name="Vera", title="VP Sales", company="Big Inc", company_size=800,
                 country="US", email="vera@big.example", phone_raw="(312) 555-0100",
                 phone_e164="+13125550100", phone_valid=True,
                 phone_time_zones="America/Chicago", campaign_id=us.id, **common),
            Lead(first_name="Tia", title="Director IT", company="Callme Inc", country="US",
                 phone_raw="+1 800 642 7676", phone_e164="+18006427676", phone_valid=True,
                 phone_type="toll_free", phone_time_zones=US_TOLL_FREE_ZONES,
                 call_zones=US_TOLL_FREE_ZONES, campaign_id=us.id, **common),
            Lead(first_name="Sam", title="Student", email="sam@gmail.com", **common),
            Lead(first_name="Otto", title="CEO", company="Otto AG", country="DE",
                 phone_raw="12", phone_valid=False, attempts=2,
                 last_attempt_at=NOW - timedelta(days=2), **common),
            Lead(first_name="Ana", title="Head of Sales", company="Ana SA", country="ES",
                 company_size=40, **common),
            Lead(first_name="Bo", title="Engineer", company="Bo AB", country="SE",
                 phone_time_zones="Europe/Stockholm", phone_valid=True, phone_raw="08 1",
                 attempts=1, last_attempt_at=NOW - timedelta(hours=3), **common),
            Lead(first_name="Cy", title="Buyer", company="Cy Ltd", country="GB", **common),
        ]  # fmt: skip
        s.add_all(leads)
        s.flush()
        s.add_all(
            [
                EngagementEvent(
                    lead_id=leads[0].id,
                    kind=EngagementKind.WEBINAR_ATTENDED,
                    occurred_at=NOW - timedelta(days=3),
                ),
                EngagementEvent(
                    lead_id=leads[4].id,
                    kind=EngagementKind.WEBINAR_ATTENDED,
                    occurred_at=NOW - timedelta(days=1),
                ),
                LeadAnswer(lead_id=leads[0].id, question_id="budget", value=True),
                LeadAnswer(lead_id=leads[6].id, question_id="need", value=False),
            ]
        )
        return [lead.id for lead in leads]


def vps_matter_more(db: Database, **rescoring) -> int:
    rules = active_rules(db).rules
    vp = (KeywordRule("VP-level", ("vp",), 45),)
    return save_rules(
        db, replace(rules, fit=replace(rules.fit, seniority=vp)), None, now=NOW, **rescoring
    ).version


def published_but_not_rescored(db: Database) -> int:
    """New rules in force while every lead keeps its score by the older ones: what a
    workstation that stopped re-scoring (or went away) leaves behind."""
    with pytest.raises(RescoreCancelled, match="after 0 of"):
        vps_matter_more(db, should_cancel=lambda: True)
    return active_rules(db).version


@pytest.mark.parametrize("chunk", [3, 1000])
def test_every_lead_gets_what_scoring_one_lead_computes(db: Database, chunk: int) -> None:
    ids = add_leads(db)
    version = vps_matter_more(db)
    summary = rescore_all(db, now=NOW, chunk=chunk)
    assert (summary.leads, summary.rules_version) == (7, version)
    with db.read() as s:
        regions = dict(s.execute(select(Campaign.id, Campaign.default_region)).all())
        leads = {lead.id: lead for lead in s.scalars(select(Lead))}
    for lead_id in ids:
        lead = leads[lead_id]
        expected = score_breakdown(db, lead_id, now=NOW).total
        assert lead.score == expected, lead.first_name
        touch = lead.last_attempt_at or lead.created_at
        assert lead.priority == stored_priority(expected, lead.attempts, touch)
        region = regions.get(lead.campaign_id) or lead.country
        assert lead.call_zones == effective_call_zones(lead.phone_time_zones, region)
        assert (lead.scored_at, lead.rules_version) == (NOW, version)
        # A re-score is no edit: no new version, no new "updated" time.
        assert (lead.version, lead.updated_at) == (1, CREATED)
    vera, tia, sam = (leads[i] for i in ids[:3])
    assert vera.call_zones == "America/Chicago"
    assert tia.call_zones == "America/New_York"  # a toll-free number: the country's main zone
    assert sam.call_zones == ""  # no number, no country: unknown local time
    # The answers count: Vera said she has a budget.
    assert any("Budget" in line.reason for line in score_breakdown(db, ids[0], now=NOW).lines)


def test_progress_after_each_chunk_and_cancel_keeps_the_chunks_done(db: Database) -> None:
    ids = add_leads(db)
    seen: list[tuple[int, int]] = []
    rescore_all(db, now=NOW, chunk=3, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(0, 7), (3, 7), (6, 7), (7, 7)]

    version = published_but_not_rescored(db)
    asked: list[int] = []

    def cancel_before_the_second_chunk() -> bool:
        asked.append(1)
        return len(asked) > 1

    with pytest.raises(RescoreCancelled, match="after 3 of 7 leads"):
        rescore_all(db, now=NOW, chunk=3, should_cancel=cancel_before_the_second_chunk)
    with db.read() as s:
        versions = dict(s.execute(select(Lead.id, Lead.rules_version)).all())
    assert [versions[i] for i in ids] == [version] * 3 + [version - 1] * 4


def test_publishing_rules_rescores_every_lead(db: Database) -> None:
    ids = add_leads(db)
    rescore_all(db, now=NOW)
    seen: list[tuple[int, int]] = []
    version = vps_matter_more(db, progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 7) and seen[-1] == (7, 7)
    with db.read() as s:
        leads = {lead.id: lead for lead in s.scalars(select(Lead))}
    assert {leads[i].rules_version for i in ids} == {version}
    for lead_id in ids:
        assert leads[lead_id].score == score_breakdown(db, lead_id, now=NOW).total
    assert any("VP-level" in line.reason for line in score_breakdown(db, ids[0]).lines)


def test_refreshing_scores_finishes_a_stopped_rescore_and_ages_engagement(db: Database) -> None:
    ids = add_leads(db)
    rescore_all(db, now=NOW)
    # Later the same day nothing is out of date: nothing is read twice, nothing written.
    same_day = refresh_scores(db, now=NOW + timedelta(hours=8))
    assert (same_day.leads, same_day.changed) == (0, 0)
    version = published_but_not_rescored(db)
    refreshed = refresh_scores(db, now=NOW)
    assert refreshed.leads == 7 and refreshed.rules_version == version
    with db.read() as s:
        assert set(s.scalars(select(Lead.rules_version))) == {version}
    # A day later only the leads with engagement (Vera, Ana) may have aged.
    next_day = refresh_scores(db, now=NOW + timedelta(days=1))
    assert next_day.leads == 2
    with db.read() as s:
        aged = {lead.id: lead for lead in s.scalars(select(Lead).where(Lead.id.in_(ids)))}
    assert aged[ids[0]].scored_at == NOW + timedelta(days=1)
    assert aged[ids[2]].scored_at == NOW
    assert aged[ids[0]].score == score_breakdown(db, ids[0], now=NOW + timedelta(days=1)).total


def test_a_chunk_needs_at_least_one_lead(db: Database) -> None:
    with pytest.raises(ValueError, match="at least one lead"):
        rescore_all(db, now=NOW, chunk=0)


def test_a_lead_edited_during_the_rescore_keeps_its_edit(pg_url: str, monkeypatch) -> None:
    """PostgreSQL writes a chunk in another transaction than the one that read it; a lead
    edited in between (and re-scored by that edit) is not overwritten with values computed
    from its old data. On SQLite the chunk is read and written under one write lock, so no
    edit can come in between."""
    db = Database(pg_url)
    upgrade_database(db)
    try:
        vera, *_ = add_leads(db)
        read_and_score = scoring._ChunkScorer.read_and_score

        def read_then_someone_edits(self, conn, after, n):  # noqa: ANN001, ANN202
            scored = read_and_score(self, conn, after, n)
            if after == 0:
                with db.write() as s:
                    lead = s.get(Lead, vera)
                    assert lead is not None
                    lead.title = "Student"
                    rescore_lead(s, lead, now=NOW)
            return scored

        monkeypatch.setattr(scoring._ChunkScorer, "read_and_score", read_then_someone_edits)
        rescore_all(db, now=NOW, chunk=3)
        with db.read() as s:
            lead = s.get(Lead, vera)
            assert lead is not None
            others = s.scalars(select(Lead).where(Lead.id != vera)).all()
        assert lead.title == "Student" and lead.version > 1
        assert lead.score == score_breakdown(db, vera, now=NOW).total
        assert all(other.scored_at == NOW for other in others)
    finally:
        db.dispose()
