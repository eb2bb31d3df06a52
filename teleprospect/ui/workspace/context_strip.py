"""The line over the call: why this lead came up now (the queue's reason, the words its
queue row shows) or, with no lead open, a Next lead button with its key.

After a save or a release the Call tab shows no trace of the lead before it: the strip
says so and offers the next lead, instead of the previous lead's greyed outcome.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from teleprospect.ui.rich_text import plain_html
from teleprospect.ui.workspace.cheat_sheet import shortcut_text


class ContextStrip(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contextStrip")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 4)
        self.label = QLabel(self)
        self.label.setObjectName("whyNow")
        self.label.setWordWrap(True)
        self.next_button = QPushButton("Next lead", self)
        self.next_button.setObjectName("idleNextLeadButton")
        self.next_button.setEnabled(False)
        row.addWidget(self.label, 1)
        row.addWidget(self.next_button)
        #: Why the lead on show came up now (None: no lead, or no reason known).
        self.reason: str | None = None
        #: The reason of a lead the queue does not list any more (the claim's own reason).
        self.fallback: Callable[[int], str | None] = lambda _lead_id: None
        self.show_idle()

    def use_next_action(self, action: QAction) -> None:
        """The window's Next lead action: the button triggers it and follows its state."""
        keys = shortcut_text(action)
        self.next_button.setText(f"Next lead ({keys})" if keys else "Next lead")
        self.next_button.setToolTip(action.toolTip())
        self.next_button.setEnabled(action.isEnabled())
        self.next_button.clicked.connect(action.trigger)
        action.changed.connect(lambda: self.next_button.setEnabled(action.isEnabled()))

    def show_idle(self) -> None:
        """No lead open: say so, and offer the next one."""
        self.reason = None
        self.label.setText("No lead open: take the next lead of your queue.")
        self.next_button.show()

    def show_opening(self) -> None:
        self.reason = None
        self.label.setText("")
        self.next_button.hide()

    def show_reason(self, reason: str | None, lead_id: int | None) -> None:
        """Why the lead on show came up now (the queue row's reason, else its claim's)."""
        if reason is None and lead_id is not None:
            reason = self.fallback(lead_id)
        self.reason = reason
        self.next_button.hide()
        self.label.setText(
            f"Why now: <b>{plain_html(reason)}</b>" if reason else "Opened outside your queue."
        )
