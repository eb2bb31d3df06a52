"""A lead's other email addresses (a home address beside the work one, kept among its
extras as "Email (home)") count like its own: on the do-not-call list they keep the lead
out of the queue, and they find the lead's duplicates, in the database and in the file."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from teleprospect.services.imports.leads import LeadImportRequest, import_leads
from teleprospect.store.database import Database
from teleprospect.store.models import DoNotCallEntry, Lead

HEADER = "First Name,Last Name,Company,email_work,email_home,Phone\n"


def write(path: Path, *rows: str) -> Path:
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def request(path: Path) -> LeadImportRequest:
    return LeadImportRequest(path=path, login="mia")


def stored(db: Database) -> list[tuple[str, str | None, bool, dict]]:
    with db.read() as session:
        return [
            (lead.first_name, lead.email, lead.do_not_call, dict(lead.extra))
            for lead in session.scalars(select(Lead).order_by(Lead.id))
        ]


def test_a_home_email_on_the_do_not_call_list_keeps_the_lead_out_of_the_queue(
    db: Database, tmp_path: Path
) -> None:
    with db.write() as session:
        session.add(DoNotCallEntry(email="ana.home@example.org"))
    summary = import_leads(
        db,
        request(
            write(
                tmp_path / "a.csv",
                "Ana,Ruiz,Acme,ana@acme.com,Ana.Home@example.org,",
                "Ben,Ode,Acme,ben@acme.com,ben.home@example.org,",
            )
        ),
    )
    assert (summary.imported, summary.dnc) == (2, 1)
    assert "ana.home@example.org" in summary.behind("dnc")
    assert [(name, email, dnc) for name, email, dnc, _ in stored(db)] == [
        ("Ana", "ana@acme.com", True),
        ("Ben", "ben@acme.com", False),
    ]
    assert stored(db)[0][3]["Email (home)"] == "ana.home@example.org"


def test_a_home_email_that_is_an_existing_leads_email_is_a_duplicate(
    db: Database, tmp_path: Path
) -> None:
    import_leads(db, request(write(tmp_path / "first.csv", "Ana,Ruiz,Acme,ana@home.example,,")))
    summary = import_leads(
        db,
        request(
            write(
                tmp_path / "second.csv", "Ana,Ruiz-Diaz,Initech,ana@initech.com,ANA@home.example,"
            )
        ),
    )
    assert (summary.imported, summary.duplicates) == (0, 1)
    (found,) = summary.duplicate_list
    assert "same email ana@home.example as an existing lead" in found.reason
    assert len(stored(db)) == 1


def test_a_later_row_with_an_earlier_rows_home_email_is_a_duplicate(
    db: Database, tmp_path: Path
) -> None:
    summary = import_leads(
        db,
        request(
            write(
                tmp_path / "a.csv",
                "Ana,Ruiz,Acme,ana@acme.com,ana@home.example,",
                "Ana,Ruiz,Initech,ana@home.example,,",
                "Ben,Ode,Acme,ben@acme.com,,",
            )
        ),
    )
    assert (summary.imported, summary.duplicates) == (2, 1)
    (found,) = summary.duplicate_list
    assert found.row_number == 3
    assert "same email ana@home.example as an earlier row of this file" in found.reason
