"""Run slow work (database queries, imports, exports) off the GUI thread.

    run_in_background(lambda: lead_page(db, after_id=last, limit=200),
                      on_done=model.add_rows, on_error=window.show_error)

The operation runs on a worker of a ``QThreadPool``; its result, its exception and its
progress reports travel back through the signals of a small ``QObject`` that lives on the
GUI thread, so every callback runs on the GUI thread and may touch widgets. The operation
itself must never touch a widget.

Tests call :func:`set_inline` (or use :func:`inline`) to run operations synchronously, in
call order, which makes item models and windows deterministic under pytest-qt.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

from teleprospect.ui.signals import emit

log = logging.getLogger(__name__)

#: Progress reports closer together than this are dropped (except the last one): a loop
#: reporting every row would otherwise flood the GUI thread's event queue.
PROGRESS_INTERVAL_S = 0.05

Report = Callable[[int, int], None]
OnDone = Callable[[Any], None]
OnError = Callable[[BaseException], None]

_inline = False
# Bridges of operations still running: Python must keep them alive until they deliver.
_running: set[_Bridge] = set()


def set_inline(enabled: bool) -> None:
    """Run operations synchronously on the calling thread (for tests)."""
    global _inline
    _inline = enabled


def is_inline() -> bool:
    return _inline


@contextmanager
def inline() -> Iterator[None]:
    previous = _inline
    set_inline(True)
    try:
        yield
    finally:
        set_inline(previous)


def thread_pool() -> QThreadPool:
    return QThreadPool.globalInstance()


def wait_for_background(timeout_ms: int = -1) -> bool:
    """Block until every running operation has finished (on quit, and in tests)."""
    return thread_pool().waitForDone(timeout_ms)


class _Bridge(QObject):
    """Carries one operation's outcome from its worker thread to the GUI thread."""

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)

    def __init__(
        self,
        on_done: OnDone,
        on_error: OnError | None,
        progress: Report | None,
        owner: QObject | None,
    ) -> None:
        # Parented to the owner: if the owner (a window, a model) is deleted first, the
        # bridge goes with it and late results are dropped instead of reaching a dead widget.
        super().__init__(owner)
        self._on_done = on_done
        self._on_error = on_error
        self._progress = progress
        # Slots of an object living on the GUI thread: Qt queues the cross-thread emits.
        self.succeeded.connect(self._deliver_result)
        self.failed.connect(self._deliver_error)
        self.progressed.connect(self._deliver_progress)

    @Slot(object)
    def _deliver_result(self, result: object) -> None:
        _running.discard(self)
        self._on_done(result)

    @Slot(object)
    def _deliver_error(self, error: object) -> None:
        _running.discard(self)
        assert isinstance(error, BaseException)
        _report_error(error, self._on_error)

    @Slot(int, int)
    def _deliver_progress(self, done: int, total: int) -> None:
        if self._progress is not None:
            self._progress(done, total)


def _report_error(error: BaseException, on_error: OnError | None) -> None:
    if on_error is None:
        log.error("background operation failed", exc_info=error)
    else:
        on_error(error)


class _Throttle:
    """Passes on progress at most every PROGRESS_INTERVAL_S, and always the final report."""

    def __init__(self, forward: Report) -> None:
        self._forward = forward
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total or now - self._last >= PROGRESS_INTERVAL_S:
            self._last = now
            self._forward(done, total)


def run_in_background(
    op: Callable[..., Any],
    on_done: OnDone,
    on_error: OnError | None = None,
    progress: Report | None = None,
    *,
    owner: QObject | None = None,
) -> None:
    """Run ``op`` on a worker thread, then ``on_done(result)`` on the GUI thread.

    With ``progress``, ``op`` is called as ``op(report)`` and may call ``report(done, total)``
    from the worker; ``progress(done, total)`` then runs on the GUI thread. An exception from
    ``op`` goes to ``on_error`` (on the GUI thread), or to the log when there is none.
    Call from the GUI thread.
    """
    if _inline:
        _run_inline(op, on_done, on_error, progress)
        return
    bridge = _Bridge(on_done, on_error, progress, owner)
    _running.add(bridge)

    def emit_progress(done: int, total: int) -> None:
        _emit(bridge.progressed, done, total)

    report = _Throttle(emit_progress) if progress is not None else None

    def work() -> None:
        try:
            result = op(report) if report is not None else op()
        except BaseException as error:  # every failure must reach the GUI thread
            if not _emit(bridge.failed, error):
                _running.discard(bridge)
            return
        if not _emit(bridge.succeeded, result):
            _running.discard(bridge)

    thread_pool().start(work)


def _emit(signal: Any, *args: object) -> bool:
    try:
        emit(signal, *args)
    except RuntimeError:
        # The owner was deleted while the operation ran: nobody is waiting for the result.
        return False
    return True


def _run_inline(
    op: Callable[..., Any],
    on_done: OnDone,
    on_error: OnError | None,
    progress: Report | None,
) -> None:
    try:
        result = op(progress) if progress is not None else op()
    except Exception as error:
        _report_error(error, on_error)
        return
    on_done(result)
