"""Issue 11: `--as LOGIN` names the acting user on every command that acts for someone (it
was `--user` on queue, claim, release and log-call, `--as` on the team commands).

Database roles: who acts is proven, not declared. On SQLite it is the computer account of
the process's real user id (environment variables prove nothing); `--as` is for admins
only and recorded in the audit trail; the file's own user without an account (as in these
tests, which run under an account that is no Teleprospect user) may act as anyone, audited
the same way. A deactivated account can do nothing."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from teleprospect.cli import build_parser, main
from teleprospect.core.audit import AuditKind
from teleprospect.core.domain import UserRole
from teleprospect.services.database import open_database
from teleprospect.services.team.users import NewUser, add_user, deactivate_user
from teleprospect.store.models import AuditEntry, Call, Lead, User
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


# ----------------------------------------------------------------------------- proven, not declared


@pytest.fixture
def you(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """Be ``login``: the computer account the operating system says runs the command."""

    def be(login: str) -> None:
        monkeypatch.setattr("teleprospect.services.identity.current_user.os_login", lambda: login)

    return be


def desk_state(url: str) -> dict[str, object]:
    db = open_database(url).db
    try:
        with db.read() as s:
            return {
                "users": s.execute(select(User.login, User.role, User.is_admin)).all(),
                "claims": s.execute(select(Lead.id, Lead.claimed_by_id)).all(),
                "calls": s.scalar(select(func.count()).select_from(Call)),
                "audit": s.scalar(select(func.count()).select_from(AuditEntry)),
            }
    finally:
        db.dispose()


def test_as_from_someone_who_is_no_admin_is_refused_and_changes_nothing(
    desk, capsys, you, tmp_path
) -> None:  # noqa: ANN001
    url, (lead_id, _) = desk
    you("rep.one")
    before = desk_state(url)
    for argv in (
        ["claim", "--as", "rep.two"],
        ["queue", "--as", "rep.two"],
        ["log-call", str(lead_id), "--as", "rep.two", "--disposition", "busy"],
        ["users", "add", "mallory", "--name", "Mallory", "--admin", "--as", "rep.two"],
        ["export", "--out", str(tmp_path / "x.csv"), "--as", "rep.two"],
    ):
        code, out, err = run(capsys, "--db", url, *argv)
        assert (code, out) == (4, ""), argv
        assert "Only an admin can act as someone else; Rep One (rep.one) is not an admin" in err
    assert desk_state(url) == before


def test_the_environment_proves_nothing(desk, capsys, you, monkeypatch) -> None:  # noqa: ANN001
    url, _ = desk
    you("rep.one")
    for name in ("USER", "LOGNAME", "USERNAME"):
        monkeypatch.setenv(name, "rep.two")
    code, out, err = run(capsys, "--db", url, "claim", "--json")
    assert code == 0, err
    assert lead_json(capsys, url, json.loads(out)["id"])["claimed_by_name"] == "Rep One"


def test_a_deactivated_account_can_do_nothing_and_an_admins_as_is_recorded(
    desk, capsys, you, tmp_path
) -> None:  # noqa: ANN001
    url, (lead_id, _) = desk
    db = open_database(url).db
    boss = add_user(
        db, NewUser("boss", "Maria Boss", UserRole.TEAM_LEAD, is_admin=True), acting_user_id=None
    )
    rep_one = db_user(db, "rep.one")
    claim(db, lead_id, rep_one, QUEUE_CLOCK)
    deactivate_user(db, rep_one, acting_user_id=boss.id, now=QUEUE_CLOCK)
    db.dispose()

    you("rep.one")
    for argv in (
        ["claim"],
        ["queue"],
        ["log-call", str(lead_id), "--disposition", "busy"],
        ["export", "--out", str(tmp_path / "x.csv")],
    ):
        code, out, err = run(capsys, "--db", url, *argv)
        assert (code, out) == (4, ""), argv
        assert "The account Rep One (rep.one) is deactivated; ask an admin" in err, argv
    assert lead_json(capsys, url, lead_id)["claimed_by_name"] is None  # released

    you("boss")
    code, _, err = run(capsys, "--db", url, "claim", "--as", "rep.one")
    assert code == 4 and "Rep One (rep.one) is deactivated" in err
    code, out, err = run(capsys, "--db", url, "claim", "--as", "rep.two", "--json")
    assert code == 0, err
    db = open_database(url).db
    with db.read() as s:
        [entry] = s.scalars(select(AuditEntry).where(AuditEntry.kind == AuditKind.ACTED_AS))
    db.dispose()
    assert (entry.by_login, entry.by_user_id) == ("boss", boss.id)
    assert entry.subject == "Maria Boss acted as Rep Two (rep.two)"
    assert entry.after == {"by": "boss", "as": "rep.two", "for": "teleprospect claim"}


def db_user(db, login: str) -> int:  # noqa: ANN001
    with db.read() as s:
        found = s.scalar(select(User.id).where(User.login == login))
    assert found is not None
    return int(found)
