"""Sales' verdicts: a verdict file matched by reference, lead id and email with its bad rows
reported; verdicts by hand; the "sales has not followed up" list. On SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from teleprospect.core.handoff import HandoffRules, RejectedTo, Verdict
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.permissions import PermissionDenied
from teleprospect.services.settings.team_settings import HANDOFF_RULES, write_setting
from teleprospect.services.team.acceptance import (
    VerdictError,
    VerdictImportRequest,
    import_verdicts,
    record_verdict,
    unanswered_handoffs,
)
from teleprospect.services.team.handoff import ExportRequest, export_handoff
from teleprospect.store.database import Database
from teleprospect.store.models import HandoffItem, Lead, LeadHistory, NurtureEnrollment
from tests.services.team_fixtures import NOW, Team, add_lead, make_team


@pytest.fixture
def team(db: Database) -> Team:
    return make_team(db)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "files"
    path.mkdir()
    return path


def ready(db: Database, team: Team, name: str, email: str | None = None) -> int:
    return add_lead(
        db, name, owner_id=team.sam, status=LeadStatus.SALES_READY,
        email=email or f"{name.lower()}@acme.example", industry="Software", title="CFO",
    )  # fmt: skip


def hand_off(db: Database, team: Team, folder: Path, ids: tuple[int, ...], at: datetime) -> int:
    out = folder / f"handoff-{at:%Y%m%d%H%M%S}.csv"
    return export_handoff(db, ExportRequest(out, lead_ids=ids), team.boss, now=at).batch_id


def write(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    return path


def status(db: Database, lead_id: int) -> LeadStatus:
    with db.read() as s:
        lead = s.get(Lead, lead_id)
        assert lead is not None
        return lead.status


def item(db: Database, lead_id: int) -> HandoffItem:
    with db.read() as s:
        return s.scalars(
            select(HandoffItem).where(HandoffItem.lead_id == lead_id).order_by(HandoffItem.id)
        ).all()[-1]


def test_a_verdict_file_matched_by_reference_id_and_email_with_bad_rows_reported(
    db: Database, team: Team, folder: Path
) -> None:
    ann = ready(db, team, "Ann")
    ben = ready(db, team, "Ben")
    cid = ready(db, team, "Cid", email="cid@acme.example")
    dee = ready(db, team, "Dee")
    eve = ready(db, team, "Eve")
    working = add_lead(db, "Wes", owner_id=team.sam, email="wes@acme.example")
    batch = hand_off(db, team, folder, (ann, ben, cid, dee, eve), NOW - timedelta(days=3))
    record_verdict(db, eve, True, "", team.boss, now=NOW - timedelta(days=1))

    verdicts = write(
        folder / "verdicts.csv",
        [
            ["Teleprospect Reference", "Lead ID", "Email", "Accepted?", "Rejection reason", "Date"],
            [f"tp-{batch:04d}-{ann:06d}", "", "", "Yes", "", "2026-11-24"],  # 2: reference
            ["", str(ben), "", "no", "No budget this year", "11/23/2026"],  # 3: lead id
            ["", "", "CID@acme.example", "Won", "Great fit", ""],  # 4: email
            [f"TP-{batch:04d}-999999", "", "", "yes", "", ""],  # 5: unknown reference
            ["", "424242", "", "yes", "", ""],  # 6: no such lead
            ["", "", "nobody@acme.example", "yes", "", ""],  # 7: no such email
            ["", str(dee), "", "maybe", "", ""],  # 8: not a verdict
            ["", "", "", "yes", "", ""],  # 9: names no lead
            ["", str(working), "", "yes", "", ""],  # 10: never handed off
            ["", str(eve), "", "accepted", "", ""],  # 11: already recorded, same verdict
            ["", str(ben), "", "accepted", "", ""],  # 12: contradicts row 3
            ["", str(dee), "", "lost", "", "not a date"],  # 13: bad date
        ],
    )
    reports = folder / "reports"
    summary = import_verdicts(
        db, VerdictImportRequest(verdicts, report_dir=reports), team.boss, now=NOW
    )
    assert (summary.rows, summary.accepted, summary.rejected) == (12, 2, 1)
    assert (summary.already_recorded, summary.bad_rows) == (1, 8)
    assert [(p.row_number, p.reason) for p in summary.problems] == [
        (5, f"no hand-off has the reference TP-{batch:04d}-999999"),
        (6, "there is no lead 424242"),
        (7, "no lead has the email nobody@acme.example"),
        (8, "'maybe' is not a verdict: write accepted or rejected (yes/no, won/lost and "
            "true/false work too)"),
        (9, "the row names no lead: give the lead id, the email or the reference"),
        (10, f"lead {working} was never handed to sales"),
        (12, f"lead {ben} (TP-{batch:04d}-{ben:06d}) was already rejected on 2026-11-23; "
             "a verdict is recorded once"),
        (13, "'not a date' is not a date"),
    ]  # fmt: skip
    assert summary.describe() == (
        "Recorded 2 accepted and 1 rejected leads from 12 rows of verdicts.csv; 1 already "
        "recorded; 8 bad rows."
    )
    assert summary.reject_file is not None and summary.reject_file.parent == reports
    with open(summary.reject_file, encoding="utf-8-sig", newline="") as stream:
        rejected_rows = list(csv.reader(stream))
    assert rejected_rows[0] == [
        "Row", "Reason", "Teleprospect Reference", "Lead ID", "Email", "Accepted?",
        "Rejection reason", "Date",
    ]  # fmt: skip
    assert [r[0] for r in rejected_rows[1:]] == ["5", "6", "7", "8", "9", "10", "12", "13"]
    assert rejected_rows[4][2:] == ["", str(dee), "", "maybe", "", ""]

    assert [status(db, i) for i in (ann, ben, cid, dee)] == [
        LeadStatus.ACCEPTED, LeadStatus.NURTURE, LeadStatus.ACCEPTED, LeadStatus.HANDED_OFF,
    ]  # fmt: skip
    ann_item, ben_item = item(db, ann), item(db, ben)
    assert (ann_item.verdict, ann_item.verdict_at) == (
        Verdict.ACCEPTED, datetime(2026, 11, 24, tzinfo=UTC),
    )  # fmt: skip
    assert (ann_item.verdict_by_id, ann_item.verdict_recorded_at) == (team.boss, NOW)
    assert ann_item.verdict_source == "file verdicts.csv"
    assert (ben_item.verdict, ben_item.verdict_reason) == (Verdict.REJECTED, "No budget this year")
    assert item(db, cid).verdict_at == NOW, "no date in the file: when it was recorded"
    with db.read() as s:
        history = s.scalars(
            select(LeadHistory)
            .where(LeadHistory.lead_id == ben, LeadHistory.at == NOW)
            .order_by(LeadHistory.id)
        ).all()
        assert [(h.kind.value, h.from_value, h.to_value) for h in history] == [
            ("status", "handed_off", "rejected"),
            ("status", "rejected", "nurture"),
            ("nurture", None, history[2].to_value),
        ]
        assert history[0].reason == (
            f"Rejected by sales (TP-{batch:04d}-{ben:06d}): No budget this year."
        )
        assert history[0].user_id == team.boss
        assert "first touch 2026-12-25" in history[1].reason  # the team's 30-day pause
        enrollment = s.scalars(
            select(NurtureEnrollment).where(NurtureEnrollment.lead_id == ben)
        ).one()
        assert enrollment.ended_at is None and enrollment.starts_at == NOW + timedelta(days=30)
        lead = s.get(Lead, ben)
        assert lead is not None and lead.next_action_at is not None
        assert lead.next_action_at >= NOW + timedelta(days=30)


def test_importing_the_same_file_again_changes_nothing(
    db: Database, team: Team, folder: Path
) -> None:
    ann = ready(db, team, "Ann")
    hand_off(db, team, folder, (ann,), NOW - timedelta(days=3))
    verdicts = write(folder / "v.csv", [["Email", "Verdict"], ["ann@acme.example", "accepted"]])
    first = import_verdicts(db, VerdictImportRequest(verdicts), team.boss, now=NOW)
    again = import_verdicts(db, VerdictImportRequest(verdicts), team.boss, now=NOW)
    assert (first.accepted, again.accepted, again.already_recorded, again.bad_rows) == (1, 0, 1, 0)
    assert first.reject_file is None


def test_rejected_leads_can_be_disqualified_instead(db: Database, team: Team, folder: Path) -> None:
    ann = ready(db, team, "Ann")
    hand_off(db, team, folder, (ann,), NOW - timedelta(days=3))
    verdicts = write(
        folder / "v.csv", [["Lead ID", "Status", "Comment"], [str(ann), "Rejected", "Student"]]
    )
    summary = import_verdicts(
        db, VerdictImportRequest(verdicts, rejected_to=RejectedTo.DISQUALIFIED), team.boss, now=NOW
    )
    assert summary.rejected == 1 and status(db, ann) is LeadStatus.DISQUALIFIED
    with db.read() as s:
        last = s.scalars(
            select(LeadHistory).where(LeadHistory.lead_id == ann).order_by(LeadHistory.id.desc())
        ).first()
        assert last is not None
        assert last.reason == "Disqualified after sales rejected it: Student."


def test_a_dry_run_records_nothing(db: Database, team: Team, folder: Path) -> None:
    ann = ready(db, team, "Ann")
    hand_off(db, team, folder, (ann,), NOW - timedelta(days=3))
    verdicts = write(folder / "v.csv", [["Lead ID", "Verdict"], [str(ann), "yes"], ["x", "yes"]])
    summary = import_verdicts(db, VerdictImportRequest(verdicts, dry_run=True), team.boss, now=NOW)
    assert (summary.accepted, summary.bad_rows, summary.dry_run) == (1, 1, True)
    assert status(db, ann) is LeadStatus.HANDED_OFF and item(db, ann).verdict is None


def test_files_and_users_that_cannot_be_used_are_refused(
    db: Database, team: Team, folder: Path
) -> None:
    no_verdict = write(folder / "a.csv", [["Email", "Notes"], ["ann@acme.example", "fine"]])
    no_lead = write(folder / "b.csv", [["Name", "Verdict"], ["Ann", "yes"]])
    good = write(folder / "c.csv", [["Email", "Verdict"], ["ann@acme.example", "yes"]])
    with pytest.raises(VerdictError, match="needs a column saying accepted or rejected"):
        import_verdicts(db, VerdictImportRequest(no_verdict), team.boss, now=NOW)
    with pytest.raises(VerdictError, match="needs a column naming the lead"):
        import_verdicts(db, VerdictImportRequest(no_lead), team.boss, now=NOW)
    with pytest.raises(VerdictError, match="does not exist"):
        import_verdicts(db, VerdictImportRequest(folder / "missing.csv"), team.boss, now=NOW)
    with pytest.raises(PermissionDenied, match="Only a team lead can record sales' verdicts"):
        import_verdicts(db, VerdictImportRequest(good), team.sam, now=NOW)


def test_verdicts_by_hand(db: Database, team: Team, folder: Path) -> None:
    ann, ben, cid = ready(db, team, "Ann"), ready(db, team, "Ben"), ready(db, team, "Cid")
    never = ready(db, team, "Never")
    hand_off(db, team, folder, (ann, ben, cid), NOW - timedelta(days=3))
    with pytest.raises(PermissionDenied, match="Sam Carter is a teleprospector"):
        record_verdict(db, ann, True, "", team.sam, now=NOW)
    done = record_verdict(db, ann, True, "Meeting booked", team.lead2, now=NOW)
    assert (done.verdict, done.status, done.changed) == (
        Verdict.ACCEPTED,
        LeadStatus.ACCEPTED,
        True,
    )
    assert record_verdict(db, ann, True, "", team.boss, now=NOW).changed is False
    with pytest.raises(VerdictError, match=f"Lead {ann} .* was already accepted"):
        record_verdict(db, ann, False, "", team.boss, now=NOW)
    rejected = record_verdict(
        db, ben, False, "Competitor's customer", team.boss,
        rejected_to=RejectedTo.DISQUALIFIED, now=NOW,
    )  # fmt: skip
    assert rejected.status is LeadStatus.DISQUALIFIED
    to_track = record_verdict(db, cid, False, "", team.boss, track_key="twelve-touch", now=NOW)
    assert to_track.status is LeadStatus.NURTURE
    with pytest.raises(VerdictError, match=f"Lead {never} was never handed to sales"):
        record_verdict(db, never, True, "", team.boss, now=NOW)
    with pytest.raises(VerdictError, match="There is no lead with id 9999"):
        record_verdict(db, 9999, True, "", team.boss, now=NOW)


def test_unanswered_handoffs_are_flagged_after_the_follow_up_limit(
    db: Database, team: Team, folder: Path
) -> None:
    old, old_answered, fresh = (
        ready(db, team, "Old"),
        ready(db, team, "Answered"),
        ready(db, team, "Fresh"),
    )
    resent = ready(db, team, "Resent")
    oldest_batch = hand_off(db, team, folder, (old, old_answered, resent), NOW - timedelta(days=20))
    hand_off(db, team, folder, (fresh,), NOW - timedelta(days=13, hours=23))
    record_verdict(db, old_answered, True, "", team.boss, now=NOW - timedelta(days=2))
    # Sent again 5 days ago: it waits 5 days, not 20.
    export_handoff(
        db, ExportRequest(folder / "again.csv", lead_ids=(resent,), again=True), team.boss,
        now=NOW - timedelta(days=5),
    )  # fmt: skip

    flagged = unanswered_handoffs(db, now=NOW)
    assert [(f.lead_id, f.batch_id, f.days_waiting) for f in flagged] == [(old, oldest_batch, 20)]
    assert (flagged[0].exported_by, flagged[0].owner, flagged[0].name) == (
        "Maria Boss", "Sam Carter", "Old Lovelace",
    )  # fmt: skip
    assert flagged[0].reference == f"TP-{oldest_batch:04d}-{old:06d}"
    assert [f.lead_id for f in unanswered_handoffs(db, now=NOW, days=4)] == [old, fresh, resent]
    write_setting(db, HANDOFF_RULES, HandoffRules(follow_up_days=30), user_id=team.boss)
    assert unanswered_handoffs(db, now=NOW) == []
