"""One clock decides between workstations (DESIGN.md §2 rule 8).

Measured before: a workstation 6 minutes fast took three leads held under live 5-minute
leases, and the first rep's save was refused. Here one process plays the workstations in
turn (tests/services/clock_fixtures.py shifts this computer's clock); on PostgreSQL the
server's clock, in another process, decides every time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text, update

from teleprospect.core.domain import Disposition
from teleprospect.core.queue_policy import CallingHours, QueueTier, stored_priority
from teleprospect.services.calls.log_call import ClaimRequired, log_call, start_call
from teleprospect.services.clock import clock_offset, decision_time
from teleprospect.services.database import upgrade_database
from teleprospect.services.queue.claims import (
    ClaimNotHeld,
    claim_next,
    next_lead,
    open_lead,
    renew_claim,
)
from teleprospect.services.queue.page import queue_page, queue_signature
from teleprospect.services.settings.team_settings import CALLING_HOURS, write_setting
from teleprospect.store.database import Database
from teleprospect.store.models import CallbackEntry, Lead, User
from tests.services.clock_fixtures import WorkstationClock

FIVE_MINUTES = timedelta(minutes=5)
TEN_MINUTES = timedelta(minutes=10)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> WorkstationClock:
    return WorkstationClock.install(monkeypatch)


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    database = Database(pg_url)
    upgrade_database(database)
    yield database
    database.dispose()


def server_now(db: Database) -> datetime:
    with db.read() as s:
        found = s.scalar(select(func.clock_timestamp()))
    assert found is not None
    return found.astimezone(UTC)


def zone_at_two_pm(now: datetime) -> str:
    """A time zone where it is 14:xx at ``now``: well inside every calling window."""
    hours = (14 - now.hour) % 24
    if hours > 14:
        hours -= 24
    # The POSIX names count the other way round: Etc/GMT-3 is three hours ahead of UTC.
    return "Etc/GMT" if hours == 0 else f"Etc/GMT{-hours:+d}"


@pytest.fixture
def desk(pg_db: Database) -> tuple[Database, int, int, str]:
    """Reps A and B, calling every day 08:00–21:00 in a zone where it is early afternoon
    by the server's clock, whatever the day and hour the tests run."""
    with pg_db.write() as s:
        a, b = User(login="rep.a", name="Rep A"), User(login="rep.b", name="Rep B")
        s.add_all([a, b])
        s.flush()
        ids = a.id, b.id
    write_setting(pg_db, CALLING_HOURS, CallingHours.legal_limit(), user_id=None)
    return pg_db, ids[0], ids[1], zone_at_two_pm(server_now(pg_db))


def add_lead(db: Database, zone: str, name: str, score: int) -> int:
    created = server_now(db) - timedelta(days=10)
    with db.write() as s:
        lead = Lead(
            first_name=name,
            last_name="Test",
            company=f"{name} GmbH",
            phone_raw="+49 30 901820",
            phone_e164="+4930901820",
            phone_valid=True,
            score=score,
            created_at=created,
            # The number's zones: re-scoring after a call works the calling zones out again.
            phone_time_zones=zone,
            call_zones=zone,
            priority=stored_priority(score, 0, created),
        )
        s.add(lead)
        s.flush()
        return lead.id


def holder(db: Database, lead_id: int) -> tuple[int | None, datetime | None]:
    with db.read() as s:
        row = s.execute(
            select(Lead.claimed_by_id, Lead.claim_expires_at).where(Lead.id == lead_id)
        ).one()
        return row.claimed_by_id, row.claim_expires_at


def lease_lapsed_on_the_server(db: Database, lead_id: int) -> None:
    """As if the lease's five minutes had passed: it ran out a minute ago, server time."""
    with db.write() as s:
        s.execute(
            update(Lead)
            .where(Lead.id == lead_id)
            .values(claim_expires_at=text("now() - interval '1 minute'"))
        )


# ----------------------------------------------------------------------------- both databases


def test_the_deciding_clock_is_the_servers_on_postgresql_and_this_computers_on_sqlite(
    db: Database, clock: WorkstationClock
) -> None:
    clock.set(TEN_MINUTES)
    with db.read() as s:
        deciding = decision_time(s, None)
    fast = clock.utcnow()
    real = fast - TEN_MINUTES
    if db.is_sqlite:
        # One computer, one clock: the file follows it, right or wrong.
        assert abs(deciding - fast) < timedelta(seconds=30)
        assert clock_offset(db) is None
    else:
        assert abs(deciding - real) < timedelta(seconds=30)
        offset = clock_offset(db)
        assert offset is not None and abs(offset + TEN_MINUTES) < timedelta(seconds=30)
        clock.set(0)
        offset = clock_offset(db)
        assert offset is not None and abs(offset) < timedelta(seconds=30)
    # A time the caller fixes is kept as it is, in UTC; a time without a zone is refused.
    fixed = datetime(2026, 11, 25, 15, tzinfo=UTC)
    with db.read() as s:
        assert decision_time(s, fixed) == fixed
        with pytest.raises(ValueError, match="naive datetime"):
            decision_time(s, fixed.replace(tzinfo=None))


# ----------------------------------------------------------------------------- PostgreSQL


@pytest.mark.postgresql
def test_a_workstation_ten_minutes_fast_never_takes_a_lead_under_a_live_lease(
    desk: tuple[Database, int, int, str], clock: WorkstationClock
) -> None:
    db, rep_a, rep_b, zone = desk
    held = add_lead(db, zone, "Held", 90)
    other = add_lead(db, zone, "Other", 40)
    clock.set(0)
    claimed = claim_next(db, rep_a, lease=FIVE_MINUTES)
    assert claimed is not None and claimed.lead_id == held
    assert abs(claimed.claim_expires_at - (server_now(db) + FIVE_MINUTES)) < timedelta(seconds=30)

    clock.set(TEN_MINUTES)
    # On B's clock A's lease ran out five minutes ago: it did not on the server's.
    assert clock.utcnow() > claimed.claim_expires_at
    assert held not in [e.lead_id for e in queue_page(db, rep_b)]
    assert held not in queue_signature(db, rep_b)[0]
    got = next_lead(db, rep_b)
    assert got is not None and got.lead_id == other
    assert claim_next(db, rep_b) is None
    assert next_lead(db, rep_b, release=other) is None  # B gives the other lead back
    assert claim_next(db, rep_b) is not None  # … and takes it again, never A's
    opened = open_lead(db, held, rep_b)
    assert opened.read_only and opened.holder_name == "Rep A" and opened.claim is None
    with pytest.raises(ClaimNotHeld, match="held by Rep A"):
        renew_claim(db, held, rep_b)
    with pytest.raises(ClaimRequired, match="held by Rep A"):
        start_call(db, held, rep_b)
    with pytest.raises(ClaimRequired, match="held by Rep A"):
        log_call(db, held, rep_b, disposition=Disposition.NO_ANSWER)
    assert holder(db, held) == (rep_a, claimed.claim_expires_at)

    clock.set(0)
    renewed = renew_claim(db, held, rep_a)
    assert renewed >= claimed.claim_expires_at
    started = start_call(db, held, rep_a)
    logged = log_call(db, held, rep_a, disposition=Disposition.NO_ANSWER, call_id=started.call_id)
    assert logged.lead_id == held and holder(db, held) == (None, None)


@pytest.mark.postgresql
def test_a_workstation_ten_minutes_slow_keeps_no_expired_lease_alive(
    desk: tuple[Database, int, int, str], clock: WorkstationClock
) -> None:
    db, rep_a, rep_b, zone = desk
    lapsed = add_lead(db, zone, "Lapsed", 90)
    picked = add_lead(db, zone, "Picked", 40)
    clock.set(0)
    assert claim_next(db, rep_a) is not None
    assert not open_lead(db, picked, rep_a).read_only
    lease_lapsed_on_the_server(db, lapsed)
    lease_lapsed_on_the_server(db, picked)

    clock.set(-TEN_MINUTES)
    # On B's clock both leases still have nine minutes to run: on the server's they are over.
    assert clock.utcnow() < holder(db, lapsed)[1]  # type: ignore[operator]
    assert lapsed in [e.lead_id for e in queue_page(db, rep_b)]
    taken = next_lead(db, rep_b)
    assert taken is not None and taken.lead_id == lapsed
    opened = open_lead(db, picked, rep_b)
    assert not opened.read_only and opened.claim is not None
    # A claim made on the slow clock still runs its full lease from the server's now.
    expires = opened.claim_expires_at
    assert expires is not None
    assert abs(expires - (server_now(db) + FIVE_MINUTES)) < timedelta(seconds=30)

    clock.set(0)
    with pytest.raises(ClaimRequired, match="held by Rep B"):
        log_call(db, lapsed, rep_a, disposition=Disposition.NO_ANSWER)
    assert open_lead(db, picked, rep_a).read_only


@pytest.mark.postgresql
def test_a_callback_falls_due_by_the_servers_clock_not_the_workstations(
    desk: tuple[Database, int, int, str], clock: WorkstationClock
) -> None:
    db, rep_a, rep_b, zone = desk
    promised = add_lead(db, zone, "Promised", 50)
    due = server_now(db) + FIVE_MINUTES
    with db.write() as s:
        s.add(CallbackEntry(lead_id=promised, due_at=due))

    clock.set(TEN_MINUTES)
    # On B's clock the callback was due five minutes ago; on the server's it is not yet.
    assert clock.utcnow() > due
    assert queue_page(db, rep_b) == []
    assert claim_next(db, rep_b) is None
    # A call made meanwhile (opened by hand) keeps the promise for later: still open.
    assert not open_lead(db, promised, rep_b).read_only
    log_call(db, promised, rep_b, disposition=Disposition.NO_ANSWER)
    with db.read() as s:
        assert (
            s.scalar(select(CallbackEntry.done_at).where(CallbackEntry.lead_id == promised)) is None
        )

    with db.write() as s:  # the time comes, on the server
        s.execute(
            update(CallbackEntry)
            .where(CallbackEntry.lead_id == promised)
            .values(due_at=text("now() - interval '1 minute'"))
        )
    clock.set(-TEN_MINUTES)
    # On A's clock it is due in nine minutes; on the server's it is due now.
    page = queue_page(db, rep_a)
    assert [(e.lead_id, e.tier) for e in page] == [(promised, QueueTier.TEAM_CALLBACK)]
    claimed = claim_next(db, rep_a)
    assert claimed is not None and claimed.lead_id == promised
    assert claimed.tier is QueueTier.TEAM_CALLBACK and claimed.callback_id is not None
