"""The main window through a server outage: a real PostgreSQL server of the test's own is
stopped in the middle of a session. The status bar says "Offline — N waiting", the queue
shows what it read last, marked so, Next lead moves among the leads the rep holds, and when
the server is back the calls kept on this computer are sent and the count goes.

The clock is frozen on a Wednesday at 14:00 UTC, when the demo leads' calling windows are
open; the demo data is generated at the same instant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from teleprospect.demo.loader import load_demo
from teleprospect.services.database import open_database
from teleprospect.services.queue.claims import find_user_id, open_lead
from teleprospect.services.queue.page import queue_page
from teleprospect.store.database import Database
from teleprospect.store.models import Call, OfflineAction
from teleprospect.ui.desk.queue_model import LEAD_ID_ROLE
from teleprospect.ui.main_window import MainWindow
from teleprospect.ui.offline.offline_watch import CHECK_INTERVAL_MS
from tests.pg_server import LocalServer
from tests.services.identity_fixtures import connected_as, give_logins

pytestmark = pytest.mark.postgresql

NOW = datetime(2025, 6, 11, 14, 0, tzinfo=UTC)  # a Wednesday
REP = "sam.carter"


@pytest.fixture
def demo_pg(private_pg_url: str) -> Iterator[Database]:
    db = open_database(private_pg_url).db
    load_demo(db, leads=40, seed=3, now=NOW)
    yield db
    db.dispose()


@pytest.fixture
def open_window(qtbot, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., MainWindow]]:
    """A window as ``login`` opens it: connected as their own login role on PostgreSQL."""
    opened: list[Database] = []

    def open_(db: Database, login: str = REP) -> MainWindow:
        give_logins(db, find_user_id(db, login))
        mine = connected_as(db, login, monkeypatch).__enter__()
        opened.append(mine)
        window = MainWindow(mine, now_provider=lambda: NOW)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: window.current_user is not None and window.workspace is not None)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        return window

    yield open_
    for db in opened:
        db.dispose()


def key(window: MainWindow, qtbot, sequence: str) -> None:
    combo = QKeySequence(sequence)[0]
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, combo.key(), combo.keyboardModifiers())


def shown_ids(window: MainWindow) -> list[int]:
    model = window.queue_model
    return [model.index(row, 0).data(LEAD_ID_ROLE) for row in range(model.rowCount())]


def test_the_status_bar_counts_the_calls_kept_offline_and_the_queue_shows_its_snapshot(
    private_pg: LocalServer, demo_pg: Database, open_window, qtbot
) -> None:
    rep = find_user_id(demo_pg, REP)
    top, held = (entry.lead_id for entry in queue_page(demo_pg, rep, now=NOW, limit=2))
    # The rep holds a lead from earlier (opened by hand), and claims the top one.
    assert not open_lead(demo_pg, held, rep, now=NOW).read_only
    window = open_window(demo_pg)
    workspace, status = window.workspace, window.offline.button
    key(window, qtbot, "Ctrl+N")
    qtbot.waitUntil(lambda: workspace.detail is not None)
    first = workspace.lead_id
    assert first != held and workspace.can_open_offline(held)  # read ahead, just in case
    assert not status.isVisible()
    snapshot = shown_ids(window)
    assert {first, held} <= set(snapshot)

    private_pg.stop()
    key(window, qtbot, "Alt+2")  # no answer
    key(window, qtbot, "Ctrl+Return")  # save & next
    qtbot.waitUntil(lambda: workspace.lead_id == held and workspace.detail is not None)
    assert status.isVisible() and status.text() == "Offline — 1 waiting"
    assert window.offline.timer.isActive() and window.offline.timer.interval() == CHECK_INTERVAL_MS
    # The queue as it was read last, marked as such; nothing is asked of the server.
    assert window.queue_model.offline and shown_ids(window) == snapshot
    banner = window.desk.offline_banner
    assert not banner.isHidden() and "Offline" in banner.text()
    assert "Next lead</b> moves among the leads you hold" in banner.text()
    assert "held by you (offline)" in window.ui.claimLabel.text()

    key(window, qtbot, "Alt+4")  # busy
    key(window, qtbot, "Ctrl+Return")
    qtbot.waitUntil(lambda: status.text() == "Offline — 2 waiting")
    # No other lead is held: Next lead says why it cannot go on.
    assert workspace.lead_id is None
    assert "you hold no other lead to call" in window.ui.claimLabel.text()
    assert window.ui.mainTabs.currentWidget() is window.ui.queueTab

    private_pg.start()
    window.offline.check()  # what the timer does every 15 s
    qtbot.waitUntil(lambda: not status.isVisible())
    assert window.offline.waiting == 0 and not window.offline.offline
    assert not window.queue_model.offline and banner.isHidden()
    assert window.statusBar().currentMessage() == "Sent 2 calls kept on this computer."
    with demo_pg.read() as s:
        logged = s.execute(
            select(Call.lead_id, Call.disposition).where(Call.client_action_id.is_not(None))
        ).all()
        assert sorted((lead_id, d.value) for lead_id, d in logged) == sorted(
            [(first, "no_answer"), (held, "busy")]
        )
        assert len(s.scalars(select(OfflineAction)).all()) == 2


# -- the review list --------------------------------------------------------------------------


def keep_and_send_a_call_on_a_lead_reassigned_meanwhile(db: Database, rep_login: str) -> int:
    """A call the rep kept on this computer while a team lead gave the lead to someone else:
    sent, it is held for review. Returns the lead's id."""
    from teleprospect.core.offline import LeadState
    from teleprospect.services.calls.lead_detail import lead_detail
    from teleprospect.services.offline.actions import call_payload, keep_call
    from teleprospect.services.offline.journal import journal_of
    from teleprospect.services.offline.replay import replay_journal
    from teleprospect.services.team.reassign import LeadSelection, ReassignRequest, reassign

    rep = find_user_id(db, rep_login)
    lead_id = queue_page(db, rep, now=NOW, limit=1)[0].lead_id
    detail = lead_detail(db, lead_id, now=NOW)
    keep_call(
        journal_of(db),
        lead_id=lead_id,
        login=rep_login,
        user_id=rep,
        lead_name=detail.name,
        base=LeadState(detail.version, detail.status, detail.owner_id, detail.do_not_call),
        seen_at=NOW,
        payload=call_payload(disposition="connected", notes="Wants the price list."),
        taken_at=NOW,
    )
    other = find_user_id(db, "julie.moreau")
    boss = find_user_id(db, "maria.lopez")
    reassign(db, ReassignRequest(LeadSelection(lead_ids=(lead_id,)), (other,)), boss, now=NOW)
    report = replay_journal(db, journal_of(db))
    assert len(report.review) == 1
    return lead_id


@pytest.fixture
def demo_shared_pg(pg_url: str) -> Iterator[Database]:
    db = open_database(pg_url).db
    load_demo(db, leads=40, seed=3, now=NOW)
    yield db
    db.dispose()


def test_a_call_held_for_review_is_listed_for_its_rep_and_can_be_discarded(
    demo_shared_pg: Database, open_window, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    lead_id = keep_and_send_a_call_on_a_lead_reassigned_meanwhile(demo_shared_pg, REP)
    window = open_window(demo_shared_pg)
    status = window.offline.button
    qtbot.waitUntil(lambda: status.isVisible())
    assert status.text() == "1 to review"

    status.click()
    dialog = window.offline.dialog
    qtbot.waitUntil(lambda: dialog.review_model.rowCount() == 1)
    assert dialog.waiting_model.rowCount() == 0
    assert dialog.review_title.text() == "Held for review (1, yours)"
    item = dialog.review_model.record(0)
    assert item.lead_id == lead_id and item.rep_name == "Sam Carter"
    assert item.reason == "The lead was reassigned to Julie Moreau meanwhile."
    assert not dialog.discard_button.isEnabled()  # nothing selected yet
    dialog.review_table.selectRow(0)
    assert dialog.discard_button.isEnabled() and dialog.apply_button.isEnabled()

    monkeypatch.setattr(
        QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Discard
    )
    dialog.discard_button.click()
    qtbot.waitUntil(lambda: dialog.review_model.rowCount() == 0)
    qtbot.waitUntil(lambda: not status.isVisible())
    assert window.statusBar().currentMessage() == "The call was discarded."
    with demo_shared_pg.read() as s:
        assert s.scalar(select(Call.id).where(Call.client_action_id.is_not(None))) is None


def test_the_team_lead_sees_the_teams_calls_held_for_review_and_applies_one_anyway(
    demo_shared_pg: Database, open_window, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead_id = keep_and_send_a_call_on_a_lead_reassigned_meanwhile(demo_shared_pg, REP)
    window = open_window(demo_shared_pg, "maria.lopez")
    status = window.offline.button
    qtbot.waitUntil(lambda: status.text() == "1 to review")
    window.offline.open_list()
    dialog = window.offline.dialog
    qtbot.waitUntil(lambda: dialog.review_model.rowCount() == 1)
    assert dialog.review_title.text() == "Held for review (1, the team's)"
    assert dialog.review_model.record(0).rep_name == "Sam Carter"
    dialog.review_table.selectRow(0)
    dialog.apply_button.click()
    qtbot.waitUntil(lambda: dialog.review_model.rowCount() == 0)
    assert not status.isVisible()
    with demo_shared_pg.read() as s:
        [(logged_lead, notes)] = s.execute(
            select(Call.lead_id, Call.notes).where(Call.client_action_id.is_not(None))
        ).all()
    assert (logged_lead, notes) == (lead_id, "Wants the price list.")
