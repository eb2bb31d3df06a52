"""The main window: the tabs (Leads, Queue, Callbacks, Call, Team, Audit), menus and a
status bar saying where the data lives. Each tab's behaviour lives with it: the lead list
(:mod:`teleprospect.ui.leads.lead_list`), the queue desk (:mod:`teleprospect.ui.desk.queue_desk`),
the call workspace, the team view and the audit trail; :mod:`teleprospect.ui.demo_offer` offers
demo data. On a team server the status bar warns when this computer's clock is off the server's.

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
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QIcon, QShowEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QSizePolicy, QWidget

import teleprospect
from teleprospect.ui import resources_rc  # noqa: F401 - registers the :/ resources
from teleprospect.ui.background import run_in_background
from teleprospect.ui.demo_offer import DemoOffer
from teleprospect.ui.desk.queue_desk import QueueDesk
from teleprospect.ui.desk.queue_model import NowProvider, database_clock, local_datetime_text
from teleprospect.ui.desk.score_refresh import ScoreRefresher
from teleprospect.ui.eliding_label import ElidingLabel
from teleprospect.ui.forms.ui_main_window import Ui_MainWindow
from teleprospect.ui.imports.drop import csv_paths_from_mime
from teleprospect.ui.leads.lead_list import LeadList
from teleprospect.ui.offline.offline_watch import OfflineWatch
from teleprospect.ui.signals import emit
from teleprospect.ui.status_bar import PrintableStatusBar
from teleprospect.ui.window_fit import fit_on_screen

if TYPE_CHECKING:
    from teleprospect.services.calls.drafts import CallDraft
    from teleprospect.services.calls.log_call import LoggedCall
    from teleprospect.services.identity.current_user import CurrentUser
    from teleprospect.services.imports.reports import ImportSummary
    from teleprospect.services.offline.actions import KeptCall
    from teleprospect.store.database import Database
    from teleprospect.ui.leads.lead_tools import LeadTools
    from teleprospect.ui.team.audit_page import AuditPage
    from teleprospect.ui.team.team_view import TeamView
    from teleprospect.ui.workspace.call_workspace import CallWorkspace

log = logging.getLogger(__name__)

ORGANIZATION = "Teleprospect"
APPLICATION = "Teleprospect"

#: The widest the status bar's database name gets (its tooltip has all of it).
DATABASE_LABEL_WIDTH = 440

# QSettings keys of the per-user window state (DESIGN.md §2 rule 6).
GEOMETRY_KEY = "mainWindow/geometry"
WINDOW_STATE_KEY = "mainWindow/state"
WORKSPACE_PANES_KEY = "callWorkspace/panes"

#: How often this computer's clock is compared with a team server's after start-up: clocks
#: drift slowly, and someone may set theirs by hand.
CLOCK_CHECK_MS = 10 * 60_000


def window_settings() -> QSettings:
    return QSettings(ORGANIZATION, APPLICATION)


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
        now_provider: NowProvider = database_clock,
    ) -> None:
        super().__init__(parent)
        #: None while the database is being opened.
        self.db: Database | None = None
        self.current_user: CurrentUser | None = None
        #: The current user's account id; None until known, or when the login has none.
        self.queue_user_id: int | None = None
        #: The time the services act at: the database's clock (None), or a test's frozen one.
        self.now_provider = now_provider
        self._shown_before = False
        self._started = False
        self._last_import: int | None = None
        #: The call workspace, made once the database is open (its modules need it).
        self.workspace: CallWorkspace | None = None
        self._drafts_offered = False
        #: The account the database's owner (who has none of their own) chose to work as
        #: (recorded in the audit trail), and whether they were asked already.
        self._acting_as: int | None = None
        self._asked_who = False
        #: What the current user's role allows (services.permissions): the UI offers it.
        self.allowed_actions: frozenset[str] = frozenset()
        self.team_view: TeamView | None = None
        self.audit_page: AuditPage | None = None
        self.reports_page: QWidget | None = None
        self.lead_tools: LeadTools | None = None

        self.setup_form()
        self.setup_window()
        self.setup_offline()
        self.setup_status_bar()
        self.setup_feedback()
        self.setup_clock_check()
        self.setup_lead_list()
        self.setup_desk()
        self.setup_callbacks()
        self.setup_score_refresh()
        self.setup_demo_offer()
        self.setup_actions()
        self.setup_drop()
        self.connect_offline()
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
        ui.actionLoadDemo.triggered.connect(self.demo_offer.on_load_requested)
        ui.actionQuit.triggered.connect(self.close)
        ui.actionRefresh.triggered.connect(self.refresh)
        ui.actionAbout.triggered.connect(self.show_about)
        ui.actionNextLead.setShortcut("Ctrl+N")
        # The window's shortcut, wherever the focus is (the queue tab need not be open).
        ui.actionNextLead.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        ui.actionNextLead.triggered.connect(self.next_lead)
        ui.actionReleaseLead.triggered.connect(self.desk.release_lead)
        # Until the database is open there is nothing to refresh or load into.
        ui.actionLoadDemo.setEnabled(False)
        ui.actionRefresh.setEnabled(False)
        ui.actionImportLeads.setEnabled(False)

    def setup_lead_list(self) -> None:
        """The Leads tab."""
        self.lead_list = LeadList(self)
        # The list's parts other screens and the import flow work with.
        self.lead_model = self.lead_list.model
        self.filter_bar = self.lead_list.filter_bar
        self.filter_label = self.lead_list.filter_label

    def setup_desk(self) -> None:
        """The Queue tab: the rep's queue, Next lead and the lead on hand."""
        self.desk = QueueDesk(self)
        self.queue_model = self.desk.model

    def setup_callbacks(self) -> None:
        """The Callbacks tab, next to Queue, and the status bar's reminder when one of mine
        falls due."""
        from teleprospect.ui.desk.callbacks_view import add_callbacks_tab

        self.callbacks_view, self.callback_reminder = add_callbacks_tab(self)

    def setup_score_refresh(self) -> None:
        """Stored scores brought up to date when the window opens and every midnight."""
        self.score_refresher = ScoreRefresher(self, self.now_provider)
        self.score_refresher.message.connect(self.show_progress_message)
        self.score_refresher.refreshed.connect(lambda _summary: self.show_new_scores())

    def show_progress_message(self, text: str) -> None:
        if text:
            self.statusBar().showMessage(text)
        else:
            self.statusBar().clearMessage()

    def show_new_scores(self) -> None:
        """Scores moved (a new day, rules published elsewhere): every screen reads them."""
        self.lead_list.reload()
        self.queue_model.reload()
        if self.workspace is not None and self.workspace.lead_id is not None:
            self.workspace.reload_detail()

    def setup_demo_offer(self) -> None:
        self.demo_offer = DemoOffer(self)
        self.demo_offer.loaded.connect(lambda summary: emit(self.demo_loaded, summary))

    def connect_offline(self) -> None:
        self.offline.went_offline.connect(self.desk.on_offline)
        self.offline.came_back.connect(self.on_server_back)

    def setup_drop(self) -> None:
        # Dropping a CSV file on the window starts an import of it.
        self.setAcceptDrops(True)

    def setup_status_bar(self) -> None:
        bar = PrintableStatusBar(self)
        self.setStatusBar(bar)  # in place of the form's, which it deletes
        self.ui.statusBar = bar
        self.total_label = QLabel("Opening the database…")
        self.database_label = ElidingLabel("Database: …")
        self.user_label = QLabel("User: …")
        # The room left of the permanent widgets is where messages are shown: it takes the
        # stretch, and the database's name is cut in the middle past a fair width.
        self.database_label.setSizePolicy(
            QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred
        )
        self.database_label.setMaximumWidth(DATABASE_LABEL_WIDTH)
        bar.addWidget(self.total_label, 1)
        bar.addPermanentWidget(self.offline.button)
        bar.addPermanentWidget(self.database_label)
        bar.addPermanentWidget(self.user_label)
        # Shown only while this computer's clock is more than a minute off the server's.
        self.clock_label = QLabel(self)
        self.clock_label.setObjectName("clockWarning")
        self.clock_label.setToolTip(
            "Leases and callbacks are timed by the server's clock, so your work is safe; "
            "times this computer shows may differ. Ask whoever looks after this computer to "
            "set its clock automatically."
        )
        self.clock_label.hide()
        bar.addPermanentWidget(self.clock_label)

    def setup_feedback(self) -> None:
        """What a save, a release or a reassignment did, with Undo for a few seconds."""
        from teleprospect.ui.feedback import Feedback

        self.feedback = Feedback(self)
        self._start_tab_chosen = False

    def setup_clock_check(self) -> None:
        self.clock_timer = QTimer(self)
        self.clock_timer.setInterval(CLOCK_CHECK_MS)
        self.clock_timer.timeout.connect(self.check_clock)

    def setup_offline(self) -> None:
        """Work through a server outage: the watch behind "Offline — 3 waiting"."""
        self.offline = OfflineWatch(self)

    def restore_window_state(self) -> None:
        settings = window_settings()
        geometry = settings.value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
            fit_on_screen(self)
        state = settings.value(WINDOW_STATE_KEY)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        self.lead_list.restore_state(settings)

    def save_window_state(self) -> None:
        settings = window_settings()
        settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        settings.setValue(WINDOW_STATE_KEY, self.saveState())
        if self.workspace is not None:
            settings.setValue(WORKSPACE_PANES_KEY, self.workspace.save_state())
        self.lead_list.save_state(settings)
        from teleprospect.ui.start_tab import remember_tab

        remember_tab(settings, self.ui.mainTabs)
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
        self.desk.update_actions()
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
        self.desk.read_filter_choices()
        self.lead_list.read_filter_choices()
        self.desk.poll_timer.start()
        self.check_clock()
        self.score_refresher.start(db)

        def database_is_empty() -> bool:
            from teleprospect.services.database import is_empty

            return is_empty(db)

        run_in_background(
            database_is_empty,
            self.demo_offer.on_emptiness_known,
            lambda error: self.show_error("The database could not be read", error),
            owner=self,
        )
        # The view asks for the first chunk when it lays out; make sure it happens now.
        if self.lead_model.rowCount() == 0:
            self.lead_model.fetchMore()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.workspace is not None:
            self.workspace.flush_draft()
        self.demo_offer.cancel()
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
        self.lead_list.show_import_batch(batch_id)

    def refresh(self) -> None:
        """Read the list, the count and the user again (F5)."""
        if self.db is None:
            return
        if self.offline.offline:
            # Nothing can be read: look for the server now instead of failing five times.
            self.statusBar().showMessage("Offline: looking for the database server…", 5_000)
            self.offline.check()
            return
        self.lead_list.reload()
        self.find_user()
        self.desk.read_filter_choices()
        self.lead_list.read_filter_choices()
        self.queue_model.reload()
        if self.audit_page is not None and self.ui.mainTabs.currentWidget() is self.audit_page:
            self.audit_page.refresh()

    def find_user(self) -> None:
        """Who is working here, as the database (or the operating system) proves it; the
        database's owner without an account picks whom to work as."""
        db = self.db
        if db is None:
            return
        acting_as = self._acting_as

        def lookup() -> tuple[CurrentUser, int | None, frozenset[str], tuple, str]:
            from teleprospect.services.errors import UnknownUser
            from teleprospect.services.identity.current_user import (
                CurrentUser,
                choices_for,
                establish,
            )
            from teleprospect.services.identity.permissions import allowed_actions_of, get_actor

            me = establish(db)
            if me.user_id is not None and not me.is_active:
                return CurrentUser(me.login, me.name), None, frozenset(), (), me.message()
            if me.user_id is None and not me.is_owner:
                return CurrentUser(me.login, None), None, frozenset(), (), me.message()
            user = CurrentUser(me.login, me.name)
            user_id = me.user_id if me.user_id is not None else acting_as
            try:
                if user_id is None:
                    return user, None, frozenset(), choices_for(db), ""
                actor = get_actor(db, user_id)
                if not actor.is_active:  # the account they worked as was deactivated since
                    return user, None, frozenset(), choices_for(db), ""
                if me.user_id is None:
                    user = CurrentUser(me.login, None, f"{actor.name} ({actor.login})", actor.login)
                actions = allowed_actions_of(db, user_id)
            except (UnknownUser, LookupError):  # the account went between the reads
                return user, None, frozenset(), (), ""
            return user, user_id, frozenset(str(action) for action in actions), (), ""

        def found(answer: tuple[CurrentUser, int | None, frozenset[str], tuple, str]) -> None:
            user, user_id, actions, choices, refusal = answer
            if refusal:
                self.refuse_user(refusal)
                return
            if choices and not self._asked_who:
                self._asked_who = True
                chosen = self.ask_who_you_are(user.login, choices)
                if chosen is not None:
                    self.work_as(chosen)
                    return
            self.allowed_actions = actions
            self.show_user(user)
            self.set_queue_user(user_id)
            self.setup_team_view()
            self.choose_start_tab()
            if self.db is not None:
                self.offline.set_context(self.db, user_id, team="view_workload" in actions)
            self.setup_audit_page()
            self.setup_settings_action()
            self.setup_reports_page()
            self.setup_lead_tools()
            if self.workspace is not None and self.db is not None:
                self.workspace.set_context(self.db, user_id, user.working_login)
                if user_id is not None:
                    self.offer_drafts()

        run_in_background(
            lookup,
            found,
            lambda error: self.show_error("The user accounts could not be read", error),
            owner=self,
        )

    # -- the server's clock ------------------------------------------------------------

    def check_clock(self) -> None:
        """Compare this computer's clock with the server's, on a worker (at start-up, then
        every CLOCK_CHECK_MS while the database has a server: SQLite has none)."""
        db = self.db
        if db is None:
            return

        def measure() -> timedelta | None:
            from teleprospect.services.clock import clock_offset

            return clock_offset(db)

        def measured(offset: timedelta | None) -> None:
            self.show_clock_offset(offset)
            if offset is not None and not self.clock_timer.isActive():
                self.clock_timer.start()

        def failed(error: BaseException) -> None:
            # Tried again at the next check; the queue and the calls say so if it is down.
            log.warning("comparing the clock with the server's failed", exc_info=error)
            if not self.clock_timer.isActive():
                self.clock_timer.start()

        run_in_background(measure, measured, failed, owner=self)

    def show_clock_offset(self, offset: timedelta | None) -> None:
        """Warn in the status bar while this computer's clock is more than a minute off."""
        from teleprospect.core.leases import clock_warning

        warning = clock_warning(offset)
        self.clock_label.setText(warning or "")
        self.clock_label.setVisible(warning is not None)

    def work_as(self, user_id: int) -> None:
        """The database's owner works as ``user_id``: checked and recorded in the audit
        trail once, then the window shows that user's queue."""
        db = self.db
        if db is None:
            return

        def chosen(acting: int) -> None:
            self._acting_as = acting
            self.find_user()

        def act() -> int:
            from teleprospect.services.identity.current_user import act_as

            return act_as(db, user_id)

        run_in_background(
            act,
            chosen,
            lambda error: self.show_error("You cannot work as this user", error),
            owner=self,
        )

    def ask_who_you_are(self, login: str, choices: tuple) -> int | None:
        """The account the database's owner picks to work as (None: none)."""
        from PySide6.QtWidgets import QInputDialog

        names = [f"{choice.name} ({choice.login})" for choice in choices]
        name, ok = QInputDialog.getItem(
            self,
            "Work as which user?",
            f"You are logged in as “{login}”, the database's owner, which is no "
            "Teleprospect user.\nPick the user to work as (this is recorded in the audit "
            "trail; add your own account to skip this):",
            names,
            0,
            False,
        )
        if not ok or name not in names:
            return None
        return int(choices[names.index(name)].id)

    def refuse_user(self, message: str) -> None:
        """The person at this workstation may not work here: say why in one sentence and
        close the window."""
        from PySide6.QtWidgets import QMessageBox

        self.allowed_actions = frozenset()
        self.set_queue_user(None)
        self.user_label.setText("User: not allowed to work here")
        QMessageBox.critical(self, "Teleprospect", message)
        self.close()

    def show_user(self, user: CurrentUser) -> None:
        self.current_user = user
        self.user_label.setText(f"User: {user.describe()}")
        if user.acting_as:
            tip = "You work as this user; it is recorded in the audit trail"
        elif user.is_registered:
            tip = "Your login matches this Teleprospect user"
        else:
            tip = "Ask an admin to add a user with your login"
        self.user_label.setToolTip(tip)

    # -- the queue ---------------------------------------------------------------------

    def set_queue_user(self, user_id: int | None) -> None:
        """Show ``user_id``'s queue (None: the login has no account, so no queue)."""
        self.queue_user_id = user_id
        self.desk.set_user(user_id)
        self.callback_reminder.set_user(user_id)
        self.callbacks_view.set_source(self.db, user_id)

    def choose_start_tab(self) -> None:
        """Once, when the user is known: the queue for a rep, the last tab for a team lead."""
        if self._start_tab_chosen or self.queue_user_id is None:
            return
        self._start_tab_chosen = True
        from teleprospect.ui.start_tab import choose_start_tab

        choose_start_tab(
            window_settings(), self.ui.mainTabs, self.ui.queueTab, self.allowed_actions
        )

    def next_lead(self) -> None:
        """Claim the top lead of the queue (Ctrl+N), wherever the focus is."""
        self.desk.next_lead()

    # -- the call workspace -------------------------------------------------------------

    def setup_workspace(self) -> None:
        """The Call tab, its menu and shortcuts (once the database is open: the workspace's
        modules bring the services with them, which the first window must not wait for)."""
        if self.workspace is not None:
            return
        from PySide6.QtGui import QAction, QKeySequence
        from PySide6.QtWidgets import QMenu

        from teleprospect.ui.workspace.call_workspace import CallWorkspace

        workspace = CallWorkspace(self, now_provider=self.now_provider)
        workspace.setObjectName("callWorkspace")
        workspace.call_saved.connect(self.on_call_saved)
        workspace.context_strip.use_next_action(self.ui.actionNextLead)
        workspace.context_strip.fallback = self.desk.claim_reason
        workspace.release_requested.connect(self.desk.release_lead)
        workspace.message.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        workspace.watch = self.offline
        self.offline.went_offline.connect(lambda: workspace.show_offline_banner(True))
        self.offline.came_back.connect(lambda _report: workspace.show_offline_banner(False))
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
        self.cheat_sheet_action.setShortcuts([QKeySequence("F1"), QKeySequence("?")])
        self.cheat_sheet_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.cheat_sheet_action.triggered.connect(self.show_cheat_sheet)
        self.addAction(self.cheat_sheet_action)
        self.ui.menuHelp.insertAction(self.ui.actionAbout, self.cheat_sheet_action)
        self.desk.connect_workspace()
        workspace.restore_state(window_settings().value(WORKSPACE_PANES_KEY))
        if self.current_user is not None and self.db is not None:
            workspace.set_context(self.db, self.queue_user_id, self.current_user.working_login)

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

    def on_call_saved(self, logged: LoggedCall | KeptCall, then_next: bool) -> None:
        """The call is in the database (or kept on this computer) and the lead released:
        on to the next one."""
        self.desk.call_saved(then_next, logged)
        self.callbacks_view.refresh()
        self.feedback.call_saved(logged, getattr(self.workspace, "saved_draft", None))

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
                self.desk.open_specific_lead(draft.lead_id, draft=draft)
            elif answer == QMessageBox.StandardButton.Discard:
                run_in_background(lambda: store.discard(draft.lead_id), lambda _r: None, owner=self)

        run_in_background(lambda: store.drafts_of(login), found, owner=self)

    def show_cheat_sheet(self) -> None:
        from teleprospect.ui.workspace.cheat_sheet import CheatSheet, window_shortcuts

        self.cheat_sheet = CheatSheet(window_shortcuts(self), self)
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
        view.reassigned.connect(self.feedback.reassigned)
        self.team_view = view
        self.ui.mainTabs.addTab(view, "&Team")
        from PySide6.QtGui import QAction

        # Leads picked by hand in the list can be moved too.
        reassign = QAction("&Reassign selected leads…", self)
        reassign.triggered.connect(self.reassign_selected_leads)
        self.ui.leadTable.addAction(reassign)  # on the list's context menu
        self.reassign_selected_action = reassign
        self.ui.mainTabs.currentChanged.connect(
            lambda _i: view.refresh() if self.ui.mainTabs.currentWidget() is view else None
        )

    def setup_audit_page(self) -> None:
        """The Audit tab, for the users whose role lets them read the audit trail; it reads
        the trail when shown, from the newest entry."""
        db, user_id = self.db, self.queue_user_id
        if db is None or user_id is None or "read_audit_trail" not in self.allowed_actions:
            return
        if self.audit_page is not None:
            return
        from teleprospect.ui.team.audit_page import AuditPage

        page = AuditPage(db, user_id, self)
        page.message.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        self.audit_page = page
        self.ui.mainTabs.addTab(page, "&Audit")
        self.ui.mainTabs.currentChanged.connect(
            lambda _i: page.refresh() if self.ui.mainTabs.currentWidget() is page else None
        )

    def setup_settings_action(self) -> None:
        """File ▸ Team settings…: everyone may look, team leads may change."""
        if self.db is None or self.queue_user_id is None:
            return
        if getattr(self, "settings_action", None) is None:
            from PySide6.QtGui import QAction

            action = QAction("Team &settings…", self)
            action.triggered.connect(self.open_settings)
            self.ui.menuFile.insertAction(self.ui.actionQuit, action)
            self.settings_action = action

    def open_settings(self) -> None:
        if self.db is None or self.queue_user_id is None:
            return
        from teleprospect.ui.settings.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.db, self.queue_user_id, self)
        dialog.settings_changed.connect(self.refresh)
        self.settings_dialog = dialog
        dialog.show()

    def setup_reports_page(self) -> None:
        """The Reports tab, for the users whose role lets them read the team's reports;
        it computes the chosen report when first shown."""
        db, user_id = self.db, self.queue_user_id
        if db is None or user_id is None or "view_reports" not in self.allowed_actions:
            return
        if self.reports_page is not None:
            return
        from teleprospect.ui.reports.reports_page import ReportsPage

        page = ReportsPage(db, user_id, self)
        page.message.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        self.reports_page = page
        self.ui.mainTabs.addTab(page, "Re&ports")

    def setup_lead_tools(self) -> None:
        """Merging two leads and the import history with undo, for those allowed."""
        from teleprospect.ui.leads.lead_tools import install_lead_tools

        self.lead_tools = install_lead_tools(self, self.lead_tools)

    def reassign_selected_leads(self) -> None:
        if self.team_view is None:
            return
        ids = self.lead_list.selected_lead_ids()
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
        from PySide6.QtWidgets import QInputDialog

        from teleprospect.ui.preferences import CALL_LINK, CallLinkError, call_link

        text, ok = QInputDialog.getText(self, "Call link", CALL_LINK.help, text=CALL_LINK.read())
        if not ok:
            return
        try:
            call_link(text.strip(), "+15551234567")
        except CallLinkError as error:
            self.show_error("The call link was not changed", error)
            return
        CALL_LINK.write(text.strip())

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

    def on_server_back(self, _report: object) -> None:
        """The server answers again and the calls kept here were sent: read afresh."""
        self.desk.on_back()
        self.refresh()

    def show_error(self, doing: str, error: BaseException) -> None:
        """What failed and why, in one sentence; the traceback goes to the log. A server
        that cannot be reached is no box: the workstation works offline (status bar)."""
        if self.offline.handle(error):
            return
        # Imported when first needed: the services' errors bring SQLAlchemy with them.
        from teleprospect.ui.errors import show_error

        show_error(self, doing, error)
