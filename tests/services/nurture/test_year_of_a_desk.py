"""A year at a desk, on a frozen clock: leads enrolled on every shipped track, touches done
or skipped day by day, calls logged from the queue, random responses and opt-outs.

Every step of every enrolment ends done, skipped with a reason, cancelled with its track,
or is still due; none is lost or made twice; no touch falls due on a weekend or a public
holiday in the lead's zone; every response puts the lead first in its owner's queue at
once; every finished track applies its end rule.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from teleprospect.core.business_days import is_business_day, local_zone
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.nurture import default_tracks
from teleprospect.services.calls.log_call import log_call
from teleprospect.services.nurture.daily import advance_due_touches
from teleprospect.services.nurture.enrolment import enrol_lead
from teleprospect.services.nurture.responses import add_engagement
from teleprospect.services.nurture.touches import due_touches, mark_done, skip_touch
from teleprospect.services.queue.page import queue_page
from teleprospect.store.database import Database
from teleprospect.store.models import Lead, NurtureEnrollment, NurtureTrack
from teleprospect.store.nurture_models import NurtureTouch
from tests.services.call_fixtures import add_lead, add_users

START = datetime(2027, 1, 4, 8, 30, tzinfo=UTC)  # a Monday
PLACES = [
    ("+4930901820", "Europe/Berlin", "DE"),
    ("+33142685300", "Europe/Paris", "FR"),
    ("+12125550100", "America/New_York", "US"),
]


def test_a_year_of_nurture_loses_no_step_and_calls_every_responder(sqlite_db: Database) -> None:
    db = sqlite_db
    rng = random.Random(16)
    me, other = add_users(db)
    tracks = [t.key for t in default_tracks()]
    leads: dict[int, int] = {}
    for i in range(24):
        phone, zone, country = PLACES[i % len(PLACES)]
        owner = me if i % 2 == 0 else other
        lead_id = add_lead(
            db,
            owner_id=owner,
            email=None if i % 11 == 5 else f"lead{i}@example.com",
            phone_e164=phone[:-2] + f"{i:02d}",
            phone_time_zones=zone,
            country=country,
            first_name=f"Lead{i}",
        )
        leads[lead_id] = owner
        enrol_lead(db, lead_id, tracks[i % len(tracks)], owner, now=START)
    responders: list[tuple[int, str]] = []
    for day in range(365):
        # 15:00–16:00 UTC: inside the calling hours in Berlin, Paris and New York alike.
        now = START + timedelta(days=day, hours=6, minutes=30 + rng.randint(0, 60))
        advance_due_touches(db, now=now)
        if now.weekday() >= 5:
            continue
        for user in (me, other):
            for touch in due_touches(db, user, now=now):
                if rng.random() < 0.2:
                    continue  # missed today: stays due
                if rng.random() < 0.15:
                    skip_touch(db, touch.touch_id, user, reason="not relevant now", now=now)
                else:
                    mark_done(db, touch.touch_id, user, outcome="sent", now=now)
            for entry in queue_page(db, user, now=now, limit=5):
                log_call(db, entry.lead_id, user, disposition="connected", now=now)
        if rng.random() < 0.08:
            lead_id = rng.choice(list(leads))
            kind = rng.choice(["replied", "clicked", "registered", "form", "opted_out"])
            with db.read() as s:
                in_track = s.scalar(
                    select(NurtureEnrollment.id).where(
                        NurtureEnrollment.lead_id == lead_id,
                        NurtureEnrollment.ended_at.is_(None),
                        NurtureEnrollment.paused_at.is_(None),
                    )
                )
            added = add_engagement(db, lead_id, leads[lead_id], kind=kind, now=now)
            if in_track is not None and kind != "opted_out":
                assert added.nurture is not None and "responded to nurture" in added.nurture
                # Within one queue refresh: first in its owner's queue, with the reason.
                first = queue_page(db, leads[lead_id], now=now, limit=50)
                assert lead_id in [e.lead_id for e in first]
                reason = next(e.reason for e in first if e.lead_id == lead_id)
                assert reason.startswith("responded to nurture"), reason
                responders.append((lead_id, kind))
    end = START + timedelta(days=365)
    assert responders, "the year had responses"
    with db.read() as s:
        rows = s.scalars(select(NurtureTouch)).all()
        enrolments = s.scalars(select(NurtureEnrollment)).all()
        track_rows = {t.id: t for t in s.scalars(select(NurtureTrack))}
        lead_rows = {lead.id: lead for lead in s.scalars(select(Lead))}
        seen = set()
        for touch in rows:
            key = (touch.enrollment_id, touch.step_index, touch.follow_up)
            assert key not in seen, f"step made twice: {key}"
            seen.add(key)
            assert touch.state in ("open", "paused", "done", "skipped", "cancelled")
            if touch.state in ("skipped", "cancelled"):
                assert touch.reason, f"touch {touch.id} {touch.state} without a reason"
            lead = lead_rows[touch.lead_id]
            if touch.postponed == 0:
                local = touch.due_at.astimezone(local_zone(lead.call_zones))
                assert is_business_day(local.date(), lead.country), (touch.title, local)
        from teleprospect.core.nurture import Track

        finished = 0
        for e in enrolments:
            track = Track.from_dict(track_rows[e.track_id].definition)
            made = {(t.step_index) for t in rows if t.enrollment_id == e.id and not t.follow_up}
            # Every step before the pointer has its touch: none lost.
            assert made == set(range(e.step_index)), (e.id, made, e.step_index)
            if e.ended_at is None and e.paused_at is None and e.step_index < len(track.steps):
                assert e.next_touch_at is not None and e.next_touch_at > end - timedelta(days=2)
            if e.end_reason.startswith("track finished"):
                finished += 1
                lead = lead_rows[e.lead_id]
                later = [x for x in enrolments if x.lead_id == e.lead_id and x.id > e.id]
                assert lead.status in (LeadStatus.WORKING, LeadStatus.DISQUALIFIED) or later, (
                    e.id,
                    lead.status,
                )
        assert finished > 0, "some tracks ran to their end in a year"
