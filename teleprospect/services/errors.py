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
    "is_expected",
    "user_message",
]


class LeadNotFound(NotFound):
    def __init__(self, lead_id: int) -> None:
        super().__init__(f"There is no lead with id {lead_id}.")
        self.lead_id = lead_id


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
    """One sentence for a person, whatever the error."""
    if isinstance(error, TeleprospectError | DatabaseError):
        return first_line(error)
    if isinstance(error, OperationalError):
        return f"The database could not be used: {first_line(error.orig or error)}"
    if isinstance(error, DBAPIError):
        return f"The database refused the change: {first_line(error.orig or error)}"
    if isinstance(error, FileNotFoundError):
        return f"{Path(error.filename or '').name or 'The file'} does not exist."
    if isinstance(error, PermissionError):
        return f"{Path(error.filename or '').name or 'The file'} may not be read or written."
    if isinstance(error, OSError):
        return f"A file could not be used: {error.strerror or first_line(error)}."
    return f"Something went wrong ({type(error).__name__}): {first_line(error)}"
