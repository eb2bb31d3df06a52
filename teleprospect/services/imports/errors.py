"""What can stop an import: each one sentence for the user, each of a kind in core.errors."""

from __future__ import annotations

from datetime import datetime

from teleprospect.core.errors import Cancelled, Conflict, Invalid, TeleprospectError


class ImportError_(TeleprospectError):  # noqa: N801 - "ImportError" is a builtin
    """An import that could not run; the message is one sentence for the user."""


class ImportInvalid(Invalid, ImportError_):
    """What the import was given cannot be used: no such file, mapping, campaign or zone."""


class AlreadyImported(Conflict, ImportError_):
    """The same file (by checksum) was imported before."""

    def __init__(self, batch_id: int, file_name: str, when: datetime, login: str) -> None:
        self.batch_id = batch_id
        super().__init__(
            f"This file was already imported on {when:%Y-%m-%d %H:%M} UTC by {login or 'someone'}"
            f" (as {file_name}, import #{batch_id}). Import it again only if you mean to."
        )


class ImportCancelled(Cancelled, ImportError_):
    def __init__(self) -> None:
        super().__init__("The import was cancelled; nothing was changed.")


class ImportFailed(ImportError_):
    """An error part-way: everything done so far was rolled back."""


class DryRunDone(Exception):
    """Raised inside the transaction to roll back a dry run after counting everything."""
