"""Cost per row of the import's pure part: reading the CSV and applying the column mapping.

Run: ``python tests/perf/bench_import_core.py [ROWS]``. Prints µs per row for
read_rows + apply_mapping on a generated HubSpot-style file, and, for scale, µs per number
for ``phonenumbers.parse`` on the same file's numbers (the floor of DESIGN.md §4's import
budget), measured in the same run.
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
import time
from pathlib import Path

import phonenumbers

from teleprospect.core.column_mapping import suggest_mapping
from teleprospect.services.imports.files import read_rows, sniff

HEADER = [
    "Record ID", "First Name", "Last Name", "Email", "Phone Number", "Mobile Phone Number",
    "Company Name", "Job Title", "Industry", "Number of Employees", "Country/Region",
    "Original Source", "Lifecycle Stage",
]  # fmt: skip
FIRST = ["Jane", "John", "Amélie", "Jürgen", "Mary Ann", "Wei", "Olu", "Sofia", "Lars"]
LAST = ["Smith", "van der Berg", "Müller", "O'Brien", "García", "Nakamura", "Dupont"]
COMPANIES = ["Acme Inc.", "Globex GmbH", "Initech Ltd", "Umbrella S.A.", "Hooli", "Vandelay"]
TITLES = ["CEO", "Head of IT", "Procurement Manager", "VP Sales", "CTO", "Office Manager"]
INDUSTRIES = ["Software", "Manufacturing", "Retail", "Healthcare", "Finance"]
SIZES = ["1-5", "25-50", "51-200", "1,000+", "5000", ""]
COUNTRIES = [
    ("United States", "+1 212 555 {:04d}"),
    ("Germany", "+49 30 1234{:04d}"),
    ("United Kingdom", "020 7946 {:04d}"),
    ("France", "+33 1 42 68 {:02d} 00"),
]
SOURCES = ["Webinar", "White paper", "Trade show", "Organic search"]


def write_file(path: Path, rows: int) -> list[str]:
    rng = random.Random(3)
    numbers = []
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        for n in range(rows):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            country, pattern = rng.choice(COUNTRIES)
            phone = pattern.format(rng.randrange(100) if "{:02d}" in pattern else n % 10000)
            mobile = f"+44 7700 9{n % 100000:05d}" if n % 3 == 0 else ""
            numbers.extend(number for number in (phone, mobile) if number)
            writer.writerow([
                n, first, last, f"{first[0]}.{last}{n}@example.com".replace(" ", ""), phone,
                mobile, rng.choice(COMPANIES), rng.choice(TITLES), rng.choice(INDUSTRIES),
                rng.choice(SIZES), country, rng.choice(SOURCES), "lead",
            ])  # fmt: skip
    return numbers


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hubspot.csv"
        numbers = write_file(path, rows)

        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            dialect = sniff(path)
            plan = suggest_mapping(dialect.header).compile(dialect.header)
            leads = 0
            for row in read_rows(path, dialect):
                plan.apply(row.cells)
                leads += 1
            best = min(best, time.perf_counter() - started)
        assert leads == rows

        sample = numbers[:: max(1, len(numbers) // 5000)]
        started = time.perf_counter()
        for number in sample:
            phonenumbers.parse(number, "US")
        parse_us = (time.perf_counter() - started) / len(sample) * 1e6

    per_row = best / rows * 1e6
    print(f"rows: {rows}, phone numbers: {len(numbers)}")
    print(f"read_rows + apply_mapping: {per_row:.2f} µs/row ({best:.2f} s, best of 3)")
    print(f"phonenumbers.parse alone: {parse_us:.1f} µs/number")
    print(f"core share of the phonenumbers floor: {per_row / (parse_us * len(numbers) / rows):.1%}")


if __name__ == "__main__":
    main()
