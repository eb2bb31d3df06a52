"""Every phone and email of real CRM exports found, with its label (issue 15, part 1)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teleprospect.core.column_mapping import ColumnTarget, apply_mapping, suggest_mapping
from teleprospect.core.contact_cells import (
    contact_label,
    email_cell_items,
    phone_cell_items,
    split_note,
)
from teleprospect.core.normalise import normalise_country


def suggested(headers: list[str]) -> dict[str, str]:
    return {column: str(target) for column, target in suggest_mapping(headers).columns.items()}


# --- column names of real exports -----------------------------------------------------------

ATOMIC_CRM = ["first_name", "last_name", "gender", "title", "company", "email_work",
              "email_home", "email_other", "phone_work", "phone_home", "phone_other",
              "background", "tags"]  # fmt: skip
ODOO_EXPORT_ALL = ["id", "name", "contact_name", "partner_name", "email_from", "phone",
                   "mobile", "function", "title/id", "country_id/id", "state_id/id",
                   "user_id/id", "team_id/.id"]  # fmt: skip
KRAYIN = ["name", "emails", "contact_numbers", "job_title", "organization"]


def test_atomic_crm_typed_columns_map_to_labelled_phones_and_emails() -> None:
    mapping = suggested(ATOMIC_CRM)
    assert {c: t for c, t in mapping.items() if c.startswith(("email", "phone"))} == {
        "email_work": "email:work", "email_home": "email:home", "email_other": "email:other",
        "phone_work": "phone:work", "phone_home": "phone:home", "phone_other": "phone:other",
    }  # fmt: skip


def test_odoo_external_id_country_is_the_country_other_ids_stay_extras() -> None:
    mapping = suggested(ODOO_EXPORT_ALL)
    assert mapping["country_id/id"] == "country"
    assert mapping["email_from"] == "email" and mapping["mobile"] == "phone:mobile"
    for column in ("title/id", "state_id/id", "user_id/id", "team_id/.id", "name"):
        assert mapping[column] == "extra", column


def test_krayin_json_columns_map_to_phones_and_emails() -> None:
    mapping = suggested(KRAYIN)
    assert (mapping["emails"], mapping["contact_numbers"]) == ("email", "phone:other")


@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("Email 2", "email:other"), ("E-mail 1", "email"), ("Personal Email", "email:home"),
        ("Business Email", "email:work"), ("Mobile Phone", "phone:mobile"),
        ("Mobile Phone 2", "phone:mobile"), ("Phone 2", "phone:other"),
        ("phone_home", "phone:home"), ("Private Phone", "phone:home"),
        ("Alternate Phone", "phone:other"), ("Telephone 3", "phone:other"),
        # Someone else's stays someone else's, however numbered.
        ("Owner Email 2", "extra"), ("Assistant Phone 2", "extra"),
    ],
)  # fmt: skip
def test_typed_and_numbered_variants(header: str, target: str) -> None:
    assert suggested([header]) == {header: target}


def test_every_target_has_a_text_form_that_reads_back() -> None:
    for target in ColumnTarget.choices():
        assert ColumnTarget.parse(str(target)) == target


# --- countries ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("base.mx", "MX"), ("Mexico", "MX"), ("México", "MX"), ("Mexiko", "MX"),
        ("Мексика", "MX"), ("MEX", "MX"), ("mx", "MX"), ("Korea, Republic of", "KR"),
        ("Republic of Korea", "KR"), ("Südkorea", "KR"), ("Vereinigte Staaten", "US"),
        ("Estados Unidos", "US"), ("Royaume-Uni", "GB"), ("UK", "GB"), ("Holland", "NL"),
        ("Nederland", "NL"), ("Polska", "PL"), ("日本", "JP"), ("Brasil", "BR"),
    ],
)  # fmt: skip
def test_country_names_in_any_language(text: str, code: str) -> None:
    assert normalise_country(text) == code


@pytest.mark.parametrize("text", ["Atlantis", "base.", "base.xx", "Q", "Europe"])
def test_what_is_no_country_is_none(text: str) -> None:
    assert normalise_country(text) is None


def test_the_row_country_from_an_odoo_external_id_is_the_lead_country() -> None:
    values = {"contact_name": "Ana Garza", "mobile": "8119099780", "country_id/id": "base.mx"}
    lead = apply_mapping(suggest_mapping(values), values)
    assert lead.country == "MX" and lead.phones[0].raw == "8119099780"


# --- phone cells ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "items"),
    [
        ("212-555-0130 (shop)", [("212-555-0130", "shop")]),
        ("212-555-0130 [Home]", [("212-555-0130", "home")]),
        ("212-555-0130 - front desk", [("212-555-0130", "front desk")]),
        ("Mobile: +44 7700 900123", [("+44 7700 900123", "mobile")]),
        ("Tel.: +49 30 1234567", [("+49 30 1234567", "")]),
        # Extensions stay with the number for the phone parser; digits are never a note.
        ("+1 212 555 0130 ext 12", [("+1 212 555 0130 ext 12", "")]),
        ("212-555-0130 x12", [("212-555-0130 x12", "")]),
        ("212-555-0130 (ext. 7)", [("212-555-0130 (ext. 7)", "")]),
        ("(212) 555-0130", [("(212) 555-0130", "")]),
        ("+44 (0)20 7946 0958", [("+44 (0)20 7946 0958", "")]),
        ("212-555-0130 (shop), 212 555 0199 (home)",
         [("212-555-0130", "shop"), ("212 555 0199", "home")]),
        ('[{"label": "work", "value": "+1 212 555 0130"}, '
         '{"label": "Cell", "value": "415 555 2671"}]',
         [("+1 212 555 0130", "work"), ("415 555 2671", "mobile")]),
        ('["+1 212 736 5000", "(415) 555-2671"]',
         [("+1 212 736 5000", ""), ("(415) 555-2671", "")]),
        ("[{'label': 'work', 'value': '+1 212 555 0130'}]", [("+1 212 555 0130", "work")]),
        ('{"type": "home", "number": "020 7946 0958"}', [("020 7946 0958", "home")]),
        ('[{"label": "work", "value": ""}]', []),
    ],
)  # fmt: skip
def test_phone_cells(cell: str, items: list[tuple[str, str]]) -> None:
    assert phone_cell_items(cell) == items


def test_a_json_phone_is_never_stored_as_the_text_of_an_object() -> None:
    cell = json.dumps([{"label": "work", "value": "+1 212 555 0130"}])
    values = {"contact_numbers": cell}
    lead = apply_mapping(suggest_mapping(values), values)
    assert [(p.raw, p.label) for p in lead.phones] == [("+1 212 555 0130", "work")]


def test_a_note_labels_the_number_over_the_column_label() -> None:
    values = {"Phone": "212-555-0130 (shop)", "Mobile": "917 555 0101"}
    lead = apply_mapping(suggest_mapping(values), values)
    assert [(p.raw, p.label) for p in lead.phones] == [
        ("212-555-0130", "shop"),
        ("917 555 0101", "mobile"),
    ]


@given(
    number=st.from_regex(r"\+1 [2-9]\d\d [2-9]\d\d \d{4}", fullmatch=True),
    note=st.text(st.characters(categories=["Ll", "Lu"]), min_size=1, max_size=20),
)
def test_any_word_after_a_number_becomes_its_label_never_part_of_it(number: str, note: str) -> None:
    if note.lower().replace(".", "") in {"ext", "extn", "extension", "x", "xt", "int", "poste"}:
        return  # an extension marker, not a note
    [(raw, label)] = phone_cell_items(f"{number} ({note})")
    assert raw == number and label == contact_label(note) and label


@pytest.mark.parametrize(
    ("text", "label"),
    [("Cell", "mobile"), ("Business", "work"), ("privat", "home"), ("Alternate", "other"),
     ("Shop", "shop"), ("home phone", "home"), ("E-Mail", ""), ("x" * 60, "x" * 40)],
)  # fmt: skip
def test_labels_fold_to_the_usual_four(text: str, label: str) -> None:
    assert contact_label(text) == label


def test_split_note_keeps_a_value_without_a_note_whole() -> None:
    assert split_note("jane@acme-corp.com") == ("jane@acme-corp.com", "")
    assert split_note("jane@acme.com (home)") == ("jane@acme.com", "home")


# --- email cells ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "addresses", "unusable"),
    [
        ("a@x.com / b@y.org", ["a@x.com", "b@y.org"], []),
        ("a@x.com and b@y.org", ["a@x.com", "b@y.org"], []),
        ("a@x.com; b@y.org, c@z.net", ["a@x.com", "b@y.org", "c@z.net"], []),
        ("a@x.com b@y.org", ["a@x.com", "b@y.org"], []),
        ("A@X.com, a@x.com", ["a@x.com"], []),
        ("Jane Doe <jane@acme.com>", ["jane@acme.com"], []),
        ("Jane <jane@acme.com>; Bob <bob@acme.com>", ["jane@acme.com", "bob@acme.com"], []),
        ("jane@; bob@acme.com", ["bob@acme.com"], ["jane@"]),
        ("n/a", [], ["n", "a"]),
    ],
)  # fmt: skip
def test_email_cells(cell: str, addresses: list[str], unusable: list[str]) -> None:
    found, bad = email_cell_items(cell)
    assert [address for address, _ in found] == addresses
    assert bad == unusable


def test_json_email_objects_keep_their_labels() -> None:
    cell = '[{"label": "work", "value": "J@Acme.com"}, {"label": "home", "value": "j@home.org"}]'
    assert email_cell_items(cell) == ([("j@acme.com", "work"), ("j@home.org", "home")], [])


_local = st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True)
_domain = st.from_regex(r"[a-z]{2,8}\.(com|org|de|io)", fullmatch=True)
_address = st.builds(lambda local, domain: f"{local}@{domain}", _local, _domain)


@given(
    addresses=st.lists(_address, min_size=1, max_size=5, unique=True),
    separator=st.sampled_from([",", ";", " / ", " and ", " ", "\n", " | ", ", "]),
)
def test_every_address_of_a_cell_is_found_whatever_the_separator(
    addresses: list[str], separator: str
) -> None:
    found, bad = email_cell_items(separator.join(addresses))
    assert [address for address, _ in found] == addresses and bad == []


def test_the_work_address_is_the_leads_the_others_are_kept_with_their_labels() -> None:
    values = {
        "email_home": "jane@home.org",
        "email_work": "Jane@Acme.com",
        "email_other": "jane@old.net / j@older.net",
    }
    lead = apply_mapping(suggest_mapping(values), values)
    assert lead.email == "jane@acme.com"
    assert [(e.address, e.label) for e in lead.emails] == [
        ("jane@acme.com", "work"),
        ("jane@home.org", "home"),
        ("jane@old.net", "other"),
        ("j@older.net", "other"),
    ]
    assert lead.extras == {
        "Email (home)": "jane@home.org",
        "Email (other)": "jane@old.net",
        "Email (other) 2": "j@older.net",
    }
    assert lead.problems == []
