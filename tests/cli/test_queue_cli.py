"""The queue commands: queue, claim, release, rescore."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from teleprospect.cli import main
from teleprospect.cli.common import ExitCode
from teleprospect.demo.loader import load_demo
from teleprospect.services.database import open_database
from teleprospect.store.models import Lead, User


def run(capsys, *argv: str) -> tuple[int, str, str]:  # noqa: ANN001
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _demo(url: str) -> None:
    db = open_database(url).db
    load_demo(db, leads=300, seed=3)
    db.dispose()


def test_queue_claim_release_and_rescore(sqlite_url: str, capsys) -> None:
    _demo(sqlite_url)
    code, out, _ = run(capsys, "--db", sqlite_url, "queue", "--as", "sam.carter", "--json")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["position"] for r in rows] == list(range(1, len(rows) + 1))
    assert all(r["reason"] for r in rows)

    code, out, _ = run(capsys, "--db", sqlite_url, "claim", "--as", "sam.carter", "--json")
    claimed = json.loads(out)
    if rows:  # the demo's leads may all be outside their calling hours right now
        assert code == 0 and claimed["id"] == rows[0]["id"]
        assert {"phone", "local_time", "reason", "lease_expires_at"} <= set(claimed)
        code, out, _ = run(capsys, "--db", sqlite_url, "release", str(claimed["id"]), "--as",
                           "sam.carter")  # fmt: skip
        assert code == 0 and "back in the queue" in out
        code, _, err = run(capsys, "--db", sqlite_url, "release", str(claimed["id"]), "--as",
                           "sam.carter")  # fmt: skip
        assert code == 1 and "not claimed by you" in err
    else:
        assert claimed is None

    code, out, _ = run(capsys, "--db", sqlite_url, "queue", "--as", "sam.carter", "--limit", "2")
    assert code == 0 and len(out.splitlines()) <= 2

    code, out, _ = run(capsys, "--db", sqlite_url, "rescore", "--json")
    assert code == 0 and json.loads(out)["leads"] == 300
    code, out, _ = run(capsys, "--db", sqlite_url, "rescore")
    assert code == 0 and "Re-scored 300 leads" in out


def test_unknown_login_is_one_line(sqlite_url: str, capsys) -> None:
    for command in (["queue"], ["claim"], ["release", "1"]):
        code, out, err = run(capsys, "--db", sqlite_url, *command, "--as", "nobody")
        assert code == 1 and out == ""
        assert err.strip().count("\n") == 0 and "no user with the login 'nobody'" in err


@pytest.mark.parametrize("minutes", ["61", "0", "-5", "2000000000"])
def test_a_lease_outside_a_minute_to_an_hour_is_refused_before_anything_changes(
    sqlite_url: str, capsys, minutes: str
) -> None:
    """`claim --lease 2000000000` once held a lead until the year 5829."""
    db = open_database(sqlite_url).db
    with db.write() as s:
        s.add(User(login="sam", name="Sam"))
        s.add(Lead(first_name="Ada", last_name="Test", company="Ada AG", call_zones=""))
    with pytest.raises(SystemExit) as exit_:
        main(["--db", sqlite_url, "claim", "--as", "sam", "--lease", minutes])
    assert exit_.value.code == ExitCode.USAGE
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert "--lease" in err and ("from 1 to 60 minutes" in err or "too large" in err)
    with db.read() as s:
        assert (
            s.scalars(select(Lead.claimed_by_id).where(Lead.claimed_by_id.is_not(None))).all() == []
        )
    db.dispose()


def test_rescoring_right_after_the_demo_changes_nothing(db_url: str, capsys) -> None:
    """The demo's scores and priorities are the rules' (4,920 of 5,000 scores changed)."""
    if db_url.startswith("sqlite:///"):
        Path(db_url.removeprefix("sqlite:///")).touch()
    day = datetime.now(UTC).date()
    code, _, err = run(capsys, "--db", db_url, "demo", "--leads", "600", "--seed", "4")
    assert code == 0, err
    code, out, err = run(capsys, "--db", db_url, "rescore", "--json")
    assert code == 0, err
    if datetime.now(UTC).date() != day:
        pytest.skip("midnight (UTC) came between the two: engagement aged a day meanwhile")
    summary = json.loads(out)
    assert summary["leads"] == 600
    assert (summary["changed"], summary["reordered"]) == (0, 0)
