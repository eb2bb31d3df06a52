"""The workstation's journal: one entry per call kept, in order, in a file of its own that
a crash does not lose; reading a journal never made makes nothing."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from teleprospect.core.decisions import DecisionKind
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.offline import LeadState
from teleprospect.services.calls.decisions import Decision
from teleprospect.services.offline.actions import call_payload, call_summary, keep_call, read_call
from teleprospect.services.offline.journal import EntryState, Journal

AT = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
BASE = LeadState(4, LeadStatus.WORKING, 1, False)


def test_reading_a_journal_never_made_makes_nothing(tmp_path: Path) -> None:
    journal = Journal("PostgreSQL rep@db/leads", tmp_path / "journal")
    assert journal.waiting() == [] and journal.count() == 0 and journal.offline_since() is None
    assert not (tmp_path / "journal").exists()


def test_calls_are_kept_in_order_with_their_base_and_survive_a_new_process(tmp_path: Path) -> None:
    journal = Journal("PostgreSQL rep@db/leads", tmp_path)
    callback = Decision(
        DecisionKind.CALLBACK, callback_at=AT + timedelta(days=1), note="after 10", personal=False
    )
    first = keep_call(
        journal,
        lead_id=7,
        login="rep.one",
        user_id=1,
        lead_name="Lena Vogel",
        base=BASE,
        seen_at=AT - timedelta(minutes=5),
        payload=call_payload(disposition="connected", notes="Wants  a\ndemo.", decision=callback),
        taken_at=AT,
    )
    second = keep_call(
        journal,
        lead_id=8,
        login="dialer",
        as_login="rep.one",
        payload=call_payload(disposition="no_answer", answer_texts={"budget": "25k"}),
        taken_at=AT + timedelta(minutes=1),
    )
    assert (first.waiting, second.waiting) == (1, 2)
    assert first.summary == (
        "Server unreachable: the call with Lena Vogel was saved on this computer and will be"
        " sent when the server is back (1 waiting)."
    )
    # Another process (the command line beside the app) reads the same file.
    again = Journal("PostgreSQL rep@db/leads", tmp_path)
    kept = again.waiting()
    assert [entry.lead_id for entry in kept] == [7, 8]
    assert kept[0].base == BASE and kept[0].seen_at == AT - timedelta(minutes=5)
    assert kept[0].summary == "Connected; team callback Thu 26 Nov 15:00 UTC; “Wants a demo.”"
    assert read_call(kept[0].payload).decision == callback
    # Unknown base: the lead counts as known when this workstation last saw the server.
    assert kept[1].base is None
    assert kept[1].seen_at == AT - timedelta(minutes=5) == again.offline_since()
    assert read_call(kept[1].payload).answer_texts == {"budget": "25k"}
    assert call_summary(kept[1].payload) == "No answer"
    # Another database's journal is another file.
    assert Journal("PostgreSQL rep@other/leads", tmp_path).waiting() == []


def test_settled_entries_stop_waiting_and_keep_their_result(tmp_path: Path) -> None:
    journal = Journal("key", tmp_path)
    ids = [
        keep_call(
            journal, lead_id=7, login="rep", payload=call_payload(disposition="busy"), taken_at=AT
        ).entry.client_action_id
        for _ in range(3)
    ]
    after = LeadState(6, LeadStatus.WORKING, 1, False)
    journal.settle(ids[0], EntryState.APPLIED, result=after, call_id=41)
    journal.settle(
        ids[1], EntryState.REVIEW, reason="The lead was reassigned to Rep Two meanwhile."
    )
    assert [entry.client_action_id for entry in journal.waiting()] == [ids[2]]
    assert journal.count(EntryState.REVIEW) == 1
    assert journal.result_before(7, journal.entry(ids[2]).seq) == after  # type: ignore[union-attr]
    assert journal.offline_since() is not None
    journal.settle(ids[2], EntryState.APPLIED)
    assert journal.offline_since() is None  # nothing waits: the outage is over


def test_the_same_action_kept_twice_is_one_entry(tmp_path: Path) -> None:
    journal = Journal("key", tmp_path)
    for _ in range(2):
        keep_call(
            journal,
            client_action_id="c0ffee00-0000-4000-8000-000000000001",
            lead_id=7,
            login="rep",
            payload=call_payload(disposition="busy"),
            taken_at=AT,
        )
    assert journal.count() == 1
    with sqlite3.connect(journal.path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
