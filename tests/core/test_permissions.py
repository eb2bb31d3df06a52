"""Who may do what: roles, the admin flag, deactivated accounts, the first set-up."""

from __future__ import annotations

import pytest

from teleprospect.core.domain import UserRole
from teleprospect.core.permissions import (
    Action,
    Actor,
    PermissionDenied,
    allowed,
    allowed_actions,
    require,
    why_not,
)

REP = Actor(1, "sam", "Sam Carter", UserRole.TELEPROSPECTOR)
LEAD = Actor(2, "lea", "Lea Second", UserRole.TEAM_LEAD)
ADMIN_LEAD = Actor(3, "maria", "Maria Lopez", UserRole.TEAM_LEAD, is_admin=True)
ADMIN_REP = Actor(4, "it", "IT Desk", UserRole.TELEPROSPECTOR, is_admin=True)

TEAM_LEAD_ONLY = [
    # A reassignment is a team lead's batch, which a teleprospector's database login may
    # not write: a rep hands no lead on, not even their own.
    Action.REASSIGN_OWN_LEADS,
    Action.REASSIGN_OTHERS_LEADS,
    Action.VIEW_WORKLOAD,
    Action.VIEW_REPORTS,
    Action.EXPORT_TO_SALES,
    Action.RECORD_VERDICTS,
    Action.EDIT_SCRIPTS,
    Action.EDIT_SCORING_RULES,
    Action.EDIT_TRACKS,
    Action.EDIT_TEAM_SETTINGS,
    Action.ERASE_DATA,
]


@pytest.mark.parametrize("action", TEAM_LEAD_ONLY)
def test_a_teleprospector_is_refused_team_lead_actions_with_the_reason(action: Action) -> None:
    with pytest.raises(PermissionDenied) as refused:
        require(REP, action)
    assert str(refused.value) == (
        f"Only a team lead can {action.label}; Sam Carter is a teleprospector."
    )
    assert refused.value.action is action
    assert allowed(LEAD, action) and allowed(ADMIN_LEAD, action)


def test_everyone_works_their_own_leads_and_only_admins_manage_users() -> None:
    for actor in (REP, LEAD, ADMIN_LEAD, ADMIN_REP):
        assert allowed(actor, Action.WORK_LEADS)
    assert why_not(LEAD, Action.MANAGE_USERS) == (
        "Only an admin can manage users; Lea Second is not an admin."
    )
    assert allowed(ADMIN_REP, Action.MANAGE_USERS) and not allowed(ADMIN_REP, Action.ERASE_DATA)
    assert allowed_actions(ADMIN_LEAD) == frozenset(Action)
    assert allowed_actions(REP) == {Action.WORK_LEADS}


def test_a_deactivated_account_may_do_nothing() -> None:
    gone = Actor(5, "old", "Old Boss", UserRole.TEAM_LEAD, is_admin=True, is_active=False)
    assert allowed_actions(gone) == frozenset()
    assert why_not(gone, Action.WORK_LEADS) == (
        "Old Boss's account is deactivated, so they cannot work leads."
    )


def test_while_no_admin_exists_anyone_may_set_the_team_up() -> None:
    first = Actor(1, "sam", "Sam Carter", UserRole.TELEPROSPECTOR, bootstrap=True)
    assert allowed(first, Action.MANAGE_USERS)
    assert not allowed(first, Action.EXPORT_TO_SALES)
    assert require(first, Action.MANAGE_USERS) is first
