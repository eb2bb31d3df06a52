"""Team-wide settings, declared once with their types and defaults (DESIGN.md §2 rule 6).

Each setting is stored as JSON in ``team_setting`` under its key; a key never written
reads as its default, so a new database needs no seeding. Readers get core types
(:class:`CallingHours`, :class:`RetryRules`, …), never raw JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from teleprospect.core.audit import AuditKind
from teleprospect.core.domain import Disposition, UserRole
from teleprospect.core.handoff import HandoffRules
from teleprospect.core.permissions import Action
from teleprospect.core.queue_policy import (
    CallingHours,
    ExhaustedOutcome,
    PriorityWeights,
    RetryRule,
    RetryRules,
    RoutingError,
    RoutingRule,
)
from teleprospect.services.audit.record import record_audit
from teleprospect.services.identity.permissions import require_user
from teleprospect.store.database import Database
from teleprospect.store.models import TeamSetting, User
from teleprospect.store.types import utcnow

__all__ = [
    "CALLING_HOURS",
    "HANDOFF_RULES",
    "PRIORITY_WEIGHTS",
    "RETRY_RULES",
    "ROUTING",
    "SETTINGS",
    "QueueSettings",
    "Setting",
    "change_team_setting",
    "load_queue_settings",
    "read_setting",
    "write_setting",
]

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    default: T
    to_json: Callable[[T], dict[str, Any]]
    from_json: Callable[[dict[str, Any]], T]
    description: str
    #: What the setting is called, in words ("calling hours"): the audit trail names it so.
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or self.key.replace("_", " ")


def _hours_to_json(hours: CallingHours) -> dict[str, Any]:
    return {
        "weekdays": sorted(hours.weekdays),
        "start": hours.start.strftime("%H:%M"),
        "end": hours.end.strftime("%H:%M"),
    }


def _hours_from_json(data: dict[str, Any]) -> CallingHours:
    return CallingHours(
        frozenset(int(d) for d in data["weekdays"]),
        time.fromisoformat(data["start"]),
        time.fromisoformat(data["end"]),
    )


def _retry_to_json(rules: RetryRules) -> dict[str, Any]:
    by = rules.by_disposition or {}
    return {
        "max_attempts": rules.max_attempts,
        "window_days": rules.window_days,
        "on_exhausted": rules.on_exhausted.value,
        "by_disposition": {
            d.value: {
                "retry": r.retry,
                "delay_minutes": r.delay.total_seconds() / 60,
                "business_days": r.business_days,
                "counts_as_attempt": r.counts_as_attempt,
            }
            for d, r in by.items()
        },
    }


def _retry_from_json(data: dict[str, Any]) -> RetryRules:
    return RetryRules(
        by_disposition={
            Disposition(key): RetryRule(
                bool(r["retry"]),
                timedelta(minutes=float(r.get("delay_minutes", 0))),
                int(r.get("business_days", 0)),
                bool(r.get("counts_as_attempt", True)),
            )
            for key, r in data.get("by_disposition", {}).items()
        },
        max_attempts=int(data["max_attempts"]),
        window_days=int(data["window_days"]),
        on_exhausted=ExhaustedOutcome(data["on_exhausted"]),
    )


def _routing_to_json(rule: RoutingRule) -> dict[str, Any]:
    return {
        "min_score": rule.min_score,
        "min_company_size": rule.min_company_size,
        "receivers": sorted(rule.receivers),
    }


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _routing_from_json(data: dict[str, Any]) -> RoutingRule:
    return RoutingRule(
        _optional_int(data.get("min_score")),
        _optional_int(data.get("min_company_size")),
        frozenset(int(user_id) for user_id in data.get("receivers", ())),
    )


def _weights_to_json(weights: PriorityWeights) -> dict[str, Any]:
    return {
        "attempt_penalty": weights.attempt_penalty,
        "untouched_per_day": weights.untouched_per_day,
        "fresh_for_minutes": weights.fresh_for.total_seconds() / 60,
    }


def _weights_from_json(data: dict[str, Any]) -> PriorityWeights:
    return PriorityWeights(
        float(data["attempt_penalty"]),
        float(data["untouched_per_day"]),
        timedelta(minutes=float(data["fresh_for_minutes"])),
    )


CALLING_HOURS: Setting[CallingHours] = Setting(
    "calling_hours",
    CallingHours(),
    _hours_to_json,
    _hours_from_json,
    "When the team calls, in the lead's local time (never outside 08:00–21:00).",
    label="calling hours",
)
RETRY_RULES: Setting[RetryRules] = Setting(
    "retry_rules",
    RetryRules(),
    _retry_to_json,
    _retry_from_json,
    "When to try again after each outcome, and how many attempts in how many days.",
    label="retry rules",
)
ROUTING: Setting[RoutingRule] = Setting(
    "routing",
    RoutingRule(),
    _routing_to_json,
    _routing_from_json,
    "Leads at or above a score or a company size go to team leads' queues (receivers: the"
    " team leads' user ids; none: every team lead).",
    label="routing to team leads",
)
PRIORITY_WEIGHTS: Setting[PriorityWeights] = Setting(
    "priority_weights",
    PriorityWeights(),
    _weights_to_json,
    _weights_from_json,
    "How attempts and time since the last touch move a lead in the backlog.",
    label="queue priority weights",
)
HANDOFF_RULES: Setting[HandoffRules] = Setting(
    "handoff",
    HandoffRules(),
    lambda rules: {
        "follow_up_days": rules.follow_up_days,
        "rejected_nurture_days": rules.rejected_nurture_days,
    },
    lambda data: HandoffRules(
        int(data.get("follow_up_days", HandoffRules().follow_up_days)),
        int(data.get("rejected_nurture_days", HandoffRules().rejected_nurture_days)),
    ),
    "After how many days without a verdict a hand-off is flagged (sales has not followed "
    "up), and when a lead sales rejected back to nurture is called again.",
    label="hand-off follow-up",
)
#: Every team setting. The sales-ready threshold and the grade bands are part of the
#: versioned scoring rules (services.scoring), so they change together with the points.
SETTINGS: dict[str, Setting[Any]] = {
    s.key: s
    for s in (
        CALLING_HOURS,
        RETRY_RULES,
        ROUTING,
        PRIORITY_WEIGHTS,
        HANDOFF_RULES,
    )
}


def read_setting(session: Session, setting: Setting[T]) -> T:
    value = session.scalar(select(TeamSetting.value).where(TeamSetting.key == setting.key))
    return setting.default if value is None else setting.from_json(value)


def write_setting(db: Database, setting: Setting[T], value: T, *, user_id: int | None) -> None:
    """Store ``value`` for ``setting``; a change is recorded in the audit trail with the
    old and the new value (the default's, when the team never set it)."""
    data = setting.to_json(value)
    setting.from_json(data)  # what cannot be read back is never stored
    with db.write() as session:
        row = session.get(TeamSetting, setting.key)
        before = setting.to_json(setting.default) if row is None else row.value
        if row is None:
            session.add(TeamSetting(key=setting.key, value=data, updated_by_id=user_id))
        else:
            row.value = data
            row.updated_by_id = user_id
            row.updated_at = utcnow()
        if before != data:
            record_audit(
                session,
                AuditKind.SETTING_CHANGED,
                user_id=user_id,
                subject=setting.name,
                before=before,
                after=data,
            )


def change_team_setting(db: Database, setting: Setting[T], value: T, *, user_id: int) -> None:
    """:func:`write_setting` for a user: refused unless they may change team settings."""
    with db.read() as session:
        require_user(session, user_id, Action.EDIT_TEAM_SETTINGS)
        if isinstance(value, RoutingRule):
            _check_receivers(session, value)
    write_setting(db, setting, value, user_id=user_id)


def _check_receivers(session: Session, rule: RoutingRule) -> None:
    """Routed leads go to active team leads only: anyone else named is refused."""
    if not rule.receivers:
        return
    found = {
        row.id: row
        for row in session.execute(
            select(User.id, User.name, User.role, User.is_active).where(User.id.in_(rule.receivers))
        )
    }
    for user_id in sorted(rule.receivers):
        row = found.get(user_id)
        if row is None:
            raise RoutingError(f"There is no user #{user_id} to receive routed leads.")
        if row.role is not UserRole.TEAM_LEAD or not row.is_active:
            raise RoutingError(
                f"{row.name} is not an active team lead, so routed leads cannot go to them."
            )


@dataclass(frozen=True)
class QueueSettings:
    hours: CallingHours
    retry: RetryRules
    routing: RoutingRule
    weights: PriorityWeights


def load_queue_settings(session: Session) -> QueueSettings:
    """The settings the queue needs, in one round trip."""
    rows: dict[str, Any] = dict(
        session.execute(
            select(TeamSetting.key, TeamSetting.value).where(
                TeamSetting.key.in_(
                    [CALLING_HOURS.key, RETRY_RULES.key, ROUTING.key, PRIORITY_WEIGHTS.key]
                )
            )
        ).all()
    )

    def get(setting: Setting[T]) -> T:
        value = rows.get(setting.key)
        return setting.default if value is None else setting.from_json(value)

    return QueueSettings(get(CALLING_HOURS), get(RETRY_RULES), get(ROUTING), get(PRIORITY_WEIGHTS))
