"""The lead panel: who the rep is calling, why, and everything that happened so far.

Shows a :class:`~teleprospect.services.calls.lead_detail.LeadDetail` (read on a worker by the
call workspace): contact and company, the lead's local time and calling window, the
campaign and what it offered, the score with its breakdown, the engagement timeline, every
earlier call and change, possible duplicates. The contact fields are editable; saving them
goes through the workspace, which checks the lead's version (never overwrite silently).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from teleprospect.core.text import printable
from teleprospect.ui.desk.queue_model import local_datetime_text
from teleprospect.ui.rich_text import plain_html
from teleprospect.ui.signals import emit

if TYPE_CHECKING:
    from teleprospect.services.calls.lead_detail import LeadDetail
    from teleprospect.services.calls.readiness import LiveScore

#: Between a number and its unit ("13,732 employees"): they stay on one line.
NBSP = "\u00a0"

#: The contact fields a rep may correct during a call, with their labels.
CONTACT_FIELDS = (
    ("first_name", "&First name"),
    ("last_name", "&Last name"),
    ("title", "T&itle"),
    ("company", "Com&pany"),
    ("email", "E&mail"),
    ("phone_raw", "P&hone"),
    ("industry", "In&dustry"),
)


class LeadPanel(QWidget):
    """Everything about the lead on the rep's screen."""

    #: The rep saves corrected contact fields: (changes by field, the version they edited).
    contact_save_requested = Signal(dict, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: LeadDetail | None = None
        #: The score during a call, with the answers given so far (None: the stored one).
        self.live: LiveScore | None = None
        #: Why the lead is at its place in the rep's queue (None: it is not in the queue).
        self.why_now: str | None = None
        self._filling = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)

        self.header = QLabel(self)
        self.header.setObjectName("leadHeader")
        self.header.setWordWrap(True)
        self.header.setTextFormat(self.header.textFormat().RichText)
        layout.addWidget(self.header)

        self.when_label = QLabel(self)
        self.when_label.setObjectName("leadWhen")
        self.when_label.setWordWrap(True)
        layout.addWidget(self.when_label)

        self.campaign_label = QLabel(self)
        self.campaign_label.setObjectName("campaignBox")
        self.campaign_label.setWordWrap(True)
        self.campaign_label.setFrameShape(QFrame.Shape.StyledPanel)
        layout.addWidget(self.campaign_label)
        # Prose that wraps to the pane: a long name or company never widens the window.
        for label in (self.header, self.when_label, self.campaign_label):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        layout.addWidget(self.tabs, 1)
        self._setup_contact_tab()
        self.timeline = self._browser("timeline")
        self.tabs.addTab(self.timeline, "&Timeline")
        self.score_view = self._browser("scoreView")
        self.tabs.addTab(self.score_view, "Sc&ore")
        self.duplicates_view = self._browser("duplicatesView")
        self.tabs.addTab(self.duplicates_view, "Du&plicates")
        # Every tab's title stays readable: the pane is never narrower than all of them,
        # with the longest count of duplicates.
        self.tabs.setTabText(3, "Du&plicates (99)")
        self.setMinimumWidth(self.tabs.tabBar().sizeHint().width() + 8)
        self.tabs.setTabText(3, "Du&plicates")
        self.show_detail(None)

    def _browser(self, name: str) -> QTextBrowser:
        browser = QTextBrowser(self)
        browser.setObjectName(name)
        browser.setOpenLinks(False)
        return browser

    def _setup_contact_tab(self) -> None:
        page = QWidget(self)
        form = QFormLayout(page)
        self.fields: dict[str, QLineEdit] = {}
        for key, label in CONTACT_FIELDS:
            line = QLineEdit(page)
            line.setObjectName(f"contact_{key}")
            line.textEdited.connect(lambda _t: self._update_dirty())
            form.addRow(label, line)
            self.fields[key] = line
        buttons = QHBoxLayout()
        self.contact_state = QLabel(page)
        self.contact_state.setObjectName("contactState")
        self.save_contact_button = QPushButton("Save &contact", page)
        self.save_contact_button.setToolTip("Save the corrected contact details (Ctrl+Shift+S)")
        self.save_contact_button.setShortcut("Ctrl+Shift+S")
        self.save_contact_button.clicked.connect(self.request_contact_save)
        self.revert_contact_button = QPushButton("&Undo changes", page)
        self.revert_contact_button.clicked.connect(self.revert_contact)
        buttons.addWidget(self.contact_state, 1)
        buttons.addWidget(self.revert_contact_button)
        buttons.addWidget(self.save_contact_button)
        form.addRow(buttons)
        self.tabs.addTab(page, "Co&ntact")

    # -- showing ---------------------------------------------------------------------------

    def show_detail(self, detail: LeadDetail | None, *, keep_edits: bool = False) -> None:
        """Show ``detail``; ``keep_edits`` leaves contact fields the rep is editing alone."""
        edits = self.contact_changes() if keep_edits else {}
        if detail is None or self.detail is None or detail.id != self.detail.id:
            self.why_now = None  # another lead: its reason comes with its call sheet
        self.detail = detail
        self.live = None  # read again with the answers on screen
        if detail is None:
            self.header.setText("<span style='color:#5b6b7f'>No lead open.</span>")
            self.when_label.clear()
            self.campaign_label.hide()
            for line in self.fields.values():
                line.clear()
                line.setEnabled(False)
            for browser in (self.timeline, self.score_view, self.duplicates_view):
                browser.clear()
            self._update_dirty()
            return
        self.header.setText(_header_html(detail, None))
        self.when_label.setText(_when_html(detail, self.why_now))
        self.when_label.setToolTip(detail.window_text)
        self.campaign_label.setText(_campaign_html(detail))
        self.campaign_label.show()
        self._filling = True
        for key, line in self.fields.items():
            line.setEnabled(True)
            line.setText(edits.get(key, _field_text(detail, key)))
        self._filling = False
        self.timeline.setHtml(_timeline_html(detail))
        self.show_score(None)
        self.duplicates_view.setHtml(_duplicates_html(detail))
        dupes = len(detail.possible_duplicates)
        self.tabs.setTabText(3, f"Du&plicates ({dupes})" if dupes else "Du&plicates")
        self._update_dirty()

    def show_why_now(self, reason: str | None) -> None:
        """Why the lead is at its place in the rep's queue, under its local time."""
        self.why_now = reason
        if self.detail is not None:
            self.when_label.setText(_when_html(self.detail, reason))

    def show_score(self, live: LiveScore | None) -> None:
        """The score, its grade and its lines in the header and the Score tab: the stored
        ones, or during a call ``live``, with the answers given so far and the readiness
        checklist. Both come from the services; nothing is worked out here."""
        detail = self.detail
        if detail is None:
            return
        self.live = live
        self.header.setText(_header_html(detail, live))
        self.score_view.setHtml(_score_html(detail, live))

    # -- contact editing -------------------------------------------------------------------

    def contact_changes(self) -> dict[str, str]:
        """The contact fields the rep changed, with their new text."""
        detail = self.detail
        if detail is None:
            return {}
        return {
            key: line.text().strip()
            for key, line in self.fields.items()
            if line.text().strip() != _field_text(detail, key)
        }

    def _update_dirty(self) -> None:
        if self._filling:
            return
        changed = self.contact_changes()
        self.save_contact_button.setEnabled(bool(changed))
        self.revert_contact_button.setEnabled(bool(changed))
        self.contact_state.setText(
            f"{len(changed)} field{'s' if len(changed) != 1 else ''} changed" if changed else ""
        )

    def revert_contact(self) -> None:
        if self.detail is not None:
            self.show_detail(self.detail)

    def request_contact_save(self) -> None:
        changes = self.contact_changes()
        if changes and self.detail is not None:
            emit(self.contact_save_requested, changes, self.detail.version)


# -- rendering ----------------------------------------------------------------------------


def _field_text(detail: LeadDetail, key: str) -> str:
    """A contact field as its line edit shows it (and compares it, to see a change)."""
    return printable(str(getattr(detail, key) or ""))


def _score_text(score: int, grade: str, label: str) -> str:
    return f"<b>{score}</b> {plain_html(grade)} ({plain_html(label)})"


def _score_html(d: LeadDetail, live: LiveScore | None) -> str:
    if live is None:
        lines = [
            f"<h3>Score {d.score} · grade {plain_html(d.grade)} ({plain_html(d.grade_label)})</h3>"
        ]
        when = f" (stored {local_datetime_text(d.scored_at)})" if d.scored_at else ""
        lines.append(f"<p><b>Breakdown</b>{when}</p><ul>")
        lines.extend(f"<li>{plain_html(line)}</li>" for line in d.breakdown_lines)
        lines.append("</ul>")
        return "".join(lines)
    lines = [
        f"<h3>Score {live.score} · grade {plain_html(live.grade)}"
        f" ({plain_html(live.grade_label)})</h3>"
    ]
    if live.score != d.score:
        lines.append(
            f"<p>With this call's answers: saving the call stores this score"
            f" (stored now: {d.score} {plain_html(d.grade)}).</p>"
        )
    lines.append("<p><b>Sales-ready checklist</b></p><ul>")
    for check in live.readiness.checks:
        mark = "✔" if check.met else "✘"
        colour = "#1d7a3a" if check.met else "#b3261e"
        detail_text = f" — {plain_html(check.detail)}" if check.detail else ""
        lines.append(
            f"<li><span style='color:{colour}'>{mark}</span> "
            f"{plain_html(check.label)}{detail_text}</li>"
        )
    lines.append("</ul><p><b>Breakdown</b> (with this call's answers)</p><ul>")
    lines.extend(f"<li>{plain_html(line)}</li>" for line in live.lines)
    lines.append("</ul>")
    return "".join(lines)


def _header_html(d: LeadDetail, live: LiveScore | None) -> str:
    name = plain_html(f"{d.first_name} {d.last_name}".strip() or "(no name)")
    title = f"{plain_html(d.title)}, " if d.title else ""
    company = plain_html(d.company) if d.company else "no company"
    status = plain_html(d.status.label)
    owner = plain_html(d.owner_name) if d.owner_name else "nobody"
    dnc = " · <span style='color:#b3261e'><b>DO NOT CALL</b></span>" if d.do_not_call else ""
    phone = plain_html(d.phone_e164 or d.phone_raw or "no phone")
    if d.phone_raw and not d.phone_valid:
        phone += " <span style='color:#b3261e'>(not a valid number)</span>"
    if d.phone_extension:
        phone += f" ext.{NBSP}{plain_html(d.phone_extension)}"
    email = plain_html(d.email) if d.email else "no email"
    score = _score_text(d.score, d.grade, d.grade_label)
    if live is not None and live.score != d.score:
        # During a call the header follows the answers given; what is stored stays in view.
        score = (
            f"{_score_text(live.score, live.grade, live.grade_label)}"
            f" with this call's answers (stored {d.score} {plain_html(d.grade)})"
        )
    return (
        f"<span style='font-size:15pt'><b>{name}</b></span><br>"
        f"{title}<b>{company}</b>"
        f"{' · ' + plain_html(d.industry) if d.industry else ''}"
        f"{f' · {d.company_size:,}{NBSP}employees' if d.company_size else ''}<br>"
        f"<b>{phone}</b> · {email}<br>"
        f"Status <b>{status}</b> · owner {owner} · score {score}{dnc}"
    )


def _when_html(d: LeadDetail, why_now: str | None = None) -> str:
    colour = "#1d7a3a" if d.inside_window else "#b3261e"
    state = "inside the calling window" if d.inside_window else "outside the calling window"
    why = f" · why now: <b>{plain_html(why_now)}</b>" if why_now else ""
    return (
        f"Local time at the lead: <b><nobr>{plain_html(d.local_time_text)}</nobr></b> · "
        f"<span style='color:{colour}'><b>{state}</b></span>{why}"
    )


def _campaign_html(d: LeadDetail) -> str:
    if not d.campaign_name:
        source = plain_html(d.lead_source) if d.lead_source else "unknown"
        return f"No campaign recorded · source {source}"
    channel = f" ({plain_html(d.campaign_channel)})" if d.campaign_channel else ""
    offer = (
        f"<br>They got: <i>{plain_html(d.campaign_offer)}</i>"
        if d.campaign_offer
        else "<br><i>No offer recorded for this campaign.</i>"
    )
    return f"Came from <b>{plain_html(d.campaign_name)}</b>{channel}{offer}"


def _timeline_html(d: LeadDetail) -> str:
    parts: list[str] = []
    if d.enrollment is not None:
        parts.append(f"<p><b>Nurture:</b> {plain_html(d.enrollment.text)}</p>")
    if d.open_callbacks:
        parts.append("<p><b>Open callbacks</b></p><ul>")
        for callback in d.open_callbacks:
            _id, due_at, personal, owner, note = callback
            who = f"for {plain_html(owner)}" if personal and owner else "for the team"
            text = f" — {plain_html(note)}" if note else ""
            parts.append(f"<li>{local_datetime_text(due_at)} {who}{text}</li>")
        parts.append("</ul>")
    parts.append(f"<p><b>Calls</b> ({len(d.calls)})</p>")
    if not d.calls:
        parts.append("<p style='color:#5b6b7f'>No calls yet: this is the first.</p>")
    for call in reversed(d.calls):
        minutes = (
            f" · {call.duration_s // 60}:{call.duration_s % 60:02d}" if call.duration_s else ""
        )
        parts.append(
            f"<p><b>{local_datetime_text(call.at)}</b> {plain_html(call.user_name)} · "
            f"{plain_html(call.disposition_label)}{minutes}"
        )
        if call.notes:
            parts.append(f"<br><i>{plain_html(call.notes)}</i>")
        if call.answers_text:
            parts.append("<br>" + "; ".join(plain_html(text) for text in call.answers_text))
        parts.append("</p>")
    parts.append(f"<p><b>Engagement</b> ({len(d.engagement)})</p><ul>")
    for at, kind, detail in sorted(d.engagement, key=lambda e: e[0], reverse=True):
        what = f" — {plain_html(detail)}" if detail else ""
        parts.append(f"<li>{local_datetime_text(at)} {plain_html(kind)}{what}</li>")
    parts.append("</ul>")
    parts.append(f"<p><b>History</b> ({len(d.history)})</p><ul>")
    for at, by, change in sorted(d.history, key=lambda h: h[0], reverse=True):
        parts.append(
            f"<li>{local_datetime_text(at)} {plain_html(by or 'system')}: {plain_html(change)}</li>"
        )
    parts.append("</ul>")
    return "".join(parts)


def _duplicates_html(d: LeadDetail) -> str:
    if not d.possible_duplicates:
        return "<p style='color:#5b6b7f'>No possible duplicates known.</p>"
    rows = [
        f"<li>#{lead_id} <b>{plain_html(name)}</b>, {plain_html(company)} — {plain_html(why)}</li>"
        for lead_id, name, company, why in d.possible_duplicates
    ]
    return "<p>This lead may be the same person as:</p><ul>" + "".join(rows) + "</ul>"
