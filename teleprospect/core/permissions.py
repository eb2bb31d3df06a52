"""Who may do what: the roles of a team and the actions they allow.

A **teleprospector** works leads: their queue, their calls, their own leads. A **team
lead** also keeps the desk balanced and is the bridge to sales: reassigns leads (a
reassignment is a team lead's batch, which a teleprospector's database login may not
write), exports to sales, records sales' verdicts, edits scripts, scoring rules, tracks
and team settings, and erases data. The **admin** flag (on either role) manages users.

Every service that changes something checks the acting user here, so a refused action
is refused whatever the interface offered; :class:`PermissionDenied` says why in one
sentence a user can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from teleprospect.core.domain import UserRole
from teleprospect.core.errors import Refused

__all__ = [
    "Action",
    "Actor",
    "PermissionDenied",
    "allowed",
    "allowed_actions",
    "require",
    "why_not",
]


class Action(StrEnum):
    """Something a user may or may not be allowed to do."""

    WORK_LEADS = "work_leads"
    REASSIGN_OWN_LEADS = "reassign_own_leads"
    REASSIGN_OTHERS_LEADS = "reassign_others_leads"
    VIEW_WORKLOAD = "view_workload"
    VIEW_REPORTS = "view_reports"
    EXPORT_TO_SALES = "export_to_sales"
    RECORD_VERDICTS = "record_verdicts"
    EDIT_SCRIPTS = "edit_scripts"
    EDIT_SCORING_RULES = "edit_scoring_rules"
    EDIT_TRACKS = "edit_tracks"
    EDIT_TEAM_SETTINGS = "edit_team_settings"
    ERASE_DATA = "erase_data"
    MANAGE_USERS = "manage_users"
    READ_AUDIT_TRAIL = "read_audit_trail"
    UNDO_IMPORTS = "undo_imports"
    MERGE_LEADS = "merge_leads"

    @property
    def label(self) -> str:
        """As a sentence continues it: "… cannot {label}"."""
        return _LABELS[self]


_LABELS = {
    Action.WORK_LEADS: "work leads",
    Action.REASSIGN_OWN_LEADS: "reassign leads",
    Action.REASSIGN_OTHERS_LEADS: "reassign other people's leads",
    Action.VIEW_WORKLOAD: "see the team's workload",
    Action.VIEW_REPORTS: "read the team's reports",
    Action.EXPORT_TO_SALES: "export leads to sales",
    Action.RECORD_VERDICTS: "record sales' verdicts",
    Action.EDIT_SCRIPTS: "edit qualification scripts",
    Action.EDIT_SCORING_RULES: "edit the scoring rules",
    Action.EDIT_TRACKS: "edit nurture tracks",
    Action.EDIT_TEAM_SETTINGS: "change team settings",
    Action.ERASE_DATA: "erase data",
    Action.MANAGE_USERS: "manage users",
    Action.READ_AUDIT_TRAIL: "read the audit trail",
    Action.UNDO_IMPORTS: "undo imports",
    Action.MERGE_LEADS: "merge leads",
}

_EVERYONE = frozenset({Action.WORK_LEADS})
_TEAM_LEAD = frozenset(Action) - {Action.MANAGE_USERS}


@dataclass(frozen=True, slots=True)
class Actor:
    """The user an action is done by, as far as permissions care."""

    user_id: int | None
    login: str
    name: str
    role: UserRole
    is_admin: bool = False
    is_active: bool = True
    #: Nobody may manage users yet (a new database, or demo users only): whoever sets the
    #: team up may, until a first admin exists.
    bootstrap: bool = False

    @property
    def display(self) -> str:
        return self.name or self.login


class PermissionDenied(Refused):
    """A refused action; the message is one sentence saying why."""

    def __init__(self, message: str, *, action: Action | None = None) -> None:
        super().__init__(message)
        self.action = action


def why_not(actor: Actor, action: Action) -> str | None:
    """Why ``actor`` may not do ``action``, or None when they may."""
    who = actor.display
    if not actor.is_active:
        return f"{who}'s account is deactivated, so they cannot {action.label}."
    if action is Action.MANAGE_USERS:
        if actor.is_admin or actor.bootstrap:
            return None
        return f"Only an admin can {action.label}; {who} is not an admin."
    if action in _EVERYONE or (actor.role is UserRole.TEAM_LEAD and action in _TEAM_LEAD):
        return None
    return f"Only a team lead can {action.label}; {who} is a {actor.role.label.lower()}."


def allowed(actor: Actor, action: Action) -> bool:
    return why_not(actor, action) is None


def allowed_actions(actor: Actor) -> frozenset[Action]:
    """Everything ``actor`` may do: what an interface offers them."""
    return frozenset(a for a in Action if allowed(actor, a))


def require(actor: Actor, action: Action) -> Actor:
    """Return ``actor`` when they may do ``action``; else raise :class:`PermissionDenied`."""
    reason = why_not(actor, action)
    if reason is not None:
        raise PermissionDenied(reason, action=action)
    return actor
