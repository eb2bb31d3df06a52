"""The wizard's fifth page: the import running, its progress, and a way to stop it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWizardPage

from teleprospect.ui.forms.ui_import_run_page import Ui_ImportRunPage
from teleprospect.ui.imports.page_tools import count, set_note, style_note
from teleprospect.ui.signals import emit

if TYPE_CHECKING:
    from teleprospect.ui.imports.wizard import ImportWizard


class RunPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self._done = False
        self.ui = Ui_ImportRunPage()
        self.ui.setupUi(self)
        style_note(self.ui.runErrorLabel, "error")
        style_note(self.ui.afterLabel, "hint")
        self.ui.cancelImportButton.clicked.connect(self.owner.request_cancel)

    def initializePage(self) -> None:
        ui = self.ui
        self._done = False
        ui.runErrorLabel.hide()
        ui.afterLabel.hide()
        ui.cancelImportButton.setEnabled(True)
        ui.cancelImportButton.show()
        ui.importProgress.show()
        ui.importProgress.setRange(0, 0)  # busy until the first report
        ui.progressLabel.setText(f"Reading {self.owner.path.name if self.owner.path else ''}…")
        # After the page is on screen: the import's result moves the wizard on, which must
        # not happen inside the page switch that is still going on.
        QTimer.singleShot(0, self.owner.start_import)

    def isComplete(self) -> bool:
        return self._done

    def show_progress(self, done: int, total: int) -> None:
        if self.owner.cancel_requested():
            return
        self.ui.importProgress.setRange(0, max(total, 1))
        self.ui.importProgress.setValue(min(done, total))
        self.ui.progressLabel.setText(f"Row {count(done)} of about {count(total)}…")

    def show_stopping(self) -> None:
        self.ui.cancelImportButton.setEnabled(False)
        self.ui.progressLabel.setText("Stopping… nothing of this import will be saved.")

    def show_finished(self) -> None:
        self._done = True
        self.ui.cancelImportButton.setEnabled(False)
        self.ui.importProgress.setRange(0, 1)
        self.ui.importProgress.setValue(1)
        emit(self.completeChanged)

    def show_stopped(self, message: str) -> None:
        self.ui.cancelImportButton.hide()
        self.ui.importProgress.hide()
        self.ui.progressLabel.setText("The import did not run to the end.")
        set_note(self.ui.runErrorLabel, message)
        self.ui.afterLabel.show()
        emit(self.completeChanged)
