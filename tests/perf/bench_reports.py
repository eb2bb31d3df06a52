# ruff: noqa: E501 - the generating SQL reads best on long lines
"""Benchmark: every report over 90 days on 1,000,000 leads and 3,000,000 calls.

    python tests/perf/bench_reports.py                       # SQLite, cached in /tmp
    python tests/perf/bench_reports.py --pg --leads 300000   # a private PostgreSQL

The data set is made once by INSERT … SELECT over a generated series (deterministic:
every value is a function of the row number) and the SQLite file is kept under /tmp.
Leads arrive every 31 seconds over a year, each gets three calls (the first within two
hours, then a day apart), 3 % are made sales-ready and half of those handed off, with
verdicts. The reports run in turns, round after round, so drift on a busy machine hits
them alike; the floor, timed in the same turns, counts the range's calls. Medians and
p95 are printed; each report's budget is 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, date, datetime

from sqlalchemy import func, select, text

from teleprospect.core.domain import UserRole
from teleprospect.core.reports import ReportFilter
from teleprospect.services.reports import REPORTS, run_report
from teleprospect.store.database import Database
from teleprospect.store.migrate import upgrade_to_head
from teleprospect.store.models import Call, Campaign, Lead, User

END = datetime(2026, 11, 30, tzinfo=UTC)
SPACING_S = 31
ZONES = (
    "Europe/Berlin", "Europe/Paris", "America/New_York", "America/Chicago",
    "America/Los_Angeles", "Europe/London", "Asia/Tokyo", "America/New_York America/Chicago",
)  # fmt: skip
SOURCES = ("Webinar", "White paper", "Trade show", "Contact form", "Partner", "")
DISPOSITIONS = (
    "connected", "connected", "connected", "no_answer", "no_answer", "no_answer",
    "voicemail_left", "busy", "gatekeeper", "not_interested",
)  # fmt: skip
REPS = 20
CAMPAIGNS = 10
BUDGET_S = 1.0


def _case(expr: str, values: tuple[str, ...]) -> str:
    whens = " ".join(f"WHEN {i} THEN '{v}'" for i, v in enumerate(values))
    return f"CASE ({expr}) % {len(values)} {whens} END"


def _series(pg: bool, n: int) -> str:
    if pg:
        return f"generate_series(1::bigint, {n}) AS s(i)"
    return f"(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) SELECT i FROM s) AS s"


def _time(pg: bool, epoch: str) -> str:
    if pg:
        return f"to_timestamp({epoch})"
    return f"strftime('%Y-%m-%d %H:%M:%S', {epoch}, 'unixepoch') || '.000000'"


def build(db: Database, leads: int) -> None:
    pg = not db.is_sqlite
    end = int(END.timestamp())
    with db.write() as s:
        s.add_all(
            User(
                login=f"rep{i}",
                name=f"Rep {i:02d}",
                role=UserRole.TEAM_LEAD if i == 0 else UserRole.TELEPROSPECTOR,
            )
            for i in range(REPS)
        )
        s.add_all(Campaign(name=f"Campaign {i}") for i in range(CAMPAIGNS))
    created = f"{end} - i * {SPACING_S}"
    true = "true" if pg else "1"
    false = "false" if pg else "0"
    statements = [
        f"""INSERT INTO lead (id, first_name, last_name, company, title, industry, phone_raw,
            phone_valid, phone_time_zones, status, score, attempts, do_not_call, priority,
            call_zones, inbound, lead_source, extra, match_key, created_at, updated_at,
            version, campaign_id, owner_id, country)
        SELECT i, 'First', 'Last', 'Company ' || (i % 5000), '', '', '', {true},
            {_case("i", ZONES)}, 'working', i % 100, 3, {false}, 0.0,
            {_case("i", ZONES)}, {true}, {_case("i / 7", SOURCES)}, '{{}}', '',
            {_time(pg, created)}, {_time(pg, created)}, 1, 1 + i % {CAMPAIGNS},
            1 + i % {REPS}, {_case("i", ("DE", "FR", "US", "US", "US", "GB", "JP", "US"))}
        FROM {_series(pg, leads)}""",
        # Three calls a lead: k = 0, 1, 2.
        f"""INSERT INTO call (lead_id, user_id, started_at, ended_at, disposition, notes,
            duration_s, dialed_number, decision_reason)
        SELECT 1 + (i - 1) % {leads}, 1 + ((i - 1) % {leads} + 1) % {REPS},
            {_time(pg, f"{end} - (1 + (i - 1) % {leads}) * {SPACING_S} + (i * 7919) % 7200 + ((i - 1) / {leads}) * 86400")},
            {_time(pg, f"{end} - (1 + (i - 1) % {leads}) * {SPACING_S} + (i * 7919) % 7200 + ((i - 1) / {leads}) * 86400 + i % 600")},
            {_case("i * 31", DISPOSITIONS)}, '', i % 600, '', ''
        FROM {_series(pg, 3 * leads)}""",
        f"""INSERT INTO lead_history (lead_id, user_id, at, kind, from_value, to_value, reason)
        SELECT id, owner_id, {_time(pg, f"{end} - id * {SPACING_S} + 86400")}, 'status',
            'working', 'sales_ready', ''
        FROM lead WHERE id % 33 = 0""",
        f"""INSERT INTO handoff_batch (id, user_id, created_at, format, file_path, file_sha256,
            leads, selection, again)
        SELECT i, 1, {_time(pg, f"{end} - i * 604800")}, 'full', '', '', 0, '', {false}
        FROM {_series(pg, 60)}""",
        f"""INSERT INTO handoff_item (batch_id, lead_id, reference, verdict, verdict_reason,
            verdict_at, verdict_source)
        SELECT 1 + (id * {SPACING_S}) / 604800, id, 'B-' || id,
            CASE WHEN id % 4 = 0 THEN 'accepted' ELSE 'rejected' END,
            CASE WHEN id % 4 = 0 THEN '' ELSE {_case("id", ("no budget", "wrong person", "no need"))} END,
            {_time(pg, f"{end} - id * {SPACING_S} + 3 * 86400")}, 'bench'
        FROM lead WHERE id % 66 = 0""",
    ]
    with db.engine.begin() as conn:
        for statement in statements:
            started = time.perf_counter()
            conn.execute(text(statement))
            print(f"  {statement.split()[2]}: {time.perf_counter() - started:.1f} s", flush=True)
        if pg:
            conn.execute(text("SELECT setval('lead_id_seq', (SELECT max(id) FROM lead))"))
        else:
            conn.execute(text("ANALYZE"))
    if pg:
        # What autovacuum does on a live server: the statistics, and the visibility map
        # without which PostgreSQL reads the table behind every index entry.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", metavar="URL", help="a database URL (default: a cached SQLite file)"
    )
    parser.add_argument("--pg", action="store_true", help="start a private PostgreSQL server")
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    server = None
    if args.pg:
        from tests.pg_server import start_private_server

        server = start_private_server()
        assert server is not None, "no PostgreSQL binaries found"
        url = server.url
    else:
        url = args.db or f"sqlite:////tmp/bench_reports_{args.leads}.sqlite3"
    try:
        return _run(url, args.leads, args.rounds)
    finally:
        if server is not None:
            server.remove()


def _revision(db: Database) -> str | None:
    with db.read() as session:
        return session.scalar(text("SELECT version_num FROM alembic_version"))


def _run(url: str, leads: int, rounds: int) -> int:
    db = Database(url)
    with db.read() as session:
        tables = session.scalars(text("SELECT 1 FROM sqlite_master")) if db.is_sqlite else None
        before = _revision(db) if tables is not None and tables.first() else None
    upgrade_to_head(db)
    if before is not None and before != _revision(db):
        # New indexes on a cached data set: the planner needs their statistics.
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    with db.read() as session:
        found = session.scalar(select(func.count()).select_from(Lead))
    if not found:
        print(f"Building {leads:,} leads and {3 * leads:,} calls…", flush=True)
        build(db, leads)
    with db.read() as session:
        lead_count = session.scalar(select(func.count()).select_from(Lead))
        call_count = session.scalar(select(func.count()).select_from(Call))
        boss = session.scalar(select(User.id).where(User.login == "rep0"))
    assert boss is not None
    f = ReportFilter.days(date(2026, 9, 1), date(2026, 11, 29))
    print(f"{db.backend}: {lead_count:,} leads, {call_count:,} calls; 90 days, {rounds} rounds")

    def floor() -> None:
        with db.read() as session:
            session.scalar(
                select(func.count())
                .select_from(Call)
                .where(Call.started_at >= f.start, Call.started_at < f.end)
            )

    work = {"floor (count the range's calls)": floor}
    for name, kind in REPORTS.items():
        if kind.available:
            work[name] = lambda name=name: run_report(db, boss, name, f)
    times: dict[str, list[float]] = {name: [] for name in work}
    for _ in range(rounds):
        for name, op in work.items():
            started = time.perf_counter()
            op()
            times[name].append(time.perf_counter() - started)
    failed = 0
    floor_median = statistics.median(times["floor (count the range's calls)"])
    for name, seconds in times.items():
        median = statistics.median(seconds)
        p95 = statistics.quantiles(seconds, n=20)[-1] if len(seconds) > 1 else seconds[0]
        verdict = "" if name.startswith("floor") else ("ok" if median <= BUDGET_S else "OVER 1 s")
        failed += verdict == "OVER 1 s"
        print(
            f"  {name:34} median {median * 1000:8.1f} ms  p95 {p95 * 1000:8.1f} ms"
            f"  ({median / floor_median:5.1f}× floor)  {verdict}"
        )
    db.dispose()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
