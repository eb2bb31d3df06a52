"""The workspace fits a small laptop screen and stays put (issue 14): at 1024×700 and
1366×768, with the longest realistic lead on show, a callback being set and an error
showing, every visible control of the Queue, Leads and Call views lies inside the window,
overlaps none of its siblings and gets at least the room its text needs, and nothing makes
the window wider than the user made it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QByteArray, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QScrollBar,
    QTabBar,
    QWidget,
)
from sqlalchemy import select, update

from teleprospect.core.decisions import DecisionKind
from teleprospect.demo.loader import load_demo
from teleprospect.store.database import Database
from teleprospect.store.models import Campaign, Lead
from teleprospect.ui.main_window import GEOMETRY_KEY, MainWindow, window_settings

NOW = datetime(2025, 6, 11, 14, 0, tzinfo=UTC)  # a Wednesday: calling windows open
REP = "sam.carter"
SIZES = [(1024, 700), (1366, 768)]

#: The longest values a real lead list holds, as users reported them.
LONG_LEAD = {
    "first_name": "Maximiliane-Charlotte",
    "last_name": "Vandenberghe-Oppenheimer",
    "title": "Senior Vice President, Global Procurement and Supplier Relations",
    "company": "Internationale Handels- und Logistikgesellschaft Nordrhein-Westfalen GmbH",
    "industry": "Transportation, Logistics, Supply Chain and Storage",
    "email": "m.vandenberghe-oppenheimer@ihl-nrw-logistik.de",
    "company_size": 13_732,
}
LONG_CAMPAIGN = {
    "name": "Supply Chain Resilience Summit 2025 — Executive Roundtable Series, Düsseldorf",
    "offer": "A 40-page benchmark report on supplier-risk scoring, with a 30-minute review "
    "of their own supplier base by one of our analysts",
}
LONG_ERROR = (
    "The call could not be saved: the database server did not answer in time. Everything "
    "you typed is kept on this computer; save again when the database answers."
)


# -- what a user sees ------------------------------------------------------------------------


def _is_part_of_a_control(widget: QWidget) -> bool:
    """Pieces a control draws itself (a combo's line edit, a tab bar's scroll arrows, a
    scroll area's bars): their parent is what is checked."""
    parent = widget.parentWidget()
    return isinstance(parent, (QComboBox, QAbstractSpinBox, QTabBar, QScrollBar)) or (
        parent is not None and parent.objectName().startswith("qt_scrollarea")
    )


def _controls(root: QWidget) -> Iterator[QWidget]:
    kinds = (QAbstractButton, QLabel, QLineEdit, QComboBox, QAbstractSpinBox, QTabBar)
    for widget in root.findChildren(QWidget):
        if (
            widget.isVisible()
            and not _is_part_of_a_control(widget)
            and isinstance(widget, (*kinds, QAbstractScrollArea))
        ):
            yield widget


def _name(widget: QWidget) -> str:
    text = widget.text() if hasattr(widget, "text") and callable(widget.text) else ""
    return f"{type(widget).__name__}({widget.objectName() or text[:40]!r})"


def _visible_rect(widget: QWidget, window: QWidget) -> QRect:
    """Where the widget is on the window, clipped by the scroll areas it sits in."""
    rect = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if parent.objectName() == "qt_scrollarea_viewport":
            viewport = QRect(parent.mapTo(window, parent.rect().topLeft()), parent.size())
            return rect.intersected(viewport) if rect.intersects(viewport) else QRect()
        parent = parent.parentWidget()
    return rect


def layout_problems(window: QWidget, root: QWidget) -> list[str]:
    """What a user would see clipped or overlapping in ``root``'s visible controls."""
    problems = []
    inside = window.rect()
    controls = list(_controls(root))
    for widget in controls:
        rect = _visible_rect(widget, window)
        if rect.isEmpty():
            continue  # scrolled out of sight
        full = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
        if rect == full and not inside.contains(rect):
            problems.append(f"{_name(widget)} at {rect.getRect()} is outside the window")
        if _clipped(widget):
            hint = widget.minimumSizeHint()
            problems.append(
                f"{_name(widget)} is {widget.width()}×{widget.height()}, its text needs "
                f"{hint.width()}×{hint.height()}"
            )
    for widget in controls:
        for other in controls:
            if other is widget or other.parentWidget() is not widget.parentWidget():
                continue
            if id(other) < id(widget) and widget.geometry().intersects(other.geometry()):
                problems.append(f"{_name(widget)} overlaps {_name(other)}")
    return problems


def _clipped(widget: QWidget) -> bool:
    hint = widget.minimumSizeHint()
    if isinstance(widget, QAbstractScrollArea) or not hint.isValid():
        return False  # scrolls its content
    if isinstance(widget, QTabBar):
        # Every title whole: no tab cut to "Dupl" behind scroll arrows.
        return widget.width() < widget.sizeHint().width()
    if isinstance(widget, QLabel) and widget.wordWrap():
        # Prose wraps: it needs the height of its lines at its width.
        return widget.height() < widget.heightForWidth(widget.width())
    return widget.width() < hint.width() or widget.height() < hint.height()


# -- set-up ----------------------------------------------------------------------------------


@pytest.fixture
def long_lead_db(sqlite_db: Database) -> tuple[Database, int]:
    load_demo(sqlite_db, leads=40, seed=3, now=NOW)
    with sqlite_db.write() as session:
        lead = session.scalars(select(Lead).where(Lead.campaign_id.is_not(None))).first()
        assert lead is not None
        session.execute(update(Lead).where(Lead.id == lead.id).values(**LONG_LEAD))
        session.execute(
            update(Campaign).where(Campaign.id == lead.campaign_id).values(**LONG_CAMPAIGN)
        )
        lead_id = lead.id
    return sqlite_db, lead_id


@pytest.fixture
def open_window(qtbot, monkeypatch) -> Callable[[Database, tuple[int, int]], MainWindow]:
    monkeypatch.setattr("teleprospect.services.identity.current_user.os_login", lambda: REP)

    def open_(db: Database, size: tuple[int, int]) -> MainWindow:
        window = MainWindow(db, now_provider=lambda: NOW)
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: window.current_user is not None and window.workspace is not None)
        return window

    return open_


def _settle(qtbot, window: MainWindow) -> None:
    qtbot.wait(20)
    window.layout().activate()


def _assert_fits(qtbot, window: MainWindow, size: tuple[int, int], root: QWidget) -> None:
    _settle(qtbot, window)
    assert (window.width(), window.height()) == size
    # What would widen a real window: a minimum size larger than the user's.
    minimum = window.minimumSizeHint()
    assert minimum.width() <= size[0] and minimum.height() <= size[1], minimum
    assert layout_problems(window, root) == []


# -- the views -------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_leads_and_queue_views_fit_a_small_screen(
    qtbot, open_window, long_lead_db, size
) -> None:
    db, _lead_id = long_lead_db
    window = open_window(db, size)
    window.ui.mainTabs.setCurrentWidget(window.ui.leadsTab)
    _assert_fits(qtbot, window, size, window.ui.leadsTab)
    window.ui.mainTabs.setCurrentWidget(window.ui.queueTab)
    _assert_fits(qtbot, window, size, window.ui.queueTab)
    # The lead on hand, with its long name, shown over the queue.
    window.desk.open_specific_lead(long_lead_db[1])
    qtbot.waitUntil(lambda: window.workspace.detail is not None)
    window.ui.mainTabs.setCurrentWidget(window.ui.queueTab)
    _assert_fits(qtbot, window, size, window.ui.queueTab)
    _assert_fits(qtbot, window, size, window.statusBar())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_call_view_fits_a_small_screen_with_a_callback_and_an_error(
    qtbot, open_window, long_lead_db, size, tmp_path
) -> None:
    db, lead_id = long_lead_db
    window = open_window(db, size)
    workspace = window.workspace
    window.desk.open_specific_lead(lead_id)
    qtbot.waitUntil(lambda: workspace.detail is not None and workspace.lead_id == lead_id)
    workspace.notes.setPlainText(
        "Asked for the benchmark report first; call back after the board. " * 3
    )
    workspace.decision_panel.set_decision(DecisionKind.CALLBACK)
    workspace.show_problem(LONG_ERROR)
    for index in range(workspace.lead_panel.tabs.count()):
        workspace.lead_panel.tabs.setCurrentIndex(index)
        _assert_fits(qtbot, window, size, workspace)
    # The script keeps the room left: its first question shows whole, and no empty block
    # sits between the parts of the call's column.
    runner = workspace.script_runner
    first = next(iter(runner.editors.values()))
    viewport = runner.scroll_area.viewport()
    assert viewport.height() >= first.heightForWidth(viewport.width())
    column = workspace.call_button.parentWidget()
    parts = sorted(
        (
            child.geometry()
            for child in column.findChildren(QWidget)
            if child.isVisible() and child.parentWidget() is column
        ),
        key=lambda rect: rect.top(),
    )
    gaps = [b.top() - max(a.bottom() for a in parts[: i + 1]) for i, b in enumerate(parts[1:])]
    assert max(gaps) <= 24, gaps
    path = tmp_path / f"workspace-{size[0]}x{size[1]}.png"
    assert window.grab().save(str(path))
    if size == (1024, 700) and os.environ.get("TELEPROSPECT_SCREENSHOT_DIR"):
        window.grab().save(os.path.join(os.environ["TELEPROSPECT_SCREENSHOT_DIR"], path.name))


def test_the_lead_panel_keeps_its_width_between_leads_and_after_a_restart(
    qtbot, open_window, long_lead_db
) -> None:
    db, long_id = long_lead_db
    window = open_window(db, (1024, 700))
    workspace = window.workspace
    window.ui.mainTabs.setCurrentWidget(workspace)
    window.desk.open_specific_lead(long_id)
    qtbot.waitUntil(lambda: workspace.lead_id == long_id and workspace.detail is not None)
    _settle(qtbot, window)
    widths = {workspace.lead_panel.width()}
    assert workspace.lead_panel.tabs.tabBar().width() >= (
        workspace.lead_panel.tabs.tabBar().sizeHint().width()
    )
    with db.read() as session:
        others = session.scalars(select(Lead.id).where(Lead.id != long_id).limit(3)).all()
    for lead_id in others:
        window.desk.open_specific_lead(lead_id)
        qtbot.waitUntil(lambda lead_id=lead_id: workspace.lead_id == lead_id)
        qtbot.waitUntil(lambda: workspace.detail is not None)
        _settle(qtbot, window)
        widths.add(workspace.lead_panel.width())
    assert len(widths) == 1, widths
    # The rep widens the lead panel: the next start shows it as they left it.
    workspace.splitter.setSizes([420, workspace.splitter.width() - 420])
    moved = workspace.splitter.sizes()
    window.close()
    again = open_window(db, (1024, 700))
    again.ui.mainTabs.setCurrentWidget(again.workspace)
    _settle(qtbot, again)
    assert again.workspace.splitter.sizes() == moved


def test_a_window_saved_larger_than_the_screen_opens_inside_it(
    qtbot, open_window, long_lead_db
) -> None:
    db, _lead_id = long_lead_db
    window = open_window(db, (1024, 700))
    room = window.screen().availableGeometry()
    window.resize(room.width() + 300, room.height() + 200)
    window.move(room.right() - 100, room.top())
    window.close()  # saves its geometry, as it was
    assert not window_settings().value(GEOMETRY_KEY, QByteArray()).isEmpty()
    again = MainWindow(db, now_provider=lambda: NOW)
    qtbot.addWidget(again)
    frame = again.frameGeometry()
    assert frame.width() <= room.width() and frame.height() <= room.height()
    assert room.contains(frame.topLeft()) and room.contains(frame.bottomRight())
