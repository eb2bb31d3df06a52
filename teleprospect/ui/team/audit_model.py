"""The audit trail as a lazy table: newest first, a page at a time, read on a worker.

Each page is one keyset query (entries older than the last one shown), so scrolling far
down a long trail costs what the first page did; changing a filter starts again from the
newest (:class:`~teleprospect.ui.tables.lazy_model.LazyTableModel` drops the answers of
pages asked for before).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QObject, Qt

from teleprospect.ui.desk.queue_model import local_zone
from teleprospect.ui.tables.lazy_model import LazyTableModel

if TYPE_CHECKING:
    from datetime import datetime

    from teleprospect.services.audit.trail import AuditFilter, AuditRow
    from teleprospect.store.database import Database

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

#: The entry (an ``AuditRow``) of a row, whatever the column.
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1


def local_time_text(at: datetime) -> str:
    """``at`` on the workstation's clock, to the second: the order of acts matters here."""
    return at.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M:%S")


class AuditColumn(NamedTuple):
    title: str
    tooltip: str
    #: A long typical value: the column starts wide enough to show it.
    sample: str
    display: Callable[[AuditRow], str]
    alignment: Qt.AlignmentFlag = _LEFT


COLUMNS: tuple[AuditColumn, ...] = (
    AuditColumn(
        "When", "When it was done (your local time)", "2026-11-25 16:00:00",
        lambda row: local_time_text(row.at),
    ),
    AuditColumn(
        "Who", "Who did it, and as whom when an admin acted as someone else",
        "maria.lopez as julie.moreau", lambda row: row.who,
    ),
    AuditColumn(
        "Workstation", "The computer it was done from", "desk-07.sales",
        lambda row: row.workstation,
    ),
    AuditColumn("What", "The kind of act", "Scoring rules published", lambda row: row.kind.label),
    AuditColumn(
        "Subject", "What was acted on", "reassignment #12: owner Sam Carter",
        lambda row: row.subject,
    ),
    AuditColumn(
        "Lead", "The lead, when the act was about one lead", "Lead",
        lambda row: "" if row.lead_id is None else str(row.lead_id), _RIGHT,
    ),
    AuditColumn(
        "Change", "What changed, before → after", "status: working → sales_ready",
        lambda row: row.change,
    ),
)  # fmt: skip


class AuditTableModel(LazyTableModel["AuditRow"]):
    """The entries a filter selects, newest first."""

    ROWS_TO_LOAD = 200
    COLUMNS = COLUMNS

    def __init__(
        self, db: Database | None = None, user_id: int | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._db, self._user_id = db, user_id
        self._filter: AuditFilter | None = None

    @property
    def filter(self) -> AuditFilter | None:
        return self._filter

    def show(self, db: Database, user_id: int, where: AuditFilter | None = None) -> None:
        """Read the trail of ``db`` as ``user_id`` sees it, from the newest entry."""
        self._db, self._user_id, self._filter = db, user_id, where
        self.restart()

    def set_filter(self, where: AuditFilter | None) -> None:
        """Show only what ``where`` selects, from the newest entry again."""
        self._filter = where
        self.restart()

    def entry(self, row: int) -> AuditRow:
        return self.rows()[row]

    # -- lazy loading ---------------------------------------------------------------------

    def can_query(self) -> bool:
        return self._db is not None and self._user_id is not None

    def page_reader(self, rows: Sequence[AuditRow], limit: int) -> Callable[[], list[AuditRow]]:
        db, user_id, where = self._db, self._user_id, self._filter
        before_id = rows[-1].id if rows else None
        assert db is not None and user_id is not None

        def read_page() -> list[AuditRow]:
            from teleprospect.services.audit.trail import audit_page

            return audit_page(db, user_id, where, before_id=before_id, limit=limit)

        return read_page

    # -- cells ----------------------------------------------------------------------------

    def row_data(self, row: AuditRow, column: int, role: int) -> Any:
        spec = COLUMNS[column]
        if role == Qt.ItemDataRole.DisplayRole:
            return spec.display(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = spec.display(row)
            # Long values may be cut off by the column width; short ones need no tooltip.
            return text if len(text) > 24 else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return spec.alignment
        if role == ENTRY_ROLE:
            return row
        return None
