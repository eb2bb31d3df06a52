"""The Callbacks tab: my overdue, today's and upcoming callbacks (and the team's), each with
the lead, its company, the time here and at the lead, personal or team, and the note.

Enter or a double-click opens the lead as the queue does. The list reads itself again on
a timer (on a worker, never on the GUI thread), when the tab is shown and after a call is
saved; each reading is told through :attr:`CallbacksView.listed`, which the reminder
(:mod:`teleprospect.ui.desk.callback_reminder`) listens to.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from teleprospect.core.callback_slots import CallbackWhen
from teleprospect.ui.background import run_in_background
from teleprospect.ui.desk.callbacks_model import CallbacksModel
from teleprospect.ui.desk.queue_model import database_clock, local_zone
from teleprospect.ui.signals import emit

if TYPE_CHECKING:
    from teleprospect.services.calls.callback_list import CallbackList
    from teleprospect.store.database import Database
    from teleprospect.ui.desk.callback_reminder import CallbackReminder
    from teleprospect.ui.main_window import MainWindow

log = logging.getLogger(__name__)

#: How often the list is read again: a callback falls due within this of its time.
REFRESH_MS = 30_000


class CallbacksView(QWidget):
    #: A lead to open in the Call tab (its id).
    open_requested = Signal(int)
    #: A fresh reading of the list (a CallbackList).
    listed = Signal(object)
    #: A failure to tell the user, in one sentence.
    message = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        now_provider: Callable[[], datetime | None] = database_clock,
        display_zone: tzinfo | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("callbacksView")
        self._db: Database | None = None
        self._user_id: int | None = None
        self._now = now_provider
        self._zone = display_zone or local_zone()
        self._generation = 0
        self.setup_widgets()
        self.setup_timer()

    def setup_widgets(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.summary = QLabel("No callbacks yet.", self)
        self.summary.setObjectName("callbacksSummary")
        self.refresh_button = QPushButton("&Refresh", self)
        self.refresh_button.setToolTip("Read the callbacks again (they are read every 30 s)")
        self.refresh_button.clicked.connect(self.refresh)
        top.addWidget(self.summary, 1)
        top.addWidget(self.refresh_button)
        layout.addLayout(top)
        self.model = CallbacksModel(self, self._zone)
        table = QTableView(self)
        table.setObjectName("callbacksTable")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((90, 130, 170, 170, 190, 80)):
            table.setColumnWidth(column, width)
        table.doubleClicked.connect(self.open_row)
        table.activated.connect(self.open_row)
        self.table = table
        layout.addWidget(table)
        self.empty_hint = QLabel(
            "Callbacks you promise (Callback in the Call tab) and the team's are listed here.",
            self,
        )
        self.empty_hint.setObjectName("hint")
        layout.addWidget(self.empty_hint)

    def setup_timer(self) -> None:
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)

    # -- state -------------------------------------------------------------------------

    def set_source(self, db: Database | None, user_id: int | None) -> None:
        """Show ``user_id``'s callbacks (None: a login with no account has none)."""
        self._db, self._user_id = db, user_id
        self._generation += 1
        if db is None or user_id is None:
            self.timer.stop()
            return
        self.timer.start()
        self.refresh()

    def refresh(self) -> None:
        db, user_id = self._db, self._user_id
        if db is None or user_id is None:
            return
        self._generation += 1
        generation, now, zone = self._generation, self._now(), self._zone

        def read() -> CallbackList:
            from teleprospect.services.calls.callback_list import list_callbacks

            return list_callbacks(db, user_id, display_zone=zone, now=now)

        run_in_background(
            read,
            lambda found: self._listed(generation, found),
            lambda error: self._failed(generation, error),
            owner=self,
        )

    def _listed(self, generation: int, found: CallbackList) -> None:
        if generation != self._generation:
            return  # a newer reading is under way, or the user changed
        selected = self.selected_lead_id()
        self.model.set_list(found)
        self._select_lead(selected)
        counts = {when: 0 for when in CallbackWhen}
        for row in found.rows:
            counts[row.when] += 1
        parts = [f"{counts[when]} {when.label.lower()}" for when in CallbackWhen]
        more = " (the soonest shown)" if found.truncated else ""
        self.summary.setText(" · ".join(parts) + more)
        self.empty_hint.setVisible(not found.rows)
        emit(self.listed, found)

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        from teleprospect.services.errors import is_expected

        if not is_expected(error):
            log.error("Reading the callbacks failed", exc_info=error)
        # The rows read last stay; the next reading tries again.
        emit(self.message, f"Callbacks could not be read: {error}")

    # -- opening ---------------------------------------------------------------------------

    def selected_lead_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()).lead_id if rows else None

    def _select_lead(self, lead_id: int | None) -> None:
        if lead_id is None:
            return
        for number, row in enumerate(self.model.rows):
            if row.lead_id == lead_id:
                self.table.selectRow(number)
                return

    def open_row(self, index: QModelIndex) -> None:
        if index.isValid():
            emit(self.open_requested, self.model.row_at(index.row()).lead_id)


def add_callbacks_tab(window: MainWindow) -> tuple[CallbacksView, CallbackReminder]:
    """Put the Callbacks tab next to the Queue tab of ``window`` and the reminder in its
    status bar; both open leads through the queue desk, as the queue does."""
    from teleprospect.ui.desk.callback_reminder import CallbackReminder

    view = CallbacksView(window, now_provider=window.now_provider)
    view.open_requested.connect(window.desk.open_specific_lead)
    view.message.connect(lambda text: window.statusBar().showMessage(text, 10_000))
    tabs = window.ui.mainTabs
    tabs.insertTab(tabs.indexOf(window.ui.queueTab) + 1, view, "Call&backs")
    tabs.currentChanged.connect(lambda _i: view.refresh() if tabs.currentWidget() is view else None)
    reminder = CallbackReminder(window)
    reminder.open_requested.connect(window.desk.open_specific_lead)
    view.listed.connect(reminder.on_listed)
    window.statusBar().addPermanentWidget(reminder)
    return view, reminder
