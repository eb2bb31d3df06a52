"""Choices that change only when the rep means it.

A list box (QComboBox) or a date field changes its value with the mouse wheel when the
pointer happens to pass over it, and a closed list box with the arrow and Page keys: a rep
scrolling the script or moving on with Page Down changed answers without seeing it. Here
the wheel over a closed list or a date field scrolls the page around it instead, the wheel
never gives them the keyboard, and a closed list ignores the arrow, Page, Home and End
keys (Alt+Down, F4 or Space open it; typing its first letters still chooses).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QWidget,
)

#: Keys a closed list box would change its value with.
LIST_MOVING_KEYS = frozenset(
    {
        Qt.Key.Key_Up,
        Qt.Key.Key_Down,
        Qt.Key.Key_PageUp,
        Qt.Key.Key_PageDown,
        Qt.Key.Key_Home,
        Qt.Key.Key_End,
    }
)


def popup_is_open(combo: QComboBox) -> bool:
    view = combo.view()
    return view is not None and view.isVisible()


class InputGuard(QObject):
    """The event filter doing it; one serves every guarded widget of a window."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Wheel and isinstance(watched, QComboBox | QAbstractSpinBox):
            if isinstance(watched, QComboBox) and popup_is_open(watched):
                return False
            assert isinstance(event, QWheelEvent)
            _scroll_around(watched, event)
            return True
        if (
            kind == QEvent.Type.KeyPress
            and isinstance(watched, QComboBox)
            and not popup_is_open(watched)
        ):
            assert isinstance(event, QKeyEvent)
            alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
            if Qt.Key(event.key()) in LIST_MOVING_KEYS and not alt:
                # Not the list's to use: the runner (Page keys) or nobody has them.
                event.ignore()
                return True
        return False


def _scroll_around(widget: QWidget, event: QWheelEvent) -> None:
    """Hand the wheel to the scroll area around ``widget``, if there is one."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    if parent is None:
        return
    bar = parent.verticalScrollBar()
    if bar is not None and bar.isVisible():
        QApplication.sendEvent(bar, event)


_GUARD: InputGuard | None = None


def guard(widget: QWidget) -> QWidget:
    """Guard ``widget`` (a list box, a spin or date field) against accidental changes."""
    global _GUARD
    if _GUARD is None:
        _GUARD = InputGuard(QApplication.instance())
    # Only a click or Tab gives it the keyboard: the wheel passing over it does not.
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    widget.installEventFilter(_GUARD)
    return widget


def guard_all(root: QWidget) -> None:
    """Guard every list box and spin or date field under ``root``."""
    for widget in root.findChildren(QComboBox) + root.findChildren(QAbstractSpinBox):
        guard(widget)
