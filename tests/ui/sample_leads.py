"""Realistic-looking leads inserted fast (Core executemany of plain dicts), for UI tests,
screenshots and the start-up benchmark. Deterministic for a given count and seed."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from teleprospect.core.lifecycle import LeadStatus
from teleprospect.store.database import Database
from teleprospect.store.models import Campaign, Lead, User

FIRST_NAMES = (
    "Anna",
    "Ben",
    "Carla",
    "David",
    "Elena",
    "Farid",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Keiko",
    "Lucas",
    "Maria",
    "Nadia",
    "Oliver",
    "Priya",
    "Quentin",
    "Rosa",
    "Samir",
    "Tanja",
    "Ulrich",
    "Vera",
    "William",
    "Yara",
    "Zoé",
    "Mateo",
    "Sofia",
    "Lars",
    "Amélie",
)
LAST_NAMES = (
    "Schneider",
    "Dubois",
    "Rossi",
    "Kowalski",
    "Novak",
    "García",
    "Jensen",
    "Müller",
    "Okafor",
    "Tanaka",
    "Fischer",
    "Moreau",
    "Lindqvist",
    "Brennan",
    "Costa",
    "Hoffmann",
    "Petrov",
    "Van Dijk",
    "Andersen",
    "Keller",
    "Bauer",
    "O'Neill",
    "Silva",
    "Weber",
)
COMPANIES = (
    "Nordwind Logistics GmbH",
    "Brightline Analytics",
    "Helios Medical Systems",
    "Castellan Insurance",
    "Orbis Software AG",
    "Riverbank Foods",
    "Quantica Labs",
    "Meridian Freight",
    "Alpenglow Hotels",
    "Stellar Components Ltd",
    "Vantage Retail Group",
    "Blue Harbor Energy",
    "Kestrel Manufacturing",
    "Lumen Education",
    "Pioneer Agritech",
)
TITLES = (
    "Head of IT",
    "Chief Financial Officer",
    "Procurement Manager",
    "VP Operations",
    "IT Infrastructure Lead",
    "Director of Sales Operations",
    "Plant Manager",
    "Marketing Manager",
    "CTO",
    "Office Manager",
    "Supply Chain Analyst",
    "Head of Digital",
)
PHONES = (
    ("+49 30 901820", "+4930901820", "DE"),
    ("+33 1 42 68 53 00", "+33142685300", "FR"),
    ("(415) 555-2671", "+14155552671", "US"),
    ("+44 20 7946 0958", "+442079460958", "GB"),
    ("+39 06 6982 1234", "+390669821234", "IT"),
    ("+48 22 123 45 67", "+48221234567", "PL"),
    ("0049 89 12 34", None, "DE"),
    ("call after 3pm", None, "US"),
)
STATUSES = (
    [LeadStatus.NEW] * 6
    + [LeadStatus.WORKING] * 4
    + [LeadStatus.NURTURE] * 3
    + [LeadStatus.SALES_READY, LeadStatus.HANDED_OFF, LeadStatus.DISQUALIFIED]
)
CAMPAIGNS = (
    "Webinar: Cloud cost control 2025",
    "White paper: Supply chain resilience",
    "Trade show: LogiMAT Stuttgart",
    "Contact form: pricing page",
)
USERS = (("jkeller", "Julia Keller"), ("mrossi", "Marco Rossi"), ("lead", "Sam Team-Lead"))


def add_campaigns_and_users(db: Database) -> tuple[list[int], list[int]]:
    with db.write() as session:
        campaigns = [Campaign(name=name) for name in CAMPAIGNS]
        users = [User(login=login, name=name) for login, name in USERS]
        session.add_all(campaigns + users)
        session.flush()
        return [c.id for c in campaigns], [u.id for u in users]


def lead_dicts(
    count: int, campaign_ids: list[int], owner_ids: list[int], *, seed: int = 7, start: int = 0
) -> list[dict[str, object]]:
    rng = random.Random(seed)
    created = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
    rows = []
    for number in range(start, start + count):
        raw, e164, country = rng.choice(PHONES)
        rows.append(
            {
                "first_name": rng.choice(FIRST_NAMES),
                "last_name": rng.choice(LAST_NAMES),
                "company": rng.choice(COMPANIES),
                "title": rng.choice(TITLES),
                "country": country,
                "phone_raw": raw,
                "phone_e164": e164,
                "phone_valid": e164 is not None,
                "campaign_id": rng.choice(campaign_ids) if campaign_ids else None,
                "owner_id": rng.choice(owner_ids + [None]) if owner_ids else None,
                "status": rng.choice(STATUSES),
                "score": rng.randint(5, 95),
                # Marked as scored by the shipped rules, so that opening the window leaves
                # these made-up scores alone (no engagement: nothing ages by the day).
                "rules_version": 1,
                "scored_at": created,
                "created_at": created + timedelta(minutes=17 * number),
                "updated_at": created,
            }
        )
    return rows


def add_leads(
    db: Database, count: int, *, campaign_ids: list[int], owner_ids: list[int], batch: int = 20_000
) -> None:
    done = 0
    while done < count:
        size = min(batch, count - done)
        with db.write() as session:
            session.execute(
                insert(Lead), lead_dicts(size, campaign_ids, owner_ids, seed=done, start=done)
            )
        done += size


def populate(db: Database, leads: int) -> None:
    campaign_ids, owner_ids = add_campaigns_and_users(db)
    add_leads(db, leads, campaign_ids=campaign_ids, owner_ids=owner_ids)
