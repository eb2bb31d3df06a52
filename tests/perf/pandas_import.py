"""The short script many teams would write instead of an import: pandas + phonenumbers +
``to_sql``. The yardstick of tests/perf/bench_import_vs_pandas.py, run as its own process:

    python tests/perf/pandas_import.py leads.csv leads.sqlite3 [--region US]

It reads the file, tidies emails, reads the Country column (a code or a name), parses each
number with that country as the default region (valid ones in E.164), drops rows with
nothing to go on and duplicates by email or phone within the file, and appends the rest
to a ``lead`` table. It does less than ``teleprospect import``: no time zones or number
types, no duplicates against what the database holds, no fuzzy name + company matching,
no do-not-call, no scores, no reports, no history. Needs ``pip install .[bench]``.
"""

from __future__ import annotations

import argparse
import sqlite3
from functools import cache

import pandas as pd
import phonenumbers
import pycountry

COLUMNS = {
    "First Name": "first_name",
    "Last Name": "last_name",
    "Email": "email",
    "Company": "company",
    "Job Title": "title",
    "Phone": "phone",
    "Mobile": "mobile",
    "Country": "country",
    "Industry": "industry",
    "No. of Employees": "company_size",
}


@cache
def region_of(country: str, default: str) -> str:
    if not country:
        return default
    try:
        return str(pycountry.countries.lookup(country).alpha_2)
    except LookupError:
        return default


def e164(raw: str, region: str) -> str | None:
    if not raw:
        return None
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("csv")
    parser.add_argument("db")
    parser.add_argument("--region", default="US")
    args = parser.parse_args(argv)

    df = pd.read_csv(args.csv, dtype=str, keep_default_na=False).rename(columns=COLUMNS)
    for column in df.columns:
        df[column] = df[column].str.strip()
    df["email"] = df["email"].str.lower()
    df["country"] = [region_of(c, args.region) for c in df["country"]]
    df["phone_e164"] = [e164(p, r) for p, r in zip(df["phone"], df["country"], strict=True)]
    df["mobile_e164"] = [e164(p, r) for p, r in zip(df["mobile"], df["country"], strict=True)]

    nothing = (df[["first_name", "last_name", "email", "company", "phone"]] == "").all(axis=1)
    df = df[~nothing]
    df = df[(df["email"] == "") | ~df.duplicated("email")]
    df = df[df["phone_e164"].isna() | ~df.duplicated("phone_e164")]

    with sqlite3.connect(args.db) as connection:
        df.to_sql("lead", connection, if_exists="append", index=False, chunksize=10_000)
    print(len(df))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
