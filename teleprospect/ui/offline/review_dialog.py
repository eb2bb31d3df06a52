"""The list behind the status bar's "Offline — 3 waiting": the calls kept on this computer
that wait to be sent, and the calls held for review because their lead changed meanwhile.

A rep sees their own calls held for review, a team lead the whole team's. Each can be
thrown away, or applied anyway where that is safe (the service says when it is not: a lead
another rep holds right now, a lead gone or on the do-not-call list); when its decision no
longer fits the lead, the call alone can be logged. Everything is read and done on workers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from teleprospect.ui.background import run_in_background
from teleprospect.ui.desk.queue_model import local_datetime_text
from teleprospect.ui.errors import error_text
from teleprospect.ui.tables.record_model import Column, RecordTableModel

if TYPE_CHECKING:
    from teleprospect.services.offline.journal import JournalEntry
    from teleprospect.services.offline.review import ReviewItem
    from teleprospect.ui.offline.offline_watch import OfflineWatch

#: Starting widths of the columns but the last (which takes the rest), in pixels.
WAITING_WIDTHS = (130, 180)
REVIEW_WIDTHS = (125, 110, 140, 230)

WAITING_COLUMNS = (
    Column("Saved", lambda e: local_datetime_text(e.taken_at)),
    Column("Lead", lambda e: e.lead_name or f"#{e.lead_id}"),
    Column("Call", lambda e: e.summary, tooltip=lambda e: e.summary),
)
REVIEW_COLUMNS = (
    Column("Saved", lambda r: local_datetime_text(r.taken_at)),
    Column("Rep", lambda r: r.rep_name),
    Column("Lead", lambda r: r.lead_name or (f"#{r.lead_id}" if r.lead_id else "—")),
    Column("Call", lambda r: r.summary, tooltip=lambda r: r.summary),
    Column(
        "Why it was not applied",
        lambda r: r.reason,
        tooltip=lambda r: r.reason + (f"\n\n{r.why_not}" if r.why_not else ""),
    ),
)


class _Loaded:
    def __init__(
        self, waiting: list[JournalEntry], review: list[ReviewItem], from_server: bool
    ) -> None:
        self.waiting, self.review, self.from_server = waiting, review, from_server


def _table(
    parent: QWidget, model: RecordTableModel[Any], name: str, widths: tuple[int, ...]
) -> QTableView:
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    for column, width in enumerate(widths):
        table.setColumnWidth(column, width)
    return table


class ReviewDialog(QDialog):
    """Calls kept on this computer, and calls held for review."""

    def __init__(self, watch: OfflineWatch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.watch = watch
        self.setObjectName("reviewDialog")
        self.setWindowTitle("Calls kept on this computer")
        self.resize(1000, 540)
        self.waiting_model: RecordTableModel[JournalEntry] = RecordTableModel(WAITING_COLUMNS, self)
        self.review_model: RecordTableModel[ReviewItem] = RecordTableModel(REVIEW_COLUMNS, self)
        self._busy = False
        self._from_server = False
        self.setup_layout()
        self.load()

    def setup_layout(self) -> None:
        layout = QVBoxLayout(self)
        self.state_label = QLabel(self)
        self.state_label.setWordWrap(True)
        layout.addWidget(self.state_label)

        self.waiting_title = QLabel("Waiting to be sent", self)
        self.waiting_title.setObjectName("sectionTitle")
        layout.addWidget(self.waiting_title)
        self.waiting_table = _table(self, self.waiting_model, "waitingTable", WAITING_WIDTHS)
        layout.addWidget(self.waiting_table, 1)

        self.review_title = QLabel("Held for review", self)
        self.review_title.setObjectName("sectionTitle")
        layout.addWidget(self.review_title)
        self.review_hint = QLabel(self)
        self.review_hint.setObjectName("hint")
        self.review_hint.setWordWrap(True)
        layout.addWidget(self.review_hint)
        self.review_table = _table(self, self.review_model, "reviewTable", REVIEW_WIDTHS)
        layout.addWidget(self.review_table, 2)

        actions = QHBoxLayout()
        self.discard_button = QPushButton("&Discard…", self)
        self.apply_button = QPushButton("&Apply anyway", self)
        self.call_only_button = QPushButton("Log the &call only", self)
        self.call_only_button.setToolTip(
            "Log the call in the lead's history without its decision (the lead stays as it is)"
        )
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("fieldError")
        self.problem_label.setWordWrap(True)
        actions.addWidget(self.problem_label, 1)
        for button in (self.discard_button, self.apply_button, self.call_only_button):
            actions.addWidget(button)
        layout.addLayout(actions)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.send_button = buttons.addButton("&Send now", QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.discard_button.clicked.connect(self.discard)
        self.apply_button.clicked.connect(lambda: self.apply(without_decision=False))
        self.call_only_button.clicked.connect(lambda: self.apply(without_decision=True))
        self.send_button.clicked.connect(self.send_now)
        self.review_table.selectionModel().selectionChanged.connect(self.update_buttons)
        self.watch.counts_changed.connect(self.load)
        self.update_buttons()

    # -- reading -----------------------------------------------------------------------

    def load(self) -> None:
        watch = self.watch
        db, journal, user_id, team = watch.db, watch.journal, watch.user_id, watch.team
        offline = watch.offline

        def read() -> _Loaded:
            from teleprospect.services.offline.journal import EntryState
            from teleprospect.services.offline.review import ReviewItem, review_list

            waiting = journal.waiting() if journal is not None else []
            if not offline and db is not None and user_id is not None:
                return _Loaded(waiting, review_list(db, user_id, team=team), True)
            # Without the server: what this computer knows was held for review.
            local = journal.entries(EntryState.REVIEW) if journal is not None else []
            review = [
                ReviewItem(
                    client_action_id=e.client_action_id,
                    user_id=e.user_id,
                    rep_name=e.as_login or e.login,
                    lead_id=e.lead_id,
                    lead_name=e.lead_name,
                    taken_at=e.taken_at,
                    received_at=e.settled_at or e.taken_at,
                    summary=e.summary,
                    reason=e.reason,
                    why_not="The server cannot be reached: decide when it is back.",
                )
                for e in local
            ]
            return _Loaded(waiting, review, False)

        def failed(error: BaseException) -> None:
            if not watch.handle(error):
                self.problem_label.setText(error_text(error, "The list could not be read"))

        run_in_background(read, self.show_loaded, failed, owner=self)

    def show_loaded(self, loaded: _Loaded) -> None:
        self._from_server = loaded.from_server
        self.waiting_model.set_records(loaded.waiting)
        self.review_model.set_records(loaded.review)
        watch = self.watch
        n = len(loaded.waiting)
        calls = f"{n} call{'s' if n != 1 else ''}"
        if watch.offline:
            state = (
                "<b>Offline.</b> The database server cannot be reached. Calls saved on this"
                f" computer ({n}) are sent as soon as it is back, in the order you made them."
            )
        elif n:
            state = f"{calls} saved on this computer wait{'s' if n == 1 else ''} to be sent."
        else:
            state = "Every call saved on this computer has reached the server."
        self.state_label.setText(state)
        # The warning colours only while the server is away (style.qss).
        self.state_label.setObjectName("offlineBanner" if watch.offline else "")
        self.state_label.style().unpolish(self.state_label)
        self.state_label.style().polish(self.state_label)
        self.waiting_title.setText(f"Waiting to be sent ({n})")
        whose = "the team's" if watch.team else "yours"
        self.review_title.setText(f"Held for review ({len(loaded.review)}, {whose})")
        if not loaded.review:
            hint = "Nothing is held for review."
        elif not loaded.from_server:
            hint = "The server cannot be reached: decide on these when it is back."
        else:
            hint = (
                "The lead changed while these calls waited (reassigned, decided or called by"
                " someone else), or the desk's rules refused them then: nothing of them was"
                " applied. Discard a call, or apply it anyway where that is safe."
            )
        self.review_hint.setText(hint)
        self.update_buttons()

    def selected(self) -> ReviewItem | None:
        rows = self.review_table.selectionModel().selectedRows()
        return self.review_model.record(rows[0].row()) if rows else None

    def update_buttons(self) -> None:
        item = self.selected()
        online = self._from_server and not self.watch.offline
        usable = item is not None and online and not self._busy
        self.discard_button.setEnabled(usable)
        can_apply = usable and item is not None and item.can_apply_anyway
        self.apply_button.setEnabled(can_apply)
        self.call_only_button.setEnabled(can_apply)
        why = item.why_not if item is not None else ""
        self.apply_button.setToolTip(why or "Log the call with its decision as the rep made it")
        self.send_button.setText("&Look for the server now" if self.watch.offline else "&Send now")
        waiting = bool(self.waiting_model.records)
        self.send_button.setEnabled(not self._busy and (self.watch.offline or waiting))

    # -- acting --------------------------------------------------------------------------

    def send_now(self) -> None:
        if self.watch.offline:
            self.watch.check()
        else:
            self.watch.send()

    def discard(self) -> None:
        item = self.selected()
        watch = self.watch
        db, user_id, journal = watch.db, watch.user_id, watch.journal
        if item is None or db is None or user_id is None:
            return
        answer = QMessageBox.question(
            self,
            "Discard the call",
            f"Throw away the call with {item.lead_name or 'this lead'} ({item.summary})?\n\n"
            "It will never be applied.",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Discard:
            return

        def discard_it() -> None:
            from teleprospect.services.offline.review import discard_entry

            discard_entry(db, item.client_action_id, user_id, journal=journal)

        self._run(discard_it, "The call was discarded.", "The call could not be discarded")

    def apply(self, *, without_decision: bool) -> None:
        item = self.selected()
        watch = self.watch
        db, user_id, journal = watch.db, watch.user_id, watch.journal
        if item is None or db is None or user_id is None:
            return

        def apply_it() -> object:
            from teleprospect.services.offline.review import apply_anyway

            return apply_anyway(
                db,
                item.client_action_id,
                user_id,
                without_decision=without_decision,
                journal=journal,
            )

        done = "The call was logged without its decision." if without_decision else ""
        self._run(apply_it, done or "The call was applied.", "The call could not be applied")

    def _run(self, op: Any, done: str, doing: str) -> None:
        self._busy = True
        self.problem_label.clear()
        self.update_buttons()

        def finished(_result: object) -> None:
            self._busy = False
            self.watch.window.statusBar().showMessage(done, 10_000)
            self.watch.refresh_counts()  # reads the list again when the numbers are in

        def failed(error: BaseException) -> None:
            self._busy = False
            if not self.watch.handle(error):
                self.problem_label.setText(error_text(error, doing))
            self.load()

        run_in_background(op, finished, failed, owner=self)
