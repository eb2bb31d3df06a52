"""Issue 13: what a CSV cell carried never reaches the screen raw, and an error no screen
caught is logged and told in one sentence instead of a traceback on the terminal."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QMessageBox

from teleprospect.logfile import setup_logging
from teleprospect.services.calls.lead_detail import lead_detail
from teleprospect.services.database import open_database
from teleprospect.store.database import Database
from teleprospect.ui import errors
from teleprospect.ui.leads.lead_table_model import COLUMN_INDEX, LeadTableModel
from teleprospect.ui.workspace.lead_panel import LeadPanel
from tests.services.call_fixtures import add_lead, add_users

ESCAPES = ("\x1b", "\x07", "\x9b")


@pytest.fixture
def tainted(sqlite_url: str) -> Iterator[tuple[Database, int]]:
    """A lead whose name, company and title carry a colour, a window title and a clear."""
    db = open_database(sqlite_url).db
    add_users(db)
    lead_id = add_lead(
        db,
        first_name="Eve\x1b[31m",
        last_name="Red\x1b]0;owned\x07",
        company="Evil\x1b[2JCorp",
        title="Boss\x9b1m",
    )
    yield db, lead_id
    db.dispose()


def test_the_lead_panel_shows_a_tainted_lead_clean(tainted, qtbot) -> None:  # noqa: ANN001
    db, lead_id = tainted
    panel = LeadPanel()
    qtbot.addWidget(panel)
    panel.show_detail(lead_detail(db, lead_id))
    header = panel.header.text()
    assert "Eve Red" in header and "EvilCorp" in header and "Boss" in header
    assert not any(c in header for c in ESCAPES)
    assert panel.fields["company"].text() == "EvilCorp"
    assert panel.fields["first_name"].text() == "Eve"
    # Showing the value clean is not a change the rep made.
    assert panel.contact_changes() == {}
    assert not panel.save_contact_button.isEnabled()


def test_the_lead_list_shows_a_tainted_lead_clean(tainted, qtbot) -> None:  # noqa: ANN001
    db, _ = tainted
    model = LeadTableModel(db)
    model.fetchMore(QModelIndex())
    assert model.index(0, COLUMN_INDEX["name"]).data() == "Eve Red"
    assert model.index(0, COLUMN_INDEX["company"]).data() == "EvilCorp"
    tooltip = model.index(0, COLUMN_INDEX["name"]).data(Qt.ItemDataRole.ToolTipRole) or ""
    assert not any(c in tooltip for c in ESCAPES)


def test_an_error_no_screen_caught_is_logged_and_told_in_one_sentence(
    qtbot,  # noqa: ANN001
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    log_file = setup_logging("desktop")
    assert log_file == Path(os.environ["TELEPROSPECT_DATA_DIR"]) / "logs" / "teleprospect.log"
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    monkeypatch.setattr(sys, "excepthook", errors.excepthook)

    def broken_slot() -> None:
        raise KeyError("anna@example.com")

    QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    for handler in logging.getLogger().handlers:
        handler.flush()
    (text,) = shown
    assert text.startswith(f"{errors.UNEXPECTED_DOING}.\n\n")
    assert "KeyError" in text and f"details in {log_file}" in text
    assert "anna@example.com" not in text and "Traceback" not in text
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback" in logged and "anna@example.com" in logged and "broken_slot" in logged


def test_the_claimed_lead_and_status_messages_show_a_tainted_lead_clean(
    tainted,  # noqa: ANN001
    qtbot,  # noqa: ANN001
) -> None:
    from datetime import UTC, datetime

    from teleprospect.core.queue_policy import QueueTier
    from teleprospect.services.queue.claims import ClaimedLead
    from teleprospect.ui.main_window import MainWindow

    db, lead_id = tainted
    window = MainWindow(db)
    qtbot.addWidget(window)
    claimed = ClaimedLead(
        lead_id=lead_id,
        name="Eve\x1b[31m Red\x1b]0;owned\x07",
        company="Evil\x1b[2JCorp",
        phone_e164="+4930123456",
        local_time="15:00\x9b1m",
        reason="new lead\x1b[5m",
        tier=QueueTier.FRESH_INBOUND,
        claim_expires_at=datetime(2026, 1, 1, 12, 0, tzinfo=UTC),
        callback_id=None,
    )
    window.desk.show_claim(claimed)
    label = window.ui.claimLabel.text()
    assert "Eve Red" in label and "EvilCorp" in label
    assert not any(c in label for c in ESCAPES)
    window.statusBar().showMessage(f"{claimed.name} is back in the queue.")
    message = window.statusBar().currentMessage()
    assert message == "Eve Red is back in the queue."
