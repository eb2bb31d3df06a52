"""Everything the Settings window shows, read in one transaction: the queue settings, the
team leads who may receive routed leads, the campaigns, the scoring rules in force with
the script questions that may carry points, and whether the reader may change them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from teleprospect.core.domain import UserRole
from teleprospect.core.permissions import Action, allowed
from teleprospect.core.queue_policy import CallingHours, RetryRules, RoutingRule
from teleprospect.services.identity.permissions import actor_in_session
from teleprospect.services.scoring.publishing import (
    RulesInForce,
    ScorableQuestion,
    rules_in_force,
    scorable_questions,
)
from teleprospect.services.settings.campaigns import CampaignInfo, list_campaigns
from teleprospect.services.settings.team_settings import (
    CALLING_HOURS,
    RETRY_RULES,
    ROUTING,
    change_team_setting,
    load_queue_settings,
)
from teleprospect.store.database import Database
from teleprospect.store.models import User

__all__ = ["TeamRules", "save_queue_rules", "team_rules"]


@dataclass(frozen=True)
class TeamRules:
    hours: CallingHours
    retry: RetryRules
    routing: RoutingRule
    #: (user id, name) of every active team lead, by name.
    team_leads: list[tuple[int, str]]
    campaigns: list[CampaignInfo]
    scoring: RulesInForce
    questions: list[ScorableQuestion]
    #: Whether the reader may change the settings and campaigns, and publish rules.
    may_edit_settings: bool
    may_edit_scoring: bool


def team_rules(db: Database, user_id: int) -> TeamRules:
    with db.read() as session:
        queue = load_queue_settings(session)
        actor = actor_in_session(session, user_id)
        leads = [
            (row.id, row.name)
            for row in session.execute(
                select(User.id, User.name)
                .where(User.role == UserRole.TEAM_LEAD, User.is_active.is_(True))
                .order_by(User.name)
            )
        ]
    return TeamRules(
        queue.hours,
        queue.retry,
        queue.routing,
        leads,
        list_campaigns(db),
        rules_in_force(db),
        scorable_questions(db),
        allowed(actor, Action.EDIT_TEAM_SETTINGS),
        allowed(actor, Action.EDIT_SCORING_RULES),
    )


def save_queue_rules(
    db: Database,
    user_id: int,
    hours: CallingHours,
    retry: RetryRules,
    routing: RoutingRule,
) -> int:
    """Store calling hours, retry rules and routing as the Settings window edits them
    together (team leads); each one changed is an entry of the audit trail. Returns how
    many changed."""
    with db.read() as session:
        before = load_queue_settings(session)
    changed = 0
    if CALLING_HOURS.to_json(before.hours) != CALLING_HOURS.to_json(hours):
        change_team_setting(db, CALLING_HOURS, hours, user_id=user_id)
        changed += 1
    if RETRY_RULES.to_json(before.retry) != RETRY_RULES.to_json(retry):
        change_team_setting(db, RETRY_RULES, retry, user_id=user_id)
        changed += 1
    if ROUTING.to_json(before.routing) != ROUTING.to_json(routing):
        change_team_setting(db, ROUTING, routing, user_id=user_id)
        changed += 1
    return changed
