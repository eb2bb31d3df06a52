"""The demo data offer: on a database with no leads, and under File → Load demo data….

The demo set is loaded on a worker with progress and cancel; the window refreshes when
it is in (or when the load was cancelled: what was stored so far is kept by the loader's
rules, and the list shows the truth).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QObject, Qt, Signal

from teleprospect.ui.background import run_in_background
from teleprospect.ui.signals import emit

if TYPE_CHECKING:
    from PySide6.QtWidgets import QProgressDialog

    from teleprospect.demo.loader import DemoSummary
    from teleprospect.ui.main_window import MainWindow

#: How many leads "Load demo data…" adds.
DEMO_LEADS = 2000


class DemoOffer(QObject):
    #: A demo-data load finished, with its summary (after the window refreshed).
    loaded = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._cancel: threading.Event | None = None
        self.progress_dialog: QProgressDialog | None = None

    def on_emptiness_known(self, empty: bool) -> None:
        """The first start on an empty database: offer the demo set."""
        from PySide6.QtWidgets import QMessageBox

        if not empty:
            return
        answer = QMessageBox.question(
            self.window,
            "Load demo data?",
            "This database has no leads yet.\n\n"
            f"Load a demo set of {QLocale().toString(DEMO_LEADS)} fictional leads, with "
            "campaigns and users, to try Teleprospect out?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.load(append=False)

    def on_load_requested(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        db = self.window.db
        if db is None:
            return
        answer = QMessageBox.question(
            self.window,
            "Load demo data",
            f"Add {QLocale().toString(DEMO_LEADS)} fictional leads, with campaigns and users, "
            f"to {db.describe()}?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Yes:
            # Asked for explicitly, so the demo leads may join leads already there.
            self.load(append=True)

    def load(self, *, append: bool) -> None:
        from PySide6.QtWidgets import QProgressDialog

        db = self.window.db
        if self._cancel is not None or db is None:
            return  # already loading, or nothing to load into
        from teleprospect.demo.loader import load_demo  # heavy; only when asked for
        from teleprospect.services.identity.current_user import current_login

        cancel = threading.Event()
        self._cancel = cancel
        self.window.ui.actionLoadDemo.setEnabled(False)
        dialog = QProgressDialog("Loading demo data…", "Cancel", 0, 0, self.window)
        dialog.setWindowTitle("Teleprospect")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(cancel.set)
        self.progress_dialog = dialog
        run_in_background(
            lambda report: load_demo(
                db,
                leads=DEMO_LEADS,
                seed=1,
                append=append,
                progress=report,
                should_cancel=cancel.is_set,
                you=current_login(db),
            ),
            self.on_loaded,
            self.on_failed,
            progress=self.on_progress,
            owner=self,
        )

    def cancel(self) -> None:
        """Stop a load in progress (the window closes)."""
        if self._cancel is not None:
            self._cancel.set()

    def on_progress(self, done: int, total: int) -> None:
        if self.progress_dialog is not None and not self._cancel_requested():
            self.progress_dialog.setMaximum(total)
            self.progress_dialog.setValue(done)

    def _cancel_requested(self) -> bool:
        return self._cancel is not None and self._cancel.is_set()

    def _end(self) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
        self.progress_dialog = None
        self._cancel = None
        self.window.ui.actionLoadDemo.setEnabled(True)

    def on_loaded(self, summary: DemoSummary) -> None:
        self._end()
        self.window.refresh()
        self.window.statusBar().showMessage(
            f"Loaded {QLocale().toString(summary.leads)} demo leads, {summary.campaigns} "
            f"campaigns and {summary.users} users in {summary.seconds:.1f} s",
            10_000,
        )
        emit(self.loaded, summary)

    def on_failed(self, error: BaseException) -> None:
        from teleprospect.demo.loader import DemoCancelled

        self._end()
        if isinstance(error, DemoCancelled):
            self.window.statusBar().showMessage("Loading demo data was cancelled.", 10_000)
            self.window.refresh()
            return
        self.window.show_error("The demo data could not be loaded", error)
