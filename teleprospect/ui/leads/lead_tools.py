"""Team leads' tools on the Leads tab: merge two selected leads into one, and the import
history with "Undo import".

Offered to the users whose role allows them (the services check the role again). Both
ask before they act and run on a worker; the lists are read again when they are done.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QTableView, QWidget

from teleprospect.ui.background import run_in_background
from teleprospect.ui.errors import show_error
from teleprospect.ui.leads.lead_table_model import LEAD_ID_ROLE
from teleprospect.ui.signals import emit

if TYPE_CHECKING:
    from teleprospect.services.leads.merge import MergedLeads
    from teleprospect.store.database import Database
    from teleprospect.ui.imports.history_dialog import ImportHistoryDialog
    from teleprospect.ui.main_window import MainWindow

#: The Name column of the lead list.
_NAME_COLUMN = 0


class LeadTools(QObject):
    """Merge and import-history actions, for one user on one database."""

    #: Leads were merged or an import undone: lists should be read again.
    leads_changed = Signal()
    message = Signal(str)

    def __init__(
        self,
        db: Database,
        user_id: int,
        table: QTableView,
        parent: QWidget,
        *,
        can_merge: bool,
        can_undo_imports: bool,
    ) -> None:
        super().__init__(parent)
        self.db, self.user_id, self.table, self.parent_widget = db, user_id, table, parent
        self.history_dialog: ImportHistoryDialog | None = None
        self.merge_action = QAction("&Merge the two selected leads…", parent)
        self.merge_action.setObjectName("actionMergeLeads")
        self.merge_action.setToolTip("Make the two selected leads, one person, into one")
        self.merge_action.triggered.connect(self.merge_selected)
        self.merge_action.setVisible(can_merge)
        self.history_action = QAction("Import &history…", parent)
        self.history_action.setObjectName("actionImportHistory")
        self.history_action.setToolTip("Past imports, and undoing one")
        self.history_action.triggered.connect(self.open_history)
        self.history_action.setVisible(can_undo_imports)

    # -- merging -----------------------------------------------------------------------

    def selected(self) -> list[tuple[int, str]]:
        rows = self.table.selectionModel().selectedRows(_NAME_COLUMN)
        return [(int(index.data(LEAD_ID_ROLE)), str(index.data() or "")) for index in rows]

    def merge_selected(self) -> None:
        chosen = self.selected()
        if len(chosen) != 2:
            emit(self.message, "Select the two leads to merge (Ctrl+click the second one).")
            return
        keep = self.ask_which_to_keep(chosen[0], chosen[1])
        if keep is None:
            return
        other = chosen[1][0] if keep == chosen[0][0] else chosen[0][0]
        db, user_id = self.db, self.user_id

        def merge() -> MergedLeads:
            from teleprospect.services.leads.merge import merge_leads

            return merge_leads(db, keep, other, user_id)

        run_in_background(merge, self.merged, self.merge_failed, owner=self)

    def ask_which_to_keep(self, a: tuple[int, str], b: tuple[int, str]) -> int | None:
        """Which lead stays (the other merges into it), or None to cancel."""
        box = QMessageBox(self.parent_widget)
        box.setObjectName("mergeQuestion")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Merge leads")
        box.setText(f"Merge #{a[0]} {a[1]} and #{b[0]} {b[1]} into one lead?")
        box.setInformativeText(
            "Everything of the other moves to the lead kept: calls, answers, phones, history, "
            "callbacks, engagement and nurture enrolments; its email and the fields the kept "
            "lead lacks are kept too. The other's id then leads to the kept one."
        )
        keep_a = box.addButton(f"Keep #{a[0]}", QMessageBox.ButtonRole.AcceptRole)
        keep_b = box.addButton(f"Keep #{b[0]}", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        if clicked is keep_a:
            return a[0]
        if clicked is keep_b:
            return b[0]
        return None

    def merged(self, result: MergedLeads) -> None:
        emit(self.message, result.describe())
        emit(self.leads_changed)

    def merge_failed(self, error: BaseException) -> None:
        show_error(self.parent_widget, "The leads could not be merged", error)

    # -- import history ----------------------------------------------------------------

    def open_history(self) -> None:
        from teleprospect.ui.imports.history_dialog import ImportHistoryDialog

        if self.history_dialog is None:
            dialog = ImportHistoryDialog(self.db, self.user_id, self.parent_widget)
            dialog.leads_changed.connect(lambda: emit(self.leads_changed))
            dialog.message.connect(lambda text: emit(self.message, text))
            self.history_dialog = dialog
        else:
            self.history_dialog.refresh()
        self.history_dialog.show()
        self.history_dialog.raise_()

    def actions(self) -> tuple[Any, ...]:
        return (self.merge_action, self.history_action)


def install_lead_tools(window: MainWindow, tools: LeadTools | None) -> LeadTools | None:
    """Offer the tools the window's user may use: "Merge" in the lead list's context menu,
    "Import history" in the File menu after "Import leads"."""
    can_merge = "merge_leads" in window.allowed_actions
    can_undo = "undo_imports" in window.allowed_actions
    if tools is not None:
        tools.merge_action.setVisible(can_merge)
        tools.history_action.setVisible(can_undo)
        return tools
    db, user_id = window.db, window.queue_user_id
    if db is None or user_id is None or not (can_merge or can_undo):
        return None
    ui = window.ui
    tools = LeadTools(
        db, user_id, ui.leadTable, window, can_merge=can_merge, can_undo_imports=can_undo
    )
    tools.message.connect(lambda text: window.statusBar().showMessage(text, 10_000))
    tools.leads_changed.connect(window.refresh)
    ui.leadTable.addAction(tools.merge_action)
    ui.leadTable.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    ui.menuFile.insertAction(ui.actionImportLeads, tools.history_action)
    ui.menuFile.insertAction(tools.history_action, ui.actionImportLeads)
    return tools
