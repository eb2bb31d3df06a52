"""The Settings window's campaigns: type, offer, phone region and whether the leads count
as inbound; saved on a worker, where the change reaches the campaign's leads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from teleprospect.core.domain import CampaignChannel
from teleprospect.services.settings.campaigns import (
    CampaignEdit,
    CampaignInfo,
    InboundChoice,
    add_campaign,
    edit_campaign,
)
from teleprospect.ui.background import run_in_background
from teleprospect.ui.signals import emit
from teleprospect.ui.tables.record_model import Column, RecordTableModel

if TYPE_CHECKING:
    from teleprospect.store.database import Database

__all__ = ["CampaignsPage"]

_INBOUND = {
    InboundChoice.BY_TYPE: "As its type says",
    InboundChoice.YES: "Yes, always",
    InboundChoice.NO: "No, never",
}


def _columns() -> list[Column]:
    return [
        Column("Campaign", lambda c: c.name),
        Column("Type", lambda c: c.channel.label),
        Column("Region", lambda c: c.default_region),
        Column("Inbound", lambda c: "yes" if c.inbound else "no"),
        Column("Offer", lambda c: c.offer),
    ]


class CampaignsPage(QWidget):
    #: A sentence for the window's message line: (text, is an error).
    message = Signal(str, bool)
    #: A campaign was saved: the window reads everything again.
    changed = Signal()

    def __init__(self, db: Database, user_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.user_id = db, user_id
        layout = QVBoxLayout(self)
        self.model: RecordTableModel[CampaignInfo] = RecordTableModel(_columns(), self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        layout.addWidget(self.table, 1)
        form = QFormLayout()
        self.name_edit = QLineEdit()
        self.type_combo = QComboBox()
        for channel in CampaignChannel:
            self.type_combo.addItem(channel.label, channel)
        self.offer_edit = QLineEdit()
        self.offer_edit.setPlaceholderText("What it offered, in words a caller can use")
        self.region_edit = QLineEdit()
        self.region_edit.setMaxLength(2)
        self.region_edit.setPlaceholderText("US")
        self.inbound_combo = QComboBox()
        for choice, label in _INBOUND.items():
            self.inbound_combo.addItem(label, choice)
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Type:", self.type_combo)
        form.addRow("&Offer:", self.offer_edit)
        form.addRow("Phone &region:", self.region_edit)
        form.addRow("Counts as &inbound:", self.inbound_combo)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.add_button = QPushButton("Add as &new campaign")
        self.save_button = QPushButton("Save &campaign")
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add)
        self.save_button.clicked.connect(self.save)
        self.save_button.setEnabled(False)

    def set_editable(self, editable: bool) -> None:
        for widget in (
            self.name_edit,
            self.type_combo,
            self.offer_edit,
            self.region_edit,
            self.inbound_combo,
            self.add_button,
        ):
            widget.setEnabled(editable)
        self._editable = editable
        self.save_button.setEnabled(editable and self.current() is not None)

    def show_campaigns(self, campaigns: list[CampaignInfo]) -> None:
        chosen = self.current()
        self.model.set_records(campaigns)
        for row, campaign in enumerate(campaigns):
            if chosen is not None and campaign.id == chosen.id:
                self.table.selectRow(row)

    def current(self) -> CampaignInfo | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.record(rows[0].row()) if rows else None

    def _selected(self, _new: QItemSelection, _old: QItemSelection) -> None:
        campaign = self.current()
        self.save_button.setEnabled(campaign is not None and getattr(self, "_editable", False))
        if campaign is None:
            return
        self.name_edit.setText(campaign.name)
        self.type_combo.setCurrentIndex(self.type_combo.findData(campaign.channel))
        self.offer_edit.setText(campaign.offer)
        self.region_edit.setText(campaign.default_region)
        self.inbound_combo.setCurrentIndex(self.inbound_combo.findData(campaign.inbound_choice))

    def _edit(self) -> CampaignEdit:
        return CampaignEdit(
            name=self.name_edit.text(),
            # Qt hands enum data back as plain text.
            channel=CampaignChannel(self.type_combo.currentData()),
            offer=self.offer_edit.text(),
            region=self.region_edit.text() or "US",
            inbound=InboundChoice(self.inbound_combo.currentData()),
        )

    def save(self) -> None:
        campaign = self.current()
        if campaign is None:
            return
        db, user_id, edit = self.db, self.user_id, self._edit()
        self._run(lambda: edit_campaign(db, user_id, campaign.id, edit), "saved")

    def add(self) -> None:
        db, user_id, e = self.db, self.user_id, self._edit()
        assert e.name is not None and e.channel is not None and e.inbound is not None
        self._run(
            lambda: add_campaign(
                db,
                user_id,
                e.name or "",
                e.channel or CampaignChannel.OTHER,
                offer=e.offer or "",
                region=e.region or "US",
                inbound=e.inbound or InboundChoice.BY_TYPE,
            ),
            "added",
        )

    def _run(self, op: object, done_word: str) -> None:
        self.save_button.setEnabled(False)
        self.add_button.setEnabled(False)

        def done(info: CampaignInfo) -> None:
            self.add_button.setEnabled(True)
            inbound = "count as inbound" if info.inbound else "do not count as inbound"
            emit(
                self.message,
                f"Campaign “{info.name}” {done_word}: its leads {inbound}.",
                False,
            )
            emit(self.changed)

        def failed(error: BaseException) -> None:
            from teleprospect.ui.errors import error_text

            self.add_button.setEnabled(True)
            self.save_button.setEnabled(self.current() is not None)
            emit(self.message, error_text(error, "The campaign was not saved"), True)

        run_in_background(op, done, failed, owner=self)  # type: ignore[arg-type]
