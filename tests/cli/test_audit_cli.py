"""`teleprospect audit` as a team lead types it: one clear line per entry, filters, JSON
lines, a CSV file; refused to reps with exit 4; no value reaches the terminal raw."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from teleprospect.cli import main
from teleprospect.cli.audit import local_time_text
from teleprospect.core.audit import AuditKind
from teleprospect.services.audit.record import record_audit, this_workstation
from teleprospect.services.database import open_database
from teleprospect.store.database import Attribution, Database
from tests.services.team_fixtures import NOW, Team, make_team


def run(capsys, *argv: str) -> tuple[int, str, str]:  # noqa: ANN001
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def _signed_in_as_the_boss(monkeypatch: pytest.MonkeyPatch) -> None:
    """This computer's login is the team lead's: `--as boss` is acting as oneself, and
    leaves no "acted as" entry in the trail the tests read."""
    monkeypatch.setattr("teleprospect.services.identity.current_user.os_login", lambda: "boss")


@pytest.fixture
def opened(sqlite_url: str) -> Iterator[Database]:
    db = open_database(sqlite_url).db
    yield db
    db.dispose()


@pytest.fixture
def team(opened: Database) -> Team:
    return make_team(opened)


def add(
    db: Database,
    kind: AuditKind,
    user_id: int | None,
    at: datetime,
    *,
    by: Attribution | None = None,
    **fields: object,
) -> int:
    db.attribution = by
    try:
        with db.write() as s:
            entry = record_audit(s, kind, user_id=user_id, **fields)  # type: ignore[arg-type]
            entry.at = at
            s.flush()
            return entry.id
    finally:
        db.attribution = None


@pytest.fixture
def trail(opened: Database, team: Team) -> dict[str, int]:
    return {
        "setting": add(
            opened, AuditKind.SETTING_CHANGED, team.boss, NOW - timedelta(days=3),
            subject="calling hours", before={"start": "09:00", "end": "17:00"},
            after={"start": "08:00", "end": "17:00"},
        ),
        "status": add(
            opened, AuditKind.STATUS_CHANGED, team.sam, NOW - timedelta(days=1), lead_id=7,
            subject="lead 7", before={"status": "working"}, after={"status": "sales_ready"},
            by=Attribution("boss", team.boss, "desk-7"),
        ),
        "dnc": add(
            opened, AuditKind.DO_NOT_CALL_CHANGED, team.julie, NOW, lead_id=8,
            subject="lead 8", before={"do_not_call": False}, after={"do_not_call": True},
        ),
    }  # fmt: skip


def test_a_team_lead_reads_one_clear_line_per_entry_newest_first(
    sqlite_url: str, capsys, trail, opened: Database, monkeypatch: pytest.MonkeyPatch
) -> None:  # noqa: ANN001
    workstation = this_workstation()  # no one said where: this computer
    monkeypatch.setattr("teleprospect.services.identity.current_user.os_login", lambda: "lead2")
    code, out, err = run(capsys, "--db", sqlite_url, "audit")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines == [
        f"{local_time_text(NOW)}  julie, on {workstation}  Do-not-call changed: lead 8"
        " — do not call: no → yes",
        f"{local_time_text(NOW - timedelta(days=1))}  boss as sam, on desk-7  Status changed:"
        " lead 7 — status: working → sales_ready",
        f"{local_time_text(NOW - timedelta(days=3))}  boss, on {workstation}  Team setting"
        " changed: calling hours — start: 09:00 → 08:00",
    ]


def test_filters_narrow_the_trail(sqlite_url: str, capsys, trail, team: Team) -> None:  # noqa: ANN001
    def ids(*options: str) -> list[int]:
        code, out, err = run(
            capsys, "--db", sqlite_url, "audit", "--as", "boss", "--json", *options
        )
        assert code == 0, err
        return [json.loads(line)["id"] for line in out.splitlines()]

    assert ids() == [trail["dnc"], trail["status"], trail["setting"]]
    assert ids("--user", "sam") == [trail["status"]]
    assert ids("--user", "boss") == [trail["status"], trail["setting"]]
    assert ids("--lead", "8") == [trail["dnc"]]
    assert ids("--kind", "status-changed,Team setting changed") == [
        trail["status"], trail["setting"],
    ]  # fmt: skip
    day = (NOW - timedelta(days=1)).astimezone()
    assert ids("--since", f"{day:%Y-%m-%d}", "--until", f"{day:%Y-%m-%d}") == [trail["status"]]
    assert ids("--since", NOW.isoformat()) == [trail["dnc"]]
    assert ids("--limit", "1") == [trail["dnc"]]


def test_json_lines_carry_the_whole_entry(sqlite_url: str, capsys, trail) -> None:  # noqa: ANN001
    code, out, _ = run(
        capsys, "--db", sqlite_url, "audit", "--as", "boss", "--json", "--user", "sam"
    )
    entry = json.loads(out)
    assert entry["kind"] == "status_changed" and entry["what"] == "Status changed"
    assert (entry["by"], entry["as"], entry["workstation"]) == ("boss", "sam", "desk-7")
    assert entry["before"] == {"status": "working"} and entry["after"] == {"status": "sales_ready"}
    assert datetime.fromisoformat(entry["at"]) == NOW - timedelta(days=1)


def test_more_entries_than_the_limit_are_announced(sqlite_url: str, capsys, trail) -> None:  # noqa: ANN001
    code, out, _ = run(capsys, "--db", sqlite_url, "audit", "--as", "boss", "--limit", "2")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 3 and lines[-1].startswith("… older entries too: the newest 2")


def test_the_trail_goes_to_a_csv_file(sqlite_url: str, capsys, trail, tmp_path: Path) -> None:  # noqa: ANN001
    out_file = tmp_path / "audit.csv"
    db = ["--db", sqlite_url, "audit", "--as", "boss", "--csv", str(out_file)]
    code, out, _ = run(capsys, *db, "--kind", "status_changed")
    assert code == 0 and out.strip() == f"1 audit entry written to {out_file.resolve()}"
    with out_file.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[1][2:5] == ["boss", "sam", "desk-7"]
    code, _, err = run(capsys, *db)
    assert code == 1 and "already exists" in err
    code, out, _ = run(capsys, *db, "--force", "--json")
    assert code == 0 and json.loads(out)["entries"] == 3


def test_reps_are_not_permitted(sqlite_url: str, capsys, trail) -> None:  # noqa: ANN001
    code, out, err = run(capsys, "--db", sqlite_url, "audit", "--as", "sam")
    assert code == 4 and out == ""
    assert err.count("\n") == 1 and "read the audit trail" in err


def test_a_wrong_kind_or_date_is_a_usage_error(sqlite_url: str, capsys, trail) -> None:  # noqa: ANN001
    for option, value, says in (
        ("--kind", "status_changed,coffee", "'coffee' is not a kind of audit entry"),
        ("--since", "yesterday", "'yesterday' is not a date"),
    ):
        with pytest.raises(SystemExit) as exit_:
            main(["--db", sqlite_url, "audit", "--as", "boss", option, value])
        err = capsys.readouterr().err
        assert exit_.value.code == 2 and says in err and err.count("\n") == 1


def test_nothing_to_show_is_said(sqlite_url: str, capsys, team: Team) -> None:  # noqa: ANN001
    code, out, _ = run(capsys, "--db", sqlite_url, "audit", "--as", "boss")
    assert code == 0 and out.strip() == "No audit entries yet."
    code, out, _ = run(capsys, "--db", sqlite_url, "audit", "--as", "boss", "--lead", "3")
    assert out.strip() == "No audit entries match the filters."


def test_no_value_reaches_the_terminal_raw(
    sqlite_url: str, capsys, opened: Database, team: Team
) -> None:  # noqa: ANN001
    add(
        opened, AuditKind.SETTING_CHANGED, team.boss, NOW,
        subject="calling\nhours\x1b]0;owned\x07", before={"note": "a\x1b[2Jb"},
        after={"note": "c\rd"}, by=Attribution("bo\x1b[31mss", team.boss, "desk\n7"),
    )  # fmt: skip
    code, out, _ = run(capsys, "--db", sqlite_url, "audit", "--as", "boss")
    assert code == 0 and "\x1b" not in out and "\r" not in out
    assert out.count("\n") == 1
    assert "calling hours" in out and "note: ab → c d" in out
