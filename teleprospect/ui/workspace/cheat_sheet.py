"""The keyboard cheat-sheet (F1 or ?): every action with its shortcut, read from the
actions themselves so it can never disagree with them."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget


def shortcut_text(action: QAction) -> str:
    return ", ".join(
        sequence.toString(QKeySequence.SequenceFormat.NativeText) for sequence in action.shortcuts()
    )


class CheatSheet(QDialog):
    def __init__(
        self, sections: Iterable[tuple[str, Iterable[QAction]]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("cheatSheet")
        self.setWindowTitle("Keyboard shortcuts")
        layout = QVBoxLayout(self)
        self.rows: list[tuple[str, str]] = []
        html = ["<table cellspacing='0' cellpadding='3'>"]
        for title, actions in sections:
            html.append(f"<tr><td colspan='2'><br><b>{escape(title)}</b></td></tr>")
            for action in actions:
                keys = shortcut_text(action)
                if not keys:
                    continue
                label = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
                self.rows.append((label, keys))
                html.append(
                    f"<tr><td style='padding-right:24px'><tt><b>{escape(keys)}</b></tt></td>"
                    f"<td>{escape(label)}</td></tr>"
                )
        html.append("</table>")
        text = QLabel("".join(html), self)
        layout.addWidget(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
