"""The lead import wizard: file → preview → mapping → options → run → summary.

Every page only gathers choices and shows results; reading the file, the database and
the import itself run through :func:`run_in_background` (DESIGN.md §2 rule 3), so the
window stays responsive with a million-row file. The wizard keeps what the user chose on
every page: after an error or a cancel, Back leads to the same choices, ready to run again.

The main window opens it with :func:`open_import_wizard` (menu, shortcut, or a CSV file
dropped on it) and listens to :attr:`ImportWizard.show_leads` and
:attr:`ImportWizard.import_finished`.
"""

from __future__ import annotations

import codecs
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpacerItem,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from teleprospect.config import data_dir
from teleprospect.core.column_mapping import (
    ColumnMapping,
    ColumnTarget,
    LeadField,
    PhoneLabel,
    mapping_warnings,
    suggest_mapping,
)
from teleprospect.core.csv_reader import CsvError
from teleprospect.core.domain import DuplicatePolicy, ImportKind
from teleprospect.services.identity.current_user import os_login
from teleprospect.services.imports.batches import previous_import
from teleprospect.services.imports.campaigns import campaign_names
from teleprospect.services.imports.errors import AlreadyImported, ImportCancelled, ImportError_
from teleprospect.services.imports.leads import (
    ImportPreview,
    LeadImportRequest,
    import_leads,
    preview_file,
)
from teleprospect.services.imports.mappings import (
    load_mapping,
    save_mapping,
    saved_mapping_names,
)
from teleprospect.services.imports.reports import ImportSummary
from teleprospect.store.database import Database, DatabaseError, first_line
from teleprospect.ui.background import run_in_background
from teleprospect.ui.signals import emit

log = logging.getLogger(__name__)

AnyIndex = QModelIndex | QPersistentModelIndex

__all__ = [
    "DuplicateListModel",
    "ImportWizard",
    "MappingTableModel",
    "PreviewTableModel",
    "TargetDelegate",
    "open_import_wizard",
    "target_label",
    "user_message",
]

# Page ids, in the order the user meets them.
FILE_PAGE, PREVIEW_PAGE, MAPPING_PAGE, OPTIONS_PAGE, RUN_PAGE, SUMMARY_PAGE = range(6)

#: Duplicates listed on the summary page; the summary file has them all.
DUPLICATES_SHOWN = 500
#: Where reject files and summaries go, as for the command line's import.
REPORT_FOLDER = "imports"
FILE_FILTER = "CSV files (*.csv *.txt *.tsv);;All files (*)"

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

# Every place a column can go, in the order a person reads a contact card.
TARGETS: tuple[ColumnTarget, ...] = (
    ColumnTarget(LeadField.FIRST_NAME),
    ColumnTarget(LeadField.LAST_NAME),
    ColumnTarget(LeadField.FULL_NAME),
    ColumnTarget(LeadField.EMAIL),
    ColumnTarget(LeadField.PHONE, PhoneLabel.WORK),
    ColumnTarget(LeadField.PHONE, PhoneLabel.MOBILE),
    ColumnTarget(LeadField.PHONE, PhoneLabel.OTHER),
    ColumnTarget(LeadField.COMPANY),
    ColumnTarget(LeadField.TITLE),
    ColumnTarget(LeadField.INDUSTRY),
    ColumnTarget(LeadField.COMPANY_SIZE),
    ColumnTarget(LeadField.COUNTRY),
    ColumnTarget(LeadField.LEAD_SOURCE),
    ColumnTarget(LeadField.EXTRA),
    ColumnTarget(LeadField.IGNORE),
)

POLICY_TEXT = {
    DuplicatePolicy.SKIP: (
        "&Skip the row",
        "The existing lead stays as it is. The row is listed among the duplicates.",
    ),
    DuplicatePolicy.UPDATE: (
        "&Update the existing lead",
        "The row's non-empty values are written into the existing lead, and new phone "
        "numbers are added. Nothing is blanked.",
    ),
    DuplicatePolicy.MARK: (
        "Add it and &mark it as a possible duplicate",
        "A new lead is added, linked to the one it matches, for someone to merge or discard later.",
    ),
}


def target_label(target: ColumnTarget) -> str:
    """How a mapping target reads in the table: "Email", "Phone (mobile)"."""
    if target.phone_label is not None:
        return f"{target.field.label} ({target.phone_label.value})"
    return target.field.label


def user_message(error: BaseException) -> str:
    """One sentence for the page; anything unexpected also goes to the log in full."""
    if isinstance(error, CsvError | ImportError_ | DatabaseError):
        return str(error)
    if isinstance(error, FileNotFoundError):
        return f"{Path(error.filename or '').name or 'The file'} no longer exists."
    if isinstance(error, OSError):
        return f"The file could not be read: {error.strerror or error}."
    log.error("import wizard: unexpected error", exc_info=error)
    return f"Something went wrong: {first_line(getattr(error, 'orig', None) or error)}"


def _count(number: int) -> str:
    return QLocale().toString(number)


def _note_label(text: str = "", *, kind: str = "") -> QLabel:
    """A wrapped label for hints, warnings and errors on a page."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if kind == "error":
        label.setStyleSheet("color: #b00020; font-weight: 600;")
    elif kind == "warning":
        # Readable on light and dark palettes: a tinted box, not a coloured font.
        label.setStyleSheet(
            "background: rgba(255, 193, 7, 0.18); border: 1px solid rgba(255, 160, 0, 0.6);"
            "border-radius: 4px; padding: 6px;"
        )
    elif kind == "hint":
        label.setStyleSheet("color: palette(placeholder-text);")
    return label


def _set_note(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def _fit_rows(view: QTableView, extra: int = 8) -> None:
    """Rows high enough for the text (or the editor) they hold, all the same height;
    cells with some air so a value does not touch the next column's grid line."""
    view.setStyleSheet("QTableView::item { padding: 0 4px; }")
    rows = view.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(view.fontMetrics().height() + extra)


# --- item models ----------------------------------------------------------------------


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


class MappingTableModel(QAbstractTableModel):
    """One row per column of the file: its name, an example value, where it goes.

    The third column is editable: its edit value is the target's saved form
    (``str(ColumnTarget)``, "phone:mobile"). Moving a one-value field (email, company…)
    to a column turns the column that held it into an extra, so several rows may change
    at once; :attr:`mapping_changed` says so after every change.
    """

    COLUMN, SAMPLE, TARGET = range(3)
    TITLES = ("Column in the file", "Example value", "Imports as")

    mapping_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._header: tuple[str, ...] = ()
        self._samples: tuple[str, ...] = ()
        self._mapping = ColumnMapping()

    # -- what the wizard uses

    def set_columns(
        self, header: Sequence[str], samples: Sequence[str], mapping: ColumnMapping
    ) -> None:
        self.beginResetModel()
        self._header = tuple(header)
        self._samples = tuple(samples) + ("",) * (len(self._header) - len(samples))
        self._mapping = mapping
        self.endResetModel()
        emit(self.mapping_changed)

    def set_mapping(self, mapping: ColumnMapping) -> None:
        self._mapping = mapping
        self._targets_changed()

    def mapping(self) -> ColumnMapping:
        """The mapping with every column of the file named (none left implicit)."""
        return ColumnMapping({column: self._mapping.target(column) for column in self._header})

    def header(self) -> tuple[str, ...]:
        return self._header

    def target_of(self, column: str) -> ColumnTarget:
        return self._mapping.target(column)

    # -- the model

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._header)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.column() != self.TARGET:
            # Not enabled: the table's keyboard cursor (Tab, arrows) skips disabled cells,
            # so it moves from one "Imports as" choice to the next. Shown in normal text.
            return Qt.ItemFlag.ItemNeverHasChildren
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsEditable

    def data(self, index: AnyIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        column = self._header[index.row()]
        target = self._mapping.target(column)
        if index.column() == self.TARGET:
            if role == Qt.ItemDataRole.DisplayRole:
                return target_label(target)
            if role == Qt.ItemDataRole.EditRole:
                return str(target)
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"Where the values of “{column}” go"
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column if index.column() == self.COLUMN else self._samples[index.row()]
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._text_brush(dimmed=target.field is LeadField.IGNORE)
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = 2) -> bool:
        if not index.isValid() or index.column() != self.TARGET or role != Qt.ItemDataRole.EditRole:
            return False
        try:
            target = value if isinstance(value, ColumnTarget) else ColumnTarget.parse(str(value))
        except ValueError:
            return False
        column = self._header[index.row()]
        if self._mapping.target(column) == target:
            return True
        self._mapping = self._mapping.with_target(column, target)
        self._targets_changed()
        return True

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.TITLES[section] if 0 <= section < len(self.TITLES) else None
        return str(section + 1)

    def _targets_changed(self) -> None:
        if self._header:
            # Several rows may have changed (a one-value field moved): say so for all.
            last = self.index(len(self._header) - 1, self.TARGET)
            emit(self.dataChanged, self.index(0, 0), last, [])
        emit(self.mapping_changed)

    @staticmethod
    def _text_brush(*, dimmed: bool) -> Any:
        group = QPalette.ColorGroup.Disabled if dimmed else QPalette.ColorGroup.Active
        return QApplication.palette().brush(group, QPalette.ColorRole.Text)


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
            return _count(found.row_number)
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


class TargetDelegate(QStyledItemDelegate):
    """A combo box of targets, kept open on every row so the choices are plain to see.

    A choice is written to the model as soon as it is made, not when the editor closes:
    the editors are persistent and never close.
    """

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: AnyIndex,
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.setObjectName("targetCombo")
        for target in TARGETS:
            combo.addItem(target_label(target), str(target))
        combo.setMaxVisibleItems(len(TARGETS))
        combo.currentIndexChanged.connect(lambda _: emit(self.commitData, combo))
        return combo

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        position = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        # Showing the model's value must not write it back.
        editor.blockSignals(True)
        editor.setCurrentIndex(max(position, 0))
        editor.blockSignals(False)

    def setModelData(
        self,
        editor: QWidget,
        model: QAbstractTableModel,  # type: ignore[override]
        index: AnyIndex,
    ) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


# --- what the background operations return ---------------------------------------------


@dataclass(frozen=True)
class PreviewResult:
    preview: ImportPreview
    #: "This file was already imported on … by …", or "".
    previous_note: str


def _preview_with_history(
    db: Database, path: Path, encoding: str | None, delimiter: str | None
) -> PreviewResult:
    if not path.is_file():
        raise ImportError_(f"{path.name} does not exist or is not a file.")
    preview = preview_file(db, path, encoding=encoding, delimiter=delimiter)
    note = ""
    if preview.previous_batch_id is not None:
        batch = previous_import(db, preview.file_sha256, ImportKind.LEADS)
        if batch is not None:
            # The service's own sentence, so the wizard and the command line agree.
            note = str(AlreadyImported(batch.id, batch.file_name, batch.started_at, batch.login))
    return PreviewResult(preview, note)


# --- pages ----------------------------------------------------------------------------


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Choose the file to import")
        self.setSubTitle(
            "A CSV export from a CRM, a marketing tool or a spreadsheet. The next pages "
            "show how it reads before anything is imported."
        )
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("pathEdit")
        self.path_edit.setPlaceholderText("/path/to/leads.csv")
        self.path_edit.setClearButtonEnabled(True)
        self.path_edit.textChanged.connect(lambda _: emit(self.completeChanged))
        self.browse_button = QPushButton("B&rowse…")
        self.browse_button.setObjectName("browseButton")
        self.browse_button.setAutoDefault(False)  # Enter goes to Next, not to the dialog
        self.browse_button.clicked.connect(self.browse)
        label = QLabel("&File:")
        label.setBuddy(self.path_edit)

        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(
            _note_label(
                "Tip: you can also drop a CSV file on the main window to start an import.",
                kind="hint",
            )
        )
        layout.addStretch(1)

    def path(self) -> Path | None:
        text = self.path_edit.text().strip().strip('"')
        return Path(text).expanduser() if text else None

    def isComplete(self) -> bool:
        return self.path() is not None

    def browse(self) -> None:
        start = str(self.path().parent) if self.path() else str(Path.home())
        chosen, _ = QFileDialog.getOpenFileName(self, "Import leads", start, FILE_FILTER)
        if chosen:
            self.path_edit.setText(chosen)
            self.path_edit.setFocus()


class PreviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self._loading = False
        self._error = ""
        self._request = 0  # results of older requests are dropped
        self._filling = False
        self.setTitle("Check how the file reads")
        self.setSubTitle(
            "The first rows, as detected. If the columns look wrong, change the encoding "
            "or the delimiter."
        )
        self.encoding_combo = QComboBox()
        self.encoding_combo.setObjectName("encodingCombo")
        self.delimiter_combo = QComboBox()
        self.delimiter_combo.setObjectName("delimiterCombo")
        for text, codec in ENCODINGS:
            self.encoding_combo.addItem(text, codec)
        for text, delimiter in DELIMITERS:
            self.delimiter_combo.addItem(text, delimiter)
        self.encoding_combo.currentIndexChanged.connect(self._choice_changed)
        self.delimiter_combo.currentIndexChanged.connect(self._choice_changed)
        self.detected_label = QLabel("")
        self.detected_label.setObjectName("detectedLabel")
        self.status_label = _note_label(kind="hint")
        self.error_label = _note_label(kind="error")
        self.error_label.setObjectName("errorLabel")
        self.previous_label = _note_label(kind="warning")
        self.previous_label.setObjectName("previousImportLabel")

        self.model = PreviewTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("previewTable")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setMinimumSectionSize(60)
        self.table.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        _fit_rows(self.table)

        encoding_label = QLabel("&Encoding:")
        encoding_label.setBuddy(self.encoding_combo)
        delimiter_label = QLabel("&Delimiter:")
        delimiter_label.setBuddy(self.delimiter_combo)
        choices = QHBoxLayout()
        choices.addWidget(encoding_label)
        choices.addWidget(self.encoding_combo)
        choices.addSpacing(16)
        choices.addWidget(delimiter_label)
        choices.addWidget(self.delimiter_combo)
        choices.addSpacing(16)
        choices.addWidget(self.detected_label, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(choices)
        layout.addWidget(self.previous_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.table, 1)
        for label in (self.previous_label, self.error_label, self.status_label):
            label.hide()

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
        _set_note(self.error_label, "")
        _set_note(self.status_label, f"Reading {path.name}…")
        emit(self.completeChanged)
        db = self.owner.db
        run_in_background(
            lambda: _preview_with_history(db, path, encoding, delimiter),
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
        self.detected_label.setText(f"Read as {dialect.description}")
        columns = len(dialect.header)
        shown = len(preview.rows)
        _set_note(
            self.status_label,
            f"{columns} columns; the first {shown} rows are shown."
            if shown
            else f"{columns} columns.",
        )
        _set_note(self.previous_label, result.previous_note)
        self.model.set_rows(dialect.header, preview.rows)
        self._fit_columns()
        emit(self.completeChanged)

    def _failed(self, request: int, error: BaseException) -> None:
        if request != self._request:
            return
        self._loading = False
        self.owner.preview = None
        self._error = user_message(error)
        _set_note(self.status_label, "")
        _set_note(self.previous_label, "")
        _set_note(self.error_label, self._error)
        _set_note(self.status_label, "Go Back to choose another file, or try another encoding.")
        self.detected_label.setText("")
        self.model.set_rows((), ())
        emit(self.completeChanged)

    def error_text(self) -> str:
        return self._error

    def _select_choices(self, encoding: str, delimiter: str) -> None:
        codec = codecs.lookup(encoding).name
        if codec == "utf-8-sig":
            codec = "utf-8"
        self._filling = True
        try:
            for combo, value in ((self.encoding_combo, codec), (self.delimiter_combo, delimiter)):
                position = combo.findData(value)
                if position < 0:
                    combo.addItem(repr(value) if combo is self.delimiter_combo else value, value)
                    position = combo.count() - 1
                combo.setCurrentIndex(position)
        finally:
            self._filling = False

    def _choice_changed(self) -> None:
        if self._filling or self.owner.path is None:
            return
        self.load(
            self.owner.path,
            encoding=self.encoding_combo.currentData(),
            delimiter=self.delimiter_combo.currentData(),
        )

    def _fit_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.resizeSections(QHeaderView.ResizeMode.ResizeToContents)
        # A long free-text column must not push the others off the page.
        limit = max(self.fontMetrics().horizontalAdvance("x") * 40, 200)
        for section in range(header.count()):
            header.resizeSection(section, min(header.sectionSize(section), limit))


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self._filling = False
        self.setTitle("Say where each column goes")
        self.setSubTitle(
            "Suggested from the column names. Change what is wrong; save the mapping to "
            "use it again for the next file of this kind."
        )
        self.model = MappingTableModel(self)
        self.model.mapping_changed.connect(self._show_warnings)
        self.table = QTableView()
        self.table.setObjectName("mappingTable")
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(MappingTableModel.TARGET, TargetDelegate(self.table))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(True)
        self.table.verticalHeader().setVisible(False)
        probe = QComboBox()
        probe.addItem("Keep as extra attribute")
        _fit_rows(self.table, extra=0)
        self.table.verticalHeader().setDefaultSectionSize(probe.sizeHint().height() + 4)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(MappingTableModel.COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(MappingTableModel.SAMPLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(MappingTableModel.TARGET, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(MappingTableModel.TARGET, probe.sizeHint().width() + 40)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        self.saved_combo = QComboBox()
        self.saved_combo.setObjectName("savedMappingCombo")
        self.saved_combo.setMinimumContentsLength(24)
        self.saved_combo.currentIndexChanged.connect(self._saved_chosen)
        saved_label = QLabel("Apply a saved &mapping:")
        saved_label.setBuddy(self.saved_combo)
        self.save_button = QPushButton("S&ave mapping as…")
        self.save_button.setObjectName("saveMappingButton")
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save_as)
        self.status_label = _note_label(kind="hint")
        self.status_label.setObjectName("mappingStatusLabel")
        self.warnings_label = _note_label(kind="warning")
        self.warnings_label.setObjectName("mappingWarningsLabel")

        top = QHBoxLayout()
        top.addWidget(saved_label)
        top.addWidget(self.saved_combo)
        top.addStretch(1)
        top.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.warnings_label)
        layout.addWidget(self.status_label)
        self.status_label.hide()
        self.warnings_label.hide()
        self.fill_saved_names([])

    def initializePage(self) -> None:
        preview = self.owner.preview
        if preview is None:
            return
        header = preview.dialect.header
        if self.model.header() != header:
            # A new file, or the same one read another way: start from the suggestion.
            self.model.set_columns(header, _samples(header, preview.rows), preview.suggested)
            self._open_editors()  # after the view's own reset, which drops editors
            # The keyboard starts on the first choice, not on no cell at all.
            self.table.setCurrentIndex(self.model.index(0, MappingTableModel.TARGET))
            self._select_saved(None)
            _set_note(self.status_label, "")
        self._fit_name_column()

    def validatePage(self) -> bool:
        self.owner.mapping = self.model.mapping()
        return True

    # -- saved mappings

    def fill_saved_names(self, names: Sequence[str]) -> None:
        current = self.saved_combo.currentData()
        self._filling = True
        try:
            self.saved_combo.clear()
            self.saved_combo.addItem("None: suggested from the column names", None)
            for name in names:
                self.saved_combo.addItem(name, name)
            position = self.saved_combo.findData(current) if current else 0
            self.saved_combo.setCurrentIndex(max(position, 0))
        finally:
            self._filling = False

    def _select_saved(self, name: str | None) -> None:
        self._filling = True
        try:
            position = self.saved_combo.findData(name) if name else 0
            self.saved_combo.setCurrentIndex(max(position, 0))
        finally:
            self._filling = False

    def _saved_chosen(self) -> None:
        if self._filling or self.owner.preview is None:
            return
        name = self.saved_combo.currentData()
        preview = self.owner.preview
        if name is None:
            self.model.set_mapping(preview.suggested)
            _set_note(self.status_label, "Back to the suggested mapping.")
            return
        header = preview.dialect.header
        db = self.owner.db
        _set_note(self.status_label, f"Reading the mapping “{name}”…")
        self.saved_combo.setEnabled(False)

        def applied(saved: ColumnMapping) -> None:
            self.saved_combo.setEnabled(True)
            # Columns the saved mapping does not name keep their suggestion.
            self.model.set_mapping(suggest_mapping(header, saved))
            _set_note(self.status_label, f"Applied the saved mapping “{name}”.")

        def failed(error: BaseException) -> None:
            self.saved_combo.setEnabled(True)
            _set_note(self.status_label, user_message(error))

        run_in_background(lambda: load_mapping(db, name), applied, failed, owner=self)

    def save_as(self) -> None:
        suggestion = self.saved_combo.currentData() or (
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
        self.save_button.setEnabled(False)
        _set_note(self.status_label, f"Saving “{name}”…")

        def saved(names: list[str]) -> None:
            self.save_button.setEnabled(True)
            self.owner.saved_names = names
            self.fill_saved_names(names)
            self._select_saved(name)
            _set_note(self.status_label, f"Saved as “{name}”.")

        def failed(error: BaseException) -> None:
            self.save_button.setEnabled(True)
            _set_note(self.status_label, user_message(error))

        def work() -> list[str]:
            save_mapping(db, name, mapping)
            return saved_mapping_names(db)

        run_in_background(work, saved, failed, owner=self)

    # -- the table

    def _open_editors(self) -> None:
        for row in range(self.model.rowCount()):
            self.table.openPersistentEditor(self.model.index(row, MappingTableModel.TARGET))

    def _fit_name_column(self) -> None:
        metrics = self.table.fontMetrics()
        widest = max((metrics.horizontalAdvance(c) for c in self.model.header()), default=80)
        title = metrics.horizontalAdvance(MappingTableModel.TITLES[0])
        self.table.setColumnWidth(MappingTableModel.COLUMN, min(max(widest, title) + 24, 260))

    def _show_warnings(self) -> None:
        warnings = mapping_warnings(self.model.mapping())
        _set_note(self.warnings_label, "\n".join(f"• {w}" for w in warnings))


def _left(widget: QWidget) -> QHBoxLayout:
    """``widget`` at its preferred width, at the left of a stretching grid cell."""
    row = QHBoxLayout()
    row.addWidget(widget)
    row.addStretch(1)
    return row


def _samples(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """For each column the first non-empty value of the preview rows."""
    samples = []
    for position in range(len(header)):
        value = next(
            (row[position].strip() for row in rows if len(row) > position and row[position]),
            "",
        )
        samples.append(" ".join(value.split()))
    return samples


class OptionsPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Choose the campaign and what to do with duplicates")
        self.setSubTitle(
            "Leads that match an existing lead by email, phone number, or name and "
            "company are duplicates."
        )
        self.campaign_combo = QComboBox()
        self.campaign_combo.setObjectName("campaignCombo")
        self.campaign_combo.setEditable(True)
        self.campaign_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.campaign_combo.lineEdit().setPlaceholderText("Type a new name or pick one")
        self.campaign_combo.setMinimumContentsLength(32)
        self.campaign_combo.currentTextChanged.connect(self._campaign_changed)
        self.campaign_hint = _note_label(kind="hint")
        self.region_combo = QComboBox()
        self.region_combo.setObjectName("regionCombo")
        self.region_combo.setMinimumContentsLength(28)
        self.region_combo.currentIndexChanged.connect(lambda _: self._campaign_changed())
        self._fill_regions()

        self.policy_buttons = QButtonGroup(self)
        policies = QVBoxLayout()
        policies.setSpacing(2)
        for policy, (text, explanation) in POLICY_TEXT.items():
            button = QRadioButton(text)
            button.setObjectName(f"policy_{policy.value}")
            self.policy_buttons.addButton(button)
            button.setProperty("policy", policy.value)
            note = _note_label(explanation, kind="hint")
            note.setContentsMargins(24, 0, 0, 6)  # under the button's text, not its circle
            policies.addWidget(button)
            policies.addWidget(note)
        self.policy_button(DuplicatePolicy.SKIP).setChecked(True)

        self.dry_run_box = QCheckBox("D&ry run: check the file and count, but save nothing")
        self.dry_run_box.setObjectName("dryRunBox")

        # A grid, not a form layout: QFormLayout squeezes wrapped hint labels into a
        # narrow column and clips the explanations under the radio buttons.
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 1)
        top_left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        campaign_label = QLabel("&Campaign:")
        campaign_label.setBuddy(self.campaign_combo)
        region_label = QLabel("&Phone region:")
        region_label.setBuddy(self.region_combo)
        duplicates_label = QLabel("When a row is a duplicate:")
        region_hint = _note_label(
            "Numbers written without a country code (+49…) are read as numbers of this country.",
            kind="hint",
        )
        grid.addWidget(campaign_label, 0, 0)
        grid.addLayout(_left(self.campaign_combo), 0, 1)
        grid.addWidget(self.campaign_hint, 1, 1)
        grid.addItem(QSpacerItem(0, 10), 2, 0)
        grid.addWidget(region_label, 3, 0)
        grid.addLayout(_left(self.region_combo), 3, 1)
        grid.addWidget(region_hint, 4, 1)
        grid.addItem(QSpacerItem(0, 10), 5, 0)
        grid.addWidget(duplicates_label, 6, 0, top_left)
        grid.addLayout(policies, 6, 1)
        grid.addItem(QSpacerItem(0, 10), 7, 0)
        grid.addWidget(self.dry_run_box, 8, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addStretch(1)
        self._last_campaign = ""

    def initializePage(self) -> None:
        self.fill_campaigns(self.owner.campaigns)

    def fill_campaigns(self, campaigns: Sequence[tuple[int, str, str]]) -> None:
        text = self.campaign_combo.currentText()
        self.campaign_combo.blockSignals(True)
        self.campaign_combo.clear()
        for campaign_id, name, region in campaigns:
            self.campaign_combo.addItem(name, (campaign_id, region))
        self.campaign_combo.setCurrentIndex(-1)
        self.campaign_combo.setEditText(text)
        self.campaign_combo.blockSignals(False)
        self._campaign_changed()

    def policy_button(self, policy: DuplicatePolicy) -> QRadioButton:
        for button in self.policy_buttons.buttons():
            if button.property("policy") == policy.value:
                assert isinstance(button, QRadioButton)
                return button
        raise KeyError(policy)

    def policy(self) -> DuplicatePolicy:
        checked = self.policy_buttons.checkedButton()
        return DuplicatePolicy(checked.property("policy")) if checked else DuplicatePolicy.SKIP

    def campaign_name(self) -> str:
        return " ".join(self.campaign_combo.currentText().split())

    def existing_campaign(self) -> tuple[int, str, str] | None:
        name = self.campaign_name().casefold()
        return next((c for c in self.owner.campaigns if c[1].casefold() == name), None)

    def region(self) -> str:
        return str(self.region_combo.currentData() or "US")

    def set_region(self, code: str) -> None:
        position = self.region_combo.findData(code.upper())
        if position >= 0:
            self.region_combo.setCurrentIndex(position)

    def validatePage(self) -> bool:
        wizard = self.owner
        wizard.allow_reimport = False
        if wizard.previous_note and not self.dry_run_box.isChecked():
            answer = QMessageBox.question(
                self,
                "Import the same file again?",
                f"{wizard.previous_note}\n\nImport it again?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
            wizard.allow_reimport = True
        return True

    def _campaign_changed(self) -> None:
        name = self.campaign_name()
        existing = self.existing_campaign()
        if existing is not None and name != self._last_campaign:
            # The campaign says where its leads' numbers are from.
            self.region_combo.blockSignals(True)
            self.set_region(existing[2])
            self.region_combo.blockSignals(False)
        self._last_campaign = name
        region = self.region_combo.currentText()
        if not name:
            text = "No campaign: the leads are not linked to a campaign."
        elif existing is None:
            text = f"A new campaign “{name}” is created when the import runs."
        else:
            text = f"Existing campaign. Its numbers are read as {region} numbers."
        self.campaign_hint.setText(text)

    def _fill_regions(self) -> None:
        from phonenumbers import SUPPORTED_REGIONS

        entries = []
        for code in SUPPORTED_REGIONS:
            territory = QLocale.codeToTerritory(code)
            name = QLocale.territoryToString(territory) if territory.value else code
            entries.append((f"{name} ({code})", code))
        for text, code in sorted(entries, key=lambda entry: entry[0].casefold()):
            self.region_combo.addItem(text, code)
        own = QLocale.territoryToCode(QLocale().territory())
        self.set_region(own if own in SUPPORTED_REGIONS else "US")


class RunPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self._done = False
        self.setTitle("Importing")
        self.setSubTitle("You can keep working; the import runs in the background.")
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("importProgress")
        self.progress_bar.setTextVisible(True)
        self.progress_label = QLabel("")
        self.progress_label.setObjectName("progressLabel")
        self.error_label = _note_label(kind="error")
        self.error_label.setObjectName("runErrorLabel")
        self.error_label.hide()
        self.cancel_button = QPushButton("&Stop import")
        self.cancel_button.setObjectName("cancelImportButton")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.owner.request_cancel)
        self.after_label = _note_label(
            "Go Back to change your choices and run it again, or close the window.",
            kind="hint",
        )
        self.after_label.hide()

        row = QHBoxLayout()
        row.addWidget(self.progress_bar, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.progress_label)
        layout.addLayout(row)
        layout.addWidget(self.error_label)
        layout.addWidget(self.after_label)
        layout.addStretch(2)

    def initializePage(self) -> None:
        self._done = False
        self.error_label.hide()
        self.after_label.hide()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self.progress_bar.show()
        self.progress_bar.setRange(0, 0)  # busy until the first report
        self.progress_label.setText(f"Reading {self.owner.path.name if self.owner.path else ''}…")
        # After the page is on screen: the import's result moves the wizard on, which must
        # not happen inside the page switch that is still going on.
        QTimer.singleShot(0, self.owner.start_import)

    def isComplete(self) -> bool:
        return self._done

    def show_progress(self, done: int, total: int) -> None:
        if self.owner.cancel_requested():
            return
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(min(done, total))
        self.progress_label.setText(f"Row {_count(done)} of about {_count(total)}…")

    def show_stopping(self) -> None:
        self.cancel_button.setEnabled(False)
        self.progress_label.setText("Stopping… nothing of this import will be saved.")

    def show_finished(self) -> None:
        self._done = True
        self.cancel_button.setEnabled(False)
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(1)
        emit(self.completeChanged)

    def show_stopped(self, message: str) -> None:
        self.cancel_button.hide()
        self.progress_bar.hide()
        self.progress_label.setText("The import did not run to the end.")
        _set_note(self.error_label, message)
        self.after_label.show()
        emit(self.completeChanged)


class SummaryPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Import finished")
        self.setSubTitle("What happened to each row of the file.")
        self.headline = _note_label()
        self.headline.setObjectName("summaryHeadline")
        self.counts: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        form.setHorizontalSpacing(24)
        form.setVerticalSpacing(4)
        for key, text in (
            ("rows", "Rows read"),
            ("imported", "New leads"),
            ("updated", "Existing leads updated"),
            ("duplicates", "Duplicates found"),
            ("rejected", "Rows rejected"),
            ("invalid_phones", "Leads without a valid phone"),
            ("dnc", "On the do-not-call list"),
            ("flagged", "Rows with a value that could not be used"),
        ):
            value = QLabel("")
            value.setObjectName(f"count_{key}")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setMinimumWidth(value.fontMetrics().horizontalAdvance("1,000,000") + 8)
            self.counts[key] = value
            form.addRow(f"{text}:", value)

        self.open_rejects_button = QPushButton("Open &reject file")
        self.open_rejects_button.setObjectName("openRejectsButton")
        self.open_rejects_button.setToolTip("The rejected rows, each with its row number and why")
        self.open_summary_button = QPushButton("Open s&ummary")
        self.open_summary_button.setObjectName("openSummaryButton")
        self.show_leads_button = QPushButton("&Show imported leads")
        self.show_leads_button.setObjectName("showLeadsButton")
        self.show_leads_button.setToolTip("Close this window and show the new leads in the list")
        for button in (self.open_rejects_button, self.open_summary_button, self.show_leads_button):
            button.setAutoDefault(False)  # Enter still means Finish
        self.open_rejects_button.clicked.connect(lambda: self._open(self.owner.reject_file()))
        self.open_summary_button.clicked.connect(lambda: self._open(self.owner.summary_file()))
        self.show_leads_button.clicked.connect(self.owner.show_imported_leads)
        buttons = QVBoxLayout()
        buttons.addWidget(self.show_leads_button)
        buttons.addWidget(self.open_rejects_button)
        buttons.addWidget(self.open_summary_button)
        buttons.addStretch(1)

        self.duplicates_title = QLabel("")
        self.duplicates_model = DuplicateListModel(self)
        self.duplicates_table = QTableView()
        self.duplicates_table.setObjectName("duplicatesTable")
        self.duplicates_table.setModel(self.duplicates_model)
        self.duplicates_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.duplicates_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.duplicates_table.verticalHeader().setVisible(False)
        self.duplicates_table.setWordWrap(False)
        _fit_rows(self.duplicates_table)
        header = self.duplicates_table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        grid = QGridLayout()
        grid.addLayout(form, 0, 0)
        grid.addLayout(buttons, 0, 2)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addSpacing(6)
        layout.addLayout(grid)
        layout.addSpacing(6)
        layout.addWidget(self.duplicates_title)
        layout.addWidget(self.duplicates_table, 1)

    def initializePage(self) -> None:
        summary = self.owner.summary
        if summary is None:
            return
        self.setTitle("Dry run finished" if summary.dry_run else "Import finished")
        campaign = self.owner.campaign_used
        into = f" into the campaign “{campaign}”" if campaign else ""
        if summary.dry_run:
            headline = (
                f"Nothing was saved. Imported for real, {summary.file_name} would add "
                f"{_count(summary.imported)} new leads{into}."
            )
        else:
            took = "under a second" if summary.seconds < 1 else f"{summary.seconds:.0f} seconds"
            headline = (
                f"{_count(summary.imported)} new leads from {summary.file_name}{into} "
                f"(import #{summary.batch_id}, {took})."
            )
        self.headline.setText(headline)
        for key, label in self.counts.items():
            label.setText(_count(getattr(summary, key)))
        self.open_rejects_button.setEnabled(self.owner.reject_file() is not None)
        self.open_summary_button.setEnabled(self.owner.summary_file() is not None)
        self.show_leads_button.setEnabled(bool(summary.imported_lead_ids))
        found = summary.duplicate_list
        self.duplicates_model.set_duplicates(found[:DUPLICATES_SHOWN])
        if not found:
            self.duplicates_title.setText("No duplicates were found.")
        elif len(found) > DUPLICATES_SHOWN:
            self.duplicates_title.setText(
                f"Duplicates: the first {_count(DUPLICATES_SHOWN)} of {_count(len(found))} "
                "(the summary lists them all):"
            )
        else:
            self.duplicates_title.setText("Duplicates:")
        self.duplicates_table.setVisible(bool(found))
        self.duplicates_table.resizeColumnsToContents()
        self.duplicates_table.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.Stretch
        )

    def _open(self, path: Path | None) -> None:
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


# --- the wizard -----------------------------------------------------------------------


class ImportWizard(QWizard):
    #: The user asked to see the leads this import added (their ids).
    show_leads = Signal(list)
    #: An import (or a dry run) finished; the main window may refresh its list.
    import_finished = Signal(object)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.path: Path | None = None
        self.preview: ImportPreview | None = None
        self.previous_note = ""
        self.mapping: ColumnMapping | None = None
        self.allow_reimport = False
        self.campaigns: list[tuple[int, str, str]] = []
        self.saved_names: list[str] = []
        self.summary: ImportSummary | None = None
        self.campaign_used = ""
        self._cancel = threading.Event()
        self._running = False
        self._close_when_stopped = False

        self.setWindowTitle("Import leads")
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        self.setMinimumSize(760, 520)
        self.resize(900, 620)

        self.file_page = FilePage(self)
        self.preview_page = PreviewPage(self)
        self.mapping_page = MappingPage(self)
        self.options_page = OptionsPage(self)
        self.run_page = RunPage(self)
        self.summary_page = SummaryPage(self)
        for page_id, page in (
            (FILE_PAGE, self.file_page),
            (PREVIEW_PAGE, self.preview_page),
            (MAPPING_PAGE, self.mapping_page),
            (OPTIONS_PAGE, self.options_page),
            (RUN_PAGE, self.run_page),
            (SUMMARY_PAGE, self.summary_page),
        ):
            self.setPage(page_id, page)
        self.options_page.setButtonText(QWizard.WizardButton.NextButton, "&Import")
        self.load_choices()

    # -- lists the pages offer

    def load_choices(self) -> None:
        """Campaigns and saved mappings, read once in the background."""
        db = self.db

        def read() -> tuple[list[tuple[int, str, str]], list[str]]:
            return campaign_names(db), saved_mapping_names(db)

        def show(result: tuple[list[tuple[int, str, str]], list[str]]) -> None:
            self.campaigns, self.saved_names = result
            self.mapping_page.fill_saved_names(self.saved_names)
            if self.currentId() == OPTIONS_PAGE:
                self.options_page.fill_campaigns(self.campaigns)

        def failed(error: BaseException) -> None:
            # The import still works without the lists: a campaign can be typed.
            log.warning("import wizard: campaigns and saved mappings not read: %s", error)

        run_in_background(read, show, failed, owner=self)

    def set_path(self, path: Path) -> None:
        self.file_page.path_edit.setText(str(path))

    # -- running the import

    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def is_running(self) -> bool:
        return self._running

    def request_cancel(self) -> None:
        if self._running:
            self._cancel.set()
            self.run_page.show_stopping()

    def build_request(self, campaign_id: int | None) -> LeadImportRequest:
        assert self.path is not None and self.preview is not None
        options = self.options_page
        dialect = self.preview.dialect
        return LeadImportRequest(
            path=self.path,
            mapping=self.mapping or self.mapping_page.model.mapping(),
            # What the preview showed is what is imported.
            encoding=dialect.encoding,
            delimiter=dialect.delimiter,
            campaign_id=campaign_id,
            default_region=options.region(),
            on_duplicate=options.policy(),
            dry_run=options.dry_run_box.isChecked(),
            allow_reimport=self.allow_reimport,
            report_dir=data_dir() / REPORT_FOLDER,
        )

    def start_import(self) -> None:
        if self._running or self.currentId() != RUN_PAGE:
            return
        options = self.options_page
        name = options.campaign_name()
        request = self.build_request(None)
        db = self.db
        cancel = threading.Event()
        self._cancel = cancel
        self._set_running(True)
        self._close_when_stopped = False
        self.campaign_used = name

        def work(report: Any) -> ImportSummary:
            # The campaign is found or created inside the import's own transaction: a dry
            # run, a cancel or a failure leaves no empty campaign behind.
            final = replace(request, campaign_name=name or None, login=os_login())
            return import_leads(db, final, progress=report, should_cancel=cancel.is_set)

        run_in_background(
            work,
            self._import_done,
            self._import_failed,
            progress=self.run_page.show_progress,
            owner=self,
        )

    def _set_running(self, running: bool) -> None:
        self._running = running
        # QWizard disables Back on the page after a commit page: while the import runs
        # there is no going back; after a cancel or an error there is, to change and rerun.
        self.options_page.setCommitPage(running)
        emit(self.run_page.completeChanged)  # makes the wizard update its buttons

    def _import_done(self, summary: ImportSummary) -> None:
        self._set_running(False)
        self.summary = summary
        if summary.campaign is not None:
            self.campaign_used = summary.campaign
        self.run_page.show_finished()
        emit(self.import_finished, summary)
        if self.currentId() == RUN_PAGE:
            self.next()

    def _import_failed(self, error: BaseException) -> None:
        self._set_running(False)
        if self._close_when_stopped:
            self._close_when_stopped = False
            super().reject()
            return
        if isinstance(error, AlreadyImported) and not self.allow_reimport:
            # Someone imported the file since the preview was read.
            answer = QMessageBox.question(
                self,
                "Import the same file again?",
                f"{error}\n\nImport it again?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.allow_reimport = True
                self.start_import()
                return
        message = str(error) if isinstance(error, ImportCancelled) else user_message(error)
        self.run_page.show_stopped(message)

    # -- after the import

    def reject_file(self) -> Path | None:
        return self.summary.reject_file if self.summary else None

    def summary_file(self) -> Path | None:
        return self.summary.summary_file if self.summary else None

    def show_imported_leads(self) -> None:
        if self.summary and self.summary.imported_lead_ids:
            emit(self.show_leads, list(self.summary.imported_lead_ids))
            self.accept()

    # -- closing

    def reject(self) -> None:
        if not self._running:
            super().reject()
            return
        answer = QMessageBox.question(
            self,
            "Stop the import?",
            "The import is still running. Stop it and close? Nothing of it will be saved.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes and self._running:
            # Closed once the import has rolled back: the worker must not outlive its window.
            self._close_when_stopped = True
            self.request_cancel()


def open_import_wizard(
    parent: QWidget | None, db: Database, path: Path | None = None
) -> ImportWizard:
    """Open the import wizard over ``parent``; with ``path`` (a dropped file), on its preview."""
    wizard = ImportWizard(db, parent)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.setWindowModality(Qt.WindowModality.WindowModal)
    wizard.show()
    if path is not None:
        wizard.set_path(path)
        wizard.next()
    return wizard
