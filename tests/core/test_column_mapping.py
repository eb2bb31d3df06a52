"""Column mapping and value normalising for imports (issue 3, parts 2 and 3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from teleprospect.core.column_mapping import (
    ColumnMapping,
    ColumnTarget,
    LeadField,
    MappedLead,
    PhoneLabel,
    RawEmail,
    RawPhone,
    apply_mapping,
    mapping_warnings,
    split_full_name,
    suggest_mapping,
)
from teleprospect.core.normalise import (
    clean_text,
    normalise_company_size,
    normalise_country,
    normalise_email,
    split_phone_cell,
)
from teleprospect.services.imports.files import read_rows, sniff

F = LeadField


def suggested(headers: list[str]) -> dict[str, str]:
    return {column: str(target) for column, target in suggest_mapping(headers).columns.items()}


# --- suggestions for the exports of common tools -----------------------------------------

SALESFORCE = [
    "Lead ID", "Salutation", "First Name", "Last Name", "Title", "Company / Account",
    "Email", "Phone", "Mobile", "Lead Source", "Industry", "No. of Employees", "Country",
    "Lead Status", "Email Opt Out", "Lead Owner", "Owner Email",
]  # fmt: skip
HUBSPOT = [
    "Record ID", "First Name", "Last Name", "Email", "Phone Number", "Mobile Phone Number",
    "Company Name", "Job Title", "Industry", "Number of Employees", "Country/Region",
    "Original Source", "Lifecycle Stage", "Contact owner", "Fax Number",
]  # fmt: skip
ODOO = [
    "name", "contact_name", "partner_name", "email_from", "phone", "mobile",
    "contact_numbers", "function", "title", "country_id", "source_id", "user_id",
]  # fmt: skip
MAUTIC = ["id", "firstname", "lastname", "company", "position", "email", "mobile", "phone",
          "fax", "country", "preferred_locale", "points"]  # fmt: skip


def test_salesforce_export() -> None:
    assert suggested(SALESFORCE) == {
        "Lead ID": "extra", "Salutation": "extra", "First Name": "first_name",
        "Last Name": "last_name", "Title": "title", "Company / Account": "company",
        "Email": "email", "Phone": "phone:work", "Mobile": "phone:mobile",
        "Lead Source": "lead_source", "Industry": "industry",
        "No. of Employees": "company_size", "Country": "country", "Lead Status": "extra",
        "Email Opt Out": "extra", "Lead Owner": "extra", "Owner Email": "extra",
    }  # fmt: skip


def test_salesforce_api_names() -> None:
    headers = ["FirstName", "LastName", "Email", "MobilePhone", "HomePhone", "AssistantPhone",
               "NumberOfEmployees", "LeadSource", "Industry__c"]  # fmt: skip
    assert suggested(headers) == {
        "FirstName": "first_name", "LastName": "last_name", "Email": "email",
        "MobilePhone": "phone:mobile", "HomePhone": "phone:home", "AssistantPhone": "extra",
        "NumberOfEmployees": "company_size", "LeadSource": "lead_source",
        "Industry__c": "industry",
    }  # fmt: skip


def test_hubspot_export() -> None:
    assert suggested(HUBSPOT) == {
        "Record ID": "extra", "First Name": "first_name", "Last Name": "last_name",
        "Email": "email", "Phone Number": "phone:work", "Mobile Phone Number": "phone:mobile",
        "Company Name": "company", "Job Title": "title", "Industry": "industry",
        "Number of Employees": "company_size", "Country/Region": "country",
        "Original Source": "lead_source", "Lifecycle Stage": "extra", "Contact owner": "extra",
        "Fax Number": "extra",
    }  # fmt: skip


def test_odoo_export() -> None:
    # Odoo's "name" is the opportunity's title and "title" the salutation.
    assert suggested(ODOO) == {
        "name": "extra", "contact_name": "full_name", "partner_name": "company",
        "email_from": "email", "phone": "phone:work", "mobile": "phone:mobile",
        "contact_numbers": "phone:other", "function": "title", "title": "extra",
        "country_id": "country", "source_id": "lead_source", "user_id": "extra",
    }  # fmt: skip


def test_mautic_export() -> None:
    assert suggested(MAUTIC) == {
        "id": "extra", "firstname": "first_name", "lastname": "last_name",
        "company": "company", "position": "title", "email": "email", "mobile": "phone:mobile",
        "phone": "phone:work", "fax": "extra", "country": "country",
        "preferred_locale": "extra", "points": "extra",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("First Name", "first_name"), ("first_name", "first_name"),
        ("firstname", "first_name"), ("Given Name", "first_name"), ("Vorname", "first_name"),
        ("Prénom", "first_name"), ("Surname", "last_name"), ("Nachname", "last_name"),
        ("Company", "company"), ("Account Name", "company"), ("Organization", "company"),
        ("partner_name", "company"), ("Firma", "company"), ("Société", "company"),
        ("Phone", "phone:work"), ("Mobile", "phone:mobile"), ("phone_number", "phone:work"),
        ("contact_numbers", "phone:other"), ("Telefon", "phone:work"),
        ("Téléphone", "phone:work"), ("Cell Phone", "phone:mobile"), ("Handy", "phone:mobile"),
        ("Email", "email"), ("E-mail", "email"), ("email_from", "email"),
        ("E-Mail-Adresse", "email"), ("EMAIL ADDRESS", "email"),
        ("Title", "title"), ("Job Title", "title"), ("function", "title"),
        ("Lead Source", "lead_source"), ("Country", "country"), ("Land", "country"),
        ("Industry", "industry"), ("No. of Employees", "company_size"),
        ("Company size", "company_size"), ("Employees", "company_size"),
        ("Name", "full_name"), ("Full Name", "full_name"), ("Contact Name", "full_name"),
        # Recognised by how the name ends.
        ("Contact Email", "email"), ("Direct Mobile", "phone:mobile"),
        ("Switchboard Phone", "phone:other"), ("Registrant Country", "country"),
        # Someone else's, or about the value rather than the value.
        ("Owner Email", "extra"), ("Sales Rep Email", "extra"), ("Last Email", "extra"),
        ("Assistant Phone", "extra"), ("Fax", "extra"), ("Email Opt Out", "extra"),
        ("Notes", "extra"), ("Column 7", "extra"),
    ],
)  # fmt: skip
def test_header_synonyms(header: str, target: str) -> None:
    assert suggested([header]) == {header: target}


def test_one_column_per_single_field_the_best_one_wins() -> None:
    assert suggested(["Company", "Account", "Organization"]) == {
        "Company": "company", "Account": "extra", "Organization": "extra",
    }  # fmt: skip
    # Equally good names: the leftmost column.
    assert suggested(["Organization", "Company"]) == {"Organization": "company", "Company": "extra"}


def test_every_email_column_is_kept_with_its_label() -> None:
    assert suggested(["Email 2", "Other Email", "Email", "Work Email", "email_home"]) == {
        "Email 2": "email:other", "Other Email": "email:other", "Email": "email",
        "Work Email": "email:work", "email_home": "email:home",
    }  # fmt: skip


def test_name_is_split_only_when_first_and_last_are_missing() -> None:
    assert suggested(["Name", "Email"])["Name"] == "full_name"
    assert suggested(["Name", "First Name", "Last Name"])["Name"] == "extra"
    assert suggested(["Name", "Last Name"])["Name"] == "full_name"


def test_every_phone_column_is_kept() -> None:
    headers = ["Phone", "Mobile", "Other Phone", "Phone 2"]
    assert suggested(headers) == {
        "Phone": "phone:work", "Mobile": "phone:mobile", "Other Phone": "phone:other",
        "Phone 2": "phone:other",
    }  # fmt: skip


def test_a_saved_mapping_wins_and_matches_names_loosely() -> None:
    saved = ColumnMapping(
        {"Tel (direct)": ColumnTarget(F.PHONE, PhoneLabel.MOBILE), "Email": ColumnTarget(F.EXTRA)}
    )
    mapping = suggest_mapping(["TEL (Direct)", "Email", "Work Email"], saved=saved)
    assert {c: str(t) for c, t in mapping.columns.items()} == {
        "TEL (Direct)": "phone:mobile", "Email": "extra", "Work Email": "email:work",
    }  # fmt: skip


# --- the mapping value -------------------------------------------------------------------


def test_mapping_round_trips_through_json() -> None:
    mapping = suggest_mapping(HUBSPOT).with_target("Record ID", ColumnTarget(F.IGNORE))
    data = json.loads(json.dumps(mapping.to_dict()))
    assert data["version"] == 1
    assert data["columns"]["Mobile Phone Number"] == "phone:mobile"
    assert ColumnMapping.from_dict(data) == mapping


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"version": 2, "columns": {}},
        {"version": 1, "columns": ["Email"]},
        {"version": 1, "columns": {"Email": "e-mail"}},
        {"version": 1, "columns": {"Email": "email:mobile"}},
        {"version": 1, "columns": {"Company": "company:work"}},
        {"version": 1, "columns": {"Phone": "phone:fax"}},
    ],
)
def test_from_dict_refuses_what_it_cannot_read(data: dict) -> None:
    with pytest.raises(ValueError):
        ColumnMapping.from_dict(data)


def test_column_target_text_form() -> None:
    assert str(ColumnTarget(F.PHONE)) == "phone:work"
    assert ColumnTarget.parse("phone") == ColumnTarget(F.PHONE, PhoneLabel.WORK)
    assert ColumnTarget.parse("company") == ColumnTarget(F.COMPANY)


def test_correcting_a_single_field_moves_it() -> None:
    mapping = suggest_mapping(["Company", "Employer Name"])
    corrected = mapping.with_target("Employer Name", ColumnTarget(F.COMPANY))
    assert corrected.target("Company") == ColumnTarget(F.EXTRA)
    assert corrected.target("Employer Name") == ColumnTarget(F.COMPANY)
    assert corrected.column_for(F.COMPANY) == "Employer Name"
    assert mapping.target("Company") == ColumnTarget(F.COMPANY)  # the original is unchanged


def test_phones_may_share_a_label_across_columns() -> None:
    mapping = suggest_mapping(["Phone", "Direct"]).with_target("Direct", ColumnTarget(F.PHONE))
    assert mapping.target("Phone") == mapping.target("Direct")


def test_mapping_warnings() -> None:
    assert mapping_warnings(suggest_mapping(["First Name", "Email", "Phone"])) == []
    warnings = mapping_warnings(suggest_mapping(["Notes"]))
    assert len(warnings) == 3 and "cannot be called" in warnings[0]


# --- applying ----------------------------------------------------------------------------


def test_apply_normalises_every_field() -> None:
    values = {
        "First Name": "  Jane ", "Last Name": "van  der Berg", "Email": " Jane@Acme.COM ",
        "Company": " Acme\tGmbH ", "Job Title": "Head of IT", "Industry": "Software",
        "Number of Employees": "51-200", "Country": "Deutschland", "Lead Source": "Webinar",
        "Phone": "+49 30 1234567", "Mobile": "+49 151 23456789", "Notes": "  call after 3 ",
    }  # fmt: skip
    lead = apply_mapping(suggest_mapping(values), values)
    assert lead == MappedLead(
        first_name="Jane", last_name="van der Berg", email="jane@acme.com",
        company="Acme GmbH", title="Head of IT", industry="Software", company_size=51,
        country="DE", lead_source="Webinar",
        phones=[RawPhone("+49 30 1234567", PhoneLabel.WORK, "Phone"),
                RawPhone("+49 151 23456789", PhoneLabel.MOBILE, "Mobile")],
        emails=[RawEmail("jane@acme.com", "", "Email")],
        extras={"Notes": "call after 3"}, problems=[],
    )  # fmt: skip


def test_bad_values_flag_the_row_keep_the_text_and_keep_the_lead() -> None:
    values = {"Name": "Jane Doe", "Email": "jane@", "Employees": "lots", "Country": "Atlantis"}
    lead = apply_mapping(suggest_mapping(values), values)
    assert (lead.first_name, lead.last_name) == ("Jane", "Doe")
    assert (lead.email, lead.company_size, lead.country) == (None, None, None)
    assert lead.problems == [
        'Email: "jane@" is not a valid email address',
        'Employees: "lots" is not a number of employees',
        'Country: "Atlantis" is not a country name or code',
    ]
    assert lead.extras == {"Email": "jane@", "Employees": "lots", "Country": "Atlantis"}


def test_formula_looking_values_stay_plain_text() -> None:
    formula = '=HYPERLINK("http://x","y")'
    values = {"Company": formula, "Notes": "=1+2", "Title": "@SUM(A1)"}
    lead = apply_mapping(suggest_mapping(values), values)
    assert (lead.company, lead.title, lead.extras) == (formula, "@SUM(A1)", {"Notes": "=1+2"})


def test_phone_cells_with_several_numbers() -> None:
    values = {
        "contact_numbers": '["+1 212 736 5000", "(415) 555-2671"]',
        "Phone": "+44 20 7946 0958; +44 7700 900123",
        "Mobile": "030/1234567",
    }
    lead = apply_mapping(suggest_mapping(values), values)
    assert [(p.raw, p.label) for p in lead.phones] == [
        ("+1 212 736 5000", PhoneLabel.OTHER),
        ("(415) 555-2671", PhoneLabel.OTHER),
        ("+44 20 7946 0958", PhoneLabel.WORK),
        ("+44 7700 900123", PhoneLabel.WORK),
        ("030/1234567", PhoneLabel.MOBILE),
    ]


def test_several_addresses_in_one_cell_are_all_kept_the_first_valid_one_is_the_leads() -> None:
    values = {"Email": "not-an-address; jane@acme.com, j.doe@acme.com"}
    lead = apply_mapping(suggest_mapping(values), values)
    assert lead.email == "jane@acme.com"
    assert lead.extras == {"Email": "not-an-address", "Email 2": "j.doe@acme.com"}
    assert lead.problems == ['Email: "not-an-address" is not a valid email address']


def test_a_second_column_for_one_field_goes_to_extras() -> None:
    mapping = ColumnMapping({"Company": ColumnTarget(F.COMPANY), "Org": ColumnTarget(F.COMPANY)})
    lead = apply_mapping(mapping, {"Company": "", "Org": "Acme"})
    assert (lead.company, lead.extras) == ("Acme", {})
    lead = apply_mapping(mapping, {"Company": "Acme", "Org": "Acme Holding"})
    assert (lead.company, lead.extras) == ("Acme", {"Org": "Acme Holding"})


def test_ignored_columns_and_empty_cells_leave_nothing() -> None:
    mapping = ColumnMapping({"Internal ID": ColumnTarget(F.IGNORE)})
    lead = apply_mapping(mapping, {"Internal ID": "42", "Notes": "  ", "Other": ""})
    assert lead == MappedLead()


def test_full_name_fills_first_and_last_only_when_both_are_empty() -> None:
    mapping = suggest_mapping(["Name", "First Name"])
    assert mapping.target("Name") == ColumnTarget(F.FULL_NAME)
    lead = apply_mapping(mapping, {"Name": "Berg, Jane", "First Name": ""})
    assert (lead.first_name, lead.last_name) == ("Jane", "Berg")
    lead = apply_mapping(mapping, {"Name": "Berg, Jane", "First Name": "Janet"})
    assert (lead.first_name, lead.last_name) == ("Janet", "")


def test_plan_on_cells_equals_mapping_on_values_including_extra_cells() -> None:
    header = ("Email", "Phone")
    plan = suggest_mapping(header).compile(header)
    cells = ["j@x.org", "555", "surplus", "", "more"]
    lead = apply_mapping(plan, cells)
    assert lead.extras == {"extra_1": "surplus", "extra_3": "more"}
    assert lead == apply_mapping(
        suggest_mapping(header),
        {
            "Email": "j@x.org",
            "Phone": "555",
            "extra_1": "surplus",
            "extra_2": "",
            "extra_3": "more",
        },
    )
    with pytest.raises(TypeError):
        apply_mapping(suggest_mapping(header), cells)


def test_odoo_file_end_to_end(tmp_path: Path) -> None:
    path = tmp_path / "crm.lead.csv"
    path.write_text(
        "name,contact_name,partner_name,email_from,contact_numbers,function,country_id\n"
        'Interest in X,Dr. Jane van der Berg,"Acme, S.A.",JANE@ACME.ES,'
        '"[""+34 91 123 45 67"", ""(415) 555-2671""]",CEO,Spain\n',
        encoding="utf-8",
    )
    dialect = sniff(path)
    plan = suggest_mapping(dialect.header).compile(dialect.header)
    (lead,) = [plan.apply(row.cells) for row in read_rows(path, dialect)]
    assert (lead.first_name, lead.last_name, lead.company) == ("Jane", "van der Berg", "Acme, S.A.")
    assert (lead.email, lead.title, lead.country) == ("jane@acme.es", "CEO", "ES")
    assert [p.raw for p in lead.phones] == ["+34 91 123 45 67", "(415) 555-2671"]
    assert lead.extras == {"name": "Interest in X"}


# --- names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jane Doe", ("Jane", "Doe")),
        ("  Jane    Doe  ", ("Jane", "Doe")),
        ("Doe, Jane", ("Jane", "Doe")),
        ("van der Berg, Jane", ("Jane", "van der Berg")),
        ("Dr. Jane van der Berg", ("Jane", "van der Berg")),
        ("Prof. Dr. Hans Müller", ("Hans", "Müller")),
        ("Mary Ann Smith", ("Mary Ann", "Smith")),
        ("Juan Carlos de la Vega", ("Juan Carlos", "de la Vega")),
        ("Ludwig von Beethoven", ("Ludwig", "von Beethoven")),
        ("John Smith Jr.", ("John", "Smith Jr.")),
        ("Jane Doe, PhD", ("Jane", "Doe")),
        ("Smith, Dr. John", ("John", "Smith")),
        ("DUPONT Jean-Pierre", ("Jean-Pierre", "DUPONT")),
        ("JANE DOE", ("JANE", "DOE")),
        ("Madonna", ("Madonna", "")),
        ("Dr.", ("Dr.", "")),
        (",", ("", "")),
        ("- ; .", ("", "")),
        ("", ("", "")),
        ("   ", ("", "")),
    ],
)
def test_split_full_name(text: str, expected: tuple[str, str]) -> None:
    assert split_full_name(text) == expected


@given(st.text(max_size=40))
@example(",")  # found by a full run: a lone comma gave no name, and that is right
@example(" , ")
@example("-")
@example("Dr.")
@example(", Jane")
def test_split_full_name_never_invents_or_loses_much(text: str) -> None:
    first, last = split_full_name(text)
    assert first == first.strip() and last == last.strip()
    words = set(clean_text(text).replace(",", " ").split())
    assert set(f"{first} {last}".split()) <= words, "every part comes from the cell"
    if any(character.isalnum() for character in text):
        assert first or last, "a cell with a letter or digit in it keeps a name"
    else:
        assert (first, last) == ("", ""), "punctuation alone is no name"


# --- values ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" Jane.Doe@Example.COM ", "jane.doe@example.com"),
        ("mailto:jane@acme.io", "jane@acme.io"),
        ("Jane Doe <jane@acme.io>", "jane@acme.io"),
        ("jane+webinar@acme.co.uk", "jane+webinar@acme.co.uk"),
        ("jane@xn--mller-kva.de", "jane@xn--mller-kva.de"),
        ("jane@", None), ("@acme.com", None), ("jane@acme", None), ("jane@@acme.com", None),
        ("jane doe@acme.com", None), ("jane@acme..com", None), (".jane@acme.com", None),
        ("jane@-acme.com", None), ("jane@acme.c", None), ("jane@acme.123", None),
        ("n/a", None), ("", None), ('=HYPERLINK("mailto:x@y.com")', None),
    ],
)  # fmt: skip
def test_normalise_email(raw: str, expected: str | None) -> None:
    assert normalise_email(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("5000", 5000), ("51-200", 51), ("1,000+", 1000), ("10,001+", 10001),
        ("1.000", 1000), ("5 000", 5000), ("5000.0", 5000), ("1.5k", 1500), ("10k+", 10000),
        ("201 to 500", 201), ("1-10 employees", 1), ("<10", 1), ("Fewer than 50", 1),
        ("Self-employed", 1), ("lots", None), ("", None), ("0", None),
        ("9999999999", None),
    ],
)  # fmt: skip
def test_normalise_company_size(raw: str, expected: int | None) -> None:
    assert normalise_company_size(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("United Kingdom", "GB"), ("UK", "GB"), ("uk", "GB"), ("GB", "GB"), ("England", "GB"),
        ("Deutschland", "DE"), ("DE", "DE"), ("de", "DE"), ("Germany", "DE"), ("DEU", "DE"),
        ("USA", "US"), ("U.S.A.", "US"), ("United States of America", "US"), ("us", "US"),
        ("The Netherlands", "NL"), ("Österreich", "AT"), ("España", "ES"),
        ("  france ", "FR"), ("base.be", "BE"), ("CH", "CH"), ("Schweiz", "CH"),
        ("XX", None), ("Atlantis", None), ("", None), ("base.", None),
    ],
)  # fmt: skip
def test_normalise_country(raw: str, expected: str | None) -> None:
    assert normalise_country(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Acme   Corp ", "Acme Corp"), ("Acme\u00a0Corp", "Acme Corp"),
        ("Acme\nCorp", "Acme Corp"), ("Acme", "Acme"), ("=A1  +  B1", "=A1 + B1"),
    ],
)  # fmt: skip
def test_clean_text(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('["+1 212 736 5000", "(415) 555-2671"]', ["+1 212 736 5000", "(415) 555-2671"]),
        ("[12125550100, null]", ["12125550100"]),
        ("+1 212 736 5000 / (415) 555-2671", ["+1 212 736 5000", "(415) 555-2671"]),
        ("+1 212 736 5000, +1 415 555 2671", ["+1 212 736 5000", "+1 415 555 2671"]),
        ("+1 212 555 0100, ext 12", ["+1 212 555 0100, ext 12"]),
        ("030/1234567", ["030/1234567"]),
        ("555-1234\n555-9876 | 555-0000", ["555-1234", "555-9876", "555-0000"]),
        ("[broken", ["broken"]),
        ("  ", []),
    ],
)
def test_split_phone_cell(raw: str, expected: list[str]) -> None:
    assert split_phone_cell(raw) == expected
