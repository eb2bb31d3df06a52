"""The main window: the lead list, the call queue, menus and a status bar saying where the
data lives.

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
from dataclasses import replace
from datetime import datetime
from html import escape
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
from teleprospect.ui.desk.queue_model import COLUMNS as QUEUE_COLUMNS
from teleprospect.ui.desk.queue_model import (
    LEAD_ID_ROLE,
    NowProvider,
    QueueTableModel,
    local_datetime_text,
    local_zone,
    utc_now,
)
from teleprospect.ui.forms.ui_main_window import Ui_MainWindow
from teleprospect.ui.imports.drop import csv_paths_from_mime
from teleprospect.ui.leads.lead_table_model import COLUMNS, LeadTableModel
from teleprospect.ui.signals import emit

if TYPE_CHECKING:
    from PySide6.QtWidgets import QProgressDialog

    from teleprospect.demo.loader import DemoSummary
    from teleprospect.services.calls.drafts import CallDraft
    from teleprospect.services.calls.log_call import LoggedCall
    from teleprospect.services.identity.current_user import CurrentUser
    from teleprospect.services.imports.leads import ImportSummary
    from teleprospect.services.queue.claims import ClaimedLead, OpenedLead
    from teleprospect.services.queue.page import FilterChoices, QueueSignature
    from teleprospect.store.database import Database
    from teleprospect.ui.team.team_view import TeamView
    from teleprospect.ui.workspace.call_workspace import CallWorkspace

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

#: How often the queue asks whether it changed, while it is on screen. Other workstations'
#: claims show within this time; each ask is a few index look-ups.
QUEUE_POLL_MS = 10_000
#: How often a held lead's lease is renewed: well inside services.queue.DEFAULT_LEASE, so
#: one missed renewal (a busy server) does not lose the lead.
CLAIM_RENEW_MS = 60_000
#: The queue statuses a rep can filter on (the others never reach a queue).
QUEUE_STATUSES = (("new", "New"), ("working", "Working"), ("nurture", "Nurture"))


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

    def __init__(
        self,
        db: Database | None = None,
        parent: QWidget | None = None,
        *,
        now_provider: NowProvider = utc_now,
    ) -> None:
        super().__init__(parent)
        #: None while the database is being opened.
        self.db: Database | None = None
        self.current_user: CurrentUser | None = None
        #: The current user's account id; None until known, or when the login has none.
        self.queue_user_id: int | None = None
        #: The queue's clock: calling windows depend on it (tests pass a frozen one).
        self.now_provider = now_provider
        #: The lead this workstation holds from "Next lead", until released.
        self.claimed: ClaimedLead | None = None
        self._claiming = False
        self._polling = False
        self._queue_signature: QueueSignature | None = None
        # Re-selected when the queue's rows are swapped in by a reload.
        self._reselect_lead: int | None = None
        self._queue_scroll = 0
        self._shown_before = False
        self._started = False
        self._demo_cancel: threading.Event | None = None
        self._demo_progress: QProgressDialog | None = None
        self._last_import: int | None = None
        #: The call workspace, made once the database is open (its modules need it).
        self.workspace: CallWorkspace | None = None
        self._drafts_offered = False
        #: The account an unknown computer login picked (team setting "ask"), and whether
        #: they were asked already this session.
        self._picked_login: str | None = None
        self._asked_who = False
        #: What the current user's role allows (services.permissions): the UI offers it.
        self.allowed_actions: frozenset[str] = frozenset()
        self.team_view: TeamView | None = None

        self.setup_form()
        self.setup_window()
        self.setup_actions()
        self.setup_lead_table()
        self.setup_filter_bar()
        self.setup_queue()
        self.setup_queue_filters()
        self.setup_queue_polling()
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
        ui.actionNextLead.setShortcut("Ctrl+N")
        # The window's shortcut, wherever the focus is (the queue tab need not be open).
        ui.actionNextLead.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        ui.actionNextLead.triggered.connect(self.next_lead)
        ui.actionReleaseLead.triggered.connect(self.release_lead)
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
        self.ui.leadsTabLayout.insertWidget(0, self.filter_bar)
        self.filter_bar.hide()

    def setup_queue(self) -> None:
        ui = self.ui
        self.queue_model = QueueTableModel(None, None, self, now_provider=self.now_provider)
        self.queue_model.load_failed.connect(
            lambda error: self.show_error("The queue could not be read.", error)
        )
        self.queue_model.modelAboutToBeReset.connect(self._remember_queue_place)
        self.queue_model.reloaded.connect(self._restore_queue_place)
        table = ui.queueTable
        table.setModel(self.queue_model)
        table.setSortingEnabled(False)  # the queue's order is the point of it
        rows = table.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(40)
        metrics = table.fontMetrics()
        for number, column in enumerate(QUEUE_COLUMNS):
            cell = metrics.horizontalAdvance(column.sample) + 20
            title = int(metrics.horizontalAdvance(column.title) * 1.08) + 14
            table.setColumnWidth(number, max(cell, title))
        ui.nextLeadButton.clicked.connect(self.next_lead)
        ui.releaseButton.clicked.connect(self.release_lead)
        ui.mainTabs.currentChanged.connect(self.on_tab_changed)
        self.claim_renew_timer = QTimer(self)
        self.claim_renew_timer.setInterval(CLAIM_RENEW_MS)
        self.claim_renew_timer.timeout.connect(self.renew_claim)
        self.update_queue_actions()
        self.show_claim(None)

    def setup_queue_filters(self) -> None:
        ui = self.ui
        ui.campaignFilter.addItem("All campaigns", None)
        ui.statusFilter.addItem("All statuses", None)
        for value, text in QUEUE_STATUSES:
            ui.statusFilter.addItem(text, value)
        ui.gradeFilter.addItem("All grades", None)
        for combo in (ui.campaignFilter, ui.statusFilter, ui.gradeFilter):
            combo.currentIndexChanged.connect(self.apply_queue_filters)

    def setup_queue_polling(self) -> None:
        # Polling rather than LISTEN/NOTIFY: it works the same on SQLite and PostgreSQL, and
        # each poll is a few index look-ups (services.queue.queue_signature).
        self.queue_poll_timer = QTimer(self)
        self.queue_poll_timer.setInterval(QUEUE_POLL_MS)
        self.queue_poll_timer.timeout.connect(self.poll_queue)

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
        self.update_queue_actions()
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
        self.setup_workspace()
        self.lead_model.count_total()
        self.find_user()
        self.read_queue_filter_choices()
        self.queue_poll_timer.start()

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
        if self.workspace is not None:
            self.workspace.flush_draft()
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
        from teleprospect.ui.imports.wizard import open_import_wizard

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
        self.read_queue_filter_choices()
        self.queue_model.reload()

    def find_user(self) -> None:
        """Who is working here: the computer login's account, or the one picked for it."""
        db = self.db
        if db is None:
            return
        picked = self._picked_login

        def lookup() -> tuple[CurrentUser, int | None, frozenset[str], tuple]:
            from teleprospect.services.errors import UnknownUser
            from teleprospect.services.identity.current_user import find_current_user, identify
            from teleprospect.services.identity.permissions import allowed_actions_of
            from teleprospect.services.queue.claims import find_user_id

            user = find_current_user(db, picked)
            choices: tuple = ()
            if not user.is_registered:
                found = identify(db, user.login)
                choices = found.choices if found.must_pick else ()
            try:
                user_id = find_user_id(db, user.login) if user.is_registered else None
                actions = allowed_actions_of(db, user_id) if user_id is not None else frozenset()
            except (UnknownUser, LookupError):  # the account went between the reads
                return user, None, frozenset(), choices
            return user, user_id, frozenset(str(action) for action in actions), choices

        def found(answer: tuple[CurrentUser, int | None, frozenset[str], tuple]) -> None:
            user, user_id, actions, choices = answer
            if choices and not self._asked_who:
                # The team lets an unknown login say who they are (team setting).
                self._asked_who = True
                chosen = self.ask_who_you_are(user.login, choices)
                if chosen is not None:
                    self._picked_login = chosen
                    self.find_user()
                    return
            self.allowed_actions = actions
            self.show_user(user)
            self.set_queue_user(user_id)
            self.setup_team_view()
            if self.workspace is not None and self.db is not None:
                self.workspace.set_context(self.db, user_id, user.login)
                if user_id is not None:
                    self.offer_drafts()

        run_in_background(
            lookup,
            found,
            lambda error: self.show_error("The user accounts could not be read.", error),
            owner=self,
        )

    def ask_who_you_are(self, login: str, choices: tuple) -> str | None:
        """The login of the user someone with an unknown computer login picks (None: none)."""
        from PySide6.QtWidgets import QInputDialog

        names = [f"{choice.name} ({choice.login})" for choice in choices]
        name, ok = QInputDialog.getItem(
            self,
            "Who are you?",
            f"Your computer login “{login}” is not a Teleprospect user.\n"
            "Pick your account (a team lead can add your login to skip this):",
            names,
            0,
            False,
        )
        if not ok or name not in names:
            return None
        return choices[names.index(name)].login

    def show_user(self, user: CurrentUser) -> None:
        self.current_user = user
        self.user_label.setText(f"User: {user.describe()}")
        self.user_label.setToolTip(
            "Your computer login matches this Teleprospect user"
            if user.is_registered
            else "Ask a team lead to add a user with your computer login"
        )

    # -- the queue ---------------------------------------------------------------------

    def set_queue_user(self, user_id: int | None) -> None:
        """Show ``user_id``'s queue (None: the login has no account, so no queue)."""
        self.queue_user_id = user_id
        self.queue_model.set_source(self.db if user_id is not None else None, user_id)
        self.update_queue_actions()
        if self.claimed is None:
            self.show_claim(None)

    def update_queue_actions(self) -> None:
        """Enable Next lead and Release for what can be done now, and say why not."""
        ui = self.ui
        if self.db is None or self.current_user is None:
            why = "Waiting for the database…"
        elif self.queue_user_id is None:
            why = (
                f"Your computer login “{self.current_user.login}” is not a Teleprospect "
                "user: ask a team lead to add you to get a queue"
            )
        elif self._claiming:
            why = "Claiming the next lead…"
        else:
            why = ""
        can_claim = not why
        ui.actionNextLead.setEnabled(can_claim)
        ui.nextLeadButton.setEnabled(can_claim)
        ui.nextLeadButton.setToolTip(why or "Claim the top lead of your queue (Ctrl+N)")
        held = self.claimed is not None
        ui.actionReleaseLead.setEnabled(held)
        ui.releaseButton.setVisible(held)

    def queue_on_screen(self) -> bool:
        return (
            self.ui.mainTabs.currentWidget() is self.ui.queueTab
            and self.isVisible()
            and not self.isMinimized()
        )

    def on_tab_changed(self, _index: int) -> None:
        if self.queue_on_screen():
            # Catch up at once on what happened while the queue was hidden.
            self._queue_signature = None
            self.poll_queue()

    def poll_queue(self) -> None:
        """Reload the queue if it changed since the last look (the poll timer's slot)."""
        db, user_id = self.db, self.queue_user_id
        if db is None or user_id is None or self._polling or not self.queue_on_screen():
            return
        depth = max(self.queue_model.rowCount(), QueueTableModel.ROWS_TO_LOAD)
        now, filters = self.now_provider(), self.queue_model.filters

        def signature() -> QueueSignature:
            from teleprospect.services.queue.page import queue_signature

            return queue_signature(db, user_id, now=now, depth=depth, filters=filters)

        def compared(found: QueueSignature) -> None:
            self._polling = False
            if found != self._queue_signature:
                self._queue_signature = found
                self.queue_model.reload()

        def failed(error: BaseException) -> None:
            # A poll that fails is tried again in a few seconds: no dialog every 10 s.
            self._polling = False
            log.warning("queue poll failed", exc_info=error)
            self.statusBar().showMessage("The queue could not be refreshed.", QUEUE_POLL_MS)

        self._polling = True
        run_in_background(signature, compared, failed, owner=self)

    def next_lead(self) -> None:
        """Claim the top lead of the queue (Ctrl+N); the lead on show goes back to the queue."""
        db, user_id = self.db, self.queue_user_id
        if db is None or user_id is None or self._claiming:
            return
        if self.workspace is not None and self.workspace.has_unsaved_work():
            from PySide6.QtWidgets import QMessageBox

            answer = QMessageBox.question(
                self,
                "Next lead",
                "The call on show is not saved. Skip it and give the lead back?\n\n"
                "What you typed is kept on this computer and offered again next time.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
            self.workspace.flush_draft()
        previous = self.claimed.lead_id if self.claimed is not None else None
        now, filters, zone = self.now_provider(), self.queue_model.filters, local_zone()

        def claim() -> ClaimedLead | None:
            from teleprospect.services.queue.claims import claim_next, release_claim

            # Claim first: the lead on show is still held, so it cannot come back at once.
            claimed = claim_next(db, user_id, now=now, filters=filters, display_zone=zone)
            if previous is not None:
                release_claim(db, previous, user_id)
            return claimed

        self._claiming = True
        self.update_queue_actions()
        self.ui.claimLabel.setText("Claiming the next lead…")
        run_in_background(claim, self.on_claimed, self.on_claim_failed, owner=self)

    def on_claimed(self, claimed: ClaimedLead | None) -> None:
        self._claiming = False
        self.claimed = claimed
        self.show_claim(claimed, note="Nobody in your queue can be called right now.")
        if claimed is not None:
            self.claim_renew_timer.start()
            self._reselect_lead = claimed.lead_id
            self.open_in_workspace(claimed.lead_id)
        else:
            self.claim_renew_timer.stop()
            if self.workspace is not None:
                self.workspace.close_lead()
            # Where the rep reads that nobody can be called right now, and why.
            self.ui.mainTabs.setCurrentWidget(self.ui.queueTab)
        self.update_queue_actions()
        self.queue_model.reload()

    def on_claim_failed(self, error: BaseException) -> None:
        self._claiming = False
        self.show_claim(self.claimed)
        self.update_queue_actions()
        self.show_error("The next lead could not be claimed.", error)

    def release_lead(self) -> None:
        """Give the lead on show back to the queue."""
        db, user_id, claimed = self.db, self.queue_user_id, self.claimed
        if db is None or user_id is None or claimed is None:
            return

        def release() -> bool:
            from teleprospect.services.queue.claims import release_claim

            return release_claim(db, claimed.lead_id, user_id)

        def released(_held: bool) -> None:
            # Not held any more (the lease ran out and someone took it) ends the same way.
            self.claimed = None
            if self.workspace is not None and self.workspace.lead_id == claimed.lead_id:
                self.workspace.close_lead()
            self.claim_renew_timer.stop()
            self.show_claim(None)
            self.update_queue_actions()
            self.statusBar().showMessage(f"{claimed.name} is back in the queue.", 10_000)
            self.queue_model.reload()

        run_in_background(
            release,
            released,
            lambda error: self.show_error("The lead could not be released.", error),
            owner=self,
        )

    def renew_claim(self) -> None:
        """Keep the lease of the lead on show (the renew timer's slot)."""
        db, user_id, claimed = self.db, self.queue_user_id, self.claimed
        if db is None or user_id is None or claimed is None:
            return
        now = self.now_provider()

        def renew() -> datetime:
            from teleprospect.services.queue.claims import renew_claim

            return renew_claim(db, claimed.lead_id, user_id, now=now)

        def renewed(expires: datetime) -> None:
            if self.claimed is not None and self.claimed.lead_id == claimed.lead_id:
                self.claimed = replace(self.claimed, claim_expires_at=expires)
                self.show_claim(self.claimed)

        def lost(error: BaseException) -> None:
            from teleprospect.services.queue.claims import ClaimNotHeld

            if not isinstance(error, ClaimNotHeld):
                # Tried again at the next tick; the lease outlasts a few missed renewals.
                log.warning("renewing the claim failed", exc_info=error)
                return
            if self.claimed is not None and self.claimed.lead_id == claimed.lead_id:
                self.claimed = None
                self.claim_renew_timer.stop()
                self.show_claim(None, note=str(error))
                self.update_queue_actions()
                self.queue_model.reload()

        run_in_background(renew, renewed, lost, owner=self)

    # -- the call workspace -------------------------------------------------------------

    def setup_workspace(self) -> None:
        """The Call tab, its menu and shortcuts (once the database is open: the workspace's
        modules bring the services with them, which the first window must not wait for)."""
        if self.workspace is not None:
            return
        from PySide6.QtGui import QAction
        from PySide6.QtWidgets import QMenu

        from teleprospect.ui.workspace.call_workspace import CallWorkspace

        workspace = CallWorkspace(self, now_provider=self.now_provider)
        workspace.setObjectName("callWorkspace")
        workspace.call_saved.connect(self.on_call_saved)
        workspace.release_requested.connect(self.release_lead)
        workspace.message.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        self.workspace = workspace
        self.ui.mainTabs.addTab(workspace, "&Call")
        menu = QMenu("&Call", self)
        for number, (_title, actions) in enumerate(workspace.actions_by_section()):
            if number:
                menu.addSeparator()
            for action in actions:
                menu.addAction(action)
        menu.addSeparator()
        script_action = QAction("Qualification &script…", self)
        script_action.triggered.connect(self.edit_script)
        menu.addAction(script_action)
        self.script_action = script_action
        link_action = QAction("Call &link…", self)
        link_action.triggered.connect(self.edit_call_link)
        menu.addAction(link_action)
        self.menuBar().insertMenu(self.ui.menuHelp.menuAction(), menu)
        self.call_menu = menu
        self.cheat_sheet_action = QAction("&Keyboard shortcuts", self)
        self.cheat_sheet_action.setShortcuts(["F1", "?"])
        self.cheat_sheet_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.cheat_sheet_action.triggered.connect(self.show_cheat_sheet)
        self.addAction(self.cheat_sheet_action)
        self.ui.menuHelp.insertAction(self.ui.actionAbout, self.cheat_sheet_action)
        self.ui.queueTable.doubleClicked.connect(self.open_queue_row)
        self.ui.queueTable.activated.connect(self.open_queue_row)
        if self.current_user is not None and self.db is not None:
            workspace.set_context(self.db, self.queue_user_id, self.current_user.login)

    def open_in_workspace(
        self,
        lead_id: int,
        *,
        read_only: bool = False,
        holder: str = "",
        draft: CallDraft | None = None,
    ) -> None:
        if self.workspace is None:
            return
        self.workspace.open_lead(lead_id, read_only=read_only, holder=holder, draft=draft)
        self.ui.mainTabs.setCurrentWidget(self.workspace)

    def open_queue_row(self, index: object) -> None:
        """Enter or a double-click on a queue row: open that lead (claimed, or read-only
        when another rep holds it)."""
        lead_id = index.data(LEAD_ID_ROLE)  # type: ignore[attr-defined]
        if lead_id is not None:
            self.open_specific_lead(int(lead_id))

    def open_specific_lead(self, lead_id: int, draft: CallDraft | None = None) -> None:
        db, user_id = self.db, self.queue_user_id
        if db is None or user_id is None:
            return
        if self.claimed is not None and self.claimed.lead_id == lead_id:
            self.open_in_workspace(lead_id, draft=draft)
            return
        previous = self.claimed.lead_id if self.claimed is not None else None
        now = self.now_provider()

        def open_it() -> OpenedLead:
            from teleprospect.services.queue.claims import open_lead, release_claim

            opened = open_lead(db, lead_id, user_id, now=now)
            if previous is not None and not opened.read_only:
                release_claim(db, previous, user_id)
            return opened

        def opened(found: OpenedLead) -> None:
            if found.read_only:
                self.open_in_workspace(lead_id, read_only=True, holder=found.holder_name or "")
                return
            if found.claim is not None:
                self.claimed = found.claim
                self.claim_renew_timer.start()
                self.show_claim(found.claim)
                self.update_queue_actions()
            self.open_in_workspace(lead_id, draft=draft)
            self.queue_model.reload()

        run_in_background(
            open_it,
            opened,
            lambda error: self.show_error("The lead could not be opened.", error),
            owner=self,
        )

    def on_call_saved(self, logged: LoggedCall, then_next: bool) -> None:
        """The call is in the database and the lead released: on to the next one."""
        self.claimed = None
        self.claim_renew_timer.stop()
        self.show_claim(None)
        self.update_queue_actions()
        if then_next:
            self.next_lead()
        else:
            self.queue_model.reload()
            self.ui.mainTabs.setCurrentWidget(self.ui.queueTab)

    def offer_drafts(self) -> None:
        """Offer back, once per start, the calls this rep left unsaved (a crash, a kill)."""
        workspace = self.workspace
        if workspace is None or workspace.drafts is None or self._drafts_offered:
            return
        self._drafts_offered = True
        store, login = workspace.drafts, workspace.login

        def found(drafts: list[CallDraft]) -> None:
            if not drafts:
                return
            from PySide6.QtWidgets import QMessageBox

            draft = drafts[-1]
            when = draft.saved_at_time
            at = local_datetime_text(when) or "earlier"
            others = len(drafts) - 1
            more = f"\n\n{others} more unsaved call(s) are kept too." if others else ""
            answer = QMessageBox.question(
                self,
                "Unsaved call",
                f"Your call with {draft.lead_name or f'lead #{draft.lead_id}'} ({at}) was not "
                f"saved. Open it again to save it?{more}",
                QMessageBox.StandardButton.Open
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Open,
            )
            if answer == QMessageBox.StandardButton.Open:
                self.open_specific_lead(draft.lead_id, draft=draft)
            elif answer == QMessageBox.StandardButton.Discard:
                run_in_background(lambda: store.discard(draft.lead_id), lambda _r: None, owner=self)

        run_in_background(lambda: store.drafts_of(login), found, owner=self)

    def show_cheat_sheet(self) -> None:
        from teleprospect.ui.workspace.cheat_sheet import CheatSheet

        ui = self.ui
        sections = [
            ("Queue", [ui.actionNextLead, ui.actionReleaseLead, ui.actionRefresh]),
            ("Leads", [ui.actionImportLeads, ui.actionQuit]),
        ]
        if self.workspace is not None:
            sections[1:1] = self.workspace.actions_by_section()
        sections.append(("Help", [self.cheat_sheet_action]))
        self.cheat_sheet = CheatSheet(sections, self)
        self.cheat_sheet.show()

    def setup_team_view(self) -> None:
        """The Team tab, for the users whose role lets them see the team's workload."""
        db, user_id = self.db, self.queue_user_id
        if self.workspace is not None:
            self.script_action.setEnabled("edit_scripts" in self.allowed_actions)
        if db is None or user_id is None or "view_workload" not in self.allowed_actions:
            return
        if self.team_view is not None:
            return
        from teleprospect.ui.team.team_view import TeamView

        view = TeamView(db, user_id, self, now_provider=self.now_provider)
        view.message.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        view.leads_changed.connect(self.refresh)
        self.team_view = view
        self.ui.mainTabs.addTab(view, "&Team")
        from PySide6.QtGui import QAction

        # Leads picked by hand in the list can be moved too.
        reassign = QAction("&Reassign selected leads…", self)
        reassign.triggered.connect(self.reassign_selected_leads)
        self.ui.leadTable.addAction(reassign)
        self.ui.leadTable.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.reassign_selected_action = reassign
        self.ui.mainTabs.currentChanged.connect(
            lambda _i: view.refresh() if self.ui.mainTabs.currentWidget() is view else None
        )

    def reassign_selected_leads(self) -> None:
        if self.team_view is None:
            return
        rows = self.ui.leadTable.selectionModel().selectedRows()
        ids = tuple(int(index.data(LEAD_ID_ROLE)) for index in rows)
        if not ids:
            self.statusBar().showMessage("Select the leads to reassign first.", 10_000)
            return
        self.team_view.open_reassign(ids)

    def edit_script(self) -> None:
        """The script editor (publishing is for team leads: the service checks)."""
        if self.db is None:
            return
        from teleprospect.ui.team.script_editor import ScriptEditor

        editor = ScriptEditor(self.db, self.queue_user_id, self)
        editor.published.connect(
            lambda version: self.statusBar().showMessage(
                f"Script version {version.version} published: new calls use it.", 10_000
            )
        )
        self.script_editor = editor
        editor.show()

    def edit_call_link(self) -> None:
        from PySide6.QtWidgets import QInputDialog, QMessageBox

        from teleprospect.ui.preferences import CALL_LINK, CallLinkError, call_link

        text, ok = QInputDialog.getText(self, "Call link", CALL_LINK.help, text=CALL_LINK.read())
        if not ok:
            return
        try:
            call_link(text.strip(), "+15551234567")
        except CallLinkError as error:
            QMessageBox.warning(self, "Call link", str(error))
            return
        CALL_LINK.write(text.strip())

    def show_claim(self, claimed: ClaimedLead | None, *, note: str = "") -> None:
        """The panel under Next lead: the lead on hand, or what to do to get one."""
        label = self.ui.claimLabel
        if claimed is None:
            if self.queue_user_id is None and self.current_user is not None:
                text = "You have no queue: your computer login is not a Teleprospect user."
            elif note:
                text = escape(note)
            else:
                text = "Press <b>Next lead</b> (Ctrl+N) to claim the top lead of your queue."
            label.setText(text)
            return
        phone = escape(claimed.phone_e164 or "no valid phone number")
        expires = claimed.claim_expires_at.astimezone(local_zone()).strftime("%H:%M")
        company = f" · {escape(claimed.company)}" if claimed.company else ""
        label.setText(
            f"<b>{escape(claimed.name)}</b>{company}<br>"
            f"<b>{phone}</b> · local time {escape(claimed.local_time)}"
            f" · {escape(claimed.reason)} · yours until {expires}"
        )

    def read_queue_filter_choices(self) -> None:
        db = self.db
        if db is None:
            return

        def read() -> FilterChoices:
            from teleprospect.services.queue.page import queue_filter_choices

            return queue_filter_choices(db)

        run_in_background(
            read,
            self.show_filter_choices,
            # The queue works unfiltered without them: the log is enough.
            lambda error: log.warning("queue filters could not be read", exc_info=error),
            owner=self,
        )

    def show_filter_choices(self, choices: FilterChoices) -> None:
        ui = self.ui
        for combo, items in (
            (ui.campaignFilter, [(name, campaign_id) for campaign_id, name in choices.campaigns]),
            (ui.gradeFilter, [(f"{grade} — {label}", grade) for grade, label in choices.grades]),
        ):
            chosen = combo.currentData()
            # Refilled quietly: the filter in force stays, and no reload is set off.
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for text, value in items:
                combo.addItem(text, value)
            found = combo.findData(chosen)
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)
            # The box is kept narrow; its list opens wide enough for whole campaign names.
            combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)
            if found < 0 and chosen is not None:
                self.apply_queue_filters()

    def apply_queue_filters(self) -> None:
        from teleprospect.core.lifecycle import LeadStatus
        from teleprospect.services.queue.page import QueueFilters

        ui = self.ui
        status = ui.statusFilter.currentData()
        filters = QueueFilters(
            campaign_id=ui.campaignFilter.currentData(),
            status=LeadStatus(status) if status else None,
            grade=ui.gradeFilter.currentData(),
        )
        self._queue_signature = None
        self.queue_model.set_filters(None if filters == QueueFilters() else filters)

    def _remember_queue_place(self) -> None:
        table = self.ui.queueTable
        selected = table.selectionModel().selectedRows() if table.selectionModel() else []
        if self._reselect_lead is None and selected:
            self._reselect_lead = selected[0].data(LEAD_ID_ROLE)
        self._queue_scroll = table.verticalScrollBar().value()

    def _restore_queue_place(self) -> None:
        """After a reload: the same lead selected and the same rows in sight."""
        table = self.ui.queueTable
        table.verticalScrollBar().setValue(self._queue_scroll)
        lead_id, self._reselect_lead = self._reselect_lead, None
        if lead_id is not None:
            self.select_queue_lead(lead_id)

    def select_queue_lead(self, lead_id: int) -> bool:
        """Select the lead's row in the queue, if it is among the rows read."""
        row = self.queue_model.row_of_lead(lead_id)
        if row is None:
            return False
        table = self.ui.queueTable
        table.selectRow(row)
        table.scrollTo(self.queue_model.index(row, 0))
        return True

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
        from teleprospect.demo.loader import load_demo  # heavy; only when asked for

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
        from teleprospect.demo.loader import DemoCancelled

        self._end_demo_load()
        if isinstance(error, DemoCancelled):
            self.statusBar().showMessage("Loading demo data was cancelled.", 10_000)
            self.refresh()
            return
        self.show_error("The demo data could not be loaded.", error)
