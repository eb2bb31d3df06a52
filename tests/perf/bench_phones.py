"""Cost of phone parsing: import time and microseconds per number.

    python tests/perf/bench_phones.py [count]

Prints, for ``count`` generated numbers (default 100,000, shaped like a US campaign's
import with foreign and broken numbers mixed in):
  * the floor: ``phonenumbers.parse`` alone, the reference of the import budget;
  * ``parse_phone`` (parse, validity, type, time zones, repairs of invalid numbers);
  * the naive sequence it replaces (is_valid_number + number_type + time_zones_for_number).
Import times are measured in fresh interpreters, so run it from a quiet shell.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time


def import_ms(statement: str) -> float:
    """Best of five cold imports, in a fresh interpreter each."""
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout)
        for _ in range(5)
    ]
    return min(runs) * 1000


def sample(count: int, seed: int = 7) -> list[tuple[str, str]]:
    import phonenumbers

    rnd = random.Random(seed)
    area_codes = [212, 305, 312, 415, 503, 602, 617, 623, 702, 713, 808, 907, 208, 416, 800]
    foreign = ["GB", "DE", "FR", "AU", "BR", "JP", "IN", "BE", "ES", "IT"]
    kinds = [phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE]
    us_styles = [
        "({a}) {x}-{y:04d}",
        "{a}-{x}-{y:04d}",
        "+1 {a} {x} {y:04d}",
        "1{a}{x}{y:04d}",
        "({a}) {x}-{y:04d} ext. 12",
    ]
    items = []
    for _ in range(count):
        roll = rnd.random()
        if roll < 0.6:
            text = rnd.choice(us_styles).format(
                a=rnd.choice(area_codes), x=rnd.randint(200, 999), y=rnd.randint(0, 9999)
            )
            items.append((text, "US"))
        elif roll < 0.9:
            region = rnd.choice(foreign)
            example = phonenumbers.example_number_for_type(region, rnd.choice(kinds))
            nsn = phonenumbers.national_significant_number(example)
            nsn = f"{nsn[:-3]}{rnd.randint(0, 999):03d}"
            if rnd.random() < 0.5:
                items.append((f"+{example.country_code} {nsn}", "US"))
            else:
                number = phonenumbers.parse(f"+{example.country_code}{nsn}")
                national = phonenumbers.PhoneNumberFormat.NATIONAL
                items.append((phonenumbers.format_number(number, national), region))
        elif roll < 0.97:
            items.append((str(rnd.randint(10**5, 10**13)), "US"))  # digits of any length
        else:
            items.append((rnd.choice(["", "n/a", "call me", "+", "555", "tbd 123"]), "US"))
    return items


def per_number_us(items: list[tuple[str, str]], work) -> float:
    start = time.perf_counter()
    work(items)
    return (time.perf_counter() - start) / len(items) * 1e6


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(f"import phonenumbers:                {import_ms('import phonenumbers'):6.1f} ms")
    print(
        "import phonenumbers.timezone:       "
        f"{import_ms('import phonenumbers.timezone'):6.1f} ms (with phonenumbers)"
    )
    print(
        "import teleprospect.core.phones:    "
        f"{import_ms('import teleprospect.core.phones'):6.1f} ms (with both)"
    )
    first_call = "import teleprospect.core.phones as p; p.parse_phone('(623)-853-7197')"
    print(f"  ... and its first parse_phone:    {import_ms(first_call):6.1f} ms")
    geocoder = import_ms("import phonenumbers.geocoder")
    print(f"import phonenumbers.geocoder:       {geocoder:6.1f} ms (never imported by phones)")

    import phonenumbers
    from phonenumbers import timezone

    from teleprospect.core.phones import parse_phone

    items = sample(count)

    def parse_only(rows):
        for raw, region in rows:
            # try/except, not contextlib.suppress: the floor must not pay for a context.
            try:  # noqa: SIM105
                phonenumbers.parse(raw, region)
            except phonenumbers.NumberParseException:
                pass

    def naive(rows):
        for raw, region in rows:
            try:
                number = phonenumbers.parse(raw, region)
            except phonenumbers.NumberParseException:
                continue
            phonenumbers.is_valid_number(number)
            phonenumbers.number_type(number)
            phonenumbers.region_code_for_number(number)
            timezone.time_zones_for_number(number)

    def ours(rows):
        for raw, region in rows:
            parse_phone(raw, region)

    parse_phone("(623)-853-7197", "US")  # load metadata and time-zone data once
    floor = per_number_us(items, parse_only)
    naive_cost = per_number_us(items, naive)
    our_cost = per_number_us(items, ours)
    valid = sum(parse_phone(raw, region).valid for raw, region in items)
    print(f"{count:,} numbers, {valid:,} valid")
    print(f"phonenumbers.parse alone (floor):   {floor:6.1f} us/number")
    print(f"parse + valid + type + tz, naive:   {naive_cost:6.1f} us/number")
    ratio = our_cost / floor
    print(f"parse_phone:                        {our_cost:6.1f} us/number ({ratio:.2f}x floor)")


if __name__ == "__main__":
    main()
