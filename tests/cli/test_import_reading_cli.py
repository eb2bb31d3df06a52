"""`teleprospect import` reads a file honestly: a region that exists, campaigns by their
exact name, and a summary that says what it skipped and which rows its counts are."""

from __future__ import annotations

import pytest

from teleprospect.cli import main
from teleprospect.services.imports.campaigns import campaign_names
from teleprospect.store.database import Database

LEADS = (
    "First Name,Last Name,Company,Email,Phone\n"
    "Anna,Schmidt,Müller GmbH,anna@mueller.de,+49 30 901820\n"
    "Bad,Number,Nowhere,bad@nowhere.example,555-01\n"
)


def run(capsys, *argv: str) -> tuple[int, str, str]:  # noqa: ANN001
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def upgraded(db_url: str, capsys) -> str:  # noqa: ANN001
    assert run(capsys, "--db", db_url, "db", "upgrade")[0] == 0
    return db_url


def campaigns(url: str) -> list[tuple[str, str]]:
    db = Database(url)
    try:
        return sorted((name, region) for _, name, region in campaign_names(db))
    finally:
        db.dispose()


def test_a_region_that_does_not_exist_is_refused_in_one_sentence(
    upgraded, tmp_path, capsys
) -> None:
    path = tmp_path / "leads.csv"
    path.write_text(LEADS, encoding="utf-8")
    code, out, err = run(
        capsys, "--db", upgraded, "import", str(path), "--region", "XX", "--campaign", "Fair"
    )
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "'XX' is not a country phone numbers can be read in" in err
    assert campaigns(upgraded) == [], "nothing was created"
    code, out, err = run(
        capsys, "--db", upgraded, "import", str(path), "--region", "mx", "--campaign", "Fair"
    )
    assert code == 0, err
    assert campaigns(upgraded) == [("Fair", "MX")]


def test_an_underscore_or_percent_in_a_campaign_name_matches_only_that_name(
    upgraded, tmp_path, capsys
) -> None:
    path = tmp_path / "leads.csv"
    path.write_text(LEADS, encoding="utf-8")
    for name in ("Q1_fair", "Q1-fair", "Q1%", "q1_FAIR"):
        code, out, err = run(
            capsys, "--db", upgraded, "import", str(path), "--campaign", name, "--again"
        )
        assert code == 0, err
        assert ("Created the campaign" in out) is (name != "q1_FAIR"), name
    assert campaigns(upgraded) == [("Q1%", "US"), ("Q1-fair", "US"), ("Q1_fair", "US")]


def test_the_summary_names_what_was_skipped_and_the_rows_behind_a_count(
    upgraded, tmp_path, capsys
) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Leads export\nMarch 2025\n" + LEADS, encoding="utf-8")
    code, out, err = run(capsys, "--db", upgraded, "import", str(path))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("Imported 2 new leads from 2 rows of export.csv")
    assert "Skipped 2 lines above the header." in lines
    assert "Leads without a valid phone: 1 — row 5: '555-01'" in lines
