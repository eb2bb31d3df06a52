"""The per-row work of a lead import, shared out to worker processes.

A chunk of rows goes in, as read from the file; a :class:`PreparedRow` per row comes out,
holding the column values the lead table stores (phones parsed, emails checked, score,
priority and calling zones worked out) and the keys its duplicates are found by. Nothing
here reads the database: what it needs comes in a :class:`RowContext`, sent to each
worker once. Deciding about duplicates and do-not-call, and writing, stay with the
importing process, which knows what earlier rows did.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple

from teleprospect.core.column_mapping import MappedLead, MappingPlan
from teleprospect.core.dedupe_keys import company_key, email_key, match_key, person_key
from teleprospect.core.phones import PhoneInfo, parse_phone
from teleprospect.services.scoring.scores import LeadScorer
from teleprospect.store.models import Lead

__all__ = [
    "LEAD_COLUMNS",
    "PHONE_COLUMNS",
    "PreparedRow",
    "RowContext",
    "phone_values",
    "prepare_in_worker",
    "prepare_rows",
    "spaced_collections",
    "start_worker",
]

#: The lead columns a prepared row gives values for, in :attr:`PreparedRow.lead` order.
LEAD_COLUMNS = (
    "first_name", "last_name", "email", "company", "title", "industry", "company_size",
    "country", "lead_source", "match_key", "phone_raw", "phone_e164", "phone_extension",
    "phone_valid", "phone_type", "phone_time_zones", "extra", "score", "priority",
    "call_zones",
)  # fmt: skip
#: The lead_phone columns of each of :attr:`PreparedRow.phones`, in order.
PHONE_COLUMNS = ("position", "label", "raw", "e164", "extension", "valid", "number_type",
                 "time_zones")  # fmt: skip
_EXTRA = LEAD_COLUMNS.index("extra")

_LENGTHS: dict[str, int] = {
    c.name: c.type.length  # type: ignore[attr-defined]
    for c in Lead.__table__.columns
    if getattr(c.type, "length", None)
}
_RAW_LENGTH = _LENGTHS["phone_raw"]
#: Text fields cut to their column's length, the full text kept among the extras.
_TEXT_FIELDS = ("first_name", "last_name", "email", "company", "title", "industry", "lead_source")
#: Bound of a worker's person-key cache (emptied when full: memory stays flat).
_PERSON_KEYS_KEPT = 200_000


@dataclass(frozen=True)
class RowContext:
    """What every row of one import is prepared with."""

    plan: MappingPlan
    #: Region of numbers written without a country code, when the row names no country.
    region: str
    scorer: LeadScorer


class PreparedRow(NamedTuple):
    """One row of the file, ready for the duplicate check and the INSERT."""

    #: Nothing to go on (no name, email, company or phone): the row is rejected.
    empty: bool
    #: The row has phone numbers and none of them is valid.
    invalid_phones: bool
    #: Some value of the row could not be used as it was (see the lead's extras).
    flagged: bool
    email: str | None
    key_email: str | None
    key_person: str
    key_match: str
    key_company: str
    name: str
    company: str
    #: E.164 forms of the row's valid numbers, in the row's order.
    numbers: tuple[str, ...]
    #: Values of :data:`LEAD_COLUMNS`, ``extra`` as JSON text.
    lead: tuple[Any, ...]
    #: Values of :data:`PHONE_COLUMNS` for each number of the row.
    phones: tuple[tuple[Any, ...], ...]
    #: The row's other email addresses (kept among the extras, "Email (home)"), as keys:
    #: checked against do-not-call and used to find duplicates like the lead's own.
    other_emails: tuple[str, ...] = ()
    #: The same addresses as the file wrote them (lower-cased): the database is asked
    #: about both forms, as for the lead's own email.
    other_addresses: tuple[str, ...] = ()


#: A row as sent to a worker: its cells and the problems reading it found.
RawRow = tuple[list[str], tuple[str, ...]]

_context: RowContext | None = None
_person_keys: dict[tuple[str, str], str] = {}


#: Cyclic garbage collection thresholds while importing. An import makes objects by the
#: million and keeps many (the keys of earlier rows): with the defaults, the young
#: generations are collected every 700 allocations, for about a twentieth of the import's
#: time. The oldest generation keeps its default, so memory stays as flat as before.
_IMPORT_GC_THRESHOLDS = (100_000, 50, 10)


@contextmanager
def spaced_collections() -> Iterator[None]:
    """Fewer cyclic garbage collections for a while (they still run)."""
    before = gc.get_threshold()
    gc.set_threshold(*_IMPORT_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


#: How often a worker process looks whether the import that started it is still there.
PARENT_CHECK_SECONDS = 0.5


def start_worker(context: RowContext, parent_pid: int | None = None) -> None:
    """Initialiser of a worker process: the context its chunks are prepared with. With
    ``parent_pid`` the worker ends when that process (the import) is gone, even killed."""
    global _context  # noqa: PLW0603 - one context per worker process, set once
    _context = context
    gc.set_threshold(*_IMPORT_GC_THRESHOLDS)  # the process does nothing else
    if parent_pid is not None:
        exit_with_parent(parent_pid)


def exit_with_parent(parent_pid: int) -> None:
    """End this process when ``parent_pid`` ends. A killed parent cannot stop its workers,
    and they would wait for work forever: on Linux the kernel kills them
    (``PR_SET_PDEATHSIG``); everywhere a daemon thread checks whether the parent is still
    there (an orphan is adopted by another process, so its parent id changes)."""
    if sys.platform.startswith("linux"):
        _ask_kernel_to_kill_orphan()
    if os.getppid() != parent_pid:  # the parent died before we asked
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(PARENT_CHECK_SECONDS)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _ask_kernel_to_kill_orphan() -> None:
    pr_set_pdeathsig = 1
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: the watching thread is enough
        pass


def prepare_in_worker(rows: Sequence[RawRow]) -> list[PreparedRow]:
    assert _context is not None, "start_worker() was not called"
    return prepare_rows(_context, rows)


def prepare_rows(context: RowContext, rows: Sequence[RawRow]) -> list[PreparedRow]:
    """Prepare a chunk of rows, in order."""
    apply = context.plan.apply
    region = context.region
    prepared = []
    for cells, problems in rows:
        lead = apply(cells)
        infos = [parse_phone(phone.raw, lead.country or region) for phone in lead.phones]
        prepared.append(_prepare(context, lead, infos, [*problems, *lead.problems]))
    return prepared


def _person_key(first: str, last: str) -> str:
    """person_key(), remembered: first and last names repeat a lot across a file."""
    key = _person_keys.get((first, last))
    if key is None:
        if len(_person_keys) >= _PERSON_KEYS_KEPT:
            _person_keys.clear()
        key = _person_keys[first, last] = person_key(first, last)
    return key


def _prepare(
    context: RowContext, lead: MappedLead, infos: list[PhoneInfo], problems: list[str]
) -> PreparedRow:
    key_person = _person_key(lead.first_name, lead.last_name)
    company = lead.company
    empty = not (lead.first_name or lead.last_name or lead.email or company or infos)
    invalid_phones = bool(infos) and not any(p.valid for p in infos)
    if invalid_phones:
        problems.extend(f"phone {p.raw!r}: {p.problem}" for p in infos if p.problem)
    primary = next((p for p in infos if p.is_callable), infos[0] if infos else None)
    values: dict[str, Any] = {
        "first_name": lead.first_name,
        "last_name": lead.last_name,
        "email": lead.email,
        "company": company,
        "title": lead.title,
        "industry": lead.industry,
        "company_size": lead.company_size,
        "country": lead.country or (primary.region if primary and primary.valid else None),
        "lead_source": lead.lead_source,
    }
    extras = dict(lead.extras)
    for name in _TEXT_FIELDS:
        text = values[name]
        limit = _LENGTHS[name]
        if text and len(text) > limit:
            extras[f"{name} (full)"] = text
            values[name] = text[:limit]
            problems.append(f"{name.replace('_', ' ')} longer than {limit} characters: cut")
    if problems:
        extras["Import problems"] = "; ".join(problems)
    key_match = match_key(key_person, company)
    other_keys, other_addresses = _other_emails(lead)
    if primary is None:
        values.update(
            phone_raw="", phone_e164=None, phone_extension=None, phone_valid=False,
            phone_type=None, phone_time_zones="",
        )  # fmt: skip
    else:
        values.update(
            phone_raw=primary.raw[:_RAW_LENGTH],
            phone_e164=primary.e164,
            phone_extension=primary.extension,
            phone_valid=primary.valid,
            phone_type=primary.number_type,
            phone_time_zones=" ".join(primary.time_zones),
        )
    values["match_key"] = key_match
    values["extra"] = json.dumps(extras) if extras else "{}"
    # Score, priority and calling zones now: the lead is in the queue, in its place, the
    # moment the import commits.
    values.update(context.scorer.queue_values(values))
    return PreparedRow(
        empty=empty,
        invalid_phones=invalid_phones,
        flagged=bool(problems),
        email=lead.email,
        key_email=email_key(lead.email),
        key_person=key_person,
        key_match=key_match,
        key_company=company_key(company) if company else "",
        name=f"{lead.first_name} {lead.last_name}".strip(),
        company=company,
        numbers=tuple(p.e164 for p in infos if p.e164),
        lead=tuple(values[name] for name in LEAD_COLUMNS),
        phones=tuple(
            phone_values(position, str(raw.label), info)
            for position, (raw, info) in enumerate(zip(lead.phones, infos, strict=True))
        ),
        other_emails=other_keys,
        other_addresses=other_addresses,
    )


def _other_emails(lead: MappedLead) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Keys of the row's email addresses other than the lead's own, in the row's order,
    and those addresses as written (lower-cased), one for each key."""
    if len(lead.emails) < 2:
        return (), ()
    own = email_key(lead.email)
    found: dict[str, str] = {}
    for email in lead.emails:
        key = email_key(email.address)
        if key and key != own and key not in found:
            found[key] = email.address
    return tuple(found), tuple(found.values())


def phone_values(position: int, label: str, info: PhoneInfo) -> tuple[Any, ...]:
    """One number's :data:`PHONE_COLUMNS` values."""
    return (
        position,
        label,
        info.raw[:64],
        info.e164,
        info.extension,
        info.valid,
        info.number_type,
        " ".join(info.time_zones),
    )
