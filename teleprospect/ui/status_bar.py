"""The main window's status bar: every message shown as plain, printable text.

Messages often carry a lead's name or company straight from an imported file; a cell
holding control characters or escape sequences must not reach the screen as such."""

from __future__ import annotations

from PySide6.QtWidgets import QStatusBar, QWidget

from teleprospect.core.text import printable


class PrintableStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")

    def showMessage(self, text: str, timeout: int | None = 0) -> None:  # noqa: N802 - Qt's name
        super().showMessage(printable(text), timeout or 0)
