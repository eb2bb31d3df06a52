"""How the GUI tells a person that something failed: one presenter for every screen.

``show_error(parent, "The call could not be saved", error)`` logs the whole traceback and
shows one sentence; ``error_text(error)`` gives the sentence for an inline label. No widget
shows ``str(error)`` of its own. An error no screen caught reaches :func:`excepthook`
(installed by the app): logged in full, told in one sentence, and the app carries on.
"""

from __future__ import annotations

import logging
from types import TracebackType

from PySide6.QtCore import QMessageLogContext, QtMsgType
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from teleprospect.logfile import log_failure

log = logging.getLogger("teleprospect.ui")
qt_log = logging.getLogger("teleprospect.qt")

#: What the box says when an error no screen expected ends what the user was doing.
UNEXPECTED_DOING = "Teleprospect could not finish what it was doing"

_reporting: list[bool] = []


def error_text(error: BaseException, doing: str = "") -> str:
    """The sentence for an inline note; the error and its traceback go to the log."""
    from teleprospect.services.errors import is_expected, user_message

    log_failure(error, doing or "failed", expected=is_expected(error))
    reason = user_message(error)
    return f"{doing}: {reason}" if doing else reason


def show_error(parent: QWidget | None, doing: str, error: BaseException) -> None:
    """A warning box: what failed, then why, in words."""
    from teleprospect.services.errors import is_expected, user_message

    log_failure(error, doing, expected=is_expected(error))
    QMessageBox.warning(parent, "Teleprospect", f"{doing}.\n\n{user_message(error)}")


def excepthook(
    kind: type[BaseException], error: BaseException, traceback: TracebackType | None
) -> None:
    """``sys.excepthook`` of the GUI: an error that escaped a slot or an event handler is
    logged with its traceback and told in one sentence, instead of a traceback on the
    terminal and a window that silently stops doing what was asked."""
    if traceback is not None and error.__traceback__ is None:
        error = error.with_traceback(traceback)
    # The services' wording of errors imports SQLAlchemy under it: loaded when an error
    # is told, not while the first window is shown (this hook is installed before that).
    from teleprospect.services.errors import user_message

    if issubclass(kind, KeyboardInterrupt):
        # Ctrl+C in the terminal the app was started from: end as a command would.
        QApplication.exit(130)
        return
    log_failure(error, "unexpected error", expected=False)
    if _reporting or QApplication.instance() is None:
        return  # a failure while the box is up (or after the app ended): logged only
    _reporting.append(True)
    try:
        QMessageBox.critical(
            QApplication.activeWindow(),
            "Teleprospect",
            f"{UNEXPECTED_DOING}.\n\n{user_message(error)}",
        )
    finally:
        _reporting.clear()


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def qt_message_handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's own warnings go to the log file, not the terminal."""
    where = f" ({context.file}:{context.line})" if context.file else ""
    qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s%s", message, where)
