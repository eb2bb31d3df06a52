"""Benchmark: finding a lead among 1,000,000 on SQLite, and the Leads list's first page.

    python tests/perf/bench_search.py                 # builds /tmp/search1m.sqlite3 once
    python tests/perf/bench_search.py --leads 100000 --db /tmp/search100k.sqlite3

The database is made once by a bulk insert (seeded, so every run searches the same
leads; the search index is filled by its triggers as the leads go in) and kept for the
next run. Each kind of query (a name, a company, an email, a phone fragment typed with
spaces, an id, a combination with a filter, a word nobody has) runs in turns with the
naive ``LIKE '%x%'`` over the same texts, both asking for the first page of 200 in id
order; the figures are medians and 95th percentiles of ``--rounds`` turns. Then the
first page of the Leads list: the service call, in every order the list offers, and the
Qt model until its first rows arrive.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from teleprospect.services.leads.lead_list import LeadListing, LeadSort, list_leads
from teleprospect.store.database import Database
from teleprospect.store.migrate import upgrade_to_head

FIRST = ["Anna", "Rahul", "Zoë", "Julia", "Marco", "Chen", "Fatima", "Lars", "Ines", "Kofi"]
LAST = ["Berg", "Nair", "Adams", "Keller", "Rossi", "Wang", "Haddad", "Olsen", "Costa"]
WORDS = ["Nordwind", "Acme", "Bright", "Logistics", "Cloud", "Freight", "Systems", "Data"]
SUFFIX = ["GmbH", "Ltd", "Inc", "SA", "AB", "BV"]
COUNTRIES = ["DE", "US", "GB", "FR", "SE", "NL", "IN", "AU"]
STATUSES = ["new", "working", "nurture", "sales_ready", "disqualified"]
PAGE = 200


def build(path: Path, leads: int, seed: int = 14) -> None:
    """``leads`` seeded leads in a new database at ``path``."""
    db = Database(f"sqlite:///{path}")
    upgrade_to_head(db)
    db.dispose()
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    columns = (
        "first_name, last_name, company, title, industry, country, email, phone_raw,"
        " phone_e164, phone_valid, phone_time_zones, status, score, attempts, do_not_call,"
        " priority, call_zones, inbound, lead_source, extra, match_key, created_at,"
        " updated_at, version"
    )
    insert = f"INSERT INTO lead ({columns}) VALUES ({', '.join('?' * 24)})"
    began = time.perf_counter()
    for chunk in range(0, leads, 10_000):
        rows = []
        for n in range(chunk, min(leads, chunk + 10_000)):
            first, last = rng.choice(FIRST), f"{rng.choice(LAST)}{n % 997}"
            company = f"{rng.choice(WORDS)} {rng.choice(WORDS)}{n % 1009} {rng.choice(SUFFIX)}"
            number = f"{rng.randrange(200, 999)}{rng.randrange(1_000_000, 9_999_999)}"
            created = (start + timedelta(seconds=n * 30)).strftime("%Y-%m-%d %H:%M:%S.%f")
            rows.append(
                (
                    first,
                    last,
                    company,
                    "Buyer",
                    "Logistics",
                    rng.choice(COUNTRIES),
                    f"{first.lower()}.{last.lower()}{n}@example.com",
                    f"+1 ({number[:3]}) {number[3:6]}-{number[6:]}",
                    f"+1{number}",
                    1,
                    "America/New_York",
                    rng.choice(STATUSES),
                    rng.randrange(-10, 100),
                    0,
                    0,
                    0.0,
                    "America/New_York",
                    0,
                    "",
                    "{}",
                    "",
                    created,
                    created,
                    1,
                )
            )
        conn.executemany(insert, rows)
    conn.commit()  # one transaction: the search index is written in big segments
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()
    print(f"built {leads:,} leads in {time.perf_counter() - began:.0f} s: {path}")


def naive(conn: sqlite3.Connection, fragment: str, digits: bool) -> Callable[[], int]:
    """The query without the index: every lead's texts read and matched."""
    text = (
        "replace(replace(replace(replace(replace(phone_raw, ' ', ''), '-', ''), '(', ''),"
        " ')', ''), '+', '') || ' ' || replace(phone_e164, '+', '')"
        if digits
        else "first_name || ' ' || last_name || ' ' || company || ' ' || coalesce(email, '')"
    )
    sql = f"SELECT id FROM lead WHERE {text} LIKE ? ORDER BY id LIMIT {PAGE}"
    pattern = f"%{fragment}%"
    return lambda: len(conn.execute(sql, (pattern,)).fetchall())


def stats(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered) * 1000:7.2f} ms  p95 {p95 * 1000:7.2f} ms"


def timed(run: Callable[[], object]) -> float:
    began = time.perf_counter()
    run()
    return time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/search1m.sqlite3"))
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args(argv)
    if not args.db.exists():
        # Built aside and renamed when done: a build cut short is never taken for the cache.
        partial = args.db.with_name(args.db.name + ".building")
        for leftover in args.db.parent.glob(partial.name + "*"):
            leftover.unlink()
        build(partial, args.leads)
        partial.rename(args.db)
    db = Database(f"sqlite:///{args.db}")
    upgrade_to_head(db)
    conn = sqlite3.connect(args.db)
    now = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)
    # (what, typed in the box, the naive query's fragment, whether it is a phone)
    kinds = [
        ("name fragment", "keller4", "keller4", False),
        ("company fragment", "wind freight12", "freight12", False),
        ("email fragment", "rossi77", "rossi77", False),
        ("phone, spaced", "555 12", "55512", True),
        ("phone, long", "(415) 23", "41523", True),
        ("lead id", "#123456", "123456", True),
        ("common word", "acme", "acme", False),
        ("nobody has it", "zzyzx", "zzyzx", False),
    ]
    print(f"{args.db} ({args.rounds} turns each, first page of {PAGE}):")
    for what, typed, fragment, digits in kinds:
        listing = LeadListing(search=typed)
        indexed_samples: list[float] = []
        naive_samples: list[float] = []
        plain = naive(conn, fragment, digits)
        found = len(list_leads(db, listing, limit=PAGE, now=now).rows)  # warm
        for _ in range(args.rounds):
            indexed_samples.append(timed(lambda: list_leads(db, listing, limit=PAGE, now=now)))  # noqa: B023
            naive_samples.append(timed(plain))
        print(f"  {what:<17} {found:>4} found  index: {stats(indexed_samples)}")
        print(f"  {'':<17} {'':>10}  LIKE:  {stats(naive_samples)}")
    filtered = LeadListing(search="keller", status=None, country="DE", sort=LeadSort.NAME)
    samples = [
        timed(lambda: list_leads(db, filtered, limit=PAGE, now=now)) for _ in range(args.rounds)
    ]
    print(f"  search + country + by name         index: {stats(samples)}")
    print("first page of the Leads list (service):")
    for sort in LeadSort:
        for descending in (False, True):
            listing = LeadListing(sort=sort, descending=descending)
            samples = [
                timed(lambda: list_leads(db, listing, limit=PAGE, now=now))  # noqa: B023
                for _ in range(args.rounds)
            ]
            print(f"  {sort.value:<10} {'desc' if descending else 'asc ':<4}  {stats(samples)}")
    print("first rows on screen (Qt model, workers as in the app):", first_rows(db, args.rounds))
    db.dispose()
    return 0


def first_rows(db: Database, rounds: int) -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from teleprospect.ui.leads.lead_table_model import LeadTableModel

    app = QApplication.instance() or QApplication(sys.argv[:1])
    samples = []
    for _ in range(rounds):
        model = LeadTableModel()
        began = time.perf_counter()
        model.set_database(db)
        loop = QEventLoop()
        while model.rowCount() == 0 and time.perf_counter() - began < 30:
            QTimer.singleShot(1, loop.quit)
            loop.exec()
        samples.append(time.perf_counter() - began)
        model.deleteLater()
    app.processEvents()
    return stats(samples)


if __name__ == "__main__":
    raise SystemExit(main())
