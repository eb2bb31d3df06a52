"""The queue in the database: order, reasons, eligibility, claims across processes, plans."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from teleprospect.core.domain import UserRole
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.queue_policy import QueueTier, stored_priority
from teleprospect.services.errors import LeadNotFound
from teleprospect.services.queue import claims as q
from teleprospect.services.queue import page as qp
from teleprospect.services.queue.claims import (
    claim_next,
    next_lead,
    open_lead,
    release_claim,
    renew_claim,
)
from teleprospect.services.queue.page import queue_page
from teleprospect.store.database import Database
from teleprospect.store.models import CallbackEntry, Campaign, Lead, User
from tests.services import claim_worker

# Wednesday 25 November 2026, 15:00 UTC: 16:00 in Berlin and 10:00 in New York (inside
# 09:00–17:00), midnight in Tokyo (outside).
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
BERLIN, NEW_YORK, TOKYO = "Europe/Berlin", "America/New_York", "Asia/Tokyo"


def add_users(db: Database) -> tuple[int, int, int]:
    with db.write() as s:
        users = [
            User(login="rep.one", name="Rep One"),
            User(login="rep.two", name="Rep Two"),
            User(login="lead.boss", name="Team Boss", role=UserRole.TEAM_LEAD),
        ]
        s.add_all(users)
        s.flush()
        return users[0].id, users[1].id, users[2].id


def add_lead(db: Database, name: str, score: int = 50, **fields: object) -> int:
    created = fields.pop("created_at", NOW - timedelta(days=10))
    attempts = fields.get("attempts", 0)
    last = fields.get("last_attempt_at")
    with db.write() as s:
        lead = Lead(
            first_name=name,
            last_name="Test",
            company=f"{name} GmbH",
            score=score,
            created_at=created,
            call_zones=fields.pop("call_zones", BERLIN),
            priority=stored_priority(score, attempts, last or created),  # type: ignore[arg-type]
            **fields,
        )
        s.add(lead)
        s.flush()
        return lead.id


def ids(entries) -> list[int]:  # noqa: ANN001
    return [e.lead_id for e in entries]


@pytest.fixture
def people(db: Database) -> tuple[int, int, int]:
    return add_users(db)


def test_queue_order_reasons_and_eligibility_from_real_rows(db: Database, people) -> None:
    me, other, _ = people
    low = add_lead(db, "Low", 40)
    high = add_lead(db, "High", 80)
    tried = add_lead(db, "Tried", 80, attempts=2, last_attempt_at=NOW - timedelta(days=3))
    ny = add_lead(db, "York", 60, call_zones=NEW_YORK)
    both = add_lead(db, "Both", 61, call_zones=f"{BERLIN} {NEW_YORK}")
    inbound_old = add_lead(db, "InOld", 10, inbound=True, created_at=NOW - timedelta(hours=3))
    inbound_new = add_lead(db, "InNew", 5, inbound=True, created_at=NOW - timedelta(minutes=4))
    mine = add_lead(db, "MyCb", 1, owner_id=me)
    team = add_lead(db, "TeamCb", 2)
    expired = add_lead(db, "Expired", 30, claimed_by_id=other, claim_expires_at=NOW)
    # Not in the queue, each for one reason:
    add_lead(db, "Dnc", 99, do_not_call=True)
    add_lead(db, "Held", 99, claimed_by_id=other, claim_expires_at=NOW + timedelta(minutes=1))
    add_lead(db, "Later", 99, next_action_at=NOW + timedelta(hours=1))
    add_lead(db, "Exhausted", 99, attempts=6, last_attempt_at=NOW - timedelta(days=1))
    add_lead(db, "Tokyo", 99, call_zones=TOKYO)
    add_lead(db, "Mixed", 99, call_zones=f"{BERLIN} {TOKYO}")
    add_lead(db, "Unknown", 99, call_zones="")
    add_lead(db, "Others", 99, owner_id=other)
    add_lead(db, "Won", 99, status=LeadStatus.SALES_READY)
    add_lead(db, "NurtureLater", 99, status=LeadStatus.NURTURE, next_action_at=NOW + timedelta(1))
    future_cb = add_lead(db, "FutureCb", 99)
    with db.write() as s:
        s.add_all(
            [
                CallbackEntry(lead_id=mine, due_at=NOW - timedelta(minutes=30), owner_id=me),
                CallbackEntry(lead_id=team, due_at=NOW - timedelta(hours=2)),
                CallbackEntry(lead_id=future_cb, due_at=NOW + timedelta(hours=2)),
            ]
        )

    page = queue_page(db, me, now=NOW, limit=50)
    assert ids(page) == [
        mine, team, inbound_new, inbound_old, high, tried, both, ny, low, expired,
    ]  # fmt: skip
    reasons = {e.lead_id: e.reason for e in page}
    assert reasons[mine] == "callback due 14:30"
    assert reasons[team] == "team callback due 13:00"
    assert reasons[inbound_new] == "new inbound 4 min ago"
    assert reasons[tried] == "score 80, 2 attempts"
    assert reasons[high] == "score 80, not tried yet, untouched 10 days"
    assert [e.tier for e in page[:3]] == [
        QueueTier.MY_CALLBACK,
        QueueTier.TEAM_CALLBACK,
        QueueTier.FRESH_INBOUND,
    ]
    by_id = {e.lead_id: e for e in page}
    assert by_id[ny].local_time == "10:00" and by_id[both].local_time == "10:00–16:00"
    assert by_id[high].grade == "A"
    # Paging: the same order in slices.
    assert ids(queue_page(db, me, now=NOW, limit=4, offset=3)) == [inbound_old, high, tried, both]
    # The other rep sees their own lead and not my callback.
    theirs = ids(queue_page(db, other, now=NOW, limit=50))
    assert mine not in theirs and team in theirs
    # At night in Europe and America nothing is callable.
    assert queue_page(db, me, now=NOW.replace(hour=22), limit=50) == []


def test_claims_follow_the_queue_and_never_repeat(db: Database, people) -> None:
    me, other, _ = people
    first = add_lead(db, "First", 90)
    second = add_lead(db, "Second", 70)
    add_lead(db, "Dnc", 99, do_not_call=True)
    claimed = claim_next(db, me, now=NOW)
    assert claimed is not None and claimed.lead_id == first
    assert claimed.claim_expires_at == NOW + q.DEFAULT_LEASE
    assert claimed.reason.startswith("score 90")
    again = claim_next(db, other, now=NOW)
    assert again is not None and again.lead_id == second
    assert claim_next(db, other, now=NOW) is None
    # The holder sees the lead, the other rep opens it read-only with who holds it.
    opened = open_lead(db, first, other, now=NOW)
    assert opened.read_only and opened.holder_name == "Rep One"
    assert not open_lead(db, first, me, now=NOW).read_only
    # A lease that runs out returns the lead.
    later = NOW + q.DEFAULT_LEASE + timedelta(seconds=1)
    taken = claim_next(db, other, now=later)
    assert taken is not None and taken.lead_id in (first, second)
    with pytest.raises(q.ClaimNotHeld):
        renew_claim(db, taken.lead_id, me, now=later)
    assert release_claim(db, taken.lead_id, other)
    assert not release_claim(db, taken.lead_id, other)


def test_an_imported_lead_is_claimable_at_once(db: Database, people, tmp_path, monkeypatch) -> None:
    from teleprospect.services.imports import leads as importing
    from teleprospect.services.imports.leads import LeadImportRequest, import_leads

    # Imported on a Wednesday, 15:00 by the database's clock.
    monkeypatch.setattr(importing, "database_now", lambda session: NOW)

    me, _, _ = people
    with db.write() as s:
        campaign = Campaign(name="Form", channel="contact_form", default_region="DE")
        s.add(campaign)
        s.flush()
        campaign_id = campaign.id
    path = tmp_path / "leads.csv"
    path.write_text(
        "First Name,Last Name,Company,Title,Phone\nAnna,Berg,Berg AG,CEO,030 901820\n",
        encoding="utf-8",
    )
    summary = import_leads(
        db, LeadImportRequest(path=path, campaign_id=campaign_id, report_dir=tmp_path)
    )
    (lead_id,) = summary.imported_lead_ids
    with db.read() as s:
        lead = s.get(Lead, lead_id)
        assert lead is not None and lead.inbound and lead.call_zones == BERLIN
        assert lead.score > 0 and lead.rules_version == 1
    claimed = claim_next(db, me, now=NOW + timedelta(minutes=1))
    assert claimed is not None and claimed.lead_id == lead_id
    assert claimed.reason == "new inbound 1 min ago"


def _eligible_leads(db: Database, count: int) -> set[int]:
    found = set()
    for i in range(count):
        found.add(add_lead(db, f"P{i}", i % 100))
    add_lead(db, "NeverDnc", 99, do_not_call=True)
    add_lead(db, "NeverTokyo", 99, call_zones=TOKYO)
    return found


def test_four_processes_claim_every_lead_exactly_once(db: Database, db_url: str) -> None:
    with db.write() as s:
        users = [User(login=f"p{i}", name=f"P{i}") for i in range(4)]
        s.add_all(users)
        s.flush()
        user_ids = [u.id for u in users]
    eligible = _eligible_leads(db, 120)
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        results = pool.starmap(
            claim_worker.claim_until_empty, [(db_url, uid, NOW) for uid in user_ids]
        )
    claimed = [lead_id for result in results for lead_id in result]
    assert len(claimed) == len(set(claimed)), "a lead was handed out twice"
    assert set(claimed) == eligible


def test_a_killed_claimers_leads_come_back_after_the_lease(db: Database, db_url: str) -> None:
    crasher, survivor, _ = add_users(db)
    eligible = _eligible_leads(db, 5)
    process = multiprocessing.get_context("spawn").Process(
        target=claim_worker.claim_then_die, args=(db_url, crasher, NOW, 3, 60.0)
    )
    process.start()
    process.join(60)
    with db.read() as s:
        held = set(s.scalars(select(Lead.id).where(Lead.claimed_by_id == crasher)))
    assert len(held) == 3
    during = claim_worker.claim_until_empty(db_url, survivor, NOW + timedelta(seconds=30))
    assert set(during) == eligible - held
    after = claim_worker.claim_until_empty(db_url, survivor, NOW + timedelta(seconds=61))
    assert set(after) == held


def test_team_lead_routing(db: Database, people) -> None:
    from teleprospect.core.queue_policy import RoutingRule
    from teleprospect.services.settings.team_settings import ROUTING, write_setting

    me, _, boss = people
    big = add_lead(db, "Big", 90)
    small = add_lead(db, "Small", 40)
    write_setting(db, ROUTING, RoutingRule(min_score=80), user_id=boss)
    assert ids(queue_page(db, me, now=NOW)) == [small]
    assert ids(queue_page(db, boss, now=NOW)) == [big, small]


# ----------------------------------------------------------------------------- plans


def _backlog_sql(db: Database, user_id: int) -> tuple[str, dict]:
    with db.read() as session:
        ctx = qp.queue_context(session, user_id, NOW, None)
        query = qp.backlog_query(ctx, claiming=True, db_is_sqlite=db.is_sqlite).limit(1)
        compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    return str(compiled), {}


def test_next_lead_walks_the_queue_index_without_a_sort(db: Database, people) -> None:
    me, _, _ = people
    for i in range(300):
        add_lead(db, f"L{i}", i % 100, call_zones=(BERLIN, NEW_YORK, TOKYO)[i % 3])
    sql, _ = _backlog_sql(db, me)
    with db.engine.connect() as conn:
        if db.is_sqlite:
            conn.exec_driver_sql("ANALYZE")
            plan = " | ".join(r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
            assert "USING INDEX ix_lead_queue" in plan, plan
            assert "TEMP B-TREE" not in plan, plan
            assert "SCAN lead" not in plan.replace("SCAN lead USING INDEX ix_lead_queue", ""), plan
        else:
            # A handful of rows: tell the planner scans and bitmaps are out, as they are in
            # practice on a big table with LIMIT 1 (bench_queue.py shows the real plan).
            conn.exec_driver_sql("ANALYZE lead")
            conn.execute(text("SET enable_seqscan = off"))
            conn.execute(text("SET enable_bitmapscan = off"))
            plan = " | ".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + sql))
            assert "Index Scan using ix_lead_queue" in plan, plan
            assert "Sort" not in plan, plan


# ----------------------------------------------------------------------------- next lead


def _held_by(db: Database, user_id: int) -> set[int]:
    with db.read() as s:
        return set(s.scalars(select(Lead.id).where(Lead.claimed_by_id == user_id)))


def test_next_lead_claims_the_top_lead_and_gives_the_previous_one_back(
    db: Database, people
) -> None:
    me, _, _ = people
    first = add_lead(db, "First", 90)
    second = add_lead(db, "Second", 70)
    taken = next_lead(db, me, now=NOW)
    assert taken is not None and taken.lead_id == first
    assert taken.reason.startswith("score 90")
    # The lead on show is still held while the next is claimed: it never comes straight back.
    then = next_lead(db, me, release=first, now=NOW)
    assert then is not None and then.lead_id == second
    assert _held_by(db, me) == {second}


def test_next_lead_on_an_empty_queue_still_gives_the_lead_back(db: Database, people) -> None:
    me, other, _ = people
    only = add_lead(db, "Only", 90)
    assert next_lead(db, me, now=NOW) is not None
    assert next_lead(db, me, release=only, now=NOW) is None
    assert _held_by(db, me) == set()
    # Back in the queue: the next rep gets it.
    again = next_lead(db, other, now=NOW)
    assert again is not None and again.lead_id == only


def test_next_lead_that_fails_changes_nothing(db: Database, people, monkeypatch) -> None:
    me, _, _ = people
    held = add_lead(db, "Held", 90)
    add_lead(db, "Next", 70)
    assert next_lead(db, me, now=NOW) is not None

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the server went away")

    monkeypatch.setattr(q, "_claim_from", broken)
    with pytest.raises(RuntimeError):
        next_lead(db, me, release=held, now=NOW)
    assert _held_by(db, me) == {held}, "the rep keeps the lead on show"


def test_next_lead_never_releases_someone_elses_lead_nor_one_taken_over(
    db: Database, people
) -> None:
    me, other, _ = people
    mine = add_lead(db, "Mine", 90)
    add_lead(db, "Theirs", 80)
    assert next_lead(db, me, now=NOW) is not None
    theirs = next_lead(db, other, now=NOW)
    assert theirs is not None
    # "Releasing" the other rep's lead does nothing to it.
    assert next_lead(db, me, release=theirs.lead_id, now=NOW) is None
    assert _held_by(db, other) == {theirs.lead_id}
    # My lease ran out and the queue hands the same lead back to me: it stays claimed.
    later = NOW + q.DEFAULT_LEASE + timedelta(seconds=1)
    back = next_lead(db, me, release=mine, now=later)
    assert back is not None and _held_by(db, me) == {back.lead_id}
    # A lead that is gone does not stop the next one.
    after = next_lead(db, me, release=999_999, now=later)
    assert after is not None and after.lead_id not in (back.lead_id, 999_999)


def test_next_lead_for_nobody_is_refused(db: Database, people) -> None:
    from teleprospect.services.errors import UnknownUser

    with pytest.raises(UnknownUser, match="There is no user 4242"):
        next_lead(db, 4242, now=NOW)


def test_four_processes_pressing_next_lead_get_every_lead_exactly_once(
    db: Database, db_url: str
) -> None:
    from tests.services.queue import next_lead_worker

    with db.write() as s:
        users = [User(login=f"n{i}", name=f"N{i}") for i in range(4)]
        s.add_all(users)
        s.flush()
        user_ids = [u.id for u in users]
    eligible = _eligible_leads(db, 80)
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.starmap(
            next_lead_worker.keep_taking, [(db_url, uid, NOW) for uid in user_ids]
        )
    taken = [lead_id for result in results for lead_id in result]
    assert len(taken) == len(set(taken)), "a lead was handed out twice"
    assert set(taken) == eligible


def test_four_processes_skipping_through_the_queue_each_end_holding_one_lead(
    db: Database, db_url: str
) -> None:
    from tests.services.queue import next_lead_worker

    with db.write() as s:
        users = [User(login=f"s{i}", name=f"S{i}") for i in range(4)]
        s.add_all(users)
        s.flush()
        user_ids = [u.id for u in users]
    _eligible_leads(db, 12)
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        last = pool.starmap(
            next_lead_worker.skip_through, [(db_url, uid, NOW, 25) for uid in user_ids]
        )
    assert None not in last and len(set(last)) == 4, "two reps hold the same lead"
    for user_id, lead_id in zip(user_ids, last, strict=True):
        assert _held_by(db, user_id) == {lead_id}, "a skipped lead was kept"


def test_opening_a_lead_by_hand_gives_the_held_one_back_unless_it_opens_read_only(
    db: Database, people
) -> None:
    me, other, _ = people
    held = add_lead(db, "Held", 90)
    picked = add_lead(db, "Picked", 70)
    theirs = add_lead(db, "Theirs", 60)
    assert next_lead(db, me, now=NOW) is not None
    assert open_lead(db, theirs, other, now=NOW).claim is not None
    # Someone else's lead opens read-only: mine stays mine.
    seen = open_lead(db, theirs, me, release=held, now=NOW)
    assert seen.read_only and seen.holder_name == "Rep Two"
    assert _held_by(db, me) == {held}
    # A free lead is claimed and the held one given back, together.
    opened = open_lead(db, picked, me, release=held, now=NOW)
    assert not opened.read_only and opened.claim is not None
    assert _held_by(db, me) == {picked}
    with pytest.raises(LeadNotFound):
        open_lead(db, 999_999, me, release=picked, now=NOW)
    assert _held_by(db, me) == {picked}


# ----------------------------------------------------------------------------- lease limits


def _claims(db: Database) -> list[tuple[int, int | None, datetime | None]]:
    with db.read() as s:
        rows = s.execute(
            select(Lead.id, Lead.claimed_by_id, Lead.claim_expires_at).order_by(Lead.id)
        )
        return [(row.id, row.claimed_by_id, row.claim_expires_at) for row in rows]


def test_a_lease_over_an_hour_or_under_a_minute_is_refused_and_changes_nothing(
    db: Database, people
) -> None:
    from teleprospect.core.errors import Invalid
    from teleprospect.core.leases import MAX_LEASE, MIN_LEASE

    me, _, _ = people
    held = add_lead(db, "Held", 90)
    free = add_lead(db, "Free", 70)
    assert open_lead(db, held, me, now=NOW).claim is not None
    before = _claims(db)
    for lease in (MAX_LEASE + timedelta(seconds=1), timedelta(minutes=2_000_000_000)):
        too_long = r"^A claim holds a lead for 1 to 60 minutes, not "
        with pytest.raises(Invalid, match=too_long):
            claim_next(db, me, lease=lease, now=NOW)
        with pytest.raises(Invalid, match=too_long):
            next_lead(db, me, release=held, lease=lease, now=NOW)
        with pytest.raises(Invalid, match=too_long):
            open_lead(db, free, me, lease=lease, now=NOW)
        with pytest.raises(Invalid, match=too_long):
            renew_claim(db, held, me, lease=lease, now=NOW)
    for lease in (MIN_LEASE - timedelta(seconds=1), timedelta(0), -MIN_LEASE):
        with pytest.raises(Invalid, match="1 to 60 minutes"):
            claim_next(db, me, lease=lease, now=NOW)
        with pytest.raises(Invalid, match="1 to 60 minutes"):
            renew_claim(db, held, me, lease=lease, now=NOW)
    assert _claims(db) == before
    # The limits themselves are leases like any other.
    longest = claim_next(db, me, lease=MAX_LEASE, now=NOW)
    assert longest is not None and longest.claim_expires_at == NOW + MAX_LEASE
    assert renew_claim(db, held, me, lease=MIN_LEASE, now=NOW) == NOW + MIN_LEASE
