"""Issue: who acts is proven, not declared — the commands on a team's PostgreSQL server.

Each person's command line connects as their own login role. Acting as someone else
(`--as`) is refused to anyone but an admin and recorded when an admin does it; an
environment variable changes nothing; `users add` makes the login role with a SCRAM
password; a deactivated account's login is turned away; the owner of a database from
before per-person logins keeps working and hands out the logins."""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import func, select

from teleprospect.cli import main
from teleprospect.core.audit import AuditKind
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.services.database import upgrade_database
from teleprospect.store.database import Database
from teleprospect.store.migrate import alembic_config
from teleprospect.store.models import AuditEntry, Call, HandoffBatch, Lead, User
from teleprospect.store.roles import GroupRoles, group_roles
from tests.services.identity_fixtures import give_logins, url_as
from tests.services.team_fixtures import NOW, Team, add_lead, make_team

pytestmark = pytest.mark.postgresql


def run(capsys, *argv: str) -> tuple[int, str, str]:  # noqa: ANN001
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def team_server(pg_url: str) -> Iterator[tuple[Database, Team, GroupRoles]]:
    db = Database(pg_url)
    upgrade_database(db)
    team = make_team(db)
    give_logins(db, team.boss, team.lead2, team.sam, team.julie, team.jonas)
    yield db, team, group_roles(db.url.database or "")
    db.dispose()


def as_(db: Database, role: str) -> list[str]:
    return ["--db", url_as(db, role)]


def superuser(db: Database) -> psycopg.Connection:
    url = db.url.set(drivername="postgresql")
    return psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)


def role_state(db: Database, role: str) -> tuple[str | None, bool, list[str]]:
    """(password as stored, may log in, the groups it is a member of)."""
    with superuser(db) as conn:
        row = conn.execute(
            "SELECT rolpassword, rolcanlogin FROM pg_authid WHERE rolname = %s", (role,)
        ).fetchone()
        assert row is not None, f"no role {role}"
        groups = conn.execute(
            "SELECT g.rolname FROM pg_auth_members AS m JOIN pg_roles AS g ON g.oid = m.roleid"
            " JOIN pg_roles AS r ON r.oid = m.member WHERE r.rolname = %s ORDER BY 1",
            (role,),
        ).fetchall()
    return row[0], row[1], [g for (g,) in groups]


def state(db: Database) -> dict[str, object]:
    with db.read() as s:
        return {
            "users": s.execute(
                select(User.login, User.role, User.is_admin, User.is_active).order_by(User.id)
            ).all(),
            "handoffs": s.scalar(select(func.count()).select_from(HandoffBatch)),
            "calls": s.scalar(select(func.count()).select_from(Call)),
            "leads": s.execute(
                select(Lead.id, Lead.status, Lead.owner_id, Lead.claimed_by_id).order_by(Lead.id)
            ).all(),
            "audit": s.scalar(select(func.count()).select_from(AuditEntry)),
        }


def test_a_teleprospector_is_refused_what_the_issue_tried_and_nothing_changes(
    team_server, capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, team, _ = team_server
    ready = add_lead(db, "Ready", owner_id=team.sam, status=LeadStatus.SALES_READY)
    theirs = add_lead(db, "Theirs", owner_id=team.julie, status=LeadStatus.WORKING)
    monkeypatch.setenv("USER", "boss")  # the environment proves nothing
    monkeypatch.setenv("LOGNAME", "boss")
    before = state(db)
    sam = as_(db, "sam")
    attempts = {
        "export as the team lead": (
            [*sam, "export", "--out", str(tmp_path / "x.csv"), "--as", "boss"],
            "Only an admin can act as someone else; Sam Carter (sam) is not an admin",
        ),
        "export as oneself": (
            [*sam, "export", "--out", str(tmp_path / "x.csv")],
            "Only a team lead can export leads to sales; Sam Carter is a teleprospector",
        ),
        "an admin made": (
            [*sam, "users", "add", "mallory", "--name", "Mallory", "--role", "team-lead",
             "--admin", "--no-password", "--as", "boss"],
            "Only an admin can act as someone else",
        ),
        "oneself promoted": (
            [*sam, "users", "set-role", "sam", "team-lead", "--as", "boss"],
            "Only an admin can act as someone else",
        ),
        "oneself promoted, no --as": (
            [*sam, "users", "set-role", "sam", "team-lead"],
            "Only an admin can manage users; Sam Carter is not an admin",
        ),
        "a call in someone else's name": (
            [*sam, "log-call", str(theirs), "--disposition", "busy", "--as", "julie"],
            "Only an admin can act as someone else",
        ),
        "a call on someone else's lead": (
            [*sam, "log-call", str(theirs), "--disposition", "busy"],
            f"Lead {theirs} is Julie Moreau's",
        ),
        "a claim as someone else": (
            [*sam, "claim", "--as", "julie"],
            "Only an admin can act as someone else",
        ),
    }  # fmt: skip
    for what, (argv, reason) in attempts.items():
        code, out, err = run(capsys, *argv)
        assert (code, out) == (4, ""), what
        assert err.startswith("teleprospect: error: ") and reason in err, (what, err)
        assert err.count("\n") == 1, what
    assert state(db) == before
    assert not (tmp_path / "x.csv").exists()
    with db.read() as s:
        assert s.get(Lead, ready).status is LeadStatus.SALES_READY  # type: ignore[union-attr]


def test_an_admins_acting_as_is_recorded_with_both_names(team_server, capsys) -> None:
    db, team, _ = team_server
    code, out, err = run(capsys, *as_(db, "boss"), "queue", "--as", "sam", "--json")
    assert code == 0, err
    with db.read() as s:
        [entry] = s.scalars(select(AuditEntry).where(AuditEntry.kind == AuditKind.ACTED_AS))
    assert (entry.user_id, entry.by_user_id, entry.by_login) == (team.sam, team.boss, "boss")
    assert entry.subject == "Maria Boss acted as Sam Carter (sam)"
    assert entry.after == {"by": "boss", "as": "sam", "for": "teleprospect queue"}


def test_users_add_makes_a_login_role_with_a_scram_password_that_follows_the_account(
    team_server, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, team, groups = team_server
    priya = f"priya_{uuid.uuid4().hex[:6]}"
    boss = as_(db, "boss")
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    code, out, err = run(
        capsys, *boss, "users", "add", priya, "--name", "Priya Nair", "--password-stdin"
    )
    assert code == 0, err
    assert f"They connect as the database login {priya!r}" in out
    password, can_login, member_of = role_state(db, priya)
    assert password is not None and password.startswith("SCRAM-SHA-256$4096:")
    assert can_login and member_of == [groups.teleprospector]

    code, _, err = run(capsys, *boss, "users", "set-role", priya, "team-lead")
    assert code == 0, err
    code, _, err = run(capsys, *boss, "users", "set-admin", priya, "on")
    assert code == 0, err
    assert role_state(db, priya)[2] == sorted([groups.team_lead, groups.admin])

    # Her own login works, and she may change her own password but nobody else's.
    monkeypatch.setattr("sys.stdin", io.StringIO("another fine password\n"))
    code, _, err = run(capsys, *as_(db, priya), "users", "set-password", priya, "--password-stdin")
    assert code == 0, err
    assert role_state(db, priya)[0] != password

    code, out, err = run(capsys, *boss, "users", "deactivate", priya)
    assert code == 0, err
    # No login, and no team lead's or admin's rights left for a session still open.
    assert role_state(db, priya)[1:] == (False, [groups.teleprospector])
    code, out, err = run(capsys, *as_(db, priya), "queue")
    assert (code, out) == (4, "")
    assert f"The database login '{priya}' may not log in: its account is deactivated" in err
    code, _, err = run(capsys, *boss, "users", "reactivate", priya)
    assert code == 0, err
    assert role_state(db, priya)[1:] == (True, sorted([groups.team_lead, groups.admin]))
    code, _, err = run(capsys, *boss, "users", "deactivate", priya)
    assert code == 0, err

    with db.read() as s:
        kinds = s.execute(
            select(AuditEntry.kind, AuditEntry.subject, AuditEntry.by_login).order_by(AuditEntry.id)
        ).all()
    assert kinds == [
        (AuditKind.USER_ADDED, f"Priya Nair ({priya})", "boss"),
        (AuditKind.USER_CHANGED, f"{priya}'s role", "boss"),
        (AuditKind.USER_CHANGED, f"{priya}'s admin rights", "boss"),
        (AuditKind.USER_CHANGED, f"{priya}'s password", priya),
        (AuditKind.USER_CHANGED, f"{priya}'s account", "boss"),
        (AuditKind.USER_CHANGED, f"{priya}'s account", "boss"),
        (AuditKind.USER_CHANGED, f"{priya}'s account", "boss"),
    ]
    # No secret in the trail, ever.
    with db.read() as s:
        assert "SCRAM" not in json.dumps([e.after for e in s.scalars(select(AuditEntry))])


def test_a_deactivated_accounts_claims_are_released_and_it_can_do_nothing(
    team_server, capsys
) -> None:
    db, team, _ = team_server
    held = add_lead(
        db, "Held", owner_id=team.jonas, claimed_by_id=team.jonas,
        claim_expires_at=NOW.replace(year=NOW.year + 10),
    )  # fmt: skip
    code, out, err = run(capsys, *as_(db, "boss"), "users", "deactivate", "jonas", "--json")
    assert code == 0, err
    assert json.loads(out)["claims_released"] == 1
    with db.read() as s:
        assert s.get(Lead, held).claimed_by_id is None  # type: ignore[union-attr]
    for argv in (["claim"], ["log-call", str(held), "--disposition", "busy"], ["queue"]):
        code, out, err = run(capsys, *as_(db, "jonas"), *argv)
        assert (code, out) == (4, "") and "account is deactivated" in err, argv


# ----------------------------------------------------------------------------- upgrading


@pytest.fixture
def shared_role_database(pg_server: str) -> Iterator[tuple[str, str]]:
    """A team database as it was before per-person logins: everyone connected as one
    role, which owns the schema; its URL and that role. The role may not create roles."""
    admin = pg_server.replace("postgresql+psycopg://", "postgresql://")
    name = f"tp_test_{uuid.uuid4().hex[:12]}"
    owner = f"{name}_shared"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(owner)))
        conn.execute(
            sql.SQL("CREATE DATABASE {} OWNER {}").format(
                sql.Identifier(name), sql.Identifier(owner)
            )
        )
        # PostgreSQL 15: the schema public belongs to the database's owner.
    base, _, _ = pg_server.rpartition("/")
    url = f"{base}/{name}".replace("postgres@", f"{owner}@")
    yield url, owner
    from tests.conftest import drop_team_roles

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        drop_team_roles(conn, name)
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(owner)))


def test_a_shared_role_database_upgrades_and_hands_out_per_person_logins(
    shared_role_database, pg_server: str, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alembic import command

    url, owner = shared_role_database
    db = Database(url)
    config = alembic_config(db)
    with db.engine.begin() as conn:  # the schema of the release before this one
        config.attributes["connection"] = conn
        command.upgrade(config, "0005")
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO user_account (login, name, role, is_admin, is_active, created_at)"
            " VALUES ('maria.t', 'Maria', 'team_lead', true, true, now()),"
            " ('sam.t', 'Sam', 'teleprospector', false, true, now())"
        )
    db.dispose()
    shared = ["--db", url]

    # The owner may not create roles: the upgrade says what to do, and works otherwise.
    code, out, err = run(capsys, *shared, "db", "upgrade")
    assert code == 0, err
    assert "may not create roles" in out and "teleprospect db grant" in out
    # The shared role keeps working, as the owner: acting as someone is audited.
    code, out, err = run(capsys, *shared, "queue", "--as", "sam.t")
    assert code == 0, err
    code, _, err = run(capsys, *shared, "queue")
    assert code == 4 and "the database's owner, which is no Teleprospect user" in err

    # Once, a database administrator (here the test server's superuser) runs db grant.
    superuser_url = url.replace(f"{owner}@", "postgres@")
    code, out, err = run(capsys, "--db", superuser_url, "db", "grant")
    assert code == 0, err
    assert "Roles and grants are set up" in out

    # The owner hands out the logins; each person then connects as themselves.
    for login in ("maria.t", "sam.t"):
        monkeypatch.setattr("sys.stdin", io.StringIO(f"{login} password\n"))
        code, out, err = run(capsys, *shared, "users", "set-password", login, "--password-stdin")
        assert code == 0, err
    sam_url = url.replace(f"{owner}@", "sam.t@")
    code, out, err = run(capsys, "--db", sam_url, "queue", "--json")
    assert code == 0, err
    code, out, err = run(capsys, "--db", sam_url, "users", "set-role", "sam.t", "team-lead")
    assert code == 4 and "Only an admin can manage users" in err
    code, out, err = run(
        capsys, "--db", url.replace(f"{owner}@", "maria.t@"), "users", "set-role", "sam.t",
        "team-lead",
    )  # fmt: skip
    assert code == 0, err
