"""Benchmark: load N demo leads into a fresh database and report the rate.

    python tests/perf/bench_demo.py --leads 1000000
    python tests/perf/bench_demo.py --leads 200000 --db postgresql://me@localhost/bench

Without ``--db`` the data goes to a temporary SQLite file that is deleted afterwards.
A ``--db`` database must be empty (the schema is brought to the newest version).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from teleprospect.demo.loader import load_demo
from teleprospect.store.database import Database
from teleprospect.store.migrate import upgrade_to_head


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000, help="how many leads")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", metavar="URL", help="an empty database (default: temp SQLite)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="tp-bench-") as folder:
        url = args.db or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        db = Database(url)
        try:
            upgrade_to_head(db)
            last_report = [time.perf_counter()]

            def progress(done: int, total: int) -> None:
                if time.perf_counter() - last_report[0] > 10 or done == total:
                    last_report[0] = time.perf_counter()
                    print(f"  {done:,}/{total:,}", file=sys.stderr, flush=True)

            summary = load_demo(db, leads=args.leads, seed=args.seed, progress=progress)
        finally:
            db.dispose()
        size = ""
        if db.sqlite_path and db.sqlite_path.exists():
            size = f", file {db.sqlite_path.stat().st_size / 1e6:,.0f} MB"
    print(f"database: {db.backend}{size}")
    print(f"leads: {summary.leads:,} ({summary.invalid_phones:,} bad phone numbers, flagged)")
    print(f"elapsed: {summary.seconds:.1f} s")
    print(f"rate: {summary.leads / summary.seconds:,.0f} leads/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
