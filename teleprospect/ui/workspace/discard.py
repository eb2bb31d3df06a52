"""Discard the call on show (Ctrl+Shift+Backspace): what was typed for it goes, the lead
stays open and held. Asked first when something was typed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from teleprospect.ui.background import run_in_background
from teleprospect.ui.signals import emit

if TYPE_CHECKING:
    from teleprospect.ui.workspace.call_workspace import CallWorkspace

DISCARD_KEY = "Ctrl+Shift+Backspace"


def discard_call(workspace: CallWorkspace) -> None:
    detail, script = workspace.detail, workspace.script_version
    if workspace.lead_id is None or workspace.read_only or detail is None:
        return
    if workspace.has_unsaved_work():
        answer = QMessageBox.question(
            workspace,
            "Discard the call",
            "Throw away the notes, answers, outcome and decision typed for this call?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Discard:
            return
    workspace.draft_writer.stop()
    store, lead_id = workspace.drafts, workspace.lead_id
    if store is not None:
        run_in_background(lambda: store.discard(lead_id), lambda _r: None, owner=workspace)
    workspace._restoring = True  # noqa: SLF001 - no draft is written for the reset
    try:
        workspace.script_runner.set_script(
            script.script if script is not None else None, detail.answers
        )
        workspace.notes.clear()
        workspace.decision_panel.reset(now=workspace.local_now(), lead_zone_names=detail.time_zones)
    finally:
        workspace._restoring = False  # noqa: SLF001
    workspace.draft_label.setText("")
    workspace.read_readiness()
    emit(workspace.message, f"What you typed for the call with {detail.name} is thrown away.")
