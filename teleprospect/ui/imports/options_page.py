"""The wizard's fourth page: the campaign, the phone region, duplicates, and a dry run."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QMessageBox, QRadioButton, QWizardPage

from teleprospect.core.domain import DuplicatePolicy
from teleprospect.core.normalise import campaign_key
from teleprospect.ui.forms.ui_import_options_page import Ui_ImportOptionsPage
from teleprospect.ui.imports.page_tools import style_note

if TYPE_CHECKING:
    from teleprospect.ui.imports.wizard import ImportWizard


class OptionsPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.ui = ui = Ui_ImportOptionsPage()
        ui.setupUi(self)
        for hint in (ui.campaignHintLabel, ui.regionHintLabel):
            style_note(hint, "hint")
        for note in (ui.skipHintLabel, ui.updateHintLabel, ui.markHintLabel):
            style_note(note, "hint")
            note.setContentsMargins(24, 0, 0, 6)  # under the button's text, not its circle
        line_edit = ui.campaignCombo.lineEdit()
        assert line_edit is not None  # the combo box is editable
        line_edit.setPlaceholderText("Type a new name or pick one")
        self._last_campaign = ""
        ui.campaignCombo.currentTextChanged.connect(self._campaign_changed)
        ui.regionCombo.currentIndexChanged.connect(lambda _: self._campaign_changed())
        self._fill_regions()

    def initializePage(self) -> None:
        self.fill_campaigns(self.owner.campaigns)

    def fill_campaigns(self, campaigns: Sequence[tuple[int, str, str]]) -> None:
        combo = self.ui.campaignCombo
        text = combo.currentText()
        combo.blockSignals(True)
        combo.clear()
        for campaign_id, name, region in campaigns:
            combo.addItem(name, (campaign_id, region))
        combo.setCurrentIndex(-1)
        combo.setEditText(text)
        combo.blockSignals(False)
        self._campaign_changed()

    def policy_button(self, policy: DuplicatePolicy) -> QRadioButton:
        for button in self.ui.policyButtons.buttons():
            if button.property("policy") == policy.value:
                assert isinstance(button, QRadioButton)
                return button
        raise KeyError(policy)

    def policy(self) -> DuplicatePolicy:
        checked = self.ui.policyButtons.checkedButton()
        return DuplicatePolicy(checked.property("policy")) if checked else DuplicatePolicy.SKIP

    def dry_run(self) -> bool:
        return self.ui.dryRunBox.isChecked()

    def campaign_name(self) -> str:
        return " ".join(self.ui.campaignCombo.currentText().split())

    def existing_campaign(self) -> tuple[int, str, str] | None:
        key = campaign_key(self.campaign_name())
        return next((c for c in self.owner.campaigns if campaign_key(c[1]) == key), None)

    def region(self) -> str:
        return str(self.ui.regionCombo.currentData() or "US")

    def set_region(self, code: str) -> None:
        position = self.ui.regionCombo.findData(code.upper())
        if position >= 0:
            self.ui.regionCombo.setCurrentIndex(position)

    def validatePage(self) -> bool:
        wizard = self.owner
        wizard.allow_reimport = False
        if wizard.previous_note and not self.dry_run():
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
            self.ui.regionCombo.blockSignals(True)
            self.set_region(existing[2])
            self.ui.regionCombo.blockSignals(False)
        self._last_campaign = name
        region = self.ui.regionCombo.currentText()
        if not name:
            text = "No campaign: the leads are not linked to a campaign."
        elif existing is None:
            text = f"A new campaign “{name}” is created when the import runs."
        else:
            text = f"Existing campaign. Its numbers are read as {region} numbers."
        self.ui.campaignHintLabel.setText(text)

    def _fill_regions(self) -> None:
        from phonenumbers import SUPPORTED_REGIONS

        entries = []
        for code in SUPPORTED_REGIONS:
            territory = QLocale.codeToTerritory(code)
            name = QLocale.territoryToString(territory) if territory.value else code
            entries.append((f"{name} ({code})", code))
        for text, code in sorted(entries, key=lambda entry: entry[0].casefold()):
            self.ui.regionCombo.addItem(text, code)
        own = QLocale.territoryToCode(QLocale().territory())
        self.set_region(own if own in SUPPORTED_REGIONS else "US")
