"""A long import on SQLite with the desk at work beside it, each part in its own OS process
(run as ``python -m tests.services.imports.long_import ROLE …`` by the acceptance test and
by tests/perf/bench_long_import.py).

Roles, each writing what it saw as JSON to its ``--out`` file:

* ``import``: imports ``--csv``; the time, and how long each write transaction held the
  write lock (every step of the import, and every other write transaction it made);
* ``claim``: a rep pressing Next lead and giving the lead back, again and again, until
  ``--stop`` exists; how long each claim took and what failed;
* ``count``: counts the leads as the app does, again and again; every count seen;
* ``open``: opens the database as the app's start-up does, then reads the queue, again
  and again; how long each took and what failed;
* ``setup``: makes the database with ``--leads`` demo leads.

:func:`run_scenario` starts them all and gathers what they saw. The roles import only
``teleprospect``, so they can run another checkout's code (``code``: its folder, put first
on ``PYTHONPATH``) for a before-and-after comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select

#: A Wednesday afternoon in Europe and morning in the Americas: most demo leads callable.
CLAIM_AT = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)


def _write(out: Path, data: dict[str, Any]) -> None:
    part = out.with_suffix(".part")
    part.write_text(json.dumps(data), encoding="utf-8")
    part.replace(out)


def run_import(url: str, csv_path: Path, out: Path) -> None:
    from teleprospect.services.database import open_database
    from teleprospect.services.imports.leads import LeadImportRequest, import_leads

    db = open_database(url, create=False).db
    holds: list[float] = []
    steps: list[float] = []
    checkpoints: list[float] = []
    began: dict[int, float] = {}

    # Every write transaction of this process, from BEGIN IMMEDIATE done to COMMIT asked.
    @event.listens_for(db.engine, "begin")
    def _began(conn: Any) -> None:
        if conn.get_execution_options().get("sqlite_write", True):
            began[id(conn)] = time.perf_counter()

    @event.listens_for(db.engine, "commit")
    @event.listens_for(db.engine, "rollback")
    def _ended(conn: Any) -> None:
        start = began.pop(id(conn), None)
        if start is not None:
            holds.append(time.perf_counter() - start)

    try:
        from teleprospect.store import staging
    except ImportError:  # code from before long writes: one transaction, no steps
        pass
    else:
        # Each step of the long write, from BEGIN IMMEDIATE done to COMMIT done.
        original_exit = staging.LongWrite.__exit__

        def exit_keeping_holds(self: Any, *args: Any) -> Any:
            try:
                return original_exit(self, *args)
            finally:
                steps.extend(self.holds)
                checkpoints.extend(getattr(self, "checkpoints", ()))

        staging.LongWrite.__exit__ = exit_keeping_holds  # type: ignore[method-assign]
    started = time.perf_counter()
    summary = import_leads(db, LeadImportRequest(path=csv_path, login="importer"))
    seconds = time.perf_counter() - started
    db.dispose()
    _write(
        out,
        {
            "seconds": seconds,
            "imported": summary.imported,
            "rows": summary.rows,
            "transactions": len(holds),
            "longest_hold": max(holds + steps, default=0.0),
            "steps": len(steps),
            "longest_step": max(steps, default=0.0),
            "holds": sorted(holds + steps)[-20:],
            "checkpoints": checkpoints,
        },
    )


def _failure(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".splitlines()[0][:300]


def run_claims(url: str, login: str, stop: Path, out: Path) -> None:
    from teleprospect.services.queue.claims import claim_next, find_user_id, release_claim
    from teleprospect.store.database import Database

    db = Database(url, create=False)
    user_id = find_user_id(db, login)
    waits: list[float] = []
    failures: list[str] = []
    rng = random.Random(login)
    locks = _time_lock_waits()
    while not stop.exists():
        started = time.perf_counter()
        try:
            lead = claim_next(db, user_id, now=CLAIM_AT)
        except Exception as exc:  # noqa: BLE001 - every failure is what the test counts
            failures.append(_failure(exc))
            lead = None
        waits.append(time.perf_counter() - started)
        if lead is not None:
            try:
                release_claim(db, lead.lead_id, user_id)
            except Exception as exc:  # noqa: BLE001
                failures.append("release " + _failure(exc))
        time.sleep(rng.uniform(0.02, 0.1))  # a rep does not press Next every millisecond
    db.dispose()
    _write(out, {"waits": waits, "lock_waits": locks, "failures": failures})


def _time_lock_waits() -> list[float]:
    """How long each short write of this process waited for the write lock (seconds)."""
    from teleprospect.store import database

    waited: list[float] = []
    take = getattr(database, "take_write_lock", None)
    if take is None:  # code from before short tries: the wait is all in SQLite
        return waited

    def timed(*args: Any, **kwargs: Any) -> None:
        started = time.perf_counter()
        try:
            take(*args, **kwargs)
        finally:
            waited.append(time.perf_counter() - started)

    database.take_write_lock = timed
    return waited


def run_counts(url: str, stop: Path, out: Path) -> None:
    from teleprospect.store.database import Database
    from teleprospect.store.models import Lead

    db = Database(url, create=False)
    seen: dict[int, int] = {}
    failures: list[str] = []
    while not stop.exists():
        try:
            with db.read() as session:
                counted = session.scalar(select(func.count()).select_from(Lead)) or 0
            seen[counted] = seen.get(counted, 0) + 1
        except Exception as exc:  # noqa: BLE001
            failures.append(_failure(exc))
        time.sleep(0.02)
    db.dispose()
    _write(out, {"counts": seen, "failures": failures})


def run_opens(url: str, login: str, stop: Path, out: Path) -> None:
    from teleprospect.services.database import open_database
    from teleprospect.services.queue.claims import find_user_id
    from teleprospect.services.queue.page import queue_page

    opens: list[float] = []
    queues: list[float] = []
    failures: list[str] = []
    while not stop.exists():
        try:
            started = time.perf_counter()
            db = open_database(url, create=False).db
            opens.append(time.perf_counter() - started)
            started = time.perf_counter()
            queue_page(db, find_user_id(db, login), now=CLAIM_AT, limit=20)
            queues.append(time.perf_counter() - started)
            db.dispose()
        except Exception as exc:  # noqa: BLE001
            failures.append(_failure(exc))
        time.sleep(1.0)  # a start-up costs a second of processor time: one a second
    _write(out, {"opens": opens, "queues": queues, "failures": failures})


def run_setup(url: str, leads: int, out: Path) -> None:
    from teleprospect.demo.loader import load_demo
    from teleprospect.services.database import open_database

    db = open_database(url).db
    load_demo(db, leads=leads, seed=3, now=CLAIM_AT, handoffs=False)
    db.dispose()
    _write(out, {"leads": leads})


def run_scenario(
    folder: Path,
    csv_path: Path,
    *,
    leads: int = 2_000,
    claimers: int = 4,
    watch: bool = True,
    code: Path | None = None,
    timeout: float = 600,
) -> dict[str, Any]:
    """Import ``csv_path`` into a new database of ``leads`` demo leads while ``claimers``
    reps claim and (``watch``) one process counts leads and one opens the database and
    reads the queue; what each saw, by role (``claims``: every claimer's waits and failures
    together)."""
    url = f"sqlite:///{folder / 'desk.sqlite3'}"
    stop = folder / "stop"
    env = dict(os.environ)
    roots = [str(code)] if code else []
    roots.append(str(Path(__file__).resolve().parents[3]))
    env["PYTHONPATH"] = os.pathsep.join(roots)
    script = str(Path(__file__).resolve())

    def start(role: str, out: str, *extra: str) -> subprocess.Popen[bytes]:
        command = [sys.executable, script, role, "--db", url, "--out", str(folder / out)]
        return subprocess.Popen([*command, *extra], env=env)

    def result(out: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((folder / out).read_text(encoding="utf-8"))
        assert "crashed" not in data, data.get("crashed")
        return data

    setup = start("setup", "setup.json", "--leads", str(leads))
    assert setup.wait(timeout) == 0
    logins = ("sam.carter", "julie.moreau", "jonas.weber", "priya.nair", "tom.okafor")
    watchers = [
        start("claim", f"claim{n}.json", "--login", logins[n % len(logins)], "--stop", str(stop))
        for n in range(claimers)
    ]
    if watch:
        watchers.append(start("count", "count.json", "--stop", str(stop)))
        watchers.append(start("open", "open.json", "--stop", str(stop)))
    if watchers:
        time.sleep(2)  # everyone at work before the import starts
    importing = start("import", "import.json", "--csv", str(csv_path))
    try:
        assert importing.wait(timeout) == 0
        if watchers:
            time.sleep(1)  # a moment of work after the import, too
    finally:
        stop.touch()
        for process in watchers:
            process.wait(60)
    claims: dict[str, Any] = {"waits": [], "lock_waits": [], "failures": []}
    for n in range(claimers):
        one = result(f"claim{n}.json")
        for key in claims:
            claims[key] += one[key]
    nothing: dict[str, Any] = {"counts": {}, "opens": [], "queues": [], "failures": []}
    return {
        "import": result("import.json"),
        "claims": claims,
        "counts": result("count.json") if watch else nothing,
        "opens": result("open.json") if watch else nothing,
        "leads_before": leads,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=("import", "claim", "count", "open", "setup"))
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--csv", type=Path)
    parser.add_argument("--login", default="sam.carter")
    parser.add_argument("--stop", type=Path)
    parser.add_argument("--leads", type=int, default=2_000)
    args = parser.parse_args(argv)
    try:
        if args.role == "setup":
            run_setup(args.db, args.leads, args.out)
        elif args.role == "import":
            run_import(args.db, args.csv, args.out)
        elif args.role == "claim":
            run_claims(args.db, args.login, args.stop, args.out)
        elif args.role == "count":
            run_counts(args.db, args.stop, args.out)
        else:
            run_opens(args.db, args.login, args.stop, args.out)
    except BaseException:
        _write(args.out, {"crashed": traceback.format_exc()})
        raise


if __name__ == "__main__":
    main()
