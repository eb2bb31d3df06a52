"""Regression: PySide6 6.12.0's SignalInstance.emit() drops a reference to True on every call,
and on CPython 3.11 the test run (or the app, after enough emits) then aborts with
"Fatal Python error: bool_dealloc: deallocating True or False" (see teleprospect/ui/signals.py).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from teleprospect.ui.signals import emit

UI_PACKAGE = Path(__file__).resolve().parents[2] / "teleprospect" / "ui"


class Sender(QObject):
    changed = Signal(bool)
    counted = Signal(int)


def test_emitting_through_the_helper_keeps_true_alive() -> None:
    sender = Sender()
    received = [0]

    def count(value: bool) -> None:
        received[0] += 1

    sender.changed.connect(count)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(2000):
        emit(sender.changed, True)
        emit(sender.counted, 3)
    assert (sys.getrefcount(True), sys.getrefcount(False)) == before
    assert received == [2000]


def test_ui_code_emits_only_through_the_helper() -> None:
    direct = []
    for path in sorted(UI_PACKAGE.rglob("*.py")):
        if path.name == "signals.py" or path.name.startswith("ui_"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "emit"
            ):
                direct.append(f"{path.name}:{node.lineno}")
    assert direct == [], "use teleprospect.ui.signals.emit(signal, ...)"
