"""Benchmark: import a realistic lead CSV and compare with phonenumbers alone (DESIGN.md §4).

    python tests/perf/bench_import.py
    python tests/perf/bench_import.py --rows 100000 --memory-rows 1000000
    python tests/perf/bench_import.py --db postgresql://me@localhost/bench

Generates a HubSpot/Salesforce-style file (First Name, Last Name, Email, Company, Job
Title, Phone, Mobile for some, Country, Industry, No. of Employees) with numbers of eleven
countries written the way people write them (national formats read with the Country
column, international formats, extensions), 5% duplicate rows (the same email or phone as
an earlier row, some with changed case or spacing) and 2% bad rows (nothing to go on, or
a broken number). Then, in the same run:

Both floors run with phonenumbers' pattern cache on, as the import does (it changes
``parse`` itself by less than the noise, the type and validity checks by about a fifth):

* FLOOR: ``phonenumbers.parse(raw, region)`` over exactly the file's phone cells, one core;
* FLOOR_FULL: parse + is_valid_number + number_type + time zones (what an import must
  know about a number), one core;
* WRITE (SQLite only): the imported leads and phones inserted again, alone, into a new
  database of the same schema: what storing the result costs without any of the work
  before it, one core;
* IMPORT: ``import_leads`` wall time into an empty database migrated to the newest schema,
  run in a child process so that its peak memory (ru_maxrss) is its own.

``--memory-rows N`` also imports an N-row file and compares the peak memory of the
importing process (and of its largest worker) with the ``--rows`` import. A ``--db``
database must be empty; it is only used for the ``--rows`` import.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import phonenumbers
from phonenumbers import timezone as phone_timezone

# Spawned import workers run this module's top level again (as __mp_main__): the demo
# generator (and SQLAlchemy behind it) is imported where it is used, not here.

HEADER = [
    "First Name", "Last Name", "Email", "Company", "Job Title", "Phone", "Mobile",
    "Country", "Industry", "No. of Employees",
]  # fmt: skip
DUPLICATE_SHARE = 0.05
BAD_SHARE = 0.02
MOBILE_SHARE = 0.35
#: Rows kept for picking duplicates from: the file is written as it is generated.
RECENT_ROWS = 5_000
BROKEN_PHONES = ("12", "n/a", "555-01", "call reception", "+999 1234", "0000000000000000")
SIZES = ("1-10", "11-50", "51-200", "201-500", "1,000+", "5000", "")


def generate_rows(
    count: int, seed: int, countries: tuple[str, ...] = ()
) -> Iterator[tuple[list[str], list[tuple[str, str]]]]:
    """The file's rows, each with the (raw number, region) pairs the import will parse;
    with ``countries`` (ISO codes), people of those countries only."""
    from teleprospect.demo.leads import DEMO_CAMPAIGNS, DemoLeadFactory, PhoneBook

    class NoParsing(PhoneBook):
        """Only the written form of a number is needed: skip the parsing the demo does."""

        def fields(self, raw, region, shape, free, ext):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202, ARG002
            return (None, None, False, None, "")

    rng = random.Random(seed)
    factory = DemoLeadFactory(
        seed=seed,
        now=datetime(2025, 3, 1, tzinfo=UTC),
        campaign_ids=list(range(1, len(DEMO_CAMPAIGNS) + 1)),
        owner_ids=[1],
        phone_book=NoParsing(),
    )
    recent: list[tuple[list[str], list[tuple[str, str]]]] = []
    for _ in range(count):
        draw = rng.random()
        if draw < BAD_SHARE:
            row, numbers = _bad_row(rng, factory, countries)
        elif draw < BAD_SHARE + DUPLICATE_SHARE and recent:
            row, numbers = _duplicate_row(rng, rng.choice(recent))
        else:
            row, numbers = _good_row(rng, factory, countries)
            if len(recent) < RECENT_ROWS:
                recent.append((row, numbers))
            else:
                recent[rng.randrange(RECENT_ROWS)] = (row, numbers)
        yield row, numbers


def _good_row(
    rng: random.Random, factory: Any, countries: tuple[str, ...] = ()
) -> tuple[list[str], list[tuple[str, str]]]:
    from teleprospect.demo.people import COUNTRY_BY_CODE

    lead, _ = factory.lead()
    while countries and lead["country"] not in countries:
        lead, _ = factory.lead()
    country = COUNTRY_BY_CODE[lead["country"]]
    style = rng.random()
    if style < 0.1:
        country_cell, region = "", "US"  # no country: the import's default region
    elif style < 0.55:
        country_cell, region = country.code, country.code
    else:
        country_cell, region = country.name, country.code
    # Written as people of that country write it (national format when the Country
    # column says where it is), sometimes in international format.
    written_for = region if rng.random() < 0.75 else rng.choice(("US", "GB", "DE"))
    phone, _ = factory.phone(country, written_for)
    numbers = [(phone, region)]
    mobile = ""
    if rng.random() < MOBILE_SHARE:
        mobile, _ = factory.phone(country, written_for)
        numbers.append((mobile, region))
    size = str(lead["company_size"]) if rng.random() < 0.5 else rng.choice(SIZES)
    row = [
        lead["first_name"], lead["last_name"], lead["email"] or "", lead["company"],
        lead["title"], phone, mobile, country_cell, lead["industry"], size,
    ]  # fmt: skip
    return row, numbers


def _duplicate_row(
    rng: random.Random, earlier: tuple[list[str], list[tuple[str, str]]]
) -> tuple[list[str], list[tuple[str, str]]]:
    row, numbers = list(earlier[0]), list(earlier[1])
    if row[2] and rng.random() < 0.5:
        # The same person by email, typed differently, with another phone.
        email = row[2]
        row[2] = rng.choice((email.upper(), f"  {email} ", email.capitalize()))
        row[5], row[6] = "", ""
        numbers = []
    else:
        # The same phone, spaced differently, by someone else's email.
        phone = row[5]
        row[5] = rng.choice((phone.replace(" ", ""), f" {phone}  ", phone.replace("-", " ")))
        row[2] = f"other{rng.randrange(10**9)}@example.org"
        row[6] = ""
        numbers = [(row[5].strip(), numbers[0][1])] if row[5].strip() else []
    return row, numbers


def _bad_row(
    rng: random.Random, factory: Any, countries: tuple[str, ...] = ()
) -> tuple[list[str], list[tuple[str, str]]]:
    if rng.random() < 0.5:
        # Nothing to go on: rejected with its reason.
        row = ["", "", "", "", rng.choice(("CEO", "", "Intern")), "", "", "", "Retail", ""]
        return row, []
    row, numbers = _good_row(rng, factory, countries)
    row[5], row[6] = rng.choice(BROKEN_PHONES), ""
    return row, [(row[5], numbers[0][1])]


def write_file(
    path: Path, count: int, seed: int, keep_numbers: bool, countries: tuple[str, ...] = ()
) -> list[tuple[str, str]]:
    numbers: list[tuple[str, str]] = []
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        for row, row_numbers in generate_rows(count, seed, countries):
            writer.writerow(row)
            if keep_numbers:
                numbers.extend(row_numbers)
    return numbers


# --- floors ---------------------------------------------------------------------------


def floor_parse(numbers: list[tuple[str, str]]) -> float:
    phonenumbers.enable_pattern_cache()
    parse, error = phonenumbers.parse, phonenumbers.NumberParseException
    started = time.perf_counter()
    for raw, region in numbers:
        try:
            parse(raw, region)
        except error:  # noqa: PERF203 - a bad number costs its parse too
            continue
    return time.perf_counter() - started


def floor_full(numbers: list[tuple[str, str]]) -> float:
    phonenumbers.enable_pattern_cache()
    parse, error = phonenumbers.parse, phonenumbers.NumberParseException
    is_valid, number_type = phonenumbers.is_valid_number, phonenumbers.number_type
    zones = phone_timezone.time_zones_for_number
    started = time.perf_counter()
    for raw, region in numbers:
        try:
            number = parse(raw, region)
        except error:
            continue
        if is_valid(number):
            number_type(number)
            zones(number)
    return time.perf_counter() - started


# --- the import, in a child process ---------------------------------------------------


def run_import(path: Path, url: str | None) -> dict:
    """Import ``path`` in a fresh process; ``url`` None means a new SQLite file beside it."""
    url = url or f"sqlite:///{path.with_suffix('.sqlite3')}"
    result = subprocess.run(
        [sys.executable, __file__, "--child-import", str(path), "--db", url],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def child_import(path: Path, url: str) -> None:
    from teleprospect.services.database import open_database
    from teleprospect.services.imports.leads import LeadImportRequest, import_leads

    opened = open_database(url)
    try:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        summary = import_leads(opened.db, LeadImportRequest(path=path, login="bench"))
        seconds = time.perf_counter() - started
    finally:
        opened.db.dispose()
    report = {
        "seconds": seconds,
        "rss_before_kib": before,
        "rss_peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "worker_rss_peak_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        **{k: v for k, v in summary.as_json().items() if isinstance(v, int)},
    }
    print(json.dumps(report))


def write_floor(imported: Path) -> float:
    """SQLite writing the imported leads and phones alone: the same rows, read back from
    ``imported``, inserted into a new database of the same schema in one transaction
    with the import's page cache. No parsing, mapping or duplicate checks: what storing
    the result costs by itself, one core."""
    import sqlite3

    from teleprospect.services.imports.leads import SQLITE_CACHE_KIB
    from teleprospect.store.database import Database
    from teleprospect.store.migrate import upgrade_to_head

    target = imported.with_name("write-floor.sqlite3")
    database = Database(f"sqlite:///{target}")
    upgrade_to_head(database)
    database.dispose()
    source = sqlite3.connect(imported)
    tables = {
        name: source.execute(f"SELECT * FROM {name}").fetchall() for name in ("lead", "lead_phone")
    }
    connection = sqlite3.connect(target, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    connection.execute("PRAGMA foreign_keys=OFF")  # the rows point at batches not copied
    started = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    for name, rows in tables.items():
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            connection.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)
    connection.execute("COMMIT")
    seconds = time.perf_counter() - started
    connection.close()
    source.close()
    target.unlink()
    return seconds


# --- main -----------------------------------------------------------------------------


def _mib(kib: int) -> str:
    return f"{kib / 1024:,.0f} MiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the timed file")
    parser.add_argument("--db", metavar="URL", help="an empty database (default: temp SQLite)")
    parser.add_argument("--memory-rows", type=int, metavar="N", help="also import N rows")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child-import", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_import:
        child_import(args.child_import, args.db)
        return 0

    with tempfile.TemporaryDirectory(prefix="tp-bench-import-") as folder:
        path = Path(folder) / "leads.csv"
        started = time.perf_counter()
        numbers = write_file(path, args.rows, args.seed, keep_numbers=True)
        generated = time.perf_counter() - started
        print(
            f"file: {args.rows:,} rows, {len(numbers):,} phone numbers, "
            f"{path.stat().st_size / 1e6:.1f} MB (generated in {generated:.1f} s)"
        )
        floor = min(floor_parse(numbers) for _ in range(2))
        full = min(floor_full(numbers) for _ in range(2))
        result = run_import(path, args.db)
        seconds = result["seconds"]
        written = None if args.db else write_floor(path.with_suffix(".sqlite3"))
        print(f"FLOOR       phonenumbers.parse, one core:            {floor:7.2f} s")
        print(f"FLOOR_FULL  parse+valid+type+zones, one core:        {full:7.2f} s")
        if written is not None:
            print(f"WRITE       SQLite storing the imported rows alone:  {written:7.2f} s")
        print(f"IMPORT      import_leads ({os.cpu_count()} cores):                {seconds:7.2f} s")
        print(
            f"rows/s: {args.rows / seconds:,.0f}   IMPORT/FLOOR: {seconds / floor:.2f}x   "
            f"IMPORT/FLOOR_FULL: {seconds / full:.2f}x   (budget: 1.5x FLOOR)"
        )
        print(
            f"imported {result['imported']:,}, duplicates {result['duplicates']:,}, "
            f"rejected {result['rejected']:,}, invalid phones {result['invalid_phones']:,}, "
            f"flagged {result['flagged']:,}"
        )
        print(
            f"peak RSS: importer {_mib(result['rss_peak_kib'])} "
            f"(before import {_mib(result['rss_before_kib'])}), "
            f"largest worker {_mib(result['worker_rss_peak_kib'])}"
        )
        memory = None
        if args.memory_rows:
            path.unlink()
            Path(path.with_suffix(".sqlite3")).unlink(missing_ok=True)
            big = Path(folder) / "big.csv"
            write_file(big, args.memory_rows, args.seed, keep_numbers=False)
            memory = run_import(big, None)
            print(
                f"{args.memory_rows:,} rows: {memory['seconds']:.1f} s "
                f"({args.memory_rows / memory['seconds']:,.0f} rows/s), peak RSS importer "
                f"{_mib(memory['rss_peak_kib'])}, largest worker "
                f"{_mib(memory['worker_rss_peak_kib'])}"
            )
    line = (
        f"SUMMARY rows={args.rows} floor={floor:.2f}s floor_full={full:.2f}s "
        f"import={seconds:.2f}s ratio_floor={seconds / floor:.2f} "
        f"ratio_floor_full={seconds / full:.2f} rows_per_s={args.rows / seconds:.0f} "
        f"rss_mib={result['rss_peak_kib'] / 1024:.0f}"
    )
    if written is not None:
        line += f" write={written:.2f}s"
    if memory:
        line += (
            f" memory_rows={args.memory_rows} memory_rss_mib={memory['rss_peak_kib'] / 1024:.0f}"
        )
    print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
