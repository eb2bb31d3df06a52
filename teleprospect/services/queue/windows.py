"""Which calling windows are open: the distinct zone sets stored on leads, and those of
them inside the calling hours now (:func:`~teleprospect.core.queue_policy.open_zone_groups`
decides). The queue filters leads by these (:mod:`teleprospect.services.queue.page`).
"""

from __future__ import annotations

import threading
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.engine import Connection

from teleprospect.core.queue_policy import CallingHours, open_zone_groups

__all__ = ["open_zone_sets", "stored_zone_sets"]

_DISTINCT_ZONES = text(
    # A skip scan: each step seeks the next larger value in ix_lead_call_zones, so reading
    # the few hundred distinct zone sets costs that many seeks, not a pass over every lead.
    "WITH RECURSIVE z(v) AS ("
    " SELECT MIN(call_zones) FROM lead"
    " UNION ALL"
    " SELECT (SELECT MIN(call_zones) FROM lead WHERE call_zones > z.v) FROM z"
    " WHERE z.v IS NOT NULL"
    ") SELECT v FROM z WHERE v IS NOT NULL"
)

_open_cache: dict[tuple[frozenset[str], datetime, CallingHours], list[str]] = {}
_open_lock = threading.Lock()


def stored_zone_sets(conn: Connection) -> frozenset[str]:
    """The distinct zone sets stored on leads."""
    return frozenset(v for (v,) in conn.execute(_DISTINCT_ZONES) if v)


def open_zone_sets(zone_sets: frozenset[str], now: datetime, hours: CallingHours) -> list[str]:
    """The stored zone sets inside ``hours`` at ``now``, sorted (stable SQL parameters)."""
    # Windows open and close on whole minutes (hours are HH:MM): one answer per minute.
    minute = now.replace(second=0, microsecond=0)
    key = (zone_sets, minute, hours)
    with _open_lock:
        cached = _open_cache.get(key)
    if cached is not None:
        return cached
    groups = open_zone_groups((tuple(z.split()) for z in zone_sets), now, hours)
    result = sorted(" ".join(group) for group in groups)
    with _open_lock:
        if len(_open_cache) > 64:
            _open_cache.clear()
        _open_cache[key] = result
    return result
