"""Issue 15, part 3, as a user types it: ``import history``, ``import undo BATCH_ID`` and
``merge KEEP OTHER``, with one-line errors and the exit codes scripts rely on."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from teleprospect.cli import main
from teleprospect.services.database import open_database
from teleprospect.store.models import Lead
from tests.services.team_fixtures import Team, add_lead, make_team

HEADER = ["First Name", "Last Name", "Company", "Email", "Title"]


def run(capsys, *argv: str) -> tuple[int, str, str]:  # noqa: ANN001
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def login(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    def set_login(name: str) -> None:
        monkeypatch.setattr("teleprospect.services.identity.current_user.os_login", lambda: name)

    set_login("boss")
    return set_login


@pytest.fixture
def team(sqlite_url: str) -> Team:
    db = open_database(sqlite_url).db
    try:
        return make_team(db)
    finally:
        db.dispose()


def csv_file(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def lead_exists(url: str, lead_id: int) -> bool:
    db = open_database(url).db
    try:
        with db.read() as session:
            return session.get(Lead, lead_id) is not None
    finally:
        db.dispose()


def test_import_history_then_undo_then_refusals(
    sqlite_url: str,
    tmp_path,
    capsys,
    login,
    team: Team,  # noqa: ANN001
) -> None:
    db = ["--db", sqlite_url]
    path = csv_file(tmp_path / "fair.csv", [["Ada", "Lovelace", "Engines", "ada@x.example", ""]])
    code, _, err = run(capsys, *db, "import", str(path))
    assert code == 0, err
    code, out, _ = run(capsys, *db, "import", "history", "--json")
    (batch,) = json.loads(out)
    assert (batch["file_name"], batch["imported"], batch["undone_at"]) == ("fair.csv", 1, None)
    code, out, _ = run(capsys, *db, "import", "history")
    assert code == 0 and f"#{batch['id']}" in out and "fair.csv" in out
    # A rep may not undo; the import stays.
    login("sam")
    code, _, err = run(capsys, *db, "import", "undo", str(batch["id"]))
    assert code == 4 and "Only a team lead can undo imports" in err
    login("boss")
    code, out, err = run(capsys, *db, "import", "undo", str(batch["id"]))
    assert code == 0, err
    assert f"Import #{batch['id']} (fair.csv) undone: 1 lead removed" in out
    code, _, err = run(capsys, *db, "import", "undo", str(batch["id"]))
    assert code == 3 and "was already undone" in err and err.count("\n") == 1
    code, _, err = run(capsys, *db, "import", "undo", "999")
    assert code == 1 and "There is no import #999." in err
    code, _, err = run(capsys, *db, "import", "undo")
    assert code == 2 and "needs the id of the import" in err
    code, _, err = run(capsys, *db, "import", "undo", "twelve")
    assert code == 2 and "BATCH_ID" in err


def test_merge_moves_the_other_lead_and_refuses_clearly(
    sqlite_url: str,
    capsys,
    login,
    team: Team,  # noqa: ANN001
) -> None:
    db = open_database(sqlite_url).db
    try:
        keep = add_lead(db, "Jane", last_name="Berg", company="Acme")
        other = add_lead(db, "Jane", last_name="Berg", company="Acme", title="CFO")
    finally:
        db.dispose()
    args = ["--db", sqlite_url]
    code, _, err = run(capsys, *args, "merge", str(keep), str(keep))
    assert code == 3 and f"Lead #{keep} cannot be merged into itself." in err
    login("sam")
    code, _, err = run(capsys, *args, "merge", str(keep), str(other))
    assert code == 4 and "Only a team lead can merge leads" in err
    login("boss")
    code, out, err = run(capsys, *args, "merge", str(keep), str(other), "--json")
    assert code == 0, err
    assert json.loads(out)["kept_id"] == keep and not lead_exists(sqlite_url, other)
    code, _, err = run(capsys, *args, "merge", str(keep), str(other))
    assert code == 3 and f"Lead #{other} was already merged into lead #{keep}" in err
    code, _, err = run(capsys, *args, "lead", str(other))
    assert code == 1 and f"Lead #{other} was merged into lead #{keep}." in err
    with pytest.raises(SystemExit) as exited:
        run(capsys, *args, "merge", str(keep), "0")
    assert exited.value.code == 2 and "must be at least 1" in capsys.readouterr().err
