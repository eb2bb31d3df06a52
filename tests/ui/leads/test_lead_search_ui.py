"""Finding a returning caller on the Leads tab: typing, sorting, filtering, opening, the
context menu and Ctrl+F, driven with keys and clicks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit
from sqlalchemy import select, update

from teleprospect.store.database import Database
from teleprospect.store.models import Lead, User
from teleprospect.store.types import utcnow
from teleprospect.ui.leads.lead_table_model import COLUMN_INDEX
from teleprospect.ui.leads.search_bar import TYPING_PAUSE_MS
from teleprospect.ui.main_window import MainWindow
from tests.ui.sample_leads import populate


@pytest.fixture
def window(qtbot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    monkeypatch.setattr("teleprospect.services.identity.current_user.os_login", lambda: "jkeller")
    populate(sqlite_db, 300)
    with sqlite_db.write() as session:
        lead = session.scalars(select(Lead).order_by(Lead.id).limit(1)).one()
        lead.first_name, lead.last_name = "Rahul", "Nair"
        lead.company, lead.email = "Nordwind Logistics", "rahul.nair@nordwind.example"
        lead.phone_raw, lead.phone_e164 = "+1 (415) 555-0123", "+14155550123"
    window = MainWindow(sqlite_db)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.first_shown):
        window.show()
    # A rep starts on the Queue; the search lives on the Leads tab.
    window.ui.mainTabs.setCurrentWidget(window.ui.leadsTab)
    yield window


def shown(window: MainWindow, column: str = "name") -> list[str]:
    model = window.lead_model
    return [model.index(row, COLUMN_INDEX[column]).data() for row in range(model.rowCount())]


def type_search(qtbot, window: MainWindow, text: str) -> None:
    box = window.lead_list.search_bar.box
    box.clear()
    qtbot.keyClicks(box, text)
    qtbot.wait(TYPING_PAUSE_MS + 50)


def nair_id(db: Database) -> int:
    with db.read() as session:
        return session.scalars(select(Lead.id).where(Lead.last_name == "Nair")).one()


def test_typing_a_phone_fragment_shows_the_caller_after_a_pause(qtbot, window) -> None:
    box = window.lead_list.search_bar.box
    qtbot.keyClicks(box, "555 01")
    assert len(shown(window)) > 1, "nothing is read while the typing goes on"
    qtbot.wait(TYPING_PAUSE_MS + 50)
    assert shown(window) == ["Rahul Nair"]
    assert window.total_label.text() == "1 lead found"
    box.clear()
    qtbot.wait(TYPING_PAUSE_MS + 50)
    assert len(shown(window)) == 200 and window.total_label.text() == "300 leads"


def test_a_newer_search_is_never_overwritten_by_an_older_answer(qtbot, window) -> None:
    """The answer to 'nordw' arrives after 'zzzzz' was typed: it is dropped."""
    model = window.lead_model
    model.set_listing(search="nordw")
    stale = model.generation
    model.set_listing(search="zzzzz")
    assert model.generation > stale
    model._add_rows(stale, [model.lead_row(0)] if model.rowCount() else [], 200)
    assert shown(window) == []


def test_a_search_too_short_says_what_is_needed(qtbot, window) -> None:
    type_search(qtbot, window, "ra")
    note = window.lead_list.search_bar.note
    assert note.isVisible() and "at least 3" in note.text()
    assert len(shown(window)) == 200, "the list stays whole"


def test_clicking_a_header_sorts_in_the_database_and_again_reverses(qtbot, window) -> None:
    header = window.ui.leadTable.horizontalHeader()
    column = COLUMN_INDEX["score"]
    x = header.sectionViewportPosition(column) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    scores = [window.lead_model.lead_row(r).score for r in range(window.lead_model.rowCount())]
    assert scores == sorted(scores) and len(scores) == 200
    with window.db.read() as session:
        lowest = session.scalar(select(Lead.score).order_by(Lead.score).limit(1))
    assert scores[0] == lowest
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    scores = [window.lead_model.lead_row(r).score for r in range(window.lead_model.rowCount())]
    assert scores == sorted(scores, reverse=True)
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder


def test_filters_narrow_the_list_and_combine_with_the_search(qtbot, window) -> None:
    bar = window.lead_list.search_bar
    bar.status.setCurrentIndex(bar.status.findText("Working"))
    statuses = set(shown(window, "status"))
    assert statuses == {"Working"}
    bar.country.setCurrentIndex(bar.country.findData("DE"))
    assert set(shown(window, "country")) == {"DE"} and set(shown(window, "status")) == {"Working"}
    bar.status.setCurrentIndex(0)
    bar.country.setCurrentIndex(0)
    bar.owner.setCurrentIndex(bar.owner.findText("Julia Keller"))
    assert set(shown(window, "owner")) == {"Julia Keller"}
    type_search(qtbot, window, "nordwind")
    owners = set(shown(window, "owner"))
    assert owners <= {"Julia Keller"}


def open_first(qtbot, window, how: str) -> None:
    table = window.ui.leadTable
    index = window.lead_model.index(0, 0)
    table.setCurrentIndex(index)
    if how == "enter":
        table.setFocus()
        qtbot.keyClick(table, Qt.Key.Key_Return)
    else:
        rect = table.visualRect(index)
        # A double-click is a press, a release, then the second press.
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


@pytest.mark.parametrize("how", ["enter", "double-click"])
def test_enter_or_double_click_opens_and_claims_a_free_lead(qtbot, window, how) -> None:
    type_search(qtbot, window, "nair")
    open_first(qtbot, window, how)
    workspace = window.workspace
    assert window.ui.mainTabs.currentWidget() is workspace
    assert workspace.lead_id == nair_id(window.db) and not workspace.read_only
    with window.db.read() as session:
        holder = session.scalar(select(Lead.claimed_by_id).where(Lead.id == workspace.lead_id))
    assert holder == window.queue_user_id


def test_a_lead_someone_else_holds_opens_read_only_naming_them(qtbot, window) -> None:
    with window.db.write() as session:
        other = session.scalars(select(User).where(User.login != "jkeller").limit(1)).one()
        session.execute(
            update(Lead)
            .where(Lead.last_name == "Nair")
            .values(claimed_by_id=other.id, claim_expires_at=utcnow() + timedelta(minutes=10))
        )
        name = other.name
    type_search(qtbot, window, "nair")
    row = window.lead_model.lead_row(0)
    assert row.holder == name
    menu = window.lead_list.context_menu(row)
    texts = [action.text() for action in menu.actions()]
    assert f"&Open (held by {name}: read-only)" in texts
    claim = next(a for a in menu.actions() if a.text() == "&Claim and call")
    assert not claim.isEnabled()
    open_first(qtbot, window, "enter")
    assert window.workspace.read_only and window.workspace.lead_id == row.id


def test_the_context_menu_copies_and_releases_the_lead_i_hold(qtbot, window) -> None:
    type_search(qtbot, window, "nair")
    row = window.lead_model.lead_row(0)
    actions = {a.text(): a for a in window.lead_list.context_menu(row).actions()}
    assert not actions["&Release"].isEnabled(), "not held yet"
    actions["Copy &phone"].trigger()
    assert QGuiApplication.clipboard().text() == "+14155550123"
    actions["Copy &email"].trigger()
    assert QGuiApplication.clipboard().text() == "rahul.nair@nordwind.example"
    actions["&Claim and call"].trigger()
    assert window.workspace.lead_id == row.id
    actions = {a.text(): a for a in window.lead_list.context_menu(row).actions()}
    assert actions["&Release"].isEnabled() and not actions["&Claim and call"].isEnabled()
    actions["&Release"].trigger()
    with window.db.read() as session:
        assert session.scalar(select(Lead.claimed_by_id).where(Lead.id == row.id)) is None


def test_right_click_shows_the_menu_on_the_row_under_the_mouse(qtbot, window, monkeypatch) -> None:
    shown_for: list[int] = []
    real: Callable = window.lead_list.context_menu

    def spy(row):  # type: ignore[no-untyped-def]
        shown_for.append(row.id)
        menu = real(row)
        monkeypatch.setattr(menu, "popup", lambda _point: None)
        return menu

    monkeypatch.setattr(window.lead_list, "context_menu", spy)
    table = window.ui.leadTable
    rect = table.visualRect(window.lead_model.index(2, 0))
    table.customContextMenuRequested.emit(rect.center())
    assert shown_for == [window.lead_model.lead_row(2).id]


def test_ctrl_f_from_another_tab_focuses_the_search(qtbot, window) -> None:
    window.ui.mainTabs.setCurrentWidget(window.workspace)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.ui.mainTabs.currentWidget() is window.ui.leadsTab
    focused = QGuiApplication.focusObject()
    assert isinstance(focused, QLineEdit) and focused is window.lead_list.search_bar.box
