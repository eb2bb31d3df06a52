"""Opening the database: one function builds the engine from a URL.

SQLite (one person, a file) and PostgreSQL (a team, a server) are both first-class.
SQLite connections get WAL, foreign keys, a busy timeout and ``synchronous=NORMAL``;
write transactions start with ``BEGIN IMMEDIATE`` so that two writers queue on the
busy timeout instead of failing half-way with "database is locked".
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, StatementError
from sqlalchemy.orm import Session, sessionmaker

from teleprospect.core.errors import Unavailable
from teleprospect.core.permissions import PermissionDenied
from teleprospect.core.text import printable, shorten

#: How long a SQLite writer waits for another one before giving up (milliseconds).
SQLITE_BUSY_TIMEOUT_MS = 10_000

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
        if conn.get_execution_options().get("sqlite_write", True):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


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
    ``session.info["attribution"]``) once it is known.
    """

    def __init__(self, url: str, *, echo: bool = False, create: bool = True) -> None:
        self.url = parse_url(url)
        self.attribution: Attribution | None = None
        self.engine = create_database_engine(url, echo=echo, create=create)
        self._reading = sessionmaker(
            self.engine.execution_options(sqlite_write=False), expire_on_commit=False
        )
        self._writing = sessionmaker(self.engine, expire_on_commit=False)

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
    def write(self) -> Iterator[Session]:
        """A session in one transaction: committed at the end of the block, rolled back on error."""
        with _told_when_not_permitted(), self._writing() as session, session.begin():
            session.info["attribution"] = self.attribution
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


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
