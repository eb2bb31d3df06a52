"""Keeping the call on show as a draft on this computer, so that no keystroke is lost to a
crash: a short while after each change, on a worker; at once when the lead is left."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from teleprospect.ui.background import run_in_background
from teleprospect.ui.errors import error_text

if TYPE_CHECKING:
    from teleprospect.services.calls.drafts import CallDraft, DraftStore

log = logging.getLogger(__name__)

#: How long after the last change the draft is written.
DRAFT_DELAY_MS = 1500


class DraftWriter(QObject):
    def __init__(
        self,
        parent: QObject,
        current_draft: Callable[[], CallDraft | None],
        store: Callable[[], DraftStore | None],
        say: Callable[[str], None],
    ) -> None:
        super().__init__(parent)
        self._current_draft = current_draft
        self._store = store
        self._say = say
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DRAFT_DELAY_MS)
        self.timer.timeout.connect(self.write)

    def schedule(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def write(self) -> None:
        """Write the draft now, on a worker (a few hundred bytes, atomically)."""
        store, draft = self._store(), self._current_draft()
        if store is None or draft is None:
            return
        if draft.is_empty():
            lead_id = draft.lead_id
            run_in_background(lambda: store.discard(lead_id), lambda _r: None, owner=self)
            return
        draft = replace(draft, saved_at=datetime.now(UTC).isoformat(timespec="seconds"))

        def saved(_path: object) -> None:
            self._say(f"Draft kept on this computer at {datetime.now():%H:%M:%S}")

        run_in_background(
            lambda: store.save(draft),
            saved,
            lambda error: self._say(error_text(error, "The draft could not be kept")),
            owner=self,
        )

    def flush(self) -> None:
        """Write a pending draft at once, on this thread (closing, switching leads)."""
        if not self.timer.isActive():
            return
        self.timer.stop()
        store, draft = self._store(), self._current_draft()
        if store is None or draft is None or draft.is_empty():
            return
        try:
            store.save(draft)
        except OSError:
            log.exception("the call draft could not be written")
