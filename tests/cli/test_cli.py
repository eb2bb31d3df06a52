"""The commands a user types, on a temporary database."""

from __future__ import annotations

import subprocess
import sys

import pytest

from teleprospect.cli import main
from teleprospect.services.database import open_database
from teleprospect.services.leads.lead_list import count_leads
from teleprospect.store.migrate import head_revision


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_lists_the_commands_and_the_db_option(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    for word in ("db", "demo", "--db", "TELEPROSPECT_DB", "postgresql://"):
        assert word in out


def test_db_current_then_upgrade_then_current(db_url: str, capsys) -> None:
    code, out, _ = run(capsys, "--db", db_url, "db", "current")
    assert code == 0 and "empty (no schema yet)" in out and "db upgrade" in out

    code, out, _ = run(capsys, "--db", db_url, "db", "upgrade")
    assert code == 0 and f"upgraded from empty to {head_revision()}" in out

    code, out, _ = run(capsys, "--db", db_url, "db", "upgrade")
    assert code == 0 and "already at the newest schema" in out

    code, out, _ = run(capsys, "--db", db_url, "db", "current")
    assert f"schema:   {head_revision()}" in out and "db upgrade" not in out


def test_database_comes_from_the_environment_when_no_option(
    sqlite_url: str, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("TELEPROSPECT_DB", sqlite_url)
    code, out, _ = run(capsys, "db", "upgrade")
    assert code == 0 and sqlite_url.removeprefix("sqlite:///") in out


def test_default_database_is_created_in_the_data_folder(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("TELEPROSPECT_DATA_DIR", str(tmp_path / "fresh"))
    code, out, _ = run(capsys, "db", "upgrade")
    assert code == 0
    assert (tmp_path / "fresh" / "teleprospect.sqlite3").exists()


def test_demo_fills_the_database(db_url: str, capsys) -> None:
    code, out, err = run(capsys, "--db", db_url, "demo", "--leads", "300", "--seed", "7")
    assert code == 0, err
    assert "Loaded 300 leads" in out
    opened = open_database(db_url)
    assert count_leads(opened.db) == 300
    opened.db.dispose()


def test_demo_refuses_a_database_that_already_has_leads(sqlite_url: str, capsys) -> None:
    assert run(capsys, "--db", sqlite_url, "demo", "--leads", "50")[0] == 0
    code, _, err = run(capsys, "--db", sqlite_url, "demo", "--leads", "50")
    assert code != 0
    assert err.startswith("teleprospect: error:") and "--append" in err
    assert "Traceback" not in err
    code, _, _ = run(capsys, "--db", sqlite_url, "demo", "--leads", "50", "--append")
    opened = open_database(sqlite_url)
    assert code == 0 and count_leads(opened.db) == 100
    opened.db.dispose()


@pytest.mark.parametrize(
    ("db_arg", "fragment"),
    [
        ("mysql://root@localhost/crm", "SQLite or PostgreSQL"),
        ("postgresql://nobody@127.0.0.1:1/leads", "Cannot open the database"),
    ],
)
def test_user_mistakes_give_one_line_and_a_non_zero_exit(db_arg, fragment, capsys) -> None:
    code, out, err = run(capsys, "--db", db_arg, "db", "current")
    assert code == 1
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("teleprospect: error:") and fragment in lines[0]


def test_a_file_that_is_not_a_database_is_reported_not_overwritten(tmp_path, capsys) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("call Priya back on Tuesday\n" * 100)
    code, _, err = run(capsys, "--db", str(notes), "db", "upgrade")
    assert code == 1 and "not a database" in err
    assert notes.read_text() == "call Priya back on Tuesday\n" * 100


def test_bad_arguments_are_usage_errors(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["demo", "--leads", "many"])
    assert exit_.value.code == 2
    assert "not a whole number" in capsys.readouterr().err


def test_the_installed_command_runs_without_qt_for_scriptable_commands(sqlite_url) -> None:
    probe = (
        "import sys; from teleprospect.cli import main; code = main(sys.argv[1:]); "
        "assert 'PySide6' not in sys.modules, 'Qt loaded by a CLI command'; sys.exit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, "--db", sqlite_url, "db", "upgrade"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
