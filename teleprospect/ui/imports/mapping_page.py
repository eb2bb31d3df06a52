"""The wizard's third page: where each column of the file goes, and saved mappings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QWizardPage,
)

from teleprospect.core.column_mapping import ColumnMapping, mapping_warnings, suggest_mapping
from teleprospect.services.imports.mappings import load_mapping, save_mapping, saved_mapping_names
from teleprospect.ui.background import run_in_background
from teleprospect.ui.forms.ui_import_mapping_page import Ui_ImportMappingPage
from teleprospect.ui.imports.mapping_model import MappingTableModel, TargetDelegate
from teleprospect.ui.imports.page_tools import fit_rows, problem_text, set_note, style_note

if TYPE_CHECKING:
    from teleprospect.ui.imports.wizard import ImportWizard


def samples(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """For each column the first non-empty value of the preview rows."""
    found = []
    for position in range(len(header)):
        value = next(
            (row[position].strip() for row in rows if len(row) > position and row[position]),
            "",
        )
        found.append(" ".join(value.split()))
    return found


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self._filling = False
        self.ui = ui = Ui_ImportMappingPage()
        ui.setupUi(self)
        style_note(ui.mappingStatusLabel, "hint")
        style_note(ui.mappingWarningsLabel, "warning")

        self.model = MappingTableModel(self)
        self.model.mapping_changed.connect(self._show_warnings)
        table = ui.mappingTable
        table.setModel(self.model)
        table.setItemDelegateForColumn(MappingTableModel.TARGET, TargetDelegate(table))
        probe = QComboBox()
        probe.addItem("Keep as extra attribute")
        fit_rows(table, extra=0)
        table.verticalHeader().setDefaultSectionSize(probe.sizeHint().height() + 4)
        header = table.horizontalHeader()
        header.setSectionResizeMode(MappingTableModel.COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(MappingTableModel.SAMPLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(MappingTableModel.TARGET, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(MappingTableModel.TARGET, probe.sizeHint().width() + 40)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        ui.savedMappingCombo.currentIndexChanged.connect(self._saved_chosen)
        ui.saveMappingButton.clicked.connect(self.save_as)
        self.fill_saved_names([])

    def initializePage(self) -> None:
        preview = self.owner.preview
        if preview is None:
            return
        header = preview.dialect.header
        if self.model.header() != header:
            # A new file, or the same one read another way: start from the suggestion.
            self.model.set_columns(header, samples(header, preview.rows), preview.suggested)
            self._open_editors()  # after the view's own reset, which drops editors
            # The keyboard starts on the first choice, not on no cell at all.
            self.ui.mappingTable.setCurrentIndex(self.model.index(0, MappingTableModel.TARGET))
            self._select_saved(None)
            set_note(self.ui.mappingStatusLabel, "")
        self._fit_name_column()

    def validatePage(self) -> bool:
        self.owner.mapping = self.model.mapping()
        return True

    # -- saved mappings

    def fill_saved_names(self, names: Sequence[str]) -> None:
        combo = self.ui.savedMappingCombo
        current = combo.currentData()
        self._filling = True
        try:
            combo.clear()
            combo.addItem("None: suggested from the column names", None)
            for name in names:
                combo.addItem(name, name)
            position = combo.findData(current) if current else 0
            combo.setCurrentIndex(max(position, 0))
        finally:
            self._filling = False

    def _select_saved(self, name: str | None) -> None:
        combo = self.ui.savedMappingCombo
        self._filling = True
        try:
            position = combo.findData(name) if name else 0
            combo.setCurrentIndex(max(position, 0))
        finally:
            self._filling = False

    def _saved_chosen(self) -> None:
        if self._filling or self.owner.preview is None:
            return
        combo = self.ui.savedMappingCombo
        status = self.ui.mappingStatusLabel
        name = combo.currentData()
        preview = self.owner.preview
        if name is None:
            self.model.set_mapping(preview.suggested)
            set_note(status, "Back to the suggested mapping.")
            return
        header = preview.dialect.header
        db = self.owner.db
        set_note(status, f"Reading the mapping “{name}”…")
        combo.setEnabled(False)

        def applied(saved: ColumnMapping) -> None:
            combo.setEnabled(True)
            # Columns the saved mapping does not name keep their suggestion.
            self.model.set_mapping(suggest_mapping(header, saved))
            set_note(status, f"Applied the saved mapping “{name}”.")

        def failed(error: BaseException) -> None:
            combo.setEnabled(True)
            set_note(status, problem_text(error))

        run_in_background(lambda: load_mapping(db, name), applied, failed, owner=self)

    def save_as(self) -> None:
        suggestion = self.ui.savedMappingCombo.currentData() or (
            self.owner.path.stem if self.owner.path else ""
        )
        name, accepted = QInputDialog.getText(
            self,
            "Save mapping",
            "Save this mapping as (for the next file of this kind):",
            QLineEdit.EchoMode.Normal,
            suggestion,
        )
        name = " ".join(name.split())
        if not accepted or not name:
            return
        if name in self.owner.saved_names:
            answer = QMessageBox.question(
                self,
                "Save mapping",
                f"A mapping called “{name}” exists. Replace it with this one?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        mapping = self.model.mapping()
        db = self.owner.db
        button = self.ui.saveMappingButton
        status = self.ui.mappingStatusLabel
        button.setEnabled(False)
        set_note(status, f"Saving “{name}”…")

        def saved(names: list[str]) -> None:
            button.setEnabled(True)
            self.owner.saved_names = names
            self.fill_saved_names(names)
            self._select_saved(name)
            set_note(status, f"Saved as “{name}”.")

        def failed(error: BaseException) -> None:
            button.setEnabled(True)
            set_note(status, problem_text(error))

        def work() -> list[str]:
            save_mapping(db, name, mapping)
            return saved_mapping_names(db)

        run_in_background(work, saved, failed, owner=self)

    # -- the table

    def _open_editors(self) -> None:
        for row in range(self.model.rowCount()):
            self.ui.mappingTable.openPersistentEditor(
                self.model.index(row, MappingTableModel.TARGET)
            )

    def _fit_name_column(self) -> None:
        table = self.ui.mappingTable
        metrics = table.fontMetrics()
        widest = max((metrics.horizontalAdvance(c) for c in self.model.header()), default=80)
        title = metrics.horizontalAdvance(MappingTableModel.TITLES[0])
        table.setColumnWidth(MappingTableModel.COLUMN, min(max(widest, title) + 24, 260))

    def _show_warnings(self) -> None:
        preview = self.owner.preview
        warnings = mapping_warnings(self.model.mapping(), preview.leads if preview else None)
        set_note(self.ui.mappingWarningsLabel, "\n".join(f"• {w}" for w in warnings))
