"""Reading the audit trail: team leads only, newest first a page at a time, filters that
narrow each other, and a CSV export a spreadsheet opens safely. Both backends."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert

from teleprospect.core.audit import AuditKind
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.permissions import PermissionDenied
from teleprospect.services.audit.record import LEAD_IDS_LISTED, record_audit
from teleprospect.services.audit.trail import (
    CSV_HEADER,
    AuditExportError,
    AuditFilter,
    audit_page,
    export_audit_trail,
)
from teleprospect.services.team.handoff import ExportRequest, export_handoff
from teleprospect.services.team.reassign import LeadSelection, ReassignRequest, reassign
from teleprospect.store.database import Attribution, Database
from teleprospect.store.models import Lead
from tests.services.team_fixtures import NOW, Team, add_lead, make_team


@pytest.fixture
def team(db: Database) -> Team:
    return make_team(db)


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def entry(
    db: Database,
    kind: AuditKind,
    *,
    user_id: int | None,
    at: datetime,
    lead_id: int | None = None,
    subject: str = "",
    before: object = None,
    after: object = None,
) -> int:
    with db.write() as s:
        row = record_audit(
            s, kind, user_id=user_id, lead_id=lead_id, subject=subject, before=before, after=after
        )
        row.at = at
        s.flush()
        return row.id


@pytest.fixture
def trail(db: Database, team: Team) -> dict[str, int]:
    """Five entries over three days: Sam's, Julie's, the boss's, and one the boss did as Sam."""
    ids = {
        "sam_status": entry(
            db, AuditKind.STATUS_CHANGED, user_id=team.sam, lead_id=11, subject="lead 11",
            at=NOW - timedelta(days=2), before={"status": "working"},
            after={"status": "sales_ready"},
        ),
        "julie_dnc": entry(
            db, AuditKind.DO_NOT_CALL_CHANGED, user_id=team.julie, lead_id=12,
            subject="lead 12", at=NOW - timedelta(days=1),
        ),
        "boss_setting": entry(
            db, AuditKind.SETTING_CHANGED, user_id=team.boss, subject="calling hours",
            at=NOW - timedelta(hours=5), before={"start": "09:00"}, after={"start": "08:00"},
        ),
    }  # fmt: skip
    db.attribution = Attribution("boss", team.boss, "desk-7")
    ids["boss_as_sam"] = entry(
        db, AuditKind.STATUS_CHANGED, user_id=team.sam, lead_id=11, subject="lead 11",
        at=NOW - timedelta(hours=1), before={"status": "sales_ready"},
        after={"status": "handed_off"},
    )  # fmt: skip
    db.attribution = None
    ids["sam_status_2"] = entry(
        db, AuditKind.STATUS_CHANGED, user_id=team.sam, lead_id=13, subject="lead 13", at=NOW
    )
    return ids


def ids(rows: list) -> list[int]:
    return [row.id for row in rows]


def test_only_team_leads_read_or_export_the_trail(
    db: Database, team: Team, trail, exports: Path
) -> None:
    assert len(audit_page(db, team.lead2)) == 5
    with pytest.raises(PermissionDenied, match="read the audit trail"):
        audit_page(db, team.sam)
    with pytest.raises(PermissionDenied):
        export_audit_trail(db, team.sam, exports / "trail.csv")
    assert list(exports.iterdir()) == []


def test_newest_first_a_page_at_a_time(db: Database, team: Team, trail) -> None:
    newest_first = sorted(trail.values(), reverse=True)
    first = audit_page(db, team.boss, limit=2)
    assert ids(first) == newest_first[:2]
    second = audit_page(db, team.boss, before_id=first[-1].id, limit=2)
    third = audit_page(db, team.boss, before_id=second[-1].id, limit=2)
    assert ids(second) + ids(third) == newest_first[2:]
    assert audit_page(db, team.boss, before_id=third[-1].id, limit=2) == []


def test_filters_narrow_by_user_lead_kind_and_time(db: Database, team: Team, trail) -> None:
    def found(**where: object) -> list[int]:
        return sorted(ids(audit_page(db, team.boss, AuditFilter(**where))))  # type: ignore[arg-type]

    sams = [trail["sam_status"], trail["boss_as_sam"], trail["sam_status_2"]]
    assert found(user_id=team.sam) == sams
    # What the boss did: their own setting, and what they did as Sam.
    assert found(user_id=team.boss) == [trail["boss_setting"], trail["boss_as_sam"]]
    assert found(lead_id=11) == [trail["sam_status"], trail["boss_as_sam"]]
    assert found(kinds=(AuditKind.DO_NOT_CALL_CHANGED, AuditKind.SETTING_CHANGED)) == [
        trail["julie_dnc"],
        trail["boss_setting"],
    ]
    assert found(since=NOW - timedelta(days=1), until=NOW) == [
        trail["julie_dnc"], trail["boss_setting"], trail["boss_as_sam"],
    ]  # fmt: skip
    assert found(user_id=team.sam, lead_id=11, since=NOW - timedelta(hours=2)) == [
        trail["boss_as_sam"]
    ]
    assert found(user_id=team.jonas) == []


def test_an_entry_says_who_acted_as_whom_and_what_changed(db: Database, team: Team, trail) -> None:
    rows = {row.id: row for row in audit_page(db, team.boss)}
    as_sam = rows[trail["boss_as_sam"]]
    assert as_sam.acted_as_someone_else and as_sam.who == "boss as sam"
    assert (as_sam.by_name, as_sam.user_name, as_sam.workstation) == (
        "Maria Boss", "Sam Carter", "desk-7",
    )  # fmt: skip
    assert as_sam.what == "Status changed: lead 11"
    assert as_sam.change == "status: sales_ready → handed_off"
    own = rows[trail["sam_status"]]
    assert not own.acted_as_someone_else and own.who == "sam"
    assert rows[trail["boss_setting"]].change == "start: 09:00 → 08:00"


def test_a_lead_finds_the_bulk_reassignments_and_exports_it_was_in(
    db: Database, team: Team, tmp_path: Path
) -> None:
    with db.write() as s:
        s.execute(
            insert(Lead),
            [
                {"first_name": f"Lead{n}", "last_name": "Bulk", "company": "Bulk AG",
                 "owner_id": team.sam, "status": LeadStatus.WORKING, "created_at": NOW}
                for n in range(LEAD_IDS_LISTED + 5)
            ],
        )  # fmt: skip
    one = add_lead(db, "Ann", owner_id=team.sam)
    ready = add_lead(db, "Ben", owner_id=team.julie, status=LeadStatus.SALES_READY)
    other = add_lead(db, "Cid", owner_id=team.jonas, status=LeadStatus.SALES_READY)
    moved = reassign(
        db, ReassignRequest(LeadSelection(owner_id=team.sam), (team.julie,)), team.boss, now=NOW
    )
    export_handoff(db, ExportRequest(tmp_path / "a.csv", lead_ids=(ready,)), team.boss, now=NOW)
    export_handoff(db, ExportRequest(tmp_path / "b.csv", lead_ids=(other,)), team.boss, now=NOW)

    about_one = audit_page(db, team.boss, AuditFilter(lead_id=one))
    assert [row.kind for row in about_one] == [AuditKind.LEAD_REASSIGNED]
    assert about_one[0].after["batch_id"] == moved.batch_id
    assert "lead_ids" not in about_one[0].after  # too many to list: found by its batch
    about_ready = audit_page(db, team.boss, AuditFilter(lead_id=ready))
    assert [row.kind for row in about_ready] == [AuditKind.EXPORTED_TO_SALES]
    assert about_ready[0].lead_id == ready


def test_the_csv_export_is_formula_safe_and_written_whole(
    db: Database, team: Team, trail, exports: Path
) -> None:
    entry(
        db, AuditKind.SETTING_CHANGED, user_id=team.boss, at=NOW + timedelta(minutes=1),
        subject="=HYPERLINK(\"http://evil.example\")", before={"note": "-1+1"},
    )  # fmt: skip
    out = exports / "trail.csv"
    done = export_audit_trail(db, team.boss, out, AuditFilter(user_id=team.boss))
    assert done.entries == 3 and done.path == out.resolve()
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 by its mark
    with out.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert tuple(rows[0]) == CSV_HEADER
    newest, as_sam = rows[1], rows[2]
    assert newest[6] == '\'=HYPERLINK("http://evil.example")'
    assert newest[8] == "note: -1+1 → none"
    assert (as_sam[2], as_sam[3], as_sam[4]) == ("boss", "sam", "desk-7")
    assert as_sam[5] == "Status changed" and as_sam[7] == "11"
    assert as_sam[1] == (NOW - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")

    with pytest.raises(AuditExportError, match="already exists"):
        export_audit_trail(db, team.boss, out)
    assert export_audit_trail(db, team.boss, out, overwrite=True).entries == 6
    assert [p.name for p in exports.iterdir()] == ["trail.csv"]  # no temporary file left
