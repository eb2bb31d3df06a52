"""The mapping table: one row per column of the file and where its values go."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from teleprospect.core.column_mapping import ColumnMapping, ColumnTarget, ContactLabel, LeadField
from teleprospect.ui.imports.page_tools import AnyIndex
from teleprospect.ui.signals import emit

# Every place a column can go, in the order a person reads a contact card.
TARGETS: tuple[ColumnTarget, ...] = (
    ColumnTarget(LeadField.FIRST_NAME),
    ColumnTarget(LeadField.LAST_NAME),
    ColumnTarget(LeadField.FULL_NAME),
    ColumnTarget(LeadField.EMAIL),
    ColumnTarget(LeadField.EMAIL, ContactLabel.WORK),
    ColumnTarget(LeadField.EMAIL, ContactLabel.HOME),
    ColumnTarget(LeadField.EMAIL, ContactLabel.OTHER),
    ColumnTarget(LeadField.PHONE, ContactLabel.WORK),
    ColumnTarget(LeadField.PHONE, ContactLabel.MOBILE),
    ColumnTarget(LeadField.PHONE, ContactLabel.HOME),
    ColumnTarget(LeadField.PHONE, ContactLabel.OTHER),
    ColumnTarget(LeadField.COMPANY),
    ColumnTarget(LeadField.TITLE),
    ColumnTarget(LeadField.INDUSTRY),
    ColumnTarget(LeadField.COMPANY_SIZE),
    ColumnTarget(LeadField.COUNTRY),
    ColumnTarget(LeadField.LEAD_SOURCE),
    ColumnTarget(LeadField.EXTRA),
    ColumnTarget(LeadField.IGNORE),
)


def target_label(target: ColumnTarget) -> str:
    """How a mapping target reads in the table: "Email", "Phone (mobile)"."""
    return target.title


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
