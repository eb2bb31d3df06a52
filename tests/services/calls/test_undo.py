"""Undo a moment later: a call logged by mistake (when that is safe), and a lead released by
mistake (when nobody took it). Both backends."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from teleprospect.core.audit import AuditKind
from teleprospect.core.decisions import DecisionKind
from teleprospect.core.domain import Disposition
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.services.calls.decisions import Decision
from teleprospect.services.calls.log_call import log_call
from teleprospect.services.calls.undo import UNDO_WINDOW, UndoRefused, undo_logged_call
from teleprospect.services.queue.claims import ClaimNotHeld, reclaim_lead, release_claim
from teleprospect.store.database import Database
from teleprospect.store.models import AuditEntry, Call, Lead
from tests.services.call_fixtures import NOW, add_campaign, add_lead, add_users, claim, lead

LATER = NOW - timedelta(days=1)


@pytest.fixture
def working(db: Database) -> tuple[Database, int, int, int]:
    """A working lead called once yesterday (no answer), held by ``me``."""
    me, other = add_users(db)
    lead_id = add_lead(
        db,
        add_campaign(db),
        status=LeadStatus.WORKING,
        attempts=1,
        last_attempt_at=LATER,
        next_action_at=LATER + timedelta(hours=4),
    )
    claim(db, lead_id, me)
    return db, me, other, lead_id


def test_a_mistaken_no_answer_is_undone_and_the_lead_is_as_before(working) -> None:
    db, me, _other, lead_id = working
    before = lead(db, lead_id)
    logged = log_call(db, lead_id, me, disposition=Disposition.NO_ANSWER, notes="x", now=NOW)
    assert logged.undo is not None
    after_log = lead(db, lead_id)
    assert after_log.attempts == 2 and after_log.claimed_by_id is None

    undone = undo_logged_call(db, logged.undo, me, now=NOW + timedelta(seconds=5))
    assert "undone" in undone.summary and "Lena Vogel" in undone.summary
    restored = lead(db, lead_id)
    assert restored.attempts == before.attempts
    assert restored.last_attempt_at == before.last_attempt_at
    assert restored.next_action_at == before.next_action_at
    assert restored.claimed_by_id == me  # the rep holds it again to log it anew
    assert restored.status is LeadStatus.WORKING
    with db.read() as s:
        call = s.get(Call, logged.call_id)
        assert call is not None and call.disposition is None and call.notes == ""
        entry = s.scalars(select(AuditEntry).where(AuditEntry.kind == AuditKind.CALL_UNDONE)).one()
    assert entry.lead_id == lead_id and entry.user_id == me
    assert entry.before["disposition"] == "no_answer"
    assert entry.before["attempts"] == 2 and entry.after["attempts"] == 1

    # Logged anew, as a new call.
    again = log_call(db, lead_id, me, disposition=Disposition.BUSY, now=NOW + timedelta(minutes=1))
    assert again.call_id != logged.call_id
    assert lead(db, lead_id).attempts == 2


def test_an_undo_is_refused_once_the_lead_changed_or_another_rep_holds_it(working) -> None:
    db, me, other, lead_id = working
    logged = log_call(db, lead_id, me, disposition=Disposition.BUSY, now=NOW)
    assert logged.undo is not None
    claim(db, lead_id, other, NOW + timedelta(seconds=1))
    with pytest.raises(UndoRefused, match="Rep Two is working on Lena Vogel"):
        undo_logged_call(db, logged.undo, me, now=NOW + timedelta(seconds=2))
    release_claim(db, lead_id, other)
    log_call(db, lead_id, other, disposition=Disposition.NO_ANSWER, now=NOW + timedelta(minutes=1))
    with pytest.raises(UndoRefused, match="changed since"):
        undo_logged_call(db, logged.undo, me, now=NOW + timedelta(seconds=3))
    assert lead(db, lead_id).attempts == 3  # nothing undone


def test_an_undo_is_refused_after_the_window_and_to_another_rep(working) -> None:
    db, me, other, lead_id = working
    logged = log_call(db, lead_id, me, disposition=Disposition.NO_ANSWER, now=NOW)
    assert logged.undo is not None
    with pytest.raises(UndoRefused, match="Only the rep who logged"):
        undo_logged_call(db, logged.undo, other, now=NOW)
    with pytest.raises(UndoRefused, match="minutes ago"):
        undo_logged_call(db, logged.undo, me, now=NOW + UNDO_WINDOW + timedelta(seconds=1))
    with db.read() as s:
        assert s.get(Call, logged.call_id).disposition is Disposition.NO_ANSWER


def test_decisions_and_first_calls_offer_no_undo(working, db: Database) -> None:
    _db, me, _other, lead_id = working
    decided = log_call(
        db,
        lead_id,
        me,
        disposition=Disposition.CONNECTED,
        decision=Decision(DecisionKind.DISQUALIFY, reason="no_need"),
        now=NOW,
    )
    assert decided.undo is None
    fresh = add_lead(db, email="new@example.com", phone_e164="+4930901821")
    claim(db, fresh, me)
    first = log_call(db, fresh, me, disposition=Disposition.NO_ANSWER, now=NOW)
    assert first.undo is None  # new → working is a status change: not undone from here


def test_a_released_lead_is_claimed_back_while_nobody_took_it(working) -> None:
    db, me, other, lead_id = working
    assert release_claim(db, lead_id, me)
    claimed = reclaim_lead(db, lead_id, me, now=NOW + timedelta(seconds=2))
    assert claimed.lead_id == lead_id and claimed.name == "Lena Vogel"
    assert lead(db, lead_id).claimed_by_id == me

    release_claim(db, lead_id, me)
    claim(db, lead_id, other, NOW + timedelta(seconds=3))
    with pytest.raises(ClaimNotHeld, match="Rep Two took the lead meanwhile"):
        reclaim_lead(db, lead_id, me, now=NOW + timedelta(seconds=4))
    with db.read() as s:
        assert s.scalar(select(Lead.claimed_by_id).where(Lead.id == lead_id)) == other
