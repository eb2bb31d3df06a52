"""The wizard's second page: the first rows of the file, as detected, to check how it reads."""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtWidgets import QHeaderView, QWizardPage

from teleprospect.services.imports.errors import ImportError_
from teleprospect.services.imports.leads import ImportPreview, preview_file
from teleprospect.ui.background import run_in_background
from teleprospect.ui.forms.ui_import_preview_page import Ui_ImportPreviewPage
from teleprospect.ui.imports.page_tools import (
    AnyIndex,
    fit_rows,
    problem_text,
    set_note,
    style_note,
)
from teleprospect.ui.signals import emit

if TYPE_CHECKING:
    from teleprospect.store.database import Database
    from teleprospect.ui.imports.wizard import ImportWizard

# (shown, codec as codecs.lookup() names it). "Detected" files with a BOM read as UTF-8
# here; the reader keeps the BOM out of the first column name by itself.
ENCODINGS = (
    ("UTF-8", "utf-8"),
    ("UTF-16 (Excel “Unicode text”)", "utf-16"),
    ("Windows-1252 (Western European)", "cp1252"),
    ("Latin-1 (ISO 8859-1)", "iso8859-1"),
)
DELIMITERS = (
    ("Comma  ,", ","),
    ("Semicolon  ;", ";"),
    ("Tab", "\t"),
    ("Vertical bar  |", "|"),
)


class PreviewTableModel(QAbstractTableModel):
    """The first rows of the file as read with the chosen encoding and delimiter."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._header: tuple[str, ...] = ()
        self._rows: list[list[str]] = []

    def set_rows(self, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        self.beginResetModel()
        self._header = tuple(header)
        width = len(self._header)
        # Short rows are padded so every cell the view asks for exists.
        self._rows = [[*row[:width], *[""] * (width - len(row))] for row in rows]
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._header)

    def data(self, index: AnyIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._rows[index.row()][index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._header[section] if 0 <= section < len(self._header) else None
        return str(section + 1)


@dataclass(frozen=True)
class PreviewResult:
    preview: ImportPreview
    #: "This file was already imported on … by …", or "".
    previous_note: str


def preview_with_history(
    db: Database, path: Path, encoding: str | None, delimiter: str | None
) -> PreviewResult:
    """The file's first rows, and whether it was imported before (in the background)."""
    if not path.is_file():
        raise ImportError_(f"{path.name} does not exist or is not a file.")
    # Counted for the mapping page's warnings ("500 leads will have no phone").
    preview = preview_file(db, path, encoding=encoding, delimiter=delimiter, count=True)
    # The service's own sentence, so the wizard and the command line agree.
    return PreviewResult(preview, preview.previous_note)


class PreviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self._loading = False
        self._error = ""
        self._request = 0  # results of older requests are dropped
        self._filling = False
        self.ui = ui = Ui_ImportPreviewPage()
        ui.setupUi(self)
        style_note(ui.previewStatusLabel, "hint")
        style_note(ui.errorLabel, "error")
        style_note(ui.previousImportLabel, "warning")
        for text, codec in ENCODINGS:
            ui.encodingCombo.addItem(text, codec)
        for text, delimiter in DELIMITERS:
            ui.delimiterCombo.addItem(text, delimiter)
        ui.encodingCombo.currentIndexChanged.connect(self._choice_changed)
        ui.delimiterCombo.currentIndexChanged.connect(self._choice_changed)

        self.model = PreviewTableModel(self)
        ui.previewTable.setModel(self.model)
        ui.previewTable.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        fit_rows(ui.previewTable)

    # -- the page

    def initializePage(self) -> None:
        path = self.owner.file_page.path()
        if path is None:
            return
        if self.owner.preview is not None and path == self.owner.path:
            return  # back and forth: keep what the user chose
        self.owner.path = path
        self.owner.preview = None
        self.load(path, encoding=None, delimiter=None)

    def isComplete(self) -> bool:
        return self.owner.preview is not None and not self._loading and not self._error

    def load(self, path: Path, *, encoding: str | None, delimiter: str | None) -> None:
        self._request += 1
        request = self._request
        self._loading = True
        self._error = ""
        set_note(self.ui.errorLabel, "")
        set_note(self.ui.previewStatusLabel, f"Reading {path.name}…")
        emit(self.completeChanged)
        db = self.owner.db
        run_in_background(
            lambda: preview_with_history(db, path, encoding, delimiter),
            lambda result: self._shown(request, result),
            lambda error: self._failed(request, error),
            owner=self,
        )

    def _shown(self, request: int, result: PreviewResult) -> None:
        if request != self._request:
            return
        self._loading = False
        preview = result.preview
        self.owner.preview = preview
        self.owner.previous_note = result.previous_note
        dialect = preview.dialect
        self._select_choices(dialect.encoding, dialect.delimiter)
        self.ui.detectedLabel.setText(
            " ".join(filter(None, (f"Read as {dialect.description}.", dialect.skipped_note)))
        )
        columns = len(dialect.header)
        shown = len(preview.rows)
        set_note(
            self.ui.previewStatusLabel,
            f"{columns} columns; the first {shown} rows are shown."
            if shown
            else f"{columns} columns.",
        )
        set_note(self.ui.previousImportLabel, result.previous_note)
        self.model.set_rows(dialect.header, preview.rows)
        self._fit_columns()
        emit(self.completeChanged)

    def _failed(self, request: int, error: BaseException) -> None:
        if request != self._request:
            return
        self._loading = False
        self.owner.preview = None
        self._error = problem_text(error)
        set_note(self.ui.previousImportLabel, "")
        set_note(self.ui.errorLabel, self._error)
        set_note(
            self.ui.previewStatusLabel, "Go Back to choose another file, or try another encoding."
        )
        self.ui.detectedLabel.setText("")
        self.model.set_rows((), ())
        emit(self.completeChanged)

    def error_text(self) -> str:
        return self._error

    def _select_choices(self, encoding: str, delimiter: str) -> None:
        codec = codecs.lookup(encoding).name
        if codec == "utf-8-sig":
            codec = "utf-8"
        ui = self.ui
        self._filling = True
        try:
            for combo, value in ((ui.encodingCombo, codec), (ui.delimiterCombo, delimiter)):
                position = combo.findData(value)
                if position < 0:
                    combo.addItem(repr(value) if combo is ui.delimiterCombo else value, value)
                    position = combo.count() - 1
                combo.setCurrentIndex(position)
        finally:
            self._filling = False

    def _choice_changed(self) -> None:
        if self._filling or self.owner.path is None:
            return
        self.load(
            self.owner.path,
            encoding=self.ui.encodingCombo.currentData(),
            delimiter=self.ui.delimiterCombo.currentData(),
        )

    def _fit_columns(self) -> None:
        header = self.ui.previewTable.horizontalHeader()
        header.resizeSections(QHeaderView.ResizeMode.ResizeToContents)
        # A long free-text column must not push the others off the page.
        limit = max(self.fontMetrics().horizontalAdvance("x") * 40, 200)
        for section in range(header.count()):
            header.resizeSection(section, min(header.sectionSize(section), limit))
