"""Claimers run in separate OS processes by the claim tests (spawned: importable by name)."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from teleprospect.services.queue.claims import claim_next
from teleprospect.store.database import Database


def claim_until_empty(url: str, user_id: int, now: datetime) -> list[int]:
    db = Database(url)
    claimed = []
    try:
        while (lead := claim_next(db, user_id, now=now)) is not None:
            claimed.append(lead.lead_id)
    finally:
        db.dispose()
    return claimed


def claim_then_die(url: str, user_id: int, now: datetime, count: int, lease_s: float) -> None:
    """Claim ``count`` leads, then end abruptly like a crashed workstation (no release)."""
    db = Database(url)
    for _ in range(count):
        claim_next(db, user_id, now=now, lease=timedelta(seconds=lease_s))
    os._exit(0)
