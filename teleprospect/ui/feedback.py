"""What just happened, said in the status bar, with Undo for a few seconds where it can be
undone: a call saved ("Call with Rahul Nair logged (no answer): … — Undo (Ctrl+Z)"), a lead
released, leads reassigned. Each undo is one service call on a worker:
:func:`~teleprospect.services.calls.undo.undo_logged_call` (a call with no decision that
changed nothing but the lead's retry values), :func:`~teleprospect.services.queue.claims.
reclaim_lead` (a released lead nobody took), :func:`~teleprospect.services.team.
reassign_undo.undo_reassignment`. What cannot be undone from here (a decision, do not call,
a call kept offline) says so, and offers no Undo.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QPushButton

from teleprospect.ui.background import run_in_background

if TYPE_CHECKING:
    from teleprospect.services.calls.drafts import CallDraft
    from teleprospect.services.calls.log_call import LoggedCall
    from teleprospect.services.calls.undo import UndoneCall
    from teleprospect.services.offline.actions import KeptCall
    from teleprospect.services.queue.claims import ClaimedLead
    from teleprospect.ui.main_window import MainWindow

#: How long Undo is offered.
UNDO_SECONDS = 8
#: How long a message without undo stays.
MESSAGE_SECONDS = 10
UNDO_KEY = "Ctrl+Z"


class UndoNotice(QObject):
    """The status bar's message and its Undo button (and Ctrl+Z) while an undo is offered."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.bar = window.statusBar()
        self.button = QPushButton("&Undo", window)
        self.button.setObjectName("undoButton")
        self.button.setToolTip(f"Undo what was just done ({UNDO_KEY})")
        self.button.hide()
        self.bar.insertPermanentWidget(0, self.button)
        self.action = QAction("Undo the last save, release or reassignment", window)
        self.action.setShortcut(QKeySequence(UNDO_KEY))
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.setEnabled(False)
        window.addAction(self.action)
        self.action.triggered.connect(lambda _checked=False: self.trigger())
        self.button.clicked.connect(self.action.trigger)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.withdraw)
        self._undo: Callable[[], None] | None = None

    def say(self, text: str, undo: Callable[[], None] | None = None) -> None:
        """Show ``text``; with ``undo``, offer it for UNDO_SECONDS."""
        self._undo = undo
        if undo is None:
            self.withdraw()
            self.bar.showMessage(text, MESSAGE_SECONDS * 1000)
            return
        self.bar.showMessage(f"{text} — Undo ({UNDO_KEY})", UNDO_SECONDS * 1000)
        self.button.show()
        self.action.setEnabled(True)
        self.timer.start(UNDO_SECONDS * 1000)

    def withdraw(self) -> None:
        self._undo = None
        self.timer.stop()
        self.button.hide()
        self.action.setEnabled(False)

    @property
    def offered(self) -> bool:
        return self._undo is not None

    def trigger(self) -> None:
        undo = self._undo
        self.withdraw()
        if undo is not None:
            undo()


class Feedback(QObject):
    """The window's saves, releases and reassignments, said with their undo."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.notice = UndoNotice(window)

    def say(self, text: str) -> None:
        self.notice.say(text)

    # -- calls ---------------------------------------------------------------------------

    def call_saved(self, logged: LoggedCall | KeptCall, draft: CallDraft | None) -> None:
        undo = getattr(logged, "undo", None)
        text = logged.summary
        if undo is not None:
            self.notice.say(text, lambda: self.undo_call(undo, draft))
            return
        if not hasattr(logged, "undo"):
            pass  # kept on this computer: its summary says so, and it is sent later
        elif draft is not None and draft.decision.get("kind"):
            text += " A decision cannot be undone here; a team lead can change it."
        else:
            text += " This call cannot be undone here (it changed the lead's status or answers)."
        self.notice.say(text)

    def undo_call(self, undo: Any, draft: CallDraft | None) -> None:
        window = self.window
        db, user_id, desk = window.db, window.queue_user_id, window.desk
        if db is None or user_id is None or not desk.may_leave_lead_on_show():
            return
        held = desk.claimed.lead_id if desk.claimed is not None else None
        now = window.now_provider()

        def run() -> UndoneCall:
            from teleprospect.services.calls.undo import undo_logged_call

            return undo_logged_call(db, undo, user_id, release=held, now=now)

        def done(undone: UndoneCall) -> None:
            # The call is logged anew as a new call: the draft starts without the old one.
            again = replace(draft, call_id=None, call_started_at=None) if draft else None
            self.reopen(undone.claim, again)
            self.notice.say(undone.summary)

        run_in_background(run, done, self.failed, owner=self)

    # -- releases ------------------------------------------------------------------------

    def released(self, claimed: ClaimedLead, draft: CallDraft | None) -> None:
        self.notice.say(
            f"{claimed.name} is back in the queue.", lambda: self.claim_back(claimed, draft)
        )

    def claim_back(self, claimed: ClaimedLead, draft: CallDraft | None) -> None:
        window = self.window
        db, user_id, desk = window.db, window.queue_user_id, window.desk
        if db is None or user_id is None or not desk.may_leave_lead_on_show():
            return
        held = desk.claimed.lead_id if desk.claimed is not None else None
        now = window.now_provider()

        def run() -> ClaimedLead:
            from teleprospect.services.queue.claims import reclaim_lead

            return reclaim_lead(db, claimed.lead_id, user_id, release=held, now=now)

        def done(claim: ClaimedLead) -> None:
            # Why it came up stays what it was when it was claimed first.
            self.reopen(replace(claim, reason=claimed.reason), draft)
            self.notice.say(f"{claimed.name} is yours again.")

        run_in_background(run, done, self.failed, owner=self)

    def reopen(self, claim: ClaimedLead, draft: CallDraft | None) -> None:
        desk = self.window.desk
        desk.hold(claim)
        self.window.open_in_workspace(claim.lead_id, draft=draft)
        desk.model.reload()

    # -- reassignments -------------------------------------------------------------------

    def reassigned(self, result: Any) -> None:
        moved = len(result.moves)
        self.notice.say(
            f"{moved:,} lead{'s' if moved != 1 else ''} reassigned (batch {result.batch_id}).",
            lambda: self.undo_reassignment(result.batch_id),
        )

    def undo_reassignment(self, batch_id: int) -> None:
        window = self.window
        db, user_id = window.db, window.queue_user_id
        if db is None or user_id is None:
            return
        now = window.now_provider()

        def run() -> Any:
            from teleprospect.services.team.reassign_undo import undo_reassignment

            return undo_reassignment(db, batch_id, user_id, now=now)

        def done(result: Any) -> None:
            self.notice.say(result.describe())
            window.refresh()
            if window.team_view is not None:
                window.team_view.refresh()

        run_in_background(run, done, self.failed, owner=self)

    def failed(self, error: BaseException) -> None:
        if self.window.offline.handle(error):
            self.notice.say("The database server cannot be reached: nothing was undone.")
            return
        from teleprospect.ui.errors import error_text

        self.notice.say(error_text(error, "It could not be undone"))
