"""A small desk with known arrivals, calls, decisions and verdicts, whose every report
figure is worked out by hand in the tests (November 2026: Berlin is UTC+1, New York
UTC−5; the team calls Mon–Fri 09:00–17:00 local)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from teleprospect.core.domain import Disposition, HistoryKind
from teleprospect.core.handoff import ExportFormat, Verdict
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.reports import ReportFilter
from teleprospect.store.database import Database
from teleprospect.store.models import Call, HandoffBatch, HandoffItem, Lead, LeadHistory
from tests.services.team_fixtures import Team, make_team

#: The whole of November 2026.
NOVEMBER = ReportFilter.days(date(2026, 11, 1), date(2026, 11, 30))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


@dataclass(frozen=True)
class Desk:
    team: Team
    leads: dict[str, int]


def build_desk(db: Database) -> Desk:
    team = make_team(db)
    a, b = team.campaign, team.other_campaign  # "Spring webinar", "White paper"
    berlin, paris, new_york = "Europe/Berlin", "Europe/Paris", "America/New_York"
    lead_rows = {
        # Monday 10:00 and 13:00 in Berlin: inside calling hours.
        "L1": (a, team.sam, "Webinar", "DE", berlin, at(23, 9)),
        "L2": (a, team.sam, "Webinar", "DE", berlin, at(23, 12)),
        # Sunday: outside calling hours.
        "L3": (a, team.julie, "Trade fair", "DE", berlin, at(22, 10)),
        # Tuesday 08:00 in Paris: before calling hours; never called.
        "L4": (b, team.julie, "", "FR", paris, at(24, 7)),
        # Tuesday 10:00 in New York.
        "L5": (b, team.sam, "", "US", new_york, at(24, 15)),
        # Arrived in October: outside the range, but called in it.
        "L6": (a, team.sam, "Webinar", "DE", berlin, datetime(2026, 10, 20, 9, tzinfo=UTC)),
    }
    leads: dict[str, int] = {}
    with db.write() as s:
        for name, (campaign, owner, source, country, zones, created) in lead_rows.items():
            lead = Lead(
                first_name=name, campaign_id=campaign, owner_id=owner, lead_source=source,
                country=country, call_zones=zones, phone_time_zones=zones,
                status=LeadStatus.WORKING, created_at=created, updated_at=created,
            )  # fmt: skip
            s.add(lead)
            s.flush()
            leads[name] = lead.id
        calls = [
            # (lead, rep, started, disposition, seconds on the line)
            ("L1", team.sam, at(23, 9, 3), Disposition.NO_ANSWER, None),
            ("L1", team.sam, at(23, 10), Disposition.CONNECTED, 300),
            ("L2", team.sam, at(23, 12, 20), Disposition.CONNECTED, 45),
            ("L6", team.sam, at(23, 16), Disposition.NO_ANSWER, None),
            ("L5", team.sam, at(24, 15, 4), Disposition.CONNECTED, 120),
            ("L3", team.julie, at(23, 9), Disposition.BUSY, None),
            ("L3", team.julie, at(23, 14), Disposition.VOICEMAIL_LEFT, 30),
            # Still on the line: no outcome yet, counted nowhere.
            ("L4", team.julie, at(25, 14), None, None),
            # December: outside the range.
            ("L5", team.sam, datetime(2026, 12, 1, 15, tzinfo=UTC), Disposition.CONNECTED, 60),
        ]
        for name, rep, started, disposition, seconds in calls:
            ended = None if seconds is None else started.replace(second=0) + _s(seconds)
            s.add(
                Call(
                    lead_id=leads[name], user_id=rep, started_at=started, ended_at=ended,
                    disposition=disposition, duration_s=seconds,
                )
            )  # fmt: skip
        for name, when in (("L1", at(23, 10, 10)), ("L2", at(23, 12, 30))):
            s.add(
                LeadHistory(
                    lead_id=leads[name], user_id=team.sam, at=when, kind=HistoryKind.STATUS,
                    from_value="working", to_value="sales_ready",
                )
            )  # fmt: skip
        batch = HandoffBatch(user_id=team.boss, created_at=at(24, 8), format=ExportFormat.FULL)
        s.add(batch)
        s.flush()
        for number, (name, verdict, reason, when) in enumerate(
            [
                ("L1", Verdict.ACCEPTED, "", at(25, 8)),
                ("L2", Verdict.REJECTED, "no budget", at(25, 9)),
            ]
        ):
            s.add(
                HandoffItem(
                    batch_id=batch.id, lead_id=leads[name], reference=f"TP-0001-{number:06d}",
                    verdict=verdict, verdict_reason=reason, verdict_at=when,
                )
            )  # fmt: skip
    return Desk(team, leads)


def _s(seconds: int):  # type: ignore[no-untyped-def]
    from datetime import timedelta

    return timedelta(seconds=seconds)
