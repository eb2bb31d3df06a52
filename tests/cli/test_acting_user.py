"""Issue 11: `--as LOGIN` names the acting user on every command that acts for someone (it
was `--user` on queue, claim, release and log-call, `--as` on the team commands)."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, date, datetime, timedelta

import pytest

from teleprospect.cli import build_parser, main
from teleprospect.services.database import open_database
from tests.services.call_fixtures import add_lead, add_users, claim

COMMANDS_ACTING_FOR_SOMEONE = [
    ["queue"],
    ["claim"],
    ["release"],
    ["log-call"],
    ["users", "add"],
    ["users", "set-role"],
    ["users", "deactivate"],
    ["reassign"],
    ["export"],
    ["acceptance"],
    ["workload"],
]


def run(capsys, *argv: str) -> tuple[int, str, str]:  # noqa: ANN001
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def sub_parser(path: list[str]) -> argparse.ArgumentParser:
    parser = build_parser()
    for name in path:
        [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        parser = commands.choices[name]
    return parser


@pytest.mark.parametrize("path", COMMANDS_ACTING_FOR_SOMEONE, ids=" ".join)
def test_every_command_acting_for_someone_takes_as_and_not_user(path: list[str]) -> None:
    options = {o for a in sub_parser(path)._actions for o in a.option_strings}
    assert "--as" in options
    assert "--user" not in options


def next_wednesday_noon() -> datetime:
    """Inside Berlin's calling hours, and later than today: claims made then are live now."""
    day = date.today() + timedelta(days=1)
    while day.weekday() != 2:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


QUEUE_CLOCK = next_wednesday_noon()


@pytest.fixture
def desk(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, list[int]]:
    """Two reps and two leads due for a call: the queue's clock says next Wednesday noon."""
    # A SQLite file's clock is this computer's: every decision of the desk reads it here.
    monkeypatch.setattr("teleprospect.store.clock.utcnow", lambda: QUEUE_CLOCK)
    db = open_database(sqlite_url).db
    add_users(db)
    leads = [add_lead(db, email=f"lead{i}@vogel.de", phone_e164=f"+493090182{i}") for i in range(2)]
    db.dispose()
    return sqlite_url, leads


def lead_json(capsys, url: str, lead_id: int) -> dict:  # noqa: ANN001
    code, out, err = run(capsys, "--db", url, "lead", str(lead_id), "--json")
    assert code == 0, err
    return json.loads(out)


def test_queue_and_claim_as_another_rep(desk, capsys) -> None:  # noqa: ANN001
    url, leads = desk
    code, out, err = run(capsys, "--db", url, "queue", "--as", "rep.one", "--json")
    assert code == 0, err
    queued = [json.loads(line)["id"] for line in out.splitlines()]
    assert sorted(queued) == sorted(leads)

    code, out, err = run(capsys, "--db", url, "claim", "--as", "rep.two", "--json")
    assert code == 0, err
    claimed = json.loads(out)["id"]
    assert lead_json(capsys, url, claimed)["claimed_by_name"] == "Rep Two"
    # rep.two's claim keeps the lead out of rep.one's queue.
    code, out, _ = run(capsys, "--db", url, "queue", "--as", "rep.one", "--json")
    assert claimed not in [json.loads(line)["id"] for line in out.splitlines()]


def test_log_call_and_release_act_as_the_named_rep(desk, capsys) -> None:  # noqa: ANN001
    url, (held, free) = desk
    db = open_database(url).db
    claim(db, held, 1, QUEUE_CLOCK)  # rep.one holds it
    db.dispose()

    code, _, err = run(capsys, "--db", url, "log-call", str(held), "--as", "rep.two",
                       "--disposition", "busy")  # fmt: skip
    assert code == 1 and "held by Rep One" in err
    code, _, err = run(capsys, "--db", url, "release", str(held), "--as", "rep.two")
    assert code == 1 and "not claimed by you" in err

    code, _, err = run(capsys, "--db", url, "log-call", str(free), "--as", "rep.two",
                       "--disposition", "busy")  # fmt: skip
    assert code == 0, err
    [call] = lead_json(capsys, url, free)["calls"]
    assert call["user_name"] == "Rep Two"
    code, out, err = run(capsys, "--db", url, "release", str(held), "--as", "rep.one")
    assert code == 0 and "back in the queue" in out


def test_the_old_user_option_is_a_usage_error(capsys) -> None:  # noqa: ANN001
    with pytest.raises(SystemExit) as exit_:
        main(["queue", "--user", "rep.one"])
    assert exit_.value.code == 2
    assert "unrecognized arguments: --user" in capsys.readouterr().err
