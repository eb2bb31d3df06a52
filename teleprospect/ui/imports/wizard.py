"""The lead import wizard: file → preview → mapping → options → run → summary.

Every page only gathers choices and shows results; reading the file, the database and
the import itself run through :func:`run_in_background` (DESIGN.md §2 rule 3), so the
window stays responsive with a million-row file. The wizard keeps what the user chose on
every page: after an error or a cancel, Back leads to the same choices, ready to run again.
This module holds the flow (page order, the request it builds, the background run); each
page lives in its own module, its layout in its own Designer form (``ui/import_*.ui``).

The main window opens it with :func:`open_import_wizard` (menu, shortcut, or a CSV file
dropped on it) and listens to :attr:`ImportWizard.show_leads` and
:attr:`ImportWizard.import_finished`.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget, QWizard

from teleprospect.config import data_dir
from teleprospect.core.column_mapping import ColumnMapping
from teleprospect.services.identity.current_user import current_login
from teleprospect.services.imports.campaigns import campaign_names
from teleprospect.services.imports.errors import AlreadyImported
from teleprospect.services.imports.leads import ImportPreview, LeadImportRequest, import_leads
from teleprospect.services.imports.mappings import saved_mapping_names
from teleprospect.services.imports.reports import ImportSummary
from teleprospect.ui.background import run_in_background
from teleprospect.ui.imports.file_page import FilePage
from teleprospect.ui.imports.mapping_page import MappingPage
from teleprospect.ui.imports.options_page import OptionsPage
from teleprospect.ui.imports.page_tools import problem_text
from teleprospect.ui.imports.preview_page import PreviewPage
from teleprospect.ui.imports.run_page import RunPage
from teleprospect.ui.imports.summary_page import SummaryPage
from teleprospect.ui.signals import emit

if TYPE_CHECKING:
    from teleprospect.store.database import Database

log = logging.getLogger(__name__)

__all__ = ["ImportWizard", "open_import_wizard"]

# Page ids, in the order the user meets them.
FILE_PAGE, PREVIEW_PAGE, MAPPING_PAGE, OPTIONS_PAGE, RUN_PAGE, SUMMARY_PAGE = range(6)

#: Where reject files and summaries go, as for the command line's import.
REPORT_FOLDER = "imports"


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
        self.file_page.ui.pathEdit.setText(str(path))

    # -- running the import

    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def is_running(self) -> bool:
        return self._running

    def request_cancel(self) -> None:
        if self._running:
            self._cancel.set()
            self.run_page.show_stopping()

    def build_request(self) -> LeadImportRequest:
        """What the pages chose. The campaign goes by name: the import finds or creates it
        inside its own transaction, so a dry run, a cancel or a failure leaves no empty
        campaign behind."""
        assert self.path is not None and self.preview is not None
        options = self.options_page
        dialect = self.preview.dialect
        return LeadImportRequest(
            path=self.path,
            mapping=self.mapping or self.mapping_page.model.mapping(),
            # What the preview showed is what is imported.
            encoding=dialect.encoding,
            delimiter=dialect.delimiter,
            campaign_name=options.campaign_name() or None,
            default_region=options.region(),
            on_duplicate=options.policy(),
            dry_run=options.dry_run(),
            allow_reimport=self.allow_reimport,
            report_dir=data_dir() / REPORT_FOLDER,
        )

    def start_import(self) -> None:
        if self._running or self.currentId() != RUN_PAGE:
            return
        request = self.build_request()
        db = self.db
        cancel = threading.Event()
        self._cancel = cancel
        self._set_running(True)
        self._close_when_stopped = False
        self.campaign_used = request.campaign_name or ""

        def work(report: Any) -> ImportSummary:
            final = replace(request, login=current_login(db))
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
                f"{problem_text(error)}\n\nImport it again?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.allow_reimport = True
                self.start_import()
                return
        self.run_page.show_stopped(problem_text(error))

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
