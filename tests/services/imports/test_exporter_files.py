"""Exports of real CRMs import with every phone and email in place (issue 15, part 1).

The files in tests/fixtures/exports have the shapes of an Atomic CRM contacts export
(typed columns), an Odoo crm.lead "export all" (external-id countries), Krayin (JSON
cells with labels), and a list with notes after numbers and several emails per cell.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from teleprospect.services.imports.errors import ImportInvalid
from teleprospect.services.imports.leads import LeadImportRequest, import_leads
from teleprospect.services.imports.mappings import load_mapping, save_mapping
from teleprospect.services.imports.proposal import propose_mapping
from teleprospect.store.database import Database
from teleprospect.store.models import Lead

EXPORTS = Path(__file__).parents[2] / "fixtures" / "exports"


def imported(db: Database, name: str, tmp_path: Path, **options) -> dict[str, Lead]:
    path = shutil.copy(EXPORTS / name, tmp_path / name)
    summary = import_leads(
        db,
        LeadImportRequest(
            path=Path(path),
            login="mia",
            campaign_name="US webinar",
            default_region="US",
            report_dir=tmp_path,
            **options,
        ),
    )
    assert summary.rejected == 0
    with db.read() as session:
        leads = session.scalars(select(Lead).options(selectinload(Lead.phones))).all()
    return {lead.first_name: lead for lead in leads}


def phones(lead: Lead) -> list[tuple[str, str | None, bool]]:
    return [(phone.label, phone.e164, phone.valid) for phone in lead.phones]


def test_atomic_crm_typed_columns_bring_every_phone_and_email(db: Database, tmp_path) -> None:
    leads = imported(db, "atomic_crm_contacts.csv", tmp_path)
    jane, omar = leads["Jane"], leads["Omar"]
    assert jane.email == "jane.doe@acme.com"
    assert jane.extra["Email (home)"] == "jane@home.example.org"
    assert phones(jane) == [("work", "+12125550130", True), ("home", "+12125550188", True)]
    # No work address: the home one is the lead's, the other one is kept.
    assert omar.email == "omar.haddad@mail.example.net"
    assert omar.extra["Email (other)"] == "o.haddad@old.example.com"
    assert phones(omar) == [("other", "+14155550101", True)]
    assert "Import problems" not in jane.extra and "Import problems" not in omar.extra


def test_odoo_external_id_country_reads_the_rows_numbers(db: Database, tmp_path) -> None:
    leads = imported(db, "odoo_crm_lead_export_all.csv", tmp_path)
    ana, paul = leads["Ana"], leads["Paul"]
    # The Monterrey mobile in a US-region campaign: a Mexican number, Mexico's hours.
    assert ana.country == "MX"
    assert (ana.phone_e164, ana.phone_valid) == ("+528119099780", True)
    assert ana.phone_time_zones == "America/Mexico_City"
    assert ana.company == "Aceros del Norte" and ana.title == "Compras"
    assert (paul.country, paul.phone_e164) == ("US", "+12125550131")
    # The other external ids are kept as they were, not read as values.
    assert ana.extra["title/id"] == "base.res_partner_title_madam"


def test_krayin_json_cells_become_labelled_phones_and_emails(db: Database, tmp_path) -> None:
    lina = imported(db, "krayin_persons.csv", tmp_path)["Lina"]
    assert (lina.last_name, lina.company) == ("Park", "Park Labs")
    assert lina.email == "lina@park.example.com"
    assert lina.extra["Email (home)"] == "lina@home.example.org"
    assert phones(lina) == [("work", "+12125550150", True), ("mobile", "+19175550151", True)]
    assert all("{" not in phone.raw for phone in lina.phones)


def test_notes_label_numbers_and_every_email_of_a_cell_is_kept(db: Database, tmp_path) -> None:
    leads = imported(db, "notes_and_several_emails.csv", tmp_path)
    rosa, tom = leads["Rosa"], leads["Tom"]
    assert phones(rosa) == [("shop", "+12125550130", True)]
    assert rosa.phone_raw == "212-555-0130"
    assert rosa.email == "rosa@diaz.example.com"
    assert rosa.extra["Email 2"] == "orders@diaz.example.com"
    assert phones(tom) == [("mobile", "+447911123456", True)]
    assert tom.email == "tom@baker.example.com"
    assert tom.extra["Email 2"] == "t.baker@home.example.org"
    assert "Import problems" not in rosa.extra and "Import problems" not in tom.extra


def test_a_proposal_with_corrections_is_what_gets_imported_and_saved(
    db: Database, tmp_path
) -> None:
    path = Path(shutil.copy(EXPORTS / "atomic_crm_contacts.csv", tmp_path / "atomic.csv"))
    proposal = propose_mapping(
        db, path, corrections=["phone_home=phone:mobile", "BACKGROUND=ignore"], count=True
    )
    assert str(proposal.mapping.target("phone_home")) == "phone:mobile"
    assert str(proposal.mapping.target("background")) == "ignore"
    assert proposal.leads == 2 and proposal.warnings == []
    assert proposal.examples[proposal.header.index("email_work")] == "jane.doe@acme.com"
    save_mapping(db, "Atomic CRM", proposal.mapping)
    again = propose_mapping(db, path, saved_mapping="Atomic CRM")
    assert again.mapping == load_mapping(db, "Atomic CRM") == proposal.mapping


def test_a_file_without_phone_or_email_columns_is_warned_about_with_its_lead_count(
    db: Database, tmp_path
) -> None:
    path = tmp_path / "names.csv"
    path.write_text("Name,Company\n" + "".join(f"Lead {i},Co {i}\n" for i in range(7)))
    proposal = propose_mapping(db, path)
    assert proposal.leads == 7
    assert any("7 leads will have no phone" in warning for warning in proposal.warnings)
    assert any("7 leads will have no email" in warning for warning in proposal.warnings)


@pytest.mark.parametrize(
    ("correction", "words"),
    [
        ("Nope=email", 'no column "Nope"'),
        ("email_work=e-mail", '"e-mail" is not a field'),
        ("email_work", "of the form Column=field"),
    ],
)
def test_a_correction_that_cannot_be_used_says_why(
    db: Database, tmp_path, correction: str, words: str
) -> None:
    path = Path(shutil.copy(EXPORTS / "atomic_crm_contacts.csv", tmp_path / "atomic.csv"))
    with pytest.raises(ImportInvalid, match=words):
        propose_mapping(db, path, corrections=[correction])
