"""Import batches: a file's checksum and the import it had before. Only an import that
committed is a batch; one that was cancelled or failed changed nothing and is only logged."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from teleprospect.core.csv_reader import CsvError
from teleprospect.core.domain import ImportKind, ImportStatus
from teleprospect.services.imports.errors import (
    AlreadyImported,
    ImportCancelled,
    ImportFailed,
    ImportInvalid,
)
from teleprospect.services.imports.reports import ImportReports
from teleprospect.store.database import Database, first_line
from teleprospect.store.models import ImportBatch, User

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int], None]
CancelCheck = Callable[[], bool]


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def previous_import(db: Database, sha256: str, kind: ImportKind) -> ImportBatch | None:
    """The last committed import of a file with this checksum, if any."""
    with db.read() as session:
        return session.scalars(
            select(ImportBatch)
            .where(
                ImportBatch.file_sha256 == sha256,
                ImportBatch.kind == kind,
                ImportBatch.status == ImportStatus.COMMITTED,
            )
            .order_by(ImportBatch.id.desc())
            .limit(1)
        ).first()


def checked_source(
    db: Database, path: Path | str, kind: ImportKind, *, again: bool
) -> tuple[Path, str]:
    """The file to import and its checksum. Refuses a missing file, and a file imported
    before unless ``again``."""
    path = Path(path)
    if not path.is_file():
        raise ImportInvalid(f"{path} does not exist or is not a file.")
    sha = file_checksum(path)
    if not again:
        previous = previous_import(db, sha, kind)
        if previous is not None:
            raise AlreadyImported(
                previous.id, previous.file_name, previous.started_at, previous.login
            )
    return path, sha


def failure_message(error: BaseException, row: int) -> str:
    """Why an import that changed nothing stopped, in one sentence."""
    if isinstance(error, CsvError):
        return f"{error} Nothing was imported."
    # The first line only: a database error's later lines carry the statement and the
    # file's values, which belong in the log, not in a sentence.
    return f"The import stopped at row {row} ({first_line(error)}); nothing was imported."


def log_unfinished(kind: ImportKind, file_name: str, login: str, message: str) -> None:
    """A cancelled or failed import changed nothing and leaves no record in the database;
    the log says it was tried."""
    log.warning("%s import of %s by %s: %s", kind.value, file_name, login or "?", message)


def stopped(
    error: BaseException,
    reports: ImportReports,
    kind: ImportKind,
    file_name: str,
    login: str,
    row: int,
) -> BaseException:
    """What to raise when an import stops before its commit: its report files are removed
    and the log says why (the database keeps nothing of it). A cancel and an interrupt
    stay what they are; any other failure becomes :class:`ImportFailed` in one sentence."""
    reports.discard()
    if isinstance(error, ImportCancelled):
        log_unfinished(kind, file_name, login, "cancelled; nothing was imported")
        return error
    if not isinstance(error, Exception):
        return error  # Ctrl+C, a closing interpreter: nothing to put into words
    message = failure_message(error, row)
    log_unfinished(kind, file_name, login, message)
    failed = ImportFailed(message)
    failed.__cause__ = error
    return failed


def user_id_of(session: Session, login: str) -> int | None:
    if not login:
        return None
    return session.scalar(select(User.id).where(User.login == login))
