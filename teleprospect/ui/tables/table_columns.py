"""What the read-only lead tables (the lead list, the queue) share about their columns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QHeaderView, QTableView

from teleprospect.core.text import printable


class HeaderColumn(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def tooltip(self) -> str: ...
    @property
    def alignment(self) -> Any: ...


class SampledColumn(Protocol):
    @property
    def title(self) -> str: ...
    #: A long typical value: the column starts wide enough to show it.
    @property
    def sample(self) -> str: ...


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


def shown_text(value: Any, role: int) -> Any:
    """A cell's text as a table shows it: what a lead list carried (a CSV cell's escape
    sequence or control character) never reaches the screen. Other roles pass through."""
    if isinstance(value, str):
        if role == Qt.ItemDataRole.DisplayRole:
            return printable(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            return printable(value, multiline=True)
    return value


def read_only_row_flags(index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
    """Rows are selected whole and never edited in place."""
    if not index.isValid():
        return Qt.ItemFlag.NoItemFlags
    return (
        Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
    )


def setup_lead_table_view(table: QTableView) -> None:
    """The look both lead tables share: whole rows in the database's (or the queue's)
    order, fixed row heights, left-aligned titles."""
    table.setSortingEnabled(False)  # rows come a chunk at a time, already in order
    rows = table.verticalHeader()
    rows.setVisible(False)
    # Fixed heights: the view never measures rows, which keeps a long list smooth.
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setMinimumSectionSize(40)


def fit_columns_to_samples(table: QTableView, columns: Sequence[SampledColumn]) -> None:
    """Start each column wide enough for its sample value and its bold title."""
    metrics = table.fontMetrics()
    for number, column in enumerate(columns):
        # Room for the stylesheet's cell padding, and for the header's bold title.
        cell = metrics.horizontalAdvance(column.sample) + 20
        title = int(metrics.horizontalAdvance(column.title) * 1.08) + 14
        table.setColumnWidth(number, max(cell, title))
