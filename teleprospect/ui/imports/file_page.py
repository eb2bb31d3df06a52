"""The wizard's first page: which file to import."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QWizardPage

from teleprospect.ui.forms.ui_import_file_page import Ui_ImportFilePage
from teleprospect.ui.imports.page_tools import style_note
from teleprospect.ui.signals import emit

if TYPE_CHECKING:
    from teleprospect.ui.imports.wizard import ImportWizard

FILE_FILTER = "CSV files (*.csv *.txt *.tsv);;All files (*)"


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.ui = Ui_ImportFilePage()
        self.ui.setupUi(self)
        style_note(self.ui.dropHintLabel, "hint")
        self.ui.pathEdit.textChanged.connect(lambda _: emit(self.completeChanged))
        self.ui.browseButton.clicked.connect(self.browse)

    def path(self) -> Path | None:
        text = self.ui.pathEdit.text().strip().strip('"')
        return Path(text).expanduser() if text else None

    def isComplete(self) -> bool:
        return self.path() is not None

    def browse(self) -> None:
        path = self.path()
        start = str(path.parent) if path else str(Path.home())
        chosen, _ = QFileDialog.getOpenFileName(self, "Import leads", start, FILE_FILTER)
        if chosen:
            self.ui.pathEdit.setText(chosen)
            self.ui.pathEdit.setFocus()
