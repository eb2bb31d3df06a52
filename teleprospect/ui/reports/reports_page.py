"""The Reports tab, for team leads: choose a report, a date range and filters; the report
is computed on a worker and shown as a chart over its table; the table exports to CSV and
the chart to PNG or PDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from teleprospect.core.reports import Grouping, ReportFilter
from teleprospect.services.reports import REPORTS, ReportChoices, report_choices, run_report
from teleprospect.services.reports.export import write_report_csv
from teleprospect.ui.background import run_in_background
from teleprospect.ui.errors import error_text
from teleprospect.ui.reports.chart_data import chart_data
from teleprospect.ui.reports.charts import make_chart, save_chart
from teleprospect.ui.reports.report_model import ReportTableModel
from teleprospect.ui.signals import emit

if TYPE_CHECKING:
    from teleprospect.services.reports import Report
    from teleprospect.store.database import Database

__all__ = ["DEFAULT_DAYS", "ReportsPage"]

DEFAULT_DAYS = 90
ALL = "All"


class ReportsPage(QWidget):
    """The Reports tab."""

    #: A sentence for the status bar (a file written).
    message = Signal(str)
    #: A report was shown (tests wait on it).
    shown = Signal()

    def __init__(self, db: Database, user_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportsPage")
        self.db, self.user_id = db, user_id
        self.report: Report[Any] | None = None
        self.generation = 0
        self.chart: QWidget | None = None
        self.model = ReportTableModel(self)
        self.started = False
        self.setup_controls()
        self.setup_body()

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        # Nothing is computed until a team lead opens the tab.
        super().showEvent(event)
        if not self.started:
            self.load_choices()

    # -- set-up ------------------------------------------------------------------------

    def _combo(self, name: str, tip: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setToolTip(tip)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return combo

    def setup_controls(self) -> None:
        self.report_box = self._combo("reportBox", "Which report")
        for kind in REPORTS.values():
            suffix = "" if kind.available else " (not yet available)"
            self.report_box.addItem(kind.title + suffix, kind.name)
            if not kind.available:
                item = self.report_box.model().item(self.report_box.count() - 1)  # type: ignore[attr-defined]
                item.setEnabled(False)
                item.setToolTip(kind.description)
        self.by_box = self._combo("byBox", "One row per …")
        today = QDate.currentDate()
        self.from_edit, self.to_edit = QDateEdit(self), QDateEdit(self)
        for edit, name, value in (
            (self.from_edit, "fromDate", today.addDays(1 - DEFAULT_DAYS)),
            (self.to_edit, "toDate", today),
        ):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(value)
        self.campaign_box = self._combo("campaignBox", "Only leads of this campaign")
        self.source_box = self._combo("sourceBox", "Only leads of this source")
        self.rep_box = self._combo("repBox", "Only this rep (the lead's owner, or the caller)")
        self.country_box = self._combo("countryBox", "Only leads in this country")
        self.export_button = QPushButton("Export &CSV…", self)
        self.export_button.setObjectName("exportCsvButton")
        self.save_chart_button = QPushButton("Save c&hart…", self)
        self.save_chart_button.setObjectName("saveChartButton")
        top = QHBoxLayout()
        for label, widget in (
            ("&Report", self.report_box),
            ("&By", self.by_box),
            ("&From", self.from_edit),
            ("&To", self.to_edit),
        ):
            caption = QLabel(label, self)
            caption.setBuddy(widget)
            top.addWidget(caption)
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.export_button)
        top.addWidget(self.save_chart_button)
        filters = QHBoxLayout()
        for label, widget in (
            ("Ca&mpaign", self.campaign_box),
            ("&Source", self.source_box),
            ("R&ep", self.rep_box),
            ("Co&untry", self.country_box),
        ):
            caption = QLabel(label, self)
            caption.setBuddy(widget)
            filters.addWidget(caption)
            filters.addWidget(widget)
        filters.addStretch(1)
        self.status = QLabel(self)
        self.status.setObjectName("reportStatus")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.status)
        self.report_box.currentIndexChanged.connect(self.report_chosen)
        for combo in (self.by_box, self.campaign_box, self.source_box, self.rep_box):
            combo.currentIndexChanged.connect(self.refresh)
        self.country_box.currentIndexChanged.connect(self.refresh)
        self.from_edit.dateChanged.connect(self.refresh)
        self.to_edit.dateChanged.connect(self.refresh)
        self.export_button.clicked.connect(self.ask_export)
        self.save_chart_button.clicked.connect(self.ask_save_chart)
        self.report_chosen()

    def setup_body(self) -> None:
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.chart_holder = QWidget(self.splitter)
        self.chart_layout = QVBoxLayout(self.chart_holder)
        self.chart_layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableView(self.splitter)
        self.table.setObjectName("reportTable")
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = self.layout()
        assert layout is not None
        layout.addWidget(self.splitter)

    # -- choices ------------------------------------------------------------------------

    def load_choices(self) -> None:
        self.started = True
        db, user_id = self.db, self.user_id
        run_in_background(
            lambda: report_choices(db, user_id), self.fill_choices, self.show_failure, owner=self
        )

    def fill_choices(self, choices: ReportChoices) -> None:
        boxes: list[tuple[QComboBox, list[tuple[str, Any]]]] = [
            (self.campaign_box, [(name, cid) for cid, name in choices.campaigns]),
            (self.source_box, [(s, s) for s in choices.sources]),
            (self.rep_box, [(name, uid) for uid, name in choices.reps]),
            (self.country_box, [(c, c) for c in choices.countries]),
        ]
        for box, items in boxes:
            box.blockSignals(True)
            box.clear()
            box.addItem(ALL, None)
            for text, value in items:
                box.addItem(text, value)
            box.blockSignals(False)
        self.refresh()

    # -- the report ---------------------------------------------------------------------

    def report_chosen(self) -> None:
        kind = REPORTS[self.report_box.currentData()]
        self.by_box.blockSignals(True)
        self.by_box.clear()
        for grouping in kind.groupings:
            self.by_box.addItem(grouping.value.capitalize(), grouping.value)
        self.by_box.setEnabled(bool(kind.groupings))
        self.by_box.blockSignals(False)
        self.refresh()

    def _date(self, edit: QDateEdit) -> date:
        value = edit.date()
        return date(value.year(), value.month(), value.day())

    def current_filter(self) -> ReportFilter:
        def chosen(box: QComboBox) -> tuple[Any, ...]:
            value = box.currentData()
            return () if value is None else (value,)

        return ReportFilter.days(
            self._date(self.from_edit),
            self._date(self.to_edit),
            campaign_ids=chosen(self.campaign_box),
            sources=chosen(self.source_box),
            rep_ids=chosen(self.rep_box),
            countries=chosen(self.country_box),
        )

    def refresh(self) -> None:
        """Compute the chosen report on a worker; a newer request makes older ones stale."""
        if not hasattr(self, "table") or not self.started:
            return  # still setting up, or not shown yet
        self.generation += 1
        generation = self.generation
        name = self.report_box.currentData()
        grouping = Grouping(self.by_box.currentData()) if self.by_box.currentData() else None
        try:
            f = self.current_filter()
        except ValueError as error:
            self.show_failure(error)
            return
        self.status.setText("Computing…")
        db, user_id = self.db, self.user_id

        def done(report: Report[Any]) -> None:
            if generation == self.generation:
                self.show_report(report)

        def failed(error: BaseException) -> None:
            if generation == self.generation:
                self.show_failure(error)

        run_in_background(
            lambda: run_report(db, user_id, name, f, grouping), done, failed, owner=self
        )

    def show_report(self, report: Report[Any]) -> None:
        self.report = report
        self.model.set_report(report)
        self.table.resizeColumnsToContents()
        self._replace_chart(make_chart(chart_data(report), self.chart_holder))
        rows = len(report.rows)
        self.status.setText(
            f"{report.title}: {rows} row{'s' if rows != 1 else ''}."
            if rows
            else "No data in this range."
        )
        self.export_button.setEnabled(bool(rows))
        self.save_chart_button.setEnabled(bool(rows))
        emit(self.shown)

    def show_failure(self, error: BaseException) -> None:
        self.report = None
        self.model.set_report(None)
        self._replace_chart(None)
        self.status.setText(error_text(error))
        self.export_button.setEnabled(False)
        self.save_chart_button.setEnabled(False)
        emit(self.shown)

    def _replace_chart(self, chart: QWidget | None) -> None:
        if self.chart is not None:
            self.chart_layout.removeWidget(self.chart)
            self.chart.deleteLater()
        self.chart = chart
        if chart is not None:
            self.chart_layout.addWidget(chart)

    # -- files -------------------------------------------------------------------------

    def ask_export(self) -> None:
        if self.report is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, "Export report", f"{self.report.name}.csv", "CSV files (*.csv)"
        )
        if name:
            self.export_csv(Path(name))

    def export_csv(self, path: Path) -> None:
        report = self.report
        if report is None:
            return
        run_in_background(
            lambda: write_report_csv(report, path),
            lambda count: emit(self.message, f"Exported {count} rows to {path.name}."),
            self.show_failure,
            owner=self,
        )

    def ask_save_chart(self) -> None:
        if self.chart is None or self.report is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, "Save chart", f"{self.report.name}.png", "Images (*.png);;PDF (*.pdf)"
        )
        if name:
            self.save_chart(Path(name))

    def save_chart(self, path: Path) -> None:
        """Drawn on the GUI thread: a widget may not be painted on a worker."""
        if self.chart is None:
            return
        try:
            save_chart(self.chart, path)
        except OSError as error:
            self.status.setText(str(error))
            return
        emit(self.message, f"Saved the chart to {path.name}.")
