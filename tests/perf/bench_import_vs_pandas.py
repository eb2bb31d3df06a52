"""Benchmark: ``teleprospect import`` against a pandas + phonenumbers + ``to_sql`` script.

    pip install .[bench]                       # pandas, for the yardstick only
    python tests/perf/bench_import_vs_pandas.py                     # 100,000 rows, 5 turns
    python tests/perf/bench_import_vs_pandas.py --turns 7 --update-turns 3
    python tests/perf/bench_import_vs_pandas.py --memory-rows 1000000 --turns 0 --update-turns 0 \
        --memory-file /tmp/leads-1m.csv    # generating a million rows takes minutes: keep it
    python tests/perf/bench_import_vs_pandas.py --before COMMIT     # that commit's import too

One generated file (tests/perf/bench_import.py's realistic rows: large name pools, phones
of five countries written as people write them, 5 % duplicates, 2 % bad rows), then, each
command a process of its own, started the way a user starts it:

* IMPORT vs PANDAS, in turns (the order swapping each turn, so that the load of this
  shared machine falls on both alike): ``teleprospect import FILE`` into a fresh SQLite
  file (migrated beforehand, not timed) — zones, duplicates against the database and the
  file (fuzzy name + company too), do-not-call, scores, reports — and
  tests/perf/pandas_import.py, which does less, into another. Wall time and CPU time
  (the process and its workers); medians, p95 and the ratio PANDAS / IMPORT (target:
  at least 1.5).
* UPDATE vs FIRST, in turns: a first import into a fresh file, then
  ``--on-duplicate update --again`` of the same file into the database it made (every
  row a duplicate: every lead filled in, what it replaces recorded). Ratio UPDATE / FIRST
  (target: at most 1.5).
* MEMORY (``--memory-rows``): an import of that many rows; the peak RSS of the importing
  process (``ru_maxrss`` of the child; its workers are separate processes, their largest
  peak printed too) and its RSS sampled every 0.2 s, printed at each tenth of the run:
  once SQLite's page cache has filled it must stay flat (target: at most 350 MB).

``--before COMMIT`` runs that commit's ``teleprospect`` package (``git archive``) in the
same turns, as a third side.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

#: The five countries of the file's people (the demo's largest markets, three formats of
#: numbers among them).
COUNTRIES = ("US", "GB", "DE", "FR", "IN")
#: How often the importing process's RSS is sampled (seconds).
RSS_EVERY_S = 0.2


@dataclass
class Run:
    wall: float
    cpu: float
    maxrss_kib: int
    #: (seconds since start, RSS KiB) of the process itself, sampled.
    rss: list[tuple[float, int]] = field(default_factory=list)
    stdout: str = ""
    stderr: str = ""


def _rss_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def measure(command: list[str], env: dict[str, str]) -> Run:
    """Run ``command``; its wall time, CPU time (with its reaped workers: wait4 counts
    them) and peak RSS, and its own RSS over time."""
    samples: list[tuple[float, int]] = []
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    done = threading.Event()

    def sample() -> None:
        while not done.wait(RSS_EVERY_S):
            kib = _rss_kib(process.pid)
            if kib is not None:
                samples.append((time.perf_counter() - started, kib))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out: list[str] = []
    err: list[str] = []
    readers = [
        threading.Thread(target=lambda: out.append(process.stdout.read())),  # type: ignore[union-attr]
        threading.Thread(target=lambda: err.append(process.stderr.read())),  # type: ignore[union-attr]
    ]
    for reader in readers:
        reader.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    for reader in readers:
        reader.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise RuntimeError(f"{command[2:5]} failed ({process.returncode}): {''.join(err)[-2000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(wall, cpu, usage.ru_maxrss, samples, "".join(out), "".join(err))


class Sides:
    """The commands of each side, with the environment they run in."""

    def __init__(self, folder: Path, before: Path | None) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.data.mkdir()
        self.before = before
        self.template: dict[str, Path] = {}

    def env(self, code: Path) -> dict[str, str]:
        return {
            **os.environ,
            "PYTHONPATH": str(code),
            "TELEPROSPECT_DATA_DIR": str(self.data),
            "QT_QPA_PLATFORM": "offscreen",
        }

    def code(self, label: str) -> Path:
        return self.before if label == "before" and self.before else ROOT

    def fresh_db(self, label: str, name: str) -> Path:
        """A new SQLite file migrated to the code's newest schema (copied from a template
        made once: migrating is not what is timed)."""
        if label not in self.template:
            template = self.folder / f"template-{label}.sqlite3"
            subprocess.run(
                [sys.executable, "-m", "teleprospect", "--db", str(template), "db", "upgrade"],
                env=self.env(self.code(label)),
                check=True,
                capture_output=True,
            )
            self.template[label] = template
        target = self.folder / name
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(self.template[label], target)
        return target

    def teleprospect(self, label: str, csv_path: Path, db: Path, *extra: str) -> Run:
        command = [sys.executable, "-m", "teleprospect", "--db", str(db), "import"]
        command += [str(csv_path), "--again", "--json", *extra]
        return measure(command, self.env(self.code(label)))

    def pandas(self, csv_path: Path, db: Path) -> Run:
        db.unlink(missing_ok=True)
        command = [sys.executable, str(HERE / "pandas_import.py"), str(csv_path), str(db)]
        return measure(command, self.env(ROOT))


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _line(label: str, runs: list[Run]) -> str:
    walls = [r.wall for r in runs]
    cpus = [r.cpu for r in runs]
    return (
        f"{label:<14} wall median {statistics.median(walls):6.2f} s  p95 {_p95(walls):6.2f} s"
        f"   cpu median {statistics.median(cpus):6.2f} s  p95 {_p95(cpus):6.2f} s"
        f"   peak RSS {max(r.maxrss_kib for r in runs) / 1024:5.0f} MiB   ({len(runs)} runs)"
    )


def _summary_of(run: Run) -> dict[str, int]:
    try:
        data = json.loads(run.stdout)
    except json.JSONDecodeError:
        return {}
    return {k: v for k, v in data.items() if isinstance(v, int)}


def against_pandas(sides: Sides, csv_path: Path, turns: int, labels: list[str]) -> None:
    results: dict[str, list[Run]] = {label: [] for label in [*labels, "pandas"]}
    order = [*labels, "pandas"]
    for turn in range(turns):
        for label in order if turn % 2 == 0 else order[::-1]:
            if label == "pandas":
                run = sides.pandas(csv_path, sides.folder / "pandas.sqlite3")
            else:
                run = sides.teleprospect(label, csv_path, sides.fresh_db(label, f"{label}.sqlite3"))
            results[label].append(run)
            print(f"  turn {turn + 1} {label:<7} {run.wall:6.2f} s wall, {run.cpu:6.2f} s cpu")
    print(f"IMPORT vs PANDAS, {turns} turns:")
    for label, runs in results.items():
        print("  " + _line(label, runs))
    print(f"  teleprospect import: {_summary_of(results['now'][-1])}")
    print(f"  pandas script kept: {results['pandas'][-1].stdout.strip()} rows")
    pandas = statistics.median(r.wall for r in results["pandas"])
    for label in labels:
        ours = statistics.median(r.wall for r in results[label])
        print(
            f"SUMMARY {label}: import={ours:.2f}s pandas={pandas:.2f}s "
            f"pandas/import={pandas / ours:.2f} (target >= 1.5) "
            f"import_p95={_p95([r.wall for r in results[label]]):.2f}s "
            f"pandas_p95={_p95([r.wall for r in results['pandas']]):.2f}s"
        )


def update_against_first(sides: Sides, csv_path: Path, turns: int, labels: list[str]) -> None:
    first: dict[str, list[Run]] = {label: [] for label in labels}
    again: dict[str, list[Run]] = {label: [] for label in labels}
    for turn in range(turns):
        for label in labels if turn % 2 == 0 else labels[::-1]:
            db = sides.fresh_db(label, f"update-{label}.sqlite3")
            first[label].append(sides.teleprospect(label, csv_path, db))
            again[label].append(sides.teleprospect(label, csv_path, db, "--on-duplicate", "update"))
            print(
                f"  turn {turn + 1} {label:<7} first {first[label][-1].wall:6.2f} s, "
                f"update {again[label][-1].wall:6.2f} s"
            )
    print(f"UPDATE vs FIRST, {turns} turns:")
    for label in labels:
        print("  " + _line(f"{label} first", first[label]))
        print("  " + _line(f"{label} update", again[label]))
        print(f"  update: {_summary_of(again[label][-1])}")
        ratio = statistics.median(r.wall for r in again[label]) / statistics.median(
            r.wall for r in first[label]
        )
        print(f"SUMMARY {label}: update/first={ratio:.2f} (target <= 1.5)")


def memory(sides: Sides, rows: int, seed: int, given: Path | None) -> None:
    from bench_import import write_file

    big = given or sides.folder / "big.csv"
    if given is None or not given.exists():
        started = time.perf_counter()
        write_file(big, rows, seed, keep_numbers=False, countries=COUNTRIES)
        took = time.perf_counter() - started
        print(f"file: {rows:,} rows, {big.stat().st_size / 1e6:.0f} MB ({took:.0f} s)")
    db = sides.fresh_db("now", "big.sqlite3")
    command = [sys.executable, "-m", "teleprospect", "--db", str(db), "import", str(big)]
    command += ["--json"]
    # ru_maxrss of the importing process alone: its workers report theirs apart.
    probe = (
        "import resource, runpy, sys, json; sys.argv = ['teleprospect', *sys.argv[1:]]\n"
        "try:\n    runpy.run_module('teleprospect', run_name='__main__')\n"
        "finally:\n    print(json.dumps({'self_kib': resource.getrusage(resource.RUSAGE_SELF)"
        ".ru_maxrss, 'workers_kib': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}),"
        " file=sys.stderr)\n"
    )
    run = measure([sys.executable, "-c", probe, *command[3:]], sides.env(ROOT))
    if big != given:
        big.unlink()
    own = [kib for _, kib in run.rss]
    print(f"MEMORY {rows:,} rows: {run.wall:.0f} s wall ({rows / run.wall:,.0f} rows/s)")
    if own:
        tenths = [own[min(len(own) - 1, len(own) * i // 10)] for i in range(1, 11)]
        print("  importer RSS (MiB) at each tenth: " + ", ".join(f"{k // 1024}" for k in tenths))
        half = own[len(own) // 2 :]
        print(f"  RSS in the second half grew by {(max(half) - half[0]) / 1024:.0f} MiB")
    print(f"  summary: {_summary_of(run)}")
    peaks = json.loads(run.stderr.strip().splitlines()[-1])
    importer, workers = peaks["self_kib"] / 1024, peaks["workers_kib"] / 1024
    print(f"  peak RSS: importer {importer:.0f} MiB, largest worker {workers:.0f} MiB")
    print(f"SUMMARY memory: rows={rows} peak_rss_mib={importer:.0f} (target <= 350)")


def checkout(commit: str, folder: Path) -> Path:
    """The ``teleprospect`` package of ``commit``, unpacked into ``folder``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", commit, "teleprospect"], check=True, capture_output=True
    )
    folder.mkdir()
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--turns", type=int, default=5, help="turns of import vs pandas")
    parser.add_argument("--update-turns", type=int, default=3, help="turns of update vs first")
    parser.add_argument("--memory-rows", type=int, metavar="N", help="peak RSS of an N-row import")
    parser.add_argument(
        "--memory-file",
        type=Path,
        metavar="CSV",
        help="the --memory-rows file: written there if missing, kept, used again next time",
    )
    parser.add_argument("--before", metavar="COMMIT", help="also run that commit's import")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    from bench_import import write_file

    with tempfile.TemporaryDirectory(prefix="tp-bench-vs-pandas-") as temp:
        folder = Path(temp)
        before = checkout(args.before, folder / "before") if args.before else None
        sides = Sides(folder, before)
        labels = ["before", "now"] if before else ["now"]
        if args.turns or args.update_turns:
            csv_path = folder / "leads.csv"
            started = time.perf_counter()
            write_file(csv_path, args.rows, args.seed, keep_numbers=False, countries=COUNTRIES)
            print(
                f"file: {args.rows:,} rows of {', '.join(COUNTRIES)}, "
                f"{csv_path.stat().st_size / 1e6:.1f} MB ({time.perf_counter() - started:.0f} s); "
                f"{os.cpu_count()} cores"
            )
            if args.turns:
                against_pandas(sides, csv_path, args.turns, labels)
            if args.update_turns:
                update_against_first(sides, csv_path, args.update_turns, labels)
        if args.memory_rows:
            memory(sides, args.memory_rows, args.seed, args.memory_file)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
