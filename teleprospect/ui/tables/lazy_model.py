"""The base of the tables that grow: rows read from the database a page at a time.

The view asks for more rows only as the user scrolls towards the end (``canFetchMore`` /
``fetchMore``): one request at a time, each a page of ``ROWS_TO_LOAD`` read on a worker by
the subclass's :meth:`LazyTableModel.page_reader` (keyset or position), appended when it
arrives. Every restart bumps a generation counter: answers to requests made before it are
dropped, so a slow page never lands in a list that has moved on. A failed read stops
the asking (a broken connection is not retried on every scroll) and says so through
``load_failed``; a reload tries again.

Subclasses name their ``COLUMNS`` (title, tooltip, alignment) and say how a row shows in
:meth:`LazyTableModel.row_data`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from teleprospect.ui.background import run_in_background
from teleprospect.ui.signals import emit
from teleprospect.ui.tables.table_columns import (
    HeaderColumn,
    column_header,
    read_only_row_flags,
    shown_text,
)

R = TypeVar("R")
AnyIndex = QModelIndex | QPersistentModelIndex


class LazyTableModel(QAbstractTableModel, Generic[R]):
    """Rows of type ``R`` in the database's order, read lazily; read-only, whole rows."""

    #: Rows read per request.
    ROWS_TO_LOAD: ClassVar[int] = 100
    #: The columns, in order (each with a title, a tooltip and an alignment).
    COLUMNS: ClassVar[Sequence[HeaderColumn]] = ()

    #: A request started (True) or finished (False).
    loading_changed = Signal(bool)
    #: Reading from the database failed; the argument is the error.
    load_failed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []
        self._all_loaded = False
        self._loading = False
        # Bumped by every restart: answers to requests made before it are dropped.
        self._generation = 0
        #: When rows last arrived from the database (None: not yet): what a list shown
        #: without its server was read at.
        self.rows_read_at: datetime | None = None

    # -- what a subclass says ----------------------------------------------------------

    def can_query(self) -> bool:
        """Whether there is anything to read (a database, a user…)."""
        raise NotImplementedError

    def page_reader(self, rows: Sequence[R], limit: int) -> Callable[[], list[R]]:
        """A function, run on a worker, reading up to ``limit`` rows after ``rows``.

        Called on the GUI thread: capture here whatever the reader needs (the last
        row's key, the offset, the filters, the clock)."""
        raise NotImplementedError

    def row_key(self, row: R) -> Hashable | None:
        """A row's identity, for lists read by position that may move between two pages:
        a row already shown is never added twice. None (the default): no such check."""
        return None

    def row_data(self, row: R, column: int, role: int) -> Any:
        """``data()`` for one cell of a row that is loaded."""
        raise NotImplementedError

    # -- state -------------------------------------------------------------------------

    @property
    def all_loaded(self) -> bool:
        return self._all_loaded

    @property
    def is_loading(self) -> bool:
        return self._loading

    @property
    def generation(self) -> int:
        return self._generation

    def rows(self) -> Sequence[R]:
        return self._rows

    def restart(self) -> None:
        """Forget every row and read the list again from the top."""
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._all_loaded = False
        self.forget()
        self.endResetModel()
        self._set_loading(False)
        self.fetchMore(QModelIndex())

    def forget(self) -> None:
        """What a subclass keeps per row goes with the rows (called inside the reset)."""

    def new_generation(self) -> int:
        """Drop the answers of every request made so far; the new generation."""
        self._generation += 1
        return self._generation

    def replace_rows(self, generation: int, rows: list[R], *, all_loaded: bool) -> bool:
        """Swap every row for ``rows`` (a reload's answer); False when it came too late."""
        if generation != self._generation:
            return False
        self.beginResetModel()
        self._rows = rows
        self._all_loaded = all_loaded
        self.forget()
        self.endResetModel()
        self.rows_read_at = datetime.now(UTC)
        self._set_loading(False)
        return True

    # -- lazy loading ------------------------------------------------------------------

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._all_loaded and self.can_query()

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._all_loaded or self._loading or not self.can_query():
            return  # one request at a time: the view asks again as it scrolls
        generation, limit = self._generation, self.ROWS_TO_LOAD
        reader = self.page_reader(self._rows, limit)
        self._set_loading(True)
        run_in_background(
            reader,
            lambda rows: self._add_rows(generation, rows, limit),
            lambda error: self.read_failed(generation, error),
            owner=self,
        )

    def _add_rows(self, generation: int, rows: list[R], limit: int) -> None:
        if generation != self._generation:
            return
        if len(rows) < limit:
            self._all_loaded = True
        if self._rows and self.row_key(self._rows[0]) is not None:
            # Pages read by position, and the list moves between two reads: a row may
            # come round again. Never show it twice.
            shown = {self.row_key(row) for row in self._rows}
            rows = [row for row in rows if self.row_key(row) not in shown]
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self.rows_read_at = datetime.now(UTC)
        self._set_loading(False)

    def read_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        # Stop asking: a broken connection would otherwise be retried on every scroll.
        self._all_loaded = True
        self._set_loading(False)
        emit(self.load_failed, error)

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            emit(self.loading_changed, loading)

    # -- QAbstractTableModel -----------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return shown_text(self.row_data(self._rows[index.row()], index.column(), role), role)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        return column_header(self.COLUMNS, section, orientation, role)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return read_only_row_flags(index)
