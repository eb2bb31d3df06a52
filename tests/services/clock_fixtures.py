"""Workstations whose clocks are wrong, in this process: :class:`WorkstationClock`.

``clock = WorkstationClock.install(monkeypatch)``, then ``clock.set(timedelta(minutes=10))``
makes this computer's clock read ten minutes fast until the next ``set`` (``set(0)`` for a
correct one): one test plays several workstations in turn. Every way the package reads
this computer's time is shifted: ``utcnow`` of :mod:`teleprospect.store.types` wherever a
module imported it, and ``datetime.now`` in the package's modules. The database server's
clock is left alone: it runs in another process.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

import pytest

from teleprospect.store import types

_REAL_DATETIME = datetime
_REAL_UTCNOW = types.utcnow


class _SameClass(type):
    # Code that checks isinstance(value, datetime) against the patched name still accepts
    # the real datetimes SQLAlchemy and psycopg hand back.
    def __instancecheck__(cls, instance: object) -> bool:
        return isinstance(instance, _REAL_DATETIME)

    def __subclasscheck__(cls, subclass: type) -> bool:
        return issubclass(subclass, _REAL_DATETIME)


class WorkstationClock:
    def __init__(self) -> None:
        self.offset = timedelta(0)

    def set(self, offset: timedelta | int) -> None:
        """This computer's clock reads ``offset`` off from now on (an int: minutes)."""
        self.offset = offset if isinstance(offset, timedelta) else timedelta(minutes=offset)

    def utcnow(self) -> datetime:
        # Not through types.utcnow: its module's datetime.now is shifted too.
        return _REAL_DATETIME.now(UTC) + self.offset

    @classmethod
    def install(cls, monkeypatch: pytest.MonkeyPatch) -> WorkstationClock:
        clock = cls()

        class SkewedDatetime(_REAL_DATETIME, metaclass=_SameClass):
            @classmethod
            def now(cls, tz: tzinfo | None = None) -> Any:
                return _REAL_DATETIME.now(tz) + clock.offset

        for name, module in list(sys.modules.items()):
            if module is None or not (name == "teleprospect" or name.startswith("teleprospect.")):
                continue
            if getattr(module, "utcnow", None) is _REAL_UTCNOW:
                monkeypatch.setattr(module, "utcnow", clock.utcnow)
            if getattr(module, "datetime", None) is _REAL_DATETIME:
                monkeypatch.setattr(module, "datetime", SkewedDatetime)
        return clock
