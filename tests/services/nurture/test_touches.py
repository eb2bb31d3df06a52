"""Nurture touches as work: the 12-touch track step by step, skips with reasons, responses
that bring the lead back at once, the end rule, pauses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from teleprospect.core.business_days import is_business_day
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.nurture import TouchKind
from teleprospect.services.calls.lead_detail import lead_detail
from teleprospect.services.calls.log_call import log_call
from teleprospect.services.nurture.daily import advance_due_touches
from teleprospect.services.nurture.pauses import pause_lead, resume_lead
from teleprospect.services.nurture.responses import add_engagement
from teleprospect.services.nurture.touches import due_touches, mark_done
from teleprospect.services.nurture.tracks import enrol
from teleprospect.services.queue.page import queue_page
from teleprospect.store.database import Database
from teleprospect.store.models import Lead
from teleprospect.store.nurture_models import NurtureTouch
from tests.services.call_fixtures import add_lead, add_users

# Monday 4 January 2027, 10:00 UTC (11:00 in Berlin).
START = datetime(2027, 1, 4, 10, 0, tzinfo=UTC)


def enrolled(db: Database, track: str = "twelve-touch", **fields: object) -> tuple[int, int]:
    me, _ = add_users(db)
    lead_id = add_lead(db, owner_id=me, **fields)
    with db.write() as s:
        lead = s.get(Lead, lead_id)
        assert lead is not None
        lead.status = LeadStatus.NURTURE
        enrol(s, lead, track, user_id=me, now=START, by_call=False)
    return me, lead_id


def touches(db: Database, lead_id: int) -> list[NurtureTouch]:
    with db.read() as s:
        rows = s.scalars(select(NurtureTouch).where(NurtureTouch.lead_id == lead_id)).all()
        s.expunge_all()
        return list(rows)


def make_due_calls(db: Database, lead_id: int, me: int, at: datetime) -> None:
    """The lead's call steps due by ``at`` come through the queue; the rep logs the call."""
    while any(
        t.kind == "call" and t.state == "open" and t.due_at <= at for t in touches(db, lead_id)
    ) or (lead_id in [e.lead_id for e in queue_page(db, me, now=at)]):
        assert lead_id in [e.lead_id for e in queue_page(db, me, now=at)]
        log_call(db, lead_id, me, disposition="connected", now=at)


def test_each_step_of_the_twelve_touch_track_is_due_on_its_date_and_recorded_when_done(
    db: Database,
) -> None:
    me, lead_id = enrolled(db)
    with db.read() as s:
        from teleprospect.services.nurture.tracks import track_by_key

        track = track_by_key(s, "twelve-touch")[1]
    from zoneinfo import ZoneInfo

    from teleprospect.core.nurture import step_due_at

    listed_steps = []
    for index, step in enumerate(track.steps):
        due = step_due_at(track, index, START, zone=ZoneInfo("Europe/Berlin"), country="DE")
        assert is_business_day(due.astimezone(ZoneInfo("Europe/Berlin")).date(), "DE")
        at = max(due, START) + timedelta(minutes=1)
        if step.kind is TouchKind.CALL:
            make_due_calls(db, lead_id, me, at + timedelta(hours=1))
            continue
        # The day before, nothing of this step is due.
        if due - timedelta(days=1) > START:
            early = due_touches(db, me, now=due - timedelta(days=1))
            assert [t.title for t in early if t.title == step.title] == []
        due_now = due_touches(db, me, now=at)
        assert [t.title for t in due_now] == [step.title], (index, due_now)
        mark_done(db, due_now[0].touch_id, me, outcome="sent", now=at)
        listed_steps.append(index)
        history = [line for _, _, line in lead_detail(db, lead_id, now=at).history]
        assert f"touch done: {step.title} (sent)" in history
        make_due_calls(db, lead_id, me, at + timedelta(hours=1))
    assert listed_steps == [i for i, s in enumerate(track.steps) if s.kind is not TouchKind.CALL]
    states = {t.state for t in touches(db, lead_id)}
    assert states <= {"done"}, states
    with db.read() as s:
        lead = s.get(Lead, lead_id)
        assert lead is not None
        # The end rule of the 12-touch track: back to the queue for a re-qualification call.
        assert lead.status is LeadStatus.WORKING and lead.next_action_at is not None


def test_a_touch_that_cannot_be_made_is_skipped_with_its_reason(db: Database) -> None:
    me, lead_id = enrolled(db, email=None)
    at = START + timedelta(minutes=5)
    summary = advance_due_touches(db, now=at)
    rows = touches(db, lead_id)
    emails = [t for t in rows if t.kind == "email"]
    assert emails and emails[0].state == "skipped" and emails[0].reason == "no email address"
    assert "no email address" in summary.text or emails[0].done_at == START
    history = [line for _, _, line in lead_detail(db, lead_id, now=at).history]
    assert any("touch skipped" in line and "no email address" in line for line in history)


def test_a_reply_pauses_the_track_and_puts_the_lead_first_in_its_owners_queue(db: Database) -> None:
    me, lead_id = enrolled(db)
    at = START + timedelta(days=2)
    added = add_engagement(db, lead_id, me, kind="replied", detail="please call me", now=at)
    assert added.nurture is not None and added.nurture.startswith("responded to nurture (replied")
    page = queue_page(db, me, now=at + timedelta(minutes=1))
    assert page[0].lead_id == lead_id
    assert page[0].reason == added.nurture
    assert due_touches(db, me, now=at + timedelta(days=30)) == [], "the track waits"


def test_an_opt_out_ends_the_track_and_cancels_what_was_left(db: Database) -> None:
    me, lead_id = enrolled(db)
    add_engagement(db, lead_id, me, kind="opted_out", now=START + timedelta(hours=1))
    rows = touches(db, lead_id)
    assert rows and all(t.state in ("cancelled", "done", "skipped") for t in rows)
    assert lead_detail(db, lead_id, now=START + timedelta(hours=2)).enrollment is None


def test_a_pause_keeps_the_remaining_delay(db: Database) -> None:
    me, lead_id = enrolled(db)
    due_touches(db, me, now=START + timedelta(minutes=1))  # the day-0 touches
    pause_lead(db, lead_id, me, reason="on parental leave", now=START + timedelta(days=1))
    assert due_touches(db, me, now=START + timedelta(days=40)) == []
    resume_lead(db, lead_id, me, now=START + timedelta(days=30))
    again = due_touches(db, me, now=START + timedelta(days=30, minutes=5))
    assert [t.title for t in again][:1] == ["Thank-you email with the promised material"]
