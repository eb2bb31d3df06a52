"""Every act the audit trail covers leaves exactly its entry, in the act's own transaction:
a refused or failed act leaves none. Bulk acts are one entry per batch. Both backends."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from teleprospect.core.audit import AuditKind, describe_change
from teleprospect.core.decisions import DecisionKind
from teleprospect.core.domain import Disposition
from teleprospect.core.lifecycle import IllegalTransition, LeadStatus
from teleprospect.core.permissions import PermissionDenied
from teleprospect.core.queue_policy import CallingHours
from teleprospect.core.scripts import default_script
from teleprospect.services.audit.record import LEAD_IDS_LISTED
from teleprospect.services.calls.decisions import Decision, DecisionRefused
from teleprospect.services.calls.log_call import log_call
from teleprospect.services.calls.scripts import publish_script
from teleprospect.services.leads.lifecycle import change_status
from teleprospect.services.scoring.rescore import save_rules
from teleprospect.services.scoring.scores import active_rules
from teleprospect.services.settings.team_settings import (
    CALLING_HOURS,
    change_team_setting,
    write_setting,
)
from teleprospect.services.team.acceptance import (
    VerdictError,
    VerdictImportRequest,
    import_verdicts,
    record_verdict,
)
from teleprospect.services.team.handoff import ExportRequest, NothingToExport, export_handoff
from teleprospect.services.team.reassign import (
    LeadSelection,
    NothingToReassign,
    ReassignRequest,
    reassign,
)
from teleprospect.services.team.reassign_undo import undo_reassignment
from teleprospect.store.database import Attribution, Database
from teleprospect.store.models import AuditEntry, Lead
from tests.services import call_fixtures
from tests.services.team_fixtures import NOW, Team, add_lead, make_team

READY_ANSWERS = {
    "need": True,
    "timeline": "this_quarter",
    "budget": True,
    "budget_amount": 60_000.0,
    "authority": "decision_maker",
}


@pytest.fixture
def team(db: Database) -> Team:
    return make_team(db)


def entries(db: Database) -> list[AuditEntry]:
    with db.read() as s:
        return list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def only_entry(db: Database) -> AuditEntry:
    found = entries(db)
    assert len(found) == 1, [(e.kind, e.subject) for e in found]
    return found[0]


def ready(db: Database, team: Team, name: str) -> int:
    return add_lead(
        db, name, owner_id=team.sam, status=LeadStatus.SALES_READY,
        email=f"{name.lower()}@acme.example", industry="Software", title="CFO",
    )  # fmt: skip


# ----------------------------------------------------------------------------- status


def test_a_status_change_is_one_entry_from_where_it_was_to_where_it_is(
    db: Database, team: Team
) -> None:
    lead = add_lead(db, status=LeadStatus.WORKING)
    change_status(db, lead, LeadStatus.NURTURE, user_id=team.sam, reason="timeline next year")
    entry = only_entry(db)
    assert (entry.kind, entry.lead_id, entry.user_id, entry.subject) == (
        AuditKind.STATUS_CHANGED, lead, team.sam, f"lead {lead}",
    )  # fmt: skip
    assert entry.before == {"status": "working"}
    assert entry.after == {"status": "nurture", "reason": "timeline next year"}
    assert describe_change(entry.before, entry.after) == (
        "status: working → nurture; reason: timeline next year"
    )

    with pytest.raises(IllegalTransition):
        change_status(db, lead, LeadStatus.ACCEPTED, user_id=team.sam)
    assert len(entries(db)) == 1


@pytest.mark.parametrize(
    ("decision", "answers", "status"),
    [
        (Decision(DecisionKind.SALES_READY), READY_ANSWERS, "sales_ready"),
        (Decision(DecisionKind.DISQUALIFY, reason="no_budget"), {}, "disqualified"),
        (Decision(DecisionKind.NURTURE), {}, "nurture"),
    ],
    ids=["sales-ready", "disqualify", "nurture"],
)
def test_a_decision_on_a_first_call_is_one_entry_from_new_to_its_status(
    db: Database, decision: Decision, answers: dict, status: str
) -> None:
    me, _ = call_fixtures.add_users(db)
    lead = call_fixtures.add_lead(db, call_fixtures.add_campaign(db))
    call_fixtures.claim(db, lead, me)
    logged = log_call(
        db, lead, me, disposition=Disposition.CONNECTED, answers=answers, decision=decision,
        now=call_fixtures.NOW,
    )  # fmt: skip
    entry = only_entry(db)
    assert (entry.kind, entry.lead_id, entry.user_id) == (AuditKind.STATUS_CHANGED, lead, me)
    assert entry.before == {"status": "new"} and entry.after["status"] == status
    assert entry.after["reason"].startswith(f"call {logged.call_id} (connected): ")


def test_a_refused_decision_leaves_no_entry(db: Database) -> None:
    me, _ = call_fixtures.add_users(db)
    lead = call_fixtures.add_lead(db, call_fixtures.add_campaign(db))
    call_fixtures.claim(db, lead, me)
    with pytest.raises(DecisionRefused, match="Not sales-ready yet"):
        log_call(
            db, lead, me, disposition=Disposition.CONNECTED,
            decision=Decision(DecisionKind.SALES_READY), now=call_fixtures.NOW,
        )  # fmt: skip
    assert entries(db) == []


def test_a_call_that_changes_no_status_leaves_no_entry(db: Database) -> None:
    me, _ = call_fixtures.add_users(db)
    lead = call_fixtures.add_lead(db, status=LeadStatus.WORKING)
    call_fixtures.claim(db, lead, me)
    log_call(db, lead, me, disposition=Disposition.NO_ANSWER, now=call_fixtures.NOW)
    assert entries(db) == []


# ----------------------------------------------------------------------------- do not call


def test_do_not_call_is_one_entry_with_counts_and_no_contact_data(db: Database) -> None:
    me, _ = call_fixtures.add_users(db)
    lead = call_fixtures.add_lead(db, status=LeadStatus.WORKING)
    twin = call_fixtures.add_lead(db, email="other@vogel.de", status=LeadStatus.WORKING)
    call_fixtures.claim(db, lead, me)
    log_call(
        db, lead, me, disposition=Disposition.CONNECTED,
        decision=Decision(DecisionKind.DO_NOT_CALL, note="Vogel, 030 901820: never again"),
        now=call_fixtures.NOW,
    )  # fmt: skip
    entry = only_entry(db)
    assert (entry.kind, entry.lead_id, entry.user_id) == (AuditKind.DO_NOT_CALL_CHANGED, lead, me)
    assert entry.before == {"do_not_call": False}
    assert entry.after == {
        "do_not_call": True,
        "numbers_listed": 1,
        "email_listed": True,
        "other_leads_flagged": 1,
        "other_lead_ids": [twin],
    }
    # The trail cannot be edited: no number, email or note goes in it.
    text = f"{entry.subject} {entry.before} {entry.after}"
    assert "901820" not in text and "vogel.de" not in text and "never again" not in text


# ----------------------------------------------------------------------------- reassigning


def test_a_reassignment_and_its_undo_are_one_entry_each(db: Database, team: Team) -> None:
    leads = [add_lead(db, name, owner_id=team.sam) for name in ("Ann", "Ben", "Cid")]
    done = reassign(
        db,
        ReassignRequest(LeadSelection(owner_id=team.sam), (team.julie,), reason="Sam is away"),
        team.boss,
        now=NOW,
    )
    entry = only_entry(db)
    assert (entry.kind, entry.user_id, entry.lead_id) == (
        AuditKind.LEAD_REASSIGNED, team.boss, None,
    )  # fmt: skip
    assert entry.subject == f"reassignment #{done.batch_id}: owner Sam Carter"
    assert entry.before == {"owners": {"sam": 3}}
    assert entry.after == {
        "owners": {"julie": 3},
        "batch_id": done.batch_id,
        "leads": 3,
        "callbacks": 0,
        "reason": "Sam is away",
        "lead_ids": sorted(leads),
    }

    assert done.batch_id is not None
    undo_reassignment(db, done.batch_id, team.boss, now=NOW + timedelta(hours=1))
    undone = entries(db)[-1]
    assert (undone.kind, undone.subject) == (
        AuditKind.REASSIGNMENT_UNDONE, f"reassignment #{done.batch_id}",
    )  # fmt: skip
    assert undone.before == {"owners": {"julie": 3}}
    assert undone.after["owners"] == {"sam": 3} and undone.after["leads"] == 3
    assert len(entries(db)) == 2


def test_a_reassignment_that_moves_nothing_or_is_not_allowed_leaves_no_entry(
    db: Database, team: Team
) -> None:
    add_lead(db, owner_id=team.julie)
    with pytest.raises(NothingToReassign):
        reassign(db, ReassignRequest(LeadSelection(owner_id=team.julie), (team.julie,)), team.boss)
    with pytest.raises(PermissionDenied):
        reassign(db, ReassignRequest(LeadSelection(owner_id=team.julie), (team.sam,)), team.sam)
    assert entries(db) == []


def test_a_big_reassignment_is_one_entry_with_counts_not_every_lead(
    db: Database, team: Team
) -> None:
    count = LEAD_IDS_LISTED + 50
    with db.write() as s:
        s.execute(
            insert(Lead),
            [
                {"first_name": f"Lead{n}", "last_name": "Bulk", "company": "Bulk AG",
                 "owner_id": team.sam, "status": LeadStatus.WORKING, "created_at": NOW}
                for n in range(count)
            ],
        )  # fmt: skip
    done = reassign(
        db,
        ReassignRequest(LeadSelection(owner_id=team.sam), (team.julie, team.jonas)),
        team.boss,
        now=NOW,
    )
    entry = only_entry(db)
    assert entry.after["leads"] == count and entry.after["batch_id"] == done.batch_id
    assert entry.after["owners"] == {"julie": count // 2, "jonas": count // 2}
    assert "lead_ids" not in entry.after


# ----------------------------------------------------------------------------- sales


def test_an_export_is_one_entry_for_its_batch(db: Database, team: Team, tmp_path: Path) -> None:
    leads = [ready(db, team, name) for name in ("Ann", "Ben")]
    out = tmp_path / "to-sales.csv"
    result = export_handoff(db, ExportRequest(out), team.boss, now=NOW)
    entry = only_entry(db)
    assert (entry.kind, entry.user_id, entry.lead_id) == (
        AuditKind.EXPORTED_TO_SALES, team.boss, None,
    )  # fmt: skip
    assert entry.subject == f"hand-off batch #{result.batch_id}: all sales-ready leads"
    assert entry.before == {"status": "sales_ready"}
    assert entry.after == {
        "status": "handed_off",
        "batch_id": result.batch_id,
        "leads": 2,
        "format": "salesforce",
        "file": str(out.resolve()),
        "sha256": result.sha256,
        "lead_ids": sorted(leads),
    }


def test_an_export_that_fails_leaves_no_entry(db: Database, team: Team, tmp_path: Path) -> None:
    with pytest.raises(NothingToExport):
        export_handoff(db, ExportRequest(tmp_path / "none.csv"), team.boss, now=NOW)
    ready(db, team, "Ann")
    with pytest.raises(PermissionDenied):
        export_handoff(db, ExportRequest(tmp_path / "rep.csv"), team.sam, now=NOW)
    assert entries(db) == []


def test_a_verdict_by_hand_is_one_entry_and_a_repeated_or_refused_one_none(
    db: Database, team: Team, tmp_path: Path
) -> None:
    ann = ready(db, team, "Ann")
    export_handoff(db, ExportRequest(tmp_path / "out.csv"), team.boss, now=NOW)
    before = len(entries(db))
    recorded = record_verdict(db, ann, False, "No budget this year", team.boss, now=NOW)
    entry = entries(db)[-1]
    assert (entry.kind, entry.lead_id, entry.user_id) == (
        AuditKind.VERDICT_RECORDED, ann, team.boss,
    )  # fmt: skip
    assert entry.subject == f"{recorded.reference}, by hand"
    assert entry.before == {"status": "handed_off"}
    assert entry.after == {
        "verdict": "rejected", "status": "nurture", "reason": "No budget this year",
    }  # fmt: skip
    record_verdict(db, ann, False, "again", team.boss, now=NOW)  # the same: nothing changes
    with pytest.raises(VerdictError):
        record_verdict(db, ann, True, "", team.boss, now=NOW)
    assert len(entries(db)) == before + 1


def test_a_verdict_file_is_one_entry_and_a_dry_run_none(
    db: Database, team: Team, tmp_path: Path
) -> None:
    ann, ben = ready(db, team, "Ann"), ready(db, team, "Ben")
    export_handoff(db, ExportRequest(tmp_path / "out.csv"), team.boss, now=NOW)
    verdicts = tmp_path / "verdicts.csv"
    with open(verdicts, "w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(
            [["Lead ID", "Verdict"], [str(ann), "accepted"], [str(ben), "rejected"], ["x", "?"]]
        )
    before = len(entries(db))
    import_verdicts(db, VerdictImportRequest(verdicts, dry_run=True), team.boss, now=NOW)
    assert len(entries(db)) == before
    import_verdicts(db, VerdictImportRequest(verdicts), team.boss, now=NOW)
    entry = entries(db)[-1]
    assert (entry.kind, entry.subject, entry.lead_id) == (
        AuditKind.VERDICT_RECORDED, "sales' verdicts from verdicts.csv", None,
    )  # fmt: skip
    assert entry.before == {"status": {"handed_off": 2}}
    assert entry.after == {
        "accepted": 1,
        "rejected": 1,
        "rejected_to": "nurture",
        "bad_rows": 1,
        "accepted_lead_ids": [ann],
        "rejected_lead_ids": [ben],
    }
    # The same file again records nothing new: no entry either.
    import_verdicts(db, VerdictImportRequest(verdicts), team.boss, now=NOW)
    assert len(entries(db)) == before + 1


# ----------------------------------------------------------------------------- rules


def test_a_setting_change_records_the_old_and_the_new_value(db: Database, team: Team) -> None:
    early = replace(CallingHours(), start=CallingHours().start.replace(hour=8))
    change_team_setting(db, CALLING_HOURS, early, user_id=team.boss)
    entry = only_entry(db)
    assert (entry.kind, entry.subject, entry.user_id) == (
        AuditKind.SETTING_CHANGED, "calling hours", team.boss,
    )  # fmt: skip
    assert describe_change(entry.before, entry.after) == "start: 09:00 → 08:00"

    write_setting(db, CALLING_HOURS, early, user_id=team.boss)  # unchanged: nothing to record
    with pytest.raises(PermissionDenied):
        change_team_setting(db, CALLING_HOURS, CallingHours(), user_id=team.sam)
    assert len(entries(db)) == 1


def test_publishing_a_script_records_its_version_numbers(db: Database, team: Team) -> None:
    script = replace(default_script(), name="BANT, shorter")
    published = publish_script(db, script, user_id=team.boss, note="fewer questions")
    entry = only_entry(db)
    assert (entry.kind, entry.user_id) == (AuditKind.SCRIPT_PUBLISHED, team.boss)
    assert entry.subject == "qualification script “BANT, shorter”"
    assert entry.before == {"version": 1}
    assert entry.after == {
        "version": published.version,
        "name": "BANT, shorter",
        "questions": len(script.questions),
        "note": "fewer questions",
    }
    with pytest.raises(PermissionDenied):
        publish_script(db, script, user_id=team.sam)
    assert len(entries(db)) == 1


def test_publishing_scoring_rules_records_versions_threshold_and_what_changed(
    db: Database, team: Team
) -> None:
    rules = active_rules(db).rules
    stricter = replace(rules, thresholds=replace(rules.thresholds, sales_ready=80))
    save_rules(db, stricter, team.boss, "sales asked for fewer, better leads")
    entry = only_entry(db)
    assert (entry.kind, entry.subject) == (AuditKind.SCORING_RULES_PUBLISHED, "scoring rules")
    assert entry.before == {"version": 1, "sales_ready_threshold": 75}
    assert entry.after == {
        "version": 2,
        "sales_ready_threshold": 80,
        "changed": ["thresholds"],
        "note": "sales asked for fewer, better leads",
    }
    with pytest.raises(PermissionDenied):
        save_rules(db, rules, team.sam)
    assert len(entries(db)) == 1


# ----------------------------------------------------------------------------- who


def test_an_act_done_as_someone_else_names_both(db: Database, team: Team) -> None:
    lead = add_lead(db, status=LeadStatus.WORKING)
    db.attribution = Attribution("boss", team.boss, "desk-7")
    change_status(db, lead, LeadStatus.NURTURE, user_id=team.sam, reason="asked by Sam")
    entry = only_entry(db)
    assert (entry.user_id, entry.by_user_id, entry.by_login, entry.workstation) == (
        team.sam, team.boss, "boss", "desk-7",
    )  # fmt: skip
