"""The keyboard cheat-sheet lists every key the window has, fits a laptop screen, and no
destructive key sits one modifier away from Quit (a user test: the sheet was 836 px tall,
and Disqualify was Ctrl+Shift+Q next to Quit's Ctrl+Q)."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton

from teleprospect.ui.main_window import MainWindow
from tests.ui.workspace.test_call_workspace import key

#: The most a dialog may be high on a 768-pixel screen, with the panel and title bar.
LAPTOP_HEIGHT = 740


def every_key(window: MainWindow) -> set[str]:
    """Each key sequence registered anywhere in the window, as the sheet writes it."""
    native = QKeySequence.SequenceFormat.NativeText
    found: set[str] = set()
    for action in window.findChildren(QAction):
        found.update(s.toString(native) for s in action.shortcuts() if not s.isEmpty())
    for shortcut in window.findChildren(QShortcut):
        found.update(s.toString(native) for s in shortcut.keys() if not s.isEmpty())  # noqa: SIM118
    for button in window.findChildren(QAbstractButton):
        sequence = button.shortcut()
        if not sequence.isEmpty() and sequence != QKeySequence.mnemonic(button.text()):
            found.add(sequence.toString(native))
    return found


def test_the_cheat_sheet_lists_every_key_of_the_window(open_window, demo_db, qtbot) -> None:
    window = open_window(demo_db)
    key(window, qtbot, "F1")
    sheet = window.cheat_sheet
    assert sheet.isVisible()
    listed = {part for _label, keys in sheet.rows for part in keys.split(", ")}
    missing = every_key(window) - listed
    assert not missing, f"keys missing from the cheat-sheet: {sorted(missing)}"
    # Keys of the script's editors are no registration, but the sheet names them.
    labels = dict(sheet.rows)
    assert labels["Next question"].startswith("Enter")
    assert "Discard the call (throw away what was typed)" in labels


def test_the_cheat_sheet_fits_a_768_pixel_screen(open_window, demo_db, qtbot) -> None:
    window = open_window(demo_db)
    key(window, qtbot, "F1")
    sheet = window.cheat_sheet
    qtbot.waitExposed(sheet)
    assert sheet.height() <= LAPTOP_HEIGHT, sheet.height()
    assert sheet.sizeHint().height() <= LAPTOP_HEIGHT


def test_no_key_is_one_modifier_from_quit(open_window, demo_db) -> None:
    window = open_window(demo_db)
    quit_key = QKeySequence("Ctrl+Q")[0].key()
    near = [
        (action.text(), sequence.toString())
        for action in window.findChildren(QAction)
        if action is not window.ui.actionQuit
        for sequence in action.shortcuts()
        if not sequence.isEmpty() and sequence[0].key() == quit_key
    ]
    assert not near, f"one modifier from Quit: {near}"
    disqualify = next(
        action for action in window.workspace.decision_actions if "Disqualify" in action.text()
    )
    assert disqualify.shortcut().toString() == "Ctrl+Shift+X"
