"""Benchmark: claim_next (median, p95) and the first queue page on a big database.

    python tests/perf/bench_queue.py --db /tmp/q1m.sqlite3
    python tests/perf/bench_queue.py --db postgresql://me@localhost/bench

Make the database once with ``teleprospect --db FILE demo --leads 1000000`` and reuse it;
the claims made here are released again. Each figure is measured at several instants of a
weekday (different calling windows open) and printed with the query plan of "next lead".
The floor is a primary-key look-up of one lead in the same run. Last, claims as the app
makes them, on the database's clock, in turns with claims on this computer's clock.

``--hours`` measures instead every hour 00–23 UTC of a weekday, the database's clock
frozen there: claim_next and the first queue page, each with the backlog read as index
ranges merged per open zone set ("ranges") in turns with the walk down the priority
index the queue used before ("walk", ``MERGE_ZONE_SETS = 0``), medians and p95 per hour.

    python tests/perf/bench_queue.py --db /tmp/q1m.sqlite3 --hours --claims 40
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from teleprospect.services.queue import claims as q
from teleprospect.services.queue import page as qp
from teleprospect.store.database import Database
from teleprospect.store.migrate import upgrade_to_head
from teleprospect.store.models import Lead, User

CLAIMS = 200


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", metavar="URL", required=True, help="a database with demo leads")
    parser.add_argument("--claims", type=int, default=CLAIMS)
    parser.add_argument("--hours", action="store_true", help="every hour, ranges vs walk")
    args = parser.parse_args(argv)
    db = Database(args.db)
    upgrade_to_head(db)
    if args.hours:
        return every_hour(db, args.claims)
    with db.read() as session:
        user_id = session.scalar(select(User.id).where(User.login == "sam.carter"))
        some = session.scalar(select(func_max_id()))
    assert user_id is not None, "load demo data first"

    floor = []
    for i in range(200):
        started = time.perf_counter()
        with db.read() as session:
            session.get(Lead, 1 + (i * 7919) % some)
        floor.append(time.perf_counter() - started)
    floor_ms = statistics.median(floor)
    print(f"{db.backend}: floor (one lead by id, own transaction) {_ms(floor_ms)}")

    day = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    while day.weekday() > 2:
        day += timedelta(days=1)
    for hour in (9, 15, 20, 3):
        now = day.replace(hour=hour)
        qp.queue_page(db, user_id, now=now, limit=50)  # warm the zone cache
        pages = []
        for _ in range(20):
            started = time.perf_counter()
            page = qp.queue_page(db, user_id, now=now, limit=50)
            pages.append(time.perf_counter() - started)
        claims, claimed = [], []
        for _ in range(args.claims):
            started = time.perf_counter()
            lead = q.claim_next(db, user_id, now=now)
            claims.append(time.perf_counter() - started)
            if lead is None:
                break
            claimed.append(lead.lead_id)
        for lead_id in claimed:
            q.release_claim(db, lead_id, user_id)
        p95 = statistics.quantiles(claims, n=20)[-1] if len(claims) > 1 else claims[0]
        median = statistics.median(claims)
        print(
            f"  {now:%a %H:%M} UTC: first page ({len(page)} rows) median"
            f" {_ms(statistics.median(pages))}; claim_next median {_ms(median)}"
            f" ({median / floor_ms:.1f}x floor), p95 {_ms(p95)} over {len(claims)} claims"
        )
    # As the app claims: no time given, so the database's clock decides (on PostgreSQL one
    # query more, for the server's now()). Paired claim by claim, in turns, with the same
    # claim on this computer's clock (how the app claimed before), so that a busy machine
    # weighs on both alike. The windows open are today's, whatever they are.
    timings: dict[str, list[float]] = {"database's clock": [], "this computer's clock": []}
    claimed = []
    for i in range(args.claims):
        turns = list(timings) if i % 2 == 0 else list(reversed(timings))
        for clock in turns:
            now = None if clock == "database's clock" else datetime.now(UTC)
            started = time.perf_counter()
            lead = q.claim_next(db, user_id, now=now)
            timings[clock].append(time.perf_counter() - started)
            if lead is not None:
                claimed.append(lead.lead_id)
    for lead_id in claimed:
        q.release_claim(db, lead_id, user_id)
    for clock, claims in timings.items():
        median = statistics.median(claims)
        print(
            f"  now, on {clock}: claim_next median {_ms(median)} ({median / floor_ms:.1f}x"
            f" floor), p95 {_ms(statistics.quantiles(claims, n=20)[-1])} over {len(claims)}"
            " claims"
        )
    print(f"  ({len(claimed)} leads claimed in turns, then released)")
    with db.read() as session:
        ctx = qp.queue_context(session, user_id, day.replace(hour=15), None)
        query = qp.backlog_query(ctx, claiming=True, db_is_sqlite=db.is_sqlite).limit(1)
        sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
        conn = session.connection()
        if db.is_sqlite:
            plan = [r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
        else:
            plan = [r[0] for r in conn.exec_driver_sql("EXPLAIN " + sql)]
    print("plan of the backlog's next lead:")
    for line in plan:
        print("   ", line)
    db.dispose()
    return 0


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]


def every_hour(db: Database, claims: int) -> int:
    """claim_next and the first page at every hour of a weekday, ranges and walk in turns."""
    with db.read() as session:
        user_id = session.scalar(select(User.id).where(User.login == "sam.carter"))
        count = session.scalar(select(func_max_id()))
    assert user_id is not None, "load demo data first"
    merge_default = qp.MERGE_ZONE_SETS
    variants = {"ranges": merge_default, "walk": 0}
    day = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    while day.weekday() > 2:
        day += timedelta(days=1)
    print(f"{db.backend}, {count:,} leads, {day:%A} (UTC), {claims} claims per variant and hour")
    print("hour  open  floor   claim: ranges median p95 (p95/floor), walk median p95 (p95/floor);")
    print("                    first page: ranges median p95, walk median p95 (all in ms)")
    worst: dict[str, float] = {"ranges": 0.0, "walk": 0.0}
    page_worst: dict[str, float] = {"ranges": 0.0, "walk": 0.0}
    try:
        for hour in range(24):
            now = day.replace(hour=hour)
            with db.read() as session:
                open_sets = len(qp.queue_context(session, user_id, now, None).open_zones)
            timings: dict[str, list[float]] = {name: [] for name in variants}
            pages: dict[str, list[float]] = {name: [] for name in variants}
            claimed: list[int] = []
            for merge in variants.values():
                # Warm both: each shape of statement is built and compiled once a process.
                qp.MERGE_ZONE_SETS = merge
                qp.queue_page(db, user_id, now=now, limit=50)
                warm = q.claim_next(db, user_id, now=now)
                if warm is not None:
                    q.release_claim(db, warm.lead_id, user_id)
            floor: list[float] = []
            for i in range(claims):
                started = time.perf_counter()
                with db.read() as session:
                    session.get(Lead, 1 + (i * 7919) % count)
                floor.append(time.perf_counter() - started)
                order = list(variants) if i % 2 == 0 else list(reversed(variants))
                for name in order:
                    qp.MERGE_ZONE_SETS = variants[name]
                    started = time.perf_counter()
                    lead = q.claim_next(db, user_id, now=now)
                    timings[name].append(time.perf_counter() - started)
                    if lead is not None:
                        claimed.append(lead.lead_id)
                    if i < 20:
                        started = time.perf_counter()
                        qp.queue_page(db, user_id, now=now, limit=50)
                        pages[name].append(time.perf_counter() - started)
            for lead_id in claimed:
                q.release_claim(db, lead_id, user_id)
            floor_ms = statistics.median(floor) * 1000
            row = f"{hour:02d}:00  {open_sets:4d}  {floor_ms:5.2f}"
            for name in variants:
                median, p95 = statistics.median(timings[name]), _p95(timings[name])
                worst[name] = max(worst[name], p95)
                row += f"   {median * 1000:7.2f} {p95 * 1000:7.2f} ({p95 * 1000 / floor_ms:4.1f}x)"
            for name in variants:
                median, p95 = statistics.median(pages[name]), _p95(pages[name])
                page_worst[name] = max(page_worst[name], p95)
                row += f"   {median * 1000:8.2f} {p95 * 1000:8.2f}"
            print(row, flush=True)
    finally:
        qp.MERGE_ZONE_SETS = merge_default
    for name in variants:
        print(
            f"worst hour's p95, {name}: claim_next {worst[name] * 1000:.2f} ms,"
            f" first page {page_worst[name] * 1000:.2f} ms"
        )
    db.dispose()
    return 0


def func_max_id():  # noqa: ANN201
    from sqlalchemy import func

    return func.max(Lead.id)


if __name__ == "__main__":
    raise SystemExit(main())
