"""Shared set-up for the call-workspace service tests: users, a campaign, leads, claims."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from teleprospect.core.domain import CampaignChannel
from teleprospect.services.queue.claims import claim_next, open_lead
from teleprospect.services.scoring.scores import rescore_lead
from teleprospect.store.database import Database
from teleprospect.store.models import (
    Call,
    CallAnswer,
    CallbackEntry,
    Campaign,
    DoNotCallEntry,
    Lead,
    LeadAnswer,
    LeadHistory,
    NurtureEnrollment,
    User,
)

# Wednesday 25 November 2026, 15:00 UTC: 16:00 in Berlin, inside 09:00–17:00.
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
BERLIN = "Europe/Berlin"


def add_users(db: Database) -> tuple[int, int]:
    with db.write() as s:
        one, two = User(login="rep.one", name="Rep One"), User(login="rep.two", name="Rep Two")
        s.add_all([one, two])
        s.flush()
        return one.id, two.id


def add_campaign(db: Database) -> int:
    with db.write() as s:
        campaign = Campaign(
            name="Industrie-Forum",
            channel=CampaignChannel.TRADE_SHOW,
            offer="Asked about predictive maintenance at our stand.",
            default_region="DE",
        )
        s.add(campaign)
        s.flush()
        return campaign.id


def add_lead(db: Database, campaign_id: int | None = None, **fields: Any) -> int:
    """A German CTO at a big software company: fit 60 points, 15 short of sales-ready."""
    values: dict[str, Any] = {
        "first_name": "Lena",
        "last_name": "Vogel",
        "title": "CTO",
        "company": "Vogel Software GmbH",
        "industry": "Software",
        "company_size": 1500,
        "country": "DE",
        "email": "lena.vogel@vogel.de",
        "phone_raw": "030 901820",
        "phone_e164": "+4930901820",
        "phone_valid": True,
        "phone_type": "fixed_line",
        "phone_time_zones": BERLIN,
        "campaign_id": campaign_id,
        "created_at": NOW - timedelta(days=3),
        "updated_at": NOW - timedelta(days=3),
    }
    values.update(fields)
    with db.write() as s:
        lead = Lead(**values)
        s.add(lead)
        s.flush()
        rescore_lead(s, lead, now=NOW)
        return lead.id


def claim(db: Database, lead_id: int, user_id: int, now: datetime = NOW) -> None:
    opened = open_lead(db, lead_id, user_id, now=now)
    assert not opened.read_only, f"lead {lead_id} is held by {opened.holder_name}"


def lead(db: Database, lead_id: int) -> Lead:
    with db.read() as s:
        found = s.get(Lead, lead_id)
        assert found is not None
        return found


def counts(db: Database) -> dict[str, int]:
    """Rows of every table a call may write: equal before and after means nothing written."""
    with db.read() as s:
        return {
            model.__name__: s.scalar(select(func.count()).select_from(model)) or 0
            for model in (
                Call,
                CallAnswer,
                LeadAnswer,
                LeadHistory,
                CallbackEntry,
                NurtureEnrollment,
                DoNotCallEntry,
            )
        }


def history(db: Database, lead_id: int) -> list[tuple[str, str | None, str | None, str]]:
    with db.read() as s:
        return [
            (row.kind.value, row.from_value, row.to_value, row.reason)
            for row in s.scalars(
                select(LeadHistory)
                .where(LeadHistory.lead_id == lead_id)
                .order_by(LeadHistory.at, LeadHistory.id)
            )
        ]


__all__ = [
    "BERLIN",
    "NOW",
    "add_campaign",
    "add_lead",
    "add_users",
    "claim",
    "claim_next",
    "counts",
    "history",
    "lead",
]
