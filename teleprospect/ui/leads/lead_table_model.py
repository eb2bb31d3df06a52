"""The lead list as a Qt table model that reads the database a chunk at a time.

The view asks for more rows only as the user scrolls towards the end (``canFetchMore`` /
``fetchMore``), so the list opens as fast on a million leads as on a hundred: only the
first ``ROWS_TO_LOAD`` rows are read at first, each further chunk is one index-backed
keyset query run in the background, and rows are appended when it arrives (the paging
is :class:`~teleprospect.ui.tables.lazy_model.LazyTableModel`'s).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from teleprospect.ui.background import run_in_background
from teleprospect.ui.signals import emit
from teleprospect.ui.tables.lazy_model import LazyTableModel

if TYPE_CHECKING:
    # Only for type hints: the services (and SQLAlchemy under them) are imported when the
    # first query runs, so that the window can appear before they have loaded.
    from teleprospect.services.leads.lead_list import LeadRow
    from teleprospect.store.database import Database

AnyIndex = QModelIndex | QPersistentModelIndex

#: The raw value of a cell (an int for the score, a datetime for "Created"), for proxies
#: that sort or filter by value rather than by the displayed text.
SORT_ROLE = Qt.ItemDataRole.UserRole
#: The lead's database id, whatever the column.
LEAD_ID_ROLE = Qt.ItemDataRole.UserRole + 1

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter

# Dark enough to read on the alternating row colour, and not the selection's blue.
_INVALID_PHONE_COLOR = QColor("#b3261e")


def _format_created(value: datetime | None) -> str:
    # Stored in UTC; people think in their own clock.
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else ""


class Column(NamedTuple):
    key: str
    title: str
    tooltip: str
    #: A long typical value: the column starts wide enough to show it (the user's own
    #: widths are restored over this).
    sample: str
    alignment: Qt.AlignmentFlag = _LEFT
    display: Callable[[LeadRow], str] | None = None

    def text(self, row: LeadRow) -> str:
        if self.display is not None:
            return self.display(row)
        return str(getattr(row, self.key))


COLUMNS: tuple[Column, ...] = (
    Column("name", "Name", "First and last name", "Charlotte Thompson"),
    Column("company", "Company", "Company", "Nordwind Logistics GmbH"),
    Column("title", "Title", "Job title", "Marketing Manager"),
    Column("country", "Country", "Country (ISO code)", "Country", _CENTER),
    Column(
        "phone",
        "Phone",
        "Phone number, in international form when it could be read",
        "+4917012349876",
    ),
    Column("status", "Status", "Where the lead is in its lifecycle", "Disqualified"),
    Column(
        "score",
        "Score",
        "Fit + engagement + qualification points, and the grade",
        "Score",
        _RIGHT,
        display=lambda row: f"{row.score} {row.grade}",
    ),
    Column("campaign", "Campaign", "The campaign the lead came from", "Cloud Cost Clinic"),
    Column("owner", "Owner", "The teleprospector who owns the lead", "Sam Team-Lead"),
    Column(
        "created_at",
        "Created",
        "When the lead entered Teleprospect (your local time)",
        "2025-12-31 23:59",
        display=lambda row: _format_created(row.created_at),
    ),
)
COLUMN_INDEX = {column.key: number for number, column in enumerate(COLUMNS)}
#: The columns a header click sorts by, and the database order each stands for
#: (services.leads.lead_list.LeadSort's values); the others have no index to sort by.
SORTABLE = {
    COLUMN_INDEX["name"]: "name",
    COLUMN_INDEX["company"]: "company",
    COLUMN_INDEX["status"]: "status",
    COLUMN_INDEX["score"]: "score",
    COLUMN_INDEX["created_at"]: "created_at",
}


class LeadTableModel(LazyTableModel["LeadRow"]):
    """The leads a search and filters find, in the order the database sorts them by (id
    unless told otherwise: the view itself never sorts)."""

    #: Rows read per request: enough to fill a tall screen twice, small enough to arrive fast.
    ROWS_TO_LOAD = 200
    COLUMNS = COLUMNS

    #: The number of leads in the database, counted in the background.
    total_changed = Signal(int)
    #: Something to tell about the search (a server without its index); "" when nothing.
    note_changed = Signal(str)

    def __init__(self, db: Database | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        #: None until the database is open: the list stays empty and asks for nothing.
        self._db = db
        self._total: int | None = None
        #: Show only the leads of this import (None: every lead).
        self._import_batch_id: int | None = None
        #: The search, filters and order (services.leads.lead_list.LeadListing's fields).
        self._listing: dict[str, Any] = {}

    # -- state ----------------------------------------------------------------------------

    @property
    def total(self) -> int | None:
        """The number of leads in the database, once counted (see ``count_total``)."""
        return self._total

    def lead_row(self, row: int) -> LeadRow:
        return self.rows()[row]

    def set_database(self, db: Database) -> None:
        self._db = db
        self.reload()

    @property
    def import_batch_id(self) -> int | None:
        return self._import_batch_id

    def show_import(self, import_batch_id: int | None) -> None:
        """List only the leads one import created (None: every lead again)."""
        self._import_batch_id = import_batch_id
        self.reload()

    @property
    def listing(self) -> dict[str, Any]:
        return dict(self._listing)

    def set_listing(self, **listing: Any) -> None:
        """Search, filter and sort (LeadListing's fields but the import), from the top."""
        self._listing = {key: value for key, value in listing.items() if value not in (None, "")}
        self.reload()

    def _make_listing(self) -> Callable[[], Any]:
        fields = dict(self._listing, import_batch_id=self._import_batch_id)

        def make() -> Any:
            from teleprospect.services.leads.lead_list import LeadListing, LeadSort

            if "sort" in fields:
                fields["sort"] = LeadSort(fields["sort"])
            return LeadListing(**fields)

        return make

    def reload(self) -> None:
        """Forget every row and read the list again from the start."""
        self.restart()

    def forget(self) -> None:
        self._total = None

    def count_total(self) -> None:
        """Count the leads in the background; ``total_changed`` reports the number."""
        db, generation = self._db, self.generation
        if db is None:
            return

        make = self._make_listing()

        def count() -> tuple[int, str]:
            from teleprospect.services.leads.lead_list import count_leads, search_note

            listing = make()
            return count_leads(db, listing=listing), search_note(db, listing)

        def counted(answer: tuple[int, str]) -> None:
            if generation == self.generation:
                self._total, note = answer
                emit(self.total_changed, self._total)
                emit(self.note_changed, note)

        run_in_background(
            count,
            counted,
            lambda error: emit(self.load_failed, error),
            owner=self,
        )

    # -- lazy loading ---------------------------------------------------------------------

    def can_query(self) -> bool:
        return self._db is not None

    def page_reader(self, rows: Sequence[LeadRow], limit: int) -> Callable[[], list[LeadRow]]:
        # Keyset paging in the list's order: each page is one index range scan, however
        # far down; the first is read at once, never after counting everything.
        db, make = self._db, self._make_listing()
        after = rows[-1] if rows else None
        assert db is not None

        def read_page() -> list[LeadRow]:
            from teleprospect.services.leads.lead_list import list_leads

            return list_leads(db, make(), after=after, limit=limit).rows

        return read_page

    # -- cells ----------------------------------------------------------------------------

    def row_data(self, row: LeadRow, column_number: int, role: int) -> Any:
        column = COLUMNS[column_number]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.alignment
        if role == Qt.ItemDataRole.ForegroundRole:
            if column.key == "phone" and not row.phone_valid:
                return _INVALID_PHONE_COLOR
            return None
        if role == SORT_ROLE:
            return getattr(row, column.key)
        if role == LEAD_ID_ROLE:
            return row.id
        return None

    @staticmethod
    def _tooltip(row: LeadRow, column: Column) -> str | None:
        if column.key == "phone" and not row.phone_valid:
            if not row.phone:
                return "No phone number"
            return f"{row.phone} is not a valid phone number: check it before calling"
        if column.key == "score":
            return f"Score {row.score}: grade {row.grade} ({row.grade_label})"
        if column.key == "name" and row.title:
            return f"{row.name}, {row.title}" + (f" at {row.company}" if row.company else "")
        text = column.text(row)
        # Long values may be cut off by the column width; short ones need no tooltip.
        return text if len(text) > 12 else None
