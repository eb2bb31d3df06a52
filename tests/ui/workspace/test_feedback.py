"""Feedback with undo, and the context around the call (a user test: saves and releases said
nothing and offered no undo; Ctrl+S jumped to the Queue tab silently; the workspace did not
say why the lead came up; reps started on the Leads tab; after Release the Call tab kept the
previous lead's outcome and offered no Next lead)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select, update

from teleprospect.core.lifecycle import LeadStatus
from teleprospect.store.database import Database
from teleprospect.store.models import Call, Lead
from teleprospect.ui.main_window import MainWindow, window_settings
from teleprospect.ui.start_tab import LAST_TAB_KEY
from tests.ui.workspace.test_call_workspace import LEAD, key, next_lead


@pytest.fixture
def working_db(demo_db: Database) -> Database:
    """The demo's new leads called before: a call on them changes no status (undoable)."""
    with demo_db.write() as session:
        session.execute(
            update(Lead).where(Lead.status == LeadStatus.NEW).values(status=LeadStatus.WORKING)
        )
    return demo_db


def message(window: MainWindow) -> str:
    return window.statusBar().currentMessage()


def answer_dialogs(monkeypatch, button: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(_parent, title, text, *_args, **_kwargs):  # type: ignore[no-untyped-def]
        asked.append(f"{title}: {text}")
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def assert_call_tab_cleared(window: MainWindow) -> None:
    workspace = window.workspace
    assert window.ui.mainTabs.currentWidget() is workspace  # no silent jump
    assert workspace.lead_id is None
    assert workspace.decision_panel.disposition() is None  # no previous lead's outcome
    assert workspace.decision_panel.decision_kind() is None
    assert workspace.notes.toPlainText() == ""
    strip = workspace.context_strip
    assert strip.next_button.isVisible()
    assert strip.next_button.text() == "Next lead (Ctrl+N)"
    assert "No lead open" in strip.label.text()


def test_ctrl_s_says_what_it_saved_and_undo_brings_the_call_back(
    open_window, working_db, qtbot
) -> None:
    window = open_window(working_db)
    workspace = window.workspace
    lead_id = next_lead(window, qtbot)
    name = workspace.detail.name
    key(window, qtbot, "Ctrl+L")
    qtbot.keyClicks(workspace.notes, "Rang out after ten rings")
    key(window, qtbot, "Alt+2")  # no answer
    key(window, qtbot, "Ctrl+S")
    qtbot.waitUntil(lambda: workspace.lead_id is None)

    assert f"Call with {name} logged (no answer)" in message(window)
    assert message(window).endswith("Undo (Ctrl+Z)")
    assert window.feedback.notice.button.isVisible()
    assert_call_tab_cleared(window)

    key(window, qtbot, "Ctrl+Z")
    qtbot.waitUntil(lambda: workspace.lead_id == lead_id and workspace.detail is not None)
    assert workspace.notes.toPlainText() == "Rang out after ten rings"
    assert workspace.decision_panel.disposition().value == "no_answer"
    assert "undone" in message(window)
    assert not window.feedback.notice.button.isVisible()  # one undo per act
    with working_db.read() as session:
        assert session.scalar(select(Lead.claimed_by_id).where(Lead.id == lead_id)) == (
            window.queue_user_id
        )
        dispositions = session.scalars(select(Call.disposition).where(Call.lead_id == lead_id))
        assert None in list(dispositions)  # the attempt stays, without its outcome


def test_a_decision_says_it_cannot_be_undone_here(open_window, working_db, qtbot) -> None:
    window = open_window(working_db)
    workspace = window.workspace
    next_lead(window, qtbot)
    key(window, qtbot, "Alt+1")
    key(window, qtbot, "Ctrl+Shift+X")  # disqualify
    workspace.decision_panel.disqualify_reason.setCurrentIndex(1)
    key(window, qtbot, "Ctrl+S")
    qtbot.waitUntil(lambda: workspace.lead_id is None)
    assert "A decision cannot be undone here" in message(window)
    assert not window.feedback.notice.button.isVisible()
    assert not window.feedback.notice.action.isEnabled()


def test_release_clears_the_call_tab_and_undo_claims_the_lead_back(
    open_window, working_db, qtbot, monkeypatch
) -> None:
    answer_dialogs(monkeypatch, QMessageBox.StandardButton.Discard)
    window = open_window(working_db)
    workspace = window.workspace
    lead_id = next_lead(window, qtbot)
    name = workspace.detail.name
    reason = window.desk.claimed.reason
    key(window, qtbot, "Alt+4")  # busy: an outcome on show before the release
    key(window, qtbot, "Ctrl+Shift+L")
    qtbot.waitUntil(lambda: workspace.lead_id is None)

    assert message(window).startswith(f"{name} is back in the queue.")
    assert_call_tab_cleared(window)
    with working_db.read() as session:
        assert session.scalar(select(Lead.claimed_by_id).where(Lead.id == lead_id)) is None

    window.feedback.notice.button.click()
    qtbot.waitUntil(lambda: workspace.lead_id == lead_id and workspace.detail is not None)
    assert f"{name} is yours again" in message(window)
    assert window.desk.claimed.lead_id == lead_id
    assert window.desk.claimed.reason == reason  # why it came up stays
    assert workspace.decision_panel.disposition().value == "busy"  # what was typed is back


def test_the_workspace_says_why_the_lead_came_up_now(open_window, demo_db, qtbot) -> None:
    window = open_window(demo_db)
    next_lead(window, qtbot)
    reason = window.desk.claimed.reason
    assert reason
    strip = window.workspace.context_strip
    assert strip.reason == reason
    assert reason in strip.label.text() and "Why now" in strip.label.text()
    assert not strip.next_button.isVisible()


def test_discard_has_a_key_and_asks_when_something_was_typed(
    open_window, demo_db, qtbot, monkeypatch
) -> None:
    asked = answer_dialogs(monkeypatch, QMessageBox.StandardButton.Cancel)
    window = open_window(demo_db)
    workspace = window.workspace
    lead_id = next_lead(window, qtbot)
    key(window, qtbot, "Ctrl+L")
    qtbot.keyClicks(workspace.notes, "Wrong person")
    key(window, qtbot, "Ctrl+Shift+Backspace")
    assert asked and asked[0].startswith("Discard the call")
    assert workspace.notes.toPlainText() == "Wrong person"  # cancelled

    answer_dialogs(monkeypatch, QMessageBox.StandardButton.Discard)
    key(window, qtbot, "Ctrl+Shift+Backspace")
    assert workspace.notes.toPlainText() == ""
    assert workspace.lead_id == lead_id  # the lead stays open and held
    assert "thrown away" in message(window)


def test_a_rep_starts_on_the_queue(open_window, demo_db) -> None:
    window = open_window(demo_db)
    assert window.ui.mainTabs.currentWidget() is window.ui.queueTab


def test_a_team_lead_keeps_the_tab_they_left(open_window, demo_db, login) -> None:
    login(LEAD)
    settings = window_settings()
    settings.setValue(LAST_TAB_KEY, "Team")
    settings.sync()
    window = open_window(demo_db)
    assert window.ui.mainTabs.currentWidget() is window.team_view
