"""The wizard's last page: what happened to each row, the duplicates, the files written."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHeaderView, QLabel, QWizardPage

from teleprospect.ui.forms.ui_import_summary_page import Ui_ImportSummaryPage
from teleprospect.ui.imports.page_tools import AnyIndex, count, fit_rows, style_note

if TYPE_CHECKING:
    from teleprospect.ui.imports.wizard import ImportWizard

#: Duplicates listed on the summary page; the summary file has them all.
DUPLICATES_SHOWN = 500
#: The counts shown, by the summary's attribute (each has a ``count_<key>`` label).
COUNTS = (
    "rows",
    "imported",
    "updated",
    "duplicates",
    "rejected",
    "invalid_phones",
    "dnc",
    "flagged",
)


class DuplicateListModel(QAbstractTableModel):
    """The duplicates an import found: row, matched lead, why, what was done."""

    TITLES = ("Row", "Matched lead", "Why", "What was done")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[Any] = []

    def set_duplicates(self, items: Sequence[Any]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.TITLES)

    def data(self, index: AnyIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 0:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        found = self._items[index.row()]
        column = index.column()
        if column == 0:
            return count(found.row_number)
        if column == 1:
            name = found.lead_name or "(no name)"
            return f"#{found.lead_id} {name}" if found.lead_id else name
        if column == 2:
            return found.reason
        return found.action

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return self.TITLES[section] if 0 <= section < len(self.TITLES) else None


class SummaryPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.ui = ui = Ui_ImportSummaryPage()
        ui.setupUi(self)
        style_note(ui.summaryHeadline)
        self.counts: dict[str, QLabel] = {key: getattr(ui, f"count_{key}") for key in COUNTS}
        for value in self.counts.values():
            value.setMinimumWidth(value.fontMetrics().horizontalAdvance("1,000,000") + 8)
        ui.openRejectsButton.clicked.connect(lambda: self._open(self.owner.reject_file()))
        ui.openSummaryButton.clicked.connect(lambda: self._open(self.owner.summary_file()))
        ui.showLeadsButton.clicked.connect(self.owner.show_imported_leads)

        self.duplicates_model = DuplicateListModel(self)
        table = ui.duplicatesTable
        table.setModel(self.duplicates_model)
        fit_rows(table)
        header = table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

    def initializePage(self) -> None:
        summary = self.owner.summary
        if summary is None:
            return
        ui = self.ui
        self.setTitle("Dry run finished" if summary.dry_run else "Import finished")
        campaign = self.owner.campaign_used
        into = f" into the campaign “{campaign}”" if campaign else ""
        if summary.dry_run:
            headline = (
                f"Nothing was saved. Imported for real, {summary.file_name} would add "
                f"{count(summary.imported)} new leads{into}."
            )
        else:
            took = "under a second" if summary.seconds < 1 else f"{summary.seconds:.0f} seconds"
            headline = (
                f"{count(summary.imported)} new leads from {summary.file_name}{into} "
                f"(import #{summary.batch_id}, {took})."
            )
        ui.summaryHeadline.setText(headline)
        for key, label in self.counts.items():
            label.setText(count(getattr(summary, key)))
        ui.openRejectsButton.setEnabled(self.owner.reject_file() is not None)
        ui.openSummaryButton.setEnabled(self.owner.summary_file() is not None)
        ui.showLeadsButton.setEnabled(bool(summary.imported_lead_ids))
        found = summary.duplicate_list
        self.duplicates_model.set_duplicates(found[:DUPLICATES_SHOWN])
        if not found:
            ui.duplicatesTitleLabel.setText("No duplicates were found.")
        elif len(found) > DUPLICATES_SHOWN:
            ui.duplicatesTitleLabel.setText(
                f"Duplicates: the first {count(DUPLICATES_SHOWN)} of {count(len(found))} "
                "(the summary lists them all):"
            )
        else:
            ui.duplicatesTitleLabel.setText("Duplicates:")
        ui.duplicatesTable.setVisible(bool(found))
        ui.duplicatesTable.resizeColumnsToContents()
        ui.duplicatesTable.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.Stretch
        )

    def _open(self, path: Path | None) -> None:
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
