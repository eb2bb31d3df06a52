"""Only the commands that make a database make one; another application's SQLite file and a
file on a network share are refused before anything is written (issue 13)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from teleprospect.cli import main
from teleprospect.services.database import open_database
from teleprospect.store import database as database_module
from teleprospect.store.database import APPLICATION_ID, DatabaseError


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def application_id(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA application_id").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize("command", [["queue"], ["db", "current"], ["rescore"], ["workload"]])
def test_a_command_that_reads_creates_no_database(tmp_path, capsys, command) -> None:
    path = tmp_path / "not-yet" / "team.sqlite3"
    code, _, err = run(capsys, "--db", str(path), *command)
    assert code == 1
    assert f"There is no database at {path}" in err and "teleprospect db upgrade" in err
    assert not path.parent.exists()


@pytest.mark.parametrize("command", [["db", "upgrade"], ["demo", "--leads", "5"]])
def test_db_upgrade_and_demo_make_a_teleprospect_file(tmp_path, capsys, command) -> None:
    path = tmp_path / "new" / "team.sqlite3"
    code, _, err = run(capsys, "--db", str(path), *command)
    assert code == 0, err
    assert application_id(path) == APPLICATION_ID
    code, out, err = run(capsys, "--db", str(path), "db", "current")
    assert code == 0 and f"database: {path}" in out, err


@pytest.fixture
def notes_app_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO notes (text) VALUES ('buy milk')")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("command", [["queue"], ["db", "upgrade"], ["demo", "--leads", "5"]])
def test_another_applications_file_is_refused_untouched(
    notes_app_file: Path, capsys, command
) -> None:
    before = notes_app_file.read_bytes()
    code, _, err = run(capsys, "--db", str(notes_app_file), *command)
    assert code == 1 and "another application" in err and "untouched" in err
    assert notes_app_file.read_bytes() == before
    assert sorted(p.name for p in notes_app_file.parent.iterdir()) == ["notes.sqlite3"]


def test_the_app_refuses_another_applications_file_untouched(notes_app_file: Path) -> None:
    before = notes_app_file.read_bytes()
    with pytest.raises(DatabaseError, match="another application"):
        open_database(str(notes_app_file), create=True)
    assert notes_app_file.read_bytes() == before
    assert sorted(p.name for p in notes_app_file.parent.iterdir()) == ["notes.sqlite3"]


def test_a_file_with_another_application_id_is_refused(tmp_path, capsys) -> None:
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.execute("CREATE TABLE alembic_version (version_num TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    code, _, err = run(capsys, "--db", str(path), "db", "upgrade")
    assert code == 1 and "another application" in err
    assert path.read_bytes() == before


def test_a_file_with_another_applications_alembic_revision_is_refused(tmp_path, capsys) -> None:
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE alembic_version (version_num TEXT)")
    conn.execute("INSERT INTO alembic_version VALUES ('1a2b3c4d5e6f')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    code, _, err = run(capsys, "--db", str(path), "db", "upgrade")
    assert code == 1 and "another application" in err
    assert path.read_bytes() == before


def test_a_file_made_before_the_application_id_is_accepted_and_stamped(tmp_path, capsys) -> None:
    path = tmp_path / "older.sqlite3"
    open_database(str(path)).db.dispose()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 0")
    conn.commit()
    conn.close()
    code, _, err = run(capsys, "--db", str(path), "db", "upgrade")
    assert code == 0, err
    assert application_id(path) == APPLICATION_ID


def test_a_text_file_is_refused_untouched(tmp_path, capsys) -> None:
    path = tmp_path / "leads.csv"
    path.write_text("email\nann@example.com\n", encoding="utf-8")
    code, _, err = run(capsys, "--db", str(path), "db", "upgrade")
    assert code == 1 and "not a Teleprospect database" in err
    assert path.read_text(encoding="utf-8") == "email\nann@example.com\n"


@pytest.mark.parametrize("unc", ["//server/share/team.sqlite3", "\\\\server\\share\\team.sqlite3"])
def test_a_windows_network_path_is_refused_and_nothing_is_created(
    tmp_path, monkeypatch, capsys, unc
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "--db", unc, "db", "upgrade")
    assert code == 1 and "network share" in err
    assert list(tmp_path.iterdir()) == []
    assert not Path("//server").exists()


def test_a_network_share_is_refused_before_its_folder_is_made(
    tmp_path, monkeypatch, capsys
) -> None:
    monkeypatch.setattr(database_module, "filesystem_type", lambda path: "nfs4")
    path = tmp_path / "mnt" / "team" / "team.sqlite3"
    code, _, err = run(capsys, "--db", str(path), "db", "upgrade")
    assert code == 1 and "network share (nfs4)" in err
    assert not (tmp_path / "mnt").exists()


def _tables(server_url: str, name: str) -> set[str]:
    import psycopg

    base = server_url.replace("postgresql+psycopg://", "postgresql://").rpartition("/")[0]
    with psycopg.connect(f"{base}/{name}") as conn:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
    return {row[0] for row in rows}


@pytest.mark.postgresql
def test_a_server_database_gets_tables_only_from_the_commands_that_make_them(
    pg_server, capsys
) -> None:
    import uuid

    import psycopg

    admin = pg_server.replace("postgresql+psycopg://", "postgresql://")
    name = f"tp_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{pg_server.rpartition('/')[0]}/{name}"
    try:
        for command in (["queue"], ["rescore"], ["workload"]):
            code, _, err = run(capsys, "--db", url, *command)
            assert code == 1
            assert "has no Teleprospect tables yet" in err and "teleprospect db upgrade" in err
            assert _tables(pg_server, name) == set()
        code, _, err = run(capsys, "--db", url, "db", "upgrade")
        assert code == 0, err
        assert "lead" in _tables(pg_server, name)
        code, out, _ = run(capsys, "--db", url, "db", "current")
        assert code == 0 and "schema:" in out
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
