"""Long writes a killed process left behind: removed, or finished.

A long write (:mod:`teleprospect.store.staging`) cannot clean up after itself when its
process is killed. The next start looks for such writes and

* remove the rows of one that was still staging (nobody ever saw them), or
* finish one that had published its rows and was applying its changes to leads that
  existed before (an import's "update", the re-scoring after new activity, a
  reassignment): what it kept aside is applied, as it would have been.

Both run in short transactions, so nobody waits for them. (The next import or demo load
removes what is left of writes still staging, too: ``discard_abandoned_writes``.)
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from teleprospect.services.imports.activity import RESCORE, apply_rescores
from teleprospect.services.imports.lead_writer import FILL_IN, apply_fill_ins
from teleprospect.services.imports.undo import (
    REMOVE_IMPORTED,
    REMOVE_IMPORTED_EVENTS,
    RESTORE_VALUES,
    apply_undo,
)
from teleprospect.services.team.reassign import MOVE, apply_moves
from teleprospect.services.team.reassign_undo import MOVE_BACK, apply_moves_back
from teleprospect.store.database import Database
from teleprospect.store.staging import (
    ApplyChanges,
    LongWrite,
    abandoned_writes,
    discard_write,
    log_removed,
)
from teleprospect.store.visibility import STAGING

__all__ = ["apply_changes", "finish_abandoned_writes"]

log = logging.getLogger(__name__)


def apply_changes(session: Session, changes: list[tuple[int, dict[str, Any]]]) -> None:
    """Apply changes a long write kept aside, in order, whatever their kind (each run of
    one kind at once)."""
    start = 0
    while start < len(changes):
        kind = changes[start][1].get("do")
        stop = start
        while stop < len(changes) and changes[stop][1].get("do") == kind:
            stop += 1
        applier = _APPLIERS.get(str(kind))
        if applier is None:
            log.warning("Skipped %s kept-aside changes of an unknown kind %r", stop - start, kind)
        else:
            applier(session, changes[start:stop])
        start = stop


#: Who applies each kind of change kept aside (the ``do`` of the change).
_APPLIERS: dict[str, ApplyChanges] = {
    FILL_IN: apply_fill_ins,
    RESCORE: apply_rescores,
    MOVE: apply_moves,
    MOVE_BACK: apply_moves_back,
    REMOVE_IMPORTED: apply_undo,
    RESTORE_VALUES: apply_undo,
    REMOVE_IMPORTED_EVENTS: apply_undo,
}


def finish_abandoned_writes(db: Database) -> int:
    """Remove or finish the long writes whose process is gone (see the module docstring);
    how many. Never raises for one of them: what fails is logged and tried next time."""
    done = 0
    for write in abandoned_writes(db):
        try:
            if write.state == STAGING:
                log_removed(write, discard_write(db, write.id))
            else:
                with LongWrite.resumed(db, write) as resumed:
                    applied = resumed.apply_changes(apply_changes)
                    resumed.finish()
                log.warning(
                    "Finished the %s %s by %s: its process ended while applying its changes "
                    "to existing leads (%s applied now).",
                    write.kind,
                    write.about,
                    write.login or "?",
                    f"{applied:,}",
                )
            done += 1
        except Exception:
            log.exception("Could not tidy up after the %s %s", write.kind, write.about)
    return done
