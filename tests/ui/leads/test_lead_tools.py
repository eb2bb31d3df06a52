"""Issue 15, part 3, in the window: a team lead undoes an import from the import history
(asked first, with progress, told what stayed) and merges two leads from the lead list."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from teleprospect.core.domain import Disposition
from teleprospect.services.imports.leads import LeadImportRequest, import_leads
from teleprospect.store.database import Database
from teleprospect.store.models import Call, Lead
from teleprospect.ui.leads.lead_tools import LeadTools
from teleprospect.ui.main_window import MainWindow
from tests.services.team_fixtures import Team, make_team

ROWS = [
    ["Ada", "Lovelace", "Engines Ltd", "ada@engines.example"],
    ["Alan", "Turing", "Bletchley Park", "alan@bp.example"],
    ["Grace", "Hopper", "Navy", "grace@navy.example"],
]


@pytest.fixture
def team(sqlite_db: Database) -> Team:
    return make_team(sqlite_db)


@pytest.fixture
def imported(sqlite_db: Database, team: Team, tmp_path: Path) -> int:
    path = tmp_path / "fair.csv"
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["First Name", "Last Name", "Company", "Email"])
        writer.writerows(ROWS)
    summary = import_leads(sqlite_db, LeadImportRequest(path=path, login="boss"))
    assert summary.batch_id is not None
    return summary.batch_id


@pytest.fixture
def open_as(qtbot, monkeypatch) -> Callable[[Database, str], MainWindow]:  # noqa: ANN001
    def open_(db: Database, login: str) -> MainWindow:
        monkeypatch.setattr("teleprospect.services.identity.current_user.os_login", lambda: login)
        window = MainWindow(db)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: window.current_user is not None)
        return window

    return open_


def lead_ids(db: Database) -> dict[str, int]:
    with db.read() as session:
        return {r.first_name: r.id for r in session.execute(select(Lead.id, Lead.first_name))}


def test_a_rep_is_offered_neither_merge_nor_undo(open_as, sqlite_db, imported) -> None:
    window = open_as(sqlite_db, "sam")
    assert window.lead_tools is None
    assert not any("Merge" in a.text() for a in window.ui.leadTable.actions())


def test_undoing_an_import_asks_first_shows_progress_and_names_what_stayed(
    open_as, sqlite_db, imported, team, qtbot, monkeypatch, qtmodeltester, tmp_path
) -> None:
    ada = lead_ids(sqlite_db)["Ada"]
    with sqlite_db.write() as session:
        session.add(Call(lead_id=ada, user_id=team.sam, disposition=Disposition.BUSY))
    window = open_as(sqlite_db, "boss")
    tools = window.lead_tools
    assert tools is not None and tools.history_action.isVisible()
    assert tools.history_action in window.ui.menuFile.actions()
    tools.history_action.trigger()
    dialog = tools.history_dialog
    assert dialog is not None and dialog.isVisible()
    qtmodeltester.check(dialog.model)
    assert dialog.model.rowCount() == 1 and not dialog.undo_button.isEnabled()
    dialog.table.selectRow(0)
    assert dialog.undo_button.isEnabled()
    # Cancelled: nothing happens.
    asked: list[str] = []

    def answer(choice):  # noqa: ANN001, ANN202
        def question(parent, title, text, *args, **kwargs):  # noqa: ANN001, ANN202
            asked.append(text)
            return choice

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    dialog.undo_button.click()
    assert len(lead_ids(sqlite_db)) == 3 and "Undo import #" in asked[0]
    progress: list[tuple[int, int]] = []
    monkeypatch.setattr(
        type(dialog), "show_progress", lambda self, done, total: progress.append((done, total))
    )
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    dialog.undo_button.click()
    assert set(lead_ids(sqlite_db)) == {"Ada"}, "the lead called since stays"
    assert progress and progress[-1][0] == progress[-1][1]
    box = dialog.result_box
    assert "2 leads removed" in box.text() and "Ada Lovelace: called" in box.text()
    assert dialog.model.index(0, 9).data() != "", "the import is marked undone"
    assert not dialog.undo_button.isEnabled()
    dialog.grab().save(str(tmp_path / "import_history.png"))


def test_merging_two_selected_leads_from_the_lead_list(
    open_as, sqlite_db, imported, qtbot, monkeypatch
) -> None:
    ids = lead_ids(sqlite_db)
    window = open_as(sqlite_db, "boss")
    table = window.ui.leadTable
    qtbot.waitUntil(lambda: table.model().rowCount() == 3)
    tools = window.lead_tools
    assert tools is not None and tools.merge_action in table.actions()
    # One lead selected: told to pick two.
    messages: list[str] = []
    tools.message.connect(messages.append)
    table.selectRow(0)
    tools.merge_action.trigger()
    assert "Select the two leads to merge" in messages[-1]
    selection = table.selectionModel()
    for row in (0, 1):
        selection.select(
            table.model().index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    asked: list[tuple[int, int]] = []

    def keep_first(self, a, b):  # noqa: ANN001, ANN202
        asked.append((a[0], b[0]))
        return a[0]

    monkeypatch.setattr(LeadTools, "ask_which_to_keep", keep_first)
    tools.merge_action.trigger()
    (pair,) = asked
    assert set(pair) <= set(ids.values())
    remaining = set(lead_ids(sqlite_db).values())
    assert pair[0] in remaining and pair[1] not in remaining
    assert "merged into lead" in messages[-1]
    qtbot.waitUntil(lambda: table.model().rowCount() == 2)
