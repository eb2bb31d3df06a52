"""Start the desktop application: show the main window, open the database, run the loop.

Start-up time is a budget (DESIGN.md §4: the window within 1.5× a bare PySide6 window).
Importing SQLAlchemy and Alembic alone takes several times a bare window's start-up, so
the window is shown first and the database is opened, and migrated, on a worker; the
window gets it when it is ready ("Opening the database…" until then).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QFile, QIODevice
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

import teleprospect

if TYPE_CHECKING:
    from teleprospect.store.database import Database
    from teleprospect.ui.main_window import MainWindow

log = logging.getLogger(__name__)

#: The exit code when the database cannot be opened: the command line's "failed" (1).
EXIT_DATABASE_ERROR = 1


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with Teleprospect's names, icon and stylesheet (or the existing one)."""
    from teleprospect.ui import resources_rc  # noqa: F401 - registers the :/ resources

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setApplicationName("Teleprospect")
    app.setOrganizationName("Teleprospect")
    app.setApplicationVersion(teleprospect.__version__)
    app.setDesktopFileName("teleprospect")
    app.setWindowIcon(QIcon(":/icons/teleprospect.svg"))
    app.setStyleSheet(read_resource_text(":/style.qss"))
    return app


def setup_error_reporting() -> None:
    """Failures go to the log file (``<data dir>/logs/teleprospect.log``) and are told in
    one sentence: errors no screen caught through ``sys.excepthook``, Qt's warnings
    through its message handler."""
    from PySide6.QtCore import qInstallMessageHandler

    from teleprospect.logfile import setup_logging
    from teleprospect.ui.errors import excepthook, qt_message_handler

    setup_logging("desktop")
    sys.excepthook = excepthook
    qInstallMessageHandler(qt_message_handler)


def read_resource_text(path: str) -> str:
    resource = QFile(path)
    if not resource.open(QIODevice.OpenModeFlag.ReadOnly):
        log.warning("resource %s is missing", path)
        return ""
    try:
        return bytes(resource.readAll().data()).decode("utf-8")
    finally:
        resource.close()


def open_database(db_url: str | None) -> Database:
    """Open and migrate the database (runs on a worker: it imports SQLAlchemy and Alembic).

    The first start makes the database (the window shows where it is)."""
    from teleprospect.config import resolve_db_url
    from teleprospect.services.database import open_database as open_and_upgrade
    from teleprospect.services.identity.current_user import establish

    db = open_and_upgrade(resolve_db_url(db_url).url, create=True).db
    # Who is here, as the database (or the operating system) proves it: every act from
    # this window is recorded in their name.
    establish(db)
    return db


def explain_open_failure(error: BaseException) -> str:
    """One sentence for the user; a traceback only in the log (for bugs)."""
    from teleprospect.ui.errors import error_text

    return error_text(error, "The database could not be opened")


def run_gui(
    db_url: str | None,
    *,
    after_show: Callable[[MainWindow], None] | None = None,
) -> int:
    """Run the desktop application on ``db_url`` (None: the configured default).

    ``after_show`` is called once the window is on screen (smoke tests, start-up timing).
    Returns the process exit code: 0, or 1 when the database cannot be opened.
    """
    from teleprospect.ui.background import is_inline as background_is_inline
    from teleprospect.ui.background import run_in_background, wait_for_background
    from teleprospect.ui.main_window import MainWindow

    setup_error_reporting()
    app = create_application()
    window = MainWindow()
    if after_show is not None:
        window.first_shown.connect(lambda: after_show(window))
    window.show()

    opened: list[Database] = []
    failed: list[int] = []
    looping: list[bool] = []

    def on_opened(db: Database) -> None:
        opened.append(db)
        window.set_database(db)

    def on_failed(error: BaseException) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(window, "Teleprospect", explain_open_failure(error))
        failed.append(EXIT_DATABASE_ERROR)
        window.close()
        if looping:
            # Only a running loop may be told to end: an exit() before exec() would end
            # every later event loop of this QApplication at once.
            app.exit(EXIT_DATABASE_ERROR)

    def start_opening() -> None:
        run_in_background(lambda: open_database(db_url), on_opened, on_failed)

    if background_is_inline():
        start_opening()
    else:
        # After the first paint: the worker's imports would otherwise compete with it for
        # the interpreter.
        window.first_shown.connect(start_opening)
    try:
        # With background work running inline (tests) the outcome is already known.
        if failed:
            return failed[0]
        looping.append(True)
        return app.exec()
    finally:
        # Workers may still hold a connection: let them finish before the engine goes.
        wait_for_background()
        for db in opened:
            db.dispose()
