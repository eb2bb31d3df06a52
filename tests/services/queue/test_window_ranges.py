"""The backlog read as index ranges per open calling window and owner, merged in queue
order (few windows open: 03:00 UTC, when only Asia-Pacific is working hours): the same
queue as the walk down the priority index, and no walk past the closed zones' leads."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from teleprospect.core.lifecycle import LeadStatus
from teleprospect.services.queue import page as qp
from teleprospect.services.queue.claims import claim_next, release_claim
from teleprospect.services.queue.page import queue_page
from teleprospect.store.database import Database
from tests.services.queue.test_claims import add_lead, add_users, ids

# Wednesday 25 November 2026, 03:00 UTC: 12:00 in Tokyo, 14:00 in Sydney, 11:00 in Perth
# (open); 04:00 in Berlin, 22:00 in New York (closed).
NIGHT = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
OPEN = ("Asia/Tokyo", "Australia/Sydney", "Australia/Perth")
CLOSED = ("Europe/Berlin", "America/New_York")


@pytest.fixture
def people(db: Database) -> tuple[int, int, int]:
    return add_users(db)


@pytest.fixture
def walk(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """Run the queue the old way: down the priority index, the open zones as a filter."""

    def as_walk(call):  # noqa: ANN001, ANN202
        with monkeypatch.context() as m:
            m.setattr(qp, "MERGE_ZONE_SETS", 0)
            return call()

    return as_walk


def mixed_leads(db: Database, me: int, other: int, count: int = 120) -> set[int]:
    """Leads across open and closed zones, owners, states and tries (seeded); returns the
    ones ``me`` may call at NIGHT."""
    rng = random.Random(14)
    callable_now = set()
    for i in range(count):
        zone = rng.choice(OPEN + CLOSED)
        owner = rng.choice([None, None, me, other])
        kind = rng.choice(["plain", "plain", "plain", "later", "tried out", "nurture due"])
        fields: dict[str, object] = {"call_zones": zone, "owner_id": owner}
        if kind == "later":
            fields["next_action_at"] = NIGHT + timedelta(hours=2)
        elif kind == "tried out":
            fields["attempts"] = 6
            fields["status"] = LeadStatus.WORKING
        elif kind == "nurture due":
            fields["status"] = LeadStatus.NURTURE
            fields["next_action_at"] = NIGHT - timedelta(hours=1)
        lead = add_lead(db, f"L{i}", rng.randrange(0, 100), **fields)
        if zone in OPEN and owner in (None, me) and kind in ("plain", "nurture due"):
            callable_now.add(lead)
    return callable_now


def test_at_night_the_queue_is_the_walk_s_queue_and_only_open_windows(
    db: Database, people, walk
) -> None:
    me, other, _ = people
    callable_now = mixed_leads(db, me, other)
    page = ids(queue_page(db, me, now=NIGHT, limit=500))
    assert set(page) == callable_now
    assert page == ids(walk(lambda: queue_page(db, me, now=NIGHT, limit=500)))
    # Paged: every page continues where the last one ended.
    pages = [ids(queue_page(db, me, now=NIGHT, limit=7, offset=o)) for o in range(0, 70, 7)]
    assert [lead for chunk in pages for lead in chunk] == page[:70]


def test_at_night_claims_follow_the_queue_and_never_repeat(db: Database, people) -> None:
    me, other, _ = people
    mixed_leads(db, me, other)
    expected = ids(queue_page(db, me, now=NIGHT, limit=500))
    claimed = []
    while (lead := claim_next(db, me, now=NIGHT)) is not None:
        claimed.append(lead.lead_id)
    assert claimed == expected
    # Given back, the first is again the first.
    for lead_id in claimed:
        release_claim(db, lead_id, me)
    again = claim_next(db, me, now=NIGHT)
    assert again is not None and again.lead_id == expected[0]


def test_another_rep_never_gets_a_lead_held(db: Database, people) -> None:
    me, other, _ = people
    for i, zone in enumerate(OPEN * 3):
        add_lead(db, f"U{i}", 50 + i, call_zones=zone)
    mine = {claim_next(db, me, now=NIGHT).lead_id for _ in range(4)}  # type: ignore[union-attr]
    theirs = set()
    while (lead := claim_next(db, other, now=NIGHT)) is not None:
        theirs.add(lead.lead_id)
    assert len(mine) == 4 and len(theirs) == 5 and not mine & theirs


def _merged_sql(db: Database, user_id: int) -> str:
    with db.read() as session:
        ctx = qp.queue_context(session, user_id, NIGHT, None)
        query, values = qp.backlog_in_order(ctx, claiming=True, db_is_sqlite=db.is_sqlite, limit=1)
        assert values, "few windows are open: the ranges are merged"
        compiled = query.params(values).compile(db.engine, compile_kwargs={"literal_binds": True})
    return str(compiled)


def test_at_night_next_lead_reads_index_ranges_without_a_sort(db: Database, people) -> None:
    if not db.is_sqlite:
        pytest.skip("PostgreSQL keeps the walk down ix_lead_queue (its plan is tested there)")
    me, other, _ = people
    mixed_leads(db, me, other, count=300)
    sql = _merged_sql(db, me)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        plan = " | ".join(r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
    assert "USING INDEX ix_lead_zone_queue (call_zones=? AND owner_id=?)" in plan, plan
    assert "TEMP B-TREE" not in plan, plan
    assert "SCAN lead" not in plan, plan


def test_a_filtered_claim_takes_only_matching_leads_and_changes_nothing_else(
    db: Database, people
) -> None:
    from teleprospect.services.queue.page import QueueFilters
    from teleprospect.store.models import Campaign, Lead

    me, _, _ = people
    with db.write() as s:
        webinar, fair = Campaign(name="Webinar"), Campaign(name="Trade fair")
        s.add_all([webinar, fair])
        s.flush()
        webinar_id, fair_id = webinar.id, fair.id
    top = add_lead(db, "Top", 95, call_zones=OPEN[0], campaign_id=fair_id)
    nurtured = add_lead(
        db,
        "Nurtured",
        90,
        call_zones=OPEN[1],
        campaign_id=webinar_id,
        status=LeadStatus.NURTURE,
        next_action_at=NIGHT - timedelta(hours=1),
    )
    working = add_lead(db, "Working", 60, call_zones=OPEN[2], campaign_id=webinar_id)
    new_only = QueueFilters(campaign_id=webinar_id, status=LeadStatus.NEW)
    for now in (NIGHT, NIGHT.replace(hour=15)):  # few windows open, then many
        for lead_id in (top, nurtured, working):
            with db.write() as s:
                s.get(Lead, lead_id).call_zones = OPEN[0] if now == NIGHT else CLOSED[0]  # type: ignore[union-attr]
        claimed = claim_next(db, me, now=now, filters=QueueFilters(campaign_id=webinar_id))
        assert claimed is not None and claimed.lead_id == nurtured
        claimed = claim_next(db, me, now=now, filters=new_only)
        assert claimed is not None and claimed.lead_id == working
        assert claim_next(db, me, now=now, filters=new_only) is None
        with db.read() as s:
            statuses = {lead.id: lead.status for lead in s.query(Lead)}
        assert statuses == {
            top: LeadStatus.NEW,
            nurtured: LeadStatus.NURTURE,
            working: LeadStatus.NEW,
        }
        for lead_id in (nurtured, working):
            release_claim(db, lead_id, me)
