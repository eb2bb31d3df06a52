"""The queue tab, driven as a teleprospector drives it: Ctrl+N, Release, and a queue that
follows what other workstations do.

The clock is frozen on a Wednesday at 14:00 UTC, when the demo leads' calling windows in
Europe and the Americas are open; the demo data is generated at the same instant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from html import escape

import pytest
from PySide6.QtCore import QModelIndex, Qt
from sqlalchemy import select

from teleprospect.core.scoring.rules import KeywordRule
from teleprospect.demo.loader import DEMO_USERS, load_demo
from teleprospect.services.queue.claims import find_user_id, open_lead
from teleprospect.services.queue.page import QueueFilters, queue_page, queue_signature
from teleprospect.services.scoring.rescore import RescoreCancelled, save_rules
from teleprospect.services.scoring.scores import active_rules, score_breakdown
from teleprospect.store.database import Database
from teleprospect.store.models import Lead
from teleprospect.ui import background
from teleprospect.ui.desk.queue_model import COLUMN_INDEX, LEAD_ID_ROLE, QueueTableModel
from teleprospect.ui.main_window import MainWindow

NOW = datetime(2025, 6, 11, 14, 0, tzinfo=UTC)  # a Wednesday
# Two teleprospectors of the demo team (services.demo.DEMO_USERS).
REP = "sam.carter"
OTHER_REP = "julie.moreau"


def frozen() -> datetime:
    return NOW


@pytest.fixture
def demo_db(sqlite_db: Database) -> Database:
    assert {REP, OTHER_REP} <= {user.login for user in DEMO_USERS}
    load_demo(sqlite_db, leads=60, seed=3, now=NOW)
    return sqlite_db


@pytest.fixture
def login(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    def set_login(name: str) -> None:
        monkeypatch.setattr("teleprospect.services.identity.current_user.os_login", lambda: name)

    set_login(REP)
    return set_login


@pytest.fixture
def open_window(qtbot, login) -> Iterator[Callable[[Database], MainWindow]]:
    def open_(db: Database) -> MainWindow:
        window = MainWindow(db, now_provider=frozen)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: window.current_user is not None)
        return window

    yield open_


def queue_tab(window: MainWindow) -> MainWindow:
    window.ui.mainTabs.setCurrentWidget(window.ui.queueTab)
    return window


def shown_ids(window: MainWindow) -> list[int]:
    model = window.queue_model
    return [model.index(row, 0).data(LEAD_ID_ROLE) for row in range(model.rowCount())]


def press_ctrl_n(window: MainWindow, qtbot) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.ui.queueTable, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)


def claim_elsewhere(db: Database, lead_id: int) -> int:
    """Another rep, at another workstation, opens the lead (which claims it)."""
    opened = open_lead(db, lead_id, find_user_id(db, OTHER_REP), now=NOW)
    assert not opened.read_only
    return lead_id


def holder_of(db: Database, lead_id: int) -> int | None:
    with db.read() as session:
        return session.scalar(select(Lead.claimed_by_id).where(Lead.id == lead_id))


# -- the model ---------------------------------------------------------------------------------


@pytest.fixture
def model(demo_db: Database) -> QueueTableModel:
    return QueueTableModel(demo_db, find_user_id(demo_db, REP), now_provider=frozen)


def test_the_queue_model_passes_the_qt_model_tester(model: QueueTableModel, qtmodeltester):
    model.fetchMore(QModelIndex())
    assert model.rowCount() > 0
    qtmodeltester.check(model)


def test_the_model_reads_pages_as_the_view_scrolls(
    model: QueueTableModel, demo_db: Database, monkeypatch
) -> None:
    monkeypatch.setattr(QueueTableModel, "ROWS_TO_LOAD", 3)
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 3 and model.canFetchMore()
    while model.canFetchMore():
        model.fetchMore(QModelIndex())
    expected = [e.lead_id for e in queue_page(demo_db, model.user_id, now=NOW, limit=100)]
    assert [model.entry(row).lead_id for row in range(model.rowCount())] == expected
    model.reload()  # reads what is shown in one request, not a page
    assert model.rowCount() == len(expected)


def test_rows_show_reason_score_with_grade_and_a_breakdown_on_hover(
    model: QueueTableModel, demo_db: Database, qtbot
) -> None:
    model.fetchMore(QModelIndex())
    first = queue_page(demo_db, model.user_id, now=NOW, limit=1)[0]
    assert model.index(0, COLUMN_INDEX["reason"]).data() == first.reason
    assert model.index(0, COLUMN_INDEX["name"]).data() == first.name
    score = model.index(0, COLUMN_INDEX["score"])
    assert score.data() == f"{first.score} {first.grade}"
    # The breakdown is read in the background; meanwhile the reason and grade explain it.
    assert score.data(Qt.ItemDataRole.ToolTipRole).startswith(first.reason)
    with qtbot.waitSignal(model.dataChanged):
        pass
    tooltip = score.data(Qt.ItemDataRole.ToolTipRole)
    breakdown = score_breakdown(demo_db, first.lead_id)
    # The breakdown of the score the row shows: one score, the lines adding up to it.
    assert (breakdown.total, breakdown.grade) == (first.score, first.grade)
    assert tooltip.startswith(f"Score {first.score}: grade {first.grade}")
    assert [line.text for line in breakdown.lines] == tooltip.splitlines()[1:]


def test_filters_narrow_the_queue(model: QueueTableModel, demo_db: Database) -> None:
    model.fetchMore(QModelIndex())
    everyone = model.rowCount()
    grade = model.entry(0).grade
    model.set_filters(QueueFilters(grade=grade))
    assert 0 < model.rowCount() <= everyone
    assert {model.entry(row).grade for row in range(model.rowCount())} == {grade}


def test_the_signature_changes_when_another_rep_claims(demo_db: Database) -> None:
    me = find_user_id(demo_db, REP)
    before = queue_signature(demo_db, me, now=NOW)
    assert queue_signature(demo_db, me, now=NOW) == before
    claim_elsewhere(demo_db, before[0][1])
    after = queue_signature(demo_db, me, now=NOW)
    assert after != before and before[0][1] not in after[0]


# -- the window --------------------------------------------------------------------------------


def test_the_queue_tab_lists_leads_in_queue_order_with_reasons(open_window, demo_db) -> None:
    window = queue_tab(open_window(demo_db))
    expected = queue_page(demo_db, find_user_id(demo_db, REP), now=NOW, limit=50)
    assert expected
    assert window.ui.queueTable.model() is window.queue_model
    assert window.ui.leadTable.model() is window.lead_model
    assert shown_ids(window) == [entry.lead_id for entry in expected]
    reasons = [window.queue_model.index(row, 0).data() for row in range(len(expected))]
    assert reasons == [entry.reason for entry in expected]
    assert window.ui.nextLeadButton.isEnabled()


def test_ctrl_n_claims_the_top_lead_and_shows_it(open_window, demo_db, qtbot) -> None:
    window = queue_tab(open_window(demo_db))
    me = find_user_id(demo_db, REP)
    top = window.queue_model.entry(0)
    assert window.ui.actionNextLead.shortcut().toString() == "Ctrl+N"
    press_ctrl_n(window, qtbot)
    assert window.desk.claimed is not None and window.desk.claimed.lead_id == top.lead_id
    assert holder_of(demo_db, top.lead_id) == me
    panel = window.ui.claimLabel.text()
    for shown in (top.name, top.company, top.phone_e164, top.local_time, top.reason, "14:05"):
        assert escape(shown) in panel
    # The lead opens in the call workspace; the queue marks it as held.
    assert window.ui.mainTabs.currentWidget() is window.workspace
    assert window.workspace.lead_id == top.lead_id
    queue_tab(window)
    assert window.ui.releaseButton.isVisible()
    selected = window.ui.queueTable.selectionModel().selectedRows()
    assert [index.data(LEAD_ID_ROLE) for index in selected] == [top.lead_id]
    assert window.queue_model.entry(selected[0].row()).claimed_by_me


def test_a_second_ctrl_n_claims_another_and_hands_the_first_back(
    open_window, demo_db, qtbot
) -> None:
    window = queue_tab(open_window(demo_db))
    press_ctrl_n(window, qtbot)
    first = window.desk.claimed
    press_ctrl_n(window, qtbot)
    second = window.desk.claimed
    assert first is not None and second is not None
    assert second.lead_id != first.lead_id
    assert holder_of(demo_db, second.lead_id) == find_user_id(demo_db, REP)
    assert holder_of(demo_db, first.lead_id) is None
    assert second.name in window.ui.claimLabel.text()


def test_release_gives_the_lead_back(open_window, demo_db, qtbot) -> None:
    window = queue_tab(open_window(demo_db))
    window.ui.nextLeadButton.click()
    claimed = window.desk.claimed
    assert claimed is not None
    qtbot.mouseClick(window.ui.releaseButton, Qt.MouseButton.LeftButton)
    assert window.desk.claimed is None
    assert holder_of(demo_db, claimed.lead_id) is None
    assert not window.ui.releaseButton.isVisible()
    assert not window.ui.actionReleaseLead.isEnabled()
    assert "back in the queue" in window.statusBar().currentMessage()


def test_the_view_follows_a_claim_made_on_another_workstation(open_window, demo_db) -> None:
    window = queue_tab(open_window(demo_db))
    before = shown_ids(window)
    taken = claim_elsewhere(demo_db, before[2])
    assert shown_ids(window) == before  # nothing moves until the poll looks
    assert window.desk.poll_timer.isActive()
    assert window.desk.poll_timer.interval() == 10_000
    window.desk.poll_queue()  # what the timer calls every few seconds
    assert shown_ids(window) == [lead for lead in before if lead != taken]


def test_the_poll_does_nothing_while_the_queue_is_hidden(open_window, demo_db) -> None:
    window = queue_tab(open_window(demo_db))
    window.ui.mainTabs.setCurrentWidget(window.ui.leadsTab)
    before = shown_ids(window)
    taken = claim_elsewhere(demo_db, before[0])
    window.desk.poll_queue()
    assert shown_ids(window) == before
    queue_tab(window)  # coming back to the queue catches up at once
    assert taken not in shown_ids(window)


def test_f5_reloads_the_queue(open_window, demo_db, qtbot) -> None:
    window = queue_tab(open_window(demo_db))
    taken = claim_elsewhere(demo_db, shown_ids(window)[0])
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.ui.queueTable, Qt.Key.Key_F5)
    assert taken not in shown_ids(window)


def test_the_grade_filter_lists_the_grades_and_filters(open_window, demo_db) -> None:
    window = queue_tab(open_window(demo_db))
    combo = window.ui.gradeFilter
    grades = [combo.itemData(i) for i in range(combo.count())]
    assert grades[0] is None and "A" in grades
    top_grade = window.queue_model.entry(0).grade
    combo.setCurrentIndex(combo.findData(top_grade))
    model = window.queue_model
    assert model.rowCount() > 0
    assert {model.entry(row).grade for row in range(model.rowCount())} == {top_grade}
    assert window.ui.campaignFilter.count() > 1


def test_an_unregistered_login_cannot_claim_and_is_told_why(open_window, demo_db, login):
    login("visitor")
    window = queue_tab(open_window(demo_db))
    assert not window.ui.nextLeadButton.isEnabled()
    assert not window.ui.actionNextLead.isEnabled()
    assert "visitor" in window.ui.nextLeadButton.toolTip()
    assert "not a Teleprospect user" in window.ui.nextLeadButton.toolTip()
    assert window.queue_model.rowCount() == 0


def test_the_files_owner_without_an_account_picks_whom_to_work_as_and_it_is_audited(
    open_window, demo_db, login, monkeypatch
) -> None:
    from sqlalchemy import select

    from teleprospect.core.audit import AuditKind
    from teleprospect.store.models import AuditEntry

    login("visitor")  # the SQLite file's user, who has no account of their own
    offered: list[list[str]] = []

    def pick(self, who: str, choices: tuple) -> int:  # noqa: ANN001
        offered.append([choice.login for choice in choices])
        return next(choice.id for choice in choices if choice.login == REP)

    monkeypatch.setattr(MainWindow, "ask_who_you_are", pick)
    window = queue_tab(open_window(demo_db))
    assert offered and REP in offered[0]
    assert window.queue_user_id == find_user_id(demo_db, REP)
    assert window.current_user.login == "visitor"
    assert window.current_user.working_login == REP
    assert window.user_label.text() == "User: visitor, working as Sam Carter (sam.carter)"
    assert window.ui.nextLeadButton.isEnabled()
    with demo_db.read() as session:
        [entry] = session.scalars(select(AuditEntry).where(AuditEntry.kind == AuditKind.ACTED_AS))
    assert (entry.user_id, entry.by_login) == (window.queue_user_id, "visitor")
    # A refresh keeps working as them, without asking or recording it again.
    window.refresh()
    assert len(offered) == 1 and window.queue_user_id == find_user_id(demo_db, REP)


def test_a_deactivated_account_cannot_open_the_window(qtbot, demo_db, login, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from teleprospect.services.team.users import deactivate_user

    admin = find_user_id(demo_db, "maria.lopez")
    deactivate_user(demo_db, find_user_id(demo_db, REP), acting_user_id=admin, now=NOW)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: told.append(text))
    window = MainWindow(demo_db, now_provider=frozen)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: bool(told))
    assert told == [
        "The account Sam Carter (sam.carter) is deactivated; ask an admin to reactivate it."
    ]
    assert not window.isVisible() and window.queue_user_id is None


def test_next_lead_works_with_the_queries_on_worker_threads(open_window, demo_db, qtbot):
    background.set_inline(False)
    window = queue_tab(open_window(demo_db))
    qtbot.waitUntil(lambda: window.queue_model.rowCount() > 0 and not window.desk.polling)
    top = window.queue_model.entry(0)
    press_ctrl_n(window, qtbot)
    assert not window.ui.nextLeadButton.isEnabled()  # no second claim while one runs
    qtbot.waitUntil(lambda: window.desk.claimed is not None)
    assert window.desk.claimed is not None and window.desk.claimed.lead_id == top.lead_id
    qtbot.waitUntil(lambda: bool(window.ui.queueTable.selectionModel().selectedRows()))
    assert window.ui.nextLeadButton.isEnabled()


def test_next_lead_on_an_empty_queue_says_so_on_the_queue_tab(open_window, demo_db, qtbot):
    from sqlalchemy import update

    with demo_db.write() as session:  # nobody may be called
        session.execute(update(Lead).values(do_not_call=True))
    window = open_window(demo_db)
    window.ui.mainTabs.setCurrentWidget(window.workspace)
    press_ctrl_n(window, qtbot)
    assert window.desk.claimed is None
    assert window.ui.mainTabs.currentWidget() is window.ui.queueTab
    assert "Nobody in your queue can be called right now" in window.ui.claimLabel.text()


# -- scores brought up to date -----------------------------------------------------------------


def test_opening_the_desk_brings_out_of_date_scores_up_to_date(
    open_window, demo_db: Database, qtbot
) -> None:
    # Rules published elsewhere and the re-scoring stopped at once: every lead is behind.
    rules = active_rules(demo_db).rules
    vp = (KeywordRule("VP-level", ("vp",), 45),)
    with pytest.raises(RescoreCancelled):
        save_rules(
            demo_db,
            replace(rules, fit=replace(rules.fit, seniority=vp)),
            None,
            now=NOW,
            should_cancel=lambda: True,
        )
    version = active_rules(demo_db).version
    window = open_window(demo_db)
    with demo_db.read() as s:
        assert set(s.scalars(select(Lead.rules_version))) == {version}
    # What the queue shows is the new score; the lines of its breakdown add up to it.
    queue_tab(window)
    first = window.queue_model.entry(0)
    assert first.score == score_breakdown(demo_db, first.lead_id).total
    # The next refresh is due after midnight (UTC), 10 hours after the frozen 14:00.
    refresher = window.score_refresher
    assert refresher.timer.isActive() and not refresher.running
    assert 10 * 3_600_000 <= refresher.timer.remainingTime() <= 10 * 3_600_000 + 60_000
