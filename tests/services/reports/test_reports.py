"""Every report's figures on a small desk worked out by hand. On SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from teleprospect.core.permissions import PermissionDenied
from teleprospect.core.reports import Grouping
from teleprospect.services.reports import (
    REPORTS,
    ActivityRow,
    ConnectHourRow,
    NurtureReportUnavailable,
    ReportError,
    SourceQualityRow,
    SpeedToLeadRow,
    WaterfallRow,
    report_choices,
    run_report,
)
from teleprospect.store.database import Database
from tests.services.reports.report_desk import NOVEMBER, Desk, build_desk


@pytest.fixture
def desk(db: Database) -> Desk:
    return build_desk(db)


def _no_outcomes() -> dict[str, int]:
    return {name: 0 for name in (
        "connected", "no_answer", "voicemail_left", "busy", "wrong_number", "gatekeeper",
        "callback_requested", "not_interested", "do_not_call",
    )}  # fmt: skip


def test_the_waterfall_follows_each_campaigns_leads_from_arrival_to_verdict(
    db: Database, desk: Desk
) -> None:
    report = run_report(db, desk.team.boss, "waterfall", NOVEMBER, Grouping.CAMPAIGN)
    assert report.rows == (
        # L1 and L2 connected, made sales-ready, handed off; sales accepted one.
        # Hours to first call: (3 min + 20 min + 23 h) / 3; first call to sales-ready:
        # (67 min + 10 min) / 2; to hand-off (21 h 50 + 19 h 30) / 2; to verdict 24 h, 25 h.
        WaterfallRow(
            "Spring webinar", 3, 3, 2, 2, 2, 1, 1, None,
            1.0, 0.6667, 1.0, 1.0, 0.5, 7.8, 0.6, 20.7, 24.5,
        ),
        WaterfallRow(
            "White paper", 2, 1, 1, 0, 0, 0, 0, None,
            0.5, 1.0, 0.0, None, None, 0.1, None, None, None,
        ),
    )  # fmt: skip


def test_the_waterfall_by_rep_counts_the_leads_each_rep_owns(db: Database, desk: Desk) -> None:
    rows = run_report(db, desk.team.boss, "waterfall", NOVEMBER, Grouping.REP).rows
    assert [(r.group, r.arrived, r.worked, r.qualified, r.accepted) for r in rows] == [
        ("Sam Carter", 3, 3, 2, 1),
        ("Julie Moreau", 2, 1, 0, 0),
    ]


def test_filters_keep_only_the_chosen_campaign_source_country_and_rep(
    db: Database, desk: Desk
) -> None:
    def arrived(**filters: object) -> list[tuple[str, int]]:
        f = replace(NOVEMBER, **filters)  # type: ignore[arg-type]
        rows = run_report(db, desk.team.boss, "waterfall", f, Grouping.SOURCE).rows
        return [(r.group, r.arrived) for r in rows]

    assert arrived() == [("(no source)", 2), ("Webinar", 2), ("Trade fair", 1)]
    assert arrived(countries=("us",)) == [("(no source)", 1)]
    assert arrived(sources=("Webinar",)) == [("Webinar", 2)]
    assert arrived(campaign_ids=(desk.team.other_campaign,)) == [("(no source)", 2)]
    assert arrived(rep_ids=(desk.team.julie,)) == [("(no source)", 1), ("Trade fair", 1)]


def test_rep_activity_per_day_counts_dials_connects_talk_time_and_results(
    db: Database, desk: Desk
) -> None:
    rows = run_report(db, desk.team.boss, "activity", NOVEMBER, Grouping.DAY).rows
    assert rows == (
        # 09:00 to 14:00:30 (the voicemail took 30 s): 5.01 hours worked.
        ActivityRow(
            "Julie Moreau", date(2026, 11, 23), 2, 0, 0.0, 0, 0.5, 5.01, 0.4, 0, 0, 0, None,
            **{**_no_outcomes(), "busy": 1, "voicemail_left": 1},
        ),
        # 09:03 to 16:00; one conversation (the 45-second connect is none); L1 and L2 made
        # sales-ready, sales accepted L1 and rejected L2.
        ActivityRow(
            "Sam Carter", date(2026, 11, 23), 4, 2, 0.5, 1, 5.8, 6.95, 0.6, 2, 1, 1, 0.5,
            **{**_no_outcomes(), "connected": 2, "no_answer": 2},
        ),
        ActivityRow(
            "Sam Carter", date(2026, 11, 24), 1, 1, 1.0, 1, 2.0, 0.03, 33.3, 0, 0, 0, None,
            **{**_no_outcomes(), "connected": 1},
        ),
    )  # fmt: skip


def test_rep_activity_per_week_adds_the_days_of_the_week(db: Database, desk: Desk) -> None:
    rows = run_report(db, desk.team.boss, "activity", NOVEMBER, Grouping.WEEK).rows
    sam = rows[1]
    assert (sam.rep, sam.period) == ("Sam Carter", date(2026, 11, 23))  # the Monday
    assert (sam.dials, sam.connects, sam.conversations, sam.talk_minutes) == (5, 3, 2, 7.8)
    assert (sam.hours_worked, sam.calls_per_hour, sam.sales_ready) == (6.98, 0.7, 2)


def test_speed_to_lead_reports_medians_percentiles_and_the_five_minute_share(
    db: Database, desk: Desk
) -> None:
    rows = run_report(db, desk.team.boss, "speed-to-lead", NOVEMBER).rows
    assert rows == (
        # First attempts after 3 min, 20 min and 23 h; first connects after 60 and 20 min.
        # L1 and L2 arrived in calling hours (L3 on a Sunday); only L1 was called in 5 min.
        SpeedToLeadRow(
            "Spring webinar", 3, 3, 2, 20.0, 1380.0, 20.0, 60.0, 2, 1, 0.5,
            1, 1, 0, 0, 1, 0, 0, 0,
        ),
        # L4 arrived before its calling hours and was never called; L5 called in 4 min.
        SpeedToLeadRow(
            "White paper", 2, 1, 1, 4.0, 4.0, 4.0, 4.0, 1, 1, 1.0,
            1, 0, 0, 0, 0, 0, 0, 1,
        ),
    )  # fmt: skip


def test_connect_rate_is_read_on_the_leads_own_clock(db: Database, desk: Desk) -> None:
    rows = run_report(db, desk.team.boss, "connect-hours", NOVEMBER).rows
    assert rows == (
        ConnectHourRow("Mon", 10, 2, 0, 0.0),  # 09:03 and 09:00 UTC in Berlin
        ConnectHourRow("Mon", 11, 1, 1, 1.0),
        ConnectHourRow("Mon", 13, 1, 1, 1.0),
        ConnectHourRow("Mon", 15, 1, 0, 0.0),
        ConnectHourRow("Mon", 17, 1, 0, 0.0),
        ConnectHourRow("Tue", 10, 1, 1, 1.0),  # 15:04 UTC in New York
    )


def test_source_quality_counts_verdicts_and_rejection_reasons(db: Database, desk: Desk) -> None:
    rows = run_report(db, desk.team.boss, "sources", NOVEMBER, Grouping.SOURCE).rows
    assert rows == (SourceQualityRow("Webinar", 2, 1, 1, 0, 0.5, "no budget 1"),)
    october = replace(NOVEMBER, start=NOVEMBER.start.replace(month=10), end=NOVEMBER.start)
    assert run_report(db, desk.team.boss, "sources", october).rows == ()


def test_only_team_leads_read_reports(db: Database, desk: Desk) -> None:
    with pytest.raises(PermissionDenied, match="Only a team lead can read the team's reports"):
        run_report(db, desk.team.sam, "waterfall", NOVEMBER)


def test_a_report_asked_for_wrongly_says_why_in_one_sentence(db: Database, desk: Desk) -> None:
    with pytest.raises(ReportError, match="grouped by day or week, not campaign"):
        run_report(db, desk.team.boss, "activity", NOVEMBER, Grouping.CAMPAIGN)
    with pytest.raises(ReportError, match="no report called 'funnel'"):
        run_report(db, desk.team.boss, "funnel", NOVEMBER)
    with pytest.raises(NurtureReportUnavailable, match="touch history"):
        run_report(db, desk.team.boss, "nurture", NOVEMBER)
    assert not REPORTS["nurture"].available


def test_the_filters_offer_the_desks_campaigns_reps_sources_and_countries(
    db: Database, desk: Desk
) -> None:
    choices = report_choices(db, desk.team.boss)
    assert [name for _id, name in choices.campaigns] == ["Spring webinar", "White paper"]
    assert "Sam Carter" in [name for _id, name in choices.reps]
    assert choices.sources == ("Trade fair", "Webinar")
    assert choices.countries == ("DE", "FR", "US")
