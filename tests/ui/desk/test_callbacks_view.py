"""The Callbacks tab and the reminder, driven as a rep drives them, on a frozen clock.

Sam in Berlin has promised Aiko Tanaka in Tokyo a call an hour ago, the team owes Lena
Vogel one this evening, and Sam promised another for later today and one next week."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from teleprospect.store.database import Database
from teleprospect.store.models import CallbackEntry, User
from teleprospect.ui.desk.callbacks_model import COLUMNS
from teleprospect.ui.main_window import MainWindow
from tests.services.call_fixtures import NOW, add_campaign, add_lead

BERLIN = ZoneInfo("Europe/Berlin")
COLUMN = {column.key: number for number, column in enumerate(COLUMNS)}


class Team:
    def __init__(self, db: Database) -> None:
        self.db = db
        with db.write() as s:
            sam, kim = User(login="sam", name="Sam Carter"), User(login="kim", name="Kim Lee")
            s.add_all([sam, kim])
            s.flush()
            self.sam, self.kim = sam.id, kim.id
        campaign = add_campaign(db)
        self.vogel = add_lead(db, campaign)
        self.tanaka = add_lead(
            db,
            campaign,
            first_name="Aiko",
            last_name="Tanaka",
            company="Tanaka KK",
            email="aiko@tanaka.jp",
            phone_e164="+81312345678",
            phone_time_zones="Asia/Tokyo",
            country="JP",
        )
        self.weber = add_lead(
            db, campaign, first_name="Jonas", last_name="Weber", email="j@weber.de",
            phone_e164="+4930555555",
        )  # fmt: skip

    def promise(self, lead_id: int, due_at: datetime, owner: int | None, note: str = "") -> int:
        with self.db.write() as s:
            entry = CallbackEntry(
                lead_id=lead_id, due_at=due_at, owner_id=owner, note=note, created_at=NOW
            )
            s.add(entry)
            s.flush()
            return entry.id


@pytest.fixture
def team(sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> Team:
    monkeypatch.setattr("teleprospect.services.identity.current_user.os_login", lambda: "sam")
    for module in ("callbacks_view", "callbacks_model", "callback_reminder"):
        monkeypatch.setattr(f"teleprospect.ui.desk.{module}.local_zone", lambda: BERLIN)
    return Team(sqlite_db)


@pytest.fixture
def clock() -> list[datetime]:
    return [NOW]


@pytest.fixture
def open_window(qtbot, clock) -> Callable[[Database], MainWindow]:
    def open_(db: Database) -> MainWindow:
        window = MainWindow(db, now_provider=lambda: clock[0])
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: window.current_user is not None and window.workspace is not None)
        return window

    return open_


def cell(window: MainWindow, row: int, key: str) -> str:
    model = window.callbacks_view.model
    return model.index(row, COLUMN[key]).data()


def test_the_callbacks_tab_lists_overdue_today_and_upcoming_in_both_zones_and_opens_a_lead(
    team: Team, open_window, qtbot, qtmodeltester
) -> None:
    team.promise(team.tanaka, NOW - timedelta(hours=1), team.sam, "price list")
    team.promise(team.vogel, NOW + timedelta(hours=2), None)
    team.promise(team.weber, NOW + timedelta(days=7), team.sam)
    team.promise(team.weber, NOW - timedelta(hours=2), team.kim)  # Kim's: not in Sam's list
    window = open_window(team.db)
    tabs = window.ui.mainTabs
    assert tabs.tabText(tabs.indexOf(window.ui.queueTab) + 1) == "Call&backs"
    tabs.setCurrentWidget(window.callbacks_view)
    view = window.callbacks_view
    qtbot.waitUntil(lambda: view.model.rowCount() == 3)
    qtmodeltester.check(view.model)

    assert view.summary.text() == "1 overdue · 1 today · 1 upcoming"
    # 14:00 UTC is 15:00 in Berlin and 23:00 in Tokyo.
    assert [cell(window, 0, key) for key in COLUMN] == [
        "Overdue",
        "Wed 25 Nov 15:00",
        "23:00 Tokyo",
        "Aiko Tanaka",
        "Tanaka KK",
        "Personal",
        "price list",
    ]
    assert [cell(window, 1, key) for key in ("when", "here", "there", "kind")] == [
        "Today",
        "18:00",
        "18:00 Berlin",
        "Team",
    ]
    assert cell(window, 2, "when") == "Upcoming" and cell(window, 2, "lead") == "Jonas Weber"

    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(0, 0))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace.lead_id == team.tanaka)
    assert window.ui.mainTabs.currentWidget() is window.workspace


def test_a_callback_of_mine_falling_due_is_reminded_once_without_taking_the_keyboard(
    team: Team, open_window, clock, qtbot
) -> None:
    team.promise(team.tanaka, NOW + timedelta(minutes=10), team.sam, "price list")
    team.promise(team.vogel, NOW - timedelta(minutes=5), None)  # the team's: no reminder
    window = open_window(team.db)
    reminder, view = window.callback_reminder, window.callbacks_view
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)
    assert not reminder.isVisible()

    # Sam is on a call, typing notes, while the clock passes the callback's time.
    window.desk.open_specific_lead(team.vogel)
    qtbot.waitUntil(lambda: window.workspace.detail is not None)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    typing = window.workspace.notes
    typing.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is typing)
    clock[0] = NOW + timedelta(minutes=11)
    view.timer.timeout.emit()
    qtbot.waitUntil(reminder.isVisible)
    assert reminder.label.text() == (
        "Callback due: Aiko Tanaka (Tanaka KK), Wed 16:10 here · Thu 00:10 in Tokyo"
    )
    assert QApplication.focusWidget() is typing  # nothing stole the keyboard
    assert QApplication.activeModalWidget() is None
    assert not reminder.open_button.focusPolicy() & Qt.FocusPolicy.TabFocus

    # Dismissed, it does not come back for the same callback.
    qtbot.mouseClick(reminder.dismiss_button, Qt.MouseButton.LeftButton)
    assert not reminder.isVisible()
    clock[0] = NOW + timedelta(minutes=12)
    view.timer.timeout.emit()
    qtbot.wait(50)
    assert not reminder.isVisible()

    # The next one that falls due is reminded, and Open opens its lead.
    team.promise(team.weber, NOW + timedelta(minutes=13), team.sam)
    clock[0] = NOW + timedelta(minutes=14)
    view.refresh()
    qtbot.waitUntil(reminder.isVisible)
    assert "Jonas Weber" in reminder.label.text()
    qtbot.mouseClick(reminder.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.workspace.lead_id == team.weber)
    assert not reminder.isVisible()
