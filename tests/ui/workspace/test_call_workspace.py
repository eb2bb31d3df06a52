"""The call workspace, driven the way a teleprospector drives it: by keyboard, from Next lead
through the call, the script, the outcome and the decision to the next lead.

The clock is frozen on a Wednesday at 14:00 UTC (European and American calling windows
open); the dialler is the operating system's URL handler, intercepted here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
import shiboken6
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QMessageBox
from sqlalchemy import select, update

from teleprospect.core.lifecycle import LeadStatus
from teleprospect.demo.loader import load_demo
from teleprospect.services.calls.drafts import DraftStore
from teleprospect.services.calls.lead_detail import lead_detail
from teleprospect.services.calls.scripts import active_script
from teleprospect.services.queue.claims import find_user_id
from teleprospect.services.scoring.scores import active_rules
from teleprospect.store.database import Database
from teleprospect.store.models import Lead
from teleprospect.ui.main_window import MainWindow

NOW = datetime(2025, 6, 11, 14, 0, tzinfo=UTC)  # a Wednesday
REP = "sam.carter"
LEAD = "maria.lopez"  # the demo's team lead


class Dialler(QObject):
    """Stands in for the softphone: records the links the app asks the system to open."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    @Slot(QUrl)
    def dial(self, url: QUrl) -> None:
        self.links.append(url.toString())


@pytest.fixture
def dialler() -> Iterator[Dialler]:
    handler = Dialler()
    QDesktopServices.setUrlHandler("tel", handler, "dial")
    yield handler
    QDesktopServices.unsetUrlHandler("tel")


@pytest.fixture
def demo_db(sqlite_db: Database) -> Database:
    load_demo(sqlite_db, leads=60, seed=3, now=NOW)
    return sqlite_db


@pytest.fixture
def login(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    def set_login(name: str) -> None:
        monkeypatch.setattr("teleprospect.services.identity.current_user.os_login", lambda: name)

    set_login(REP)
    return set_login


@pytest.fixture
def clock() -> list[datetime]:
    return [NOW]


@pytest.fixture
def open_window(qtbot, login, clock) -> Callable[[Database], MainWindow]:
    def open_(db: Database, *, keep: bool = True) -> MainWindow:
        window = MainWindow(db, now_provider=lambda: clock[0])
        if keep:  # closed after the test (a window the test kills itself is not)
            qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: window.current_user is not None and window.workspace is not None)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        return window

    return open_


def key(window: MainWindow, qtbot, sequence: str) -> None:
    """Press a shortcut where the keyboard is (as a rep would)."""
    from PySide6.QtGui import QKeySequence

    combo = QKeySequence(sequence)[0]
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, combo.key(), combo.keyboardModifiers())


def next_lead(window: MainWindow, qtbot) -> int:
    before = window.workspace.lead_id
    key(window, qtbot, "Ctrl+N")
    qtbot.waitUntil(
        lambda: window.workspace.detail is not None and window.workspace.lead_id != before
    )
    return window.workspace.lead_id


def answer(window: MainWindow, qtbot, question_id: str, text: str) -> None:
    """Type an answer into the question's editor (a list answers by its first letters)."""
    editor = window.workspace.script_runner.editors[question_id]
    assert editor.isVisible(), f"{question_id} is hidden"
    widget = editor.focus_widget()
    widget.setFocus()
    if isinstance(widget, QComboBox):
        qtbot.keyClicks(widget, text)
        assert text.lower() in widget.currentText().lower()
    elif isinstance(widget, QLineEdit):
        widget.clear()
        qtbot.keyClicks(widget, text)


def qualify(window: MainWindow, qtbot) -> None:
    answer(window, qtbot, "need", "Yes")
    answer(window, qtbot, "timeline", "This q")
    answer(window, qtbot, "budget", "Yes")
    answer(window, qtbot, "budget_amount", "60000")  # the branch shown by budget = yes
    answer(window, qtbot, "authority", "Decision")
    answer(window, qtbot, "current_solution", "Nothing")  # its follow-up stays hidden


# -- a whole call ----------------------------------------------------------------------------


def test_a_whole_call_by_keyboard_from_next_lead_to_the_next(
    open_window, demo_db, qtbot, dialler
) -> None:
    window = open_window(demo_db)
    workspace = window.workspace
    lead_id = next_lead(window, qtbot)
    assert window.ui.mainTabs.currentWidget() is workspace
    phone = workspace.detail.phone_e164

    key(window, qtbot, "Ctrl+D")  # dial
    assert dialler.links == [f"tel:{phone}"]
    assert workspace.tick.isActive()
    assert workspace.call is not None  # the attempt is on record already

    key(window, qtbot, "Ctrl+K")
    assert workspace.script_runner.editors["need"].focus_widget().hasFocus()
    qualify(window, qtbot)
    runner = workspace.script_runner
    assert runner.editors["budget_amount"].isVisible()
    assert not runner.editors["current_solution_name"].isVisible()

    key(window, qtbot, "Ctrl+L")
    qtbot.keyClicks(workspace.notes, "Evaluating vendors, wants a call next week")
    key(window, qtbot, "Alt+1")  # connected
    key(window, qtbot, "Ctrl+Shift+N")  # back to nurture
    assert workspace.decision_panel.decision_kind().value == "nurture"
    track = workspace.decision_panel.track_combo.currentData()

    key(window, qtbot, "Ctrl+Return")  # save & next
    qtbot.waitUntil(lambda: workspace.lead_id not in (None, lead_id))

    saved = lead_detail(demo_db, lead_id, now=NOW)
    assert saved.status is LeadStatus.NURTURE
    assert saved.enrollment is not None
    assert track.name in str(saved.enrollment)
    call = saved.calls[-1]
    assert call.disposition_label.lower() == "connected"
    assert call.notes == "Evaluating vendors, wants a call next week"
    assert saved.answers["need"] is True
    assert saved.answers["budget_amount"] == 60000
    assert "current_solution_name" not in saved.answers
    assert any("nurture" in text.lower() for _at, _who, text in saved.history)
    # The claim of the saved lead is gone; the next lead is held.
    with demo_db.read() as session:
        assert session.scalar(select(Lead.claimed_by_id).where(Lead.id == lead_id)) is None


def test_sales_ready_is_refused_until_the_bar_is_met_and_the_exception_path_works(
    open_window, demo_db, qtbot
) -> None:
    window = open_window(demo_db)
    workspace = window.workspace
    lead_id = next_lead(window, qtbot)
    answer(window, qtbot, "need", "No")
    key(window, qtbot, "Alt+1")
    key(window, qtbot, "Ctrl+Shift+R")
    qtbot.waitUntil(lambda: workspace.decision_panel._readiness is not None)
    checklist = workspace.decision_panel.checklist_label.text()
    assert "Need confirmed" in checklist and "Not ready yet" in checklist
    key(window, qtbot, "Ctrl+S")
    assert workspace.problem_label.isVisible()
    assert "not sales-ready" in workspace.problem_label.text()
    assert lead_detail(demo_db, lead_id, now=NOW).status is not LeadStatus.SALES_READY

    key(window, qtbot, "Ctrl+Shift+E")  # best handled by a salesperson
    workspace.decision_panel.exception_note.setText("Board asked for a demo this week")
    key(window, qtbot, "Ctrl+S")
    qtbot.waitUntil(lambda: workspace.lead_id is None)
    saved = lead_detail(demo_db, lead_id, now=NOW)
    assert saved.status is LeadStatus.SALES_READY
    assert any("Board asked for a demo" in text for _at, _who, text in saved.history)


def test_a_fully_qualified_lead_goes_sales_ready(open_window, demo_db, qtbot) -> None:
    window = open_window(demo_db)
    workspace = window.workspace
    lead_id = next_lead(window, qtbot)
    qualify(window, qtbot)
    key(window, qtbot, "Alt+1")
    key(window, qtbot, "Ctrl+Shift+R")
    workspace.read_readiness()
    live = workspace_readiness(demo_db, lead_id, workspace)
    assert live.readiness.ready, f"the lead scores {live.score} with every answer given"
    assert "Ready for sales" in workspace.decision_panel.checklist_label.text()
    key(window, qtbot, "Ctrl+S")
    qtbot.waitUntil(lambda: workspace.lead_id is None)
    assert lead_detail(demo_db, lead_id, now=NOW).status is LeadStatus.SALES_READY


def test_the_live_score_is_the_one_saved_with_its_grade_and_the_header_follows(
    open_window, demo_db, qtbot
) -> None:
    """Pins "Score 93 · grade C" during a call, with the header at the old score."""
    window = open_window(demo_db)
    workspace, panel = window.workspace, window.workspace.lead_panel
    lead_id = next_lead(window, qtbot)
    stored = workspace.detail.score
    assert f"score <b>{stored}</b> {workspace.detail.grade} (" in panel.header.text()

    qualify(window, qtbot)
    workspace.read_readiness()  # now, rather than after the pause in typing
    live = panel.live
    assert live is not None and live.score > stored, "the answers add points"
    grade = active_rules(demo_db).grade_of(live.score)
    assert grade.grade != workspace.detail.grade, "the answers move the lead up a grade"
    assert (live.grade, live.grade_label) == (grade.grade, grade.label)
    tab = panel.score_view.toPlainText()
    assert tab.startswith(f"Score {live.score} · grade {grade.grade} ({grade.label})")
    points = [int(line.split()[0].replace("\u2212", "-")) for line in live.lines]
    assert sum(points) == live.score and all(line in tab for line in live.lines)
    header = panel.header.text()
    assert f"<b>{live.score}</b> {grade.grade} ({grade.label}) with this call's answers" in header
    assert f"stored {stored} " in header

    key(window, qtbot, "Alt+1")  # connected; no decision yet
    key(window, qtbot, "Ctrl+S")
    qtbot.waitUntil(lambda: workspace.lead_id is None)
    saved = lead_detail(demo_db, lead_id, now=NOW)
    assert (saved.score, saved.grade, saved.grade_label) == (live.score, grade.grade, grade.label)

    # Opened again, the header and the Score tab start from the score saved.
    workspace.open_lead(lead_id)
    qtbot.waitUntil(lambda: panel.detail is not None and panel.live is not None)
    assert f"score <b>{saved.score}</b> {saved.grade} ({saved.grade_label})" in (
        panel.header.text()
    )
    assert panel.score_view.toPlainText().startswith(f"Score {saved.score} · grade {saved.grade}")


def workspace_readiness(db: Database, lead_id: int, workspace):  # noqa: ANN201
    from teleprospect.services.calls.readiness import lead_readiness

    return lead_readiness(db, lead_id, workspace.script_runner.answers(), now=NOW)


def test_a_callback_in_the_window_is_booked_for_me(open_window, demo_db, qtbot) -> None:
    window = open_window(demo_db)
    workspace = window.workspace
    lead_id = next_lead(window, qtbot)
    key(window, qtbot, "Alt+7")  # callback requested: the callback decision comes with it
    panel = workspace.decision_panel
    assert panel.decision_kind().value == "callback"
    local = lead_local_noon_tomorrow(workspace)
    set_callback(panel, local)
    key(window, qtbot, "Ctrl+S")
    qtbot.waitUntil(lambda: workspace.lead_id is None)
    saved = lead_detail(demo_db, lead_id, now=NOW)
    assert len(saved.open_callbacks) == 1
    _id, due_at, personal, owner, _note = saved.open_callbacks[0]
    assert personal and owner == "Sam Carter"
    assert abs(due_at - local) < timedelta(minutes=1)


def lead_local_noon_tomorrow(workspace) -> datetime:  # noqa: ANN001
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(workspace.detail.time_zones[0])
    day = (NOW + timedelta(days=1)).astimezone(zone)
    return day.replace(hour=12, minute=0, second=0, microsecond=0).astimezone(UTC)


def set_callback(panel, at: datetime) -> None:  # noqa: ANN001
    from PySide6.QtCore import QDate, QDateTime, QTime

    from teleprospect.ui.desk.queue_model import local_zone

    mine = at.astimezone(local_zone())
    panel.callback_at.setDateTime(
        QDateTime(QDate(mine.year, mine.month, mine.day), QTime(mine.hour, mine.minute))
    )


def test_a_callback_at_night_is_refused_unless_the_lead_asked(open_window, demo_db, qtbot) -> None:
    window = open_window(demo_db)
    workspace = window.workspace
    lead_id = next_lead(window, qtbot)
    key(window, qtbot, "Alt+7")
    panel = workspace.decision_panel
    evening = lead_local_noon_tomorrow(workspace) + timedelta(hours=7)  # 19:00 at the lead
    set_callback(panel, evening)
    key(window, qtbot, "Ctrl+S")
    qtbot.waitUntil(workspace.problem_label.isVisible)
    assert "calling" in workspace.problem_label.text().lower()
    assert workspace.lead_id == lead_id  # nothing lost: still on show
    assert lead_detail(demo_db, lead_id, now=NOW).open_callbacks == []

    panel.callback_requested.setChecked(True)
    key(window, qtbot, "Ctrl+S")
    qtbot.waitUntil(lambda: workspace.lead_id is None)
    assert len(lead_detail(demo_db, lead_id, now=NOW).open_callbacks) == 1


def test_disqualify_needs_a_reason(open_window, demo_db, qtbot) -> None:
    window = open_window(demo_db)
    workspace = window.workspace
    lead_id = next_lead(window, qtbot)
    key(window, qtbot, "Alt+1")
    key(window, qtbot, "Ctrl+Shift+X")
    key(window, qtbot, "Ctrl+S")
    assert "why the lead is disqualified" in workspace.problem_label.text()
    panel = workspace.decision_panel
    panel.disqualify_reason.setCurrentIndex(panel.disqualify_reason.findData("student"))
    key(window, qtbot, "Ctrl+S")
    qtbot.waitUntil(lambda: workspace.lead_id is None)
    saved = lead_detail(demo_db, lead_id, now=NOW)
    assert saved.status is LeadStatus.DISQUALIFIED
    assert any("student" in text.lower() for _at, _who, text in saved.history)


def test_do_not_call_asks_first_and_is_permanent(open_window, demo_db, qtbot, monkeypatch) -> None:
    window = open_window(demo_db)
    workspace = window.workspace
    lead_id = next_lead(window, qtbot)
    asked: list[str] = []
    replies = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes]

    def question(_parent, _title, text, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        asked.append(text)
        return replies.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    key(window, qtbot, "Alt+9")  # the do-not-call outcome brings the decision along
    assert workspace.decision_panel.decision_kind().value == "do_not_call"
    key(window, qtbot, "Ctrl+S")
    assert len(asked) == 1 and workspace.lead_id == lead_id  # cancelled: nothing happened
    assert not lead_detail(demo_db, lead_id, now=NOW).do_not_call
    key(window, qtbot, "Ctrl+S")
    qtbot.waitUntil(lambda: workspace.lead_id is None)
    assert lead_detail(demo_db, lead_id, now=NOW).do_not_call


def test_an_outcome_is_needed_before_saving(open_window, demo_db, qtbot) -> None:
    window = open_window(demo_db)
    workspace = window.workspace
    next_lead(window, qtbot)
    key(window, qtbot, "Ctrl+S")
    assert "outcome" in workspace.problem_label.text()


# -- nothing lost ----------------------------------------------------------------------------


def test_the_draft_comes_back_after_the_window_died_mid_call(
    open_window, demo_db, qtbot, monkeypatch
) -> None:
    window = open_window(demo_db, keep=False)
    workspace = window.workspace
    lead_id = next_lead(window, qtbot)
    answer(window, qtbot, "need", "Yes")
    workspace.notes.setPlainText("Call me about the renewal")
    key(window, qtbot, "Alt+3")
    # The draft follows typing by a moment: wait for it, then kill the window without a save.
    store = DraftStore(demo_db.describe())

    def kept() -> bool:
        draft = store.load(lead_id)
        return draft is not None and draft.disposition == "voicemail_left"

    qtbot.waitUntil(kept, timeout=5000)
    # Gone without closing: no close event, no last save (as when the process is killed).
    shiboken6.delete(window)

    offered: list[str] = []

    def question(_parent, _title, text, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        offered.append(text)
        return QMessageBox.StandardButton.Open

    monkeypatch.setattr(QMessageBox, "question", question)
    # The lease of the dead window still holds: the same rep takes the lead back.
    again = open_window(demo_db)
    qtbot.waitUntil(
        lambda: again.workspace.lead_id == lead_id and again.workspace.detail is not None
    )
    assert offered and "not saved" in offered[0]
    restored = again.workspace
    assert restored.notes.toPlainText() == "Call me about the renewal"
    assert restored.script_runner.answers()["need"] is True
    assert restored.decision_panel.disposition().value == "voicemail_left"
    key(again, qtbot, "Ctrl+S")
    qtbot.waitUntil(lambda: restored.lead_id is None)
    assert lead_detail(demo_db, lead_id, now=NOW).calls[-1].notes == "Call me about the renewal"
    assert store.load(lead_id) is None


def test_a_contact_change_made_elsewhere_is_shown_and_chosen_not_overwritten(
    open_window, demo_db, qtbot, monkeypatch
) -> None:
    window = open_window(demo_db)
    workspace = window.workspace
    lead_id = next_lead(window, qtbot)
    panel = workspace.lead_panel
    # Meanwhile a team lead corrects the title and bumps the version.
    with demo_db.write() as session:
        session.execute(
            update(Lead)
            .where(Lead.id == lead_id)
            .values(title="Chief Operating Officer", version=Lead.version + 1)
        )
    panel.fields["title"].setText("COO")
    panel.fields["company"].setText("Renamed Ltd")
    panel._update_dirty()

    from teleprospect.ui.workspace.conflict_dialog import ConflictDialog

    seen: list[dict] = []

    def choose(dialog: ConflictDialog) -> int:
        seen.append(dict(dialog.theirs))
        dialog.findChild(object, "theirs_title").setChecked(True)  # take their title
        return ConflictDialog.DialogCode.Accepted

    monkeypatch.setattr(ConflictDialog, "exec", choose)
    panel.save_contact_button.click()
    qtbot.waitUntil(lambda: bool(seen))
    assert seen[0]["title"] == "Chief Operating Officer"
    detail = lead_detail(demo_db, lead_id, now=NOW)
    assert detail.title == "Chief Operating Officer"  # theirs, as chosen
    assert detail.company == "Renamed Ltd"  # mine, which they had not touched


# -- keyboard help and scripts -----------------------------------------------------------------


def test_f1_shows_every_shortcut(open_window, demo_db, qtbot) -> None:
    window = open_window(demo_db)
    key(window, qtbot, "F1")
    sheet = window.cheat_sheet
    assert sheet.isVisible()
    labels = dict(sheet.rows)
    assert labels["Save & next lead"] in ("Ctrl+Return, Ctrl+Enter",)
    assert labels["Call the lead"] == "Ctrl+D"
    assert "Alt+3" in labels.values() and "Ctrl+N" in labels.values()


def test_a_new_script_version_leaves_logged_calls_with_theirs(open_window, demo_db, qtbot) -> None:
    window = open_window(demo_db)
    workspace = window.workspace
    lead_id = next_lead(window, qtbot)
    old = active_script(demo_db)
    answer(window, qtbot, "need", "Yes")
    key(window, qtbot, "Alt+2")
    key(window, qtbot, "Ctrl+S")
    qtbot.waitUntil(lambda: workspace.lead_id is None)

    from teleprospect.ui.team.script_editor import ScriptEditor

    editor = ScriptEditor(demo_db, find_user_id(demo_db, LEAD), window)
    qtbot.addWidget(editor)
    qtbot.waitUntil(lambda: editor.base is not None)
    editor.question_list.setCurrentRow(0)
    editor.add_question()
    editor.text_edit.setPlainText("How many people would use it?")
    editor.type_combo.setCurrentIndex(editor.type_combo.findData("number"))
    editor.id_edit.setText("seats")
    editor.store_question()
    editor.move_question(-1)  # now the first question
    assert editor.questions[0]["id"] == "seats"
    editor.note_edit.setText("Ask for seats first")
    with qtbot.waitSignal(editor.published):
        editor.publish_button.click()

    new = active_script(demo_db)
    assert new.version == old.version + 1
    assert new.script.questions[0].id == "seats"
    calls = lead_detail(demo_db, lead_id, now=NOW).calls
    assert calls[-1].script_version == old.version


def test_a_broken_script_cannot_be_published_and_says_why(open_window, demo_db, qtbot) -> None:
    window = open_window(demo_db)
    from teleprospect.ui.team.script_editor import ScriptEditor

    editor = ScriptEditor(demo_db, find_user_id(demo_db, LEAD), window)
    qtbot.addWidget(editor)
    qtbot.waitUntil(lambda: editor.base is not None)
    editor.question_list.setCurrentRow(1)
    editor.id_edit.setText("need")  # the first question's id again
    editor.store_question()
    assert not editor.publish_button.isEnabled()
    assert "need" in editor.error_label.text()
