"""The lead panel's data, and contact edits with optimistic concurrency (both backends)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from teleprospect.core.decisions import DecisionKind
from teleprospect.core.domain import EngagementKind
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.services.calls.decisions import Decision
from teleprospect.services.calls.lead_detail import LeadChanged, lead_detail, update_contact
from teleprospect.services.calls.log_call import log_call, start_call
from teleprospect.store.database import Database
from teleprospect.store.models import DoNotCallEntry, EngagementEvent, LeadPhone
from tests.services.call_fixtures import (
    NOW,
    add_campaign,
    add_lead,
    add_users,
    claim,
    history,
    lead,
)


def test_the_panel_shows_context_calls_answers_history_and_what_comes_next(db: Database) -> None:
    me, other = add_users(db)
    campaign = add_campaign(db)
    lead_id = add_lead(db, campaign, owner_id=me, lead_source="Trade show")
    twin = add_lead(db, campaign, possible_duplicate_of_id=lead_id, email="lv@vogel.de")
    with db.write() as s:
        s.add(
            EngagementEvent(
                lead_id=lead_id,
                kind=EngagementKind.DOWNLOAD,
                occurred_at=NOW - timedelta(days=2),
                detail="Predictive maintenance guide",
            )
        )
        s.add(LeadPhone(lead_id=lead_id, position=0, label="work", raw="030 901820",
                        e164="+4930901820", valid=True))  # fmt: skip
        s.add(LeadPhone(lead_id=lead_id, position=1, label="mobile", raw="0151 2345678"))
    claim(db, lead_id, me)
    started = start_call(db, lead_id, me, now=NOW)
    log_call(
        db,
        lead_id,
        me,
        disposition="connected",
        call_id=started.call_id,
        duration_s=312,
        notes="Wants pricing.",
        answers={"need": True, "budget": True, "budget_amount": 25_000.0},
        decision=Decision(
            DecisionKind.CALLBACK, callback_at=NOW + timedelta(days=1), note="After the board"
        ),
        now=NOW + timedelta(minutes=6),
    )

    d = lead_detail(db, lead_id, now=NOW)
    assert (d.name, d.status, d.owner_name, d.claimed_by_name) == (
        "Lena Vogel",
        LeadStatus.WORKING,
        "Rep One",
        None,
    )
    assert d.phones == [("work", "+4930901820"), ("mobile", "0151 2345678")]
    assert d.local_time_text == "Wed 16:00 Europe/Berlin"
    assert d.inside_window and "inside calling hours" in d.window_text
    assert (d.campaign_name, d.campaign_channel) == ("Industrie-Forum", "Trade show")
    assert d.campaign_offer == "Asked about predictive maintenance at our stand."
    assert d.engagement == [(NOW - timedelta(days=2), "Download", "Predictive maintenance guide")]
    assert sum(int(line.split()[0].replace("\u2212", "-")) for line in d.breakdown_lines) == d.score
    assert any("Budget amount: 25,000" in line for line in d.breakdown_lines)
    assert d.sales_ready_threshold == 75
    assert d.answers == {"need": True, "budget": True, "budget_amount": 25_000.0}
    [call] = d.calls
    assert (call.user_name, call.disposition_label, call.duration_s, call.notes) == (
        "Rep One",
        "Connected",
        312,
        "Wants pricing.",
    )
    assert call.answers_text == ["Need: Yes", "Budget: Yes", "Budget amount: 25,000"]
    assert call.script_version == 1 and call.decision_text.startswith("Callback")
    assert [text for _, _, text in d.history][:1] == ["New → Working: first call"]
    assert d.history[-1][1] == "Rep One" and "personal callback" in d.history[-1][2]
    assert d.possible_duplicates == [
        (
            twin,
            "Lena Vogel",
            "Vogel Software GmbH",
            "imported later as a possible duplicate of this lead",
        )
    ]
    assert lead_detail(db, twin, now=NOW).possible_duplicates[0][0] == lead_id
    [(_, due, personal, owner, note)] = d.open_callbacks
    assert (due, personal, owner, note) == (
        NOW + timedelta(days=1),
        True,
        "Rep One",
        "After the board",
    )
    assert d.enrollment is None

    # Held by someone else, in nurture: who holds it, and where the track stands.
    claim(db, lead_id, other, NOW + timedelta(days=1))
    log_call(db, lead_id, other, disposition="connected",
             decision=Decision(DecisionKind.NURTURE, track_key="twelve-touch"),
             now=NOW + timedelta(days=1))  # fmt: skip
    claim(db, lead_id, other, NOW + timedelta(days=1))
    later = lead_detail(db, lead_id, now=NOW + timedelta(days=1))
    assert later.claimed_by_name == "Rep Two" and later.open_callbacks == []
    assert later.enrollment is not None
    assert later.enrollment.track_key == "twelve-touch"
    # The case study with its follow-up call: 21 business days on, 09:00 in Berlin.
    assert later.enrollment.next_call_at == datetime(2026, 12, 28, 8, 0, tzinfo=UTC)
    assert "Thank-you email" in later.enrollment.text


def test_a_lead_outside_its_window_says_when_it_opens(db: Database) -> None:
    lead_id = add_lead(db)
    d = lead_detail(db, lead_id, now=NOW.replace(hour=19))  # 20:00 in Berlin
    assert not d.inside_window
    assert d.window_text.startswith("outside calling hours (Wed 20:00 local)")
    assert "opens Thu 09:00 local" in d.window_text
    unknown = lead_detail(db, add_lead(db, phone_time_zones="", country=None, email="x@y.de"))
    assert unknown.local_time_text.startswith("unknown") and not unknown.inside_window


def test_contact_edits_are_saved_with_history_and_a_new_version(db: Database) -> None:
    me, _ = add_users(db)
    lead_id = add_lead(db, add_campaign(db))
    version = lead_detail(db, lead_id, now=NOW).version
    new_version = update_contact(
        db,
        lead_id,
        me,
        {
            "title": "Chief Technology Officer",
            "email": " Lena@Vogel.DE ",
            "phone_raw": "089 1234567",
        },
        expected_version=version,
    )
    assert new_version > version
    saved = lead(db, lead_id)
    assert (saved.title, saved.email) == ("Chief Technology Officer", "lena@vogel.de")
    # The new number is read again with the campaign's region (Germany).
    assert (saved.phone_e164, saved.phone_valid, saved.call_zones) == (
        "+49891234567",
        True,
        "Europe/Berlin",
    )
    assert [h for h in history(db, lead_id) if h[0] == "contact"] == [
        ("contact", "CTO", "Chief Technology Officer", "Title"),
        ("contact", "lena.vogel@vogel.de", "lena@vogel.de", "Email"),
        ("contact", "030 901820", "089 1234567", "Phone"),
    ]
    # Nothing changed: nothing written, the same version.
    assert update_contact(db, lead_id, me, {"title": "Chief Technology Officer"},
                          expected_version=new_version) == new_version  # fmt: skip


def test_a_stale_edit_is_refused_with_the_stored_values_and_who_saved_them(db: Database) -> None:
    me, other = add_users(db)
    lead_id = add_lead(db)
    seen = lead_detail(db, lead_id, now=NOW).version
    update_contact(db, lead_id, other, {"company": "Vogel Cloud GmbH"}, expected_version=seen)
    with pytest.raises(LeadChanged) as changed:
        update_contact(db, lead_id, me, {"company": "Vogel AG"}, expected_version=seen)
    error = changed.value
    assert error.changed_by == "Rep Two" and error.version > seen
    assert error.theirs["company"] == "Vogel Cloud GmbH" and error.theirs["first_name"] == "Lena"
    assert lead(db, lead_id).company == "Vogel Cloud GmbH"
    # The rep chose to keep theirs: saving against the version they were shown works.
    update_contact(db, lead_id, me, {"company": "Vogel AG"}, expected_version=error.version)
    assert lead(db, lead_id).company == "Vogel AG"


def test_bad_contact_values_are_refused(db: Database) -> None:
    me, _ = add_users(db)
    lead_id = add_lead(db)
    version = lead(db, lead_id).version
    with pytest.raises(ValueError, match="not an email address"):
        update_contact(db, lead_id, me, {"email": "lena at vogel"}, expected_version=version)
    with pytest.raises(ValueError, match="cannot be edited here"):
        update_contact(db, lead_id, me, {"score": "100"}, expected_version=version)
    with pytest.raises(ValueError, match="at most 100 characters"):
        update_contact(db, lead_id, me, {"first_name": "x" * 101}, expected_version=version)
    assert lead(db, lead_id).version == version


def test_a_new_number_on_the_do_not_call_list_flags_the_lead(db: Database) -> None:
    me, _ = add_users(db)
    lead_id = add_lead(db)
    with db.write() as s:
        s.add(DoNotCallEntry(phone_e164="+49891234567"))
    update_contact(db, lead_id, me, {"phone_raw": "+49 89 1234567"},
                   expected_version=lead(db, lead_id).version)  # fmt: skip
    assert lead(db, lead_id).do_not_call
    assert history(db, lead_id)[-1][:3] == ("do_not_call", "no", "yes")
