"""The team lead's desk: each rep's workload, hand-offs waiting for sales' verdict, the
hand-off batches and the reassignments (with undo), and the actions that keep the desk
balanced: reassign leads, export sales-ready leads, import sales' verdicts.

Shown to the users whose role allows it; the services check the role again on every call,
so a refused action says why even if the view is reached some other way.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from teleprospect.core.handoff import ExportFormat, RejectedTo
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.reassignment import Spread
from teleprospect.ui.background import run_in_background
from teleprospect.ui.desk.queue_model import (
    NowProvider,
    database_clock,
    local_datetime_text,
    local_zone,
)
from teleprospect.ui.errors import error_text, show_error
from teleprospect.ui.signals import emit
from teleprospect.ui.tables.record_model import Column, RecordTableModel

if TYPE_CHECKING:
    from teleprospect.services.team.reassign import Reassignment, ReassignRequest
    from teleprospect.store.database import Database


WORKLOAD_COLUMNS = (
    Column("Rep", lambda r: r.name),
    Column("Role", lambda r: r.role.value.replace("_", " ")),
    Column("Queue now", lambda r: r.queue_size, True),
    Column("Open leads", lambda r: r.open_leads, True),
    Column("Callbacks due", lambda r: r.due_callbacks, True),
    Column("Calls today", lambda r: r.calls_today, True),
    Column("Calls this week", lambda r: r.calls_this_week, True),
    Column("Connects", lambda r: r.connects, True),
    Column("Made sales-ready", lambda r: r.made_sales_ready, True),
)
UNANSWERED_COLUMNS = (
    Column("Lead", lambda u: u.name),
    Column("Company", lambda u: u.company),
    Column("Reference", lambda u: u.reference),
    Column("Handed off", lambda u: local_datetime_text(u.handed_off_at)),
    Column("Days waiting", lambda u: u.days_waiting, True),
    Column("Exported by", lambda u: u.exported_by),
    Column("Owner", lambda u: u.owner),
    Column("Campaign", lambda u: u.campaign),
)
BATCH_COLUMNS = (
    Column("Batch", lambda b: b.id, True),
    Column("When", lambda b: local_datetime_text(b.created_at)),
    Column("By", lambda b: b.by_name),
    Column("Format", lambda b: b.format.label),
    Column("Leads", lambda b: b.leads, True),
    Column("Accepted", lambda b: b.accepted, True),
    Column("Rejected", lambda b: b.rejected, True),
    Column("Waiting", lambda b: b.waiting, True),
    Column("File", lambda b: Path(b.file_path).name, tooltip=lambda b: b.file_path),
)
REASSIGNMENT_COLUMNS = (
    Column("Batch", lambda r: r.id, True),
    Column("When", lambda r: local_datetime_text(r.at)),
    Column("By", lambda r: r.by_name),
    Column("Moved", lambda r: r.moved, True),
    Column("Skipped (claimed)", lambda r: r.skipped_claimed, True),
    Column("Selection", lambda r: r.selection, tooltip=lambda r: r.reason),
    Column("Undone", lambda r: local_datetime_text(r.undone_at), tooltip=lambda r: r.undo_note),
)


def _table(model: RecordTableModel, parent: QWidget, name: str) -> QTableView:
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class _Snapshot:
    def __init__(self, workload: Any, unanswered: list, batches: list, moves: list) -> None:
        self.workload, self.unanswered, self.batches, self.moves = (
            workload,
            unanswered,
            batches,
            moves,
        )


class TeamView(QWidget):
    """The Team tab."""

    message = Signal(str)
    #: Leads were moved (the Reassignment): the window says so, with Undo.
    reassigned = Signal(object)
    #: Leads changed hands or status: lists elsewhere should be read again.
    leads_changed = Signal()

    def __init__(
        self,
        db: Database,
        user_id: int,
        parent: QWidget | None = None,
        *,
        now_provider: NowProvider | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("teamView")
        self.db, self.user_id = db, user_id
        #: The time the services act at: None, the database's clock; tests freeze it.
        self.now = now_provider or database_clock
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.reassign_button = QPushButton("&Reassign leads…", self)
        self.reassign_button.clicked.connect(self.open_reassign)
        self.export_button = QPushButton("&Export sales-ready…", self)
        self.export_button.clicked.connect(self.open_export)
        self.verdicts_button = QPushButton("Import sales' &verdicts…", self)
        self.verdicts_button.clicked.connect(self.import_verdicts)
        self.verdict_button = QPushButton("Record ver&dict…", self)
        self.verdict_button.setToolTip("Record sales' verdict on the selected waiting hand-off")
        self.verdict_button.clicked.connect(self.record_verdict)
        self.undo_button = QPushButton("&Undo reassignment", self)
        self.undo_button.setToolTip("Put the leads of the selected reassignment back")
        self.undo_button.clicked.connect(self.undo_selected)
        self.refresh_button = QPushButton("Re&fresh", self)
        self.refresh_button.clicked.connect(self.refresh)
        for button in (
            self.reassign_button,
            self.export_button,
            self.verdicts_button,
            self.verdict_button,
            self.undo_button,
        ):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.refresh_button)
        layout.addLayout(bar)

        self.workload_title = QLabel("<b>Workload</b>", self)
        self.workload_model: RecordTableModel = RecordTableModel(WORKLOAD_COLUMNS, self)
        self.workload_table = _table(self.workload_model, self, "workloadTable")
        self.unanswered_title = QLabel(self)
        self.unanswered_model: RecordTableModel = RecordTableModel(UNANSWERED_COLUMNS, self)
        self.unanswered_table = _table(self.unanswered_model, self, "unansweredTable")
        self.batches_model: RecordTableModel = RecordTableModel(BATCH_COLUMNS, self)
        self.batches_table = _table(self.batches_model, self, "handoffTable")
        self.moves_model: RecordTableModel = RecordTableModel(REASSIGNMENT_COLUMNS, self)
        self.moves_table = _table(self.moves_model, self, "reassignmentTable")
        layout.addWidget(self.workload_title)
        layout.addWidget(self.workload_table, 3)
        layout.addWidget(self.unanswered_title)
        layout.addWidget(self.unanswered_table, 2)
        layout.addWidget(QLabel("<b>Hand-offs to sales</b>", self))
        layout.addWidget(self.batches_table, 2)
        layout.addWidget(QLabel("<b>Reassignments</b>", self))
        layout.addWidget(self.moves_table, 2)

    # -- reading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        db, user_id, now = self.db, self.user_id, self.now()

        def read() -> _Snapshot:
            from teleprospect.services.team.acceptance import unanswered_handoffs
            from teleprospect.services.team.handoff import handoff_batches
            from teleprospect.services.team.reassign_undo import reassignment_batches
            from teleprospect.services.team.workload import workload

            return _Snapshot(
                workload(db, user_id, now=now, zone=local_zone()),
                unanswered_handoffs(db, now=now),
                handoff_batches(db),
                reassignment_batches(db),
            )

        run_in_background(read, self.show_snapshot, self.failed, owner=self)

    def show_snapshot(self, snapshot: _Snapshot) -> None:
        self.workload_model.set_records(snapshot.workload.reps)
        self.workload_title.setText(f"<b>Workload</b> — {snapshot.workload.period.label}")
        count = len(snapshot.unanswered)
        self.unanswered_title.setText(
            f"<b style='color:#b3261e'>Sales has not followed up ({count})</b>"
            if count
            else "<b>Sales has followed up on every hand-off</b>"
        )
        self.unanswered_model.set_records(snapshot.unanswered)
        self.batches_model.set_records(snapshot.batches)
        self.moves_model.set_records(snapshot.moves)

    def failed(self, error: BaseException) -> None:
        show_error(self, "The team's work could not be read or changed", error)

    # -- actions ---------------------------------------------------------------------------

    def record_verdict(self) -> None:
        """Sales said it on the phone: record the verdict on the selected hand-off by hand."""
        from PySide6.QtWidgets import QInputDialog

        rows = self.unanswered_table.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(self, "Verdict", "Select the waiting hand-off first.")
            return
        waiting = self.unanswered_model.record(rows[0].row())
        options = ["Accepted", "Rejected — back to nurture", "Rejected — disqualify"]
        choice, ok = QInputDialog.getItem(
            self, "Verdict", f"Sales' verdict on {waiting.name}:", options, 0, False
        )
        if not ok:
            return
        accepted = choice == options[0]
        reason, ok = QInputDialog.getText(self, "Verdict", "Reason (as sales gave it):")
        if not ok:
            return
        rejected_to = RejectedTo.DISQUALIFIED if choice == options[2] else RejectedTo.NURTURE
        db, user_id, now = self.db, self.user_id, self.now()

        def run() -> Any:
            from teleprospect.services.team.acceptance import record_verdict

            return record_verdict(
                db,
                waiting.lead_id,
                accepted,
                reason.strip(),
                user_id,
                rejected_to=rejected_to,
                now=now,
            )

        def done(_recorded: Any) -> None:
            emit(self.message, f"Verdict on {waiting.name} recorded.")
            emit(self.leads_changed)
            self.refresh()

        run_in_background(run, done, self.failed, owner=self)

    def open_reassign(self, lead_ids: tuple[int, ...] = ()) -> None:
        dialog = ReassignDialog(self.db, self.user_id, self, now=self.now(), lead_ids=lead_ids)
        dialog.done_moving.connect(self._reassigned)
        self.reassign_dialog = dialog
        dialog.show()

    def _reassigned(self, result: Reassignment) -> None:
        emit(self.message, f"{len(result.moves):,} leads reassigned (batch {result.batch_id}).")
        emit(self.reassigned, result)
        emit(self.leads_changed)
        self.refresh()

    def undo_selected(self) -> None:
        rows = self.moves_table.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(self, "Undo", "Select the reassignment to undo first.")
            return
        batch = self.moves_model.record(rows[0].row())
        db, user_id, now = self.db, self.user_id, self.now()

        def undo() -> Any:
            from teleprospect.services.team.reassign_undo import undo_reassignment

            return undo_reassignment(db, batch.id, user_id, now=now)

        def undone(result: Any) -> None:
            refused = "".join(f"\n• {r.name}: {r.why}" for r in result.refused[:20])
            QMessageBox.information(
                self,
                "Undo",
                f"{result.restored:,} leads went back to their previous owners."
                + (f"\n\nThese stay where they are:{refused}" if refused else ""),
            )
            emit(self.leads_changed)
            self.refresh()

        run_in_background(undo, undone, self.failed, owner=self)

    def _leads_exported(self) -> None:
        emit(self.leads_changed)
        self.refresh()

    def open_export(self) -> None:
        dialog = ExportDialog(self.db, self.user_id, self, now=self.now())
        dialog.exported.connect(lambda _r: self._leads_exported())
        self.export_dialog = dialog
        dialog.show()

    def import_verdicts(self, path: str | None = None) -> None:
        if not path:
            path, _filter = QFileDialog.getOpenFileName(
                self, "Sales' verdicts", "", "CSV files (*.csv *.txt);;All files (*)"
            )
        if not path:
            return
        db, user_id, now = self.db, self.user_id, self.now()

        def run() -> Any:
            from teleprospect.config import data_dir
            from teleprospect.services.team.acceptance import VerdictImportRequest, import_verdicts

            request = VerdictImportRequest(
                Path(path), rejected_to=RejectedTo.NURTURE, report_dir=data_dir() / "verdicts"
            )
            return import_verdicts(db, request, user_id, now=now)

        def done(summary: Any) -> None:
            problems = "".join(f"\n• row {p.row_number}: {p.reason}" for p in summary.problems[:10])
            more = f"\n… and {summary.bad_rows - 10:,} more" if summary.bad_rows > 10 else ""
            reject = f"\n\nRejected rows: {summary.reject_file}" if summary.reject_file else ""
            self.last_verdicts = summary
            QMessageBox.information(
                self,
                "Sales' verdicts",
                f"{summary.rows:,} rows: {summary.accepted:,} accepted, "
                f"{summary.rejected:,} rejected, {summary.already_recorded:,} already recorded, "
                f"{summary.bad_rows:,} could not be used.{problems}{more}{reject}",
            )
            emit(self.leads_changed)
            self.refresh()

        run_in_background(run, done, self.failed, owner=self)


class ReassignDialog(QDialog):
    """Select leads by filter, choose the reps and how to spread them; preview, then move."""

    done_moving = Signal(object)

    def __init__(
        self,
        db: Database,
        user_id: int,
        parent: QWidget,
        *,
        now: datetime | None,
        lead_ids: tuple[int, ...] = (),
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reassignDialog")
        self.setWindowTitle("Reassign leads")
        self.db, self.user_id, self.now = db, user_id, now
        #: Leads picked by hand in a list (the filters then do not apply).
        self.lead_ids = lead_ids
        form = QFormLayout(self)
        self.owner = QComboBox(self)
        self.owner.setObjectName("fromOwner")
        self.campaign = QComboBox(self)
        self.status = QComboBox(self)
        self.status.addItem("any open status", None)
        for status in (LeadStatus.NEW, LeadStatus.WORKING, LeadStatus.NURTURE):
            self.status.addItem(status.label, status.value)
        self.grade = QLineEdit(self)
        self.grade.setPlaceholderText("A, B, C or D (any when empty)")
        self.country = QLineEdit(self)
        self.country.setPlaceholderText("two-letter code, e.g. DE")
        self.targets = QListWidget(self)
        self.targets.setObjectName("targets")
        self.spread = QComboBox(self)
        for spread in Spread:
            self.spread.addItem(spread.label, spread.value)
        self.include_claimed = QCheckBox("Move leads being worked right now too", self)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("Why (kept in every lead's history)")
        self.preview_label = QLabel(self)
        self.preview_label.setWordWrap(True)
        if lead_ids:
            form.addRow(QLabel(f"<b>{len(lead_ids):,} leads picked in the list</b>", self))
        else:
            form.addRow("From &owner:", self.owner)
            form.addRow("&Campaign:", self.campaign)
            form.addRow("&Status:", self.status)
            form.addRow("&Grade:", self.grade)
            form.addRow("Co&untry:", self.country)
        form.addRow("&To:", self.targets)
        form.addRow("S&pread:", self.spread)
        form.addRow(self.include_claimed)
        form.addRow("&Why:", self.reason)
        form.addRow(self.preview_label)
        buttons = QDialogButtonBox(self)
        self.preview_button = buttons.addButton("Pre&view", QDialogButtonBox.ButtonRole.ActionRole)
        self.move_button = buttons.addButton("&Reassign", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        self.preview_button.clicked.connect(self.preview)
        self.move_button.clicked.connect(self.move_leads)
        form.addRow(buttons)
        self.load_choices()

    def load_choices(self) -> None:
        db = self.db

        def read() -> tuple[list, list]:
            from teleprospect.services.queue.page import queue_filter_choices
            from teleprospect.services.team.users import list_users

            users = [u for u in list_users(db, include_inactive=True)]
            return users, queue_filter_choices(db).campaigns

        def show(found: tuple[list, list]) -> None:
            users, campaigns = found
            self.owner.addItem("anyone", None)
            for user in users:
                suffix = "" if user.is_active else " (deactivated)"
                self.owner.addItem(f"{user.name}{suffix}", user.id)
            self.campaign.addItem("any campaign", None)
            for campaign_id, name in campaigns:
                self.campaign.addItem(name, campaign_id)
            for user in users:
                if user.is_active:
                    item = QListWidgetItem(user.name, self.targets)
                    item.setData(Qt.ItemDataRole.UserRole, user.id)
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setCheckState(Qt.CheckState.Unchecked)

        run_in_background(
            read,
            show,
            lambda e: self.preview_label.setText(error_text(e, "The choices could not be read")),
            owner=self,
        )

    def request(self) -> ReassignRequest | None:
        from teleprospect.services.team.reassign import LeadSelection, ReassignRequest

        targets = tuple(
            self.targets.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.targets.count())
            if self.targets.item(row).checkState() == Qt.CheckState.Checked
        )
        if not targets:
            self.preview_label.setText(
                "<span style='color:#b3261e'>Tick who gets the leads.</span>"
            )
            return None
        status = self.status.currentData()
        if self.lead_ids:
            return ReassignRequest(
                LeadSelection(lead_ids=self.lead_ids),
                targets,
                Spread(self.spread.currentData()),
                self.include_claimed.isChecked(),
                self.reason.text().strip(),
            )
        selection = LeadSelection(
            owner_id=self.owner.currentData(),
            campaign_id=self.campaign.currentData(),
            statuses=(LeadStatus(status),) if status else (),
            grade=self.grade.text().strip().upper() or None,
            country=self.country.text().strip().upper() or None,
        )
        return ReassignRequest(
            selection,
            targets,
            Spread(self.spread.currentData()),
            self.include_claimed.isChecked(),
            self.reason.text().strip(),
        )

    def preview(self) -> None:
        request = self.request()
        if request is None:
            return
        db, user_id, now = self.db, self.user_id, self.now

        def read() -> Reassignment:
            from teleprospect.services.team.reassign import preview_reassignment

            return preview_reassignment(db, request, user_id, now=now)

        run_in_background(read, self.show_preview, self.failed, owner=self)

    def show_preview(self, plan: Reassignment) -> None:
        per_user = ", ".join(f"{name}: {count:,}" for _id, name, count in plan.per_user)
        claimed = ""
        if plan.claimed:
            names = ", ".join(f"{c.name} ({c.holder_name})" for c in plan.claimed[:5])
            action = "will move too" if plan.claimed_included else "are skipped"
            claimed = f"<br>{len(plan.claimed):,} being worked right now {action}: {names}"
        self.preview_label.setText(
            f"{plan.selected:,} leads selected; {len(plan.moves):,} would move ({per_user}), "
            f"with {plan.callbacks_moved:,} callbacks.{claimed}"
        )

    def move_leads(self) -> None:
        request = self.request()
        if request is None:
            return
        db, user_id, now = self.db, self.user_id, self.now

        def run() -> Reassignment:
            from teleprospect.services.team.reassign import reassign

            return reassign(db, request, user_id, now=now)

        def done(result: Reassignment) -> None:
            emit(self.done_moving, result)
            self.accept()

        self.move_button.setEnabled(False)
        run_in_background(run, done, self.failed, owner=self)

    def failed(self, error: BaseException) -> None:
        self.move_button.setEnabled(True)
        self.preview_label.setText(f"<span style='color:#b3261e'>{error}</span>")


class ExportDialog(QDialog):
    """Export sales-ready leads as one recorded hand-off batch."""

    exported = Signal(object)

    def __init__(
        self, db: Database, user_id: int, parent: QWidget, *, now: datetime | None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Hand off sales-ready leads")
        self.db, self.user_id, self.now = db, user_id, now
        form = QFormLayout(self)
        self.format = QComboBox(self)
        for fmt in ExportFormat:
            self.format.addItem(fmt.label, fmt.value)
        self.path = QLineEdit(self)
        self.path.setObjectName("exportPath")
        # The file's name is this computer's business: its own date.
        stamp = (now or datetime.now(UTC)).astimezone(local_zone()).strftime("%Y-%m-%d")
        self.path.setText(str(Path.home() / f"sales-ready-{stamp}.csv"))
        browse = QPushButton("&Browse…", self)
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.again = QCheckBox("Include leads already handed off (export them again)", self)
        self.result_label = QLabel(self)
        self.result_label.setWordWrap(True)
        form.addRow("&Format:", self.format)
        form.addRow("&File:", row)
        form.addRow(self.again)
        form.addRow(self.result_label)
        buttons = QDialogButtonBox(self)
        self.export_button = buttons.addButton("&Export", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.export_button.clicked.connect(self.export)
        form.addRow(buttons)

    def browse(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, "Export to", self.path.text(), "CSV (*.csv)"
        )
        if path:
            self.path.setText(path)

    def export(self) -> None:
        from teleprospect.services.team.handoff import ExportRequest

        text = self.path.text().strip()
        if not text:
            self.result_label.setText("Choose the file to write.")
            return
        # The save dialog has asked before replacing a file.
        request = ExportRequest(
            Path(text),
            ExportFormat(self.format.currentData()),
            again=self.again.isChecked(),
            overwrite=True,
        )
        db, user_id, now = self.db, self.user_id, self.now

        def run() -> Any:
            from teleprospect.services.team.handoff import export_handoff

            return export_handoff(db, request, user_id, now=now)

        def done(result: Any) -> None:
            self.export_button.setEnabled(True)
            self.result_label.setText(
                f"<b>{result.leads:,} leads</b> handed off in batch {result.batch_id}: "
                f"{result.path}"
            )
            emit(self.exported, result)

        def failed(error: BaseException) -> None:
            self.export_button.setEnabled(True)
            self.result_label.setText(f"<span style='color:#b3261e'>{error}</span>")

        self.export_button.setEnabled(False)
        self.result_label.setText("Exporting…")
        run_in_background(run, done, failed, owner=self)
