"""The keyboard cheat-sheet (F1 or ?): every key the window has, read from its actions,
shortcuts and buttons themselves, so it can never disagree with them.

Sections follow the menus (an action in a menu is listed under the menu's name); actions,
shortcuts and buttons outside the menus come after, under the name of the tab or panel
they work in; the script's keys, which are keys of its editors and no shortcut, close it.
The sections flow into columns so the sheet fits a 768-pixel-high laptop screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QVBoxLayout,
    QWidget,
)

#: The keys of the qualification script's questions (see ui.workspace.script_runner).
SCRIPT_KEYS: tuple[tuple[str, str], ...] = (
    ("Enter, Page Down", "Next question"),
    ("Shift+Enter, Page Up", "Previous question"),
    ("1 … 9", "Pick the n-th answer of a choice question"),
    ("Tab", "Next question (one at a time), then the notes"),
    ("Alt+Down, F4", "Open a list of answers"),
)

#: The most rows a column holds before the next column starts (about 20 px a row at the
#: default font: the sheet stays under 740 px high).
ROWS_PER_COLUMN = 26

Row = tuple[str, str]


def shortcut_text(action: QAction) -> str:
    return keys_text(action.shortcuts())


def keys_text(sequences: Iterable[QKeySequence]) -> str:
    return ", ".join(
        sequence.toString(QKeySequence.SequenceFormat.NativeText)
        for sequence in sequences
        if not sequence.isEmpty()
    )


def _label(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(".…").strip()


def _mnemonic(text: str) -> QKeySequence:
    return QKeySequence.mnemonic(text)


QObjectLike = QWidget | QAction | QShortcut


def _place(widget: QObjectLike) -> str:
    """The tab or window a widget works in, in the users' words (its tab's or window's
    title)."""
    from PySide6.QtWidgets import QTabWidget

    node = widget.parent() if not isinstance(widget, QWidget) else widget
    while node is not None:
        if isinstance(node, QWidget) and node.isWindow() and node.parent() is not None:
            return _label(node.windowTitle()) or "Everywhere"
        parent = node.parent()
        if isinstance(parent, QWidget) and isinstance(parent.parent(), QTabWidget):
            tabs = parent.parent()
            assert isinstance(tabs, QTabWidget)
            index = tabs.indexOf(node) if isinstance(node, QWidget) else -1
            if index >= 0:
                return _label(tabs.tabText(index))
        node = parent
    return "Everywhere"


def window_shortcuts(window: QMainWindow) -> list[tuple[str, list[Row]]]:
    """Every key of ``window`` by section: menus first, then what lives outside them."""
    sections: dict[str, list[Row]] = {}
    seen: set[int] = set()

    def add(section: str, label: str, keys: str) -> None:
        if keys and (label, keys) not in sections.setdefault(section, []):
            sections[section].append((label, keys))

    def walk(menu: QMenu) -> Iterator[QAction]:
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                yield from walk(sub)
            elif not action.isSeparator():
                yield action

    menu_bar = window.menuBar()
    for top in menu_bar.actions():
        menu = top.menu()
        if not isinstance(menu, QMenu):
            continue
        title = _label(top.text())
        for action in walk(menu):
            seen.add(id(action))
            add(title, _label(action.text()), shortcut_text(action))
    for action in window.findChildren(QAction):
        if id(action) in seen or action.menu() is not None:
            continue
        seen.add(id(action))
        add(_place(action), _label(action.text()), shortcut_text(action))
    for shortcut in window.findChildren(QShortcut):
        name = shortcut.whatsThis() or shortcut.objectName()
        add(_place(shortcut), name, keys_text(shortcut.keys()))
    for button in window.findChildren(QAbstractButton):
        if button.shortcut().isEmpty() or button.shortcut() == _mnemonic(button.text()):
            continue  # an underlined letter, shown on the button itself
        label = button.toolTip().split(" (")[0] or _label(button.text())
        add(_place(button), label, keys_text([button.shortcut()]))
    found = [(title, rows) for title, rows in sections.items() if rows]
    found.append(("Script", list(SCRIPT_KEYS_ROWS)))
    return found


SCRIPT_KEYS_ROWS: tuple[Row, ...] = tuple((label, keys) for keys, label in SCRIPT_KEYS)


def _columns(sections: list[tuple[str, list[Row]]]) -> list[list[tuple[str, list[Row]]]]:
    """The sections in columns of about equal height, none taller than ROWS_PER_COLUMN rows
    (a section is never cut in two unless it alone is taller)."""
    total = sum(len(rows) + 1 for _title, rows in sections)
    count = max(1, -(-total // ROWS_PER_COLUMN))
    height = -(-total // count)
    columns: list[list[tuple[str, list[Row]]]] = [[]]
    used = 0
    for title, rows in sections:
        size = len(rows) + 1
        if used and used + size > height + 3 and len(columns) < count + 1:
            columns.append([])
            used = 0
        columns[-1].append((title, rows))
        used += size
    return columns


class CheatSheet(QDialog):
    def __init__(
        self, sections: Iterable[tuple[str, Iterable[Row]]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("cheatSheet")
        self.setWindowTitle("Keyboard shortcuts")
        layout = QVBoxLayout(self)
        self.rows: list[Row] = []
        listed = [(title, list(rows)) for title, rows in sections]
        grid = QGridLayout()
        grid.setHorizontalSpacing(28)
        for number, column in enumerate(_columns(listed)):
            html = ["<table cellspacing='0' cellpadding='2'>"]
            for index, (title, rows) in enumerate(column):
                gap = "<br>" if index else ""
                html.append(f"<tr><td colspan='2'>{gap}<b>{escape(title)}</b></td></tr>")
                for label, keys in rows:
                    self.rows.append((label, keys))
                    html.append(
                        f"<tr><td style='padding-right:16px'><tt><b>{escape(keys)}</b></tt></td>"
                        f"<td>{escape(label)}</td></tr>"
                    )
            html.append("</table>")
            text = QLabel("".join(html), self)
            text.setAlignment(Qt.AlignmentFlag.AlignTop)
            grid.addWidget(text, 0, number)
        layout.addLayout(grid)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
