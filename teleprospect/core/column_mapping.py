"""Which column of an imported file holds which fact about a lead, and applying that.

:func:`suggest_mapping` reads the column names CRMs and marketing tools export
(Salesforce, HubSpot, Mautic, Odoo, Excel lists in several languages) and proposes a
:class:`ColumnMapping`; the user corrects it (:meth:`ColumnMapping.with_target`) and may
save it (:meth:`ColumnMapping.to_dict`) for the next file of that kind.

For the import itself the mapping is compiled once against the file's header
(:meth:`ColumnMapping.compile`) into a :class:`MappingPlan`, a flat list of per-column
operations, so a row costs a few microseconds. :meth:`MappingPlan.apply` turns one row
into a :class:`MappedLead`: normalised values, every phone number as written (parsing
them is the import service's, with the row's country or the campaign's region) and every
email address, each with its label, unmapped columns as extras, and a problem for each
value that could not be used. A bad value never drops the lead, and the text of a value
that could not be used is kept among the extras.

Phones and emails come from typed and numbered columns ("email_home", "Phone 2",
"Mobile Phone"), cells with several values, JSON cells (see
:mod:`teleprospect.core.contact_cells`) and values with a note ("212-555-0130 (shop)":
the note is the label). A lead stores one email: the first work (or unlabelled) address,
else the first home one, else the first other one; the others are kept among the extras
as "Email (home)", "Email (other)", … so nothing found is lost.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple

from teleprospect.core.contact_cells import email_cell_items, phone_cell_items
from teleprospect.core.normalise import (
    clean_text,
    fold,
    normalise_company_size,
    normalise_country,
    normalise_email,
    split_full_name,
)

__all__ = [
    "MAPPING_FORMAT_VERSION",
    "ColumnMapping",
    "ColumnTarget",
    "ContactLabel",
    "LeadField",
    "MappedLead",
    "MappingPlan",
    "PhoneLabel",
    "RawEmail",
    "RawPhone",
    "apply_mapping",
    "header_key",
    "mapping_warnings",
    "split_full_name",
    "suggest_mapping",
]

#: Written into :meth:`ColumnMapping.to_dict` so later versions can read older mappings.
MAPPING_FORMAT_VERSION = 1


class LeadField(StrEnum):
    """What a column can hold."""

    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    FULL_NAME = "full_name"  # split into first and last when those are not given
    EMAIL = "email"
    COMPANY = "company"
    TITLE = "title"
    INDUSTRY = "industry"
    COMPANY_SIZE = "company_size"
    COUNTRY = "country"
    PHONE = "phone"
    LEAD_SOURCE = "lead_source"
    EXTRA = "extra"  # kept on the lead as an extra attribute under the column's name
    IGNORE = "ignore"  # left out on the user's request

    @property
    def label(self) -> str:
        return _FIELD_LABELS[self]

    @property
    def repeatable(self) -> bool:
        """Whether several columns may map to it (a lead has several phones and emails)."""
        return self in (LeadField.PHONE, LeadField.EMAIL, LeadField.EXTRA, LeadField.IGNORE)


_FIELD_LABELS = {
    LeadField.FIRST_NAME: "First name",
    LeadField.LAST_NAME: "Last name",
    LeadField.FULL_NAME: "Full name (split)",
    LeadField.EMAIL: "Email",
    LeadField.COMPANY: "Company",
    LeadField.TITLE: "Job title",
    LeadField.INDUSTRY: "Industry",
    LeadField.COMPANY_SIZE: "Company size",
    LeadField.COUNTRY: "Country",
    LeadField.PHONE: "Phone",
    LeadField.LEAD_SOURCE: "Lead source",
    LeadField.EXTRA: "Keep as extra attribute",
    LeadField.IGNORE: "Ignore",
}


class ContactLabel(StrEnum):
    """Which of a lead's phones or emails a column holds."""

    WORK = "work"
    MOBILE = "mobile"  # phones only
    HOME = "home"
    OTHER = "other"


#: The name the labels had when only phones had them.
PhoneLabel = ContactLabel


@dataclass(frozen=True, slots=True)
class ColumnTarget:
    """Where one column goes: a field, and for phones and emails which one (its label).

    A phone column without a label holds work numbers (B2B lists: desk phones); an email
    column without one holds addresses of no stated kind.
    """

    field: LeadField
    label: ContactLabel | None = None

    def __post_init__(self) -> None:
        if self.field is LeadField.PHONE and self.label is None:
            object.__setattr__(self, "label", ContactLabel.WORK)
        elif self.field is LeadField.EMAIL and self.label is ContactLabel.MOBILE:
            raise ValueError("an email address is not a mobile phone")
        elif self.field not in (LeadField.PHONE, LeadField.EMAIL) and self.label is not None:
            raise ValueError(f"only phone and email columns have a label, not {self.field}")

    def __str__(self) -> str:
        """The saved form: ``"company"``, ``"email:home"``, ``"phone:mobile"``."""
        if self.label is None:
            return self.field.value
        return f"{self.field.value}:{self.label.value}"

    @property
    def title(self) -> str:
        """How the target reads for a person: "Email", "Phone (mobile)"."""
        if self.label is None:
            return self.field.label
        return f"{self.field.label} ({self.label.value})"

    @classmethod
    def parse(cls, text: str) -> ColumnTarget:
        """The target saved as ``text`` by ``str()``; ``ValueError`` for anything else."""
        name, _, label = text.strip().lower().partition(":")
        try:
            return cls(LeadField(name), ContactLabel(label) if label else None)
        except ValueError:
            raise ValueError(f"{text!r} is not a field a column can be mapped to") from None

    @classmethod
    def choices(cls) -> tuple[ColumnTarget, ...]:
        """Every target a column can have."""
        choices: list[ColumnTarget] = []
        for lead_field in LeadField:
            if lead_field is LeadField.PHONE:
                choices.extend(cls(lead_field, label) for label in ContactLabel)
            elif lead_field is LeadField.EMAIL:
                choices.append(cls(lead_field))
                choices.extend(
                    cls(lead_field, label) for label in ContactLabel if label != "mobile"
                )
            else:
                choices.append(cls(lead_field))
        return tuple(choices)


EXTRA = ColumnTarget(LeadField.EXTRA)
IGNORE = ColumnTarget(LeadField.IGNORE)


class RawPhone(NamedTuple):
    """A phone number as written in the file, before parsing."""

    raw: str
    #: A :class:`ContactLabel` value, or the label the cell gave it ("shop", "assistant").
    label: str
    column: str


class RawEmail(NamedTuple):
    """A valid email address found in the file, lower-cased."""

    address: str
    #: As :attr:`RawPhone.label`; "" when neither the column nor the cell named one.
    label: str
    column: str


@dataclass(slots=True)
class MappedLead:
    """One row as lead data, ready for phone parsing, dedupe and storing.

    Text is trimmed with inner whitespace collapsed, but otherwise as typed (a value
    that looks like a formula stays plain text). ``email`` is the lead's email (see the
    module's doc), lower-cased and of valid shape, or ``None``; ``emails`` all the valid
    addresses found, the lead's first. ``country`` is an ISO 3166 alpha-2 code or
    ``None``. ``extras`` maps column names to values of columns not mapped to a field, of
    a second column mapped to a single field, and of values that could not be used (each
    with a problem); the emails other than the lead's are there too ("Email (home)").
    """

    first_name: str = ""
    last_name: str = ""
    email: str | None = None
    company: str = ""
    title: str = ""
    industry: str = ""
    company_size: int | None = None
    country: str | None = None
    lead_source: str = ""
    phones: list[RawPhone] = field(default_factory=list)
    emails: list[RawEmail] = field(default_factory=list)
    extras: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


# --- the mapping -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Column name → target. Columns not listed are kept as extras.

    Immutable in use: change it with :meth:`with_target`, which keeps single-valued fields
    on one column.
    """

    columns: dict[str, ColumnTarget] = field(default_factory=dict)

    def target(self, column: str) -> ColumnTarget:
        return self.columns.get(column, EXTRA)

    def with_target(self, column: str, target: ColumnTarget) -> ColumnMapping:
        """This mapping with ``column`` sent to ``target``; a column that held that
        single-valued field before becomes an extra (a lead has one company field)."""
        columns = dict(self.columns)
        if not target.field.repeatable:
            for other, other_target in columns.items():
                if other != column and other_target.field is target.field:
                    columns[other] = EXTRA
        columns[column] = target
        return ColumnMapping(columns)

    def with_override(self, header: Sequence[str], override: str) -> ColumnMapping:
        """This mapping corrected by ``override``, written ``Column=field`` (``field`` as
        :meth:`ColumnTarget.parse` reads it: ``email:home``, ``phone:mobile``, ``ignore``).

        The column is one of ``header``, named exactly or up to case and punctuation;
        ``ValueError`` with a sentence saying what is wrong otherwise.
        """
        column_text, equals, field_text = override.rpartition("=")
        column_text, field_text = column_text.strip(), field_text.strip()
        if not equals or not column_text or not field_text:
            raise ValueError(f'"{override}" is not a correction of the form Column=field.')
        column = _column_named(header, column_text)
        try:
            target = ColumnTarget.parse(field_text)
        except ValueError:
            choices = ", ".join(str(t) for t in ColumnTarget.choices())
            raise ValueError(
                f'"{field_text}" is not a field a column can be mapped to; the fields are '
                f"{choices}."
            ) from None
        return self.with_target(column, target)

    def column_for(self, lead_field: LeadField) -> str | None:
        """The (first) column mapped to ``lead_field``, if any."""
        return next((c for c, t in self.columns.items() if t.field is lead_field), None)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form, for saving the mapping under a name."""
        return {
            "version": MAPPING_FORMAT_VERSION,
            "columns": {column: str(target) for column, target in self.columns.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ColumnMapping:
        """The mapping :meth:`to_dict` gave; ``ValueError`` for anything else."""
        version = data.get("version")
        columns = data.get("columns")
        if version != MAPPING_FORMAT_VERSION or not isinstance(columns, Mapping):
            raise ValueError("not a saved column mapping of a version this program reads")
        return cls({str(column): ColumnTarget.parse(str(t)) for column, t in columns.items()})

    def compile(self, header: Sequence[str]) -> MappingPlan:
        """The mapping as operations on the cells of rows with this ``header``."""
        return MappingPlan(tuple(header), [self.target(column) for column in header])


def _column_named(header: Sequence[str], name: str) -> str:
    if name in header:
        return name
    found = [column for column in header if header_key(column) == header_key(name)]
    if len(found) == 1:
        return found[0]
    if found:
        alike = ", ".join(f'"{column}"' for column in found)
        raise ValueError(f'"{name}" could be any of the columns {alike}: name it exactly.')
    columns = ", ".join(f'"{column}"' for column in header)
    raise ValueError(f'The file has no column "{name}"; its columns are {columns}.')


def apply_mapping(
    mapping: ColumnMapping | MappingPlan, values: Mapping[str, str] | Sequence[str]
) -> MappedLead:
    """One row as a lead: ``values`` is column name → value (``CsvRow.values``), or the
    row's cells when ``mapping`` is a plan compiled for the file's header.

    Bulk imports compile once and call :meth:`MappingPlan.apply` on ``CsvRow.cells``.
    """
    if isinstance(values, Mapping):
        plan = mapping if isinstance(mapping, MappingPlan) else mapping.compile(tuple(values))
        return plan.apply(list(values.values()))
    if isinstance(mapping, ColumnMapping):
        raise TypeError("cells need a MappingPlan: pass mapping.compile(header)")
    return mapping.apply(values)


def mapping_warnings(mapping: ColumnMapping, leads: int | None = None) -> list[str]:
    """What the import preview should point out before the user runs the import;
    ``leads`` is how many rows the file has, when known."""
    mapped = {target.field for target in mapping.columns.values()}
    warnings = []
    if LeadField.PHONE not in mapped:
        warnings.append(
            f"No column is mapped to a phone number: {_leads_will(leads)} have no phone "
            "and cannot be called."
        )
    if not mapped & {LeadField.FIRST_NAME, LeadField.LAST_NAME, LeadField.FULL_NAME}:
        warnings.append("No column is mapped to the lead's name.")
    if LeadField.EMAIL not in mapped:
        warnings.append(
            f"No column is mapped to an email address: {_leads_will(leads)} have no email, "
            "and fewer duplicates are found."
        )
    return warnings


def _leads_will(leads: int | None) -> str:
    if leads is None:
        return "the leads will"
    return "1 lead will" if leads == 1 else f"{leads:,} leads will"


# --- applying ----------------------------------------------------------------------------

# Operation kinds, as small ints: the per-cell dispatch is the import's innermost loop.
# _SHARED_TEXT is a text field more than one column maps to: the first value found wins.
_TEXT, _EXTRA, _PHONE, _EMAIL, _SIZE, _COUNTRY, _FULL_NAME, _SHARED_TEXT = range(8)
_TEXT_ATTRIBUTES = {
    LeadField.FIRST_NAME: "first_name",
    LeadField.LAST_NAME: "last_name",
    LeadField.COMPANY: "company",
    LeadField.TITLE: "title",
    LeadField.INDUSTRY: "industry",
    LeadField.LEAD_SOURCE: "lead_source",
}
_KINDS = {
    LeadField.EXTRA: _EXTRA,
    LeadField.PHONE: _PHONE,
    LeadField.EMAIL: _EMAIL,
    LeadField.COMPANY_SIZE: _SIZE,
    LeadField.COUNTRY: _COUNTRY,
    LeadField.FULL_NAME: _FULL_NAME,
}


class MappingPlan:
    """A :class:`ColumnMapping` compiled for one header: what to do with each cell."""

    __slots__ = ("_operations", "_width", "header")

    def __init__(self, header: tuple[str, ...], targets: Sequence[ColumnTarget]) -> None:
        self.header = header
        self._width = len(header)
        operations = []
        columns_per_field = Counter(target.field for target in targets)
        for index, (column, target) in enumerate(zip(header, targets, strict=True)):
            if target.field is LeadField.IGNORE:
                continue
            attribute = _TEXT_ATTRIBUTES.get(target.field, "")
            if not attribute:
                kind = _KINDS[target.field]
            elif columns_per_field[target.field] > 1:
                kind = _SHARED_TEXT
            else:
                kind = _TEXT
            label = target.label.value if target.label is not None else ""
            operations.append((index, kind, attribute, column, label))
        self._operations = tuple(operations)

    def apply(self, cells: Sequence[str]) -> MappedLead:
        """One row's cells (aligned with the header, extras after it) as a lead."""
        lead = MappedLead()
        extras = lead.extras
        full_name = ""
        for index, kind, attribute, column, label in self._operations:
            value = cells[index]
            if not value:
                continue
            if kind == _TEXT:
                setattr(lead, attribute, clean_text(value))
            elif kind == _EXTRA:
                text = value.strip()
                if text:
                    extras[column] = text
            elif kind == _PHONE:
                for raw, cell_label in phone_cell_items(value):
                    lead.phones.append(RawPhone(raw, cell_label or label, column))
            elif kind == _EMAIL:
                _apply_emails(lead, value, column, label)
            elif kind == _SIZE:
                _apply_company_size(lead, value, column)
            elif kind == _COUNTRY:
                _apply_country(lead, value, column)
            elif kind == _SHARED_TEXT:
                text = clean_text(value)
                if text and getattr(lead, attribute):
                    extras[column] = text  # a second column for a one-value field
                elif text:
                    setattr(lead, attribute, text)
            elif not full_name:
                full_name = value
        if lead.emails:
            _settle_emails(lead)
        if full_name and not lead.first_name and not lead.last_name:
            lead.first_name, lead.last_name = split_full_name(full_name)
        if len(cells) > self._width:
            for position in range(self._width, len(cells)):
                text = cells[position].strip()
                if text:
                    extras[f"extra_{position - self._width + 1}"] = text
        return lead


def _apply_emails(lead: MappedLead, value: str, column: str, label: str) -> None:
    if not lead.emails and value.count("@") == 1 and value[0] not in "[{":
        address = normalise_email(value)  # the common case: one plain address
        if address is not None:
            lead.emails.append(RawEmail(address, label, column))
            return
    found, unusable = email_cell_items(value)
    known = {email.address for email in lead.emails}
    for address, cell_label in found:
        if address not in known:
            known.add(address)
            lead.emails.append(RawEmail(address, cell_label or label, column))
    if unusable:
        text = "; ".join(unusable)
        lead.problems.append(f'{column}: "{text}" is not a valid email address')
        lead.extras[column] = text


# Which address is the lead's: work or unlabelled first, then home, then any other.
_EMAIL_ORDER = {"": 0, ContactLabel.WORK.value: 0, ContactLabel.HOME.value: 1}


def _settle_emails(lead: MappedLead) -> None:
    if len(lead.emails) == 1:
        lead.email = lead.emails[0].address
        return
    emails = sorted(lead.emails, key=lambda email: _EMAIL_ORDER.get(email.label, 2))
    lead.emails = emails
    lead.email = emails[0].address
    extras = lead.extras
    for position, email in enumerate(emails[1:], start=2):
        name = f"Email ({email.label})" if email.label else f"Email {position}"
        key, count = name, 2
        while key in extras:
            key, count = f"{name} {count}", count + 1
        extras[key] = email.address


def _apply_company_size(lead: MappedLead, value: str, column: str) -> None:
    text = value.strip()
    if not text:
        return
    size = normalise_company_size(text)
    if size is None:
        lead.problems.append(f'{column}: "{text}" is not a number of employees')
        lead.extras[column] = text
    elif lead.company_size is None:
        lead.company_size = size


def _apply_country(lead: MappedLead, value: str, column: str) -> None:
    text = value.strip()
    if not text:
        return
    country = normalise_country(text)
    if country is None:
        lead.problems.append(f'{column}: "{text}" is not a country name or code')
        lead.extras[column] = text
    elif lead.country is None:
        lead.country = country


# --- suggesting --------------------------------------------------------------------------


def header_key(column: str) -> str:
    """A column name without case, accents, spaces and punctuation: "E-mail", "e_mail"
    and "EMAIL" are all "email". Salesforce's custom-field suffix ``__c`` is dropped."""
    text = fold(column.strip())
    if text.endswith("__c"):
        text = text[:-3]
    return "".join(ch for ch in text if ch.isalnum())


def _target(lead_field: LeadField, label: PhoneLabel | None = None) -> ColumnTarget:
    return ColumnTarget(lead_field, label)


_F = LeadField
# (target, rank, header keys): rank 0 names the field unambiguously, higher ranks give
# way when a better column for the same field exists (Odoo's "title" is a salutation
# when "function" is there; a bare "name" is a fallback for the person's name).
_SYNONYMS: tuple[tuple[ColumnTarget, int, str], ...] = (
    (_target(_F.FIRST_NAME), 0,
     "firstname first givenname forename fname vorname prenom nombre voornaam "
     "contactfirstname leadfirstname"),
    (_target(_F.LAST_NAME), 0,
     "lastname last surname familyname lname nachname nom apellido apellidos achternaam "
     "contactlastname leadlastname"),
    (_target(_F.FULL_NAME), 0,
     "fullname contactname contactfullname personname leadname attendeename "
     "registrantname yourname"),
    (_target(_F.FULL_NAME), 1, "name"),
    (_target(_F.FULL_NAME), 2, "contact"),
    (_target(_F.EMAIL), 0,
     "email emailaddress emailfrom mail primaryemail contactemail courriel emailadresse "
     "correoelectronico emails emailaddresses"),
    (_target(_F.COMPANY), 0,
     "company companyname accountname organization organisation organizationname "
     "organisationname partnername companyaccount employer firma unternehmen societe "
     "entreprise empresa bedrijf"),
    (_target(_F.COMPANY), 1, "account business associatedcompany"),
    (_target(_F.TITLE), 0,
     "jobtitle function jobposition position designation poste cargo berufsbezeichnung"),
    (_target(_F.TITLE), 1, "title"),
    (_target(_F.TITLE), 2, "role"),
    (_target(_F.INDUSTRY), 0, "industry industryid sector branche vertical industrytype"),
    (_target(_F.COMPANY_SIZE), 0,
     "noofemployees numberofemployees numemployees employees employeecount companysize "
     "employeesize headcount companyheadcount mitarbeiter mitarbeiterzahl "
     "anzahlmitarbeiter effectif"),
    (_target(_F.COMPANY_SIZE), 2, "size"),
    (_target(_F.COUNTRY), 0, "country countryregion countryname countryid land pays pais"),
    (_target(_F.COUNTRY), 1, "countrycode mailingcountry billingcountry nation"),
    (_target(_F.LEAD_SOURCE), 0,
     "leadsource sourceid originalsource hsanalyticssource leadquelle herkunft origine"),
    (_target(_F.LEAD_SOURCE), 1, "source utmsource originalsourcetype"),
    (_target(_F.PHONE, PhoneLabel.WORK), 0,
     "phone phonenumber telephone telephonenumber tel businessphone workphone officephone "
     "directphone directdial companyphone telefon telefono telefonnummer telefoonnummer "
     "phone1"),
    (_target(_F.PHONE, PhoneLabel.MOBILE), 0,
     "mobile mobilephone mobilephonenumber mobilenumber cell cellphone cellular cellnumber "
     "handy mobil gsm portable movil mobiel"),
    (_target(_F.PHONE, PhoneLabel.OTHER), 0, "contactnumbers phonenumbers phones"),
)  # fmt: skip
_BY_KEY: dict[str, tuple[ColumnTarget, int]] = {
    key: (target, rank) for target, rank, keys in _SYNONYMS for key in keys.split()
}
# Name endings that say what a column holds when the whole name is not known ("Contact
# Email", "Direct Mobile"), unless the name says it is someone else's or not the value.
_ENDINGS: tuple[tuple[str, ColumnTarget], ...] = (
    ("emailaddress", _target(_F.EMAIL)),
    ("email", _target(_F.EMAIL)),
    ("mobilenumber", _target(_F.PHONE, PhoneLabel.MOBILE)),
    ("mobilephone", _target(_F.PHONE, PhoneLabel.MOBILE)),
    ("mobile", _target(_F.PHONE, PhoneLabel.MOBILE)),
    ("phonenumber", _target(_F.PHONE, PhoneLabel.OTHER)),
    ("phone", _target(_F.PHONE, PhoneLabel.OTHER)),
    ("firstname", _target(_F.FIRST_NAME)),
    ("lastname", _target(_F.LAST_NAME)),
    ("companyname", _target(_F.COMPANY)),
    ("jobtitle", _target(_F.TITLE)),
    ("country", _target(_F.COUNTRY)),
)
_SOMEONE_ELSES = ("owner", "assistant", "manager", "salesperson", "salesrep", "createdby",
                  "modifiedby", "referr", "fax", "user")  # fmt: skip
_ENDING_RANK = 5

# Typed and numbered phone and email columns: "email_home", "Work Email", "phone_other",
# "Phone 2", "Mobile Phone 2". What the column holds, by its name's stem:
_CONTACT_STEMS: dict[str, ColumnTarget] = {
    **dict.fromkeys(
        ("email", "emails", "mail", "emailaddress", "emailaddresses", "courriel"),
        _target(_F.EMAIL),
    ),
    **dict.fromkeys(
        ("phone", "phones", "phonenumber", "phonenumbers", "telephone", "tel", "telefon",
         "telefono"),
        _target(_F.PHONE),
    ),
    **dict.fromkeys(
        ("mobile", "mobilephone", "mobilenumber", "cell", "cellphone"),
        _target(_F.PHONE, ContactLabel.MOBILE),
    ),
}  # fmt: skip
# … and which one, by the word before or after the stem.
_LABEL_WORDS: dict[str, ContactLabel | None] = {
    **dict.fromkeys(("work", "business", "office", "direct", "company"), ContactLabel.WORK),
    **dict.fromkeys(("home", "private", "personal", "privat"), ContactLabel.HOME),
    **dict.fromkeys(
        ("other", "alternate", "alternative", "additional", "secondary", "second", "alt"),
        ContactLabel.OTHER,
    ),
    **dict.fromkeys(("mobile", "cell"), ContactLabel.MOBILE),
    **dict.fromkeys(("main", "primary", "contact"), None),
}


def _typed_contact(key: str) -> ColumnTarget | None:
    """The phone or email target of a typed or numbered column name (a header key)."""
    stem = key.rstrip("0123456789")
    number = int(key[len(stem) :]) if len(stem) < len(key) else None
    found = _CONTACT_STEMS.get(stem)
    label: ContactLabel | None = None
    if found is None:
        for word, word_label in _LABEL_WORDS.items():
            if stem.startswith(word) and stem[len(word) :] in _CONTACT_STEMS:
                found, label = _CONTACT_STEMS[stem[len(word) :]], word_label
            elif stem.endswith(word) and stem[: -len(word)] in _CONTACT_STEMS:
                found, label = _CONTACT_STEMS[stem[: -len(word)]], word_label
            if found is not None:
                break
        if found is None:
            return None
    if found.field is _F.EMAIL and label is ContactLabel.MOBILE:
        return None
    if found.field is _F.PHONE and found.label is ContactLabel.MOBILE:
        label = ContactLabel.MOBILE  # "Mobile Phone 2", "Mobile Home": still a mobile
    elif label is None and number is not None and number > 1:
        label = ContactLabel.OTHER  # "Phone 2", "Email 3": not the main one
    return ColumnTarget(found.field, label)


def _suggestion(column: str) -> tuple[ColumnTarget, int] | None:
    text = column.strip()
    if text.endswith("/.id"):
        return None  # Odoo's database ids: numbers that mean nothing elsewhere
    if text.endswith("/id"):
        # Odoo's external ids ("country_id/id" = "base.mx"): only countries read as such.
        found = _suggestion(text[:-3])
        return found if found is not None and found[0].field is _F.COUNTRY else None
    key = header_key(column)
    found = _BY_KEY.get(key)
    if found is not None:
        return found
    if any(word in key for word in _SOMEONE_ELSES):
        return None
    typed = _typed_contact(key)
    if typed is not None:
        return typed, 0
    for ending, target in _ENDINGS:
        if key.endswith(ending):
            # "Last Email", "Date Phone Verified": about a value, not the value itself.
            if key.startswith(("last", "date")) and target.field is not _F.LAST_NAME:
                return None
            return target, _ENDING_RANK
    return None


def suggest_mapping(headers: Iterable[str], saved: ColumnMapping | None = None) -> ColumnMapping:
    """A mapping for a file with these column names.

    Columns a ``saved`` mapping names (exactly, or up to case and punctuation) keep the
    saved choice; the others are recognised from the names tools export. Each one-value
    field goes to its best column, the others stay extras; a "Name" column is only
    suggested for splitting when first and last name columns are not both there.
    """
    headers = list(headers)
    saved_by_key = {header_key(c): t for c, t in saved.columns.items()} if saved else {}
    choices: dict[str, tuple[ColumnTarget, int]] = {}
    for column in headers:
        if saved is not None and column in saved.columns:
            choices[column] = (saved.columns[column], -1)
        elif header_key(column) in saved_by_key:
            choices[column] = (saved_by_key[header_key(column)], -1)
        else:
            found = _suggestion(column)
            if found is not None:
                choices[column] = found

    best: dict[LeadField, tuple[int, int]] = {}
    for position, column in enumerate(headers):
        if column in choices:
            target, rank = choices[column]
            if not target.field.repeatable and (rank, position) < best.get(target.field, (99, 0)):
                best[target.field] = (rank, position)
    has_both_names = _F.FIRST_NAME in best and _F.LAST_NAME in best
    columns: dict[str, ColumnTarget] = {}
    for position, column in enumerate(headers):
        target, rank = choices.get(column, (EXTRA, 0))
        beaten = not target.field.repeatable and best[target.field] != (rank, position)
        redundant = target.field is _F.FULL_NAME and has_both_names and rank >= 0
        columns[column] = EXTRA if beaten or redundant else target
    return ColumnMapping(columns)
