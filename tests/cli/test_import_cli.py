"""`teleprospect import` and `teleprospect import-activity` as a user types them."""

from __future__ import annotations

import json

import pytest

from teleprospect.cli import main

LEADS = (
    "First Name,Last Name,Company,Email,Phone,Country\n"
    "Anna,Schmidt,Müller GmbH,anna@mueller.de,030 901820,DE\n"
    "John,Doe,Acme Inc,john@acme.com,(623)-853-7197,US\n"
    "John,Doe,ACME,john@acme.com,,US\n"
    ",,,,,\n"
    "Bad,Number,Nowhere,bad@nowhere.example,12,\n"
)


def run(capsys, *argv: str) -> tuple[int, str, str]:  # noqa: ANN001
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def leads_file(tmp_path):  # noqa: ANN001, ANN201
    path = tmp_path / "webinar.csv"
    path.write_text(LEADS, encoding="utf-8")
    return path


def test_import_prints_a_json_summary(db_url, leads_file, capsys) -> None:
    assert run(capsys, "--db", db_url, "db", "upgrade")[0] == 0
    code, out, err = run(
        capsys, "--db", db_url, "import", str(leads_file), "--campaign", "Spring webinar", "--json"
    )
    assert code == 0, err
    summary = json.loads(out)
    assert {
        k: summary[k]
        for k in ("rows", "imported", "updated", "duplicates", "rejected", "invalid_phones", "dnc")
    } == {
        "rows": 4,
        "imported": 3,
        "updated": 0,
        "duplicates": 1,
        "rejected": 0,
        "invalid_phones": 1,
        "dnc": 0,
    }
    assert "reject_file" in summary and summary["campaign_created"] is True


def test_reimport_is_refused_with_a_hint_then_allowed(sqlite_url, leads_file, capsys) -> None:
    assert run(capsys, "--db", sqlite_url, "import", str(leads_file))[0] == 0
    code, out, err = run(capsys, "--db", sqlite_url, "import", str(leads_file))
    assert code == 1 and "already imported" in err and "--again" in err
    code, out, _ = run(
        capsys, "--db", sqlite_url, "import", str(leads_file), "--again", "--on-duplicate", "mark"
    )
    assert code == 0 and "Imported 4 new leads" in out and "4 duplicates" in out


def test_dry_run_and_saved_mapping(sqlite_url, leads_file, capsys) -> None:
    code, out, _ = run(
        capsys,
        "--db",
        sqlite_url,
        "import",
        str(leads_file),
        "--dry-run",
        "--save-mapping",
        "Webinar tool",
    )
    assert code == 0 and out.startswith("Would import 3 new leads")
    code, out, _ = run(
        capsys, "--db", sqlite_url, "import", str(leads_file), "--mapping", "Webinar tool", "--json"
    )
    assert code == 0 and json.loads(out)["imported"] == 3
    code, _, err = run(capsys, "--db", sqlite_url, "import", str(leads_file), "--mapping", "Nope")
    assert code == 1 and "no saved mapping called 'Nope'" in err


def test_not_a_csv_is_one_line_and_exit_1(sqlite_url, tmp_path, capsys) -> None:
    binary = tmp_path / "report.xlsx"
    binary.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    code, out, err = run(capsys, "--db", sqlite_url, "import", str(binary))
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "not a CSV" in err


def test_import_activity_json(sqlite_url, leads_file, tmp_path, capsys) -> None:
    run(capsys, "--db", sqlite_url, "import", str(leads_file))
    activity = tmp_path / "activity.csv"
    activity.write_text(
        "Email,Activity,Date\nanna@mueller.de,Email Opened,2026-03-01 10:00\n"
        "ghost@nowhere.example,Visited Web Page,2026-03-01 11:00\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "--db", sqlite_url, "import-activity", str(activity), "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert (summary["imported"], summary["unmatched"], summary["leads_touched"]) == (1, 1, 1)


def test_a_dry_run_or_a_failed_import_leaves_no_new_campaign(sqlite_url, leads_file, capsys):  # noqa: ANN001, ANN201
    from teleprospect.services.imports.campaigns import campaign_names
    from teleprospect.store.database import Database

    code, out, err = run(
        capsys, "--db", sqlite_url, "import", str(leads_file), "--campaign", "New", "--dry-run"
    )
    assert code == 0, err
    assert "Would import" in out and "Created the campaign" not in out
    binary = leads_file.with_name("scan.csv")
    binary.write_bytes(b"\x00\x01PK\x03\x04" * 200)
    code, _, err = run(capsys, "--db", sqlite_url, "import", str(binary), "--campaign", "New")
    assert code == 1 and err.count("\n") == 1
    db = Database(sqlite_url)
    try:
        assert campaign_names(db) == []
    finally:
        db.dispose()
    assert run(capsys, "--db", sqlite_url, "import", str(leads_file), "--campaign", "New")[0] == 0
    db = Database(sqlite_url)
    try:
        assert [name for _, name, _ in campaign_names(db)] == ["New"]
    finally:
        db.dispose()
