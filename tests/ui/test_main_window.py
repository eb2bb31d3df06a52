"""The main window, driven as a user drives it: keys, menus, dialogs answered."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QLocale, QSettings, Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from sqlalchemy import insert, select

from teleprospect.store.database import Database
from teleprospect.store.models import Campaign, Lead, User
from teleprospect.ui import app as app_module
from teleprospect.ui import background
from teleprospect.ui.leads.lead_list import HEADER_STATE_KEY
from teleprospect.ui.leads.lead_table_model import LeadTableModel
from teleprospect.ui.main_window import GEOMETRY_KEY, MainWindow
from tests.ui.sample_leads import lead_dicts, populate

# Counts are written in the user's locale: "2,000", "2.000", "2 000"…
LOCALE_2000 = QLocale().toString(2000)


@pytest.fixture
def login(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    def set_login(name: str) -> None:
        monkeypatch.setattr("teleprospect.services.identity.current_user.os_login", lambda: name)

    set_login("jkeller")
    return set_login


@pytest.fixture
def no_demo_offer(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Answer No to any question and remember what was asked."""
    asked: list[str] = []

    def answer_no(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer_no)
    return asked


@pytest.fixture
def open_window(qtbot, login) -> Iterator[Callable[[Database], MainWindow]]:
    def open_(db: Database) -> MainWindow:
        window = MainWindow(db)
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.first_shown):
            window.show()
        return window

    yield open_


@pytest.fixture
def filled_db(sqlite_db: Database) -> Database:
    populate(sqlite_db, 500)
    return sqlite_db


def test_status_bar_names_the_database_and_the_user(open_window, filled_db) -> None:
    window = open_window(filled_db)
    assert window.windowTitle() == "Teleprospect"
    assert str(filled_db.sqlite_path) in window.database_label.full_text()
    assert window.user_label.text() == "User: Julia Keller (jkeller)"
    assert window.total_label.text() == "500 leads"


def test_an_unknown_login_is_named_as_not_registered(open_window, filled_db, login) -> None:
    login("visitor")
    window = open_window(filled_db)
    assert window.user_label.text() == "User: visitor — not a registered user"


def test_the_table_shows_the_first_chunk_in_database_order(open_window, filled_db) -> None:
    window = open_window(filled_db)
    table = window.ui.leadTable
    assert table.model().rowCount() == LeadTableModel.ROWS_TO_LOAD
    assert not table.verticalHeader().isVisible()
    assert not table.isSortingEnabled()
    assert table.selectionBehavior() == table.SelectionBehavior.SelectRows
    assert table.alternatingRowColors()
    with filled_db.read() as session:
        first = session.scalars(select(Lead).order_by(Lead.id).limit(1)).one()
    assert table.model().index(0, 0).data() == first.full_name


def test_f5_reads_leads_added_since(open_window, filled_db, qtbot) -> None:
    window = open_window(filled_db)
    with filled_db.write() as session:
        session.execute(insert(Lead), lead_dicts(25, [], []))
    assert window.total_label.text() == "500 leads"
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.ui.leadTable, Qt.Key.Key_F5)
    assert window.total_label.text() == "525 leads"


def test_menu_actions_have_their_shortcuts(open_window, filled_db) -> None:
    ui = open_window(filled_db).ui
    assert ui.actionRefresh.shortcut().toString() == "F5"
    assert ui.actionQuit.shortcut().toString() == "Ctrl+Q"
    assert ui.actionImportLeads.shortcut().toString() == "Ctrl+I"
    assert [a.text() for a in ui.menuFile.actions() if not a.isSeparator()] == [
        "&Import leads…",
        "Load &demo data…",
        "Team &settings…",
        "&Quit",
    ]
    assert [a.text() for a in ui.menuHelp.actions()] == [
        "&Keyboard shortcuts",
        "&About Teleprospect",
    ]


def test_a_filled_database_is_not_offered_demo_data(open_window, filled_db, no_demo_offer):
    open_window(filled_db)
    assert no_demo_offer == []


def test_the_window_stays_responsive_when_work_runs_on_threads(
    open_window, filled_db, qtbot
) -> None:
    background.set_inline(False)
    window = open_window(filled_db)
    qtbot.waitUntil(lambda: window.total_label.text() == "500 leads")
    qtbot.waitUntil(lambda: window.lead_model.rowCount() == LeadTableModel.ROWS_TO_LOAD)
    qtbot.waitUntil(lambda: "Julia Keller" in window.user_label.text())


# -- demo data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FakeSummary:
    users: int
    campaigns: int
    leads: int
    invalid_phones: int
    seconds: float


class FakeDemoCancelled(Exception):
    pass


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch) -> types.SimpleNamespace:
    """A fast stand-in for services.demo.load_demo that keeps to its contract."""
    try:
        import teleprospect.demo.loader as module
    except ImportError:  # the real service is not there yet: same API, in a module of its own
        module = types.ModuleType("teleprospect.demo.loader")
        module.DemoCancelled = FakeDemoCancelled  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "teleprospect.demo.loader", module)
    calls = types.SimpleNamespace(count=0, cancel_after=None, reports=[], append=None, you=None)

    def load_demo(  # noqa: ANN202
        db,  # noqa: ANN001
        *,
        leads=2000,  # noqa: ANN001
        seed=1,  # noqa: ANN001
        append=False,  # noqa: ANN001
        progress=None,  # noqa: ANN001
        should_cancel=None,  # noqa: ANN001
        you=None,  # noqa: ANN001
    ):
        calls.count += 1
        calls.append = append
        calls.you = you
        with db.write() as session:
            campaign = Campaign(name=f"Demo webinar {calls.count}")
            user = session.scalar(select(User).where(User.login == "jkeller"))
            if user is None:
                user = User(login="jkeller", name="Julia Keller")
            session.add_all([campaign, user])
            session.flush()
            for done in range(0, leads, 100):
                if should_cancel is not None and should_cancel():
                    raise module.DemoCancelled("cancelled")
                session.execute(insert(Lead), lead_dicts(100, [campaign.id], [user.id]))
                if progress is not None:
                    progress(done + 100, leads)
                calls.reports.append(done + 100)
                if calls.cancel_after is not None and done + 100 >= calls.cancel_after:
                    calls.cancel()
        return FakeSummary(users=1, campaigns=1, leads=leads, invalid_phones=0, seconds=0.4)

    monkeypatch.setattr(module, "load_demo", load_demo, raising=False)
    return calls


def answer(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(parent, title, text, *args, **kwargs):  # noqa: ANN001
        asked.append(text)
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_an_empty_database_offers_demo_data_and_shows_it(
    open_window, sqlite_db, demo, monkeypatch, qtbot
) -> None:
    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    window = open_window(sqlite_db)
    assert len(asked) == 1 and "no leads yet" in asked[0]
    assert demo.count == 1 and demo.you == "jkeller"  # you join the demo team as yourself
    assert window.lead_model.rowCount() == LeadTableModel.ROWS_TO_LOAD
    assert window.total_label.text() == f"{LOCALE_2000} leads"
    assert window.user_label.text() == "User: Julia Keller (jkeller)"
    assert f"Loaded {LOCALE_2000} demo leads" in window.statusBar().currentMessage()
    assert window.ui.actionLoadDemo.isEnabled()


def test_declining_the_demo_offer_leaves_the_database_empty(
    open_window, sqlite_db, demo, monkeypatch
) -> None:
    answer(monkeypatch, QMessageBox.StandardButton.No)
    window = open_window(sqlite_db)
    assert demo.count == 0
    assert window.lead_model.rowCount() == 0
    assert window.total_label.text() == "0 leads"


def test_cancelling_the_demo_load_says_so(open_window, sqlite_db, demo, monkeypatch) -> None:
    answer(monkeypatch, QMessageBox.StandardButton.Yes)
    demo.cancel_after = 300
    # The progress dialog's Cancel button sets the flag that should_cancel reads.
    demo.cancel = lambda: window.demo_offer.progress_dialog.findChild(QPushButton).click()
    window = MainWindow(sqlite_db)
    window.show()
    window.demo_offer.on_emptiness_known(True)
    assert demo.append is False
    assert window.statusBar().currentMessage() == "Loading demo data was cancelled."
    assert window.demo_offer.progress_dialog is None
    assert demo.reports[-1] == 300  # stopped at the next check, not at the end
    assert window.ui.actionLoadDemo.isEnabled()
    window.close()


def test_demo_data_loads_on_a_worker_with_progress(
    open_window, sqlite_db, demo, monkeypatch, qtbot
) -> None:
    background.set_inline(False)
    answer(monkeypatch, QMessageBox.StandardButton.Yes)
    window = open_window(sqlite_db)
    with qtbot.waitSignal(window.demo_loaded, timeout=10_000):
        pass
    qtbot.waitUntil(lambda: window.total_label.text() == f"{LOCALE_2000} leads")
    assert demo.reports[-1] == 2000


def test_the_file_menu_adds_demo_data_to_a_database_with_leads(
    open_window, filled_db, demo, monkeypatch
) -> None:
    window = open_window(filled_db)
    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    window.ui.actionLoadDemo.trigger()
    assert str(filled_db.sqlite_path) in asked[0]
    assert demo.append is True
    assert window.total_label.text() == f"{QLocale().toString(2500)} leads"


def test_the_real_demo_service_fills_an_empty_database(open_window, sqlite_db, monkeypatch) -> None:
    answer(monkeypatch, QMessageBox.StandardButton.Yes)
    window = open_window(sqlite_db)
    assert window.total_label.text() == f"{LOCALE_2000} leads"
    assert window.lead_model.rowCount() == LeadTableModel.ROWS_TO_LOAD
    assert window.lead_model.index(0, 0).data()


# -- window state ----------------------------------------------------------------------------


def test_closing_saves_geometry_and_column_widths(open_window, filled_db, qtbot) -> None:
    window = open_window(filled_db)
    # Smaller than the offscreen screen (800x600): restoring clamps a window to its screen.
    window.resize(760, 540)
    window.ui.leadTable.setColumnWidth(1, 333)
    window.close()
    settings = QSettings("Teleprospect", "Teleprospect")
    assert not settings.value(GEOMETRY_KEY).isEmpty()
    assert not settings.value(HEADER_STATE_KEY).isEmpty()

    again = open_window(filled_db)
    assert again.ui.leadTable.columnWidth(1) == 333
    assert (again.width(), again.height()) == (760, 540)


# -- start-up --------------------------------------------------------------------------------


def test_a_database_that_cannot_be_opened_is_explained_with_exit_code_2(
    monkeypatch, tmp_path, qapp
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    code = app_module.run_gui("mysql://someone@somewhere/db")
    assert code == app_module.EXIT_DATABASE_ERROR
    assert len(shown) == 1
    assert "SQLite or PostgreSQL" in shown[0]
    assert "Traceback" not in shown[0]


def test_run_gui_shows_the_window_and_quits(monkeypatch, filled_db, login, qapp) -> None:
    seen: list[MainWindow] = []

    def after_show(window: MainWindow) -> None:
        seen.append(window)
        window.close()
        qapp.quit()

    # Closing the last window would also post a quit request, still pending when the loop
    # ends; delivered later, it would end the next test's event loops at once.
    qapp.setQuitOnLastWindowClosed(False)
    try:
        code = app_module.run_gui(str(filled_db.sqlite_path), after_show=after_show)
    finally:
        qapp.setQuitOnLastWindowClosed(True)
    assert code == 0
    assert seen and seen[0].isVisible() is False
    assert qapp.applicationName() == "Teleprospect"
    assert "QTableView#leadTable" in qapp.styleSheet()
