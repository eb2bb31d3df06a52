"""The Audit tab, for team leads: who did what, as whom, when and from where.

Filters (user, lead, kind, a day range) narrow the trail; the table reads it newest first
a page at a time on a worker; the selected entry is shown whole under the table; "Export
CSV…" writes what the filters select to a file. The services check the role on every read,
so a refused read says why even if the page is reached some other way.
"""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QItemSelection, QLocale, QTimer, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import QDateEdit, QFileDialog, QWidget

from teleprospect.core.audit import AuditKind, describe_value
from teleprospect.core.text import printable
from teleprospect.ui.background import run_in_background
from teleprospect.ui.desk.queue_model import local_zone
from teleprospect.ui.errors import error_text, show_error
from teleprospect.ui.forms.ui_audit_page import Ui_AuditPage
from teleprospect.ui.signals import emit
from teleprospect.ui.tables.table_columns import fit_columns_to_samples, setup_lead_table_view
from teleprospect.ui.team.audit_model import COLUMNS, AuditTableModel, local_time_text

if TYPE_CHECKING:
    from teleprospect.services.audit.trail import AuditExport, AuditFilter, AuditRow
    from teleprospect.store.database import Database

#: Typing a lead id waits this long for the next key before the trail is read again.
TYPING_PAUSE_MS = 400
#: Ids are 32-bit on PostgreSQL.
MAX_ID = 2**31 - 1


class AuditPage(QWidget):
    """The Audit tab."""

    #: A sentence for the status bar (an export written).
    message = Signal(str)

    def __init__(self, db: Database, user_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditPage")
        self.db, self.user_id = db, user_id
        self.ui = Ui_AuditPage()
        self.ui.setupUi(self)
        self.model = AuditTableModel(parent=self)
        self.setup_table()
        self.setup_filters()
        self.show_entry(None)
        self.ui.exportButton.clicked.connect(self.ask_export)
        self.ui.refreshButton.clicked.connect(self.refresh)

    # -- set-up ------------------------------------------------------------------------

    def setup_table(self) -> None:
        table = self.ui.auditTable
        table.setModel(self.model)
        setup_lead_table_view(table)
        fit_columns_to_samples(table, COLUMNS)
        self.model.loading_changed.connect(lambda _loading: self.show_count())
        self.model.modelReset.connect(self.show_count)
        self.model.rowsInserted.connect(lambda *_: self.show_count())
        self.model.load_failed.connect(self.read_failed)
        table.selectionModel().selectionChanged.connect(self.show_selected)

    def setup_filters(self) -> None:
        ui = self.ui
        ui.userFilter.addItem("anyone", None)
        ui.kindFilter.addItem("every kind", None)
        for kind in AuditKind:
            ui.kindFilter.addItem(kind.label, kind.value)
        ui.leadFilter.setValidator(QIntValidator(1, MAX_ID, ui.leadFilter))
        today = QDate.currentDate()
        ui.sinceFilter.setDate(today.addDays(-7))
        ui.untilFilter.setDate(today)
        self.typing = QTimer(self)
        self.typing.setSingleShot(True)
        self.typing.setInterval(TYPING_PAUSE_MS)
        self.typing.timeout.connect(self.apply_filters)
        ui.leadFilter.textChanged.connect(lambda _text: self.typing.start())
        ui.userFilter.currentIndexChanged.connect(lambda _i: self.apply_filters())
        ui.kindFilter.currentIndexChanged.connect(lambda _i: self.apply_filters())
        for check, edit in ((ui.sinceCheck, ui.sinceFilter), (ui.untilCheck, ui.untilFilter)):
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(lambda _on: self.apply_filters())
            edit.dateChanged.connect(lambda _date: self.apply_filters())
        ui.clearFiltersButton.clicked.connect(self.clear_filters)

    def read_users(self) -> None:
        db = self.db

        def read() -> list[Any]:
            from teleprospect.services.team.users import list_users

            return list_users(db, include_inactive=True)

        def show(users: list[Any]) -> None:
            combo = self.ui.userFilter
            chosen = combo.currentData()
            combo.blockSignals(True)  # the same filter: no need to read the trail again
            combo.clear()
            combo.addItem("anyone", None)
            for user in users:
                gone = "" if user.is_active else ", deactivated"
                combo.addItem(printable(f"{user.name} ({user.login}{gone})"), user.id)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.blockSignals(False)

        run_in_background(read, show, self.read_failed, owner=self)

    # -- filters -----------------------------------------------------------------------

    def current_filter(self) -> AuditFilter:
        from teleprospect.services.audit.trail import AuditFilter

        ui = self.ui
        lead = ui.leadFilter.text().strip()
        kind = ui.kindFilter.currentData()
        return AuditFilter(
            user_id=ui.userFilter.currentData(),
            lead_id=int(lead) if lead.isdigit() and 1 <= int(lead) <= MAX_ID else None,
            kinds=(AuditKind(kind),) if kind else (),
            since=_day_start(ui.sinceFilter) if ui.sinceCheck.isChecked() else None,
            # The day shown is included: up to the start of the next one.
            until=_day_start(ui.untilFilter, days=1) if ui.untilCheck.isChecked() else None,
        )

    def apply_filters(self) -> None:
        self.typing.stop()
        where = self.current_filter()
        if where != self.model.filter:
            self.show_entry(None)
            self.model.set_filter(where)

    def clear_filters(self) -> None:
        ui = self.ui
        for widget in (ui.userFilter, ui.kindFilter, ui.leadFilter, ui.sinceCheck, ui.untilCheck):
            widget.blockSignals(True)
        ui.userFilter.setCurrentIndex(0)
        ui.kindFilter.setCurrentIndex(0)
        ui.leadFilter.clear()
        for check, edit in ((ui.sinceCheck, ui.sinceFilter), (ui.untilCheck, ui.untilFilter)):
            check.setChecked(False)
            edit.setEnabled(False)
        for widget in (ui.userFilter, ui.kindFilter, ui.leadFilter, ui.sinceCheck, ui.untilCheck):
            widget.blockSignals(False)
        self.apply_filters()

    def refresh(self) -> None:
        """Read the trail from the newest entry (new acts since the last time), and the
        users. The page reads nothing until it is first shown."""
        self.read_users()
        self.show_entry(None)
        self.model.show(self.db, self.user_id, self.current_filter())

    # -- what is shown -------------------------------------------------------------------

    def show_count(self) -> None:
        shown = QLocale().toString(self.model.rowCount())
        if self.model.is_loading:
            text = "Reading the audit trail…"
        elif self.model.rowCount() == 0:
            text = "No entries match the filters." if self._filtered() else "No entries yet."
        elif self.model.all_loaded:
            text = f"{shown} entr{'ies' if self.model.rowCount() != 1 else 'y'}, newest first."
        else:
            text = f"The newest {shown} entries; scroll down for older ones."
        self.ui.auditStatus.setText(text)

    def _filtered(self) -> bool:
        where = self.model.filter
        return where is not None and any(
            value not in (None, ())
            for value in (where.user_id, where.lead_id, where.kinds, where.since, where.until)
        )

    def show_selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.ui.auditTable.selectionModel().selectedRows()
        self.show_entry(self.model.entry(rows[0].row()) if rows else None)

    def show_entry(self, row: AuditRow | None) -> None:
        """The selected entry whole under the table; nothing (no empty box) without one."""
        self.ui.entryDetails.setText(entry_text(row) if row is not None else "")
        self.ui.entryDetails.setVisible(row is not None)

    def read_failed(self, error: BaseException) -> None:
        self.ui.auditStatus.setText(error_text(error, "The audit trail could not be read"))

    # -- export --------------------------------------------------------------------------

    def ask_export(self) -> None:
        stamp = datetime.now(local_zone()).strftime("%Y-%m-%d")
        path, _filter = QFileDialog.getSaveFileName(
            self,
            "Export the audit trail",
            str(Path.home() / f"audit-trail-{stamp}.csv"),
            "CSV files (*.csv)",
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write the entries the filters select to ``path`` (the save dialog has asked
        before replacing a file)."""
        db, user_id, where = self.db, self.user_id, self.current_filter()

        def run() -> AuditExport:
            from teleprospect.services.audit.trail import export_audit_trail

            return export_audit_trail(db, user_id, path, where, overwrite=True)

        def done(written: AuditExport) -> None:
            self.ui.exportButton.setEnabled(True)
            self.ui.auditStatus.setText(written.describe() + ".")
            emit(self.message, written.describe() + ".")

        def failed(error: BaseException) -> None:
            self.ui.exportButton.setEnabled(True)
            self.show_count()
            show_error(self, "The audit trail was not exported", error)

        self.ui.exportButton.setEnabled(False)
        self.ui.auditStatus.setText("Exporting…")
        run_in_background(run, done, failed, owner=self)


def _day_start(edit: QDateEdit, days: int = 0) -> datetime:
    """The first moment of the day ``edit`` shows (plus ``days``), on this computer's clock
    (its offset on that day: summer time may differ from today's)."""
    day = edit.date().addDays(days)
    return datetime.combine(date(day.year(), day.month(), day.day()), time()).astimezone()


def entry_text(row: AuditRow) -> str:
    """The whole entry, for the line under the table: nothing is cut there."""
    where = f" on {row.workstation}" if row.workstation else ""
    lines = [
        f"{row.what} — {row.who}{where}, {local_time_text(row.at)}",
        f"Before: {describe_value(row.before, listed=None) or '—'}",
        f"After: {describe_value(row.after, listed=None) or '—'}",
    ]
    return printable("\n".join(lines), multiline=True)
