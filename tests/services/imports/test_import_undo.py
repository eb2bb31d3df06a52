"""Nothing lost (issue 15, part 3): an "update" import leaves a trace of every value it
replaced, and an import can be undone — worked leads and values changed since are kept
and named."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from teleprospect.core.audit import AuditKind
from teleprospect.core.dedupe_keys import match_key, person_key
from teleprospect.core.domain import Disposition, DuplicatePolicy, HistoryKind
from teleprospect.core.errors import NotFound
from teleprospect.core.permissions import PermissionDenied
from teleprospect.services.calls.lead_detail import lead_detail
from teleprospect.services.imports.leads import LeadImportRequest, import_leads
from teleprospect.services.imports.undo import ImportUndoRefused, import_batches, undo_import
from teleprospect.store.database import Database
from teleprospect.store.models import (
    AuditEntry,
    Call,
    ImportBatch,
    ImportChange,
    Lead,
    LeadHistory,
    LeadPhone,
)
from tests.services.imports.test_leads import write_csv
from tests.services.team_fixtures import Team, add_callback, make_team

HEADER = ["First Name", "Last Name", "Company", "Email", "Phone", "Title"]


@pytest.fixture
def team(db: Database) -> Team:
    return make_team(db)


@pytest.fixture
def john(db: Database) -> int:
    """A lead from before the import, with values the file will replace."""
    with db.write() as session:
        lead = Lead(
            first_name="John",
            last_name="Doe",
            company="ACME Corporation",
            email="john@acme.com",
            title="Buyer",
            match_key=match_key(person_key("John", "Doe"), "ACME Corporation"),
        )
        session.add(lead)
        session.flush()
        return lead.id


def run_import(db: Database, path: Path, login: str = "boss", **kw) -> int:
    summary = import_leads(db, LeadImportRequest(path=path, login=login, **kw))
    assert summary.batch_id is not None
    return summary.batch_id


def update_file(tmp_path: Path, name: str = "update.csv") -> Path:
    rows = [
        ["Jonathan", "Doe", "Acme Holdings", "john@acme.com", "+1 415 555 2671", "VP Sales"],
        ["Ada", "Lovelace", "Engines Ltd", "ada@engines.example", "+44 20 7946 0018", "CTO"],
        ["Alan", "Turing", "Bletchley Park", "alan@bp.example", "", "Lead"],
        ["Grace", "Hopper", "Navy", "grace@navy.example", "", "Admiral"],
    ]
    return write_csv(tmp_path / name, rows, header=HEADER)


def lead(db: Database, lead_id: int) -> Lead | None:
    with db.read() as session:
        return session.get(Lead, lead_id)


def leads_of(db: Database, batch_id: int) -> dict[str, int]:
    with db.read() as session:
        return {
            row.first_name: row.id
            for row in session.execute(
                select(Lead.id, Lead.first_name).where(Lead.import_batch_id == batch_id)
            )
        }


def test_update_records_every_replaced_value_with_the_import_and_who(
    db: Database, tmp_path, team: Team, john: int
) -> None:
    batch = run_import(db, update_file(tmp_path), on_duplicate=DuplicatePolicy.UPDATE)
    with db.read() as session:
        changes = {
            c.field: (c.old, c.new, c.batch_id)
            for c in session.scalars(select(ImportChange).where(ImportChange.lead_id == john))
        }
        history = list(
            session.scalars(
                select(LeadHistory).where(
                    LeadHistory.lead_id == john, LeadHistory.kind == HistoryKind.IMPORT
                )
            )
        )
    assert changes["first_name"] == ("John", "Jonathan", batch)
    assert changes["company"] == ("ACME Corporation", "Acme Holdings", batch)
    assert changes["title"] == ("Buyer", "VP Sales", batch)
    assert changes["phone"][2] == batch and changes["phone"][1]["e164"] == "+14155552671"
    assert "email" not in changes, "a value the file repeats is no change"
    assert {h.user_id for h in history} == {team.boss}, "who ran the import is named"
    company = next(h for h in history if h.reason.startswith("Company"))
    assert (company.from_value, company.to_value) == ("ACME Corporation", "Acme Holdings")
    assert f"import #{batch} (update.csv)" in company.reason
    # The lead's history, as the call panel shows it, tells it in words.
    detail = lead_detail(db, john)
    texts = [text for _at, _by, text in detail.history]
    assert any("“ACME Corporation” → “Acme Holdings”" in t and f"#{batch}" in t for t in texts)


def test_undoing_a_fresh_import_removes_its_leads_and_puts_every_value_back(
    db: Database, tmp_path, team: Team, john: int
) -> None:
    batch = run_import(db, update_file(tmp_path), on_duplicate=DuplicatePolicy.UPDATE)
    created = leads_of(db, batch)
    assert set(created) == {"Ada", "Alan", "Grace"}
    seen: list[tuple[int, int]] = []
    undone = undo_import(db, batch, team.boss, progress=lambda a, b: seen.append((a, b)))
    assert (undone.removed, undone.kept, undone.kept_values) == (3, (), ())
    assert undone.restored == 5  # first name, company, title, the phone and its number
    assert seen and seen[-1][0] == seen[-1][1]
    assert all(lead(db, lead_id) is None for lead_id in created.values())
    back = lead(db, john)
    assert back is not None
    assert (back.first_name, back.company, back.title) == ("John", "ACME Corporation", "Buyer")
    assert back.phone_e164 is None and not back.phone_valid
    assert back.match_key == match_key(person_key("John", "Doe"), "ACME Corporation")
    with db.read() as session:
        assert session.scalar(select(func.count()).where(LeadPhone.lead_id == john)) == 0
        recorded = session.get(ImportBatch, batch)
        assert recorded is not None and recorded.undone_at is not None
        assert recorded.undone_by_id == team.boss
        audit = session.scalars(
            select(AuditEntry).where(AuditEntry.kind == AuditKind.IMPORT_UNDONE)
        ).one()
        assert audit.user_id == team.boss and audit.after["leads_removed"] == 3
        put_back = session.scalars(
            select(LeadHistory).where(
                LeadHistory.lead_id == john, LeadHistory.reason.like("%put back%")
            )
        ).all()
    assert {h.reason.split(",")[0] for h in put_back} >= {"First name", "Company", "Title"}
    listed = {b.id: b for b in import_batches(db)}
    assert listed[batch].undone_at is not None and listed[batch].undone_by == "Maria Boss"


def test_undo_keeps_worked_leads_and_values_changed_since_and_names_them(
    db: Database, tmp_path, team: Team, john: int
) -> None:
    batch = run_import(db, update_file(tmp_path), on_duplicate=DuplicatePolicy.UPDATE)
    created = leads_of(db, batch)
    with db.write() as session:
        session.add(Call(lead_id=created["Ada"], user_id=team.sam, disposition=Disposition.BUSY))
        # John's title was edited by hand after the import.
        edited = session.get(Lead, john)
        assert edited is not None
        edited.title = "Head of Purchasing"
    add_callback(db, created["Alan"], team.sam)
    undone = undo_import(db, batch, team.boss)
    kept = {k.lead_id: k.why for k in undone.kept}
    assert kept == {created["Ada"]: "called", created["Alan"]: "a callback"}
    assert undone.removed == 1 and lead(db, created["Grace"]) is None
    assert [(v.lead_id, v.field, v.why) for v in undone.kept_values] == [
        (john, "title", "changed since")
    ]
    back = lead(db, john)
    assert back is not None
    assert (back.first_name, back.company, back.title) == (
        "John",
        "ACME Corporation",
        "Head of Purchasing",
    )
    text = undone.describe()
    assert "Ada Lovelace (called)" in text and "title (changed since)" in text
    with db.read() as session:
        recorded = session.get(ImportBatch, batch)
        assert recorded is not None and "called" in recorded.undo_note


def test_undo_refuses_a_second_undo_an_unknown_import_and_a_rep(
    db: Database, tmp_path, team: Team, john: int
) -> None:
    batch = run_import(db, update_file(tmp_path), on_duplicate=DuplicatePolicy.UPDATE)
    with pytest.raises(PermissionDenied, match="Only a team lead can undo imports"):
        undo_import(db, batch, team.sam)
    assert lead(db, leads_of(db, batch)["Ada"]) is not None, "a refused undo changes nothing"
    with pytest.raises(NotFound, match="There is no import #999"):
        undo_import(db, 999, team.boss)
    undo_import(db, batch, team.boss)
    with pytest.raises(ImportUndoRefused, match=rf"Import #{batch} \(update.csv\) was already"):
        undo_import(db, batch, team.boss)


def test_undoing_a_later_import_first_leaves_the_earlier_values_alone(
    db: Database, tmp_path, team: Team, john: int
) -> None:
    first = run_import(db, update_file(tmp_path), on_duplicate=DuplicatePolicy.UPDATE)
    row = [["John", "Doe", "Acme Group", "john@acme.com", "", ""]]
    second = run_import(
        db,
        write_csv(tmp_path / "second.csv", row, header=HEADER),
        on_duplicate=DuplicatePolicy.UPDATE,
    )
    undone = undo_import(db, first, team.boss)
    assert ("company", f"changed again by import #{second}") in {
        (v.field, v.why) for v in undone.kept_values
    }
    back = lead(db, john)
    assert back is not None and back.company == "Acme Group"
    assert back.title == "Buyer", "what only the first import changed is put back"
