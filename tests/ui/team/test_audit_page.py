"""The Audit tab, as a team lead uses it: the trail newest first, filters that narrow it,
the selected entry shown whole, and "Export CSV…"; reps never see the tab."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QFileDialog

from teleprospect.core.audit import AuditKind
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.queue_policy import CallingHours
from teleprospect.demo.loader import load_demo
from teleprospect.services.audit.record import record_audit
from teleprospect.services.leads.lifecycle import change_status
from teleprospect.services.queue.claims import find_user_id
from teleprospect.services.settings.team_settings import CALLING_HOURS, change_team_setting
from teleprospect.services.team.reassign import (
    LeadSelection,
    ReassignRequest,
    reassign,
    select_lead_ids,
)
from teleprospect.store.database import Database
from teleprospect.ui.main_window import MainWindow
from teleprospect.ui.team.audit_model import ENTRY_ROLE

NOW = datetime(2025, 6, 11, 14, 0, tzinfo=UTC)
TEAM_LEAD = "maria.lopez"
REP = "sam.carter"


@pytest.fixture
def desk(sqlite_db: Database) -> dict[str, int]:
    """The demo desk and three acts in its trail: a setting, a reassignment, a status."""
    db = sqlite_db
    load_demo(db, leads=120, seed=3, now=NOW, handoffs=False)
    maria, sam = find_user_id(db, TEAM_LEAD), find_user_id(db, REP)
    julie = find_user_id(db, "julie.moreau")
    early = CallingHours(start=CallingHours().start.replace(hour=8))
    change_team_setting(db, CALLING_HOURS, early, user_id=maria)
    sams = select_lead_ids(db, LeadSelection(owner_id=sam, statuses=(LeadStatus.WORKING,)))
    reassign(
        db,
        ReassignRequest(LeadSelection(lead_ids=tuple(sams[:3])), (julie,), include_claimed=True),
        maria,
        now=NOW,
    )
    lead = sams[3]
    change_status(db, lead, LeadStatus.NURTURE, user_id=sam, reason="timeline next year")
    return {"maria": maria, "sam": sam, "lead": lead}


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


def kinds(window: MainWindow) -> list[AuditKind]:
    model = window.audit_page.model
    return [model.entry(row).kind for row in range(model.rowCount())]


def show_audit(window: MainWindow) -> None:
    window.ui.mainTabs.setCurrentWidget(window.audit_page)


def test_reps_do_not_see_the_audit_tab(open_as, sqlite_db, desk) -> None:
    rep = open_as(sqlite_db, REP)
    assert rep.audit_page is None
    titles = [rep.ui.mainTabs.tabText(i) for i in range(rep.ui.mainTabs.count())]
    assert "&Audit" not in titles
    lead = open_as(sqlite_db, TEAM_LEAD)
    assert lead.audit_page is not None
    assert lead.ui.mainTabs.tabText(lead.ui.mainTabs.indexOf(lead.audit_page)) == "&Audit"


def test_the_trail_is_listed_newest_first(open_as, sqlite_db, desk, qtmodeltester) -> None:
    window = open_as(sqlite_db, TEAM_LEAD)
    show_audit(window)
    page = window.audit_page
    assert kinds(window) == [
        AuditKind.STATUS_CHANGED, AuditKind.LEAD_REASSIGNED, AuditKind.SETTING_CHANGED,
    ]  # fmt: skip
    qtmodeltester.check(page.model)
    model = page.model
    status = [model.index(0, column).data() for column in range(model.columnCount())]
    assert status[1] == REP and status[3] == "Status changed"
    assert status[5] == str(desk["lead"])
    assert status[6] == "status: working → nurture; reason: timeline next year"
    assert model.index(2, 6).data() == "start: 09:00 → 08:00"
    assert page.ui.auditStatus.text() == "3 entries, newest first."


def test_filters_narrow_the_trail(open_as, sqlite_db, desk, qtbot) -> None:
    window = open_as(sqlite_db, TEAM_LEAD)
    show_audit(window)
    ui = window.audit_page.ui
    ui.kindFilter.setCurrentIndex(ui.kindFilter.findData(AuditKind.SETTING_CHANGED.value))
    assert kinds(window) == [AuditKind.SETTING_CHANGED]
    ui.kindFilter.setCurrentIndex(0)
    qtbot.waitUntil(lambda: ui.userFilter.count() > 1)
    ui.userFilter.setCurrentIndex(ui.userFilter.findData(desk["sam"]))
    assert kinds(window) == [AuditKind.STATUS_CHANGED]
    ui.userFilter.setCurrentIndex(0)
    qtbot.keyClicks(ui.leadFilter, str(desk["lead"]))
    qtbot.waitUntil(lambda: kinds(window) == [AuditKind.STATUS_CHANGED])
    ui.clearFiltersButton.click()
    assert len(kinds(window)) == 3 and ui.leadFilter.text() == ""

    tomorrow = QDate.currentDate().addDays(1)
    ui.sinceFilter.setDate(tomorrow)
    ui.sinceCheck.setChecked(True)
    assert kinds(window) == []
    assert ui.auditStatus.text() == "No entries match the filters."
    ui.sinceFilter.setDate(QDate.currentDate())
    ui.untilFilter.setDate(QDate.currentDate())
    ui.untilCheck.setChecked(True)
    assert len(kinds(window)) == 3  # today, from its first moment to its last


def test_the_selected_entry_is_shown_whole(open_as, sqlite_db, desk) -> None:
    window = open_as(sqlite_db, TEAM_LEAD)
    show_audit(window)
    page = window.audit_page
    page.ui.auditTable.selectRow(1)
    text = page.ui.entryDetails.text()
    assert text.startswith(
        f"Lead reassigned: reassignment #1: 3 leads picked by hand — {TEAM_LEAD}"
    )
    assert "Before: owners: sam.carter=3" in text and "After: owners: julie.moreau=3" in text
    assert page.model.index(1, 0).data(ENTRY_ROLE).kind is AuditKind.LEAD_REASSIGNED


def test_export_writes_what_the_filters_select(
    open_as, sqlite_db, desk, tmp_path, monkeypatch
) -> None:
    window = open_as(sqlite_db, TEAM_LEAD)
    show_audit(window)
    page = window.audit_page
    page.ui.kindFilter.setCurrentIndex(page.ui.kindFilter.findData(AuditKind.LEAD_REASSIGNED.value))
    out = tmp_path / "audit.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    page.ui.exportButton.click()
    assert page.ui.auditStatus.text() == f"1 audit entry written to {out}."
    assert window.statusBar().currentMessage() == f"1 audit entry written to {out}."
    with out.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0][:3] == ["Entry", "When (UTC)", "Who"]
    assert [row[5] for row in rows[1:]] == ["Lead reassigned"]
    assert page.ui.exportButton.isEnabled()


def test_a_keyboard_user_reaches_the_filters_by_their_labels(open_as, sqlite_db, desk) -> None:
    window = open_as(sqlite_db, TEAM_LEAD)
    show_audit(window)
    ui = window.audit_page.ui
    assert ui.leadFilterLabel.buddy() is ui.leadFilter
    assert ui.kindFilterLabel.buddy() is ui.kindFilter
    assert ui.userFilterLabel.buddy() is ui.userFilter
    assert not ui.sinceFilter.isEnabled()
    ui.sinceCheck.setChecked(True)
    assert ui.sinceFilter.isEnabled()
    assert ui.auditTable.selectionBehavior() == ui.auditTable.SelectionBehavior.SelectRows
    assert ui.auditTable.model().headerData(0, Qt.Orientation.Horizontal) == "When"


def test_f5_reads_new_acts_and_no_value_reaches_the_screen_raw(
    open_as, sqlite_db, desk, qtbot
) -> None:
    window = open_as(sqlite_db, TEAM_LEAD)
    show_audit(window)
    with sqlite_db.write() as s:
        record_audit(
            s, AuditKind.SETTING_CHANGED, user_id=desk["maria"],
            subject="calling\nhours\x1b]0;owned\x07", before={"note": "a\x1b[2Jb"},
        )  # fmt: skip
    qtbot.keyClick(window, Qt.Key.Key_F5)
    page = window.audit_page
    assert len(kinds(window)) == 4
    shown = [page.model.index(0, column).data() for column in range(page.model.columnCount())]
    assert shown[4] == "calling hours" and shown[6] == "note: ab → none"
    page.ui.auditTable.selectRow(0)
    assert not any(c in page.ui.entryDetails.text() for c in ("\x1b", "\x07"))
