"""How the call ended and what happens to the lead: the disposition and the decision.

Dispositions have one-key shortcuts (Alt+1 … Alt+9, and the plain digit while the list has
the keyboard). The decision is one of: none (the queue's retry rule decides), sales-ready
(with the readiness checklist), exception, back to nurture, callback, disqualify, do not
call; each shows only the fields it needs. Whether a decision is allowed is decided by the
services when the call is saved: the panel shows why it would be refused before that, from
the live readiness the workspace reads.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from teleprospect.core.callback_slots import both_zones_text, callback_problem
from teleprospect.core.decisions import DecisionKind
from teleprospect.core.domain import Disposition
from teleprospect.core.queue_policy import CallingHours
from teleprospect.core.scripts import DisqualifyReason, ExceptionReason
from teleprospect.services.calls.decisions import Decision
from teleprospect.ui.desk.queue_model import local_zone
from teleprospect.ui.signals import emit
from teleprospect.ui.workspace.quiet_inputs import guard_all

if TYPE_CHECKING:
    from teleprospect.core.nurture import Track
    from teleprospect.core.scripts import Readiness

#: The dispositions in the order of their keys 1…9.
DISPOSITIONS: tuple[Disposition, ...] = (
    Disposition.CONNECTED,
    Disposition.NO_ANSWER,
    Disposition.VOICEMAIL_LEFT,
    Disposition.BUSY,
    Disposition.WRONG_NUMBER,
    Disposition.GATEKEEPER,
    Disposition.CALLBACK_REQUESTED,
    Disposition.NOT_INTERESTED,
    Disposition.DO_NOT_CALL,
)

#: Decision kinds with their labels and shortcuts, in the order of the list.
DECISIONS: tuple[tuple[DecisionKind | None, str, str], ...] = (
    (None, "No decision: the queue's retry rule decides", "Ctrl+Shift+0"),
    (DecisionKind.SALES_READY, "Sales-ready", "Ctrl+Shift+R"),
    (DecisionKind.EXCEPTION, "Sales-ready by exception", "Ctrl+Shift+E"),
    (DecisionKind.NURTURE, "Back to nurture", "Ctrl+Shift+N"),
    (DecisionKind.CALLBACK, "Callback", "Ctrl+Shift+B"),
    # Not Ctrl+Shift+Q: one finger from Quit (Ctrl+Q).
    (DecisionKind.DISQUALIFY, "Disqualify", "Ctrl+Shift+X"),
    (DecisionKind.DO_NOT_CALL, "Do not call", "Ctrl+Shift+D"),
)


class DecisionPanel(QWidget):
    """The disposition buttons and the decision with its fields."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._readiness: Readiness | None = None
        self._lead_zone_names: tuple[str, ...] = ()
        self._hours = CallingHours()
        #: The database's clock minus this computer's, as of the lead's opening: callback
        #: times are judged by the database's clock, as the services judge them on save.
        self._clock_offset = timedelta(0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._disposition_box())
        layout.addWidget(self._decision_box())
        guard_all(self)  # the wheel passing over a list or a date changes nothing

    # -- disposition -----------------------------------------------------------------------

    def _disposition_box(self) -> QGroupBox:
        box = QGroupBox("Outcome of the call", self)
        grid = QGridLayout(box)
        grid.setContentsMargins(8, 4, 8, 4)
        grid.setVerticalSpacing(2)
        self.disposition_group = QButtonGroup(self)
        self.disposition_buttons: dict[Disposition, QRadioButton] = {}
        for number, disposition in enumerate(DISPOSITIONS, start=1):
            button = DispositionButton(f"{number}  {disposition.label}", box)
            button.setToolTip(f"{disposition.label} (Alt+{number})")
            button.setObjectName(f"disposition_{disposition.value}")
            self.disposition_group.addButton(button, number)
            self.disposition_buttons[disposition] = button
            grid.addWidget(button, (number - 1) // 3, (number - 1) % 3)
        self.disposition_group.idToggled.connect(self._disposition_toggled)
        return box

    def _disposition_toggled(self, _id: int, on: bool) -> None:
        if not on:
            return
        if self.disposition() is Disposition.DO_NOT_CALL:
            self.set_decision(DecisionKind.DO_NOT_CALL)
        elif self.disposition() is Disposition.CALLBACK_REQUESTED and self.decision_kind() is None:
            self.set_decision(DecisionKind.CALLBACK)
        emit(self.changed)

    def disposition(self) -> Disposition | None:
        checked = self.disposition_group.checkedId()
        return DISPOSITIONS[checked - 1] if checked > 0 else None

    def set_disposition(self, disposition: Disposition | str | None) -> None:
        if disposition is None:
            self.disposition_group.setExclusive(False)
            for button in self.disposition_buttons.values():
                button.setChecked(False)
            self.disposition_group.setExclusive(True)
            return
        self.disposition_buttons[Disposition(disposition)].setChecked(True)

    def choose_disposition(self, number: int) -> None:
        """Key ``number`` (1…9) was pressed."""
        if 1 <= number <= len(DISPOSITIONS):
            button = self.disposition_buttons[DISPOSITIONS[number - 1]]
            button.setChecked(True)
            button.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def move_focus(self, button: QRadioButton, *, forward: bool) -> None:
        buttons = list(self.disposition_buttons.values())
        index = buttons.index(button) + (1 if forward else -1)
        buttons[index % len(buttons)].setFocus(Qt.FocusReason.TabFocusReason)

    # -- decision --------------------------------------------------------------------------

    def _decision_box(self) -> QGroupBox:
        box = QGroupBox("Decision", self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(8, 4, 8, 4)
        self.decision_combo = QComboBox(box)
        self.decision_combo.setObjectName("decisionCombo")
        self.decision_combo.setAccessibleName("Decision")
        # Its longest item ("No decision: the queue's retry rule decides") would make the
        # column, and so the window, wider: the closed combo shortens it instead.
        self.decision_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.decision_combo.setMinimumContentsLength(24)
        for kind, label, shortcut in DECISIONS:
            self.decision_combo.addItem(f"{label}    {shortcut}", kind.value if kind else None)
        self.decision_combo.currentIndexChanged.connect(self._decision_changed)
        layout.addWidget(self.decision_combo)
        self.pages = QStackedWidget(box)
        layout.addWidget(self.pages)
        self._page_none()
        self._page_sales_ready()
        self._page_exception()
        self._page_nurture()
        self._page_callback()
        self._page_disqualify()
        self._page_dnc()
        self._decision_changed(0)
        return box

    def _page(self) -> tuple[QWidget, QFormLayout]:
        page = QWidget(self.pages)
        form = QFormLayout(page)
        form.setContentsMargins(0, 4, 0, 0)
        self.pages.addWidget(page)
        return page, form

    def _page_none(self) -> None:
        _page, form = self._page()
        hint = QLabel("The lead comes back when the retry rule of the outcome says.", _page)
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        form.addRow(hint)

    def _page_sales_ready(self) -> None:
        page, form = self._page()
        self.checklist_label = QLabel(page)
        self.checklist_label.setObjectName("readinessChecklist")
        self.checklist_label.setWordWrap(True)
        self.checklist_label.setTextFormat(Qt.TextFormat.RichText)
        form.addRow(self.checklist_label)

    def _page_exception(self) -> None:
        page, form = self._page()
        self.exception_reason = QComboBox(page)
        self.exception_reason.setObjectName("exceptionReason")
        for reason in ExceptionReason:
            self.exception_reason.addItem(reason.label, reason.value)
        self.exception_note = QLineEdit(page)
        self.exception_note.setObjectName("exceptionNote")
        self.exception_note.setPlaceholderText("Why a salesperson should take it now")
        for widget in (self.exception_note,):
            widget.textChanged.connect(lambda _t: emit(self.changed))
        self.exception_reason.currentIndexChanged.connect(lambda _i: emit(self.changed))
        form.addRow("&Reason:", self.exception_reason)
        form.addRow("N&ote:", self.exception_note)

    def _page_nurture(self) -> None:
        page, form = self._page()
        self.track_combo = QComboBox(page)
        self.track_combo.setObjectName("trackCombo")
        self.track_combo.currentIndexChanged.connect(self._track_changed)
        self.track_info = QLabel(page)
        self.track_info.setWordWrap(True)  # a track's steps: prose, never wider than the column
        self.track_info.setObjectName("hint")
        self.next_touch = QDateEdit(page)
        self.next_touch.setObjectName("nextTouch")
        self.next_touch.setCalendarPopup(True)
        self.next_touch.setDisplayFormat("yyyy-MM-dd")
        self.next_touch.dateChanged.connect(lambda _d: emit(self.changed))
        form.addRow("&Track:", self.track_combo)
        form.addRow(self.track_info)
        form.addRow("First &touch:", self.next_touch)

    def _page_callback(self) -> None:
        page, form = self._page()
        self.callback_at = QDateTimeEdit(page)
        self.callback_at.setObjectName("callbackAt")
        self.callback_at.setCalendarPopup(True)
        self.callback_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.callback_at.dateTimeChanged.connect(self._callback_changed)
        self.callback_local = QLabel(page)
        self.callback_local.setObjectName("callbackLocal")
        self.callback_local.setWordWrap(True)
        # Said as soon as the time is chosen, not only when the call is saved.
        self.callback_warning = QLabel(page)
        self.callback_warning.setObjectName("callbackWarning")
        self.callback_warning.setWordWrap(True)
        self.callback_warning.setStyleSheet("color: #b3261e;")
        self.callback_warning.hide()
        self.callback_personal = QCheckBox("&Personal (only I call back)", page)
        self.callback_personal.setChecked(True)
        self.callback_requested = QCheckBox("The lead &asked for this time", page)
        self.callback_requested.setToolTip(
            "Allows a time outside the team's calling hours (never outside 08:00–21:00)"
        )
        self.callback_note = QLineEdit(page)
        self.callback_note.setObjectName("callbackNote")
        self.callback_personal.toggled.connect(lambda _on: emit(self.changed))
        self.callback_requested.toggled.connect(self._callback_changed)
        self.callback_note.textChanged.connect(lambda _t: emit(self.changed))
        # Compact: the two boxes on one line, so the script keeps its height on a 700 px
        # screen.
        boxes = QHBoxLayout()
        boxes.addWidget(self.callback_personal)
        boxes.addWidget(self.callback_requested)
        boxes.addStretch(1)
        form.addRow("&When (your time):", self.callback_at)
        form.addRow("", self.callback_local)
        form.addRow("", self.callback_warning)
        form.addRow(boxes)
        form.addRow("N&ote:", self.callback_note)

    def _page_disqualify(self) -> None:
        page, form = self._page()
        self.disqualify_reason = QComboBox(page)
        self.disqualify_reason.setObjectName("disqualifyReason")
        self.disqualify_reason.addItem("— choose a reason —", None)
        for reason in DisqualifyReason:
            self.disqualify_reason.addItem(reason.label, reason.value)
        self.disqualify_note = QLineEdit(page)
        self.disqualify_note.setObjectName("disqualifyNote")
        self.disqualify_reason.currentIndexChanged.connect(lambda _i: emit(self.changed))
        self.disqualify_note.textChanged.connect(lambda _t: emit(self.changed))
        form.addRow("&Reason:", self.disqualify_reason)
        form.addRow("N&ote:", self.disqualify_note)

    def _page_dnc(self) -> None:
        page, form = self._page()
        warning = QLabel(
            "<b>Permanent.</b> The lead's numbers and email go on the do-not-call list; "
            "you will be asked to confirm when you save.",
            page,
        )
        warning.setWordWrap(True)
        form.addRow(warning)

    def _decision_changed(self, index: int) -> None:
        # The stack takes the height of the page on show, not of its tallest page.
        for number in range(self.pages.count()):
            policy = QSizePolicy.Policy.Preferred if number == index else QSizePolicy.Policy.Ignored
            page = self.pages.widget(number)
            if page is not None:
                page.setSizePolicy(QSizePolicy.Policy.Preferred, policy)
        self.pages.setCurrentIndex(index)
        self.pages.adjustSize()
        emit(self.changed)

    def decision_kind(self) -> DecisionKind | None:
        # Qt keeps the item data as plain text: make the kind again.
        data = self.decision_combo.currentData()
        return DecisionKind(data) if data else None

    def set_decision(self, kind: DecisionKind | None) -> None:
        index = self.decision_combo.findData(kind.value if kind is not None else None)
        self.decision_combo.setCurrentIndex(max(index, 0))

    # -- content from the workspace --------------------------------------------------------

    def reset(
        self,
        *,
        now: datetime,
        lead_zone_names: tuple[str, ...] = (),
        hours: CallingHours | None = None,
        suggested_callback_at: datetime | None = None,
    ) -> None:
        """A fresh call: no outcome, no decision, sensible dates. ``now`` is the database's
        time; the callback time starts at ``suggested_callback_at`` (the first good time
        in the lead's calling window), else tomorrow at 10:00 here."""
        self._lead_zone_names = lead_zone_names
        self._hours = hours or CallingHours()
        self._clock_offset = now - datetime.now(UTC)
        self.set_disposition(None)
        self.set_decision(None)
        self.exception_reason.setCurrentIndex(0)
        self.exception_note.clear()
        self.disqualify_reason.setCurrentIndex(0)
        self.disqualify_note.clear()
        self.callback_note.clear()
        self.callback_personal.setChecked(True)
        self.callback_requested.setChecked(False)
        local = now.astimezone(local_zone())
        if suggested_callback_at is not None:
            at = suggested_callback_at.astimezone(local_zone())
            self.callback_at.setDateTime(
                QDateTime(QDate(at.year, at.month, at.day), QTime(at.hour, at.minute))
            )
        else:
            tomorrow = local + timedelta(days=1)
            self.callback_at.setDateTime(
                QDateTime(QDate(tomorrow.year, tomorrow.month, tomorrow.day), QTime(10, 0))
            )
        in_two_weeks = local + timedelta(days=14)
        self.next_touch.setDate(QDate(in_two_weeks.year, in_two_weeks.month, in_two_weeks.day))
        self._callback_changed()

    def database_now(self) -> datetime:
        """The database's time now, as of the lead's opening."""
        return datetime.now(UTC) + self._clock_offset

    def set_tracks(self, tracks: list[Track]) -> None:
        """The nurture tracks, best suggestion first."""
        self.track_combo.blockSignals(True)
        self.track_combo.clear()
        for number, track in enumerate(tracks):
            label = f"{track.name} (suggested)" if number == 0 else track.name
            self.track_combo.addItem(label, track)
        self.track_combo.blockSignals(False)
        self._track_changed()

    def _track_changed(self, _index: int = 0) -> None:
        track: Track | None = self.track_combo.currentData()
        if track is None:
            self.track_info.clear()
        else:
            steps = ", ".join(step.title for step in track.steps[:3])
            more = ", …" if len(track.steps) > 3 else ""
            self.track_info.setText(f"{len(track.steps)} touches: {steps}{more}")
            self.track_info.setToolTip(
                track.description
                + "\n\n"
                + "\n".join(f"Day {step.day_offset}: {step.title}" for step in track.steps)
            )
        emit(self.changed)

    def _callback_changed(self, *_args: object) -> None:
        when = self.callback_time()
        self.callback_local.setText(both_zones_text(when, local_zone(), self._lead_zone_names))
        problem = self.callback_problem()
        self.callback_warning.setText(problem or "")
        self.callback_warning.setVisible(problem is not None)
        emit(self.changed)

    def callback_problem(self) -> str | None:
        """Why the chosen callback time would be refused (None: it would not): outside the
        lead's calling window in one of its zones, past, or the lead's time unknown."""
        return callback_problem(
            self._lead_zone_names,
            self.callback_time(),
            self.database_now(),
            self._hours,
            at_lead_request=self.callback_requested.isChecked(),
            describe=lambda _at: "this time",
        )

    def callback_time(self) -> datetime:
        qt = self.callback_at.dateTime()
        local = datetime(
            qt.date().year(),
            qt.date().month(),
            qt.date().day(),
            qt.time().hour(),
            qt.time().minute(),
            tzinfo=local_zone(),
        )
        return local.astimezone(UTC)

    def show_readiness(self, readiness: Readiness | None) -> None:
        self._readiness = readiness
        if readiness is None:
            self.checklist_label.setText("Reading the readiness rule…")
            return
        items = []
        for check in readiness.checks:
            mark, colour = ("✔", "#1d7a3a") if check.met else ("✘", "#b3261e")
            extra = f" — {escape(check.detail)}" if check.detail else ""
            items.append(f"<span style='color:{colour}'>{mark}</span> {escape(check.label)}{extra}")
        verdict = (
            "<b style='color:#1d7a3a'>Ready for sales.</b>"
            if readiness.ready
            else "<b style='color:#b3261e'>Not ready yet.</b> For a lead best handled by a "
            "salesperson anyway, choose <i>Sales-ready by exception</i> (Ctrl+Shift+E)."
        )
        self.checklist_label.setText("<br>".join([*items, verdict]))

    # -- the result ------------------------------------------------------------------------

    def problem(self) -> str | None:
        """Why the call cannot be saved as it stands (None: it can)."""
        if self.disposition() is None:
            return "Choose the outcome of the call (Alt+1 … Alt+9)."
        kind = self.decision_kind()
        readiness = self._readiness
        if kind is DecisionKind.SALES_READY and readiness is not None and not readiness.ready:
            return f"The lead is not sales-ready yet: {', '.join(readiness.missing)}."
        if kind is DecisionKind.NURTURE and self.track_combo.currentData() is None:
            return "Choose a nurture track."
        if kind is DecisionKind.CALLBACK:
            problem = self.callback_problem()
            if problem is not None:
                return problem
        if kind is DecisionKind.DISQUALIFY:
            reason = self.disqualify_reason.currentData()
            if reason is None:
                return "Choose why the lead is disqualified."
            if reason == DisqualifyReason.OTHER.value and not self.disqualify_note.text().strip():
                return "Say in the note why the lead is disqualified."
        return None

    def decision(self) -> Decision | None:
        kind = self.decision_kind()
        if kind is None:
            return None
        if kind is DecisionKind.EXCEPTION:
            return Decision(
                kind,
                reason=self.exception_reason.currentData(),
                note=self.exception_note.text().strip(),
            )
        if kind is DecisionKind.NURTURE:
            track: Track | None = self.track_combo.currentData()
            date = self.next_touch.date()
            touch = datetime(date.year(), date.month(), date.day(), 9, tzinfo=local_zone())
            return Decision(
                kind,
                track_key=track.key if track is not None else None,
                next_touch_at=touch.astimezone(UTC),
            )
        if kind is DecisionKind.CALLBACK:
            return Decision(
                kind,
                note=self.callback_note.text().strip(),
                callback_at=self.callback_time(),
                personal=self.callback_personal.isChecked(),
                at_lead_request=self.callback_requested.isChecked(),
            )
        if kind is DecisionKind.DISQUALIFY:
            return Decision(
                kind,
                reason=self.disqualify_reason.currentData() or "",
                note=self.disqualify_note.text().strip(),
            )
        return Decision(kind)

    # -- drafts ----------------------------------------------------------------------------

    def draft_state(self) -> dict[str, Any]:
        """What the rep chose so far, for the local draft."""
        kind = self.decision_kind()
        if kind is None:
            return {}
        track: Track | None = self.track_combo.currentData()
        return {
            "kind": kind.value,
            "exception_reason": self.exception_reason.currentData(),
            "exception_note": self.exception_note.text(),
            "track_key": track.key if track is not None else None,
            "next_touch": self.next_touch.date().toString("yyyy-MM-dd"),
            "callback_at": self.callback_time().isoformat(),
            "callback_personal": self.callback_personal.isChecked(),
            "callback_requested": self.callback_requested.isChecked(),
            "callback_note": self.callback_note.text(),
            "disqualify_reason": self.disqualify_reason.currentData(),
            "disqualify_note": self.disqualify_note.text(),
        }

    def restore_draft_state(self, state: dict[str, Any]) -> None:
        if not state:
            return
        try:
            self.set_decision(DecisionKind(state["kind"]))
        except (KeyError, ValueError):
            return
        _select_data(self.exception_reason, state.get("exception_reason"))
        self.exception_note.setText(state.get("exception_note") or "")
        for index in range(self.track_combo.count()):
            track = self.track_combo.itemData(index)
            if track is not None and track.key == state.get("track_key"):
                self.track_combo.setCurrentIndex(index)
        touch = QDate.fromString(state.get("next_touch") or "", "yyyy-MM-dd")
        if touch.isValid():
            self.next_touch.setDate(touch)
        try:
            at = datetime.fromisoformat(state["callback_at"]).astimezone(local_zone())
            self.callback_at.setDateTime(
                QDateTime(QDate(at.year, at.month, at.day), QTime(at.hour, at.minute))
            )
        except (KeyError, TypeError, ValueError):
            pass
        self.callback_personal.setChecked(bool(state.get("callback_personal", True)))
        self.callback_requested.setChecked(bool(state.get("callback_requested", False)))
        self.callback_note.setText(state.get("callback_note") or "")
        _select_data(self.disqualify_reason, state.get("disqualify_reason"))
        self.disqualify_note.setText(state.get("disqualify_note") or "")


class DispositionButton(QRadioButton):
    """A disposition choice; while one has the keyboard, the digits 1…9 choose directly."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        panel = self.parent()
        while panel is not None and not isinstance(panel, DecisionPanel):
            panel = panel.parent()
        if (
            text.isdigit()
            and panel is not None
            and event.modifiers()
            in (
                Qt.KeyboardModifier.NoModifier,
                Qt.KeyboardModifier.KeypadModifier,
            )
        ):
            panel.choose_disposition(int(text))
            return
        arrows = {
            Qt.Key.Key_Up: False,
            Qt.Key.Key_Left: False,
            Qt.Key.Key_Down: True,
            Qt.Key.Key_Right: True,
        }
        if event.key() in arrows and panel is not None:
            # The arrows move the keyboard between the outcomes without choosing one
            # (Space or a digit chooses): passing over an outcome never changes it.
            panel.move_focus(self, forward=arrows[Qt.Key(event.key())])
            return
        super().keyPressEvent(event)


def _select_data(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)
