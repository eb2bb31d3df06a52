"""A reminder when one of my callbacks falls due: a note in the status bar with an Open
button, and a message from the system tray where there is one.

Never a dialog: a rep may be mid-call, typing notes; nothing takes the keyboard from
them. Each callback is reminded once (:func:`~teleprospect.core.callback_slots.
callbacks_to_remind` decides which), judged by the database's clock the list was read at.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSystemTrayIcon, QToolButton, QWidget

from teleprospect.core.callback_slots import both_zones_text, callbacks_to_remind
from teleprospect.core.text import printable
from teleprospect.ui.desk.queue_model import local_zone
from teleprospect.ui.signals import emit

if TYPE_CHECKING:
    from teleprospect.services.calls.callback_list import CallbackList, CallbackRow

#: How long the tray's message stays (the status bar's note stays until acted on).
TRAY_MESSAGE_MS = 15_000


class CallbackReminder(QWidget):
    """The status bar's note of a callback that fell due. Feed it each reading of the
    callbacks (:meth:`on_listed`); it tells the callbacks of mine not reminded yet."""

    #: Open this lead (its id), as the queue does.
    open_requested = Signal(int)

    def __init__(
        self, parent: QWidget | None = None, *, display_zone: tzinfo | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("callbackReminder")
        self._zone = display_zone or local_zone()
        self._user_id: int | None = None
        self.reminded: set[int] = set()
        #: The lead the Open button opens.
        self.lead_id: int | None = None
        self.tray: QSystemTrayIcon | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.label.setObjectName("callbackReminderText")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.open_button = QToolButton(self)
        self.open_button.setText("Open")
        self.open_button.setObjectName("callbackReminderOpen")
        self.open_button.setToolTip("Open the lead in the Call tab")
        self.dismiss_button = QToolButton(self)
        self.dismiss_button.setText("✕")
        self.dismiss_button.setToolTip("Dismiss (the callback stays in the Callbacks tab)")
        # A click, never the keyboard: the rep's typing stays where it is.
        for button in (self.open_button, self.dismiss_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoRaise(True)
        self.open_button.clicked.connect(self.open_lead)
        self.dismiss_button.clicked.connect(self.hide)
        layout.addWidget(self.label)
        layout.addWidget(self.open_button)
        layout.addWidget(self.dismiss_button)
        self.hide()

    def set_user(self, user_id: int | None) -> None:
        if user_id != self._user_id:
            self._user_id = user_id
            self.reminded.clear()
            self.hide()

    def on_listed(self, found: CallbackList) -> None:
        if self._user_id is None or found.user_id != self._user_id:
            return
        rows = {row.callback_id: row for row in found.rows}
        due = callbacks_to_remind(
            ((row.callback_id, row.due_at, row.owner_id) for row in found.rows),
            self._user_id,
            found.now,
            self.reminded,
        )
        if not due:
            return
        self.reminded.update(due)
        self.remind([rows[callback_id] for callback_id in due])

    def remind(self, rows: list[CallbackRow]) -> None:
        first = rows[0]
        who = printable(first.name or f"lead #{first.lead_id}")
        if first.company:
            who += f" ({printable(first.company)})"
        when = both_zones_text(first.due_at, self._zone, first.lead_zones)
        more = f" — and {len(rows) - 1} more" if len(rows) > 1 else ""
        text = f"Callback due: {who}, {when}{more}"
        self.lead_id = first.lead_id
        self.label.setText(text)
        self.setToolTip(first.note or "")
        self.show()
        self._tray_message("Callback due", text)

    def _tray_message(self, title: str, text: str) -> None:
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        if self.tray is None:
            window = self.window()
            icon = window.windowIcon() if window is not None else QIcon()
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.messageClicked.connect(self.open_lead)
            self.tray.show()
        self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, TRAY_MESSAGE_MS)

    def open_lead(self) -> None:
        if self.lead_id is not None:
            lead_id = self.lead_id
            self.hide()
            emit(self.open_requested, lead_id)
