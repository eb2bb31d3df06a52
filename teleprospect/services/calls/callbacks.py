"""Callbacks a call closes: the promise kept, or replaced by the call's outcome."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from teleprospect.store.models import CallbackEntry


def close_callbacks(session: Session, lead_id: int, now: datetime, *, due_only: bool) -> int:
    """Close the lead's open callbacks (those due by ``now`` when ``due_only``); how many."""
    condition = [CallbackEntry.lead_id == lead_id, CallbackEntry.done_at.is_(None)]
    if due_only:
        condition.append(CallbackEntry.due_at <= now)
    result = session.execute(
        update(CallbackEntry)
        .where(*condition)
        .values(done_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
