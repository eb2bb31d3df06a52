"""Demo data: counts, determinism, realism, phone truth, cancel and refusal (both backends)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from teleprospect.core.domain import CampaignChannel, Disposition, UserRole
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.phones import PhoneInfo, parse_phone
from teleprospect.core.queue_policy import DEFAULT_RETRY_RULES
from teleprospect.demo import loader as demo
from teleprospect.demo.leads import DEMO_CAMPAIGNS, DemoLeadFactory, PhoneBook
from teleprospect.demo.loader import (
    DEMO_USERS,
    DemoCancelled,
    DemoRefused,
    load_demo,
)
from teleprospect.demo.people import (
    COUNTRIES,
    COUNTRY_BY_CODE,
    FREE_DIGITS,
    ascii_slug,
    fill,
)
from teleprospect.store.database import Database
from teleprospect.store.migrate import upgrade_to_head
from teleprospect.store.models import (
    Call,
    Campaign,
    EngagementEvent,
    HandoffItem,
    Lead,
    LeadHistory,
    User,
)

NOW = datetime(2025, 3, 14, 15, 9, 26, tzinfo=UTC)


def factory(seed: int = 1, **kwargs: Any) -> DemoLeadFactory:
    return DemoLeadFactory(
        seed=seed,
        now=NOW,
        campaign_ids=range(1, len(DEMO_CAMPAIGNS) + 1),
        owner_ids=[2, 3, 4, 5, 6],
        **kwargs,
    )


def count(db: Database, model: type) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def snapshot(db: Database) -> list[tuple[Any, ...]]:
    """Every lead and its calls, with ids replaced by what they point at (the long write
    that added a lead is one on SQLite, none on PostgreSQL: left out)."""
    ids = ("id", "campaign_id", "owner_id", "staged_write_id")
    lead_columns = [c for c in Lead.__table__.c if c.name not in ids]
    with db.read() as session:
        leads = session.execute(
            select(Lead.id, Campaign.name, User.login, *lead_columns)
            .join(Campaign, Lead.campaign_id == Campaign.id)
            .outerjoin(User, Lead.owner_id == User.id)
            .order_by(Lead.id)
        ).all()
        calls = session.execute(
            select(
                Call.lead_id,
                User.login,
                Call.started_at,
                Call.ended_at,
                Call.disposition,
                Call.notes,
            )
            .join(User, Call.user_id == User.id)
            .order_by(Call.lead_id, Call.started_at)
        ).all()
    calls_by_lead: dict[int, list[tuple[Any, ...]]] = {}
    for call in calls:
        calls_by_lead.setdefault(call[0], []).append(tuple(call[1:]))
    return [(*lead[1:], tuple(calls_by_lead.get(lead[0], ()))) for lead in leads]


# ----------------------------------------------------------------------- loading


def test_loads_users_campaigns_and_leads(db: Database) -> None:
    summary = load_demo(db, leads=300, seed=3, now=NOW)

    assert (summary.users, summary.campaigns, summary.leads) == (6, len(DEMO_CAMPAIGNS), 300)
    assert summary.seconds > 0
    assert count(db, Lead) == 300
    with db.read() as session:
        roles = Counter(session.scalars(select(User.role)))
        assert roles == {UserRole.TEAM_LEAD: 1, UserRole.TELEPROSPECTOR: 5}
        campaigns = session.scalars(select(Campaign)).all()
        assert {c.channel for c in campaigns} >= {
            CampaignChannel.WEBINAR,
            CampaignChannel.WHITE_PAPER,
            CampaignChannel.TRADE_SHOW,
            CampaignChannel.CONTACT_FORM,
        }
        assert all(c.offer and c.default_region and c.starts_on for c in campaigns)
        leads = session.scalars(select(Lead)).all()
        team_lead = session.scalar(select(User.id).where(User.role == UserRole.TEAM_LEAD))
        assert summary.invalid_phones == sum(not lead.phone_valid for lead in leads)
        calls_per_lead = Counter(session.scalars(select(Call.lead_id)))
        outcomes: dict[int, list[Disposition]] = {}
        for lead_id, disposition in session.execute(select(Call.lead_id, Call.disposition)):
            outcomes.setdefault(lead_id, []).append(disposition)
        # Sales' side is there too: hand-offs accepted, rejected and still waiting.
        statuses = Counter(lead.status for lead in leads)
        assert statuses[LeadStatus.HANDED_OFF] and statuses[LeadStatus.ACCEPTED]
        handed_off = set(session.scalars(select(HandoffItem.lead_id)))
        qualified = set(
            session.scalars(
                select(LeadHistory.lead_id).where(LeadHistory.to_value == "sales_ready")
            )
        )
        for lead in leads:
            assert lead.campaign_id is not None
            assert lead.owner_id != team_lead
            if lead.id in handed_off:
                continue  # hand-offs and their verdicts are tested in test_demo_handoff
            assert 0 <= lead.score <= 100
            assert NOW - timedelta(days=91) <= lead.created_at <= NOW
            assert lead.updated_at >= lead.created_at
            # Only leads the demo qualified for its hand-offs were changed after insert.
            assert lead.version == 1 or lead.id in qualified
            assert lead.claimed_by_id is None
            calls = calls_per_lead.get(lead.id, 0)
            if lead.status is LeadStatus.NEW:
                assert calls == lead.attempts == 0 and lead.next_action_at is None
                assert lead.last_attempt_at is None and not lead.do_not_call
                continue
            # Leads qualified for the hand-offs got one more call: the connected one.
            assert 1 <= calls <= (6 if lead.id in qualified else 5)
            assert lead.owner_id is not None
            # The attempts follow the retry rules: reaching the person is no failed try,
            # and a nurture call step starts a new round.
            tries = sum(
                DEFAULT_RETRY_RULES[disposition].counts_as_attempt
                for disposition in outcomes[lead.id]
            )
            assert lead.attempts == (0 if lead.status is LeadStatus.NURTURE else tries)
            assert lead.last_attempt_at and lead.created_at < lead.last_attempt_at <= NOW
            if lead.status in (LeadStatus.WORKING, LeadStatus.NURTURE) and not lead.do_not_call:
                assert lead.next_action_at and lead.next_action_at > lead.last_attempt_at
            else:
                assert lead.next_action_at is None
            if lead.email is not None:
                assert lead.email == lead.email.lower() and "@" in lead.email
        calls = session.scalars(select(Call)).all()
        assert calls and all(call.ended_at > call.started_at for call in calls)
        assert all(call.disposition is not None for call in calls)


def test_a_sample_of_leads_has_exactly_what_parse_phone_says(db: Database) -> None:
    load_demo(db, leads=1500, seed=11, now=NOW)
    with db.read() as session:
        rows = session.execute(
            select(Lead, Campaign.default_region).join(Campaign, Lead.campaign_id == Campaign.id)
        ).all()
    for lead, region in random.Random(4).sample(rows, 300):
        info = parse_phone(lead.phone_raw, region)
        stored = (
            lead.phone_e164,
            lead.phone_extension,
            lead.phone_valid,
            lead.phone_type,
            lead.phone_time_zones,
        )
        expected = (
            info.e164,
            info.extension,
            info.valid,
            info.number_type,
            " ".join(info.time_zones),
        )
        assert stored == expected, lead.phone_raw


def test_leads_spread_over_countries_and_time_zones_and_bad_phones_are_kept(
    db: Database,
) -> None:
    summary = load_demo(db, leads=2000, seed=1, now=NOW)
    with db.read() as session:
        leads = session.scalars(select(Lead)).all()
    countries = Counter(lead.country for lead in leads)
    assert set(countries) == {country.code for country in COUNTRIES}
    assert countries["US"] > countries["DE"] > countries["BE"]
    zones = Counter(zone for lead in leads for zone in lead.time_zones)
    assert {
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Los_Angeles",
        "America/Toronto",
        "Europe/London",
        "Europe/Berlin",
        "Europe/Paris",
        "Europe/Brussels",
        "Europe/Amsterdam",
        "Australia/Sydney",
        "Asia/Tokyo",
        "America/Sao_Paulo",
    } <= set(zones)
    assert any(len(lead.time_zones) > 1 for lead in leads)
    assert any(lead.phone_extension for lead in leads)
    assert len({lead.phone_e164 for lead in leads if lead.phone_e164}) == sum(
        1 for lead in leads if lead.phone_e164
    ), "phone numbers repeat"

    bad = [lead for lead in leads if not lead.phone_valid]
    assert summary.invalid_phones == len(bad)
    assert 0.005 * len(leads) <= len(bad) <= 0.05 * len(leads)
    assert all(lead.phone_e164 is None and lead.phone_time_zones == "" for lead in bad)
    assert sum(1 for lead in bad if lead.phone_raw) >= len(bad) - 2
    statuses = Counter(lead.status for lead in leads)
    assert statuses[LeadStatus.NEW] > statuses[LeadStatus.WORKING] > statuses[LeadStatus.NURTURE]
    assert statuses[LeadStatus.NURTURE] > 0
    titles = {lead.title for lead in leads}
    assert {"Intern", "Student"} & titles and {"CEO", "CTO", "CFO"} & titles
    sizes = sorted(lead.company_size for lead in leads if lead.company_size)
    assert sizes[len(sizes) // 2] < 500 < sizes[-1]
    owners = Counter(lead.owner_id for lead in leads if lead.owner_id)
    assert len(owners) == 5 and max(owners.values()) < 1.5 * min(owners.values())


def test_same_seed_gives_the_same_rows_on_any_database(db: Database, tmp_path: Path) -> None:
    other = Database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    try:
        upgrade_to_head(other)
        load_demo(db, leads=400, seed=7, now=NOW)
        load_demo(other, leads=400, seed=7, now=NOW)
        first, second = snapshot(db), snapshot(other)
    finally:
        other.dispose()
    assert len(first) == 400
    assert first == second


def test_another_seed_gives_other_leads() -> None:
    one = [row for row, _ in factory(seed=1).leads(50)]
    two = [row for row, _ in factory(seed=2).leads(50)]
    assert [r["email"] for r in one] != [r["email"] for r in two]


def test_a_small_load_is_the_start_of_a_bigger_one() -> None:
    small = [row for row, _ in factory().leads(100)]
    big = [row for row, _ in factory().leads(300)]
    assert big[:100] == small


# ------------------------------------------------------------------------ phones


def test_predicted_phone_fields_equal_parse_phone_for_every_generated_number() -> None:
    book = PhoneBook(confirmations=2)
    maker = factory(seed=5, phone_book=book)
    generated = []
    for country in COUNTRIES:
        regions = {country.code, "US" if country.code != "US" else "GB"}
        for region in sorted(regions):
            generated += [(maker.phone(country, region), region) for _ in range(250)]
    assert book.predicted > len(generated) // 3, "the fast path was hardly used"
    for (raw, fields), region in generated:
        info = parse_phone(raw, region)
        assert fields == (
            info.e164,
            info.extension,
            info.valid,
            info.number_type,
            " ".join(info.time_zones),
        ), (raw, region)


def test_a_shape_that_disagrees_is_parsed_number_by_number() -> None:
    def odd_numbers_invalid(raw: str, region: str | None) -> PhoneInfo:
        info = parse_phone(raw, region)
        digits = [ch for ch in raw if ch.isdigit()]
        if info.valid and int(digits[-1]) % 2:
            return PhoneInfo(raw, None, None, False, True, None, (), info.region, "odd")
        return info

    book = PhoneBook(odd_numbers_invalid, confirmations=3)
    shape = ("0## ### ####", "20512", "", "NL")
    results = []
    # The second number contradicts the first while the shape is still being confirmed.
    for ending in ("1230", "1241", "1250", "1260", "1270", "1280", "1291"):
        raw = fill("0## ### ####", "20512" + ending)
        results.append((book.fields(raw, "NL", shape, ending, ""), odd_numbers_invalid(raw, "NL")))
    assert [got[2] for got, _ in results] == [True, False, True, True, True, True, False]
    assert all(got[2] == info.valid for got, info in results)
    assert book.predicted == 0


def test_a_confirmed_shape_is_predicted() -> None:
    book = PhoneBook(confirmations=2)
    shape = ("0## ### ####", "20512", "", "NL")
    for ending in ("1230", "1241", "1252", "1263", "1274"):
        raw = fill("0## ### ####", "20512" + ending)
        info = parse_phone(raw, "NL")
        assert book.fields(raw, "NL", shape, ending, "") == (
            info.e164,
            None,
            True,
            info.number_type,
            " ".join(info.time_zones),
        )
    assert (book.parsed, book.predicted) == (3, 2)


def test_generated_numbers_end_in_free_digits_that_do_not_repeat() -> None:
    maker = factory()
    germany = COUNTRY_BY_CODE["DE"]
    raws = [maker.phone(germany, "DE")[0] for _ in range(3000)]
    assert len(set(raws)) > 2900  # only the bad ones may repeat ("n/a", "tbd", ...)


def test_phone_tables_are_consistent() -> None:
    for country in COUNTRIES:
        assert any(c.audience.get(country.code) for c in DEMO_CAMPAIGNS), country.code
        for phone_range in country.phone_ranges:
            patterns = [p for p, _ in phone_range.local_formats]
            patterns += phone_range.international_formats
            for pattern in patterns:
                assert pattern.count("#") == phone_range.nsn_length, pattern
            for block in phone_range.blocks:
                assert len(block) == phone_range.nsn_length - FREE_DIGITS, block
    for campaign in DEMO_CAMPAIGNS:
        assert set(campaign.audience) <= set(COUNTRY_BY_CODE), campaign.name


def test_names_become_plain_ascii_for_addresses() -> None:
    assert ascii_slug("Müller") == "mueller"
    assert ascii_slug("Łukasz") == "lukasz"
    assert ascii_slug("van den Berg") == "vandenberg"
    assert ascii_slug("Nguyễn") == "nguyen"
    assert ascii_slug("O'Brien") == "obrien"
    assert ascii_slug("Yılmaz") == "yilmaz"


# ------------------------------------------------------------- cancel and refusal


def test_cancel_rolls_everything_back(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "CHUNK_SIZE", 100)
    reports: list[tuple[int, int]] = []

    with pytest.raises(DemoCancelled):
        load_demo(
            db,
            leads=350,
            now=NOW,
            progress=lambda done, total: reports.append((done, total)),
            should_cancel=lambda: len(reports) >= 3,
        )

    assert reports == [(0, 350), (100, 350), (200, 350)]
    assert [count(db, model) for model in (Lead, Call, User, Campaign)] == [0, 0, 0, 0]
    # Nothing is left behind, hidden or not: the leads' engagement went with them.
    with db.engine.connect() as conn:
        for table in ("engagement_event", "lead", "user_account", "campaign"):
            assert conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() == 0


def test_a_demo_load_under_way_shows_none_of_its_leads_or_their_engagement(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "CHUNK_SIZE", 100)
    seen: list[tuple[int, int, int]] = []

    def look(done: int, total: int) -> None:
        if 0 < done < total:
            with sqlite_db.read() as session:
                seen.append(
                    (
                        session.scalar(select(func.count()).select_from(Lead)) or 0,
                        session.scalar(select(func.count()).select_from(EngagementEvent)) or 0,
                        session.scalar(select(func.count()).select_from(User)) or 0,
                    )
                )

    load_demo(sqlite_db, leads=250, now=NOW, progress=look)
    assert seen == [(0, 0, 0), (0, 0, 0)]
    assert count(sqlite_db, Lead) == 250 and count(sqlite_db, EngagementEvent) >= 250


def test_progress_reaches_the_total(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "CHUNK_SIZE", 100)
    reports: list[tuple[int, int]] = []
    load_demo(db, leads=250, now=NOW, progress=lambda done, total: reports.append((done, total)))
    assert reports == [(0, 250), (100, 250), (200, 250), (250, 250)]


def test_a_database_with_leads_is_refused_unless_appending(db: Database) -> None:
    load_demo(db, leads=40, seed=1, now=NOW)

    with pytest.raises(DemoRefused, match="already holds leads") as refused:
        load_demo(db, leads=40, seed=2, now=NOW)
    assert isinstance(refused.value, ValueError)
    assert count(db, Lead) == 40

    summary = load_demo(db, leads=60, seed=2, now=NOW, append=True)
    assert summary.leads == 60
    assert count(db, Lead) == 100
    assert count(db, User) == len(DEMO_USERS)
    assert count(db, Campaign) == len(DEMO_CAMPAIGNS)


def test_existing_users_and_campaigns_are_reused_as_they_are(db: Database) -> None:
    with db.write() as session:
        session.add(User(login="sam.carter", name="Samuel Carter", role=UserRole.TEAM_LEAD))
        session.add(User(login="someone.else", name="Someone Else"))
        session.add(Campaign(name=DEMO_CAMPAIGNS[0].name, offer="our own words"))

    summary = load_demo(db, leads=20, now=NOW)

    assert (summary.users, summary.campaigns) == (len(DEMO_USERS), len(DEMO_CAMPAIGNS))
    assert count(db, User) == len(DEMO_USERS) + 1
    with db.read() as session:
        sam = session.scalar(select(User).where(User.login == "sam.carter"))
        assert sam is not None and sam.name == "Samuel Carter"
        offer = session.scalar(
            select(Campaign.offer).where(Campaign.name == DEMO_CAMPAIGNS[0].name)
        )
        assert offer == "our own words"


def test_zero_leads_creates_users_and_campaigns_only(db: Database) -> None:
    summary = load_demo(db, leads=0, now=NOW)
    assert (summary.leads, summary.invalid_phones) == (0, 0)
    assert count(db, Lead) == 0 and count(db, User) == len(DEMO_USERS)
    with pytest.raises(ValueError):
        load_demo(db, leads=-1)


def test_whoever_loads_the_demo_joins_the_team_and_gets_leads_of_their_own(db: Database) -> None:
    summary = load_demo(db, leads=200, now=NOW, you="pat.doe")

    assert summary.users == len(DEMO_USERS) + 1
    with db.read() as session:
        you = session.scalars(select(User).where(User.login == "pat.doe")).one()
        owned = session.scalar(select(func.count()).where(Lead.owner_id == you.id))
    assert (you.name, you.role, you.is_admin) == ("Pat Doe", UserRole.TEAM_LEAD, True)
    reps = len(DEMO_USERS)  # the demo's reps (all but the team lead) and you
    assert owned is not None and owned >= 200 // reps // 2


def test_a_demo_login_loading_the_demo_keeps_the_demo_account(db: Database) -> None:
    summary = load_demo(db, leads=20, now=NOW, you="priya.nair")
    assert summary.users == len(DEMO_USERS) and count(db, User) == len(DEMO_USERS)


def test_appending_the_demo_to_a_team_makes_nobody_an_admin(db: Database) -> None:
    with db.write() as session:
        session.add(User(login="real.rep", name="Real Rep"))
    load_demo(db, leads=20, now=NOW, you="pat.doe")
    with db.read() as session:
        assert session.scalar(select(User).where(User.login == "pat.doe")) is None
