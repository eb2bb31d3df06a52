"""The import history: every import that committed, newest first, and "Undo import".

Offered to the users whose role lets them undo imports (team leads); the service checks
the role again. Undoing asks first, shows its progress, and says at the end which leads
were kept (worked since) and which values were left as changed since.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from teleprospect.ui.background import run_in_background
from teleprospect.ui.desk.queue_model import local_datetime_text
from teleprospect.ui.errors import show_error
from teleprospect.ui.signals import emit
from teleprospect.ui.tables.record_model import Column, RecordTableModel

if TYPE_CHECKING:
    from teleprospect.services.imports.undo import ImportBatchSummary, UndoneImport
    from teleprospect.store.database import Database

HISTORY_COLUMNS = (
    Column("Import", lambda b: b.id, True),
    Column("When", lambda b: local_datetime_text(b.started_at)),
    Column("Kind", lambda b: b.kind.value),
    Column("File", lambda b: b.file_name),
    Column("By", lambda b: b.by),
    Column("Rows", lambda b: b.rows, True),
    Column("New", lambda b: b.imported, True),
    Column("Updated", lambda b: b.updated, True),
    Column("Rejected", lambda b: b.rejected, True),
    Column(
        "Undone",
        lambda b: f"{local_datetime_text(b.undone_at)} by {b.undone_by}" if b.undone_at else "",
        tooltip=lambda b: b.undo_note,
    ),
)
#: How many kept leads and values the message after an undo lists.
LISTED = 15


class ImportHistoryDialog(QDialog):
    """Past imports, with "Undo import" for the selected one."""

    #: An import was undone: lists elsewhere should be read again.
    leads_changed = Signal()
    message = Signal(str)

    def __init__(self, db: Database, user_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importHistoryDialog")
        self.setWindowTitle("Import history")
        self.db, self.user_id = db, user_id
        self.progress: QProgressDialog | None = None
        self.model: RecordTableModel[ImportBatchSummary] = RecordTableModel(HISTORY_COLUMNS, self)
        self.table = QTableView(self)
        self.table.setObjectName("importHistoryTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.status = QLabel("Reading the imports…", self)
        self.undo_button = QPushButton("&Undo import…", self)
        self.undo_button.setObjectName("undoImportButton")
        self.undo_button.setToolTip(
            "Remove the leads the selected import created (unless worked since) and put "
            "back the values it replaced"
        )
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(self.undo_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.undo_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.update_button())
        self.resize(900, 420)
        self.refresh()

    def selected(self) -> ImportBatchSummary | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def update_button(self) -> None:
        batch = self.selected()
        self.undo_button.setEnabled(batch is not None and batch.undone_at is None)

    def refresh(self) -> None:
        db = self.db

        def read() -> list[ImportBatchSummary]:
            from teleprospect.services.imports.undo import import_batches

            return import_batches(db)

        run_in_background(read, self.show_batches, self.failed, owner=self)

    def show_batches(self, batches: list[ImportBatchSummary]) -> None:
        self.model.set_records(batches)
        noun = "import" if len(batches) == 1 else "imports"
        self.status.setText(f"{len(batches):,} {noun}." if batches else "No imports yet.")
        self.update_button()

    def undo_selected(self) -> None:
        batch = self.selected()
        if batch is None or batch.undone_at is not None:
            return
        answer = QMessageBox.question(
            self,
            "Undo import",
            f"Undo import #{batch.id} ({batch.file_name})?\n\n"
            f"The {batch.imported:,} leads it created are removed, unless someone worked "
            f"them since; the values it replaced on {batch.updated:,} leads are put back, "
            "unless they changed again since. What stays is listed afterwards.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.undo_button.setEnabled(False)
        progress = QProgressDialog(f"Undoing import #{batch.id}…", "", 0, 0, self)
        progress.setObjectName("undoProgress")
        progress.setCancelButton(None)  # type: ignore[arg-type]  # an undo runs to its end
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.show()
        self.progress = progress
        db, user_id, batch_id = self.db, self.user_id, batch.id

        def undo(report: Any) -> UndoneImport:
            from teleprospect.services.imports.undo import undo_import

            return undo_import(db, batch_id, user_id, progress=report)

        run_in_background(undo, self.undone, self.failed, self.show_progress, owner=self)

    def show_progress(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress.setMaximum(total)
            self.progress.setValue(done)

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress = None

    def undone(self, result: UndoneImport) -> None:
        self._close_progress()
        text = (
            f"{result.removed:,} leads removed, {result.restored:,} values put back"
            + (
                f", {result.events_removed:,} engagement events removed"
                if result.events_removed
                else ""
            )
            + "."
        )
        kept = "".join(f"\n• #{k.lead_id} {k.name}: {k.why}" for k in result.kept[:LISTED])
        if kept:
            text += f"\n\nKept, worked since ({len(result.kept):,}):{kept}"
        values = "".join(
            f"\n• #{v.lead_id} {v.name}: {v.field.replace('_', ' ')}, {v.why}"
            for v in result.kept_values[:LISTED]
        )
        if values:
            text += f"\n\nLeft as they are ({len(result.kept_values):,}):{values}"
        emit(self.message, f"Import #{result.batch_id} undone.")
        emit(self.leads_changed)
        self.refresh()
        box = QMessageBox(QMessageBox.Icon.Information, "Import undone", text, parent=self)
        box.setObjectName("undoneMessage")
        box.open()
        self.result_box = box

    def failed(self, error: BaseException) -> None:
        self._close_progress()
        self.update_button()
        show_error(self, "The import could not be undone", error)
