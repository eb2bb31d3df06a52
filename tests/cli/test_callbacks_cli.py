"""`teleprospect callbacks`: each callback's time here and at the lead, not UTC only;
--overdue and --today; --user for team leads only."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from teleprospect.cli import main
from teleprospect.core.domain import UserRole
from teleprospect.services.database import open_database
from teleprospect.store.models import CallbackEntry, Lead, User


def run(capsys, *argv: str) -> tuple[int, str, str]:  # noqa: ANN001
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This computer's zone is Berlin's."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def callbacks(sqlite_url: str, monkeypatch: pytest.MonkeyPatch, berlin: None) -> dict[str, int]:
    db = open_database(sqlite_url).db
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    with db.write() as s:
        sam, kim = User(login="sam", name="Sam Carter"), User(login="kim", name="Kim Lee")
        boss = User(login="boss", name="Maria Boss", role=UserRole.TEAM_LEAD)
        tanaka = Lead(first_name="Aiko", last_name="Tanaka", company="Tanaka KK",
                      call_zones="Asia/Tokyo")  # fmt: skip
        s.add_all([sam, kim, boss, tanaka])
        s.flush()
        overdue = CallbackEntry(lead_id=tanaka.id, due_at=now - timedelta(hours=1),
                                owner_id=sam.id, note="price list")  # fmt: skip
        later = CallbackEntry(lead_id=tanaka.id, due_at=now + timedelta(days=3), owner_id=sam.id)
        kims = CallbackEntry(lead_id=tanaka.id, due_at=now + timedelta(days=1), owner_id=kim.id)
        s.add_all([overdue, later, kims])
        s.flush()
        ids = {"overdue": overdue.id, "later": later.id, "kims": kims.id, "lead": tanaka.id}
        ids["due"] = int(overdue.due_at.timestamp())
    db.dispose()
    monkeypatch.setattr("teleprospect.services.identity.current_user.os_login", lambda: "sam")
    return ids


def test_my_callbacks_show_the_time_here_and_in_tokyo(sqlite_url, callbacks, capsys) -> None:
    code, out, err = run(capsys, "--db", sqlite_url, "callbacks")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 2  # Kim's personal callback is Kim's
    due = datetime.fromtimestamp(callbacks["due"], UTC)
    here = due.astimezone(ZoneInfo("Europe/Berlin"))
    tokyo = due.astimezone(ZoneInfo("Asia/Tokyo"))
    assert lines[0].startswith("Overdue ")
    assert f"{here:%H:%M} here · " in lines[0] and f"{tokyo:%H:%M} in Tokyo" in lines[0]
    assert "Aiko Tanaka (Tanaka KK)" in lines[0] and "[personal] — price list" in lines[0]
    assert "UTC" not in out
    assert lines[1].startswith("Upcoming")

    code, out, _ = run(capsys, "--db", sqlite_url, "callbacks", "--overdue", "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["callback_id"] for r in rows] == [callbacks["overdue"]]
    assert rows[0]["here"] == here.isoformat(timespec="minutes")
    assert "in Tokyo" in rows[0]["at_lead"] and rows[0]["when"] == "overdue"

    code, out, _ = run(capsys, "--db", sqlite_url, "callbacks", "--today")
    assert code == 0 and len(out.splitlines()) <= 1  # the upcoming one is days away


def test_only_a_team_lead_lists_another_reps_callbacks(
    sqlite_url, callbacks, capsys, monkeypatch
) -> None:
    code, out, err = run(capsys, "--db", sqlite_url, "callbacks", "--user", "kim")
    assert code != 0 and out == "" and err.count("\n") == 1
    assert "team's workload" in err or "team lead" in err.lower()

    monkeypatch.setattr("teleprospect.services.identity.current_user.os_login", lambda: "boss")
    code, out, err = run(capsys, "--db", sqlite_url, "callbacks", "--user", "kim", "--json")
    assert code == 0, err
    assert [json.loads(line)["callback_id"] for line in out.splitlines()] == [callbacks["kims"]]

    code, _, err = run(capsys, "--db", sqlite_url, "callbacks", "--user", "nobody")
    assert code != 0 and "no user with the login 'nobody'" in err
