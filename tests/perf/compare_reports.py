"""The reports before and after a change, in turns: two workers, one importing an older
checkout against its own database, the other this tree against the data set of
bench_reports.py, run each report alternately, round after round, so a busy machine
slows both alike. Medians and p95 per report and side.

    git archive OLD teleprospect | tar -x -C /tmp/before
    cp /tmp/bench_reports_1000000.sqlite3 /tmp/before.sqlite3     # before migrating it
    python tests/perf/compare_reports.py --before /tmp/before \\
        --before-db sqlite:////tmp/before.sqlite3 --rounds 3

Both databases must hold the same data (bench_reports.py builds it); the floor counts
the range's calls.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parents[2]
REPORTS = ("floor", "waterfall", "activity", "speed-to-lead", "connect-hours", "sources")


def worker(url: str) -> None:
    """Read report names on stdin, answer each with the seconds it took."""
    from datetime import date

    from sqlalchemy import func, select

    from teleprospect.core.reports import ReportFilter
    from teleprospect.services.reports import run_report
    from teleprospect.store.database import Database
    from teleprospect.store.models import Call, User

    db = Database(url)
    with db.read() as session:
        boss = session.scalar(select(User.id).where(User.login == "rep0"))
    assert boss is not None, "no data set: run tests/perf/bench_reports.py first"
    f = ReportFilter.days(date(2026, 9, 1), date(2026, 11, 29))
    print("ready", flush=True)
    for line in sys.stdin:
        name = line.strip()
        started = time.perf_counter()
        if name == "floor":
            with db.read() as session:
                session.scalar(
                    select(func.count())
                    .select_from(Call)
                    .where(Call.started_at >= f.start, Call.started_at < f.end)
                )
        else:
            run_report(db, boss, name, f)
        print(time.perf_counter() - started, flush=True)


def _start(checkout: Path, url: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    process = subprocess.Popen(
        [sys.executable, str(HERE), "--worker", url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    return process


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--before", type=Path, help="an older checkout (its teleprospect/)")
    parser.add_argument("--before-db", metavar="URL", help="the data set at its schema")
    parser.add_argument(
        "--after-db", metavar="URL", default="sqlite:////tmp/bench_reports_1000000.sqlite3"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reports", default=",".join(REPORTS))
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker)
        return 0
    if args.before is None or args.before_db is None:
        parser.error("--before and --before-db are needed")
    sides = {
        "before": _start(args.before, args.before_db),
        "after": _start(ROOT, args.after_db),
    }
    names = args.reports.split(",")
    times: dict[tuple[str, str], list[float]] = {(n, s): [] for n in names for s in sides}
    for round_ in range(args.rounds):
        for name in names:
            order = list(sides) if round_ % 2 == 0 else list(sides)[::-1]
            for side in order:
                process = sides[side]
                assert process.stdin is not None and process.stdout is not None
                process.stdin.write(name + "\n")
                process.stdin.flush()
                times[(name, side)].append(float(process.stdout.readline()))
    for (name, side), seconds in times.items():
        median = statistics.median(seconds)
        p95 = (
            statistics.quantiles(seconds, n=20, method="inclusive")[-1]
            if len(seconds) > 1
            else seconds[0]
        )
        print(f"  {name:15} {side:6} median {median * 1000:9.1f} ms  p95 {p95 * 1000:9.1f} ms")
    for process in sides.values():
        assert process.stdin is not None
        process.stdin.close()
        process.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
