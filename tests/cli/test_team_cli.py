"""The team lead's commands as a user types them: users, reassign, export, acceptance,
workload; refused actions exit with 4 and the reason."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from teleprospect.cli import main
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.services.database import open_database
from teleprospect.store.models import CallbackEntry, Lead
from tests.services.team_fixtures import NOW, Team, add_lead, make_team


def run(capsys, *argv: str) -> tuple[int, str, str]:  # noqa: ANN001
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def login(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """Set the operating-system account the commands see (its real user id's name)."""

    def set_login(name: str) -> None:
        monkeypatch.setattr("teleprospect.services.identity.current_user.os_login", lambda: name)

    set_login("visitor")
    return set_login


@pytest.fixture
def team(sqlite_url: str) -> Team:
    db = open_database(sqlite_url).db
    try:
        return make_team(db)
    finally:
        db.dispose()


def add(url: str, *names: str, **fields: object) -> list[int]:
    db = open_database(url).db
    try:
        return [add_lead(db, name, **fields) for name in names]
    finally:
        db.dispose()


def test_setting_up_users_from_a_new_database(sqlite_url: str, capsys, login) -> None:  # noqa: ANN001
    db = ["--db", sqlite_url]
    code, out, _ = run(capsys, *db, "users", "list")
    assert code == 0 and "No users yet" in out
    # Nobody is admin yet: whoever sets the team up may add its first users.
    code, out, _ = run(
        capsys, *db, "users", "add", "maria", "--name", "Maria Lopez", "--role", "team-lead",
        "--admin",
    )  # fmt: skip
    assert code == 0 and out.strip() == "Added Maria Lopez (maria), Team lead, admin."
    # The file's own user, with no account, may still set the team up (it is their file)…
    code, _, err = run(capsys, *db, "users", "add", "julie", "--name", "Julie Moreau")
    assert code == 0, err
    # …but a teleprospector may not manage users.
    login("julie")
    code, _, err = run(capsys, *db, "users", "add", "sam", "--name", "Sam Carter")
    assert code == 4 and "Only an admin can manage users; Julie Moreau is not an admin" in err
    login("maria")
    code, out, _ = run(capsys, *db, "users", "add", "sam", "--name", "Sam Carter", "--json")
    assert code == 0 and json.loads(out)["role"] == "teleprospector"
    code, out, _ = run(capsys, *db, "users", "set-role", "sam", "team-lead")
    assert code == 0 and "Sam Carter (sam) is now: Team lead." in out
    code, out, _ = run(capsys, *db, "users", "set-admin", "sam", "on")
    assert code == 0 and "Team lead, admin" in out
    code, out, _ = run(capsys, *db, "users", "list", "--json")
    assert [(u["login"], u["admin"]) for u in json.loads(out)] == [
        ("julie", False),
        ("maria", True),
        ("sam", True),
    ]
    code, _, err = run(capsys, *db, "users", "set-role", "nobody", "team-lead")
    assert code == 1 and "There is no user with the login 'nobody'" in err


def test_refused_actions_exit_4_with_the_reason(
    sqlite_url: str,
    team: Team,
    capsys,
    login,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    db = ["--db", sqlite_url]
    login("sam")
    for argv in (
        ["users", "add", "new", "--name", "New"],
        ["reassign", "--from", "julie", "--to", "jonas"],
        ["export", "--out", str(tmp_path / "x.csv")],
        ["workload"],
    ):
        code, out, err = run(capsys, *db, *argv)
        assert code == 4 and out == "", argv
        assert err.startswith("teleprospect: error: Only ") and "Sam Carter" in err
        assert err.count("\n") == 1
    # Acting as someone else is an admin's act: a teleprospector naming a team lead is refused.
    code, _, err = run(capsys, *db, "workload", "--as", "boss")
    assert code == 4 and "Only an admin can act as someone else; Sam Carter (sam)" in err
    login("boss")
    code, _, _ = run(capsys, *db, "users", "deactivate", "jonas")
    assert code == 0
    code, _, err = run(capsys, *db, "workload", "--as", "jonas")
    assert code == 4 and "Jonas Weber (jonas) is deactivated" in err
    login("stranger")
    code, _, err = run(capsys, *db, "workload")
    assert code == 4 and "which is no Teleprospect user" in err


def test_reassign_then_undo(sqlite_url: str, team: Team, capsys, login) -> None:  # noqa: ANN001
    db = ["--db", sqlite_url]
    leads = add(sqlite_url, "Ann", "Ben", "Cid", owner_id=team.sam)
    from datetime import timedelta

    held = add(
        sqlite_url, "Held", owner_id=team.sam, claimed_by_id=team.sam,
        claim_expires_at=NOW + timedelta(days=3650),
    )[0]  # fmt: skip
    database = open_database(sqlite_url).db
    with database.write() as s:
        s.add(CallbackEntry(lead_id=leads[0], due_at=NOW, owner_id=team.sam))
    database.dispose()
    login("boss")
    code, out, _ = run(
        capsys, *db, "reassign", "--from", "sam", "--to", "julie,jonas", "--dry-run", "--json"
    )
    preview = json.loads(out)
    assert code == 0 and preview["batch_id"] is None and preview["moved"] == 3
    code, out, _ = run(
        capsys, *db, "reassign", "--from", "sam", "--to", "julie,jonas", "--reason", "Sam away"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (
        "Moved 3 leads (2 to Julie Moreau, 1 to Jonas Weber) with 1 open callback. Skipped 1 "
        "lead someone is working right now."
    )
    assert lines[1] == f"  skipped #{held} Held Lovelace (Held GmbH): held by Sam Carter"
    assert lines[-1].startswith("Undo with: teleprospect reassign --undo ")
    batch = lines[-1].split()[-1]
    database = open_database(sqlite_url).db
    with database.read() as s:
        assert [s.get(Lead, i).owner_id for i in leads] == [team.julie, team.jonas, team.julie]  # type: ignore[union-attr]
    database.dispose()
    code, out, _ = run(capsys, *db, "reassign", "--undo", batch, "--json")
    assert code == 0 and json.loads(out)["restored"] == 3
    code, _, err = run(capsys, *db, "reassign", "--undo", batch)
    assert code == 1 and "already undone" in err
    code, _, err = run(capsys, *db, "reassign", "--from", "sam")
    assert code == 2 and "--to" in err
    code, _, err = run(capsys, *db, "reassign", "--to", "julie", "--campaign", "Nope")
    assert code == 1 and "There is no campaign 'Nope'" in err
    code, _, err = run(capsys, *db, "reassign", "--to", "julie", "--status", "won")
    assert code == 2 and "'won' is not a status" in err


def test_export_acceptance_and_workload(
    sqlite_url: str,
    team: Team,
    capsys,
    login,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    db = ["--db", sqlite_url]
    ann, ben = add(
        sqlite_url, "Ann", "Ben", owner_id=team.sam, status=LeadStatus.SALES_READY,
        campaign_id=team.campaign,
    )  # fmt: skip
    database = open_database(sqlite_url).db
    with database.write() as s:
        for lead_id, email in ((ann, "ann@acme.example"), (ben, "ben@acme.example")):
            s.get(Lead, lead_id).email = email  # type: ignore[union-attr]
    database.dispose()
    login("boss")
    out_file = tmp_path / "sales.csv"
    code, out, _ = run(
        capsys, *db, "export", "--format", "hubspot", "--out", str(out_file), "--json"
    )
    assert code == 0
    result = json.loads(out)
    assert result["leads"] == 2 and result["format"] == "hubspot"
    with open(out_file, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [r["Email"] for r in rows] == ["ann@acme.example", "ben@acme.example"]
    code, _, err = run(capsys, *db, "export", "--out", str(tmp_path / "again.csv"))
    assert code == 1 and "No sales-ready lead matches" in err
    code, _, err = run(
        capsys, *db, "export", "--out", str(tmp_path / "again.csv"), "--lead", str(ann)
    )
    assert code == 1 and "(--again)" in err
    code, out, _ = run(
        capsys, *db, "export", "--out", str(tmp_path / "again.csv"), "--lead", str(ann), "--again"
    )
    assert code == 0 and out.startswith("Handed 1 lead to sales in batch #")
    again = ["export", "--out", str(tmp_path / "again.csv"), "--lead", str(ann), "--again"]
    code, _, err = run(capsys, *db, *again)
    assert code == 1 and "already exists; nothing was exported" in err and "--force" in err
    code, out, _ = run(capsys, *db, *again, "--force")
    assert code == 0 and out.startswith("Handed 1 lead to sales in batch #")

    verdicts = tmp_path / "verdicts.csv"
    reference = result["references"][1]["reference"]
    verdicts.write_text(
        "Reference,Email,Outcome,Reason\r\n"
        ",ann@acme.example,Won,\r\n"
        f"{reference},,Lost,Bought elsewhere\r\n"
        ",nobody@acme.example,Won,\r\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, *db, "acceptance", str(verdicts), "--rejected-to", "disqualified")
    assert code == 0
    assert out.splitlines()[:2] == [
        "Recorded 1 accepted and 1 rejected leads from 3 rows of verdicts.csv; 1 bad row.",
        "  row 4: no lead has the email nobody@acme.example",
    ]
    assert "Bad rows: " in out
    code, out, _ = run(capsys, *db, "acceptance", str(verdicts), "--json")
    again = json.loads(out)
    assert (again["already_recorded"], again["accepted"], again["bad_rows"]) == (2, 0, 1)
    database = open_database(sqlite_url).db
    with database.read() as s:
        assert s.get(Lead, ann).status is LeadStatus.ACCEPTED  # type: ignore[union-attr]
        assert s.get(Lead, ben).status is LeadStatus.DISQUALIFIED  # type: ignore[union-attr]
    database.dispose()

    code, out, _ = run(capsys, *db, "workload", "--json")
    load = json.loads(out)
    assert code == 0 and load["period"]["label"] == "this week"
    assert {r["login"] for r in load["reps"]} == {"boss", "lead2", "sam", "julie", "jonas"}
    assert load["unanswered_handoffs"] == []
    code, out, _ = run(capsys, *db, "workload", "--period", "today")
    assert code == 0 and out.splitlines()[0].split()[:2] == ["Rep", "Queue"]
    assert "Connects and sales-ready: today." in out
