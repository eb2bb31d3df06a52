"""The workload view's figures on a known data set. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from teleprospect.core.domain import Disposition, HistoryKind
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.reassignment import WorkloadPeriod
from teleprospect.services.team.users import deactivate_user
from teleprospect.services.team.workload import workload
from teleprospect.store.database import Database
from teleprospect.store.models import Call, LeadHistory
from tests.services.team_fixtures import NOW, Team, add_callback, add_lead, make_team


@pytest.fixture
def team(db: Database) -> Team:
    return make_team(db)


def test_workload_figures_on_a_known_data_set(db: Database, team: Team) -> None:
    # Wednesday 25 Nov 2026 15:00 UTC; the week began Monday 23 Nov 00:00 UTC.
    day_start = NOW.replace(hour=0)
    monday = day_start - timedelta(days=2)
    # Sam's leads: due now (new, working due, nurture due), not due (later, exhausted,
    # waiting on a future callback, nurture later), closed, do-not-call.
    due = [
        add_lead(db, "New", owner_id=team.sam, status=LeadStatus.NEW),
        add_lead(db, "Due", owner_id=team.sam, next_action_at=NOW - timedelta(hours=1)),
        add_lead(db, "NurDue", owner_id=team.sam, status=LeadStatus.NURTURE,
                 next_action_at=NOW - timedelta(days=1)),
        add_lead(db, "PastCb", owner_id=team.sam),
    ]  # fmt: skip
    add_callback(db, due[3], team.sam, due_at=NOW - timedelta(hours=3))  # overdue: counts
    later = add_lead(db, "Later", owner_id=team.sam, next_action_at=NOW + timedelta(hours=2))
    add_lead(db, "Tired", owner_id=team.sam, attempts=6)
    waits = add_lead(db, "Waits", owner_id=team.sam)
    add_callback(db, waits, team.sam, due_at=NOW + timedelta(hours=5))  # due today: counts
    add_callback(db, later, team.sam, due_at=NOW + timedelta(days=2))  # not today
    add_callback(db, later, team.sam, due_at=NOW - timedelta(days=1), done_at=NOW)  # done
    add_callback(db, later, None, due_at=NOW)  # a team callback: nobody's
    add_lead(db, "NurLater", owner_id=team.sam, status=LeadStatus.NURTURE,
             next_action_at=NOW + timedelta(days=3))  # fmt: skip
    add_lead(db, "Ready", owner_id=team.sam, status=LeadStatus.SALES_READY)
    add_lead(db, "Won", owner_id=team.sam, status=LeadStatus.ACCEPTED)
    add_lead(db, "Dnc", owner_id=team.sam, do_not_call=True)
    # Julie: one due lead.
    add_lead(db, "JDue", owner_id=team.julie)

    calls = [
        # (user, when, disposition)
        (team.sam, NOW - timedelta(hours=1), Disposition.CONNECTED),
        (team.sam, day_start, Disposition.NO_ANSWER),  # midnight today: today
        (team.sam, day_start - timedelta(seconds=1), Disposition.CONNECTED),  # yesterday
        (team.sam, monday, Disposition.CONNECTED),  # Monday 00:00: this week
        (team.sam, monday - timedelta(seconds=1), Disposition.CONNECTED),  # last week
        (team.sam, NOW - timedelta(minutes=5), None),  # a call still going on
        (team.julie, NOW - timedelta(hours=2), Disposition.VOICEMAIL_LEFT),
        (team.julie, monday + timedelta(hours=9), Disposition.CONNECTED),
    ]
    with db.write() as s:
        for user_id, at, disposition in calls:
            s.add(Call(lead_id=due[0], user_id=user_id, started_at=at, disposition=disposition))
        for number, (user_id, at, to_value) in enumerate(
            [
                (team.sam, NOW - timedelta(hours=4), "sales_ready"),
                (team.sam, monday + timedelta(hours=1), "sales_ready"),
                (team.sam, monday - timedelta(hours=1), "sales_ready"),  # last week
                (team.sam, NOW - timedelta(hours=1), "nurture"),  # not sales-ready
                (team.julie, NOW - timedelta(hours=3), "sales_ready"),
            ]
        ):
            s.add(
                LeadHistory(
                    lead_id=due[number % len(due)], user_id=user_id, at=at, kind=HistoryKind.STATUS,
                    from_value="working", to_value=to_value,
                )
            )  # fmt: skip
    deactivate_user(db, team.jonas, acting_user_id=team.boss, now=NOW)

    load = workload(db, team.boss, now=NOW)
    assert load.week.start == monday and load.today.start == day_start
    assert load.period == load.week
    by_login = {rep.login: rep for rep in load.reps}
    assert set(by_login) == {"boss", "lead2", "sam", "julie"}, "active users only"
    sam, julie = by_login["sam"], by_login["julie"]
    assert sam.queue_size == 4
    assert sam.open_leads == 10  # new/working/nurture/sales-ready, DNC included
    assert sam.due_callbacks == 2
    assert (sam.calls_today, sam.calls_this_week) == (3, 5)
    assert sam.connects == 3  # this week: 14:00 today, yesterday 23:59:59, Monday 00:00
    assert sam.made_sales_ready == 2
    assert (julie.queue_size, julie.open_leads, julie.due_callbacks) == (1, 1, 0)
    assert (julie.calls_today, julie.calls_this_week, julie.connects) == (1, 2, 1)
    assert julie.made_sales_ready == 1
    assert by_login["boss"].calls_this_week == 0
    assert load.total("calls_this_week") == 7

    # Another time frame: today only.
    today_only = workload(db, team.boss, now=NOW, period=load.today)
    by_login = {rep.login: rep for rep in today_only.reps}
    assert (by_login["sam"].connects, by_login["sam"].made_sales_ready) == (1, 1)
    assert (by_login["julie"].connects, by_login["julie"].made_sales_ready) == (0, 1)
    last_week = WorkloadPeriod(monday - timedelta(days=7), monday, "last week")
    by_login = {r.login: r for r in workload(db, team.boss, now=NOW, period=last_week).reps}
    assert (by_login["sam"].connects, by_login["sam"].made_sales_ready) == (1, 1)
