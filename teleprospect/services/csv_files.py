"""Writing a CSV file a person asked for: whole, or not at all.

The file is written under a temporary name beside its destination, flushed to disk and
renamed into place in one step only once complete, so a failure (a full disk, a killed
process) never leaves half a file under the name asked for, and an existing file is
replaced only when the person said so. Cells go through
:func:`~teleprospect.core.csv_export.write_csv` (UTF-8 with a byte-order mark, RFC 4180,
formula-safe).

Each function takes the error class to raise, so each export says it in its own words
(the sentences end "nothing was exported" either way).
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterable, Sequence
from pathlib import Path

from teleprospect.core.csv_export import CSV_ENCODING, Cell, write_csv
from teleprospect.core.errors import Invalid

__all__ = [
    "FileNotWritten",
    "check_target",
    "move_into_place",
    "write_beside",
    "write_csv_file",
]


class FileNotWritten(Invalid):
    """The file cannot be written; nothing was (the message says why)."""


def check_target(path: Path, *, overwrite: bool, error: type[Exception] = FileNotWritten) -> None:
    """Refuse a folder, a device or anything else that is not a regular file, and an
    existing file unless ``overwrite``: nothing is written, nothing changes."""
    if path.is_dir():
        raise error(f"{path} is a folder: give the name of the file to write.")
    if path.exists() or path.is_symlink():
        if not path.is_file():
            raise error(
                f"{path} is not a regular file (a device or a pipe?); nothing was exported."
            )
        if not overwrite:
            raise error(
                f"{path} already exists; nothing was exported. Choose another name, or "
                "replace the file (--force)."
            )
    if not path.parent.is_dir():
        raise error(f"The folder {path.parent} does not exist; nothing was exported.")


def _create_beside(path: Path, error: type[Exception]) -> tuple[int, Path]:
    """A new file with a temporary name beside ``path``, created with the mode the user's
    umask gives (``mkstemp`` would force 0600 on a file meant for others)."""
    for _ in range(100):
        temporary = path.with_name(f".{path.name}-{secrets.token_hex(6)}.part")
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
        except OSError as exc:
            raise error(
                f"Cannot write in {path.parent}: {exc.strerror}; nothing was exported."
            ) from None
    raise error(f"Cannot write in {path.parent}; nothing was exported.")


def write_beside(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    error: type[Exception] = FileNotWritten,
) -> tuple[Path, str, int]:
    """Write the file to a temporary name beside ``path`` (flushed to disk); returns that
    name, the file's SHA-256 and the rows written. The caller moves it into place (and
    removes the temporary file if it does not)."""
    handle, temporary = _create_beside(path, error)
    try:
        with os.fdopen(handle, "w", encoding=CSV_ENCODING, newline="") as stream:
            count = write_csv(stream, header, rows)
            stream.flush()
            os.fsync(stream.fileno())
        digest = hashlib.sha256(temporary.read_bytes()).hexdigest()
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise error(f"Cannot write {path}: {exc.strerror}; nothing was exported.") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary, digest, count


def move_into_place(
    temporary: Path, path: Path, *, overwrite: bool, error: type[Exception] = FileNotWritten
) -> None:
    """Rename the finished file to ``path`` in one step. Without ``overwrite`` a file that
    appeared meanwhile is not replaced (a hard link never replaces one)."""
    try:
        if overwrite:
            check_target(path, overwrite=True, error=error)
            os.replace(temporary, path)
            return
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise error(
                f"{path} already exists; nothing was exported. Choose another name, or "
                "replace the file (--force)."
            ) from None
        except OSError:  # a filesystem without hard links: check, then rename
            check_target(path, overwrite=False, error=error)
            os.replace(temporary, path)
    except error:
        raise
    except OSError as exc:
        raise error(f"Cannot write {path}: {exc.strerror}; nothing was exported.") from None


def write_csv_file(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    overwrite: bool,
    error: type[Exception] = FileNotWritten,
) -> int:
    """Write ``rows`` to ``path`` whole or not at all; returns the rows written."""
    check_target(path, overwrite=overwrite, error=error)
    temporary, _digest, count = write_beside(path, header, rows, error=error)
    try:
        move_into_place(temporary, path, overwrite=overwrite, error=error)
    finally:
        temporary.unlink(missing_ok=True)
    return count
