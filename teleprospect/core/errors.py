"""The product's error vocabulary: every failure a user can act on is one of these kinds.

Each kind says what the user can do about it, and each front-end maps the kind once: the
CLI to a named exit code (``teleprospect.cli.common``), the GUI to a message box or an inline
note (``teleprospect.ui.errors``). ``str(error)`` is always one sentence written for the
user: no SQL, no traceback, no personal data beyond what the user typed.

Errors specific to one area subclass a kind here (``CsvError(Invalid)``,
``PermissionDenied(Refused)``, ``LeadNotFound(NotFound)``); code that only needs to know
*what kind* of failure it is catches the kind.
"""

from __future__ import annotations


class TeleprospectError(Exception):
    """A failure explained in one sentence a user can act on."""


class Invalid(TeleprospectError, ValueError):
    """What was given cannot be used: a bad file, a bad value, a bad rule."""


class NotFound(TeleprospectError, LookupError):
    """The thing asked for does not exist (any more)."""


class Refused(TeleprospectError):
    """A rule of the desk says no: a decision without its bar, an action outside a role."""


class Conflict(TeleprospectError):
    """Someone or something else got there first: the record changed, it was done already."""


class Cancelled(TeleprospectError):
    """The user stopped the work; nothing of it was kept."""


class Unavailable(TeleprospectError):
    """The database or a file cannot be reached or used right now."""
