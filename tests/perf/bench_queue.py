"""Benchmark: claim_next (median, p95) and the first queue page on a big database.

    python tests/perf/bench_queue.py --db /tmp/q1m.sqlite3
    python tests/perf/bench_queue.py --db postgresql://me@localhost/bench

Make the database once with ``teleprospect --db FILE demo --leads 1000000`` and reuse it;
the claims made here are released again. Each figure is measured at several instants of a
weekday (different calling windows open) and printed with the query plan of "next lead".
The floor is a primary-key look-up of one lead in the same run. Last, claims as the app
makes them, on the database's clock, in turns with claims on this computer's clock.
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
    args = parser.parse_args(argv)
    db = Database(args.db)
    upgrade_to_head(db)
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


def func_max_id():  # noqa: ANN201
    from sqlalchemy import func

    return func.max(Lead.id)


if __name__ == "__main__":
    raise SystemExit(main())
