"""A small team and its leads, for the team-lead service tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from teleprospect.core.domain import UserRole
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.store.database import Database
from teleprospect.store.models import CallbackEntry, Campaign, Lead, User

# Wednesday 25 November 2026, 15:00 UTC.
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Team:
    boss: int  # team lead and admin
    lead2: int  # team lead, no admin
    sam: int  # teleprospector
    julie: int  # teleprospector
    jonas: int  # teleprospector
    campaign: int
    other_campaign: int


def make_team(db: Database) -> Team:
    with db.write() as s:
        users = [
            User(login="boss", name="Maria Boss", role=UserRole.TEAM_LEAD, is_admin=True),
            User(login="lead2", name="Lea Second", role=UserRole.TEAM_LEAD),
            User(login="sam", name="Sam Carter"),
            User(login="julie", name="Julie Moreau"),
            User(login="jonas", name="Jonas Weber"),
        ]
        campaigns = [
            Campaign(name="Spring webinar", offer="our webinar on ledgers"),
            Campaign(name="White paper", offer="our paper"),
        ]
        s.add_all(users + campaigns)
        s.flush()
        return Team(*(u.id for u in users), campaigns[0].id, campaigns[1].id)


def add_lead(db: Database, first: str = "Ada", **fields: object) -> int:
    with db.write() as s:
        lead = Lead(
            first_name=first,
            last_name=fields.pop("last_name", "Lovelace"),
            company=fields.pop("company", f"{first} GmbH"),
            created_at=fields.pop("created_at", NOW - timedelta(days=10)),
            call_zones=fields.pop("call_zones", "Europe/Berlin"),
            status=fields.pop("status", LeadStatus.WORKING),
            **fields,
        )
        s.add(lead)
        s.flush()
        return lead.id


def add_callback(db: Database, lead_id: int, owner_id: int | None, **fields: object) -> int:
    with db.write() as s:
        cb = CallbackEntry(
            lead_id=lead_id, due_at=fields.pop("due_at", NOW + timedelta(hours=2)),
            owner_id=owner_id, **fields,
        )  # fmt: skip
        s.add(cb)
        s.flush()
        return cb.id
