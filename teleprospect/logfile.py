"""The log file: the whole story of a failure goes there, while a person reads one sentence.

Both front-ends call :func:`setup_logging` when they start. Records of the package (and
of the libraries under it), Python's warnings and failures in threads go to a rotating
file in the data folder, ``<data dir>/logs/teleprospect.log``; nothing goes to the
terminal, so a traceback, an SQL statement or a lead's email never ends up there.
"""

from __future__ import annotations

import logging
import sys
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from teleprospect.config import data_dir

__all__ = ["LOG_FILE_NAME", "current_log_file", "log_failure", "log_path", "setup_logging"]

LOG_FILE_NAME = "teleprospect.log"
#: A few megabytes a file, a few files: enough for days of failures, never a full disk.
MAX_BYTES = 2_000_000
BACKUP_COUNT = 4

log = logging.getLogger("teleprospect")

_handler: RotatingFileHandler | None = None


def log_path() -> Path:
    """Where the log file lives: ``logs/teleprospect.log`` in the data folder."""
    return data_dir() / "logs" / LOG_FILE_NAME


def current_log_file() -> Path | None:
    """The file records are written to now; None before set-up or when it cannot be written."""
    return Path(_handler.baseFilename) if _handler is not None else None


def setup_logging(front_end: str) -> Path | None:
    """Send log records, warnings and thread failures to the log file; return its path.

    Safe to call again (each command of a test run may have its own data folder). When the
    file cannot be written, records are dropped rather than printed: the terminal only
    ever shows the one sentence the front-end writes.
    """
    global _handler
    root = logging.getLogger()
    path = log_path()
    if _handler is not None and Path(_handler.baseFilename) == path.absolute():
        return path
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
        _handler = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(
            path,
            maxBytes=MAX_BYTES,
            backupCount=BACKUP_COUNT,
            encoding="utf-8",
            # A file name typed on a non-UTF-8 system holds bytes UTF-8 cannot write.
            errors="backslashreplace",
        )
    except OSError:
        if not any(isinstance(h, logging.NullHandler) for h in root.handlers):
            # Keeps logging's "last resort" (stderr) from printing records on the terminal.
            root.addHandler(logging.NullHandler())
        return None
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s [%(process)d %(name)s] %(message)s")
    )
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    # Libraries below us speak at INFO about every statement: their warnings are enough.
    for noisy in ("sqlalchemy", "alembic", "psycopg"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.captureWarnings(True)
    threading.excepthook = _log_thread_failure
    _handler = handler
    log.debug("%s started (Python %s)", front_end, sys.version.split()[0])
    return path


def log_failure(error: BaseException, doing: str = "failed", *, expected: bool = False) -> None:
    """Write ``error`` with its traceback to the log (a warning when the user can act on it)."""
    level = logging.WARNING if expected else logging.ERROR
    log.log(level, "%s: %s", doing, type(error).__name__, exc_info=error)


def _log_thread_failure(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    error = args.exc_value if args.exc_value is not None else args.exc_type()
    tb: TracebackType | None = args.exc_traceback
    name = args.thread.name if args.thread is not None else "a thread"
    log.error("unexpected error in %s", name, exc_info=(args.exc_type, error, tb))
