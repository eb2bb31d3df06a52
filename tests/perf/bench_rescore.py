"""Benchmark: re-score every lead of a database with the rules in force.

    python tests/perf/bench_rescore.py --db /tmp/q1m.sqlite3
    python tests/perf/bench_rescore.py --db postgresql://me@localhost/bench

Make the database once with ``teleprospect --db FILE demo --leads 1000000`` (about two
minutes) and reuse it: re-scoring changes scores, never the number of leads. The floor is
scoring alone (the pure core, no database) over the same leads, so the ratio shows what
the database work adds.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime

from sqlalchemy import select

from teleprospect.core.scoring.engine import ScoreInput
from teleprospect.services.scoring.rescore import rescore_all
from teleprospect.services.scoring.scores import active_rules
from teleprospect.store.database import Database
from teleprospect.store.migrate import upgrade_to_head
from teleprospect.store.models import Lead


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", metavar="URL", required=True, help="a database with leads")
    args = parser.parse_args(argv)
    db = Database(args.db)
    upgrade_to_head(db)
    now = datetime.now(UTC)
    compiled = active_rules(db).compiled
    with db.read() as session:
        rows = session.execute(
            select(
                Lead.title,
                Lead.industry,
                Lead.company_size,
                Lead.country,
                Lead.email,
                Lead.phone_valid,
                Lead.company,
            )
        ).all()
    started = time.perf_counter()
    for title, industry, size, country, email, valid, company in rows:
        compiled.score_total_only(
            ScoreInput(title, industry, size, country, email, valid, company), now
        )
    floor = time.perf_counter() - started
    del rows

    last = [time.perf_counter()]

    def progress(done: int, total: int) -> None:
        if time.perf_counter() - last[0] > 10 or done == total:
            last[0] = time.perf_counter()
            print(f"  {done:,}/{total:,}", file=sys.stderr, flush=True)

    summary = rescore_all(db, now=now, progress=progress)
    db.dispose()
    rate = summary.leads / summary.seconds if summary.seconds else 0
    print(
        f"{db.backend}: re-scored {summary.leads:,} leads in {summary.seconds:.1f} s"
        f" ({rate:,.0f} leads/s; {summary.changed:,} changed); scoring alone {floor:.1f} s;"
        f" ratio {summary.seconds / floor if floor else 0:.1f}x"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
