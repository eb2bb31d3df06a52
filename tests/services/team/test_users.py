"""Users and roles: managing users (admins only), deactivation with its open work, who is at
the workstation and the team's rule for unknown logins. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from teleprospect.core.domain import UserRole
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.permissions import Action, PermissionDenied, UnknownLoginPolicy
from teleprospect.services.errors import UnknownUser
from teleprospect.services.identity.current_user import (
    LoginRefused,
    acting_user_id,
    identify,
    pick_user,
)
from teleprospect.services.identity.permissions import allowed_actions_of
from teleprospect.services.settings.team_settings import (
    UNKNOWN_LOGINS,
    change_team_setting,
    read_setting,
)
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
from teleprospect.store.models import CallbackEntry, Lead
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
    assert rep == {Action.WORK_LEADS, Action.REASSIGN_OWN_LEADS}
    assert Action.EXPORT_TO_SALES in lead and Action.MANAGE_USERS not in lead
    assert boss == frozenset(Action)
    with pytest.raises(PermissionDenied, match="Only a team lead can change team settings"):
        change_team_setting(db, UNKNOWN_LOGINS, UnknownLoginPolicy.REFUSE, user_id=team.sam)


# ----------------------------------------------------------------------------- who is here


def test_known_unknown_and_deactivated_logins(db: Database, team: Team) -> None:
    assert identify(db, "sam").is_known
    assert acting_user_id(db, login="sam") == team.sam
    assert acting_user_id(db, login="sam", as_login="julie") == team.julie

    stranger = identify(db, "visitor")
    assert stranger.must_pick and not stranger.refused
    assert [c.login for c in stranger.choices] == ["jonas", "julie", "lead2", "boss", "sam"]
    assert "pick who you are" in stranger.message()
    with pytest.raises(LoginRefused, match="say who you are with --as LOGIN"):
        acting_user_id(db, login="visitor")
    assert acting_user_id(db, login="visitor", as_login="julie") == team.julie
    assert acting_user_id(db, login="visitor", allow_unknown=True) is None
    assert pick_user(db, team.jonas, login="visitor") == team.jonas
    with pytest.raises(UnknownUser):
        acting_user_id(db, login="visitor", as_login="nobody")

    deactivate_user(db, team.jonas, acting_user_id=team.boss, now=NOW)
    with pytest.raises(LoginRefused, match="Jonas Weber \\(jonas\\) is deactivated"):
        acting_user_id(db, login="jonas")
    with pytest.raises(LoginRefused, match="is deactivated; pick another user"):
        pick_user(db, team.jonas, login="visitor")
    with pytest.raises(LoginRefused, match="is deactivated"):
        acting_user_id(db, login="visitor", as_login="jonas")
    assert "jonas" not in [c.login for c in identify(db, "visitor").choices]

    change_team_setting(db, UNKNOWN_LOGINS, UnknownLoginPolicy.REFUSE, user_id=team.lead2)
    with db.read() as s:
        assert read_setting(s, UNKNOWN_LOGINS) is UnknownLoginPolicy.REFUSE
    refused = identify(db, "visitor")
    assert refused.refused and refused.choices == ()
    assert "does not let unknown logins in" in refused.message()
    for attempt in (
        lambda: acting_user_id(db, login="visitor"),
        lambda: acting_user_id(db, login="visitor", as_login="julie"),
        lambda: pick_user(db, team.julie, login="visitor"),
    ):
        with pytest.raises(LoginRefused, match="does not let unknown logins in"):
            attempt()
    # Known users still act, also for a script on someone else's behalf.
    assert acting_user_id(db, login="sam", as_login="boss") == team.boss
