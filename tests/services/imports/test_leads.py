"""Importing leads: every row accounted for, duplicates handled as asked, all or nothing."""

from __future__ import annotations

import csv
import gc
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from teleprospect.core.dedupe_keys import match_key
from teleprospect.core.domain import DuplicatePolicy, ImportStatus
from teleprospect.services.database import upgrade_database
from teleprospect.services.imports import lead_writer
from teleprospect.services.imports import leads as importing
from teleprospect.services.imports.campaigns import campaign_names, find_or_create_campaign
from teleprospect.services.imports.errors import AlreadyImported, ImportCancelled, ImportFailed
from teleprospect.services.imports.leads import LeadImportRequest, import_leads, preview_file
from teleprospect.services.imports.mappings import load_mapping, save_mapping
from teleprospect.services.scoring.rescore import rescore_all
from teleprospect.store.database import Database
from teleprospect.store.models import DoNotCallEntry, ImportBatch, Lead, LeadHistory, LeadPhone

HEADER = ["First Name", "Last Name", "Company", "Email", "Phone", "Mobile", "Country", "Title"]
ROWS = [
    ["Anna", "Schmidt", "Müller GmbH", "Anna.Schmidt@Mueller.de", "030 901820", "", "DE", "CFO"],
    ["John", "Doe", "Acme Inc", "john@acme.com", "(623)-853-7197", "+1 415 555 2671", "US", "VP"],
    ["Priya", "Nair", "Infosys", "priya@infosys.com", "918080808080", "", "", "CTO"],
    ["Bad", "Phone", "Nowhere Ltd", "bad@nowhere.example", "12", "", "GB", "Intern"],
]


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER, **kw) -> Path:
    with open(path, "w", newline="", encoding=kw.pop("encoding", "utf-8")) as stream:
        writer = csv.writer(stream, delimiter=kw.pop("delimiter", ","))
        writer.writerow(header)
        writer.writerows(rows)
    return path


def leads(db: Database) -> list[Lead]:
    with db.read() as session:
        return list(
            session.scalars(select(Lead).options(selectinload(Lead.phones)).order_by(Lead.id))
        )


def count(db: Database, model) -> int:  # noqa: ANN001
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def request(path: Path, **overrides) -> LeadImportRequest:
    return LeadImportRequest(path=path, login="mia", **overrides)


def test_a_clean_file_becomes_leads_with_normalised_data(db: Database, tmp_path) -> None:
    path = write_csv(tmp_path / "webinar.csv", ROWS)
    summary = import_leads(db, request(path, report_dir=tmp_path / "reports"))
    assert (summary.rows, summary.imported, summary.rejected) == (4, 4, 0)
    assert summary.invalid_phones == 1 and summary.flagged == 1
    anna, john, priya, bad = leads(db)
    assert anna.email == "anna.schmidt@mueller.de"
    assert (anna.phone_e164, anna.phone_time_zones, anna.country) == (
        "+4930901820",
        "Europe/Berlin",
        "DE",
    )
    assert john.phone_e164 == "+16238537197" and len(john.phones) == 2
    assert {p.label for p in john.phones} == {"work", "mobile"}
    assert priya.phone_e164 == "+918080808080" and priya.country == "IN"
    assert not bad.phone_valid and bad.phone_raw == "12", "a bad number flags, never drops"
    assert "Import problems" in bad.extra
    assert all(lead.next_action_at is not None for lead in (anna, john, priya, bad))
    with db.read() as session:
        batch = session.scalars(select(ImportBatch)).one()
    assert (batch.status, batch.imported, batch.rows, batch.login) == (
        ImportStatus.COMMITTED,
        4,
        4,
        "mia",
    )
    assert len(batch.file_sha256) == 64
    assert summary.summary_file is not None and "New leads:" in summary.summary_file.read_text()


def test_unmapped_columns_are_kept_as_extra_attributes(db: Database, tmp_path) -> None:
    path = write_csv(
        tmp_path / "x.csv",
        [["Lena", "Vogel", "Vogel AG", "lena@vogel.de", '=HYPERLINK("http://x","y")']],
        header=["First Name", "Last Name", "Company", "Email", "Booth Notes"],
    )
    import_leads(db, request(path))
    (lead,) = leads(db)
    assert lead.extra == {"Booth Notes": '=HYPERLINK("http://x","y")'}


def test_rows_with_nothing_to_go_on_are_rejected_with_row_number_and_reason(
    db: Database, tmp_path
) -> None:
    rows = [ROWS[0], ["", "", "", "", "", "", "", "Janitor"], ROWS[1]]
    path = write_csv(tmp_path / "scan.csv", rows)
    summary = import_leads(db, request(path, report_dir=tmp_path / "reports"))
    assert (summary.imported, summary.rejected) == (2, 1)
    with open(summary.reject_file, encoding="utf-8-sig", newline="") as stream:
        rejected = list(csv.reader(stream))
    assert rejected[0][:2] == ["Row", "Reason"] and rejected[0][2:] == HEADER
    assert rejected[1][0] == "3" and "no name, email, company or phone" in rejected[1][1]
    assert rejected[1][-1] == "Janitor", "the rejected row is kept whole, to fix and re-import"


@pytest.fixture
def existing_john(db: Database) -> int:
    with db.write() as session:
        lead = Lead(
            first_name="John",
            last_name="Doe",
            company="ACME Corporation",
            email="john@acme.com",
            title="",
            match_key=match_key("doe john", "ACME Corporation"),
        )
        session.add(lead)
    return lead.id


def test_skip_policy_leaves_the_existing_lead_alone(db, tmp_path, existing_john) -> None:
    summary = import_leads(db, request(write_csv(tmp_path / "a.csv", ROWS)))
    assert (summary.imported, summary.duplicates, summary.updated) == (3, 1, 0)
    (found,) = summary.duplicate_list
    assert found.lead_id == existing_john and found.row_number == 3
    assert "same email john@acme.com" in found.reason and found.action == "skipped"
    with db.read() as session:
        assert session.get(Lead, existing_john).title == ""


def test_update_policy_fills_in_but_never_blanks(db, tmp_path, existing_john) -> None:
    row = ["John", "Doe", "", "john@acme.com", "", "+1 415 555 2671", "US", "VP Sales"]
    summary = import_leads(
        db, request(write_csv(tmp_path / "a.csv", [row]), on_duplicate=DuplicatePolicy.UPDATE)
    )
    assert (summary.imported, summary.updated) == (0, 1)
    with db.read() as session:
        john = session.get(Lead, existing_john)
        assert john.title == "VP Sales"
        assert john.company == "ACME Corporation", "an empty cell never overwrites a value"
        assert john.phone_e164 == "+14155552671"
        assert [p.e164 for p in john.phones] == ["+14155552671"]


def test_mark_policy_imports_and_points_at_the_match(db, tmp_path, existing_john) -> None:
    summary = import_leads(
        db, request(write_csv(tmp_path / "a.csv", ROWS), on_duplicate=DuplicatePolicy.MARK)
    )
    assert (summary.imported, summary.duplicates) == (4, 1)
    new_john = [lead for lead in leads(db) if lead.id != existing_john and lead.last_name == "Doe"][
        0
    ]
    assert new_john.possible_duplicate_of_id == existing_john


def test_same_person_at_the_same_company_is_a_duplicate_despite_spelling(
    db, tmp_path, existing_john
) -> None:
    row = ["JOHN", "doe", "Acme Corp.", "jd@private.example", "", "", "US", ""]
    summary = import_leads(db, request(write_csv(tmp_path / "a.csv", [row])))
    (found,) = summary.duplicate_list
    assert found.lead_id == existing_john and "same person at the same company" in found.reason


def test_duplicates_within_one_file_are_found(db: Database, tmp_path) -> None:
    rows = [ROWS[1], ["Jon", "Smith", "Other", "x@other.example", "623 853 7197", "", "US", ""]]
    summary = import_leads(db, request(write_csv(tmp_path / "a.csv", rows)))
    assert (summary.imported, summary.duplicates) == (1, 1)
    (found,) = summary.duplicate_list
    assert found.row_number == 3 and "same phone +16238537197 as an earlier row" in found.reason


def test_do_not_call_numbers_and_emails_stay_out_of_the_queue(db: Database, tmp_path) -> None:
    with db.write() as session:
        session.add_all(
            [DoNotCallEntry(phone_e164="+4930901820"), DoNotCallEntry(email="priya@infosys.com")]
        )
    summary = import_leads(db, request(write_csv(tmp_path / "a.csv", ROWS)))
    assert summary.dnc == 2 and summary.imported == 4
    flags = {lead.first_name: lead.do_not_call for lead in leads(db)}
    assert flags == {"Anna": True, "John": False, "Priya": True, "Bad": False}
    with db.read() as session:
        reasons = session.scalars(select(LeadHistory.reason)).all()
    assert reasons == ["on the do-not-call list when imported"] * 2


def test_reimporting_the_same_file_is_detected(db: Database, tmp_path) -> None:
    path = write_csv(tmp_path / "a.csv", ROWS)
    first = import_leads(db, request(path))
    assert preview_file(db, path).previous_batch_id == first.batch_id
    with pytest.raises(AlreadyImported, match="already imported"):
        import_leads(db, request(path))
    again = import_leads(db, request(path, allow_reimport=True))
    assert again.duplicates == 4 and again.imported == 0


def rows_with_rejects_and_duplicates(n: int) -> list[list[str]]:
    """``n`` people, with a row to reject and a duplicate among every ten."""
    rows = []
    for i in range(n):
        if i % 10 == 3:
            rows.append(["", "", "", "", "", "", "", "Janitor"])
        elif i % 10 == 6:
            rows.append([f"P{i - 1}", "Person", f"Co {i - 1}", f"p{i - 1}@co{i - 1}.example"]
                        + ["", "", "US", ""])  # fmt: skip
        else:
            rows.append([f"P{i}", "Person", f"Co {i}", f"p{i}@co{i}.example", "", "", "US", ""])
    return rows


def test_an_error_mid_import_changes_nothing_and_leaves_nothing(
    db, tmp_path, monkeypatch, caplog
) -> None:
    path = write_csv(tmp_path / "a.csv", rows_with_rejects_and_duplicates(50))
    monkeypatch.setattr(importing, "ROWS_PER_CHUNK", 10)
    real = lead_writer.LeadWriter.write_chunk
    calls = {"n": 0}

    def failing(self, *args):  # noqa: ANN001, ANN002, ANN202
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return real(self, *args)

    monkeypatch.setattr(lead_writer.LeadWriter, "write_chunk", failing)
    with caplog.at_level("WARNING"), pytest.raises(ImportFailed, match="nothing was imported"):
        import_leads(db, request(path, report_dir=tmp_path / "r"))
    assert calls["n"] == 3, "the import stopped after writing two chunks"
    assert count(db, Lead) == 0 and count(db, LeadPhone) == 0
    assert count(db, ImportBatch) == 0, "an import that changed nothing leaves no record"
    assert list((tmp_path / "r").iterdir()) == [], "no reject, duplicates or summary file"
    assert "a.csv" in caplog.text and "disk full" in caplog.text


def test_a_campaign_named_for_the_import_exists_only_if_the_import_does(
    db, tmp_path, monkeypatch
) -> None:
    path = write_csv(tmp_path / "a.csv", ROWS)
    dry = import_leads(db, request(path, campaign_name="Autumn fair", dry_run=True))
    assert dry.campaign == "Autumn fair" and not dry.campaign_created
    assert campaign_names(db) == []

    monkeypatch.setattr(lead_writer.LeadWriter, "write_chunk", lambda *_: 1 / 0)
    with pytest.raises(ImportFailed):
        import_leads(db, request(path, campaign_name="Autumn fair"))
    assert campaign_names(db) == []
    monkeypatch.undo()

    done = import_leads(db, request(path, campaign_name="Autumn fair", default_region="GB"))
    assert done.campaign_created and [c[1:] for c in campaign_names(db)] == [("Autumn fair", "GB")]
    again = import_leads(db, request(path, campaign_name="AUTUMN  fair", allow_reimport=True))
    assert again.campaign == "Autumn fair" and not again.campaign_created
    with db.read() as session:
        campaign_ids = set(session.scalars(select(Lead.campaign_id)))
        batch_campaigns = set(session.scalars(select(ImportBatch.campaign_id)))
    assert campaign_ids == batch_campaigns == {campaign_names(db)[0][0]}


def test_campaign_names_match_exactly_not_as_patterns(db: Database) -> None:
    find_or_create_campaign(db, "Q1_fair")
    assert find_or_create_campaign(db, "Q1-fair").created
    assert not find_or_create_campaign(db, "q1_FAIR").created
    assert find_or_create_campaign(db, "Q1%").created
    accented = find_or_create_campaign(db, "Été Forum")
    assert find_or_create_campaign(db, "ÉTÉ  FORUM").id == accented.id
    assert find_or_create_campaign(db, "été forum").id == accented.id


def test_cancel_changes_nothing_and_leaves_nothing(
    db: Database, tmp_path, monkeypatch, caplog
) -> None:
    rows = rows_with_rejects_and_duplicates(30)
    monkeypatch.setattr(importing, "ROWS_PER_CHUNK", 10)
    seen = []
    with caplog.at_level("WARNING"), pytest.raises(ImportCancelled):
        import_leads(
            db,
            request(write_csv(tmp_path / "a.csv", rows), report_dir=tmp_path / "r"),
            progress=lambda done, total: seen.append(done),
            should_cancel=lambda: len(seen) >= 2,
        )
    assert seen == [10, 20], "the import stopped after writing two chunks"
    assert count(db, Lead) == 0 and count(db, ImportBatch) == 0
    assert list((tmp_path / "r").iterdir()) == []
    assert "a.csv" in caplog.text and "cancelled" in caplog.text


def test_reports_appear_only_once_the_import_committed(db: Database, tmp_path) -> None:
    reports = tmp_path / "r"
    reports.mkdir()
    abandoned = reports / ".old-20250101-000000-duplicates.csv.999999999.part"
    abandoned.write_text("left by a killed import", encoding="utf-8")
    path = write_csv(tmp_path / "a.csv", rows_with_rejects_and_duplicates(20))
    summary = import_leads(db, request(path, report_dir=reports))
    assert (summary.rejected, summary.duplicates) == (2, 2)
    assert summary.reject_file and summary.duplicates_file and summary.summary_file
    assert sorted(p.name for p in reports.iterdir()) == sorted(
        p.name for p in (summary.reject_file, summary.duplicates_file, summary.summary_file)
    ), "the reports in place, nothing unfinished, and what a killed import left removed"
    assert str(summary.duplicates_file) in summary.summary_file.read_text(encoding="utf-8")
    assert "Janitor" in summary.reject_file.read_text(encoding="utf-8-sig")


def test_dry_run_counts_but_saves_nothing(db: Database, tmp_path) -> None:
    summary = import_leads(db, request(write_csv(tmp_path / "a.csv", ROWS), dry_run=True))
    assert summary.imported == 4 and summary.dry_run and summary.batch_id is None
    assert count(db, Lead) == 0


def _stored(database: Database) -> list[tuple]:
    """Every lead as stored, less what depends on when or as which batch it was written."""
    moment = {
        "id", "created_at", "updated_at", "next_action_at", "scored_at", "import_batch_id",
        "staged_write_id",
    }  # fmt: skip
    columns = [c for c in Lead.__table__.columns if c.name not in moment]
    result = []
    for lead in leads(database):
        values = {c.name: getattr(lead, c.key) for c in columns}
        values["priority"] = round(values["priority"], 4)  # ages with the import's time
        values["possible_duplicate_of_id"] = bool(values["possible_duplicate_of_id"])
        phones = [(p.position, p.label, p.raw, p.e164, p.valid, p.time_zones) for p in lead.phones]
        result.append((sorted(values.items()), phones))
    return result


def test_worker_processes_give_the_same_leads_as_inline(db, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(importing, "ROWS_PER_CHUNK", 2)
    rows = [
        *ROWS,
        ["", "", "", "", "", "", "", "Intern"],  # rejected
        ["JOHN", "doe", "ACME, Inc.", "", "", "", "US", ""],  # the same person: marked
        ["Zoë", "Ndiaye", "X" * 250, "zoe@@example", "+33 1 42 68 53 00", "", "", ""],
    ]
    path = write_csv(tmp_path / "a.csv", rows)
    inline_db = Database(f"sqlite:///{tmp_path / 'inline.sqlite3'}")
    upgrade_database(inline_db)
    mark = DuplicatePolicy.MARK
    inline = import_leads(inline_db, request(path, parallel=False, on_duplicate=mark))
    workers = import_leads(db, request(path, parallel=True, on_duplicate=mark))
    counts = ("rows", "imported", "duplicates", "rejected", "invalid_phones", "flagged")
    assert [getattr(workers, n) for n in counts] == [getattr(inline, n) for n in counts]
    assert (workers.imported, workers.duplicates, workers.rejected) == (6, 1, 1)
    assert _stored(db) == _stored(inline_db)
    assert [lead.phone_e164 for lead in leads(db)][:4] == [
        "+4930901820",
        "+16238537197",
        "+918080808080",
        None,
    ]
    inline_db.dispose()


def test_leads_scored_in_worker_processes_are_scored_as_rescoring_scores_them(
    db, tmp_path, monkeypatch
) -> None:
    """The workers score new leads by the rules sent to them; the stored values are what
    re-scoring the leads in the database gives (score, priority and calling zones), with a
    campaign of another country, mobiles and a number without its country code."""
    monkeypatch.setattr(importing, "ROWS_PER_CHUNK", 2)
    campaign = find_or_create_campaign(db, "Benelux summit", "BE")
    rows = [
        *ROWS,
        ["Piet", "Janssens", "Data NV", "piet@gmail.com", "+32 470 12 34 56", "", "", "CEO"],
        ["Eva", "Vos", "Vos BV", "eva@vos.nl", "06 12345678", "", "NL", "Student"],
        ["Tom", "Lee", "Acme Inc", "tom@acme.com", "+1 800 642 7676", "", "US", "Engineer"],
    ]
    path = write_csv(tmp_path / "summit.csv", rows)
    summary = import_leads(db, request(path, parallel=True, campaign_id=campaign.id))
    assert summary.imported == len(rows)
    # Without a campaign a toll-free number is called on the clock of the lead's country,
    # whatever region the file's numbers were read with.
    canada = [["Léa", "Roy", "Nord Inc", "lea@nord.ca", "1 888 434 2876", "", "CA", "VP"]]
    path = write_csv(tmp_path / "canada.csv", canada)
    import_leads(db, request(path, parallel=True, default_region="US"))
    stored = {lead.id: (lead.score, lead.priority, lead.call_zones) for lead in leads(db)}
    assert stored[max(stored)][2] == "America/Toronto"
    rescored = rescore_all(db)
    assert (rescored.leads, rescored.changed, rescored.reordered) == (len(rows) + 1, 0, 0)
    assert {lead.id: (lead.score, lead.priority, lead.call_zones) for lead in leads(db)} == (stored)


def test_a_value_cut_to_fit_flags_its_row_and_keeps_the_full_text(db, tmp_path) -> None:
    company = "Very Long Company Name " * 12  # over the column's 200 characters
    rows = [["Ada", "Lovelace", company, "ada@example.com", "+44 20 7946 0018", "", "GB", ""]]
    summary = import_leads(db, request(write_csv(tmp_path / "a.csv", rows)))
    assert (summary.imported, summary.flagged) == (1, 1)
    (ada,) = leads(db)
    assert len(ada.company) == 200 and ada.extra["company (full)"] == company.strip()
    assert "company longer than 200 characters: cut" in ada.extra["Import problems"]


def test_an_import_leaves_garbage_collection_as_it_was(db, tmp_path, monkeypatch) -> None:
    before = gc.get_threshold()
    import_leads(db, request(write_csv(tmp_path / "a.csv", ROWS)))
    assert gc.get_threshold() == before
    monkeypatch.setattr(lead_writer.LeadWriter, "write_chunk", lambda *_: 1 / 0)
    with pytest.raises(ImportFailed):
        import_leads(db, request(write_csv(tmp_path / "b.csv", ROWS[:2])))
    assert gc.get_threshold() == before


def test_campaign_region_reads_local_numbers(db: Database, tmp_path) -> None:
    campaign = find_or_create_campaign(db, "London roadshow", "GB")
    assert campaign.created and find_or_create_campaign(db, "london ROADSHOW").id == campaign.id
    path = write_csv(
        tmp_path / "a.csv",
        [["Tom", "Hale", "Hale Ltd", "", "020 7946 0018"]],
        header=["First Name", "Last Name", "Company", "Email", "Phone"],
    )
    import_leads(db, request(path, campaign_id=campaign.id))
    (tom,) = leads(db)
    assert (tom.phone_e164, tom.campaign_id) == ("+442079460018", campaign.id)


def test_semicolon_cp1252_excel_file_with_a_name_column(db: Database, tmp_path) -> None:
    path = write_csv(
        tmp_path / "excel.csv",
        [["Dr. Renée Dubois", "Société Générale", "renee@sg.example", "01 42 68 53 00", "FR"]],
        header=["Name", "Société", "E-mail", "Téléphone", "Pays"],
        encoding="cp1252",
        delimiter=";",
    )
    summary = import_leads(db, request(path))
    assert summary.imported == 1
    (lead,) = leads(db)
    assert (lead.first_name, lead.last_name) == ("Renée", "Dubois")
    assert lead.phone_e164 == "+33142685300"


def test_saved_mappings_round_trip(db: Database, tmp_path) -> None:
    path = write_csv(tmp_path / "a.csv", ROWS)
    mapping = preview_file(db, path).suggested
    save_mapping(db, "Webinar tool", mapping)
    save_mapping(db, "Webinar tool", mapping)  # saving again replaces
    assert load_mapping(db, "Webinar tool") == mapping


def test_duplicates_are_all_in_a_report_and_memory_forgets_old_keys(
    db: Database, tmp_path, monkeypatch
) -> None:
    """Past FILE_KEYS_KEPT leads, earlier rows are found through the database instead."""
    monkeypatch.setattr(lead_writer, "FILE_KEYS_KEPT", 3)
    monkeypatch.setattr(importing, "ROWS_PER_CHUNK", 4)
    monkeypatch.setattr(lead_writer, "DUPLICATES_LISTED", 1)
    rows = [[f"P{i}", "Person", f"Co {i}", f"p{i}@co.example", "", "", "US", ""] for i in range(20)]
    rows += [
        ["Again", "First", "", "p0@co.example", "", "", "", ""],
        ["Again", "Second", "", "p1@co.example", "", "", "", ""],
    ]
    summary = import_leads(
        db, request(write_csv(tmp_path / "a.csv", rows), report_dir=tmp_path / "r")
    )
    assert (summary.imported, summary.duplicates) == (20, 2)
    assert len(summary.duplicate_list) == 1
    with open(summary.duplicates_file, encoding="utf-8-sig", newline="") as stream:
        listed = list(csv.DictReader(stream))
    assert [(d["Row"], d["Why"]) for d in listed] == [
        ("22", "same email p0@co.example as an earlier row of this file"),
        ("23", "same email p1@co.example as an earlier row of this file"),
    ]
    assert "Every duplicate" in summary.summary_file.read_text()


def test_a_number_with_dozens_of_time_zones_is_stored(db: Database, tmp_path) -> None:
    """A US toll-free number maps to 42 zones: longer than any fixed-width column."""
    path = write_csv(
        tmp_path / "a.csv",
        [["Tia", "Free", "Callme Inc", "", "+1 800 555 0199"]],
        header=["First Name", "Last Name", "Company", "Email", "Phone"],
    )
    summary = import_leads(db, request(path))
    assert summary.imported == 1
    (lead,) = leads(db)
    assert len(lead.time_zones) > 30 and lead.phones[0].time_zones == lead.phone_time_zones
