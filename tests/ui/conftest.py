"""UI test set-up: deterministic background work and per-test window settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from teleprospect.ui import background


@pytest.fixture(autouse=True)
def _inline_background() -> Iterator[None]:
    """Background operations run synchronously unless a test switches them back."""
    with background.inline():
        yield
    background.wait_for_background()


@pytest.fixture(autouse=True)
def _isolated_qsettings(tmp_path) -> None:
    # QSettings caches its folders at first use, so XDG_CONFIG_HOME alone would leak
    # window state from one test to the next.
    for settings_format in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(settings_format, QSettings.Scope.UserScope, str(tmp_path / "settings"))


@pytest.fixture(autouse=True)
def _no_unexpected_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A message box nobody answers would hang the run: fail with its text instead.

    Tests that expect a dialog patch it again themselves.
    """

    def unexpected(kind: str):  # type: ignore[no-untyped-def]
        def show(parent, title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
            raise AssertionError(f"unexpected {kind} dialog: {title}: {text}")

        return show

    for kind in ("question", "warning", "critical", "information", "about"):
        monkeypatch.setattr(QMessageBox, kind, unexpected(kind))
    # An unknown login is asked who they are: by default the tests' users decline.
    monkeypatch.setattr(
        "teleprospect.ui.main_window.MainWindow.ask_who_you_are", lambda self, login, choices: None
    )
