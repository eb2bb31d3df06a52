"""Importing from the main window: Ctrl+I, a dropped CSV file, and the imported leads."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from teleprospect.services.imports.leads import LeadImportRequest, import_leads
from teleprospect.store.database import Database
from teleprospect.ui.imports.wizard import ImportWizard
from teleprospect.ui.main_window import MainWindow
from tests.ui.sample_leads import populate

CSV = "First Name,Last Name,Company,Email\nAda,Byron,Analytical Ltd,ada@analytical.example\n"


@pytest.fixture
def window(qtbot, sqlite_db: Database) -> MainWindow:
    populate(sqlite_db, 30)
    window = MainWindow(sqlite_db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.lead_model.rowCount() == 30)
    return window


def open_wizards(window: MainWindow) -> list[ImportWizard]:
    return [w for w in window.findChildren(ImportWizard) if w.isVisible()]


def test_ctrl_i_opens_the_import_wizard(window: MainWindow, qtbot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(open_wizards(window)) == 1)


def test_dropping_a_csv_file_starts_its_import(window: MainWindow, qtbot, tmp_path) -> None:
    path = tmp_path / "booth-scans.csv"
    path.write_text(CSV, encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    drop = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    # Qt delivers drop events only during a real drag: hand it to the window directly.
    window.dropEvent(drop)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: len(open_wizards(window)) == 1)
    (wizard,) = open_wizards(window)
    qtbot.waitUntil(lambda: wizard.path == path)  # on the preview of the dropped file


def test_dropping_something_else_is_refused(window: MainWindow, qtbot) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl("https://example.com/leads.csv")])
    drop = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    drop.setAccepted(False)
    window.dropEvent(drop)
    assert not drop.isAccepted()
    assert open_wizards(window) == []


def test_the_list_can_show_only_one_imports_leads(window, sqlite_db, qtbot, tmp_path) -> None:
    path = tmp_path / "webinar.csv"
    path.write_text(CSV, encoding="utf-8")
    summary = import_leads(sqlite_db, LeadImportRequest(path))
    window.on_import_finished(summary)
    qtbot.waitUntil(lambda: window.lead_model.rowCount() == 31)
    window.show_import_batch(summary.batch_id)
    qtbot.waitUntil(lambda: window.lead_model.rowCount() == 1)
    assert window.lead_model.lead_row(0).name == "Ada Byron"
    assert window.filter_bar.isVisibleTo(window)
    qtbot.waitUntil(lambda: "1 lead of import" in window.filter_label.text())
    window.ui.actionShowAllLeads.trigger()
    qtbot.waitUntil(lambda: window.lead_model.rowCount() == 31)
    assert not window.filter_bar.isVisibleTo(window)
