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


# --- issue 15, part 2: seeing and correcting the mapping -----------------------------------

ATOMIC = (
    "first_name,last_name,company,email_work,email_home,phone_work,phone_home,background\n"
    "Jane,Doe,Acme,jane@acme.com,jane@home.example.org,+1 212 555 0130,+1 212 555 0188,vip\n"
)


@pytest.fixture
def atomic_file(tmp_path):  # noqa: ANN001, ANN201
    path = tmp_path / "atomic.csv"
    path.write_text(ATOMIC, encoding="utf-8")
    return path


def test_show_mapping_prints_the_mapping_and_imports_nothing(db_url, atomic_file, capsys) -> None:
    assert run(capsys, "--db", db_url, "db", "upgrade")[0] == 0
    code, out, err = run(capsys, "--db", db_url, "import", str(atomic_file), "--show-mapping")
    assert code == 0, err
    lines = {line.split()[0]: line.split()[1] for line in out.splitlines() if line[:2] == "  "}
    assert lines["email_home"] == "email:home" and lines["phone_home"] == "phone:home"
    assert "1 row." in out and "jane@acme.com" in out
    # Nothing was imported: the file imports now without --again.
    code, out, err = run(capsys, "--db", db_url, "import", str(atomic_file), "--json")
    assert code == 0 and json.loads(out)["imported"] == 1, err


def test_show_mapping_as_json_with_corrections_then_saved(sqlite_url, atomic_file, capsys) -> None:
    code, out, err = run(
        capsys,
        "--db", sqlite_url, "import", str(atomic_file), "--show-mapping", "--json",
        "--map", "phone_home=phone:mobile", "--map", "Background=ignore",
        "--save-mapping", "Atomic",
    )  # fmt: skip
    assert code == 0, err
    shown = json.loads(out)
    columns = {c["column"]: c["maps_to"] for c in shown["columns"]}
    assert columns["phone_home"] == "phone:mobile" and columns["background"] == "ignore"
    assert shown["rows"] == 1 and shown["warnings"] == []
    code, out, _ = run(
        capsys, "--db", sqlite_url, "import", str(atomic_file), "--show-mapping", "--json",
        "--mapping", "Atomic",
    )  # fmt: skip
    assert {c["column"]: c["maps_to"] for c in json.loads(out)["columns"]} == columns


def test_map_corrects_what_is_imported(sqlite_url, atomic_file, capsys) -> None:
    code, out, err = run(
        capsys, "--db", sqlite_url, "import", str(atomic_file), "--json",
        "--map", "phone_work=ignore", "--map", "email_work=extra",
    )  # fmt: skip
    assert code == 0, err
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from teleprospect.store.database import Database
    from teleprospect.store.models import Lead

    db = Database(sqlite_url)
    try:
        with db.read() as session:
            lead = session.scalars(select(Lead).options(selectinload(Lead.phones))).one()
            assert lead.email == "jane@home.example.org"
            assert lead.extra["email_work"] == "jane@acme.com"
            assert [(p.label, p.e164) for p in lead.phones] == [("home", "+12125550188")]
    finally:
        db.dispose()


@pytest.mark.parametrize(
    ("correction", "words"),
    [
        ("Nope=email", 'The file has no column "Nope"; its columns are "first_name"'),
        ("email_work=e-mail", '"e-mail" is not a field a column can be mapped to'),
        ("email_work", "is not a correction of the form Column=field"),
    ],
)
def test_a_bad_correction_is_refused_in_one_sentence(
    sqlite_url, atomic_file, capsys, correction: str, words: str
) -> None:
    code, out, err = run(
        capsys, "--db", sqlite_url, "import", str(atomic_file), "--map", correction
    )
    assert code != 0 and words in err and out == ""
    assert "Traceback" not in err


def test_missing_phone_and_email_columns_are_warned_before_importing(
    sqlite_url, tmp_path, capsys
) -> None:
    path = tmp_path / "names.csv"
    path.write_text("Name,Company\n" + "".join(f"Lead {i},Co {i}\n" for i in range(500)))
    code, out, err = run(capsys, "--db", sqlite_url, "import", str(path), "--dry-run")
    assert code == 0
    assert "500 leads will have no phone" in err and "500 leads will have no email" in err


def test_a_file_whose_every_row_is_rejected_fails_with_one_sentence(
    sqlite_url, tmp_path, capsys
) -> None:
    path = tmp_path / "titles.csv"
    path.write_text("First Name,Last Name,Email,Job Title\n,,,CEO\n,,,Intern\n", encoding="utf-8")
    code, out, err = run(capsys, "--db", sqlite_url, "import", str(path))
    assert code == 1
    assert "Imported 0 new leads from 2 rows" in out
    errors = [line for line in err.splitlines() if line.startswith("teleprospect: error:")]
    assert len(errors) == 1
    assert errors[0].startswith(
        "teleprospect: error: every one of the 2 rows of titles.csv was rejected, so no lead "
        "was imported (reasons in "
    )
    code, out, err = run(capsys, "--db", sqlite_url, "import", str(path), "--again", "--json")
    assert code == 1 and json.loads(out)["rejected"] == 2 and "every one of the 2 rows" in err


def test_a_file_with_one_good_row_among_rejected_ones_succeeds(
    sqlite_url, tmp_path, capsys
) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(
        "First Name,Last Name,Email,Job Title\n,,,CEO\nAna,Ruiz,ana@acme.com,\n", encoding="utf-8"
    )
    code, out, err = run(capsys, "--db", sqlite_url, "import", str(path))
    assert code == 0 and "1 rejected" in out and "error" not in err
