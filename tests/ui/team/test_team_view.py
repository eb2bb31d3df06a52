"""The Team tab, as a team lead uses it: workload, hand-offs sales has not answered,
reassigning with undo, exporting to sales and reading sales' verdicts back."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from teleprospect.demo.loader import load_demo
from teleprospect.services.queue.claims import find_user_id
from teleprospect.services.team.reassign import LeadSelection, select_lead_ids
from teleprospect.store.database import Database
from teleprospect.ui.leads.lead_table_model import LEAD_ID_ROLE
from teleprospect.ui.main_window import MainWindow
from teleprospect.ui.tables.record_model import RECORD_ROLE

NOW = datetime(2025, 6, 11, 14, 0, tzinfo=UTC)
TEAM_LEAD = "maria.lopez"
REP = "sam.carter"


@pytest.fixture
def demo_db(sqlite_db: Database) -> Database:
    load_demo(sqlite_db, leads=300, seed=3, now=NOW)  # with hand-offs and verdicts
    return sqlite_db


@pytest.fixture
def open_as(qtbot, monkeypatch) -> Callable[[Database, str], MainWindow]:
    def open_(db: Database, login: str) -> MainWindow:
        monkeypatch.setattr("teleprospect.services.identity.current_user.os_login", lambda: login)
        window = MainWindow(db, now_provider=lambda: NOW)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: window.current_user is not None)
        return window

    return open_


def show_team(window: MainWindow) -> None:
    window.ui.mainTabs.setCurrentWidget(window.team_view)


def test_the_team_tab_is_for_team_leads_only(open_as, demo_db) -> None:
    rep_window = open_as(demo_db, REP)
    assert rep_window.team_view is None
    assert not rep_window.script_action.isEnabled()
    lead_window = open_as(demo_db, TEAM_LEAD)
    assert lead_window.team_view is not None
    assert lead_window.script_action.isEnabled()


def test_workload_and_unanswered_hand_offs_are_shown(open_as, demo_db, qtmodeltester) -> None:
    window = open_as(demo_db, TEAM_LEAD)
    show_team(window)
    view = window.team_view
    reps = [view.workload_model.record(row).login for row in range(view.workload_model.rowCount())]
    assert REP in reps and TEAM_LEAD in reps
    qtmodeltester.check(view.workload_model)
    assert view.unanswered_model.rowCount() > 0
    assert "Sales has not followed up" in view.unanswered_title.text()
    assert view.batches_model.rowCount() > 0


def test_reassigning_then_undoing_from_the_team_tab(open_as, demo_db, qtbot, monkeypatch) -> None:
    window = open_as(demo_db, TEAM_LEAD)
    show_team(window)
    view = window.team_view
    sam, julie = find_user_id(demo_db, REP), find_user_id(demo_db, "julie.moreau")
    sams = select_lead_ids(demo_db, LeadSelection(owner_id=sam))
    assert sams
    view.open_reassign()
    dialog = view.reassign_dialog
    dialog.owner.setCurrentIndex(dialog.owner.findData(sam))
    for row in range(dialog.targets.count()):
        item = dialog.targets.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == julie:
            item.setCheckState(Qt.CheckState.Checked)
    dialog.reason.setText("Sam is on holiday")
    dialog.preview_button.click()
    assert "would move" in dialog.preview_label.text()
    dialog.move_button.click()
    assert not dialog.isVisible()
    assert select_lead_ids(demo_db, LeadSelection(owner_id=sam)) == []
    assert view.moves_model.rowCount() == 1

    monkeypatch.setattr(QMessageBox, "information", lambda *args, **kwargs: None)
    view.moves_table.selectRow(0)
    view.undo_button.click()
    assert sorted(select_lead_ids(demo_db, LeadSelection(owner_id=sam))) == sorted(sams)
    assert view.moves_model.index(0, 6).data() != ""  # marked as undone


def test_export_writes_the_file_and_verdicts_come_back(
    open_as, demo_db, qtbot, tmp_path, monkeypatch
) -> None:
    window = open_as(demo_db, TEAM_LEAD)
    show_team(window)
    view = window.team_view
    before = view.batches_model.rowCount()
    view.open_export()
    dialog = view.export_dialog
    out = tmp_path / "to-sales.csv"
    dialog.path.setText(str(out))
    dialog.export_button.click()
    assert "handed off in batch" in dialog.result_label.text()
    assert view.batches_model.rowCount() == before + 1
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and rows[0]["Last Name"]

    batch = view.batches_model.index(0, 0).data(RECORD_ROLE)
    verdicts = tmp_path / "verdicts.csv"
    from teleprospect.services.team.handoff import handoff_items

    items = handoff_items(demo_db, batch.id)
    with verdicts.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Reference", "Verdict", "Reason"])
        writer.writerow([items[0].reference, "accepted", ""])
        writer.writerow(["TP-nonsense", "rejected", "no budget"])
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    view.import_verdicts(str(verdicts))
    assert shown and "1 accepted" in shown[0] and "1 could not be used" in shown[0]
    assert view.batches_model.index(0, 5).data() == "1"  # accepted in the batch row


def test_leads_picked_in_the_list_are_reassigned(open_as, demo_db, qtbot) -> None:
    window = open_as(demo_db, TEAM_LEAD)
    table = window.ui.leadTable
    qtbot.waitUntil(lambda: window.lead_model.rowCount() >= 3)
    picked = []
    for row in (0, 2):
        table.selectionModel().select(
            window.lead_model.index(row, 0),
            table.selectionModel().SelectionFlag.Select | table.selectionModel().SelectionFlag.Rows,
        )
        picked.append(window.lead_model.index(row, 0).data(LEAD_ID_ROLE))
    window.reassign_selected_action.trigger()
    dialog = window.team_view.reassign_dialog
    assert dialog.lead_ids == tuple(picked)
    tom = find_user_id(demo_db, "tom.okafor")
    for row in range(dialog.targets.count()):
        item = dialog.targets.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == tom:
            item.setCheckState(Qt.CheckState.Checked)
    dialog.include_claimed.setChecked(True)
    dialog.move_button.click()
    moved = select_lead_ids(demo_db, LeadSelection(lead_ids=tuple(picked), owner_id=tom))
    assert sorted(moved) == sorted(picked)


def test_a_verdict_given_on_the_phone_is_recorded_by_hand(
    open_as, demo_db, qtbot, monkeypatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    from teleprospect.core.lifecycle import LeadStatus
    from teleprospect.services.calls.lead_detail import lead_detail

    window = open_as(demo_db, TEAM_LEAD)
    show_team(window)
    view = window.team_view
    waiting = view.unanswered_model.rowCount()
    lead_id = view.unanswered_model.record(0).lead_id
    view.unanswered_table.selectRow(0)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Accepted", True))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Meeting booked", True))
    view.verdict_button.click()
    assert lead_detail(demo_db, lead_id, now=NOW).status is LeadStatus.ACCEPTED
    assert view.unanswered_model.rowCount() == waiting - 1
