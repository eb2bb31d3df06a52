"""What the read-only lead tables (the lead list, the queue) share about their columns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt


class HeaderColumn(Protocol):
    title: str
    tooltip: str
    alignment: Any


def column_header(
    columns: Sequence[HeaderColumn], section: int, orientation: Qt.Orientation, role: int
) -> Any:
    """``headerData`` for a table whose columns carry their title, tooltip and alignment."""
    if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(columns):
        return None
    column = columns[section]
    if role == Qt.ItemDataRole.DisplayRole:
        return column.title
    if role == Qt.ItemDataRole.ToolTipRole:
        return column.tooltip
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return column.alignment
    return None


def read_only_row_flags(index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
    """Rows are selected whole and never edited in place."""
    if not index.isValid():
        return Qt.ItemFlag.NoItemFlags
    return (
        Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
    )
