"""The status bar warns when this computer's clock is more than a minute off the server's.

Leases and callbacks follow the server's clock whatever this computer's says; the warning
tells the rep why the times they see may surprise them. Measured on a worker at start-up,
then every ten minutes while there is a server (a SQLite file has none).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from PySide6.QtWidgets import QMessageBox

from teleprospect.services import clock as clock_service
from teleprospect.services.database import upgrade_database
from teleprospect.store.database import Database
from teleprospect.ui import main_window
from teleprospect.ui.main_window import MainWindow


class FakeOffset:
    """What ``clock_offset`` answers: the server's clock minus this computer's."""

    def __init__(self, offset: timedelta | None) -> None:
        self.offset = offset
        self.asked = 0

    def __call__(self, db: Database) -> timedelta | None:
        self.asked += 1
        return self.offset


@pytest.fixture
def offset(monkeypatch: pytest.MonkeyPatch) -> FakeOffset:
    fake = FakeOffset(None)
    monkeypatch.setattr(clock_service, "clock_offset", fake)
    return fake


@pytest.fixture
def open_window(qtbot, monkeypatch: pytest.MonkeyPatch) -> Callable[[Database], MainWindow]:
    monkeypatch.setattr("teleprospect.services.identity.current_user.os_login", lambda: "jkeller")
    # An empty database offers demo data: no thanks.
    monkeypatch.setattr(
        QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.No
    )

    def open_(db: Database) -> MainWindow:
        window = MainWindow(db)
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.first_shown):
            window.show()
        return window

    return open_


def test_a_clock_six_minutes_ahead_is_named_in_the_status_bar(
    open_window, sqlite_db: Database, offset: FakeOffset
) -> None:
    offset.offset = timedelta(minutes=-6)
    window = open_window(sqlite_db)
    assert offset.asked == 1, "measured once at start-up"
    assert window.clock_label.isVisible()
    assert window.clock_label.text() == (
        "This computer's clock is 6 min ahead of the server's; leases and callbacks follow"
        " the server."
    )
    # Checked again now and then, in the background: a clock set right clears the warning.
    assert window.clock_timer.isActive()
    assert window.clock_timer.interval() == main_window.CLOCK_CHECK_MS == 10 * 60_000
    offset.offset = timedelta(seconds=-20)
    window.clock_timer.timeout.emit()
    assert offset.asked == 2 and not window.clock_label.isVisible()
    offset.offset = timedelta(minutes=8, seconds=10)
    window.clock_timer.timeout.emit()
    assert window.clock_label.isVisible()
    assert window.clock_label.text().startswith(
        "This computer's clock is 8 min behind the server's"
    )


def test_twenty_seconds_off_is_no_reason_to_warn(
    open_window, sqlite_db: Database, offset: FakeOffset
) -> None:
    offset.offset = timedelta(seconds=20)
    window = open_window(sqlite_db)
    assert offset.asked == 1
    assert not window.clock_label.isVisible() and window.clock_label.text() == ""


def test_a_database_without_a_server_clock_is_not_asked_again(
    open_window, sqlite_db: Database, offset: FakeOffset
) -> None:
    window = open_window(sqlite_db)
    assert offset.asked == 1 and not window.clock_label.isVisible()
    assert not window.clock_timer.isActive()


def test_a_failed_measurement_leaves_the_window_alone(
    open_window, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(db: Database) -> timedelta | None:
        raise ConnectionError("the server went away")

    monkeypatch.setattr(clock_service, "clock_offset", unreachable)
    window = open_window(sqlite_db)
    assert not window.clock_label.isVisible()
    # No dialog; asked again at the next check.
    assert window.clock_timer.isActive()
    monkeypatch.setattr(clock_service, "clock_offset", FakeOffset(timedelta(minutes=-6)))
    window.clock_timer.timeout.emit()
    assert window.clock_label.isVisible()


def test_the_window_leaves_leases_and_due_times_to_the_databases_clock(qtbot) -> None:
    """Pinned: the window once handed its own clock to every service."""
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.now_provider() is None


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    database = Database(pg_url)
    upgrade_database(database)
    yield database
    database.dispose()


@pytest.mark.postgresql
def test_a_workstation_clock_six_minutes_fast_against_a_real_server(
    open_window, pg_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.services.clock_fixtures import WorkstationClock

    WorkstationClock.install(monkeypatch).set(timedelta(minutes=6))
    window = open_window(pg_db)
    assert window.clock_label.isVisible()
    assert window.clock_label.text().startswith("This computer's clock is 6 min ahead of")
    assert window.clock_timer.isActive()
