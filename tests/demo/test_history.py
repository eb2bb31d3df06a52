"""The demo desk's past: every lifecycle state, answers on connected calls, enrolments,
callbacks due today, do-not-call entries and the history behind them (both backends)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from teleprospect.core.callback_slots import next_call_slot
from teleprospect.core.decisions import DecisionKind
from teleprospect.core.domain import Disposition, HistoryKind
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.nurture import TouchKind, Track, step_due_at
from teleprospect.core.queue_policy import CallingHours, QueueTier, is_callable_now
from teleprospect.core.scripts import DisqualifyReason, from_json, readiness, visible_questions
from teleprospect.demo.loader import load_demo
from teleprospect.services.calls.lead_detail import lead_detail
from teleprospect.services.calls.scripts import active_script
from teleprospect.services.queue.page import queue_page
from teleprospect.services.scoring.scores import score_breakdown
from teleprospect.store.database import Database
from teleprospect.store.migrate import upgrade_to_head
from teleprospect.store.models import (
    Call,
    CallAnswer,
    CallbackEntry,
    DoNotCallEntry,
    Lead,
    LeadAnswer,
    LeadHistory,
    NurtureEnrollment,
    NurtureTrack,
    User,
)

# Friday 14 March 2025, 15:09 UTC: working hours in Europe and on the US east coast.
NOW = datetime(2025, 3, 14, 15, 9, 26, tzinfo=UTC)


@pytest.fixture
def desk(db: Database) -> Database:
    load_demo(db, leads=2000, seed=5, now=NOW, handoffs=False)
    return db


def by_lead(rows: Any) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = {}
    for row in rows:
        found.setdefault(row[0], []).append(row[1:])
    return found


def test_leads_are_in_every_state_a_desk_in_use_has(desk: Database) -> None:
    with desk.read() as s:
        leads = s.scalars(select(Lead)).all()
        statuses = Counter(lead.status for lead in leads)
        history = by_lead(
            s.execute(
                select(LeadHistory.lead_id, LeadHistory.kind, LeadHistory.from_value,
                       LeadHistory.to_value, LeadHistory.reason, LeadHistory.at)
                .order_by(LeadHistory.lead_id, LeadHistory.at, LeadHistory.id)
            )
        )  # fmt: skip
        first_calls = dict(
            s.execute(
                select(Call.lead_id, Call.started_at).order_by(Call.lead_id, Call.started_at.desc())
            ).all()
        )
        listed = set(s.execute(select(DoNotCallEntry.phone_e164, DoNotCallEntry.email)).all())
    assert set(statuses) == {
        LeadStatus.NEW,
        LeadStatus.WORKING,
        LeadStatus.NURTURE,
        LeadStatus.SALES_READY,
        LeadStatus.DISQUALIFIED,
    }
    for status in (LeadStatus.SALES_READY, LeadStatus.DISQUALIFIED):
        assert statuses[status] >= 10, status
    dnc = [lead for lead in leads if lead.do_not_call]
    assert len(dnc) >= 3
    for lead in leads:
        rows = history.get(lead.id, [])
        if lead.status is LeadStatus.NEW:
            assert rows == []
            continue
        # Every change has its row, the first when the lead was first called.
        assert rows[0][:4] == (HistoryKind.STATUS, "new", "working", "first call")
        assert rows[0][4] == first_calls[lead.id]
        changes = [(r[1], r[2]) for r in rows if r[0] is HistoryKind.STATUS]
        assert changes[-1][1] == lead.status.value
        if lead.status is LeadStatus.DISQUALIFIED:
            reason = [r[3] for r in rows if r[2] == "disqualified"][0]
            assert any(reason.startswith(r.label) for r in DisqualifyReason), reason
        if lead.do_not_call:
            assert any(r[0] is HistoryKind.DO_NOT_CALL for r in rows)
            assert lead.next_action_at is None
            assert (lead.phone_e164, None) in listed or lead.phone_e164 is None
            assert (None, lead.email) in listed or lead.email is None


def test_connected_calls_carry_typed_answers_that_score_and_qualify(desk: Database) -> None:
    script = active_script(desk).script
    with desk.read() as s:
        leads = {lead.id: lead for lead in s.scalars(select(Lead))}
        calls = s.scalars(select(Call).order_by(Call.lead_id, Call.started_at)).all()
        call_answers = by_lead(
            s.execute(select(CallAnswer.call_id, CallAnswer.question_id, CallAnswer.value))
        )
        known = by_lead(
            s.execute(select(LeadAnswer.lead_id, LeadAnswer.question_id, LeadAnswer.value,
                             LeadAnswer.call_id))
        )  # fmt: skip
    decided = Counter(call.decision_kind for call in calls if call.decision_kind)
    assert set(decided) == set(DecisionKind)
    assert all(call.duration_s and call.dialed_number for call in calls)
    assert all(
        call.script_version_id is not None
        for call in calls
        if call.disposition in (Disposition.CONNECTED, Disposition.CALLBACK_REQUESTED)
    )
    answered = [call for call in calls if call.id in call_answers]
    assert len(answered) >= 100
    for call in answered:
        given = {qid: from_json(script.question(qid), raw) for qid, raw in call_answers[call.id]}
        # Only questions the answers show are answered (no budget amount without a budget).
        assert set(given) <= {q.id for q in visible_questions(script, given)}
        # The lead knows what was said on the call.
        assert {(qid, raw, call.id) for qid, raw in call_answers[call.id]} == set(
            known[call.lead_id]
        )
        lead = leads[call.lead_id]
        if call.decision_kind is DecisionKind.SALES_READY:
            assert lead.status is LeadStatus.SALES_READY
            assert readiness(script, given, lead.score, 75).ready
        if call.decision_kind is DecisionKind.EXCEPTION:
            # An exception is for a lead the rule does not pass yet.
            assert not readiness(script, given, lead.score, 75).ready
    sales_ready = next(c for c in answered if c.decision_kind is DecisionKind.SALES_READY)
    breakdown = score_breakdown(desk, sales_ready.lead_id, now=NOW)
    reasons = [line.reason for line in breakdown.lines]
    assert "Need: yes" in reasons and "Budget: yes" in reasons
    # The stored score is the one the rules give, answers included.
    assert breakdown.total == leads[sales_ready.lead_id].score >= 75


def test_nurture_leads_sit_in_a_track_and_come_back_at_their_next_call_step(
    desk: Database,
) -> None:
    with desk.read() as s:
        nurture = s.scalars(select(Lead).where(Lead.status == LeadStatus.NURTURE)).all()
        enrolments = {
            row.lead_id: (row, Track.from_dict(definition))
            for row, definition in s.execute(
                select(NurtureEnrollment, NurtureTrack.definition).join(NurtureTrack)
            )
        }
    assert len(nurture) >= 50
    assert {lead.id for lead in nurture} == set(enrolments)
    keys = Counter(track.key for _, track in enrolments.values())
    assert len(keys) >= 3, keys
    for lead in nurture:
        row, track = enrolments[lead.id]
        assert row.ended_at is None and lead.attempts == 0
        calls = [
            step_due_at(track, i, row.starts_at)
            for i, step in enumerate(track.steps)
            # Day 0's call is the call that decided it (due at the start, or at 09:00 of
            # that business day when it was made earlier).
            if step.is_call and (i > 0 or step.kind is not TouchKind.CALL)
        ]
        # The call step falls due at its first good slot: a weekday, in the lead's hours.
        slot = next_call_slot(lead.call_zones.split(), calls[0], CallingHours())
        assert lead.next_action_at == (slot or calls[0])
        if row.step_index < len(track.steps):
            assert row.next_touch_at == step_due_at(track, row.step_index, row.starts_at)
    due = [lead for lead in nurture if lead.next_action_at <= NOW]
    assert due, "some nurture leads have a call step due"


def test_callbacks_due_today_lead_their_owners_queues(desk: Database) -> None:
    with desk.read() as s:
        callbacks = s.execute(
            select(CallbackEntry, Lead.call_zones, Lead.next_action_at, Lead.status).join(Lead)
        ).all()
        logins = dict(s.execute(select(User.id, User.login)).all())
    today = [cb for cb, *_ in callbacks if cb.due_at.date() == NOW.date()]
    assert len(today) >= 10 and any(cb.owner_id is None for cb, *_ in callbacks)
    for callback, _zones, next_action, status in callbacks:
        assert callback.done_at is None and next_action == callback.due_at
        assert status is LeadStatus.WORKING
    due_now = [
        cb
        for cb, zones, *_ in callbacks
        if cb.owner_id is not None
        and cb.due_at <= NOW
        and is_callable_now(zones.split(), NOW, CallingHours.legal_limit()).ok
    ]
    assert due_now
    owner = due_now[0].owner_id
    page = queue_page(desk, owner, now=NOW, limit=5)
    assert page[0].tier is QueueTier.MY_CALLBACK, logins[owner]
    detail = lead_detail(desk, page[0].lead_id, now=NOW)
    assert detail.open_callbacks and detail.calls[-1].disposition_label == "Callback requested"


def snapshot(db: Database) -> list[tuple[Any, ...]]:
    """The past, with ids replaced by what they point at."""
    with db.read() as s:
        # Who and when make a lead unique: rows sort by it before any value (SQLite hands a
        # whole float in a JSON column back as an int, and 50000 == 50000.0 but not in repr).
        email = {
            row.id: f"{row.first_name} {row.last_name} {row.email} {row.created_at}"
            for row in s.execute(
                select(Lead.id, Lead.first_name, Lead.last_name, Lead.email, Lead.created_at)
            )
        }
        started = dict(s.execute(select(Call.id, Call.started_at)).all())
        rows: list[tuple[Any, ...]] = []
        rows += sorted(
            (
                (email[r.lead_id], r.kind.value, r.from_value, r.to_value, r.reason, r.at)
                for r in s.scalars(select(LeadHistory))
            ),
            key=repr,
        )
        rows += sorted(
            (
                (email[r.lead_id], r.question_id, r.value, started[r.call_id])
                for r in s.scalars(select(LeadAnswer))
            ),
            key=repr,
        )
        rows += sorted(
            (
                (email[r.lead_id], r.due_at, r.owner_id is None, r.at_lead_request)
                for r in s.scalars(select(CallbackEntry))
            ),
            key=repr,
        )
        rows += sorted(
            (
                (email[r.lead_id], r.starts_at, r.step_index, r.next_touch_at)
                for r in s.scalars(select(NurtureEnrollment))
            ),
            key=repr,
        )
        rows += sorted(
            (r.phone_e164 or "", r.email or "") for r in s.scalars(select(DoNotCallEntry))
        )
    return rows


def test_the_same_seed_gives_the_same_past(db: Database, tmp_path: Path) -> None:
    other = Database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    try:
        upgrade_to_head(other)
        load_demo(db, leads=500, seed=9, now=NOW, handoffs=False)
        load_demo(other, leads=500, seed=9, now=NOW, handoffs=False)
        first, second = snapshot(db), snapshot(other)
    finally:
        other.dispose()
    assert len(first) > 300
    assert first == second


def test_appending_keeps_the_do_not_call_list_free_of_repeats(db: Database) -> None:
    def listed() -> tuple[list[Any], int]:
        with db.read() as s:
            entries = s.execute(select(DoNotCallEntry.phone_e164, DoNotCallEntry.email)).all()
            flagged = s.scalars(select(Lead.id).where(Lead.do_not_call.is_(True))).all()
        return entries, len(flagged)

    load_demo(db, leads=1500, seed=2, now=NOW, handoffs=False)
    entries, flagged = listed()
    assert entries and flagged
    # The same seed again: the same people, so the same numbers and emails.
    load_demo(db, leads=1500, seed=2, now=NOW, append=True, handoffs=False)
    assert listed() == (entries, 2 * flagged)
