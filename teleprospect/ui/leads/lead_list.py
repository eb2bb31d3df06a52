"""The Leads tab of the main window: every lead, a chunk at a time, or one import's leads.

The table is the main window's form; this drives it: the lazy model, the search box and
filters above it, the order a header click asks the database for, opening a lead (Enter,
double-click) and its context menu, the column widths the user set (kept between
sessions), the bar that says when only one import is shown, and the count in the status
bar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QLocale, QModelIndex, QObject, QPoint, QSettings, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QWidget

from teleprospect.ui.background import run_in_background
from teleprospect.ui.leads.lead_table_model import (
    COLUMNS,
    LEAD_ID_ROLE,
    SORTABLE,
    LeadTableModel,
)
from teleprospect.ui.leads.search_bar import LeadSearchBar
from teleprospect.ui.tables.table_columns import fit_columns_to_samples, setup_lead_table_view

if TYPE_CHECKING:
    from teleprospect.services.leads.lead_list import LeadRow
    from teleprospect.ui.main_window import MainWindow

# QSettings keys of the list's column widths (DESIGN.md §2 rule 6).
HEADER_STATE_KEY = "leadTable/headerState"
HEADER_COLUMNS_KEY = "leadTable/columnCount"
#: The listing's fields that narrow the list (the total then counts what was found).
_FILTERS = ("search", "status", "owner_id", "campaign_id", "grade", "country")


def _copy(text: str) -> None:
    QGuiApplication.clipboard().setText(text)


class LeadList(QObject):
    """The Leads tab's behaviour, on the main window's form."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ui = window.ui
        self.model = LeadTableModel(None, self)
        #: The order a header click chose: (column, descending); None: by id.
        self.sort: tuple[int, bool] | None = None
        self.setup_table()
        self.setup_filter_bar()
        self.setup_search_bar()
        self.setup_sorting()
        self.setup_opening()
        self.setup_find_action()

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

    def setup_search_bar(self) -> None:
        """The search box and the filters, above everything else on the tab."""
        self.search_bar = LeadSearchBar(self.ui.leadsTab)
        self.search_bar.changed.connect(self.apply_listing)
        self.model.note_changed.connect(self.search_bar.show_note)
        self.ui.leadsTabLayout.insertWidget(0, self.search_bar)

    def setup_sorting(self) -> None:
        """A header click sorts by that column in the database (again: the other way);
        columns without an index to sort by say so."""
        header = self.ui.leadTable.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(False)
        header.sectionClicked.connect(self.sort_by_column)

    def setup_opening(self) -> None:
        """Enter or a double-click opens the lead; a right-click offers what can be done."""
        table = self.ui.leadTable
        table.activated.connect(self.open_index)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self.show_context_menu)

    def setup_find_action(self) -> None:
        """Ctrl+F, wherever the focus is: to the Leads tab's search box."""
        self.find_action = QAction("&Find a lead…", self.window)
        self.find_action.setObjectName("actionFindLead")
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.find_action.triggered.connect(self.focus_search)
        self.window.addAction(self.find_action)

    def focus_search(self) -> None:
        self.ui.mainTabs.setCurrentWidget(self.ui.leadsTab)
        self.search_bar.focus_search()

    # -- search, filters, order ----------------------------------------------------------

    def apply_listing(self) -> None:
        """Read the list again with the bar's search and filters and the chosen order."""
        listing = self.search_bar.listing()
        if self.sort is not None:
            column, descending = self.sort
            listing |= {"sort": SORTABLE[column], "descending": descending}
        if {key: value for key, value in listing.items() if value not in (None, "")} == (
            self.model.listing
        ):
            return  # nothing changed (a filter set back to what it was, a pause in typing)
        self.model.set_listing(**listing)
        self.count()

    def sort_by_column(self, column: int) -> None:
        header = self.ui.leadTable.horizontalHeader()
        if column not in SORTABLE:
            self.window.statusBar().showMessage(
                f"The list cannot be sorted by {COLUMNS[column].title.lower()}: use the "
                "filters above it.",
                5_000,
            )
            return
        descending = self.sort is not None and self.sort == (column, False)
        self.sort = (column, descending)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(
            column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        )
        self.apply_listing()

    def read_filter_choices(self) -> None:
        """Fill the filters (owners, campaigns, grades, countries) in the background."""
        db = self.window.db
        if db is None:
            return

        def read() -> tuple:
            from teleprospect.services.leads.lead_list import list_filter_choices

            choices = list_filter_choices(db)
            return choices.owners, choices.campaigns, choices.grades, choices.countries

        run_in_background(
            read,
            lambda choices: self.search_bar.set_choices(*choices),
            lambda error: self.window.show_error("The lead filters could not be read", error),
            owner=self,
        )

    # -- opening and acting on a lead ----------------------------------------------------

    def lead_at(self, index: QModelIndex) -> LeadRow | None:
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.lead_row(index.row())

    def open_index(self, index: QModelIndex) -> None:
        row = self.lead_at(index)
        if row is not None:
            self.open_lead(row.id)

    def open_lead(self, lead_id: int) -> None:
        """Open the lead in the Call tab: claimed when free, read-only naming who holds it
        otherwise (as the queue opens a lead picked by hand)."""
        if self.window.queue_user_id is None:
            self.window.statusBar().showMessage(
                "Leads open for calling once you are signed in with an account.", 10_000
            )
            return
        self.window.desk.open_specific_lead(lead_id)

    def show_context_menu(self, point: QPoint) -> None:
        table = self.ui.leadTable
        row = self.lead_at(table.indexAt(point))
        if row is None:
            return
        menu = self.context_menu(row)
        menu.popup(table.viewport().mapToGlobal(point))

    def context_menu(self, row: LeadRow) -> QMenu:
        """What can be done with ``row``'s lead, in the order people reach for it."""
        menu = QMenu(self.ui.leadTable)
        menu.setObjectName("leadContextMenu")
        desk = self.window.desk
        mine = desk.claimed is not None and desk.claimed.lead_id == row.id
        held = bool(row.holder) and not mine
        opened = menu.addAction(
            f"&Open (held by {row.holder}: read-only)" if held else "&Open",
            lambda: self.open_lead(row.id),
        )
        opened.setShortcut(QKeySequence(Qt.Key.Key_Return))
        claim = menu.addAction("&Claim and call", lambda: self.open_lead(row.id))
        claim.setEnabled(not held and not mine)
        release = menu.addAction("&Release", desk.release_lead)
        release.setEnabled(mine)
        menu.addSeparator()
        phone = menu.addAction("Copy &phone", lambda: _copy(row.phone))
        phone.setEnabled(bool(row.phone))
        email = menu.addAction("Copy &email", lambda: _copy(row.email))
        email.setEnabled(bool(row.email))
        menu.addAction("Copy lead &id", lambda: _copy(str(row.id)))
        extra = self.ui.leadTable.actions()  # Reassign, for team leads
        if extra:
            menu.addSeparator()
            menu.addActions(extra)
        return menu

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
        self.read_filter_choices()

    def count(self) -> None:
        self.window.total_label.setText("Reading leads…")
        self.model.count_total()

    def show_total(self, total: int) -> None:
        noun = "lead" if total == 1 else "leads"
        found = " found" if any(self.model.listing.get(k) for k in _FILTERS) else ""
        self.window.total_label.setText(f"{QLocale().toString(total)} {noun}{found}")
        batch = self.model.import_batch_id
        if batch is not None:
            self.filter_label.setText(
                f"Showing the {QLocale().toString(total)} {noun} of import #{batch}."
            )

    def selected_lead_ids(self) -> tuple[int, ...]:
        rows = self.ui.leadTable.selectionModel().selectedRows()
        return tuple(int(index.data(LEAD_ID_ROLE)) for index in rows)
