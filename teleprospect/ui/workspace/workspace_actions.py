"""The call workspace's keys: one action per thing a rep does on a call, each with its
shortcut, its tooltip naming the key, and (where there is one) its button as its face."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from teleprospect.ui.workspace.decision_panel import DECISIONS, DISPOSITIONS
from teleprospect.ui.workspace.discard import DISCARD_KEY, discard_call

if TYPE_CHECKING:
    from teleprospect.ui.workspace.call_workspace import CallWorkspace


def _action(
    ws: CallWorkspace,
    text: str,
    shortcut: str | list[str],
    slot: Callable[[], object],
    tip: str = "",
) -> QAction:
    action = QAction(text, ws)
    sequences = [shortcut] if isinstance(shortcut, str) else shortcut
    action.setShortcuts([QKeySequence(sequence) for sequence in sequences])
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    keys = ", ".join(sequences)
    action.setToolTip(f"{tip or text.replace('&', '')} ({keys})")
    action.triggered.connect(lambda _checked=False: slot())
    ws.addAction(action)
    return action


def setup_actions(ws: CallWorkspace) -> None:
    """The workspace's keys, each an action on it; its buttons are their faces."""
    ws.call_action = _action(ws, "&Call the lead", "Ctrl+D", ws.start_call)
    ws.copy_action = _action(ws, "C&opy the number", "Ctrl+Shift+C", ws.copy_number)
    ws.end_action = _action(ws, "&End the call (stop the timer)", "Ctrl+E", ws.end_call)
    ws.script_action = _action(
        ws,
        "Go to the &script (first unanswered question)",
        "Ctrl+K",
        ws.script_runner.focus_first_unanswered,
    )
    ws.notes_action = _action(ws, "Go to the &notes", "Ctrl+L", lambda: ws.notes.setFocus())
    ws.save_action = _action(ws, "&Save the call", "Ctrl+S", lambda: ws.save(False))
    ws.save_next_action = _action(
        ws, "Save && &next lead", ["Ctrl+Return", "Ctrl+Enter"], lambda: ws.save(True)
    )
    ws.release_action = _action(
        ws, "&Release the lead without a call", "Ctrl+Shift+L", ws.request_release
    )
    ws.discard_action = _action(
        ws,
        "&Discard the call (throw away what was typed)",
        DISCARD_KEY,
        partial(discard_call, ws),
    )
    ws.disposition_actions = [
        _action(
            ws,
            f"Outcome: {disposition.label}",
            f"Alt+{number}",
            partial(ws.decision_panel.choose_disposition, number),
        )
        for number, disposition in enumerate(DISPOSITIONS, start=1)
    ]
    ws.decision_actions = [
        _action(
            ws,
            f"Decision: {label}",
            shortcut,
            partial(ws.choose_decision, kind),
        )
        for kind, label, shortcut in DECISIONS
    ]
    # Each button is its action's face: it triggers it and follows its state.
    for button, action in (
        (ws.call_button, ws.call_action),
        (ws.copy_button, ws.copy_action),
        (ws.end_button, ws.end_action),
        (ws.save_button, ws.save_action),
        (ws.save_next_button, ws.save_next_action),
        (ws.release_button, ws.release_action),
    ):
        button.clicked.connect(action.trigger)
        button.setToolTip(action.toolTip())
        action.changed.connect(lambda b=button, a=action: b.setEnabled(a.isEnabled()))


def actions_by_section(ws: CallWorkspace) -> list[tuple[str, list[QAction]]]:
    """The workspace's actions for menus and the cheat-sheet."""
    return [
        (
            "Call",
            [
                ws.call_action,
                ws.copy_action,
                ws.end_action,
                ws.script_action,
                ws.notes_action,
                ws.save_action,
                ws.save_next_action,
                ws.release_action,
                ws.discard_action,
            ],
        ),
        ("Outcome", ws.disposition_actions),
        ("Decision", ws.decision_actions),
    ]
