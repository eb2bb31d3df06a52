"""The bar above the lead list: a search box that finds as you type, and the filters.

Typing waits for a pause (:data:`TYPING_PAUSE_MS`) before the list is read again, so a
fast typist starts one query, not one per key; the list's generation counter drops the
answers of queries made before the last (a slow early answer never overwrites a newer
one). A search the index cannot run (a word of one or two letters) is said beside the
box rather than sent.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from teleprospect.core.errors import Invalid
from teleprospect.core.lead_search import MAX_SEARCH_LENGTH, MIN_FRAGMENT, parse_search
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.ui.signals import emit

#: How long typing must pause before the list is searched.
TYPING_PAUSE_MS = 250
#: The owner filter's entry for leads without an owner (services' NOBODY).
NOBODY = 0


class LeadSearchBar(QWidget):
    """Search box and filters; ``changed`` says the list must be read again."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("leadSearchBar")
        self.box = QLineEdit(self)
        self.box.setObjectName("leadSearch")
        self.box.setPlaceholderText("Find a lead: name, company, email, any part of a phone, id")
        self.box.setToolTip(
            "Any part of a name, company, email or phone number (typed with or without "
            f"spaces or dashes), a lead id (#123) or a hand-off reference; at least "
            f"{MIN_FRAGMENT} characters. Ctrl+F comes here from anywhere."
        )
        self.box.setClearButtonEnabled(True)
        self.box.setMaxLength(MAX_SEARCH_LENGTH)
        self.status = self._combo("statusFilter", "Any status")
        for status in LeadStatus:
            self.status.addItem(status.label, status.value)
        self.owner = self._combo("ownerFilter", "Any owner")
        self.campaign = self._combo("campaignFilter", "Any campaign")
        self.grade = self._combo("gradeFilter", "Any grade")
        self.country = self._combo("countryFilter", "Any country")
        self.note = QLabel(self)
        self.note.setObjectName("leadSearchNote")
        self.note.setWordWrap(True)
        self.note.hide()

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.box, 3)
        for combo in (self.status, self.owner, self.campaign, self.grade, self.country):
            row.addWidget(combo, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.note)

        self.typing = QTimer(self)
        self.typing.setSingleShot(True)
        self.typing.setInterval(TYPING_PAUSE_MS)
        self.typing.timeout.connect(lambda: emit(self.changed))
        self.box.textChanged.connect(lambda _text: self.typing.start())
        self.box.returnPressed.connect(self.search_now)

    def _combo(self, name: str, anything: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.addItem(anything, None)
        combo.setMinimumContentsLength(8)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.currentIndexChanged.connect(lambda _i: emit(self.changed))
        return combo

    def search_now(self) -> None:
        """Enter in the box: no need to wait for the pause."""
        if self.typing.isActive():
            self.typing.stop()
            emit(self.changed)

    def set_choices(
        self,
        owners: list[tuple[int, str]],
        campaigns: list[tuple[int, str]],
        grades: list[tuple[str, str]],
        countries: list[str],
    ) -> None:
        """Fill the filters, keeping what is chosen where it still exists."""
        self._fill(self.owner, [("Nobody", NOBODY), *((name, id_) for id_, name in owners)])
        self._fill(self.campaign, [(name, id_) for id_, name in campaigns])
        self._fill(self.grade, [(f"{grade} — {label}", grade) for grade, label in grades])
        self._fill(self.country, [(code, code) for code in countries])

    def _fill(self, combo: QComboBox, items: list[tuple[str, Any]]) -> None:
        chosen = combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for text, data in items:
            combo.addItem(text, data)
        found = combo.findData(chosen) if chosen is not None else 0
        combo.setCurrentIndex(max(found, 0))
        combo.blockSignals(False)
        if chosen is not None and found < 0:
            emit(self.changed)  # what was chosen is gone: the list shows more now

    def listing(self) -> dict[str, Any]:
        """The search and filters (LeadListing's fields); says beside the box when the
        search cannot be run, and leaves it out."""
        text, problem = self.box.text(), ""
        try:
            if parse_search(text).too_short:
                problem = (
                    f"Type at least {MIN_FRAGMENT} letters or digits in a row, or a lead's id."
                )
        except Invalid as error:
            problem = str(error)
        self.show_note(problem)
        return {
            "search": "" if problem else text,
            "status": self.status.currentData(),
            "owner_id": self.owner.currentData(),
            "campaign_id": self.campaign.currentData(),
            "grade": self.grade.currentData(),
            "country": self.country.currentData(),
        }

    def show_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def focus_search(self) -> None:
        self.box.setFocus()
        self.box.selectAll()
