"""The main window: the lead list, its menus and a status bar saying where the data lives.

Set-up is a flat list of small ``setup_*`` steps, called in order from ``__init__``.
Nothing here waits on the database: every query runs through ``run_in_background``.
The window can be shown before the database is open (start-up opens it on a worker and
hands it over with ``set_database``); the services, and SQLAlchemy under them, are
imported only when first used, which keeps them out of the time to the first window.

Dialogs (QMessageBox, QProgressDialog) are imported where they are used: PySide6 builds
each Qt class's Python type on first access, and the start-up budget has no room for
types the first window does not show.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QLocale, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QWidget,
)

import teleprospect
from teleprospect.ui import resources_rc  # noqa: F401 - registers the :/ resources
from teleprospect.ui.background import run_in_background
from teleprospect.ui.drop import csv_paths_from_mime
from teleprospect.ui.forms.ui_main_window import Ui_MainWindow
from teleprospect.ui.lead_table_model import COLUMNS, LeadTableModel
from teleprospect.ui.signals import emit

if TYPE_CHECKING:
    from PySide6.QtWidgets import QProgressDialog

    from teleprospect.services.current_user import CurrentUser
    from teleprospect.services.demo import DemoSummary
    from teleprospect.services.importing import ImportSummary
    from teleprospect.store.database import Database

log = logging.getLogger(__name__)

ORGANIZATION = "Teleprospect"
APPLICATION = "Teleprospect"

#: How many leads "Load demo data…" adds.
DEMO_LEADS = 2000

# QSettings keys of the per-user window state (DESIGN.md §2 rule 6).
GEOMETRY_KEY = "mainWindow/geometry"
WINDOW_STATE_KEY = "mainWindow/state"
HEADER_STATE_KEY = "leadTable/headerState"
HEADER_COLUMNS_KEY = "leadTable/columnCount"


def window_settings() -> QSettings:
    return QSettings(ORGANIZATION, APPLICATION)


class ElidingLabel(QLabel):
    """A label that shortens its text in the middle ("/home/…/leads.sqlite3") when narrow.

    A plain QLabel's minimum width is its whole text: a long database path in the status
    bar would stop the window from being made narrower.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setText(text)

    def full_text(self) -> str:
        return self._full_text

    def setText(self, text: str) -> None:
        self._full_text = text
        self.setToolTip(text)
        self.updateGeometry()
        self._elide()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(self.fontMetrics().horizontalAdvance(self._full_text) + 16, hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(80, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        room = max(self.contentsRect().width() - 2 * self.margin() - 8, 0)
        shown = self.fontMetrics().elidedText(self._full_text, Qt.TextElideMode.ElideMiddle, room)
        super().setText(shown)


class MainWindow(QMainWindow):
    #: Emitted once, when the window is first shown and its first queries have started.
    first_shown = Signal()
    #: Emitted when a demo-data load finished, with its summary (after the list reloaded).
    demo_loaded = Signal(object)

    def __init__(self, db: Database | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: None while the database is being opened.
        self.db: Database | None = None
        self.current_user: CurrentUser | None = None
        self._shown_before = False
        self._started = False
        self._demo_cancel: threading.Event | None = None
        self._demo_progress: QProgressDialog | None = None
        self._last_import: int | None = None

        self.setup_form()
        self.setup_window()
        self.setup_actions()
        self.setup_lead_table()
        self.setup_filter_bar()
        self.setup_drop()
        self.setup_status_bar()
        self.restore_window_state()
        if db is not None:
            self.set_database(db)

    # -- set-up ------------------------------------------------------------------------

    def setup_form(self) -> None:
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)

    def setup_window(self) -> None:
        self.setWindowTitle("Teleprospect")
        self.setWindowIcon(QIcon(":/icons/teleprospect.svg"))

    def setup_actions(self) -> None:
        ui = self.ui
        ui.actionLoadDemo.setIcon(QIcon(":/icons/demo-data.svg"))
        ui.actionQuit.setIcon(QIcon(":/icons/quit.svg"))
        ui.actionRefresh.setIcon(QIcon(":/icons/refresh.svg"))
        ui.actionAbout.setIcon(QIcon(":/icons/about.svg"))
        # The shortcuts are set in the form too; the window keeps them even if it changes.
        ui.actionQuit.setShortcut("Ctrl+Q")
        ui.actionRefresh.setShortcut("F5")
        ui.actionImportLeads.triggered.connect(lambda: self.open_import())
        ui.actionShowAllLeads.triggered.connect(lambda: self.show_import_batch(None))
        ui.actionShowAllLeads.setEnabled(False)
        ui.actionLoadDemo.triggered.connect(self.on_load_demo_requested)
        ui.actionQuit.triggered.connect(self.close)
        ui.actionRefresh.triggered.connect(self.refresh)
        ui.actionAbout.triggered.connect(self.show_about)
        # Until the database is open there is nothing to refresh or load into.
        ui.actionLoadDemo.setEnabled(False)
        ui.actionRefresh.setEnabled(False)
        ui.actionImportLeads.setEnabled(False)

    def setup_lead_table(self) -> None:
        self.lead_model = LeadTableModel(None, self)
        self.lead_model.total_changed.connect(self.show_total)
        self.lead_model.load_failed.connect(
            lambda error: self.show_error("The leads could not be read.", error)
        )
        table = self.ui.leadTable
        table.setModel(self.lead_model)
        table.setSortingEnabled(False)  # rows come in the database's order, a chunk at a time
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
        self.apply_default_column_widths()

    def setup_filter_bar(self) -> None:
        """A bar above the list while it shows only the leads of one import."""
        self.filter_bar = QWidget(self)
        self.filter_bar.setObjectName("filterBar")
        layout = QHBoxLayout(self.filter_bar)
        layout.setContentsMargins(8, 4, 8, 4)
        self.filter_label = QLabel(self.filter_bar)
        show_all = QPushButton("Show &all leads", self.filter_bar)
        show_all.clicked.connect(lambda: self.show_import_batch(None))
        layout.addWidget(self.filter_label, 1)
        layout.addWidget(show_all)
        self.ui.centralLayout.insertWidget(0, self.filter_bar)
        self.filter_bar.hide()

    def setup_drop(self) -> None:
        # Dropping a CSV file on the window starts an import of it.
        self.setAcceptDrops(True)

    def apply_default_column_widths(self) -> None:
        table = self.ui.leadTable
        metrics = table.fontMetrics()
        for number, column in enumerate(COLUMNS):
            # Room for the stylesheet's cell padding, and for the header's bold title.
            cell = metrics.horizontalAdvance(column.sample) + 20
            title = int(metrics.horizontalAdvance(column.title) * 1.08) + 14
            table.setColumnWidth(number, max(cell, title))

    def setup_status_bar(self) -> None:
        bar = self.ui.statusBar
        self.total_label = QLabel("Opening the database…")
        self.database_label = ElidingLabel("Database: …")
        self.user_label = QLabel("User: …")
        bar.addWidget(self.total_label)
        bar.addPermanentWidget(self.database_label, 1)
        bar.addPermanentWidget(self.user_label)

    def restore_window_state(self) -> None:
        settings = window_settings()
        geometry = settings.value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = settings.value(WINDOW_STATE_KEY)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        header_state = settings.value(HEADER_STATE_KEY)
        saved_columns = int(settings.value(HEADER_COLUMNS_KEY, 0) or 0)
        # Widths saved for another set of columns would land on the wrong ones.
        if isinstance(header_state, QByteArray) and saved_columns == len(COLUMNS):
            self.ui.leadTable.horizontalHeader().restoreState(header_state)

    def save_window_state(self) -> None:
        settings = window_settings()
        settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        settings.setValue(WINDOW_STATE_KEY, self.saveState())
        settings.setValue(HEADER_STATE_KEY, self.ui.leadTable.horizontalHeader().saveState())
        settings.setValue(HEADER_COLUMNS_KEY, len(COLUMNS))
        settings.sync()

    # -- events ------------------------------------------------------------------------

    def set_database(self, db: Database) -> None:
        """Work on ``db`` from now on (once, after it has been opened)."""
        self.db = db
        self.database_label.setText(f"Database: {db.describe()}")
        self.ui.actionLoadDemo.setEnabled(True)
        self.ui.actionRefresh.setEnabled(True)
        self.ui.actionImportLeads.setEnabled(True)
        self.lead_model.set_database(db)
        self.total_label.setText("Reading leads…")
        self._start_when_ready()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_before:
            self._shown_before = True
            # After the first paint: the window appears before any query runs.
            QTimer.singleShot(0, self.on_first_show)

    def on_first_show(self) -> None:
        emit(self.first_shown)
        self._start_when_ready()

    def _start_when_ready(self) -> None:
        """The first queries, once the window is on screen and the database is open."""
        if self.db is None or not self._shown_before or self._started:
            return
        self._started = True
        db = self.db
        self.lead_model.count_total()
        self.find_user()

        def database_is_empty() -> bool:
            from teleprospect.services.database import is_empty

            return is_empty(db)

        run_in_background(
            database_is_empty,
            self.on_emptiness_known,
            lambda error: self.show_error("The database could not be read.", error),
            owner=self,
        )
        # The view asks for the first chunk when it lays out; make sure it happens now.
        if self.lead_model.rowCount() == 0:
            self.lead_model.fetchMore()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._demo_cancel is not None:
            self._demo_cancel.set()
        self.save_window_state()
        super().closeEvent(event)

    # -- drag and drop ---------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.db is not None and csv_paths_from_mime(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = csv_paths_from_mime(event.mimeData())
        if self.db is None or not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        # One file per import: the first; the others can be dropped afterwards.
        self.open_import(paths[0])

    # -- actions -----------------------------------------------------------------------

    def open_import(self, path: Path | None = None) -> None:
        """The import wizard (Ctrl+I, or a CSV file dropped on the window)."""
        if self.db is None:
            return
        from teleprospect.ui.import_wizard import open_import_wizard

        wizard = open_import_wizard(self, self.db, path)
        wizard.import_finished.connect(self.on_import_finished)
        wizard.show_leads.connect(lambda _ids: self.show_import_batch(self._last_import))
        self.import_wizard = wizard

    def on_import_finished(self, summary: ImportSummary) -> None:
        self._last_import = summary.batch_id
        if summary.batch_id is not None:
            self.refresh()

    def show_import_batch(self, batch_id: int | None) -> None:
        """List only the leads of import ``batch_id``, or every lead again (None)."""
        self.lead_model.show_import(batch_id)
        self.ui.actionShowAllLeads.setEnabled(batch_id is not None)
        self.filter_bar.setVisible(batch_id is not None)
        if batch_id is not None:
            self.filter_label.setText(f"Showing the leads of import #{batch_id}.")
        self.total_label.setText("Reading leads…")
        self.lead_model.count_total()

    def refresh(self) -> None:
        """Read the list, the count and the user again (F5)."""
        if self.db is None:
            return
        self.total_label.setText("Reading leads…")
        self.lead_model.reload()
        self.lead_model.count_total()
        self.find_user()

    def find_user(self) -> None:
        db = self.db
        if db is None:
            return

        def lookup() -> CurrentUser:
            from teleprospect.services.current_user import find_current_user

            return find_current_user(db)

        run_in_background(
            lookup,
            self.show_user,
            lambda error: self.show_error("The user accounts could not be read.", error),
            owner=self,
        )

    def show_user(self, user: CurrentUser) -> None:
        self.current_user = user
        self.user_label.setText(f"User: {user.describe()}")
        self.user_label.setToolTip(
            "Your computer login matches this Teleprospect user"
            if user.is_registered
            else "Ask a team lead to add a user with your computer login"
        )

    def show_total(self, total: int) -> None:
        noun = "lead" if total == 1 else "leads"
        self.total_label.setText(f"{QLocale().toString(total)} {noun}")
        batch = self.lead_model.import_batch_id
        if batch is not None:
            self.filter_label.setText(
                f"Showing the {QLocale().toString(total)} {noun} of import #{batch}."
            )

    def show_about(self) -> None:
        from html import escape

        from PySide6.QtWidgets import QMessageBox

        where = self.db.describe() if self.db is not None else "not open yet"
        QMessageBox.about(
            self,
            "About Teleprospect",
            f"<h3>Teleprospect {teleprospect.__version__}</h3>"
            "<p>A lead-qualification workstation: a prioritised call queue, scripted "
            "qualification and hand-off to sales.</p>"
            f"<p>Database: {escape(where)}</p>",
        )

    def show_error(self, what: str, error: BaseException) -> None:
        """One sentence of what failed and why; the traceback goes to the log, not the user."""
        from PySide6.QtWidgets import QMessageBox

        from teleprospect.store.database import DatabaseError, first_line

        if isinstance(error, DatabaseError):
            reason = str(error)
        else:
            log.error("%s", what, exc_info=error)
            reason = first_line(getattr(error, "orig", None) or error)
        QMessageBox.warning(self, "Teleprospect", f"{what}\n\n{reason}")

    # -- demo data ---------------------------------------------------------------------

    def on_emptiness_known(self, empty: bool) -> None:
        from PySide6.QtWidgets import QMessageBox

        if not empty:
            return
        answer = QMessageBox.question(
            self,
            "Load demo data?",
            "This database has no leads yet.\n\n"
            f"Load a demo set of {QLocale().toString(DEMO_LEADS)} fictional leads, with "
            "campaigns and users, to try Teleprospect out?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.load_demo_data(append=False)

    def on_load_demo_requested(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        if self.db is None:
            return
        answer = QMessageBox.question(
            self,
            "Load demo data",
            f"Add {QLocale().toString(DEMO_LEADS)} fictional leads, with campaigns and users, "
            f"to {self.db.describe()}?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Yes:
            # Asked for explicitly, so the demo leads may join leads already there.
            self.load_demo_data(append=True)

    def load_demo_data(self, *, append: bool) -> None:
        from PySide6.QtWidgets import QProgressDialog

        db = self.db
        if self._demo_cancel is not None or db is None:
            return  # already loading, or nothing to load into
        from teleprospect.services.demo import load_demo  # heavy; only when asked for

        cancel = threading.Event()
        self._demo_cancel = cancel
        self.ui.actionLoadDemo.setEnabled(False)
        dialog = QProgressDialog("Loading demo data…", "Cancel", 0, 0, self)
        dialog.setWindowTitle("Teleprospect")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(cancel.set)
        self._demo_progress = dialog
        run_in_background(
            lambda report: load_demo(
                db,
                leads=DEMO_LEADS,
                seed=1,
                append=append,
                progress=report,
                should_cancel=cancel.is_set,
            ),
            self.on_demo_loaded,
            self.on_demo_failed,
            progress=self.on_demo_progress,
            owner=self,
        )

    def on_demo_progress(self, done: int, total: int) -> None:
        if self._demo_progress is not None and not self._demo_cancel_requested():
            self._demo_progress.setMaximum(total)
            self._demo_progress.setValue(done)

    def _demo_cancel_requested(self) -> bool:
        return self._demo_cancel is not None and self._demo_cancel.is_set()

    def _end_demo_load(self) -> None:
        if self._demo_progress is not None:
            self._demo_progress.close()
            self._demo_progress.deleteLater()
        self._demo_progress = None
        self._demo_cancel = None
        self.ui.actionLoadDemo.setEnabled(True)

    def on_demo_loaded(self, summary: DemoSummary) -> None:
        self._end_demo_load()
        self.refresh()
        self.statusBar().showMessage(
            f"Loaded {QLocale().toString(summary.leads)} demo leads, {summary.campaigns} "
            f"campaigns and {summary.users} users in {summary.seconds:.1f} s",
            10_000,
        )
        emit(self.demo_loaded, summary)

    def on_demo_failed(self, error: BaseException) -> None:
        from teleprospect.services.demo import DemoCancelled

        self._end_demo_load()
        if isinstance(error, DemoCancelled):
            self.statusBar().showMessage("Loading demo data was cancelled.", 10_000)
            self.refresh()
            return
        self.show_error("The demo data could not be loaded.", error)
