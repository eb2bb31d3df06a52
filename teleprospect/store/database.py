"""Opening the database: one function builds the engine from a URL.

SQLite (one person, a file) and PostgreSQL (a team, a server) are both first-class.
SQLite connections get WAL, foreign keys, a busy timeout and ``synchronous=NORMAL``;
write transactions start with ``BEGIN IMMEDIATE`` so that two writers queue on the
busy timeout instead of failing half-way with "database is locked".
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, StatementError
from sqlalchemy.orm import Session, sessionmaker

from teleprospect.core.errors import Unavailable
from teleprospect.core.permissions import PermissionDenied
from teleprospect.core.text import printable, shorten
from teleprospect.store.visibility import hide_staged_rows

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

#: How long a SQLite writer waits for another one before giving up (milliseconds).
SQLITE_BUSY_TIMEOUT_MS = 10_000
#: SQLite's own default: a commit that leaves this many pages in the write-ahead log
#: copies them into the database file (a checkpoint).
SQLITE_AUTOCHECKPOINT_PAGES = 1_000
#: A short write a person waits for (claiming the next lead): how long one try at the write
#: lock waits inside SQLite (milliseconds; SQLite looks again after 1 and 3 ms), and how
#: long all tries together may take.
BRIEF_BUSY_TIMEOUT_MS = 5
BRIEF_WRITE_PATIENCE_S = 2.0
#: Pause between two tries: the first, the growth factor and the longest. Each pause is
#: drawn at random around its value, so that workstations waiting together do not retry
#: in step; the longest is shorter than the breath a long write takes between two of its
#: transactions (staging.BREATH_S), so that a waiting claim finds that breath.
BRIEF_RETRY_FIRST_S = 0.001
BRIEF_RETRY_GROWTH = 1.5
BRIEF_RETRY_LONGEST_S = 0.004
#: How often a long write looks again whether those waiting got in.
LETTING_IN_PAUSE_S = 0.001

#: Filesystem types on which SQLite's locking (and WAL) is unsafe.
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smbfs",
        "smb3",
        "afs",
        "ncpfs",
        "9p",
        "fuse.sshfs",
        "sshfs",
        "ceph",
        "glusterfs",
        "fuse.glusterfs",
        "davfs",
        "fuse.davfs2",
        "lustre",
        "gpfs",
        "fuse.rclone",
        "fuse.s3fs",
    }
)


class DatabaseError(Unavailable):
    """A database problem explained in one sentence a user can act on."""


class NetworkShareError(DatabaseError):
    """A SQLite file on a network filesystem."""


class NoDatabaseError(DatabaseError):
    """No SQLite file where one was expected, and the command does not make one."""


class ForeignDatabaseError(DatabaseError):
    """A SQLite file that belongs to another application."""


class DatabaseBusy(DatabaseError):
    """Another workstation kept the database busy for longer than a person should wait."""

    def __init__(self) -> None:
        super().__init__("The database is busy, try again.")


#: ``PRAGMA application_id`` of a Teleprospect file: the bytes "TLPR".
APPLICATION_ID = int.from_bytes(b"TLPR", "big")


def is_unc_path(path: str) -> bool:
    """``//server/share/x`` or ``\\\\server\\share\\x``: a Windows network path."""
    return path.startswith(("//", "\\\\")) and not path.startswith(("///", "\\\\\\"))


def _nearest_existing(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path(path.anchor or "/")


def filesystem_type(path: Path) -> str | None:
    """The type of the filesystem holding ``path`` ("ext4", "nfs4", "cifs", …), if known."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import ctypes

        drive = os.path.splitdrive(str(path.resolve()))[0]
        if drive.startswith("\\\\"):
            return "smb"
        drive_remote = 4
        return "smb" if ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == drive_remote else None
    try:
        mounts = Path("/proc/self/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    best, best_type = "", None
    target = str(path.resolve())
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best):
            best, best_type = mount_point, parts[2]
    return best_type


def check_not_on_network_share(path: Path | str) -> None:
    """Refuse a file on a network share, before any folder or file is made for it."""
    if is_unc_path(str(path)):
        fs_type: str | None = "smb"
    else:
        fs_type = filesystem_type(_nearest_existing(Path(path)))
    if fs_type and fs_type.lower() in NETWORK_FILESYSTEMS:
        raise NetworkShareError(
            f"The database file {path} is on a network share ({fs_type}). SQLite cannot lock "
            "files reliably there and its write-ahead log does not work over a network, so "
            "the file could be corrupted. Keep the file on a local disk, or let your team "
            "share a PostgreSQL server: start with --db postgresql://USER@HOST/DBNAME "
            "(or set TELEPROSPECT_DB)."
        )


def _install_sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event decide how each transaction starts
        # (SQLAlchemy's documented recipe for SQLite transaction control).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        options = conn.get_execution_options()
        if not options.get("sqlite_write", True):
            conn.exec_driver_sql("BEGIN")
            return
        if options.get("sqlite_no_checkpoint"):
            # A write a person waits for leaves copying the write-ahead log into the file
            # to the others (a long write does it between its steps): a checkpoint in its
            # commit would make them wait for it. Back to SQLite's default on check-in.
            conn.exec_driver_sql("PRAGMA wal_autocheckpoint=0")
        brief_ms = options.get("sqlite_busy_ms")
        if brief_ms is None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            return
        # Wait only briefly for the write lock: take_write_lock tries again.
        conn.exec_driver_sql(f"PRAGMA busy_timeout={int(brief_ms)}")
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        finally:
            conn.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection: Any, _record: Any) -> None:
        if dbapi_connection is not None:
            dbapi_connection.execute(f"PRAGMA wal_autocheckpoint={SQLITE_AUTOCHECKPOINT_PAGES}")


def parse_url(url: str) -> URL:
    """Read a database URL; a plain file path means a SQLite file."""
    url = url.strip()
    if "://" not in url:
        if is_unc_path(url):  # before resolve() takes it for a local path
            check_not_on_network_share(url)
        return make_url("sqlite://").set(database=str(Path(url).expanduser().resolve()))
    if url.startswith("postgres://"):  # the short form many hosting providers hand out
        url = "postgresql://" + url.removeprefix("postgres://")
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:  # ValueError: a port that is no number
        raise DatabaseError(
            f"{url!r} is not a database URL. Use a file path, sqlite:///PATH or "
            "postgresql://USER@HOST/DBNAME."
        ) from exc
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseError(
            f"Teleprospect works with SQLite or PostgreSQL, not {parsed.get_backend_name()!r}."
        )
    if parsed.get_backend_name() == "postgresql" and parsed.drivername != "postgresql+psycopg":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (refused when it is on a network share), None for a server."""
    parsed = parse_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        raise DatabaseError("Teleprospect needs a database file, not an in-memory database.")
    if is_unc_path(database):
        check_not_on_network_share(database)
    path = Path(database).expanduser()
    check_not_on_network_share(path)
    return path


def check_database_file(path: Path, *, create: bool) -> None:
    """Refuse, before anything is written, a missing file (unless ``create``) and a file
    that belongs to another application: one with another ``application_id``, or with
    tables but none of Teleprospect's. A file made by Teleprospect before it set its
    ``application_id`` (0, with an ``alembic_version`` table) is accepted."""
    if not path.exists():
        if create:
            return
        raise NoDatabaseError(
            f"There is no database at {path}. Create one with `teleprospect db upgrade` "
            "(or `teleprospect demo` for one with demo data), or name another with --db."
        )
    if path.is_dir() or not path.is_file():
        raise DatabaseError(f"{path} is not a database file.")
    identity = read_file_identity(path)
    if identity.application_id not in (0, APPLICATION_ID) or (
        identity.application_id == 0
        and identity.tables
        and "alembic_version" not in identity.tables
    ):
        raise ForeignDatabaseError(
            f"{path} is the database of another application, not Teleprospect's; it was "
            "left untouched. Name a Teleprospect database with --db, or a new file."
        )


@dataclass(frozen=True)
class FileIdentity:
    application_id: int
    tables: frozenset[str]
    revisions: frozenset[str]


def read_file_identity(path: Path) -> FileIdentity:
    """Whose file ``path`` is, read without writing to it (a read-only connection)."""
    if path.stat().st_size == 0:
        return FileIdentity(0, frozenset(), frozenset())
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        try:
            application_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = frozenset(
                row[0]
                for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            )
            revisions: frozenset[str] = frozenset()
            if "alembic_version" in tables:
                revisions = frozenset(
                    row[0] for row in conn.execute("SELECT version_num FROM alembic_version")
                )
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ForeignDatabaseError(
            f"{path} is not a Teleprospect database ({first_line(exc)}); it was left untouched."
        ) from exc
    return FileIdentity(int(application_id), tables, revisions)


def stamp_application_id(db: Database) -> None:
    """Mark a SQLite file as Teleprospect's (``PRAGMA application_id``), once."""
    if not db.is_sqlite:
        return
    with db.engine.execution_options(sqlite_write=False).connect() as conn:
        current = conn.exec_driver_sql("PRAGMA application_id").scalar()
    if current != APPLICATION_ID:
        with db.engine.begin() as conn:
            conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")


def create_private_file(path: Path) -> bool:
    """Make ``path`` as an empty file only its owner may read or write (an empty file is
    a valid SQLite database; SQLite gives its journal the same mode). An existing file is
    left as it is. True when it was made."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    os.close(descriptor)
    return True


def create_database_engine(url: str, *, echo: bool = False, create: bool = True) -> Engine:
    """Build the engine for ``url`` with the settings Teleprospect relies on.

    A missing SQLite file (and its folder) is made only with ``create``."""
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_file(url)
        assert path is not None
        if create:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                create_private_file(path)
            except OSError as exc:
                raise DatabaseError(
                    f"Cannot create the folder for {path}: {exc.strerror}."
                ) from exc
        elif not path.exists():
            check_database_file(path, create=False)
        engine = create_engine(
            parsed.set(database=str(path)),
            echo=echo,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )
        _install_sqlite_pragmas(engine)
        return engine
    return create_engine(
        parsed,
        echo=echo,
        pool_pre_ping=True,
        connect_args={"connect_timeout": 10, "application_name": "teleprospect"},
    )


@dataclass(frozen=True)
class Attribution:
    """Who is really at this workstation, as the audit trail records them: the
    authenticated login, their account (None when it is no user), the workstation, and
    whether the login is the database's owner (who may set the team up without an
    account)."""

    login: str
    user_id: int | None
    workstation: str
    is_owner: bool = False


class LoginDisabled(PermissionDenied):
    """The server turned the login away: its role may not log in (a deactivated account)."""


#: The server's words for a role without LOGIN (a server speaking another language says
#: it in that language: then the sentence is the generic one).
_NOT_PERMITTED_TO_LOG_IN = "is not permitted to log in"


class NotPermittedByDatabase(PermissionDenied):
    """The database refused an act to the login role: its grants or row-level security."""


#: SQLSTATE of "insufficient privilege": a missing grant, a row-level security policy.
INSUFFICIENT_PRIVILEGE = "42501"


@contextmanager
def _told_when_not_permitted() -> Iterator[None]:
    """Tell the database's refusals in one sentence, as a permission the user lacks."""
    try:
        yield
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
            raise
        raise NotPermittedByDatabase(
            f"Your database login may not do this: {first_line(exc.orig)}."
        ) from exc


class Database:
    """The open database: an engine plus sessions for reading and for writing.

    ``read()`` sessions start a plain (deferred) transaction; ``write()`` sessions
    start with ``BEGIN IMMEDIATE`` on SQLite and commit when the block ends. Every
    session carries the :class:`Attribution` of whoever opened the database (in
    ``session.info["attribution"]``) once it is known. On SQLite, sessions never see the
    rows of a long write still under way (:mod:`teleprospect.store.visibility`).
    """

    def __init__(self, url: str, *, echo: bool = False, create: bool = True) -> None:
        self.url = parse_url(url)
        self.attribution: Attribution | None = None
        self.engine = create_database_engine(url, echo=echo, create=create)
        self._reading = sessionmaker(
            self.engine.execution_options(sqlite_write=False), expire_on_commit=False
        )
        self._writing = sessionmaker(
            self.engine.execution_options(sqlite_busy_ms=BRIEF_BUSY_TIMEOUT_MS),
            expire_on_commit=False,
        )
        self._writing_briefly = sessionmaker(
            self.engine.execution_options(
                sqlite_busy_ms=BRIEF_BUSY_TIMEOUT_MS, sqlite_no_checkpoint=True
            ),
            expire_on_commit=False,
        )
        #: SQLite: who is waiting for the write lock (see WaitingRoom).
        self.waiting_room = WaitingRoom(self.sqlite_path) if self.sqlite_path else None
        if self.is_sqlite:
            for sessions in (self._reading, self._writing, self._writing_briefly):
                hide_staged_rows(sessions)

    @property
    def backend(self) -> str:
        return self.url.get_backend_name()

    @property
    def is_sqlite(self) -> bool:
        return self.backend == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        return Path(self.url.database) if self.is_sqlite and self.url.database else None

    def describe(self) -> str:
        """Where the data lives, for a status bar: a file path or a server (never a password)."""
        if self.is_sqlite:
            return str(self.sqlite_path)
        host = self.url.host or "localhost"
        port = f":{self.url.port}" if self.url.port else ""
        user = f"{self.url.username}@" if self.url.username else ""
        return f"PostgreSQL {user}{host}{port}/{self.url.database or ''}"

    def check_connection(self) -> None:
        """Connect once, turning driver errors into one clear sentence."""
        try:
            # A read: on SQLite it must not queue for the write lock behind a busy writer.
            with self.engine.execution_options(sqlite_write=False).connect() as conn:
                conn.execute(text("SELECT 1"))
        except DBAPIError as exc:
            if _NOT_PERMITTED_TO_LOG_IN in str(exc.orig):
                # Deactivating an account makes its login role NOLOGIN (store.roles).
                raise LoginDisabled(
                    f"The database login {self.url.username or ''!r} may not log in: its "
                    "account is deactivated; ask an admin to reactivate it."
                ) from exc
            raise DatabaseError(
                f"Cannot open the database {self.describe()}: {first_line(exc.orig)}"
            ) from exc

    @contextmanager
    def read(self) -> Iterator[Session]:
        with _told_when_not_permitted(), self._reading() as session, session.begin():
            session.info["attribution"] = self.attribution
            yield session

    @contextmanager
    def write(self, *, brief: bool = False) -> Iterator[Session]:
        """A session in one transaction: committed at the end of the block, rolled back on error.

        On SQLite the write lock is taken first, in short tries (:func:`take_write_lock`):
        a long write elsewhere lets those waiting in between its short transactions. After
        ten seconds, or after :data:`BRIEF_WRITE_PATIENCE_S` for a ``brief`` write (a short
        one a person is waiting for, like claiming the next lead), it gives up with
        :class:`DatabaseBusy`.
        """
        if not self.is_sqlite:
            with _told_when_not_permitted(), self._writing() as session, session.begin():
                session.info["attribution"] = self.attribution
                yield session
            return
        sessions = self._writing_briefly if brief else self._writing
        session = sessions()
        transaction = session.begin()

        def again() -> None:
            nonlocal session, transaction
            session.close()
            session = sessions()
            transaction = session.begin()

        patience = BRIEF_WRITE_PATIENCE_S if brief else SQLITE_BUSY_TIMEOUT_MS / 1000
        try:
            # The session of the latest try: again() makes a new one.
            take_write_lock(
                lambda: session.connection(), again, patience=patience, room=self.waiting_room
            )
        except BaseException:
            session.close()
            raise
        with session, transaction:
            session.info["attribution"] = self.attribution
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def take_write_lock(
    begin: Callable[[], object],
    again: Callable[[], None],
    *,
    patience: float,
    room: WaitingRoom | None = None,
) -> None:
    """Take SQLite's write lock in short tries: ``begin()`` runs BEGIN IMMEDIATE with a
    busy timeout of :data:`BRIEF_BUSY_TIMEOUT_MS` (``sqlite_busy_ms``); when the lock stays
    taken, ``again()`` makes ready for the next try, after a short random pause. Raises
    :class:`DatabaseBusy` after ``patience`` seconds. While it waits, it says so in the
    ``room`` (when given): a long write lets it in before its next transaction.

    SQLite's own wait polls ever more slowly (every 100 ms after a while), so a writer that
    waits in it loses every race against writers that try often: short tries give every
    writer the same chance at the pause a long write makes between its transactions."""
    try:
        begin()
        return
    except OperationalError as exc:
        if not _is_locked(exc):
            raise
    deadline = time.monotonic() + patience
    pause = BRIEF_RETRY_FIRST_S
    with room.waiting() if room is not None else nullcontext():
        while True:
            wait = pause * random.uniform(0.5, 1.5)
            if time.monotonic() + wait >= deadline:
                raise DatabaseBusy()
            again()
            time.sleep(wait)
            pause = min(pause * BRIEF_RETRY_GROWTH, BRIEF_RETRY_LONGEST_S)
            try:
                begin()
                return
            except OperationalError as exc:
                if not _is_locked(exc):
                    raise


class WaitingRoom:
    """Who waits for SQLite's write lock, told to long writes so they let them in first.

    A file beside the database (``NAME-waiting``, made the first time someone waits) that
    every waiting write holds a shared lock on while it waits. A long write, before each of
    its short transactions, looks whether anyone holds it and, if so, waits a moment for
    them (:meth:`let_in`). Without this, a waiting write could miss the long write's short
    pause between two transactions again and again on a busy machine. Where files cannot
    be locked so (Windows), long writes only pause.
    """

    def __init__(self, database: Path) -> None:
        self.path = database.with_name(database.name + "-waiting")

    @contextmanager
    def waiting(self) -> Iterator[None]:
        if fcntl is None:
            yield
            return
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:  # a read-only folder: nobody is told, nothing else changes
            yield
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
            yield
        finally:
            os.close(fd)  # and with it the lock

    def someone_waits(self) -> bool:
        if fcntl is None:
            return False
        try:
            fd = os.open(self.path, os.O_RDWR)
        except OSError:  # nobody ever waited
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        finally:
            os.close(fd)
        return False

    def let_in(self, at_most: float) -> None:
        """Wait while someone waits for the write lock, for at most ``at_most`` seconds."""
        deadline = time.monotonic() + at_most
        while self.someone_waits() and time.monotonic() < deadline:
            time.sleep(LETTING_IN_PAUSE_S)


def _is_locked(error: OperationalError) -> bool:
    """SQLite's SQLITE_BUSY: another connection holds the lock."""
    code = getattr(error.orig, "sqlite_errorcode", None)
    return code == sqlite3.SQLITE_BUSY or "database is locked" in str(error.orig)


#: PostgreSQL's error codes for a server that is going away or not taking sessions yet:
#: class 08 (connection exception), an administrator's or a crash's shutdown, starting up.
_SERVER_GONE_STATES = ("57P01", "57P02", "57P03")
#: How libpq quotes the server's own refusal of a connection.
_SERVER_ANSWERED = "FATAL:"
_SERVER_AWAY_PHRASES = (
    "the database system is starting up",
    "the database system is shutting down",
    "the database system is in recovery mode",
    "terminating connection due to administrator command",
)


def is_unreachable(error: BaseException) -> bool:
    """Whether ``error`` says the database *server* cannot be reached right now (stopped,
    restarting, the network gone), as opposed to a statement it refused.

    Only a server can be away: a SQLite file is on this computer, so no SQLite error is
    one of these (a busy file waits, a missing one is another error)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DBAPIError):
            if current.connection_invalidated:
                return True
            orig = current.orig
            if isinstance(orig, BaseException):
                current = orig
                continue
        if _driver_says_unreachable(current):
            return True
        current = current.__cause__
    return False


def _driver_says_unreachable(error: BaseException) -> bool:
    if not type(error).__module__.startswith("psycopg"):
        return False
    import psycopg

    if isinstance(error, psycopg.InterfaceError):
        return True  # "the connection is closed", "connection lost": the link is gone
    if not isinstance(error, psycopg.OperationalError):
        return False
    state = getattr(error, "sqlstate", None)
    if state is None and _SERVER_ANSWERED in str(error):
        # The server answered the connection and turned it away (a wrong password, a
        # login that may not log in, no such database): it is there, and waiting for it
        # would not help. Only its "starting up" or "shutting down" mean it is away.
        return any(phrase in str(error) for phrase in _SERVER_AWAY_PHRASES)
    # No state: libpq failed to connect or lost the connection before any answer.
    return state is None or state.startswith("08") or state in _SERVER_GONE_STATES


#: SQLAlchemy appends the statement and its parameters to a driver's message.
_STATEMENT_PARTS = re.compile(r"\s*\[(?:SQL|parameters|generated in|Background on this error)\b")
#: The longest message a person is shown; the log has the whole of it.
FIRST_LINE_LIMIT = 300


def first_line(error: object) -> str:
    """The first line of an error's message, safe to show a person.

    For a database error it is the first line of the driver's own message: never the SQL
    statement, its parameters (the leads' emails and phones) or the server's DETAIL.
    """
    if isinstance(error, StatementError) and error.orig is not None:
        error = error.orig
    text_ = str(error).strip()
    line = text_.splitlines()[0] if text_ else ""
    line = _STATEMENT_PARTS.split(line, maxsplit=1)[0].strip()
    return shorten(printable(line), FIRST_LINE_LIMIT) or type(error).__name__
