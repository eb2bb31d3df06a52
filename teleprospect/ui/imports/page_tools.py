"""What the import wizard's pages share: counts, notes, table rows, and error sentences."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView

from teleprospect.ui.errors import error_text

AnyIndex = QModelIndex | QPersistentModelIndex

# How each kind of note reads. The warning is a tinted box, not a coloured font, so it
# stays readable on light and dark palettes.
NOTE_STYLES = {
    "error": "color: #b00020; font-weight: 600;",
    "warning": (
        "background: rgba(255, 193, 7, 0.18); border: 1px solid rgba(255, 160, 0, 0.6);"
        "border-radius: 4px; padding: 6px;"
    ),
    "hint": "color: palette(placeholder-text);",
}


def count(number: int) -> str:
    return QLocale().toString(number)


def style_note(label: QLabel, kind: str = "") -> None:
    """A wrapped, selectable note on a page: plain, or a hint, warning or error."""
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if kind:
        label.setStyleSheet(NOTE_STYLES[kind])


def set_note(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def fit_rows(view: QTableView, extra: int = 8) -> None:
    """Rows high enough for the text (or the editor) they hold, all the same height;
    cells with some air so a value does not touch the next column's grid line."""
    view.setStyleSheet("QTableView::item { padding: 0 4px; }")
    rows = view.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(view.fontMetrics().height() + extra)


def problem_text(error: BaseException) -> str:
    """One sentence for a page. A file the wizard was reading gets its own words; the
    rest speaks the product's error vocabulary (unexpected errors are logged in full)."""
    if isinstance(error, FileNotFoundError):
        return f"{Path(error.filename or '').name or 'The file'} no longer exists."
    if isinstance(error, OSError):
        return f"The file could not be read: {error.strerror or error}."
    return error_text(error)
