"""Opening a lead in the call workspace: one read gives everything the workspace shows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from teleprospect.services.calls.call_sheet import open_call_sheet
from teleprospect.services.calls.lead_detail import lead_detail
from teleprospect.services.calls.readiness import lead_readiness
from teleprospect.services.calls.scripts import active_script
from teleprospect.services.errors import LeadNotFound
from teleprospect.services.nurture.tracks import suggested_tracks
from teleprospect.services.queue.claims import claim_next
from teleprospect.store.database import Database
from tests.services.call_fixtures import NOW, add_campaign, add_lead, add_users, claim


def test_the_sheet_holds_what_the_four_reads_gave_and_why_this_lead_now(db: Database) -> None:
    me, _ = add_users(db)
    lead_id = add_lead(db, add_campaign(db))
    claimed = claim_next(db, me, now=NOW)
    assert claimed is not None and claimed.lead_id == lead_id

    sheet = open_call_sheet(db, lead_id, me, now=NOW)

    assert sheet.detail == lead_detail(db, lead_id, now=NOW)
    assert sheet.script == active_script(db)
    assert sheet.tracks == suggested_tracks(db, lead_id)
    assert sheet.live == lead_readiness(db, lead_id, {}, now=NOW)
    assert sheet.live is not None and not sheet.live.readiness.ready
    # Without new answers the live score is the stored one, with its grade.
    assert (sheet.live.score, sheet.live.grade) == (sheet.detail.score, sheet.detail.grade)
    # The same reason the queue gave when the lead was claimed.
    assert sheet.queue_entry is not None and sheet.queue_entry.lead_id == lead_id
    assert sheet.why_now == claimed.reason


def test_a_drafts_answers_count_in_the_score_and_the_checklist(db: Database) -> None:
    me, _ = add_users(db)
    lead_id = add_lead(db)
    claim(db, lead_id, me)
    version = active_script(db)
    draft = {"need": True, "budget": True, "budget_amount": 20_000.0, "gone_question": "x"}

    sheet = open_call_sheet(
        db, lead_id, me, now=NOW, script_version_id=version.id, draft_answers=draft
    )

    typed = {"need": True, "budget": True, "budget_amount": 20_000.0}
    assert sheet.script == version
    assert sheet.draft_answers == typed, "answers the script does not know are dropped"
    assert sheet.live == lead_readiness(db, lead_id, typed, now=NOW)
    assert sheet.live is not None and sheet.live.score > sheet.detail.score
    assert sheet.live.stored_score == sheet.detail.score


def test_a_lead_outside_the_users_queue_has_no_reason(db: Database) -> None:
    me, other = add_users(db)
    lead_id = add_lead(db)
    claim(db, lead_id, other)
    # Held by another rep: shown read-only, not part of my queue.
    assert open_call_sheet(db, lead_id, me, now=NOW).why_now is None
    # At night the lead is outside its calling window: in nobody's queue.
    night = NOW.replace(hour=23) + timedelta(days=1)
    assert open_call_sheet(db, lead_id, other, now=night).queue_entry is None
    # A login without an account has no queue at all.
    assert open_call_sheet(db, lead_id, None, now=NOW).queue_entry is None


def test_a_lead_that_is_gone_is_named(db: Database) -> None:
    me, _ = add_users(db)
    with pytest.raises(LeadNotFound, match="no lead with id 4242"):
        open_call_sheet(db, 4242, me, now=NOW)
