"""Working through a server outage, on the main window: the watch that notices the database
server went away, keeps the status bar saying so ("Offline — 3 waiting"), looks every few
seconds whether it is back, and then sends the calls kept on this computer.

Any screen whose query failed hands the error to :meth:`OfflineWatch.handle`: when it says
the server cannot be reached, the workstation works offline from then on (no error box;
the queue shows the rows it read last, Next lead moves among the leads it holds, calls go
to the journal). The look for the server and the replay run on workers, never on the GUI
thread; the replay sends each call exactly once however often it runs
(:mod:`teleprospect.services.offline.replay`).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QToolButton

from teleprospect.ui.background import run_in_background
from teleprospect.ui.desk.queue_model import local_zone
from teleprospect.ui.signals import emit

if TYPE_CHECKING:
    from teleprospect.services.offline.actions import KeptCall
    from teleprospect.services.offline.journal import Journal
    from teleprospect.services.offline.replay import ReplayReport
    from teleprospect.store.database import Database
    from teleprospect.ui.main_window import MainWindow

log = logging.getLogger(__name__)

#: How often a workstation without its server looks whether it is back: one connection
#: attempt each time, on a worker.
CHECK_INTERVAL_MS = 15_000


class OfflineWatch(QObject):
    """Whether this workstation has its server, and what waits to be sent."""

    #: The server cannot be reached: screens switch to what they have.
    went_offline = Signal()
    #: The server is back and the journal was sent (the argument: the ReplayReport).
    came_back = Signal(object)
    #: The numbers on show changed (waiting, to review).
    counts_changed = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.db: Database | None = None
        self.user_id: int | None = None
        #: None on a SQLite file: it is on this computer and never away.
        self.journal: Journal | None = None
        self.offline = False
        self.offline_since: datetime | None = None
        self.waiting = 0
        self.review = 0
        self.team = False
        self._checking = False
        self._replaying = False
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self.button = QToolButton()
        self.button.setObjectName("offlineStatus")
        self.button.setAutoRaise(True)
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.button.clicked.connect(self.open_list)
        self.button.hide()

    # -- context -----------------------------------------------------------------------

    def set_context(self, db: Database, user_id: int | None, *, team: bool = False) -> None:
        """Watch ``db`` for ``user_id`` (``team``: a team lead, who sees the team's review
        list); sends at once what an earlier session or the command line left waiting."""
        from teleprospect.services.offline.connection import can_work_offline
        from teleprospect.services.offline.journal import journal_of

        self.db, self.user_id, self.team = db, user_id, team
        self.journal = journal_of(db) if can_work_offline(db) else None
        self.refresh_counts(send=True)

    # -- noticing the outage -----------------------------------------------------------

    def handle(self, error: BaseException) -> bool:
        """True when ``error`` says the server cannot be reached: from now on this
        workstation works offline (the caller shows no error of its own)."""
        from teleprospect.services.offline.connection import is_unreachable

        if self.journal is None or not is_unreachable(error):
            return False
        self.go_offline()
        return True

    def go_offline(self) -> None:
        if self.offline:
            return
        self.offline = True
        self.offline_since = datetime.now(UTC)
        self.timer.start()
        self.show()
        self.window.statusBar().showMessage(
            "The database server cannot be reached: work on the leads you hold goes on, and "
            "the calls you save are kept on this computer until it is back.",
            15_000,
        )
        emit(self.went_offline)

    def kept(self, kept: KeptCall) -> None:
        """A call was kept on this computer (the server was away, or earlier ones wait)."""
        self.waiting = kept.waiting
        self.show()
        if not self.offline:
            # Kept because earlier calls wait: send them all, in order, now.
            self.send()

    # -- coming back -------------------------------------------------------------------

    def check(self) -> None:
        """Look whether the server is back (the timer's slot; also "Send now"); with the
        server there, try again what it refused for a passing reason."""
        db = self.db
        if db is not None and not self.offline and self.waiting:
            self.send()
            return
        if db is None or not self.offline or self._checking:
            return

        def look() -> bool:
            from teleprospect.services.offline.connection import server_is_back

            return server_is_back(db)

        def looked(back: bool) -> None:
            self._checking = False
            if back:
                self.offline = False
                self.timer.stop()
                self.send()

        def failed(error: BaseException) -> None:
            # Not an outage (a refused login, a database gone): logged, looked at again.
            self._checking = False
            log.warning("looking for the database server failed", exc_info=error)

        self._checking = True
        run_in_background(look, looked, failed, owner=self)

    def send(self) -> None:
        """Send what waits in the journal, in order, each call once."""
        db, journal = self.db, self.journal
        if db is None or journal is None or self._replaying:
            return

        def replay() -> ReplayReport:
            from teleprospect.services.offline.replay import replay_journal

            return replay_journal(db, journal)

        def sent(report: ReplayReport) -> None:
            self._replaying = False
            if report.unreachable:
                self.go_offline()
            elif report.waiting:
                self.timer.start()  # refused for a passing reason: tried again soon
            else:
                self.timer.stop()
            if report.sent:
                self.window.statusBar().showMessage(report.describe(), 15_000)
            self.refresh_counts()
            if not self.offline:
                emit(self.came_back, report)

        def failed(error: BaseException) -> None:
            self._replaying = False
            if not self.handle(error):
                self.window.show_error("The calls kept on this computer could not be sent", error)
            self.refresh_counts()

        self._replaying = True
        self.show()
        run_in_background(replay, sent, failed, owner=self)

    def refresh_counts(self, *, send: bool = False) -> None:
        """Read again how many calls wait here and how many wait for review on the server;
        with ``send``, send what waits when the server is there."""
        db, journal, user_id, team = self.db, self.journal, self.user_id, self.team
        if db is None or journal is None:
            self.show()
            return
        offline = self.offline

        def count() -> tuple[int, int | None]:
            from teleprospect.services.offline.review import review_count

            waiting = journal.count()
            if offline or user_id is None:
                return waiting, None
            return waiting, review_count(db, user_id, team=team)

        def counted(found: tuple[int, int | None]) -> None:
            self.waiting = found[0]
            if found[1] is not None:
                self.review = found[1]
            self.show()
            emit(self.counts_changed)
            if send and self.waiting and not self.offline:
                self.send()

        def failed(error: BaseException) -> None:
            if not self.handle(error):
                log.warning("counting the calls kept on this computer failed", exc_info=error)

        run_in_background(count, counted, failed, owner=self)

    # -- the status bar ----------------------------------------------------------------

    def text(self) -> str:
        """What the status bar says ("" when there is nothing to say)."""
        if self.offline:
            waiting = f"{self.waiting} waiting" if self.waiting else "nothing waiting"
            return f"Offline — {waiting}"
        parts = []
        if self._replaying and self.waiting:
            parts.append(f"Sending {self.waiting} waiting…")
        elif self.waiting:
            parts.append(f"{self.waiting} waiting to be sent")
        if self.review:
            parts.append(f"{self.review} to review")
        return " · ".join(parts)

    def show(self) -> None:
        text = self.text()
        self.button.setText(text)
        self.button.setVisible(bool(text))
        self.button.setProperty("offline", self.offline)
        # The property changes the button's look (style.qss): polish it again.
        self.button.style().unpolish(self.button)
        self.button.style().polish(self.button)
        if self.offline and self.offline_since is not None:
            since = self.offline_since.astimezone(local_zone()).strftime("%H:%M")
            tip = (
                f"The database server cannot be reached since {since}. Calls you save are kept"
                " on this computer and sent by themselves when it is back (looked for every"
                f" {CHECK_INTERVAL_MS // 1000} s). Click to see them."
            )
        else:
            tip = "Calls kept on this computer, and calls held for review: click to see them."
        self.button.setToolTip(tip)

    def open_list(self) -> None:
        """The calls kept on this computer and those held for review."""
        from teleprospect.ui.offline.review_dialog import ReviewDialog

        if self.db is None:
            return
        dialog = ReviewDialog(self, self.window)
        dialog.finished.connect(lambda _result: self.refresh_counts())
        self.dialog = dialog
        dialog.show()
