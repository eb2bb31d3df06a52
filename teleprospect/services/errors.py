"""Errors the services raise, and the one sentence a user sees for any error.

The kinds live in :mod:`teleprospect.core.errors`; the errors here are the ones several
services share. :func:`user_message` turns *any* exception into one line for a person:
the product's own errors speak for themselves, database and file problems are put into
words, and anything unexpected is named without its traceback (the front-ends log that).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.exc import DBAPIError, OperationalError

from teleprospect.core.errors import (
    Cancelled,
    Conflict,
    Invalid,
    NotFound,
    Refused,
    TeleprospectError,
    Unavailable,
)
from teleprospect.core.text import printable, shorten
from teleprospect.logfile import current_log_file
from teleprospect.store.database import DatabaseError, first_line

__all__ = [
    "Cancelled",
    "Conflict",
    "Invalid",
    "LeadNotFound",
    "NotFound",
    "Refused",
    "TeleprospectError",
    "Unavailable",
    "UnknownUser",
    "details_hint",
    "is_expected",
    "user_message",
]


class LeadNotFound(NotFound):
    def __init__(self, lead_id: int, *, merged_into: int | None = None) -> None:
        if merged_into is None:
            super().__init__(f"There is no lead with id {lead_id}.")
        else:
            super().__init__(f"Lead #{lead_id} was merged into lead #{merged_into}.")
        self.lead_id = lead_id
        #: The lead it was merged into, where its calls and history now are.
        self.merged_into = merged_into


class UnknownUser(NotFound):
    def __init__(self, who: object) -> None:
        super().__init__(f"There is no user {who!r}.")
        self.who = who


def is_expected(error: BaseException) -> bool:
    """True for failures a user can act on; False for bugs, which deserve a log entry."""
    return isinstance(
        error, TeleprospectError | DatabaseError | OperationalError | OSError | ValueError
    )


def user_message(error: BaseException) -> str:
    """One sentence for a person, whatever the error: never a traceback, an SQL statement,
    its parameters or the text of an unexpected error (it may hold a lead's data)."""
    if isinstance(error, TeleprospectError | DatabaseError):
        return first_line(error)
    if isinstance(error, OperationalError):
        return f"The database could not be used: {first_line(error)}{details_hint()}"
    if isinstance(error, DBAPIError):
        return f"The database refused the change: {first_line(error)}{details_hint()}"
    if isinstance(error, FileNotFoundError):
        return f"{_file_name(error)} does not exist."
    if isinstance(error, PermissionError):
        return f"{_file_name(error)} may not be read or written."
    if isinstance(error, OSError):
        return f"A file could not be used: {error.strerror or first_line(error)}."
    if is_expected(error):
        # A ValueError a service raised with words for the user ("no disposition 'x'").
        return first_line(error)
    # A bug: its text may quote a lead's data; the log has it, with the traceback.
    return f"Something went wrong ({type(error).__name__}){details_hint()}"


def details_hint() -> str:
    """How a sentence about an error ends: with where the log file is, when there is one."""
    path = current_log_file()
    return f"; details in {path}." if path is not None else "."


def _file_name(error: OSError) -> str:
    return shorten(printable(Path(str(error.filename or "")).name)) or "The file"
