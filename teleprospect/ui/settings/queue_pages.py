"""The Settings window's queue pages: calling hours with the retry rule of each outcome,
and the routing of urgent or high-value leads to team leads.

The widgets only hold values; :meth:`values` builds the core rules from them, whose own
checks (the legal calling window, a retry needs a delay…) say what is wrong.
"""

from __future__ import annotations

from datetime import time, timedelta

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QTableWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from teleprospect.core.domain import Disposition
from teleprospect.core.queue_policy import (
    CallingHours,
    ExhaustedOutcome,
    RetryRule,
    RetryRules,
    RoutingRule,
)

__all__ = ["HoursPage", "RoutingPage"]

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_EXHAUSTED = {
    ExhaustedOutcome.NURTURE: "Back to nurture",
    ExhaustedOutcome.CLOSED_UNREACHABLE: "Close as unreachable",
}
RETRY_COLUMNS = ("Outcome", "Try again", "After (minutes)", "Or after business days", "Counts")


class HoursPage(QWidget):
    """Calling hours, the attempt limit, and one retry rule per outcome."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        days = QHBoxLayout()
        self.day_boxes = [QCheckBox(name) for name in _DAYS]
        for box in self.day_boxes:
            days.addWidget(box)
        days.addStretch(1)
        form.addRow("Calling days:", days)
        hours = QHBoxLayout()
        self.start_edit, self.end_edit = QTimeEdit(), QTimeEdit()
        for edit in (self.start_edit, self.end_edit):
            edit.setDisplayFormat("HH:mm")
        hours.addWidget(self.start_edit)
        hours.addWidget(QLabel("to"))
        hours.addWidget(self.end_edit)
        hours.addWidget(QLabel("in the lead's local time (never outside 08:00–21:00)"))
        hours.addStretch(1)
        form.addRow("Calling hours:", hours)
        attempts = QHBoxLayout()
        self.max_attempts = QSpinBox()
        self.max_attempts.setRange(1, 50)
        self.window_days = QSpinBox()
        self.window_days.setRange(1, 365)
        self.window_days.setSuffix(" days")
        self.on_exhausted = QComboBox()
        for outcome, label in _EXHAUSTED.items():
            self.on_exhausted.addItem(label, outcome)
        attempts.addWidget(self.max_attempts)
        attempts.addWidget(QLabel("attempts within"))
        attempts.addWidget(self.window_days)
        attempts.addWidget(QLabel(", then"))
        attempts.addWidget(self.on_exhausted)
        attempts.addStretch(1)
        form.addRow("At most:", attempts)
        layout.addLayout(form)
        layout.addWidget(QLabel("When to try again after each outcome:"))
        # A fixed list (one row per outcome), not data that grows.
        self.retry_table = QTableWidget(len(Disposition), len(RETRY_COLUMNS))
        self.retry_table.setHorizontalHeaderLabels(RETRY_COLUMNS)
        self.retry_table.verticalHeader().hide()
        self.retry_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.retry_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.retry_table.horizontalHeader().setStretchLastSection(True)
        self._rows: dict[Disposition, tuple[QCheckBox, QSpinBox, QSpinBox, QCheckBox]] = {}
        for row, disposition in enumerate(Disposition):
            name = QLabel(disposition.label)
            name.setContentsMargins(6, 0, 6, 0)
            retry, minutes, days_box, counts = QCheckBox(), QSpinBox(), QSpinBox(), QCheckBox()
            minutes.setRange(0, 60 * 24 * 30)
            minutes.setSingleStep(15)
            days_box.setRange(0, 30)
            cells: tuple[QWidget, ...] = (name, retry, minutes, days_box, counts)
            for column, widget in enumerate(cells):
                self.retry_table.setCellWidget(row, column, widget)
            self._rows[disposition] = (retry, minutes, days_box, counts)
        layout.addWidget(self.retry_table, 1)

    def show_rules(self, hours: CallingHours, retry: RetryRules) -> None:
        for day, box in enumerate(self.day_boxes):
            box.setChecked(day in hours.weekdays)
        self.start_edit.setTime(QTime(hours.start.hour, hours.start.minute))
        self.end_edit.setTime(QTime(hours.end.hour, hours.end.minute))
        self.max_attempts.setValue(retry.max_attempts)
        self.window_days.setValue(retry.window_days)
        self.on_exhausted.setCurrentIndex(self.on_exhausted.findData(retry.on_exhausted))
        for disposition, (again, minutes, days_box, counts) in self._rows.items():
            rule = retry.rule_for(disposition)
            again.setChecked(rule.retry)
            minutes.setValue(int(rule.delay.total_seconds() // 60))
            days_box.setValue(rule.business_days)
            counts.setChecked(rule.counts_as_attempt)

    def rule_widgets(
        self, disposition: Disposition
    ) -> tuple[QCheckBox, QSpinBox, QSpinBox, QCheckBox]:
        return self._rows[disposition]

    def values(self) -> tuple[CallingHours, RetryRules]:
        """The rules as edited; raises the core's one-sentence error when they cannot be."""
        start, end = self.start_edit.time(), self.end_edit.time()
        hours = CallingHours(
            frozenset(day for day, box in enumerate(self.day_boxes) if box.isChecked()),
            time(start.hour(), start.minute()),
            time(end.hour(), end.minute()),
        )
        rules = {}
        for disposition, (again, minutes, days_box, counts) in self._rows.items():
            try:
                rules[disposition] = RetryRule(
                    again.isChecked(),
                    timedelta(minutes=minutes.value()),
                    days_box.value(),
                    counts.isChecked(),
                )
            except ValueError as error:
                raise ValueError(f"{disposition.label}: {error}") from None
        retry = RetryRules(
            rules,
            self.max_attempts.value(),
            self.window_days.value(),
            ExhaustedOutcome(self.on_exhausted.currentData()),
        )
        return hours, retry


class RoutingPage(QWidget):
    """Which leads go to team leads' queues, and which team leads receive them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Urgent or high-value leads can skip the reps' queues and go to team leads."
                " A lead a rep owns stays in that rep's queue."
            )
        )
        form = QFormLayout()
        score_row = QHBoxLayout()
        self.by_score = QCheckBox("Score of at least")
        self.min_score = QSpinBox()
        self.min_score.setRange(0, 100)
        score_row.addWidget(self.by_score)
        score_row.addWidget(self.min_score)
        score_row.addStretch(1)
        form.addRow("Route leads with:", score_row)
        size_row = QHBoxLayout()
        self.by_size = QCheckBox("Company of at least")
        self.min_size = QSpinBox()
        self.min_size.setRange(1, 10_000_000)
        self.min_size.setSuffix(" employees")
        self.min_size.setGroupSeparatorShown(True)
        size_row.addWidget(self.by_size)
        size_row.addWidget(self.min_size)
        size_row.addStretch(1)
        form.addRow("or:", size_row)
        layout.addLayout(form)
        layout.addWidget(QLabel("Team leads who receive them (none ticked: every team lead):"))
        self.receivers_list = QListWidget()
        layout.addWidget(self.receivers_list, 1)
        self.by_score.toggled.connect(self.min_score.setEnabled)
        self.by_size.toggled.connect(self.min_size.setEnabled)

    def show_rule(self, rule: RoutingRule, team_leads: list[tuple[int, str]]) -> None:
        self.by_score.setChecked(rule.min_score is not None)
        self.min_score.setValue(rule.min_score if rule.min_score is not None else 80)
        self.min_score.setEnabled(rule.min_score is not None)
        self.by_size.setChecked(rule.min_company_size is not None)
        self.min_size.setValue(rule.min_company_size or 1000)
        self.min_size.setEnabled(rule.min_company_size is not None)
        self.receivers_list.clear()
        for user_id, name in team_leads:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, user_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = user_id in rule.receivers
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.receivers_list.addItem(item)

    def value(self) -> RoutingRule:
        items = [self.receivers_list.item(i) for i in range(self.receivers_list.count())]
        receivers = frozenset(
            int(item.data(Qt.ItemDataRole.UserRole))
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        )
        return RoutingRule(
            self.min_score.value() if self.by_score.isChecked() else None,
            self.min_size.value() if self.by_size.isChecked() else None,
            receivers,
        )
