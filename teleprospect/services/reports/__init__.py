"""The team lead's reports: one function per report, each returning typed rows computed
by aggregates in the database (GROUP BY, never a loop over leads or calls in Python).

    report = run_report(db, user_id, "waterfall", ReportFilter(start, end), Grouping.REP)
    report.rows      # WaterfallRow, …: the table, the chart, the CSV and the JSON

:data:`REPORTS` lists them, with the groupings each offers, for the CLI and the Reports
tab alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from teleprospect.core.permissions import Action
from teleprospect.core.reports import Grouping, ReportError, ReportFilter
from teleprospect.services.identity.permissions import require_user
from teleprospect.services.reports.activity import ActivityRow, activity_rows
from teleprospect.services.reports.common import Column, Report, columns
from teleprospect.services.reports.connect_hours import ConnectHourRow, connect_hour_rows
from teleprospect.services.reports.nurture import NurtureReportUnavailable, nurture_rows
from teleprospect.services.reports.sources import SourceQualityRow, source_quality_rows
from teleprospect.services.reports.speed import SpeedToLeadRow, speed_to_lead_rows
from teleprospect.services.reports.waterfall import WaterfallRow, waterfall_rows
from teleprospect.services.settings.team_settings import CALLING_HOURS, read_setting
from teleprospect.store.database import Database
from teleprospect.store.models import Campaign, Lead, User
from teleprospect.store.report_sql import tune_for_reports

__all__ = [
    "REPORTS",
    "ActivityRow",
    "Column",
    "ConnectHourRow",
    "Grouping",
    "NurtureReportUnavailable",
    "Report",
    "ReportChoices",
    "ReportError",
    "ReportFilter",
    "ReportKind",
    "SourceQualityRow",
    "SpeedToLeadRow",
    "WaterfallRow",
    "columns",
    "report_choices",
    "run_report",
]

_BY_GROUP = (Grouping.CAMPAIGN, Grouping.SOURCE, Grouping.REP)
_BY_PERIOD = (Grouping.DAY, Grouping.WEEK)


@dataclass(frozen=True)
class ReportKind:
    name: str
    title: str
    description: str
    row_type: type | None
    #: The groupings it offers, the first the default; empty: one fixed layout.
    groupings: tuple[Grouping, ...]
    compute: Callable[[Session, ReportFilter, Grouping | None], tuple[Any, ...]]
    #: False while its data is not recorded yet (listed, but not run).
    available: bool = True


REPORTS: dict[str, ReportKind] = {
    kind.name: kind
    for kind in (
        ReportKind(
            "waterfall",
            "Waterfall",
            "Leads that arrived in the range: worked, connected, sales-ready, handed off, "
            "accepted or rejected by sales.",
            WaterfallRow,
            _BY_GROUP,
            lambda s, f, g: waterfall_rows(s, f, g or Grouping.CAMPAIGN),
        ),
        ReportKind(
            "activity",
            "Rep activity",
            "Each rep's dials, connects, conversations, talk time and results per day or week.",
            ActivityRow,
            _BY_PERIOD,
            lambda s, f, g: activity_rows(s, f, g or Grouping.DAY),
        ),
        ReportKind(
            "speed-to-lead",
            "Speed to lead",
            "Time from a lead's arrival to its first attempt and first connect.",
            SpeedToLeadRow,
            _BY_GROUP,
            lambda s, f, g: speed_to_lead_rows(
                s, f, g or Grouping.CAMPAIGN, read_setting(s, CALLING_HOURS)
            ),
        ),
        ReportKind(
            "connect-hours",
            "Connect rate by local hour",
            "Dials and connects by the lead's local weekday and hour.",
            ConnectHourRow,
            (),
            lambda s, f, _g: connect_hour_rows(s, f),
        ),
        ReportKind(
            "sources",
            "Source quality",
            "Leads handed off in the range: accepted and rejected by sales, and why.",
            SourceQualityRow,
            (Grouping.CAMPAIGN, Grouping.SOURCE, Grouping.REP),
            lambda s, f, g: source_quality_rows(s, f, g or Grouping.CAMPAIGN),
        ),
        ReportKind(
            "nurture",
            "Nurture",
            "Per track and step: touches done, skipped, responded, made sales-ready.",
            None,
            (),
            lambda _s, _f, _g: nurture_rows(),
            available=False,
        ),
    )
}


def run_report(
    db: Database,
    user_id: int,
    name: str,
    f: ReportFilter,
    grouping: Grouping | None = None,
) -> Report[Any]:
    """The report ``name`` (a key of :data:`REPORTS`) over ``f`` (team leads only)."""
    kind = REPORTS.get(name)
    if kind is None:
        raise ReportError(f"There is no report called {name!r}; try one of {', '.join(REPORTS)}.")
    if grouping is not None and grouping not in kind.groupings:
        offered = " or ".join(g.value for g in kind.groupings) or "nothing"
        raise ReportError(
            f"The {kind.title.lower()} report is grouped by {offered}, not {grouping}."
        )
    with db.read() as session:
        require_user(session, user_id, Action.VIEW_REPORTS)
        tune_for_reports(session)
        rows = kind.compute(session, f, grouping)
    chosen = grouping or (kind.groupings[0] if kind.groupings else None)
    assert kind.row_type is not None
    return Report(kind.name, kind.title, f, chosen, kind.row_type, rows)


@dataclass(frozen=True)
class ReportChoices:
    """What a report can be filtered by: the campaigns, reps, lead sources and countries
    on the desk (ids with names; sources and countries as written)."""

    campaigns: tuple[tuple[int, str], ...]
    reps: tuple[tuple[int, str], ...]
    sources: tuple[str, ...]
    countries: tuple[str, ...]


def report_choices(db: Database, user_id: int) -> ReportChoices:
    with db.read() as session:
        require_user(session, user_id, Action.VIEW_REPORTS)
        campaigns = session.execute(select(Campaign.id, Campaign.name).order_by(Campaign.name))
        reps = session.execute(select(User.id, User.name).order_by(User.name))
        sources = session.scalars(
            select(Lead.lead_source)
            .distinct()
            .where(Lead.lead_source != "")
            .order_by(Lead.lead_source)
        )
        countries = session.scalars(
            select(Lead.country).distinct().where(Lead.country.is_not(None)).order_by(Lead.country)
        )
        return ReportChoices(
            tuple((i, n) for i, n in campaigns),
            tuple((i, n) for i, n in reps),
            tuple(s for s in sources if s),
            tuple(c for c in countries if c),
        )
