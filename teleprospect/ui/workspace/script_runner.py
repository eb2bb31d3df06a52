"""The qualification script during a call: one question at a time or the whole list.

Each question gets an editor fitting its type (a list for yes/no and single choice, where
typing the first letter answers; check boxes for several choices; a line for numbers,
dates and text, checked as typed). Branches show and hide questions as answers come in,
and the questions are numbered as shown (a hidden one takes no number). The rep's help
text ("say it like this") sits under each question. The runner only holds what was typed:
typing rules (``parse_answer``) and branching (``visible_questions``) come from
:mod:`teleprospect.core.scripts`.

The keyboard, in both modes: Enter or Page Down moves on to the next question, Shift+Enter
or Page Up back; the digits 1–9 pick the n-th answer of a choice question (Yes, No for a
yes/no one; they tick the n-th box of a several-choices one). One at a time, Tab goes on to
the next question too, and leaves the script after the last. Nothing changes an answer by
accident: the wheel and the arrow and Page keys leave a closed list alone
(:mod:`teleprospect.ui.workspace.quiet_inputs`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from teleprospect.core.scripts import (
    AnswerError,
    QuestionType,
    answer_text,
    parse_answer,
    visible_questions,
)
from teleprospect.ui.errors import error_text
from teleprospect.ui.signals import emit
from teleprospect.ui.workspace.quiet_inputs import guard, popup_is_open

if TYPE_CHECKING:
    from teleprospect.core.scripts import AnswerValue, Question, Script

NOT_ANSWERED = "— not answered —"


class QuestionEditor(QFrame):
    """One question: its text, the rep's help, and an editor for the answer."""

    changed = Signal()

    def __init__(self, question: Question, number: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self.setObjectName("questionEditor")
        self.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(3)
        title = QLabel(self)
        title.setObjectName("questionTitle")
        title.setWordWrap(True)
        self.title_label = title
        self.set_number(number)
        layout.addWidget(title)
        if question.help:
            help_label = QLabel(_escape(question.help), self)
            help_label.setObjectName("questionHelp")
            help_label.setWordWrap(True)
            layout.addWidget(help_label)
        self.editor = self._make_editor()
        self.editor.setAccessibleName(question.text)
        layout.addWidget(self.editor)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("fieldError")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        title.setBuddy(self.focus_widget())

    def set_number(self, number: int) -> None:
        """Number the question as the rep sees it (among the questions shown)."""
        question = self.question
        text = f"<b>{number}. {_escape(question.text)}</b>"
        if question.bant is not None:
            category = question.bant.value.upper()
            text += f"  <span style='color:#5b6b7f'>[{category}]</span>"
        self.number = number
        self.title_label.setText(text)

    def inputs(self) -> list[QWidget]:
        """The widgets that take the keyboard, in Tab order."""
        if self.question.type is QuestionType.MULTI_CHOICE:
            return [check for _value, check in self._checks]
        return [self.editor]

    def pick(self, number: int) -> bool:
        """Choose the ``number``-th answer (1-based) of a choice question (the digit keys);
        False when it has no such answer (or is no choice question)."""
        kind = self.question.type
        if kind in (QuestionType.YES_NO, QuestionType.SINGLE_CHOICE):
            combo: QComboBox = self.editor  # type: ignore[assignment]
            if not 1 <= number < combo.count():
                return False
            combo.setCurrentIndex(number)  # item 0 is "not answered"
            return True
        if kind is QuestionType.MULTI_CHOICE and 1 <= number <= len(self._checks):
            check = self._checks[number - 1][1]
            check.toggle()
            check.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return True
        return False

    # -- editors ---------------------------------------------------------------------------

    def _make_editor(self) -> QWidget:
        kind = self.question.type
        if kind is QuestionType.YES_NO:
            combo = QComboBox(self)
            combo.addItem(NOT_ANSWERED, None)
            combo.addItem("Yes", True)
            combo.addItem("No", False)
            combo.currentIndexChanged.connect(lambda _i: emit(self.changed))
            guard(combo)
            return combo
        if kind is QuestionType.SINGLE_CHOICE:
            combo = QComboBox(self)
            combo.addItem(NOT_ANSWERED, None)
            for choice in self.question.choices:
                combo.addItem(choice.label, choice.value)
            combo.currentIndexChanged.connect(lambda _i: emit(self.changed))
            guard(combo)
            return combo
        if kind is QuestionType.MULTI_CHOICE:
            box = QWidget(self)
            row = QHBoxLayout(box)
            row.setContentsMargins(0, 0, 0, 0)
            self._checks: list[tuple[str, QCheckBox]] = []
            for number, choice in enumerate(self.question.choices, start=1):
                check = QCheckBox(choice.label, box)
                check.setToolTip(f"Key {number} ticks or clears it")
                check.toggled.connect(lambda _on: emit(self.changed))
                row.addWidget(check)
                self._checks.append((choice.value, check))
            row.addStretch(1)
            return box
        line = QLineEdit(self)
        line.setPlaceholderText(
            {
                QuestionType.NUMBER: "a number, e.g. 25000",
                QuestionType.DATE: "a date, e.g. 2026-03-31",
            }.get(kind, "")
        )
        line.textChanged.connect(lambda _t: self._line_changed())
        return line

    def focus_widget(self) -> QWidget:
        if self.question.type is QuestionType.MULTI_CHOICE and self._checks:
            return self._checks[0][1]
        return self.editor

    def _line_changed(self) -> None:
        self.error_label.hide()
        text = self.editor.text().strip()  # type: ignore[attr-defined]
        if text and self.question.type is not QuestionType.TEXT:
            try:
                parse_answer(self.question, text)
            except AnswerError as error:
                self.error_label.setText(error_text(error))
                self.error_label.show()
        emit(self.changed)

    # -- value -----------------------------------------------------------------------------

    def value(self) -> AnswerValue | None:
        """The answer as typed data; None when not answered (or not a valid answer yet)."""
        kind = self.question.type
        if kind in (QuestionType.YES_NO, QuestionType.SINGLE_CHOICE):
            return self.editor.currentData()  # type: ignore[attr-defined,no-any-return]
        if kind is QuestionType.MULTI_CHOICE:
            chosen = [value for value, check in self._checks if check.isChecked()]
            return chosen or None
        text = self.editor.text().strip()  # type: ignore[attr-defined]
        if not text:
            return None
        try:
            return parse_answer(self.question, text)
        except AnswerError:
            return None

    def set_value(self, value: AnswerValue | None) -> None:
        kind = self.question.type
        if kind in (QuestionType.YES_NO, QuestionType.SINGLE_CHOICE):
            combo: QComboBox = self.editor  # type: ignore[assignment]
            index = combo.findData(value) if value is not None else 0
            combo.setCurrentIndex(max(index, 0))
        elif kind is QuestionType.MULTI_CHOICE:
            values = set(value) if isinstance(value, list) else set()
            for choice_value, check in self._checks:
                check.setChecked(choice_value in values)
        else:
            text = "" if value is None else answer_text(self.question, value)
            if kind is QuestionType.NUMBER and value is not None:
                text = f"{value:g}" if isinstance(value, float) else str(value)
            self.editor.setText(text)  # type: ignore[attr-defined]


class ScriptRunner(QWidget):
    """Runs a script: answers in, ``answers_changed`` out, the progress shown."""

    answers_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.script: Script | None = None
        self.editors: dict[str, QuestionEditor] = {}
        self._one_at_a_time = False
        self._current = 0
        self._loading = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.title_label = QLabel(self)
        self.title_label.setObjectName("sectionTitle")
        self.progress_label = QLabel(self)
        self.mode_button = QPushButton("One at a time", self)
        self.mode_button.setCheckable(True)
        self.mode_button.setToolTip("Show one question at a time (Ctrl+Shift+O)")
        self.mode_button.setShortcut("Ctrl+Shift+O")
        self.mode_button.toggled.connect(self.set_one_at_a_time)
        self.back_button = QPushButton("◀ Back", self)
        self.back_button.setToolTip("Previous question (Page Up, Shift+Enter)")
        self.back_button.clicked.connect(lambda: self.step(-1))
        self.next_button = QPushButton("Next ▶", self)
        self.next_button.setToolTip("Next question (Enter, Page Down); 1–9 pick an answer")
        self.next_button.clicked.connect(lambda: self.step(1))
        bar.addWidget(self.title_label)
        bar.addStretch(1)
        bar.addWidget(self.progress_label)
        bar.addWidget(self.back_button)
        bar.addWidget(self.next_button)
        bar.addWidget(self.mode_button)
        layout.addLayout(bar)

        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.body = QWidget(self.scroll_area)
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        self.body_layout.setSpacing(2)
        self.body_layout.addStretch(1)
        self.scroll_area.setWidget(self.body)
        layout.addWidget(self.scroll_area, 1)
        self._update_navigation()

    # -- content ---------------------------------------------------------------------------

    def set_script(self, script: Script | None, answers: Mapping[str, Any] | None = None) -> None:
        """Show ``script`` with ``answers`` already known (a later call starts from them)."""
        self._loading = True
        for editor in self.editors.values():
            editor.deleteLater()
        self.editors = {}
        self.script = script
        self._current = 0
        if script is not None:
            self.title_label.setText(f"<b>{_escape(script.name)}</b>")
            for number, question in enumerate(script.questions, start=1):
                editor = QuestionEditor(question, number, self.body)
                editor.changed.connect(self._on_changed)
                for widget in editor.inputs():
                    # After the editor's own guard: the runner sees the keys first.
                    widget.installEventFilter(self)
                self.body_layout.insertWidget(self.body_layout.count() - 1, editor)
                self.editors[question.id] = editor
            for question_id, value in (answers or {}).items():
                if question_id in self.editors:
                    self.editors[question_id].set_value(value)
        else:
            self.title_label.setText("No script")
        self._loading = False
        self._apply_branches()

    def answers(self) -> dict[str, AnswerValue]:
        """The answers given to the questions on show (hidden branches do not count)."""
        if self.script is None:
            return {}
        found: dict[str, AnswerValue] = {}
        for question in self._visible():
            value = self.editors[question.id].value()
            if value is not None:
                found[question.id] = value
        return found

    def _visible(self) -> list[Question]:
        if self.script is None:
            return []
        answers: dict[str, AnswerValue] = {}
        for question_id, editor in self.editors.items():
            value = editor.value()
            if value is not None:
                answers[question_id] = value
        # An answer on a hidden question does not count, and may hide others in turn: drop
        # hidden answers until nothing changes (at most once per question).
        for _ in range(len(self.editors) + 1):
            visible = visible_questions(self.script, answers)
            shown = {question.id for question in visible}
            kept = {key: value for key, value in answers.items() if key in shown}
            if kept == answers:
                return visible
            answers = kept
        return visible_questions(self.script, answers)

    def _on_changed(self) -> None:
        if self._loading:
            return
        self._apply_branches()
        emit(self.answers_changed)

    def _apply_branches(self) -> None:
        visible = self._visible()
        shown = [question.id for question in visible]
        if self._one_at_a_time:
            self._current = min(self._current, max(len(shown) - 1, 0))
        for question_id, editor in self.editors.items():
            on = question_id in shown
            if on:
                editor.set_number(shown.index(question_id) + 1)
            if self._one_at_a_time:
                on = on and shown.index(question_id) == self._current
            editor.setVisible(on)
        answered = len(self.answers())
        self.progress_label.setText(f"{answered} of {len(shown)} answered")
        self._update_navigation()

    # -- navigation ------------------------------------------------------------------------

    def set_one_at_a_time(self, on: bool) -> None:
        self._one_at_a_time = on
        if self.mode_button.isChecked() != on:
            self.mode_button.setChecked(on)
        if on:
            self._current = self._first_unanswered_index()
        self._apply_branches()
        self.focus_current()

    def _first_unanswered_index(self) -> int:
        answers = self.answers()
        for index, question in enumerate(self._visible()):
            if question.id not in answers:
                return index
        return 0

    def step(self, delta: int) -> None:
        count = len(self._visible())
        if not count:
            return
        if not self._one_at_a_time:
            # In the list, Page Down moves the focus to the next question.
            self._current = self._focused_index()
        self._current = max(0, min(count - 1, self._current + delta))
        self._apply_branches()
        self.focus_current()

    def _focused_index(self) -> int:
        focus = self.focusWidget()
        for index, question in enumerate(self._visible()):
            editor = self.editors[question.id]
            if focus is not None and (focus is editor or editor.isAncestorOf(focus)):
                return index
        return self._current

    def focus_current(self) -> None:
        """Put the keyboard on the current question (the first unanswered when starting)."""
        visible = self._visible()
        if not visible:
            return
        index = min(self._current, len(visible) - 1)
        editor = self.editors[visible[index].id]
        editor.focus_widget().setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.scroll_area.ensureWidgetVisible(editor)

    def focus_first_unanswered(self) -> None:
        self._current = self._first_unanswered_index()
        self._apply_branches()
        self.focus_current()

    def _update_navigation(self) -> None:
        self.back_button.setVisible(self._one_at_a_time)
        self.next_button.setVisible(self._one_at_a_time)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_PageDown:
            self.step(1)
        elif event.key() == Qt.Key.Key_PageUp:
            self.step(-1)
        else:
            super().keyPressEvent(event)

    # -- the keyboard on the questions ---------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QWidget):
            return False
        assert isinstance(event, QKeyEvent)
        editor = self._editor_of(watched)
        if editor is None:
            return False
        return self._question_key(editor, watched, event)

    def _editor_of(self, widget: QWidget) -> QuestionEditor | None:
        for editor in self.editors.values():
            if widget in editor.inputs():
                return editor
        return None

    def _question_key(self, editor: QuestionEditor, widget: QWidget, event: QKeyEvent) -> bool:
        """Handle a key pressed in a question's editor; True when it was the runner's."""
        if isinstance(widget, QComboBox) and popup_is_open(widget):
            return False  # an open list is the rep's to move in
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        plain = modifiers == Qt.KeyboardModifier.NoModifier
        shift = modifiers == Qt.KeyboardModifier.ShiftModifier
        if key == Qt.Key.Key_PageDown and plain:
            self._step_from(editor, 1)
            return True
        if key == Qt.Key.Key_PageUp and plain:
            self._step_from(editor, -1)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (plain or shift):
            self._step_from(editor, -1 if shift else 1)
            return True
        text = event.text()
        if (
            plain
            and len(text) == 1
            and text in "123456789"
            and not isinstance(widget, QLineEdit)  # digits are what a number line takes
        ):
            editor.pick(int(text))
            return True
        if self._one_at_a_time and key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            return self._tab_from(editor, widget, backwards=key == Qt.Key.Key_Backtab)
        return False

    def _step_from(self, editor: QuestionEditor, delta: int) -> None:
        visible = [question.id for question in self._visible()]
        if editor.question.id in visible:
            self._current = visible.index(editor.question.id)  # the step starts here
        self._current = max(0, min(len(visible) - 1, self._current + delta))
        self._apply_branches()
        self.focus_current()

    def _tab_from(self, editor: QuestionEditor, widget: QWidget, *, backwards: bool) -> bool:
        """One at a time, Tab past the question's last box goes on to the next question
        (Shift+Tab before its first, back); after the last question it leaves the script."""
        inputs = editor.inputs()
        visible = [question.id for question in self._visible()]
        if editor.question.id not in visible:
            return False
        index = visible.index(editor.question.id)
        if backwards:
            if widget is not inputs[0] or index == 0:
                return False
            self._step_from(editor, -1)
            return True
        if widget is not inputs[-1] or index >= len(visible) - 1:
            return False
        self._step_from(editor, 1)
        return True


def _escape(text: str) -> str:
    from html import escape

    return escape(text)
