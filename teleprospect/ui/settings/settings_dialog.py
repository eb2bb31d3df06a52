"""The Settings window: every rule of the desk a team lead tunes, in four tabs — calling
hours and retries, routing, campaigns, scoring. Everyone may look; only team leads may
change (the services check again). Everything is read and saved on a worker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from teleprospect.services.settings.overview import TeamRules, save_queue_rules, team_rules
from teleprospect.ui.background import run_in_background
from teleprospect.ui.settings.campaigns_page import CampaignsPage
from teleprospect.ui.settings.queue_pages import HoursPage, RoutingPage
from teleprospect.ui.settings.scoring_page import ScoringPage
from teleprospect.ui.signals import emit

if TYPE_CHECKING:
    from teleprospect.store.database import Database

__all__ = ["SettingsDialog"]

READ_ONLY_NOTE = "Only a team lead can change these settings; you can see them."


class SettingsDialog(QDialog):
    #: Something was saved: the queue and the lists may look different now.
    settings_changed = Signal()

    def __init__(self, db: Database, user_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.user_id = db, user_id
        self.rules: TeamRules | None = None
        self.setWindowTitle("Team settings")
        self.resize(860, 620)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.hours_page = HoursPage()
        self.routing_page = RoutingPage()
        self.campaigns_page = CampaignsPage(db, user_id)
        self.scoring_page = ScoringPage(db, user_id)
        self.tabs.addTab(self.hours_page, "Calling &hours and retries")
        self.tabs.addTab(self.routing_page, "R&outing")
        self.tabs.addTab(self.campaigns_page, "&Campaigns")
        self.tabs.addTab(self.scoring_page, "&Scoring")
        layout.addWidget(self.tabs, 1)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setObjectName("settingsMessage")
        row = QHBoxLayout()
        row.addWidget(self.message_label, 1)
        self.save_button = QPushButton("Sa&ve hours, retries and routing")
        row.addWidget(self.save_button)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.save_button.clicked.connect(self.save)
        # Campaigns and scoring save with their own buttons.
        self.tabs.currentChanged.connect(
            lambda index: self.save_button.setVisible(index < 2)  # hours, routing
        )
        for page in (self.campaigns_page, self.scoring_page):
            page.message.connect(self.say)
        self.campaigns_page.changed.connect(self.changed_elsewhere)
        self.scoring_page.published.connect(lambda _p: self.changed_elsewhere())
        self.set_editable(False, False)
        self.load()

    # -- reading -----------------------------------------------------------------------

    def load(self) -> None:
        db, user_id = self.db, self.user_id
        run_in_background(
            lambda: team_rules(db, user_id),
            self.show_rules,
            lambda error: self.say_error("The settings could not be read", error),
            owner=self,
        )

    def show_rules(self, rules: TeamRules) -> None:
        self.rules = rules
        self.hours_page.show_rules(rules.hours, rules.retry)
        self.routing_page.show_rule(rules.routing, rules.team_leads)
        self.campaigns_page.show_campaigns(rules.campaigns)
        self.scoring_page.show_rules(rules.scoring, rules.questions)
        self.set_editable(rules.may_edit_settings, rules.may_edit_scoring)
        if not rules.may_edit_settings:
            self.say(READ_ONLY_NOTE, False)

    def set_editable(self, settings: bool, scoring: bool) -> None:
        for page in (self.hours_page, self.routing_page):
            for child in page.findChildren(QWidget):
                if not isinstance(child, QLabel):
                    child.setEnabled(settings)
        if settings:  # a bar not in use stays greyed out
            self.routing_page.min_score.setEnabled(self.routing_page.by_score.isChecked())
            self.routing_page.min_size.setEnabled(self.routing_page.by_size.isChecked())
        self.save_button.setEnabled(settings)
        self.campaigns_page.set_editable(settings)
        self.scoring_page.set_editable(scoring)

    # -- saving ------------------------------------------------------------------------

    def save(self) -> None:
        try:
            hours, retry = self.hours_page.values()
            routing = self.routing_page.value()
        except ValueError as error:
            from teleprospect.ui.errors import error_text

            self.say(error_text(error), True)
            return
        db, user_id = self.db, self.user_id
        self.save_button.setEnabled(False)

        def done(changed: int) -> None:
            self.save_button.setEnabled(True)
            if not changed:
                self.say("Nothing changed.", False)
                return
            self.say("Saved: the queue follows the new rules from now on.", False)
            emit(self.settings_changed)

        def failed(error: BaseException) -> None:
            self.save_button.setEnabled(True)
            self.say_error("The settings were not saved", error)

        run_in_background(
            lambda: save_queue_rules(db, user_id, hours, retry, routing), done, failed, owner=self
        )

    def changed_elsewhere(self) -> None:
        emit(self.settings_changed)
        self.load()

    # -- messages ----------------------------------------------------------------------

    def say(self, text: str, is_error: bool) -> None:
        self.message_label.setText(text)
        self.message_label.setProperty("error", is_error)
        self.message_label.setStyleSheet("color: #b00020;" if is_error else "")

    def say_error(self, doing: str, error: BaseException) -> None:
        from teleprospect.ui.errors import error_text

        self.say(error_text(error, doing), True)
