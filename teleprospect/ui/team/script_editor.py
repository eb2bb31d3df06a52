"""The script editor (team leads): add, reorder and branch questions, preview, publish.

The editor works on the script's plain data (``Script.to_dict``); every change is checked
by :meth:`Script.from_dict`, whose message says what is wrong and where. Publishing makes a
new version: calls already logged keep the version they used.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from teleprospect.core.scripts import Bant, QuestionType, Script, ScriptError
from teleprospect.ui.background import run_in_background
from teleprospect.ui.errors import error_text
from teleprospect.ui.signals import emit
from teleprospect.ui.workspace.script_runner import ScriptRunner

if TYPE_CHECKING:
    from teleprospect.services.calls.scripts import ScriptVersion
    from teleprospect.store.database import Database


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class ScriptEditor(QDialog):
    """Edit the active script and publish it as a new version."""

    #: A version was published (the ScriptVersion).
    published = Signal(object)

    def __init__(self, db: Database, user_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scriptEditor")
        self.setWindowTitle("Qualification script")
        self.resize(980, 640)
        self.db, self.user_id = db, user_id
        self.name = ""
        self.questions: list[dict[str, Any]] = []
        self.base: ScriptVersion | None = None
        self._filling = False
        self.setup_layout()
        self.load()

    # -- layout ----------------------------------------------------------------------------

    def setup_layout(self) -> None:
        layout = QVBoxLayout(self)
        self.version_label = QLabel("Reading the script…", self)
        layout.addWidget(self.version_label)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        left = QWidget(splitter)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.question_list = QListWidget(left)
        self.question_list.setObjectName("questionList")
        self.question_list.currentRowChanged.connect(self.show_question)
        left_layout.addWidget(self.question_list, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("&Add", left)
        self.add_button.setShortcut("Ctrl+Shift+A")
        self.add_button.clicked.connect(self.add_question)
        self.remove_button = QPushButton("Re&move", left)
        self.remove_button.clicked.connect(self.remove_question)
        self.up_button = QPushButton("▲", left)
        self.up_button.setToolTip("Move up (Alt+Up)")
        self.up_button.setShortcut("Alt+Up")
        self.up_button.clicked.connect(lambda: self.move_question(-1))
        self.down_button = QPushButton("▼", left)
        self.down_button.setToolTip("Move down (Alt+Down)")
        self.down_button.setShortcut("Alt+Down")
        self.down_button.clicked.connect(lambda: self.move_question(1))
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        left_layout.addLayout(buttons)

        right = QWidget(splitter)
        form = QFormLayout(right)
        self.id_edit = QLineEdit(right)
        self.id_edit.setToolTip("Stored with every answer; letters, digits and _ (e.g. budget)")
        self.label_edit = QLineEdit(right)
        self.text_edit = QPlainTextEdit(right)
        self.text_edit.setMaximumHeight(60)
        self.type_combo = QComboBox(right)
        for kind in QuestionType:
            self.type_combo.addItem(kind.label, kind.value)
        self.help_edit = QPlainTextEdit(right)
        self.help_edit.setMaximumHeight(80)
        self.bant_combo = QComboBox(right)
        self.bant_combo.addItem("—", None)
        for category in Bant:
            self.bant_combo.addItem(category.label, category.value)
        self.choices_edit = QPlainTextEdit(right)
        self.choices_edit.setPlaceholderText(
            "one per line: value = Label (e.g. this_quarter = This quarter)"
        )
        self.choices_edit.setMaximumHeight(90)
        self.show_if_combo = QComboBox(right)
        self.show_if_values = QLineEdit(right)
        self.show_if_values.setPlaceholderText(
            "answers that show it, comma-separated (yes, this_quarter)"
        )
        self.bar_values = QLineEdit(right)
        self.bar_values.setPlaceholderText("answers that meet the bar, comma-separated")
        self.bar_min = QLineEdit(right)
        self.bar_min.setPlaceholderText("or at least this number")
        self.bar_label = QLineEdit(right)
        self.bar_label.setPlaceholderText("how the checklist names it: Need confirmed")
        self.required_check = QCheckBox("Required for sales-ready", right)
        form.addRow("&Id:", self.id_edit)
        form.addRow("Short &name:", self.label_edit)
        form.addRow("&Question:", self.text_edit)
        form.addRow("&Type:", self.type_combo)
        form.addRow("&Help for the rep:", self.help_edit)
        form.addRow("&BANT:", self.bant_combo)
        form.addRow("&Choices:", self.choices_edit)
        form.addRow("Show only &if:", self.show_if_combo)
        form.addRow("…answered:", self.show_if_values)
        form.addRow("Ready &bar:", self.bar_values)
        form.addRow("", self.bar_min)
        form.addRow("", self.bar_label)
        form.addRow("", self.required_check)
        for line in (
            self.id_edit,
            self.label_edit,
            self.show_if_values,
            self.bar_values,
            self.bar_min,
            self.bar_label,
        ):
            line.textEdited.connect(lambda _t: self.store_question())
        for text in (self.text_edit, self.help_edit, self.choices_edit):
            text.textChanged.connect(self.store_question)
        for combo in (self.type_combo, self.bant_combo, self.show_if_combo):
            combo.currentIndexChanged.connect(lambda _i: self.store_question())
        self.required_check.toggled.connect(lambda _on: self.store_question())
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)

        self.error_label = QLabel(self)
        self.error_label.setObjectName("fieldError")
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)
        bottom = QHBoxLayout()
        self.note_edit = QLineEdit(self)
        self.note_edit.setPlaceholderText("What changed (kept with the version)")
        self.preview_button = QPushButton("&Preview", self)
        self.preview_button.clicked.connect(self.preview)
        self.publish_button = QPushButton("P&ublish new version", self)
        self.publish_button.clicked.connect(self.publish)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        bottom.addWidget(self.note_edit, 1)
        bottom.addWidget(self.preview_button)
        bottom.addWidget(self.publish_button)
        bottom.addWidget(close)
        layout.addLayout(bottom)

    # -- loading ---------------------------------------------------------------------------

    def load(self) -> None:
        db = self.db

        def read() -> ScriptVersion:
            from teleprospect.services.calls.scripts import active_script

            return active_script(db)

        run_in_background(read, self.show_version, self._failed, owner=self)

    def _failed(self, error: BaseException) -> None:
        self.error_label.setText(f"The script could not be read: {error}")

    def show_version(self, version: ScriptVersion) -> None:
        self.base = version
        data = version.script.to_dict()
        self.name = data["name"]
        self.questions = copy.deepcopy(data["questions"])
        self.version_label.setText(
            f"<b>{version.name}</b>, version {version.version}, published by "
            f"{version.published_by or 'Teleprospect'} on {version.published_at:%Y-%m-%d}. "
            "Publishing makes a new version; logged calls keep the one they used."
        )
        self.refresh_list(0)

    # -- questions -------------------------------------------------------------------------

    def refresh_list(self, select: int) -> None:
        self.question_list.blockSignals(True)
        self.question_list.clear()
        for number, question in enumerate(self.questions, start=1):
            branch = "  ↳ " if question.get("show_if") else ""
            item = QListWidgetItem(f"{number}. {branch}{question.get('label') or question['text']}")
            self.question_list.addItem(item)
        self.question_list.blockSignals(False)
        if self.questions:
            self.question_list.setCurrentRow(max(0, min(select, len(self.questions) - 1)))
        self.validate()

    def current(self) -> int:
        return self.question_list.currentRow()

    def show_question(self, row: int) -> None:
        if not 0 <= row < len(self.questions):
            return
        q = self.questions[row]
        self._filling = True
        self.id_edit.setText(q.get("id", ""))
        self.label_edit.setText(q.get("label", ""))
        self.text_edit.setPlainText(q.get("text", ""))
        self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(q.get("type"))))
        self.help_edit.setPlainText(q.get("help", ""))
        self.bant_combo.setCurrentIndex(max(0, self.bant_combo.findData(q.get("bant"))))
        self.choices_edit.setPlainText(
            "\n".join(f"{c['value']} = {c['label']}" for c in q.get("choices", []))
        )
        self.show_if_combo.clear()
        self.show_if_combo.addItem("always shown", None)
        for earlier in self.questions[:row]:
            self.show_if_combo.addItem(earlier.get("label") or earlier["id"], earlier["id"])
        show_if = q.get("show_if") or {}
        self.show_if_combo.setCurrentIndex(
            max(0, self.show_if_combo.findData(show_if.get("question")))
        )
        self.show_if_values.setText(", ".join(show_if.get("any_of", [])))
        bar = q.get("ready_bar") or {}
        self.bar_values.setText(", ".join(bar.get("any_of", [])))
        minimum = bar.get("min_number")
        self.bar_min.setText("" if minimum is None else f"{minimum:g}")
        self.bar_label.setText(bar.get("label", ""))
        self.required_check.setChecked(bool(q.get("required")))
        self._filling = False

    def store_question(self) -> None:
        """The form's values into the question being edited."""
        row = self.current()
        if self._filling or not 0 <= row < len(self.questions):
            return
        q: dict[str, Any] = {
            "id": self.id_edit.text().strip(),
            "text": self.text_edit.toPlainText().strip(),
            "type": self.type_combo.currentData(),
        }
        if self.label_edit.text().strip():
            q["label"] = self.label_edit.text().strip()
        if self.help_edit.toPlainText().strip():
            q["help"] = self.help_edit.toPlainText().strip()
        if self.bant_combo.currentData():
            q["bant"] = self.bant_combo.currentData()
        choices = []
        for line in self.choices_edit.toPlainText().splitlines():
            if line.strip():
                value, _sep, label = line.partition("=")
                choices.append({"value": value.strip(), "label": (label or value).strip()})
        if choices:
            q["choices"] = choices
        if self.show_if_combo.currentData():
            q["show_if"] = {
                "question": self.show_if_combo.currentData(),
                "any_of": _split(self.show_if_values.text()),
            }
        bar_values, bar_min = _split(self.bar_values.text()), self.bar_min.text().strip()
        if bar_values or bar_min or self.bar_label.text().strip():
            bar: dict[str, Any] = {"any_of": bar_values}
            if bar_min:
                try:
                    bar["min_number"] = float(bar_min)
                except ValueError:
                    bar["min_number"] = bar_min  # reported by the check below
            if self.bar_label.text().strip():
                bar["label"] = self.bar_label.text().strip()
            q["ready_bar"] = bar
        if self.required_check.isChecked():
            q["required"] = True
        self.questions[row] = q
        item = self.question_list.item(row)
        if item is not None:
            branch = "  ↳ " if q.get("show_if") else ""
            item.setText(f"{row + 1}. {branch}{q.get('label') or q['text'] or q['id']}")
        self.validate()

    def add_question(self) -> None:
        row = self.current() + 1 if self.questions else 0
        taken = {q["id"] for q in self.questions}
        number = 1
        while f"question_{number}" in taken:
            number += 1
        self.questions.insert(
            row, {"id": f"question_{number}", "text": "New question?", "type": "yes_no"}
        )
        self.refresh_list(row)
        self.text_edit.setFocus()
        self.text_edit.selectAll()

    def remove_question(self) -> None:
        row = self.current()
        if 0 <= row < len(self.questions):
            del self.questions[row]
            self.refresh_list(row)

    def move_question(self, delta: int) -> None:
        row = self.current()
        target = row + delta
        if 0 <= row < len(self.questions) and 0 <= target < len(self.questions):
            self.questions[row], self.questions[target] = (
                self.questions[target],
                self.questions[row],
            )
            self.refresh_list(target)

    # -- checking, preview and publishing --------------------------------------------------

    def script(self) -> Script:
        """The edited script; raises ScriptError saying what is wrong."""
        return Script.from_dict(
            {
                "format": "teleprospect-script",
                "version": 1,
                "name": self.name,
                "questions": self.questions,
            }
        )

    def validate(self) -> Script | None:
        try:
            script = self.script()
        except ScriptError as error:
            self.error_label.setText(error_text(error))
            self.publish_button.setEnabled(False)
            self.preview_button.setEnabled(False)
            return None
        self.error_label.setText("")
        self.publish_button.setEnabled(True)
        self.preview_button.setEnabled(True)
        return script

    def preview(self) -> None:
        script = self.validate()
        if script is None:
            return
        dialog = QDialog(self)
        dialog.setObjectName("scriptPreview")
        dialog.setWindowTitle(f"Preview: {script.name}")
        dialog.resize(620, 560)
        layout = QVBoxLayout(dialog)
        runner = ScriptRunner(dialog)
        runner.set_script(script)
        layout.addWidget(runner)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        self.preview_dialog = dialog
        dialog.show()

    def publish(self) -> None:
        script = self.validate()
        if script is None:
            return
        if self.base is not None and script == self.base.script:
            QMessageBox.information(self, "Publish", "Nothing changed since the version in use.")
            return
        db, user_id, note = self.db, self.user_id, self.note_edit.text().strip()

        def publish() -> ScriptVersion:
            from teleprospect.services.calls.scripts import publish_script

            return publish_script(db, script, user_id=user_id, note=note)

        def done(version: ScriptVersion) -> None:
            self.show_version(version)
            self.note_edit.clear()
            emit(self.published, version)

        self.publish_button.setEnabled(False)
        run_in_background(publish, done, self._publish_failed, owner=self)

    def _publish_failed(self, error: BaseException) -> None:
        self.publish_button.setEnabled(True)
        self.error_label.setText(f"The script could not be published: {error}")
