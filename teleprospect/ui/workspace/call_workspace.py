"""The call workspace: the screen a teleprospector lives in.

Left, the lead panel (who, why, what happened so far); right, the call bar (dial, copy
the number, the call timer), the qualification script, the notes, the outcome and the
decision, and "Save & next". Everything has a shortcut (see :meth:`CallWorkspace.actions`,
shown in the cheat-sheet).

Nothing typed is lost: notes, answers, the outcome and the decision are written to a local
draft a moment after each change (:mod:`teleprospect.services.calls.drafts`), and the draft is
only thrown away once the call is saved in the database. The database work (reading the
lead, live readiness, saving) runs on workers; the rep never waits on a query.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QElapsedTimer, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from teleprospect.core.decisions import DecisionKind
from teleprospect.core.domain import Disposition
from teleprospect.services.calls.decisions import DecisionRefused
from teleprospect.services.calls.drafts import CallDraft, DraftStore
from teleprospect.ui.background import run_in_background
from teleprospect.ui.desk.queue_model import NowProvider, database_clock, local_zone
from teleprospect.ui.errors import error_text
from teleprospect.ui.preferences import CALL_LINK, CallLinkError, call_link
from teleprospect.ui.signals import emit
from teleprospect.ui.workspace.context_strip import ContextStrip
from teleprospect.ui.workspace.decision_panel import DecisionPanel
from teleprospect.ui.workspace.draft_writer import DraftWriter
from teleprospect.ui.workspace.lead_copies import LeadCopies
from teleprospect.ui.workspace.lead_panel import LeadPanel
from teleprospect.ui.workspace.script_runner import ScriptRunner
from teleprospect.ui.workspace.workspace_actions import actions_by_section, setup_actions

if TYPE_CHECKING:
    from teleprospect.core.scripts import AnswerValue
    from teleprospect.services.calls.call_sheet import CallSheet
    from teleprospect.services.calls.lead_detail import LeadDetail
    from teleprospect.services.calls.log_call import CallStarted, LoggedCall
    from teleprospect.services.calls.readiness import LiveScore
    from teleprospect.services.calls.scripts import ScriptVersion
    from teleprospect.services.offline.actions import KeptCall
    from teleprospect.store.database import Database
    from teleprospect.ui.offline.offline_watch import OfflineWatch

log = logging.getLogger(__name__)

#: The lead panel's share of the workspace's width (percent) until the rep moves it.
LEAD_PANEL_SHARE = 34

#: How long after the last answer the live score and readiness are read again.
READINESS_DELAY_MS = 300


class _Opened:
    """What is read to open a lead: its call sheet, and the draft it starts from.

    ``read_at``: when the sheet came from the server (None: the copy read before the
    server went away)."""

    def __init__(
        self, sheet: CallSheet, draft: CallDraft | None, read_at: datetime | None = None
    ) -> None:
        self.sheet, self.draft, self.read_at = sheet, draft, read_at


class CallWorkspace(QWidget):
    """One lead, one call at a time."""

    #: The call was saved: (LoggedCall, whether the rep asked for the next lead).
    call_saved = Signal(object, bool)
    #: A message for the status bar.
    message = Signal(str)
    #: The rep wants to give the lead back without logging a call.
    release_requested = Signal()

    # Made by workspace_actions.setup_actions.
    call_action: QAction
    copy_action: QAction
    end_action: QAction
    script_action: QAction
    notes_action: QAction
    save_action: QAction
    save_next_action: QAction
    release_action: QAction
    discard_action: QAction
    disposition_actions: list[QAction]
    decision_actions: list[QAction]

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        now_provider: NowProvider | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("callWorkspace")
        self.db: Database | None = None
        self.user_id: int | None = None
        self.login = ""
        self.drafts: DraftStore | None = None
        #: The time the services act at: None, the database's clock (see :meth:`local_now`).
        self.now = now_provider or database_clock
        self.lead_id: int | None = None
        self.detail: LeadDetail | None = None
        self.script_version: ScriptVersion | None = None
        self.read_only = False
        self.call: CallStarted | None = None
        self._call_started_at: datetime | None = None
        self._restoring = False
        self._saving = False
        self._generation = 0
        #: The watch of the server (the main window's): while it is away, calls are kept
        #: on this computer and leads open from the copies read before.
        self.watch: OfflineWatch | None = None
        #: The leads as the server last showed them: opened from there while it is away.
        self.copies = LeadCopies(self, self.now)
        #: The id the save of the call on show is tried with (one per call, kept across
        #: retries: a save the server got although its answer was lost is not doubled).
        self._save_id: str | None = None

        self.setup_layout()
        self.setup_actions()
        self.setup_timers()
        self.show_lead(None)

    # -- set-up --------------------------------------------------------------------------

    def setup_layout(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        self.banner = QLabel(self)
        self.banner.setObjectName("workspaceBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        outer.addWidget(self.banner)
        self.context_strip = ContextStrip(self)  # why this lead now, or Next lead
        outer.addWidget(self.context_strip)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        self.lead_panel = LeadPanel(splitter)
        self.lead_panel.contact_save_requested.connect(self.save_contact)
        right = QWidget(splitter)
        column = QVBoxLayout(right)
        column.setContentsMargins(8, 0, 0, 0)

        call_bar = QHBoxLayout()
        self.call_button = QPushButton("Call", right)
        self.call_button.setObjectName("callButton")
        self.copy_button = QPushButton("Copy number", right)
        self.timer_label = QLabel("00:00", right)
        self.timer_label.setObjectName("callTimer")
        self.timer_label.setToolTip("Time since the call started")
        self.end_button = QPushButton("End call", right)
        call_bar.addWidget(self.call_button)
        call_bar.addWidget(self.copy_button)
        call_bar.addStretch(1)
        call_bar.addWidget(self.timer_label)
        call_bar.addWidget(self.end_button)
        column.addLayout(call_bar)

        self.script_runner = ScriptRunner(right)
        self.script_runner.answers_changed.connect(self.on_answers_changed)
        column.addWidget(self.script_runner, 3)

        notes_label = QLabel("N&otes", right)
        notes_label.setObjectName("sectionTitle")
        self.notes = QPlainTextEdit(right)
        self.notes.setObjectName("callNotes")
        self.notes.setPlaceholderText("What was said: kept on this computer as you type.")
        self.notes.setTabChangesFocus(True)
        # Three lines: the script above keeps the room a small screen has (it scrolls).
        self.notes.setMaximumHeight(self.notes.fontMetrics().lineSpacing() * 3 + 14)
        self.notes.textChanged.connect(self.schedule_draft)
        notes_label.setBuddy(self.notes)
        column.addWidget(notes_label)
        column.addWidget(self.notes, 1)

        self.decision_panel = DecisionPanel(right)
        self.decision_panel.changed.connect(self.schedule_draft)
        self.decision_panel.changed.connect(self._clear_problem)
        column.addWidget(self.decision_panel)

        self.problem_label = QLabel(right)
        self.problem_label.setObjectName("fieldError")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        column.addWidget(self.problem_label)

        buttons = QHBoxLayout()
        self.draft_label = QLabel(right)
        self.draft_label.setObjectName("hint")
        self.release_button = QPushButton("Release", right)
        self.save_button = QPushButton("Save", right)
        self.save_next_button = QPushButton("Save && next", right)
        self.save_next_button.setObjectName("saveNextButton")
        self.save_next_button.setDefault(True)
        buttons.addWidget(self.draft_label, 1)
        buttons.addWidget(self.release_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.save_next_button)
        column.addLayout(buttons)

        splitter.addWidget(self.lead_panel)
        splitter.addWidget(right)
        # The lead panel keeps its width (between leads, and when the window is resized):
        # the call's column takes what is left. Its width is the rep's, kept in settings.
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        self.splitter = splitter
        self._splitter_placed = False
        outer.addWidget(splitter, 1)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._splitter_placed:
            # A third of the width for the lead, the rest for the call, at first.
            self._splitter_placed = True
            width = self.splitter.width()
            self.splitter.setSizes([width * LEAD_PANEL_SHARE // 100, width])

    def restore_state(self, state: object) -> None:
        """The pane widths the rep left (QSettings' value; nothing: the default split)."""
        if isinstance(state, QByteArray) and not state.isEmpty():
            self._splitter_placed = self.splitter.restoreState(state)

    def save_state(self) -> QByteArray:
        return self.splitter.saveState()

    def setup_actions(self) -> None:
        setup_actions(self)

    def actions_by_section(self) -> list[tuple[str, list[QAction]]]:
        """The workspace's actions for menus and the cheat-sheet."""
        return actions_by_section(self)

    def setup_timers(self) -> None:
        self.elapsed = QElapsedTimer()
        self.tick = QTimer(self)
        self.tick.setInterval(1000)
        self.tick.timeout.connect(self.show_elapsed)
        self.draft_writer = DraftWriter(
            self,
            self.current_draft,
            lambda: self.drafts,
            lambda text: self.draft_label.setText(text),
        )
        self.readiness_timer = QTimer(self)
        self.readiness_timer.setSingleShot(True)
        self.readiness_timer.setInterval(READINESS_DELAY_MS)
        self.readiness_timer.timeout.connect(self.read_readiness)

    # -- context ---------------------------------------------------------------------------

    def set_context(self, db: Database, user_id: int | None, login: str) -> None:
        self.db, self.user_id, self.login = db, user_id, login
        self.drafts = DraftStore(db.describe())

    # -- opening a lead --------------------------------------------------------------------

    def open_lead(
        self,
        lead_id: int,
        *,
        read_only: bool = False,
        holder: str = "",
        draft: CallDraft | None = None,
    ) -> None:
        """Show lead ``lead_id`` (held by this rep unless ``read_only``), starting from
        ``draft`` when one is restored, else from its own draft on this computer."""
        db = self.db
        if db is None:
            return
        self.flush_draft()
        self._generation += 1
        generation = self._generation
        self.lead_id = lead_id
        self.read_only = read_only
        self._save_id = None
        self.call = None
        self._call_started_at = None
        self.stop_timer(reset=True)
        store = self.drafts if draft is None and not read_only else None
        if read_only:
            self.banner.setText(
                f"<b>Read-only:</b> {holder or 'another rep'} is working on this lead."
            )
            self.banner.show()
        else:
            self.banner.hide()
        self.draft_label.setText("Opening the lead…")
        self.context_strip.show_opening()
        now = self.now()

        user_id, zone = self.user_id, local_zone()
        copy = self.copies.sheet(lead_id)
        offline = self.offline()

        def read() -> _Opened:
            from teleprospect.services.calls.call_sheet import open_call_sheet
            from teleprospect.services.offline.connection import is_unreachable

            found = store.load(lead_id) if store is not None else draft
            if offline and copy is not None:
                return _Opened(copy, found)
            try:
                sheet = open_call_sheet(
                    db,
                    lead_id,
                    user_id,
                    now=now,
                    script_version_id=found.script_version_id if found is not None else None,
                    draft_answers=found.answers if found is not None else None,
                    display_zone=zone,
                )
            except Exception as error:
                if copy is None or not is_unreachable(error):
                    raise
                return _Opened(copy, found)
            return _Opened(sheet, found, now)

        run_in_background(
            read,
            lambda opened: self._opened(generation, opened),
            lambda error: self._open_failed(generation, error),
            owner=self,
        )

    def _opened(self, generation: int, opened: _Opened) -> None:
        if generation != self._generation:
            return
        self._restoring = True
        sheet, draft = opened.sheet, opened.draft
        self.copies.keep(sheet, opened.read_at)
        self.detail = sheet.detail
        self.script_version = sheet.script
        self.lead_panel.show_detail(sheet.detail)
        answers: Mapping[str, Any] = {**sheet.detail.answers, **sheet.draft_answers}
        self.script_runner.set_script(sheet.script.script, answers)
        self.notes.setPlainText(draft.notes if draft is not None else "")
        self.decision_panel.reset(
            now=sheet.read_at or self.local_now(),
            lead_zone_names=sheet.detail.time_zones,
            hours=sheet.calling_hours,
            suggested_callback_at=sheet.suggested_callback_at,
        )
        self.decision_panel.set_tracks(sheet.tracks)
        if draft is not None:
            self.decision_panel.set_disposition(draft.disposition)
            self.decision_panel.restore_draft_state(draft.decision)
            if draft.call_id is not None:
                from teleprospect.services.calls.log_call import CallStarted

                started = _parse_time(draft.call_started_at) or self.local_now()
                self.call = CallStarted(
                    draft.call_id, draft.lead_id, started, sheet.detail.phone_e164 or ""
                )
                self._call_started_at = started
                self.show_elapsed()
        self._restoring = False
        self.show_lead(sheet.detail)
        self.draft_label.setText(
            "Restored your unsaved call: check it and save." if draft is not None else ""
        )
        if opened.read_at is None and not self.read_only:
            self.show_offline_banner(True)
        self.lead_panel.show_why_now(sheet.why_now)
        self.context_strip.show_reason(sheet.why_now, self.lead_id)
        if sheet.live is not None:
            self.lead_panel.show_score(sheet.live)
            self.decision_panel.show_readiness(sheet.live.readiness)
        else:
            self.read_readiness()  # says in the log why the sheet had none
        if not self.read_only:
            self.call_button.setFocus()

    def _open_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self.draft_label.setText("")
        if self.watch is not None and self.watch.handle(error):
            self.show_problem(
                "The database server cannot be reached, and this lead was not opened before it"
                " went away: it can be opened when the server is back."
            )
            return
        self.show_problem(error_text(error, "The lead could not be read"))

    # -- working without the server ------------------------------------------------------

    def offline(self) -> bool:
        return self.watch is not None and self.watch.offline

    def show_offline_banner(self, offline: bool) -> None:
        """Say over the lead on show that the server cannot be reached (or no more)."""
        if offline and self.lead_id is not None and not self.read_only:
            self.banner.setText(
                "<b>Offline:</b> the database server cannot be reached. The lead is shown as it"
                " was read before; the call you save is kept on this computer and sent when the"
                " server is back."
            )
            self.banner.show()
        elif not offline and not self.read_only:
            self.banner.hide()

    def can_open_offline(self, lead_id: int) -> bool:
        """Whether the lead can be shown while the server is away (it was read before)."""
        return self.copies.can_open(lead_id)

    def prefetch(self, lead_id: int) -> None:
        """Read a held lead's call sheet ahead: it can be opened should the server go away."""
        if self.db is not None:
            self.copies.read_ahead(self.db, lead_id, self.user_id, self.watch)

    def reload_detail(self) -> None:
        """Read the lead again (after a contact save), keeping everything typed."""
        db, lead_id = self.db, self.lead_id
        if db is None or lead_id is None or self.offline():
            return
        now = self.now()

        def read() -> LeadDetail:
            from teleprospect.services.calls.lead_detail import lead_detail

            return lead_detail(db, lead_id, now=now)

        def shown(detail: LeadDetail) -> None:
            if detail.id == self.lead_id:
                self.detail = detail
                self.lead_panel.show_detail(detail)
                self.read_readiness()

        run_in_background(
            read,
            shown,
            lambda e: self.show_problem(error_text(e, "The lead could not be read")),
            owner=self,
        )

    def show_lead(self, detail: LeadDetail | None) -> None:
        """Enable what makes sense for the lead on show."""
        has_lead = detail is not None
        editable = has_lead and not self.read_only
        can_dial = (
            editable and detail is not None and bool(detail.phone_e164) and not detail.do_not_call
        )
        if detail is None:
            self.lead_panel.show_detail(None)
            self.script_runner.set_script(None)
            self.notes.clear()
            self.decision_panel.reset(now=self.local_now())  # no trace of the lead before
            self.context_strip.show_idle()
        for widget in (self.script_runner, self.notes, self.decision_panel):
            widget.setEnabled(editable)
        for field in self.lead_panel.fields.values():
            field.setReadOnly(not editable)
        for action in (
            self.save_action,
            self.save_next_action,
            self.release_action,
            self.discard_action,
        ):
            action.setEnabled(editable)
        for action in self.disposition_actions + self.decision_actions:
            action.setEnabled(editable)
        self.call_action.setEnabled(can_dial)
        self.copy_action.setEnabled(bool(detail and (detail.phone_e164 or detail.phone_raw)))
        self.end_action.setEnabled(editable and self.tick.isActive())

    def close_lead(self) -> None:
        """Nothing on show (the lead was saved or released)."""
        self._generation += 1
        self._save_id = None
        self.lead_id = None
        self.detail = None
        self.call = None
        self._call_started_at = None
        self.read_only = False
        self.stop_timer(reset=True)
        self.draft_writer.stop()
        self.banner.hide()
        self._clear_problem()
        self.show_lead(None)

    # -- the call --------------------------------------------------------------------------

    def start_call(self) -> None:
        """Dial through the operating system's handler and record the attempt."""
        detail, db, user_id = self.detail, self.db, self.user_id
        if detail is None or db is None or user_id is None or self.read_only:
            return
        number = detail.phone_e164
        if not number:
            self.show_problem("This lead has no valid number to dial.")
            return
        try:
            link = call_link(CALL_LINK.read(), number)
        except CallLinkError as error:
            self.show_problem(error_text(error))
            return
        if not QDesktopServices.openUrl(QUrl(link)):
            self.show_problem(
                f"Nothing on this computer opens {link.split(':', 1)[0]}: links. "
                "Set the call link under Call → Call link…, or dial by hand (Ctrl+Shift+C)."
            )
        self._call_started_at = self.local_now()
        self.elapsed.start()
        self.tick.start()
        self.show_elapsed()
        self.show_lead(detail)
        if self.call is not None:
            return  # a redial within the same call: one attempt
        # The attempt's start and the claim it needs are the database's to judge.
        lead_id, now = detail.id, self.now()

        def record() -> CallStarted:
            from teleprospect.services.calls.log_call import start_call

            return start_call(db, lead_id, user_id, number=number, now=now)

        def recorded(call: CallStarted) -> None:
            if call.lead_id == self.lead_id:
                self.call = call
                self.schedule_draft()

        def not_recorded(error: BaseException) -> None:
            if self.watch is not None and self.watch.handle(error):
                emit(self.message, f"Calling {number}… (offline: the call is kept when you save)")
                return
            self.show_problem(error_text(error, "The attempt could not be recorded"))

        if self.offline():
            emit(self.message, f"Calling {number}… (offline: the call is kept when you save)")
            return
        run_in_background(record, recorded, not_recorded, owner=self)
        emit(self.message, f"Calling {number}…")

    def copy_number(self) -> None:
        detail = self.detail
        if detail is None:
            return
        number = detail.phone_e164 or detail.phone_raw
        QGuiApplication.clipboard().setText(number)
        emit(self.message, f"{number} copied.")

    def end_call(self) -> None:
        self.stop_timer()
        self.show_lead(self.detail)
        self.decision_panel.disposition_buttons[Disposition.CONNECTED].setFocus()

    def stop_timer(self, *, reset: bool = False) -> None:
        self.tick.stop()
        if reset:
            self.timer_label.setText("00:00")

    def duration_s(self) -> int | None:
        if self._call_started_at is None:
            return None
        return max(0, int((self.local_now() - self._call_started_at).total_seconds()))

    def local_now(self) -> datetime:
        """This computer's time, for what only this workstation shows: the call's timer,
        the lead's local time in the decision panel (a test's frozen time when given)."""
        return self.now() or datetime.now(UTC)

    def show_elapsed(self) -> None:
        seconds = self.duration_s() or 0
        self.timer_label.setText(f"{seconds // 60:02d}:{seconds % 60:02d}")

    # -- live readiness --------------------------------------------------------------------

    def on_answers_changed(self) -> None:
        self.schedule_draft()
        self.readiness_timer.start()

    def read_readiness(self) -> None:
        db, lead_id = self.db, self.lead_id
        if db is None or lead_id is None or self.offline():
            return  # without the server the score shown stays as last read
        answers = self.script_runner.answers()
        generation, now = self._generation, self.now()

        def read() -> LiveScore:
            from teleprospect.services.calls.readiness import lead_readiness

            return lead_readiness(db, lead_id, answers, now=now)

        def shown(live: LiveScore) -> None:
            if generation != self._generation:
                return
            self.lead_panel.show_score(live)
            self.decision_panel.show_readiness(live.readiness)

        run_in_background(read, shown, lambda e: log.warning("readiness: %s", e), owner=self)

    def choose_decision(self, kind: DecisionKind | None) -> None:
        self.decision_panel.set_decision(kind)
        self.decision_panel.decision_combo.setFocus()

    # -- drafts ----------------------------------------------------------------------------

    def schedule_draft(self) -> None:
        if self._restoring or self.lead_id is None or self.read_only:
            return
        self.draft_writer.schedule()

    def current_draft(self) -> CallDraft | None:
        if self.lead_id is None or self.read_only or self.detail is None:
            return None
        script = self.script_version
        answers = self.script_runner.answers()
        disposition = self.decision_panel.disposition()
        return CallDraft(
            lead_id=self.lead_id,
            login=self.login,
            lead_name=f"{self.detail.first_name} {self.detail.last_name}".strip(),
            call_id=self.call.call_id if self.call is not None else None,
            call_started_at=(
                self._call_started_at.isoformat() if self._call_started_at is not None else None
            ),
            script_version_id=script.id if script is not None else None,
            notes=self.notes.toPlainText(),
            answers=self._answers_to_json(answers),
            disposition=disposition.value if disposition is not None else None,
            decision=self.decision_panel.draft_state(),
        )

    def flush_draft(self) -> None:
        """Write a pending draft at once (closing, switching leads)."""
        self.draft_writer.flush()

    def has_unsaved_work(self) -> bool:
        draft = self.current_draft()
        return draft is not None and not draft.is_empty()

    def _answers_to_json(self, answers: Mapping[str, AnswerValue]) -> dict[str, Any]:
        from teleprospect.core.scripts import to_json

        script = self.script_version.script if self.script_version is not None else None
        if script is None:
            return {}
        return {key: to_json(script.question(key), value) for key, value in answers.items()}

    # -- saving ----------------------------------------------------------------------------

    def show_problem(self, text: str) -> None:
        self.problem_label.setText(text)
        self.problem_label.show()

    def _clear_problem(self) -> None:
        self.problem_label.hide()

    def save(self, then_next: bool) -> None:
        """Log the call with its answers and decision, release the lead; then the next one."""
        db, user_id, lead_id = self.db, self.user_id, self.lead_id
        if db is None or user_id is None or lead_id is None or self.read_only or self._saving:
            return
        problem = self.decision_panel.problem()
        if problem is not None:
            self.show_problem(problem)
            return
        decision = self.decision_panel.decision()
        disposition = self.decision_panel.disposition()
        assert disposition is not None  # problem() says so otherwise
        if decision is not None and decision.kind is DecisionKind.DO_NOT_CALL:
            name = self.detail.first_name if self.detail is not None else "this lead"
            answer = QMessageBox.question(
                self,
                "Do not call",
                f"Put {name}'s numbers and email on the do-not-call list for good?\n\n"
                "Nobody will be able to call them again.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.draft_writer.stop()
        store, draft = self.drafts, self.current_draft()
        self.saved_draft = draft  # what an undo of the save opens again
        self.stop_timer()
        answers = self.script_runner.answers()
        notes = self.notes.toPlainText().strip()
        call_id = self.call.call_id if self.call is not None else None
        duration = self.duration_s()
        script = self.script_version
        now = self.now()
        self._saving = True
        self.draft_label.setText("Saving…")
        if self._save_id is None:
            from teleprospect.services.offline.actions import new_client_action_id

            self._save_id = new_client_action_id()
        save_id, login = self._save_id, self.login
        journal = self.watch.journal if self.watch is not None else None
        base, seen_at = self.copies.base(lead_id)
        name = self.detail.name if self.detail is not None else ""
        server_away = self.offline()

        def log_it() -> LoggedCall | KeptCall:
            from teleprospect.services.offline.saving import save_call

            # The draft is on disk before the save is tried: a failed save loses nothing.
            if store is not None and draft is not None and not draft.is_empty():
                store.save(draft)
            # Logged on the server, or kept on this computer while it cannot be reached.
            saved = save_call(
                db,
                journal,
                lead_id,
                user_id,
                login=login,
                disposition=disposition,
                call_id=call_id,
                duration_s=duration,
                notes=notes,
                answers=answers,
                script=script,
                decision=decision,
                client_action_id=save_id,
                lead_name=name,
                base=base,
                seen_at=seen_at,
                server_away=server_away,
                now=now,
            )
            if store is not None:
                store.discard(lead_id)
            return saved

        run_in_background(
            log_it,
            lambda logged: self._saved(lead_id, logged, then_next),
            self._save_failed,
            owner=self,
        )

    def _saved(self, lead_id: int, logged: LoggedCall | KeptCall, then_next: bool) -> None:
        from teleprospect.services.offline.actions import KeptCall

        self._saving = False
        self.draft_label.setText("")
        if lead_id == self.lead_id:
            self.close_lead()
        if isinstance(logged, KeptCall):
            if self.watch is not None:
                self.watch.kept(logged)
        else:
            # The lead changed on the server: a copy kept from before would be out of date.
            self.copies.forget(lead_id)
            if self.watch is not None and self.watch.waiting:
                self.watch.refresh_counts()  # calls kept earlier were sent first
        emit(self.message, logged.summary)
        emit(self.call_saved, logged, then_next)

    def _save_failed(self, error: BaseException) -> None:
        self._saving = False
        if isinstance(error, DecisionRefused):
            self.draft_label.setText("")
            self.show_problem(error.reason)
            return
        log.warning("saving the call failed", exc_info=error)
        self.draft_label.setText("")
        why = error_text(error, "The call could not be saved").rstrip(".")
        self.show_problem(
            f"{why}. Everything you typed is kept on this computer; save again when the database "
            "answers."
        )

    def request_release(self) -> None:
        if self.has_unsaved_work():
            answer = QMessageBox.question(
                self,
                "Release the lead",
                "Give the lead back without saving this call? What you typed is thrown away.",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
        store, lead_id = self.drafts, self.lead_id
        if store is not None and lead_id is not None:
            run_in_background(lambda: store.discard(lead_id), lambda _r: None, owner=self)
        self.draft_writer.stop()
        emit(self.release_requested)

    # -- contact edits ---------------------------------------------------------------------

    def save_contact(self, changes: dict, version: int) -> None:
        db, user_id, lead_id = self.db, self.user_id, self.lead_id
        if db is None or user_id is None or lead_id is None or self.read_only:
            return

        def update() -> int:
            from teleprospect.services.calls.lead_detail import update_contact

            return update_contact(db, lead_id, user_id, changes, expected_version=version)

        def failed(error: BaseException) -> None:
            from teleprospect.services.calls.lead_detail import LeadChanged

            if isinstance(error, LeadChanged):
                self.resolve_conflict(changes, error)
            elif self.watch is not None and self.watch.handle(error):
                self.show_problem(
                    "The database server cannot be reached: contact changes need it. They stay"
                    " in the fields; save them again when it is back."
                )
            else:
                self.show_problem(error_text(error, "The contact could not be saved"))

        def saved(_version: int) -> None:
            emit(self.message, "Contact saved.")
            self.reload_detail()

        run_in_background(update, saved, failed, owner=self)

    def resolve_conflict(self, changes: dict, error: Any) -> None:
        from teleprospect.ui.workspace.conflict_dialog import ConflictDialog

        dialog = ConflictDialog(changes, error.theirs, error.changed_by, self)
        if dialog.exec() != ConflictDialog.DialogCode.Accepted:
            self.reload_detail_keeping_edits()
            return
        kept = dialog.kept()
        if kept:
            self.save_contact(kept, error.version)
        else:
            self.reload_detail()

    def reload_detail_keeping_edits(self) -> None:
        self.reload_detail()


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None
