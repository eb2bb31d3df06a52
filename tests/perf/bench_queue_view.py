"""Benchmark: opening the queue view on a big database — time to the first rows on screen,
the memory it takes, scrolling further pages, and the cost of one live-refresh poll.

    python tests/perf/bench_queue_view.py --db /tmp/q1m.sqlite3
    python tests/perf/bench_queue_view.py --db postgresql://me@localhost/bench

Make the database once with ``teleprospect --db FILE demo --leads 1000000``. The model
reads on the same worker threads the application uses; the clock is a weekday at 15:00
UTC, when the demo's European and American calling windows are open.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QTableView
from sqlalchemy import select

from teleprospect.services.queue.page import queue_signature
from teleprospect.store.database import Database
from teleprospect.store.migrate import upgrade_to_head
from teleprospect.store.models import User
from teleprospect.ui.desk.queue_model import QueueTableModel


def rss_mib() -> float:
    """The resident set size now (Linux), else the peak."""
    try:
        with open(f"/proc/{os.getpid()}/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def wait_until_loaded(model: QueueTableModel, timeout_s: float = 30.0) -> None:
    loop = QEventLoop()
    deadline = time.perf_counter() + timeout_s
    while model.is_loading and time.perf_counter() < deadline:
        QTimer.singleShot(1, loop.quit)
        loop.exec()
    if model.is_loading:
        raise SystemExit("the queue did not load in time")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", metavar="URL", required=True, help="a database with demo leads")
    parser.add_argument("--pages", type=int, default=10, help="pages to scroll through")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication(sys.argv[:1])
    db = Database(args.db)
    upgrade_to_head(db)
    with db.read() as session:
        user_id = session.scalar(select(User.id).where(User.login == "sam.carter"))
    if user_id is None:
        raise SystemExit("load demo data first")
    day = datetime.now(UTC).replace(hour=15, minute=0, second=0, microsecond=0)
    while day.weekday() > 2:
        day += timedelta(days=1)
    queue_signature(db, user_id, now=day)  # connections and caches warm, as in the app

    before = rss_mib()
    view = QTableView()
    view.resize(1200, 700)
    view.show()
    started = time.perf_counter()
    model = QueueTableModel(db, None, now_provider=lambda: day)
    view.setModel(model)
    model.set_source(db, user_id)
    wait_until_loaded(model)
    app.processEvents()
    opened = time.perf_counter() - started
    first_rows = model.rowCount()
    after_open = rss_mib()

    scrolls = []
    for _ in range(args.pages):
        if not model.canFetchMore():
            break
        started = time.perf_counter()
        model.fetchMore()
        wait_until_loaded(model)
        scrolls.append(time.perf_counter() - started)
    after_scroll = rss_mib()

    polls = []
    for _ in range(20):
        started = time.perf_counter()
        queue_signature(db, user_id, now=day)
        polls.append(time.perf_counter() - started)

    print(f"{db.backend}: queue view on {args.db.split('@')[-1]}")
    print(f"  open to first rows ({first_rows} rows): {opened * 1000:.1f} ms")
    if scrolls:
        print(
            f"  next page while scrolling: median {statistics.median(scrolls) * 1000:.1f} ms"
            f" over {len(scrolls)} pages ({model.rowCount()} rows)"
        )
    print(f"  live-refresh poll: median {statistics.median(polls) * 1000:.2f} ms")
    print(
        f"  memory: {before:.0f} MiB before, +{after_open - before:.1f} MiB open,"
        f" +{after_scroll - before:.1f} MiB after scrolling"
    )
    model.deleteLater()
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
