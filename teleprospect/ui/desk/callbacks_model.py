"""The rows of the Callbacks tab: overdue, today's and upcoming callbacks, each with its time
in the rep's zone and in the lead's.

A rep's callbacks are few (a list, not a table that grows): the whole list is read on a
worker and handed over in one piece (:meth:`CallbacksModel.set_list`).
"""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from teleprospect.core.callback_slots import CallbackWhen, place_name, zone_named
from teleprospect.ui.desk.queue_model import LEAD_ID_ROLE, local_zone

if TYPE_CHECKING:
    from teleprospect.services.calls.callback_list import CallbackList, CallbackRow

_Index = QModelIndex | QPersistentModelIndex
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_OVERDUE = QColor("#b3261e")


class CallbackColumn(NamedTuple):
    key: str
    title: str


COLUMNS: tuple[CallbackColumn, ...] = (
    CallbackColumn("when", "When"),
    CallbackColumn("here", "Your time"),
    CallbackColumn("there", "The lead's time"),
    CallbackColumn("lead", "Lead"),
    CallbackColumn("company", "Company"),
    CallbackColumn("kind", "For"),
    CallbackColumn("note", "Note"),
)


def time_text(row: CallbackRow, zone: tzinfo, *, with_day: bool) -> str:
    local = row.due_at.astimezone(zone)
    if with_day:
        return f"{_DAY_NAMES[local.weekday()]} {local:%d %b %H:%M}"
    return f"{local:%H:%M}"


def lead_time_text(row: CallbackRow, rep_zone: tzinfo) -> str:
    """The time at the lead, once per time its zones show ("Thu 18:00 Tokyo"; Jersey,
    Guernsey and the Isle of Man keep one clock and show as one); the day is named when it
    is not the rep's. The tooltip names every zone."""
    here_day = row.due_at.astimezone(rep_zone).date()
    texts: list[str] = []
    seen: set[str] = set()
    for name in row.lead_zones:
        zone = zone_named(name)
        if zone is None:
            continue
        local = row.due_at.astimezone(zone)
        day = f"{_DAY_NAMES[local.weekday()]} " if local.date() != here_day else ""
        clock = f"{day}{local:%H:%M}"
        if clock not in seen:
            seen.add(clock)
            texts.append(f"{clock} {place_name(name)}")
    if not texts:
        return "unknown"
    return ", ".join(texts[:3]) + (" …" if len(texts) > 3 else "")


class CallbacksModel(QAbstractTableModel):
    def __init__(self, parent: Any = None, display_zone: tzinfo | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[CallbackRow, ...] = ()
        self._zone = display_zone or local_zone()

    def set_list(self, found: CallbackList) -> None:
        self.beginResetModel()
        self._rows = found.rows
        self.endResetModel()

    def row_at(self, row: int) -> CallbackRow:
        return self._rows[row]

    @property
    def rows(self) -> tuple[CallbackRow, ...]:
        return self._rows

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation is Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section].title
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        key = COLUMNS[index.column()].key
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, key)
        if role == LEAD_ID_ROLE:
            return row.lead_id
        overdue = row.when is CallbackWhen.OVERDUE
        if role == Qt.ItemDataRole.ForegroundRole and overdue and key in ("when", "here"):
            return QBrush(_OVERDUE)
        soon = row.when is not CallbackWhen.UPCOMING
        if role == Qt.ItemDataRole.FontRole and key == "when" and soon:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "note" and row.note:
                return row.note
            if key == "there" and row.lead_zones:
                return ", ".join(row.lead_zones)
            if key == "kind" and row.at_lead_request:
                return "At the lead's request"
        return None

    def _text(self, row: CallbackRow, key: str) -> str:
        if key == "when":
            return row.when.label
        if key == "here":
            return time_text(row, self._zone, with_day=row.when is not CallbackWhen.TODAY)
        if key == "there":
            return lead_time_text(row, self._zone)
        if key == "lead":
            return row.name or f"Lead #{row.lead_id}"
        if key == "company":
            return row.company
        if key == "kind":
            return "Personal" if row.personal else "Team"
        return row.note
