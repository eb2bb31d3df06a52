"""How the GUI tells a person that something failed: one presenter for every screen.

``show_error(parent, "The call could not be saved", error)`` logs the whole traceback
(for bugs) and shows one sentence; ``error_text(error)`` gives the sentence for an inline
label. No widget shows ``str(error)`` of its own.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from teleprospect.services.errors import is_expected, user_message

log = logging.getLogger("teleprospect.ui")


def error_text(error: BaseException, doing: str = "") -> str:
    """The sentence for an inline note; unexpected errors are logged in full."""
    if not is_expected(error):
        log.error("%s", doing or "unexpected error", exc_info=error)
    reason = user_message(error)
    return f"{doing}: {reason}" if doing else reason


def show_error(parent: QWidget | None, doing: str, error: BaseException) -> None:
    """A warning box: what failed, then why, in words."""
    if not is_expected(error):
        log.error("%s", doing, exc_info=error)
    QMessageBox.warning(parent, "Teleprospect", f"{doing}.\n\n{user_message(error)}")
