"""The leads as the server last showed them, kept for the session: what lets a rep open a
lead they hold while the server is away, and what a call kept on this computer is based on.

A sheet is kept when a lead opens, and read ahead (on a worker) for every other lead the
rep holds, so Next lead can move among them without the server. Its lead's state (version,
status, owner) and the time it was read go with each call kept here: the replay compares
them with the lead when the server is back (:mod:`teleprospect.services.offline.replay`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from teleprospect.core.offline import LeadState
from teleprospect.ui.background import run_in_background
from teleprospect.ui.desk.queue_model import local_zone

if TYPE_CHECKING:
    from teleprospect.services.calls.call_sheet import CallSheet
    from teleprospect.store.database import Database
    from teleprospect.ui.offline.offline_watch import OfflineWatch

log = logging.getLogger(__name__)


class LeadCopies(QObject):
    """The call sheets read this session, by lead, and each lead's state when read."""

    def __init__(self, parent: QObject, now: Callable[[], datetime | None]) -> None:
        super().__init__(parent)
        self.now = now
        self.sheets: dict[int, CallSheet] = {}
        self._bases: dict[int, tuple[LeadState, datetime]] = {}
        self._reading: set[int] = set()

    def keep(self, sheet: CallSheet, read_at: datetime | None) -> None:
        """Keep ``sheet``; ``read_at``: when it came from the server (None: it is the copy
        shown while the server is away, and the base stays as it was)."""
        self.sheets[sheet.detail.id] = sheet
        if read_at is not None:
            detail = sheet.detail
            state = LeadState(detail.version, detail.status, detail.owner_id, detail.do_not_call)
            self._bases[detail.id] = (state, read_at)

    def sheet(self, lead_id: int) -> CallSheet | None:
        return self.sheets.get(lead_id)

    def can_open(self, lead_id: int) -> bool:
        return lead_id in self.sheets

    def base(self, lead_id: int) -> tuple[LeadState | None, datetime | None]:
        """The lead as the server last showed it, and when (None, None: never read)."""
        found = self._bases.get(lead_id)
        return found if found is not None else (None, None)

    def forget(self, lead_id: int) -> None:
        """The lead changed on the server (a call was logged): its copy is out of date."""
        self.sheets.pop(lead_id, None)
        self._bases.pop(lead_id, None)

    def read_ahead(
        self, db: Database, lead_id: int, user_id: int | None, watch: OfflineWatch | None
    ) -> None:
        """Read the lead's call sheet on a worker, unless it is kept or on its way."""
        if lead_id in self.sheets or lead_id in self._reading:
            return
        self._reading.add(lead_id)
        now, zone = self.now(), local_zone()

        def read() -> CallSheet:
            from teleprospect.services.calls.call_sheet import open_call_sheet

            return open_call_sheet(db, lead_id, user_id, now=now, display_zone=zone)

        def done(sheet: CallSheet) -> None:
            self._reading.discard(lead_id)
            if lead_id not in self.sheets:
                # When the rep last saw the lead: this computer's time is close enough to
                # tell the changes made after it (the replay allows for a clock off a bit).
                self.keep(sheet, now or datetime.now(UTC))

        def failed(error: BaseException) -> None:
            self._reading.discard(lead_id)
            if watch is None or not watch.handle(error):
                log.warning("reading a held lead ahead failed", exc_info=error)

        run_in_background(read, done, failed, owner=self)
