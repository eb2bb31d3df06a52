"""Finding any lead: search, filters and orders of the lead list, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from teleprospect.core.errors import Invalid
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.services.leads.lead_list import (
    NOBODY,
    LeadListing,
    LeadSort,
    count_leads,
    lead_page_query,
    list_filter_choices,
    list_leads,
)
from teleprospect.store.database import Database
from teleprospect.store.models import Campaign, Lead, LeadPhone, User
from teleprospect.store.staging import LongWrite

NOW = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)


def names(db: Database, listing: LeadListing, limit: int = 100) -> list[str]:
    return [row.name for row in list_leads(db, listing, limit=limit, now=NOW).rows]


def found(db: Database, search: str) -> list[str]:
    return names(db, LeadListing(search=search))


@pytest.fixture
def leads(db: Database) -> dict[str, int]:
    """A few leads with everything a caller might give to be found by."""
    with db.write() as session:
        webinar = Campaign(name="Cloud Cost Clinic")
        fair = Campaign(name="LogiMAT fair")
        julia = User(login="jkeller", name="Julia Keller")
        session.add_all([webinar, fair, julia])
        session.flush()
        people = [
            Lead(
                first_name="Rahul",
                last_name="Nair",
                company="Nordwind Logistics GmbH",
                email="rahul.nair@nordwind.example",
                phone_raw="+49 30 901820 17",
                phone_e164="+493090182017",
                country="DE",
                status=LeadStatus.WORKING,
                score=85,
                campaign_id=webinar.id,
                owner_id=julia.id,
                created_at=NOW - timedelta(days=3),
            ),
            Lead(
                first_name="Anna",
                last_name="Berg",
                company="Acme Freight",
                email="anna@acme.example",
                phone_raw="(415) 555-0123",
                phone_e164="+14155550123",
                country="US",
                status=LeadStatus.NEW,
                score=45,
                campaign_id=fair.id,
                created_at=NOW - timedelta(days=1),
            ),
            Lead(
                first_name="Zoë",
                last_name="Adams",
                company="Brightwave",
                email=None,
                phone_raw="",
                country="GB",
                status=LeadStatus.NURTURE,
                score=-5,
                created_at=NOW - timedelta(days=2),
            ),
        ]
        session.add_all(people)
        session.flush()
        # A second number, on the lead's list of phones only.
        session.add(LeadPhone(lead_id=people[2].id, position=1, raw="+44 20 7946 0958"))
        return {lead.first_name: lead.id for lead in people} | {"julia": julia.id}


def test_a_phone_fragment_finds_the_lead_however_it_is_typed(
    db: Database, leads: dict[str, int]
) -> None:
    assert found(db, "555-0123") == ["Anna Berg"]
    assert found(db, "+1 415 555") == ["Anna Berg"]
    assert found(db, "(415) 555 01") == ["Anna Berg"]
    assert found(db, "9018 2017") == ["Rahul Nair"]
    assert found(db, "7946 09") == ["Zoë Adams"], "a number on the lead's list of phones"


def test_names_companies_emails_ids_and_references_find_their_lead(
    db: Database, leads: dict[str, int]
) -> None:
    assert found(db, "NAIR") == ["Rahul Nair"]
    assert found(db, "rahul nair") == ["Rahul Nair"]
    assert found(db, "wind log") == ["Rahul Nair"], "parts of words, in any order"
    assert found(db, "acme.example") == ["Anna Berg"]
    assert found(db, "bright") == ["Zoë Adams"]
    assert found(db, f"#{leads['Anna']}") == ["Anna Berg"]
    assert found(db, f"TP-0007-{leads['Rahul']:06d}") == ["Rahul Nair"]
    assert found(db, "nobody-like-this") == []


def test_a_search_too_short_to_find_anything_says_so(db: Database, leads: dict[str, int]) -> None:
    with pytest.raises(Invalid, match="at least 3"):
        list_leads(db, LeadListing(search="ab"), limit=10)


def test_an_edited_lead_is_found_by_its_new_name_and_not_by_its_old(
    db: Database, leads: dict[str, int]
) -> None:
    with db.write() as session:
        lead = session.get(Lead, leads["Anna"])
        assert lead is not None
        lead.last_name = "Lindqvist"
        lead.phone_raw, lead.phone_e164 = "+46 8 123 456 78", "+46812345678"
    assert found(db, "lindqv") == ["Anna Lindqvist"]
    assert found(db, "berg") == []
    assert found(db, "8 123 456") == ["Anna Lindqvist"]
    assert found(db, "555-0123") == []


def test_a_deleted_lead_is_not_found(db: Database, leads: dict[str, int]) -> None:
    with db.write() as session:
        session.delete(session.get(Lead, leads["Zoë"]))
    assert found(db, "adams") == []
    assert found(db, "7946") == []


def test_a_lead_of_an_import_under_way_is_not_found_until_it_is_published(
    db: Database, leads: dict[str, int]
) -> None:
    with LongWrite(db, "test") as write:
        with write.step() as session:
            session.add(Lead(first_name="Staged", last_name="Person", phone_raw="030 777 666"))
        assert found(db, "staged") == []
        assert found(db, "777 666") == []
        assert count_leads(db, listing=LeadListing(search="staged")) == 0
        with write.publish():
            pass
    assert found(db, "staged") == ["Staged Person"]


def test_filters_combine_with_the_search(db: Database, leads: dict[str, int]) -> None:
    everyone = LeadListing(sort=LeadSort.NAME)
    assert names(db, everyone) == ["Zoë Adams", "Anna Berg", "Rahul Nair"]
    assert names(db, LeadListing(status=LeadStatus.NEW)) == ["Anna Berg"]
    assert names(db, LeadListing(owner_id=leads["julia"])) == ["Rahul Nair"]
    assert names(db, LeadListing(owner_id=NOBODY, sort=LeadSort.NAME)) == [
        "Zoë Adams",
        "Anna Berg",
    ]
    assert names(db, LeadListing(country="gb")) == ["Zoë Adams"]
    assert names(db, LeadListing(grade="A")) == ["Rahul Nair"]
    assert names(db, LeadListing(grade="D")) == ["Zoë Adams"], "negative scores are grade D"
    choices = list_filter_choices(db)
    webinar = dict((name, id_) for id_, name in choices.campaigns)["Cloud Cost Clinic"]
    assert names(db, LeadListing(campaign_id=webinar)) == ["Rahul Nair"]
    assert names(db, LeadListing(search="example", owner_id=NOBODY)) == ["Anna Berg"]
    assert count_leads(db, listing=LeadListing(search="example")) == 2
    assert choices.countries == ["DE", "GB", "US"]
    assert ("jkeller" not in dict(choices.owners).values()) and (
        "Julia Keller" in dict(choices.owners).values()
    )


@pytest.mark.parametrize(
    ("sort", "ascending"),
    [
        (LeadSort.NAME, ["Zoë Adams", "Anna Berg", "Rahul Nair"]),
        (LeadSort.COMPANY, ["Anna Berg", "Zoë Adams", "Rahul Nair"]),
        (LeadSort.SCORE, ["Zoë Adams", "Anna Berg", "Rahul Nair"]),
        (LeadSort.CREATED, ["Rahul Nair", "Zoë Adams", "Anna Berg"]),
    ],
)
def test_each_order_pages_through_every_lead_once_both_ways(
    db: Database, leads: dict[str, int], sort: LeadSort, ascending: list[str]
) -> None:
    for descending, expected in ((False, ascending), (True, ascending[::-1])):
        listing = LeadListing(sort=sort, descending=descending)
        seen: list[str] = []
        after = None
        while True:
            page = list_leads(db, listing, after=after, limit=1, now=NOW).rows
            if not page:
                break
            seen.extend(row.name for row in page)
            after = page[-1]
        assert seen == expected


def test_the_holder_of_a_lead_is_named_while_the_claim_lasts(
    db: Database, leads: dict[str, int]
) -> None:
    with db.write() as session:
        lead = session.get(Lead, leads["Anna"])
        assert lead is not None
        lead.claimed_by_id = leads["julia"]
        lead.claim_expires_at = NOW + timedelta(minutes=5)
    rows = list_leads(db, LeadListing(search="anna"), limit=5, now=NOW).rows
    assert rows[0].holder == "Julia Keller"
    later = list_leads(db, LeadListing(search="anna"), limit=5, now=NOW + timedelta(hours=1))
    assert later.rows[0].holder == ""


def test_every_order_is_read_from_an_index_on_sqlite(sqlite_db: Database) -> None:
    """No sort of the whole table: each order walks its index from the last row seen."""
    for sort in LeadSort:
        for descending in (False, True):
            listing = LeadListing(sort=sort, descending=descending)
            with sqlite_db.read() as session:
                anchor = session.execute(
                    select(Lead.id).limit(1)
                ).first()  # an empty table plans the same
                assert anchor is None
            after = {
                LeadSort.ID: (5,),
                LeadSort.NAME: ("M", "A", 5),
                LeadSort.COMPANY: ("M", 5),
                LeadSort.STATUS: (LeadStatus.NEW, 5),
                LeadSort.SCORE: (40, 5),
                LeadSort.CREATED: (NOW, 5),
            }[sort]
            query = lead_page_query(limit=200, listing=listing, after=after)
            sql = query.compile(sqlite_db.engine, compile_kwargs={"literal_binds": True})
            with sqlite_db.read() as session:
                plan = session.execute(text(f"EXPLAIN QUERY PLAN {sql}")).all()
            details = " | ".join(row[-1] for row in plan)
            assert "TEMP B-TREE" not in details, (sort, descending, details)
            assert "SCAN lead" not in details or "USING INDEX" in details, details


def test_postgresql_searches_through_its_trigram_index(pg_url: str) -> None:
    from teleprospect.core.lead_search import parse_search
    from teleprospect.services.database import upgrade_database
    from teleprospect.store.search import matching_leads, search_is_indexed

    db = Database(pg_url)
    upgrade_database(db)
    try:
        with db.read() as session:
            assert search_is_indexed(session)
            session.execute(text("SET LOCAL enable_seqscan = off"))
            for search in ("nair", "555 0123"):
                query = select(Lead.id).where(matching_leads(session, parse_search(search)))
                sql = query.compile(db.engine, compile_kwargs={"literal_binds": True})
                plan = " ".join(row[0] for row in session.execute(text(f"EXPLAIN {sql}")))
                assert "ix_lead_search_" in plan, plan
    finally:
        db.dispose()


def test_without_pg_trgm_the_search_still_finds_and_says_it_is_slow(
    pg_url: str,
) -> None:
    """A server where the extension could not be installed: no index, the same answers."""
    from teleprospect.services.database import upgrade_database

    db = Database(pg_url)
    upgrade_database(db)
    try:
        with db.write() as session:
            session.add(Lead(first_name="Rahul", last_name="Nair", phone_raw="+1 415 555 0123"))
        with db.engine.begin() as conn:
            for index in ("ix_lead_search_words", "ix_lead_search_phones"):
                conn.exec_driver_sql(f"DROP INDEX {index}")
            conn.exec_driver_sql("DROP INDEX ix_lead_phone_search_digits")
        page = list_leads(db, LeadListing(search="nair"), limit=5)
        assert [row.name for row in page.rows] == ["Rahul Nair"]
        assert "pg_trgm" in page.note
        assert [r.name for r in list_leads(db, LeadListing(search="555 01"), limit=5).rows] == [
            "Rahul Nair"
        ]
        assert list_leads(db, LeadListing(), limit=5).note == "", "no search, nothing to say"
    finally:
        db.dispose()
