"""Users and roles: managing users (admins only), deactivation with its open work, who is at
the workstation as the database or the operating system proves it, and acting as someone
else (admins only, audited). On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import select

from teleprospect.core.audit import AuditKind
from teleprospect.core.domain import UserRole
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.permissions import Action, PermissionDenied
from teleprospect.core.queue_policy import CallingHours
from teleprospect.services.database import upgrade_database
from teleprospect.services.errors import UnknownUser
from teleprospect.services.identity.current_user import (
    LoginRefused,
    acting_user_id,
    identify,
)
from teleprospect.services.identity.permissions import allowed_actions_of
from teleprospect.services.settings.team_settings import CALLING_HOURS, change_team_setting
from teleprospect.services.team.users import (
    LastAdmin,
    NewUser,
    UserError,
    add_user,
    deactivate_user,
    find_user,
    list_users,
    open_work,
    reactivate_user,
    set_admin,
    set_role,
)
from teleprospect.store.database import Database
from teleprospect.store.models import AuditEntry, CallbackEntry, Lead
from teleprospect.store.roles import group_roles
from tests.services.identity_fixtures import connected_as, give_logins
from tests.services.team_fixtures import NOW, Team, add_lead, make_team


@pytest.fixture
def team(db: Database) -> Team:
    return make_team(db)


def test_a_new_team_is_set_up_by_whoever_comes_first_until_an_admin_exists(db: Database) -> None:
    first = add_user(db, NewUser("maria", "Maria Lopez", UserRole.TEAM_LEAD), acting_user_id=None)
    # No admin yet: a user who is no admin may still manage users (setting the team up).
    sam = add_user(db, NewUser("sam", "Sam Carter"), acting_user_id=first.id)
    set_admin(db, first.id, True, acting_user_id=sam.id)
    with pytest.raises(PermissionDenied, match="Only registered users can manage users"):
        add_user(db, NewUser("eve", "Eve"), acting_user_id=None)
    with pytest.raises(PermissionDenied, match="Only an admin can manage users; Sam Carter"):
        add_user(db, NewUser("eve", "Eve"), acting_user_id=sam.id)
    assert [u.login for u in list_users(db)] == ["maria", "sam"]


def test_only_admins_manage_users(db: Database, team: Team) -> None:
    for who in (team.sam, team.lead2):
        with pytest.raises(PermissionDenied, match="Only an admin can manage users"):
            add_user(db, NewUser("new", "New Person"), acting_user_id=who)
        with pytest.raises(PermissionDenied):
            set_role(db, team.julie, UserRole.TEAM_LEAD, acting_user_id=who)
        with pytest.raises(PermissionDenied):
            deactivate_user(db, team.julie, acting_user_id=who, now=NOW)
    added = add_user(
        db,
        NewUser(" priya ", "  Priya   Nair ", UserRole.TEAM_LEAD, True),
        acting_user_id=team.boss,
    )
    assert (added.login, added.name, added.role, added.is_admin, added.is_active) == (
        "priya", "Priya Nair", UserRole.TEAM_LEAD, True, True,
    )  # fmt: skip
    assert added.role_text == "Team lead, admin"
    assert (
        set_role(db, team.julie, "team_lead", acting_user_id=team.boss).role is UserRole.TEAM_LEAD
    )
    assert find_user(db, "julie").role is UserRole.TEAM_LEAD


def test_bad_users_are_refused_with_the_reason(db: Database, team: Team) -> None:
    with pytest.raises(UserError, match="The login 'sam' is already Sam Carter's"):
        add_user(db, NewUser("SAM", "Another Sam"), acting_user_id=team.boss)
    with pytest.raises(UserError, match="is not a login"):
        add_user(db, NewUser("a/b", "Slash"), acting_user_id=team.boss)
    with pytest.raises(UserError, match="Give the user's name"):
        add_user(db, NewUser("nameless", "   "), acting_user_id=team.boss)
    with pytest.raises(UnknownUser):
        set_role(db, 999, UserRole.TEAM_LEAD, acting_user_id=team.boss)
    with pytest.raises(UnknownUser):
        find_user(db, "nobody")


def test_the_last_admin_stays(db: Database, team: Team) -> None:
    with pytest.raises(LastAdmin, match="Maria Boss is the team's only active admin"):
        set_admin(db, team.boss, False, acting_user_id=team.boss)
    with pytest.raises(PermissionDenied, match="cannot deactivate your own account"):
        deactivate_user(db, team.boss, acting_user_id=team.boss, now=NOW)
    set_admin(db, team.lead2, True, acting_user_id=team.boss)
    set_admin(db, team.boss, False, acting_user_id=team.lead2)  # Lea is admin too: fine
    with pytest.raises(LastAdmin, match="make someone else admin before you remove"):
        set_admin(db, team.lead2, False, acting_user_id=team.lead2)
    assert find_user(db, "lead2").is_admin and not find_user(db, "boss").is_admin


def test_deactivation_reports_open_work_and_releases_claims(db: Database, team: Team) -> None:
    owned = [add_lead(db, f"L{i}", owner_id=team.sam) for i in range(3)]
    add_lead(db, "Closed", owner_id=team.sam, status=LeadStatus.ACCEPTED)  # no longer open work
    held = add_lead(
        db, "Held", owner_id=team.julie, claimed_by_id=team.sam,
        claim_expires_at=NOW + timedelta(minutes=4),
    )  # fmt: skip
    with db.write() as s:
        s.add_all(
            [
                CallbackEntry(lead_id=owned[0], due_at=NOW, owner_id=team.sam),
                CallbackEntry(lead_id=owned[1], due_at=NOW, owner_id=team.sam, done_at=NOW),
                CallbackEntry(lead_id=owned[1], due_at=NOW, owner_id=None),
            ]
        )
    work = open_work(db, team.sam, now=NOW)
    assert (work.owned_leads, work.open_callbacks, work.live_claims) == (3, 1, 1)
    assert work.describe() == "3 open leads, 1 open callback, 1 lead held right now."

    done = deactivate_user(db, team.sam, acting_user_id=team.boss, now=NOW)
    assert not done.user.is_active and done.claims_released == 1
    assert done.describe() == (
        "Sam Carter (sam) is deactivated. They leave 3 open leads, 1 open callback, 1 lead "
        "held right now: reassign their leads and callbacks to someone else. 1 held lead was "
        "released to the queue."
    )
    with db.read() as s:
        lead = s.get(Lead, held)
        assert lead is not None and lead.claimed_by_id is None and lead.owner_id == team.julie
        assert s.scalars(select(Lead.owner_id).where(Lead.id.in_(owned))).all() == [team.sam] * 3
    assert find_user(db, "sam").role_text == "Teleprospector (deactivated)"
    assert [u.login for u in list_users(db, include_inactive=False)] == [
        "jonas",
        "julie",
        "lead2",
        "boss",
    ]  # fmt: skip - by name: Jonas Weber, Julie Moreau, Lea Second, Maria Boss
    with pytest.raises(UserError, match="already deactivated"):
        deactivate_user(db, team.sam, acting_user_id=team.boss, now=NOW)
    # A deactivated user can do nothing any more, whatever their role.
    deactivate_user(db, team.lead2, acting_user_id=team.boss, now=NOW)
    with pytest.raises(PermissionDenied, match="Lea Second's account is deactivated"):
        set_role(db, team.julie, UserRole.TEAM_LEAD, acting_user_id=team.lead2)
    assert allowed_actions_of(db, team.lead2) == frozenset()
    assert reactivate_user(db, team.sam, acting_user_id=team.boss).is_active
    with pytest.raises(UserError, match="already active"):
        reactivate_user(db, team.sam, acting_user_id=team.boss)


def test_what_each_role_may_do(db: Database, team: Team) -> None:
    rep = allowed_actions_of(db, team.sam)
    lead = allowed_actions_of(db, team.lead2)
    boss = allowed_actions_of(db, team.boss)
    assert rep == {Action.WORK_LEADS}
    assert Action.EXPORT_TO_SALES in lead and Action.MANAGE_USERS not in lead
    assert boss == frozenset(Action)
    with pytest.raises(PermissionDenied, match="Only a team lead can change team settings"):
        change_team_setting(db, CALLING_HOURS, CallingHours(), user_id=team.sam)


# ----------------------------------------------------------------------------- who is here


def acted_as(db: Database) -> list[tuple[int | None, int | None, str, object]]:
    with db.read() as s:
        return [
            (e.user_id, e.by_user_id, e.by_login, e.after)
            for e in s.scalars(
                select(AuditEntry)
                .where(AuditEntry.kind == AuditKind.ACTED_AS)
                .order_by(AuditEntry.id)
            )
        ]


def test_who_is_here_is_proven_and_only_an_admin_acts_as_someone_else(
    db: Database, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    give_logins(db, team.sam, team.boss)
    with connected_as(db, "sam", monkeypatch) as as_sam:
        me = identify(as_sam)
        assert (me.login, me.user_id, me.is_known) == ("sam", team.sam, True)
        # On SQLite whoever may open the file owns it; on a server only the schema owner.
        assert me.is_owner is db.is_sqlite
        assert acting_user_id(as_sam) == team.sam
        assert acting_user_id(as_sam, as_login="sam") == team.sam  # oneself: no one else
        with pytest.raises(
            LoginRefused,
            match=r"Only an admin can act as someone else; Sam Carter \(sam\) is not an admin",
        ):
            acting_user_id(as_sam, as_login="julie")
    assert acted_as(db) == []

    with connected_as(db, "boss", monkeypatch) as as_boss:
        assert acting_user_id(as_boss, as_login="julie", purpose="teleprospect claim") == (
            team.julie
        )
        with pytest.raises(UnknownUser):
            acting_user_id(as_boss, as_login="nobody")
    assert acted_as(db) == [
        (team.julie, team.boss, "boss", {"by": "boss", "as": "julie", "for": "teleprospect claim"})
    ]


def test_a_deactivated_account_is_refused_even_on_a_connection_opened_before(
    db: Database, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    give_logins(db, team.jonas, team.boss)
    with connected_as(db, "jonas", monkeypatch) as as_jonas:
        assert acting_user_id(as_jonas) == team.jonas  # connected while still active
        deactivate_user(db, team.jonas, acting_user_id=team.boss, now=NOW)
        for attempt in (
            lambda: acting_user_id(as_jonas),
            lambda: acting_user_id(as_jonas, as_login="julie"),
        ):
            with pytest.raises(LoginRefused, match=r"Jonas Weber \(jonas\) is deactivated"):
                attempt()
    with (
        connected_as(db, "boss", monkeypatch) as as_boss,
        pytest.raises(LoginRefused, match="is deactivated"),
    ):
        acting_user_id(as_boss, as_login="jonas")


def test_the_database_owner_without_an_account_sets_up_and_acts_as_anyone_audited(
    db: Database, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite: the file's user; PostgreSQL: the test server's superuser, who owns the schema.
    with connected_as(db, "visitor" if db.is_sqlite else "postgres", monkeypatch) as owner:
        me = identify(owner)
        assert me.user_id is None and me.is_owner and not me.bootstrap
        with pytest.raises(LoginRefused, match="the database's owner, which is no Teleprospect"):
            acting_user_id(owner)
        assert acting_user_id(owner, allow_unknown=True) is None
        assert acting_user_id(owner, as_login="julie") == team.julie
        added = add_user(owner, NewUser("priya", "Priya Nair"), acting_user_id=None)
    assert find_user(db, "priya").id == added.id
    [(as_whom, by_whom, login, after)] = acted_as(db)
    assert (as_whom, by_whom, login) == (team.julie, None, me.login)


@pytest.mark.postgresql
def test_a_login_role_without_an_account_is_turned_away(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(pg_url)
    upgrade_database(db)
    team = make_team(db)
    groups = group_roles(db.url.database or "")
    with psycopg.connect(pg_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE ROLE stranger LOGIN IN ROLE {}").format(
                sql.Identifier(groups.teleprospector)
            )
        )
    with connected_as(db, "stranger", monkeypatch) as stranger:
        me = identify(stranger)
        assert me.user_id is None and not me.is_owner
        for attempt in (
            lambda: acting_user_id(stranger),
            lambda: acting_user_id(stranger, as_login="julie"),
            lambda: acting_user_id(stranger, allow_unknown=True),
        ):
            with pytest.raises(LoginRefused, match="'stranger' is not a Teleprospect user"):
                attempt()
    assert acted_as(db) == [] and find_user(db, "julie").id == team.julie
    db.dispose()
