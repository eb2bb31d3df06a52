"""Long writes that never lock anyone out (DESIGN.md rule 9), and never show half their work.

SQLite has one writer at a time: a transaction holding the write lock for a minute would
leave every workstation waiting, then failing with "database is locked". So on SQLite a
:class:`LongWrite` (an import, a demo load) runs as many short transactions, each
:meth:`LongWrite.step` sized to take about :data:`STEP_TARGET_S`, with a breath between
them for the claims waiting. The rows it adds are hidden until it is done
(:mod:`teleprospect.store.visibility`); :meth:`LongWrite.publish` shows them all in one
short transaction. Changes to rows that existed before are kept aside
(``staged_lead_change``) and applied after that, lead by lead, in short transactions too.

A write that fails or is cancelled removes its rows itself, in short transactions. A
write whose process was killed cannot: :func:`abandoned_writes` finds it by its host and
process, and :func:`discard_write` removes its rows (the next start or import does it).

On PostgreSQL readers never wait for writers (MVCC): a long write stays one transaction,
its rows are never staged, and :meth:`LongWrite.step` and :meth:`LongWrite.publish` only
mark the places where SQLite would commit.
"""

from __future__ import annotations

import gc
import logging
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, cast

from sqlalchemy import Connection, Table, delete, insert, select, update
from sqlalchemy.orm import Session

from teleprospect.store.database import BRIEF_BUSY_TIMEOUT_MS, Database, take_write_lock
from teleprospect.store.models import (
    Campaign,
    EngagementEvent,
    HandoffBatch,
    ImportBatch,
    Lead,
    ReassignmentBatch,
    StagedLeadChange,
    StagedWrite,
    User,
)
from teleprospect.store.types import utcnow
from teleprospect.store.visibility import (
    OWN_WRITE,
    STAGED_MODELS,
    STAGING,
    hide_staged_rows,
    stage_new_rows,
)

__all__ = [
    "APPLYING",
    "STEP_TARGET_S",
    "AbandonedWrite",
    "ChunkSizer",
    "LongWrite",
    "abandoned_writes",
    "discard_abandoned_writes",
    "discard_write",
    "in_short_transactions",
]

log = logging.getLogger(__name__)

#: How long one step of a long write holds SQLite's write lock, aimed at: short enough that
#: the longest, with a slow page or two, stays under the ~200 ms of DESIGN.md rule 9.
STEP_TARGET_S = 0.04
#: The pause after each step, for the workstations waiting for the lock: their short tries
#: come every few milliseconds (Database.write), so one of them gets in. Those that say
#: they wait (Database.waiting_room) are let in first, for at most LETTING_IN_AT_MOST_S.
BREATH_S = 0.004
LETTING_IN_AT_MOST_S = 0.25
#: Rows a long write writes between two checkpoints of SQLite's write-ahead log: seldom
#: enough that pages written again and again are copied into the file once per several
#: steps, often enough that the log stays tens of megabytes.
CHECKPOINT_EVERY_ROWS = 20_000
#: How long a step may wait for the lock (others hold it for milliseconds at a time).
LOCK_PATIENCE_S = 30.0
#: ``staged_write.state`` of a write whose rows are visible and whose changes to existing
#: leads are being applied.
APPLYING = "applying"
#: How often a write under way says it is alive, and when a write on another host that
#: stopped saying so counts as abandoned.
HEARTBEAT_EVERY = timedelta(seconds=5)
ABANDONED_AFTER = timedelta(minutes=10)

_HOST = socket.gethostname()[:255]
#: The staged writes this process is writing right now.
_LIVE: set[int] = set()


# ----------------------------------------------------------------------------- sizes


class ChunkSizer:
    """How many items the next short transaction takes, so that it lasts about ``target``
    seconds: learnt from the ones before (the machine, the database's size and the other
    work going on all change it)."""

    def __init__(
        self,
        first: int = 100,
        *,
        target: float = STEP_TARGET_S,
        least: int = 1,
        most: int = 20_000,
    ) -> None:
        self.target = target
        self.least = least
        self.most = most
        self._size = max(least, min(first, most))
        self._per_item: float | None = None

    @property
    def size(self) -> int:
        return self._size

    def took(self, items: int, seconds: float) -> None:
        if items <= 0:
            return
        per_item = seconds / items
        # Smoothed, but quick to shrink: one slow chunk says more than many fast ones.
        known = self._per_item
        if known is None:
            known = per_item
        elif per_item > known:
            known = 0.5 * known + 0.5 * per_item
        else:
            known = 0.8 * known + 0.2 * per_item
        self._per_item = known
        wanted = int(self.target / max(known, 1e-7))
        # Grow at most twofold at a time: a fast chunk may have been a lucky one.
        self._size = max(self.least, min(wanted, self._size * 2, self.most))


# ----------------------------------------------------------------------------- processes


def _process_start(pid: int) -> str:
    """What tells process ``pid`` from a later one with the same id (Linux: the boot and
    the start time); "" where that cannot be known."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        boot = Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
    except OSError:
        return ""
    fields = stat[stat.rindex(")") + 2 :].split()
    return f"{boot[:8]}:{fields[19]}" if len(fields) > 19 else ""


def _process_gone(pid: int) -> bool:
    """Process ``pid`` has ended (a zombie waiting for its parent has ended too)."""
    if pid <= 0:
        return True
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import ctypes

        process = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # query limited
        if not process:
            return True
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(process, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(process)
        return code.value != 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # someone else's process, alive
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    return stat[stat.rindex(")") + 2 :][:1] in ("Z", "X")


_OWN_START = _process_start(os.getpid())


@dataclass(frozen=True)
class AbandonedWrite:
    id: int
    kind: str
    state: str
    about: str
    login: str
    started_at: datetime


def _abandoned(row: Any, now: datetime) -> bool:
    if row.host != _HOST:
        return bool(row.heartbeat_at < now - ABANDONED_AFTER)
    if row.pid == os.getpid() and row.process_started == _OWN_START:
        return row.id not in _LIVE
    if _process_gone(row.pid):
        return True
    # The id now belongs to another process: the writer is gone.
    return bool(row.process_started and _process_start(row.pid) not in ("", row.process_started))


def abandoned_writes(db: Database) -> list[AbandonedWrite]:
    """The long writes whose process is gone (killed, crashed), oldest first. Read only."""
    if not db.is_sqlite:
        return []  # a PostgreSQL write is one transaction: the server rolls a dead one back
    now = utcnow()
    with db.read() as session:
        rows = session.execute(select(StagedWrite).order_by(StagedWrite.id)).scalars().all()
        return [
            AbandonedWrite(r.id, r.kind, r.state, r.about, r.login, r.started_at)
            for r in rows
            if _abandoned(r, now)
        ]


# ----------------------------------------------------------------------------- removing


def in_short_transactions(
    db: Database,
    ids: Sequence[int],
    work: Any,
    *,
    sizer: ChunkSizer | None = None,
) -> None:
    """``work(session, chunk)`` over ``ids``, one short write transaction per chunk."""
    sizer = sizer or ChunkSizer(500)
    done = 0
    while done < len(ids):
        chunk = ids[done : done + sizer.size]
        started = time.perf_counter()
        with db.write() as session:
            work(session, chunk)
        sizer.took(len(chunk), time.perf_counter() - started)
        done += len(chunk)
        _make_way(db)


def _make_way(db: Database) -> None:
    """Between two transactions of a long write: a breath, and those waiting let in."""
    time.sleep(BREATH_S)
    if db.waiting_room is not None:
        db.waiting_room.let_in(LETTING_IN_AT_MOST_S)


def _delete_ids(table: Table) -> Any:
    def work(session: Session, chunk: Sequence[int]) -> None:
        session.execute(delete(table).where(table.c.id.in_(chunk)))

    return work


def discard_write(db: Database, write_id: int) -> int:
    """Remove every row long write ``write_id`` added, and the write itself, in short
    transactions; the rows stay hidden until the last is gone. Returns the leads removed."""
    removed = 0
    # Children before parents; leads newest first (a lead may point at an earlier one of
    # the same write as its possible duplicate).
    assert set(_DISCARD_ORDER) == set(STAGED_MODELS)
    for model in _DISCARD_ORDER:
        table = cast(Table, model.__table__)
        with db.read() as session:
            session.info[OWN_WRITE] = write_id
            ids = list(
                session.scalars(
                    select(table.c.id)
                    .where(table.c.staged_write_id == write_id)
                    .order_by(table.c.id.desc())
                )
            )
        in_short_transactions(db, ids, _delete_ids(table))
        if model.__tablename__ == "lead":
            removed = len(ids)
    with db.read() as session:
        changes = list(
            session.scalars(
                select(StagedLeadChange.id).where(StagedLeadChange.staged_write_id == write_id)
            )
        )
    in_short_transactions(db, changes, _delete_ids(cast(Table, StagedLeadChange.__table__)))
    with db.write() as session:
        session.execute(delete(StagedWrite).where(StagedWrite.id == write_id))
    return removed


#: The staged models in an order that deletes rows before the rows they point at.
_DISCARD_ORDER = (
    EngagementEvent,
    Lead,
    ImportBatch,
    ReassignmentBatch,
    HandoffBatch,
    Campaign,
    User,
)


def discard_abandoned_writes(db: Database) -> int:
    """Remove the rows of the abandoned writes that were still staging (see
    :func:`abandoned_writes`); how many writes. Those that were applying changes are left to
    ``services.long_writes.finish_abandoned_writes`` (it knows how to apply them)."""
    done = 0
    for write in abandoned_writes(db):
        if write.state != STAGING:
            continue
        try:
            removed = discard_write(db, write.id)
        except Exception:  # never stops what wanted the tidying: tried again next time
            log.exception("Could not remove the unfinished %s %s", write.kind, write.about)
            continue
        log_removed(write, removed)
        done += 1
    return done


def log_removed(write: AbandonedWrite, removed: int) -> None:
    log.warning(
        "Removed the unfinished %s %s started %s by %s: its process ended before it was "
        "done (%s leads it had written, never shown).",
        write.kind,
        write.about,
        f"{write.started_at:%Y-%m-%d %H:%M} UTC",
        write.login or "?",
        f"{removed:,}",
    )


# ----------------------------------------------------------------------------- writing


class LongWrite:
    """One long write (see the module docstring): ``with LongWrite(db, "lead import") as
    write:`` then :meth:`step` as often as needed, :meth:`publish` once, :meth:`finish`.

    Leaving the block before :meth:`publish` (an error, a cancel, a dry run) removes what
    the write added; after it, what was published stays, and changes still kept aside are
    applied by the next start (:func:`abandoned_writes`)."""

    def __init__(
        self,
        db: Database,
        kind: str,
        *,
        about: str = "",
        login: str = "",
        registered: bool = True,
        checkpoint_rows: int = CHECKPOINT_EVERY_ROWS,
    ) -> None:
        self.db = db
        self.kind = kind
        self.about = about[:500]
        self.login = login[:64]
        #: SQLite: short transactions over staged rows; PostgreSQL: one transaction.
        self.staged = db.is_sqlite
        #: Recorded in ``staged_write`` (SQLite): its new rows hidden, its changes to leads
        #: that existed before kept aside, and both removed or finished after a crash.
        #: False for a write whose every step is whole in itself (re-scoring): nothing to
        #: hide, nothing to remove when it stops half-way.
        self.adds_rows = registered
        #: Rows written between two checkpoints of SQLite's write-ahead log (see _checkpoint).
        self.checkpoint_rows = checkpoint_rows
        #: How long each of those checkpoints took (seconds); no lock is held meanwhile.
        self.checkpoints: list[float] = []
        self._rows_at_checkpoint = 0
        self._autocheckpoint: int | None = None
        #: The id the rows of this write carry in ``staged_write_id`` (None on PostgreSQL).
        self.write_id: int | None = None
        self.published = False
        self.finished = False
        #: How long each transaction held SQLite's write lock (seconds), in order.
        self.holds: list[float] = []
        self._last_heartbeat = utcnow()
        self._resuming = False
        self._connection: Connection | None = None
        self._session: Session | None = None
        #: PostgreSQL: the ids of the changes this write kept aside (see keep_changes).
        self._kept: list[int] = []

    # -- the block

    def __enter__(self) -> LongWrite:
        # One connection for the whole write: its settings (a bigger page cache) last, and
        # statements prepared on it stay valid from one transaction to the next.
        self._connection = self.db.engine.connect().execution_options(
            sqlite_busy_ms=BRIEF_BUSY_TIMEOUT_MS  # short tries for the lock (take_write_lock)
        )
        self._session = Session(bind=self._connection, expire_on_commit=False)
        # Who is at this workstation, for the audit entries the write records (as in the
        # sessions of Database.read and Database.write).
        self._session.info["attribution"] = self.db.attribution
        if self.staged:
            raw = self._raw()
            self._autocheckpoint = raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
            raw.execute("PRAGMA wal_autocheckpoint = 0")  # this write checkpoints itself
            self._rows_at_checkpoint = raw.total_changes
        if self.staged and self._resuming:
            hide_staged_rows(self._session)
            _LIVE.add(self.write_id or 0)
            self.session.info[OWN_WRITE] = self.write_id
        elif self.staged:
            hide_staged_rows(self._session)
        if self.staged and self.adds_rows and not self._resuming:
            stage_new_rows(self._session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session, connection = self.session, self._connection
        try:
            if exc_type is None:
                self.finish()
            else:
                if session.in_transaction():
                    session.rollback()
                if self.staged and not self.published:
                    self._discard()
        finally:
            if self.write_id is not None:
                _LIVE.discard(self.write_id)
            session.close()
            if self._autocheckpoint is not None:
                self._checkpoint()
                self._raw().execute(f"PRAGMA wal_autocheckpoint = {int(self._autocheckpoint)}")
            if connection is not None:
                connection.close()

    def _discard(self) -> None:
        if self.write_id is None:
            return
        try:
            discard_write(self.db, self.write_id)
        except Exception:  # the original error matters more; the next start tries again
            log.exception("Could not remove the rows of the unfinished %s", self.kind)

    @property
    def session(self) -> Session:
        assert self._session is not None, "use LongWrite in a with block"
        return self._session

    @property
    def connection(self) -> Connection:
        """The connection every step of this write runs on."""
        assert self._connection is not None, "use LongWrite in a with block"
        return self._connection

    @property
    def longest_hold(self) -> float:
        return max(self.holds, default=0.0)

    # -- steps

    @contextmanager
    def step(self) -> Iterator[Session]:
        """One step of the write. SQLite: its own transaction, committed at the end of the
        block (keep it to about :data:`STEP_TARGET_S`; see :class:`ChunkSizer`).
        PostgreSQL: part of the write's one transaction."""
        session = self.session
        if not self.staged:
            yield session
            session.flush()
            return
        with self._holding_the_lock() as session:
            if self.write_id is None and self.adds_rows:
                self._register(session)
            elif self.write_id is not None and utcnow() - self._last_heartbeat > HEARTBEAT_EVERY:
                self._last_heartbeat = utcnow()
                session.execute(
                    update(StagedWrite)
                    .where(StagedWrite.id == self.write_id)
                    .values(heartbeat_at=self._last_heartbeat)
                )
            yield session

    def _register(self, session: Session) -> None:
        """Record the write in ``staged_write``, in its first step: from then on its rows are
        hidden, and removed (or finished) if its process dies."""
        row = StagedWrite(
            kind=self.kind,
            state=STAGING,
            about=self.about,
            login=self.login,
            host=_HOST,
            pid=os.getpid(),
            process_started=_OWN_START,
        )
        session.add(row)
        session.flush()
        self.write_id = row.id
        _LIVE.add(row.id)
        session.info[OWN_WRITE] = row.id

    @contextmanager
    def _holding_the_lock(self) -> Iterator[Session]:
        session = self.session
        # No cyclic garbage collection while the lock is held (a full one can take longer
        # than a step): it runs between steps instead.
        collecting = gc.isenabled()
        gc.disable()
        try:
            take_write_lock(session.connection, session.rollback, patience=LOCK_PATIENCE_S)
            began = time.perf_counter()
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                self.holds.append(time.perf_counter() - began)
        finally:
            if collecting:
                gc.enable()
        if self._raw().total_changes - self._rows_at_checkpoint >= self.checkpoint_rows:
            self._checkpoint()
        _make_way(self.db)

    def _raw(self) -> Any:
        """The driver's connection under this write's connection (sqlite3)."""
        return self.connection.connection.driver_connection

    def _checkpoint(self) -> None:
        """Copy what the write-ahead log holds into the database file, without waiting for
        anyone (PASSIVE), between two steps. SQLite would otherwise do it in the commit
        that crosses its limit (after the write lock is released, but inside that commit);
        here it is on time, and sized by this write's rows."""
        started = time.perf_counter()
        raw = self._raw()
        raw.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        self._rows_at_checkpoint = raw.total_changes
        self.checkpoints.append(time.perf_counter() - started)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """Reads between steps. SQLite: a read transaction of their own (they wait for no
        writer and no writer waits for them), seeing this write's rows; PostgreSQL: in the
        write's one transaction."""
        session = self.session
        if not self.staged:
            yield session
            return
        connection = self.connection
        connection.execution_options(sqlite_write=False)  # a plain BEGIN
        try:
            session.connection()
            try:
                yield session
            except BaseException:
                session.rollback()
                raise
            session.commit()  # nothing to commit: ends the read, keeps what was loaded
        finally:
            connection.execution_options(sqlite_write=True)

    def in_steps(self, total: int, work: StepWork, sizer: ChunkSizer) -> None:
        """``work(session, start, stop)`` over ``range(total)``: on SQLite one step per
        chunk, each chunk as long as ``sizer`` says; on PostgreSQL all at once."""
        start = 0
        while start < total:
            stop = min(total, start + sizer.size) if self.staged else total
            with self.step() as session:
                work(session, start, stop)
            if self.staged:
                sizer.took(stop - start, self.holds[-1])
            start = stop

    @contextmanager
    def publish(self, *, changes_follow: bool = False) -> Iterator[Session]:
        """The step that shows everything the write added, at once, with what the block
        does (its record, its counts). ``changes_follow``: changes to existing leads were
        kept aside; :meth:`apply_changes` applies them next (before :meth:`finish`)."""
        with self.step() as session:
            yield session
            if self.staged and self.write_id is not None:
                if changes_follow:
                    session.execute(
                        update(StagedWrite)
                        .where(StagedWrite.id == self.write_id)
                        .values(state=APPLYING, heartbeat_at=utcnow())
                    )
                else:
                    session.execute(delete(StagedWrite).where(StagedWrite.id == self.write_id))
        self.published = True

    def finish(self) -> None:
        """The write is done: PostgreSQL commits its one transaction; SQLite forgets the
        write (if :meth:`publish` left it applying changes)."""
        if self.finished:
            return
        if not self.staged:
            self.session.commit()
        elif self.write_id is not None:
            with self.step() as session:
                session.execute(delete(StagedWrite).where(StagedWrite.id == self.write_id))
        self.finished = True
        self.published = True

    # -- changes to leads that existed before the write

    @property
    def change_key(self) -> int:
        """What changes kept aside are filed under: the write's id (0 on PostgreSQL, where
        they never leave the write's own transaction)."""
        return self.write_id or 0

    def keep_changes(self, session: Session, changes: Sequence[tuple[int, dict[str, Any]]]) -> None:
        """Keep ``changes`` ((lead id, change), …) aside, to apply after :meth:`publish`.

        PostgreSQL: in the write's one transaction, and the write remembers the ids of its
        rows: it applies those alone, never a row another login left in the table."""
        if not changes:
            return
        rows = [
            {"staged_write_id": self.change_key, "lead_id": lead_id, "change": change}
            for lead_id, change in changes
        ]
        if self.staged:
            session.execute(insert(StagedLeadChange), rows)
            return
        table = cast(Table, StagedLeadChange.__table__)
        self._kept += session.scalars(
            insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
        ).all()

    def apply_changes(
        self, apply: ApplyChanges, *, first: int = 100, target: float = STEP_TARGET_S
    ) -> int:
        """Apply the changes kept aside, in order, in short steps: ``apply(session, changes)``
        with each step's ((lead id, change), …); each is forgotten in the step that applied
        it, so a write whose process dies here is finished by the next start. Returns how
        many were applied. ``first``: changes in the first step; ``target``: how long a
        step may hold SQLite's write lock (see :class:`ChunkSizer`)."""
        table = cast(Table, StagedLeadChange.__table__)
        sizer = ChunkSizer(first, target=target)
        applied = taken = 0
        while True:
            with self.step() as session:
                started = time.perf_counter()
                if self.staged:
                    mine = table.c.staged_write_id == self.change_key
                else:
                    mine = table.c.id.in_(self._kept[taken : taken + sizer.size])
                    taken += sizer.size
                rows = session.execute(
                    select(table.c.id, table.c.lead_id, table.c.change)
                    .where(mine)
                    .order_by(table.c.id)
                    .limit(sizer.size)
                ).all()
                if rows:
                    apply(session, [(row.lead_id, row.change) for row in rows])
                    session.execute(delete(table).where(table.c.id.in_([r.id for r in rows])))
                    session.flush()
            if not rows:
                self._kept = []
                return applied
            applied += len(rows)
            sizer.took(len(rows), time.perf_counter() - started)

    @classmethod
    def resumed(cls, db: Database, write: AbandonedWrite) -> LongWrite:
        """A write whose process died while applying its changes, to finish it here."""
        resumed = cls(db, write.kind, about=write.about, login=write.login)
        resumed.write_id = write.id
        resumed.published = True
        resumed._resuming = True
        return resumed


#: Does items ``start:stop`` of a long write's work in the step's session.
StepWork = Callable[[Session, int, int], None]
#: Applies changes kept aside ((lead id, change), … in order), in the step's session.
ApplyChanges = Callable[[Session, list[tuple[int, dict[str, Any]]]], None]
