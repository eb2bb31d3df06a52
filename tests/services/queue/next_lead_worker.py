"""Reps pressing Next lead in separate OS processes (spawned: importable by name)."""

from __future__ import annotations

from datetime import datetime

from teleprospect.services.queue.claims import next_lead
from teleprospect.store.database import Database


def keep_taking(url: str, user_id: int, now: datetime) -> list[int]:
    """Next lead until the queue is empty, never giving one back."""
    db = Database(url)
    taken = []
    try:
        while (lead := next_lead(db, user_id, now=now)) is not None:
            taken.append(lead.lead_id)
    finally:
        db.dispose()
    return taken


def skip_through(url: str, user_id: int, now: datetime, steps: int) -> int | None:
    """Next lead ``steps`` times, each giving the previous lead back; the lead held last."""
    db = Database(url)
    held: int | None = None
    try:
        for _ in range(steps):
            lead = next_lead(db, user_id, release=held, now=now)
            held = lead.lead_id if lead is not None else None
    finally:
        db.dispose()
    return held
