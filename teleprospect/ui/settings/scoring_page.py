"""The Settings window's scoring page: the sales-ready threshold and the points each script
answer carries, a preview of how many leads change grade, and publishing — which stores a
new version and re-scores every lead, with progress, on a worker."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from teleprospect.core.scoring.answers import with_answer_points
from teleprospect.core.scoring.rules import ScoringRules
from teleprospect.core.scripts import QuestionType
from teleprospect.services.scoring.publishing import (
    GradePreview,
    RulesInForce,
    ScorableQuestion,
    preview_rules,
)
from teleprospect.services.scoring.rescore import PublishedRules, save_rules
from teleprospect.ui.background import run_in_background
from teleprospect.ui.signals import emit

if TYPE_CHECKING:
    from teleprospect.store.database import Database

__all__ = ["ScoringPage"]

POINT_COLUMNS = ("Question", "Answer", "Points")


class ScoringPage(QWidget):
    message = Signal(str, bool)
    #: Rules were published and every lead re-scored.
    published = Signal(object)

    def __init__(self, db: Database, user_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.user_id = db, user_id
        self.in_force: RulesInForce | None = None
        self.questions: list[ScorableQuestion] = []
        #: (question, answer value or number threshold, spin box), one per table row.
        self._points: list[tuple[ScorableQuestion, str | float, QSpinBox]] = []
        self._editable = False
        layout = QVBoxLayout(self)
        self.version_label = QLabel()
        self.version_label.setWordWrap(True)
        layout.addWidget(self.version_label)
        form = QFormLayout()
        self.sales_ready = QSpinBox()
        self.sales_ready.setRange(0, 100)
        self.sales_ready.setMaximumWidth(90)
        form.addRow("Sales-ready at a score of:", self.sales_ready)
        layout.addLayout(form)
        layout.addWidget(QLabel("Points for the answers given on the call (0: none):"))
        # One row per answer of the script's questions: a short, fixed list.
        self.table = QTableWidget(0, len(POINT_COLUMNS))
        self.table.setHorizontalHeaderLabels(POINT_COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.preview_label = QLabel("Preview to see how many leads change grade.")
        self.preview_label.setWordWrap(True)
        layout.addWidget(self.preview_label)
        self.progress = QProgressBar()
        self.progress.hide()
        layout.addWidget(self.progress)
        row = QHBoxLayout()
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("Why the rules change (kept with the version)")
        self.preview_button = QPushButton("&Preview")
        self.publish_button = QPushButton("Publish and &re-score")
        row.addWidget(self.note_edit, 1)
        row.addWidget(self.preview_button)
        row.addWidget(self.publish_button)
        layout.addLayout(row)
        self.preview_button.clicked.connect(self.preview)
        self.publish_button.clicked.connect(self.publish)

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        self.sales_ready.setEnabled(editable)
        self.note_edit.setEnabled(editable)
        self.publish_button.setEnabled(editable)
        for _, _, box in self._points:
            box.setEnabled(editable)

    def show_rules(self, in_force: RulesInForce, questions: list[ScorableQuestion]) -> None:
        self.in_force, self.questions = in_force, questions
        when = f" on {in_force.published_at:%Y-%m-%d %H:%M}" if in_force.published_at else ""
        text = f"Version {in_force.version}, published by {in_force.published_by}{when}."
        if in_force.mismatches:
            text += " " + " ".join(in_force.mismatches)
        self.version_label.setText(text)
        self.sales_ready.setValue(in_force.rules.thresholds.sales_ready)
        self._points = []
        rows: list[tuple[str, str, ScorableQuestion, str | float, int]] = []
        for item in questions:
            rule = item.rule
            title = item.question.title
            if item.question.type is QuestionType.NUMBER:
                for minimum, points in rule.thresholds if rule else ():
                    rows.append((title, f"at least {minimum:g}", item, minimum, points))
            else:
                for value, label in item.options:
                    points = rule.points.get(value, 0) if rule else 0
                    rows.append((title, label, item, value, points))
        self.table.setRowCount(len(rows))
        for row, (title, answer, item, key, points) in enumerate(rows):
            box = QSpinBox()
            box.setRange(-100, 100)
            box.setMaximumWidth(90)
            box.setValue(points)
            box.setEnabled(self._editable)
            self.table.setCellWidget(row, 0, QLabel(f" {title} "))
            self.table.setCellWidget(row, 1, QLabel(f" {answer} "))
            self.table.setCellWidget(row, 2, box)
            self._points.append((item, key, box))

    def point_box(self, question_id: str, answer: str | float) -> QSpinBox:
        """The spin box of one answer's points (tests drive it)."""
        for item, key, box in self._points:
            if item.question.id == question_id and key == answer:
                return box
        raise KeyError((question_id, answer))

    def edited_rules(self) -> ScoringRules:
        """The rules as edited; raises the rules' one-sentence error when they cannot be."""
        assert self.in_force is not None
        rules = self.in_force.rules
        for item in self.questions:
            boxes = [(key, box.value()) for q, key, box in self._points if q is item]
            if item.question.type is QuestionType.NUMBER:
                steps = [(float(key), value) for key, value in boxes]
                if steps or item.rule is not None:
                    rules = with_answer_points(rules, item.question, {}, steps)
            else:
                points = {str(key): value for key, value in boxes}
                rules = with_answer_points(rules, item.question, points)
        thresholds = replace(rules.thresholds, sales_ready=self.sales_ready.value())
        return replace(rules, thresholds=thresholds)

    def _rules_or_say(self) -> ScoringRules | None:
        try:
            return self.edited_rules()
        except ValueError as error:
            from teleprospect.ui.errors import error_text

            emit(self.message, error_text(error), True)
            return None

    def _busy(self, busy: bool) -> None:
        self.preview_button.setEnabled(not busy)
        self.publish_button.setEnabled(not busy and self._editable)
        self.progress.setVisible(busy)
        if busy:
            self.progress.setRange(0, 0)

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _failed(self, doing: str) -> object:
        def failed(error: BaseException) -> None:
            from teleprospect.ui.errors import error_text

            self._busy(False)
            emit(self.message, error_text(error, doing), True)

        return failed

    def preview(self) -> None:
        rules = self._rules_or_say()
        if rules is None:
            return
        db = self.db

        def done(preview: GradePreview) -> None:
            self._busy(False)
            self.preview_label.setText(preview.describe())

        self._busy(True)
        run_in_background(
            lambda report: preview_rules(db, rules, progress=report),
            done,
            self._failed("The preview could not be computed"),  # type: ignore[arg-type]
            progress=self._progressed,
            owner=self,
        )

    def publish(self) -> None:
        rules = self._rules_or_say()
        if rules is None:
            return
        db, user_id, note = self.db, self.user_id, self.note_edit.text().strip()

        def done(published: PublishedRules) -> None:
            self._busy(False)
            summary = published.rescored
            self.note_edit.clear()
            emit(
                self.message,
                f"Scoring rules version {published.version} published; {summary.leads:,} leads"
                f" re-scored, {summary.changed:,} changed score.",
                False,
            )
            emit(self.published, published)

        self._busy(True)
        run_in_background(
            lambda report: save_rules(db, rules, user_id, note, progress=report),
            done,
            self._failed("The scoring rules were not published"),  # type: ignore[arg-type]
            progress=self._progressed,
            owner=self,
        )
