"""The Leads tab of the main window: every lead, a chunk at a time, or one import's leads.

The table is the main window's form; this drives it: the lazy model, the column widths the
user set (kept between sessions), the bar that says when only one import is shown, and the
count in the status bar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QLocale, QObject, QSettings
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from teleprospect.ui.leads.lead_table_model import COLUMNS, LeadTableModel
from teleprospect.ui.tables.table_columns import fit_columns_to_samples, setup_lead_table_view

if TYPE_CHECKING:
    from teleprospect.ui.main_window import MainWindow

# QSettings keys of the list's column widths (DESIGN.md §2 rule 6).
HEADER_STATE_KEY = "leadTable/headerState"
HEADER_COLUMNS_KEY = "leadTable/columnCount"


class LeadList(QObject):
    """The Leads tab's behaviour, on the main window's form."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ui = window.ui
        self.model = LeadTableModel(None, self)
        self.setup_table()
        self.setup_filter_bar()

    def setup_table(self) -> None:
        self.model.total_changed.connect(self.show_total)
        self.model.load_failed.connect(
            lambda error: self.window.show_error("The leads could not be read", error)
        )
        table = self.ui.leadTable
        table.setModel(self.model)
        setup_lead_table_view(table)
        self.apply_default_column_widths()

    def setup_filter_bar(self) -> None:
        """A bar above the list while it shows only the leads of one import."""
        self.filter_bar = QWidget(self.window)
        self.filter_bar.setObjectName("filterBar")
        layout = QHBoxLayout(self.filter_bar)
        layout.setContentsMargins(8, 4, 8, 4)
        self.filter_label = QLabel(self.filter_bar)
        show_all = QPushButton("Show &all leads", self.filter_bar)
        show_all.clicked.connect(lambda: self.window.show_import_batch(None))
        layout.addWidget(self.filter_label, 1)
        layout.addWidget(show_all)
        self.ui.leadsTabLayout.insertWidget(0, self.filter_bar)
        self.filter_bar.hide()

    def apply_default_column_widths(self) -> None:
        fit_columns_to_samples(self.ui.leadTable, COLUMNS)

    # -- column widths between sessions ------------------------------------------------

    def restore_state(self, settings: QSettings) -> None:
        header_state = settings.value(HEADER_STATE_KEY)
        saved_columns = int(settings.value(HEADER_COLUMNS_KEY, 0) or 0)  # type: ignore[call-overload]
        # Widths saved for another set of columns would land on the wrong ones.
        if isinstance(header_state, QByteArray) and saved_columns == len(COLUMNS):
            self.ui.leadTable.horizontalHeader().restoreState(header_state)

    def save_state(self, settings: QSettings) -> None:
        settings.setValue(HEADER_STATE_KEY, self.ui.leadTable.horizontalHeader().saveState())
        settings.setValue(HEADER_COLUMNS_KEY, len(COLUMNS))

    # -- what is listed ----------------------------------------------------------------

    def show_import_batch(self, batch_id: int | None) -> None:
        """List only the leads of import ``batch_id``, or every lead again (None)."""
        self.model.show_import(batch_id)
        self.ui.actionShowAllLeads.setEnabled(batch_id is not None)
        self.filter_bar.setVisible(batch_id is not None)
        if batch_id is not None:
            self.filter_label.setText(f"Showing the leads of import #{batch_id}.")
        self.count()

    def reload(self) -> None:
        self.model.reload()
        self.count()

    def count(self) -> None:
        self.window.total_label.setText("Reading leads…")
        self.model.count_total()

    def show_total(self, total: int) -> None:
        noun = "lead" if total == 1 else "leads"
        self.window.total_label.setText(f"{QLocale().toString(total)} {noun}")
        batch = self.model.import_batch_id
        if batch is not None:
            self.filter_label.setText(
                f"Showing the {QLocale().toString(total)} {noun} of import #{batch}."
            )

    def selected_lead_ids(self) -> tuple[int, ...]:
        from teleprospect.ui.leads.lead_table_model import LEAD_ID_ROLE

        rows = self.ui.leadTable.selectionModel().selectedRows()
        return tuple(int(index.data(LEAD_ID_ROLE)) for index in rows)
