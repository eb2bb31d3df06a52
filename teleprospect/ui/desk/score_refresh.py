"""Scores kept up to date while the desk is open.

A lead's engagement ages by the calendar day (UTC), so its score may change at midnight
without anything happening to it; a re-scoring stopped half-way (or rules published by a
workstation that went away) leaves leads on older rules. When the window opens, and at
every midnight (UTC) while it stays open, those leads are re-scored in the background
(:func:`teleprospect.services.scoring.rescore.refresh_scores`), with progress in the status
bar, and the views read again when a score moved. Every screen keeps showing one score:
the stored one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from teleprospect.ui.background import run_in_background
from teleprospect.ui.signals import emit

if TYPE_CHECKING:
    from teleprospect.services.scoring.rescore import RescoreSummary
    from teleprospect.store.database import Database

log = logging.getLogger(__name__)

#: After midnight (UTC), so that every workstation's clock has passed it.
_AFTER_MIDNIGHT = timedelta(seconds=30)


class ScoreRefresher(QObject):
    """Brings stored scores up to date now and after every midnight (UTC)."""

    #: Leads were re-scored: the summary (its ``changed`` and ``reordered`` say what moved).
    refreshed = Signal(object)
    #: A line for the status bar while it works ("" when done).
    message = Signal(str)

    def __init__(self, parent: QObject, now_provider: Callable[[], datetime | None]) -> None:
        super().__init__(parent)
        self.now = now_provider
        self.db: Database | None = None
        self.running = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.refresh)

    def start(self, db: Database) -> None:
        self.db = db
        self.refresh()

    def refresh(self) -> None:
        db = self.db
        if db is None or self.running:
            return
        self.running = True
        now = self.now()  # None: the database's clock

        def work(report: Callable[[int, int], None]) -> RescoreSummary:
            from teleprospect.services.scoring.rescore import refresh_scores

            return refresh_scores(db, now=now, progress=report)

        run_in_background(
            work,
            self._done,
            self._failed,
            progress=self._progress,
            owner=self,
        )

    def _progress(self, done: int, total: int) -> None:
        if total:
            emit(self.message, f"Bringing scores up to date… {done:,} of {total:,} leads")

    def _done(self, summary: RescoreSummary) -> None:
        self.running = False
        self._schedule()
        if summary.leads:
            emit(self.message, "")
        if summary.changed or summary.reordered:
            emit(self.refreshed, summary)

    def _failed(self, error: BaseException) -> None:
        # Scores stay as stored (consistent, a day old at most); the next midnight tries again.
        self.running = False
        log.warning("bringing scores up to date failed: %s", error)
        emit(self.message, "")
        self._schedule()

    def _schedule(self) -> None:
        from teleprospect.core.scoring.engine import start_of_day

        # None: the database's clock decides (it is this computer's give or take a little).
        now = self.now() or datetime.now(UTC)
        next_day = start_of_day(now) + timedelta(days=1) + _AFTER_MIDNIGHT
        self.timer.start(max(1_000, int((next_day - now).total_seconds() * 1000)))
