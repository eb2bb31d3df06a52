"""Issue 15: company matching on import. "School District 102" is not "School District
104" (an update once overwrote a different person that way), and rows with a company but
no name are matched with each other too."""

from __future__ import annotations

from sqlalchemy import select

from teleprospect.core.domain import DuplicatePolicy
from teleprospect.services.imports.leads import LeadImportRequest, import_leads
from teleprospect.store.database import Database
from teleprospect.store.models import Lead
from tests.services.imports.test_leads import write_csv

HEADER = ["First Name", "Last Name", "Company", "Email", "Title"]


def test_a_person_at_another_numbered_district_is_a_new_lead_not_an_update(
    db: Database, tmp_path
) -> None:
    first = [["Pat", "Lee", "School District 102", "", "Principal"]]
    import_leads(db, LeadImportRequest(write_csv(tmp_path / "a.csv", first, header=HEADER)))
    second = [
        ["Pat", "Lee", "School District 104", "", "Teacher"],
        ["Pat", "Lee", "School district 102.", "", "Head"],
    ]
    summary = import_leads(
        db,
        LeadImportRequest(
            write_csv(tmp_path / "b.csv", second, header=HEADER),
            on_duplicate=DuplicatePolicy.UPDATE,
        ),
    )
    assert (summary.imported, summary.updated) == (1, 1)
    with db.read() as session:
        found = {
            (row.company, row.title) for row in session.execute(select(Lead.company, Lead.title))
        }
    # The one at district 102 took the file's values; the one at 104 is another person.
    assert found == {("School district 102.", "Head"), ("School District 104", "Teacher")}


def test_rows_with_a_company_alone_are_matched_with_each_other(db: Database, tmp_path) -> None:
    first = [["", "", "Acme Inc", "", ""], ["", "", "Branch 7 Motors", "", ""]]
    import_leads(db, LeadImportRequest(write_csv(tmp_path / "a.csv", first, header=HEADER)))
    second = [
        ["", "", "ACME Corporation", "", ""],
        ["", "", "Branch 8 Motors", "", ""],
        ["John", "Doe", "Acme Inc", "", ""],
    ]
    summary = import_leads(
        db, LeadImportRequest(write_csv(tmp_path / "b.csv", second, header=HEADER))
    )
    assert (summary.imported, summary.duplicates) == (2, 1)
    (found,) = summary.duplicate_list
    assert found.row_number == 2 and "same person at the same company" in found.reason
