"""Issue "Never locked out, never lost", part 2: a rep's work goes on through a server outage.

A real PostgreSQL server of the test's own is stopped in the middle of a session: the rep
goes on saving calls through the service the call workspace uses (:func:`save_call`), they
are kept in the workstation's journal, and when the server is back the replay records each
exactly once, in order, also when it runs again or the workstation crashed half-way; a lead
a team lead reassigned meanwhile goes to review instead of being overwritten.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from teleprospect.core.decisions import DecisionKind
from teleprospect.core.domain import UserRole
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.offline import LeadState, OfflineOutcome
from teleprospect.services.calls.decisions import Decision
from teleprospect.services.calls.lead_detail import lead_detail
from teleprospect.services.calls.log_call import LoggedCall, log_call
from teleprospect.services.calls.scripts import ScriptVersion, active_script
from teleprospect.services.database import open_database
from teleprospect.services.offline.actions import KeptCall, call_payload, keep_call
from teleprospect.services.offline.connection import server_is_back
from teleprospect.services.offline.journal import EntryState, Journal
from teleprospect.services.offline.replay import replay_journal
from teleprospect.services.offline.review import (
    apply_anyway,
    discard_entry,
    review_list,
)
from teleprospect.services.offline.saving import save_call
from teleprospect.services.team.reassign import LeadSelection, ReassignRequest, reassign
from teleprospect.store.database import Database
from teleprospect.store.models import Call, CallbackEntry, Lead, OfflineAction, User
from tests.pg_server import LocalServer
from tests.services.call_fixtures import NOW, add_campaign, add_lead, claim

pytestmark = pytest.mark.postgresql

BERLIN_THURSDAY_10 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # 10:00 in Berlin
BERLIN_FRIDAY_11 = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
SAVE_ID = "c0ffee00-0000-4000-8000-000000000001"


@dataclass
class Desk:
    server: LocalServer
    db: Database
    journal: Journal
    rep: int
    other_rep: int
    team_lead: int
    #: Leads the rep holds; the last one is reassigned while the rep is offline.
    leads: list[int]
    script: ScriptVersion
    #: Each lead as the call workspace read it when it opened, before the outage.
    opened: dict[int, LeadState] = field(default_factory=dict)

    def save(self, lead_id: int, minute: int, disposition: str, **fields: Any) -> Any:
        """Save a call as the call workspace does, ``minute`` minutes into the session."""
        return save_call(
            self.db,
            self.journal,
            lead_id,
            self.rep,
            login="rep.one",
            disposition=disposition,
            script=self.script,
            base=self.opened[lead_id],
            seen_at=NOW,
            lead_name=f"lead {lead_id}",
            now=NOW + timedelta(minutes=minute),
            **fields,
        )


@pytest.fixture
def session(private_pg: LocalServer, private_pg_url: str, tmp_path: Path) -> Iterator[Desk]:
    """A session going: the rep holds five leads, each opened in the call workspace."""
    db = open_database(private_pg_url).db
    with db.write() as s:
        users = [
            User(login="rep.one", name="Rep One"),
            User(login="rep.two", name="Rep Two"),
            User(login="boss", name="Maria Boss", role=UserRole.TEAM_LEAD),
        ]
        s.add_all(users)
        s.flush()
        rep, other, boss = (u.id for u in users)
    campaign = add_campaign(db)
    leads = [
        add_lead(db, campaign, email=f"l{i}@vogel.de", phone_e164=f"+49309018{i:02d}", owner_id=rep)
        for i in range(5)
    ]
    for lead_id in leads:
        claim(db, lead_id, rep)
    journal = Journal(db.describe(), tmp_path / "journal")
    desk = Desk(private_pg, db, journal, rep, other, boss, leads, active_script(db))
    for lead_id in leads:
        detail = lead_detail(db, lead_id, now=NOW)
        desk.opened[lead_id] = LeadState(
            detail.version, detail.status, detail.owner_id, detail.do_not_call
        )
    yield desk
    db.dispose()


def calls_by_client_id(db: Database) -> dict[str, list[int]]:
    with db.read() as s:
        found: dict[str, list[int]] = {}
        for call_id, client_id in s.execute(
            select(Call.id, Call.client_action_id).where(Call.client_action_id.is_not(None))
        ):
            found.setdefault(client_id, []).append(call_id)
        return found


def count(db: Database, model: type) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_calls_saved_with_the_server_down_are_recorded_once_in_order_a_reassigned_lead_reviewed(
    session: Desk,
) -> None:
    db, journal = session.db, session.journal
    l1, l2, l3, l4, l5 = session.leads
    ready = {"need": True, "timeline": "this_quarter", "budget": True}

    session.server.stop()
    assert not server_is_back(db)
    callback_1 = Decision(DecisionKind.CALLBACK, callback_at=BERLIN_THURSDAY_10, note="after lunch")
    callback_2 = Decision(DecisionKind.CALLBACK, callback_at=BERLIN_FRIDAY_11, personal=False)
    saved = [
        session.save(l1, 1, "no_answer"),
        session.save(l2, 2, "voicemail_left", notes="Left a message."),
        session.save(l3, 3, "connected", answers=ready, decision=callback_1),
        session.save(l4, 4, "busy"),
        session.save(l1, 5, "connected", notes="Asked for the paper again."),
        session.save(l2, 6, "gatekeeper", decision=callback_2),
        session.save(l4, 7, "not_interested", duration_s=40),
        session.save(l5, 8, "connected", notes="Wants a demo."),
    ]
    assert all(isinstance(kept, KeptCall) for kept in saved)
    assert [kept.waiting for kept in saved] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert saved[-1].summary == (
        f"Server unreachable: the call with lead {l5} was saved on this computer and will be"
        " sent when the server is back (8 waiting)."
    )
    ids = [kept.entry.client_action_id for kept in saved]
    assert len(set(ids)) == 8

    # The server is back; before this workstation notices, a team lead gives lead 5 to
    # another rep.
    session.server.start()
    assert server_is_back(db)
    reassign(
        db,
        ReassignRequest(LeadSelection(lead_ids=(l5,)), (session.other_rep,), include_claimed=True),
        session.team_lead,
        now=NOW + timedelta(minutes=10),
    )

    report = replay_journal(db, journal, now=NOW + timedelta(minutes=12))
    assert (len(report.applied), len(report.review), report.waiting) == (7, 1, 0)
    assert journal.count() == 0 and journal.count(EntryState.REVIEW) == 1

    calls = calls_by_client_id(db)
    assert set(calls) == set(ids[:7])  # the reassigned lead's call was not applied
    assert all(len(found) == 1 for found in calls.values())  # exactly once
    in_order = [calls[client_id][0] for client_id in ids[:7]]
    assert in_order == sorted(in_order)  # in the order the rep made them
    with db.read() as s:
        taken = [s.get(Call, call_id).ended_at for call_id in in_order]  # type: ignore[union-attr]
        assert taken == [NOW + timedelta(minutes=m) for m in range(1, 8)]
        callbacks = s.scalars(select(CallbackEntry).order_by(CallbackEntry.due_at)).all()
        assert [(c.lead_id, c.due_at, c.owner_id) for c in callbacks] == [
            (l3, BERLIN_THURSDAY_10, session.rep),
            (l2, BERLIN_FRIDAY_11, None),
        ]
        lead5 = s.get(Lead, l5)
        assert lead5 is not None and lead5.owner_id == session.other_rep and lead5.attempts == 0
        assert s.get(Lead, l3).status is LeadStatus.WORKING  # type: ignore[union-attr]
        outcomes = dict(
            s.execute(select(OfflineAction.client_action_id, OfflineAction.outcome)).all()
        )
    assert outcomes == {
        **dict.fromkeys(ids[:7], OfflineOutcome.APPLIED),
        ids[7]: OfflineOutcome.REVIEW,
    }

    [held] = review_list(db, session.rep)
    assert held.client_action_id == ids[7] and held.lead_id == l5
    assert held.reason == "The lead was reassigned to Rep Two meanwhile."
    assert held.summary == "Connected; “Wants a demo.”" and held.can_apply_anyway
    # The team lead sees the team's review list; the other rep has nothing of theirs.
    assert [item.client_action_id for item in review_list(db, session.team_lead, team=True)] == [
        ids[7]
    ]
    assert review_list(db, session.other_rep, team=True) == []

    # Sending again applies nothing twice.
    again = replay_journal(db, journal, now=NOW + timedelta(minutes=13))
    assert again.sent == 0 and again.describe() == "Nothing was waiting to be sent."
    assert calls_by_client_id(db) == calls

    # The rep decides: the call happened, so it is logged anyway; the lead stays Rep Two's.
    logged = apply_anyway(db, ids[7], session.rep, journal=journal, now=NOW + timedelta(minutes=14))
    assert logged.lead_id == l5
    assert journal.entry(ids[7]).state is EntryState.APPLIED  # type: ignore[union-attr]
    assert review_list(db, session.rep) == []
    with db.read() as s:
        assert s.get(Lead, l5).owner_id == session.other_rep  # type: ignore[union-attr]
    assert len(calls_by_client_id(db)[ids[7]]) == 1


def test_a_crash_between_the_servers_commit_and_marking_the_entry_applies_nothing_twice(
    session: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, journal = session.db, session.journal
    session.server.stop()
    first = session.save(session.leads[0], 1, "no_answer")
    second = session.save(session.leads[1], 2, "busy")
    session.server.start()

    real_settle = Journal.settle

    def crash(self: Journal, *args: object, **kwargs: object) -> None:
        raise OSError("the workstation went down")

    monkeypatch.setattr(Journal, "settle", crash)
    with pytest.raises(OSError):
        replay_journal(db, journal, now=NOW + timedelta(minutes=5))
    assert journal.count() == 2  # nothing marked: as after a crash
    assert count(db, Call) == 1  # but the server has the first call

    monkeypatch.setattr(Journal, "settle", real_settle)
    report = replay_journal(db, journal, now=NOW + timedelta(minutes=6))
    assert (len(report.applied), len(report.review), journal.count()) == (2, 0, 0)
    calls = calls_by_client_id(db)
    assert sorted(calls) == sorted([first.entry.client_action_id, second.entry.client_action_id])
    assert all(len(found) == 1 for found in calls.values())


def test_a_call_the_server_logged_although_its_answer_was_lost_is_recognised(
    session: Desk,
) -> None:
    db, journal, lead_id = session.db, session.journal, session.leads[0]
    logged = log_call(
        db, lead_id, session.rep, disposition="no_answer", client_action_id=SAVE_ID, now=NOW
    )
    # The workstation never heard back and kept the same save.
    keep_call(
        journal,
        client_action_id=SAVE_ID,
        lead_id=lead_id,
        login="rep.one",
        user_id=session.rep,
        payload=call_payload(disposition="no_answer"),
        taken_at=NOW,
    )
    report = replay_journal(db, journal, now=NOW + timedelta(minutes=1))
    assert [outcome.call_id for outcome in report.applied] == [logged.call_id]
    assert count(db, Call) == 1
    # And logging it again online is the same call, once.
    again = log_call(
        db, lead_id, session.rep, disposition="no_answer", client_action_id=SAVE_ID, now=NOW
    )
    assert isinstance(again, LoggedCall) and again.call_id == logged.call_id
    assert count(db, Call) == 1


def test_a_lead_decided_or_held_by_someone_else_meanwhile_goes_to_review_and_can_be_discarded(
    session: Desk,
) -> None:
    db, journal = session.db, session.journal
    decided, held = session.leads[0], session.leads[1]
    session.server.stop()
    session.save(decided, 1, "no_answer")
    session.save(held, 2, "connected")
    session.server.start()
    # Meanwhile: another rep takes the first lead (the rep's claim ran out), calls it and
    # disqualifies it; and holds the second one right now.
    later = NOW + timedelta(minutes=20)
    claim(db, decided, session.other_rep, later)
    log_call(
        db,
        decided,
        session.other_rep,
        disposition="connected",
        decision=Decision(DecisionKind.DISQUALIFY, reason="no_need"),
        now=later,
    )
    claim(db, held, session.other_rep, later)

    report = replay_journal(db, journal, now=later + timedelta(minutes=1))
    assert [outcome.text for outcome in report.review] == [
        "Rep Two changed the lead to Disqualified meanwhile.",
        "Rep Two holds the lead right now.",
    ]
    items = {item.lead_id: item for item in review_list(db, session.rep, now=later)}
    assert items[held].why_not == "Rep Two holds the lead right now; try again when they are done."
    assert items[decided].can_apply_anyway
    discard_entry(db, items[held].client_action_id, session.rep, journal=journal)
    assert [item.lead_id for item in review_list(db, session.rep, now=later)] == [decided]
    assert journal.count(EntryState.DISCARDED) == 1
    with db.read() as s:
        assert s.get(Lead, held).attempts == 0  # type: ignore[union-attr]


def test_a_call_saved_once_the_server_is_back_goes_after_those_kept_before(session: Desk) -> None:
    db, journal = session.db, session.journal
    first, second = session.leads[0], session.leads[1]
    session.server.stop()
    kept = session.save(first, 1, "no_answer")
    assert isinstance(kept, KeptCall)
    session.server.start()
    # The workstation has not sent its journal yet when the rep saves the next call.
    logged = session.save(second, 2, "busy")
    assert isinstance(logged, LoggedCall)
    assert journal.count() == 0
    calls = calls_by_client_id(db)
    assert calls[kept.entry.client_action_id][0] < logged.call_id
