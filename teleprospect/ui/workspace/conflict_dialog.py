"""Someone else changed the lead while the rep was editing it: show both, let them choose.

Nothing is overwritten silently: for every field both sides changed differently, the rep
picks their value or the stored one; fields only they changed keep their value.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from teleprospect.ui.workspace.lead_panel import CONTACT_FIELDS

_LABELS = {key: label.replace("&", "") for key, label in CONTACT_FIELDS}


class ConflictDialog(QDialog):
    """Per field: keep mine or take theirs."""

    def __init__(
        self,
        mine: Mapping[str, str],
        theirs: Mapping[str, str],
        changed_by: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("The lead was changed meanwhile")
        self.mine, self.theirs = dict(mine), dict(theirs)
        layout = QVBoxLayout(self)
        who = changed_by or "someone else"
        intro = QLabel(
            f"<b>{who}</b> saved this lead while you were editing it. "
            "Choose, for each field, which value to keep.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        grid = QGridLayout()
        grid.addWidget(QLabel("<b>Field</b>"), 0, 0)
        grid.addWidget(QLabel("<b>Yours</b>"), 0, 1)
        grid.addWidget(QLabel(f"<b>Saved by {who}</b>"), 0, 2)
        self.choices: dict[str, QRadioButton] = {}
        self._groups: list[QButtonGroup] = []
        for row, key in enumerate(self.mine, start=1):
            mine_button = QRadioButton(self.mine[key] or "(empty)", self)
            theirs_button = QRadioButton(self.theirs.get(key, "") or "(empty)", self)
            mine_button.setObjectName(f"mine_{key}")
            theirs_button.setObjectName(f"theirs_{key}")
            group = QButtonGroup(self)
            group.addButton(mine_button)
            group.addButton(theirs_button)
            self._groups.append(group)
            mine_button.setChecked(True)
            grid.addWidget(QLabel(_LABELS.get(key, key)), row, 0)
            grid.addWidget(mine_button, row, 1)
            grid.addWidget(theirs_button, row, 2)
            self.choices[key] = mine_button
        layout.addLayout(grid)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def kept(self) -> dict[str, str]:
        """The fields to save with the rep's values (the others keep what is stored)."""
        return {key: self.mine[key] for key, button in self.choices.items() if button.isChecked()}
