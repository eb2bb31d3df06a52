"""The rep's desk: the Queue tab of the main window.

The queue view and its filters, Next lead and Release, the panel saying which lead is on
hand, the lease kept alive while it is, and the live refresh that shows other
workstations' claims. Each action is one service call on a worker
(:func:`~teleprospect.services.queue.claims.next_lead` claims and releases in one
transaction); the widgets are the main window's form, driven from here.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import QLabel

from teleprospect.ui.background import run_in_background
from teleprospect.ui.desk.queue_model import COLUMNS as QUEUE_COLUMNS
from teleprospect.ui.desk.queue_model import LEAD_ID_ROLE, QueueTableModel, local_zone
from teleprospect.ui.rich_text import plain_html
from teleprospect.ui.tables.table_columns import fit_columns_to_samples, setup_lead_table_view

if TYPE_CHECKING:
    from teleprospect.services.calls.drafts import CallDraft
    from teleprospect.services.queue.claims import ClaimedLead, OpenedLead
    from teleprospect.services.queue.page import FilterChoices, QueueEntry, QueueSignature
    from teleprospect.ui.main_window import MainWindow

log = logging.getLogger(__name__)

#: How often the queue asks whether it changed, while it is on screen. Other workstations'
#: claims show within this time; each ask is a few index look-ups.
QUEUE_POLL_MS = 10_000
#: How often a held lead's lease is renewed: well inside services.queue.DEFAULT_LEASE, so
#: one missed renewal (a busy server) does not lose the lead.
CLAIM_RENEW_MS = 60_000
#: The queue statuses a rep can filter on (the others never reach a queue).
QUEUE_STATUSES = (("new", "New"), ("working", "Working"), ("nurture", "Nurture"))


class QueueDesk(QObject):
    """The Queue tab's behaviour, on the main window's form."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ui = window.ui
        #: The lead this workstation holds from "Next lead", until released.
        self.claimed: ClaimedLead | None = None
        self.claiming = False
        self.polling = False
        self._signature: QueueSignature | None = None
        # Re-selected when the queue's rows are swapped in by a reload.
        self._reselect_lead: int | None = None
        self._scroll = 0
        #: Leads whose call was kept on this computer during this outage: worked already.
        self.worked_offline: set[int] = set()
        self.model = QueueTableModel(None, None, self, now_provider=window.now_provider)
        self.setup_view()
        self.setup_offline_banner()
        self.setup_filters()
        self.setup_timers()
        self.update_actions()
        self.show_claim(None)

    # -- set-up ------------------------------------------------------------------------

    def setup_view(self) -> None:
        ui = self.ui
        self.model.load_failed.connect(
            lambda error: self.window.show_error("The queue could not be read", error)
        )
        self.model.modelAboutToBeReset.connect(self._remember_place)
        self.model.reloaded.connect(self._restore_place)
        table = ui.queueTable
        table.setModel(self.model)
        setup_lead_table_view(table)  # the queue's order is the point of it: no sorting
        fit_columns_to_samples(table, QUEUE_COLUMNS)
        ui.nextLeadButton.clicked.connect(self.next_lead)
        ui.releaseButton.clicked.connect(self.release_lead)
        ui.mainTabs.currentChanged.connect(self.on_tab_changed)

    def setup_offline_banner(self) -> None:
        """Above the queue while the server cannot be reached: what the list is, and what
        can be done without the server."""
        banner = QLabel(self.ui.queueTab)
        banner.setObjectName("offlineBanner")
        banner.setWordWrap(True)
        banner.setTextFormat(Qt.TextFormat.RichText)
        banner.hide()
        self.ui.queueTabLayout.insertWidget(1, banner)
        self.offline_banner = banner
        self.model.reloaded.connect(self.prefetch_held_leads)
        self.model.rowsInserted.connect(lambda *_: self.prefetch_held_leads())

    def setup_filters(self) -> None:
        ui = self.ui
        ui.campaignFilter.addItem("All campaigns", None)
        ui.statusFilter.addItem("All statuses", None)
        for value, text in QUEUE_STATUSES:
            ui.statusFilter.addItem(text, value)
        ui.gradeFilter.addItem("All grades", None)
        for combo in (ui.campaignFilter, ui.statusFilter, ui.gradeFilter):
            combo.currentIndexChanged.connect(self.apply_filters)

    def setup_timers(self) -> None:
        self.claim_renew_timer = QTimer(self)
        self.claim_renew_timer.setInterval(CLAIM_RENEW_MS)
        self.claim_renew_timer.timeout.connect(self.renew_claim)
        # Polling rather than LISTEN/NOTIFY: it works the same on SQLite and PostgreSQL, and
        # each poll is a few index look-ups (services.queue.page.queue_signature).
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(QUEUE_POLL_MS)
        self.poll_timer.timeout.connect(self.poll_queue)

    def connect_workspace(self) -> None:
        """Enter or a double-click on a queue row opens the lead in the Call tab."""
        self.ui.queueTable.doubleClicked.connect(self.open_queue_row)
        self.ui.queueTable.activated.connect(self.open_queue_row)

    # -- state -------------------------------------------------------------------------

    def set_user(self, user_id: int | None) -> None:
        """Show ``user_id``'s queue (None: the login has no account, so no queue)."""
        self.model.set_source(self.window.db if user_id is not None else None, user_id)
        self.update_actions()
        if self.claimed is None:
            self.show_claim(None)

    def update_actions(self) -> None:
        """Enable Next lead and Release for what can be done now, and say why not."""
        ui, window = self.ui, self.window
        if window.db is None or window.current_user is None:
            why = "Waiting for the database…"
        elif window.queue_user_id is None:
            why = (
                f"Your login “{window.current_user.login}” is not a Teleprospect "
                "user: ask an admin to add you to get a queue"
            )
        elif self.claiming:
            why = "Claiming the next lead…"
        else:
            why = ""
        can_claim = not why
        ui.actionNextLead.setEnabled(can_claim)
        ui.nextLeadButton.setEnabled(can_claim)
        if window.offline.offline and not why:
            tip = "Offline: open the next of the leads you hold (Ctrl+N)"
        else:
            tip = why or "Claim the top lead of your queue (Ctrl+N)"
        ui.nextLeadButton.setToolTip(tip)
        held = self.claimed is not None
        ui.actionReleaseLead.setEnabled(held)
        ui.releaseButton.setVisible(held)

    def on_screen(self) -> bool:
        window = self.window
        return (
            self.ui.mainTabs.currentWidget() is self.ui.queueTab
            and window.isVisible()
            and not window.isMinimized()
        )

    def on_tab_changed(self, _index: int) -> None:
        if self.on_screen():
            # Catch up at once on what happened while the queue was hidden.
            self._signature = None
            self.poll_queue()

    def claim_reason(self, lead_id: int) -> str | None:
        """Why the lead on hand came up (its claim's reason), for the workspace."""
        claimed = self.claimed
        return claimed.reason if claimed is not None and claimed.lead_id == lead_id else None

    def hold(self, claimed: ClaimedLead | None) -> None:
        """``claimed`` is the lead on hand from now on (a lead claimed back by an undo)."""
        self._hold(claimed)

    def _hold(self, claimed: ClaimedLead | None) -> None:
        """``claimed`` is the lead on hand from now on (None: none)."""
        self.claimed = claimed
        if claimed is not None:
            self.claim_renew_timer.start()
        else:
            self.claim_renew_timer.stop()
        self.show_claim(claimed)
        self.update_actions()

    # -- live refresh ------------------------------------------------------------------

    def poll_queue(self) -> None:
        """Reload the queue if it changed since the last look (the poll timer's slot)."""
        db, user_id = self.window.db, self.window.queue_user_id
        offline = self.window.offline.offline
        if db is None or user_id is None or self.polling or offline or not self.on_screen():
            return
        depth = max(self.model.rowCount(), QueueTableModel.ROWS_TO_LOAD)
        now, filters = self.window.now_provider(), self.model.filters

        def signature() -> QueueSignature:
            from teleprospect.services.queue.page import queue_signature

            return queue_signature(db, user_id, now=now, depth=depth, filters=filters)

        def compared(found: QueueSignature) -> None:
            self.polling = False
            if found != self._signature:
                self._signature = found
                self.model.reload()

        def failed(error: BaseException) -> None:
            # A poll that fails is tried again in a few seconds: no dialog every 10 s.
            self.polling = False
            if self.window.offline.handle(error):
                return
            log.warning("queue poll failed", exc_info=error)
            self.window.statusBar().showMessage("The queue could not be refreshed.", QUEUE_POLL_MS)

        self.polling = True
        run_in_background(signature, compared, failed, owner=self)

    # -- next lead, release, renew -----------------------------------------------------

    def next_lead(self) -> None:
        """Claim the top lead of the queue (Ctrl+N); the lead on show goes back to the queue."""
        window = self.window
        db, user_id = window.db, window.queue_user_id
        if db is None or user_id is None or self.claiming or not self.may_leave_lead_on_show():
            return
        if window.offline.offline:
            self.next_held_lead()
            return
        previous = self.claimed.lead_id if self.claimed is not None else None
        now, filters, zone = window.now_provider(), self.model.filters, local_zone()

        def claim() -> ClaimedLead | None:
            from teleprospect.services.queue.claims import next_lead

            return next_lead(
                db, user_id, release=previous, now=now, filters=filters, display_zone=zone
            )

        self.claiming = True
        self.update_actions()
        self.ui.claimLabel.setText("Claiming the next lead…")
        run_in_background(claim, self.on_claimed, self.on_claim_failed, owner=self)

    def may_leave_lead_on_show(self) -> bool:
        """Whether the rep may go to another lead: asked when the call on show is unsaved."""
        workspace = self.window.workspace
        if workspace is None or not workspace.has_unsaved_work():
            return True
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(
            self.window,
            "Next lead",
            "The call on show is not saved. Skip it and give the lead back?\n\n"
            "What you typed is kept on this computer and offered again next time.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        workspace.flush_draft()
        return True

    def on_claimed(self, claimed: ClaimedLead | None) -> None:
        self.claiming = False
        self._hold(claimed)
        workspace = self.window.workspace
        if claimed is not None:
            self._reselect_lead = claimed.lead_id
            self.window.open_in_workspace(claimed.lead_id)
        else:
            self.show_claim(None, note="Nobody in your queue can be called right now.")
            if workspace is not None:
                workspace.close_lead()
            # Where the rep reads that nobody can be called right now, and why.
            self.ui.mainTabs.setCurrentWidget(self.ui.queueTab)
        self.model.reload()

    def on_claim_failed(self, error: BaseException) -> None:
        # Nothing changed (one transaction): the lead on show is still held.
        self.claiming = False
        self.show_claim(self.claimed)
        self.update_actions()
        if self.window.offline.handle(error):
            self.next_held_lead()
            return
        self.window.show_error("The next lead could not be claimed", error)

    def release_lead(self) -> None:
        """Give the lead on show back to the queue."""
        db, user_id, claimed = self.window.db, self.window.queue_user_id, self.claimed
        if db is None or user_id is None or claimed is None:
            return
        if self.window.offline.offline:
            self.put_down_offline(claimed)
            return
        # What was typed goes with the release, but comes back should it be undone.
        workspace = self.window.workspace
        on_show = workspace is not None and workspace.lead_id == claimed.lead_id
        draft = workspace.current_draft() if workspace is not None and on_show else None

        def release() -> bool:
            from teleprospect.services.queue.claims import release_claim

            return release_claim(db, claimed.lead_id, user_id)

        def released(_held: bool) -> None:
            # Not held any more (the lease ran out and someone took it) ends the same way.
            workspace = self.window.workspace
            if workspace is not None and workspace.lead_id == claimed.lead_id:
                workspace.close_lead()
            self._hold(None)
            self.window.feedback.released(claimed, draft)
            self.model.reload()

        run_in_background(
            release,
            released,
            lambda error: self.window.show_error("The lead could not be released", error),
            owner=self,
        )

    def renew_claim(self) -> None:
        """Keep the lease of the lead on show (the renew timer's slot)."""
        db, user_id, claimed = self.window.db, self.window.queue_user_id, self.claimed
        if db is None or user_id is None or claimed is None or self.window.offline.offline:
            return
        now = self.window.now_provider()

        def renew() -> datetime:
            from teleprospect.services.queue.claims import renew_claim

            return renew_claim(db, claimed.lead_id, user_id, now=now)

        def renewed(expires: datetime) -> None:
            if self.claimed is not None and self.claimed.lead_id == claimed.lead_id:
                self.claimed = replace(self.claimed, claim_expires_at=expires)
                self.show_claim(self.claimed)

        def lost(error: BaseException) -> None:
            from teleprospect.services.queue.claims import ClaimNotHeld

            if not isinstance(error, ClaimNotHeld):
                if self.window.offline.handle(error):
                    return
                # Tried again at the next tick; the lease outlasts a few missed renewals.
                log.warning("renewing the claim failed", exc_info=error)
                return
            if self.claimed is not None and self.claimed.lead_id == claimed.lead_id:
                from teleprospect.ui.errors import error_text

                self._hold(None)
                self.show_claim(None, note=error_text(error))
                self.model.reload()

        run_in_background(renew, renewed, lost, owner=self)

    def call_saved(self, then_next: bool, saved: object = None) -> None:
        """The call is in the database (or kept on this computer) and the lead released:
        on to the next one."""
        from teleprospect.services.offline.actions import KeptCall

        if isinstance(saved, KeptCall):
            self.worked_offline.add(saved.lead_id)
            self.model.set_kept(self.worked_offline)
        self._hold(None)
        if then_next:
            self.next_lead()
        else:
            # The Call tab stays, cleared, with Next lead; the status bar says what was saved.
            self.model.reload()

    # -- without the server --------------------------------------------------------------

    def on_offline(self) -> None:
        """The server cannot be reached: the queue as read last, marked so; Next lead
        moves among the leads this workstation holds."""
        self.model.set_offline(True)
        read_at = self.model.rows_read_at
        when = (
            f"as it was at {read_at.astimezone(local_zone()):%H:%M}"
            if read_at is not None
            else "as far as it was read"
        )
        self.offline_banner.setText(
            f"<b>Offline</b> — the database server cannot be reached. This is your queue {when}."
            " <b>Next lead</b> moves among the leads you hold (in bold); no other lead can be"
            " claimed until the server is back. Calls you save are kept on this computer."
        )
        self.offline_banner.show()
        self.show_claim(self.claimed)
        self.update_actions()

    def on_back(self) -> None:
        """The server is back and what was kept here was sent: the live queue again."""
        self.worked_offline.clear()
        self.model.set_kept(self.worked_offline)
        self.offline_banner.hide()
        self.model.set_offline(False)
        self._signature = None
        self.update_actions()
        if self.claimed is not None:
            # The lease may have run out meanwhile: take it again, or learn who has it.
            self.renew_claim()
        self.show_claim(self.claimed)

    def next_held_lead(self) -> None:
        """Next lead without the server: the next lead this workstation holds that was not
        worked during the outage and can be shown (it was read before); else why not."""
        window, workspace = self.window, self.window.workspace
        previous = self.claimed.lead_id if self.claimed is not None else None
        held = [
            entry
            for entry in self.model.held_rows()
            if entry.lead_id != previous and entry.lead_id not in self.worked_offline
        ]
        ready = [e for e in held if workspace is not None and workspace.can_open_offline(e.lead_id)]
        if not ready:
            if held:
                why = (
                    "The database server cannot be reached, so no new lead can be claimed, and"
                    " the other leads you hold were not opened before it went away."
                )
            else:
                why = (
                    "The database server cannot be reached, so no new lead can be claimed, and"
                    " you hold no other lead to call."
                )
            why += " The calls you save are kept on this computer and sent when it is back."
            window.statusBar().showMessage(why, 15_000)
            if self.claimed is None:
                if workspace is not None:
                    workspace.close_lead()
                self.ui.mainTabs.setCurrentWidget(self.ui.queueTab)
            self.show_claim(self.claimed, note=why)
            return
        self.next_held_lead_entry(ready[0])

    def put_down_offline(self, claimed: ClaimedLead) -> None:
        """Release without the server: the lead leaves the screen; its claim on the server
        runs out by itself (nobody else could take it over before)."""
        workspace = self.window.workspace
        if workspace is not None and workspace.lead_id == claimed.lead_id:
            workspace.close_lead()
        self._hold(None)
        self.window.statusBar().showMessage(
            f"{claimed.name} is put down; the server gives the lead back to the queue when its"
            " claim runs out.",
            10_000,
        )

    def prefetch_held_leads(self) -> None:
        """Read ahead the call sheets of the leads this rep holds: they can be opened while
        the server is away."""
        workspace = self.window.workspace
        if workspace is None or self.window.offline.offline:
            return
        for entry in self.model.held_rows():
            workspace.prefetch(entry.lead_id)

    # -- opening a lead by hand --------------------------------------------------------

    def open_queue_row(self, index: QModelIndex | QPersistentModelIndex) -> None:
        """Enter or a double-click on a queue row: open that lead (claimed, or read-only
        when another rep holds it)."""
        lead_id = index.data(LEAD_ID_ROLE)
        if lead_id is not None:
            self.open_specific_lead(int(lead_id))

    def open_specific_lead(self, lead_id: int, draft: CallDraft | None = None) -> None:
        window = self.window
        db, user_id = window.db, window.queue_user_id
        if db is None or user_id is None:
            return
        if self.claimed is not None and self.claimed.lead_id == lead_id:
            window.open_in_workspace(lead_id, draft=draft)
            return
        if window.offline.offline:
            self.open_held_lead_offline(lead_id, draft)
            return
        previous = self.claimed.lead_id if self.claimed is not None else None
        now = window.now_provider()

        def open_it() -> OpenedLead:
            from teleprospect.services.queue.claims import open_lead

            # The lead on show goes back to the queue in the same transaction, unless
            # this one opens read-only.
            return open_lead(db, lead_id, user_id, release=previous, now=now)

        def opened(found: OpenedLead) -> None:
            if found.read_only:
                window.open_in_workspace(lead_id, read_only=True, holder=found.holder_name or "")
                return
            if found.claim is not None:
                self._hold(found.claim)
            window.open_in_workspace(lead_id, draft=draft)
            self.model.reload()

        run_in_background(
            open_it,
            opened,
            lambda error: window.show_error("The lead could not be opened", error),
            owner=self,
        )

    def open_held_lead_offline(self, lead_id: int, draft: CallDraft | None) -> None:
        """A queue row opened without the server: only a lead this workstation holds."""
        window, workspace = self.window, self.window.workspace
        row = self.model.row_of_lead(lead_id)
        entry = self.model.entry(row) if row is not None else None
        if entry is None or not entry.claimed_by_me:
            window.statusBar().showMessage(
                "Offline: only the leads you hold can be opened until the server is back.",
                10_000,
            )
            return
        if workspace is None or not workspace.can_open_offline(lead_id):
            window.statusBar().showMessage(
                "Offline: this lead was not opened before the server went away, so it cannot"
                " be shown until it is back.",
                10_000,
            )
            return
        if not self.may_leave_lead_on_show():
            return
        self.worked_offline.discard(lead_id)
        self.next_held_lead_entry(entry, draft)

    def next_held_lead_entry(self, entry: QueueEntry, draft: CallDraft | None = None) -> None:
        from teleprospect.services.queue.claims import ClaimedLead

        claim = ClaimedLead(
            lead_id=entry.lead_id,
            name=entry.name,
            company=entry.company,
            phone_e164=entry.phone_e164,
            local_time=entry.local_time,
            reason=entry.reason,
            tier=entry.tier,
            claim_expires_at=self.window.now_provider() or datetime.now(UTC),
            callback_id=entry.callback_id,
        )
        self._hold(claim)
        self.select_lead(entry.lead_id)
        self.window.open_in_workspace(entry.lead_id, draft=draft)

    # -- the claim panel ---------------------------------------------------------------

    def show_claim(self, claimed: ClaimedLead | None, *, note: str = "") -> None:
        """The panel under Next lead: the lead on hand, or what to do to get one."""
        label = self.ui.claimLabel
        if claimed is None:
            window = self.window
            if window.queue_user_id is None and window.current_user is not None:
                text = "You have no queue: your login is not a Teleprospect user."
            elif note:
                text = plain_html(note)
            else:
                text = "Press <b>Next lead</b> (Ctrl+N) to claim the top lead of your queue."
            label.setText(text)
            return
        phone = plain_html(claimed.phone_e164 or "no valid phone number")
        if self.window.offline.offline:
            held = "held by you (offline)"
        else:
            expires = claimed.claim_expires_at.astimezone(local_zone()).strftime("%H:%M")
            held = f"yours until {expires}"
        company = f" · {plain_html(claimed.company)}" if claimed.company else ""
        extra = f"<br>{plain_html(note)}" if note else ""
        label.setText(
            f"<b>{plain_html(claimed.name)}</b>{company}<br>"
            f"<b>{phone}</b> · local time {plain_html(claimed.local_time)}"
            f" · {plain_html(claimed.reason)} · {held}{extra}"
        )

    # -- filters -----------------------------------------------------------------------

    def read_filter_choices(self) -> None:
        db = self.window.db
        if db is None:
            return

        def read() -> FilterChoices:
            from teleprospect.services.queue.page import queue_filter_choices

            return queue_filter_choices(db)

        run_in_background(
            read,
            self.show_filter_choices,
            # The queue works unfiltered without them: the log is enough.
            lambda error: log.warning("queue filters could not be read", exc_info=error),
            owner=self,
        )

    def show_filter_choices(self, choices: FilterChoices) -> None:
        ui = self.ui
        for combo, items in (
            (ui.campaignFilter, [(name, campaign_id) for campaign_id, name in choices.campaigns]),
            (ui.gradeFilter, [(f"{grade} — {label}", grade) for grade, label in choices.grades]),
        ):
            chosen = combo.currentData()
            # Refilled quietly: the filter in force stays, and no reload is set off.
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for text, value in items:
                combo.addItem(text, value)
            found = combo.findData(chosen)
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)
            # The box is kept narrow; its list opens wide enough for whole campaign names.
            combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)
            if found < 0 and chosen is not None:
                self.apply_filters()

    def apply_filters(self) -> None:
        from teleprospect.core.lifecycle import LeadStatus
        from teleprospect.services.queue.page import QueueFilters

        ui = self.ui
        status = ui.statusFilter.currentData()
        filters = QueueFilters(
            campaign_id=ui.campaignFilter.currentData(),
            status=LeadStatus(status) if status else None,
            grade=ui.gradeFilter.currentData(),
        )
        self._signature = None
        self.model.set_filters(None if filters == QueueFilters() else filters)

    # -- keeping the user's place ------------------------------------------------------

    def _remember_place(self) -> None:
        table = self.ui.queueTable
        selected = table.selectionModel().selectedRows() if table.selectionModel() else []
        if self._reselect_lead is None and selected:
            self._reselect_lead = selected[0].data(LEAD_ID_ROLE)
        self._scroll = table.verticalScrollBar().value()

    def _restore_place(self) -> None:
        """After a reload: the same lead selected and the same rows in sight."""
        table = self.ui.queueTable
        table.verticalScrollBar().setValue(self._scroll)
        lead_id, self._reselect_lead = self._reselect_lead, None
        if lead_id is not None:
            self.select_lead(lead_id)

    def select_lead(self, lead_id: int) -> bool:
        """Select the lead's row in the queue, if it is among the rows read."""
        row = self.model.row_of_lead(lead_id)
        if row is None:
            return False
        table = self.ui.queueTable
        table.selectRow(row)
        table.scrollTo(self.model.index(row, 0))
        return True
