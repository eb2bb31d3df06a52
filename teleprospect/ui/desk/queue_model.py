"""The current user's call queue as a Qt table model: who to call now, and why.

Rows come in queue order from :func:`teleprospect.services.queue.page.queue_page`, a page of
``ROWS_TO_LOAD`` at a time as the view scrolls (``canFetchMore`` / ``fetchMore``), every
query on a worker. :meth:`QueueTableModel.reload` reads the rows already shown again in one
request and swaps them in when they arrive, so a live refresh neither empties the view
nor loses the user's place; a change of filters starts again from the top.

The Score column's tooltip explains the score line by line. The breakdown is read in the
background the first time the tooltip is asked for, and kept per lead until the next
reload; until it arrives the tooltip gives the queue reason and the grade's name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QPalette

from teleprospect.ui.background import run_in_background
from teleprospect.ui.signals import emit
from teleprospect.ui.tables.lazy_model import LazyTableModel

if TYPE_CHECKING:
    # Only for type hints: the services load with the first query (see lead_table_model).
    from teleprospect.services.queue.page import QueueEntry, QueueFilters
    from teleprospect.store.database import Database

AnyIndex = QModelIndex | QPersistentModelIndex
#: The time the services judge leases and due times by: None leaves it to the database's
#: clock (on a team server, the server's); tests give a frozen time.
NowProvider = Callable[[], datetime | None]

#: The lead's database id, whatever the column.
LEAD_ID_ROLE = Qt.ItemDataRole.UserRole + 1

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def database_clock() -> datetime | None:
    """No time of this computer's: every workstation's queue and claims follow the
    database's clock, whatever this computer's clock says (DESIGN.md §2 rule 8)."""
    return None


def local_zone() -> tzinfo:
    """The workstation's zone: reasons name times ("callback due 10:30") on the user's clock."""
    zone = datetime.now().astimezone().tzinfo
    return zone if zone is not None else UTC


def local_datetime_text(at: datetime | None) -> str:
    """``at`` on the workstation's clock, as lists show it ("2026-03-31 14:05")."""
    return at.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M") if at is not None else ""


class QueueColumn(NamedTuple):
    key: str
    title: str
    tooltip: str
    #: A long typical value: the column starts wide enough to show it.
    sample: str
    display: Callable[[QueueEntry], str]
    alignment: Qt.AlignmentFlag = _LEFT


def _score_text(entry: QueueEntry) -> str:
    return f"{entry.score} {entry.grade}"


COLUMNS: tuple[QueueColumn, ...] = (
    QueueColumn(
        "reason",
        "Why",
        "Why the lead is at this place in your queue",
        "score 77, not tried yet, untouched 75 days",
        lambda e: e.reason,
    ),
    QueueColumn("name", "Name", "First and last name", "Charlotte Thompson", lambda e: e.name),
    QueueColumn("company", "Company", "Company", "Nordwind Logistics GmbH", lambda e: e.company),
    QueueColumn("title", "Title", "Job title", "Marketing Manager", lambda e: e.title),
    QueueColumn(
        "local_time",
        "Local time",
        "The time now where the lead is (a range when the number spans several zones)",
        "Local time",
        lambda e: e.local_time,
    ),
    QueueColumn(
        "score",
        "Score",
        "Score and grade; hover a score for its breakdown",
        "Score",
        _score_text,
        _RIGHT,
    ),
    QueueColumn(
        "attempts",
        "Attempts",
        "Tries of the current round that did not reach the person (what the attempt limit counts)",
        "Attempts",
        lambda e: str(e.attempts),
        _RIGHT,
    ),
    QueueColumn(
        "last_outcome",
        "Last outcome",
        "The outcome of the last call",
        "Callback requested",
        lambda e: e.last_outcome or "",
    ),
    QueueColumn(
        "campaign",
        "Campaign",
        "The campaign the lead came from",
        "Cloud Cost Clinic",
        lambda e: e.campaign or "",
    ),
)
COLUMN_INDEX = {column.key: number for number, column in enumerate(COLUMNS)}
SCORE_COLUMN = COLUMN_INDEX["score"]


class QueueTableModel(LazyTableModel["QueueEntry"]):
    """One user's queue in queue order (the view does not sort: the order is the point)."""

    #: Rows per request: a screenful and more; the queue rarely needs a second page.
    ROWS_TO_LOAD = 50
    COLUMNS = COLUMNS

    #: A reload's rows were swapped in (after ``modelReset``).
    reloaded = Signal()

    def __init__(
        self,
        db: Database | None = None,
        user_id: int | None = None,
        parent: QObject | None = None,
        *,
        now_provider: NowProvider = database_clock,
        display_zone: tzinfo | None = None,
    ) -> None:
        super().__init__(parent)
        #: No database or no user (a login with no account): the queue stays empty.
        self._db = db
        self._user_id = user_id
        self._now = now_provider
        self._display_zone = display_zone or local_zone()
        self._filters: QueueFilters | None = None
        #: The server cannot be reached: the rows read last stay, nothing is asked.
        self._offline = False
        #: Leads whose call is kept on this computer until the server is back.
        self._kept: frozenset[int] = frozenset()
        self._breakdowns: dict[int, tuple[int, str]] = {}
        self._breakdowns_pending: set[int] = set()

    # -- state ----------------------------------------------------------------------------

    @property
    def user_id(self) -> int | None:
        return self._user_id

    @property
    def filters(self) -> QueueFilters | None:
        return self._filters

    def now(self) -> datetime | None:
        return self._now()

    def entry(self, row: int) -> QueueEntry:
        return self.rows()[row]

    def row_of_lead(self, lead_id: int) -> int | None:
        for number, entry in enumerate(self.rows()):
            if entry.lead_id == lead_id:
                return number
        return None

    def set_source(self, db: Database | None, user_id: int | None) -> None:
        """Show ``user_id``'s queue in ``db`` (None: nobody's, an empty list)."""
        if db is self._db and user_id == self._user_id:
            return
        self._db, self._user_id = db, user_id
        self.restart()

    @property
    def offline(self) -> bool:
        return self._offline

    def set_offline(self, offline: bool) -> None:
        """Keep the rows on show and ask nothing while the server cannot be reached (a
        snapshot of the queue); read them afresh when it is back."""
        if offline == self._offline:
            return
        self._offline = offline
        if offline:
            self.new_generation()  # answers still on the way would replace the snapshot
            self._set_loading(False)
        else:
            self.reload()

    def set_kept(self, lead_ids: set[int] | frozenset[int]) -> None:
        """Mark the rows of leads whose call is kept on this computer (worked already)."""
        kept = frozenset(lead_ids)
        if kept == self._kept:
            return
        self._kept = kept
        if self.rowCount():
            last = self.index(self.rowCount() - 1, self.columnCount() - 1)
            emit(self.dataChanged, self.index(0, 0), last)

    def held_rows(self) -> list[QueueEntry]:
        """The rows of leads this user holds, in queue order."""
        return [entry for entry in self.rows() if entry.claimed_by_me]

    def set_filters(self, filters: QueueFilters | None) -> None:
        if filters == self._filters:
            return
        self._filters = filters
        self.restart()

    def reload(self) -> None:
        """Read the rows on show again (at least a page), and swap them in when they arrive."""
        if not self.can_query():
            return
        generation = self.new_generation()
        self._set_loading(True)
        limit = max(len(self.rows()), self.ROWS_TO_LOAD)
        run_in_background(
            self._reader(0, limit),
            lambda rows: self._reloaded(generation, rows, limit),
            lambda error: self.read_failed(generation, error),
            owner=self,
        )

    def _reloaded(self, generation: int, rows: list[QueueEntry], limit: int) -> None:
        if self.replace_rows(generation, rows, all_loaded=len(rows) < limit):
            emit(self.reloaded)

    # -- lazy loading ---------------------------------------------------------------------

    def can_query(self) -> bool:
        return self._db is not None and self._user_id is not None and not self._offline

    def row_key(self, row: QueueEntry) -> int:
        return row.lead_id

    def page_reader(self, rows: Sequence[QueueEntry], limit: int) -> Callable[[], list[QueueEntry]]:
        # The queue moves as reps claim: it is read by position, and rows never repeat.
        return self._reader(len(rows), limit)

    def _reader(self, offset: int, limit: int) -> Callable[[], list[QueueEntry]]:
        db, user_id, filters = self._db, self._user_id, self._filters
        # The clock is read on the GUI thread: the provider may be a test's frozen time.
        now, zone = self._now(), self._display_zone
        assert db is not None and user_id is not None

        def read() -> list[QueueEntry]:
            from teleprospect.services.queue.page import queue_page

            return queue_page(
                db,
                user_id,
                now=now,
                limit=limit,
                offset=offset,
                filters=filters,
                display_zone=zone,
            )

        return read

    # -- score breakdowns -----------------------------------------------------------------

    def forget(self) -> None:
        # Scores move (decay, new events, rule changes): a reload reads them afresh.
        self._breakdowns.clear()
        self._breakdowns_pending.clear()

    def breakdown_text(self, lead_id: int) -> str | None:
        """The lead's score breakdown as tooltip text, once read."""
        found = self._breakdowns.get(lead_id)
        return found[1] if found is not None else None

    def _request_breakdown(self, lead_id: int) -> None:
        if lead_id in self._breakdowns_pending or not self.can_query():
            return
        self._breakdowns_pending.add(lead_id)
        # Started from the event loop, never from inside data(): the answer changes data,
        # and a view must not be told so while it is still asking.
        generation = self.generation
        QTimer.singleShot(0, self, lambda: self._read_breakdown(lead_id, generation))

    def _read_breakdown(self, lead_id: int, generation: int) -> None:
        db = self._db
        if db is None or generation != self.generation:
            return

        def read() -> tuple[int, str]:
            from teleprospect.services.scoring.scores import score_breakdown

            # The breakdown of the stored score: the number the queue shows.
            breakdown = score_breakdown(db, lead_id)
            lines = [line.text for line in breakdown.lines]
            head = f"Score {breakdown.total}: grade {breakdown.grade} ({breakdown.grade_label})"
            return breakdown.total, "\n".join([head, *lines])

        run_in_background(
            read,
            lambda found: self._breakdown_read(generation, lead_id, found),
            # No breakdown is no reason to interrupt anyone: the reason stays the tooltip.
            lambda _error: self._breakdowns_pending.discard(lead_id),
            owner=self,
        )

    def _breakdown_read(self, generation: int, lead_id: int, found: tuple[int, str]) -> None:
        if generation != self.generation:
            return
        self._breakdowns[lead_id] = found
        row = self.row_of_lead(lead_id)
        if row is not None:
            index = self.index(row, SCORE_COLUMN)
            emit(self.dataChanged, index, index, [Qt.ItemDataRole.ToolTipRole])

    # -- cells --------------------------------------------------------------------------

    def row_data(self, entry: QueueEntry, column_number: int, role: int) -> Any:
        column = COLUMNS[column_number]
        kept = entry.lead_id in self._kept
        if kept and column.key == "reason":
            if role == Qt.ItemDataRole.DisplayRole:
                return "call saved on this computer"
            if role == Qt.ItemDataRole.ToolTipRole:
                return "Your call is kept on this computer and sent when the server is back."
        if kept and role == Qt.ItemDataRole.ForegroundRole:
            return QPalette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(entry)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.alignment
        if role == Qt.ItemDataRole.FontRole and entry.claimed_by_me and not kept:
            # The lead the user is working stands out wherever it sits in the queue.
            font = QFont()
            font.setBold(True)
            return font
        if role == LEAD_ID_ROLE:
            return entry.lead_id
        return None

    def _tooltip(self, entry: QueueEntry, column: QueueColumn) -> str | None:
        if column.key == "score":
            found = self._breakdowns.get(entry.lead_id)
            if found is not None:
                total, text = found
                if total != entry.score:
                    # Read after the row: the lead was re-scored meanwhile (a call, new
                    # activity, new rules). Say so rather than show two numbers unexplained.
                    text += (
                        f"\n\nThe score changed from {entry.score} since this list was read;"
                        " the queue shows it at its next refresh."
                    )
                return text
            self._request_breakdown(entry.lead_id)
            return f"{entry.reason}\nGrade {entry.grade}: {entry.grade_label}"
        if column.key == "reason" and entry.claimed_by_me:
            return f"{entry.reason}\nYou hold this lead"
        text = column.display(entry)
        # Long values may be cut off by the column width; short ones need no tooltip.
        return text if len(text) > 12 else None
