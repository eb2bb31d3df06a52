"""Reading the audit trail, for team leads: filtered, newest first, a page at a time, and
exported to a CSV file.

Filters narrow each other: a user (entries done by them or as them), a lead (acts on it,
and the reassignments and hand-offs that included it: those are one entry per batch), the
kinds of act, and a time range. Pages are read by keyset on the entry's id, so the
thousandth page costs what the first does.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session, aliased

from teleprospect.core.audit import AuditKind, describe_change
from teleprospect.core.errors import Invalid
from teleprospect.core.permissions import Action
from teleprospect.services.csv_files import write_csv_file
from teleprospect.services.identity.permissions import require_user
from teleprospect.store.database import Database
from teleprospect.store.models import AuditEntry, HandoffItem, ReassignmentMove, User

__all__ = [
    "CSV_HEADER",
    "AuditExport",
    "AuditExportError",
    "AuditFilter",
    "AuditRow",
    "audit_page",
    "csv_row",
    "export_audit_trail",
]

#: Entries read per query when a whole trail is exported.
EXPORT_CHUNK = 1000
#: The largest page one read returns.
MAX_PAGE = 10_000

CSV_HEADER = (
    "Entry",
    "When (UTC)",
    "Who",
    "As",
    "Workstation",
    "What",
    "Subject",
    "Lead",
    "Change",
    "Before",
    "After",
)


class AuditExportError(Invalid):
    """The trail cannot be written to that file; nothing was."""


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which entries to read. Every criterion given must hold."""

    #: Entries done by this user, or as this user by someone else.
    user_id: int | None = None
    #: Entries about this lead: acts on it alone, and the reassignments (and their undos)
    #: and hand-offs that included it.
    lead_id: int | None = None
    #: Empty: every kind.
    kinds: tuple[AuditKind, ...] = ()
    #: From this moment on (included).
    since: datetime | None = None
    #: Up to this moment (left out).
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One entry of the trail, with the names of who acted and as whom."""

    id: int
    at: datetime
    kind: AuditKind
    subject: str
    lead_id: int | None
    #: The account the act was done as (None: Teleprospect itself).
    user_id: int | None
    user_login: str
    user_name: str
    #: Who really acted: their account (None when their login is no user) and login.
    by_user_id: int | None
    by_login: str
    by_name: str
    workstation: str
    before: Any
    after: Any

    @property
    def acted_as_someone_else(self) -> bool:
        return self.user_id is not None and self.by_user_id != self.user_id

    @property
    def actor(self) -> str:
        """Who really acted, by login ("system" for Teleprospect's own acts)."""
        return self.by_login or self.user_login or "system"

    @property
    def acted_as(self) -> str:
        """The login the act was done as, when it is not the actor's own; else empty."""
        return (self.user_login or f"user #{self.user_id}") if self.acted_as_someone_else else ""

    @property
    def who(self) -> str:
        """``maria.lopez``, or ``ada as sam.carter`` when an admin acted as someone else."""
        return f"{self.actor} as {self.acted_as}" if self.acted_as else self.actor

    @property
    def what(self) -> str:
        return f"{self.kind.label}: {self.subject}" if self.subject else self.kind.label

    @property
    def change(self) -> str:
        """What changed, in one line (``status: working → sales_ready``)."""
        return describe_change(self.before, self.after)


@dataclass(frozen=True, slots=True)
class AuditExport:
    path: Path
    entries: int

    def describe(self) -> str:
        entries = f"{self.entries:,} audit entr{'ies' if self.entries != 1 else 'y'}"
        return f"{entries} written to {self.path}"


# ----------------------------------------------------------------------------- reading


def _about_lead(lead_id: int) -> ColumnElement[bool]:
    # A reassignment or an export of many leads is one entry naming its batch; the batch's
    # own table says which leads were in it.
    batch = AuditEntry.after["batch_id"].as_integer()
    return or_(
        AuditEntry.lead_id == lead_id,
        and_(
            AuditEntry.kind.in_([AuditKind.LEAD_REASSIGNED, AuditKind.REASSIGNMENT_UNDONE]),
            batch.in_(select(ReassignmentMove.batch_id).where(ReassignmentMove.lead_id == lead_id)),
        ),
        and_(
            AuditEntry.kind == AuditKind.EXPORTED_TO_SALES,
            batch.in_(select(HandoffItem.batch_id).where(HandoffItem.lead_id == lead_id)),
        ),
    )


def _conditions(where: AuditFilter) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if where.user_id is not None:
        found.append(
            or_(AuditEntry.user_id == where.user_id, AuditEntry.by_user_id == where.user_id)
        )
    if where.lead_id is not None:
        found.append(_about_lead(where.lead_id))
    if where.kinds:
        found.append(AuditEntry.kind.in_(sorted(set(where.kinds))))
    if where.since is not None:
        found.append(AuditEntry.at >= _utc(where.since, "start"))
    if where.until is not None:
        found.append(AuditEntry.at < _utc(where.until, "end"))
    return found


def _utc(at: datetime, what: str) -> datetime:
    if at.tzinfo is None:
        raise ValueError(f"The {what} of the period needs a time zone.")
    return at.astimezone(UTC)


def _query(
    where: AuditFilter, before_id: int | None, limit: int
) -> Select[AuditEntry, str, str, str, str]:
    as_user, by_user = aliased(User), aliased(User)
    query = (
        select(
            AuditEntry,
            as_user.login,
            as_user.name,
            by_user.login,
            by_user.name,
        )
        .outerjoin(as_user, as_user.id == AuditEntry.user_id)
        .outerjoin(by_user, by_user.id == AuditEntry.by_user_id)
        .where(*_conditions(where))
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return query


def _rows(
    session: Session, where: AuditFilter, before_id: int | None, limit: int
) -> list[AuditRow]:
    return [
        AuditRow(
            id=entry.id,
            at=entry.at,
            kind=AuditKind(entry.kind),
            subject=entry.subject,
            lead_id=entry.lead_id,
            user_id=entry.user_id,
            user_login=as_login or "",
            user_name=as_name or "",
            by_user_id=entry.by_user_id,
            by_login=entry.by_login or by_login or "",
            by_name=by_name or "",
            workstation=entry.workstation,
            before=entry.before,
            after=entry.after,
        )
        for entry, as_login, as_name, by_login, by_name in session.execute(
            _query(where, before_id, limit)
        )
    ]


def audit_page(
    db: Database,
    user_id: int,
    where: AuditFilter | None = None,
    *,
    before_id: int | None = None,
    limit: int = 100,
) -> list[AuditRow]:
    """Up to ``limit`` entries ``where`` selects, newest first, older than entry
    ``before_id`` (None: from the newest). Team leads only."""
    if not 1 <= limit <= MAX_PAGE:
        raise ValueError(f"A page holds from 1 to {MAX_PAGE:,} entries, not {limit:,}.")
    with db.read() as session:
        require_user(session, user_id, Action.READ_AUDIT_TRAIL)
        return _rows(session, where or AuditFilter(), before_id, limit)


# ----------------------------------------------------------------------------- exporting


def _json(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def csv_row(row: AuditRow) -> list[str | int | None]:
    """One entry as a row of the CSV file (under :data:`CSV_HEADER`)."""
    return [
        row.id,
        row.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
        row.actor,
        row.acted_as,
        row.workstation,
        row.kind.label,
        row.subject,
        row.lead_id,
        row.change,
        _json(row.before),
        _json(row.after),
    ]


def _every_row(session: Session, where: AuditFilter) -> Iterator[list[str | int | None]]:
    before_id: int | None = None
    while True:
        rows = _rows(session, where, before_id, EXPORT_CHUNK)
        yield from (csv_row(row) for row in rows)
        if len(rows) < EXPORT_CHUNK:
            return
        before_id = rows[-1].id


def export_audit_trail(
    db: Database,
    user_id: int,
    path: Path,
    where: AuditFilter | None = None,
    *,
    overwrite: bool = False,
) -> AuditExport:
    """Write every entry ``where`` selects to ``path``, newest first: a CSV file that opens
    cleanly in a spreadsheet (formula-safe cells), written whole or not at all. Team leads
    only."""
    path = Path(path).expanduser().resolve()
    with db.read() as session:
        require_user(session, user_id, Action.READ_AUDIT_TRAIL)
        count = write_csv_file(
            path,
            CSV_HEADER,
            _every_row(session, where or AuditFilter()),
            overwrite=overwrite,
            error=AuditExportError,
        )
    return AuditExport(path, count)
