"""Emitting Qt signals from Python: always through :func:`emit`, never ``signal.emit()``.

PySide6 6.12.0 returns the bool result of ``SignalInstance.emit()`` without a reference
of its own. On CPython 3.11, where ``True`` is an ordinary object, every emit drops one
reference to ``True``, and after enough emits the interpreter aborts with "Fatal Python
error: bool_dealloc: deallocating True or False". (CPython 3.12 made ``True`` immortal,
which hides the error.) :func:`emit` checks once whether the running PySide6 has the
fault and, only then, gives the reference back. tests/ui/test_signals.py pins it and
fails if code in teleprospect/ui calls ``.emit(`` directly.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal


class _Probe(QObject):
    ping = Signal()


def _emit_drops_a_reference() -> bool:
    if sys.version_info >= (3, 12):
        return False  # immortal bools: a lost reference can do no harm
    probe = _Probe()
    before = sys.getrefcount(True)
    probe.ping.emit()
    dropped = before - sys.getrefcount(True)
    if dropped > 0:
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))  # the probe's own lost reference
    return dropped > 0


_GIVE_BACK_REFERENCE = _emit_drops_a_reference()


def emit(signal: Any, *args: object) -> None:
    """``signal.emit(*args)``, safe on every PySide6 release we support."""
    result = signal.emit(*args)
    if _GIVE_BACK_REFERENCE and (result is True or result is False):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))
