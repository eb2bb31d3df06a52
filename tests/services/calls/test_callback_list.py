"""Callbacks a rep can rely on (both backends): the list of overdue, today's and upcoming
ones, who may read whose, the suggested callback time in the lead's window, and nurture
call steps that never land on a weekend."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

from teleprospect.core.decisions import DecisionKind
from teleprospect.core.domain import UserRole
from teleprospect.core.nurture import default_tracks, step_due_at
from teleprospect.core.permissions import PermissionDenied
from teleprospect.core.queue_policy import CallingHours
from teleprospect.services.calls.call_sheet import open_call_sheet
from teleprospect.services.calls.callback_list import CallbackWhen, list_callbacks
from teleprospect.services.calls.decisions import Decision
from teleprospect.services.calls.log_call import log_call
from teleprospect.store.database import Database
from teleprospect.store.models import CallbackEntry, User
from tests.services.call_fixtures import NOW, add_campaign, add_lead, add_users, claim

BERLIN = ZoneInfo("Europe/Berlin")
TOKYO = "Asia/Tokyo"


def promise(
    db: Database, lead_id: int, due_at: datetime, owner_id: int | None, note: str = ""
) -> int:
    with db.write() as s:
        entry = CallbackEntry(
            lead_id=lead_id, due_at=due_at, owner_id=owner_id, note=note, created_at=NOW
        )
        s.add(entry)
        s.flush()
        return entry.id


def test_my_list_has_my_callbacks_and_the_teams_overdue_first_then_today_then_upcoming(
    db: Database,
) -> None:
    me, other = add_users(db)
    campaign = add_campaign(db)
    vogel = add_lead(db, campaign)
    tanaka = add_lead(
        db,
        campaign,
        first_name="Aiko",
        last_name="Tanaka",
        company="Tanaka KK",
        email="aiko@tanaka.jp",
        phone_e164="+81312345678",
        phone_time_zones=TOKYO,
        country="JP",
    )
    upcoming = promise(db, vogel, NOW + timedelta(days=2), me, "after the board meeting")
    overdue = promise(db, tanaka, NOW - timedelta(hours=1), me, "asked for the price list")
    team = promise(db, vogel, NOW + timedelta(hours=2), None)  # 18:00 in Berlin: today
    promise(db, tanaka, NOW - timedelta(hours=3), other)  # another rep's promise
    kept = promise(db, vogel, NOW - timedelta(days=1), me)
    with db.write() as s:
        entry = s.get(CallbackEntry, kept)
        assert entry is not None
        entry.done_at = NOW - timedelta(hours=20)

    listed = list_callbacks(db, me, display_zone=BERLIN, now=NOW)
    assert [(r.callback_id, r.when) for r in listed.rows] == [
        (overdue, CallbackWhen.OVERDUE),
        (team, CallbackWhen.TODAY),
        (upcoming, CallbackWhen.UPCOMING),
    ]
    first = listed.rows[0]
    assert (first.name, first.company, first.lead_zones, first.personal, first.note) == (
        "Aiko Tanaka",
        "Tanaka KK",
        (TOKYO,),
        True,
        "asked for the price list",
    )
    assert not listed.rows[1].personal and listed.rows[1].owner_name is None
    assert listed.now == NOW

    today = list_callbacks(db, me, only=CallbackWhen.TODAY, now=NOW, display_zone=BERLIN)
    assert [r.callback_id for r in today.rows] == [team]
    late = list_callbacks(db, me, only=CallbackWhen.OVERDUE, now=NOW, display_zone=BERLIN)
    assert [r.callback_id for r in late.rows] == [overdue]


def test_a_kept_callback_leaves_the_list(db: Database) -> None:
    me, _ = add_users(db)
    lead_id = add_lead(db, add_campaign(db))
    promise(db, lead_id, NOW - timedelta(minutes=10), me)
    claim(db, lead_id, me)
    log_call(db, lead_id, me, disposition="connected", now=NOW)
    assert list_callbacks(db, me, now=NOW).rows == ()


def test_only_a_team_lead_reads_another_reps_callbacks(db: Database) -> None:
    me, other = add_users(db)
    lead_id = add_lead(db, add_campaign(db))
    theirs = promise(db, lead_id, NOW + timedelta(hours=1), other)
    with pytest.raises(PermissionDenied):
        list_callbacks(db, me, of_user_id=other, now=NOW)
    with db.write() as s:
        boss = User(login="boss", name="Maria Boss", role=UserRole.TEAM_LEAD)
        s.add(boss)
        s.flush()
        boss_id = boss.id
    listed = list_callbacks(db, boss_id, of_user_id=other, now=NOW)
    assert [r.callback_id for r in listed.rows] == [theirs]
    assert listed.rows[0].owner_name == "Rep Two"


# --------------------------------------------------------------- the suggested time


def test_the_suggested_callback_for_a_lead_in_tokyo_is_in_tokyos_morning_on_a_weekday(
    db: Database,
) -> None:
    me, _ = add_users(db)
    lead_id = add_lead(
        db,
        add_campaign(db),
        phone_e164="+81312345678",
        phone_time_zones=TOKYO,
        country="JP",
    )
    friday_afternoon = NOW + timedelta(days=2)  # Fri 27 Nov 16:00 in Berlin, midnight in Tokyo
    sheet = open_call_sheet(db, lead_id, me, now=friday_afternoon)
    assert sheet.read_at == friday_afternoon
    assert sheet.calling_hours == CallingHours()
    at = sheet.suggested_callback_at
    assert at is not None
    local = at.astimezone(ZoneInfo(TOKYO))
    assert (local.strftime("%a"), local.hour, local.minute) == ("Mon", 9, 0)
    # And the desk accepts the time it suggested.
    claim(db, lead_id, me, friday_afternoon)
    logged = log_call(
        db,
        lead_id,
        me,
        disposition="callback_requested",
        decision=Decision(DecisionKind.CALLBACK, callback_at=at),
        now=friday_afternoon,
    )
    assert logged.next_action_at == at


def test_a_lead_whose_local_time_is_unknown_gets_no_suggestion(db: Database) -> None:
    me, _ = add_users(db)
    lead_id = add_lead(db, phone_e164=None, phone_valid=False, phone_time_zones="", country=None)
    assert open_call_sheet(db, lead_id, me, now=NOW).suggested_callback_at is None


# --------------------------------------------------------------- nurture


def test_a_nurture_call_step_falls_due_at_nine_on_a_business_day_of_the_leads_country(
    db: Database,
) -> None:
    me, _ = add_users(db)
    lead_id = add_lead(db, add_campaign(db))
    claim(db, lead_id, me)
    log_call(
        db,
        lead_id,
        me,
        disposition="connected",
        decision=Decision(DecisionKind.NURTURE, track_key="twelve-touch"),
        now=NOW,
    )
    due = NOW + timedelta(days=30)
    claim(db, lead_id, me, due)
    again = log_call(db, lead_id, me, disposition="connected", now=due + timedelta(minutes=5))
    assert again.next_action_at is not None
    local = again.next_action_at.astimezone(BERLIN)
    german_holidays = holidays.country_holidays("DE", years=local.year)
    assert local.weekday() < 5 and local.date() not in german_holidays
    assert (local.hour, local.minute) == (9, 0)
    twelve = next(t for t in default_tracks() if t.key == "twelve-touch")
    assert again.next_action_at == step_due_at(twelve, 7, NOW, zone=BERLIN, country="DE")
