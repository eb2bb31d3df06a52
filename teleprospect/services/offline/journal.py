"""The workstation's journal: calls saved while the database server could not be reached.

One small SQLite file per database in the data folder (``journal/<digest>.sqlite3``), so the
same lead on two servers never mixes. It is this workstation's own file, not a copy of the
team's database: every entry is one action with the id the workstation gave it (a UUID),
the state of the lead it was based on, and what became of it once the server had it
(applied, held for review, discarded). Entries are replayed in the order they were made
(:mod:`teleprospect.services.offline.replay`).

Each change is one short transaction with ``synchronous=FULL``: an entry the rep was told
is kept survives a crash or a power cut a moment later. The file is made by the first
entry; reading a journal that does not exist finds nothing and makes nothing.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from teleprospect.config import data_dir
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.offline import LeadState
from teleprospect.store.database import Database

__all__ = [
    "EntryState",
    "Journal",
    "JournalEntry",
    "journal_for_url",
    "journal_of",
    "state_from_json",
    "state_to_json",
]

#: How long applied and discarded entries stay in the file (to show what was sent).
KEEP_SETTLED = timedelta(days=30)
#: How long a second process writing the file (the command line beside the app) is waited for.
BUSY_TIMEOUT_S = 10.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entry (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    client_action_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    login TEXT NOT NULL,
    as_login TEXT,
    user_id INTEGER,
    lead_id INTEGER NOT NULL,
    lead_name TEXT NOT NULL DEFAULT '',
    taken_at TEXT NOT NULL,
    base TEXT,
    seen_at TEXT NOT NULL,
    payload TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'waiting',
    reason TEXT NOT NULL DEFAULT '',
    settled_at TEXT,
    result TEXT,
    call_id INTEGER
);
CREATE INDEX IF NOT EXISTS ix_entry_state_seq ON entry (state, seq);
CREATE INDEX IF NOT EXISTS ix_entry_lead_id_seq ON entry (lead_id, seq);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

#: meta: since when this workstation has been without the server (the first entry kept).
OFFLINE_SINCE = "offline_since"


class EntryState(StrEnum):
    WAITING = "waiting"
    APPLIED = "applied"
    REVIEW = "review"
    DISCARDED = "discarded"

    @property
    def label(self) -> str:
        return {
            "waiting": "Waiting",
            "applied": "Sent",
            "review": "To review",
            "discarded": "Discarded",
        }[self.value]


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One action kept on this workstation."""

    seq: int
    client_action_id: str
    #: "call": a logged call with its notes, answers and decision.
    kind: str
    #: The computer login of the person who did it, and the login they acted as (--as).
    login: str
    as_login: str | None
    #: Their account id, when the workstation knew it (the app does; the command line not).
    user_id: int | None
    lead_id: int
    lead_name: str
    taken_at: datetime
    #: The lead as the rep knew it (None: unknown).
    base: LeadState | None
    #: When the rep last saw the lead from the server.
    seen_at: datetime
    payload: dict[str, Any]
    #: What it was, in one line ("No answer; callback Thu 26 Nov 10:00 UTC").
    summary: str
    state: EntryState
    #: Why it waits for review, or why it was discarded.
    reason: str
    settled_at: datetime | None
    #: The lead after the entry was applied (the base of the next entry on it).
    result: LeadState | None
    call_id: int | None

    def as_json(self) -> dict[str, Any]:
        return {
            "client_action_id": self.client_action_id,
            "kind": self.kind,
            "login": self.as_login or self.login,
            "lead_id": self.lead_id,
            "lead_name": self.lead_name,
            "taken_at": self.taken_at.isoformat(),
            "based_on_version": self.base.version if self.base is not None else None,
            "summary": self.summary,
            "state": self.state.value,
            "reason": self.reason,
            "call_id": self.call_id,
        }


def state_to_json(state: LeadState | None) -> str | None:
    if state is None:
        return None
    return json.dumps(
        {
            "version": state.version,
            "status": state.status.value,
            "owner_id": state.owner_id,
            "do_not_call": state.do_not_call,
        }
    )


def state_from_json(text: str | None) -> LeadState | None:
    if not text:
        return None
    data = json.loads(text)
    return LeadState(
        version=int(data["version"]),
        status=LeadStatus(data["status"]),
        owner_id=data.get("owner_id"),
        do_not_call=bool(data.get("do_not_call", False)),
    )


def _time(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _iso(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError(f"naive datetime {at!r}: pass an aware (UTC) datetime")
    return at.astimezone(UTC).isoformat()


class Journal:
    """The journal of one database on this workstation."""

    def __init__(self, database_key: str, folder: Path | None = None) -> None:
        digest = hashlib.sha256(database_key.encode("utf-8")).hexdigest()[:16]
        self.path = (folder or data_dir() / "journal") / f"{digest}.sqlite3"

    # -- the file ---------------------------------------------------------------------

    @contextmanager
    def _connect(self, *, write: bool) -> Iterator[sqlite3.Connection | None]:
        """A connection in one transaction (None when reading a journal never made)."""
        if not write and not self.path.exists():
            yield None
            return
        if write:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)) as conn:
            conn.isolation_level = None  # transactions are begun here, explicitly
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                if write:
                    for statement in _SCHEMA.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    # -- writing ----------------------------------------------------------------------

    def add(
        self,
        *,
        client_action_id: str,
        kind: str,
        login: str,
        as_login: str | None,
        user_id: int | None,
        lead_id: int,
        lead_name: str,
        taken_at: datetime,
        base: LeadState | None,
        seen_at: datetime | None,
        payload: dict[str, Any],
        summary: str,
    ) -> JournalEntry:
        """Keep one action; returns it as kept. The same ``client_action_id`` twice keeps it
        once (the first)."""
        with self._connect(write=True) as conn:
            assert conn is not None
            if not self._count(conn, EntryState.WAITING):
                conn.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                    (OFFLINE_SINCE, _iso(seen_at or taken_at)),
                )
            since = self._offline_since(conn)
            conn.execute(
                "INSERT OR IGNORE INTO entry (client_action_id, kind, login, as_login, user_id,"
                " lead_id, lead_name, taken_at, base, seen_at, payload, summary)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    client_action_id,
                    kind,
                    login,
                    as_login,
                    user_id,
                    lead_id,
                    lead_name,
                    _iso(taken_at),
                    state_to_json(base),
                    # Unknown: the lead is taken as known until the server went away.
                    _iso(seen_at or since or taken_at),
                    json.dumps(payload, ensure_ascii=False),
                    summary,
                ),
            )
            found = self._entry(conn, client_action_id)
        assert found is not None
        return found

    def settle(
        self,
        client_action_id: str,
        state: EntryState,
        *,
        reason: str = "",
        result: LeadState | None = None,
        call_id: int | None = None,
        now: datetime | None = None,
    ) -> None:
        """Record what became of an entry on the server."""
        settled = _iso(now or datetime.now(UTC))
        with self._connect(write=True) as conn:
            assert conn is not None
            conn.execute(
                "UPDATE entry SET state = ?, reason = ?, result = COALESCE(?, result),"
                " call_id = COALESCE(?, call_id), settled_at = ? WHERE client_action_id = ?",
                (state.value, reason, state_to_json(result), call_id, settled, client_action_id),
            )
            if not self._count(conn, EntryState.WAITING):
                conn.execute("DELETE FROM meta WHERE key = ?", (OFFLINE_SINCE,))
            conn.execute(
                "DELETE FROM entry WHERE state IN (?, ?) AND settled_at < ?",
                (
                    EntryState.APPLIED.value,
                    EntryState.DISCARDED.value,
                    _iso(datetime.now(UTC) - KEEP_SETTLED),
                ),
            )

    # -- reading ----------------------------------------------------------------------

    def entries(self, *states: EntryState) -> list[JournalEntry]:
        """The entries in one of ``states`` (all when none given), in the order made."""
        with self._connect(write=False) as conn:
            if conn is None:
                return []
            sql = f"SELECT {_SELECT} FROM entry"
            values: tuple[str, ...] = tuple(state.value for state in states)
            if values:
                sql += f" WHERE state IN ({', '.join('?' for _ in values)})"
            rows = conn.execute(sql + " ORDER BY seq", values).fetchall()
            return [_entry_of(row) for row in rows]

    def waiting(self) -> list[JournalEntry]:
        return self.entries(EntryState.WAITING)

    def count(self, state: EntryState = EntryState.WAITING) -> int:
        with self._connect(write=False) as conn:
            return 0 if conn is None else self._count(conn, state)

    def entry(self, client_action_id: str) -> JournalEntry | None:
        with self._connect(write=False) as conn:
            return None if conn is None else self._entry(conn, client_action_id)

    def lead_ids_waiting(self) -> set[int]:
        """The leads with a call waiting to be sent (worked already, this outage)."""
        return {entry.lead_id for entry in self.waiting()}

    def result_before(self, lead_id: int, seq: int) -> LeadState | None:
        """The lead as the newest applied entry on it before ``seq`` left it (None: none)."""
        with self._connect(write=False) as conn:
            if conn is None:
                return None
            row = conn.execute(
                "SELECT result FROM entry WHERE lead_id = ? AND seq < ? AND state = ?"
                " AND result IS NOT NULL ORDER BY seq DESC LIMIT 1",
                (lead_id, seq, EntryState.APPLIED.value),
            ).fetchone()
        return state_from_json(row[0]) if row is not None else None

    def offline_since(self) -> datetime | None:
        with self._connect(write=False) as conn:
            return None if conn is None else self._offline_since(conn)

    @staticmethod
    def _count(conn: sqlite3.Connection, state: EntryState) -> int:
        row = conn.execute("SELECT count(*) FROM entry WHERE state = ?", (state.value,)).fetchone()
        return int(row[0])

    @staticmethod
    def _offline_since(conn: sqlite3.Connection) -> datetime | None:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (OFFLINE_SINCE,)).fetchone()
        return _time(row[0]) if row is not None else None

    @staticmethod
    def _entry(conn: sqlite3.Connection, client_action_id: str) -> JournalEntry | None:
        row = conn.execute(
            f"SELECT {_SELECT} FROM entry WHERE client_action_id = ?", (client_action_id,)
        ).fetchone()
        return _entry_of(row) if row is not None else None


_COLUMNS = (
    "seq",
    "client_action_id",
    "kind",
    "login",
    "as_login",
    "user_id",
    "lead_id",
    "lead_name",
    "taken_at",
    "base",
    "seen_at",
    "payload",
    "summary",
    "state",
    "reason",
    "settled_at",
    "result",
    "call_id",
)
_SELECT = ", ".join(_COLUMNS)


def _entry_of(row: tuple[Any, ...]) -> JournalEntry:
    data = dict(zip(_COLUMNS, row, strict=True))
    return JournalEntry(
        seq=int(data["seq"]),
        client_action_id=data["client_action_id"],
        kind=data["kind"],
        login=data["login"],
        as_login=data["as_login"],
        user_id=data["user_id"],
        lead_id=int(data["lead_id"]),
        lead_name=data["lead_name"],
        taken_at=_time(data["taken_at"]),
        base=state_from_json(data["base"]),
        seen_at=_time(data["seen_at"]),
        payload=json.loads(data["payload"]),
        summary=data["summary"],
        state=EntryState(data["state"]),
        reason=data["reason"],
        settled_at=_time(data["settled_at"]) if data["settled_at"] else None,
        result=state_from_json(data["result"]),
        call_id=data["call_id"],
    )


def journal_of(db: Database) -> Journal:
    """This workstation's journal for ``db`` (found by where the data lives, as drafts are)."""
    return Journal(db.describe())


def journal_for_url(url: str) -> Journal:
    """The journal for the database at ``url``, without connecting to it (its server may
    be the one that is away)."""
    db = Database(url, create=False)
    try:
        return journal_of(db)
    finally:
        db.dispose()
