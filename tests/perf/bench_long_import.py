"""Benchmark: a long import on SQLite while the desk works (DESIGN.md rule 9).

    python tests/perf/bench_long_import.py                       # 200,000 rows, the desk at work
    python tests/perf/bench_long_import.py --rows 100000 --turns 2 --before COMMIT
    python tests/perf/bench_long_import.py --rows 100000 --alone --before COMMIT

One process imports a generated lead file (tests/perf/bench_import.py's realistic rows)
into a database of 2,000 demo leads while four reps claim and give back leads in their own
processes, one process counts the leads and one opens the database as the app's start-up
does and reads the queue (tests/services/imports/long_import.py). Printed per run:

* IMPORT: wall time, rows, transactions and the longest write-lock hold of the import;
* CLAIMS: how long each claim took (p50, p99, max), how long each write waited for the
  lock, failures ("database is locked", busy);
* COUNTS: every lead count seen (all or nothing: only before and after);
* OPENS: start-ups and queue reads, the slowest, failures.

``--before COMMIT`` runs the same with that commit's code too (``git archive`` into a
temporary folder), in turns with the current code (``--turns``), and prints both medians:
before this change the import was one transaction. ``--alone``: the import with nobody
else at work, for its wall time alone.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def checkout(commit: str, folder: Path) -> Path:
    """The ``teleprospect`` package of ``commit``, unpacked into ``folder``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", commit, "teleprospect"],
        check=True,
        capture_output=True,
    )
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def run(label: str, csv_path: Path, folder: Path, code: Path | None, alone: bool) -> dict[str, Any]:
    from tests.services.imports.long_import import run_scenario

    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    seen = run_scenario(
        folder, csv_path, claimers=0 if alone else 4, watch=not alone, code=code, timeout=3600
    )
    imported, claims = seen["import"], seen["claims"]
    waits, locks = claims["waits"], claims["lock_waits"]
    failures = claims["failures"] + seen["counts"]["failures"] + seen["opens"]["failures"]
    locked = sum("locked" in f for f in failures)
    print(
        f"{label}: IMPORT {imported['seconds']:.1f} s for {imported['rows']:,} rows "
        f"({imported['imported']:,} leads), {imported['transactions']:,} write transactions, "
        f"longest lock hold {_ms(imported['longest_hold'])}"
    )
    if not alone:
        print(
            f"{label}: CLAIMS {len(waits):,}: p50 {_ms(_quantile(waits, 0.5))}, "
            f"p99 {_ms(_quantile(waits, 0.99))}, max {_ms(max(waits, default=0))}; "
            f"lock waits p50 {_ms(_quantile(locks, 0.5))}, p99 {_ms(_quantile(locks, 0.99))}, "
            f"max {_ms(max(locks, default=0))}; failures {len(failures)} "
            f"({locked} 'database is locked')"
        )
        opens = seen["opens"]["opens"]
        print(
            f"{label}: COUNTS seen {sorted(int(c) for c in seen['counts']['counts'])}; "
            f"OPENS {len(opens)}, slowest {max(opens, default=0):.2f} s"
        )
        for failure in sorted(set(failures))[:3]:
            print(f"{label}:   {failure}")
    return {
        "seconds": imported["seconds"],
        "hold": imported["longest_hold"],
        "p50": _quantile(waits, 0.5),
        "p99": _quantile(waits, 0.99),
        "lock_p99": _quantile(locks, 0.99),
        "failures": len(failures),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--turns", type=int, default=1)
    parser.add_argument("--before", metavar="COMMIT", help="also run this commit's code")
    parser.add_argument("--alone", action="store_true", help="no claims, counts or opens")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    from bench_import import write_file

    with tempfile.TemporaryDirectory(prefix="tp-bench-long-import-") as temp:
        folder = Path(temp)
        csv_path = folder / "leads.csv"
        started = time.perf_counter()
        write_file(csv_path, args.rows, args.seed, keep_numbers=False)
        print(f"file: {args.rows:,} rows (generated in {time.perf_counter() - started:.1f} s)")
        codes: list[tuple[str, Path | None]] = [("now", None)]
        if args.before:
            before = checkout(args.before, folder / "before")
            codes = [("before", before), ("now", None)]
        results: dict[str, list[dict[str, Any]]] = {label: [] for label, _ in codes}
        for turn in range(args.turns):
            for label, code in codes:
                name = f"{label} #{turn + 1}"
                results[label].append(run(name, csv_path, folder / "run", code, args.alone))
        for label, runs in results.items():
            medians = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
            print(
                f"SUMMARY {label}: rows={args.rows} import={medians['seconds']:.1f}s "
                f"longest_hold={_ms(medians['hold'])}"
                + (
                    ""
                    if args.alone
                    else f" claim_p50={_ms(medians['p50'])} claim_p99={_ms(medians['p99'])}"
                    f" lock_wait_p99={_ms(medians['lock_p99'])} failures={medians['failures']:.0f}"
                )
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
