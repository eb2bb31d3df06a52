"""Logging calls: claims, retry rules, answers kept across calls, every decision kind, and
refused decisions that write nothing (both backends)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from teleprospect.core.decisions import DecisionKind
from teleprospect.core.domain import Disposition
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.nurture import default_tracks, step_due_at
from teleprospect.core.queue_policy import ExhaustedOutcome, QueueTier, RetryRules
from teleprospect.core.scripts import AnswerError
from teleprospect.services.calls.decisions import Decision, DecisionRefused, check_decision
from teleprospect.services.calls.log_call import (
    CallNotAllowed,
    ClaimRequired,
    log_call,
    start_call,
)
from teleprospect.services.calls.readiness import lead_readiness
from teleprospect.services.queue.claims import claim_next
from teleprospect.services.queue.page import queue_page
from teleprospect.services.settings.team_settings import RETRY_RULES, write_setting
from teleprospect.store.database import Database
from teleprospect.store.models import (
    Call,
    CallAnswer,
    CallbackEntry,
    DoNotCallEntry,
    LeadAnswer,
    NurtureEnrollment,
    NurtureTrack,
)
from tests.services.call_fixtures import (
    NOW,
    add_campaign,
    add_lead,
    add_users,
    claim,
    counts,
    history,
    lead,
)

READY_ANSWERS = {
    "need": True,
    "timeline": "this_quarter",
    "budget": True,
    "budget_amount": 60_000.0,
    "authority": "decision_maker",
}


@dataclass(frozen=True)
class Desk:
    db: Database
    me: int
    other: int
    #: A lead ``me`` holds.
    lead_id: int


@pytest.fixture
def desk(db: Database) -> Desk:
    me, other = add_users(db)
    lead_id = add_lead(db, add_campaign(db))
    claim(db, lead_id, me)
    return Desk(db, me, other, lead_id)


# ----------------------------------------------------------------------- claims and calls


def test_starting_a_call_needs_my_claim_and_records_the_attempt(db: Database) -> None:
    me, other = add_users(db)
    lead_id = add_lead(db)
    with pytest.raises(ClaimRequired, match="You have not claimed lead"):
        start_call(db, lead_id, me, now=NOW)
    claim(db, lead_id, other)
    with pytest.raises(ClaimRequired, match="held by Rep Two"):
        start_call(db, lead_id, me, now=NOW)

    started = start_call(db, lead_id, other, now=NOW)
    assert (started.lead_id, started.number, started.started_at) == (lead_id, "+4930901820", NOW)
    with db.read() as s:
        call = s.get(Call, started.call_id)
        assert call is not None and call.disposition is None and call.ended_at is None
        assert call.dialed_number == "+4930901820" and call.script_version_id is not None

    other_number = start_call(db, lead_id, other, number="+49 89 1234567", now=NOW)
    assert other_number.number == "+49 89 1234567"


def test_no_call_to_a_lead_on_the_do_not_call_list_or_outside_the_legal_hours(
    db: Database,
) -> None:
    me, _ = add_users(db)
    dnc = add_lead(db, do_not_call=True, email="a@b.de", phone_e164="+4930111111")
    late = add_lead(db, email="c@d.de", phone_e164="+4930222222")
    claim(db, dnc, me)
    with pytest.raises(CallNotAllowed, match="do-not-call"):
        start_call(db, dnc, me, now=NOW)
    night = NOW + timedelta(hours=5, minutes=30)  # 21:30 in Berlin
    claim(db, late, me, night)
    with pytest.raises(CallNotAllowed, match="between 08:00 and 21:00"):
        start_call(db, late, me, now=night)


def test_a_lead_held_by_someone_else_cannot_be_logged_but_an_unclaimed_one_can(
    db: Database,
) -> None:
    me, other = add_users(db)
    held = add_lead(db)
    free = add_lead(db, email="free@vogel.de", phone_e164="+4930901821")
    claim(db, held, other)
    before = counts(db)
    with pytest.raises(ClaimRequired, match="held by Rep Two"):
        log_call(db, held, me, disposition="no_answer", now=NOW)
    assert counts(db) == before

    logged = log_call(db, free, me, disposition=Disposition.BUSY, now=NOW)
    assert logged.status is LeadStatus.WORKING
    # Once the claim ran out, anyone may log a call.
    log_call(db, held, me, disposition="busy", now=NOW + timedelta(minutes=10))


def test_a_no_answer_follows_the_retry_rule_and_releases_the_claim(desk: Desk) -> None:
    db, me, lead_id = desk.db, desk.me, desk.lead_id
    started = start_call(db, lead_id, me, now=NOW)
    logged = log_call(
        db,
        lead_id,
        me,
        disposition="no_answer",
        call_id=started.call_id,
        notes="Rang out.",
        now=NOW + timedelta(seconds=40),
    )
    assert logged.status is LeadStatus.WORKING
    assert logged.next_action_at == NOW + timedelta(hours=4, seconds=40)
    assert "try again in 4 h" in logged.summary and "Lena Vogel" in logged.summary
    found = lead(db, lead_id)
    assert (found.attempts, found.claimed_by_id, found.last_attempt_at) == (
        1,
        None,
        NOW + timedelta(seconds=40),
    )
    assert found.version > 1
    with db.read() as s:
        call = s.get(Call, started.call_id)
        assert call is not None
        assert (call.disposition, call.duration_s, call.notes) == (
            Disposition.NO_ANSWER,
            40,
            "Rang out.",
        )
    assert history(db, lead_id) == [("status", "new", "working", "first call")]
    with pytest.raises(ValueError, match="logged already"):
        log_call(db, lead_id, me, disposition="busy", call_id=started.call_id, now=NOW)


@pytest.mark.parametrize(
    ("outcome", "status", "track"),
    [
        (ExhaustedOutcome.NURTURE, LeadStatus.NURTURE, True),
        (ExhaustedOutcome.CLOSED_UNREACHABLE, LeadStatus.DISQUALIFIED, False),
    ],
)
def test_when_attempts_run_out_the_team_setting_decides(
    db: Database, outcome: ExhaustedOutcome, status: LeadStatus, track: bool
) -> None:
    me, _ = add_users(db)
    lead_id = add_lead(db)
    write_setting(db, RETRY_RULES, RetryRules(max_attempts=2, on_exhausted=outcome), user_id=None)
    first = log_call(db, lead_id, me, disposition="no_answer", now=NOW)
    assert first.status is LeadStatus.WORKING
    second = log_call(db, lead_id, me, disposition="voicemail_left", now=NOW + timedelta(hours=5))
    assert second.status is status
    with db.read() as s:
        enrolled = s.scalar(select(NurtureEnrollment).where(NurtureEnrollment.lead_id == lead_id))
    assert (enrolled is not None) is track
    if track:
        assert "back to nurture" in second.summary
        assert lead(db, lead_id).attempts == 0, "a nurture call step starts a new round"
        assert second.next_action_at is not None and second.next_action_at > NOW
    else:
        assert "closed as unreachable" in second.summary
        assert history(db, lead_id)[-1][3].startswith("unreachable:")


def test_a_connected_call_without_a_decision_is_followed_up_next_business_day(desk: Desk) -> None:
    db, me, lead_id = desk.db, desk.me, desk.lead_id
    logged = log_call(db, lead_id, me, disposition="connected", now=NOW)
    assert logged.next_action_at == NOW + timedelta(days=1)
    assert lead(db, lead_id).attempts == 0, "reaching the person is no failed attempt"


def test_unknown_dispositions_and_questions_are_refused_and_write_nothing(desk: Desk) -> None:
    db, me, lead_id = desk.db, desk.me, desk.lead_id
    before = counts(db)
    with pytest.raises(ValueError, match="no disposition 'hung_up'"):
        log_call(db, lead_id, me, disposition="hung_up", now=NOW)
    with pytest.raises(AnswerError, match="has no question 'favourite_colour'"):
        log_call(
            db, lead_id, me, disposition="connected", answers={"favourite_colour": "x"}, now=NOW
        )
    with pytest.raises(AnswerError, match="yes or no"):
        log_call(db, lead_id, me, disposition="connected", answers={"need": "maybe"}, now=NOW)
    assert counts(db) == before
    assert lead(db, lead_id).claimed_by_id == me


# ----------------------------------------------------------------------- answers


def test_answers_are_kept_with_the_call_and_as_the_leads_known_answers(desk: Desk) -> None:
    db, me, lead_id = desk.db, desk.me, desk.lead_id
    fit_only = lead(db, lead_id).score
    first = log_call(
        db,
        lead_id,
        me,
        disposition="connected",
        answers={"need": True, "budget": True, "budget_amount": 20_000.0},
        decision=Decision(DecisionKind.CALLBACK, callback_at=NOW + timedelta(days=1)),
        now=NOW,
    )
    assert first.score == fit_only + 10 + 10 + 4, "answers feed the qualification points"
    assert lead(db, lead_id).score == first.score

    # The next call starts from what is known: only new answers are given.
    claim(db, lead_id, me, NOW + timedelta(days=1))
    live = lead_readiness(db, lead_id, {"timeline": "this_year"}, now=NOW)
    assert live.score == first.score + 6
    assert live.readiness.missing == ("Talking to a decision maker or influencer",)
    second = log_call(
        db,
        lead_id,
        me,
        disposition="connected",
        answers={"timeline": "this_year", "budget": False},
        decision=Decision(DecisionKind.CALLBACK, callback_at=NOW + timedelta(days=2)),
        now=NOW + timedelta(days=1),
    )
    with db.read() as s:
        known = dict(
            s.execute(
                select(LeadAnswer.question_id, LeadAnswer.value).where(
                    LeadAnswer.lead_id == lead_id
                )
            ).all()
        )
        per_call = s.execute(
            select(CallAnswer.call_id, CallAnswer.question_id, CallAnswer.value).order_by(
                CallAnswer.call_id, CallAnswer.question_id
            )
        ).all()
    # "No budget" makes the budget amount moot: it is no longer known.
    assert known == {"need": True, "budget": False, "timeline": "this_year"}
    assert per_call == [
        (first.call_id, "budget", True),
        (first.call_id, "budget_amount", 20_000.0),
        (first.call_id, "need", True),
        (second.call_id, "budget", False),
        (second.call_id, "timeline", "this_year"),
    ]
    assert second.score == fit_only + 10 - 5 + 6


# ----------------------------------------------------------------------- decisions


def test_sales_ready_is_refused_until_the_readiness_rule_holds_and_then_recorded(
    desk: Desk,
) -> None:
    db, me, lead_id = desk.db, desk.me, desk.lead_id
    before, version = counts(db), lead(db, lead_id).version
    partial = {k: v for k, v in READY_ANSWERS.items() if k != "authority"}
    with pytest.raises(DecisionRefused) as refused:
        log_call(
            db,
            lead_id,
            me,
            disposition="connected",
            notes="Keen.",
            answers=partial,
            decision=Decision(DecisionKind.SALES_READY),
            now=NOW,
        )
    assert refused.value.missing == ("Talking to a decision maker or influencer",)
    assert "Not sales-ready yet" in refused.value.reason
    # Refused: nothing of the call was written, the lead is untouched and still mine.
    assert counts(db) == before
    after = lead(db, lead_id)
    assert (after.version, after.status, after.claimed_by_id) == (version, LeadStatus.NEW, me)
    with pytest.raises(DecisionRefused):
        check_decision(db, lead_id, Decision(DecisionKind.SALES_READY), answers=partial, now=NOW)
    assert counts(db) == before

    check_decision(db, lead_id, Decision(DecisionKind.SALES_READY), answers=READY_ANSWERS, now=NOW)
    logged = log_call(
        db,
        lead_id,
        me,
        disposition="connected",
        answers=READY_ANSWERS,
        decision=Decision(DecisionKind.SALES_READY),
        now=NOW,
    )
    assert (logged.status, logged.next_action_at) == (LeadStatus.SALES_READY, None)
    assert logged.score >= 75 and "sales-ready" in logged.summary
    assert [h[:3] for h in history(db, lead_id)] == [
        ("status", "new", "working", "first call")[:3],
        ("status", "working", "sales_ready"),
    ]
    assert "readiness rule met" in history(db, lead_id)[-1][3]
    with db.read() as s:
        call = s.get(Call, logged.call_id)
        assert call is not None and call.decision_kind is DecisionKind.SALES_READY
    assert queue_page(db, me, now=NOW) == []


def test_an_exception_needs_a_reason_code_and_other_needs_a_note(desk: Desk) -> None:
    db, me, lead_id = desk.db, desk.me, desk.lead_id
    before = counts(db)
    for decision, message in (
        (Decision(DecisionKind.EXCEPTION), "Choose a reason"),
        (Decision(DecisionKind.EXCEPTION, reason="vip"), "Choose a reason"),
        (Decision(DecisionKind.EXCEPTION, reason="other"), "Say in the note"),
    ):
        with pytest.raises(DecisionRefused, match=message):
            log_call(db, lead_id, me, disposition="connected", decision=decision, now=NOW)
    assert counts(db) == before
    logged = log_call(
        db,
        lead_id,
        me,
        disposition="connected",
        decision=Decision(
            DecisionKind.EXCEPTION, reason="strategic_account", note="Group-wide rollout."
        ),
        now=NOW,
    )
    assert logged.status is LeadStatus.SALES_READY
    assert history(db, lead_id)[-1][3] == (
        "exception, best handled by a salesperson: Strategic account — Group-wide rollout."
    )


def test_nurture_enrols_in_the_track_and_its_call_step_brings_the_lead_back(desk: Desk) -> None:
    db, me, lead_id = desk.db, desk.me, desk.lead_id
    logged = log_call(
        db,
        lead_id,
        me,
        disposition="connected",
        decision=Decision(DecisionKind.NURTURE, track_key="twelve-touch", note="Next year."),
        now=NOW,
    )
    # The day-0 call is this one; the case study with a follow-up call comes 21 business
    # days later, at 09:00 in the lead's zone.
    twelve = next(t for t in default_tracks() if t.key == "twelve-touch")
    berlin = ZoneInfo("Europe/Berlin")
    due = step_due_at(twelve, 3, NOW, zone=berlin, country="DE")
    assert (logged.status, logged.next_action_at) == (LeadStatus.NURTURE, due)
    with db.read() as s:
        enrolment = s.scalar(select(NurtureEnrollment).where(NurtureEnrollment.lead_id == lead_id))
        assert enrolment is not None and enrolment.ended_at is None
        assert s.get(NurtureTrack, enrolment.track_id).key == "twelve-touch"  # type: ignore[union-attr]
        # Steps 0 and 1 (day 0) are touches already; step 2 is the next to fall due.
        assert (enrolment.step_index, enrolment.next_touch_at) == (
            2,
            step_due_at(twelve, 2, NOW, zone=berlin, country="DE"),
        )
    assert history(db, lead_id)[-3:] == [
        (
            "status",
            "working",
            "nurture",
            "back to nurture: 12-touch nurture (one year) — Next year.",
        ),
        ("nurture", None, "twelve-touch", "enrolled in 12-touch nurture (one year)"),
        # The track's day-0 call step is this call, recorded as done.
        ("nurture", None, None, "touch done: First-contact call (the call that enrolled the lead)"),
    ]
    # Out of the queue until the call step is due, then back by itself.
    assert lead_id not in [e.lead_id for e in queue_page(db, me, now=due - timedelta(days=1))]
    assert lead_id in [e.lead_id for e in queue_page(db, me, now=due)]
    claimed = claim_next(db, me, now=due)
    assert claimed is not None and claimed.lead_id == lead_id

    # The call step made, no decision: the lead stays in nurture until the next call step.
    again = log_call(db, lead_id, me, disposition="connected", now=due + timedelta(minutes=5))
    assert again.status is LeadStatus.NURTURE
    assert again.next_action_at == step_due_at(twelve, 7, NOW, zone=berlin, country="DE")


def test_nurture_defaults_to_the_first_suggested_track_and_a_chosen_first_touch(desk: Desk) -> None:
    db, me, lead_id = desk.db, desk.me, desk.lead_id
    first_touch = NOW + timedelta(days=3)
    logged = log_call(
        db,
        lead_id,
        me,
        disposition="connected",
        answers={"authority": "decision_maker"},
        decision=Decision(DecisionKind.NURTURE, next_touch_at=first_touch),
        now=NOW,
    )
    with db.read() as s:
        key = s.scalar(
            select(NurtureTrack.key)
            .join(NurtureEnrollment)
            .where(NurtureEnrollment.lead_id == lead_id)
        )
    assert key == "executive", "a CTO who decides gets the executive track"
    # The executive track's first call comes with its ROI study, 7 business days on.
    executive = next(t for t in default_tracks() if t.key == "executive")
    assert logged.next_action_at == step_due_at(
        executive, 1, first_touch, zone=ZoneInfo("Europe/Berlin"), country="DE"
    )
    with pytest.raises(DecisionRefused, match="no nurture track 'nope'"):
        check_decision(db, lead_id, Decision(DecisionKind.NURTURE, track_key="nope"), now=NOW)
    with pytest.raises(DecisionRefused, match="in the past"):
        check_decision(
            db,
            lead_id,
            Decision(DecisionKind.NURTURE, next_touch_at=NOW - timedelta(days=1)),
            now=NOW,
        )


def test_a_callback_outside_the_window_needs_the_leads_request_and_never_breaks_the_law(
    desk: Desk,
) -> None:
    db, me, lead_id = desk.db, desk.me, desk.lead_id
    before = counts(db)
    evening = NOW.replace(hour=18)  # 19:00 in Berlin: after the team's 17:00
    night = NOW.replace(hour=20, minute=30)  # 21:30 in Berlin: beyond the legal limit
    with pytest.raises(DecisionRefused, match="outside calling hours") as refused:
        log_call(
            db,
            lead_id,
            me,
            disposition="callback_requested",
            decision=Decision(DecisionKind.CALLBACK, callback_at=evening),
            now=NOW,
        )
    assert "If the lead asked for that time" in refused.value.reason
    with pytest.raises(DecisionRefused, match="never allowed before 08:00 or after 21:00"):
        log_call(
            db,
            lead_id,
            me,
            disposition="callback_requested",
            decision=Decision(DecisionKind.CALLBACK, callback_at=night, at_lead_request=True),
            now=NOW,
        )
    with pytest.raises(DecisionRefused, match="has passed"):
        check_decision(db, lead_id, Decision(DecisionKind.CALLBACK, callback_at=NOW), now=NOW)
    assert counts(db) == before

    logged = log_call(
        db,
        lead_id,
        me,
        disposition="callback_requested",
        decision=Decision(
            DecisionKind.CALLBACK, callback_at=evening, at_lead_request=True, note="After work."
        ),
        now=NOW,
    )
    assert (logged.status, logged.next_action_at) == (LeadStatus.WORKING, evening)
    with db.read() as s:
        callback = s.scalar(select(CallbackEntry).where(CallbackEntry.lead_id == lead_id))
        assert callback is not None
        assert (callback.owner_id, callback.at_lead_request, callback.note) == (
            me,
            True,
            "After work.",
        )
    assert history(db, lead_id)[-1][:3] == ("callback", None, evening.isoformat("T", "minutes"))
    page = queue_page(db, me, now=evening)
    assert page[0].lead_id == lead_id and page[0].tier is QueueTier.MY_CALLBACK

    # A team callback replaces it; calling after it fell due keeps the promise.
    claim(db, lead_id, me, evening)
    tomorrow = NOW + timedelta(days=1)
    log_call(
        db,
        lead_id,
        me,
        disposition="callback_requested",
        decision=Decision(DecisionKind.CALLBACK, callback_at=tomorrow, personal=False),
        now=evening,
    )
    with db.read() as s:
        open_ = s.scalars(
            select(CallbackEntry.owner_id).where(
                CallbackEntry.lead_id == lead_id, CallbackEntry.done_at.is_(None)
            )
        ).all()
    assert open_ == [None]
    log_call(db, lead_id, me, disposition="connected", now=tomorrow + timedelta(minutes=1))
    with db.read() as s:
        assert (
            s.scalar(
                select(CallbackEntry.id).where(
                    CallbackEntry.lead_id == lead_id, CallbackEntry.done_at.is_(None)
                )
            )
            is None
        )


def test_disqualify_needs_a_reason_and_takes_the_lead_out_for_good(desk: Desk) -> None:
    db, me, lead_id = desk.db, desk.me, desk.lead_id
    with pytest.raises(DecisionRefused, match="Choose a reason to disqualify"):
        log_call(
            db, lead_id, me, disposition="not_interested",
            decision=Decision(DecisionKind.DISQUALIFY), now=NOW,
        )  # fmt: skip
    with pytest.raises(DecisionRefused, match="why the lead is disqualified"):
        log_call(
            db, lead_id, me, disposition="not_interested",
            decision=Decision(DecisionKind.DISQUALIFY, reason="other"), now=NOW,
        )  # fmt: skip
    logged = log_call(
        db,
        lead_id,
        me,
        disposition="not_interested",
        decision=Decision(DecisionKind.DISQUALIFY, reason="competitor", note="Works for Acme."),
        now=NOW,
    )
    assert (logged.status, logged.next_action_at) == (LeadStatus.DISQUALIFIED, None)
    assert history(db, lead_id)[-1] == (
        "status",
        "working",
        "disqualified",
        "Competitor — Works for Acme.",
    )
    # A final state: no decision moves it again.
    claim(db, lead_id, me)
    with pytest.raises(DecisionRefused, match="cannot go from Disqualified"):
        check_decision(db, lead_id, Decision(DecisionKind.NURTURE), now=NOW)


@pytest.mark.parametrize("by_decision", [True, False])
def test_do_not_call_suppresses_the_numbers_and_email_for_good(
    db: Database, by_decision: bool
) -> None:
    me, _ = add_users(db)
    lead_id = add_lead(db)
    same_email = add_lead(db, phone_e164="+4930999999", phone_raw="030 999999")
    claim(db, lead_id, me)
    logged = log_call(
        db,
        lead_id,
        me,
        disposition="do_not_call" if by_decision is False else "connected",
        decision=Decision(DecisionKind.DO_NOT_CALL, note="Asked firmly.") if by_decision else None,
        now=NOW,
    )
    assert "do-not-call list" in logged.summary and logged.next_action_at is None
    with db.read() as s:
        listed = s.execute(select(DoNotCallEntry.phone_e164, DoNotCallEntry.email)).all()
    assert sorted(listed, key=str) == sorted(
        [("+4930901820", None), (None, "lena.vogel@vogel.de")], key=str
    )
    assert lead(db, lead_id).do_not_call and lead(db, same_email).do_not_call
    assert history(db, lead_id)[-1][:3] == ("do_not_call", "no", "yes")
    assert "same number or email as lead" in history(db, same_email)[-1][3]
    assert queue_page(db, me, now=NOW) == []
    with pytest.raises(DecisionRefused, match="do-not-call list"):
        check_decision(
            db, lead_id, Decision(DecisionKind.CALLBACK, callback_at=NOW + timedelta(days=1))
        )


def test_a_do_not_call_outcome_cannot_come_with_a_sales_decision(desk: Desk) -> None:
    db, me, lead_id = desk.db, desk.me, desk.lead_id
    with pytest.raises(DecisionRefused, match="cannot also be sales-ready by exception"):
        log_call(
            db,
            lead_id,
            me,
            disposition="do_not_call",
            decision=Decision(DecisionKind.EXCEPTION, reason="urgent_request"),
            now=NOW,
        )
