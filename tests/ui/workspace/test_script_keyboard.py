"""The qualification script by keyboard: moving on with Enter and Page Down, picking answers
with the digits, and nothing changed by a key or the wheel the rep did not mean for it
(a user test: Page Down changed the answer instead of moving on; Enter did nothing; Tab
left the script; questions were numbered 6 → 8 past a hidden one)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from teleprospect.core.scripts import default_script
from teleprospect.ui.workspace.script_runner import ScriptRunner


@pytest.fixture
def runner(qtbot) -> ScriptRunner:
    runner = ScriptRunner()
    qtbot.addWidget(runner)
    runner.resize(600, 300)
    runner.set_script(default_script())
    runner.show()
    qtbot.waitExposed(runner)
    runner.activateWindow()
    qtbot.waitUntil(runner.isActiveWindow)
    return runner


def focused_question(runner: ScriptRunner) -> str:
    focus = QApplication.focusWidget()
    for question_id, editor in runner.editors.items():
        if focus is not None and (focus is editor.editor or editor.isAncestorOf(focus)):
            return question_id
    raise AssertionError(f"the keyboard is not on a question but on {focus!r}")


def press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def shown_titles(runner: ScriptRunner) -> dict[str, int]:
    return {
        question.id: runner.editors[question.id].number
        for question in runner._visible()  # noqa: SLF001 - the questions on show
    }


def test_one_at_a_time_enter_and_page_down_move_on_without_changing_the_answer(
    runner, qtbot
) -> None:
    runner.set_one_at_a_time(True)
    assert focused_question(runner) == "need"
    press(qtbot, Qt.Key.Key_1)  # Yes
    assert runner.answers() == {"need": True}

    press(qtbot, Qt.Key.Key_PageDown)
    assert focused_question(runner) == "timeline"
    assert runner.answers() == {"need": True}  # Page Down moved on, changed nothing
    assert runner.editors["timeline"].isVisible()
    assert not runner.editors["need"].isVisible()

    press(qtbot, Qt.Key.Key_Return)
    assert focused_question(runner) == "budget"
    press(qtbot, Qt.Key.Key_Enter, Qt.KeyboardModifier.ShiftModifier)
    assert focused_question(runner) == "timeline"
    press(qtbot, Qt.Key.Key_PageUp)
    assert focused_question(runner) == "need"
    assert runner.answers() == {"need": True}


def test_number_keys_pick_the_nth_answer_of_a_choice_question(runner, qtbot) -> None:
    runner.set_one_at_a_time(True)
    press(qtbot, Qt.Key.Key_2)  # need: No
    assert runner.answers()["need"] is False
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_3)  # timeline: the third choice
    assert runner.answers()["timeline"] == default_script().question("timeline").choices[2].value
    press(qtbot, Qt.Key.Key_9)  # there is no ninth choice: nothing changes
    assert runner.answers()["timeline"] == default_script().question("timeline").choices[2].value


def test_digits_are_typed_into_a_number_question(runner, qtbot) -> None:
    runner.editors["budget"].set_value(True)
    runner.set_one_at_a_time(True)
    while focused_question(runner) != "budget_amount":
        press(qtbot, Qt.Key.Key_PageDown)
    qtbot.keyClicks(QApplication.focusWidget(), "25000")
    assert runner.answers()["budget_amount"] == 25000
    press(qtbot, Qt.Key.Key_Return)
    assert focused_question(runner) == "authority"


def test_arrow_and_page_keys_never_change_a_closed_list(runner, qtbot) -> None:
    combo = runner.editors["timeline"].editor
    assert isinstance(combo, QComboBox)
    combo.setFocus()
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_End, Qt.Key.Key_Home):
        qtbot.keyClick(combo, key)
        assert combo.currentIndex() == 0, key
    qtbot.keyClick(combo, Qt.Key.Key_PageDown)  # in the list: on to the next question
    assert combo.currentIndex() == 0
    assert focused_question(runner) == "budget"


def test_the_wheel_over_a_list_scrolls_the_script_and_leaves_the_answer(runner, qtbot) -> None:
    combo = runner.editors["authority"].editor
    assert isinstance(combo, QComboBox)
    runner.scroll_area.ensureWidgetVisible(combo)
    before = combo.currentIndex()
    for delta in (-120, 120, -120):
        event = QWheelEvent(
            QPointF(5, 5),
            QPointF(combo.mapToGlobal(QPoint(5, 5))),
            QPoint(),
            QPoint(0, delta),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(combo, event)
    assert combo.currentIndex() == before
    assert not combo.hasFocus()  # the wheel gives a list no keyboard
    assert combo.focusPolicy() == Qt.FocusPolicy.StrongFocus


def test_tab_goes_through_the_questions_one_at_a_time(runner, qtbot) -> None:
    runner.set_one_at_a_time(True)
    press(qtbot, Qt.Key.Key_Tab)
    assert focused_question(runner) == "timeline"
    press(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focused_question(runner) == "need"


def test_questions_are_numbered_as_shown_without_gaps(runner) -> None:
    runner.editors["budget"].set_value(False)  # hides the budget amount
    runner._apply_branches()  # noqa: SLF001 - as an answer typed would
    numbers = shown_titles(runner)
    assert "budget_amount" not in numbers
    assert sorted(numbers.values()) == list(range(1, len(numbers) + 1))
    assert "4. " in runner.editors["authority"].title_label.text()

    runner.editors["budget"].set_value(True)
    runner._apply_branches()  # noqa: SLF001
    assert "4. " in runner.editors["budget_amount"].title_label.text()
    assert "5. " in runner.editors["authority"].title_label.text()


def test_enter_in_a_text_answer_moves_on(runner, qtbot) -> None:
    runner.editors["current_solution"].set_value("competitor")
    runner._apply_branches()  # noqa: SLF001
    line = runner.editors["current_solution_name"].editor
    assert isinstance(line, QLineEdit)
    line.setFocus()
    qtbot.keyClicks(line, "Acme")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert focused_question(runner) == "contact_now"
    assert runner.answers()["current_solution_name"] == "Acme"
